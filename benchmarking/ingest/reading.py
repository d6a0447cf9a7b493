"""Reading the files people import: CSV, XLSX and Parquet cells as text, with clear errors.

Every refusal names the file and says what to do: a file over the size limit, an empty
file (or one of blank lines alone), text that is not UTF-8, a CSV row with more or fewer cells than the header
(``csv_files``), a workbook with merged cells or formulas without a saved result (``workbooks``), a header with
blank or repeated names. Also the SHA-256 recorded with each import.

Rows are numbered as a spreadsheet shows the file (the header is row 1): a blank row (a blank line, spaces,
tabs or separators alone, an empty sheet row) is no data row, but it is counted, so a file with
blank rows carries ``results.FILE_ROW``, each row's number (``_blank_rows_apart``).
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarking.errors import BenchmarkingError, ImportValidationError, ValidationIssue
from benchmarking.ingest.csv_files import read_csv
from benchmarking.ingest.limits import (  # noqa: F401 (MAX_FILE_BYTES: read by the upload page)
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    check_parquet_shape,
    check_size,
    single_issue,
)
from benchmarking.ingest.results import FILE_ROW
from benchmarking.ingest.workbooks import read_xlsx, sheet_names
from benchmarking.text.escaping import spreadsheet_read, spreadsheet_read_column

SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm", ".parquet")


@dataclass(frozen=True)
class FileCells:
    """A file's cells as ``read_cells`` reads them: the frame, each row's spreadsheet row, the percentage cells."""

    frame: pd.DataFrame
    rows: np.ndarray | None
    """Each row's spreadsheet row when the file has blank rows before some; None: row = position + 2."""
    percent: dict[str, np.ndarray] = field(default_factory=dict)
    """Column -> the rows (positions) of the workbook cells formatted as percentages, read as the numbers they show
    (``percent_cells``); empty for a CSV or Parquet file."""


def read_file(
    path: Path | str,
    sheet: str | int | None = None,
    keep_case: bool = False,
    progress: Callable[[float, str], None] | None = None,
    encoded: bool = False,
) -> pd.DataFrame:
    """Return a file's cells as text (CSV, XLSX or Parquet), with ``results.FILE_ROW`` when it has blank rows
    before a data row (``read_cells``; a workbook cell formatted as a percentage read as stored, 0.041: the
    readers of basket files and adapters check no unit); raise a clear error if unreadable."""
    cells = read_cells(path, sheet, keep_case, progress, encoded, percent_as_shown=False)
    frame = cells.frame
    if cells.rows is not None:
        frame[FILE_ROW] = cells.rows
    return frame


def read_cells(
    path: Path | str,
    sheet: str | int | None = None,
    keep_case: bool = False,
    progress: Callable[[float, str], None] | None = None,
    encoded: bool = False,
    percent_as_shown: bool = True,
) -> FileCells:
    """Return a file's cells as text (CSV, XLSX or Parquet); raise a clear error if unreadable.

    Column names are stripped of spaces and a byte-order mark, a name over several lines read with a space for each
    line break, and lower-cased unless
    ``keep_case`` (the mapping step keeps them as published, to name them in messages).
    ``progress(fraction, text)`` is told how much of a CSV file has been read, block by block.
    ``encoded``: a CSV column of few distinct cells (codes, ids, periods) is read as encoded text
    (``cells.is_encoded``), so that the checks look at each distinct cell once. Blank rows of a CSV or XLSX file
    are left out; when one comes before a data row, the frame carries ``results.FILE_ROW`` (each row's
    spreadsheet row, header = row 1), else row = position + 2. A workbook's number cells formatted as percentages
    read as the numbers they show (``FileCells.percent``), unless not ``percent_as_shown``.
    """
    path = Path(path)
    name = path.name
    if not path.exists():
        raise BenchmarkingError(f"{name}: file not found at {path}")
    if path.is_dir():
        raise BenchmarkingError(
            f"{path} is a folder, not a file: give the path of a .csv, .xlsx or .parquet file in it"
        )
    size = path.stat().st_size
    check_size(name, size)
    if size == 0:
        raise single_issue(name, "the file is empty (0 bytes): choose the file that holds the data")
    suffix = path.suffix.lower()
    kind = {".parquet": "Parquet", ".xlsx": "Excel", ".xlsm": "Excel"}.get(suffix, "CSV")
    rows, first_row, percent = None, 2, {}
    try:
        if suffix in (".csv", ".txt"):
            frame, first_row, left_out = read_csv(path, progress, encoded)
            frame, rows = _blank_rows_apart(_spreadsheet_read(frame), first_row, left_out)
        elif suffix in (".xlsx", ".xlsm"):
            frame, first_row, percent = read_xlsx(path, sheet, percent_as_shown)
            frame = _spreadsheet_read(frame)
            frame, rows = _blank_rows_apart(frame, first_row)
            if rows is not None:  # a cell with a number is in no blank row: find its row among those kept
                percent = {c: np.searchsorted(rows, found + first_row) for c, found in percent.items()}
        elif suffix == ".parquet":
            check_parquet_shape(path)
            frame = pd.read_parquet(path)
        else:
            raise single_issue(name, f"unsupported file type '{suffix or 'none'}': use .csv, .xlsx or .parquet")
    except BenchmarkingError:
        raise
    except UnicodeDecodeError as error:
        raise single_issue(name, _NOT_UTF8.format(detail=f"{error.reason} at byte {error.start:,}")) from error
    except Exception as error:
        text = str(error)
        if "utf8" in text.lower().replace("-", ""):
            raise single_issue(name, _NOT_UTF8.format(detail=text[:120])) from error
        hint = {
            "Parquet": "is the file complete (not truncated) and really Parquet?",
            "Excel": "is it really an .xlsx workbook? Open it in Excel and save it as .xlsx",
            "CSV": "check that every row has as many cells as the header",
        }[kind]
        raise single_issue(
            name,
            f"cannot be read as {'an' if kind == 'Excel' else 'a'} {kind} file ({hint}): "
            f"{type(error).__name__}: {text[:300]}",
        ) from error
    if frame.shape[1] > MAX_COLUMNS:
        raise single_issue(
            name,
            f"the file has {frame.shape[1]:,} columns, over the limit of {MAX_COLUMNS}: "
            "is it a long or wide table of values? Remove the columns you do not import",
        )
    columns = [_LINE_BREAKS.sub(" ", str(c).strip().lstrip("\ufeff").strip()) for c in frame.columns]
    frame.columns = columns if keep_case else [c.lower() for c in columns]
    _check_header(name, list(frame.columns), first_row - 1)
    return FileCells(frame, rows, {frame.columns[c]: found for c, found in percent.items()})


