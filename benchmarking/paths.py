"""Where the project's files live: the repository root, the data folder and the default store."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
DEFAULT_DB = DATA_DIR / "benchmarking.duckdb"


def default_db_path() -> Path:
    """Return the store path: ``$BENCHMARKING_DB`` if set, else ``data/benchmarking.duckdb``."""
    return Path(os.environ.get("BENCHMARKING_DB") or DEFAULT_DB)
