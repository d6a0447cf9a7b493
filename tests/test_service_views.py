"""The service layer: one way from a catalogue to a benchmark, the period check, the typed
Overview, and the small view functions, each on hand-worked or demo-store cases."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from benchmarking.errors import BadPeriodError, UnknownAuthorityError, UnknownComparatorError, UnknownIndicatorError
from benchmarking.method.context import context_rank
from benchmarking.method.positions import OVERALL
from benchmarking.service.benchmark import benchmark_for, comparator_group, compute
from benchmarking.service.catalogue import load_catalogue
from benchmarking.service.explain import stability_table
from benchmarking.service.funding_views import BetterOff, better_off
from benchmarking.service.overview import MIN_THEME_INDICATORS, overview
from benchmarking.service.views import best_in_words, indicator_view, theme_quartiles
from benchmarking.store import Store
from benchmarking.text.formatting import position_text
from benchmarking.text.narrative import overview_sentences, theme_summary

FOCUS, SURREY, PERIOD = "E10000018", "E10000030", "2021/22"


@pytest.fixture(scope="module")
def demo(demo_store_path):
    return load_catalogue(Store(demo_store_path))


# -- benchmark_for and the period check ------------------------------------------------------


def test_benchmark_for_is_compute_of_the_resolved_group(demo):
    """benchmark_for gives the same positions as resolving the group and computing by hand."""
    by_hand = compute(demo, comparator_group(demo, "county-councils", SURREY), scaled=True)
    bench = benchmark_for(demo, "county-councils", SURREY, scaled=True)
    assert bench.group == by_hand.group
    assert bench.options == {"scaled": True, "min_coverage": 0.5, "basket": "all-published", "balance": "indicators"}
    pd.testing.assert_frame_equal(bench.positions, by_hand.positions)


def test_benchmark_for_defaults_to_the_catalogues_focus(demo):
    """Without a focus, a neighbour group is the default focus authority's neighbours."""
    assert demo.default_focus() == FOCUS
    assert benchmark_for(demo, "similar:3").group == comparator_group(demo, "similar:3", FOCUS)


def test_require_period_returns_a_period_with_values_and_lists_them_otherwise(demo):
    assert demo.require_period(PERIOD) == PERIOD
    with pytest.raises(BadPeriodError, match=r"no values for period '2030/31'; periods in the store: .*2021/22"):
        demo.require_period("2030/31")


# -- the Overview record ------------------------------------------------------------------------


def test_overview_has_the_quadrant_only_with_spend_data(demo, writable_store):
    """With spend figures the focus authority has a quadrant; a store without any has None."""
    bench = benchmark_for(demo, "all", FOCUS)
    with_spend = overview(demo, bench, PERIOD, FOCUS)
    assert with_spend.spend.rank is not None
    assert with_spend.quadrant is not None and "spend" in with_spend.quadrant

    with duckdb.connect(str(writable_store.path)) as con:
        con.execute("DELETE FROM spend")
    bare = load_catalogue(writable_store)
    without = overview(bare, benchmark_for(bare, "all", FOCUS), PERIOD, FOCUS)
    assert without.spend.rank is None and without.quadrant is None
    assert without.overall == with_spend.overall  # the positions do not depend on spend


# -- context ranks, quartiles and funding -------------------------------------------------------


@pytest.mark.parametrize(
    ("comparator", "expected"),
    [
        ("spend", [3, 1, 1, pd.NA, 4]),  # 1 = highest spend; ties share the lower rank
        ("funding", [3, 1, 1, pd.NA, 4]),
        ("deprivation", [2, 3, 3, pd.NA, 1]),  # 1 = most deprived = lowest IMD rank
    ],
)
def test_context_rank_by_hand(comparator, expected):
    ranks = context_rank(pd.Series([10.0, 30.0, 30.0, np.nan, 5.0]), comparator)
    assert list(ranks) == expected


def test_context_rank_refuses_an_unknown_comparator():
    with pytest.raises(UnknownComparatorError, match="'cost'"):
        context_rank(np.array([1.0]), "cost")


