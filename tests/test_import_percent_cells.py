"""A workbook cell typed ``4.1%`` in Excel holds 0.041 with a percent number format: it is read as the 4.1 Excel
shows for an indicator whose unit is a percentage, and refused at its row and column for any other unit.

Each workbook is written by openpyxl, its cells given number formats as Excel gives them when a user types a
percentage (built-in ``0%`` and ``0.00%``, or a custom ``0.0%``).
"""

from __future__ import annotations

import io

import openpyxl
import pytest

from benchmarking.cli.main import main
from benchmarking.errors import ImportValidationError
from benchmarking.ingest.context import store_context
from benchmarking.ingest.percent_cells import is_percent_format, shown_as_percent
from benchmarking.ingest.preview import commit, map_sources, preview_import, read_uploaded
from benchmarking.ingest.reading import read_cells, read_file
from benchmarking.store import Store

HEADER = ["indicator_id", "authority_code", "period", "value"]
FOCUS, OTHER, PERIOD = "E10000018", "E10000016", "2021/22"


def units(store: Store) -> dict[str, str]:
    """Return the demo store's indicator units (id -> unit)."""
    with store.reading() as con:
        return dict(con.execute("SELECT id, unit FROM indicator").fetchall())


def indicator_in(store: Store, unit: str) -> str:
    """Return the first indicator (by id) whose unit is ``unit``."""
    return min(i for i, u in units(store).items() if u == unit)


def workbook(rows: list[list], formats: dict[str, str] | None = None) -> bytes:
    """Return an XLSX workbook holding ``rows`` from A1, with number formats by cell (``{"D2": "0.0%"}``)."""
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for ref, number_format in (formats or {}).items():
        sheet[ref].number_format = number_format
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def mapped(store: Store, data: bytes, name: str = "p.xlsx"):
    """Return an uploaded workbook read and mapped the way the Data import page does."""
    return map_sources([read_uploaded(name, data)], store_context(store))


def stored(store: Store, indicator: str, authority: str = FOCUS) -> float:
    """Return the stored figure of an indicator for an authority in ``PERIOD``."""
    with store.reading() as con:
        return con.execute(
            "SELECT value FROM indicator_value WHERE indicator_id = ? AND authority_code = ? AND period = ?",
            [indicator, authority, PERIOD],
        ).fetchone()[0]


@pytest.mark.parametrize(("number_format", "cell", "shown"), [("0.0%", 0.041, 4.1), ("0%", 0.07, 7), ("0.00%", 1, 100)])
def test_a_percent_cell_stores_the_percentage_excel_shows(writable_store, number_format, cell, shown):
    """A cell formatted ``0.0%`` (custom), ``0%`` or ``0.00%`` (built-in 9 and 10) holding 0.041 for an indicator in
    '%' stores 4.1, exactly (the decimal point moved, no float arithmetic); the plain cell below it stays as typed."""
    percent = indicator_in(writable_store, "%")
    data = workbook([HEADER, [percent, FOCUS, PERIOD, cell], [percent, OTHER, PERIOD, 0.5]], {"D2": number_format})
    commit(writable_store, mapped(writable_store, data))
    assert stored(writable_store, percent) == shown
    assert stored(writable_store, percent, OTHER) == 0.5


def test_the_preview_counts_the_cells_read_as_percentages(writable_store):
    """The preview says how many cells it read as percentages, and changes nothing until committed."""
    percent = indicator_in(writable_store, "%")
    data = workbook(
        [HEADER, [percent, FOCUS, PERIOD, 0.041], [percent, OTHER, PERIOD, 0.123]], {"D2": "0.0%", "D3": "0.00%"}
    )
    before = writable_store.checksums()
    preview = preview_import(writable_store, mapped(writable_store, data))
    assert not preview.issues
    assert len(preview.notes) == 1 and "p.xlsx: 2 cell(s) formatted as percentages" in preview.notes[0]
    assert writable_store.checksums() == before


def test_a_workbook_without_percent_cells_has_no_note(writable_store):
    """An ordinary workbook is read as before: no note, the figures as typed."""
    percent = indicator_in(writable_store, "%")
    preview = preview_import(writable_store, mapped(writable_store, workbook([HEADER, [percent, FOCUS, PERIOD, 4.1]])))
    assert preview.notes == () and not preview.issues


def test_a_percent_cell_for_an_indicator_in_another_unit_is_refused_naming_the_unit(writable_store):
    """A percentage cell for an indicator counted in '£m' is refused at its row and column, naming the unit and
    what to do; nothing is written."""
    money = indicator_in(writable_store, "£m")
    data = workbook([HEADER, [money, FOCUS, PERIOD, 0.2]], {"D2": "0%"})
    before = writable_store.checksums()
    with pytest.raises(ImportValidationError) as caught:
        commit(writable_store, mapped(writable_store, data))
    (issue,) = caught.value.issues
    assert (issue.file, issue.row, issue.column) == ("p.xlsx", 2, "value")
    assert "formatted as a percentage" in issue.message and "it shows 20%" in issue.message
    assert (
        f"indicator '{money}' is measured in '£m'" in issue.message and "format the cell as a number" in issue.message
    )
    assert writable_store.checksums() == before


def test_a_wide_workbook_reads_its_percent_cells_as_shown(writable_store, tmp_path, capsys):
    """A wide file (periods as columns) through the command line: the percent cell stores 4.1, the preview says so."""
    percent = indicator_in(writable_store, "%")
    path = tmp_path / "wide.xlsx"
    path.write_bytes(workbook([["indicator_id", "authority_code", PERIOD], [percent, FOCUS, 0.041]], {"C2": "0.0%"}))
    status = main(["--db", str(writable_store.path), "import", str(path), "--layout", "wide-periods"])
    out = capsys.readouterr().out
    assert status == 0, out
    assert "wide.xlsx: 1 cell(s) formatted as percentages in the workbook: read as the percentages" in out
    assert stored(writable_store, percent) == 4.1


