"""Bootstrap intervals for positions: they contain the point, narrow with more indicators, and repeat."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from engine_frames import LATEST, indicators_frame, ranking_inputs, values_frame
from hypothesis import given, settings

from benchmarking.charts import interval_chart
from benchmarking.errors import BadArgumentError, UnknownAuthorityError
from benchmarking.method.positions import OVERALL
from benchmarking.method.ranking import indicator_ranks
from benchmarking.method.sensitivity import rank_matrix
from benchmarking.method.uncertainty import (
    ahead_shares,
    bootstrap_positions,
    draw_counts,
    interval_sentence,
    interval_text,
    position_intervals,
)
from benchmarking.service.benchmark import comparator_group, compute
from benchmarking.service.catalogue import load_catalogue
from benchmarking.store import Store

QUICK = settings(max_examples=40, deadline=None)


@pytest.fixture(scope="module")
def demo(demo_store_path):
    """The demo catalogue and its benchmark among all authorities."""
    catalogue = load_catalogue(Store(demo_store_path))
    return catalogue, compute(catalogue, comparator_group(catalogue, "all"))


def latent_case(n_authorities: int = 10, n_indicators: int = 20, copies: int = 1, seed: int = 7):
    """Return (ranks, indicators): authorities differ by a latent quality plus noise, two themes.

    With ``copies`` > 1 every indicator is listed that many times under new ids (same
    values, same theme), so the basket holds the same information several times over.
    """
    rng = np.random.default_rng(seed)
    quality = np.linspace(0, 1.5, n_authorities)
    authorities = [f"A{i:02d}" for i in range(n_authorities)]
    table, rows = {}, {}
    for i in range(n_indicators):
        numbers = quality + rng.normal(size=n_authorities)
        for copy in range(copies):
            indicator_id = f"I{i:02d}" + (f"_copy{copy}" if copy else "")
            table[indicator_id] = dict(zip(authorities, numbers.round(3)))
            rows[indicator_id] = {"theme": "Economy" if i % 2 else "Transport"}
    indicators = indicators_frame(rows)
    return indicator_ranks(values_frame(table), indicators), indicators


def widths(intervals: pd.DataFrame, theme: str = OVERALL) -> np.ndarray:
    rows = intervals[intervals["theme"] == theme].sort_values("authority_code")
    return (rows["upper"] - rows["lower"]).to_numpy(dtype=float)


# -- the point estimate and the interval --------------------------------------------------


def test_point_positions_are_the_engine_positions(demo):
    """Every column's point position and average rank equal the engine's, for the latest period."""
    catalogue, bench = demo
    period = catalogue.period_labels[-1]
    intervals = bootstrap_positions(bench.ranks, catalogue.indicators, period, n_replicates=50).intervals()
    engine = bench.positions[bench.positions["period"] == period]
    merged = intervals.merge(engine, on=["theme", "authority_code"], suffixes=("", "_engine"))
    assert len(merged) == len(engine) == len(intervals)
    assert merged["position"].equals(merged["position_engine"])
    assert (merged["average_rank"].fillna(-1) == merged["average_rank_engine"].fillna(-1)).all()


def test_interval_contains_the_point_on_the_demo_data(demo):
    """On every column of the demo's latest period, lower <= position <= upper, and rarely by widening."""
    catalogue, bench = demo
    intervals = bootstrap_positions(bench.ranks, catalogue.indicators, catalogue.period_labels[-1]).intervals()
    positioned = intervals.dropna(subset=["position"])
    assert ((positioned["lower"] <= positioned["position"]) & (positioned["position"] <= positioned["upper"])).all()
    assert positioned["widened"].mean() < 0.05


@QUICK
@given(ranking_inputs(periods=(LATEST,)))
def test_interval_always_contains_the_point_estimate(inputs):
    """With missing values, ties and too little coverage, a positioned authority's interval holds its position."""
    values, indicators = inputs
    ranks = indicator_ranks(values, indicators)
    if ranks.empty:
        return
    intervals = bootstrap_positions(ranks, indicators, LATEST, n_replicates=60, seed=1).intervals()
    positioned = intervals.dropna(subset=["position"])
    assert ((positioned["lower"] <= positioned["position"]) & (positioned["position"] <= positioned["upper"])).all()
    assert ((positioned["lower"] >= 1) & (positioned["upper"] <= len(set(ranks["authority_code"])))).all()


