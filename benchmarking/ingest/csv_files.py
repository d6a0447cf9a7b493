"""Reading CSV files as text: the header found below any blank lines and read whole, the separator told from it,
and the rows pyarrow cannot split as the header is named at their rows.

Rows are numbered as a spreadsheet shows the file (``reading``): pyarrow counts records, so a quoted cell over
two lines is one row, and blank lines (above the header too) are counted. A line of spaces or tabs alone is the
blank row it looks like (in a file of one column too): left out, counted. A row with more or fewer cells than the
header is refused at its row. The usual file has neither and pays nothing for them: pyarrow calls ``_RowsApart``
only for a row it cannot split.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from benchmarking.errors import ImportValidationError, ValidationIssue
from benchmarking.ingest.limits import single_issue

_HEADER_LINES = 10
"""The most lines a header's names are read over (a quoted name holding line breaks)."""
WRONG_ROWS_SHOWN = 10
"""Rows with more or fewer cells than the header that are named before the reading stops."""
BLANK = " \t\r\n"
"""What a blank line or cell holds (a line of these alone is a blank row, and a sheet row of such cells)."""


def read_csv(
    path: Path, progress: Callable[[float, str], None] | None = None, encoded: bool = False
) -> tuple[pd.DataFrame, int, list[int]]:
    """Return a CSV's rows as text (comma, semicolon or tab delimited; lines ending in LF, CRLF or CR alone), the
    spreadsheet row of the first one, and the rows of the lines of spaces or tabs alone that were left out.

    A blank line is kept as a row of empty cells (``reading._blank_rows_apart`` counts it). Refuse a file of blank
    lines alone, and the rows with more or fewer cells than the header, naming them.
    """
    with path.open("rb") as handle:
        head = handle.read(64 * 1024)
    text = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)  # raises on non-UTF-8 text
    source: Path | bytes = path
    if b"\r" in head and b"\n" not in head:  # lines ending in CR alone (old Mac files): read them as lines
        source = path.read_bytes().replace(b"\r", b"\n")
        head, text = head.replace(b"\r", b"\n"), text.replace("\r", "\n")
    above, header_text, header_lines = _header_line(source)
    if header_text is None:
        raise single_issue(
            path.name,
            "the file is empty (blank lines only: no header, no rows): choose the file that holds the data",
        )
    sep = max((",", ";", "\t"), key=lambda mark: (header_text.count(mark), mark == ","))
    header = next(csv.reader([header_text], delimiter=sep), [])
    if len(head) == path.stat().st_size and not text.strip(BLANK).count("\n"):
        return pd.DataFrame([], columns=header, dtype=str), above + 2, []  # a header and no rows (names as written)
    names = [f"column_{i}" for i in range(len(header))]
    few = _few_distinct(head, sep, names, above + header_lines) if encoded else set()
    options = _csv_options(sep, names, few=few, skip_rows=above + header_lines)
    if progress is not None and header and source is path:
        frame, left_out = _read_rows(
            path.name, sep, lambda o: _read_csv_in_blocks(path, o, progress), options, header_lines - 1
        )
    else:
        frame, left_out = _read_rows(
            path.name, sep, lambda o: pacsv.read_csv(_opened(source), **o).to_pandas(), options, header_lines - 1
        )
    if len(names) == 1:
        frame, left_out = _spaces_apart(frame, above + 2, left_out)
    frame.columns = header  # as written (repeated or blank names too), so that the header check can name them
    return frame, above + 2, left_out


