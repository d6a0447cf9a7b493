"""A wide file's rejected figures are counted as the file's rows and its figures, everywhere the import says so.

A wide file (periods or indicators as columns) holds a figure per period or indicator column in each row. A bad
cell refuses its figure, an unknown authority every figure of its row, and ``--skip-rejected`` (the page's "Leave
out ...") leaves out just the refused figures: the row's other figures are imported. The page's metric, its
checkbox, the problem count, the command line's dry run and its result used to say "N rejected rows" with N the
figures; they now all count the file's rows and, for a wide file, its figures ("2 file rows (3 figures)"), and a
long file (a row is a figure) says it once ("2 rows"). Every number is recounted here from the file itself.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

import openpyxl
import pytest
from apptest_helpers import metrics, open_page
from test_import_wording import workbook

from benchmarking.cli.main import main
from benchmarking.text.escaping import markdown as markdown_text

KNOWN = ("E10000016", "E10000018", "E10000019", "E10000020", "E10000021")  # authorities the demo holds
UNKNOWN = "E99999999"
PERIODS = ("2019/20", "2020/21", "2021/22")  # periods the demo holds LCC078 for
INDICATORS = ("LCC078", "LCC079")

WIDE_PERIOD_ROWS = [
    ["authority_code", "indicator_id", *PERIODS],
    [KNOWN[0], "LCC078", "1.5", "2.5", "3.5"],
    [KNOWN[1], "LCC078", "4", "abc", "5"],  # one bad cell: its other 2 figures are imported
    [KNOWN[2], "LCC078", "n.k.", "7", "twelve"],  # two bad cells
    [UNKNOWN, "LCC078", "8", "9", "10"],  # an unknown authority: the whole row
    [KNOWN[3], "LCC078", "11", "12", "13"],
]
WIDE_INDICATOR_ROWS = [
    ["authority_code", "period", *INDICATORS],
    [KNOWN[0], "2021/22", 1.5, 2.5],
    [KNOWN[1], "2021/22", "abc", 3],
    [UNKNOWN, "2021/22", 4, 5],
    [KNOWN[2], "2021/22", 6, 7],
    [KNOWN[4], "2021/22", "4.1.2", "n.k."],
]
LONG_ROWS = [
    ["authority_code", "indicator_id", "period", "value"],
    [KNOWN[0], "LCC078", "2021/22", "1"],
    [KNOWN[1], "LCC078", "2021/22", "abc"],
    [UNKNOWN, "LCC078", "2021/22", "2"],
]


@dataclass(frozen=True)
class Recount:
    """What a reader counts in the file: its data rows and figures, the rows holding a refused figure, the refused
    figures, and the other figures of those rows."""

    rows: int
    figures: int
    rejected_rows: int
    rejected_figures: int
    others: int


def recount(rows: list[list[object]], figure_columns: int) -> Recount:
    """Count the file's rows (header first) by hand: a figure is refused when its cell is no number or its row's
    authority (the first column) is not one the store holds."""
    rejected_rows = rejected_figures = others = figures = 0
    for row in rows[1:]:
        cells = row[-figure_columns:]
        figures += len(cells)
        bad = [row[0] not in KNOWN or not _number(cell) for cell in cells]
        rejected_figures += sum(bad)
        if any(bad):
            rejected_rows += 1
            others += len(bad) - sum(bad)
    return Recount(len(rows) - 1, figures, rejected_rows, rejected_figures, others)


def _number(cell: object) -> bool:
    try:
        float(str(cell))
    except ValueError:
        return False
    return True


def as_csv(rows: list[list[object]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode()


def read_back(name: str, data: bytes) -> list[list[object]]:
    """Return the file's rows as written (the CSV's text, the workbook's cells), to recount from."""
    if name.endswith(".csv"):
        return list(csv.reader(io.StringIO(data.decode())))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


FILES = {
    "wide-periods.csv": (as_csv(WIDE_PERIOD_ROWS), len(PERIODS)),
    "wide-indicators.xlsx": (workbook(*WIDE_INDICATOR_ROWS), len(INDICATORS)),
}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def wide_words(n: Recount) -> dict[str, str]:
    """What the import should say of the wide file, worded from the recount."""
    return {
        "count": f"{_plural(n.rejected_rows, 'file row')} ({_plural(n.rejected_figures, 'figure')})",
        "of": f"{n.rejected_rows} of {n.rows} file rows ({n.rejected_figures} of {n.figures} figures) refused",
        "left out": f"{_plural(n.rejected_figures, 'rejected figure')} (in {_plural(n.rejected_rows, 'file row')})",
        "others": f"the other {'figure' if n.others == 1 else f'{n.others} figures'} of those rows",
    }


