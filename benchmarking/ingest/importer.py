"""Validated, atomic import of tidy long files (CSV, XLSX, Parquet) into the store.

Every check is vectorised over the whole file and every problem is reported with the
file, the row (as a spreadsheet shows it: the header is row 1) and the column. If
any problem is found nothing is written; otherwise the rows go in as one transaction
that replaces existing rows with the same key, so importing a file twice is harmless.

Frames that were reshaped on the way in (``mapping.apply_mapping``) carry where each
row came from in two kinds of locator columns, which the checks use for their messages
and which are never written: ``FILE_ROW`` (the row in the file) and
``FILE_COLUMN + field`` (the file's column that gave the field, per row).
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import hashlib
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from benchmarking.errors import BadPeriodError, BenchmarkingError, ImportValidationError, ValidationIssue
from benchmarking.method.periods import period_start, period_status
from benchmarking.store import Store, schema

MAX_ISSUES_PER_CHECK = 20
MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_COLUMNS = 500
LARGEST_VALUE = 1e15  # larger than any per-head figure or count a council publishes
FILE_ROW = "_file_row"
"""Locator column: the row of the file (header = row 1) that a reshaped row came from."""
FILE_COLUMN = "_file_column:"
"""Prefix of locator columns: ``FILE_COLUMN + field`` names the file's column per row."""
SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm", ".parquet")
_TRUE = {"true", "t", "yes", "y", "1", "*"}
_FALSE = {"false", "f", "no", "n", "0", ""}
_MISSING_MARKERS = ["na", "n/a", "null", "nan", "-", "..", "...", ":", "[x]", "[c]", "[z]"]
"""Cells that mean "no value" in published tables (GSS shorthand such as [x] included)."""
_POLARITY_WORDS = {
    "high": "high",
    "higher": "high",
    "higher is better": "high",
    "descending": "high",
    "up": "high",
    "low": "low",
    "lower": "low",
    "lower is better": "low",
    "ascending": "low",
    "down": "low",
    "target": "target",
    "target band": "target",
    "goldilocks": "target",
    "none": "none",
    "n/a": "none",
    "context": "none",
}


@dataclass
class ImportResult:
    """What one import did: rows read, added and replaced per table, and rows left out."""

    file_name: str
    table: str
    rows: int
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    rejected: int = 0
    """Rows left out because they failed a check (only with ``skip_rejected``)."""
    issues: list[ValidationIssue] = field(default_factory=list)
    """Why those rows were left out."""

    @property
    def added(self) -> int:
        return sum(c["added"] for c in self.counts.values())

    @property
    def replaced(self) -> int:
        return sum(c["replaced"] for c in self.counts.values())


# -- reading files ---------------------------------------------------------------


