"""The home page shows the dataset in use and its counts, read from the store."""

from pathlib import Path

from apptest_helpers import EARLIER, catalogue, choose, counts, html_tables, open_page, open_section, shows_demo_banner
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def test_home_renders_counts_from_the_store(demo_store, monkeypatch):
    """The metrics equal the store's own counts, and the demo banner is shown."""
    monkeypatch.setenv("BENCHMARKING_DB", str(demo_store.path))
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("pages/data.py").run()
    assert not at.exception
    summary = demo_store.summary()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Authorities"] == f"{summary.authorities:,}"
    assert metrics["Indicators"] == f"{summary.indicators:,}"
    assert metrics["Values"] == f"{summary.values:,}"
    # the demo publishes one label per financial year, so reporting periods = stored periods
    assert metrics["Reporting periods"] == str(len(summary.periods))
    assert any("Illustrative demo data" in w.value for w in at.warning)


def test_first_run_without_the_extract_builds_the_demo_store(tmp_path, monkeypatch):
    """With no store at the configured path and no shipped extract, the app generates the demo and
    shows it (the first run from the extract itself: tests/test_first_run.py)."""
    import benchmarking.paths as paths_module

    path = tmp_path / "data" / "benchmarking.duckdb"
    monkeypatch.setattr(paths_module, "DEFAULT_DB", path)
    monkeypatch.delenv("BENCHMARKING_DB", raising=False)
    monkeypatch.setenv("BENCHMARKING_EXTRACT", str(tmp_path / "no-extract"))
    at = AppTest.from_file(APP, default_timeout=90).run()
    at.switch_page("pages/data.py").run()
    assert not at.exception
    assert path.exists()
    assert {m.label: m.value for m in at.metric}["Authorities"] == "32"


def test_coverage_follows_the_chosen_period(demo_store, monkeypatch):
    """After choosing another period, the coverage table counts that period's stored values."""
    at = open_page(demo_store.path, monkeypatch, "data")
    choose(at, "period", EARLIER)
    assert not at.exception
    assert f"Coverage in {EARLIER}" in [subheader.value for subheader in at.subheader]
    values = catalogue(str(demo_store.path)).values
    stored = int(values.loc[values["period"] == EARLIER, "value"].notna().sum())
    coverage = counts(next(table for table in html_tables(at) if "With values" in table.columns))
    assert int(coverage["Values"].sum()) == stored


def test_closed_sections_draw_no_tables_or_forms_until_opened(demo_store, monkeypatch):
    """The Data page opens with its coverage, baskets and saved groups as plain HTML tables and no data grid: the
    missing-value tables, the load history, the notes, the note form and the basket and group builders are drawn
    when their section is opened."""
    at = open_page(demo_store.path, monkeypatch, "data")
    assert not at.exception
    shown = [("With values" in t.columns, "Basket" in t.columns, "Group" in t.columns) for t in html_tables(at)]
    assert shown == [(1, 0, 0), (0, 1, 0), (0, 0, 1)]
    assert not at.dataframe and not at.text_input and not at.tabs and not at.multiselect
    open_section(at, "data_notes")
    assert [list(frame.value.columns)[:3] for frame in at.dataframe] == [["indicator_id", "authority_code", "period"]]
    open_section(at, "data_missing")
    missing = [frame.value for frame in at.dataframe if "Missing values" in frame.value.columns]
    assert [list(frame.columns) for frame in missing] == [
        ["Authority", "Missing values"],
        ["Indicator", "Missing values"],
    ]
    open_section(at, "data_history")
    assert any("loaded_at" in frame.value.columns for frame in at.dataframe)
    open_section(at, "data_add_note")
    assert [box.label for box in at.text_input] == ["Note"]
    open_section(at, "data_basket_builder")
    assert len(at.tabs) == 4
    open_section(at, "data_group_builder")
    assert len(at.tabs) == 4 + 2


def test_query_param_presets_the_period_on_the_data_page(demo_store, monkeypatch):
    """A link carrying ?period= opens the Data page on that period, with the demo banner."""
    at = open_page(demo_store.path, monkeypatch, "data", query={"period": EARLIER})
    assert not at.exception
    assert f"Coverage in {EARLIER}" in [subheader.value for subheader in at.subheader]
    assert shows_demo_banner(at)


# -- the service functions the Data page draws from -----------------------------------------