def _spreadsheet_read(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a CSV or XLSX file's cells and header as a spreadsheet reads them: a cell our exports wrote with a
    ``'`` before ``= + - @`` (``escaping.spreadsheet_cell``, so that a spreadsheet does not run it) without the
    ``'``, so a name exported and imported back is the same name; ``'Tis`` stays as written."""
    frame.columns = [spreadsheet_read(column) for column in frame.columns]
    for position in range(frame.shape[1]):
        column = frame.iloc[:, position]
        read = spreadsheet_read_column(column)
        if read is not column:
            frame.isetitem(position, read)
    return frame


def file_rows(frame: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray | None]:
    """Return a read file's cells without the ``FILE_ROW`` locator, and each row's spreadsheet row that it held
    (None when the file has no blank row before a data row: row = position + 2)."""
    if FILE_ROW not in frame.columns:
        return frame, None
    return frame.drop(columns=FILE_ROW), frame[FILE_ROW].to_numpy()


def _blank_rows_apart(
    frame: pd.DataFrame, first_row: int = 2, left_out: list[int] = ()
) -> tuple[pd.DataFrame, np.ndarray | None]:
    """Return a file's rows without its blank ones (every cell empty), and each kept row's spreadsheet row, None when
    that is position + 2 (no blank row before a kept one, the data starting on row 2).

    ``left_out`` are the rows of blank lines the reader already left out (``csv_files``: spaces or tabs alone). The
    usual file has no empty cell in its first encoded column (or its first column): looking costs a look at
    its labels (or a comparison per cell); further columns are looked at only in the rows still blank.
    """
    blank = None
    order = sorted(range(frame.shape[1]), key=lambda i: not isinstance(frame.dtypes.iloc[i], pd.CategoricalDtype))
    for i in order:
        cells = frame.iloc[:, i] if blank is None else frame.iloc[blank, i]
        if isinstance(cells.dtype, pd.CategoricalDtype) and "" not in cells.cat.categories:
            blank = np.zeros(0, dtype=np.int64)  # encoded text with no empty label has no empty cell
            break
        found = np.flatnonzero(cells.eq("").to_numpy(dtype=bool, na_value=False))
        blank = found if blank is None else blank[found]
        if not len(blank):
            break
    if (blank is None or not len(blank)) and not len(left_out):
        return frame, None if first_row == 2 else np.arange(len(frame)) + first_row
    rows = np.arange(len(frame) + len(left_out)) + first_row
    rows = np.delete(rows, np.asarray(left_out, dtype=np.int64) - first_row)
    if blank is not None and len(blank):
        kept = np.ones(len(frame), dtype=bool)
        kept[blank] = False
        positions = np.flatnonzero(kept)
        frame, rows = frame.iloc[positions].reset_index(drop=True), rows[positions]
    if first_row == 2 and (not len(rows) or rows[-1] == len(rows) + 1):  # blank rows at the end only
        return frame, None
    return frame, rows


_LINE_BREAKS = re.compile(r"[ \t]*[\r\n]+[ \t]*")
"""Line breaks in a header name (a quoted CSV cell or a sheet cell over several lines): read as one space."""
_NOT_UTF8 = "the file is not UTF-8 text ({detail}); in Excel use Save As > 'CSV UTF-8', or re-save it as UTF-8"


def _check_header(name: str, columns: list[str], header_row: int = 1) -> None:
    """Refuse a header with a blank or repeated column name, at its row (after any blank lines above it)."""
    issues = []
    for position, column in enumerate(columns, start=1):
        if column == "" or re.fullmatch(r"unnamed: \d+", column, flags=re.I):
            issues.append(
                ValidationIssue(
                    name,
                    header_row,
                    None,
                    f"column {position} has no name in the header row (row {header_row}): "
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
                    header_row,
                    column,
                    f"the header names column '{column}' twice (columns {seen[key]} and "
                    f"{position}): rename one of them",
                )
            )
        seen.setdefault(key, position)
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
    encoded: bool = False,
) -> pd.DataFrame:
    """Return an uploaded file's cells as text, read exactly as ``read_file`` reads a path."""
    with uploaded_file(file_name, data) as path:
        return read_file(path, sheet=sheet, keep_case=keep_case, progress=progress, encoded=encoded)


def upload_sheet_names(file_name: str, data: bytes) -> list[str]:
    """Return the sheet names of an uploaded XLSX workbook."""
    with uploaded_file(file_name, data) as path:
        return sheet_names(path)


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
