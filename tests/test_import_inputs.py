"""Issue 15, what a file may say: remembered mappings, canonical keys and periods, bounded reads, small refusals.

Each case goes the way ``python -m benchmarking import`` or the Data import page sends it
and asserts the clear message and the store's unchanged checksums (or the merged result).
"""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from benchmarking.cli.main import main
from benchmarking.errors import ImportValidationError
from benchmarking.ingest.context import store_context
from benchmarking.ingest.period_keys import canonical_periods, refused_periods
from benchmarking.ingest.preview import commit, map_sources, read_uploaded


def cli(store, *args: str) -> list[str]:
    """Return the command line for ``import`` into ``store``."""
    return ["--db", str(store.path), "import", *args]


def run_import(store, name: str, data: bytes, sheet: str | None = None):
    """Import one uploaded file the way the page does: read, recognise, map, commit."""
    source = read_uploaded(name, data, sheet)
    mapped = map_sources([source], store_context(store))
    return commit(store, mapped, {source.name: source.sha256})


def refused(store, name: str, data: bytes) -> str:
    """Return the message of an import that must be refused, checking the store is unchanged."""
    before = store.checksums()
    with pytest.raises(ImportValidationError) as caught:
        run_import(store, name, data)
    assert store.checksums() == before
    return str(caught.value)


def value_of(store, indicator: str, code: str, period: str) -> float:
    """Return one stored value."""
    values = store.values([period])
    return values.set_index(["indicator_id", "authority_code"])["value"].loc[(indicator, code)]


# -- defect 2: a remembered mapping keeps columns, not values -------------------------------------


def test_a_remembered_mapping_asks_again_for_the_period_it_was_given(writable_store, tmp_path, capsys):
    """`--set period=2020/21` is not reused for next year's file with the same header (CLI: exit 2, store unchanged)."""
    y1, y2 = tmp_path / "y1.csv", tmp_path / "y2.csv"
    y1.write_text("Code,Indicator,Figure\nE10000018,LCC078,11\n", encoding="utf-8")
    y2.write_text("Code,Indicator,Figure\nE10000018,LCC078,99\n", encoding="utf-8")
    maps = ["--map", "authority_code=Code", "--map", "indicator_id=Indicator", "--map", "value=Figure"]
    assert main(cli(writable_store, str(y1), *maps, "--set", "period=2020/21")) == 0
    capsys.readouterr()
    before = writable_store.checksums()
    assert main(cli(writable_store, str(y2))) == 2
    err = capsys.readouterr().err
    assert "y2.csv: the remembered (saved " in err and "--set period=VALUE" in err
    assert writable_store.checksums() == before
    assert value_of(writable_store, "LCC078", "E10000018", "2020/21") == 11
    assert main(cli(writable_store, str(y2), "--set", "period=2021/22")) == 0
    out = capsys.readouterr().out
    assert "remembered (saved " in out and "and adjusted mapping" in out
    assert value_of(writable_store, "LCC078", "E10000018", "2020/21") == 11
    assert value_of(writable_store, "LCC078", "E10000018", "2021/22") == 99


def test_a_remembered_mapping_asks_again_for_the_indicator(writable_store, tmp_path, capsys):
    """`--set indicator_id=...` does not write a second indicator's file over the first."""
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("Area code,2019/20\nE10000018,5\n", encoding="utf-8")
    second.write_text("Area code,2019/20\nE10000018,6\n", encoding="utf-8")
    assert main(cli(writable_store, str(first), "--set", "indicator_id=LCC078")) == 0
    capsys.readouterr()
    before = writable_store.checksums()
    assert main(cli(writable_store, str(second))) == 2
    assert "--set indicator_id=VALUE" in capsys.readouterr().err
    assert writable_store.checksums() == before


