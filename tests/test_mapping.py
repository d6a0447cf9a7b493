"""Column mapping: recognising layouts, resolving authority names, melting wide tables, remembering."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarking.errors import ImportValidationError
from benchmarking.ingest.context import StoreContext, store_context
from benchmarking.ingest.headers import AUTHORITY_NAME, looks_like_period, normalise_header
from benchmarking.ingest.layouts import LONG, WIDE_INDICATORS, WIDE_PERIODS, ColumnMapping, adjust, recognise
from benchmarking.ingest.mapping import apply_mapping
from benchmarking.ingest.names import resolve_authorities
from benchmarking.ingest.remembered import choose_mapping, column_signature, mapping_key, saved_mapping
from benchmarking.ingest.results import FILE_COLUMN, FILE_ROW

AUTHORITIES = pd.DataFrame(
    {
        "code": ["E10000018", "E10000016", "E06000047", "E10000019", "E06000052"],
        "name": ["Leicestershire", "Kent", "County Durham", "Lincolnshire", "Cornwall"],
    }
)
INDICATORS = pd.DataFrame(
    {"id": ["LCC078", "DEMO006"], "name": ["Permanent admissions (65+)", "Carer-reported quality of life score"]}
)
CONTEXT = StoreContext(AUTHORITIES, INDICATORS, {})


def frame(text: str) -> pd.DataFrame:
    """Return a CSV text as the text cells read_file gives."""
    return pd.read_csv(pd.io.common.StringIO(text), dtype=str, keep_default_na=False)


# ---------------------------------------------------------------------------------------
# Recognising a layout from the header
# ---------------------------------------------------------------------------------------

# header, expected table, layout, field -> column
RECOGNISED = [
    # the store's own names
    (
        ["indicator_id", "authority_code", "period", "value"],
        "indicator_value",
        LONG,
        {"indicator_id": "indicator_id", "authority_code": "authority_code", "period": "period", "value": "value"},
    ),
    (
        ["code", "name", "kind", "region"],
        "authority",
        LONG,
        {"code": "code", "name": "name", "kind": "kind", "region": "region"},
    ),
    # publishers' words, any case and punctuation
    (
        ["ONS code", "Year", "Indicator", "Value"],
        "indicator_value",
        LONG,
        {"authority_code": "ONS code", "period": "Year", "indicator_id": "Indicator", "value": "Value"},
    ),
    (
        ["LA code", "Period", "Measure", "VALUE"],
        "indicator_value",
        LONG,
        {"authority_code": "LA code", "period": "Period", "indicator_id": "Measure", "value": "VALUE"},
    ),
    (
        ["Area code", "Area name", "Time period", "Indicator", "Value"],
        "indicator_value",
        LONG,
        {
            "authority_code": "Area code",
            AUTHORITY_NAME: "Area name",
            "period": "Time period",
            "indicator_id": "Indicator",
            "value": "Value",
        },
    ),
    (
        ["Local authority", "Financial year", "Measure", "Value"],
        "indicator_value",
        LONG,
        {AUTHORITY_NAME: "Local authority", "period": "Financial year", "indicator_id": "Measure", "value": "Value"},
    ),
    # Oflog ASC_data.csv: 'Code' (the id) beats 'Measure' (its name)
    (
        ["Financial year", "Local authority code", "Local authority name", "Measure", "Code", "Value"],
        "indicator_value",
        LONG,
        {
            "indicator_id": "Code",
            "authority_code": "Local authority code",
            AUTHORITY_NAME: "Local authority name",
            "period": "Financial year",
            "value": "Value",
        },
    ),
    # LGBF: camelCase headers
    (
        ["Code", "LocalAuthority", "Period", "Real_Value", "ScotRank"],
        "indicator_value",
        LONG,
        {"indicator_id": "Code", AUTHORITY_NAME: "LocalAuthority", "period": "Period", "value": "Real_Value"},
    ),
    # ONS-style geography columns
    (
        ["CTYUA21CD", "CTYUA21NM", "Year", "Indicator", "Value"],
        "indicator_value",
        LONG,
        {
            "authority_code": "CTYUA21CD",
            AUTHORITY_NAME: "CTYUA21NM",
            "period": "Year",
            "indicator_id": "Indicator",
            "value": "Value",
        },
    ),
    # wide: periods as columns
    (
        ["Area code", "Area name", "Indicator", "2019/20", "2020/21", "2021/22"],
        "indicator_value",
        WIDE_PERIODS,
        {"authority_code": "Area code", AUTHORITY_NAME: "Area name", "indicator_id": "Indicator"},
    ),
    # wide: indicators (ids or names) as columns
    (
        ["Local authority", "Year", "LCC078", "carer-reported quality of life score"],
        "indicator_value",
        WIDE_INDICATORS,
        {AUTHORITY_NAME: "Local authority", "period": "Year"},
    ),
    # other tables
    (
        ["authority_code", "period", "core_spending_power_per_head"],
        "funding",
        LONG,
        {
            "authority_code": "authority_code",
            "period": "period",
            "core_spending_power_per_head": "core_spending_power_per_head",
        },
    ),
]


@pytest.mark.parametrize("header, table, layout, columns", RECOGNISED)
def test_recognise_reads_the_layout_and_columns_from_the_header(header, table, layout, columns):
    """The guessed table, layout and field -> column mapping for typical published headers."""
    mapping = recognise(header, indicators=INDICATORS)
    assert (mapping.table, mapping.layout) == (table, layout)
    assert dict(mapping.columns) == columns


def test_recognise_lists_the_value_columns_of_a_wide_table():
    """Period headers and indicator headers become the wide columns, in file order."""
    periods = recognise(["Area code", "2019/20", "2020/21", "Notes"])
    assert periods.wide_columns == ("2019/20", "2020/21")
    indicators = recognise(["Area code", "Year", "DEMO006", "LCC078"], indicators=INDICATORS)
    assert indicators.wide_columns == ("DEMO006", "LCC078")


def test_recognise_reports_what_a_header_does_not_give():
    """A wide file of one indicator has no indicator column: the mapping says it is missing."""
    mapping = recognise(["Area code", "2019/20", "2020/21"])
    assert mapping.missing_fields() == ["indicator_id"]
    assert recognise(["Area code", "Year", "Indicator", "Value"]).missing_fields() == []


# -- a file of codes and names: an authority list or an indicator catalogue, as its codes say ------

# file text, the table it fills (None: cannot tell, the table is asked for)
CODES_AND_NAMES = [
    # ONS codes, known or new, in any case: an authority list
    ("code,name\nE10000018,Leicestershire\n", "authority"),
    (" Code , NAME \ne10000018,Leicestershire\nE06000099,Newshire\n", "authority"),
    ("code,name,region,population\nE10000018,Leicestershire,East Midlands,712000\n", "authority"),
    # codes the store holds as authorities, of no ONS shape
    ("code,name\nSCO01,Fife\n", "authority"),
    # half the codes ONS codes, the others mistyped ones (a digit missing or extra): authorities (review r4)
    ("code,name\nE10000018,Leicestershire\nE1000001,Oops\n", "authority"),
    # indicator ids the store holds (any case), even with a new one among them
    ("code,name\nLCC078,Admissions\ndemo006,Quality of life\n", "indicator"),
    ("Code,Name\nLCC078,Admissions\nDEMO006,Quality of life\nNEW001,New\n", "indicator"),
    # the header tells when the codes do not: region is an authority's, theme an indicator's
    ("code,name,region\nX1,Somewhere,East\n", "authority"),
    ("code,name,theme\nX1,Something,Economy\n", "indicator"),
    # neither: new codes of no shape, or as many of each
    ("code,name\nX1,Something\n", None),
    ("code,name\nE10000018,Leicestershire\nLCC078,Admissions\n", None),
    # mostly ONS codes, but held indicator ids among them: codes of both kinds tell nothing (review r2)
    ("code,name\nE10000003,Cambs\nE10000006,Cumbria\nE10000099,New\nLCC078,Admissions\nDEMO006,Quality\n", None),
]


@pytest.mark.parametrize("text, table", CODES_AND_NAMES)
def test_a_file_of_codes_and_names_is_the_catalogue_its_codes_look_like(text, table):
    """`code,name` is an authority list or an indicator catalogue as its codes say; never indicator values."""
    data = frame(text)
    authorities = pd.concat([AUTHORITIES, pd.DataFrame({"code": ["SCO01"], "name": ["Fife"]})], ignore_index=True)
    mapping, origin = choose_mapping(list(data.columns), StoreContext(authorities, INDICATORS, {}), frame=data)
    assert origin == "recognised"
    if table is None:
        assert mapping.undecided == ("authority", "indicator")
        assert "cannot tell which" in mapping.describe()
        with pytest.raises(ImportValidationError, match="--table authority or --table indicator") as caught:
            apply_mapping(data, mapping, "a.csv", CONTEXT)
        assert len(caught.value.issues) == 1 and "'Table to fill'" in str(caught.value)
    else:
        assert (mapping.table, mapping.undecided) == (table, ())
        key = "code" if table == "authority" else "id"
        assert mapping.columns[key] == data.columns[0] and mapping.columns["name"] == data.columns[1]


def test_a_mistyped_ons_code_in_an_authority_list_is_refused_at_its_row(writable_store):
    """Recognition follows most of the codes; the odd cell, an ONS code with a digit missing or extra, is refused at
    its row and column naming its digits (it would be a new authority), and a code in another case with a space after
    it is the stored code (review r4)."""
    from benchmarking.ingest.preview import map_sources, preview_import, read_uploaded

    rows = ["E10000018,Leicestershire", "e10000016 ,Kent", "E1000001,Oops", "E10000019,Lincolnshire"]
    data = "code,name,kind\n" + "".join(f"{row},county council\n" for row in rows)
    source = read_uploaded("a.csv", data.encode())
    mapped = map_sources([source], store_context(writable_store))
    assert mapped[0].table == "authority"
    preview = preview_import(writable_store, mapped)
    [issue] = preview.issues
    assert (issue.row, issue.column) == (4, "code")
    assert "'E1000001'" in issue.message and "7 digits" in issue.message and "8" in issue.message
    assert preview.rejected == 1


def test_a_named_table_settles_a_file_of_codes_and_names():
    """With the table given (--table, the page's choice) nothing is left undecided."""
    data = frame("code,name\nX1,Something\n")
    for table in ("authority", "indicator"):
        mapping, _ = choose_mapping(list(data.columns), CONTEXT, table, data)
        assert (mapping.table, mapping.undecided) == (table, ())


def test_the_codes_overrule_a_mapping_remembered_for_the_other_catalogue():
    """`code,name` remembered as an authority list: a catalogue of indicator ids is still an indicator catalogue."""
    from benchmarking.ingest.remembered import remembered_json

    columns = ["code", "name"]
    remembered = ColumnMapping("authority", LONG, {"code": "code", "name": "name"}, {"kind": "county council"})
    context = StoreContext(AUTHORITIES, INDICATORS, {mapping_key(columns): remembered_json(remembered)})
    authorities, origin = choose_mapping(columns, context, frame=frame("code,name\nE10000018,Leicestershire\n"))
    assert authorities.table == "authority" and origin.startswith("remembered")
    indicators, origin = choose_mapping(columns, context, frame=frame("code,name\nLCC078,Admissions\n"))
    assert (indicators.table, origin) == ("indicator", "recognised")
    # codes that cannot tell: the table is asked for again, not taken from the remembered choice (review r2)
    mixed = frame("code,name\nE10000018,Leicestershire\nE10000099,New\nLCC078,Admissions\nDEMO006,Quality\n")
    asked, origin = choose_mapping(columns, context, frame=mixed)
    assert (asked.undecided, origin) == (("authority", "indicator"), "recognised")


def test_the_command_line_imports_a_list_of_codes_and_names_as_authorities(writable_store, tmp_path, capsys):
    """`import a.csv` of code,name: recognised as an authority list; it imports once the kind is given."""
    from benchmarking.cli.main import main

    path = tmp_path / "a.csv"
    path.write_text("code,name\nE10000018,Leicestershire\n", encoding="utf-8")
    db = ["--db", str(writable_store.path), "import", str(path)]
    assert main([*db, "--dry-run", "--set", "kind=county council"]) == 0
    assert "recognised and adjusted mapping: table authority, long layout: code <- 'code'" in capsys.readouterr().out
    path.write_text("code,name\nX1,Something\n", encoding="utf-8")
    before = writable_store.checksums()
    assert main([*db, "--set", "kind=county council"]) == 2
    assert "choose the table (--table authority or --table indicator on the command line" in capsys.readouterr().err
    assert writable_store.checksums() == before


# -- a values file whose code column holds authorities' codes: the codes say authorities (issue 19 review) --------

# file text, the column the authority is taken from (None: the codes are indicators', as before)
CODES_OF_VALUES = [
    ("code,name,year,value\nE10000018,Leicestershire,2021/22,1\nE06000099,Newshire,2021/22,2\n", "code"),
    ("Code,Name,Year,Value\ne10000016,Kent,2021/22,1\n", "Code"),
    ("code,name,2021/22,2022/23\nE10000018,Leicestershire,1,2\n", "code"),
    ("code,year,value\nE10000018,2021/22,1\nSCO01,2021/22,2\n", "code"),
    # one mistyped authority code (a digit missing or extra) tells no other kind: still authorities (review r4)
    ("code,name,year,value\nE10000018,Leicestershire,2021/22,1\nE1000001,Oops,2021/22,2\n", "code"),
    ("code,name,year,value\nE10000018,Leicestershire,2021/22,1\ne100000016,Oops,2021/22,2\n", "code"),
    # held indicator ids keep today's mapping, among ONS codes too (codes of both kinds tell nothing)
    ("code,name,year,value\nLCC078,Admissions,2021/22,1\n", None),
    ("code,name,year,value\nE10000018,Leicestershire,2021/22,1\nLCC078,Admissions,2021/22,2\n", None),
    ("code,name,year,value\nX1,Something,2021/22,1\n", None),
]


@pytest.mark.parametrize("text, authority", CODES_OF_VALUES)
def test_a_values_file_whose_codes_are_authorities_takes_the_authority_from_them(text, authority):
    """`code,name,year,value` of ONS codes: the authority comes from `code` and the indicator is asked for, never
    read from the authorities' codes; with the table named too. Held indicator ids stay the indicator."""
    data = frame(text)
    authorities = pd.concat([AUTHORITIES, pd.DataFrame({"code": ["SCO01"], "name": ["Fife"]})], ignore_index=True)
    context = StoreContext(authorities, INDICATORS, {})
    for table in (None, "indicator_value"):
        mapping, _ = choose_mapping(list(data.columns), context, table, data)
        assert mapping.table == "indicator_value"
        if authority is None:
            assert mapping.columns["indicator_id"] == data.columns[0] and "authority_code" not in mapping.columns
            continue
        assert mapping.columns["authority_code"] == authority and "indicator_id" not in mapping.columns
        assert mapping.missing_fields() == ["indicator_id"]
        with pytest.raises(ImportValidationError, match=r"no column gives 'indicator_id'.*--set indicator_id=VALUE"):
            apply_mapping(data, mapping, "v.csv", context)
        given = adjust(mapping, list(data.columns), constants={"indicator_id": "LCC078"})
        rows = apply_mapping(data, given, "v.csv", context).frame
        assert set(rows["indicator_id"]) == {"LCC078"}
        assert set(rows["authority_code"].str.upper()) == set(data[authority].str.upper())


def test_the_codes_overrule_a_values_mapping_that_took_the_indicator_from_authorities_codes():
    """A mapping remembered with indicator_id <- code (a file of indicator ids): a file of ONS codes under the same
    header takes its authority from them; a file of indicator ids keeps the remembered mapping."""
    from benchmarking.ingest.remembered import remembered_json

    columns = ["code", "name", "year", "value"]
    remembered = ColumnMapping(
        "indicator_value", LONG, {"indicator_id": "code", AUTHORITY_NAME: "name", "period": "year", "value": "value"}
    )
    context = StoreContext(AUTHORITIES, INDICATORS, {mapping_key(columns): remembered_json(remembered)})
    ids, origin = choose_mapping(columns, context, frame=frame("code,name,year,value\nLCC078,Kent,2021/22,1\n"))
    assert ids.columns == remembered.columns and origin.startswith("remembered")
    ons = frame("code,name,year,value\nE10000018,Leicestershire,2021/22,1\n")
    codes, origin = choose_mapping(columns, context, frame=ons)
    assert (codes.columns["authority_code"], origin) == ("code", "recognised")


def test_the_codes_overrule_a_values_mapping_that_took_the_authority_from_indicator_ids():
    """The reverse (review r4): a mapping remembered with authority_code <- code (a file of ONS codes, the indicator
    given for every row); a file of held indicator ids under the same header takes its indicator from them, and a file
    whose codes tell nothing, or are authorities' again, keeps the remembered mapping."""
    from benchmarking.ingest.remembered import remembered_json

    columns = ["code", "name", "year", "value"]
    remembered = ColumnMapping(
        "indicator_value", LONG, {"authority_code": "code", "period": "year", "value": "value"}, {"indicator_id": "X"}
    )
    context = StoreContext(AUTHORITIES, INDICATORS, {mapping_key(columns): remembered_json(remembered)})
    ids, origin = choose_mapping(columns, context, frame=frame("code,name,year,value\nLCC078,Kent,2021/22,1\n"))
    assert (ids.columns["indicator_id"], origin) == ("code", "recognised")
    assert "authority_code" not in ids.columns
    for text in ("E10000018,Leicestershire", "X1,Somewhere"):
        kept, origin = choose_mapping(columns, context, frame=frame(f"code,name,year,value\n{text},2021/22,1\n"))
        assert (kept.columns["authority_code"], origin[:10]) == ("code", "remembered")


def test_a_column_given_with_map_wins_over_a_remembered_field_that_asks_for_a_value():
    """``--map indicator_id=code`` over a remembered mapping that gave indicator_id one value for every row: the
    column is taken and the value is no longer asked for (review r4)."""
    remembered = ColumnMapping(
        "indicator_value", LONG, {"authority_code": "code", "period": "year", "value": "value"}, {"indicator_id": ""}
    )
    columns = ["code", "name", "year", "value"]
    mapping = adjust(remembered, columns, columns={"indicator_id": "code", AUTHORITY_NAME: "name"})
    assert mapping.blank_constants() == [] and "indicator_id" not in mapping.constants
    assert dict(mapping.columns) == {"period": "year", "value": "value", "indicator_id": "code", AUTHORITY_NAME: "name"}


def test_the_command_line_map_wins_over_a_remembered_mapping(writable_store, tmp_path, capsys):
    """A file of ONS codes imported with ``--set indicator_id=LCC078`` remembers authority_code <- code; the next file
    of that header whose codes tell nothing (new indicator ids) is mapped as ``--map`` says, not asked for the
    indicator's one value."""
    from benchmarking.cli.main import main

    db = ["--db", str(writable_store.path), "import"]
    ons = tmp_path / "ons.csv"
    ons.write_text("code,name,year,value\nE10000018,Leicestershire,2021/22,1\n", encoding="utf-8")
    assert main([*db, str(ons), "--set", "indicator_id=LCC078"]) == 0
    ids = tmp_path / "ids.csv"
    ids.write_text("code,name,year,value\nNEW001,Leicestershire,2021/22,1\n", encoding="utf-8")
    capsys.readouterr()
    assert (
        main([*db, str(ids), "--dry-run", "--map", "indicator_id=code", "--map", "authority_name=name"]) == 2
    )  # NEW001 is unknown
    shown = capsys.readouterr().out
    assert "remembered" in shown and "indicator_id <- 'code'" in shown and "authority_name <- 'name'" in shown
    assert "authority_code <- 'code'" not in shown


def test_the_command_line_asks_for_the_indicator_of_a_values_file_of_authorities_codes(
    writable_store, tmp_path, capsys
):
    """`import v.csv` of code,name,year,value: refused asking for the indicator; imported once it is given."""
    from benchmarking.cli.main import main

    path = tmp_path / "v.csv"
    path.write_text("code,name,year,value\nE10000018,Leicestershire,2021/22,12345.5\n", encoding="utf-8")
    db = ["--db", str(writable_store.path), "import", str(path)]
    before = writable_store.checksums()
    assert main(db) == 2
    shown = capsys.readouterr()
    assert "authority_code <- 'code'" in shown.out and "indicator_id <- " not in shown.out
    assert "no column gives 'indicator_id'" in shown.err and "--set indicator_id=VALUE" in shown.err
    assert writable_store.checksums() == before
    assert main([*db, "--set", "indicator_id=LCC078"]) == 0
    assert writable_store.checksums() != before


def test_the_page_reads_a_workbook_of_authorities_codes_as_values_that_ask_for_the_indicator(writable_store):
    """The same file as a workbook, the way the Data import page sends it: mapped with the authority from `code`."""
    import io

    import openpyxl

    from benchmarking.ingest.preview import map_sources, preview_import, read_uploaded

    book = openpyxl.Workbook()
    for row in (["code", "name", "year", "value"], ["E10000018", "Leicestershire", "2021/22", "1"]):
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    source = read_uploaded("v.xlsx", buffer.getvalue())
    context = store_context(writable_store)
    with pytest.raises(ImportValidationError, match="no column gives 'indicator_id'"):
        map_sources([source], context)
    mapping, _ = choose_mapping(list(source.frame.columns), context, frame=source.frame)
    given = adjust(mapping, list(source.frame.columns), constants={"indicator_id": "LCC078"})
    preview = preview_import(writable_store, map_sources([source], context, {"v.xlsx": given}))
    assert preview.rows == 1 and not preview.blocking and not preview.issues


def test_recognise_with_a_table_named_uses_that_table():
    """The IMD summary has no edition column: asked for 'deprivation', the edition is what is missing."""
    header = ["utla19_code", "utla19_name", "IMD - Average rank", "IMD - Rank of average rank", "IMD - Average score"]
    mapping = recognise(header, table="deprivation")
    assert mapping.columns["authority_code"] == "utla19_code"
    assert mapping.columns["rank_of_average_rank"] == "IMD - Rank of average rank"
    assert mapping.columns["average_score"] == "IMD - Average score"
    assert mapping.missing_fields() == ["edition"]


@pytest.mark.parametrize(
    "header, normal",
    [
        ("LocalAuthority", "local authority"),
        ("  Area_Code ", "area code"),
        ("IMD - Average score", "imd average score"),
        ("\ufeffindicator_id", "indicator id"),
        ("utla19_code", "utla19 code"),
    ],
)
def test_normalise_header(header, normal):
    """Headers compare after camelCase split, lower case and punctuation folded to spaces."""
    assert normalise_header(header) == normal


@pytest.mark.parametrize(
    "header, is_period",
    [
        ("2021/22", True),
        ("2021-22", True),
        ("2021", True),
        ("Mar 2022", True),
        ("2014-16", True),
        ("2099/00", True),  # read as a period here; the import refuses it as in the future
        ("Value", False),
        ("0", False),
        ("90", False),
        ("Area code", False),
        ("E10000018", False),
    ],
)
def test_looks_like_period(header, is_period):
    """Only headers that read as period labels make a wide table of periods (not ages 0..90)."""
    assert looks_like_period(header) is is_period


# ---------------------------------------------------------------------------------------
# Authority names to codes
# ---------------------------------------------------------------------------------------

# name in a file, code it resolves to (None = unresolved)
NAMES = [
    ("Leicestershire", "E10000018"),
    ("LEICESTERSHIRE", "E10000018"),
    ("Leicestershire County Council", "E10000018"),
    ("leicestershire county council ", "E10000018"),
    ("Kent Council", "E10000016"),
    ("Durham County Council", "E06000047"),  # store: 'County Durham'
    ("County Durham", "E06000047"),
    ("e10000019", "E10000019"),  # a code in any case
    ("Cornwall Council", "E06000052"),
    ("Atlantis", None),
    ("Leicester", None),  # a different authority, not a spelling of Leicestershire
]


@pytest.mark.parametrize("name, code", NAMES)
def test_resolve_authorities_ignores_case_and_council_suffix(name, code):
    """Names resolve to the store's ONS codes; what does not resolve is listed."""
    resolved, unresolved = resolve_authorities([name], AUTHORITIES)
    if code is None:
        assert unresolved == [name] and resolved == {}
    else:
        assert resolved == {name: code} and unresolved == []


def test_names_in_a_file_become_codes_and_unresolved_names_are_kept_at_their_rows():
    """apply_mapping puts codes in authority_code; an unknown name stays, to be reported at its row."""
    data = frame(
        "Local authority,Year,Indicator,Value\nLeicestershire County Council,2021/22,LCC078,1\n"
        "Atlantis,2021/22,LCC078,2\n"
    )
    mapped = apply_mapping(data, recognise(data.columns), "v.csv", CONTEXT)
    assert list(mapped.frame["authority_code"]) == ["E10000018", "Atlantis"]
    assert mapped.unresolved == ["Atlantis"]
    assert mapped.resolved == {"Leicestershire County Council": "E10000018"}
    assert set(mapped.frame[FILE_COLUMN + "authority_code"]) == {"Local authority"}


def test_indicator_names_in_a_long_file_become_ids():
    """A cell holding an indicator's name (any case) is replaced by its id; unknown ones stay."""
    data = frame(
        "Area code,Year,Measure,Value\nE10000018,2021/22,CARER-REPORTED quality of life score,1\n"
        "E10000018,2021/22,LCC078,2\nE10000018,2021/22,Something else,3\n"
    )
    mapped = apply_mapping(data, recognise(data.columns), "v.csv", CONTEXT)
    assert list(mapped.frame["indicator_id"]) == ["DEMO006", "LCC078", "Something else"]


# ---------------------------------------------------------------------------------------
# Wide tables become long
# ---------------------------------------------------------------------------------------


def test_wide_periods_become_one_row_per_filled_cell_with_file_rows_and_columns():
    """Each non-empty cell is a value; the row and column it came from are kept for messages."""
    data = frame("Area code,2019/20,2020/21\nE10000018,1,2\nE10000016,,4\n")
    mapping = replace(recognise(data.columns), constants={"indicator_id": "LCC078"})
    mapped = apply_mapping(data, mapping, "w.csv", CONTEXT)
    rows = mapped.frame
    assert list(zip(rows["authority_code"], rows["period"], rows["value"])) == [
        ("E10000018", "2019/20", "1"),
        ("E10000018", "2020/21", "2"),
        ("E10000016", "2020/21", "4"),
    ]
    assert list(rows[FILE_ROW]) == [2, 2, 3]
    assert list(rows[FILE_COLUMN + "value"]) == ["2019/20", "2020/21", "2020/21"]
    assert set(rows["indicator_id"]) == {"LCC078"}


def test_wide_indicators_resolve_headers_to_indicator_ids():
    """Indicator headers (id or name) become indicator_id; the period comes from its column."""
    data = frame("Local authority,Year,LCC078,Carer-reported quality of life score\nKent,2021,5,6\n")
    mapped = apply_mapping(data, recognise(data.columns, indicators=INDICATORS), "w.csv", CONTEXT)
    assert list(mapped.frame["indicator_id"]) == ["LCC078", "DEMO006"]
    assert list(mapped.frame["authority_code"]) == ["E10000016", "E10000016"]
    assert list(mapped.frame["period"]) == ["2021", "2021"]


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.lists(st.one_of(st.just(""), st.integers(-50, 50).map(str)), min_size=3, max_size=3), min_size=1, max_size=6
    )
)
def test_melting_a_wide_grid_keeps_every_filled_cell_once(grid):
    """Property: the long frame has one row per non-empty cell, holding that cell, at its file row."""
    periods = ["2018/19", "2019/20", "2020/21"]
    data = pd.DataFrame(grid, columns=periods)
    data.insert(0, "Area code", [f"E1000{i:04d}" for i in range(len(grid))])
    mapping = replace(recognise(data.columns), constants={"indicator_id": "X"})
    rows = apply_mapping(data, mapping, "w.csv").frame
    filled = [
        (f"E1000{i:04d}", p, cell, i + 2) for i, line in enumerate(grid) for p, cell in zip(periods, line) if cell != ""
    ]
    assert list(zip(rows["authority_code"], rows["period"], rows["value"], rows[FILE_ROW])) == filled