def _spaces_apart(frame: pd.DataFrame, first_row: int, left_out: list[int]) -> tuple[pd.DataFrame, list[int]]:
    """Return a one-column file's rows without its lines of spaces or tabs alone, and the rows left out with theirs.

    pyarrow splits such a line into the one cell a row of this file has (it is no row of the wrong width, as in a
    file of more columns), so the cells are looked at here: one comparison per cell, in a file of one column only.
    """
    cells = frame.iloc[:, 0].astype(str)
    spaces = (cells.str.strip(BLANK).eq("") & cells.ne("")).to_numpy(dtype=bool)
    if not spaces.any():
        return frame, left_out
    rows = np.delete(
        np.arange(len(frame) + len(left_out)) + first_row, np.asarray(left_out, dtype=np.int64) - first_row
    )
    kept = frame.iloc[np.flatnonzero(~spaces)].reset_index(drop=True)
    return kept, sorted([*left_out, *rows[spaces].tolist()])


def _opened(source: Path | bytes) -> Path | io.BytesIO:
    """Return a path as it is, bytes as a file read from their start."""
    return io.BytesIO(source) if isinstance(source, bytes) else source


def _header_line(source: Path | bytes) -> tuple[int, str | None, int]:
    """Return how many blank lines (spaces or tabs alone too) are above a CSV's header, the header, read whole however
    long it is (None when every line is blank), and how many lines it takes: a quoted name holding a line break
    goes on over the next lines, up to ``_HEADER_LINES`` (its quotes are counted: an escaped quote is two)."""
    with source.open("rb") if isinstance(source, Path) else io.BytesIO(source) as lines:
        for above, line in enumerate(lines):
            header_text = line.decode("utf-8-sig" if above == 0 else "utf-8")
            if header_text.strip(BLANK):
                record, taken = header_text, 1
                while record.count('"') % 2 and taken < _HEADER_LINES and (more := lines.readline()):
                    record, taken = record + more.decode("utf-8"), taken + 1
                if record.count('"') % 2:  # a quote never closed: the first line alone, refused row by row
                    record, taken = header_text, 1
                return above, record.rstrip("\r\n"), taken
    return 0, None, 0


class _RowsApart:
    """pyarrow's ``invalid_row_handler``: a line of spaces or tabs alone is left out (its row kept in ``blank``); a row
    with more or fewer cells than the header is kept in ``wrong``, the reading stopped at the ``WRONG_ROWS_SHOWN``th.

    pyarrow numbers the rows only when it reads in one thread: without a number the reading is stopped
    (``unnumbered``), to be done again in one thread.
    """

    def __init__(self, lines_over: int = 0) -> None:
        self.lines_over = lines_over  # pyarrow counts the header's lines, a spreadsheet one row
        self.blank: list[int] = []
        self.wrong: list[tuple[int, int, int, str]] = []
        self.unnumbered = False

    def __call__(self, row) -> str:
        if row.number is None:
            self.unnumbered = True
            return "error"
        number = row.number - self.lines_over
        if not row.text.strip(BLANK):
            self.blank.append(number)
            return "skip"
        self.wrong.append((number, row.actual_columns, row.expected_columns, row.text))
        return "skip" if len(self.wrong) < WRONG_ROWS_SHOWN else "error"

    def issues(self, file_name: str, sep: str) -> list[ValidationIssue]:
        """Return a refusal for each row with more or fewer cells than the header, and one when the reading stopped."""
        issues = []
        for number, cells, wanted, text in self.wrong:
            advice = (
                "give it the missing cells (an empty cell is two separators side by side)"
                if cells < wanted
                else f"put quotes around a cell that holds '{sep}' (\"1{sep}5\"), or delete the extra separators"
            )
            issues.append(
                ValidationIssue(
                    file_name,
                    number,
                    None,
                    f"row {number} has {cells} cell(s) where the header has {wanted} (it reads {text[:80]!r}): "
                    + advice,
                )
            )
        if len(self.wrong) == WRONG_ROWS_SHOWN:
            issues.append(
                ValidationIssue(
                    file_name,
                    None,
                    None,
                    f"the reading stopped after {WRONG_ROWS_SHOWN} such rows: are the rows split by '{sep}' "
                    "as the header is?",
                )
            )
        return issues