def read_file(
    path: Path | str,
    sheet: str | int | None = None,
    keep_case: bool = False,
    progress: Callable[[float, str], None] | None = None,
) -> pd.DataFrame:
    """Return a file's cells as text (CSV, XLSX or Parquet); raise a clear error if unreadable.

    Column names are stripped of spaces and a byte-order mark, and lower-cased unless
    ``keep_case`` (the mapping step keeps them as published, to name them in messages).
    ``progress(fraction, text)`` is told how much of a CSV file has been read, block by block.
    """
    path = Path(path)
    name = path.name
    if not path.exists():
        raise BenchmarkingError(f"{name}: file not found at {path}")
    size = path.stat().st_size
    check_size(name, size)
    if size == 0:
        raise _single_issue(name, "the file is empty (0 bytes): choose the file that holds the data")
    suffix = path.suffix.lower()
    kind = {".parquet": "Parquet", ".xlsx": "Excel", ".xlsm": "Excel"}.get(suffix, "CSV")
    try:
        if suffix in (".csv", ".txt"):
            frame = _read_csv(path, progress)
        elif suffix in (".xlsx", ".xlsm"):
            frame = _read_xlsx(path, sheet)
        elif suffix == ".parquet":
            frame = pd.read_parquet(path)
        else:
            raise _single_issue(name, f"unsupported file type '{suffix or 'none'}': use .csv, .xlsx or .parquet")
    except BenchmarkingError:
        raise
    except UnicodeDecodeError as error:
        raise _single_issue(name, _NOT_UTF8.format(detail=f"{error.reason} at byte {error.start:,}")) from error
    except Exception as error:
        text = str(error)
        if "utf8" in text.lower().replace("-", ""):
            raise _single_issue(name, _NOT_UTF8.format(detail=text[:120])) from error
        hint = {
            "Parquet": "is the file complete (not truncated) and really Parquet?",
            "Excel": "is it really an .xlsx workbook? Open it in Excel and save it as .xlsx",
            "CSV": "check that every row has as many cells as the header",
        }[kind]
        raise _single_issue(
            name,
            f"cannot be read as {'an' if kind == 'Excel' else 'a'} {kind} file ({hint}): "
            f"{type(error).__name__}: {text[:300]}",
        ) from error
    if frame.shape[1] > MAX_COLUMNS:
        raise _single_issue(
            name,
            f"the file has {frame.shape[1]:,} columns, over the limit of {MAX_COLUMNS}: "
            "is it a long or wide table of values? Remove the columns you do not import",
        )
    columns = [str(c).strip().lstrip("\ufeff").strip() for c in frame.columns]
    frame.columns = columns if keep_case else [c.lower() for c in columns]
    _check_header(name, list(frame.columns))
    return frame


_NOT_UTF8 = "the file is not UTF-8 text ({detail}); in Excel use Save As > 'CSV UTF-8', or re-save it as UTF-8"


def check_size(file_name: str, size: int) -> None:
    """Raise ImportValidationError when a file is over the size limit (``MAX_FILE_BYTES``)."""
    if size > MAX_FILE_BYTES:
        raise _single_issue(
            file_name,
            f"the file is {_human_size(size)}, over the {_human_size(MAX_FILE_BYTES)} "
            "upload limit: split it into smaller files (for example one per year) "
            "or save it as Parquet",
        )


def _human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):,.1f} MB"
    if size >= 1024:
        return f"{size / 1024:,.1f} kB"
    return f"{size:,} bytes"


def _check_header(name: str, columns: list[str]) -> None:
    issues = []
    for position, column in enumerate(columns, start=1):
        if column == "" or re.fullmatch(r"unnamed: \d+", column, flags=re.I):
            issues.append(
                ValidationIssue(
                    name,
                    1,
                    None,
                    f"column {position} has no name in the header row (row 1): "
                    "give every column a name, or delete the empty column",
                )
            )
    seen: dict[str, int] = {}
    for position, column in enumerate(columns, start=1):
        key = column.lower()
        if key in seen and column:
            issues.append(
                ValidationIssue(
                    name,
                    1,
                    column,
                    f"the header names column '{column}' twice (columns {seen[key]} and "
                    f"{position}): rename one of them",
                )
            )
        seen.setdefault(key, position)
    if issues:
        raise ImportValidationError(issues)


def _read_csv(path: Path, progress: Callable[[float, str], None] | None = None) -> pd.DataFrame:
    with path.open("rb") as handle:
        head = handle.read(64 * 1024)
    text = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)  # raises on non-UTF-8 text
    first_line = head.split(b"\n", 1)[0]
    sep = ";" if first_line.count(b";") > first_line.count(b",") else ","
    header = next(csv.reader([text.split("\n", 1)[0].rstrip("\r")], delimiter=sep), [])
    if len(head) == path.stat().st_size and not text.rstrip("\r\n").count("\n"):
        return pd.DataFrame({name: pd.Series([], dtype=str) for name in header})  # a header and no rows
    if progress is not None and header:
        return _read_csv_in_blocks(path, sep, header, progress)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, sep=sep, encoding="utf-8-sig", engine="pyarrow")
    # pandas renames repeated and blank header cells ('value.1', 'Unnamed: 2'); keep them as
    # written so that the header check can name them.
    if len(header) == frame.shape[1]:
        frame.columns = header
    return frame