# ---------------------------------------------------------------------------------------
# Mappings that do not fit, corrections, and remembering
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "mapping, message",
    [
        (
            ColumnMapping(
                "indicator_value",
                LONG,
                {"authority_code": "Nope", "period": "Year", "indicator_id": "Indicator", "value": "Value"},
            ),
            "takes authority_code from column 'Nope', which the file does not have",
        ),
        (
            ColumnMapping(
                "indicator_value", LONG, {"authority_code": "Area code", "indicator_id": "Indicator", "value": "Value"}
            ),
            "no column gives 'period'",
        ),
        (
            ColumnMapping(
                "indicator_value", WIDE_PERIODS, {"authority_code": "Area code", "indicator_id": "Indicator"}
            ),
            "a wide table needs the columns whose headers are periods",
        ),
        (
            ColumnMapping("authority", WIDE_PERIODS, {"code": "Area code"}, {}, ("Year",)),
            "wide layouts hold indicator values",
        ),
        (ColumnMapping("nonsense", LONG, {}), "unknown table 'nonsense'"),
    ],
)
def test_a_mapping_that_does_not_fit_the_file_is_refused_with_what_to_do(mapping, message):
    """apply_mapping names the problem before any row is read."""
    data = frame("Area code,Year,Indicator,Value\nE10000018,2021/22,LCC078,1\n")
    with pytest.raises(ImportValidationError) as caught:
        apply_mapping(data, mapping, "v.csv", CONTEXT)
    assert any(message in issue.message or message in str(issue) for issue in caught.value.issues), [
        str(i) for i in caught.value.issues
    ]


