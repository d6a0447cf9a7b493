"""Issue 19 review: CSV lines that do not split as the header does, files of blank lines, and headers over 64 KB.

A row with more or fewer cells than the header is refused at the row a spreadsheet shows it on (header = row 1,
blank lines counted, a quoted cell over two lines one row), saying how many cells it has; a line of spaces or
tabs alone is the blank row it looks like (left out, counted); a file of blank lines alone is empty; a header
below blank lines is read whole however long it is. Each case goes the way ``python -m benchmarking import``
or the Data import page sends it (``read_source`` / ``read_uploaded``, ``map_sources``, ``preview_import``).
"""

from __future__ import annotations

import pytest

from benchmarking.cli.main import main
from benchmarking.errors import ImportValidationError
from benchmarking.ingest.context import store_context
from benchmarking.ingest.csv_files import WRONG_ROWS_SHOWN
from benchmarking.ingest.preview import map_sources, preview_import, read_source, read_uploaded
from benchmarking.ingest.reading import read_file

HEADER = "indicator_id,authority_code,period,value"
GOOD = ["LCC078,E10000016,2021/22,1.5", "LCC078,E10000017,2021/22,2.5"]
BAD_NUMBER = "LCC078,E10000018,2021/22,abc"  # a value that is no number: the checks name its row
SHORT = "X,E10000018"
LONG = "LCC078,E10000019,2021/22,1,5"


def encoded(lines: list[str], line_end: str = "\n", sep: str = ",", bom: bool = False) -> bytes:
    """Return the file's bytes: ``lines`` with ``sep`` for every comma, ended by ``line_end``, after a BOM if asked."""
    body = line_end.join(line.replace(",", sep) for line in lines) + line_end
    return ("\ufeff" if bom else "").encode() + body.encode()


def refusals(name: str, data: bytes) -> list[tuple[int | None, str]]:
    """Return the (row, message) of each refusal the upload's reading gives."""
    with pytest.raises(ImportValidationError) as caught:
        read_uploaded(name, data)
    return [(issue.row, issue.message) for issue in caught.value.issues]


def previewed(store, data: bytes):
    """Return the preview of one uploaded file, read and mapped as the Data import page does."""
    source = read_uploaded("v.csv", data)
    return preview_import(store, map_sources([source], store_context(store)))


FILES = {
    "LF": {},
    "CRLF": {"line_end": "\r\n"},
    "a BOM": {"bom": True},
    "semicolons, CRLF and a BOM": {"sep": ";", "line_end": "\r\n", "bom": True},
}


@pytest.mark.parametrize("kind", list(FILES))
def test_a_row_with_fewer_or_more_cells_than_the_header_is_refused_at_its_row(kind):
    """The short row on line 4 (a blank line above it) and the long one on line 6 are named with their cells."""
    lines = [HEADER, "", GOOD[0], SHORT, GOOD[1], LONG]
    found = refusals("v.csv", encoded(lines, **FILES[kind]))
    assert [row for row, _ in found] == [4, 6]
    assert found[0][1].startswith("row 4 has 2 cell(s) where the header has 4") and "missing cells" in found[0][1]
    assert found[1][1].startswith("row 6 has 5 cell(s) where the header has 4") and "quotes" in found[1][1]


def test_a_quoted_cell_over_two_lines_is_one_row_before_a_short_one():
    """The note over lines 2-3 is one spreadsheet row, so the short row after it (line 4) is row 3."""
    data = f'{HEADER}\n"LCC078",E10000016,2021/22,"1\n2"\n{SHORT}\n{GOOD[1]}\n'.encode()
    assert [row for row, _ in refusals("v.csv", data)] == [3]


def test_rows_of_the_wrong_width_are_named_up_to_a_limit_and_the_reading_stops():
    """A file split by another mark than its header: the first rows are named, then one refusal says it stopped."""
    found = refusals("v.csv", encoded([HEADER, *[SHORT] * (WRONG_ROWS_SHOWN + 5)]))
    assert [row for row, _ in found] == [*range(2, WRONG_ROWS_SHOWN + 2), None]
    assert found[-1][1].startswith(f"the reading stopped after {WRONG_ROWS_SHOWN} such rows")


@pytest.mark.parametrize("kind", list(FILES))
def test_a_line_of_spaces_or_tabs_alone_is_a_blank_row(writable_store, kind):
    """Lines of spaces and tabs (above the header too) are counted and never a data row: the bad number is named on
    the line it is on, and two rows are read."""
    lines = ["  ", HEADER, GOOD[0], "   ", "\t", BAD_NUMBER, " \t "]
    preview = previewed(writable_store, encoded(lines, **FILES[kind]))
    assert [issue.row for issue in preview.issues if "got 'abc'" in issue.message] == [6]
    assert preview.rows == 2 and not [issue for issue in preview.issues if "required but empty" in issue.message]


