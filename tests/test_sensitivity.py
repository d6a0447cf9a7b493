"""Theme weights and leave-one-theme-out: equal weights are the engine's default exactly."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from engine_frames import LATEST, WORKED, WORKED_INDICATORS, ranking_inputs, values_frame
from hypothesis import given, settings

from benchmarking.charts import theme_weights_chart
from benchmarking.errors import BadPeriodError, BadWeightsError, UnknownThemeError
from benchmarking.method.positions import LA_CORE, OVERALL, positions
from benchmarking.method.ranking import indicator_ranks, min_rank_rows
from benchmarking.method.sensitivity import (
    effective_theme_shares,
    leave_one_theme_out,
    rank_matrix,
    theme_weighted_positions,
    weighted_positions,
)
from benchmarking.service.benchmark import comparator_group, compute
from benchmarking.service.catalogue import load_catalogue
from benchmarking.store import Store

# Four authorities, 'low' polarity so each value is its rank (as in test_positions).
#   Economy (core):       E1 A1 B2 C3 D4   E2 A2 B1 C4 D3  -> sums A3 B3 C7 D7
#   Transport (not core): T1 A4 B3 C1 D2   T2 A4 B3 C2 D1  -> sums A8 B6 C3 D3
#   Overall (equal):      A 11/4=2.75, B 9/4=2.25, C 10/4=2.5, D 10/4=2.5 -> B 1, C 2, D 2, A 4
#   Economy x3:           A (9+8)/8=2.125, B (9+6)/8=1.875, C (21+3)/8=3, D 3 -> B 1, A 2, C 3, D 3
# (the values: WORKED and WORKED_INDICATORS in engine_frames.py)


def worked_ranks() -> pd.DataFrame:
    return indicator_ranks(values_frame(WORKED), WORKED_INDICATORS)


def overall_positions(frame: pd.DataFrame, theme: str = OVERALL) -> dict:
    rows = frame.loc[frame["theme"] == theme]
    return {row.authority_code: None if pd.isna(row.position) else int(row.position) for row in rows.itertuples()}


@pytest.fixture(scope="module")
def demo(demo_store_path):
    """The demo catalogue and its benchmark among all authorities."""
    catalogue = load_catalogue(Store(demo_store_path))
    return catalogue, compute(catalogue, comparator_group(catalogue, "all"))


# -- equal weights are the engine's default ----------------------------------------------


@pytest.mark.parametrize("weight", [1.0, 0.7, 2.5])
def test_equal_theme_weights_reproduce_the_engine_overall_and_core_exactly(demo, weight):
    """Any common weight gives the engine's Overall and LA Core positions and average ranks, every period."""
    catalogue, bench = demo
    for period in catalogue.period_labels:
        weights = dict.fromkeys(catalogue.themes, weight)
        result = theme_weighted_positions(bench.ranks, catalogue.indicators, period, weights)
        engine = bench.positions[bench.positions["period"] == period]
        for theme in (OVERALL, LA_CORE):
            mine = result[result["theme"] == theme].set_index("authority_code")
            theirs = engine[engine["theme"] == theme].set_index("authority_code").loc[mine.index]
            assert mine["position"].equals(theirs["position"]), (period, theme)
            assert (mine["average_rank"].to_numpy() == theirs["average_rank"].to_numpy()).all()
            assert (mine["change"] == 0).all()


def test_unit_weights_reproduce_every_theme_position_of_the_engine(demo):
    """The rank matrix with unit weights gives the engine's positions on every column, bit for bit."""
    catalogue, bench = demo
    period = catalogue.period_labels[-1]
    matrix = rank_matrix(bench.ranks, catalogue.indicators, period)
    average, position = weighted_positions(matrix, np.ones((1, matrix.n_indicators)))
    engine = bench.positions[bench.positions["period"] == period]
    for c, column in enumerate(matrix.columns):
        theirs = engine[engine["theme"] == column].set_index("authority_code").loc[matrix.authorities]
        np.testing.assert_array_equal(position[0, :, c], theirs["position"].to_numpy(dtype=float, na_value=np.nan))
        np.testing.assert_array_equal(average[0, :, c], theirs["average_rank"].to_numpy())


def test_unit_weights_reproduce_the_engine_with_scaled_ranks(demo):
    """With ranks stretched to the group size, unit weights still give the engine's positions."""
    catalogue, _ = demo
    bench = compute(catalogue, comparator_group(catalogue, "all"), scaled=True)
    period = catalogue.period_labels[-1]
    matrix = rank_matrix(bench.ranks, catalogue.indicators, period, scaled=True)
    average, position = weighted_positions(matrix, np.ones((1, matrix.n_indicators)))
    engine = bench.positions[bench.positions["period"] == period]
    for c, column in enumerate(matrix.columns):
        theirs = engine[engine["theme"] == column].set_index("authority_code").loc[matrix.authorities]
        np.testing.assert_array_equal(position[0, :, c], theirs["position"].to_numpy(dtype=float, na_value=np.nan))
        np.testing.assert_allclose(average[0, :, c], theirs["average_rank"].to_numpy(), rtol=1e-12)


