"""Why this rank: the listed ranks rebuild the engine's average rank; no filling; stability by group."""

from __future__ import annotations

import pytest
from apptest_helpers import blank_figures

from benchmarking.service.benchmark import comparator_group, compute
from benchmarking.service.catalogue import load_catalogue
from benchmarking.service.explain import rank_stability, why_this_rank
from benchmarking.service.overview import overview

FOCUS, PERIOD = "E10000018", "2021/22"


@pytest.fixture(scope="module")
def demo_bench(demo_store_path):
    from benchmarking.store import Store

    cat = load_catalogue(Store(demo_store_path))
    return cat, compute(cat, comparator_group(cat, "all", FOCUS))


def test_listed_ranks_average_to_the_engines_average_rank_for_every_theme(demo_bench):
    """For Overall, LA Core and each theme, the mean of the listed ranks is the engine's average_rank."""
    cat, bench = demo_bench
    for theme in ["Overall", "LA Core"] + cat.themes:
        rows, summary = why_this_rank(cat, bench, theme, PERIOD, FOCUS)
        assert summary["average_rank"] == pytest.approx(rows["rank"].dropna().astype(float).mean()), theme
        assert summary["mean_listed_rank"] == pytest.approx(summary["average_rank"])
        assert summary["n_indicators"] == rows["rank"].notna().sum()


def test_contribution_is_rank_minus_the_groups_mean_rank(demo_bench):
    """Each contribution equals the rank minus the mean rank of that indicator across the group."""
    cat, bench = demo_bench
    rows, _ = why_this_rank(cat, bench, "Education", PERIOD, FOCUS)
    ranks = bench.ranks[(bench.ranks["period"] == PERIOD)]
    for record in rows.dropna(subset=["rank"]).itertuples():
        group_mean = ranks.loc[ranks["indicator_id"] == record.indicator_id, "rank"].astype(float).mean()
        assert record.contribution == pytest.approx(record.rank - group_mean)


def test_missing_values_are_not_filled_and_low_coverage_gives_no_position(writable_store):
    """Blanking most of a theme for the focus authority leaves those indicators unranked and no position."""
    indicators = writable_store.indicators()
    education = indicators.loc[indicators["theme"] == "Education", "id"]
    blank = education.iloc[: int(len(education) * 0.6) + 1]
    blank_figures(writable_store, list(blank), FOCUS, PERIOD)
    cat = load_catalogue(writable_store)
    bench = compute(cat, comparator_group(cat, "all", FOCUS))
    focus_ranks = bench.ranks[
        (bench.ranks["authority_code"] == FOCUS)
        & (bench.ranks["period"] == PERIOD)
        & bench.ranks["indicator_id"].isin(blank)
    ]
    assert focus_ranks["rank"].isna().all()
    others = bench.ranks[(bench.ranks["indicator_id"] == blank.iloc[0]) & (bench.ranks["period"] == PERIOD)]
    assert others["n_ranked"].iloc[0] == others["rank"].notna().sum() <= 31
    rows, summary = why_this_rank(cat, bench, "Education", PERIOD, FOCUS)
    assert summary["position"] is None
    assert "below the 50% needed" in summary["reason"]
    assert rows["rank"].isna().sum() == len(blank)


def test_stability_view_for_the_default_group_equals_the_overview(demo_bench):
    """The 'all' row of the stability view is the Overview's Overall and LA Core position."""
    cat, bench = demo_bench
    stability = rank_stability(cat, PERIOD, FOCUS, ["Overall", "LA Core"])
    figures = overview(cat, bench, PERIOD, FOCUS)
    row = stability[(stability["group_id"] == "all")].set_index("theme")
    assert row.loc["Overall", "position"] == figures.overall.position
    assert row.loc["LA Core", "position"] == figures.core.position
    councils = stability[stability["group_id"] == "county-councils"]
    assert set(councils["group_size"]) == {24}
    unitaries = stability[stability["group_id"] == "county-unitaries"]
    assert set(unitaries["group_size"]) == {8}  # the 8 county unitaries; Leicestershire is beside them
    assert unitaries["group_label"].iloc[0] == "county unitaries (Leicestershire beside the group)"
    assert not unitaries["in_group"].any() and councils["in_group"].all()
