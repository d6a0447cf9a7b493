"""Results cached at the page edge: one entry per selection (basket, balance, period, ...), reused on a
rerun, and computed afresh once an import commits to the store (the key holds the store file's version)."""

import os
from dataclasses import replace

import duckdb
import pandas as pd
from apptest_helpers import EARLIER, FOCUS, LATEST, catalogue, metrics, open_page, open_section

from benchmarking.ingest.preview import import_file
from benchmarking.text.formatting import number
from pages._cache import memo, selection_key
from pages._selection import Selection


def test_a_cached_result_is_one_per_selection_and_per_store_version(tmp_path, monkeypatch):
    """The same selection reuses its result; another basket, balance, period or group, or a store file
    changed since (as an import's commit changes it), computes its own."""
    store = tmp_path / "store.duckdb"
    store.write_bytes(b"")
    monkeypatch.setenv("BENCHMARKING_DB", str(store))
    base = Selection(FOCUS, "Leicestershire", LATEST, "all", "all authorities", 32, briefing=False)
    computed = []

    def count() -> int:
        computed.append(1)
        return len(computed)

    first = memo("test-selection", selection_key(base), count)
    again = memo("test-selection", selection_key(base), count)
    others = [
        replace(base, basket="la-core-services"),
        replace(base, balance="themes"),
        replace(base, period=EARLIER),
        replace(base, group_id="county-councils"),
    ]
    results = [memo("test-selection", selection_key(other), count) for other in others]
    assert (first, again) == (1, 1)
    assert results == [2, 3, 4, 5]
    later = store.stat().st_mtime_ns + 2_000_000_000
    os.utime(store, ns=(later, later))
    assert memo("test-selection", selection_key(base), count) == 6
    assert memo("test-selection", selection_key(others[0]), count) == 7


def test_an_import_shows_on_the_next_rerun(writable_store, monkeypatch, tmp_path):
    """The Indicator explorer shows the stored value; after a file imported through the package
    replaces it, the next rerun of the same page shows the new value."""
    path = writable_store.path
    indicators = catalogue(str(path)).indicators
    first = indicators[indicators["polarity"] != "none"].sort_values(["theme", "name"]).iloc[0]
    values = catalogue(str(path)).values
    old = values[
        (values["indicator_id"] == first["id"]) & (values["period"] == LATEST) & (values["authority_code"] == FOCUS)
    ]["value"].iloc[0]
    at = open_page(path, monkeypatch, "indicator")
    label = f"Leicestershire, {LATEST}"
    assert metrics(at)[label] == number(old, first["unit"])
    new = round(float(old) * 3 + 1234.5, 1)
    csv = tmp_path / "new-value.csv"
    csv.write_text(f"indicator_id,authority_code,period,value\n{first['id']},{FOCUS},{LATEST},{new}\n")
    import_file(writable_store, csv, "indicator_value")
    at.run()
    assert not at.exception
    assert metrics(at)[label] == number(new, first["unit"])
    assert number(new, first["unit"]) != number(old, first["unit"])


def test_a_store_damaged_after_a_page_read_it_is_noticed_on_the_next_rerun(demo_store_path, monkeypatch, tmp_path):
    """A rerun does not open the store again to check it while the file is unchanged, but once the file
    changes (here: overwritten with bytes that are not a store) the next rerun looks again and says so."""
    import shutil

    path = tmp_path / "store.duckdb"
    shutil.copy(demo_store_path, path)
    at = open_page(path, monkeypatch, "quadrant")
    assert not at.exception and not at.error
    at.run()
    assert not at.exception and not at.error
    path.write_bytes(b"not a store" * 1000)
    at.run()
    assert any("is not a benchmarking store that can be read" in error.value for error in at.error)


def _history_rows(at) -> pd.DataFrame:
    """Return the Data page's load history table (the grid with a loaded_at column)."""
    return next(grid.value for grid in at.dataframe if "loaded_at" in grid.value.columns)


def test_the_data_page_counts_and_load_history_follow_an_import(writable_store, monkeypatch, tmp_path):
    """The Data page's store counts and load history are read again once an import commits: a file that fills
    one missing value shows one more value and one more load (counted here from the store, not from the page)."""
    path = writable_store.path
    at = open_section(open_page(path, monkeypatch, "data"), "data_history")  # the load history, opened
    with duckdb.connect(str(path), read_only=True) as con:
        stored = con.execute("SELECT count(value) FROM indicator_value").fetchone()[0]
        loads = con.execute("SELECT count(*) FROM dataset").fetchone()[0]
        indicator, code, period = con.execute(
            "SELECT indicator_id, authority_code, period FROM indicator_value WHERE value IS NULL "
            "ORDER BY indicator_id, authority_code, period LIMIT 1"
        ).fetchone()
    assert metrics(at)["Values"] == f"{stored:,}"
    assert len(_history_rows(at)) == loads
    csv = tmp_path / "one-more.csv"
    csv.write_text(f"indicator_id,authority_code,period,value\n{indicator},{code},{period},1.5\n")
    import_file(writable_store, csv, "indicator_value")
    at.run()
    assert not at.exception
    assert metrics(at)["Values"] == f"{stored + 1:,}"
    history = _history_rows(at)
    assert len(history) == loads + 1
    assert "one-more.csv" in set(history.astype(str).stack())