def test_theme_quartiles_count_the_authorities_positioned_in_each_column():
    """8 positioned: positions 1-2 are Q1 ... 7-8 Q4; a column with 3 positioned has no quartiles."""
    table = pd.DataFrame(
        {
            "authority_code": list("ABCDEFGH"),
            "name": list("ABCDEFGH"),
            "kind": ["county council"] * 8,
            OVERALL: pd.array([1, 2, 3, 4, 5, 6, 7, 8], dtype="Int64"),
            "Economy": pd.array([1, 2, 3, None, None, None, None, None], dtype="Int64"),
        }
    )
    quartiles = theme_quartiles(table)
    assert list(quartiles.columns) == [OVERALL, "Economy"]
    assert list(quartiles[OVERALL]) == [1, 1, 2, 2, 3, 3, 4, 4]
    assert quartiles["Economy"].isna().all()


FUNDING = pd.DataFrame(
    {
        "authority_code": ["A", "B", "C"],
        "name": ["Ayshire", "Beeshire", "Ceeshire"],
        "population": [100_000.0, 200_000.0, np.nan],
        "core_spending_power_per_head": [900.0, 1_000.0, 1_200.0],
    }
)


def test_better_off_by_hand():
    """A at £900 a head against the median £1,000: £100 x 100,000 residents = £10m."""
    assert better_off(FUNDING, "A", "median") == BetterOff("the group median", 1_000.0, 900.0, 100.0, 100_000.0, 1e7)
    highest = better_off(FUNDING, "B", "highest")
    assert highest.reference_label == "Ceeshire (the highest funded)" and highest.amount == 200.0 * 200_000
    assert better_off(FUNDING, "B", "A").amount == -100.0 * 200_000  # B is better funded than A
    assert np.isnan(better_off(FUNDING, "C", "A").amount)  # no population: no total
    with pytest.raises(UnknownAuthorityError, match="'Z'"):
        better_off(FUNDING, "A", "Z")


def test_indicator_view_names_an_unknown_indicator(demo):
    bench = benchmark_for(demo, "all", FOCUS)
    with pytest.raises(UnknownIndicatorError, match="no indicator with id 'NOPE' in the store"):
        indicator_view(demo, bench, "NOPE", PERIOD, FOCUS)


# -- the Theme rankings page's helpers ----------------------------------------------------------


def test_stability_table_is_one_row_per_group_in_the_order_listed():
    stability = pd.DataFrame(
        {
            "group_id": ["b", "b", "a", "a"],
            "group_label": ["Same", "Same", "Same", "Same"],
            "group_size": [10, 10, 4, 4],
            "theme": [OVERALL, "Economy", OVERALL, "Economy"],
            "position": [2, None, 1, 4],
            "n_positioned": [10, 10, 4, 4],
            "average_rank": [2.0, np.nan, 1.5, 3.5],
        }
    )
    table = stability_table(stability)
    assert list(table.columns) == ["group_label", "group_size", OVERALL, "Economy"]
    assert table.values.tolist() == [["Same", 10, "2nd of 10", "no position"], ["Same", 4, "1st of 4", "4th of 4"]]


def _few_indicator_themes(store: Store) -> dict[str, list[str]]:
    """Move three indicators on which Leicestershire ranks best in PERIOD into a theme of their own, and three on
    which it ranks worst into another: themes that would be its strongest and weakest but rest on 3 indicators."""
    bench = benchmark_for(load_catalogue(store), "all", FOCUS)
    ranks = bench.ranks
    mine = ranks[(ranks["authority_code"] == FOCUS) & (ranks["period"] == PERIOD) & ranks["rank"].notna()]
    mine = mine.sort_values(["rank", "indicator_id"])
    themes = {"A few strong indicators": list(mine["indicator_id"][:3]), "Z few weak": list(mine["indicator_id"][-3:])}
    moved = pd.DataFrame([{"id": i, "theme": theme} for theme, ids in themes.items() for i in ids])
    store.write({"indicator": moved}, dataset={"name": "few-indicator themes", "kind": "public"})
    return themes


