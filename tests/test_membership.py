"""Period-aware membership of the county comparator set: who existed when, and which county
area a published code belongs to in a period."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarking.adapters.lookups import AREA_TOTAL, OTHER_AUTHORITY, UNKNOWN_CODE, CodeLookups, unmatched_reason
from benchmarking.errors import BadPeriodError, CountyAreasError
from benchmarking.method.lifetimes import load_county_areas
from benchmarking.method.membership import (
    NOT_A_COUNTY_AREA,
    alive_on,
    existed_on,
    members_for_period,
    members_on,
    resolve_codes,
)
from benchmarking.method.periods import period_midpoint, period_span

HEADER = (
    "code,name,kind,region,start_date,end_date,predecessors,successors,successors_cover_area,"
    "dfe_la_number,e_code,other_codes,note\n"
)
TINY = HEADER + (
    # Old splits into New North and New South on 1 April 2023; New North keeps Old's DfE number 815
    # and some publishers still use Old's ONS code for it. Steady exists throughout.
    "E10000001,Old,county council,North,1974-04-01,2023-03-31,,E06000101;E06000102,true,815,E0001,,\n"
    "E06000101,New North,county unitary,North,2023-04-01,,E10000001,,,815,E0002,E10000001,\n"
    "E06000102,New South,county unitary,North,2023-04-01,,E10000001,,,942,E0003,,\n"
    "E10000004,Steady,county council,South,1974-04-01,,,,,855,E0004,,\n"
)


def write_areas(tmp_path: Path, text: str) -> Path:
    """Write a county areas file and return its path."""
    path = tmp_path / "county_areas.csv"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def tiny(tmp_path) -> pd.DataFrame:
    """Four county areas with one reorganisation (Old -> New North + New South, April 2023)."""
    return load_county_areas(write_areas(tmp_path, TINY))


@pytest.fixture(scope="module")
def real_areas() -> pd.DataFrame:
    """The project's documented list, data/county_areas.csv."""
    return load_county_areas()


# -- periods as spans ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "label, start, end, midpoint",
    [
        # financial and academic years
        ("2022-23", dt.date(2022, 4, 1), dt.date(2023, 3, 31), dt.date(2022, 9, 30)),
        ("2022/23", dt.date(2022, 4, 1), dt.date(2023, 3, 31), dt.date(2022, 9, 30)),
        ("1999/00", dt.date(1999, 4, 1), dt.date(2000, 3, 31), dt.date(1999, 9, 30)),
        # multi-year spans run January to December
        ("2014-16", dt.date(2014, 1, 1), dt.date(2016, 12, 31), dt.date(2015, 7, 2)),
        # calendar years, with or without a status marker
        ("2023", dt.date(2023, 1, 1), dt.date(2023, 12, 31), dt.date(2023, 7, 2)),
        ("2024 (Rev)", dt.date(2024, 1, 1), dt.date(2024, 12, 31), dt.date(2024, 7, 1)),
        # a month and a quarter
        ("Jun 2021", dt.date(2021, 6, 1), dt.date(2021, 6, 30), dt.date(2021, 6, 15)),
        ("Q2 2022-23", dt.date(2022, 7, 1), dt.date(2022, 9, 30), dt.date(2022, 8, 15)),
    ],
)
def test_period_span_and_midpoint(label, start, end, midpoint):
    """A label names a span of days; its midpoint decides membership."""
    assert period_span(label) == (start, end)
    assert period_midpoint(label) == midpoint


def test_unreadable_period_raises_bad_period():
    """A label that names no period is refused with the project's own error."""
    with pytest.raises(BadPeriodError, match="unrecognised period '0'"):
        period_span("0")


def test_existed_on_includes_both_ends_of_a_lifetime():
    """An authority exists from its first to its last day; no end date means it still exists."""
    start = pd.Series(pd.to_datetime(["2021-04-01", "2021-04-01", None]))
    end = pd.Series(pd.to_datetime(["2023-03-31", None, None]))
    for day, expected in [
        ("2021-03-31", [False, False, False]),
        ("2021-04-01", [True, True, False]),
        ("2023-03-31", [True, True, False]),
        ("2023-04-01", [False, True, False]),
    ]:
        assert list(existed_on(start, end, pd.Timestamp(day))) == expected
    whens = pd.Series(pd.to_datetime(["2022-09-30", None, "2024-01-01"]))
    assert list(existed_on(start, end, whens)) == [True, False, False]


