"""Fingertips (PHOF) extracts through the adapter: county areas by code and period, periods as
Fingertips writes them, NA and the healthy life expectancy file skipped with their reasons.

The fixture tests read the hand-made files in ``tests/fixtures/fingertips`` (no ../shared
needed). The real-file tests count every file's rows again with the ``csv`` module and
plain date arithmetic (not the adapter's code) and compare.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from benchmarking.adapters.fingertips import (
    ADAPTER,
    FINANCIAL_YEAR,
    GREATER_MANCHESTER,
    HEALTHY_LIFE_FILE,
    MEASURES,
    NO_VALUE,
    SAME_AS_ONS,
    SELF_HARM_FILE,
    SLOPE_INDEX_FILE,
    SMI_MORTALITY_FILE,
    THREE_YEARS,
    fingertips_period,
)
from benchmarking.adapters.lookups import AREA_TOTAL, OTHER_AUTHORITY, CodeLookups, load_code_lookups
from benchmarking.adapters.source import SourceContext
from benchmarking.datasets.public_sources import load_theme_map
from benchmarking.errors import ImportValidationError
from benchmarking.ingest.validation import check_batch
from benchmarking.method.lifetimes import load_county_areas
from benchmarking.method.periods import period_span
from benchmarking.paths import PROJECT_ROOT
from benchmarking.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "fingertips"
CORE_THEMES = frozenset({"Health - Adult", "Health - Child"})
LEICESTERSHIRE, DORSET_CC = "E10000018", "E10000009"


def context(lookups: CodeLookups | None = None) -> SourceContext:
    return SourceContext(
        areas=load_county_areas(), lookups=lookups, theme_map=load_theme_map(), core_themes=CORE_THEMES
    )


def values_of(loaded) -> pd.DataFrame:
    return pd.concat([frame for table, frame, _ in loaded.items if table == "indicator_value"], ignore_index=True)


def skipped_of(loaded, file_name: str) -> dict[str, int]:
    rows = loaded.skipped[loaded.skipped["file"] == file_name]
    return dict(zip(rows["reason"], rows["rows"]))


# ---------------------------------------------------------------------------------------
# Periods
# ---------------------------------------------------------------------------------------


def test_fingertips_periods_become_the_days_the_publisher_means():
    """'2010 - 12' is three calendar years; '2011/12' a financial year; the wrong kind is refused."""
    assert fingertips_period("2010 - 12", THREE_YEARS) == "2010-12"
    assert fingertips_period("2010-12", THREE_YEARS) == "2010-12"
    assert period_span("2010-12") == (dt.date(2010, 1, 1), dt.date(2012, 12, 31))
    assert fingertips_period("2011/12", FINANCIAL_YEAR) == "2011-12"
    assert period_span("2011-12") == (dt.date(2011, 4, 1), dt.date(2012, 3, 31))
    assert fingertips_period("1999/00", FINANCIAL_YEAR) == "1999-00"
    assert fingertips_period("2011/12", THREE_YEARS) is None
    assert fingertips_period("2010 - 12", FINANCIAL_YEAR) is None
    assert fingertips_period("2010-11", THREE_YEARS) is None  # two years is not a Fingertips span here
    assert fingertips_period("2011/13", FINANCIAL_YEAR) is None


# ---------------------------------------------------------------------------------------
# Hand-made files (no ../shared needed)
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fixture_loaded():
    return ADAPTER.items(FIXTURES, context(CodeLookups({"gss": frozenset({"E08000001"})})))


def test_fixture_rows_are_used_or_skipped_with_their_reason(fixture_loaded):
    """Every row of every file is counted once: used, or skipped with its reason."""
    assert fixture_loaded.rows_read == {
        SLOPE_INDEX_FILE: 6,
        SMI_MORTALITY_FILE: 3,
        SELF_HARM_FILE: 6,
        HEALTHY_LIFE_FILE: 3,
    }
    assert skipped_of(fixture_loaded, SLOPE_INDEX_FILE) == {
        AREA_TOTAL: 1,
        "period '2011/12' is not a three calendar years": 1,
        OTHER_AUTHORITY: 1,
        GREATER_MANCHESTER: 1,
    }
    assert skipped_of(fixture_loaded, SMI_MORTALITY_FILE) == {NO_VALUE: 1}
    assert skipped_of(fixture_loaded, SELF_HARM_FILE) == {
        "after Dorset CC (E10000009) ceased (2019-03-31)": 1,
        "before Dorset Council (E06000059) existed (from 2019-04-01)": 1,
        "value 'abc' is not a number": 1,
        "period '2015 - 17' is not a financial year": 1,
    }
    assert skipped_of(fixture_loaded, HEALTHY_LIFE_FILE) == {SAME_AS_ONS: 3}
    values = values_of(fixture_loaded)
    used = values.groupby("indicator_id").size().to_dict()
    assert used == {"phof:92901-male": 1, "phof:92901-female": 1, "phof:91096": 2, "phof:90813": 2}


def test_fixture_values_keep_code_period_and_figure(fixture_loaded):
    """Dorset CC's 2018/19 figure is its own (it existed until March 2019); sexes are two indicators."""
    values = values_of(fixture_loaded).set_index(["indicator_id", "authority_code", "period"])["value"]
    assert values[("phof:90813", DORSET_CC, "2018-19")] == 591.5
    assert values[("phof:90813", LEICESTERSHIRE, "2017-18")] == 261.1
    assert values[("phof:92901-male", LEICESTERSHIRE, "2010-12")] == 6.1
    assert values[("phof:92901-female", LEICESTERSHIRE, "2010-12")] == 4.8
    assert values[("phof:91096", "E06000052", "2014-15")] == 350.2
    assert set(values_of(fixture_loaded)["status"]) == {"final"}


