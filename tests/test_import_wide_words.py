"""Every count of an import's preview and result names what it counts: a wide file's figures as figures.

A wide file (periods as columns) holds a figure per period column in each row, so its counts of checked rows are
figures: the summary's "columns changed" ("value (6 figures)"), the listing of the stored figures it replaces, the
cells with no figure and the result after the commit ("... of 15 figures read from 5 file rows") used to call them
rows. A long file's row is one figure: its wording stays "rows". Every number is recounted here from the file and
the store, read apart from the preview.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb
import pytest
from apptest_helpers import open_page

from benchmarking.cli.main import main
from benchmarking.text.escaping import markdown as markdown_text

INDICATOR = "LCC078"
UNKNOWN = "E99999999"
MARKER = ".."


def stored_values(path) -> dict[tuple[str, str], float | None]:
    """Return (authority, period) -> the stored figure of the indicator (None: stored as missing)."""
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute(
            "SELECT authority_code, period, value FROM indicator_value WHERE indicator_id = ?", [INDICATOR]
        ).fetchall()
    return {(code, period): value for code, period, value in rows}


def known_authorities(path) -> set[str]:
    with duckdb.connect(str(path), read_only=True) as con:
        return {code for (code,) in con.execute("SELECT code FROM authority").fetchall()}


def wide_file(path) -> tuple[str, list[tuple[str, str, str]]]:
    """Return a wide file (periods as columns) over the demo store, and its cells as (authority, period, cell):
    a figure that changes, one stored already, one for a new period, markers where nothing is stored, a bad cell
    and an unknown authority's row."""
    same = stored_values(path)[("E10000018", "2019/20")]
    periods = ("2019/20", "2021/22", "2022/23")
    rows = [
        ("E10000016", "650", "1.5", MARKER),
        ("E10000018", f"{same}", "2.5", "3"),
        ("E10000019", "abc", "4", "5"),
        (UNKNOWN, "8", "9", "10"),
        ("E10000020", "11", "12", MARKER),
    ]
    text = f"authority_code,indicator_id,{','.join(periods)}\n" + "".join(
        f"{code},{INDICATOR},{','.join(cells)}\n" for code, *cells in rows
    )
    return text, [(code, period, cell) for code, *cells in rows for period, cell in zip(periods, cells, strict=True)]


def long_file(path) -> tuple[str, list[tuple[str, str, str]]]:
    """Return a long file (one figure per row) with the same kinds of cells, and its cells."""
    same = stored_values(path)[("E10000018", "2019/20")]
    cells = [
        ("E10000016", "2019/20", "650"),
        ("E10000018", "2019/20", f"{same}"),
        ("E10000018", "2022/23", MARKER),
        ("E10000016", "2022/23", MARKER),
        ("E10000019", "2021/22", "abc"),
        (UNKNOWN, "2021/22", "3"),
        ("E10000020", "2021/22", "12"),
        ("E10000024", "2022/23", "7"),
        ("E10000020", "2022/23", "8"),
    ]
    text = "authority_code,indicator_id,period,value\n" + "".join(
        f"{code},{INDICATOR},{period},{cell}\n" for code, period, cell in cells
    )
    return text, cells


@dataclass(frozen=True)
class Recount:
    """What a reader counts in the file against the store: file rows, figures (cells), and of the figures those
    added with a figure, with no figure, replaced, unchanged and refused."""

    file_rows: int
    figures: int
    added: int
    no_figure: int
    replaced: int
    unchanged: int
    rejected: int


def recount(path, text: str, cells: list[tuple[str, str, str]]) -> Recount:
    """Count the cells by hand: a figure for an unknown authority or that is no number is refused; a marker where
    nothing is stored is a figure to add with no figure; a number is added where nothing is stored, unchanged where
    the same is, else replaces the stored one."""
    stored, known = stored_values(path), known_authorities(path)
    counts = dict.fromkeys(("added", "no_figure", "replaced", "unchanged", "rejected"), 0)
    for code, period, cell in cells:
        key = (code, period)
        if code not in known:
            counts["rejected"] += 1
        elif cell == MARKER:
            assert key not in stored  # the files put markers only where nothing is stored
            counts["no_figure"] += 1
        elif not re.fullmatch(r"-?\d+(\.\d+)?", cell):
            counts["rejected"] += 1
        elif key not in stored:
            counts["added"] += 1
        elif stored[key] is not None and float(cell) == stored[key]:
            counts["unchanged"] += 1
        else:
            counts["replaced"] += 1
    return Recount(len(text.splitlines()) - 1, len(cells), **counts)


