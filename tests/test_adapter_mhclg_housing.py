"""MHCLG Live Table 122 (net additional dwellings) through its adapter.

A hand-made file (``tests/fixtures/mhclg_housing``) pins down the header search, the
``[note N]``/``[r]``/``[p]`` headers, ``[x]`` and the county areas' lifetimes; the real
file (skipped when ../shared/data is absent) is recounted with plain pandas.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import pandas as pd
import pytest

from benchmarking.adapters.lookups import AREA_TOTAL, load_code_lookups
from benchmarking.adapters.mhclg_housing import (
    ADAPTER,
    CLASS_TOTAL_REASON,
    DATA_FILE,
    INDICATOR_ID,
    MISSING_REASON,
)
from benchmarking.adapters.source import SourceContext
from benchmarking.datasets.public_sources import load_theme_map
from benchmarking.errors import ImportValidationError
from benchmarking.method.lifetimes import load_county_areas
from benchmarking.method.membership import NOT_A_COUNTY_AREA
from benchmarking.method.periods import period_span

FIXTURE = Path(__file__).parent / "fixtures" / "mhclg_housing"


def context(lookups=None) -> SourceContext:
    return SourceContext(
        areas=load_county_areas(), lookups=lookups, theme_map=load_theme_map(), core_themes=frozenset({"Education"})
    )


def item(loaded, table: str) -> pd.DataFrame:
    return next(frame for name, frame, _ in loaded.items if name == table)


def skipped_by_reason(loaded) -> dict[str, int]:
    return dict(zip(loaded.skipped["reason"], loaded.skipped["rows"]))


@pytest.fixture(scope="module")
def fixture_loaded():
    return ADAPTER.items(FIXTURE, context())


def test_county_values_with_their_status(fixture_loaded):
    """By hand: 15 values; 2023-24 revised, 2024-25 provisional, Buckinghamshire CC until 2019-20
    and its unitary from 2020-21, Cumbria until 2020-21 and Cumberland from 2023-24."""
    values = item(fixture_loaded, "indicator_value")
    got = {(r.authority_code, r.period): (r.value, r.status) for r in values.itertuples()}
    assert got == {
        ("E10000018", "2018-19"): (3559.0, "final"),
        ("E10000018", "2019-20"): (3504.0, "final"),
        ("E10000018", "2020-21"): (3644.0, "final"),
        ("E10000018", "2023-24"): (3585.0, "revised"),
        ("E10000018", "2024-25"): (3118.0, "provisional"),
        ("E10000002", "2018-19"): (1415.0, "final"),
        ("E10000002", "2019-20"): (1500.0, "final"),
        ("E06000060", "2020-21"): (2031.0, "final"),
        ("E06000060", "2023-24"): (2245.0, "revised"),
        ("E06000060", "2024-25"): (1577.0, "provisional"),
        ("E10000006", "2018-19"): (1715.0, "final"),
        ("E10000006", "2019-20"): (1624.0, "final"),
        ("E10000006", "2020-21"): (1700.0, "final"),
        ("E06000063", "2023-24"): (936.0, "revised"),
        ("E06000063", "2024-25"): (986.0, "provisional"),
    }
    assert set(values["indicator_id"]) == {INDICATOR_ID}


def test_every_fixture_value_is_used_or_skipped_with_its_reason(fixture_loaded):
    """8 rows x 5 years = 40: 15 used, 25 skipped (the [x] of Buckinghamshire's old county row
    falls in its unitary's lifetime, so it is counted as [x])."""
    assert fixture_loaded.rows_read == {DATA_FILE: 40}
    assert skipped_by_reason(fixture_loaded) == {
        AREA_TOTAL: 5,
        CLASS_TOTAL_REASON: 5,
        NOT_A_COUNTY_AREA: 5,
        MISSING_REASON: 3,
        "before Buckinghamshire Council (E06000060) existed (from 2020-04-01)": 2,
        "after Cumbria (E10000006) ceased (2023-03-31)": 2,
        "before Cumberland (E06000063) existed (from 2023-04-01)": 3,
    }


def test_the_count_is_context_in_housing(fixture_loaded):
    """Polarity none (a count grows with the area), theme Housing from the theme map, not core."""
    indicator = item(fixture_loaded, "indicator").iloc[0]
    assert (indicator["id"], indicator["polarity"], indicator["theme"]) == (INDICATOR_ID, "none", "Housing")
    assert not indicator["is_core"]
    assert "size of the area" in indicator["description"]
    assert any("No rate per 1,000 residents" in note for note in fixture_loaded.notes)


def test_periods_are_financial_years():
    assert period_span("2001-02") == (dt.date(2001, 4, 1), dt.date(2002, 3, 31))
    assert period_span("2024-25") == (dt.date(2024, 4, 1), dt.date(2025, 3, 31))


def test_a_file_without_the_header_row_is_refused(tmp_path):
    folder = tmp_path / "mhclg_housing"
    folder.mkdir()
    text = (FIXTURE / DATA_FILE).read_text(encoding="utf-8").replace("DCLG code,", "Code,")
    (folder / DATA_FILE).write_text(text, encoding="utf-8")
    with pytest.raises(ImportValidationError, match="DCLG code"):
        ADAPTER.items(folder, context())


def test_an_unknown_marker_is_skipped_as_not_a_number(tmp_path):
    folder = tmp_path / "mhclg_housing"
    folder.mkdir()
    text = (FIXTURE / DATA_FILE).read_text(encoding="utf-8").replace("3504", "[c]")
    (folder / DATA_FILE).write_text(text, encoding="utf-8")
    loaded = ADAPTER.items(folder, context())
    assert skipped_by_reason(loaded)["value '[c]' is not a number"] == 1


# -- the real file ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real(shared_data):
    loaded = ADAPTER.items(shared_data, context(load_code_lookups(shared_data / "lookups")))
    raw = pd.read_csv(shared_data / "mhclg_housing" / DATA_FILE, skiprows=4, dtype=str, keep_default_na=False)
    return loaded, raw


@functools.cache
def county_codes_alive(day: dt.date) -> dict[str, str]:
    """Return source code -> county area alive on ``day`` (own and other codes), with plain pandas."""
    areas = pd.read_csv(Path(__file__).parents[1] / "data" / "county_areas.csv", dtype=str, keep_default_na=False)
    alive = (areas["start_date"] <= day.isoformat()) & (
        areas["end_date"].eq("") | (areas["end_date"] >= day.isoformat())
    )
    return {
        code: row.code
        for row in areas[alive].itertuples()
        for code in [row.code, *[c for c in row.other_codes.split(";") if c]]
    }


def year_columns(raw: pd.DataFrame) -> list[str]:
    return [column for column in raw.columns if column[:4].isdigit()]


def test_real_values_equal_a_plain_pandas_recount(real):
    """Each year column: the rows whose current ONS code is a county area alive on 1 October of
    that financial year and whose cell is a number; status from the header's [r] / [p]."""
    loaded, raw = real
    expected = {}
    for column in year_columns(raw):
        period = column[:7]
        status = "revised" if "[r]" in column else "provisional" if "[p]" in column else "final"
        codes = county_codes_alive(dt.date(int(period[:4]), 10, 1))
        for code, text in zip(raw["Current ONS code"], raw[column]):
            if code in codes and text != "[x]":
                expected[(codes[code], period)] = (float(text), status)
    values = item(loaded, "indicator_value")
    got = {(r.authority_code, r.period): (r.value, r.status) for r in values.itertuples()}
    assert got == expected
    assert len(got) == 814
    assert got[("E10000018", "2024-25")] == (3118.0, "provisional")
    assert got[("E10000018", "2023-24")] == (3585.0, "revised")
    assert got[("E10000018", "2001-02")] == (2231.0, "final")


def test_real_values_read_are_used_or_skipped_and_every_marker_is_counted(real):
    """421 rows x 24 years; the only marker is [x] (1,224 cells), none of them loaded; the five
    inside a county area's lifetime are Buckinghamshire's old county row 2020-21 on."""
    loaded, raw = real
    years = year_columns(raw)
    assert len(raw) == 421 and len(years) == 24
    assert loaded.rows_read == {DATA_FILE: 421 * 24}
    cells = raw[years].stack()
    markers = cells[~cells.str.fullmatch(r"-?\d+")]
    assert set(markers) == {"[x]"} and len(markers) == 1224
    values = item(loaded, "indicator_value")
    assert sum(skipped_by_reason(loaded).values()) + len(values) == 421 * 24
    in_life = sum(
        int(
            (
                raw[column].eq("[x]")
                & raw["Current ONS code"].isin(set(county_codes_alive(dt.date(int(column[:4]), 10, 1))))
            ).sum()
        )
        for column in years
    )
    assert skipped_by_reason(loaded)[MISSING_REASON] == in_life == 5
    assert values["value"].notna().all()