def test_fixture_indicators_are_ranked_lower_is_better_in_their_themes(fixture_loaded):
    """Four indicators, none of them healthy life expectancy; lower is better; themes from the map."""
    indicators = next(frame for table, frame, _ in fixture_loaded.items if table == "indicator").set_index("id")
    assert list(indicators.index) == ["phof:92901-male", "phof:92901-female", "phof:91096", "phof:90813"]
    assert set(indicators["polarity"]) == {"low"}
    assert indicators["theme"].to_dict() == {
        "phof:92901-male": "Health - Adult",
        "phof:92901-female": "Health - Adult",
        "phof:91096": "Health - Adult",
        "phof:90813": "Health - Child",
    }
    assert indicators["is_core"].all()
    assert not any("90362" in text for text in indicators["description"])
    assert any("90362" in note for note in fixture_loaded.notes)


def test_fixture_items_pass_the_importers_checks(fixture_loaded, tmp_path):
    """The items are valid import items for a store of the county areas."""
    batch = check_batch(Store(tmp_path / "check.duckdb"), fixture_loaded.items, load_county_areas()["code"])
    assert batch.issues == []


def test_a_file_of_another_indicator_is_refused(tmp_path):
    """A file whose indicator column names another measure is refused, naming the file."""
    for name in MEASURES | {HEALTHY_LIFE_FILE: None}:
        (tmp_path / name).write_text((FIXTURES / name).read_text())
    text = (tmp_path / SMI_MORTALITY_FILE).read_text().replace("serious mental illness", "something else")
    (tmp_path / SMI_MORTALITY_FILE).write_text(text)
    with pytest.raises(ImportValidationError, match=SMI_MORTALITY_FILE):
        ADAPTER.items(tmp_path, context())


# ---------------------------------------------------------------------------------------
# The real files, counted independently
# ---------------------------------------------------------------------------------------


def _county_lifetimes() -> dict[str, tuple[dt.date, dt.date]]:
    with (PROJECT_ROOT / "data" / "county_areas.csv").open(newline="") as handle:
        return {
            row["code"]: (
                dt.date.fromisoformat(row["start_date"]),
                dt.date.fromisoformat(row["end_date"]) if row["end_date"] else dt.date(2200, 1, 1),
            )
            for row in csv.DictReader(handle)
        }


def _midpoint(period: str) -> dt.date:
    """'2011/12' -> 30 Sep 2011 (financial year); '2010-12' -> 1 Jul 2011 (three calendar years)."""
    start = int(period[:4])
    return dt.date(start, 9, 30) if "/" in period else dt.date(start + 1, 7, 1)


def _expected(path: Path) -> tuple[int, dict[str, int], int]:
    """Return (rows, skipped rows by reason, rows used) counted from the raw file."""
    lifetimes = _county_lifetimes()
    skipped: dict[str, int] = {}
    used = rows = 0
    with path.open(newline="") as handle:
        for row in csv.DictReader(handle):
            rows += 1
            code = row["area_code"]
            life = lifetimes.get(code)
            if life is None:
                reason = {"E92": AREA_TOTAL, "E47": GREATER_MANCHESTER}.get(code[:3], OTHER_AUTHORITY)
            elif not life[0] <= _midpoint(row["period"]) <= life[1]:
                reason = "outside the authority's lifetime"
            elif row["value"] == "NA":
                reason = NO_VALUE
            else:
                used += 1
                continue
            skipped[reason] = skipped.get(reason, 0) + 1
    return rows, skipped, used


