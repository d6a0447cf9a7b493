"""Limits on what an import reads: file size, rows, columns and cells, checked before the cells are read.

A file's size is checked before it is opened; a Parquet file's rows and columns from its
metadata (``pyarrow``), a sheet's from its declared dimension (and the rows met while its
XML is scanned), so a small file that unpacks into millions of rows is refused without
reading it.
"""

from __future__ import annotations

import re
from pathlib import Path

from benchmarking.errors import ImportValidationError, ValidationIssue

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_COLUMNS = 500
MAX_ROWS = 3_000_000
"""Rows a Parquet file or a sheet may hold, read from the file's metadata before its cells are read
(a Parquet file compresses 20 million rows into 300 kB). Reading and checking 3 million long rows
peaks at about 815 MB, 4 million at 1.06 GB and 6 million at 1.39 GB
(``benchmarks/import_largest_memory.py``), so 3 million keeps an import under 1 GB."""
MAX_CELLS = 12_000_000
"""Cells (rows times columns) a Parquet file or a sheet may hold, checked the same way."""


def check_size(file_name: str, size: int) -> None:
    """Raise ImportValidationError when a file is over the size limit (``MAX_FILE_BYTES``)."""
    if size > MAX_FILE_BYTES:
        raise single_issue(
            file_name,
            f"the file is {_human_size(size)}, over the {_human_size(MAX_FILE_BYTES)} "
            "upload limit: split it into smaller files (for example one per year) "
            "or save it as Parquet",
        )


def check_shape(file_name: str, rows: int, columns: int, where: str = "the file") -> None:
    """Raise ImportValidationError when a file's rows or cells (from its metadata) are over the limits."""
    if rows > MAX_ROWS or rows * max(columns, 1) > MAX_CELLS:
        raise single_issue(
            file_name,
            f"{where} holds {rows:,} rows and {columns:,} columns ({rows * columns:,} cells), over the limit of "
            f"{MAX_ROWS:,} rows and {MAX_CELLS:,} cells: split it into smaller files (for example one per year)",
        )


def check_parquet_shape(path: Path) -> None:
    """Refuse a Parquet file whose metadata declares too many rows or cells, before reading a cell."""
    import pyarrow.parquet as pq

    metadata = pq.ParquetFile(path).metadata
    check_shape(path.name, metadata.num_rows, metadata.num_columns)


def _human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):,.1f} MB"
    if size >= 1024:
        return f"{size / 1024:,.1f} kB"
    return f"{size:,} bytes"


def dimension(ref: str) -> tuple[int, int]:
    """Return (rows, columns) of a sheet's declared dimension such as ``A1:D200`` ((0, 0) if unreadable)."""
    m = re.fullmatch(r"\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?", ref.strip().upper())
    if not m or not m.group(3):
        return 0, 0
    first, last = (sum((ord(c) - 64) * 26**i for i, c in enumerate(reversed(g))) for g in (m.group(1), m.group(3)))
    return int(m.group(4)) - int(m.group(2)) + 1, last - first + 1


def single_issue(file_name: str, message: str, column: str | None = None) -> ImportValidationError:
    """Return an ImportValidationError holding one issue about the whole file."""
    return ImportValidationError([ValidationIssue(file_name, None, column, message)])
