"""CSV files written by DuckDB's ``COPY`` from a DataFrame: the bytes ``DataFrame.to_csv(index=False)``
writes, several times faster on the millions of rows of a national export.

The frame is scanned in place by an in-memory DuckDB connection (the store is not opened). The
few places where DuckDB's CSV differs from pandas' are written as pandas does: booleans as
``True``/``False``, and an empty text cell unquoted (DuckDB quotes it to tell it from a missing
one; pandas writes both as nothing). Frames holding other kinds of columns (dates, mixed
objects, 32-bit floats) are written by pandas, whose formats DuckDB does not share.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import duckdb
import pandas as pd

_TEXT_KINDS = ("string", "empty")
"""What ``infer_dtype`` says of a column DuckDB writes as pandas does: text (or nothing but missing cells)."""


def _column_sql(name: object, column: pd.Series) -> str | None:
    """Return the SELECT expression writing ``column`` as pandas does, or None when DuckDB cannot."""
    quoted = '"' + str(name).replace('"', '""') + '"'
    dtype = column.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return f"CASE WHEN {quoted} THEN 'True' WHEN NOT {quoted} THEN 'False' END AS {quoted}"
    if pd.api.types.is_integer_dtype(dtype) or str(dtype) == "float64":
        return quoted
    if isinstance(dtype, pd.CategoricalDtype):
        kind = pd.api.types.infer_dtype(dtype.categories, skipna=True)
    elif isinstance(dtype, pd.StringDtype) or pd.api.types.is_object_dtype(dtype):
        kind = pd.api.types.infer_dtype(column, skipna=True)
    else:
        return None
    return f"NULLIF(CAST({quoted} AS VARCHAR), '') AS {quoted}" if kind in _TEXT_KINDS else None


def write_csv(frame: pd.DataFrame, out: Path | None) -> None:
    """Write the frame (without its index) as CSV to the file ``out``, or to standard output when None.

    Returns None. The bytes are those of ``frame.to_csv(out, index=False)``.
    """
    columns = [_column_sql(name, frame[name]) for name in frame.columns]  # one per column, not per row
    if None in columns or frame.columns.has_duplicates or len(frame.columns) == 0:
        frame.to_csv(sys.stdout if out is None else out, index=False)
        return
    if out is None:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "export.csv"
            write_csv(frame, path)
            with path.open(encoding="utf-8", newline="") as written:
                shutil.copyfileobj(written, sys.stdout)
        return
    target = str(Path(out).resolve()).replace("'", "''")
    with duckdb.connect() as con:
        con.register("frame", frame)
        con.execute(f"COPY (SELECT {', '.join(columns)} FROM frame) TO '{target}' (FORMAT csv, HEADER)")
