"""Core spending power per head through its adapter: the ``funding`` table.

A hand-made folder (``tests/fixtures/core_spending_power``) pins down the rule (published
total x 1,000,000 / the mid-year population of the financial year's first June), the
revenue spending power left out, ``..``, the Isles of Scilly and the components
cross-check. The real files (skipped when ../shared/data is absent) are counted again
here with plain pandas, independently of the adapter.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import pandas as pd
import pytest

from benchmarking.adapters.core_spending_power import (
    ADAPTER,
    COMPONENTS_FILE,
    MISSING_REASON,
    REVENUE_REASON,
    TOTALS_FILE,
)
from benchmarking.adapters.lookups import load_code_lookups
from benchmarking.adapters.ons_population import county_populations
from benchmarking.adapters.source import SourceContext
from benchmarking.errors import BuildError, ImportValidationError
from benchmarking.method.lifetimes import load_county_areas
from benchmarking.method.periods import period_span

FIXTURE = Path(__file__).parent / "fixtures" / "core_spending_power"
POPULATION = pd.DataFrame(
    {
        "authority_code": ["E10000018", "E10000018", "E10000002"],
        "year": [2019, 2020, 2019],
        "population": [700_000.0, 710_000.0, 540_000.0],
        "basis": "published",
    }
)


def skipped_by_reason(loaded, file_name: str) -> dict[str, int]:
    rows = loaded.skipped[loaded.skipped["file"] == file_name]
    return dict(zip(rows["reason"], rows["rows"]))


@pytest.fixture(scope="module")
def fixture_loaded():
    context = SourceContext(areas=load_county_areas(), population_reader=lambda: POPULATION)
    return ADAPTER.items(FIXTURE, context)


def test_per_head_is_the_published_total_over_the_first_june_population(fixture_loaded):
    """Three values: Leicestershire 2019-20 and 2020-21, Buckinghamshire CC 2019-20 (by hand)."""
    [(table, funding, file_name)] = fixture_loaded.items
    assert (table, file_name) == ("funding", TOTALS_FILE)
    got = {(row.authority_code, row.period): row.core_spending_power_per_head for row in funding.itertuples()}
    assert got == pytest.approx(
        {
            ("E10000018", "2019-20"): 389.53e6 / 700_000,
            ("E10000018", "2020-21"): 418.42e6 / 710_000,
            ("E10000002", "2019-20"): 348.24e6 / 540_000,
        }
    )


def test_every_fixture_value_is_used_or_skipped_with_its_reason(fixture_loaded):
    """5 rows x 10 year columns: 25 revenue spending power, Blaby and Scilly 5 each, Dorset CC
    gone by 2019-20, no mid-2016..2018 population (3 x Leicestershire, Dorset, Buckinghamshire),
    and Buckinghamshire's '..' for 2020-21 (the year its unitary replaced it)."""
    assert fixture_loaded.rows_read == {TOTALS_FILE: 50, COMPONENTS_FILE: 8}
    assert skipped_by_reason(fixture_loaded, TOTALS_FILE) == {
        REVENUE_REASON: 25,
        "not a county area: district council": 5,
        "not a county area: Isles of Scilly (tagged 'County council' in the file)": 5,
        "after Dorset CC (E10000009) ceased (2019-03-31)": 2,
        "no mid-2016 population estimate among the ONS files (financial year 2016-17)": 3,
        "no mid-2017 population estimate among the ONS files (financial year 2017-18)": 3,
        "no mid-2018 population estimate among the ONS files (financial year 2018-19)": 3,
        MISSING_REASON: 1,
    }
    assert sum(skipped_by_reason(fixture_loaded, TOTALS_FILE).values()) + 3 == 50


def test_an_authority_without_an_estimate_that_year_is_skipped_not_guessed():
    """Leicestershire's mid-2020 estimate swapped for Cambridgeshire's: mid-2020 is held, but not
    for Leicestershire, so its 2020-21 value is skipped with that reason."""
    population = POPULATION.replace({"authority_code": {"E10000018": "E10000003"}}).where(
        POPULATION["year"] == 2020, POPULATION
    )
    context = SourceContext(areas=load_county_areas(), population_reader=lambda: population)
    loaded = ADAPTER.items(FIXTURE, context)
    assert skipped_by_reason(loaded, TOTALS_FILE)["no mid-2020 population estimate for E10000018"] == 1
    assert ("E10000018", "2020-21") not in set(zip(loaded.items[0][1]["authority_code"], loaded.items[0][1]["period"]))


