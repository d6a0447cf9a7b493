"""Checking a batch of files together, against the store and each other, before anything is written.

Each file's rows are typed and checked by ``file_checks.check``; here the checks that need the store or the other
files of the import: the stored periods, units, figure ranges, baskets and themes the rules read; a stored figure
never removed by an empty cell; the authorities' lifetimes; a key given by two files. Every problem names the file,
row and column, listed in the files' order. Nothing here writes: ``importer.import_frames`` writes what passes.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping, Sequence

import duckdb
import numpy as np
import pandas as pd

from benchmarking.cells import distinct_cells
from benchmarking.errors import ValidationIssue
from benchmarking.ingest.catalogue import THEME_TABLES, StoredCatalogue, stored_catalogue, theme_notes
from benchmarking.ingest.controls import how_to_give
from benchmarking.ingest.existence import check_existed
from benchmarking.ingest.file_checks import PERIOD_TABLES, check
from benchmarking.ingest.percent_cells import has_percent_cells, stored_units
from benchmarking.ingest.period_keys import stored_value_periods
from benchmarking.ingest.plausible import check_plausible, stored_ranges
from benchmarking.ingest.results import FILE_ROW, CheckedBatch, CheckedRows, file_rows, in_file_order
from benchmarking.ingest.rules import RowChecker
from benchmarking.method.periods import period_start
from benchmarking.store import Store, schema
from benchmarking.store.tables import store_version


def period_rows(labels: Iterable[str]) -> pd.DataFrame:
    """Return period table rows (label, start_date) for the given labels."""
    cells = labels if isinstance(labels, pd.Series) else pd.Series(list(labels), dtype=object)
    unique = sorted(label for label in distinct_cells(cells) if isinstance(label, str))
    return pd.DataFrame({"label": unique, "start_date": [period_start(label) for label in unique]})


def _require_value_column(table: str, frame: pd.DataFrame, file_name: str, outcome: CheckedRows) -> CheckedRows:
    """Return ``outcome``, refused as a whole file when a value table's file holds none of its value columns."""
    wanted = schema.VALUE_COLUMNS.get(table, ())
    if outcome.blocking or not wanted or any(c in frame.columns for c in wanted):
        return outcome
    issue = ValidationIssue(
        file_name,
        None,
        " or ".join(wanted),
        f"the file has no {' or '.join(repr(c) for c in wanted)} column for table '{table}': without it the "
        f"rows would hold no figures: choose the column that holds them ({how_to_give('column', wanted[0])})",
    )
    return CheckedRows(outcome.rows, [*outcome.issues, issue], outcome.rejected, blocking=True)


def _keeping_stored_figures(
    store: Store,
    con: duckdb.DuckDBPyConnection | None,
    table: str,
    frame: pd.DataFrame,
    file_name: str,
    outcome: CheckedRows,
) -> CheckedRows:
    """Return ``outcome`` with the rows refused whose figure is empty or a marker (``file_checks.MISSING_MARKERS``)
    where the store holds a figure for their key: an import never removes a stored figure (a marker may mean "not
    published in this table" as well as "withdrawn", and nothing but undoing an import removes a figure). Read only
    when some accepted row has no figure: the store is asked about those rows' keys alone."""
    columns = [c for c in schema.VALUE_COLUMNS.get(table, ()) if c in frame.columns and c in outcome.rows.columns]
    rows = outcome.rows
    empty = {c: rows[c].isna().to_numpy() & ~outcome.rejected for c in columns}
    if outcome.blocking or not any(mask.any() for mask in empty.values()) or (con is None and not store.exists()):
        return outcome
    keys, asked = list(schema.KEYS[table]), np.logical_or.reduce(list(empty.values()))
    rows_asked = rows.loc[asked, keys].astype(object).assign(position=np.flatnonzero(asked))
    sql = (
        f"SELECT asked.position, {', '.join(f'held.{c}' for c in columns)} "
        f"FROM stored_figures_asked AS asked JOIN {table} AS held USING ({', '.join(keys)})"
    )
    with contextlib.nullcontext(con) if con is not None else store.reading() as reading:
        reading.register("stored_figures_asked", rows_asked)
        try:
            held = reading.execute(sql).df()
        finally:
            reading.unregister("stored_figures_asked")
    check = RowChecker(file_name, frame)
    for column in columns:
        figure = pd.Series(np.nan, index=rows.index)
        figure.iloc[held["position"].to_numpy()] = held[column].to_numpy(dtype="float64")
        removed = empty[column] & figure.notna().to_numpy()
        messages = pd.Series(None, index=rows.index, dtype=object)
        messages.iloc[np.flatnonzero(removed)] = [
            f"'{column}' is {_no_figure(frame[column].iloc[position])} but the store holds "
            f"{figure.iloc[position]:g} for this key: an import never removes a stored figure; leave the row out "
            "to keep it (skip the rejected rows: --skip-rejected, or the page's option)"
            for position in np.flatnonzero(removed)
        ]
        check.flag(removed, column, messages)
    if not check.issues:
        return outcome
    return CheckedRows(rows, [*outcome.issues, *check.issues], outcome.rejected | check.rejected, outcome.blocking)


