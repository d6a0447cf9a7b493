"""Opening the DuckDB file: a connection that waits while another process holds the write lock.

A file that is not a DuckDB database (a SQLite file, a text file) is refused before DuckDB
sees it, so DuckDB never tries to fetch an extension to read it; a damaged store file is
refused with a message that says so.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb

from benchmarking.errors import (
    BenchmarkingError,
    NotAStoreError,
    StoreBusyError,
    StoreDamagedError,
    StoreMissingError,
    StoreWriteError,
)

DUCKDB_MAGIC = b"DUCK"
"""Bytes 8 to 12 of every DuckDB database file."""


def _is_lock_error(error: Exception) -> bool:
    """Return True when the file is held by a writer: another process's lock, or (in this process)
    a connection opened the other way, read-only against read-write, by another session's thread."""
    text = str(error).lower()
    in_process = "different configuration" in text
    return in_process or ("lock" in text and ("conflicting" in text or "could not set" in text))


def check_file_kind(path: Path) -> None:
    """Raise NotAStoreError when ``path`` exists, is not empty and is not a DuckDB file; return None."""
    if path.is_dir():
        raise NotAStoreError(f"{path} is a folder, not a store file: give the path of a .duckdb file")
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb") as handle:
        head = handle.read(16)
    if head[8:12] == DUCKDB_MAGIC:
        return
    kind = "a SQLite database" if head.startswith(b"SQLite format 3") else "not a DuckDB database"
    raise NotAStoreError(
        f"{path} is {kind}, not a benchmarking store: give the path of a store built by this tool "
        "(python -m benchmarking demo or build-public)"
    )


@contextlib.contextmanager
def connect(
    path: Path | str, read_only: bool = True, wait_seconds: float = 15.0
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a connection to ``path``, waiting up to ``wait_seconds`` while another process writes."""
    path = Path(path)
    if read_only and not path.exists():
        raise StoreMissingError(
            f"no store at {path}: run `python -m benchmarking load-extract --out {path}` to build it from the real "
            "public figures shipped with the tool (or `python -m benchmarking demo` for invented demo figures), "
            "or set BENCHMARKING_DB to an existing store"
        )
    check_file_kind(path)
    deadline = time.monotonic() + wait_seconds
    delay = 0.05
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only, config={"autoload_known_extensions": False})
            break
        except duckdb.Error as error:
            if not _is_lock_error(error):  # a damaged file: DuckDB reports it as one of several errors
                raise _open_error(path, error) from error
            if time.monotonic() >= deadline:
                holder = (  # a reader waits only for a writer; a writer waits for any other process
                    "being written by another process or session (an import or an undo)"
                    if read_only
                    else "in use by another process (an import or an undo writing it, or a program reading it)"
                )
                raise StoreBusyError(
                    f"the store at {path} is {holder} and stayed locked for {wait_seconds:.0f} s; "
                    "try again when that has finished"
                ) from error
            time.sleep(delay)  # back-off while another process holds the write lock
            delay = min(delay * 2, 0.5)
    try:
        yield con
    except duckdb.Error as error:  # a damaged block is found when it is read, not when the file opens
        if _is_damage(error):
            raise _open_error(path, error) from error
        raise
    finally:
        con.close()


_DAMAGE_WORDS = ("corrupt", "checksum", "could not read enough bytes", "serializ", "not a valid", "truncat")


def _is_damage(error: Exception) -> bool:
    """Return True when DuckDB's error says the file's bytes are damaged."""
    return any(word in str(error).lower() for word in _DAMAGE_WORDS)


def _open_error(path: Path, error: Exception) -> BenchmarkingError:
    """Return the error for a store file DuckDB cannot open: damaged, or another problem named."""
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    if _is_damage(error):
        return StoreDamagedError(
            f"the store at {path} is damaged and cannot be read ({text}); restore it from a copy, "
            "or rebuild it (python -m benchmarking demo or build-public)"
        )
    return BenchmarkingError(f"cannot open the store at {path}: {text}")


_LOCKS: dict[Path, threading.RLock] = {}
_LOCKS_GUARD = threading.Lock()


def process_lock(path: Path) -> threading.RLock:
    """Return this process's write lock for the store file at ``path``."""
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(path.resolve(), threading.RLock())


def _is_file_error(error: Exception) -> bool:
    """Return True when DuckDB's error comes from the file system (permissions, a full disk, a read-only folder)."""
    text = str(error).lower()
    markers = ("io error", "permission", "no space", "read-only file system", "cannot open file")
    return isinstance(error, duckdb.IOException | duckdb.PermissionException) or any(m in text for m in markers)


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection, path: Path) -> Iterator[None]:
    """Run the block in one transaction: commit it whole, or roll back and say why."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
        con.execute("COMMIT")
    except BaseException as error:
        with contextlib.suppress(duckdb.Error):  # a failed COMMIT has already rolled back
            con.execute("ROLLBACK")
        if isinstance(error, duckdb.Error) and _is_damage(error):
            raise _open_error(path, error) from error
        if isinstance(error, duckdb.Error) and _is_file_error(error):
            first = str(error).splitlines()[0]
            raise StoreWriteError(
                f"the store at {path} could not be written ({first}); nothing was written: check that its "
                "folder can be written and the disk is not full"
            ) from error
        if isinstance(error, duckdb.TransactionException | duckdb.ConstraintException):
            raise StoreBusyError(
                f"another session changed the store at {path} at the same moment; nothing was written: try again"
            ) from error
        raise


def file_signature(path: Path) -> tuple:
    """Return what changes when a DuckDB file or its write-ahead log is written: inode, size, modification time."""
    signature = []
    for part in (path, path.with_name(path.name + ".wal")):
        try:
            status = part.stat()
        except OSError:
            signature.append(None)
            continue
        signature.append((status.st_ino, status.st_size, status.st_mtime_ns))
    return tuple(signature)
