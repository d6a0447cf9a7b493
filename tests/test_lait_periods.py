"""DfE LAIT year labels: every row's period follows its measure's ``Year_Type`` (issue 16, point 1).

LAIT writes most years bare ("2023"); the dictionary's ``Year_Type`` says what they mean.
Hand-made rows in ``tests/fixtures/dfe_lait/`` pin the rule for every year type without
``../shared``; the real file (skipped when ../shared/data is absent) is checked against
counts made here with plain pandas over the raw parquet and dictionary.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from benchmarking.adapters.dfe_lait import DATA_FILE, DICTIONARY_FILE, FOLDER, lait_items, normalise_period
from benchmarking.adapters.lookups import CodeLookups, load_code_lookups
from benchmarking.method.lifetimes import load_county_areas
from benchmarking.method.periods import period_span

FIXTURES = Path(__file__).parent / "fixtures" / "dfe_lait"
CUMBRIA, CUMBERLAND = "E10000006", "E06000063"
NORTH_YORKSHIRE_CC, NORTH_YORKSHIRE_COUNCIL = "E10000023", "E06000065"
THEMES = {
    "Child Protection": "Children's Social Care",
    "Children Looked After": "Children's Social Care",
    "Children's Services Workforce": "Children's Social Care",
    "Key Stage 2": "Education",
    "Economic Factors": "Economy",
    "Health and Wellbeing": "Health - Child",
}
NO_LOOKUPS = CodeLookups({"gss": frozenset(), "dfe": frozenset(), "ecode": frozenset()})


# -- the rule, label by label (no data needed) ---------------------------------------------


@pytest.mark.parametrize(
    "label, year_type, expected",
    [
        # financial: the year ending 31 March
        ("2023", "Financial Year", ("2022-23", "final", None)),
        ("2024 (Rev)", "Financial Year", ("2023-24", "revised", None)),
        ("2023-24 (OT)", "Financial Year", ("2023-24", "final", None)),
        ("2000", "Financial Year", ("1999-00", "final", None)),
        # a span of financial years, named by its first and last financial years (not 2013-16, calendar years)
        ("2013/14-15/16", "Financial Year", ("2013/14-2015/16", "final", None)),
        # academic: DfE's 2022/23, also for a measure that writes 2022-23
        ("2023", "Academic Year", ("2022/23", "final", None)),
        ("2025 (prov)", "Academic Year", ("2024/25", "provisional", None)),
        ("2020 (Final)", "Academic Year", ("2019/20", "final", None)),
        ("2022-23", "Academic Year", ("2022/23", "final", None)),
        ("2015/16", "Academic Year", ("2015/16", "final", None)),
        # calendar years and spans of them stay as written
        ("2023", "Calendar Year", ("2023", "final", None)),
        ("2014-16", "Calendar Year", ("2014-16", "final", None)),
        # counts at a date: the month of the count
        ("2023", "Annual", ("Mar 2023", "final", None)),
        ("2023", "Annual - January", ("Jan 2023", "final", None)),
        ("2023", "Annual (end of Sept)", ("Sep 2023", "final", None)),
        ("2023", "  annual  (END of sept) ", ("Sep 2023", "final", None)),
        # not a period
        ("0", "Academic Year", (None, "final", "period label '0' is not a period")),
        ("2024 (est)", "Financial Year", (None, "final", "unknown status marker (est) in period label '2024 (est)'")),
        ("2023", "Fortnightly", (None, "final", "year type 'Fortnightly' is not one LAIT's dictionary uses")),
    ],
)
def test_a_year_label_is_read_by_its_measures_year_type(label, year_type, expected):
    """A bare year means the year ending March, the academic year, the calendar year or the month of a count."""
    assert normalise_period(label, year_type) == expected


@pytest.mark.parametrize(
    "label, year_type, first, last",
    [
        ("2023", "Financial Year", "2022-04-01", "2023-03-31"),
        ("2023", "Academic Year", "2022-04-01", "2023-03-31"),  # the store's April-March reading
        ("2023", "Calendar Year", "2023-01-01", "2023-12-31"),
        ("2023", "Annual", "2023-03-01", "2023-03-31"),  # holds 31 March 2023
        ("2023", "Annual - January", "2023-01-01", "2023-01-31"),
        ("2023", "Annual (end of Sept)", "2023-09-01", "2023-09-30"),  # holds 30 September 2023
    ],
)
def test_every_label_written_parses_to_the_days_meant(label, year_type, first, last):
    """The labels parse with the period rules to the publisher's days (or the month holding the day)."""
    start, end = period_span(normalise_period(label, year_type)[0])
    assert (start.isoformat(), end.isoformat()) == (first, last)