def test_the_remembered_json_keeps_fields_not_values(writable_store):
    """What the store remembers names the fields that ask for a value, and the date; never the value."""
    from benchmarking.ingest.layouts import LONG, ColumnMapping
    from benchmarking.ingest.preview import SourceFile
    from benchmarking.ingest.remembered import choose_mapping, mapping_key

    data = pd.DataFrame({"Code": ["E10000018"], "Figure": ["3"]})
    chosen = ColumnMapping(
        "indicator_value",
        LONG,
        {"authority_code": "Code", "value": "Figure"},
        {"period": "2020/21", "indicator_id": "LCC078"},
    )
    mapped = map_sources([SourceFile("x.csv", data, 10, "x")], store_context(writable_store), {"x.csv": chosen})
    commit(writable_store, mapped)
    saved = writable_store.settings()[mapping_key(["Code", "Figure"])]
    assert "2020/21" not in saved and "LCC078" not in saved and '"asks"' in saved
    again, origin = choose_mapping(["Code", "Figure"], store_context(writable_store))
    assert again.constants == {"indicator_id": "", "period": ""} and origin.startswith("remembered (saved 20")
    with pytest.raises(ImportValidationError, match=r"'period'.*takes one value for every row"):
        map_sources([SourceFile("x.csv", data, 10, "x")], store_context(writable_store), {"x.csv": again})


# -- defect 7: keys that differ only by case or invisible characters ----------------------------


AUTHORITY_HEADER = b"code,name,kind,region,population\n"


def test_a_lower_case_ons_code_updates_the_authority_it_names(writable_store):
    """`e10000003` is `E10000003`: the row updates Cambridgeshire, no 33rd authority."""
    count = len(writable_store.authorities())
    run_import(writable_store, "a.csv", AUTHORITY_HEADER + b" e10000003 ,Cambridgeshire,county council,East,700000\n")
    authorities = writable_store.authorities().set_index("code")
    assert len(authorities) == count and authorities.loc["E10000003", "population"] == 700000


def test_an_indicator_id_in_another_case_is_the_stored_indicator(writable_store):
    """`lcc078` is `LCC078` (the store's spelling) in a values file and in the indicator table: no second indicator."""
    run_import(writable_store, "v.csv", b"indicator_id,authority_code,period,value\nlcc078,e10000018,2021/22,77\n")
    assert value_of(writable_store, "LCC078", "E10000018", "2021/22") == 77
    assert "lcc078" not in set(writable_store.indicators()["id"])
    count = len(writable_store.indicators())
    run_import(writable_store, "i.csv", b"id,name,theme,polarity\n lcc078 ,Renamed,Waste,high\n")
    indicators = writable_store.indicators().set_index("id")
    assert len(indicators) == count and indicators.loc["LCC078", "name"] == "Renamed"


@pytest.mark.parametrize(
    "cell, shown",
    [("E1000\u200b0003", "U+200B"), ("E10000003\x00", "U+0000"), ("E10000003\ufeff", "U+FEFF")],
)
def test_an_invisible_character_in_a_code_is_refused_at_its_row(writable_store, cell, shown):
    """A zero-width space, a NUL or a byte-order mark in a code: refused with file, row and column."""
    data = AUTHORITY_HEADER + f"{cell},Cambridgeshire,county council,East,700000\n".encode()
    message = refused(writable_store, "a.csv", data)
    assert "a.csv" in message and "row 2" in message and "code" in message and shown in message


def test_a_name_with_a_control_character_or_ten_thousand_characters_is_refused(writable_store):
    """A NUL in a name and a 10,000-character name are refused at the door, with their row."""
    nul = refused(
        writable_store, "a.csv", AUTHORITY_HEADER + b"E10000003,Cambridge\x00shire,county council,East,1000\n"
    )
    assert "U+0000" in nul and "name" in nul
    long = AUTHORITY_HEADER + b"E10000003," + b"A" * 10_000 + b",county council,East,700000\n"
    assert "10,000 characters long, over the limit of 200" in refused(writable_store, "a.csv", long)


# -- defect 5: a period label that means a stored period ------------------------------------------


VALUES = b"indicator_id,authority_code,period,value\n"


def test_one_month_row_does_not_make_a_period_of_its_own(writable_store):
    """`Mar 2022` for an indicator by financial year: refused naming 2021/22; its ranking keeps every authority."""
    message = refused(writable_store, "v.csv", VALUES + b"LCC001,E10000018,Mar 2022,5\n")
    assert "'Mar 2022' is not a financial year" in message and "'2021/22'" in message and "row 2" in message
    assert "Mar 2022" not in set(writable_store.periods()["label"])
    assert len(writable_store.values(["2021/22"]).query("indicator_id == 'LCC001'")) == 32


