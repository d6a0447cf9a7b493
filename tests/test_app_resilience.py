"""The app never goes blank (issue 15, defect 9): a busy store shows a notice with Retry, a
damaged or foreign store file an error naming it, and neither is ever replaced by the demo."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import pytest
from apptest_helpers import APP, use_navigation_mode
from streamlit.testing.v1 import AppTest

from benchmarking.errors import BenchmarkingError, StoreBusyError
from benchmarking.store import Store
from pages._store import BUSY_NOTICE
from pages._text import escape

HOLD_WRITE_LOCK = (
    "import sys, duckdb\n"
    "con = duckdb.connect(sys.argv[1])  # read-write: the lock an import holds\n"
    "print('locked', flush=True)\n"
    "sys.stdin.readline()\n"
)


def _app(monkeypatch, path) -> AppTest:
    monkeypatch.setenv("BENCHMARKING_DB", str(path))
    monkeypatch.delenv("BENCHMARKING_READ_ONLY", raising=False)
    use_navigation_mode(monkeypatch)
    return AppTest.from_file(APP, default_timeout=60)


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _busy_notice(at: AppTest) -> bool:
    return any(BUSY_NOTICE in warning.value for warning in at.warning)


def test_a_store_locked_by_an_import_shows_a_notice_and_retry_works(writable_store, monkeypatch):
    """Another process holds the write lock longer than the read waits: the page shows the busy
    notice and a Retry button (before: StoreBusyError and a blank app); after the lock is
    released, Retry shows the page."""
    made = Store.__init__

    def waiting_briefly(self, *args, **kwargs):
        made(self, *args, **kwargs)
        self.wait_seconds = 0.2  # the pages' stores wait 0.2 s for the lock, not 15 s

    monkeypatch.setattr(Store, "__init__", waiting_briefly)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_WRITE_LOCK, str(writable_store.path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        at = _app(monkeypatch, writable_store.path).run()
        assert not at.exception
        assert _busy_notice(at)
        assert any("stayed locked" in caption.value for caption in at.caption)
        retry = at.button(key="store-busy-retry")
        assert retry.label == "Retry"
    finally:
        holder.communicate("\n", timeout=30)  # the import ends and releases the lock
    retry.click().run()
    assert not at.exception and not _busy_notice(at)
    assert [title.value for title in at.title] == ["Overview"]


def test_a_store_that_becomes_busy_while_a_page_reads_it_shows_the_notice(writable_store, monkeypatch):
    """The catalogue read raises StoreBusyError (the lock taken after the page started): the
    page shows the busy notice with Retry instead of a traceback."""
    import pages._cache

    def busy(path):
        raise StoreBusyError(f"the store at {path} is being written by another process and stayed locked for 15 s")

    monkeypatch.setattr(pages._cache, "load_catalogue", busy)
    at = _app(monkeypatch, writable_store.path).run()
    assert not at.exception
    assert _busy_notice(at) and at.button(key="store-busy-retry").label == "Retry"


def test_a_store_error_raised_on_a_page_is_shown_as_an_error_naming_the_store(writable_store, monkeypatch):
    """Any error the package raises on purpose that a page does not catch (here the catalogue
    read of a damaged store) becomes st.error naming the store, not a traceback."""
    import pages._cache

    def damaged(path):
        raise BenchmarkingError(f"the store at {path} is damaged: restore it from a backup")

    monkeypatch.setattr(pages._cache, "load_catalogue", damaged)
    at = _app(monkeypatch, writable_store.path).run()
    assert not at.exception
    assert any("is damaged" in e.value and escape(writable_store.path) in e.value for e in at.error)


@pytest.mark.parametrize("content", [b"", b"not a database\n" * 64], ids=["empty", "foreign"])
def test_a_file_that_is_not_a_store_is_named_and_left_alone(tmp_path, monkeypatch, content):
    """BENCHMARKING_DB naming an empty or foreign file: st.error naming it and what to do; the file is unchanged."""
    path = tmp_path / "store.duckdb"
    path.write_bytes(content)
    at = _app(monkeypatch, path).run()
    assert not at.exception
    assert any(escape(path) in e.value and "Restore it from a backup" in e.value for e in at.error)
    assert path.read_bytes() == content


def test_a_damaged_file_at_the_default_path_is_not_replaced_by_the_demo(tmp_path, monkeypatch):
    """Before, a damaged data/benchmarking.duckdb was deleted and the demo generated in its place;
    now the page names the file and stops, and the file is unchanged."""
    import benchmarking.paths as paths_module

    path = tmp_path / "data" / "benchmarking.duckdb"
    path.parent.mkdir()
    path.write_bytes(b"\x00" * 4096 + b"half of a store")
    digest = _digest(path)
    monkeypatch.setattr(paths_module, "DEFAULT_DB", path)
    at = _app(monkeypatch, path)
    monkeypatch.delenv("BENCHMARKING_DB")
    at.run()
    assert not at.exception
    assert any(escape(path) in e.value and "Nothing was changed" in e.value for e in at.error)
    assert _digest(path) == digest


def _truncated(source, path) -> None:
    data = source.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _bit_flipped(source, path) -> None:
    data = bytearray(source.read_bytes())
    for at in range(5000, len(data), 4096 * 7):
        data[at] ^= 0xFF
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", [_truncated, _bit_flipped], ids=["truncated", "bit-flipped"])
def test_a_truncated_or_bit_flipped_store_shows_an_error_naming_the_file(
    demo_store_path, tmp_path, monkeypatch, damage
):
    """A real damaged store: an st.error naming the file, no traceback, the file unchanged."""
    path = tmp_path / "store.duckdb"
    damage(demo_store_path, path)
    digest = _digest(path)
    at = _app(monkeypatch, path).run()
    assert not at.exception
    assert any(escape(path) in e.value for e in at.error)
    assert _digest(path) == digest