def test_components_cross_check_counts_county_areas_above_the_total(fixture_loaded):
    """Compared: Leicestershire 2019-20 and 2020-21, Dorset CC 2016-17, Buckinghamshire CC 2019-20
    (made 400 > 348.24 on purpose); 2015-16, an all-zero row, a fire authority and the GLA are skipped."""
    assert skipped_by_reason(fixture_loaded, COMPONENTS_FILE) == {
        "2015-16: the published totals give revenue spending power that year (no comparison)": 1,
        "every component 0: the authority did not exist that year": 1,
        "not a county area: fire and rescue authority": 1,
        "not a county area: Greater London Authority (no ONS code)": 1,
    }
    assert any(
        "exceed the published Core Spending Power total in 1 of 3 county areas (1 of 4 county-area years compared)"
        in note
        for note in fixture_loaded.notes
    )
    assert any("revenue spending power" in note and "left out" in note for note in fixture_loaded.notes)


def test_periods_are_the_financial_years_the_columns_end_in():
    """Column 2021 is 2020-21: 1 April 2020 to 31 March 2021."""
    assert period_span("2020-21") == (dt.date(2020, 4, 1), dt.date(2021, 3, 31))


def test_a_context_without_population_says_so():
    with pytest.raises(BuildError, match="population"):
        ADAPTER.items(FIXTURE, SourceContext(areas=load_county_areas()))


def test_a_file_without_a_year_column_is_refused(tmp_path):
    folder = tmp_path / "core_spending_power"
    (folder / "published_totals").mkdir(parents=True)
    text = (FIXTURE / TOTALS_FILE).read_text(encoding="utf-8").replace(",2021", ",2022")
    (folder / TOTALS_FILE).write_text(text, encoding="utf-8")
    with pytest.raises(ImportValidationError, match="2021"):
        ADAPTER.items(folder, SourceContext(areas=load_county_areas(), population_reader=lambda: POPULATION))


# -- the real files -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real(shared_data):
    areas = load_county_areas()
    lookups = load_code_lookups(shared_data / "lookups")
    context = SourceContext(
        areas=areas, lookups=lookups, population_reader=lambda: county_populations(shared_data, areas, lookups)[0]
    )
    loaded = ADAPTER.items(shared_data, context)
    raw = pd.read_csv(shared_data / "core_spending_power" / TOTALS_FILE, dtype=str, keep_default_na=False)
    return loaded, raw, shared_data


@functools.cache
def county_codes_alive(day: dt.date) -> dict[str, str]:
    """Return source code -> county area alive on ``day`` (own and other codes), read with plain pandas."""
    areas = pd.read_csv(Path(__file__).parents[1] / "data" / "county_areas.csv", dtype=str, keep_default_na=False)
    alive = (areas["start_date"] <= day.isoformat()) & (
        areas["end_date"].eq("") | (areas["end_date"] >= day.isoformat())
    )
    codes = {}
    for row in areas[alive].itertuples():
        for code in [row.code, *[c for c in row.other_codes.split(";") if c]]:
            codes[code] = row.code
    return codes


def raw_population(shared_data: Path, year: int) -> dict[str, float]:
    """Return code -> all-ages population straight from the ONS upper-tier file of that mid-year."""
    frame = pd.read_csv(shared_data / "ons_population" / f"ons_mye_mid{year}_utla2020_single_year_of_age.csv")
    return dict(zip(frame["utla20_code"], frame["total_population"].astype(float)))


def test_leicestershire_2020_21_is_418_42m_over_its_mid_2020_population(real):
    loaded, _, shared_data = real
    funding = loaded.items[0][1].set_index(["authority_code", "period"])
    population = raw_population(shared_data, 2020)["E10000018"]
    assert funding.loc[("E10000018", "2020-21"), "core_spending_power_per_head"] == pytest.approx(
        418.42e6 / population, rel=1e-12
    )


