"""The shipped real county store (data/public/, no ../shared needed): the Compendium's themes
are covered, and the funding views work on real core spending power."""

from __future__ import annotations

import pandas as pd
import pytest

from benchmarking.briefing.public_report import latest_common_period
from benchmarking.paths import PROJECT_ROOT
from benchmarking.service.benchmark import benchmark_for
from benchmarking.service.catalogue import load_catalogue
from benchmarking.service.context_views import context_ranks
from benchmarking.service.funding_views import better_off, funding_view
from benchmarking.store import Store

LEICESTERSHIRE = "E10000018"
SHORTFALLS = {
    "Housing": "two ranked public measures (affordability ratio, net additions per 1,000 dwellings); Live Table "
    "122's count is context (it grows with the area) and first-time-buyer sales describe the market",
    "Transport & Highways": "DfT's A-road and B/C-road condition only: travel times end in 2019 (older than the "
    "two years positions carry), and casualties, bus journeys and unclassified roads are not among the files",
}
"""Themes with a public source but fewer than three ranked indicators in the latest common period, and why."""


@pytest.fixture(scope="module")
def real(shipped_store_path):
    catalogue = load_catalogue(Store(shipped_store_path))
    bench = benchmark_for(catalogue, "all", LEICESTERSHIRE)
    return catalogue, bench, latest_common_period(catalogue, bench)


def test_the_store_is_the_county_areas_on_public_data(real):
    catalogue, _, _ = real
    areas = pd.read_csv(PROJECT_ROOT / "data" / "county_areas.csv", dtype=str)
    assert set(catalogue.authorities["code"]) == set(areas["code"])
    assert catalogue.dataset_label.startswith("public data") and not catalogue.is_demo


def test_every_compendium_theme_with_a_public_source_has_three_ranked_indicators(real):
    """Themes of the public indicators the Compendium map names (same or close): at least three ranked
    indicators each in the latest common period, except the shortfalls named above (and each of those
    really is short, so the list cannot go stale)."""
    catalogue, bench, period = real
    mapped = pd.read_csv(PROJECT_ROOT / "data" / "compendium_map.csv", dtype=str, keep_default_na=False)
    ids = set(mapped.loc[mapped["match"].isin(["same", "close"]), "indicator_id"])
    theme_of = catalogue.indicators.set_index("id")["theme"]
    themes = {theme_of[i] for i in ids if i in theme_of.index} - {"Context"}
    ranked = bench.ranks[(bench.ranks["period"] == period) & bench.ranks["rank"].notna()]
    counts = ranked.assign(theme=ranked["indicator_id"].map(theme_of)).groupby("theme")["indicator_id"].nunique()
    assert len(themes) >= 10, themes
    short = {theme for theme in themes if counts.get(theme, 0) < 3}
    assert short == set(SHORTFALLS), {theme: int(counts.get(theme, 0)) for theme in themes}


def test_every_indicator_the_compendium_map_names_is_in_the_store(real):
    """The map's public ids (spend and funding rows aside) are all indicators of the shipped store."""
    catalogue, _, _ = real
    mapped = pd.read_csv(PROJECT_ROOT / "data" / "compendium_map.csv", dtype=str, keep_default_na=False)
    ids = set(mapped["indicator_id"]) - {""}
    ids = {i for i in ids if not i.startswith(("spend:", "funding:"))}
    assert ids - set(catalogue.indicators["id"]) == set()


def test_funding_views_use_real_core_spending_power(real):
    """The league table, the Funding axis and "£X m better off" on the latest common period use the
    2020-21 core spending power (the newest published), ranked highest first as the table holds it;
    the table writes the publisher's 2020-21 as the reporting period 2020/21, beside the periods."""
    catalogue, bench, period = real
    table = funding_view(catalogue, bench, period, LEICESTERSHIRE)
    assert set(table["period"]) == {"2020/21"}
    stored = catalogue.funding[catalogue.funding["period"] == "2020-21"].dropna()
    assert len(table.dropna(subset=["core_spending_power_per_head"])) == len(stored) >= 30
    expected = stored["core_spending_power_per_head"].rank(ascending=False, method="min")
    assert dict(zip(table["authority_code"], table["rank"])) == dict(zip(stored["authority_code"], expected))
    own = stored.set_index("authority_code").loc[LEICESTERSHIRE, "core_spending_power_per_head"]
    assert own == pytest.approx(418.42e6 / 713_085)  # published total / ONS mid-2020 population
    population = catalogue.authorities.set_index("code").loc[LEICESTERSHIRE, "population"]
    gap = stored["core_spending_power_per_head"].median() - own
    assert better_off(table, LEICESTERSHIRE, "median").amount == pytest.approx(gap * population)
    axis = context_ranks(catalogue, bench, "Education", "Funding", period)
    assert set(axis["basis"]) == {"2020/21"} and LEICESTERSHIRE in set(axis["authority_code"])