@settings(max_examples=40, deadline=None)
@given(ranking_inputs(periods=(LATEST,)))
def test_equal_weights_match_the_engine_on_random_frames(inputs):
    """With missing values, ties and the coverage rule, unit weights give the engine's Overall."""
    values, indicators = inputs
    ranks = indicator_ranks(values, indicators)
    if ranks.empty or not (ranks["n_ranked"] > 0).any():
        return
    result = theme_weighted_positions(ranks, indicators, LATEST, {})
    engine = positions(ranks, indicators)
    for theme in set(result["theme"]):
        assert overall_positions(result, theme) == overall_positions(engine, theme)


# -- weights worked by hand --------------------------------------------------------------


@pytest.mark.parametrize(
    "weights, expected",
    [
        # equal weights: the engine's Overall (B 1, C 2, D 2, A 4)
        ({}, {"A": 4, "B": 1, "C": 2, "D": 2}),
        ({"Economy": 2, "Transport": 2}, {"A": 4, "B": 1, "C": 2, "D": 2}),
        # Economy three times Transport: B 1.875, A 2.125, C 3, D 3
        ({"Economy": 3}, {"A": 2, "B": 1, "C": 3, "D": 3}),
        # Transport only: C and D 1.5, B 3, A 4 (Economy drops out of coverage too)
        ({"Economy": 0}, {"A": 4, "B": 3, "C": 1, "D": 1}),
    ],
)
def test_theme_weights_worked_by_hand(weights, expected):
    """Weighted Overall positions on the four-authority case match the hand-worked sums."""
    result = theme_weighted_positions(worked_ranks(), WORKED_INDICATORS, LATEST, weights)
    assert overall_positions(result) == expected


def test_change_is_default_minus_weighted_position():
    """A positive change means the authority climbs under the weights."""
    result = theme_weighted_positions(worked_ranks(), WORKED_INDICATORS, LATEST, {"Economy": 3})
    row = result[(result["theme"] == OVERALL) & (result["authority_code"] == "A")].iloc[0]
    assert (row["default_position"], row["position"], row["change"]) == (4, 2, 2)


def test_leave_one_theme_out_equals_the_engine_without_that_theme(demo):
    """Each left-out row equals positions() computed on the ranks of the other themes only."""
    catalogue, bench = demo
    period = catalogue.period_labels[-1]
    result = leave_one_theme_out(bench.ranks, catalogue.indicators, period)
    assert set(result["left_out"]) == set(catalogue.themes)
    for theme in catalogue.themes[:4]:
        kept = catalogue.indicators.loc[catalogue.indicators["theme"] != theme, "id"]
        ranks = bench.ranks[(bench.ranks["period"] == period) & bench.ranks["indicator_id"].isin(kept)]
        engine = positions(ranks, catalogue.indicators)
        assert overall_positions(result[result["left_out"] == theme]) == overall_positions(engine), theme


def test_effective_shares_count_indicators_times_weight():
    """Shares are weight x indicators over the total; equal weights follow the indicator counts."""
    shares = effective_theme_shares(worked_ranks(), WORKED_INDICATORS, LATEST, {"Economy": 3})
    assert dict(zip(shares["theme"], shares["share"])) == pytest.approx({"Economy": 0.75, "Transport": 0.25})
    assert shares["n_indicators"].tolist() == [2, 2]


# -- the ranking rule and errors ---------------------------------------------------------


@pytest.mark.parametrize(
    "row, expected",
    [
        ([3.0, 1.0, 2.0], [3, 1, 2]),
        # ties share the lowest rank
        ([2.0, 1.0, 2.0, 5.0], [2, 1, 2, 4]),
        # missing keys stay missing and take no place
        ([np.nan, 1.0, 1.0], [np.nan, 1, 1]),
    ],
)
def test_min_rank_rows_follows_the_engine_rule(row, expected):
    """Ranks within a row are "min" ranks; NaN is not ranked."""
    np.testing.assert_array_equal(min_rank_rows(np.array([row]))[0], np.array(expected, dtype=float))


@pytest.mark.parametrize(
    "weights, error, match",
    [
        ({"Nowhere": 1}, UnknownThemeError, "Nowhere"),
        ({"Economy": -1}, BadWeightsError, ">= 0"),
        ({"Economy": 0, "Transport": 0}, BadWeightsError, "every theme is weighted 0"),
    ],
)
def test_bad_weights_are_refused_with_a_clear_message(weights, error, match):
    """Unknown themes, negative weights and all-zero weights raise errors naming the problem."""
    with pytest.raises(error, match=match):
        theme_weighted_positions(worked_ranks(), WORKED_INDICATORS, LATEST, weights)


def test_unknown_period_names_the_periods_held():
    """A period the ranks lack raises BadPeriodError listing the periods held."""
    with pytest.raises(BadPeriodError, match="2021/22"):
        theme_weighted_positions(worked_ranks(), WORKED_INDICATORS, "1999/00", {})


def test_theme_weights_chart_shows_each_themes_share():
    """The chart spec: bars of share by theme, labelled with weight and indicator count."""
    shares = effective_theme_shares(worked_ranks(), WORKED_INDICATORS, LATEST, {"Economy": 3})
    spec = theme_weights_chart(shares, "Each theme's share", "sub").to_dict()
    bars, _text = spec["layer"]
    assert bars["mark"]["type"] == "bar"
    assert (bars["encoding"]["x"]["field"], bars["encoding"]["y"]["field"]) == ("share", "theme")
    data = next(iter(spec["datasets"].values()))
    assert {row["label"] for row in data} == {"75% (weight 3 × 2 indicators)", "25% (weight 1 × 2 indicators)"}
