"""The method's queries, run in DuckDB over frames handed in: frames in, a table out, nothing stored.

Each query runs on its own cursor of one in-memory database that holds no tables: the
frames are registered on the cursor as Arrow tables (label columns are handed over as they
are, without conversion; missing numbers become SQL NULL) and dropped with it, so a query
is a pure function of its inputs and queries in different threads never see each other's
frames. The rules' SQL lives beside the rule it implements (``ranking``, ``positions``,
``beside``); this module holds only the connection and the shared SQL fragments.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

_DATABASE: duckdb.DuckDBPyConnection | None = None
_LOCK = threading.Lock()


def run(query: str, tables: Mapping[str, pa.Table]) -> pa.Table:
    """Return the result of ``query`` over ``tables`` (name -> Arrow table) as an Arrow table."""
    return run_each([query], tables)[0]


def run_each(queries: Sequence[str], tables: Mapping[str, pa.Table]) -> list[pa.Table]:
    """Return the result of each query over ``tables`` (registered once, for all of them)."""
    cursor = _cursor()
    try:
        for name, table in tables.items():
            cursor.register(name, table)
        return [cursor.sql(query).to_arrow_table() for query in queries]
    finally:
        cursor.close()


def arrow_table(columns: Mapping[str, object]) -> pa.Table:
    """Return an Arrow table of ``columns`` (pandas arrays or Series, numpy arrays).

    Label columns already held as Arrow (pandas ``str``) pass over without a copy; float
    columns turn NaN into NULL, the SQL missing value.
    """
    return pa.table({name: _arrow_column(column) for name, column in columns.items()})


def numbers(table: pa.Table, column: str) -> np.ndarray:
    """Return a numeric column of a query result as float64 (NULL -> NaN)."""
    return table.column(column).to_numpy().astype(float, copy=False)


def integers(table: pa.Table, column: str) -> np.ndarray:
    """Return a whole-number column of a query result (no NULLs) as int64."""
    return table.column(column).to_numpy().astype(np.int64, copy=False)


def rounded(expression: str, decimals: int) -> str:
    """Return SQL that rounds ``expression`` to ``decimals`` places as numpy's ``round`` does:
    scale by a power of ten, round half to even, scale back (so ties match the numpy rule)."""
    power = f"(10.0::DOUBLE ** {abs(int(decimals))})"
    if decimals >= 0:
        return f"(round_even(({expression}) * {power}, 0) / {power})"
    return f"(round_even(({expression}) / {power}, 0) * {power})"


def _arrow_column(column: object) -> pa.Array | pa.ChunkedArray:
    """Return one column as Arrow: floats with NaN as NULL, labels as they are held."""
    if isinstance(column, pd.Series):
        column = column.array
    if isinstance(column, np.ndarray) and column.dtype.kind == "f":
        return pa.array(column, from_pandas=True)
    if isinstance(column, pd.api.extensions.ExtensionArray) and pd.api.types.is_float_dtype(column.dtype):
        return pa.array(column.to_numpy(dtype=float, na_value=np.nan), from_pandas=True)
    if isinstance(column, np.ndarray) and column.dtype == object:
        return pa.array(column, from_pandas=True)
    return pa.array(column)


def _cursor() -> duckdb.DuckDBPyConnection:
    """Return a new cursor on the one in-memory database (opened on first use) that reads only
    the frames registered on it (no Python variable is picked up by name)."""
    global _DATABASE
    with _LOCK:
        if _DATABASE is None:
            _DATABASE = duckdb.connect(":memory:")
        cursor = _DATABASE.cursor()
    cursor.execute("SET python_enable_replacements = false")
    return cursor
