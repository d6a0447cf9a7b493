"""An import's problems are listed as a user reads the file: the file-level ones first, then by row and, within a
row, by the column's place in the file's header; a check's '... N more rows' line follows the rows it listed.

The checks run one after the other (numbers, then known codes, then the stored figures, ...), so before this a
problem at row 40 found by an early check was listed before one at row 7 found by a later one, and the first
problems shown (ten on the command line, fifty on the page) were not the first rows of the file.
"""

from __future__ import annotations

import pandas as pd
from apptest_helpers import problems
from store_support import imported
from test_page_import import open_import_page, upload

from benchmarking.ingest.context import store_context
from benchmarking.ingest.preview import map_sources, preview_import, read_uploaded
from benchmarking.ingest.rules import MAX_ISSUES_PER_CHECK
from benchmarking.store import Store

HEADER = ["authority_code", "indicator_id", "period", "value"]


def stored_rows(store: Store, count: int) -> pd.DataFrame:
    """Return ``count`` stored values (as text, in the header's columns) to write back with a few cells spoiled."""
    rows = store.values(["2021/22"]).sort_values(["indicator_id", "authority_code"]).head(count)
    return rows[HEADER].astype({"value": str}).reset_index(drop=True)


def csv_text(rows: pd.DataFrame, spoiled: dict[tuple[int, str], str]) -> str:
    """Return the rows as CSV text, each (file row, column) in ``spoiled`` holding its text (header = row 1)."""
    rows = rows.copy()
    for (row, column), text in spoiled.items():
        rows.loc[row - 2, column] = text
    return rows.to_csv(index=False)


SPOILED = {(40, "value"): "abc", (7, "authority_code"): "E99999999", (12, "authority_code"): "E99999998"}
SPOILED[(12, "value")] = "x1"
EXPECTED = [(7, "authority_code"), (12, "authority_code"), (12, "value"), (40, "value")]
"""Row 40's figure is found by the number check, which runs first; rows 7 and 12's codes by a later check."""


def test_the_dry_run_lists_the_problems_in_the_files_order(writable_store, tmp_path, capsys):
    """`import --dry-run`: row 7 before row 40, and on row 12 the code (column 1) before the figure (column 4)."""
    text = csv_text(stored_rows(writable_store, 45), SPOILED)
    status, shown = imported(writable_store, tmp_path, text, capsys, "--dry-run")
    assert status == 2
    listed = [line for line in shown.splitlines() if line.startswith("  - long.csv, row ")]
    located = [(int(line.split("row ")[1].split(",")[0]), line.split("column '")[1].split("'")[0]) for line in listed]
    assert located == EXPECTED, listed


def test_the_first_problems_shown_are_the_first_rows(writable_store, tmp_path, capsys):
    """A check that finds 25 bad figures from row 20 lists 20 of them and how many more; an unknown code at row 3,
    found by a later check, is listed first (the command line shows the first ten), and one at row 50 after the
    line that says how many more figures are bad."""
    spoiled = {(row, "value"): "n.k." for row in range(20, 45)}
    spoiled |= {(3, "authority_code"): "E99999999", (50, "authority_code"): "E99999998"}
    text = csv_text(stored_rows(writable_store, 55), spoiled)
    status, shown = imported(writable_store, tmp_path, text, capsys, "--dry-run")
    assert status == 2
    listed = [line for line in shown.splitlines() if line.startswith("  - long.csv")]
    assert listed[0].startswith("  - long.csv, row 3, column 'authority_code'"), listed[:3]
    files = map_sources([read_uploaded("long.csv", text.encode())], store_context(writable_store))
    issues = preview_import(writable_store, files).issues
    rows = [issue.row for issue in issues]
    more = next(n for n, issue in enumerate(issues) if issue.message.startswith("... "))
    assert rows[:more] == [3, *range(20, 20 + MAX_ISSUES_PER_CHECK)]
    assert issues[more].message == f"... {25 - MAX_ISSUES_PER_CHECK} more rows with the same problem"
    assert rows[more + 1 :] == [50]


def test_a_problem_with_the_whole_file_comes_first(writable_store):
    """A values file with no figures column (a whole-file problem, found after the rows' checks) is listed before
    the unknown code at its row 5."""
    rows = stored_rows(writable_store, 6).drop(columns="value")
    rows.loc[3, "authority_code"] = "E99999999"
    issues = preview_import(writable_store, [("indicator_value", rows, "nofigures.csv")]).issues
    assert [(issue.row, issue.column) for issue in issues] == [(None, "value"), (5, "authority_code")], issues


def test_the_data_page_lists_the_problems_in_the_files_order(writable_store, monkeypatch, tmp_path):
    """The Data import page's table of problems: the same order as the command line's."""
    text = csv_text(stored_rows(writable_store, 45), SPOILED)
    at = upload(open_import_page(writable_store.path, monkeypatch, tmp_path), ("long.csv", text.encode()))
    at.button(key="upload_preview_button").click().run()
    assert not at.exception
    table = problems(at)
    assert list(zip(table["row"].astype(int), table["column"], strict=True)) == EXPECTED
