"""Row-level writes inside an open transaction: replace by key, keeping what was replaced for undo."""

from __future__ import annotations

import os

import duckdb
import pandas as pd

from benchmarking.store import schema

UNDO_PREFIX = "undo_"


def current_user() -> str:
    """Return the operating-system user recorded against a load."""
    return os.environ.get("USER") or os.environ.get("USERNAME") or "unknown"


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    """Return a table's column names in schema order."""
    return [
        r[0]
        for r in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index", [table]
        ).fetchall()
    ]


def upsert(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, dataset_id: int) -> dict[str, int]:
    """Replace-by-key ``frame`` into ``table``, keeping the old rows in the undo shadow."""
    keys = schema.KEYS[table]
    cols = [c for c in table_columns(con, table) if c in frame.columns]
    undo = f"{UNDO_PREFIX}{table}"
    con.register("incoming", frame[cols])
    try:
        match = " AND ".join(f"t.{k} = i.{k}" for k in keys)
        col_list = ", ".join(cols)
        key_list = ", ".join(keys)
        # Keep the rows about to be replaced, and the keys about to be added.
        replaced = con.execute(
            f"INSERT INTO {undo} SELECT ?, 'replaced', t.* FROM {table} t SEMI JOIN incoming i ON {match}",
            [dataset_id],
        ).fetchone()[0]
        added = con.execute(
            f"INSERT INTO {undo} (dataset_id, action, {key_list}) "
            f"SELECT ?, 'added', {', '.join('i.' + k for k in keys)} FROM incoming i "
            f"ANTI JOIN {table} t ON {match}",
            [dataset_id],
        ).fetchone()[0]
        con.execute(f"DELETE FROM {table} t WHERE EXISTS (SELECT 1 FROM incoming i WHERE {match})")
        con.execute(f"INSERT INTO {table} ({col_list}) SELECT {col_list} FROM incoming")
    finally:
        con.unregister("incoming")
    return {"added": int(added), "replaced": int(replaced)}