def _read_rows(
    file_name: str, sep: str, read: Callable[[dict], pd.DataFrame], options: dict, lines_over: int = 0
) -> tuple[pd.DataFrame, list[int]]:
    """Return ``read(options)``, the file's rows without its lines of spaces or tabs alone, and those lines' rows;
    refuse the rows with more or fewer cells than the header at their rows.

    ``lines_over``: the lines the header takes after its first (a name over several lines), which pyarrow counts in
    its row numbers. Read in threads; in one thread (which numbers the rows) again only when a row cannot be split
    as the header is.
    """
    for use_threads in (True, False):
        rows = _RowsApart(lines_over)
        options["read_options"].use_threads = use_threads
        options["parse_options"].invalid_row_handler = rows
        try:
            frame = read(options)
            break
        except pa.ArrowInvalid:
            if rows.unnumbered:
                continue
            if len(rows.wrong) < WRONG_ROWS_SHOWN:
                raise  # not a row of the wrong width: reported as the file being unreadable
            break
    if rows.wrong:
        raise ImportValidationError(rows.issues(file_name, sep))
    return frame, rows.blank


def _csv_options(sep: str, names: list[str], few: set[int] = frozenset(), skip_rows: int = 1) -> dict:
    """Return pyarrow's CSV options for a file's rows after its header (``skip_rows`` lines): every cell as text, an
    empty cell '', a blank line a row of empty cells (so that the rows after it keep their numbers).

    The columns at the positions ``few`` are read as encoded text (``cells.is_encoded``: Arrow dictionaries,
    pandas Categoricals), each distinct cell kept once, as the reader meets them.
    """
    read = pacsv.ReadOptions(column_names=names, skip_rows=skip_rows)
    encoded = pa.dictionary(pa.int32(), pa.string())
    return {
        "read_options": read,
        "parse_options": pacsv.ParseOptions(delimiter=sep, ignore_empty_lines=False),
        "convert_options": pacsv.ConvertOptions(
            column_types={n: encoded if i in few else pa.string() for i, n in enumerate(names)},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    }


def _few_distinct(head: bytes, sep: str, names: list[str], skip_rows: int = 1) -> set[int]:
    """Return the positions of the columns whose cells in the file's first rows (``head``, its first bytes) are few
    distinct ones (codes, ids, periods: at most one in ten); none when those rows cannot be read apart."""
    rows = head[: head.rfind(b"\n") + 1]
    options = _csv_options(sep, names, skip_rows=skip_rows)
    options["parse_options"].invalid_row_handler = lambda row: "skip"  # refused, at its row, by the reading itself
    try:
        sample = pacsv.read_csv(io.BytesIO(rows), **options)
    except (pa.ArrowInvalid, UnicodeDecodeError):
        return set()
    return {
        i
        for i, column in enumerate(sample.columns)
        if len(column) and pc.count_distinct(column).as_py() * 10 <= len(column)
    }


def _read_csv_in_blocks(path: Path, options: dict, progress: Callable[[float, str], None]) -> pd.DataFrame:
    """Read a CSV as text block by block (1 MB each), telling ``progress`` how far it has got.

    Gives the same frame as the one-call read (tested), which is used when nobody watches.
    """
    size = max(path.stat().st_size, 1)
    options["read_options"].block_size = 1 << 20
    batches = []
    with path.open("rb") as handle:
        reader = pacsv.open_csv(handle, **options)
        progress(0.0, f"Reading {path.name} ...")
        for batch in reader:
            batches.append(batch)
            done = min(handle.tell() / size, 1.0)
            progress(done, f"Reading {path.name}: {done * size / 1e6:,.1f} of {size / 1e6:,.1f} MB")
        schema = reader.schema
    frame = pa.Table.from_batches(batches, schema=schema).to_pandas()
    progress(1.0, f"Read {path.name}: {len(frame):,} rows")
    return frame