@pytest.mark.parametrize("name", list(FILES))
def test_the_command_line_counts_file_rows_and_figures(writable_store, tmp_path, capsys, name):
    """The dry run and the import with --skip-rejected say the rows and figures a reader counts in the file."""
    data, columns = FILES[name]
    n = recount(read_back(name, data), columns)
    assert n.rejected_rows < n.rejected_figures and n.others > 0  # the case: rows and figures differ
    words = wide_words(n)
    path = tmp_path / name
    path.write_bytes(data)
    db = ["--db", str(writable_store.path)]
    capsys.readouterr()
    assert main([*db, "import", str(path), "--dry-run"]) == 2
    said = capsys.readouterr()
    assert words["of"] in said.out, said.out
    lines = said.out.splitlines()
    at = lines.index("Preview (nothing written yet):")
    header = lines[at + 1]  # the summary table's headers call the figures figures
    assert re.search(r"\bfile rows +figures\b", header), said.out
    assert not re.search(r"(?<!file) rows\b|rejected(?! file rows| figures)", header), said.out
    table = lines[at + 2]
    assert f" {n.rows} " in table and f" {n.figures} " in table and f" {n.rejected_figures} " in table, said.out
    skipped = f"with --skip-rejected, the {words['left out']} left out, {words['others']} imported"
    assert skipped in said.err, said.err
    assert not re.search(r"\brows? left out", said.err), said.err  # no figure counted as a row
    assert main([*db, "import", str(path), "--skip-rejected"]) == 0
    done = capsys.readouterr().out
    assert f"{words['left out']} left out" in done, done
    assert "rejected rows" not in done, done


@pytest.mark.parametrize("name", list(FILES))
def test_the_page_counts_file_rows_and_figures(writable_store, monkeypatch, name):
    """The page's metric, its 'Leave out' checkbox, the problem count and the message after the commit count the
    same rows and figures, recounted from the file."""
    data, columns = FILES[name]
    n = recount(read_back(name, data), columns)
    words = wide_words(n)
    at = open_page(writable_store.path, monkeypatch, "import_data")
    at.file_uploader(key="import_files").set_value([(name, data, "application/octet-stream")])
    at.run()
    at.button(key="upload_preview_button").click().run()
    assert not at.exception, at.exception
    shown = metrics(at)
    assert "Rows rejected" not in shown
    assert "Rows to add" not in shown and "Rows to replace" not in shown and "Figures to add" in shown
    table = next(
        d.value for d in at.dataframe if "table" in d.value.columns
    )  # the summary: file rows beside figures, nothing calls figures rows
    assert "rows" not in table.columns and "rejected" not in table.columns
    assert table[["file rows", "figures", "rejected file rows", "rejected figures"]].iloc[0].tolist() == [
        n.rows,
        n.figures,
        n.rejected_rows,
        n.rejected_figures,
    ]
    assert shown["File rows rejected"] == f"{n.rejected_rows} ({_plural(n.rejected_figures, 'figure')})"
    assert any(words["of"] in error.value for error in at.error), [e.value for e in at.error]
    skip = at.checkbox(key="upload_skip")
    assert skip.label == f"Leave out the {words['left out']} and import the rest, {words['others']} too"
    skip.check().run()
    at.button(key="upload_commit").click().run()
    assert not at.exception, at.exception
    done = [success.value for success in at.success]
    assert any(markdown_text(f"{words['left out']} left out") in text for text in done), done


def test_a_long_file_says_its_rows_once(writable_store, tmp_path, capsys, monkeypatch):
    """A long file's row is one figure: the count says rows, never 'file rows (N figures)'."""
    data = as_csv(LONG_ROWS)
    n = recount(read_back("long.csv", data), 1)
    assert n.rejected_rows == n.rejected_figures == 2
    path = tmp_path / "long.csv"
    path.write_bytes(data)
    db = ["--db", str(writable_store.path)]
    capsys.readouterr()
    assert main([*db, "import", str(path), "--dry-run"]) == 2
    said = capsys.readouterr()
    assert f"{n.rejected_rows} of {n.rows} rows refused (" in said.out, said.out
    assert f"(with --skip-rejected, the {n.rejected_rows} rejected rows left out)" in said.err, said.err
    assert "figure" not in said.err, said.err
    at = open_page(writable_store.path, monkeypatch, "import_data")
    at.file_uploader(key="import_files").set_value([("long.csv", data, "text/csv")])
    at.run()
    at.button(key="upload_preview_button").click().run()
    assert metrics(at)["Rows rejected"] == str(n.rejected_rows)
    assert at.checkbox(key="upload_skip").label == f"Leave out the {n.rejected_rows} rejected rows and import the rest"
    assert main([*db, "import", str(path), "--skip-rejected"]) == 0
    assert f"; {n.rejected_rows} rejected rows left out" in capsys.readouterr().out
