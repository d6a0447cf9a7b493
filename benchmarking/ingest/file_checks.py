"""Checking one file's rows: type every column, apply every rule, and say which rows fail and why.

Every check is vectorised over the whole file and every problem is reported with the
file, the row (as a spreadsheet shows it: the header is row 1) and the column. The checks
that need the other files of an import, or the stored rows, run over these in
``validation.check_batch``. Nothing here writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from benchmarking.cells import is_encoded
from benchmarking.errors import BenchmarkingError, ValidationIssue
from benchmarking.ingest.catalogue import StoredCatalogue, check_catalogue
from benchmarking.ingest.keys import plain_text, stripped
from benchmarking.ingest.layouts import fields_needed
from benchmarking.ingest.number_advice import not_a_number
from benchmarking.ingest.percent_cells import check_percent_cells
from benchmarking.ingest.period_keys import canonical_periods, stored_value_periods
from benchmarking.ingest.results import CheckedRows
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
from benchmarking.store import schema

LARGEST_VALUE = 1e15  # larger than any per-head figure or count a council publishes
_TRUE = {"true", "t", "yes", "y", "1", "*"}
_FALSE = {"false", "f", "no", "n", "0", ""}
ENCODED_TABLES = ("indicator_value", "spend", "funding", "deprivation", "dashboard_extra")
"""Tables of many rows, whose encoded text (``cells.is_encoded``) is checked encoded; other tables' files as text."""
PERIOD_TABLES = ("indicator_value", "spend", "funding", "dashboard_extra")
"""Tables whose period labels are put in the store's spelling (``period_keys.canonical_periods``) and checked
against the stored values' periods (``period_keys.refused_periods``)."""
MISSING_MARKERS = [
    *("na", "n/a", "n.a", "n.a.", "null", "nan", "-", "..", "...", ":", "*"),
    *("x", "c", "z", "[x]", "[c]", "[z]"),
]
"""Cells (any case) that mean "no figure" in published tables: not available, suppressed, not applicable, with
the GSS and ONS shorthand ``x``/``c``/``z`` bare or bracketed; read as an empty cell, which never removes a stored
figure (``validation.check_batch`` refuses one over a stored figure)."""


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
                bad[bad] = ~text[bad].str.lower().isin(MISSING_MARKERS)
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
