"""Reading the files people import: CSV, XLSX and Parquet cells as text, with clear errors.

Every refusal names the file and says what to do: a file over the size limit, an empty
file, text that is not UTF-8, a workbook with merged cells or formulas without a saved
result, a header with blank or repeated names. Also the SHA-256 recorded with each import.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import hashlib
import io
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from xml.etree import ElementTree

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from benchmarking.errors import BenchmarkingError, ImportValidationError, ValidationIssue
from benchmarking.ingest.limits import (  # noqa: F401 (MAX_FILE_BYTES: read by the upload page)
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    check_parquet_shape,
    check_shape,
    check_size,
    dimension,
)

SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm", ".parquet")


def read_file(
    path: Path | str,
    sheet: str | int | None = None,
    keep_case: bool = False,
    progress: Callable[[float, str], None] | None = None,
    encoded: bool = False,
) -> pd.DataFrame:
    """Return a file's cells as text (CSV, XLSX or Parquet); raise a clear error if unreadable.

    Column names are stripped of spaces and a byte-order mark, and lower-cased unless
    ``keep_case`` (the mapping step keeps them as published, to name them in messages).
    ``progress(fraction, text)`` is told how much of a CSV file has been read, block by block.
    ``encoded``: a CSV column of few distinct cells (codes, ids, periods) is read as encoded text
    (``keys.is_encoded``), so that the checks look at each distinct cell once.
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
        raise _single_issue(name, "the file is empty (0 bytes): choose the file that holds the data")
    suffix = path.suffix.lower()
    kind = {".parquet": "Parquet", ".xlsx": "Excel", ".xlsm": "Excel"}.get(suffix, "CSV")
    try:
        if suffix in (".csv", ".txt"):
            frame = _read_csv(path, progress, encoded)
        elif suffix in (".xlsx", ".xlsm"):
            frame = _read_xlsx(path, sheet)
        elif suffix == ".parquet":
            check_parquet_shape(path)
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


def _read_csv(path: Path, progress: Callable[[float, str], None] | None = None, encoded: bool = False) -> pd.DataFrame:
    """Read a CSV as text: comma, semicolon or tab delimited; lines ending in LF, CRLF or CR alone."""
    with path.open("rb") as handle:
        head = handle.read(64 * 1024)
    text = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)  # raises on non-UTF-8 text
    source: Path | io.BytesIO = path
    if b"\r" in head and b"\n" not in head:  # lines ending in CR alone (old Mac files): read them as lines
        source = io.BytesIO(path.read_bytes().replace(b"\r", b"\n"))
        head, text = head.replace(b"\r", b"\n"), text.replace("\r", "\n")
    first_line = head.split(b"\n", 1)[0]
    header_text = text.split("\n", 1)[0]
    if b"\n" not in head and len(head) < path.stat().st_size:  # a header longer than the head: read it whole
        with path.open("rb") if source is path else contextlib.nullcontext(source) as lines:
            first_line = lines.readline().rstrip(b"\n")
            lines.seek(0)
        header_text = first_line.decode("utf-8-sig")
    sep = max((",", ";", "\t"), key=lambda mark: (first_line.count(mark.encode()), mark == ","))
    header = next(csv.reader([header_text.rstrip("\r")], delimiter=sep), [])
    if len(head) == path.stat().st_size and not text.rstrip("\r\n").count("\n"):
        return pd.DataFrame({name: pd.Series([], dtype=str) for name in header})  # a header and no rows
    if progress is not None and header and source is path:
        return _read_csv_in_blocks(path, sep, header, progress, _few_distinct(head, sep, header) if encoded else set())
    if not header:  # the first line is empty: pandas takes the first line with cells as the header
        return pd.read_csv(source, dtype=str, keep_default_na=False, sep=sep, encoding="utf-8-sig", engine="pyarrow")
    names = [f"column_{i}" for i in range(len(header))]
    few = _few_distinct(head, sep, names) if encoded else set()
    frame = pacsv.read_csv(source, **_csv_options(sep, names, few=few)).to_pandas()
    frame.columns = header  # as written (repeated or blank names too), so that the header check can name them
    return frame