def _read_csv_in_blocks(
    path: Path, sep: str, header: list[str], progress: Callable[[float, str], None]
) -> pd.DataFrame:
    """Read a CSV as text block by block (1 MB each), telling ``progress`` how far it has got.

    Gives the same frame as the one-call read (tested), which is used when nobody watches.
    """
    names = [f"column_{i}" for i in range(len(header))]
    size = max(path.stat().st_size, 1)
    batches = []
    with path.open("rb") as handle:
        reader = pacsv.open_csv(
            handle,
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=1 << 20),
            parse_options=pacsv.ParseOptions(delimiter=sep),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        progress(0.0, f"Reading {path.name} ...")
        for batch in reader:
            batches.append(batch)
            done = min(handle.tell() / size, 1.0)
            progress(done, f"Reading {path.name}: {done * size / 1e6:,.1f} of {size / 1e6:,.1f} MB")
        schema = reader.schema
    frame = pa.Table.from_batches(batches, schema=schema).to_pandas()
    frame.columns = header
    progress(1.0, f"Read {path.name}: {len(frame):,} rows")
    return frame


def _read_xlsx(path: Path, sheet: str | int | None) -> pd.DataFrame:
    """Read one sheet as text; refuse merged cells and formulas that have no saved result."""
    name = path.name
    sheets = _xlsx_sheet_parts(path)
    if sheet is None or sheet == 0:
        sheet = next(iter(sheets))
    elif isinstance(sheet, int):
        if not 0 <= sheet < len(sheets):
            raise _single_issue(name, f"the workbook has {len(sheets)} sheet(s), no sheet number {sheet + 1}")
        sheet = list(sheets)[sheet]
    if sheet not in sheets:
        raise _single_issue(name, f"no sheet named {sheet!r}; the workbook's sheets are {', '.join(map(repr, sheets))}")
    _inspect_sheet(path, sheet, sheets[sheet])
    # openpyxl reads the values Excel cached for formulas, never the formula text.
    cells = pd.read_excel(path, sheet_name=sheet, dtype=str, engine="openpyxl", header=None)
    if cells.empty:
        raise _single_issue(name, f"sheet {sheet!r} is empty: choose the sheet that holds the data")
    header = ["" if pd.isna(cell) else str(cell) for cell in cells.iloc[0]]
    frame = cells.iloc[1:].reset_index(drop=True)
    frame.columns = header
    return frame


_SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def sheet_names(path: Path | str) -> list[str]:
    """Return the sheet names of an XLSX workbook; raise a clear error if it is not one."""
    return list(_xlsx_sheet_parts(Path(path)))


