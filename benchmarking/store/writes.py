"""Row-level writes inside an open transaction: merge by key, keeping what was replaced for undo.

``plan`` compares incoming rows with the stored ones (added, replaced or unchanged, and
which columns differ); the preview shows its answer and ``upsert`` writes by it, so what
the preview says is what the commit does. A file with fewer columns than the table
updates only the columns it holds: the others keep their stored values.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from benchmarking.cells import distinct_cells
from benchmarking.store import schema
from benchmarking.store.tables import LOAD_COLUMN, UNDO_PREFIX, has_load_column, table_columns, table_keys

STORED = "stored:"
"""Prefix of ``Plan.first_replaced``'s columns holding the stored values beside the incoming ones."""
DIFFERS = "differs:"
"""Prefix of ``Plan.first_replaced``'s columns saying whether the incoming value differs from the stored one."""


def current_user() -> str:
    """Return the operating-system user recorded against a load."""
    return os.environ.get("USER") or os.environ.get("USERNAME") or "unknown"


class Written(dict):
    """What one ``Store.write`` did: added/replaced counts per table (a dict of them), and ``load_id``, the id of
    the load it wrote (its ``dataset`` row, which an undo names)."""

    def __init__(self, counts: dict[str, dict[str, int]], load_id: int):
        super().__init__(counts)
        self.load_id = load_id


@dataclass
class Plan:
    """What writing rows into a table would do: how many rows are added, replaced or unchanged, and per column.

    A plan made ``per_row`` (``plan``) also says it of each incoming row (``outcome``).
    """

    rows: int
    """How many incoming rows."""
    matched_rows: int = 0
    """How many incoming rows have a stored key; the other rows are 'added'."""
    replaced_rows: int = 0
    """How many of those differ in a column they hold ('replaced'); the others are 'unchanged'."""
    changed: dict[str, int] = field(default_factory=dict)
    """Column -> how many replaced rows get a different value in it."""
    kept: list[str] = field(default_factory=list)
    """Table columns the rows do not hold: stored rows keep their values in these."""
    matched: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    """Positions (in order) of the incoming rows whose key is stored (a plan made per row only)."""
    replaced: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    """Per matched row: True when it is 'replaced' (a plan made per row only)."""
    no_figure: int = 0
    """How many 'added' rows hold no figure (each column of ``schema.VALUE_COLUMNS`` they hold is empty)."""
    first_replaced: pd.DataFrame = field(default_factory=pd.DataFrame)
    """The first replaced rows (``plan(first=)``), in incoming order: ``position``, the keys, and each column the rows
    hold beside its stored value (``STORED + column``) and whether the two differ (``DIFFERS + column``)."""

    @property
    def outcome(self) -> np.ndarray:
        """Return per incoming row (in order): 'added', 'replaced' or 'unchanged' (a plan made per row)."""
        if len(self.matched) != self.matched_rows:
            raise ValueError("the plan was counted, not made per row: plan it with per_row=True")
        outcome = np.full(self.rows, "added", dtype=object)
        outcome[self.matched] = np.where(self.replaced, "replaced", "unchanged")
        return outcome

    def count(self, outcome: str) -> int:
        """Return how many incoming rows have ``outcome``."""
        return {
            "added": self.rows - self.matched_rows,
            "replaced": self.replaced_rows,
            "unchanged": self.matched_rows - self.replaced_rows,
        }.get(outcome, 0)


def _sorted_by_key(table: str, keys: tuple[str, ...], values: list[str]) -> tuple[str, str]:
    """Return the join of incoming rows ``i`` with the stored rows ``t`` of ``table``, and each row's outcome.

    The one rule of a merge: a row whose key is not stored is 'added'; one whose key is stored
    is 'replaced' when it differs in a column it holds, else 'unchanged'.
    """
    match = " AND ".join(f"t.{k} = i.{k}" for k in keys)
    differs = " OR ".join(f"t.{c} IS DISTINCT FROM i.{c}" for c in values) or "FALSE"
    outcome = f"CASE WHEN t.{keys[0]} IS NULL THEN 'added' WHEN {differs} THEN 'replaced' ELSE 'unchanged' END"
    return f"LEFT JOIN {table} t ON {match}", outcome


