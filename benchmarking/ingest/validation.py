"""Validating imported rows: type every column, apply the rules, and check a batch of files together.

Every check is vectorised over the whole file and every problem is reported with the
file, the row (as a spreadsheet shows it: the header is row 1) and the column. Nothing
here writes: ``importer.import_frames`` writes what passes.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping, Sequence

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from benchmarking.cells import distinct_cells, is_encoded
from benchmarking.errors import BenchmarkingError, ValidationIssue
from benchmarking.ingest.catalogue import THEME_TABLES, StoredCatalogue, check_catalogue, stored_catalogue, theme_notes
from benchmarking.ingest.controls import how_to_give
from benchmarking.ingest.existence import check_existed
from benchmarking.ingest.keys import plain_text, stripped
from benchmarking.ingest.layouts import fields_needed
from benchmarking.ingest.number_advice import not_a_number
from benchmarking.ingest.percent_cells import check_percent_cells, has_percent_cells, stored_units
from benchmarking.ingest.period_keys import canonical_periods, stored_value_periods
from benchmarking.ingest.plausible import check_plausible, stored_ranges
from benchmarking.ingest.results import CheckedBatch, CheckedRows, in_file_order
from benchmarking.ingest.rules import (
    RowChecker,
    check_basket,
    check_bounds,
    check_domain,
    check_duplicate_keys,
    check_known,
    check_periods,
    check_stored_periods,
    check_text,
)
from benchmarking.method.periods import period_start
from benchmarking.store import Store, schema
from benchmarking.store.tables import store_version

LARGEST_VALUE = 1e15  # larger than any per-head figure or count a council publishes
_TRUE = {"true", "t", "yes", "y", "1", "*"}
_FALSE = {"false", "f", "no", "n", "0", ""}
ENCODED_TABLES = ("indicator_value", "spend", "funding", "deprivation", "dashboard_extra")
"""Tables of many rows, whose encoded text (``cells.is_encoded``) is checked encoded; other tables' files as text."""
PERIOD_TABLES = ("indicator_value", "spend", "funding", "dashboard_extra")
"""Tables whose period labels are put in the store's spelling (``period_keys.canonical_periods``) and checked
against the stored values' periods (``period_keys.refused_periods``)."""
_MISSING_MARKERS = [
    *("na", "n/a", "n.a", "n.a.", "null", "nan", "-", "..", "...", ":", "*"),
    *("x", "c", "z", "[x]", "[c]", "[z]"),
]
"""Cells (any case) that mean "no figure" in published tables: not available, suppressed, not applicable, with
the GSS and ONS shorthand ``x``/``c``/``z`` bare or bracketed; read as an empty cell, which never removes a stored
figure (``_keeping_stored_figures``)."""