def _no_figure(cell: object) -> str:
    """Return how a cell that gives no figure is named in a message: 'empty', or the marker it holds."""
    text = "" if pd.isna(cell) else str(cell).strip()
    return f"{text[:40]!r} (no figure)" if text else "empty"


def check_batch(
    store: Store,
    items: list[tuple[str, pd.DataFrame, str]],
    extra_authorities: Iterable[str] = (),
    extra_indicators: Iterable[str] = (),
    con: duckdb.DuckDBPyConnection | None = None,
    replacing: Mapping[str, pd.DataFrame] | None = None,
    headers: Mapping[str, Sequence[object]] | None = None,
    lifetimes: bool = False,
) -> CheckedBatch:
    """Check several (table, frame, file_name) items against the store and each other.

    Authorities and indicators that pass their checks in the same batch count as known,
    so a whole dataset (catalogue plus values) can be checked and loaded at once. ``lifetimes`` (every user import
    asks for it) refuses the figures for an authority in a period when it did not exist (``existence.check_existed``).
    ``con`` reads the store on an open connection (the import's write transaction).
    ``replacing`` names the whole sets the write replaces (``Store.write``): a basket replaced
    whole may take a new name. The problems are listed in the files' order (``results.in_file_order``; ``headers``,
    file -> the file's own columns, orders those of a row; else the frame's columns). Nothing is written.
    """
    files = [file_name for _, _, file_name in items]
    headers = {file_name: list(frame.columns) for _, frame, file_name in items} | dict(headers or {})
    authorities, indicators = set(extra_authorities), set(extra_indicators)
    names: dict[str, str] = {}  # authority code -> name, to suggest the code a mistyped one means
    baskets: dict[str, str] = {}
    periods = stored_value_periods(None)
    version = None
    units: dict[str, object] | None = {} if any(has_percent_cells(frame) for _, frame, _ in items) else None
    values = [frame for table, frame, _ in items if table == "indicator_value" and "indicator_id" in frame]
    ranges = None  # the stored figures' range of each indicator of the files' values (``plausible``)
    catalogue = StoredCatalogue()  # the stored themes and target midpoints, read for a file that names themes
    if con is not None or store.exists():
        with contextlib.nullcontext(con) if con is not None else store.reading() as reading:  # one short read
            version = store_version(reading, store.path)  # read first: a later write makes the checks stale
            stored_authorities, stored_indicators = store.known_keys(reading)
            names = dict(reading.execute("SELECT code, name FROM authority").fetchall())
            if any(table == "basket" for table, _, _ in items):
                baskets = _stored_basket_names(reading, (replacing or {}).get("basket"))
            if any(table in PERIOD_TABLES for table, _, _ in items):
                periods = stored_value_periods(reading)
            if units is not None or values:  # for a workbook's percent cells, and advice in each value's unit
                units = stored_units(reading)
            if any(table in THEME_TABLES for table, _, _ in items):
                catalogue = stored_catalogue(reading)
            if values:
                ranges = stored_ranges(reading, {i for f in values for i in distinct_cells(f["indicator_id"])})
        authorities |= stored_authorities
        indicators |= stored_indicators
    order = {name: i for i, name in enumerate(schema.COLUMNS)}
    items = sorted(items, key=lambda item: order.get(item[0], 99))
    tables: dict[str, list[pd.DataFrame]] = {}
    outcomes: list[tuple[str, str, CheckedRows]] = []
    issues: list[ValidationIssue] = []
    notes: list[str] = []
    for table, frame, file_name in items:
        outcome = check(table, frame, file_name, authorities, indicators, baskets, periods, units, names, catalogue)
        notes += theme_notes(file_name, frame.reset_index(drop=True), outcome, table, catalogue)
        outcome = _require_value_column(table, frame, file_name, outcome)
        outcome = _keeping_stored_figures(store, con, table, frame.reset_index(drop=True), file_name, outcome)
        if table == "indicator_value" and ranges is not None:
            outcome = check_plausible(frame.reset_index(drop=True), file_name, outcome, ranges)
        if lifetimes:
            outcome = check_existed(store, con, table, frame.reset_index(drop=True), file_name, outcome)
        if FILE_ROW in frame.columns:  # a wide file: a checked row per period or indicator column of a file row
            rows = file_rows(frame)
            outcome.file_rows = rows if len(rows) == len(outcome.rejected) else None
        outcomes.append((table, file_name, outcome))
        issues.extend(outcome.issues)
        accepted = outcome.accepted
        if table == "authority" and "code" in accepted:
            authorities |= set(accepted["code"].dropna())
            if "name" in accepted:
                names |= dict(zip(accepted["code"], accepted["name"], strict=True))
        if table == "indicator" and "id" in accepted:
            indicators |= set(accepted["id"].dropna())
            catalogue = catalogue.with_themes(distinct_cells(accepted["theme"]) if "theme" in accepted else ())
            if units is not None:  # the units the import's own indicators give (none given: the stored one)
                given = accepted["unit"] if "unit" in accepted else [units.get(i) for i in accepted["id"]]
                units |= dict(zip(accepted["id"], given, strict=True))
        if len(accepted):
            tables.setdefault(table, []).append(accepted)
    changes: dict[str, pd.DataFrame] = {}
    labels = [
        rows["period"][rows["period"] != "*"] if table == "note" else rows["period"]
        for table, frames in tables.items()
        for rows in frames
        if "period" in rows
    ]
    if labels:
        changes["period"] = period_rows(labels[0] if len(labels) == 1 else pd.concat(labels, ignore_index=True))
    blocking = any(outcome.blocking for _, _, outcome in outcomes)
    for table, frames in tables.items():
        rows = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        keys = list(schema.KEYS[table])
        if len(frames) > 1 and rows.duplicated(keys).any():
            issues.append(
                ValidationIssue(
                    ", ".join(f for t, f, _ in outcomes if t == table),
                    None,
                    ", ".join(keys),
                    f"the same {table} key appears in more than one of the files: import them one at a time, "
                    "or remove the repeated rows",
                )
            )
            blocking = True
        changes[table] = rows
    return CheckedBatch(changes, outcomes, in_file_order(issues, files, headers), blocking, version, notes)


def _stored_basket_names(con: duckdb.DuckDBPyConnection, replaced: pd.DataFrame | None) -> dict[str, str]:
    """Return stored basket id -> name, leaving out the baskets the write replaces whole."""
    if not con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'basket'").fetchone()[0]:
        return {}  # a store that predates baskets
    names = dict(con.execute("SELECT basket_id, any_value(name) FROM basket GROUP BY basket_id").fetchall())
    dropped = set(replaced["basket_id"]) if replaced is not None and "basket_id" in replaced else set()
    return {basket_id: name for basket_id, name in names.items() if basket_id not in dropped}