def test_adjust_applies_the_users_corrections():
    """--map, --set and --layout override the guess; a column moves from one field to another."""
    columns = ["Area", "Year", "Indicator", "Figure", "Amount"]
    guess = recognise(columns)
    assert guess.columns["value"] == "Figure"
    fixed = adjust(guess, columns, columns={"value": "Amount"}, constants={"status": "provisional"})
    assert fixed.columns["value"] == "Amount" and fixed.constants == {"status": "provisional"}
    wide = adjust(
        recognise(["Area code", "Indicator", "2020", "2021"]),
        ["Area code", "Indicator", "2020", "2021"],
        layout=WIDE_PERIODS,
    )
    assert wide.wide_columns == ("2020", "2021")


def test_a_mapping_survives_json_and_is_found_again_by_its_column_set():
    """The remembered mapping is keyed by the column set; next year's period columns still match."""
    mapping = ColumnMapping(
        "indicator_value",
        WIDE_PERIODS,
        {"authority_code": "Area code"},
        {"indicator_id": "LCC078"},
        ("2019/20", "2020/21"),
    )
    assert ColumnMapping.from_json(mapping.to_json()) == mapping
    this_year = ["Area code", "2019/20", "2020/21"]
    next_year = ["Area code", "2020/21", "2021/22"]
    assert column_signature(this_year) == column_signature(next_year)
    assert column_signature(this_year) != column_signature(["Area code", "Year", "Value"])
    settings_ = {mapping_key(this_year): mapping.to_json()}
    found = saved_mapping(settings_, next_year)
    assert found is not None and found.wide_columns == ("2020/21", "2021/22")
    assert found.constants == {"indicator_id": ""}  # the value is asked for again
    assert saved_mapping({mapping_key(this_year): "{not json"}, this_year) is None


