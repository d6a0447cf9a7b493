"""Undoing a load: its rows put back as they were, from the undo shadow its write kept (``writes.upsert``)."""

from __future__ import annotations

import duckdb

from benchmarking.store.tables import LOAD_COLUMN, UNDO_PREFIX, has_load_column, table_columns, table_keys


def restore(con: duckdb.DuckDBPyConnection, table: str, dataset_id: int) -> tuple[int, int]:
    """Undo load ``dataset_id``'s changes to ``table`` from its undo shadow, set-based; return how many rows
    that deleted and how many it restored (replaced rows given their stored columns back, removed rows inserted).

    One statement each: the rows it added are deleted (by ``LOAD_COLUMN`` and by the 'added' keys its
    shadow holds, written before the column or for a table without it), the rows it replaced get their
    stored columns back (one ``UPDATE`` from the shadow), the rows it removed are inserted
    again; then its shadow rows are dropped.
    """
    undo = f"{UNDO_PREFIX}{table}"
    keys = table_keys(table)
    columns = table_columns(con, table)
    values = [c for c in columns if c not in keys]
    match = " AND ".join(f"t.{k} = u.{k}" for k in keys)
    key_list = ", ".join(keys)
    deleted = restored = 0
    if has_load_column(con, table):
        deleted += _changed(con, f"DELETE FROM {table} WHERE {LOAD_COLUMN} = ?", dataset_id)
    deleted += _changed(
        con,
        f"DELETE FROM {table} t USING (SELECT {key_list} FROM {undo} WHERE dataset_id = ? AND action = 'added') u "
        f"WHERE {match}",
        dataset_id,
    )
    if values:
        restored += _changed(
            con,
            f"UPDATE {table} t SET {', '.join(f'{c} = u.{c}' for c in values)} "
            f"FROM (SELECT * FROM {undo} WHERE dataset_id = ? AND action = 'replaced') u WHERE {match}",
            dataset_id,
        )
    col_list = ", ".join(columns)
    restored += _changed(
        con,
        f"INSERT INTO {table} ({col_list}) SELECT {col_list} FROM {undo} WHERE dataset_id = ? AND action = 'removed'",
        dataset_id,
    )
    con.execute(f"DELETE FROM {undo} WHERE dataset_id = ?", [dataset_id])
    return deleted, restored


def _changed(con: duckdb.DuckDBPyConnection, statement: str, dataset_id: int) -> int:
    """Run a DELETE, UPDATE or INSERT for load ``dataset_id``; return how many rows it changed (DuckDB's count)."""
    return int(con.execute(statement, [dataset_id]).fetchone()[0])
