"""Opening the DuckDB file: a connection that waits while another process holds the write lock."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb

from benchmarking.errors import BenchmarkingError, StoreBusyError, StoreMissingError


def _is_lock_error(error: Exception) -> bool:
    text = str(error).lower()
    return "lock" in text and ("conflicting" in text or "could not set" in text)


@contextlib.contextmanager
def connect(
    path: Path | str, read_only: bool = True, wait_seconds: float = 15.0
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a connection to ``path``, waiting up to ``wait_seconds`` while another process writes."""
    path = Path(path)
    if read_only and not path.exists():
        raise StoreMissingError(
            f"no store at {path}: run `python -m benchmarking demo` to build the demo "
            "store, or set BENCHMARKING_DB to an existing store"
        )
    deadline = time.monotonic() + wait_seconds
    delay = 0.05
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            break
        except duckdb.IOException as error:
            if not _is_lock_error(error):
                raise BenchmarkingError(f"cannot open the store at {path}: {error}") from error
            if time.monotonic() >= deadline:
                raise StoreBusyError(
                    f"the store at {path} is being written by another process and stayed "
                    f"locked for {wait_seconds:.0f} s; try again when that import has finished"
                ) from error
            time.sleep(delay)  # back-off while another process holds the write lock
            delay = min(delay * 2, 0.5)
    try:
        yield con
    finally:
        con.close()