def test_real_values_equal_a_plain_pandas_recount(real):
    """Every per-head value for 2019-20 and 2020-21, recomputed from the raw totals and ONS files.

    Buckinghamshire CC's mid-2019 estimate is Buckinghamshire Council's (the mid-2019 file is on
    April-2020 boundaries and the council covers the same area)."""
    loaded, raw, shared_data = real
    expected = {}
    for column, period, year in (("2020", "2019-20", 2019), ("2021", "2020-21", 2020)):
        codes = county_codes_alive(dt.date(year, 10, 1))
        population = raw_population(shared_data, year)
        if year == 2019:
            population["E10000002"] = population["E06000060"]
        for code, text in zip(raw["ons_code"], raw[column]):
            if code in codes and text != ".." and codes[code] in population:
                expected[(codes[code], period)] = float(text) * 1e6 / population[codes[code]]
    funding = loaded.items[0][1]
    got = dict(zip(zip(funding["authority_code"], funding["period"]), funding["core_spending_power_per_head"]))
    assert got == pytest.approx(expected, rel=1e-12)
    assert (
        len(got) == 35 + 33
    )  # 2019-20: no Dorset Council row; 2020-21: no Buckinghamshire Council, no Northamptonshire mid-2020


def test_real_values_read_are_used_or_skipped(real):
    """352 authorities x 10 columns; half are revenue spending power; the '..' of a county area
    alive that year is Buckinghamshire's 2020-21 (its area then under Buckinghamshire Council)."""
    loaded, raw, _ = real
    assert loaded.rows_read[TOTALS_FILE] == len(raw) * 10 == 3520
    skipped = skipped_by_reason(loaded, TOTALS_FILE)
    assert skipped[REVENUE_REASON] == len(raw) * 5
    assert sum(skipped.values()) + len(loaded.items[0][1]) == 3520
    missing_in_life = 0
    for column in ("2017", "2018", "2019", "2020", "2021"):
        codes = county_codes_alive(dt.date(int(column) - 1, 10, 1))
        missing_in_life += int((raw[column].eq("..") & raw["ons_code"].isin(set(codes))).sum())
    assert skipped[MISSING_REASON] == missing_in_life == 1
    scilly = "not a county area: Isles of Scilly (tagged 'County council' in the file)"
    assert skipped[scilly] == 5
    assert skipped["no mid-2016 population estimate among the ONS files (financial year 2016-17)"] == 36


def test_real_components_never_exceed_the_published_totals(real):
    """Recomputed with pandas: the six components summed per county area and year against the
    published total of the same code and financial year (column = year + 1)."""
    loaded, raw, shared_data = real
    components = pd.read_csv(shared_data / "core_spending_power" / COMPONENTS_FILE, dtype={"ons_code": str})
    components["sum"] = components[["sfa", "under_index", "ct_total", "nhb", "nhb_return", "rsdg"]].sum(axis=1)
    totals = raw.melt(id_vars=["ons_code"], value_vars=["2017", "2018", "2019", "2020", "2021"], var_name="column")
    totals = totals[totals["value"] != ".."].assign(
        year=lambda t: t["column"].astype(int) - 1, total=lambda t: t["value"].astype(float)
    )
    compared = components.merge(totals, on=["ons_code", "year"])
    in_county_area = [
        code in county_codes_alive(dt.date(y, 10, 1)) for code, y in zip(compared["ons_code"], compared["year"])
    ]
    compared = compared[pd.Series(in_county_area, index=compared.index) & (compared["sum"] > 0)]
    above = compared[compared["sum"] > compared["total"] + 0.005]
    assert len(above) == 0
    note = next(note for note in loaded.notes if note.startswith("Cross-check"))
    assert f"in 0 of {compared['ons_code'].nunique()} county areas (0 of {len(compared)} county-area years" in note
    assert loaded.rows_read[COMPONENTS_FILE] == len(components) == 2376
    assert sum(skipped_by_reason(loaded, COMPONENTS_FILE).values()) + len(compared) == 2376


# -- the funding views read the funding table as this adapter writes it ----------------------