@pytest.mark.parametrize("label", ["2021-22", "2021/2022", "2021-2022"])
def test_a_corrected_value_under_another_spelling_replaces_the_stored_one(writable_store, label):
    """`2021-22` is the stored `2021/22`: the corrected value replaces it, no new period."""
    periods = set(writable_store.periods()["label"])
    run_import(writable_store, "v.csv", VALUES + f"LCC001,E10000018,{label},123.5\n".encode())
    assert set(writable_store.periods()["label"]) == periods
    assert value_of(writable_store, "LCC001", "E10000018", "2021/22") == 123.5


def test_a_parquet_integer_or_date_period_is_refused_naming_the_financial_years(writable_store, tmp_path):
    """A Parquet integer 2021 or a date is not a financial year: refused naming the stored years it falls in."""
    for period, expected in [
        (2021, "'2020/21' (held) or '2021/22' (held)"),
        (pd.Timestamp("2022-03-31"), "belongs to: '2021/22' (held)"),
    ]:
        frame = pd.DataFrame(
            {"indicator_id": ["LCC001"], "authority_code": ["E10000018"], "period": [period], "value": [1.0]}
        )
        buffer = io.BytesIO()
        frame.to_parquet(buffer)
        message = refused(writable_store, "v.parquet", buffer.getvalue())
        assert "is not a financial year" in message and expected in message


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        (["2019/20", "2020/21"], "'2020/21' (held) or '2021/22' (not held yet)"),
        (["2021/22", "2022/23"], "'2020/21' (not held yet) or '2021/22' (held)"),
    ],
)
def test_a_calendar_year_names_both_financial_years_it_overlaps_and_which_are_held(stored, expected):
    """`2021` may be 2020/21's or 2021/22's figures: both are named, each saying whether the store holds it."""
    held = pd.DataFrame({"indicator_id": "LCC001", "period": stored, "status": "final"})
    rows = pd.DataFrame({"indicator_id": ["LCC001"], "authority_code": ["E10000018"], "period": ["2021"]})
    refused = refused_periods(canonical_periods(rows, held)[0], held)[
        "other_kind"
    ]  # the row's message (checks flag it)
    assert refused.notna().tolist() == [True]
    assert f"give the financial year it belongs to: {expected}" in refused.iloc[0]


def test_provisional_figures_are_the_period_with_a_status_and_never_replace_final_ones(writable_store):
    """`2021/22 (P)` is period 2021/22, status provisional: refused over final figures, no `(P)` period."""
    message = refused(writable_store, "v.csv", VALUES + b"LCC001,E10000018,2021/22 (P),5\n")
    assert "provisional figures do not replace final ones" in message
    assert not any("(P)" in label for label in writable_store.periods()["label"])


def test_provisional_figures_for_a_new_period_are_stored_under_its_plain_label(writable_store):
    """`2024/25 (P)` for a period the store lacks: stored as period 2024/25 with status provisional."""
    run_import(writable_store, "v.csv", VALUES + b"LCC001,E10000018,2024/25 (P),5\n")
    row = writable_store.values(["2024/25"]).query("indicator_id == 'LCC001'").iloc[0]
    assert row["status"] == "provisional" and row["value"] == 5


def test_the_page_asks_again_for_the_period_a_remembered_mapping_was_given(writable_store, monkeypatch, tmp_path):
    """Page path: the remembered mapping's period field is shown empty, with a warning and the date saved."""
    from test_page_import import open_import_page, upload, widget

    y1 = tmp_path / "y1.csv"
    y1.write_text("Code,Indicator,Figure\nE10000018,LCC078,11\n", encoding="utf-8")
    maps = ["--map", "authority_code=Code", "--map", "indicator_id=Indicator", "--map", "value=Figure"]
    assert main(cli(writable_store, str(y1), *maps, "--set", "period=2020/21")) == 0
    at = upload(open_import_page(writable_store.path, monkeypatch, tmp_path), ("y2.csv", b"Code,Indicator,Figure\n"))
    assert widget(at, "map:y2.csv:indicator_value:long:period:value").value == ""
    assert any("Remembered mapping (saved " in caption.value for caption in at.caption)
    assert any("Give Period for this file" in warning.value for warning in at.warning)
    assert not at.exception


