"""Periods and focus written as people write them (review e1): a publisher's year ("2022-23") is named as the
reporting period to write on the command line and read as it in a link; a link's focus code in lower case or an
authority's name opens that authority; with no store the message names the real data's command first."""

from __future__ import annotations

from apptest_helpers import open_page, sidebar_box

from benchmarking.cli.main import main


def _notices(at) -> list[str]:
    return [w.value for w in at.warning if "The link asks for" in w.value]


def test_the_cli_says_how_to_write_a_publishers_year(shipped_store_path, capsys):
    for command in ("positions", "ranks"):
        assert main(["--db", str(shipped_store_path), command, "--period", "2022-23"]) == 2
        assert "write the reporting period 2022/23" in capsys.readouterr().err


def test_a_period_the_store_does_not_hold_still_lists_the_periods(shipped_store_path, capsys):
    assert main(["--db", str(shipped_store_path), "positions", "--period", "1066/67"]) == 2
    err = capsys.readouterr().err
    assert "no values for period '1066/67'" in err and "2022/23" in err


def test_a_link_with_a_publishers_year_and_a_lower_case_code_opens_them(shipped_store_path, monkeypatch):
    at = open_page(shipped_store_path, monkeypatch, "overview", query={"focus": "e10000018", "period": "2022-23"})
    assert not at.exception and not _notices(at)
    assert sidebar_box(at, "focus").value == "E10000018"
    assert sidebar_box(at, "period").value == "2022/23"
    assert at.query_params["period"] == "2022/23"  # the link is mended


def test_a_link_naming_the_focus_opens_it(shipped_store_path, monkeypatch):
    at = open_page(shipped_store_path, monkeypatch, "overview", query={"focus": "Leicestershire"})
    assert not at.exception and not _notices(at)
    assert sidebar_box(at, "focus").value == "E10000018"


def test_with_no_store_the_real_data_is_suggested(tmp_path, capsys):
    missing = tmp_path / "none.duckdb"
    assert main(["--db", str(missing), "positions", "--period", "2022/23"]) == 2
    err = capsys.readouterr().err
    assert f"load-extract --out {missing}" in err and "demo" in err