def plan(
    con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, per_row: bool = False, first: int = 0
) -> Plan:
    """Return what merging ``frame`` into ``table`` would do, read on ``con``; nothing is written.

    Counted in DuckDB; ``per_row`` fetches which incoming rows have a stored key and which of them differ, and counts
    those (one join either way). ``first`` asks for the first so many replaced rows beside their stored values
    (``Plan.first_replaced``): their positions come with the counts, then those rows alone are read.
    """
    keys = table_keys(table)
    existing = table_columns(con, table)
    cols = [c for c in existing if c in frame.columns]
    kept = [c for c in existing if c not in frame.columns]
    figures = _figures(table, frame)
    no_figure = without_figure(table, frame)
    if frame.empty or not existing or _nothing_stored(con, table, frame, keys):
        return Plan(len(frame), kept=kept, no_figure=no_figure)
    values = [c for c in cols if c not in keys]
    join, sorting = _sorted_by_key(table, keys, values)
    incoming = staged(frame[cols])
    incoming = incoming.append_column("_position", pa.array(np.arange(len(frame), dtype=np.int64)))
    differs = [f"t.{c} IS DISTINCT FROM i.{c}" for c in values]
    empty = " AND ".join(f"i.{c} IS NULL" for c in figures) or "FALSE"
    matched = f"FROM incoming_plan i {join} WHERE t.{keys[0]} IS NOT NULL"
    con.register("incoming_plan", incoming)
    try:
        if per_row:  # one join: the rows fetched, then counted here
            found = con.execute(
                f"SELECT i._position, ({sorting}) = 'replaced' AS _replaced, {empty} AS _empty"
                + "".join(f", {d} AS _differs_{n}" for n, d in enumerate(differs))
                + f" {matched}"
            ).fetchnumpy()
            counted = [len(found["_position"]), *(int(np.sum(found[c])) for c in list(found)[1:])]
            positions = np.sort(found["_position"][found["_replaced"]])[:first]
        else:
            counted = con.execute(
                f"SELECT count(*), count(*) FILTER (({sorting}) = 'replaced'), count(*) FILTER ({empty})"
                + "".join(f", count(*) FILTER ({d})" for d in differs)
                + (
                    f", min_by(i._position, i._position, {int(first)}) FILTER (({sorting}) = 'replaced')"
                    if first
                    else ""
                )
                + f" {matched}"
            ).fetchall()[0]
            positions = np.asarray((counted[-1] or []) if first else [], dtype=np.int64)
            counted = counted[: len(counted) - bool(first)]
            found = {"_position": [], "_replaced": []}
        first_replaced = _beside_stored(con, table, frame[cols], positions, keys, values) if first else pd.DataFrame()
    finally:
        con.unregister("incoming_plan")
    changed = {c: int(n) for c, n in zip(values, counted[3:], strict=True) if n}
    return Plan(
        len(frame),
        int(counted[0]),
        int(counted[1]),
        changed,
        kept,
        np.asarray(found["_position"], dtype=np.int64),
        np.asarray(found["_replaced"], dtype=bool),
        no_figure - int(counted[2]),
        first_replaced,
    )


def _figures(table: str, frame: pd.DataFrame) -> list[str]:
    """Return the figure columns of ``table`` (``schema.VALUE_COLUMNS``) that ``frame`` holds."""
    return [c for c in schema.VALUE_COLUMNS.get(table, ()) if c in frame.columns]


def without_figure(table: str, frame: pd.DataFrame) -> int:
    """Return how many rows of ``frame`` hold no figure for ``table``: every figure column they hold is empty (a
    table without figures: none)."""
    figures = _figures(table, frame)
    return int(frame[figures].isna().all(axis=1).sum()) if figures and len(frame) else 0


def _beside_stored(
    con: duckdb.DuckDBPyConnection,
    table: str,
    frame: pd.DataFrame,
    positions: np.ndarray,
    keys: tuple[str, ...],
    values: list[str],
) -> pd.DataFrame:
    """Return the incoming rows at ``positions`` (a few) beside their stored rows, in that order
    (``Plan.first_replaced``): one join of those rows alone."""
    if not len(positions):
        return pd.DataFrame()
    asked = staged(frame.iloc[positions]).append_column("position", pa.array(positions, type=pa.int64()))
    match = " AND ".join(f"t.{k} = i.{k}" for k in keys)
    stored = "".join(f', t.{c} AS "{STORED}{c}", t.{c} IS DISTINCT FROM i.{c} AS "{DIFFERS}{c}"' for c in values)
    con.register("replaced_asked", asked)
    try:
        return con.execute(
            f"SELECT i.* {stored} FROM replaced_asked i JOIN {table} t ON {match} ORDER BY i.position"
        ).df()
    finally:
        con.unregister("replaced_asked")