# -- hand-made rows through the reader -------------------------------------------------------


@pytest.fixture(scope="module")
def fixture_load(tmp_path_factory):
    """lait_items over the committed fixture rows (the parquet is written from the CSV)."""
    folder = tmp_path_factory.mktemp("lait") / FOLDER
    folder.mkdir()
    (folder / DICTIONARY_FILE).write_bytes((FIXTURES / DICTIONARY_FILE).read_bytes())
    rows = pd.read_csv(FIXTURES / "bds_long_rows.csv", dtype=str, keep_default_na=False)
    rows["LA Number"] = rows["LA Number"].astype(float)
    rows.to_parquet(folder / DATA_FILE, index=False)
    return lait_items(folder.parent, load_county_areas(), THEMES, {"Education"}, NO_LOOKUPS)


def _value(loaded, indicator_id: str, code: str, period: str):
    values = loaded.items[1][1]
    row = values[
        (values["indicator_id"] == indicator_id) & (values["authority_code"] == code) & (values["period"] == period)
    ]
    assert len(row) == 1, (indicator_id, code, period, values)
    return row["value"].iloc[0], row["status"].iloc[0]


def test_fixture_rows_land_on_the_council_of_their_period(fixture_load):
    """'2023' of a financial measure is Cumbria's 2022-23; '2024' is Cumberland's 2023-24; DfE 815
    is North Yorkshire CC in 2022-23 and North Yorkshire Council (revised) in 2023-24."""
    assert _value(fixture_load, "FinRate", CUMBRIA, "2022-23") == (22.0, "final")
    assert _value(fixture_load, "FinRate", CUMBERLAND, "2023-24") == (18.5, "final")
    assert _value(fixture_load, "FinRate", NORTH_YORKSHIRE_CC, "2022-23") == (17.0, "final")
    assert _value(fixture_load, "FinRate", NORTH_YORKSHIRE_COUNCIL, "2023-24") == (19.8, "revised")
    missing, _ = _value(fixture_load, "FinRate", "E10000018", "2022-23")  # '-' is a missing value
    assert pd.isna(missing)


def test_fixture_academic_years_and_counts_at_a_date(fixture_load):
    """Academic '2023' is 2022/23 (Cumbria's; Cumberland's summer-2023 row has no council that
    ran the year and is skipped); counts take the month of their date."""
    assert _value(fixture_load, "AcadRate", CUMBRIA, "2022/23") == (58.0, "final")
    assert _value(fixture_load, "AcadRate", CUMBERLAND, "2023/24") == (59.0, "provisional")
    assert _value(fixture_load, "AcadRate", "E10000018", "2022/23") == (60.0, "final")
    assert _value(fixture_load, "SnapRate", CUMBRIA, "Mar 2023") == (61.0, "final")
    assert _value(fixture_load, "SnapRate", CUMBERLAND, "Mar 2024") == (63.0, "final")
    assert _value(fixture_load, "JanShare", CUMBRIA, "Jan 2023") == (19.5, "final")
    assert _value(fixture_load, "SepRate", CUMBRIA, "Sep 2022") == (12.0, "final")
    assert _value(fixture_load, "SepRate", CUMBERLAND, "Sep 2023") == (14.0, "final")
    assert _value(fixture_load, "CalRate", CUMBRIA, "2022") == (11.1, "final")
    assert _value(fixture_load, "CalRate", CUMBERLAND, "2023") == (10.9, "final")
    assert _value(fixture_load, "SpanRate", CUMBRIA, "2020/21-2022/23") == (48.2, "final")


