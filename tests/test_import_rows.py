"""Issue 19 review: every problem names the row a spreadsheet shows, and the stored-period refusals are row problems.

Rows are numbered as a spreadsheet opening the file numbers them (header = row 1): a blank line,
a line of separators alone or an empty sheet row is a blank row, counted but never a data row; a
quoted cell over several lines is one row (records are counted, not newlines). The refusals that
need the stored figures (provisional over final, a period of another kind than an indicator's
financial years) are listed with every other problem, and ``--skip-rejected`` leaves out just their rows.
Each case goes the way ``python -m benchmarking import`` or the Data import page sends it.
"""

from __future__ import annotations

import io
import re
import shutil

import openpyxl
import pytest

from benchmarking.cli.main import main
from benchmarking.errors import ImportValidationError
from benchmarking.ingest.context import store_context
from benchmarking.ingest.preview import commit, import_file, map_sources, preview_import, read_uploaded
from benchmarking.ingest.rules import MAX_ISSUES_PER_CHECK
from benchmarking.store import Store

HEADER = "indicator_id,authority_code,period,value"
BAD_NUMBER = "LCC078,E10000018,2021/22,abc"  # a value that is no number (LCC078 is held for 2021/22 in the demo)
GOOD = ["LCC078,E10000016,2021/22,1.5", "LCC078,E10000017,2021/22,2.5"]


def previewed(store, name: str, data: bytes):
    """Return the preview of one uploaded file, read and mapped as the Data import page does."""
    source = read_uploaded(name, data)
    return preview_import(store, map_sources([source], store_context(store)))


def rows_with(preview, text: str) -> list[int]:
    """Return the rows of the problems whose message holds ``text``, in order."""
    return [issue.row for issue in preview.issues if text in issue.message]


def spreadsheet_row(lines: list[str], wanted: str) -> int:
    """Return the row a spreadsheet shows ``wanted`` on: its line's number, a line holding one record."""
    return lines.index(wanted) + 1


# -- bug 1: rows as a spreadsheet shows them ---------------------------------------------------------------------

LAYOUTS = {
    "blank lines after the header": [HEADER, "", "", BAD_NUMBER],
    "a blank line between every row": [HEADER, "", GOOD[0], "", BAD_NUMBER, "", GOOD[1], ""],
    "blank lines before the header": ["", "", HEADER, GOOD[0], "", BAD_NUMBER],
    "a row of separators alone": [HEADER, ",,,", GOOD[0], BAD_NUMBER],
}


@pytest.mark.parametrize("line_end", ["\n", "\r\n"])
@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_a_problem_after_blank_lines_names_the_row_a_spreadsheet_shows(writable_store, layout, line_end):
    """The bad number is reported on the line it is on (LF or CRLF ends); no blank row is a data row."""
    lines = LAYOUTS[layout]
    preview = previewed(writable_store, "v.csv", line_end.join(lines).encode() + line_end.encode())
    assert rows_with(preview, "must be a number, got 'abc'") == [spreadsheet_row(lines, BAD_NUMBER)]
    assert not rows_with(preview, "required but empty")
    assert preview.rows == sum(1 for line in lines[lines.index(HEADER) + 1 :] if line.strip(","))


def test_a_blank_line_at_the_end_only_changes_no_row_and_adds_no_column(writable_store):
    """Blank lines after the last row move nothing: rows stay position + 2, and no row numbers are carried."""
    data = "\n".join([HEADER, GOOD[0], BAD_NUMBER, "", "", ""]).encode()
    assert read_uploaded("v.csv", data).rows is None
    assert rows_with(previewed(writable_store, "v.csv", data), "must be a number") == [3]


def test_the_usual_file_carries_no_row_numbers():
    """A file with no blank line is read as before: its own columns, and no row numbers beside them."""
    source = read_uploaded("v.csv", "\n".join([HEADER, GOOD[0], BAD_NUMBER, ""]).encode())
    assert source.rows is None and list(source.frame.columns) == HEADER.split(",")