def test_the_page_no_longer_asks_for_a_value_once_a_column_gives_the_field(writable_store, monkeypatch, tmp_path):
    """Review r4, the page beside ``--map``: a remembered mapping gave the indicator one value for every row; once the
    user picks the column that holds it, the page stops asking for that value."""
    from test_page_import import open_import_page, upload, widget

    ons = tmp_path / "ons.csv"
    ons.write_text("code,name,year,value\nE10000018,Leicestershire,2021/22,1\n", encoding="utf-8")
    assert main(cli(writable_store, str(ons), "--set", "indicator_id=LCC078")) == 0
    data = b"code,name,year,value\nNEW001,Leicestershire,2021/22,1\n"  # new ids: the codes tell nothing
    at = upload(open_import_page(writable_store.path, monkeypatch, tmp_path), ("ids.csv", data))
    assert any("Give Indicator (id or name) for this file" in warning.value for warning in at.warning)
    at = widget(at, "map:ids.csv:indicator_value:long:indicator_id").set_value("code").run()
    assert not any("Give Indicator (id or name)" in warning.value for warning in at.warning)
    assert not at.exception


# -- defect 6 and item 7: what a spreadsheet or a Parquet file may hold --------------------------


def xlsx_with_error(error: str | None, dimension: str | None = None) -> bytes:
    """Return a workbook whose value cell D2 holds a cached spreadsheet error, as Excel saves it.

    ``dimension`` replaces the sheet's declared dimension (``A1:D20000000``).
    """
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["indicator_id", "authority_code", "period", "value"])
    sheet.append(["LCC078", "E10000018", "2021/22", 1])
    buffer = io.BytesIO()
    book.save(buffer)
    import zipfile

    source, out = zipfile.ZipFile(io.BytesIO(buffer.getvalue())), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                if error:
                    start = text.index('<c r="D2"')
                    end = text.index("</c>", start) + len("</c>")
                    text = text[:start] + f'<c r="D2" t="e"><f>1/0</f><v>{error}</v></c>' + text[end:]
                if dimension:
                    text = text.replace('<dimension ref="A1:D2"/>', f'<dimension ref="{dimension}"/>')
                data = text.encode()
            target.writestr(item, data)
    return out.getvalue()


@pytest.mark.parametrize("error", ["#DIV/0!", "#N/A", "#VALUE!", "#REF!"])
def test_a_cached_spreadsheet_error_is_refused_at_its_row_and_column(writable_store, error):
    """`#DIV/0!` in an XLSX value cell: refused with row 2 and column 'value', the stored value kept."""
    message = refused(writable_store, "v.xlsx", xlsx_with_error(error))
    assert f"cell D2 holds the spreadsheet error {error!r}" in message
    assert "row 2" in message and "'value'" in message
    assert value_of(writable_store, "LCC078", "E10000018", "2021/22") is not None