def test_choose_mapping_prefers_the_remembered_one(writable_store):
    """After an import, the store remembers its mapping and the same columns map the same way."""
    from benchmarking.ingest.preview import SourceFile, commit, map_sources

    data = frame("Place,When,What,Number\nLeicestershire,2021/22,LCC078,1\n")
    context = store_context(writable_store)
    guess, origin = choose_mapping(list(data.columns), context)
    assert origin == "recognised" and guess.missing_fields()
    chosen = ColumnMapping(
        "indicator_value", LONG, {AUTHORITY_NAME: "Place", "period": "When", "indicator_id": "What", "value": "Number"}
    )
    mapped = map_sources([SourceFile("odd.csv", data, 10, "x")], context, {"odd.csv": chosen})
    commit(writable_store, mapped)
    again, origin = choose_mapping(list(data.columns), store_context(writable_store))
    assert origin.startswith("remembered (saved ") and again == chosen


def test_locator_columns_name_the_files_columns_in_messages(writable_store):
    """A bad value in a renamed column is reported with the file's column name and row."""
    from benchmarking.ingest.validation import check_batch

    data = frame("Area code,Year,Indicator,Figure\nE10000018,2021/22,LCC078,1\nE10000016,2021/22,LCC078,lots\n")
    mapped = apply_mapping(data, recognise(data.columns), "v.csv", store_context(writable_store))
    issues = check_batch(writable_store, [mapped.item]).issues
    assert [(i.row, i.column) for i in issues] == [(3, "Figure")]


