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
import pyarrow as pa

_TEXT_KINDS = ("string", "empty")
"""What ``infer_dtype`` says of a column DuckDB writes as pandas does: text (or nothing but missing cells)."""


def _column_sql(name: object, column: pd.Series) -> str | None:
    """Return the SELECT expression writing ``column`` as pandas does, or None when DuckDB cannot."""
    quoted = _quoted(name)
    dtype = column.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return _boolean_sql(quoted)
    if pd.api.types.is_integer_dtype(dtype) or str(dtype) == "float64":
        return quoted
    if isinstance(dtype, pd.CategoricalDtype):
        kind = pd.api.types.infer_dtype(dtype.categories, skipna=True)
    elif isinstance(dtype, pd.StringDtype) or pd.api.types.is_object_dtype(dtype):
        kind = pd.api.types.infer_dtype(column, skipna=True)
    else:
        return None
    return _text_sql(quoted) if kind in _TEXT_KINDS else None


def _arrow_column_sql(name: str, kind: pa.DataType) -> str | None:
    """Return the SELECT expression writing an Arrow column of type ``kind`` as ``_column_sql``
    writes its pandas column, or None when DuckDB cannot."""
    quoted = _quoted(name)
    if pa.types.is_dictionary(kind):  # labels: written as text
        kind = kind.value_type if pa.types.is_string(kind.value_type) else pa.null()
    if pa.types.is_boolean(kind):
        return _boolean_sql(quoted)
    if pa.types.is_integer(kind) or pa.types.is_float64(kind):
        return quoted
    return _text_sql(quoted) if pa.types.is_string(kind) or pa.types.is_large_string(kind) else None


def _quoted(name: object) -> str:
    """Return a column name quoted for SQL."""
    return '"' + str(name).replace('"', '""') + '"'


def _boolean_sql(quoted: str) -> str:
    """Return the SQL writing a boolean column as pandas does: True/False, nothing when missing."""
    return f"CASE WHEN {quoted} THEN 'True' WHEN NOT {quoted} THEN 'False' END AS {quoted}"


def _text_sql(quoted: str) -> str:
    """Return the SQL writing a text column as pandas does: an empty cell unquoted, like a missing one."""
    return f"NULLIF(CAST({quoted} AS VARCHAR), '') AS {quoted}"


def write_csv(frame: pd.DataFrame, out: Path | None) -> None:
    """Write the frame (without its index) as CSV to the file ``out``, or to standard output when None.

    Returns None. The bytes are those of ``frame.to_csv(out, index=False)``.
    """
    columns = [_column_sql(name, frame[name]) for name in frame.columns]  # one per column, not per row
    if None in columns or frame.columns.has_duplicates or len(frame.columns) == 0:
        frame.to_csv(sys.stdout if out is None else out, index=False)
        return
    _copy(frame, columns, out)


def write_table(table: pa.Table, out: Path | None) -> None:
    """Write an Arrow table as CSV to the file ``out``, or to standard output when None.

    Returns None. The bytes are those ``write_csv`` writes of ``table_frame(table)``, without
    building the frame (dictionary columns are written as their labels).
    """
    columns = [_arrow_column_sql(name, table.schema.field(name).type) for name in table.column_names]
    if None in columns or len(set(table.column_names)) < len(columns) or not columns:
        write_csv(table_frame(table), out)
        return
    _copy(table, columns, out)


def labelled_table(frame: pd.DataFrame) -> pa.Table:
    """Return the frame as an Arrow table that ``write_table`` writes as ``write_csv`` writes the
    frame: text columns as dictionary columns (each label held once), nullable whole numbers as
    64-bit integers with missing cells, numbers and booleans as they are."""
    columns = {}
    for name in frame.columns:
        column = frame[name]
        if _column_sql(name, column) is None:
            raise ValueError(f"column {name!r} ({column.dtype}) has no CSV form shared with pandas")
        if pd.api.types.is_bool_dtype(column.dtype) or pd.api.types.is_numeric_dtype(column.dtype):
            columns[name] = pa.array(column, from_pandas=True)
        else:  # text (or only missing cells): labels, held once
            text = pa.array(column.to_numpy(dtype=object, na_value=None), pa.string(), from_pandas=True)
            columns[name] = text.dictionary_encode()
    return pa.table(columns)


def table_frame(table: pa.Table) -> pd.DataFrame:
    """Return the Arrow table as a frame holding what its CSV shows: 64-bit whole numbers as
    nullable integers (``Int64``: 1, not 1.0, beside a missing one), labels as categories."""
    return table.to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get)


def _copy(frame: pd.DataFrame | pa.Table, columns: list[str], out: Path | None) -> None:
    """Write ``columns`` (SELECT expressions) of the frame with DuckDB's ``COPY`` to ``out`` (None:
    standard output, through a temporary file); return None."""
    if out is None:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "export.csv"
            _copy(frame, columns, path)
            with path.open(encoding="utf-8", newline="") as written:
                shutil.copyfileobj(written, sys.stdout)
        return
    target = str(Path(out).resolve()).replace("'", "''")
    with duckdb.connect() as con:
        con.register("frame", frame)
        con.execute(f"COPY (SELECT {', '.join(columns)} FROM frame) TO '{target}' (FORMAT csv, HEADER)")