def _xlsx_sheet_parts(path: Path) -> dict[str, str]:
    """Return sheet name -> its part (file) inside the workbook's zip archive."""
    try:
        with zipfile.ZipFile(path) as archive:
            workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
            relations = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError) as error:
        raise _single_issue(
            path.name,
            "cannot be read as an Excel file (is it really an .xlsx workbook? Open it in "
            f"Excel and save it as .xlsx): {type(error).__name__}: {error}",
        ) from error
    targets = {rel.get("Id"): rel.get("Target", "") for rel in relations}
    parts = {}
    for sheet in workbook.iter(f"{_SHEET_NS}sheet"):
        target = targets.get(sheet.get(f"{_REL_NS}id"), "")
        parts[sheet.get("name")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    if not parts:
        raise _single_issue(path.name, "the workbook has no sheets")
    return parts


def _inspect_sheet(path: Path, sheet: str, part: str) -> None:
    """Raise when the sheet has merged cells or formulas without a saved (cached) result."""
    merged: list[str] = []
    uncached: list[str] = []
    with zipfile.ZipFile(path) as archive, archive.open(part) as stream:
        for _, element in ElementTree.iterparse(stream):
            if element.tag == f"{_SHEET_NS}c":
                formula = element.find(f"{_SHEET_NS}f")
                if formula is not None and element.get("t") != "str":
                    value = element.find(f"{_SHEET_NS}v")
                    if value is None or not (value.text or "").strip():
                        uncached.append(element.get("r", "?"))
                element.clear()
            elif element.tag == f"{_SHEET_NS}mergeCell":
                merged.append(element.get("ref", "?"))
            elif element.tag == f"{_SHEET_NS}row":
                element.clear()
    issues = []
    if merged:
        issues.append(
            ValidationIssue(
                path.name,
                None,
                None,
                f"sheet {sheet!r} has merged cells ({', '.join(merged[:5])}{', ...' if len(merged) > 5 else ''}): "
                "a merged cell keeps its value in its first cell only, so the other rows would be empty; "
                "unmerge them and fill in every cell",
            )
        )
    if uncached:
        issues.append(
            ValidationIssue(
                path.name,
                None,
                None,
                f"sheet {sheet!r} has formulas with no saved result (cells {', '.join(uncached[:5])}"
                f"{', ...' if len(uncached) > 5 else ''}): the file was written by a program that does "
                "not calculate formulas; open it in Excel or LibreOffice and save it, then import again",
            )
        )
    if issues:
        raise ImportValidationError(issues)


@contextlib.contextmanager
def uploaded_file(file_name: str, data: bytes) -> Iterator[Path]:
    """Yield a temporary path holding ``data`` under the upload's own file name."""
    name = Path(str(file_name).replace("\\", "/")).name or "upload"
    check_size(name, len(data))
    with tempfile.TemporaryDirectory(prefix="benchmarking-upload-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        yield path


def read_upload(
    file_name: str,
    data: bytes,
    sheet: str | int | None = None,
    keep_case: bool = True,
    progress: Callable[[float, str], None] | None = None,
) -> pd.DataFrame:
    """Return an uploaded file's cells as text, read exactly as ``read_file`` reads a path."""
    with uploaded_file(file_name, data) as path:
        return read_file(path, sheet=sheet, keep_case=keep_case, progress=progress)


def upload_sheet_names(file_name: str, data: bytes) -> list[str]:
    """Return the sheet names of an uploaded XLSX workbook."""
    with uploaded_file(file_name, data) as path:
        return sheet_names(path)


def _single_issue(file_name: str, message: str, column: str | None = None) -> ImportValidationError:
    return ImportValidationError([ValidationIssue(file_name, None, column, message)])


def file_sha256(path: Path | str) -> str:
    """Return the SHA-256 of a file's bytes, recorded with each import."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def bytes_sha256(data: bytes) -> str:
    """Return the SHA-256 of an upload's bytes."""
    return hashlib.sha256(data).hexdigest()


# -- validation ------------------------------------------------------------------


@dataclass
class CheckedRows:
    """One frame after the checks: typed rows, the issues found, and which rows failed."""

    rows: pd.DataFrame
    issues: list[ValidationIssue]
    rejected: np.ndarray
    blocking: bool = False
    """True for a problem with the whole file (no data rows, a missing column): no row is usable."""

    @property
    def accepted(self) -> pd.DataFrame:
        """Return the rows that passed every check."""
        if self.blocking:
            return self.rows.iloc[0:0]
        return self.rows[~self.rejected].reset_index(drop=True)


class _Checker:
    """Collects issues for one frame, located by file row (header = row 1) and file column."""

    def __init__(self, file_name: str, frame: pd.DataFrame):
        self.file_name = file_name
        self.frame = frame
        self.issues: list[ValidationIssue] = []
        self.rejected = np.zeros(len(frame), dtype=bool)
        self.blocking = False
        if FILE_ROW in frame.columns:
            self.rows = frame[FILE_ROW].to_numpy(dtype=np.int64)
        else:
            self.rows = np.arange(len(frame), dtype=np.int64) + 2

    def column_at(self, column: str, position: int) -> str:
        """Return the file's name for ``column`` at a row (a mapped file names its own columns)."""
        source = FILE_COLUMN + column
        if source in self.frame.columns:
            return str(self.frame[source].iloc[position])
        return column

    def block(self, column: str | None, message: str) -> None:
        """Add an issue about the whole file: none of its rows can be written."""
        self.issues.append(ValidationIssue(self.file_name, None, column, message))
        self.blocking = True
        self.rejected[:] = True

    def flag(self, mask: np.ndarray | pd.Series, column: str, message) -> None:
        """Add one issue per flagged row (up to a limit); ``message`` may be a function of the cell."""
        mask = _as_bool(mask)
        self.rejected |= mask
        rows = np.flatnonzero(mask)
        for position in rows[:MAX_ISSUES_PER_CHECK]:
            cell = self.frame[column].iloc[position] if column in self.frame else None
            text = message(cell) if callable(message) else message
            self.issues.append(
                ValidationIssue(self.file_name, int(self.rows[position]), self.column_at(column, position), text)
            )
        if len(rows) > MAX_ISSUES_PER_CHECK:
            self.issues.append(
                ValidationIssue(
                    self.file_name,
                    None,
                    self.column_at(column, rows[0]),
                    f"... {len(rows) - MAX_ISSUES_PER_CHECK:,} more rows with the same problem",
                )
            )


def _as_bool(mask) -> np.ndarray:
    if isinstance(mask, pd.Series):
        return mask.fillna(False).to_numpy(dtype=bool)
    return np.asarray(mask, dtype=bool)


def _to_float(raw: pd.Series, text: pd.Series) -> pd.Series:
    """Return the column as float64 with NaN where a cell is empty or not a number."""
    if pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw):
        return raw.astype("float64")
    try:  # fast path: Arrow's C++ cast reads a clean column of numbers in one pass
        cells = (
            pa.array(text.to_numpy(dtype=object), type=pa.string())
            if not isinstance(text.array, pd.arrays.ArrowStringArray)
            else pa.chunked_array(text.array._pa_array)
        )
        cells = pc.if_else(pc.equal(cells, ""), pa.scalar(None, pa.string()), cells)
        numbers = pc.cast(cells, pa.float64()).to_numpy(zero_copy_only=False)
        return pd.Series(numbers, index=raw.index, dtype="float64")
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, TypeError):
        return pd.Series(pd.to_numeric(text, errors="coerce"), index=raw.index, dtype="float64")