AUTHORITIES = pd.DataFrame(
    {
        "code": ["E10000018", "E10000003", "E10000007", "E10000008"],
        "name": ["Leicestershire", "Cambridgeshire", "Derbyshire", "Devon"],
        "kind": "county council",
        "region": "England",
        "population": [700_000, 650_000, 800_000, 790_000],
    }
)
FUNDING_2020_21 = {"E10000018": 590.0, "E10000003": 640.0, "E10000007": 600.0, "E10000008": 660.0}


@pytest.fixture(scope="module")
def funded_store(tmp_path_factory):
    """A tiny store as the real build makes it: funding only for 2019-20 and 2020-21 (labels
    '2019-20' as the adapter writes them), performance figures for 2021/22 and 2022/23."""
    from benchmarking.ingest.importer import import_frames
    from benchmarking.paths import PROJECT_ROOT
    from benchmarking.store import Store

    store = Store(tmp_path_factory.mktemp("funded") / "store.duckdb")
    store.initialise()
    codes = list(AUTHORITIES["code"])
    indicators = pd.DataFrame(
        {"id": ["ed1", "ed2"], "name": ["Ed 1", "Ed 2"], "theme": "Education", "polarity": "high"}
    )
    values = pd.DataFrame(
        [
            (indicator, code, period, float(i if indicator == "ed1" else 10 - i))
            for indicator in ("ed1", "ed2")
            for period in ("2021/22", "2022/23")
            for i, code in enumerate(codes)
        ],
        columns=["indicator_id", "authority_code", "period", "value"],
    )
    funding = pd.DataFrame(
        {
            "authority_code": codes * 2,
            "period": ["2019-20"] * 4 + ["2020-21"] * 4,
            "core_spending_power_per_head": [550.0, 600.0, 580.0, 620.0] + [FUNDING_2020_21[c] for c in codes],
        }
    )
    theme_service = pd.read_csv(PROJECT_ROOT / "data" / "theme_services.csv")
    import_frames(
        store,
        [
            ("authority", AUTHORITIES, "authorities.csv"),
            ("theme_service", theme_service, "theme_services.csv"),
            ("indicator", indicators, "indicators.csv"),
            ("indicator_value", values, "values.csv"),
            ("funding", funding, TOTALS_FILE),
        ],
    )
    return store.path


def test_funding_league_table_and_better_off_use_the_latest_funding_year(funded_store):
    """In 2022/23 the league table is 2020-21's (the latest funding year before it): Devon 660,
    Cambridgeshire 640, Derbyshire 600, Leicestershire 590; Leicestershire would be
    (620 - 590) x 700,000 = £21.0m better off at the median and (660 - 590) x 700,000 = £49.0m
    at the highest."""
    from benchmarking.service.benchmark import benchmark_for
    from benchmarking.service.catalogue import load_catalogue
    from benchmarking.service.context_views import context_ranks
    from benchmarking.service.funding_views import better_off, funding_view

    catalogue = load_catalogue(funded_store)
    assert catalogue.default_period == "2022/23"
    bench = benchmark_for(catalogue, "all", "E10000018")
    table = funding_view(catalogue, bench, "2022/23", "E10000018")
    assert set(table["period"]) == {"2020-21"}
    assert list(table["authority_code"]) == ["E10000008", "E10000003", "E10000007", "E10000018"]
    assert list(table["rank"]) == [1, 2, 3, 4] and set(table["n_ranked"]) == {4}
    assert better_off(table, "E10000018", "median").amount == pytest.approx(30.0 * 700_000)
    assert better_off(table, "E10000018", "highest").amount == pytest.approx(70.0 * 700_000)
    axis = context_ranks(catalogue, bench, "Education", "Funding", "2022/23")
    assert set(axis["basis"]) == {"2020-21"}
    assert dict(zip(axis["authority_code"], axis["rank"])) == {
        "E10000008": 1,
        "E10000003": 2,
        "E10000007": 3,
        "E10000018": 4,
    }


def test_funding_page_says_how_much_better_off(funded_store, monkeypatch):
    """The page on the tiny store: title names 2020-21, and the median line says £21.0m."""
    from apptest_helpers import open_page

    at = open_page(funded_store, monkeypatch, "funding")
    assert not at.exception
    [message] = at.success
    assert "**£21.0m a year better off**" in message.value
    assert "£620 per head against £590" in message.value
