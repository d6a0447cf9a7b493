"""The store's tables as the writes and the undo see them: each table's undo shadow, the load column of the values,
the data columns and keys of a table, and the version of the store's contents.

``create_tables`` makes what is missing; ``table_columns`` and ``data_select`` leave the load column out, so no
reader takes it for data.
"""

from __future__ import annotations

import os

import duckdb

from benchmarking.store import schema

UNDO_PREFIX = "undo_"
SETTING_KEYS = ("key",)
"""Key of the ``setting`` table, which has an undo shadow like the data tables."""
LOAD_COLUMN = "load_id"
"""Column of ``LOADED_TABLES`` naming the load (dataset id) that added each row: an undo deletes the rows of its
load by it, so a fresh load of millions of values copies no keys into the undo shadow. Not a column of the
data: ``table_columns`` and every reader leave it out. Rows written before the column existed hold NULL and
keep their 'added' keys in the shadow, which an undo still honours."""
LOADED_TABLES = ("indicator_value",)
"""Tables whose rows carry ``LOAD_COLUMN``: the values, the one table of millions of rows (the other tables
hold hundreds or thousands, where keeping the added keys in the shadow costs nothing)."""


def create_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table (and their undo shadows) that is missing, on ``con``; return None.

    A store written before its values named their load gains ``LOAD_COLUMN`` here (its older rows
    hold NULL and keep their 'added' keys in the undo shadow).
    """
    con.execute(schema.DDL)
    for table in (*schema.KEYS, "setting"):
        con.execute(
            f"CREATE TABLE IF NOT EXISTS {UNDO_PREFIX}{table} AS "
            f"SELECT NULL::INTEGER AS dataset_id, NULL::VARCHAR AS action, * "
            f"FROM {table} WHERE FALSE"
        )
    for table in LOADED_TABLES:  # after the shadows, which hold the data columns only
        con.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {LOAD_COLUMN} INTEGER")


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    """Return a table's data column names in schema order (``LOAD_COLUMN`` left out)."""
    return [c for c in _all_columns(con, table) if c != LOAD_COLUMN]


def _all_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    """Return every column name of a table in schema order, ``LOAD_COLUMN`` included."""
    return [
        r[0]
        for r in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index", [table]
        ).fetchall()
    ]


def has_load_column(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    """Return True when ``table``'s rows carry the load that added them (``LOAD_COLUMN``)."""
    return LOAD_COLUMN in _all_columns(con, table)


def data_select(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """Return ``SELECT`` of a table's data columns (``LOAD_COLUMN`` left out) ``FROM`` it, as SQL text."""
    return f"SELECT {', '.join(table_columns(con, table))} FROM {table}"


def store_version(con: duckdb.DuckDBPyConnection, path) -> tuple:
    """Return what identifies the store's contents on ``con``: its file and its loads (count, newest id and time).

    Every write is a load (``Store.write`` adds a ``dataset`` row, an undo removes one, a rebuild
    makes a new file), so checks made against one version hold for as long as it is unchanged.
    """
    loads = con.execute("SELECT count(*), max(id), max(loaded_at) FROM dataset").fetchone()
    return (os.stat(path).st_ino, *loads)


def table_keys(table: str) -> tuple[str, ...]:
    """Return the key columns of a table an import (or a remembered setting) writes."""
    return SETTING_KEYS if table == "setting" else schema.KEYS[table]
