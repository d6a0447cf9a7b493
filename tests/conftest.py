"""Shared fixtures: a demo store built once per session, and per-test copies to write into."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from benchmarking.demo import build_demo_store
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


@pytest.fixture
def shared_data() -> Path:
    """The real public datasets in ../shared/data; skips the test when they are absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real public datasets not found at {SHARED_DATA} (they live beside the repo, not in it)")
    return SHARED_DATA
