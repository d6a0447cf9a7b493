"""The Data import page, driven end to end with AppTest: upload, map, preview, commit, undo.

AppTest in Streamlit 1.67 supports ``st.file_uploader``: ``at.file_uploader(key=...).set_value(
[(name, bytes, mime)])`` then ``run()`` hands the page real UploadedFile objects, so the page
is tested through its own upload widget (no test-only entry point into the page's steps).
"""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from apptest_helpers import html_tables, metrics, open_page, problems, use_navigation_mode
from streamlit.testing.v1 import AppTest

from benchmarking.store import Store
from benchmarking.text.escaping import markdown as markdown_text
from pages import _registry as registry

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "pages" / "import_data.py"

# Headers no synonym knows: the user maps them on the page.
ODD_VALUES = b"Place,When,What,Number\nLeicestershire County Council,2022/23,LCC078,41.5\nKent,2022/23,LCC078,7\n"


def open_import_page(store_path: Path, monkeypatch, tmp_path: Path) -> AppTest:
    """Open the Data import page on a store (through app.py once it lists the page)."""
    if "import_data" in registry.BY_KEY:  # app.py navigates to the registry's pages
        return open_page(store_path, monkeypatch, "import_data")
    # Until app.py declares the page: an entry point like app.py's that declares it.
    monkeypatch.setenv("BENCHMARKING_DB", str(store_path))
    use_navigation_mode(monkeypatch)
    entry = tmp_path / "entry.py"
    entry.write_text(
        "import streamlit as st\n"
        f"st.navigation([st.Page({str(ROOT / 'pages' / 'overview.py')!r}, title='Overview', default=True),\n"
        f"               st.Page({str(PAGE)!r}, title='Data import', url_path='import_data')]).run()\n"
    )
    at = AppTest.from_file(str(entry), default_timeout=90).run()
    return at.switch_page(str(PAGE)).run()


def upload(at: AppTest, *files: tuple[str, bytes]) -> AppTest:
    """Put files in the page's uploader and rerun."""
    at.file_uploader(key="import_files").set_value([(name, data, "application/octet-stream") for name, data in files])
    return at.run()


def widget(at: AppTest, key: str):
    for found in [*at.selectbox, *at.text_input, *at.checkbox, *at.radio, *at.multiselect]:
        if found.key == key:
            return found
    raise AssertionError(f"no widget {key!r}; keys: {[w.key for w in [*at.selectbox, *at.text_input]]}")


def map_odd_columns(at: AppTest) -> AppTest:
    """Map the odd file's columns to the store's fields, as a user picks them."""
    prefix = "map:odd.csv:indicator_value:long"
    for field, column in [
        ("authority_name", "Place"),
        ("period", "When"),
        ("indicator_id", "What"),
        ("value", "Number"),
    ]:
        widget(at, f"{prefix}:{field}").set_value(column)
    return at.run()


def test_upload_map_preview_commit_and_undo(writable_store, monkeypatch, tmp_path):
    """The whole flow: nothing is written by the preview; commit writes; undo restores the store."""
    before = writable_store.checksums()
    at = upload(open_import_page(writable_store.path, monkeypatch, tmp_path), ("odd.csv", ODD_VALUES))
    assert not at.exception
    assert widget(at, "map:odd.csv:indicator_value:long:value").value == "(not in this file)"
    at = map_odd_columns(at)
    at.button(key="upload_preview_button").click().run()
    assert not at.exception
    shown = metrics(at)
    assert (shown["Rows to add"], shown["Rows to replace"], shown["Rows rejected"]) == ("2", "0", "0")
    assert writable_store.checksums() == before  # the preview wrote nothing
    widget(at, "upload_by").set_value("analyst")
    at.button(key="upload_commit").click().run()
    assert not at.exception
    assert any(
        markdown_text("Imported odd.csv: 2 rows added and 0 replaced in indicator_value; 1 new period") in s.value
        for s in at.success
    )
    values = writable_store.values(["2022/23"]).set_index(["indicator_id", "authority_code"])["value"]
    assert values.loc[("LCC078", "E10000018")] == 41.5
    assert writable_store.datasets().iloc[0]["loaded_by"] == "analyst"
    at.button(key="undo_button").click().run()
    assert not at.exception
    assert any(markdown_text("Undid import 2, odd.csv") in s.value for s in at.success)
    assert writable_store.checksums() == before  # the remembered mapping goes with the undo too