def test_fixture_rows_skipped_are_counted_with_their_reason(fixture_load):
    """24 rows read: 16 used; England's row, five outside a lifetime, the unknown year type and '0' skipped."""
    skipped = fixture_load.skipped.set_index("reason")["rows"]
    assert fixture_load.rows_read[DATA_FILE] == 24
    assert len(fixture_load.items[1][1]) == 16
    assert skipped[skipped.index.str.startswith("after Cumbria (E10000006) ceased")].sum() == 4
    assert skipped[skipped.index.str.startswith("before Cumberland (E06000063) existed")].sum() == 1
    assert skipped["year type 'Fortnightly' is not one LAIT's dictionary uses"] == 1
    assert skipped["period label '0' is not a period"] == 1
    assert skipped["not a county area: England, region or other area total"] == 1
    data_rows = fixture_load.skipped.query("file == @DATA_FILE")["rows"].sum()
    assert data_rows + len(fixture_load.items[1][1]) == fixture_load.rows_read[DATA_FILE]


def test_fixture_descriptions_and_notes_say_how_years_are_read(fixture_load):
    """Each indicator's description names its year type and what LAIT's '2023' became; a note sums up."""
    indicators = fixture_load.items[0][1].set_index("id")
    assert "Year type: Financial Year (LAIT's 2023 is stored as 2022-23)." in indicators.loc["FinRate", "description"]
    assert "(LAIT's 2023 is stored as Sep 2023)" in indicators.loc["SepRate", "description"]
    assert "OddType" not in indicators.index
    assert any("Year_Type" in note and "Academic Year" in note for note in fixture_load.notes)


# -- the real file -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real(shared_data):
    """(Loaded, raw rows of DfE 815/909/942, dictionary) from ../shared/data, read once."""
    areas = load_county_areas()
    themes = pd.read_csv(Path(__file__).parents[1] / "data" / "public_theme_map.csv", dtype=str)
    themes = themes[themes["source"] == "DfE LAIT"]
    loaded = lait_items(
        shared_data,
        areas,
        dict(zip(themes["topic"], themes["theme"])),
        set(),
        load_code_lookups(shared_data / "lookups"),
    )
    raw = pd.read_parquet(
        shared_data / FOLDER / DATA_FILE, filters=[("LA Number", "in", [815.0, 909.0, 942.0])]
    ).astype({"Years": str, "Values": str, "Short Desc": str})
    dictionary = pd.read_csv(shared_data / FOLDER / DICTIONARY_FILE, dtype=str, keep_default_na=False)
    year_type = dictionary.drop_duplicates("Measure_short").set_index("Measure_short")["Year_Type"]
    raw["year_type"] = raw["Short Desc"].map(year_type)
    raw["label"] = raw["Years"].str.replace(r"\s*\([^)]*\)$", "", regex=True)
    return loaded, raw


def test_north_yorkshire_cc_2022_23_re_referrals_are_laits_2023(real):
    """North Yorkshire CC's 2022-23 re-referral rate is the figure LAIT labels '2023' for LA 815."""
    loaded, raw = real
    published = raw[(raw["Short Desc"] == "ReReferral") & (raw["LA Number"] == 815) & (raw["Years"] == "2023")]
    assert len(published) == 1
    assert _value(loaded, "ReReferral", NORTH_YORKSHIRE_CC, "2022-23")[0] == pytest.approx(
        float(published["Values"].iloc[0])
    )
    values = loaded.items[1][1]
    assert not ((values["authority_code"] == NORTH_YORKSHIRE_COUNCIL) & (values["period"] == "2022-23")).any()