def test_a_small_parquet_file_of_twenty_million_rows_is_refused_from_its_metadata(writable_store, tmp_path):
    """The 20 M-row Parquet file is refused by its row count before a cell is read (memory: benchmarks/)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from benchmarking.ingest.limits import MAX_ROWS

    path = tmp_path / "huge.parquet"
    column = pa.DictionaryArray.from_arrays(pa.array([0] * 20_000_000, pa.int8()), pa.array(["LCC078"]))
    pq.write_table(pa.table({"indicator_id": column}), path, row_group_size=20_000_000)
    assert path.stat().st_size < 2_000_000
    message = refused(writable_store, "huge.parquet", path.read_bytes())
    assert "20,000,000 rows" in message and f"over the limit of {MAX_ROWS:,} rows" in message


def test_a_sheet_declaring_too_many_rows_is_refused_before_it_is_read(writable_store):
    """A sheet's declared dimension over the limits: refused from the sheet's XML, before its cells are read."""
    from benchmarking.ingest.limits import dimension

    assert dimension("A1:D20000000") == (20_000_000, 4) and dimension("A1") == (0, 0)
    message = refused(writable_store, "v.xlsx", xlsx_with_error(None, dimension="A1:D20000000"))
    assert "sheet 'Sheet' holds 20,000,000 rows and 4 columns" in message


# -- defect 9 and 12: the smaller refusals and readings --------------------------------------------


def test_a_values_file_without_a_value_column_is_refused_clearly(writable_store, tmp_path, capsys):
    """CLI: no `KeyError: 'value'`; exit 2 with the message naming the missing column."""
    path = tmp_path / "novalue.csv"
    path.write_text("indicator_id,authority_code,period\nLCC078,E10000018,2021/22\n", encoding="utf-8")
    before = writable_store.checksums()
    assert main(cli(writable_store, str(path))) == 2
    err = capsys.readouterr().err
    assert "no column gives 'value'" in err and "--map value=COLUMN" in err and "Traceback" not in err
    assert writable_store.checksums() == before


def test_a_folder_given_as_file_is_named(writable_store, tmp_path, capsys):
    """A directory given as FILE: a clear message, exit 2."""
    folder = tmp_path / "values.csv"
    folder.mkdir()
    assert main(cli(writable_store, str(folder))) == 2
    assert "is a folder, not a file" in capsys.readouterr().err


@pytest.mark.parametrize(
    "name, data",
    [
        ("cr.csv", VALUES.replace(b"\n", b"\r") + b"LCC078,E10000018,2021/22,31\r"),
        ("tab.csv", VALUES.replace(b",", b"\t") + b"LCC078\tE10000018\t2021/22\t31\n"),
    ],
)
def test_cr_only_and_tab_delimited_files_are_read(writable_store, name, data):
    """Lines ending in CR alone and tab-delimited cells are read as the rows they hold."""
    run_import(writable_store, name, data)
    assert value_of(writable_store, "LCC078", "E10000018", "2021/22") == 31


@pytest.mark.parametrize(
    "name, data, expected",
    [
        ("pop0.csv", AUTHORITY_HEADER + b"E10000003,Cambridgeshire,county council,East,0\n", "population 0 is not"),
        ("popbig.csv", AUTHORITY_HEADER + b"E10000003,Cambridgeshire,county council,East,1e15\n", "not plausible"),
        ("theme.csv", b"theme,service\nHealth,witchcraft\n", "unknown service 'witchcraft'"),
        (
            "groups.csv",
            b"group_id,name,authority_code,member_code\ng1,Near,*,E10000018\ng1,Far,*,E10000003\n",
            "comparator group 'g1' has more than one name ('Near' and 'Far')",
        ),
    ]
    + [
        (
            f"dep{rank}.csv",
            f"authority_code,edition,rank_of_average_rank\nE10000018,IMD 2019,{rank}\n".encode(),
            "not a rank",
        )
        for rank in ("-5", "0", "1.5")
    ],
)
def test_implausible_figures_and_words_are_refused(writable_store, name, data, expected):
    """Population 0 or 1e15, deprivation ranks -5, 0, 1.5, an unknown theme service, a group with two names."""
    assert expected in refused(writable_store, name, data)


def test_the_page_refuses_a_values_file_without_a_value_column(writable_store, monkeypatch, tmp_path):
    """Page path: Preview shows the message naming the missing value column, no traceback, nothing written."""
    from apptest_helpers import problems
    from test_page_import import open_import_page, upload

    before = writable_store.checksums()
    data = b"indicator_id,authority_code,period\nLCC078,E10000018,2021/22\n"
    at = upload(open_import_page(writable_store.path, monkeypatch, tmp_path), ("novalue.csv", data))
    at.button(key="upload_preview_button").click().run()
    assert not at.exception
    assert any("nothing was written" in error.value for error in at.error)
    shown = " ".join(problems(at)["message"])
    assert "no column gives 'value'" in shown
    assert writable_store.checksums() == before