def test_theme_summary_names_the_strongest_and_weakest_theme_on_enough_indicators(writable_store):
    """Strongest and weakest are named only among the themes whose position rests on at least MIN_THEME_INDICATORS
    of the authority's indicators: two themes of 3 indicators, which would be strongest and weakest, are left out
    and named as resting on few; each theme is "of" its own number positioned."""
    few = _few_indicator_themes(writable_store)
    cat = load_catalogue(writable_store)
    bench = benchmark_for(cat, "all", FOCUS)
    figures = overview(cat, bench, PERIOD, FOCUS)
    p = bench.positions
    themes = p[(p["authority_code"] == FOCUS) & (p["period"] == PERIOD) & ~p["theme"].isin([OVERALL, "LA Core"])]
    themes = themes.dropna(subset=["position"]).sort_values(["position", "theme"])
    assert [themes["theme"].iloc[0], themes["theme"].iloc[-1]] == list(few)  # without the rule: the few themes
    enough = themes[themes["n_indicators"] >= MIN_THEME_INDICATORS]
    standing = (enough["position"] - 1) / (enough["n_positioned"] - 1)
    best, worst = enough[standing == standing.min()], enough[standing == standing.max()]
    text = theme_summary(figures)
    assert text.startswith(f"Overall {figures.overall.position}")
    strongest, weakest = text.split("; weakest: ")
    for rows, said in ((best, strongest), (worst, weakest.split(".")[0])):
        for row in rows.itertuples():  # each theme "of" its own number positioned
            assert f"{row.theme} ({position_text(row.position, row.n_positioned)})" in said, text
    left_out = text[text.index("Left out of strongest and weakest") :]
    assert all(f"{theme} (3 indicators)" in left_out for theme in few), text


def _with_theme_positions(figures, rows):
    """The Overview's figures with these (theme, position, n_positioned) rows as its theme positions."""
    import dataclasses

    frame = pd.DataFrame(rows, columns=["theme", "position", "n_positioned"]).assign(average_rank=1.0)
    return dataclasses.replace(figures, theme_positions=frame, few_indicator_themes={})


def test_strongest_and_weakest_are_judged_among_each_themes_own_number_positioned(writable_store):
    """29th of 34 stands lower than 29th of 38 (a theme's group is smaller where authorities have no figures), and
    themes level at the top or bottom are all named, not one chosen by its name."""
    cat = load_catalogue(writable_store)
    figures = overview(cat, benchmark_for(cat, "all", FOCUS), PERIOD, FOCUS)
    rows = [("Adult Social Care", 29, 34), ("Economy", 10, 38), ("Children's Social Care", 10, 38), ("Health", 29, 38)]
    text = theme_summary(_with_theme_positions(figures, rows))
    assert "Strongest themes: Children's Social Care (10th of 38) and Economy (10th of 38)" in text, text
    assert "weakest: Adult Social Care (29th of 34)." in text, text  # by name alone: Health (29th of 38)
    sentences = " ".join(overview_sentences(_with_theme_positions(figures, rows)))
    assert "Its strongest themes are Children's Social Care (10th of 38) and Economy (10th of 38) and its " in sentences
    assert "weakest is Adult Social Care (29th of 34)." in sentences
    level = [("Economy", 3, 38), ("Health", 3, 38)]
    assert "strongest" not in " ".join(overview_sentences(_with_theme_positions(figures, level)))


@pytest.mark.parametrize(
    "ranks, beside, expected",
    [
        ([1, 2, 3], None, "Kent (10.0%)"),
        ([1, 1, 3], None, "Kent and Devon (10.0%)"),  # a tie shares the best rank: both are named
        ([1, 1, 1], 0, "Devon and Essex (10.0%)"),  # a focus beside the group would be 1st, but is not a member
        ([2, 3, 4], None, ""),  # no member ranked 1st
    ],
)
def test_the_best_in_words_names_every_member_ranked_first(ranks, beside, expected):
    view = pd.DataFrame(
        {"name": ["Kent", "Devon", "Essex"], "value": [10.0, 10.0, 10.0], "rank": ranks, "in_group": True}
    )
    if beside is not None:
        view.loc[beside, "in_group"] = False
    assert best_in_words(view, "%") == expected


def test_the_best_in_words_shortens_a_long_tie():
    """Beyond four names the rest are counted, so a tie of many never floods the sentence."""
    view = pd.DataFrame({"name": list("ABCDEFG"), "value": 3.0, "rank": 1, "in_group": True})
    assert best_in_words(view, None) == "A, B, C and 4 others (3)"