def test_a_header_below_blank_lines_is_refused_at_its_row(tmp_path):
    """A header with a blank name on line 3 (two blank lines above it) is refused naming row 3."""
    with pytest.raises(ImportValidationError) as caught:
        read_uploaded("v.csv", f"\n\r\n{HEADER},\n{GOOD[0]},\n".encode())
    assert [(issue.row, issue.message[:40]) for issue in caught.value.issues] == [
        (3, "column 5 has no name in the header row (")
    ]
    assert "(row 3)" in caught.value.issues[0].message


@pytest.mark.parametrize(
    "header, wanted",
    [
        (f"{HEADER},", "column 5 has no name in the header row (row 3)"),
        (f"{HEADER},value", "names column 'value' twice"),
    ],
)
def test_a_header_with_no_rows_below_blank_lines_is_refused_at_its_row(header, wanted):
    """A file of blank lines and a header alone: a blank or repeated name is refused at the header's row (review r2:
    row 1, and a repeated name not refused at all)."""
    with pytest.raises(ImportValidationError) as caught:
        read_uploaded("h.csv", f"\n\n{header}\n".encode())
    assert [issue.row for issue in caught.value.issues] == [3]
    assert wanted in caught.value.issues[0].message


def test_a_cell_over_several_lines_is_one_row(writable_store):
    """A quoted note over three lines (one of them blank) is one spreadsheet row: the next row is row 3."""
    data = f'{HEADER}\n"LCC078",E10000016,2021/22,"1\n\n2"\n\n{BAD_NUMBER}\n'.encode()
    preview = previewed(writable_store, "v.csv", data)
    assert rows_with(preview, "got '1\\n\\n2'") == [2]
    assert rows_with(preview, "got 'abc'") == [4]


def test_only_blank_lines_after_the_header_is_a_file_with_no_data_rows(writable_store):
    """Blank lines (and separators alone) are no rows: the file is refused as having none, not as rows of blanks."""
    preview = previewed(writable_store, "v.csv", f"{HEADER}\n\n\r\n,,,\n\n".encode())
    assert preview.blocking and [issue.message for issue in preview.issues] == [
        "the file has a header but no data rows"
    ]


def test_every_message_names_the_spreadsheet_row(writable_store):
    """Duplicate keys, an unknown authority name and a provisional figure over a final one, after blank lines."""
    lines = [
        "Local authority,Indicator,Year,Value",
        "",
        "Kent,LCC078,2021/22,1",
        "",
        "Atlantis,LCC078,2021/22,2",
        "",
        "Kent,LCC078,2021/22,3",
        "Leicestershire,LCC078,2021/22 (P),4",
    ]
    preview = previewed(writable_store, "v.csv", "\n".join(lines).encode())
    assert rows_with(preview, "unknown authority 'Atlantis'") == [5]
    assert rows_with(preview, "duplicate key") == [3]
    assert any("also on row(s) 7" in issue.message for issue in preview.issues)
    assert rows_with(preview, "provisional figures do not replace final ones") == [8]


def test_a_wide_file_with_blank_lines_names_its_rows(writable_store):
    """Periods as columns: the bad cell's row is its line, whichever column it is in."""
    lines = ["Code,Indicator,2020/21,2021/22", "", "E10000016,LCC078,1,2", "", "E10000018,LCC078,3,abc"]
    source = read_uploaded("wide.csv", "\n".join(lines).encode())
    context = store_context(writable_store)
    from benchmarking.ingest.layouts import WIDE_PERIODS, ColumnMapping

    mapping = ColumnMapping(
        "indicator_value",
        WIDE_PERIODS,
        {"authority_code": "Code", "indicator_id": "Indicator"},
        wide_columns=("2020/21", "2021/22"),
    )
    preview = preview_import(writable_store, map_sources([source], context, {"wide.csv": mapping}))
    assert [(issue.row, issue.column) for issue in preview.issues if "got 'abc'" in issue.message] == [(5, "2021/22")]


