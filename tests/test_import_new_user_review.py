"""Wrong figures a new user's review of the import found on the shipped store, each case as a user meets it.

1. A label naming the same days as the label the store holds for that indicator is that period
   (``2023/24`` is the stored ``2023-24`` of ``16-17 NEET``), even where other indicators hold ``2023/24``.
2. An empty cell or a missing-value marker (``n/a``, ``..``, ``[c]``, ``x``) never removes a stored figure: the row
   is refused, naming the figure it would remove; a new key takes it as no figure.
3. A figure written ``4.1%``, ``1,234`` or with a decimal comma is refused saying what to write instead.
4. A workbook with a title in A1, a blank row and the header on row 3 is refused saying so: delete the rows above
   the header (not "column 2 has no name in the header row").
"""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest
from store_support import imported

from benchmarking.errors import ImportValidationError
from benchmarking.ingest.context import store_context
from benchmarking.ingest.period_keys import canonical_periods, refused_periods
from benchmarking.ingest.preview import commit, map_sources, read_uploaded
from benchmarking.store import Store

NEET = "16-17 NEET"
KENT = "E10000016"


def figures(store: Store, indicator: str) -> pd.DataFrame:
    """Return an indicator's stored figures (authority_code, period, value)."""
    with store.reading() as con:
        return con.execute(
            "SELECT authority_code, period, value FROM indicator_value WHERE indicator_id = ?", [indicator]
        ).df()


# -- 1. the same year spelt differently ---------------------------------------------------------------------------


def test_a_label_is_written_as_the_label_its_indicator_holds_for_the_same_days():
    """Each indicator's rows take the label it holds for those days; an indicator holding none keeps the store's."""
    held = pd.DataFrame({"indicator_id": ["A", "B"], "period": ["2023-24", "2023/24"], "status": "final"})
    rows = pd.DataFrame(
        {
            "indicator_id": ["A", "B", "C", "A", "B"],
            "authority_code": ["E1", "E1", "E1", "E2", "E2"],
            "period": ["2023/24", "2023-24", "2023/24", "2023/2024", "2023/24"],
        }
    )
    assert canonical_periods(rows, held)[0]["period"].tolist() == [
        "2023-24",
        "2023/24",
        "2023/24",
        "2023-24",
        "2023/24",
    ]


def test_two_authorities_under_another_spelling_replace_the_stored_figures(shipped, tmp_path, capsys):
    """The review's file: ``2023/24`` for ``16-17 NEET`` (stored under ``2023-24``, while other indicators hold
    ``2023/24``) replaces Leicestershire's and Kent's figures; no second set of figures under ``2023/24``."""
    before = figures(shipped, NEET)
    assert set(before["period"]) >= {"2023-24"} and "2023/24" not in set(before["period"])
    text = "authority,indicator,period,value\nLeicestershire,16-17 NEET,2023/24,4.1\nKent,16-17 NEET,2023/24,5.2\n"
    status, out = imported(shipped, tmp_path, text, capsys)
    assert status == 0, out
    lines = out.splitlines()
    preview = next(line for line in lines if line.startswith("long.csv "))
    header = lines[lines.index(preview) - 1].replace("no figure", "no_figure").split()
    counts = dict(zip(header, preview.split()))
    assert [counts[c] for c in ("added", "replaced", "unchanged")] == ["0", "2", "0"], out
    after = figures(shipped, NEET)
    assert len(after) == len(before) and set(after["period"]) == set(before["period"])
    kent = after[after["authority_code"].eq(KENT) & after["period"].eq("2023-24")]
    assert kent["value"].tolist() == [5.2]


def test_a_bare_year_is_refused_naming_the_label_the_indicator_holds():
    """`2023` for an indicator holding `2023-24`: the refusal names `2023-24` as held, not `2023/24` as not held."""
    held = pd.DataFrame(
        {"indicator_id": ["A", "A", "B"], "period": ["2022-23", "2023-24", "2023/24"], "status": "final"}
    )
    rows = pd.DataFrame({"indicator_id": ["A"], "authority_code": ["E1"], "period": ["2023"]})
    message = refused_periods(canonical_periods(rows, held)[0], held)["other_kind"].iloc[0]
    assert "'2022-23' (held) or '2023-24' (held)" in message, message
    assert "2023/24" not in message


# -- 2. a missing-value marker over a stored figure -----------------------------------------------------------------

VALUES = "indicator_id,authority_code,period,value\n"
MARKERS = ["", "n/a", "NA", "..", "-", ":", "[x]", "[c]", "n.a", "x", "c", "*", "N.A."]


def committed(store: Store, text: str, skip_rejected: bool = False, name: str = "v.csv"):
    """Import one values file the way the page does (read, recognise, map, commit)."""
    source = read_uploaded(name, text.encode())
    return commit(store, map_sources([source], store_context(store)), skip_rejected=skip_rejected)


@pytest.mark.parametrize("marker", MARKERS)
def test_an_empty_or_marker_cell_never_removes_a_stored_figure(writable_store, marker):
    """Each marker (and an empty cell) over LCC001's stored 2021/22 figure is refused at its row, naming the
    stored figure; the store is unchanged."""
    stored = figures(writable_store, "LCC001").set_index(["authority_code", "period"])["value"]
    kept = stored[("E10000018", "2021/22")]
    assert pd.notna(kept)
    before = writable_store.checksums()
    with pytest.raises(ImportValidationError) as caught:
        committed(writable_store, VALUES + f"LCC001,E10000018,2021/22,{marker}\n")
    message = str(caught.value)
    assert "row 2" in message and "never removes a stored figure" in message and f"{kept:g}" in message, message
    assert writable_store.checksums() == before


