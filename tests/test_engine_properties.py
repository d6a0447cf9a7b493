"""Property tests of the ranking rules on small random frames (hypothesis)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from engine_frames import (
    brute_force_min_rank,
    indicators_frame,
    ranking_inputs,
    reverse_polarities,
    values_frame,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarking.method.positions import OVERALL, positions
from benchmarking.method.ranking import TARGET_DISTANCE_DECIMALS, indicator_ranks

QUICK = settings(max_examples=50, deadline=None)


def best_first_key(value: float, polarity: str, midpoint: float) -> float:
    """Return the key a value is ranked on, by hand: smaller is better, NaN is not ranked."""
    if np.isnan(value) or polarity == "none":
        return np.nan
    if polarity == "target":
        return round(abs(value - midpoint), TARGET_DISTANCE_DECIMALS)
    return -value if polarity == "high" else value


def overall(ranks: pd.DataFrame, indicators: pd.DataFrame, **options) -> pd.DataFrame:
    """Return the Overall rows of ``positions``."""
    result = positions(ranks, indicators, **options)
    return result.loc[result["theme"] == OVERALL]


@QUICK
@given(ranking_inputs())
def test_ranks_lie_between_1_and_n_ranked(inputs):
    """Every rank is in 1..n_ranked, and n_ranked counts the values present."""
    values, indicators = inputs
    ranks = indicator_ranks(values, indicators)
    ranked = ranks.dropna(subset=["rank"])
    assert ((ranked["rank"] >= 1) & (ranked["rank"] <= ranked["n_ranked"])).all()
    present = ranks.groupby(["indicator_id", "period"])["value"].transform("count")
    assert (ranks["n_ranked"] == present).all()


@QUICK
@given(ranking_inputs())
def test_ties_share_the_lowest_rank(inputs):
    """Each rank is 1 + the number of strictly better values (the "min" method)."""
    values, indicators = inputs
    ranks = indicator_ranks(values, indicators)
    by_id = indicators.set_index("id")
    for (indicator_id, _period), rows in ranks.groupby(["indicator_id", "period"]):
        polarity, midpoint = by_id.loc[indicator_id, "polarity"], by_id.loc[indicator_id, "target_midpoint"]
        expected = brute_force_min_rank([best_first_key(value, polarity, midpoint) for value in rows["value"]])
        np.testing.assert_array_equal(rows["rank"].to_numpy(dtype=float, na_value=np.nan), expected)


@QUICK
@given(ranking_inputs(polarities=("high", "low"), distinct=True))
def test_reversing_polarity_reverses_the_order_of_distinct_values(inputs):
    """With distinct values, rank under the reversed polarity is n_ranked + 1 - rank."""
    values, indicators = inputs
    ranks = indicator_ranks(values, indicators)
    reversed_ranks = indicator_ranks(values, reverse_polarities(indicators))
    ranked = ranks["rank"].notna()
    np.testing.assert_array_equal(
        reversed_ranks.loc[ranked, "rank"].to_numpy(dtype=float),
        (ranks.loc[ranked, "n_ranked"] + 1 - ranks.loc[ranked, "rank"]).to_numpy(dtype=float),
    )


@QUICK
@given(ranking_inputs(), st.integers(0, 6))
def test_best_on_every_indicator_is_overall_first(inputs, which):
    """An authority ranked best on every indicator gets Overall position 1."""
    values, indicators = inputs
    authorities = sorted(values["authority_code"].unique())
    champion = authorities[which % len(authorities)]
    # Give the champion a value strictly better than anyone's on every indicator.
    by_id = indicators.set_index("id")
    best = []
    for indicator_id in values["indicator_id"]:
        polarity = by_id.loc[indicator_id, "polarity"]
        best.append(
            {"high": 100.0, "low": -100.0, "none": 0.0, "target": by_id.loc[indicator_id, "target_midpoint"]}[polarity]
        )
    values = values.assign(
        value=values["value"].where(values["authority_code"] != champion, pd.Series(best, index=values.index))
    )
    result = overall(indicator_ranks(values, indicators), indicators)
    champion_rows = result.loc[result["authority_code"] == champion]
    assert len(champion_rows) == result["period"].nunique()
    assert (champion_rows["position"] == 1).all()


@QUICK
@given(ranking_inputs(polarities=("high", "low"), missing=False, distinct=True))
def test_reversing_every_polarity_reverses_the_overall_order(inputs):
    """With complete distinct data, a better Overall average becomes a worse one reversed."""
    values, indicators = inputs
    before = overall(indicator_ranks(values, indicators), indicators)
    after = overall(indicator_ranks(values, reverse_polarities(indicators)), indicators)
    merged = before.merge(after, on=["period", "authority_code"], suffixes=("", "_reversed"))
    for _period, rows in merged.groupby("period"):
        n = len(rows)
        np.testing.assert_allclose(rows["average_rank_reversed"], n + 1 - rows["average_rank"])
        average, position = rows["average_rank"].to_numpy(), rows["position_reversed"].to_numpy()
        for i in range(n):
            for j in range(n):
                if average[i] < average[j] - 1e-9:
                    assert position[i] > position[j]


@QUICK
@given(ranking_inputs(), st.lists(st.one_of(st.none(), st.integers(0, 6)), min_size=8, max_size=8))
def test_adding_an_indicator_drops_no_authority(inputs, new_values):
    """A new indicator leaves the old ranks unchanged and every authority still listed."""
    values, indicators = inputs
    authorities = sorted(values["authority_code"].unique())
    extra = values_frame({"NEW": dict(zip(authorities, new_values))}, period="2021/22")
    more_indicators = pd.concat([indicators, indicators_frame(["NEW"])], ignore_index=True)
    ranks = indicator_ranks(values, indicators)
    more_ranks = indicator_ranks(pd.concat([values, extra], ignore_index=True), more_indicators)
    pd.testing.assert_frame_equal(ranks, more_ranks.iloc[: len(ranks)])
    keys = ["theme", "period", "authority_code"]
    before = positions(ranks, indicators)[keys].itertuples(index=False)
    after = positions(more_ranks, more_indicators)[keys].itertuples(index=False)
    assert set(before) <= set(after)


@QUICK
@given(ranking_inputs())
def test_positions_lie_between_1_and_n_positioned(inputs):
    """Positions run 1..n_positioned, and position 1 is taken whenever anyone is positioned."""
    values, indicators = inputs
    result = positions(indicator_ranks(values, indicators), indicators)
    positioned = result.dropna(subset=["position"])
    assert ((positioned["position"] >= 1) & (positioned["position"] <= positioned["n_positioned"])).all()
    firsts = positioned.groupby(["period", "theme"])["position"].min()
    assert (firsts == 1).all()
    assert (result["coverage"].between(0, 1)).all()