def _csv_options(sep: str, names: list[str], block_size: int | None = None, few: set[int] = frozenset()) -> dict:
    """Return pyarrow's CSV options for a file's rows after its header: every cell as text, an empty cell ''.

    The columns at the positions ``few`` are read as encoded text (``keys.is_encoded``: Arrow dictionaries,
    pandas Categoricals), each distinct cell kept once, as the reader meets them.
    """
    read = pacsv.ReadOptions(column_names=names, skip_rows=1)
    if block_size:
        read.block_size = block_size
    encoded = pa.dictionary(pa.int32(), pa.string())
    return {
        "read_options": read,
        "parse_options": pacsv.ParseOptions(delimiter=sep),
        "convert_options": pacsv.ConvertOptions(
            column_types={n: encoded if i in few else pa.string() for i, n in enumerate(names)},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    }


def _few_distinct(head: bytes, sep: str, names: list[str]) -> set[int]:
    """Return the positions of the columns whose cells in the file's first rows (``head``, its first bytes) are few
    distinct ones (codes, ids, periods: at most one in ten); none when those rows cannot be read apart."""
    rows = head[: head.rfind(b"\n") + 1]
    try:
        sample = pacsv.read_csv(io.BytesIO(rows), **_csv_options(sep, [f"column_{i}" for i in range(len(names))]))
    except (pa.ArrowInvalid, UnicodeDecodeError):
        return set()
    return {
        i
        for i, column in enumerate(sample.columns)
        if len(column) and pc.count_distinct(column).as_py() * 10 <= len(column)
    }


def _read_csv_in_blocks(
    path: Path, sep: str, header: list[str], progress: Callable[[float, str], None], few: set[int]
) -> pd.DataFrame:
    """Read a CSV as text block by block (1 MB each), telling ``progress`` how far it has got.

    Gives the same frame as the one-call read (tested), which is used when nobody watches.
    """
    names = [f"column_{i}" for i in range(len(header))]
    size = max(path.stat().st_size, 1)
    batches = []
    with path.open("rb") as handle:
        reader = pacsv.open_csv(handle, **_csv_options(sep, names, block_size=1 << 20, few=few))
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
    errors = _inspect_sheet(path, sheet, sheets[sheet])
    # openpyxl reads the values Excel cached for formulas, never the formula text. Cells are
    # read as written: '#N/A' typed as text stays text, refused like the same text in a CSV.
    cells = pd.read_excel(
        path, sheet_name=sheet, dtype=str, engine="openpyxl", header=None, keep_default_na=False, na_values=[]
    )
    if cells.empty:
        raise _single_issue(name, f"sheet {sheet!r} is empty: choose the sheet that holds the data")
    header = ["" if pd.isna(cell) else str(cell) for cell in cells.iloc[0]]
    if errors:
        raise ImportValidationError([_error_issue(name, ref, text, header) for ref, text in errors[:20]])
    frame = cells.iloc[1:].reset_index(drop=True)
    frame.columns = header
    return frame


def _error_issue(file_name: str, ref: str, text: str, header: list[str]) -> ValidationIssue:
    """Return the issue for a cell holding a spreadsheet error (``#DIV/0!``), at its row and column."""
    letters, digits = re.match(r"([A-Z]*)(\d*)", ref).groups()
    position = 0
    for letter in letters:
        position = position * 26 + ord(letter) - ord("A") + 1
    column = header[position - 1] if 0 < position <= len(header) and header[position - 1] else f"column {letters}"
    return ValidationIssue(
        file_name,
        int(digits) if digits else None,
        column,
        f"cell {ref} holds the spreadsheet error {text!r}, not a value: correct the formula, or clear the cell "
        "if no value was published",
    )


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


def _inspect_sheet(path: Path, sheet: str, part: str) -> list[tuple[str, str]]:
    """Return the cells holding a spreadsheet error (reference, text such as ``#DIV/0!``).

    Raise when the sheet has merged cells, formulas without a saved (cached) result, or
    more rows or cells than the limits (from its declared dimension, else as rows are met).
    """
    merged: list[str] = []
    uncached: list[str] = []
    errors: list[tuple[str, str]] = []
    rows = columns = 0
    with zipfile.ZipFile(path) as archive, archive.open(part) as stream:
        for _, element in ElementTree.iterparse(stream):
            if element.tag == f"{_SHEET_NS}dimension":
                rows, columns = dimension(element.get("ref", ""))
                check_shape(path.name, rows, columns, f"sheet {sheet!r}")
            elif element.tag == f"{_SHEET_NS}c":
                if element.get("t") == "e":
                    errors.append((element.get("r", "?"), element.findtext(f"{_SHEET_NS}v") or "#ERROR"))
                formula = element.find(f"{_SHEET_NS}f")
                if formula is not None and element.get("t") != "str":
                    value = element.find(f"{_SHEET_NS}v")
                    if value is None or not (value.text or "").strip():
                        uncached.append(element.get("r", "?"))
                element.clear()
            elif element.tag == f"{_SHEET_NS}mergeCell":
                merged.append(element.get("ref", "?"))
            elif element.tag == f"{_SHEET_NS}row":
                rows_met = int(element.get("r") or 0)
                if rows_met > MAX_ROWS:
                    check_shape(path.name, rows_met, columns, f"sheet {sheet!r}")
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
    return errors


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