# -- the layout rules the page and ``adjust`` share -----------------------------------------


def test_header_field_and_header_fields_name_what_a_wide_layouts_headers_give():
    """Wide periods: headers are periods; wide indicators: indicator ids; long: no value columns."""
    from benchmarking.ingest.layouts import header_field, header_fields

    assert header_field(WIDE_PERIODS) == "period"
    assert header_field(WIDE_INDICATORS) == "indicator_id"
    assert header_field(LONG) is None
    assert header_fields(WIDE_PERIODS) == {"period", "value"}
    assert header_fields(WIDE_INDICATORS) == {"indicator_id", "value"}
    assert header_fields(LONG) == set()


def test_suggested_wide_columns_are_the_period_headers_or_the_unmapped_columns():
    """A layout's default value columns, in the file's order."""
    from benchmarking.ingest.layouts import suggested_wide_columns

    columns = ["Area", "2021/22", "Note", "2022/23"]
    assert suggested_wide_columns(WIDE_PERIODS, columns, ["Area"]) == ("2021/22", "2022/23")
    assert suggested_wide_columns(WIDE_INDICATORS, columns, ["Area", "Note"]) == ("2021/22", "2022/23")
    assert suggested_wide_columns(WIDE_INDICATORS, columns, []) == tuple(columns)
    assert suggested_wide_columns(LONG, columns, []) == ()


def test_field_is_needed_counts_an_authority_name_as_the_code():
    """Fields without '?' in the schema are needed; a name column can give the needed code."""
    from benchmarking.ingest.headers import field_is_needed

    assert field_is_needed("indicator_value", "period")
    assert field_is_needed("indicator_value", "authority_code")
    assert field_is_needed("indicator_value", AUTHORITY_NAME)
    assert not field_is_needed("indicator_value", "value")
    assert not field_is_needed("indicator_value", "status")
    assert not field_is_needed("indicator", AUTHORITY_NAME)


def test_importable_tables_and_assign_fields():
    """Tables a file can fill (not the store's own period/dataset tables); headers matched to fields."""
    from benchmarking.ingest.headers import assign_fields, importable_tables, indicator_key

    tables = importable_tables()
    assert tables[:3] == ["authority", "indicator", "indicator_value"]
    assert "period" not in tables and "dataset" not in tables and "note" in tables
    assigned = assign_fields(["ONS code", "Year", "Value", "Whatever"], "indicator_value")
    assert assigned == {"authority_code": "ONS code", "period": "Year", "value": "Value"}
    assert indicator_key("  Adult  Social\tCare ") == "adult social care"