def _to_float(raw: pd.Series, text: pd.Series) -> pd.Series:
    """Return the column as float64 with NaN where a cell is empty or not a number."""
    if pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw):
        return raw.astype("float64")
    try:
        cells = (
            pa.array(text.to_numpy(dtype=object), type=pa.string())
            if not isinstance(text.array, pd.arrays.ArrowStringArray)
            else pa.chunked_array(text.array._pa_array)
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
        cells = None
    clean = _clean_numbers(cells) if cells is not None else None
    numbers = clean[0] if clean is not None else pd.to_numeric(text, errors="coerce")
    return pd.Series(numbers, index=raw.index, dtype="float64")


def _clean_numbers(cells: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray] | None:
    """Return text cells as float64 (NaN for an empty cell) and which cells are empty, when every one is a number
    or empty; else None.

    Arrow's C++ cast reads such a column in one pass. It refuses a cell with a space around it, so a column it
    reads needs no trimming (``check`` reads a file's number column so before trimming it cell by cell).
    """
    try:
        empty = pc.equal(cells, "")
        numbers = pc.cast(pc.if_else(empty, pa.scalar(None, cells.type), cells), pa.float64())
        return numbers.to_numpy(zero_copy_only=False), empty.to_numpy(zero_copy_only=False)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None


def _text(series: pd.Series) -> pd.Series:
    """Return the cells as text, trimmed, with '' for a missing cell (encoded text stays encoded)."""
    text = stripped(series)
    if is_encoded(text) and "" not in text.cat.categories and text.isna().any():
        text = text.cat.add_categories([""])
    return text.fillna("")


def validate(
    table: str,
    frame: pd.DataFrame,
    file_name: str,
    known_authorities: Iterable[str],
    known_indicators: Iterable[str],
) -> tuple[pd.DataFrame, list[ValidationIssue]]:
    """Return (typed rows ready to write, issues); rows are only usable when issues is empty."""
    checked = check(table, frame, file_name, known_authorities, known_indicators)
    return checked.rows, checked.issues


def check(
    table: str,
    frame: pd.DataFrame,
    file_name: str,
    known_authorities: Iterable[str],
    known_indicators: Iterable[str],
    stored_baskets: Mapping[str, str] | None = None,
    stored_periods: pd.DataFrame | None = None,
    units: Mapping[str, object] | None = None,
    authority_names: Mapping[str, str] | None = None,
    catalogue: StoredCatalogue | None = None,
) -> CheckedRows:
    """Return the typed rows of ``frame`` for ``table``, every issue, and which rows failed.

    ``stored_baskets`` (basket id -> name) are the stored baskets a ``basket`` file must agree with;
    ``stored_periods`` (``period_keys.stored_value_periods``) the stored values' periods a file's periods are read
    against: their labels, and the rules that refuse some (``rules.check_stored_periods``); ``units`` (indicator
    id -> unit) say which workbook cells formatted as percentages give a percentage (``percent_cells``);
    ``authority_names`` (code -> name) let an unknown authority code's message suggest the known codes one edit away;
    ``catalogue`` (``catalogue.stored_catalogue``) the stored themes a file's themes are spelt as, and the stored
    target midpoints an indicator file of some columns keeps.
    """
    if table not in schema.COLUMNS:
        raise BenchmarkingError(f"unknown table {table!r}; importable tables are {', '.join(schema.COLUMNS)}")
    # Encoded text pays for itself in the tables of many rows; the catalogues' rules compare columns with each other
    frame = frame.reset_index(drop=True) if table in ENCODED_TABLES else plain_text(frame.reset_index(drop=True))
    stored_periods = stored_value_periods(None) if stored_periods is None else stored_periods
    markers = None  # per row why its period's status marker is refused
    if table in PERIOD_TABLES:
        frame, markers = canonical_periods(frame, stored_periods, table)
    spec = schema.COLUMNS[table]
    check = RowChecker(file_name, frame)
    if frame.shape[0] == 0:
        check.block(None, "the file has a header but no data rows")
        return CheckedRows(frame, check.issues, check.rejected, blocking=True)
    # a catalogue file of its key and some columns updates stored rows: a new key is refused at its row
    missing = fields_needed(table, [str(c) for c in frame.columns])
    if missing:
        found = [str(c) for c in frame.columns if not str(c).startswith("_file_")]
        check.block(
            ", ".join(missing),
            f"missing required column(s) {', '.join(missing)} for table '{table}'; found {', '.join(found) or 'none'}",
        )
        return CheckedRows(frame, check.issues, check.rejected, blocking=True)

    out = pd.DataFrame(index=frame.index)
    for column, kind in spec.items():
        optional = kind.endswith("?")
        kind = kind.rstrip("?")
        if column not in frame.columns:
            continue
        raw = frame[column]
        clean = None  # a file's number column whose cells are all numbers or empty, with no space to trim
        if kind in ("float", "int") and isinstance(raw.array, pd.arrays.ArrowStringArray):
            cells = pa.chunked_array(raw.array._pa_array)
            clean = _clean_numbers(cells) if not cells.null_count else None
        if clean is not None:
            text, empty = raw, pd.Series(clean[1], index=raw.index)
        elif kind in ("float", "int") and pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw):
            text = None  # a typed column (Parquet) needs no text parsing
            empty = raw.isna()
        else:
            text = _text(raw)
            empty = text.eq("")
        if not optional:
            check.flag(empty, column, f"'{column}' is required but empty")
        if kind in ("text", "period"):
            out[column] = text.where(~empty, None)
        elif kind in ("float", "int"):
            numbers = pd.Series(clean[0], index=raw.index) if clean is not None else _to_float(raw, text)
            bad = numbers.isna() & ~empty
            if text is not None and bad.any():  # a marker ('n/a', '[x]') reads as no number: not a bad cell
                bad[bad] = ~text[bad].str.lower().isin(_MISSING_MARKERS)
            check.flag(bad, column, not_a_number(table, frame, column, bad, units or {}))
            huge = numbers.abs() > LARGEST_VALUE
            check.flag(huge, column, lambda cell, c=column: f"'{c}' value {cell} is implausibly large (over 1e15)")
            infinite = np.isinf(numbers)
            check.flag(infinite & ~huge, column, f"'{column}' must be finite")
            if kind == "int":
                check.flag(numbers < 0, column, lambda cell, c=column: f"'{c}' cannot be negative, got {cell}")
                check.flag(numbers.notna() & (numbers % 1 != 0), column, f"'{column}' must be a whole number")
            out[column] = numbers
        elif kind == "bool":
            lowered = text.str.lower()
            check.flag(
                ~lowered.isin(_TRUE | _FALSE),
                column,
                lambda cell, c=column: f"'{c}' must be true or false, got {str(cell)[:40]!r}",
            )
            out[column] = lowered.isin(_TRUE)

    check_percent_cells(table, frame, out, check, units or {})
    known_authorities, known_indicators = set(known_authorities), set(known_indicators)
    check_text(table, out, check, known_authorities, known_indicators)
    check_bounds(table, out, check)
    check_domain(table, out, check)
    known = {"authority": known_authorities, "indicator": known_indicators}.get(table, set())
    check_catalogue(table, out, check, catalogue or StoredCatalogue(), known, [str(c) for c in frame.columns])
    if table == "basket":
        check_basket(out, check, stored_baskets or {})
    # Notes may apply to any authority, indicator or period, written '*'.
    wildcard = {"*"} if table == "note" else set()
    if "period" in out.columns:
        check_periods(out, check, allowed=wildcard)
    if table in PERIOD_TABLES:
        check_stored_periods(out, check, stored_periods, markers)
    if "authority_code" in out.columns and table != "comparator_group":
        check_known(
            out,
            "authority_code",
            set(known_authorities) | wildcard,
            check,
            "authority",
            "import the authority table first, or correct the code or name",
            authority_names,
        )
    if table == "comparator_group":
        known = set(known_authorities)
        check_known(out, "member_code", known, check, "authority", "add the authority first")
        code = out["authority_code"].fillna("")
        check.flag(
            ~(code.eq("*") | code.isin(known)),
            "authority_code",
            lambda cell: f"unknown authority code {cell!r} (use '*' for a list that applies to every authority)",
        )
    if "indicator_id" in out.columns:
        check_known(
            out,
            "indicator_id",
            set(known_indicators) | wildcard,
            check,
            "indicator",
            "import the indicator table first, or correct the id",
        )
    check_duplicate_keys(table, out, check)
    # A wide file's row becomes several rows: report a problem with its shared cells once.
    issues = list(dict.fromkeys(check.issues))
    return CheckedRows(out.reset_index(drop=True), issues, check.rejected)


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
    """Return ``outcome`` with the rows refused whose figure is empty or a marker (``_MISSING_MARKERS``) where the
    store holds a figure for their key: an import never removes a stored figure (a marker may mean "not published
    in this table" as well as "withdrawn", and nothing but undoing an import removes a figure). Read only when some
    accepted row has no figure: the store is asked about those rows' keys alone."""
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
