"""The store layer: every read from and write to the DuckDB file (see ``database.Store``)."""

from benchmarking.paths import DEFAULT_DB, PROJECT_ROOT, default_db_path
from benchmarking.store.connection import connect
from benchmarking.store.contents import StoreContents
from benchmarking.store.database import Store

__all__ = ["DEFAULT_DB", "PROJECT_ROOT", "Store", "StoreContents", "connect", "default_db_path"]
