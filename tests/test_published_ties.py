"""Equal published figures share a rank: ranks compare figures as published, not binary noise.

DfE's files carry text such as ``94.899999999999991`` for a published 94.9, so the store can
hold 95.30000000000001 beside 95.3; the method (step 1) says equal figures share the lower rank.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from engine_frames import indicators_frame, values_frame
from hypothesis import example, given, settings
from hypothesis import strategies as st

from benchmarking.method import sql
from benchmarking.method.figures import published, published_sql, with_published_sql
from benchmarking.method.ranking import indicator_ranks


def ranks_of(values: dict, polarity="high", target_midpoint=math.nan) -> dict:
    """Rank one indicator's ``{authority: value}`` and return ``{authority: rank}``."""
    indicators = indicators_frame({"I1": {"polarity": polarity, "target_midpoint": target_midpoint}})
    ranks = indicator_ranks(values_frame({"I1": values}), indicators)
    return {row.authority_code: int(row.rank) for row in ranks.itertuples()}


@pytest.mark.parametrize(
    "polarity,target_midpoint,values,expected",
    [
        # the stored pairs of the shipped store (Surrey and Hertfordshire, 2022/23)
        ("high", math.nan, {"A": 95.30000000000001, "B": 95.3, "C": 96.7, "D": 95.2}, {"C": 1, "A": 2, "B": 2, "D": 4}),
        ("high", math.nan, {"A": 95.19999999999999, "B": 95.2, "C": 95.3}, {"C": 1, "A": 2, "B": 2}),
        # DfE's text, parsed
        ("low", math.nan, {"A": float("94.899999999999991"), "B": 94.9, "C": 1.0}, {"C": 1, "A": 2, "B": 2}),
        # a target's distance from noisy figures
        ("target", 95.0, {"A": 95.30000000000001, "B": 95.3, "C": 94.7, "D": 99.0}, {"A": 1, "B": 1, "C": 1, "D": 4}),
    ],
)
def test_noisy_copies_of_one_published_figure_share_a_rank(polarity, target_midpoint, values, expected):
    assert ranks_of(values, polarity, target_midpoint) == expected


def test_what_a_subtraction_leaves_of_zero_is_zero():
    assert ranks_of({"A": 0.1 + 0.2 - 0.3, "B": 0.0, "C": -1.0}) == {"A": 1, "B": 1, "C": 3}


@pytest.mark.parametrize(
    "values,expected",
    [
        ({"A": 0.0002, "B": 0.0001}, {"A": 1, "B": 2}),
        ({"A": 1e6 + 1, "B": 1e6}, {"A": 1, "B": 2}),
        ({"A": 123456.789012, "B": 123456.789011}, {"A": 1, "B": 2}),  # differ in the 12th figure
        ({"A": 2e-10, "B": 1e-10}, {"A": 1, "B": 2}),
        ({"A": 1e34 + 2**64, "B": 1e34}, {"A": 1, "B": 2}),  # beyond the rounding: as stored
        ({"A": 0.0, "B": -0.0001}, {"A": 1, "B": 2}),
    ],
)
def test_genuinely_different_figures_stay_apart(values, expected):
    assert ranks_of(values) == expected


# A published figure: up to nine digits, up to six decimals, either sign.
published_figures = st.builds(
    lambda digits, places, sign: sign * digits / 10**places,
    st.integers(0, 999_999_999),
    st.integers(0, 6),
    st.sampled_from([1, -1]),
)


def _noisy(figure: float, how: int) -> float:
    """Return ``figure`` as a source's text or arithmetic might carry it: a few ulps off."""
    if how == 0:
        return float(np.nextafter(figure, math.inf))
    if how == 1:
        return float(np.nextafter(np.nextafter(figure, -math.inf), -math.inf))
    if how == 2:
        return float(f"{figure:.17g}")
    if how == 3:
        return figure / 3 + figure / 3 + figure / 3
    return figure * 0.1 / 0.7 * 7


@settings(max_examples=300, deadline=None)
@given(published_figures, published_figures, st.integers(0, 4))
def test_rounding_noise_never_splits_a_tie(figure, other, how):
    """A figure and a noisy copy always share a rank, whatever else is ranked beside them."""
    noisy = _noisy(figure, how)
    ranks = ranks_of({"A": figure, "B": noisy, "C": other})
    assert ranks["A"] == ranks["B"]
    if other != figure:  # and a different published figure never joins them
        assert ranks["C"] != ranks["A"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=1, max_size=20))
@example([999.9999999999999, 1000.0, 0.30000000000000004, 1e-11, 9.999999999999999e-12, 1e33, 1e34, -0.0, 5e-324])
def test_sql_and_numpy_round_to_the_same_published_figure(numbers):
    """``published_sql``, ``with_published_sql`` (the ranks) and ``published`` (numpy users) are one rule."""
    values = np.array(numbers, dtype=float)
    t = {"t": sql.arrow_table({"v": values, "row": np.arange(len(values))})}
    table = sql.run(f"SELECT {published_sql('v')} AS p FROM t", t)
    np.testing.assert_array_equal(sql.numbers(table, "p"), published(values))
    stepped = sql.run(f"SELECT * FROM ({with_published_sql('t', 'v', 'p')}) ORDER BY row", t)
    assert stepped.column_names == ["v", "row", "p"]  # the scale's working columns are not left behind
    np.testing.assert_array_equal(sql.numbers(stepped, "p"), published(values))


def test_every_noisy_tie_in_the_shipped_store_shares_one_rank(shipped_store_path):
    """On the shipped real store, every indicator x period whose figures are equal as published
    but not as stored (DfE's Ofsted shares) gives them one rank, among all authorities."""
    from benchmarking.store import Store

    store = Store(shipped_store_path)
    ranks = indicator_ranks(store.values(), store.indicators()).dropna(subset=["rank"])
    ranks = ranks.assign(figure=published(ranks["value"]))
    groups = ranks.groupby(["indicator_id", "period", "figure"])
    noisy = groups["value"].nunique() > 1
    assert noisy.sum() > 0, "the shipped store has no noisy ties left to check"
    assert (groups["rank"].nunique()[noisy] == 1).all()
    # and no two different published figures share a rank
    assert (ranks.groupby(["indicator_id", "period", "rank"])["figure"].nunique() == 1).all()
    assert pd.api.types.is_integer_dtype(ranks["rank"])
