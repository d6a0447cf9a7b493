"""The period rules on every import path, and a status marker that its status cell contradicts.

The demo store holds LCC078's final figures for 2021/22. Provisional figures never replace
final ones, whether they come through ``import`` (a file and its mapping), ``import_file``,
or a publisher's adapter (``import-source``, or its items into ``preview_import``/``commit``);
a label such as ``2021/22 (P)`` whose status cell says another status is refused naming both;
and each refusal names the file's column that made the row what it is.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pandas as pd
import pytest

from benchmarking.adapters.mhclg_housing import ADAPTER, INDICATOR_ID
from benchmarking.cli import main
from benchmarking.errors import ImportValidationError
from benchmarking.ingest.context import store_context
from benchmarking.ingest.preview import commit, import_file, map_sources, preview_import, read_uploaded
from benchmarking.ingest.rules import MAX_ISSUES_PER_CHECK
from tests.test_adapter_mhclg_housing import FIXTURE, context

OVER_FINAL = "provisional figures do not replace final ones"
HEADER = "indicator_id,authority_code,period,value,status"


def previewed(store, data: str, name: str = "v.csv"):
    """Return the preview of one uploaded values file, mapped as the page and the command line map it."""
    source = read_uploaded(name, data.encode())
    return preview_import(store, map_sources([source], store_context(store)))


def located(preview, text: str) -> list[tuple[int | None, str | None]]:
    """Return the (row, column) of each problem whose message holds ``text``."""
    return [(issue.row, issue.column) for issue in preview.issues if text in issue.message]


def stored(store, indicator: str, code: str, period: str) -> tuple[float, str]:
    """Return the stored (value, status) of one figure."""
    rows = store.values([period]).query("indicator_id == @indicator and authority_code == @code")
    return tuple(rows[["value", "status"]].iloc[0])


# -- bug 1: every path that writes values keeps the rules ---------------------------------------------------------


def test_import_file_refuses_provisional_figures_over_final_ones(writable_store, tmp_path):
    """``import_file`` takes the command line's steps: the provisional figure is refused and nothing is written."""
    path = tmp_path / "v.csv"
    path.write_text(f"{HEADER}\nLCC078,E10000018,2021/22,5,provisional\n", encoding="utf-8")
    before = writable_store.checksums()
    with pytest.raises(ImportValidationError, match=OVER_FINAL):
        import_file(writable_store, path, "indicator_value")
    assert writable_store.checksums() == before


def test_import_frames_items_keep_the_rules_and_skip_just_their_rows(writable_store):
    """An adapter-style item (no mapping): both refusals listed at their rows; with skip_rejected the good row only."""
    frame = pd.DataFrame(
        {
            "indicator_id": ["LCC078", "LCC078", "LCC078"],
            "authority_code": ["E10000018", "E10000016", "E10000019"],
            "period": ["2021/22", "Mar 2022", "2021/22"],
            "value": [5.0, 6.0, 7.0],
            "status": ["provisional", "final", "revised"],
        }
    )
    preview = preview_import(writable_store, [("indicator_value", frame, "item")])
    assert located(preview, OVER_FINAL) == [(2, "status")]
    assert located(preview, "'Mar 2022' is not a financial year") == [(3, "period")]
    kept = stored(writable_store, "LCC078", "E10000018", "2021/22")
    result = commit(writable_store, [("indicator_value", frame, "item")], skip_rejected=True)
    assert (result.rejected, result.replaced) == (2, 1)
    assert stored(writable_store, "LCC078", "E10000018", "2021/22") == kept
    assert stored(writable_store, "LCC078", "E10000019", "2021/22") == (7.0, "revised")


@pytest.fixture
def housing_store(writable_store, tmp_path):
    """The demo store with the authorities MHCLG's Live Table 122 fixture names, and that table loaded through
    ``import-source`` (2024-25 provisional), then its final 2024-25 figure for Leicestershire imported."""
    db = ["--db", str(writable_store.path)]
    authorities = tmp_path / "authorities.csv"
    authorities.write_text(
        "code,name,kind,region,population\n"
        "E10000002,Buckinghamshire County Council,county council,South East,500000\n"
        "E06000063,Cumberland,unitary,North West,270000\n",
        encoding="utf-8",
    )
    assert main([*db, "import", str(authorities), "--table", "authority"]) == 0
    assert main([*db, "import-source", ADAPTER.name, "--source", str(FIXTURE)]) == 0
    final = tmp_path / "final.csv"
    final.write_text(f"{HEADER}\n{INDICATOR_ID},E10000018,2024-25,3200,final\n", encoding="utf-8")
    assert main([*db, "import", str(final), "--table", "indicator_value"]) == 0
    assert stored(writable_store, INDICATOR_ID, "E10000018", "2024-25") == (3200.0, "final")
    return writable_store