@pytest.mark.parametrize("kind", list(FILES))
def test_a_line_of_spaces_or_tabs_alone_is_a_blank_row_in_a_one_column_file_too(tmp_path, kind):
    """One column (review r4): a line of spaces or tabs is no cell of spaces but the blank row it is in a file of
    more columns, left out and counted, so the rows after it keep their spreadsheet rows."""
    path = tmp_path / "codes.csv"
    path.write_bytes(encoded(["   ", "code", "E10000018", "   ", "\t", "E10000016", " \t "], **FILES[kind]))
    read = read_file(path, encoded=True)
    assert read["code"].astype(str).tolist() == ["E10000018", "E10000016"]
    assert read["_file_row"].tolist() == [3, 6]


@pytest.mark.parametrize("kind", list(FILES))
def test_a_header_cell_over_two_lines_is_one_name(tmp_path, kind):
    """Review r4: a quoted header cell holding a line break (``"value\n(per head)"``) is one column, named with the
    break as a space, and the rows below it are read, not refused as rows of the wrong width; the header is one
    spreadsheet row, so the short row on the fifth line is row 4."""
    path = tmp_path / "v.csv"
    header = 'indicator_id,authority_code,period,"value' + FILES[kind].get("line_end", "\n") + '(per head)"'
    path.write_bytes(encoded(["", header, GOOD[0], GOOD[1]], **FILES[kind]))
    read = read_file(path, keep_case=True, encoded=True)
    assert list(read.columns)[:4] == ["indicator_id", "authority_code", "period", "value (per head)"]
    assert read["value (per head)"].tolist() == ["1.5", "2.5"] and read["_file_row"].tolist() == [3, 4]
    path.write_bytes(encoded([header, GOOD[0], GOOD[1], SHORT], **FILES[kind]))
    assert [row for row, _ in refusals("v.csv", path.read_bytes())] == [4]


def test_the_read_block_by_block_leaves_out_and_refuses_the_same_rows(tmp_path):
    """The read that tells the page its progress gives the same rows and row numbers, and the same refusals."""
    path = tmp_path / "v.csv"
    path.write_bytes(encoded([HEADER, GOOD[0], "  ", BAD_NUMBER]))
    told = []
    watched = read_file(path, keep_case=True, encoded=True, progress=lambda done, text: told.append(done))
    assert watched.equals(read_file(path, keep_case=True, encoded=True)) and told[-1] == 1.0
    assert watched["_file_row"].tolist() == [2, 4]
    path.write_bytes(encoded([HEADER, GOOD[0], SHORT]))
    with pytest.raises(ImportValidationError) as caught:
        read_file(path, progress=lambda done, text: None)
    assert [issue.row for issue in caught.value.issues] == [3]


@pytest.mark.parametrize("data", [b"\n\n\n", b"\xef\xbb\xbf\r\n \r\n\t\r\n", b"\r\r"])
def test_a_file_of_blank_lines_alone_is_empty(data):
    """Blank lines (LF, CRLF after a BOM, CR alone; spaces or tabs) say the file is empty, not 'its columns are .'."""
    found = refusals("blank.csv", data)
    assert found == [
        (None, "the file is empty (blank lines only: no header, no rows): choose the file that holds the data")
    ]


def test_the_command_line_names_the_short_row_and_the_blank_file(writable_store, tmp_path, capsys):
    """`import FILE --dry-run` refuses both files together, naming the short row and the blank file."""
    short, blank = tmp_path / "short.csv", tmp_path / "blank.csv"
    short.write_bytes(encoded([HEADER, "", GOOD[0], SHORT], line_end="\r\n"))
    blank.write_bytes(b"\n \n")
    db = ["--db", str(writable_store.path)]
    assert main([*db, "import", str(short), str(blank), "--dry-run"]) == 2
    shown = capsys.readouterr().err
    assert "short.csv, row 4: row 4 has 2 cell(s) where the header has 4" in shown
    assert "blank.csv: the file is empty (blank lines only" in shown and "its columns are" not in shown


@pytest.mark.parametrize("line_end", ["\n", "\r\n", "\r"])
def test_a_header_over_64_kb_below_blank_lines_is_read_whole(tmp_path, line_end):
    """Two blank lines, then 450 column names of 150 characters (67 KB): every name is read, and the row under it."""
    names = [f"{'indicator measure ' * 8}{i:03d}" for i in range(450)]
    path = tmp_path / "long.csv"
    path.write_bytes(line_end.join(["", "", ",".join(names), ",".join(str(i) for i in range(450)), ""]).encode())
    assert len(",".join(names)) > 64 * 1024
    source = read_source(path)
    assert list(source.frame.columns) == names and source.frame.iloc[0].tolist() == [str(i) for i in range(450)]
    assert source.rows.tolist() == [4]
