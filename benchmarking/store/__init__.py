"""The store layer: every read from and write to the DuckDB file (see ``database.Store``).

Names are loaded when first used (PEP 562), so ``from benchmarking.store import schema`` (the
CLI's parser) does not load DuckDB and pandas.
"""

from __future__ import annotations

import importlib

from benchmarking.paths import DEFAULT_DB, PROJECT_ROOT, default_db_path

_LAZY = {
    "Store": "benchmarking.store.database",
    "StoreContents": "benchmarking.store.contents",
    "connect": "benchmarking.store.connection",
}

__all__ = ["DEFAULT_DB", "PROJECT_ROOT", "Store", "StoreContents", "connect", "default_db_path"]


def __getattr__(name: str) -> object:
    """Return ``Store``, ``StoreContents`` or ``connect``, importing its module on first use."""
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