def test_the_commit_reuses_the_checks_of_the_preview_the_page_showed(
    writable_store, monkeypatch, tmp_path, counted_checks
):
    """Preview then commit on the page: the rows are checked once (by the preview), as on the command line."""
    at = map_odd_columns(upload(open_import_page(writable_store.path, monkeypatch, tmp_path), ("odd.csv", ODD_VALUES)))
    at.button(key="upload_preview_button").click().run()
    at.button(key="upload_commit").click().run()
    assert not at.exception
    assert counted_checks == []  # the commit checked nothing again
    values = writable_store.values(["2022/23"]).set_index(["indicator_id", "authority_code"])["value"]
    assert (values.loc[("LCC078", "E10000018")], values.loc[("LCC078", "E10000016")]) == (41.5, 7)


def test_undo_acts_on_the_import_the_page_showed(writable_store, monkeypatch, tmp_path):
    """Another session imports after the page showed import 2: Undo refuses, naming both, and changes nothing."""
    from benchmarking.ingest.importer import import_frames

    def values(value: float):
        frame = writable_store.values(["2021/22"]).head(1)[["indicator_id", "authority_code", "period"]]
        return [("indicator_value", frame.assign(value=value), f"v{value:g}.csv")]

    import_frames(writable_store, values(1))
    at = open_import_page(writable_store.path, monkeypatch, tmp_path)
    assert at.button(key="undo_button").label == "Undo import 2"
    import_frames(writable_store, values(2))  # another session, after the page was drawn
    before = writable_store.checksums()
    at.button(key="undo_button").click().run()
    assert not at.exception
    assert any(markdown_text("import 2 is no longer the newest: import 3 (v2.csv)") in e.value for e in at.error)
    assert writable_store.checksums() == before
    assert at.button(key="undo_button").label == "Undo import 3"  # the page now shows the newest


def test_the_mapping_is_remembered_for_the_next_file_with_the_same_columns(writable_store, monkeypatch, tmp_path):
    """After a commit, the same odd header maps itself (the page says the mapping was remembered)."""
    at = map_odd_columns(upload(open_import_page(writable_store.path, monkeypatch, tmp_path), ("odd.csv", ODD_VALUES)))
    at.button(key="upload_preview_button").click().run()
    at.button(key="upload_commit").click().run()
    (tmp_path / "again").mkdir()
    again = upload(
        open_import_page(writable_store.path, monkeypatch, tmp_path / "again"),
        ("odd.csv", ODD_VALUES.replace(b"41.5", b"42")),
    )
    assert widget(again, "map:odd.csv:indicator_value:long:value").value == "Number"
    assert any("Remembered mapping" in caption.value for caption in again.caption)


def test_rejected_rows_block_the_commit_until_the_user_leaves_them_out(writable_store, monkeypatch, tmp_path):
    """An unknown authority: the preview lists it; commit is disabled until 'leave out' is ticked."""
    data = b"Local authority,Year,Indicator,Value\nKent,2022/23,LCC078,1\nAtlantis,2022/23,LCC078,2\n"
    at = upload(open_import_page(writable_store.path, monkeypatch, tmp_path), ("values.csv", data))
    at.button(key="upload_preview_button").click().run()
    assert metrics(at)["Rows rejected"] == "1"
    assert any("Atlantis" in w.value for w in at.warning)
    assert at.button(key="upload_commit").disabled
    widget(at, "upload_skip").check().run()
    at.button(key="upload_commit").click().run()
    assert any("1 rejected row left out" in s.value for s in at.success)
    assert len(writable_store.values(["2022/23"])) == 1