def _text(series: pd.Series) -> pd.Series:
    return series.astype("string").fillna("").str.strip()


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
) -> CheckedRows:
    """Return the typed rows of ``frame`` for ``table``, every issue, and which rows failed."""
    if table not in schema.COLUMNS:
        raise BenchmarkingError(f"unknown table {table!r}; importable tables are {', '.join(schema.COLUMNS)}")
    frame = frame.reset_index(drop=True)
    spec = schema.COLUMNS[table]
    check = _Checker(file_name, frame)
    if frame.shape[0] == 0:
        check.block(None, "the file has a header but no data rows")
        return CheckedRows(frame, check.issues, check.rejected, blocking=True)
    required = [c for c, kind in spec.items() if not kind.endswith("?")]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        found = [str(c) for c in frame.columns if not str(c).startswith(("_file_",))]
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
        if kind in ("float", "int") and pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw):
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
            numbers = _to_float(raw, text)
            bad = numbers.isna() & ~empty
            if text is not None:
                marked = text.str.lower().isin(_MISSING_MARKERS)
                bad &= ~marked
                empty = empty | marked
            check.flag(bad, column, lambda cell, c=column: f"'{c}' must be a number, got {str(cell)[:40]!r}")
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

    _check_domain(table, out, check)
    # Notes may apply to any authority, indicator or period, written '*'.
    wildcard = {"*"} if table == "note" else set()
    if "period" in out.columns:
        _check_periods(out, check, allowed=wildcard)
    if "authority_code" in out.columns and table != "comparator_group":
        _check_known(
            out,
            "authority_code",
            set(known_authorities) | wildcard,
            check,
            "authority",
            "import the authority table first, or correct the code or name",
        )
    if table == "comparator_group":
        known = set(known_authorities)
        _check_known(out, "member_code", known, check, "authority", "add the authority first")
        code = out["authority_code"].fillna("")
        check.flag(
            ~(code.eq("*") | code.isin(known)),
            "authority_code",
            lambda cell: f"unknown authority code {cell!r} (use '*' for a list that applies to every authority)",
        )
    if "indicator_id" in out.columns:
        _check_known(
            out,
            "indicator_id",
            set(known_indicators) | wildcard,
            check,
            "indicator",
            "import the indicator table first, or correct the id",
        )
    _check_duplicate_keys(table, out, check)
    # A wide file's row becomes several rows: report a problem with its shared cells once.
    issues = list(dict.fromkeys(check.issues))
    return CheckedRows(out.reset_index(drop=True), issues, check.rejected)