def wide_previewed(store, lines: list[str], periods: tuple[str, ...]):
    """Return the preview of a wide file (periods as columns ``periods``, code and indicator columns)."""
    from benchmarking.ingest.layouts import WIDE_PERIODS, ColumnMapping

    source = read_uploaded("wide.csv", "\n".join(lines).encode())
    mapping = ColumnMapping(
        "indicator_value", WIDE_PERIODS, {"authority_code": "Code", "indicator_id": "Indicator"}, wide_columns=periods
    )
    return preview_import(store, map_sources([source], store_context(store), {"wide.csv": mapping}))


def test_a_wide_file_counts_the_rows_beyond_those_listed_not_its_cells(writable_store):
    """Every figure of a wide file unreadable, in 3 period columns: the problems list the first cells, row by row,
    and the line after them counts the file's rows not listed, not the cells (one row of 3 periods is 1 row)."""
    periods = ("2019/20", "2020/21", "2021/22")
    codes = sorted(writable_store.authorities()["code"])[:25]
    lines = [f"Code,Indicator,{','.join(periods)}", *(f"{code},LCC078,n.k.,n.k.,n.k." for code in codes)]
    preview = wide_previewed(writable_store, lines, periods)
    listed = rows_with(preview, "n.k.")
    assert len(listed) == MAX_ISSUES_PER_CHECK
    more = [issue.message for issue in preview.issues if issue.message.startswith("...")]
    assert more == [f"... {len(codes) - len(set(listed)):,} more rows with the same problem"]
    assert preview.rejected == len(codes) * len(periods)  # every figure refused, as before


def test_a_wide_row_with_more_bad_cells_than_are_listed_says_so_in_cells(writable_store):
    """One file row of 30 unreadable figures: 20 listed, then how many more of its cells (no '0 more rows')."""
    periods = tuple(f"{year}/{str(year + 1)[2:]}" for year in range(1990, 2020))
    lines = [f"Code,Indicator,{','.join(periods)}", "E10000018,LCC078," + ",".join(["n.k."] * len(periods))]
    preview = wide_previewed(writable_store, lines, periods)
    more = [issue.message for issue in preview.issues if issue.message.startswith("...")]
    assert more == [f"... {len(periods) - MAX_ISSUES_PER_CHECK:,} more cells of the rows listed with the same problem"]


def test_blank_lines_do_not_change_what_is_written(writable_store, tmp_path):
    """The same rows with and without blank lines (CRLF ends) write the same store."""
    other = Store(shutil.copy(writable_store.path, tmp_path / "other.duckdb"))
    plain = "\n".join([HEADER, *GOOD, ""]).encode()
    spaced = "\r\n".join([HEADER, "", GOOD[0], "", "", GOOD[1], "", ""]).encode()
    for store, data in [(writable_store, plain), (other, spaced)]:
        source = read_uploaded("v.csv", data)
        commit(store, map_sources([source], store_context(store)), {source.name: source.sha256})
    assert writable_store.values(["2021/22"]).equals(other.values(["2021/22"]))


def workbook(lines: dict[int, str]) -> bytes:
    """Return an XLSX workbook whose one sheet holds each line's comma-separated cells on its sheet row."""
    book = openpyxl.Workbook()
    for number, line in lines.items():
        for column, cell in enumerate(line.split(","), start=1):
            book.active.cell(row=number, column=column, value=cell)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_workbook_names_rows_as_excel_shows_them(writable_store):
    """An empty sheet row is counted, never a data row: the bad number on sheet row 5 is reported on row 5."""
    source = read_uploaded("v.xlsx", workbook({1: HEADER, 3: GOOD[0], 5: BAD_NUMBER}))
    assert len(source.frame) == 2
    preview = preview_import(writable_store, map_sources([source], store_context(writable_store)))
    assert rows_with(preview, "got 'abc'") == [5] and not rows_with(preview, "required but empty")


def test_a_workbook_with_blank_rows_above_its_header_is_read_from_the_header(writable_store):
    """Sheet rows 1-2 empty, the header on row 3 (review r2: refused as a header of no names on row 1): read as
    the same layout in a CSV is, the bad number on sheet row 6 reported on row 6."""
    source = read_uploaded("v.xlsx", workbook({3: HEADER, 4: GOOD[0], 6: BAD_NUMBER}))
    assert list(source.frame.columns)[:4] == HEADER.split(",") and len(source.frame) == 2
    preview = preview_import(writable_store, map_sources([source], store_context(writable_store)))
    assert rows_with(preview, "got 'abc'") == [6] and not rows_with(preview, "required but empty")