def test_a_wide_file_with_one_value_for_every_row(writable_store, monkeypatch, tmp_path):
    """Periods as columns, the indicator given once for the whole file."""
    data = b"Area code,Area name,2020/21,2021/22\nE10000018,Leicestershire,1.5,2.5\nE10000016,Kent,3.5,\n"
    at = upload(open_import_page(writable_store.path, monkeypatch, tmp_path), ("wide.csv", data))
    assert widget(at, "layout:wide.csv:indicator_value").value == "wide-periods"
    prefix = "map:wide.csv:indicator_value:wide-periods"
    widget(at, f"{prefix}:indicator_id").set_value("(one value for every row)").run()
    widget(at, f"{prefix}:indicator_id:value").set_value("LCC078").run()
    at.button(key="upload_preview_button").click().run()
    assert not at.exception
    assert metrics(at)["Figures to replace"] == "3"  # a wide file counts figures; the empty cell is not one
    at.button(key="upload_commit").click().run()
    values = writable_store.values(["2020/21"]).set_index(["indicator_id", "authority_code"])["value"]
    assert values.loc[("LCC078", "E10000016")] == 3.5


def test_an_xlsx_upload_offers_its_sheets(writable_store, monkeypatch, tmp_path):
    """A workbook's sheets are listed; the chosen sheet is the one read."""
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    book.active.append(["Read me"])
    values = book.create_sheet("Values")
    for row in [["ONS code", "Year", "Indicator", "Value"], ["E10000018", "2021/22", "LCC078", 9.25]]:
        values.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    at = upload(open_import_page(writable_store.path, monkeypatch, tmp_path), ("book.xlsx", buffer.getvalue()))
    sheet = widget(at, "sheet:book.xlsx")
    assert sheet.options == ["Notes", "Values"]
    sheet.set_value("Values").run()
    at.button(key="upload_preview_button").click().run()
    assert not at.exception, at.exception
    assert metrics(at)["Rows to replace"] == "1", [e.value for e in at.error] + [str(d.value) for d in at.dataframe]


def test_a_percent_cell_is_stored_as_shown_and_the_preview_says_so(writable_store, monkeypatch, tmp_path):
    """A workbook cell typed 4.1% (0.041 formatted 0.0%) for an indicator in '%': the preview notes one cell read
    as a percentage, and the commit stores 4.1."""
    book = openpyxl.Workbook()
    for row in [["ONS code", "Year", "Indicator", "Value"], ["E10000018", "2021/22", "LCC002", 0.041]]:
        book.active.append(row)
    book.active["D2"].number_format = "0.0%"
    buffer = io.BytesIO()
    book.save(buffer)
    at = upload(open_import_page(writable_store.path, monkeypatch, tmp_path), ("pc.xlsx", buffer.getvalue()))
    at.button(key="upload_preview_button").click().run()
    assert not at.exception, at.exception
    note = markdown_text("pc.xlsx: 1 cell(s) formatted as percentages")
    assert any(note in i.value for i in at.info), [i.value for i in at.info]
    at.button(key="upload_commit").click().run()
    assert not at.exception
    values = writable_store.values(["2021/22"]).set_index(["indicator_id", "authority_code"])["value"]
    assert values.loc[("LCC002", "E10000018")] == 4.1


def test_a_file_that_is_not_what_it_claims_shows_a_clear_error(writable_store, monkeypatch, tmp_path):
    """CSV text named .xlsx: an error table says so; the page carries on (no exception)."""
    at = upload(
        open_import_page(writable_store.path, monkeypatch, tmp_path),
        ("values.xlsx", b"indicator_id,authority_code\nA,B\n"),
    )
    assert not at.exception
    assert any("problem(s) found" in e.value for e in at.error)
    table = problems(at)
    assert "cannot be read as an Excel file" in table["message"].iloc[0]