def test_period_coverage_counts_by_theme_and_missing_values_by_hand():
    """Three indicators, two authorities, one period: counts worked out by hand."""
    import numpy as np
    import pandas as pd

    from benchmarking.service.data_admin import period_coverage

    nan = np.nan
    values = pd.DataFrame(
        {
            "indicator_id": ["I1", "I1", "I2", "I3", "I1"],
            "authority_code": ["A1", "A2", "A1", "A1", "A1"],
            "period": ["P", "P", "P", "P", "Q"],
            "value": [1.0, nan, 2.0, nan, 5.0],
            "status": ["final", None, "provisional", None, "revised"],
            "years_older": [0, 0, 1, 0, 0],
        }
    )
    indicators = pd.DataFrame({"id": ["I1", "I2", "I3"], "name": ["One", "Two", "Three"], "theme": ["T1", "T1", "T2"]})
    authorities = pd.DataFrame({"code": ["A1", "A2"], "name": ["Alpha", "Beta"]})
    coverage = period_coverage(values, indicators, authorities, "P")
    themes = {theme: {k: int(v) for k, v in row.items()} for theme, row in coverage.by_theme.iterrows()}
    assert themes == {
        "T1": {"indicators": 2, "with_values": 2, "values": 2, "older": 1, "provisional": 1, "revised": 0},
        "T2": {"indicators": 1, "with_values": 0, "values": 0, "older": 0, "provisional": 0, "revised": 0},
    }
    by_authority = coverage.missing_by_authority
    assert list(by_authority.columns) == ["Authority", "Missing values"]
    assert dict(zip(by_authority["Authority"], by_authority["Missing values"])) == {"Alpha": 1, "Beta": 1}
    by_indicator = coverage.missing_by_indicator
    assert list(by_indicator.columns) == ["Indicator", "Missing values"]
    assert list(by_indicator["Missing values"]) == [1, 1, 0] and by_indicator["Indicator"].iloc[-1] == "Two"


def test_a_saved_note_is_an_import_that_can_be_undone(writable_store):
    """save_note writes one checked note; last_import then names it, and undoing removes it."""
    import pytest

    from benchmarking.errors import ImportValidationError
    from benchmarking.service.data_admin import last_import, save_note, undo_last_import

    assert last_import(writable_store) is None  # the demo store holds only what it was built with
    before = len(writable_store.table("note"))
    result = save_note(writable_store.path, "LCC078", "*", "*", "Definition changed")
    assert result.counts["note"] == {"added": 1, "replaced": 0}
    notes = writable_store.table("note")
    assert len(notes) == before + 1 and "Definition changed" in set(notes["note"])
    assert last_import(writable_store)["name"] == "Context note"
    assert undo_last_import(writable_store)["name"] == "Context note"
    assert len(writable_store.table("note")) == before and last_import(writable_store) is None
    with pytest.raises(ImportValidationError, match="unknown indicator 'NOPE'"):
        save_note(writable_store.path, "NOPE", "*", "*", "text")


def test_the_coverage_table_shows_counts_as_whole_numbers(shipped_store_path, monkeypatch):
    """On the shipped store (some indicators have no figures in the period) the coverage counts read "5,914",
    never "5,914.0"."""
    at = open_page(shipped_store_path, monkeypatch, "data")
    assert not at.exception, [e.value for e in at.exception]
    coverage = next(table for table in html_tables(at) if "With values" in table.columns)
    cells = coverage.stack()
    assert len(cells) and cells.str.fullmatch(r"\d{1,3}(,\d{3})*").all(), sorted(set(cells))[:5]


def test_the_values_count_says_why_the_values_csv_is_longer(shipped_store_path, monkeypatch):
    """'Values' counts the figures held; the page says the Indicator values CSV has a row for each missing one
    too, so its row count (the store's rows, counted here in SQL) is not a surprise."""
    from benchmarking.store import Store

    with Store(shipped_store_path).reading() as con:
        rows, held = con.execute("SELECT count(*), count(value) FROM indicator_value").fetchone()
    assert rows > held  # the real store holds missing values
    at = open_page(shipped_store_path, monkeypatch, "data")
    assert {m.label: m.value for m in at.metric}["Values"] == f"{held:,}"
    assert any(
        f"{rows:,} rows" in c.value and f"{held:,} figures held" in c.value and f"{rows - held:,} missing" in c.value
        for c in at.caption
    )
