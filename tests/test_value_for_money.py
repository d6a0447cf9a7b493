"""Value for money: the efficiency frontier, its gaps, the regression and the performance score."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from engine_frames import LATEST, indicators_frame, values_frame
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarking.charts import frontier_chart
from benchmarking.errors import TooFewAuthoritiesError
from benchmarking.method.positions import OVERALL
from benchmarking.method.value_for_money import (
    AS_PREDICTED,
    BETTER,
    efficiency_frontier,
    frontier_line,
    performance_scores,
    spend_deprivation_regression,
    value_for_money_table,
)
from benchmarking.service.benchmark import comparator_group, compute
from benchmarking.service.catalogue import load_catalogue
from benchmarking.store import Store

# Spend per head (£) and performance (higher = better), small enough to draw on paper:
#   F  90 0.0   cheapest of all                         -> frontier
#   A 100 1.0   nobody as good for less                 -> frontier
#   D 120 0.5   A is better and cheaper                 -> gaps: spend 120-100=20, performance 1.0-0.5=0.5
#   B 150 2.0   the best performance                    -> frontier
#   E 150 2.0   B's twin: neither beats the other       -> frontier
#   C 200 1.5   B (and E) better and cheaper            -> gaps: spend 200-150=50, performance 2.0-1.5=0.5
HAND = pd.DataFrame(
    {
        "authority_code": ["A", "B", "C", "D", "E", "F"],
        "spend_per_head": [100.0, 150.0, 200.0, 120.0, 150.0, 90.0],
        "performance_score": [1.0, 2.0, 1.5, 0.5, 2.0, 0.0],
    }
)


@pytest.mark.parametrize(
    "code, on_frontier, spend_gap, performance_gap, dominated_by",
    [
        ("F", True, 0, 0, 0),
        ("A", True, 0, 0, 0),
        ("D", False, 20, 0.5, 1),
        ("B", True, 0, 0, 0),
        ("E", True, 0, 0, 0),
        ("C", False, 50, 0.5, 2),
    ],
)
def test_frontier_on_the_hand_built_case(code, on_frontier, spend_gap, performance_gap, dominated_by):
    """Frontier membership, gaps and dominance counts match the hand-worked table."""
    row = efficiency_frontier(HAND).set_index("authority_code").loc[code]
    assert row["on_frontier"] == on_frontier
    assert row["spend_gap"] == pytest.approx(spend_gap)
    assert row["performance_gap"] == pytest.approx(performance_gap)
    assert row["dominated_by"] == dominated_by


def test_benchmark_is_the_cheapest_authority_performing_at_least_as_well():
    """C's benchmark spends £150 with performance 2.0 (B, the first of the twins)."""
    frame = efficiency_frontier(HAND).set_index("authority_code")
    assert frame.loc["C", "benchmark_code"] == "B"
    assert frame.loc["D", "benchmark_code"] == "A"
    assert frame.loc["A", "benchmark_code"] == "A"


def test_frontier_line_runs_in_order_of_spend():
    """The staircase visits F, A, then the twins B and E at £150."""
    line = frontier_line(efficiency_frontier(HAND))
    assert list(line["authority_code"]) == ["F", "A", "B", "E"]


def test_rows_without_spend_or_performance_are_left_out():
    """An authority lacking either figure is not on, nor measured against, the frontier."""
    frame = pd.concat(
        [HAND, pd.DataFrame({"authority_code": ["G"], "spend_per_head": [np.nan], "performance_score": [9.0]})],
        ignore_index=True,
    )
    assert "G" not in set(efficiency_frontier(frame)["authority_code"])


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(50, 60), st.integers(0, 5)), min_size=1, max_size=12))
def test_frontier_properties(points):
    """Someone is always on the frontier; gaps are >= 0 and 0 exactly on it; no frontier member is dominated."""
    frame = pd.DataFrame(
        {
            "authority_code": [f"A{i}" for i in range(len(points))],
            "spend_per_head": [float(s) for s, _ in points],
            "performance_score": [float(p) for _, p in points],
        }
    )
    result = efficiency_frontier(frame)
    assert result["on_frontier"].any()
    assert (result["spend_gap"] >= 0).all() and (result["performance_gap"] >= 0).all()
    on = result[result["on_frontier"]]
    assert (on["spend_gap"] == 0).all() and (on["performance_gap"] == 0).all()
    off = result[~result["on_frontier"]]
    assert ((off["spend_gap"] > 0) | (off["performance_gap"] > 0)).all()
    assert (off["dominated_by"] >= 1).all()


# -- regression ------------------------------------------------------------------------------


def regression_case(extra: float = 0.0) -> pd.DataFrame:
    """Performance = 1 + 0.002 x spend - 0.05 x deprivation exactly; authority A6 gets ``extra``."""
    spend = np.array([500, 600, 700, 800, 900, 1000, 650, 750.0])
    deprivation = np.array([10, 25, 15, 30, 5, 20, 12, 18.0])
    performance = 1 + 0.002 * spend - 0.05 * deprivation
    performance[6] += extra
    return pd.DataFrame(
        {
            "authority_code": [f"A{i}" for i in range(8)],
            "spend_per_head": spend,
            "deprivation": deprivation,
            "performance_score": performance,
        }
    )