def test_text_from_files_is_shown_as_text(writable_store, monkeypatch, tmp_path):
    """An authority called <script> and a file called **bold** are shown literally, never as markup."""
    data = b"Local authority,Year,Indicator,Value\n<script>alert(1)</script>,2021/22,LCC078,1\n"
    at = upload(open_import_page(writable_store.path, monkeypatch, tmp_path), ("**bold**.csv", data))
    at.button(key="upload_preview_button").click().run()
    warning = next(w.value for w in at.warning if "match no authority" in w.value)
    assert "&lt;script&gt;alert\\(1\\)&lt;/script&gt;" in warning and "<script>" not in warning
    assert "\\*\\*bold\\*\\*" in warning


@pytest.mark.shared_data
def test_a_published_source_loads_through_the_page(writable_store, monkeypatch, tmp_path, shared_data):
    """IMD 2019 from the shared data folder: preview then commit on the Published sources tab."""
    at = open_import_page(writable_store.path, monkeypatch, tmp_path)
    widget(at, "source_name").set_value("imd").run()
    widget(at, "source_folder").set_value(str(shared_data)).run()
    at.button(key="source_preview_button").click().run()
    assert not at.exception
    shown = metrics(at)
    assert int(shown["Rows to add"]) + int(shown["Rows to replace"]) + int(shown["Unchanged"]) == 31
    at.button(key="source_commit").click().run()
    assert not at.exception
    latest = Store(writable_store.path).datasets().iloc[0]
    assert latest["file_name"] == "imd2019_utla_imd_summary.csv" and latest["kind"] == "imported"


def test_a_large_file_shows_a_progress_bar(writable_store, monkeypatch, tmp_path):
    """Files over preview.SLOW_BYTES (over a second's work) get a progress bar while read and checked."""
    from benchmarking.ingest import preview

    monkeypatch.setattr(preview, "SLOW_BYTES", 10)  # every file counts as large
    at = upload(open_import_page(writable_store.path, monkeypatch, tmp_path), ("odd.csv", ODD_VALUES))
    assert at.get("progress"), "no progress bar while reading"
    at = map_odd_columns(at)
    at.button(key="upload_preview_button").click().run()
    bars = at.get("progress")
    assert bars and bars[-1].proto.value == 100


def test_the_sources_folder_follows_the_environment(monkeypatch, tmp_path):
    """$BENCHMARKING_SOURCES names the folder; without it, shared/data beside the repository."""
    from benchmarking.paths import PROJECT_ROOT
    from benchmarking.service.data_admin import default_store, sources_folder

    monkeypatch.setenv("BENCHMARKING_SOURCES", str(tmp_path))
    assert sources_folder() == tmp_path
    monkeypatch.delenv("BENCHMARKING_SOURCES")
    assert sources_folder() == PROJECT_ROOT.parent / "shared" / "data"
    monkeypatch.setenv("BENCHMARKING_DB", str(tmp_path / "x.duckdb"))
    assert default_store().path == tmp_path / "x.duckdb"


def test_a_published_source_previews_and_commits_through_the_service(writable_store, shared_data):
    """IMD 2019: the preview counts 31 rows and nothing is written until commit_source."""
    from benchmarking.adapters.registry import published_source
    from benchmarking.service.data_admin import commit_source, last_import, preview_source

    source = published_source("imd")
    before = writable_store.checksums()
    checked = preview_source(writable_store, source, shared_data)
    shown = checked.preview
    assert shown.added + shown.replaced + shown.unchanged == 31
    assert set(checked.hashes) == {"imd2019_utla_imd_summary.csv"}
    assert writable_store.checksums() == before
    result = commit_source(writable_store, source, checked, False, "tester", None)
    assert result.file_name == "imd2019_utla_imd_summary.csv"
    last = last_import(writable_store)
    assert last["loaded_by"] == "tester" and last["source"] == source.source