def _check_duplicate_keys(table: str, out: pd.DataFrame, check: _Checker) -> None:
    keys = list(schema.KEYS[table])
    if not all(k in out.columns for k in keys):
        return
    duplicated = out.duplicated(keys, keep=False) & out[keys].notna().all(axis=1)
    if not duplicated.any():
        return
    check.rejected |= duplicated.to_numpy()
    others = [c for c in out.columns if c not in keys]
    first_rows = out[duplicated].groupby(keys, dropna=False).head(1).index
    for key_row in first_rows[:MAX_ISSUES_PER_CHECK]:
        key = out.loc[key_row, keys]
        positions = np.flatnonzero((out[keys] == key.values).all(axis=1).to_numpy())
        rows = check.rows[positions]
        same = len(out.iloc[positions][others].drop_duplicates()) == 1 if others else True
        advice = (
            "the same values repeated: delete the repeated rows"
            if same
            else "with different values: keep the right row and delete the others"
        )
        check.issues.append(
            ValidationIssue(
                check.file_name,
                int(rows[0]),
                ", ".join(keys),
                f"duplicate key {tuple(key.values)} also on row(s) {', '.join(map(str, rows[1:6]))}, "
                f"{advice} (each key may appear once)",
            )
        )
    if len(first_rows) > MAX_ISSUES_PER_CHECK:
        check.issues.append(
            ValidationIssue(
                check.file_name,
                None,
                ", ".join(keys),
                f"... {len(first_rows) - MAX_ISSUES_PER_CHECK:,} more duplicated keys",
            )
        )


def _check_known(out: pd.DataFrame, column: str, known: set[str], check: _Checker, what: str, advice: str) -> None:
    values = out[column]
    unknown = values.notna() & ~values.isin(known)
    check.flag(unknown, column, lambda cell: f"unknown {what} {cell!r}: not in the store; {advice}")


