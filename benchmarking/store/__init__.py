"""The store layer: every read from and write to the DuckDB file (see ``connection``)."""

from benchmarking.store.connection import DEFAULT_DB, PROJECT_ROOT, Store, connect, default_db_path

__all__ = ["DEFAULT_DB", "PROJECT_ROOT", "Store", "connect", "default_db_path"]