def test_import_source_never_replaces_a_stored_final_figure_with_a_provisional_one(housing_store, capsys):
    """The publisher's file loaded again (its 2024-25 provisional): refused at the row and its status column, and
    the store keeps the final figure."""
    db = ["--db", str(housing_store.path)]
    capsys.readouterr()
    before = housing_store.checksums()
    assert main([*db, "import-source", ADAPTER.name, "--source", str(FIXTURE)]) == 2
    shown = capsys.readouterr()
    text = shown.out + shown.err
    assert re.search(
        r"column 'status': provisional figures for mhclg:lt122-net-additional-dwellings in '2024-25'", text
    )
    assert housing_store.checksums() == before
    assert stored(housing_store, INDICATOR_ID, "E10000018", "2024-25") == (3200.0, "final")


def test_import_source_skip_rejected_leaves_out_the_refused_rows_and_loads_the_rest(housing_store, capsys):
    """``import-source --skip-rejected`` means what ``import --skip-rejected`` means: the three provisional rows over
    final figures are left out and counted, the rest is loaded as a new import, and the final figure stays."""
    db = ["--db", str(housing_store.path)]
    loads = len(housing_store.datasets())
    capsys.readouterr()
    assert main([*db, "import-source", ADAPTER.name, "--source", str(FIXTURE), "--skip-rejected"]) == 0
    assert "3 rejected rows left out" in capsys.readouterr().out
    assert len(housing_store.datasets()) == loads + 1
    assert stored(housing_store, INDICATOR_ID, "E10000018", "2024-25") == (3200.0, "final")


def test_import_source_words_skip_rejected_as_import_does():
    """The option's help is the ``import`` command's, word for word."""
    from benchmarking.cli.main import build_parser

    def help_of(command: str) -> str:
        commands = next(a for a in build_parser(command)._actions if isinstance(a, argparse._SubParsersAction))
        option = next(a for a in commands.choices[command]._actions if "--skip-rejected" in a.option_strings)
        return option.help

    assert help_of("import-source") == help_of("import")


def test_an_adapters_items_are_refused_in_the_preview_and_the_commit(housing_store):
    """The adapter's items into ``preview_import`` and ``commit``: 2024-25's final figures are stored, so its three
    provisional ones are refused; with skip_rejected every other row is written and the final figure kept."""
    items = ADAPTER.items(Path(FIXTURE), context()).items
    preview = preview_import(housing_store, items)
    refused = [issue for issue in preview.issues if OVER_FINAL in issue.message]
    assert [issue.column for issue in refused] == ["status"] * 3 and all("'2024-25'" in i.message for i in refused)
    assert preview.rejected == 3
    with pytest.raises(ImportValidationError, match=OVER_FINAL):
        commit(housing_store, items)
    result = commit(housing_store, items, skip_rejected=True)
    assert result.rejected == 3
    assert stored(housing_store, INDICATOR_ID, "E10000018", "2024-25") == (3200.0, "final")


# -- bug 2: a marker of another status than its status cell ---------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "cell", "named"),
    [
        ("2021/22 (P)", "final", "marked provisional but its status is 'final'"),
        ("2021/22 (P)", " Final ", "marked provisional but its status is 'final'"),
        ("2021/22 (R)", "provisional", "marked revised but its status is 'provisional'"),
        ("2021/22 (OT)", "revised", "marked final but its status is 'revised'"),
    ],
)
def test_a_marker_that_its_status_cell_contradicts_is_refused_naming_both(writable_store, label, cell, named):
    """The row is a problem at its period column, listed beside the others, and nothing is stored from it."""
    preview = previewed(writable_store, f"{HEADER}\nLCC078,E10000018,{label},5,{cell}\nLCC078,E10000016,2021/22,6,\n")
    message = f"period {label!r} is {named}: give one"
    assert [(issue.row, issue.column, issue.message) for issue in preview.issues] == [(2, "period", message)]
    assert (preview.rejected, preview.replaced) == (1, 1)