def test_an_indicator_added_in_the_same_import_gives_its_unit(writable_store):
    """A new indicator in '%' and its percentage cell in one import: stored as 4.1; a new one with no unit is
    refused (its unit cannot say the cell is a percentage)."""
    rows = [["id", "name", "theme", "polarity", "unit"], ["NEW1", "New one", "Education", "high", "%"]]
    rows.append(["NEW2", "New two", "Education", "high", None])
    indicators = read_uploaded("i.xlsx", workbook(rows))
    data = workbook([HEADER, ["NEW1", FOCUS, PERIOD, 0.041], ["NEW2", FOCUS, PERIOD, 0.05]], {"D2": "0.0%", "D3": "0%"})
    values = read_uploaded("v.xlsx", data)
    with pytest.raises(ImportValidationError) as caught:
        commit(writable_store, map_sources([indicators, values], store_context(writable_store)))
    (issue,) = caught.value.issues
    assert issue.row == 3 and "indicator 'NEW2' has no unit" in issue.message
    commit(writable_store, map_sources([indicators, values], store_context(writable_store)), skip_rejected=True)
    assert stored(writable_store, "NEW1") == 4.1


def test_a_percent_cell_in_a_column_that_is_no_percentage_is_refused(writable_store):
    """An authority's population formatted as a percentage is refused at its cell, not stored a hundred times over."""
    source = read_uploaded(
        "a.xlsx",
        workbook([["code", "name", "kind", "population"], [FOCUS, "Leics", "county council", 70]], {"D2": "0%"}),
    )
    with pytest.raises(ImportValidationError, match="'population' is not a percentage"):
        commit(writable_store, map_sources([source], store_context(writable_store)))


@pytest.mark.parametrize(
    ("code", "percent"),
    [
        ("0.0%", True),
        ("#,##0.00%;[Red]-#,##0.00%", True),
        ('0.0"%"', False),
        ("0.0\\%", False),
        ("0.0_%", False),
        ("#,##0", False),
        ("General", False),
    ],
)
def test_a_format_code_is_a_percentage_when_its_percent_sign_is_unquoted(code, percent):
    """Only an unquoted, unescaped ``%`` makes Excel show a cell times 100."""
    assert is_percent_format(code) is percent


def test_a_cell_is_shown_as_a_percentage_by_moving_its_decimal_point():
    """The shift is exact where float arithmetic is not (0.041 * 100 is 4.1000000000000005)."""
    assert [shown_as_percent(t) for t in ("0.041", "1", "0", "-0.125", "1e-05", "")] == [
        "4.1",
        "100",
        "0",
        "-12.5",
        "0.001",
        None,
    ]


def test_the_plain_reader_keeps_a_percent_cell_as_stored(tmp_path):
    """``read_file`` (basket files, adapters: no unit to check) reads the 0.041 Excel keeps, as before; the import's
    reader reads 4.1 and says which cell it read so."""
    path = tmp_path / "w.xlsx"
    path.write_bytes(workbook([["basket_id", "indicator_id", "weight"], ["b", "LCC002", 0.041]], {"C2": "0.0%"}))
    assert read_file(path)["weight"].tolist() == ["0.041"]
    cells = read_cells(path)
    assert cells.frame["weight"].tolist() == ["4.1"] and cells.percent["weight"].tolist() == [0]


def test_blank_rows_do_not_move_a_percent_cell_to_another_row(writable_store):
    """A blank row above the header and one among the data: the percent cell (row 5) is the one read as shown, the
    plain cell (row 3) stays as typed, and a refusal names the sheet row."""
    percent, money = indicator_in(writable_store, "%"), indicator_in(writable_store, "£m")
    rows = [[], HEADER, [percent, OTHER, PERIOD, 0.5], [], [percent, FOCUS, PERIOD, 0.041]]
    commit(writable_store, mapped(writable_store, workbook(rows, {"D5": "0.0%"})))
    assert (stored(writable_store, percent), stored(writable_store, percent, OTHER)) == (4.1, 0.5)
    rows[4][0] = money
    with pytest.raises(ImportValidationError) as caught:
        commit(writable_store, mapped(writable_store, workbook(rows, {"D5": "0.0%"})))
    assert [(issue.row, issue.column) for issue in caught.value.issues] == [(5, "value")]


def test_a_percent_cell_of_a_share_indicator_stores_the_share_excel_keeps(writable_store):
    """For an indicator measured from 0 to 1 ('share (0-1)') a cell showing 58.4% holds the right figure already:
    0.584 is stored, not refused and not 58.4; the preview's note says how such cells were read."""
    indicator = "id,name,theme,polarity,unit\nSHR001,Household waste recycled,Environment & Waste,high,share (0-1)\n"
    commit(writable_store, mapped(writable_store, indicator.encode(), "indicators.csv"))
    data = workbook([HEADER, ["SHR001", FOCUS, PERIOD, 0.584], ["SHR001", OTHER, PERIOD, 0.5]], {"D2": "0.0%"})
    files = mapped(writable_store, data)
    preview = preview_import(writable_store, files)
    assert not preview.issues, preview.issues
    assert any("as shares" in note and "0.584" in note for note in preview.notes), preview.notes
    commit(writable_store, files, preview=preview)
    assert stored(writable_store, "SHR001") == 0.584
    assert stored(writable_store, "SHR001", OTHER) == 0.5
