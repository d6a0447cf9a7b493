"""The home page shows the dataset in use and its counts, read from the store."""

from pathlib import Path

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
    assert metrics["Periods"] == str(len(summary["periods"]))
    assert any("Illustrative demo data" in w.value for w in at.warning)


def test_first_run_builds_the_demo_store(tmp_path, monkeypatch):
    """With no store at the configured path, the app generates the demo and shows it."""
    import benchmarking.store as store_module

    path = tmp_path / "data" / "benchmarking.duckdb"
    monkeypatch.setattr(store_module, "DEFAULT_DB", path)
    monkeypatch.delenv("BENCHMARKING_DB", raising=False)
    import pages._common as common

    monkeypatch.setattr(common, "DEFAULT_DB", path)
    at = AppTest.from_file(APP, default_timeout=90).run()
    at.switch_page("pages/data.py").run()
    assert not at.exception
    assert path.exists()
    assert {m.label: m.value for m in at.metric}["Authorities"] == "32"