# -- membership by period ------------------------------------------------------------------


@pytest.mark.parametrize(
    "period, members",
    [
        ("2022-23", ["E10000001", "E10000004"]),  # before the split
        ("2023-24", ["E06000101", "E06000102", "E10000004"]),  # after it
        ("2023", ["E06000101", "E06000102", "E10000004"]),  # midpoint 2 July 2023
        ("2014-16", ["E10000001", "E10000004"]),
    ],
)
def test_members_for_period_are_those_alive_at_its_midpoint(tiny, period, members):
    """A ceased authority is not a member in later periods; a successor is not one before it began."""
    assert members_for_period(tiny, period) == members


def test_last_and_first_days_of_a_lifetime_count(tiny):
    """Lifetimes are inclusive: Old exists on 31 March 2023, New North from 1 April 2023."""
    assert members_on(tiny, dt.date(2023, 3, 31)) == ["E10000001", "E10000004"]
    assert members_on(tiny, dt.date(2023, 4, 1)) == ["E06000101", "E06000102", "E10000004"]


# -- resolving published codes -------------------------------------------------------------


@pytest.mark.parametrize(
    "code, period, scheme, authority, reason",
    [
        # one DfE number, two authorities: split by date, never joined
        ("815", "2022-23", "dfe", "E10000001", None),
        ("815", "2023-24", "dfe", "E06000101", None),
        (815.0, "2023", "dfe", "E06000101", None),  # numbers arrive as floats from Parquet
        # a successor's own number before it existed
        ("942", "2021-22", "dfe", None, "before New South (E06000102) existed (from 2023-04-01)"),
        # the old ONS code names Old while it existed, then New North (listed in other_codes)
        ("E10000001", "2022-23", "gss", "E10000001", None),
        ("E10000001", "2023-24", "gss", "E06000101", None),
        # a successor's code in a period before it began
        ("E06000102", "2022-23", "gss", None, "before New South (E06000102) existed (from 2023-04-01)"),
        # E-codes
        ("E0004", "2010-11", "ecode", "E10000004", None),
        # not a county area at all
        ("E09000001", "2022-23", "gss", None, NOT_A_COUNTY_AREA),
        ("999", "2022-23", "dfe", None, NOT_A_COUNTY_AREA),
        # a label that is not a period
        ("855", "0", "dfe", None, "period label '0' is not a period"),
    ],
)
def test_resolve_codes(tiny, code, period, scheme, authority, reason):
    """Each published row gets its county area, or the reason it has none."""
    result = resolve_codes(tiny, [code], [period], scheme=scheme)
    assert result.to_dict("records") == [{"authority_code": authority, "reason": reason}]


def test_resolve_codes_at_a_model_date_and_keeps_row_order(tiny):
    """A comparator model's date applies to every row, and rows come back in input order."""
    result = resolve_codes(tiny, ["855", "815", "942", "815"], dt.date(2025, 5, 1), scheme="dfe")
    assert list(result["authority_code"]) == ["E10000004", "E06000101", "E06000102", "E06000101"]


def test_unmatched_reason_tells_totals_other_councils_and_unknown_codes():
    """Rows outside the set are explained from the shared lookups."""
    lookups = CodeLookups({"gss": frozenset({"E09000001"}), "dfe": frozenset({"201"}), "ecode": frozenset()})
    reasons = unmatched_reason(["E92000001", "E09000001", "E50000001"], "gss", lookups)
    assert list(reasons) == [AREA_TOTAL, OTHER_AUTHORITY, f"{UNKNOWN_CODE}: E50000001"]
    assert list(unmatched_reason([970.0, 201.0], "dfe", lookups)) == [AREA_TOTAL, OTHER_AUTHORITY]


# -- the file's own rules --------------------------------------------------------------------


@pytest.mark.parametrize(
    "row, message",
    [
        (
            "E10000009,Clash,county council,North,2020-04-01,,,,,815,E0009,,\n",
            "dfe code 815 belongs to .* at the same time",
        ),
        ("E10000009,Odd,district,North,2020-04-01,,,,,,E0009,,\n", "row 6: kind 'district'"),
        ("E10000009,Odd,county council,North,1 April 2020,,,,,,E0009,,\n", "row 6, column 'start_date'"),
        ("E10000009,Odd,county council,North,2020-04-01,2019-03-31,,,,,E0009,,\n", "end_date is before start_date"),
    ],
)
def test_county_areas_file_rules_are_enforced(tmp_path, row, message):
    """Overlapping codes, unknown kinds and bad dates are refused with the row named."""
    with pytest.raises(CountyAreasError, match=message):
        load_county_areas(write_areas(tmp_path, TINY + row))