def test_a_workbook_row_of_spaces_alone_is_a_blank_row(writable_store):
    """Review r4: a sheet row whose cells hold spaces or tabs alone (above the header too) is a blank row, as a line of
    them is in a CSV: counted, never a data row (no 'required but empty'), the bad number on sheet row 6 named."""
    blank = " ,\t,  , "
    source = read_uploaded("v.xlsx", workbook({1: blank, 2: HEADER, 3: GOOD[0], 4: blank, 5: "   ", 6: BAD_NUMBER}))
    assert list(source.frame.columns)[:4] == HEADER.split(",") and len(source.frame) == 2
    preview = preview_import(writable_store, map_sources([source], store_context(writable_store)))
    assert rows_with(preview, "got 'abc'") == [6] and not rows_with(preview, "required but empty")


def test_a_tidy_catalogue_file_names_its_rows_after_blank_lines(writable_store, tmp_path):
    """``import_file`` (the command line's steps, a catalogue file): the implausible population's line is named."""
    path = tmp_path / "a.csv"
    path.write_text(
        "code,name,kind,region,population\r\n\r\nE10000003,Cambridgeshire,county council,East,700000\r\n\r\n"
        "E10000006,Cumbria,county council,North West,0\r\n",
        encoding="utf-8",
    )
    before = writable_store.checksums()
    with pytest.raises(ImportValidationError) as caught:
        import_file(writable_store, path, "authority")
    assert [issue.row for issue in caught.value.issues if "population 0" in issue.message] == [5]
    assert writable_store.checksums() == before


def test_the_command_line_names_the_row_after_blank_lines(writable_store, tmp_path, capsys):
    """`import FILE --dry-run` on the review's file: 'row 4', the line the bad value is on."""
    path = tmp_path / "b.csv"
    path.write_text(f"{HEADER}\n\n\nX,E10000018,2021/22,abc\n", encoding="utf-8")
    db = ["--db", str(writable_store.path)]
    assert main([*db, "import", str(path), "--table", "indicator_value", "--dry-run"]) == 2
    shown = capsys.readouterr().out
    assert "b.csv, row 4, column 'value': 'value' must be a number" in shown and "row 2" not in shown


# -- bug 2: the stored-period refusals beside every other problem ------------------------------------------------

MIXED = [
    HEADER,
    "LCC078,E10000018,2021/22 (P),5",  # provisional over a stored final figure
    "LCC078,E10000016,Mar 2022,6",  # a month for an indicator by financial year
    "LCC078,E10000017,2021/22,abc",  # a bad number
    "LCC078,E99999999,2021/22,7",  # an unknown code
    "LCC078,E10000019,2021/22,8",  # a good row
]


def test_the_preview_lists_the_period_refusals_with_every_other_problem(writable_store):
    """Each refusal is a problem at its row, beside the bad number and the unknown code; four rows rejected."""
    preview = previewed(writable_store, "v.csv", "\n".join(MIXED).encode())
    assert rows_with(preview, "provisional figures do not replace final ones") == [2]
    assert rows_with(preview, "'Mar 2022' is not a financial year") == [3]
    assert rows_with(preview, "must be a number") == [4]
    assert rows_with(preview, "unknown authority 'E99999999'") == [5]
    assert {issue.column for issue in preview.issues if issue.row in (2, 3)} == {"period"}
    assert (preview.rows, preview.rejected, preview.replaced) == (5, 4, 1)
    assert not preview.blocking and preview.can_commit