def _nothing_stored(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, keys: tuple[str, ...]) -> bool:
    """Return True when no stored row of ``table`` can have a key of ``frame``'s rows: the table is empty, or its
    key holds a period and it stores none of the frame's periods (a new period loaded). Then no join is needed."""
    if not con.execute(f"SELECT EXISTS (SELECT 1 FROM {table})").fetchall()[0][0]:
        return True
    if "period" not in keys or "period" not in frame:
        return False
    labels = [str(label) for label in distinct_cells(frame["period"])]  # a few labels
    return (
        len(labels) <= 1_000
        and not con.execute(
            f"SELECT EXISTS (SELECT 1 FROM {table} WHERE period IN (SELECT unnest(?::VARCHAR[])))", [labels]
        ).fetchall()[0][0]
    )


def staged(frame: pd.DataFrame) -> pa.Table:
    """Return the frame as an Arrow table for DuckDB to scan (text columns zero-copy when Arrow-backed)."""
    return pa.Table.from_pandas(frame.reset_index(drop=True), preserve_index=False)


def upsert(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, dataset_id: int) -> dict[str, int]:
    """Merge ``frame`` into ``table`` by key (as ``plan`` says), keeping the old rows in the undo shadow.

    Returns the added and replaced counts, and ``no_figure`` when some added rows hold no figure (``Plan.no_figure``;
    stored as missing, counted among the added). Unchanged rows are not touched; a replaced row
    takes the frame's columns and keeps its stored values in the columns the frame lacks.
    Set-based: the rows whose key is stored are staged once with the stored row beside them
    (one join: replaced or unchanged, the rule ``plan`` applies); the undo copy of the replaced
    rows is one ``INSERT ... SELECT`` from them and the replaced rows one ``UPDATE``. The other
    rows are added: one ``INSERT`` of the rows, straight from the incoming rows when no key was stored
    (a fresh load; no join at all when the table stores none of the rows' periods, ``_nothing_stored``),
    each naming its load in ``LOAD_COLUMN`` (``LOADED_TABLES``; the other tables keep the added keys in the
    undo shadow, one more ``INSERT``).
    """
    keys = table_keys(table)
    existing = table_columns(con, table)
    loaded = has_load_column(con, table)
    cols = [c for c in existing if c in frame.columns]
    if frame.empty or not cols:
        return {"added": 0, "replaced": 0}
    values = [c for c in cols if c not in keys]
    undo = f"{UNDO_PREFIX}{table}"
    match = " AND ".join(f"t.{k} = i.{k}" for k in keys)
    key_list = ", ".join(keys)
    col_list = ", ".join(cols)
    join, sorting = _sorted_by_key(table, keys, values)
    stored = "".join(f", t.{c} AS _stored_{c}" for c in existing if c not in keys)  # the keys are the incoming ones
    con.register("incoming_rows", staged(frame[cols]))
    # Rows are written in whatever order DuckDB's threads finish (every reader that needs an order
    # says it): a third less CPU for millions of rows than keeping the file's order.
    con.execute("SET preserve_insertion_order = false")
    try:
        matched = replaced = matched_empty = 0
        if not _nothing_stored(con, table, frame, keys):
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE upsert_rows AS SELECT t.rowid AS _stored_row, "
                f"{', '.join(f'i.{c}' for c in cols)}{stored}, ({sorting}) = 'replaced' AS _replaced "
                f"FROM incoming_rows i {join} WHERE t.{keys[0]} IS NOT NULL"
            ).fetchall()  # the rows whose key is stored: replaced or unchanged
            empty = " AND ".join(f"{c} IS NULL" for c in _figures(table, frame)) or "FALSE"
            matched, replaced, matched_empty = con.execute(
                f"SELECT count(*), count(*) FILTER (WHERE _replaced), count(*) FILTER (WHERE {empty}) FROM upsert_rows"
            ).fetchall()[0]
        added = len(frame) - matched
        all_columns = ", ".join(existing)
        if replaced:
            was = ", ".join(c if c in keys else f"_stored_{c}" for c in existing)
            con.execute(
                f"INSERT INTO {undo} (dataset_id, action, {all_columns}) SELECT ?, 'replaced', {was} "
                "FROM upsert_rows WHERE _replaced",
                [dataset_id],
            ).fetchall()
            changed = ", ".join(f"{c} = i.{c}" for c in values)  # the columns the file holds; the rest are kept
            con.execute(  # found by the stored row's id (stable inside the transaction): no second join on the keys
                f"UPDATE {table} SET {changed} FROM upsert_rows i WHERE i._replaced AND {table}.rowid = i._stored_row"
            ).fetchall()
        if added:
            rows = "incoming_rows"
            if matched:  # some keys are stored: the added rows are the others
                con.execute(
                    f"CREATE OR REPLACE TEMP TABLE upsert_added AS SELECT i.* FROM incoming_rows i "
                    f"ANTI JOIN upsert_rows t ON {match}"
                ).fetchall()
                rows = "upsert_added"
            if loaded:  # each row names its load: the undo deletes the load's rows, no key is copied
                con.execute(
                    f"INSERT INTO {table} ({col_list}, {LOAD_COLUMN}) SELECT {col_list}, ? FROM {rows}", [dataset_id]
                ).fetchall()
            else:
                con.execute(
                    f"INSERT INTO {undo} (dataset_id, action, {key_list}) SELECT ?, 'added', {key_list} FROM {rows}",
                    [dataset_id],
                ).fetchall()
                con.execute(f"INSERT INTO {table} ({col_list}) SELECT {col_list} FROM {rows}").fetchall()
    finally:
        con.execute("RESET preserve_insertion_order")
        con.unregister("incoming_rows")
        con.execute("DROP TABLE IF EXISTS upsert_rows")
        con.execute("DROP TABLE IF EXISTS upsert_added")
    no_figure = without_figure(table, frame) - int(matched_empty)
    return {"added": int(added), "replaced": int(replaced)} | ({"no_figure": no_figure} if no_figure else {})


