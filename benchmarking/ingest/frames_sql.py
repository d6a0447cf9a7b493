"""Set-based queries over the frames an import checks, in an in-memory DuckDB connection.

The frames are handed to DuckDB as Arrow tables (text columns zero-copy), so a question over
millions of rows (the distinct indicator, period and status of a file) is one query, not a
Python loop. (A repeated key is found from the key columns' integer codes, ``keys.repeated_keys``,
which measured faster than DuckDB's GROUP BY for keys that are nearly all distinct.) Nothing here touches
the store: ``store/`` is the only place that opens the file.
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