def test_a_commit_refuses_the_period_refusals_or_leaves_out_just_their_rows(writable_store):
    """Without skip_rejected nothing is written; with it the one good row is written and the refused ones not."""
    source = read_uploaded("v.csv", "\n".join(MIXED).encode())
    mapped = map_sources([source], store_context(writable_store))
    before = writable_store.checksums()
    with pytest.raises(ImportValidationError, match="provisional figures do not replace final ones"):
        commit(writable_store, mapped, {source.name: source.sha256})
    assert writable_store.checksums() == before
    stored = writable_store.values(["2021/22"]).set_index(["indicator_id", "authority_code"])["value"]
    result = commit(writable_store, mapped, {source.name: source.sha256}, skip_rejected=True)
    after = writable_store.values(["2021/22"]).set_index(["indicator_id", "authority_code"])["value"]
    assert (result.rejected, result.replaced) == (4, 1)
    written = ("LCC078", "E10000019")
    assert after.loc[written] == 8
    assert after.drop(written).sort_index().equals(stored.drop(written).sort_index())  # every other value as it was
    assert "Mar 2022" not in set(writable_store.periods()["label"])


def test_the_period_refusals_are_listed_within_the_limit_of_a_check(writable_store):
    """Provisional figures for every authority: the first ones listed, then how many more, as for any check."""
    codes = sorted(writable_store.authorities()["code"])
    lines = [HEADER, *(f"LCC078,{code},2021/22 (P),{i}" for i, code in enumerate(codes))]
    preview = previewed(writable_store, "v.csv", "\n".join(lines).encode())
    listed = rows_with(preview, "provisional figures do not replace final ones")
    assert listed == list(range(2, 2 + MAX_ISSUES_PER_CHECK))
    more = [issue.message for issue in preview.issues if issue.message.startswith("...")]
    assert more == [f"... {len(codes) - MAX_ISSUES_PER_CHECK:,} more rows with the same problem"]
    assert preview.rejected == len(codes)


def test_the_command_line_previews_the_refusals_and_skips_just_their_rows(writable_store, tmp_path, capsys):
    """--dry-run lists every problem (exit 2); without --skip-rejected nothing is written (exit 2); with it the rest."""
    path = tmp_path / "v.csv"
    path.write_text("\n".join(MIXED) + "\n", encoding="utf-8")
    db = ["--db", str(writable_store.path)]
    assert main([*db, "import", str(path), "--dry-run"]) == 2
    shown = capsys.readouterr().out
    assert re.search(r"v\.csv, row 2, column 'period': provisional figures", shown)
    assert "v.csv, row 4, column 'value'" in shown and "E99999999" in shown
    before = writable_store.checksums()
    assert main([*db, "import", str(path)]) == 2
    assert writable_store.checksums() == before
    capsys.readouterr()
    assert main([*db, "import", str(path), "--skip-rejected"]) == 0
    done = capsys.readouterr().out
    assert "1 replaced" in done and "4 rejected rows left out" in done


# -- review r2: a provisional figure over a final one, however its status is written ------------------------------


@pytest.mark.parametrize(
    "row",
    [
        "LCC078,E10000018,2021/22,5, provisional",  # a space before the status
        "LCC078,E10000018,2021/22,5,PROVISIONAL ",  # upper case and a space after
        "LCC078,E10000018,2021/22 (P),5,",  # the period's marker, the status cell empty
    ],
)
def test_provisional_figures_over_final_ones_are_refused_however_the_status_is_written(writable_store, row):
    """The status is read as the checks read it (trimmed, any case; an empty cell gives it no status), so the
    refusal sees what would be written: nothing replaces the stored final figure, with or without skip_rejected."""
    data = "\n".join(["indicator_id,authority_code,period,value,status", row, GOOD[0] + ",final"]).encode()
    preview = previewed(writable_store, "s.csv", data)
    assert rows_with(preview, "provisional figures do not replace final ones") == [2]
    before = writable_store.values(["2021/22"]).set_index(["indicator_id", "authority_code"])
    source = read_uploaded("s.csv", data)
    commit(writable_store, map_sources([source], store_context(writable_store)), skip_rejected=True)
    after = writable_store.values(["2021/22"]).set_index(["indicator_id", "authority_code"])
    assert after.loc[("LCC078", "E10000018"), ["value", "status"]].tolist() == (
        before.loc[("LCC078", "E10000018"), ["value", "status"]].tolist()
    )
    assert after.loc[("LCC078", "E10000018"), "status"] == "final"