# -- the project's list, data/county_areas.csv ----------------------------------------------


def test_real_list_has_27_county_councils_and_17_county_unitaries(real_areas):
    """Every county council since 2009 and the 17 CCN county unitaries."""
    assert real_areas["kind"].value_counts().to_dict() == {"county council": 27, "county unitary": 17}


@pytest.mark.parametrize(
    "day, county_councils, county_unitaries",
    [
        (dt.date(2015, 7, 1), 27, 9),  # before Dorset (2019), Buckinghamshire (2020) ...
        (dt.date(2021, 7, 1), 24, 13),  # the 24 county councils of 2021-22 and 2022-23
        (dt.date(2023, 7, 1), 21, 17),  # Cumbria, North Yorkshire and Somerset gone
    ],
)
def test_real_list_membership_over_time(real_areas, day, county_councils, county_unitaries):
    """The group changes with each reorganisation of 2019-2023."""
    alive = real_areas[alive_on(real_areas, day)]
    assert (alive["kind"] == "county council").sum() == county_councils
    assert (alive["kind"] == "county unitary").sum() == county_unitaries


def test_real_list_predecessors_and_successors_agree(real_areas):
    """Every successor names its predecessor, starts the day after it ends, and vice versa."""
    by_code = real_areas.set_index("code")
    for area in real_areas.itertuples():
        for successor in filter(None, area.successors.split(";")):
            if successor not in by_code.index:
                continue  # e.g. Bournemouth, Christchurch and Poole is not a county area
            assert area.code in by_code.loc[successor, "predecessors"].split(";")
            assert by_code.loc[successor, "start_date"] == area.end_date + pd.Timedelta(days=1)
        for predecessor in filter(None, area.predecessors.split(";")):
            assert area.code in by_code.loc[predecessor, "successors"].split(";")


REAL_AREAS = load_county_areas()


@settings(max_examples=60, deadline=None)
@given(day=st.dates(min_value=dt.date(2009, 4, 1), max_value=dt.date(2030, 12, 31)))
def test_real_list_counts_each_area_once_on_any_day(day):
    """No authority is alive on the same day as its predecessor or successor."""
    areas = REAL_AREAS
    alive = set(members_on(areas, day))
    for area in areas[areas["code"].isin(alive)].itertuples():
        assert not alive & set(filter(None, area.successors.split(";")))
        assert not alive & set(filter(None, area.predecessors.split(";")))


def test_real_list_agrees_with_the_published_lookups(real_areas, shared_data):
    """ONS codes, DfE numbers and dates agree with DfE's dfe_las.csv; county councils per
    year agree with the lookup of the 2021-22 to 2023-24 county councils."""
    las = pd.read_csv(shared_data / "lookups" / "dfe_las.csv", dtype=str, keep_default_na=False)
    las = las.set_index("new_la_code")
    for area in real_areas.itertuples():
        assert las.loc[area.code, "old_la_code"] == area.dfe_la_number, area.name
        if las.loc[area.code, "date_of_termination"]:
            ended = pd.to_datetime(las.loc[area.code, "date_of_termination"], format="%d/%m/%Y")
            assert ended == area.end_date, area.name
    councils = pd.read_csv(shared_data / "lookups" / "county_councils_2021-22_to_2023-24.csv", dtype=str)
    for year, midpoint in (
        ("2021-22", dt.date(2021, 9, 30)),
        ("2022-23", dt.date(2022, 9, 30)),
        ("2023-24", dt.date(2023, 9, 30)),
    ):
        alive = real_areas[alive_on(real_areas, midpoint) & (real_areas["kind"] == "county council")]
        published = councils.loc[councils[f"county_council_in_{year}"] == "True", "ons_code"]
        assert set(alive["code"]) == set(published), year
        e_codes = dict(zip(councils["ons_code"], councils["e_code"]))
        assert all(e_codes[code] == e for code, e in zip(alive["code"], alive["e_code"]))