@pytest.mark.parametrize("marker", ["", "n/a", "[c]", "x", "*"])
def test_a_marker_for_a_new_key_is_no_figure(writable_store, marker):
    """A marker where the store holds no figure is taken as no figure (a gap), and importing it again is a repeat."""
    text = VALUES + f"LCC001,E10000018,2024/25,{marker}\n"
    assert committed(writable_store, text).added == 1
    row = figures(writable_store, "LCC001").query("period == '2024/25'")
    assert row["value"].isna().tolist() == [True]
    again = committed(writable_store, text)
    assert again.added == again.replaced == 0


def test_the_other_rows_load_when_the_refused_ones_are_left_out(writable_store):
    """With rejected rows skipped, the stored figure stays and the file's other figures load."""
    stored = figures(writable_store, "LCC001").set_index(["authority_code", "period"])["value"]
    result = committed(
        writable_store, VALUES + "LCC001,E10000018,2021/22,n/a\nLCC001,E10000016,2021/22,7.5\n", skip_rejected=True
    )
    assert result.rejected == 1
    after = figures(writable_store, "LCC001").set_index(["authority_code", "period"])["value"]
    assert after[("E10000018", "2021/22")] == stored[("E10000018", "2021/22")]
    assert after[("E10000016", "2021/22")] == 7.5


def test_the_review_case_on_the_shipped_store_keeps_kent(shipped, tmp_path, capsys):
    """The review's file: `n/a` for Kent's stored 3.4 is refused (status 2), and Kent's 3.4 stays."""
    status, out = imported(shipped, tmp_path, "authority,indicator,period,value\nKent,16-17 NEET,2023-24,n/a\n", capsys)
    assert status == 2 and "never removes a stored figure" in out and "3.4" in out, out
    kent = figures(shipped, NEET).query("authority_code == @KENT and period == '2023-24'")
    assert kent["value"].tolist() == [3.4]


# -- 3. a figure written as people write it -------------------------------------------------------------------------


def refusal(store: Store, name: str, text: str) -> str:
    """Return the message of an import that must be refused; the store is unchanged."""
    before = store.checksums()
    with pytest.raises(ImportValidationError) as caught:
        committed(store, text, name=name)
    assert store.checksums() == before
    return str(caught.value)


@pytest.mark.parametrize(
    ("name", "text", "advice"),
    [
        ("p.csv", VALUES + "LCC001,E10000018,2021/22,4.1%\n", "remove the % sign and give the percentage as a number"),
        ("p.csv", VALUES + "LCC001,E10000018,2021/22, 12 % \n", "such as 12"),
        ("t.csv", VALUES + 'LCC001,E10000018,2021/22,"1,234"\n', "remove the thousands separator"),
        ("t.csv", VALUES + 'LCC001,E10000018,2021/22,"-1,234,567.5"\n', "such as -1234567.5"),
        ("d.csv", VALUES.replace(",", ";") + "LCC001;E10000018;2021/22;4,1\n", "the decimal mark must be a point"),
        ("d.csv", VALUES.replace(",", ";") + "LCC001;E10000018;2021/22;4,1\n", "such as 4.1"),
        ("d.csv", VALUES.replace(",", ";") + "LCC001;E10000018;2021/22;1.234,5\n", "point, such as 1234.5"),
    ],
)
def test_a_figure_with_a_sign_or_separator_is_refused_saying_what_to_write(writable_store, name, text, advice):
    """`4.1%`, `1,234` and a semicolon file's `4,1`: the refusal says what to write instead, at the row."""
    message = refusal(writable_store, name, text)
    assert "'value' must be a number" in message and advice in message and "row 2" in message, message


# -- 4. a workbook with a title above its header ---------------------------------------------------------------------


def workbook(rows: dict[int, list]) -> bytes:
    """Return an XLSX workbook holding ``rows`` (sheet row -> cells from column A), written by openpyxl."""
    book = openpyxl.Workbook()
    for number, cells in rows.items():
        for column, cell in enumerate(cells, start=1):
            book.active.cell(row=number, column=column, value=cell)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


HEADER = ["indicator_id", "authority_code", "period", "value"]


@pytest.mark.parametrize(
    "above",
    [
        {1: ["Table 1: figures by county"]},
        {1: ["Table 1: figures by county"], 2: ["Source: a publisher, 2024"]},
    ],
)
def test_a_title_above_the_header_is_named_with_the_header_row(writable_store, above):
    """A title in A1 (and a note), a blank row, the header below: the refusal says the title is a title and where
    the header seems to be, and what to do; nothing is written."""
    header_row = max(above) + 2
    data = workbook({**above, header_row: HEADER, header_row + 1: ["LCC001", "E10000018", "2021/22", 5]})
    before = writable_store.checksums()
    with pytest.raises(ImportValidationError) as caught:
        read_uploaded("t.xlsx", data)
    message = str(caught.value)
    assert "has no name" not in message, message
    assert "row 1 looks like a title" in message and f"the header seems to be on row {header_row}" in message
    assert "delete the rows above the header" in message
    assert writable_store.checksums() == before


def test_a_header_with_an_unnamed_column_is_still_refused_as_such(writable_store):
    """A header on row 1 with a blank name among full data rows is no title: its blank column is named."""
    data = workbook({1: ["indicator_id", "", "period", "value"], 2: ["LCC001", "E10000018", "2021/22", 5]})
    with pytest.raises(ImportValidationError, match="column 2 has no name in the header row"):
        read_uploaded("u.xlsx", data)
