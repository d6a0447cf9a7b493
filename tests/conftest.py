"""Shared fixtures: a demo store built once per session, and per-test copies to write into;
the public store built once per session from ../shared/data; and the browser fixtures
(servers, Chromium, the page walk) from browser_support.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from browser_support import (  # noqa: F401 (fixtures, registered by being imported here)
    axe,
    browser,
    demo_server,
    open_app,
    page_walk,
    public_server,
    sync_playwright,
)

from benchmarking.datasets.demo import build_demo_store
from benchmarking.store import Store

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture(scope="session")
def demo_store_path(tmp_path_factory) -> Path:
    """Path of a demo store (default seed) built once for the whole session; treat as read-only."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    build_demo_store(path)
    return path


@pytest.fixture(scope="session")
def demo_store(demo_store_path) -> Store:
    """The session's read-only demo store."""
    return Store(demo_store_path)


@pytest.fixture
def writable_store(demo_store_path, tmp_path) -> Store:
    """A private copy of the demo store that a test may write into."""
    path = tmp_path / "store.duckdb"
    shutil.copy(demo_store_path, path)
    return Store(path)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real public datasets in ../shared/data; skips the test when they are absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real public datasets not found at {SHARED_DATA} (they live beside the repo, not in it)")
    return SHARED_DATA


@pytest.fixture(scope="session")
def shipped_store_path(tmp_path_factory) -> Path:
    """Path of a store built once from the shipped county-area extract (data/public/): real public
    figures without ../shared; treat as read-only. Skips when no extract is shipped."""
    from benchmarking.datasets.public_extract import store_from_extract
    from benchmarking.paths import PUBLIC_EXTRACT_DIR

    if not (PUBLIC_EXTRACT_DIR / "manifest.json").is_file():
        pytest.skip(f"no county-area extract shipped at {PUBLIC_EXTRACT_DIR}")
    path = tmp_path_factory.mktemp("shipped") / "public.duckdb"
    store_from_extract(PUBLIC_EXTRACT_DIR, path)
    return path


@pytest.fixture(scope="session")
def public_build(shared_data, tmp_path_factory):
    """The BuildSummary of one public build from ../shared/data for the whole session (skips without it).

    Its store (``.path``) is shared by every test and the public server: treat it as read-only.
    """
    from benchmarking.datasets.public_build import build_public

    return build_public(shared_data, tmp_path_factory.mktemp("public") / "public.duckdb", progress=None)


@pytest.fixture(scope="session")
def public_store_path(public_build) -> Path:
    """Path of the session's public store (as ``python -m benchmarking build-public`` writes it)."""
    return Path(public_build.path)


def uses_the_browser(item) -> bool:
    """Whether a test needs the session's Chromium (directly or through a fixture such as page_walk)."""
    return "browser" in getattr(item, "fixturenames", ())


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the xdist_group marks into the test ids
def pytest_collection_modifyitems(items):
    """Put the tests that need the browser in one block and one pytest-xdist group, "browser",
    and every other test in the group of its file.

    With ``--dist loadgroup`` (pyproject.toml) a group runs whole on one worker, so Chromium and
    the Streamlit servers (session fixtures) start once, in one worker, and a file's module
    fixtures are built once. Without xdist the browser block runs last, so nothing browser-sized
    lives through the rest of the suite.
    """
    needs_browser = [uses_the_browser(item) for item in items]
    for item, browser_test in zip(items, needs_browser):
        group = "browser" if browser_test else item.nodeid.split("::", 1)[0]
        item.add_marker(pytest.mark.xdist_group(group))
    items[:] = [item for item, later in zip(items, needs_browser) if not later] + [
        item for item, later in zip(items, needs_browser) if later
    ]