@pytest.mark.parametrize(
    ("label", "cell", "status"),
    [
        ("2022/23 (P)", "provisional", "provisional"),
        ("2022/23 (P)", "", "provisional"),
        ("2022/23 (R)", "Revised", "revised"),
        ("2022/23 (OT)", "final", "final"),
    ],
)
def test_a_marker_with_the_same_status_or_an_empty_cell_is_taken(writable_store, label, cell, status):
    """The marker and its cell agree (any case), or the cell is empty: the figure is stored under the plain label."""
    preview = previewed(writable_store, f"{HEADER}\nLCC078,E10000018,{label},5,{cell}\n")
    assert preview.issues == [] and preview.added == 1
    commit(writable_store, [preview.items[0]], preview=preview)
    assert stored(writable_store, "LCC078", "E10000018", "2022/23") == (5.0, status)


def test_the_command_line_lists_the_contradiction_and_skips_just_its_row(writable_store, tmp_path, capsys):
    """--dry-run lists it (exit 2); without --skip-rejected nothing is written (exit 2); with it the other row is."""
    path = tmp_path / "v.csv"
    path.write_text(f"{HEADER}\nLCC078,E10000018,2021/22 (P),5,final\nLCC078,E10000016,2021/22,6,final\n")
    db = ["--db", str(writable_store.path)]
    assert main([*db, "import", str(path), "--dry-run"]) == 2
    assert (
        "v.csv, row 2, column 'period': period '2021/22 (P)' is marked provisional but its status is 'final': "
        "give one" in capsys.readouterr().out
    )
    before = writable_store.checksums()
    assert main([*db, "import", str(path)]) == 2
    assert writable_store.checksums() == before
    kept = stored(writable_store, "LCC078", "E10000018", "2021/22")
    assert main([*db, "import", str(path), "--skip-rejected"]) == 0
    assert "1 rejected row left out" in capsys.readouterr().out
    assert stored(writable_store, "LCC078", "E10000018", "2021/22") == kept
    assert stored(writable_store, "LCC078", "E10000016", "2021/22") == (6.0, "final")


# -- review r4: a provisional marker on a table that keeps no status -----------------------------------------------

NO_STATUS_FILES = {
    "spend": ("authority_code,period,service,net_expenditure_per_head", "E10000018,{label},total,1234"),
    "funding": ("authority_code,period,core_spending_power_per_head", "E10000018,{label},900"),
    "dashboard_extra": ("indicator_id,period,target,commentary", "LCC078,{label},5,on track"),
}
"""A file of each table whose rows keep no status, as header and a row whose period is ``{label}``."""


@pytest.mark.parametrize("table", list(NO_STATUS_FILES))
def test_a_provisional_marker_on_a_table_that_keeps_no_status_is_refused_at_its_row(writable_store, table):
    """``2022/23 (P)`` in spend, funding or dashboard_extra would be stored as if final: refused at its row and the
    period's column, saying what the marker means, that the table keeps no status and what to do."""
    header, row = NO_STATUS_FILES[table]
    preview = previewed(writable_store, f"{header}\n{row.format(label='2022/23 (P)')}\n")
    [issue] = preview.issues
    assert (issue.row, issue.column) == (2, "period")
    for words in ("'2022/23 (P)'", "provisional", f"table {table} keeps no status", "drop the marker"):
        assert words in issue.message
    assert preview.rejected == 1


@pytest.mark.parametrize("table", list(NO_STATUS_FILES))
@pytest.mark.parametrize("label", ["2022/23 (R)", "2022/23 (Final)"])
def test_a_final_or_revised_marker_on_a_table_that_keeps_no_status_is_no_part_of_the_period(
    writable_store, table, label
):
    """Revised and final figures are the figures such a table keeps: the marker is dropped, never a period of its
    own."""
    header, row = NO_STATUS_FILES[table]
    preview = previewed(writable_store, f"{header}\n{row.format(label=label)}\n")
    assert preview.issues == []
    commit(writable_store, [preview.items[0]], preview=preview)
    assert "2022/23" in set(writable_store.periods()["label"])
    assert label not in set(writable_store.periods()["label"])


# -- bug 3: the refusal names the column that made the row provisional ----------------------------------------------