def _check_domain(table: str, out: pd.DataFrame, check: _Checker) -> None:
    if table == "indicator" and "polarity" in out:
        mapped = out["polarity"].str.lower().map(_POLARITY_WORDS)
        check.flag(
            mapped.isna() & out["polarity"].notna(),
            "polarity",
            lambda cell: f"bad polarity {cell!r}: use one of {', '.join(schema.POLARITIES)}",
        )
        out["polarity"] = mapped
        if "target_midpoint" in out:
            no_mid = mapped.eq("target") & out["target_midpoint"].isna()
        else:
            no_mid = mapped.eq("target")
        check.flag(no_mid, "polarity", "polarity 'target' needs a target_midpoint")
    if table == "authority" and "kind" in out:
        kind = out["kind"].str.lower()
        check.flag(
            ~kind.isin(schema.AUTHORITY_KINDS) & kind.notna(),
            "kind",
            lambda cell: f"bad kind {cell!r}: use one of {', '.join(schema.AUTHORITY_KINDS)}",
        )
        out["kind"] = kind
    if table == "spend" and "service" in out:
        service = out["service"].str.lower()
        check.flag(
            ~service.isin(schema.SERVICES) & service.notna(),
            "service",
            lambda cell: f"unknown service {cell!r}: use one of {', '.join(schema.SERVICES)}",
        )
        out["service"] = service
    if table == "indicator_value":
        status = out["status"].str.lower() if "status" in out else pd.Series(None, index=out.index, dtype="object")
        check.flag(
            ~status.isin(schema.VALUE_STATUSES) & status.notna(),
            "status",
            lambda cell: f"bad status {cell!r}: use one of {', '.join(schema.VALUE_STATUSES)}",
        )
        if "period" in out:
            marked = {label: _status_from_label(label) for label in out["period"].dropna().unique()}
            marked = {label: status for label, status in marked.items() if status}
            if marked:  # only labels such as '2024 (Rev)' carry a status of their own
                status = status.fillna(out["period"].map(marked))
        out["status"] = status.fillna("final")


def _status_from_label(label: object) -> str | None:
    return period_status(label) if isinstance(label, str) else None


def _check_periods(out: pd.DataFrame, check: _Checker, allowed: set[str] = frozenset()) -> None:
    labels = [label for label in out["period"].dropna().unique() if label not in allowed]
    problems: dict[str, str] = {}
    for label in labels:  # unique labels only: a handful per file
        try:
            period_start(label)
        except BadPeriodError as error:
            problems[label] = str(error)
    if problems:
        bad = out["period"].isin(list(problems))
        check.flag(bad, "period", lambda cell: problems.get(cell, "unrecognised period"))


def period_rows(labels: Iterable[str]) -> pd.DataFrame:
    """Return period table rows (label, start_date) for the given labels."""
    unique = sorted(label for label in pd.Series(labels).dropna().unique() if isinstance(label, str))
    return pd.DataFrame({"label": unique, "start_date": [period_start(label) for label in unique]})


# -- checking a batch of files together ---------------------------------------------


@dataclass
class CheckedBatch:
    """Several (table, frame, file) items checked together: the changes to write and what failed."""

    changes: dict[str, pd.DataFrame]
    """Rows that passed, per table (plus the ``period`` rows their labels need)."""
    outcomes: list[tuple[str, str, CheckedRows]]
    """(table, file name, outcome) per item, in the order they were checked."""
    issues: list[ValidationIssue]
    blocking: bool
    """True when a problem concerns a whole file: nothing can be written until it is fixed."""

    @property
    def rejected(self) -> int:
        """Return how many rows failed a check."""
        return int(sum(outcome.rejected.sum() for _, _, outcome in self.outcomes))

    @property
    def rows(self) -> int:
        """Return how many rows were checked."""
        return sum(len(outcome.rejected) for _, _, outcome in self.outcomes)


def check_batch(
    store: Store,
    items: list[tuple[str, pd.DataFrame, str]],
    extra_authorities: Iterable[str] = (),
    extra_indicators: Iterable[str] = (),
) -> CheckedBatch:
    """Check several (table, frame, file_name) items against the store and each other.

    Authorities and indicators that pass their checks in the same batch count as known,
    so a whole dataset (catalogue plus values) can be checked and loaded at once.
    Nothing is written.
    """
    authorities, indicators = set(extra_authorities), set(extra_indicators)
    if store.exists():
        with store.reading() as con:
            authorities |= {r[0] for r in con.execute("SELECT code FROM authority").fetchall()}
            indicators |= {r[0] for r in con.execute("SELECT id FROM indicator").fetchall()}
    order = {name: i for i, name in enumerate(schema.COLUMNS)}
    items = sorted(items, key=lambda item: order.get(item[0], 99))
    tables: dict[str, list[pd.DataFrame]] = {}
    outcomes: list[tuple[str, str, CheckedRows]] = []
    issues: list[ValidationIssue] = []
    for table, frame, file_name in items:
        outcome = check(table, frame, file_name, authorities, indicators)
        outcomes.append((table, file_name, outcome))
        issues.extend(outcome.issues)
        accepted = outcome.accepted
        if table == "authority" and "code" in accepted:
            authorities |= set(accepted["code"].dropna())
        if table == "indicator" and "id" in accepted:
            indicators |= set(accepted["id"].dropna())
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
        changes["period"] = period_rows(pd.concat(labels, ignore_index=True))
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
    return CheckedBatch(changes, outcomes, issues, blocking)