def test_interval_narrows_when_indicators_are_duplicated():
    """Listing every indicator three times keeps the point and narrows the intervals."""
    single, single_indicators = latent_case(copies=1)
    triple, triple_indicators = latent_case(copies=3)
    once = bootstrap_positions(single, single_indicators, LATEST, seed=3).intervals()
    thrice = bootstrap_positions(triple, triple_indicators, LATEST, seed=3).intervals()
    key = ["theme", "authority_code"]
    assert once.set_index(key)["position"].equals(thrice.set_index(key).loc[once.set_index(key).index, "position"])
    for theme in (OVERALL, "Economy", "Transport"):
        assert widths(thrice, theme).sum() < widths(once, theme).sum(), theme
        assert (widths(thrice, theme) <= widths(once, theme) + 1).all(), theme


def test_duplicating_the_demo_basket_narrows_the_overall_intervals(demo):
    """On the demo data too, a doubled basket gives narrower Overall intervals in total."""
    catalogue, bench = demo
    period = catalogue.period_labels[-1]
    ranks = bench.ranks[bench.ranks["period"] == period]
    doubled = pd.concat([ranks, ranks.assign(indicator_id=ranks["indicator_id"] + "_copy")], ignore_index=True)
    indicators = pd.concat(
        [catalogue.indicators, catalogue.indicators.assign(id=catalogue.indicators["id"] + "_copy")], ignore_index=True
    )
    once = bootstrap_positions(ranks, catalogue.indicators, period, n_replicates=400).intervals()
    twice = bootstrap_positions(doubled, indicators, period, n_replicates=400).intervals()
    assert widths(twice).sum() < widths(once).sum()


@pytest.mark.parametrize(
    "table, expected",
    [
        # A is best on every indicator: 1st in every redraw
        (
            {"I1": {"A": 9, "B": 5, "C": 1}, "I2": {"A": 8, "B": 2, "C": 3}, "I3": {"A": 7, "B": 6, "C": 5}},
            {"A": (1, 1, 1)},
        ),
        # one indicator per theme: every redraw is the original basket
        ({"I1": {"A": 1, "B": 5, "C": 9}}, {"A": (3, 3, 3), "B": (2, 2, 2), "C": (1, 1, 1)}),
    ],
)
def test_settled_positions_have_a_single_place_interval(table, expected):
    """When no redraw can change the order, the interval is the point itself."""
    indicators = indicators_frame(list(table))
    ranks = indicator_ranks(values_frame(table), indicators)
    rows = bootstrap_positions(ranks, indicators, LATEST, n_replicates=200).intervals()
    rows = rows[rows["theme"] == OVERALL].set_index("authority_code")
    for code, (position, lower, upper) in expected.items():
        row = rows.loc[code]
        assert (row["position"], row["lower"], row["upper"]) == (position, lower, upper)


def test_draws_stay_within_each_theme():
    """Each replicate draws as many indicators per theme as the theme has, from that theme only."""
    ranks, indicators = latent_case(n_indicators=9)
    matrix = rank_matrix(ranks, indicators, LATEST)
    counts = draw_counts(matrix, 500, np.random.default_rng(0))
    for theme in range(len(matrix.theme_names)):
        in_theme = matrix.theme_of == theme
        assert (counts[:, in_theme].sum(axis=1) == in_theme.sum()).all()
    assert counts.min() >= 0 and (counts.mean(axis=0) == pytest.approx(1, abs=0.15))


# -- reproducibility ---------------------------------------------------------------------


def test_seeded_runs_are_reproducible():
    """The same seed gives identical replicates; another seed gives other replicates."""
    ranks, indicators = latent_case()
    first = bootstrap_positions(ranks, indicators, LATEST, n_replicates=300, seed=11)
    again = bootstrap_positions(ranks, indicators, LATEST, n_replicates=300, seed=11)
    other = bootstrap_positions(ranks, indicators, LATEST, n_replicates=300, seed=12)
    np.testing.assert_array_equal(first.replicates, again.replicates)
    assert first.intervals().equals(again.intervals())
    assert not np.array_equal(first.replicates, other.replicates, equal_nan=True)


def test_a_period_gives_the_same_interval_alone_or_with_the_others(demo):
    """Draws are seeded per period label, so running all periods changes no period's interval."""
    catalogue, bench = demo
    periods = catalogue.period_labels[-2:]
    together = position_intervals(bench.ranks, catalogue.indicators, periods, n_replicates=100, themes=[OVERALL])
    alone = position_intervals(bench.ranks, catalogue.indicators, periods[-1:], n_replicates=100, themes=[OVERALL])
    assert together[together["period"] == periods[-1]].reset_index(drop=True).equals(alone)


# -- reading the replicates ---------------------------------------------------------------


