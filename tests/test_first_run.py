"""First run: with no store at BENCHMARKING_DB, the app builds it from the shipped extract of real
county data (``data/public``, or ``$BENCHMARKING_EXTRACT``), never from ../shared; without the
extract it generates the demo and says why; a damaged extract is refused and nothing is built."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from apptest_helpers import APP, shows_demo_banner, sidebar_box, use_navigation_mode
from streamlit.testing.v1 import AppTest

import benchmarking.datasets.public_build as public_build
from benchmarking.datasets.public_extract import MANIFEST_FILE, write_extract
from benchmarking.paths import DATA_DIR, PUBLIC_EXTRACT_DIR
from benchmarking.store import Store
from benchmarking.text.escaping import markdown

LEICESTERSHIRE = "E10000018"


@pytest.fixture(scope="module")
def real_extract(request, tmp_path_factory) -> Path:
    """The shipped extract; before one is shipped, the extract of the session's public build (needs ../shared)."""
    if (PUBLIC_EXTRACT_DIR / MANIFEST_FILE).is_file():
        return PUBLIC_EXTRACT_DIR
    store_path = request.getfixturevalue("public_store_path")  # skips without ../shared/data
    folder = tmp_path_factory.mktemp("first-run") / "public"
    write_extract(store_path, folder, built=date(2026, 12, 2), source=request.getfixturevalue("shared_data"))
    return folder


def first_run(monkeypatch, db: Path, extract: Path) -> AppTest:
    """Open the app (the Overview) with no store at ``db`` and the extract at ``extract``; the build
    from the published files is made to fail, so a first run that reached for ../shared would show it."""

    def no_shared(*args, **kwargs):
        raise AssertionError("a first run must not read the published files")

    monkeypatch.setattr(public_build, "build_public", no_shared)
    monkeypatch.setenv("BENCHMARKING_DB", str(db))
    monkeypatch.setenv("BENCHMARKING_EXTRACT", str(extract))
    use_navigation_mode(monkeypatch)
    return AppTest.from_file(APP, default_timeout=120).run()


def test_a_first_run_opens_the_overview_on_the_real_county_areas(real_extract, tmp_path, monkeypatch):
    """The store is built from the extract: every county area of data/county_areas.csv (Leicestershire
    among them), the public label with the extract's date, no demo banner."""
    db = tmp_path / "fresh" / "benchmarking.duckdb"
    at = first_run(monkeypatch, db, real_extract)
    assert not at.exception, [error.value for error in at.exception]
    assert at.title[0].value == "Overview"
    store = Store(db)
    assert store.exists()
    with (DATA_DIR / "county_areas.csv").open(newline="", encoding="utf-8") as handle:
        county_areas = {row["code"] for row in csv.DictReader(handle)}
    assert set(store.authorities()["code"]) == county_areas and LEICESTERSHIRE in county_areas
    assert set(store.datasets()["kind"]) == {"public"}
    label = store.settings()["dataset_label"]
    assert label.startswith("public data") and "county-area extract of" in label
    assert not shows_demo_banner(at)
    assert any(caption.value.startswith(f"**Data:** {markdown(label)}") for caption in at.caption)
    assert sidebar_box(at, "focus").value == LEICESTERSHIRE
    assert not at.info  # no notice: the extract was there


def test_without_the_extract_the_demo_is_generated_with_a_notice(tmp_path, monkeypatch):
    """The extract deleted: the app says it is missing and opens on the demo, which says it is invented."""
    db = tmp_path / "benchmarking.duckdb"
    at = first_run(monkeypatch, db, tmp_path / "deleted")
    assert not at.exception, [error.value for error in at.exception]
    assert any("is missing" in notice.value and "demo" in notice.value for notice in at.info)
    assert set(Store(db).datasets()["kind"]) == {"demo"}
    assert shows_demo_banner(at)


def test_a_damaged_extract_is_refused_and_no_store_is_built(demo_store_path, tmp_path, monkeypatch):
    """One changed byte in a table: the page says the extract is damaged, and no store file appears."""
    folder = tmp_path / "public"
    write_extract(demo_store_path, folder, built=date(2026, 12, 2))
    path = folder / "indicator_value.parquet"
    data = bytearray(path.read_bytes())
    data[100] ^= 0xFF
    path.write_bytes(bytes(data))
    db = tmp_path / "store" / "benchmarking.duckdb"
    at = first_run(monkeypatch, db, folder)
    assert not at.exception
    assert any("damaged" in error.value and "nothing was changed" in error.value for error in at.error)
    assert not db.exists() and not list(db.parent.glob("*.building*"))


@pytest.mark.playwright
def test_a_first_run_in_the_browser_opens_on_the_real_county_areas(
    browser, real_extract, tmp_path_factory, request, monkeypatch
):
    """A server started with no store builds it from the extract; the Overview shows Leicestershire and
    the public dataset label, and no demo banner."""
    from browser_support import DEMO_BANNER, start_server, wait_for_page

    monkeypatch.setenv("BENCHMARKING_EXTRACT", str(real_extract))  # the server inherits the environment
    db = tmp_path_factory.mktemp("first-run-browser") / "benchmarking.duckdb"
    server = start_server(db, "first-run", tmp_path_factory, request)
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(server.page_url("overview"))
        wait_for_page(page, "overview", drawn="chart or table")
        text = page.get_by_test_id("stMain").inner_text()
    finally:
        context.close()
    assert "Leicestershire" in text and "county-area extract of" in text
    assert DEMO_BANNER not in text
    assert set(Store(db).datasets()["kind"]) == {"public"}