@pytest.fixture(scope="module")
def real(shared_data):
    folder = shared_data / "fingertips"
    loaded = ADAPTER.items(shared_data, context(load_code_lookups(shared_data / "lookups")))
    return folder, loaded


@pytest.mark.shared_data
@pytest.mark.parametrize("file_name", [SLOPE_INDEX_FILE, SMI_MORTALITY_FILE, SELF_HARM_FILE])
def test_real_rows_read_used_and_skipped_match_an_independent_count(real, file_name):
    """Rows read, used and skipped by reason equal a count of the raw file with csv and dates."""
    folder, loaded = real
    rows, skipped, used = _expected(folder / file_name)
    assert loaded.rows_read[file_name] == rows
    found: dict[str, int] = {}
    for reason, count in skipped_of(loaded, file_name).items():
        kind = "outside the authority's lifetime" if reason.startswith(("before ", "after ")) else reason
        found[kind] = found.get(kind, 0) + count
    assert found == skipped
    values = values_of(loaded)
    ids = {f"phof:{MEASURES[file_name].fingertips_id}" + suffix for suffix in ("", "-male", "-female")}
    assert (values["indicator_id"].isin(ids)).sum() == used
    assert rows == used + sum(skipped.values())


@pytest.mark.shared_data
def test_real_counts_as_measured(real):
    """The figures of the report: 36 county areas in every file, one NA each in SMI and self-harm."""
    _, loaded = real
    assert loaded.rows_read == {
        SLOPE_INDEX_FILE: 1848,
        SMI_MORTALITY_FILE: 924,
        SELF_HARM_FILE: 1078,
        HEALTHY_LIFE_FILE: 2454,
    }
    values = values_of(loaded)
    assert values.groupby("indicator_id").size().to_dict() == {
        "phof:90813": 251,
        "phof:91096": 215,
        "phof:92901-female": 216,
        "phof:92901-male": 216,
    }
    assert values["authority_code"].nunique() == 36
    assert skipped_of(loaded, SELF_HARM_FILE)[NO_VALUE] == 1  # Nottinghamshire 2016/17
    assert not values.duplicated(["indicator_id", "authority_code", "period"]).any()


@pytest.mark.shared_data
def test_real_healthy_life_expectancy_is_skipped_whole_with_its_reason(real):
    """Every row of the 90362 file is skipped with one reason; no indicator of it is made."""
    folder, loaded = real
    with (folder / HEALTHY_LIFE_FILE).open(newline="") as handle:
        rows = sum(1 for _ in csv.DictReader(handle))
    assert skipped_of(loaded, HEALTHY_LIFE_FILE) == {SAME_AS_ONS: rows}
    assert not values_of(loaded)["indicator_id"].str.contains("90362").any()


@pytest.mark.shared_data
def test_real_periods_are_read_as_fingertips_means_them(real):
    """SII: three calendar years 2010-12 ... 2015-17; SMI 2009-10 ... 2014-15 and self-harm
    2011-12 ... 2017-18 are financial years."""
    _, loaded = real
    periods = values_of(loaded).groupby("indicator_id")["period"].agg(set).to_dict()
    assert periods["phof:92901-male"] == {f"{y}-{(y + 2) % 100:02d}" for y in range(2010, 2016)}
    assert periods["phof:91096"] == {f"{y}-{(y + 1) % 100:02d}" for y in range(2009, 2015)}
    assert periods["phof:90813"] == {f"{y}-{(y + 1) % 100:02d}" for y in range(2011, 2018)}
    assert period_span("2015-17") == (dt.date(2015, 1, 1), dt.date(2017, 12, 31))
    assert period_span("2017-18") == (dt.date(2017, 4, 1), dt.date(2018, 3, 31))


@pytest.mark.shared_data
def test_real_values_equal_the_raw_cells(real):
    """Leicestershire's and Dorset CC's 2017/18 self-harm rates, Leicestershire's female SII 2010-12."""
    _, loaded = real
    values = values_of(loaded).set_index(["indicator_id", "authority_code", "period"])["value"]
    assert values[("phof:90813", LEICESTERSHIRE, "2017-18")] == 261.1
    assert values[("phof:90813", DORSET_CC, "2017-18")] == 591.5
    assert values[("phof:92901-female", LEICESTERSHIRE, "2010-12")] == 4.8


@pytest.mark.shared_data
def test_real_items_pass_the_importers_checks(real, tmp_path):
    _, loaded = real
    batch = check_batch(Store(tmp_path / "check.duckdb"), loaded.items, load_county_areas()["code"])
    assert batch.issues == []