def test_ahead_shares_add_up_and_leave_out_the_focus(demo):
    """For each other authority, ahead + level + behind = 1, and the focus is not listed."""
    catalogue, bench = demo
    result = bootstrap_positions(bench.ranks, catalogue.indicators, catalogue.period_labels[-1], n_replicates=200)
    shares = ahead_shares(result, "E10000018", OVERALL)
    assert "E10000018" not in set(shares["authority_code"])
    assert len(shares) == len(result.authorities) - 1
    total = shares["ahead"] + shares["level_with"] + shares["behind"]
    assert np.allclose(total.dropna(), 1)
    with pytest.raises(UnknownAuthorityError, match="E99999999"):
        ahead_shares(result, "E99999999", OVERALL)


@pytest.mark.parametrize(
    "position, lower, upper, expected",
    [
        (3, 2, 6, "3rd of 32, likely between 2nd and 6th (90% interval)"),
        (1, 1, 1, "1st of 32, the same in at least 90% of redrawn indicator baskets"),
        (None, None, None, "no position"),
    ],
)
def test_interval_text_reads_as_a_sentence(position, lower, upper, expected):
    """The interval is written as '3rd, likely between 2nd and 6th'."""
    assert interval_text(position, lower, upper, 32) == expected


def test_interval_sentence_names_authority_theme_and_replicates():
    """The narrative sentence carries the name, theme, period and number of redraws."""
    row = {"position": 3, "lower": 2, "upper": 6, "n_positioned": 32, "level": 0.9}
    sentence = interval_sentence("Leicestershire", OVERALL, "2021/22", row, 1000)
    assert sentence == (
        "Leicestershire ranks 3rd of 32, likely between 2nd and 6th (90% interval) for overall "
        "performance in 2021/22, from 1,000 bootstrap redraws of the indicator basket."
    )


@pytest.mark.parametrize(
    "options, match",
    [
        ({"n_replicates": 0}, "n_replicates"),
        ({"level": 1.0}, "level"),
    ],
)
def test_bad_options_are_refused(options, match):
    """Zero replicates or a level outside (0, 1) raise BadArgumentError naming the option."""
    ranks, indicators = latent_case()
    with pytest.raises(BadArgumentError, match=match):
        bootstrap_positions(ranks, indicators, LATEST, **options)


def test_interval_chart_draws_a_rule_from_lower_to_upper_and_a_dot_at_the_position():
    """The chart spec: a rule layer over lower..upper, a point layer at the position, 1 on the left."""
    intervals = pd.DataFrame(
        {
            "name": ["Kent", "Leicestershire"],
            "position": [1, 2],
            "lower": [1, 1],
            "upper": [2, 4],
            "is_focus": [False, True],
            "share_positioned": [1.0, 1.0],
        }
    )
    spec = interval_chart(intervals, 32, "Overall position with its 90% interval", "sub").to_dict()
    rule, dot, _label = spec["layer"]
    assert rule["mark"]["type"] == "rule"
    assert (rule["encoding"]["x"]["field"], rule["encoding"]["x2"]["field"]) == ("lower", "upper")
    assert dot["encoding"]["x"]["field"] == "position"
    assert dot["encoding"]["x"]["scale"]["domain"] == [0.5, 32.5]
    assert spec["title"]["text"] == "Overall position with its 90% interval"


def test_interval_chart_reaches_the_furthest_end_of_every_interval():
    """An interval that ends past the authorities positioned (a redraw positions one more: Somerset CC's on
    Beyond ranks) is drawn whole: the axis runs to the whole rank at or after its end, and its ticks stop there."""
    n = 35
    intervals = pd.DataFrame(
        {
            "name": ["Kent", "Somerset CC"],
            "position": [1.0, 34.0],
            "lower": [1.0, 30.0],
            "upper": [3.0, 36.0],
            "is_focus": [False, False],
        }
    )
    spec = interval_chart(intervals, n, "t", "s").to_dict()
    rule, dot, _label = spec["layer"]
    furthest = intervals["upper"].max()
    for layer in (rule, dot):
        low, high = layer["encoding"]["x"]["scale"]["domain"]
        assert low <= intervals["lower"].min() and high >= furthest
    assert max(dot["encoding"]["x"]["axis"]["values"]) <= dot["encoding"]["x"]["scale"]["domain"][1]
    # without such an interval the axis is the positioned authorities' as before
    inside = interval_chart(intervals.assign(upper=[3.0, 35.0]), n, "t", "s").to_dict()
    assert inside["layer"][1]["encoding"]["x"]["scale"]["domain"] == [0.5, n + 0.5]
