"""The store at the page edge: the real county data built from the shipped extract on a first
run (the demo when the extract is missing), and the store's own errors shown as notices (busy,
read-only, damaged) instead of a traceback or a blank app."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path

import streamlit as st

from benchmarking.access import EditAccess
from benchmarking.datasets.demo import DEMO_LABEL, build_demo_store
from benchmarking.datasets.public_extract import MANIFEST_FILE, extract_present, store_from_extract
from benchmarking.errors import BenchmarkingError, ReadOnlyError, StoreBusyError
from benchmarking.paths import PROJECT_ROOT, default_db_path, public_extract_dir
from benchmarking.service.data_admin import store_exists
from pages._text import escape


def ensure_store(access: EditAccess | None = None) -> None:
    """Return once a store exists at the configured path: on a first run, build it from the
    shipped extract of real county data (``data/public``), or the demo when the extract is missing.

    Nothing is built for a session that cannot edit (``access``: a read-only deployment or a
    viewer), nor over an existing file that is not a readable store (a damaged or foreign
    file is never replaced): the page says why and stops instead. A damaged extract is
    refused with the reason (``ExtractError``, shown by ``store_notices``).
    """
    path = default_db_path()
    if _known_store(path):
        return
    if path.exists():
        st.error(
            f"The file {escape(path)} is not a benchmarking store that can be read: it may be damaged "
            "(truncated, or changed by another program) or another kind of file. Nothing was changed. "
            "Restore it from a backup, or move it aside and open the app again to build the store from "
            "the shipped extract, or set BENCHMARKING_DB to another store."
        )
        st.stop()
    if access is not None and not access.may_edit:
        st.error(
            f"There is no store at {escape(path)}, and a store is not generated in a session that cannot "
            "edit. Build a store first (`python -m benchmarking load-extract`, `demo` or `build-public`) where "
            f"editing is enabled, or set BENCHMARKING_DB to an existing store.\n\n{escape(access.reason)}"
        )
        st.stop()
    extract = public_extract_dir()
    with FIRST_RUN:  # sessions opening together build one store: the others wait, then find it
        if store_exists(path):
            return
        if not extract_present(extract):
            _demo_instead(extract, path)
            return
        with st.spinner(
            f"First run: building the store of real county data (public sources) from {_shown(extract)} ..."
        ):
            store_from_extract(extract, path)


FIRST_RUN = threading.Lock()
# Store files found readable, by path, with the (mtime, size) they had then: a rerun does not open
# the store again to look at its tables (~60 ms) until the file changes (an import, a rebuild, damage).
_READABLE: dict[Path, tuple[int, int]] = {}


def _known_store(path: Path) -> bool:
    """Return True when ``path`` holds a store: looked up by opening it only when the file changed."""
    try:
        seen = path.stat()
    except OSError:
        return False
    version = (seen.st_mtime_ns, seen.st_size)
    if _READABLE.get(path) == version:
        return True
    if not store_exists(path):
        return False
    _READABLE[path] = version
    return True


def _demo_instead(extract: Path, path: Path) -> None:
    """Generate the demo where the store from the extract would have been, saying why."""
    st.info(
        f"The shipped extract of real county data ({escape(_shown(extract / MANIFEST_FILE))}) is missing, so the "
        f"{DEMO_LABEL} was generated instead: its values are invented. To open on real figures, restore "
        "`data/public/` (`git checkout data/public`) or rebuild it from the published files "
        "(`python -m benchmarking build-public --source ../shared/data --extract`), then move the store aside.",
        icon=":material/info:",
    )
    with st.spinner(f"First run: generating the {DEMO_LABEL} at {path} ..."):
        build_demo_store(path)


def _shown(path: Path) -> str:
    """Return a path relative to the project when it is inside it (``data/public``), else as given."""
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


BUSY_NOTICE = "The store is being updated (an import is running); try again in a moment."


@contextlib.contextmanager
def store_notices() -> Iterator[None]:
    """Run a page, turning the store's own errors into a notice instead of a traceback.

    A busy store (another process holds its write lock for longer than the read waits) shows
    a notice with a Retry button; a write refused in a read-only session shows why; any other
    error this package raises on purpose (a damaged store, say) shows as ``st.error``.
    """
    try:
        yield
    except StoreBusyError as error:
        st.warning(BUSY_NOTICE, icon=":material/hourglass_top:")
        st.caption(escape(error))
        st.button("Retry", key="store-busy-retry", type="primary")  # a click reruns the page
    except ReadOnlyError as error:
        st.info(escape(error), icon=":material/visibility:")
    except BenchmarkingError as error:
        st.error(f"{escape(error)}\n\nThe store is {escape(default_db_path())}; nothing was changed.")