# -- the import itself -----------------------------------------------------------


def prepare(
    store: Store,
    table: str,
    frame: pd.DataFrame,
    file_name: str,
    extra_authorities: Iterable[str] = (),
    extra_indicators: Iterable[str] = (),
) -> dict[str, pd.DataFrame]:
    """Validate a frame against the store; return the changes to write or raise ImportValidationError."""
    batch = check_batch(store, [(table, frame, file_name)], extra_authorities, extra_indicators)
    if batch.issues:
        raise ImportValidationError(batch.issues)
    return batch.changes


def import_frames(
    store: Store,
    items: list[tuple[str, pd.DataFrame, str]],
    dataset_name: str | None = None,
    source: str | None = None,
    file_hashes: Mapping[str, str] | None = None,
    *,
    skip_rejected: bool = False,
    settings: Mapping[str, str] | None = None,
    loaded_by: str | None = None,
) -> ImportResult:
    """Validate several (table, frame, file_name) items together and write them in one transaction.

    Authorities and indicators in the same batch count as known, so a whole dataset
    (catalogue plus values) can be loaded at once. Raises ImportValidationError,
    with every issue from every file, before anything is written; with
    ``skip_rejected`` the rows that fail a check are left out instead (a problem
    with a whole file still refuses the import). ``settings`` are saved in the same
    transaction (remembered column mappings).
    """
    batch = check_batch(store, items)
    if batch.blocking or (batch.issues and not skip_rejected):
        raise ImportValidationError(batch.issues)
    if not any(len(rows) for table, rows in batch.changes.items() if table != "period"):
        files = ", ".join(file_name for _, _, file_name in items) or "the import"
        raise ImportValidationError(
            batch.issues + [ValidationIssue(files, None, None, "no rows left to import: every row failed a check")]
        )
    files = [file_name for _, _, file_name in items]
    unique_files = list(dict.fromkeys(files))
    counts = store.write(
        batch.changes,
        dataset={
            "name": dataset_name or ", ".join(unique_files),
            "source": source,
            "kind": "imported",
            "loaded_by": loaded_by,
            "file_name": ", ".join(unique_files),
            "file_sha256": ", ".join((file_hashes or {}).get(f, "") for f in unique_files) or None,
        },
        settings=settings,
    )
    total_rows = sum(len(frame) for _, frame, _ in items)
    return ImportResult(
        ", ".join(unique_files),
        ",".join(dict.fromkeys(t for t, _, _ in items)),
        total_rows,
        counts,
        rejected=batch.rejected if skip_rejected else 0,
        issues=batch.issues if skip_rejected else [],
    )


def import_file(
    store: Store,
    path: Path | str,
    table: str,
    sheet: str | int | None = None,
    dataset_name: str | None = None,
    source: str | None = None,
) -> ImportResult:
    """Read, validate and write one tidy long file into ``table``, as one transaction."""
    path = Path(path)
    frame = read_file(path, sheet=sheet)
    return import_frames(
        store,
        [(table, frame, path.name)],
        dataset_name=dataset_name,
        source=source,
        file_hashes={path.name: file_sha256(path)},
    )