@pytest.mark.parametrize(
    ("header", "row", "column"),
    [
        (HEADER, "LCC078,E10000018,2021/22,5,provisional", "status"),
        (HEADER, "LCC078,E10000018,2021/22 (P),5,", "period"),
        ("Indicator,Code,Year,Value,Figures", "LCC078,E10000018,2021/22,5,provisional", "Figures"),
        ("Indicator,Code,Year,Value,Figures", "LCC078,E10000018,2021/22 (P),5,", "Year"),
        ("Indicator,Code,Year,Value", "LCC078,E10000018,2021/22 (P),5", "Year"),
    ],
)
def test_provisional_over_final_names_the_column_that_made_the_row_provisional(writable_store, header, row, column):
    """The status cell when it says provisional, the period's column when its marker does (the file's own names)."""
    lines = f"{header}\n{row}\n"
    source = read_uploaded("v.csv", lines.encode())
    mapping = None
    if header.startswith("Indicator"):
        from benchmarking.ingest.layouts import LONG, ColumnMapping

        fields = {"indicator_id": "Indicator", "authority_code": "Code", "period": "Year", "value": "Value"}
        if "Figures" in header:
            fields["status"] = "Figures"
        mapping = {"v.csv": ColumnMapping("indicator_value", LONG, fields)}
    preview = preview_import(writable_store, map_sources([source], store_context(writable_store), mapping))
    assert located(preview, OVER_FINAL) == [(2, column)]


def test_the_refusals_from_the_status_column_are_listed_within_the_limit_of_a_check(writable_store):
    """Provisional figures by the status column for every authority: the first ones at 'status', then how many."""
    codes = sorted(writable_store.authorities()["code"])
    lines = [HEADER, *(f"LCC078,{code},2021/22,{i},provisional" for i, code in enumerate(codes))]
    preview = previewed(writable_store, "\n".join(lines))
    assert located(preview, OVER_FINAL) == [(row, "status") for row in range(2, 2 + MAX_ISSUES_PER_CHECK)]
    assert preview.rejected == len(codes)


# -- bug 4: a span of calendar years names every financial year it overlaps ------------------------------------------


def test_a_three_year_span_names_the_four_financial_years_its_days_overlap(writable_store):
    """``2020-2022`` is 1 Jan 2020 to 31 Dec 2022: 2019/20 (its January to March) to 2022/23 (April to December)."""
    preview = previewed(writable_store, "indicator_id,authority_code,period,value\nLCC078,E10000018,2020-2022,5\n")
    [message] = [issue.message for issue in preview.issues]
    assert message.endswith(
        "give the financial year it belongs to: '2019/20' (held) or '2020/21' (held) or '2021/22' (held) or "
        "'2022/23' (not held yet)"
    )


def test_provisional_figures_do_not_replace_revised_ones(writable_store):
    """A revised figure is a final one corrected: provisional figures for its indicator and period are refused, by a
    status cell or by a marker, naming what is stored, and the revised figure stays."""
    rows = writable_store.values(["2021/22"]).query("indicator_id == 'LCC078'")
    revised = rows[["indicator_id", "authority_code", "period", "value"]].assign(status="revised")
    commit(writable_store, [("indicator_value", revised, "revised")])  # the pair's figures all revised now
    kept = stored(writable_store, "LCC078", "E10000018", "2021/22")
    assert kept[1] == "revised"
    for data in (f"{HEADER}\nLCC078,E10000018,2021/22,9,provisional\n", f"{HEADER}\nLCC078,E10000018,2021/22 (P),9,\n"):
        preview = previewed(writable_store, data)
        assert located(preview, OVER_FINAL) and "whose revised figures are stored" in preview.issues[0].message
        with pytest.raises(ImportValidationError, match=OVER_FINAL):
            commit(writable_store, map_sources([read_uploaded("v.csv", data.encode())], store_context(writable_store)))
    assert stored(writable_store, "LCC078", "E10000018", "2021/22") == kept


def test_one_period_written_several_ways_in_a_file_is_stored_under_one_label(writable_store):
    """'2010/11', '2010-11 (P)' and '2010/2011' name the same days: a file holding all three stores one label, spelt as
    the store's labels are, and the same authority under two of them is refused as a repeated key."""
    assert "2010/11" not in set(writable_store.periods()["label"])
    rows = "LCC078,E10000018,2010/11,1,\nLCC078,E10000016,2010-11 (P),2,\nLCC078,E10000019,2010/2011,3,final\n"
    commit(
        writable_store,
        map_sources([read_uploaded("v.csv", f"{HEADER}\n{rows}".encode())], store_context(writable_store)),
    )
    values = writable_store.values()
    written = values[values["indicator_id"].eq("LCC078") & values["period"].astype(str).str.startswith("2010")]
    assert sorted(written["period"]) == ["2010/11"] * 3
    assert sorted(written["status"]) == ["final", "final", "provisional"]
    twice = f"{HEADER}\nLCC078,E10000018,2009/10,1,\nLCC078,E10000018,2009-10,2,\n"
    preview = previewed(writable_store, twice)
    assert [issue.row for issue in preview.issues if "duplicate key" in issue.message] == [2], preview.issues
