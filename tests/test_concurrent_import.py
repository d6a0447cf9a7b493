"""Two processes importing into one store at once cannot corrupt it.

DuckDB lets one process write a file at a time; ``store.connect`` waits with back-off
while another process holds the lock and raises StoreBusyError when it waited too long.
These tests start real Python processes against one store file: two imports racing
(each commits whole, or fails with a clear message and writes nothing), an import that
waits for a lock holder and then commits, and one that gives up with a clear message.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

from benchmarking.errors import StoreBusyError
from benchmarking.ingest.context import store_context
from benchmarking.ingest.preview import commit, map_sources, read_source
from benchmarking.store import Store

ROOT = Path(__file__).resolve().parents[1]
BUSY = 3
"""Exit status of an import process that gave up waiting for the store."""

IMPORT_SCRIPT = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from benchmarking.errors import StoreBusyError
    from benchmarking.ingest.context import store_context
    from benchmarking.ingest.preview import commit, map_sources, read_source
    from benchmarking.store import Store

    store_path, file_path, go = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    store = Store(store_path, wait_seconds=float(sys.argv[4]))
    source = read_source(file_path)
    while not go.exists():  # start both imports at the same moment
        time.sleep(0.01)
    try:
        mapped = map_sources([source], store_context(store))
        result = commit(store, mapped, {source.name: source.sha256})
    except StoreBusyError as error:
        print(f"busy: {error}")
        sys.exit(3)
    print(f"committed {result.counts['indicator_value']['added']}")
""")

HOLD_SCRIPT = textwrap.dedent("""
    import sys, time, duckdb
    from pathlib import Path
    con = duckdb.connect(sys.argv[1])  # a writer: holds the file's lock until closed
    Path(sys.argv[2]).write_text("locked")
    time.sleep(float(sys.argv[3]))
    con.close()
""")


def python(script: str, *args: object) -> subprocess.Popen:
    """Start ``script`` in a new Python process with the repository importable."""
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.Popen(
        [sys.executable, "-c", script, *map(str, args)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def values_file(store: Store, folder: Path, name: str, periods: list[str]) -> Path:
    """Write a long CSV of a value for every indicator and authority in ``periods`` (new periods)."""
    indicators = store.indicators()["id"]
    authorities = store.authorities()["code"]
    grid = pd.MultiIndex.from_product(
        [indicators, authorities, periods], names=["indicator_id", "authority_code", "period"]
    ).to_frame(index=False)
    # Each indicator's median stored figure: plausible for every indicator (no import refuses it as out of range, in
    # the wrong unit, or a share given for a percentage).
    typical = store.values().groupby("indicator_id")["value"].median()
    grid["value"] = grid["indicator_id"].map(typical).round(2)
    path = folder / name
    grid.to_csv(path, index=False)
    return path


def wait_for(path: Path, process: subprocess.Popen, seconds: float = 60) -> None:
    """Wait until ``path`` exists (the holder has the lock); fail with its output if it died."""
    deadline = time.monotonic() + seconds
    while not path.exists():
        if process.poll() is not None:
            pytest.fail(f"lock holder exited early: {process.communicate()}")
        if time.monotonic() > deadline:
            pytest.fail("lock holder did not take the lock in time")
        time.sleep(0.02)


def test_two_processes_importing_at_once_each_commit_whole_or_fail_clearly(writable_store, tmp_path):
    """Both start together: each either commits all its rows or says the store was busy and writes none."""
    first = values_file(writable_store, tmp_path, "first.csv", ["2004/05", "2005/06", "2006/07"])
    second = values_file(writable_store, tmp_path, "second.csv", ["2007/08", "2008/09", "2009/10"])
    rows = len(pd.read_csv(first))
    before = writable_store.datasets()
    go = tmp_path / "go"
    processes = [python(IMPORT_SCRIPT, writable_store.path, path, go, 60) for path in (first, second)]
    time.sleep(1.0)  # let both read their files and reach the starting line
    go.write_text("go")
    outcomes = [process.communicate(timeout=240) + (process.returncode,) for process in processes]
    for out, err, code in outcomes:
        assert code in (0, BUSY), f"an import crashed: {err}"
        assert "Traceback" not in err
        if code == BUSY:
            assert "is in use by another process" in out
    committed = [path for path, (_, _, code) in zip((first, second), outcomes) if code == 0]
    assert committed, f"neither import committed: {outcomes}"
    values = writable_store.values()
    for path, (_, _, code) in zip((first, second), outcomes):
        periods = set(pd.read_csv(path, dtype=str)["period"])
        present = values[values["period"].isin(periods)]
        assert len(present) == (rows if code == 0 else 0), path.name
    history = writable_store.datasets()
    assert len(history) == len(before) + len(committed)
    assert set(history["file_name"].head(len(committed))) == {path.name for path in committed}


def test_an_import_waits_while_another_process_writes_and_then_commits(writable_store, tmp_path):
    """The store is locked for 2 s by another process: the import waits, then commits."""
    path = values_file(writable_store, tmp_path, "values.csv", ["2010/11"])
    locked = tmp_path / "locked"
    holder = python(HOLD_SCRIPT, writable_store.path, locked, 2.0)
    try:
        wait_for(locked, holder)
        started = time.monotonic()
        source = read_source(path)
        store = Store(writable_store.path, wait_seconds=30)
        commit(store, map_sources([source], store_context(store)))
        waited = time.monotonic() - started
    finally:
        holder.communicate(timeout=60)
    assert waited > 0.5
    assert len(writable_store.values(["2010/11"])) == len(pd.read_csv(path))


def test_an_import_that_cannot_get_the_store_in_time_says_so_and_writes_nothing(writable_store, tmp_path):
    """Locked for longer than the import waits: StoreBusyError says what to do; the store is unchanged."""
    path = values_file(writable_store, tmp_path, "values.csv", ["2010/11"])
    source = read_source(path)
    before = writable_store.checksums()
    locked = tmp_path / "locked"
    holder = python(HOLD_SCRIPT, writable_store.path, locked, 6.0)
    try:
        wait_for(locked, holder)
        store = Store(writable_store.path, wait_seconds=0.5)
        with pytest.raises(StoreBusyError, match=r"by another process .* try again when"):
            commit(store, map_sources([source], store_context(store)))
    finally:
        holder.communicate(timeout=60)
    assert writable_store.checksums() == before
