"""The import preview says what will change (review v9), on the Data import page and in ``import --dry-run``:

* the replaced rows: authority, indicator, period, the stored figure and the new one, the first ones in the file's
  order and how many more (before, only "Rows to replace 5" and "value (5 rows)");
* the problems: each message whole (wrapped, never clipped in a grid cell), a whole-file problem with no row or
  column (before, "None"), the user's cells shown as text;
* the coverage: for the indicators the file brings, the authorities that existed in a period and have no figure
  (before, any figure of any indicator counted, so a new indicator missing four unitaries looked complete);
* the rows with no figure ('..', '[x]', an empty cell) counted apart from the rows to add.
"""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
from apptest_helpers import html_tables, metrics
from store_support import imported
from test_page_import import open_import_page, upload

from benchmarking.ingest.context import store_context
from benchmarking.ingest.preview import commit, map_sources, preview_import, read_uploaded
from benchmarking.method.lifetimes import existing_in
from benchmarking.store import Store

HEADER = ["indicator_id", "authority_code", "period", "value"]


def corrections(store: Store, count: int) -> tuple[pd.DataFrame, str]:
    """Return ``count`` stored 2021/22 values with their names, and a corrections file giving each a new figure."""
    rows = store.values(["2021/22"]).sort_values(["indicator_id", "authority_code"]).head(count)
    names = store.authorities().set_index("code")["name"]
    rows = rows.assign(name=rows["authority_code"].map(names), new=rows["value"].round(1) + 1).reset_index(drop=True)
    rows = rows.sample(frac=1, random_state=3).reset_index(drop=True)  # the file's order is not the store's
    text = (
        rows[["indicator_id", "authority_code", "period", "new"]].rename(columns={"new": "value"}).to_csv(index=False)
    )
    return rows, text


def figure(number: float) -> str:
    """Return a figure as the preview writes it: as stored, no exponent and no trailing zeros."""
    return np.format_float_positional(number, trim="-")


def preview_of(store: Store, name: str, text: str):
    """Return the preview of one CSV file, mapped and previewed as the page does (the authorities' lifetimes known)."""
    source = read_uploaded(name, text.encode())
    return preview_import(store, map_sources([source], store_context(store)), lifetimes=True)


def test_the_dry_run_lists_the_replaced_figures_stored_and_new(writable_store, tmp_path, capsys):
    """25 corrections: the first 20 in the file's order, each with authority name, indicator, period and stored ->
    new, then '... and 5 more'."""
    rows, text = corrections(writable_store, 25)
    status, shown = imported(writable_store, tmp_path, text, capsys, "--dry-run")
    assert status == 0, shown
    lines = shown.splitlines()
    listed = [line for line in lines if line.startswith("  long.csv: ")]
    assert len(listed) == 20, shown
    for line, row in zip(listed, rows.head(20).itertuples(), strict=True):
        assert row.name in line and row.indicator_id in line and row.period in line, line
        assert f"{figure(row.value)} -> {figure(row.new)}" in line, line
    assert "... and 5 more" in lines[lines.index(listed[-1]) + 1]


def test_the_page_lists_the_replaced_figures_stored_and_new(writable_store, monkeypatch, tmp_path):
    """The same corrections on the Data import page: a table of the first 20 changes and how many more."""
    rows, text = corrections(writable_store, 25)
    at = upload(open_import_page(writable_store.path, monkeypatch, tmp_path), ("fix.csv", text.encode()))
    at.button(key="upload_preview_button").click().run()
    assert not at.exception
    assert metrics(at)["Rows to replace"] == "25"
    [changes] = [table for table in html_tables(at) if "stored" in table.columns]
    expected = rows.head(20)
    assert list(changes["authority"]) == list(expected["name"])
    assert list(changes["indicator"]) == list(expected["indicator_id"])
    assert list(changes["stored"]) == [figure(v) for v in expected["value"]]
    assert list(changes["new"]) == [figure(v) for v in expected["new"]]
    assert any("... and 5 more" in caption.value for caption in at.caption)


def test_the_page_shows_each_problem_whole_with_blanks_where_there_is_no_row(writable_store, monkeypatch, tmp_path):
    """Problems are a wrapped HTML table, not a grid that clips the message: a whole-file problem has a blank row and
    column (not 'None'); a cell quoting the user's text shows it as text."""
    at = upload(
        open_import_page(writable_store.path, monkeypatch, tmp_path),
        ("values.xlsx", b"indicator_id,authority_code\nA,B\n"),
    )
    assert not at.exception
    assert not [grid for grid in at.dataframe if "message" in grid.value.columns]
    [problems] = [table for table in html_tables(at) if "message" in table.columns]
    assert (problems["row"].iloc[0], problems["column"].iloc[0]) == ("", "")
    assert "cannot be read as an Excel file" in problems["message"].iloc[0]

    hostile = b"indicator_id,authority_code,period,value\nLCC078,<img src=x onerror=alert(1)>,2021/22,1\n"
    at = upload(open_import_page(writable_store.path, monkeypatch, tmp_path), ("h.csv", hostile))
    at.button(key="upload_preview_button").click().run()
    assert not at.exception
    assert not [grid for grid in at.dataframe if "message" in grid.value.columns]
    body = next(node.value for node in at.get("html") if "<table" in node.value and "message" in node.value)
    assert "<img" not in body and "&lt;img src=x onerror=alert(1)&gt;" in body
    [problems] = [table for table in html_tables(at) if "message" in table.columns]
    assert problems["row"].iloc[0] == "2"
    assert "<img src=x onerror=alert(1)>" in problems["message"].iloc[0]
    assert "import the authority table first" in problems["message"].iloc[0]  # the 'what to do' half, whole


