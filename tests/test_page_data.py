"""The home page shows the dataset in use and its counts, read from the store."""

from pathlib import Path

from apptest_helpers import EARLIER, catalogue, choose, open_page, shows_demo_banner
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
    assert metrics["Authorities"] == f"{summary['authorities']:,}"
    assert metrics["Indicators"] == f"{summary['indicators']:,}"
    assert metrics["Values"] == f"{summary['values']:,}"
    # the demo publishes one label per financial year, so reporting periods = stored periods
    assert metrics["Reporting periods"] == str(len(summary["periods"]))
    assert any("Illustrative demo data" in w.value for w in at.warning)


def test_first_run_builds_the_demo_store(tmp_path, monkeypatch):
    """With no store at the configured path, the app generates the demo and shows it."""
    import benchmarking.paths as paths_module

    path = tmp_path / "data" / "benchmarking.duckdb"
    monkeypatch.setattr(paths_module, "DEFAULT_DB", path)
    monkeypatch.delenv("BENCHMARKING_DB", raising=False)
    import pages._common as common

    monkeypatch.setattr(common, "DEFAULT_DB", path)
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
    coverage = next(frame.value for frame in at.dataframe if "With values" in frame.value.columns)
    assert int(coverage["Values"].sum()) == stored


def test_query_param_presets_the_period_on_the_data_page(demo_store, monkeypatch):
    """A link carrying ?period= opens the Data page on that period, with the demo banner."""
    at = open_page(demo_store.path, monkeypatch, "data", query={"period": EARLIER})
    assert not at.exception
    assert f"Coverage in {EARLIER}" in [subheader.value for subheader in at.subheader]
    assert shows_demo_banner(at)