# The published label (without a status marker) of Cumbria's figures in financial year 2022-23, per year type.
CUMBRIA_2022_23 = {
    "Financial Year": ({"2023", "2022-23"}, "2022-23"),
    "Academic Year": ({"2023", "2022/23", "2022-23"}, "2022/23"),
    "Annual": ({"2023"}, "Mar 2023"),
    "Annual - January": ({"2023"}, "Jan 2023"),
    "Annual (end of Sept)": ({"2022"}, "Sep 2022"),
    "Calendar Year": ({"2022"}, "2022"),
}


@pytest.mark.parametrize("year_type", list(CUMBRIA_2022_23))
def test_cumbria_has_its_2022_23_figures(real, year_type):
    """Every Cumbria (DfE 909) row LAIT publishes for 2022-23 is Cumbria's, under the label of its year type."""
    loaded, raw = real
    labels, period = CUMBRIA_2022_23[year_type]
    published = raw[(raw["LA Number"] == 909) & (raw["year_type"] == year_type) & raw["label"].isin(labels)]
    values = loaded.items[1][1]
    held = values[(values["authority_code"] == CUMBRIA) & (values["period"] == period)]
    assert len(published) > 0
    assert len(held) == len(published)
    assert held["value"].notna().sum() == (published["Values"].str.strip() != "-").sum()


def test_cumbria_counts_in_2022_23(real):
    """423 Cumbria rows of the raw file fall in 2022-23, 261 of them with a figure (counted by hand
    with pandas; the rest are '-', mostly academic results DfE publishes for Cumberland instead)."""
    loaded, raw = real
    in_year = pd.Series(False, index=raw.index)
    for year_type, (labels, _) in CUMBRIA_2022_23.items():
        in_year |= (raw["year_type"] == year_type) & raw["label"].isin(labels)
    published = raw[in_year & (raw["LA Number"] == 909)]
    values = loaded.items[1][1]
    held = values[
        (values["authority_code"] == CUMBRIA) & values["period"].isin([p for _, p in CUMBRIA_2022_23.values()])
    ]
    expected = (len(published), int((published["Values"].str.strip() != "-").sum()))
    assert expected == (423, 261)
    assert (len(held), int(held["value"].notna().sum())) == expected


def test_every_period_follows_its_measures_year_type(real):
    """Financial measures are stored by financial year (or a span), academic ones by academic year,
    counts by month; every label parses with the period rules."""
    loaded, raw = real
    dictionary_types = raw.drop_duplicates("Short Desc").set_index("Short Desc")["year_type"]
    values = loaded.items[1][1]
    patterns = {
        "Financial Year": r"\d{4}-\d{2}|\d{4}/\d{2}-\d{4}/\d{2}",  # a year, or a span of them (2013/14-2015/16)
        "Academic Year": r"\d{4}/\d{2}",
        "Calendar Year": r"\d{4}(-\d{2})?",
        "Annual": r"Mar \d{4}",
        "Annual - January": r"Jan \d{4}",
        "Annual (end of Sept)": r"Sep \d{4}",
    }
    kinds = values["indicator_id"].map(dictionary_types)
    assert kinds.notna().all()
    for kind, pattern in patterns.items():
        periods = set(values.loc[kinds == kind, "period"])
        assert periods and all(re.fullmatch(pattern, p) for p in periods), (kind, sorted(periods)[:5])
    for label in set(values["period"]):
        period_span(label)


def test_rows_read_are_rows_used_plus_rows_skipped(real):
    """The accounting holds for the real file: rows read = rows used + rows skipped."""
    loaded, _ = real
    skipped = loaded.skipped.groupby("file")["rows"].sum()
    assert loaded.rows_read[DATA_FILE] == 641_070  # PROVENANCE section 7
    assert skipped[DATA_FILE] + len(loaded.items[1][1]) == loaded.rows_read[DATA_FILE]