def missing_references(con: duckdb.DuckDBPyConnection, changes: dict[str, pd.DataFrame]) -> dict[str, list[str]]:
    """Return, per table written, the authority codes and indicator ids its rows name that the store lacks.

    Read inside the write transaction after the rows are written, so an authority or
    indicator removed (by an undo) since the import was checked is caught before commit.
    """
    references = {"authority_code": ("authority", "code"), "member_code": ("authority", "code")}
    references["indicator_id"] = ("indicator", "id")
    missing: dict[str, list[str]] = {}
    for table, frame in changes.items():
        for column, (target, key) in references.items():
            if column not in frame.columns:
                continue
            wanted = pd.DataFrame({"ref": pd.Series(distinct_cells(frame[column]), dtype=object)})
            wanted = wanted[wanted["ref"] != "*"]
            if wanted.empty:
                continue
            con.register("wanted_refs", wanted)
            try:
                absent = con.execute(
                    f"SELECT ref FROM wanted_refs w ANTI JOIN {target} t ON t.{key} = w.ref ORDER BY ref LIMIT 20"
                ).fetchall()
            finally:
                con.unregister("wanted_refs")
            if absent:
                missing.setdefault(table, []).extend(f"{column} {r[0]!r}" for r in absent)
    return missing


def remove_unwritten(
    con: duckdb.DuckDBPyConnection, table: str, sets: pd.DataFrame, incoming: pd.DataFrame | None, dataset_id: int
) -> int:
    """Remove the stored rows of the whole sets ``sets`` names that ``incoming`` does not hold; return how many.

    ``sets`` holds some key columns (``basket_id``): every stored row matching one of its
    rows belongs to a set the write replaces whole. Removed rows are kept in the undo
    shadow (action 'removed'), so the undo puts them back.
    """
    keys = table_keys(table)
    if sets.empty:
        return 0
    by = [c for c in sets.columns if c in keys]
    con.register("replaced_sets", sets[by].drop_duplicates().reset_index(drop=True))
    kept = incoming[list(keys)].drop_duplicates() if incoming is not None and len(incoming) else None
    try:
        where = f"EXISTS (SELECT 1 FROM replaced_sets s WHERE {' AND '.join(f't.{c} = s.{c}' for c in by)})"
        if kept is not None:
            con.register("kept_rows", kept.reset_index(drop=True))
            where += f" AND NOT EXISTS (SELECT 1 FROM kept_rows k WHERE {' AND '.join(f't.{k} = k.{k}' for k in keys)})"
        undo = f"{UNDO_PREFIX}{table}"
        columns = ", ".join(table_columns(con, table))
        removed = con.execute(
            f"INSERT INTO {undo} (dataset_id, action, {columns}) SELECT ?, 'removed', {columns} FROM {table} t "
            f"WHERE {where}",
            [dataset_id],
        )
        count = int(removed.fetchone()[0])
        con.execute(f"DELETE FROM {table} t WHERE {where}")
    finally:
        con.unregister("replaced_sets")
        if kept is not None:
            con.unregister("kept_rows")
    return count
