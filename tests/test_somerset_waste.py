"""Somerset's waste figures under the Somerset Waste Partnership code (issue 16, point 2).

From 2018-19 DEFRA publishes Somerset County Council's area as the Somerset Waste
Partnership, ``E50000009``. ``data/county_areas.csv`` lists that code in ``other_codes`` of
Somerset CC (E10000027) and of Somerset Council (E06000066); the period's midpoint decides
which. Hand-made rows in ``tests/fixtures/defra_waste/`` run without ``../shared``; the real
Table 3 (skipped when ../shared/data is absent) is compared with its raw rows.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from benchmarking.adapters import defra
from benchmarking.adapters.lookups import CodeLookups, load_code_lookups
from benchmarking.method.lifetimes import load_county_areas
from benchmarking.method.membership import alive_on
from benchmarking.method.ranking import indicator_ranks

FIXTURES = Path(__file__).parent / "fixtures" / "defra_waste"
SOMERSET_CC, SOMERSET_COUNCIL, PARTNERSHIP = "E10000027", "E06000066", "E50000009"
RECYCLING = "NI192"


def _value(loaded, indicator_id: str, code: str, period: str) -> float:
    values = loaded.items[1][1]
    row = values[
        (values["indicator_id"] == indicator_id) & (values["authority_code"] == code) & (values["period"] == period)
    ]
    assert len(row) == 1, (indicator_id, code, period)
    return float(row["value"].iloc[0])


def test_the_partnership_code_belongs_to_somerset_cc_then_somerset_council():
    """E50000009 is in other_codes of both Somerset authorities, whose lifetimes do not overlap."""
    areas = load_county_areas().set_index("code")
    for code in (SOMERSET_CC, SOMERSET_COUNCIL):
        assert PARTNERSHIP in areas.loc[code, "other_codes"].split(";")
    assert areas.loc[SOMERSET_CC, "end_date"] < areas.loc[SOMERSET_COUNCIL, "start_date"]


# -- hand-made rows ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fixture_load(tmp_path_factory):
    """waste_items over the committed fixture (the 2023-24 row is made up, to show the period deciding)."""
    folder = tmp_path_factory.mktemp("waste") / defra.FOLDER
    folder.mkdir()
    shutil.copy(FIXTURES / defra.DATA_FILE, folder / defra.DATA_FILE)
    lookups = CodeLookups({"gss": frozenset({"E07000189"}), "dfe": frozenset(), "ecode": frozenset()})
    return defra.waste_items(folder.parent, load_county_areas(), "Environment & Waste", True, lookups)


def test_fixture_partnership_rows_are_somersets(fixture_load):
    """E50000009 in 2018-19 and 2022-23 is Somerset CC; in 2023-24 Somerset Council; the old code
    E10000027 stays Somerset CC's."""
    assert _value(fixture_load, RECYCLING, SOMERSET_CC, "2017-18") == 0.523
    assert _value(fixture_load, RECYCLING, SOMERSET_CC, "2018-19") == 0.524
    assert _value(fixture_load, RECYCLING, SOMERSET_CC, "2022-23") == 0.563
    assert _value(fixture_load, RECYCLING, SOMERSET_COUNCIL, "2023-24") == 0.570


def test_fixture_other_partnerships_and_districts_are_still_skipped(fixture_load):
    """8 rows read: 6 used (Somerset's five and Leicestershire), a district and another
    partnership skipped with their reasons; no Somerset row among the skipped."""
    skipped = fixture_load.skipped.set_index("reason")["rows"]
    assert fixture_load.rows_read[defra.DATA_FILE] == 8
    assert len(fixture_load.items[1][1]) == 6 * len(defra.MEASURES)
    assert skipped.to_dict() == {
        "not a county area: another local authority": 1,
        "code not in any lookup: E50000001": 1,
    }


# -- the real file ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real(shared_data):
    """(Loaded, raw Table 3 as text) from ../shared/data."""
    loaded = defra.waste_items(
        shared_data, load_county_areas(), "Environment & Waste", True, load_code_lookups(shared_data / "lookups")
    )
    raw = pd.read_csv(shared_data / defra.FOLDER / defra.DATA_FILE, dtype=str, keep_default_na=False)
    return loaded, raw


def test_somerset_cc_recycling_rate_2022_23_is_the_partnerships_row(real):
    """Somerset CC's 2022-23 recycling rate equals the raw E50000009 row, as do all four measures
    in every year from 2018-19."""
    loaded, raw = real
    column = defra.MEASURES[RECYCLING][0]
    partnership = raw[raw["ONS code"] == PARTNERSHIP].set_index("Year")
    assert list(partnership.index) == ["2018-19", "2019-20", "2020-21", "2021-22", "2022-23"]
    assert _value(loaded, RECYCLING, SOMERSET_CC, "2022-23") == float(partnership.loc["2022-23", column])
    for indicator_id, (column, *_rest) in defra.MEASURES.items():
        for year, published in partnership[column].items():
            assert _value(loaded, indicator_id, SOMERSET_CC, year) == float(published)


def test_the_partnership_code_is_no_longer_reported_unknown(real):
    """The skip report no longer says 'code not in any lookup: E50000009'; rows still add up."""
    loaded, _ = real
    assert not loaded.skipped["reason"].str.contains(PARTNERSHIP).any()
    assert loaded.skipped["rows"].sum() + len(loaded.items[1][1]) // len(defra.MEASURES) == 4_632


def test_somerset_cc_is_ranked_on_recycling_in_2022_23(real):
    """Among the county areas of 2022-23, Somerset CC has a recycling rank (higher is better)."""
    loaded, raw = real
    indicators, values = loaded.items[0][1], loaded.items[1][1]
    areas = load_county_areas()
    members = areas.loc[alive_on(areas, pd.Timestamp("2022-09-30")), "code"]
    year = values[(values["period"] == "2022-23") & (values["indicator_id"] == RECYCLING)]
    ranks = indicator_ranks(year, indicators, members).set_index("authority_code")
    somerset = float(
        raw.loc[(raw["Year"] == "2022-23") & (raw["ONS code"] == PARTNERSHIP), defra.MEASURES[RECYCLING][0]].iloc[0]
    )
    assert ranks.loc[SOMERSET_CC, "rank"] == 1 + int((year["value"] > somerset).sum())
    assert ranks.loc[SOMERSET_CC, "n_ranked"] == ranks["rank"].notna().sum() == 37