def expected_words(n: Recount, wide: bool) -> dict[str, str]:
    """What the preview and the result should say, worded from the recount: figures for a wide file, rows for a
    long one (its wording as it always was)."""
    if wide:
        return {
            "columns changed": f"value ({n.replaced} figures)",
            "listing": "Stored figures this import replaces",
            "no figure": f"{n.no_figure} cells have no figure",
            "not among": "they are not among the figures to add",
            "added": f"{n.added} figures added",
            "read": f"{n.unchanged} unchanged of {n.figures} figures read from {n.file_rows} file rows",
        }
    return {
        "columns changed": f"value ({n.replaced} rows)",
        "listing": "Stored rows this import replaces",
        "no figure": f"{n.no_figure} rows have no figure",
        "not among": "they are not among the rows to add",
        "added": f"{n.added} rows added",
        "read": f"{n.unchanged} unchanged of {n.figures} read (",
    }


FILES = {"wide.csv": (wide_file, True), "long.csv": (long_file, False)}


def _made(name: str, store_path) -> tuple[str, Recount, dict[str, str], dict[str, str]]:
    """Return the file's text, its recount, the words expected and the words a file of the other kind says."""
    make, wide = FILES[name]
    text, cells = make(store_path)
    n = recount(store_path, text, cells)
    other = expected_words(n, not wide)
    return text, n, expected_words(n, wide), other


@pytest.mark.parametrize("name", list(FILES))
def test_the_dry_run_and_the_import_name_what_they_count(writable_store, tmp_path, capsys, name):
    """``import --dry-run`` and ``import --skip-rejected`` say figures where a wide file's counts are figures, and
    rows where a long file's are; the numbers are those recounted from the file."""
    text, n, words, other = _made(name, writable_store.path)
    wide = FILES[name][1]
    assert (n.file_rows < n.figures) == wide
    assert min(n.added, n.no_figure, n.replaced, n.rejected) >= 2 and n.unchanged >= 1
    path = tmp_path / name
    path.write_text(text)
    db = ["--db", str(writable_store.path)]
    capsys.readouterr()
    assert main([*db, "import", str(path), "--dry-run"]) == 2
    out = capsys.readouterr().out
    lines = out.splitlines()
    at = lines.index("Preview (nothing written yet):")
    table = lines[at + 2]
    assert table.rstrip().endswith(words["columns changed"]), out
    numbers = [int(cell) for cell in table.split() if cell.isdigit()]
    if wide:  # file rows, figures, added, no figure, replaced, unchanged, rejected file rows, rejected figures
        assert numbers[:6] == [n.file_rows, n.figures, n.added, n.no_figure, n.replaced, n.unchanged], out
        assert numbers[7] == n.rejected, out
    else:  # rows, added, no figure, replaced, unchanged, rejected
        assert numbers[:6] == [n.figures, n.added, n.no_figure, n.replaced, n.unchanged, n.rejected], out
    for key in ("listing", "no figure", "not among"):
        assert words[key] in out, (key, out)
        assert other[key] not in out, (key, out)
    assert main([*db, "import", str(path), "--skip-rejected"]) == 0
    done = capsys.readouterr().out.splitlines()[-1]
    assert f"{words['added']}, {n.no_figure} with no figure" in done, done
    assert f"{n.replaced} replaced, {words['read']}" in done, done
    assert other["added"] not in done, done


@pytest.mark.parametrize("name", list(FILES))
def test_the_page_names_what_it_counts(writable_store, monkeypatch, name):
    """The Data import page's summary, listing caption, no-figure note and message after the commit say figures for
    a wide file and rows for a long one, with the recounted numbers."""
    text, n, words, other = _made(name, writable_store.path)
    at = open_page(writable_store.path, monkeypatch, "import_data")
    at.file_uploader(key="import_files").set_value([(name, text.encode(), "text/csv")])
    at.run()
    at.button(key="upload_preview_button").click().run()
    assert not at.exception, at.exception
    summary = next(d.value for d in at.dataframe if "table" in d.value.columns).set_index("table")
    assert summary.loc["indicator_value", "columns changed"] == words["columns changed"]
    assert summary.loc["indicator_value", "figures" if FILES[name][1] else "rows"] == n.figures
    captions = [caption.value for caption in at.caption]
    assert any(caption.startswith(words["listing"]) for caption in captions), captions
    assert not any(other["listing"] in caption for caption in captions), captions
    notes = [info.value for info in at.info]
    assert any(words["no figure"] in note and words["not among"] in note for note in notes), notes
    assert not any(other["no figure"] in note for note in notes), notes
    at.checkbox(key="upload_skip").check().run()
    at.button(key="upload_commit").click().run()
    assert not at.exception, at.exception
    done = [success.value for success in at.success]
    assert any(markdown_text(f"{words['added']}, {n.no_figure} with no figure") in text for text in done), done
    assert not any(markdown_text(other["added"]) in text for text in done), done
