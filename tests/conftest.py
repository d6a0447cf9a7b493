"""Shared fixtures: a demo store built once per session, and per-test copies to write into;
the public store built once per session from ../shared/data; and the browser fixtures
(servers, Chromium, the page walk) from browser_support.py."""

from __future__ import annotations

import json
import shutil
import tempfile
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


@pytest.fixture
def shipped(shipped_store_path, tmp_path) -> Store:
    """A private copy of the store built from the shipped extract (real public data), to import into."""
    path = tmp_path / "shipped.duckdb"
    shutil.copy(shipped_store_path, path)
    return Store(path)


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


# The tests that read the session's page walk (browser_support.PageWalk): they share its page
# visits, so they run on one worker, in one group; the other browser tests make a second group.
PAGE_WALK_FIXTURES = {"page_walk", "briefing_view"}
BROWSER_GROUPS = ("browser: the page walk", "browser: the rest")


def worker_group(item) -> str:
    """The pytest-xdist group a test runs in: one of BROWSER_GROUPS for a test that needs the
    browser (the page walk's readers, or the rest), else its file."""
    if not uses_the_browser(item):
        return item.nodeid.split("::", 1)[0]
    return BROWSER_GROUPS[0] if PAGE_WALK_FIXTURES & set(item.fixturenames) else BROWSER_GROUPS[1]


# -- running on every core (pytest-xdist, -n auto --dist loadgroup in pyproject.toml) -------------
# A group runs whole on one worker, so a file's module fixtures are built once. The browser tests
# are the suite's long pole (each page load costs seconds of server and browser time), so they make
# two groups that start first, one on each of two workers, each with its own Chromium and Streamlit
# servers (session fixtures are per worker); the files then fill both workers, largest first.
# xdist's own loadgroup reads xdist_group marks through the test ids, which pytest 9 no longer lets
# it rewrite, so the groups travel another way: each worker writes its tests' groups to a folder the
# controller names, and the controller's scheduler (LoadScopeScheduling) reads them.

GROUPS_FOLDER = "benchmarking_worker_groups"  # the workerinput key naming that folder
_GROUPS_FOLDER = pytest.StashKey[Path]()  # the folder itself, in the controller's config


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    """(pytest-xdist, controller) Name the folder each worker writes its tests' groups to."""
    if _GROUPS_FOLDER not in node.config.stash:
        node.config.stash[_GROUPS_FOLDER] = Path(tempfile.mkdtemp(prefix="pytest-groups-"))
    node.workerinput[GROUPS_FOLDER] = str(node.config.stash[_GROUPS_FOLDER])


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """(pytest-xdist, controller) With ``--dist loadgroup``, schedule whole groups (worker_group)
    on one worker each, the browser groups first and then the largest first; return None (xdist's
    own choice) otherwise."""
    if config.getoption("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class GroupScheduling(LoadScopeScheduling):
        groups: dict[str, str] | None = None

        def _split_scope(self, nodeid: str) -> str:
            if self.groups is None:  # every worker has finished collecting when scopes are asked for
                self.groups = {}
                for written in sorted(config.stash[_GROUPS_FOLDER].glob("*.json")):
                    self.groups.update(json.loads(written.read_text()))
            return self.groups.get(nodeid, nodeid)

        def _assign_work_unit(self, node) -> None:
            for group in reversed(BROWSER_GROUPS):  # the long browser groups go out first
                if group in self.workqueue:
                    self.workqueue.move_to_end(group, last=False)
            super()._assign_work_unit(node)

    return GroupScheduling(config, log)


def pytest_sessionfinish(session):
    """Remove the folder of the workers' groups (controller)."""
    if _GROUPS_FOLDER in session.config.stash:
        shutil.rmtree(session.config.stash[_GROUPS_FOLDER], ignore_errors=True)


def pytest_collection_modifyitems(config, items):
    """Run the tests that need the browser last, in one block, so that in one process (``-n 0``)
    Chromium and the servers live only through that block (under pytest-xdist the controller's
    scheduler decides the order); on a worker also write each test's group (worker_group) for it."""
    workerinput = getattr(config, "workerinput", None)
    if workerinput and GROUPS_FOLDER in workerinput:
        written = Path(workerinput[GROUPS_FOLDER]) / f"{workerinput['workerid']}.json"
        written.write_text(json.dumps({item.nodeid: worker_group(item) for item in items}))
    needs_browser = [uses_the_browser(item) for item in items]
    items[:] = [item for item, later in zip(items, needs_browser) if not later] + [
        item for item, later in zip(items, needs_browser) if later
    ]


@pytest.fixture
def counted_checks(monkeypatch):
    """Return a list that grows by one at every call of ``importer.check_batch`` (the check an
    import's commit makes when it cannot reuse its preview's) during the test."""
    from benchmarking.ingest import importer

    calls = []
    real = importer.check_batch

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(importer, "check_batch", counting)
    return calls