def test_the_coverage_counts_the_authorities_without_a_figure_of_the_files_indicators(shipped_store_path, tmp_path):
    """A new indicator for 2023/24 with a figure for every authority of the time but the unitaries formed in 2023:
    the coverage says those are missing, though they hold figures of other indicators."""
    path = tmp_path / "store.duckdb"
    shutil.copy(shipped_store_path, path)
    store = Store(path)
    catalogue = "id,name,theme,polarity,unit\nLOC_NEW,A new local measure,Corporate,high,%\n"
    commit(store, map_sources([read_uploaded("cat.csv", catalogue.encode())], store_context(store), table="indicator"))
    authorities = store.authorities()
    codes = list(authorities["code"])
    then, before = existing_in(codes, "2023/24"), existing_in(codes, "2022/23")
    formed = [code for code, now, earlier in zip(codes, then, before, strict=True) if now and not earlier]
    assert formed, "the shipped areas hold unitaries formed in 2023"
    given = [code for code, now in zip(codes, then, strict=True) if now and code not in formed]
    text = "indicator_id,authority_code,period,value\n" + "".join(
        f"LOC_NEW,{c},2023/24,{n}\n" for n, c in enumerate(given)
    )
    coverage = preview_of(store, "new.csv", text).authorities.set_index("period").loc["2023/24"]
    assert coverage["missing_after"] == len(formed)
    names = authorities.set_index("code").loc[formed, "name"]
    assert set(coverage["still_missing"].split(", ")) == set(names)
    assert (coverage["authorities_before"], coverage["authorities_after"]) == (0, len(given))


MARKERS = """\
indicator_id,authority_code,period,value
LCC078,E10000018,2022/23,12
LCC078,E10000016,2022/23,..
LCC078,E10000017,2022/23,[x]
LCC078,E10000018,2021/22,..
"""
"""One figure and two 'not available' cells for a new period, and a marker over a stored figure (refused)."""


def test_cells_with_no_figure_are_counted_apart_from_the_rows_to_add(writable_store, tmp_path, capsys):
    """The preview counts the two marker cells apart ('no figure'), not as rows to add; the marker over a stored
    figure is still refused at its row; the dry run and the commit say the same."""
    preview = preview_of(writable_store, "m.csv", MARKERS)
    assert (preview.added, preview.no_figure, preview.rejected) == (1, 2, 1)
    status, shown = imported(writable_store, tmp_path, MARKERS, capsys, "--dry-run")
    assert status == 2
    assert "2 rows have no figure" in shown and "row 5, column 'value'" in shown
    status, shown = imported(writable_store, tmp_path, MARKERS, capsys, "--skip-rejected")
    assert status == 0
    assert "1 row added" in shown and "2 with no figure" in shown, shown


def test_the_page_counts_the_cells_with_no_figure_apart(writable_store, monkeypatch, tmp_path):
    """On the Data import page: 'Rows to add' is the one figure; the two marker cells are said apart."""
    at = upload(open_import_page(writable_store.path, monkeypatch, tmp_path), ("m.csv", MARKERS.encode()))
    at.button(key="upload_preview_button").click().run()
    assert not at.exception
    assert metrics(at)["Rows to add"] == "1"
    assert any("2 rows have no figure" in note.value for note in [*at.info, *at.caption])


def test_rows_changing_two_columns_are_listed_and_counted_as_rows(writable_store):
    """25 corrections that change the figure and the status of each row: the listing names 20 rows (a line per
    column that changes, 40 lines) and says 5 more rows, not 25 - 40."""
    _, text = corrections(writable_store, 25)
    text = text.replace("value\n", "value,status\n", 1).replace("\n", ",revised\n").replace("status,revised", "status")
    preview = preview_of(writable_store, "fix.csv", text)
    assert not preview.issues and preview.replaced == 25
    assert len(preview.changes) == 40 and set(preview.changes["column"]) == {"value", "status"}
    assert preview.changes_more == 5


def test_the_preview_is_built_with_its_notes_the_unused_columns_first(writable_store):
    """The notes say how the files were read: the columns no field takes first, then the checks' notes (a new theme).
    The preview is built with them, whole: its notes are fixed (a tuple), not put in front afterwards."""
    text = "id,name,theme,polarity,comment\nNEW1,A new indicator,A brand new theme,high,ask Sam\n"
    preview = preview_of(writable_store, "indicators.csv", text)
    assert not preview.issues, preview.issues
    assert isinstance(preview.notes, tuple), type(preview.notes)
    assert "'comment'" in preview.notes[0] and "not used" in preview.notes[0], preview.notes
    assert any("A brand new theme" in note for note in preview.notes[1:]), preview.notes
