"""Where the project's files live: the repository root, the data folder, the default store and
the shipped extract of real county data."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
DEFAULT_DB = DATA_DIR / "benchmarking.duckdb"
PUBLIC_EXTRACT_DIR = DATA_DIR / "public"
"""The shipped extract of the county-area store (Parquet, manifest, attribution) the app starts from."""


def default_db_path() -> Path:
    """Return the store path: ``$BENCHMARKING_DB`` if set, else ``data/benchmarking.duckdb``."""
    return Path(os.environ.get("BENCHMARKING_DB") or DEFAULT_DB)


def public_extract_dir() -> Path:
    """Return the extract a first run builds its store from: ``$BENCHMARKING_EXTRACT`` if set, else ``data/public``."""
    return Path(os.environ.get("BENCHMARKING_EXTRACT") or PUBLIC_EXTRACT_DIR)