def test_a_list_of_codes_and_names_fills_the_table_its_codes_say_or_asks_for_it(writable_store, monkeypatch, tmp_path):
    """`code,name` of ONS codes fills the authority table; of codes that tell nothing, the table is asked for."""
    at = open_import_page(writable_store.path, monkeypatch, tmp_path)
    at = upload(at, ("a.csv", b"code,name\nE10000018,Leicestershire\n"))
    assert not at.exception
    assert widget(at, "table:a.csv").value == "authority"
    assert widget(at, "map:a.csv:authority:long:code").value == "code"
    at = upload(at, ("u.csv", b"code,name\nX1,Something\n"))
    assert widget(at, "table:u.csv").value is None  # not guessed
    asked = markdown_text("(--table authority or --table indicator on the command line, or the 'Table to fill' choice")
    assert any(asked in w.value for w in at.warning)
    assert any(w.value.startswith("Its columns fit") for w in at.warning)  # a sentence of its own on the page
    at.button(key="upload_preview_button").click().run()
    assert "choose the table" in problems(at)["message"].iloc[0]
    widget(at, "table:u.csv").set_value("indicator").run()
    assert widget(at, "map:u.csv:indicator:long:id").value == "code"


def test_a_name_column_of_authorities_fills_the_values_table_and_unused_columns_are_named(
    writable_store, monkeypatch, tmp_path
):
    """Review v6: ``indicator_id,name,period,value`` of authority names is proposed as indicator_value (not
    dashboard_extra, whose caption spoke of an authority it has no field for); a column no field takes is named
    in the preview, and the figure is committed."""
    data = b"indicator_id,name,period,value,comment\nLCC078,Leicestershire,2022/23,41.5,checked\n"
    at = upload(open_import_page(writable_store.path, monkeypatch, tmp_path), ("named.csv", data))
    assert [s.value for s in at.selectbox if s.label == "Table to fill"] == ["indicator_value"]
    at.button(key="upload_preview_button").click().run()
    assert not at.exception, at.exception
    note = markdown_text("named.csv: column(s) 'comment' not used")
    assert any(note in i.value for i in at.info), [i.value for i in at.info]
    at.button(key="upload_commit").click().run()
    values = writable_store.values(["2022/23"]).set_index(["indicator_id", "authority_code"])["value"]
    assert values.loc[("LCC078", "E10000018")] == 41.5


def test_the_coverage_preview_never_lists_an_abolished_council_as_missing(shipped_store_path, monkeypatch, tmp_path):
    """A value for 2023/24 on the shipped store: the preview's coverage lists as still missing only authorities
    that existed then; Cumbria, Northamptonshire and the other abolished councils are counted as not existing."""
    import shutil

    from benchmarking.method.lifetimes import existing_in
    from benchmarking.service.catalogue import load_catalogue

    path = tmp_path / "store.duckdb"
    shutil.copy(shipped_store_path, path)
    cat = load_catalogue(Store(path))
    indicator = cat.indicators["id"].iloc[0]
    values = f"indicator_id,authority_code,period,value\n{indicator},E10000018,2023/24,1\n".encode()
    at = upload(open_import_page(path, monkeypatch, tmp_path), ("new_period.csv", values))
    at.button(key="upload_preview_button").click().run()
    assert not at.exception, [e.value for e in at.exception]
    coverage = next(table for table in html_tables(at) if "still_missing" in table.columns)
    row = coverage.set_index("period").loc["2023/24"]
    codes = list(cat.authorities["code"])
    existed = existing_in(codes, "2023/24", {"E10000018"})
    gone = {name for name, alive in zip(cat.authorities["name"], existed) if not alive}
    assert {"Cumbria", "Northamptonshire", "Buckinghamshire CC"} <= gone
    for name in gone:
        assert name not in row["still_missing"].split(", ")
    shown = {
        column: int(row[column].replace(",", "")) for column in ("authorities_after", "missing_after", "not_existing")
    }
    assert shown["not_existing"] == len(gone)
    assert shown["authorities_after"] + shown["missing_after"] + shown["not_existing"] == len(codes)
