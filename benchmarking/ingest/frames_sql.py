"""Set-based queries over the frames an import checks, in an in-memory DuckDB connection.

The frames are handed to DuckDB as Arrow tables (text columns zero-copy), so a check over
millions of rows (a repeated key, the distinct keys of a file) is one query, not a Python
loop. Nothing here touches the store: ``store/`` is the only place that opens the file.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pyarrow as pa


def query_frames(sql: str, **frames: pd.DataFrame) -> pd.DataFrame:
    """Return the result of ``sql`` run over ``frames`` (each named in the SQL by its keyword)."""
    con = duckdb.connect(":memory:")
    try:
        for name, frame in frames.items():
            con.register(name, pa.Table.from_pandas(frame.reset_index(drop=True), preserve_index=False))
        return con.execute(sql).df()
    finally:
        con.close()


def repeated_keys(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Return the keys (no part missing) that more than one row of ``frame`` holds, one row per key."""
    columns = ", ".join(f'"{key}"' for key in keys)
    complete = " AND ".join(f'"{key}" IS NOT NULL' for key in keys)
    return query_frames(
        f"SELECT {columns} FROM rows WHERE {complete} GROUP BY ALL HAVING count(*) > 1", rows=frame[keys]
    )


def distinct_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Return the distinct rows of ``frame`` (a few thousand keys out of millions of rows)."""
    return query_frames("SELECT DISTINCT * FROM rows", rows=frame)