def test_regression_recovers_exact_coefficients():
    """On noiseless data the fit returns the generating coefficients and R² = 1."""
    fitted, regression = spend_deprivation_regression(regression_case())
    estimates = dict(zip(regression.coefficients["term"], regression.coefficients["estimate"]))
    assert estimates == pytest.approx({"intercept": 1.0, "spend_per_head": 0.002, "deprivation": -0.05})
    assert regression.r_squared == pytest.approx(1.0)
    assert np.abs(fitted["residual"]).max() < 1e-9
    assert regression.n == 8


def test_an_authority_above_the_fit_performs_better_than_predicted():
    """Raising one authority's performance gives it the largest positive residual and the 'better' verdict."""
    fitted, _regression = spend_deprivation_regression(regression_case(extra=0.5))
    top = fitted.sort_values("residual").iloc[-1]
    assert top["authority_code"] == "A6"
    assert top["residual"] > 0 and top["verdict"] == BETTER
    assert fitted["residual"].sum() == pytest.approx(0, abs=1e-9)
    assert (fitted.drop(index=top.name)["verdict"] == AS_PREDICTED).all()
    assert fitted["residual"].to_numpy() == pytest.approx(
        (fitted["performance_score"] - fitted["predicted"]).to_numpy()
    )


def test_too_few_authorities_for_a_regression_is_explained():
    """Four authorities cannot support a three-term fit with a residual spread."""
    with pytest.raises(TooFewAuthoritiesError, match="at least 5"):
        spend_deprivation_regression(regression_case().head(4))
    table, regression = value_for_money_table(
        regression_case().head(4)[["authority_code", "performance_score"]], regression_case().head(4)
    )
    assert regression is None and table["residual"].isna().all()
    assert table["on_frontier"].any()


# -- performance score -------------------------------------------------------------------------


def test_performance_score_turns_every_polarity_the_right_way_up():
    """On each indicator A is best (high: biggest, low: smallest, target: nearest 50): A scores highest."""
    indicators = indicators_frame(
        {
            "H": {"polarity": "high"},
            "L": {"polarity": "low"},
            "T": {"polarity": "target", "target_midpoint": 50.0},
            "N": {"polarity": "none"},
        }
    )
    values = values_frame(
        {
            "H": {"A": 9, "B": 5, "C": 1},
            "L": {"A": 1, "B": 5, "C": 9},
            "T": {"A": 50, "B": 40, "C": 20},
            "N": {"A": 0, "B": 100, "C": 50},
        }
    )
    scores = performance_scores(values, indicators, LATEST).set_index("authority_code")
    assert list(scores.index) == ["A", "B", "C"]
    assert scores.loc["A", "n_available"] == 3  # the context-only indicator is left out
    # H and L are symmetric: z = +-1.2247 each; T distances 0, 10, 30 -> z 1.069, 0.267, -1.336
    h = (9 - 5) / np.std([9, 5, 1])
    t = (-0 - (-40 / 3)) / np.std([0, -10, -30])
    assert scores.loc["A", "performance_score"] == pytest.approx((2 * h + t) / 3)


def test_performance_score_needs_half_the_indicators():
    """An authority with a value on one of three scored indicators gets no score (coverage below 50%)."""
    indicators = indicators_frame(["I1", "I2", "I3"])
    values = values_frame(
        {
            "I1": {"A": 1, "B": 2, "C": 3, "D": 4},
            "I2": {"A": None, "B": 2, "C": 3, "D": 1},
            "I3": {"A": None, "B": 1, "C": 3, "D": 2},
        }
    )
    scores = performance_scores(values, indicators, LATEST).set_index("authority_code")
    assert math.isnan(scores.loc["A", "performance_score"])
    assert scores.loc["A", "coverage"] == pytest.approx(1 / 3)
    assert scores["performance_score"].notna().sum() == 3


def test_demo_scores_agree_with_the_engine_order(demo_store_path):
    """On the demo, the value-based score and the engine's average rank tell much the same story."""
    catalogue = load_catalogue(Store(demo_store_path))
    bench = compute(catalogue, comparator_group(catalogue, "all"))
    period = catalogue.period_labels[-1]
    scores = performance_scores(catalogue.values, catalogue.indicators, period, OVERALL)
    engine = bench.positions[(bench.positions["period"] == period) & (bench.positions["theme"] == OVERALL)]
    both = scores.merge(engine, on="authority_code")
    assert len(both) == 32
    assert both["performance_score"].corr(both["average_rank"], method="spearman") < -0.9


def test_frontier_chart_draws_the_staircase_through_the_frontier():
    """The chart spec: a step-after line through F, A, B, E and points for every authority, £ on x."""
    table = efficiency_frontier(HAND)
    table = table.assign(name=table["authority_code"], is_focus=table["authority_code"] == "C")
    spec = frontier_chart(table, frontier_line(table), "Performance against spend", "sub").to_dict()
    step, points, _labels = spec["layer"]
    assert step["mark"]["type"] == "line" and step["mark"]["interpolate"] == "step-after"
    assert [row["authority_code"] for row in spec["datasets"][step["data"]["name"]]] == ["F", "A", "B", "E"]
    assert points["encoding"]["x"]["field"] == "spend_per_head"
    assert points["encoding"]["y"]["field"] == "performance_score"
    groups = {row["authority_code"]: row["group"] for row in spec["datasets"][points["data"]["name"]]}
    assert groups["C"] == "Focus authority" and groups["A"] == "On the frontier" and groups["D"] == "Other authorities"
