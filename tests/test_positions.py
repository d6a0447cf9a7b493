"""Theme, Overall and LA Core average ranks and positions, worked by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from engine_frames import WORKED, WORKED_INDICATORS, indicators_frame, values_frame, values_over_periods

from benchmarking.errors import BadArgumentError, UnknownIndicatorError, UnknownThemeError
from benchmarking.method.positions import (
    LA_CORE,
    OVERALL,
    POSITION_COLUMNS,
    average_rank_key,
    position_of_average_rank,
    positions,
    positions_along_axis,
    scaled_ranks,
    trend,
)
from benchmarking.method.ranking import indicator_ranks

NA = None

# Four authorities, 'low' polarity so each value is its rank.
#   Economy (core):       E1 A1 B2 C3 D4   E2 A2 B1 C4 D3  -> averages 1.5 1.5 3.5 3.5
#   Transport (not core): T1 A4 B3 C1 D2   T2 A4 B3 C2 D1  -> averages 4   3   1.5 1.5
#   Overall: A 2.75, B 2.25, C 2.5, D 2.5;  LA Core = Economy
# (the values: WORKED and WORKED_INDICATORS in engine_frames.py)


def positions_of(table, indicators, theme, **options) -> dict:
    """Return ``{authority: (average_rank, position or None)}`` for one theme, latest period."""
    ranks = indicator_ranks(values_frame(table), indicators)
    result = positions(ranks, indicators, **options)
    rows = result.loc[result["theme"] == theme]
    return {
        row.authority_code: (row.average_rank, None if pd.isna(row.position) else int(row.position))
        for row in rows.itertuples()
    }


@pytest.mark.parametrize(
    "theme,expected",
    [
        ("Economy", {"A": (1.5, 1), "B": (1.5, 1), "C": (3.5, 3), "D": (3.5, 3)}),
        ("Transport", {"A": (4.0, 4), "B": (3.0, 3), "C": (1.5, 1), "D": (1.5, 1)}),
        (OVERALL, {"A": (2.75, 4), "B": (2.25, 1), "C": (2.5, 2), "D": (2.5, 2)}),
        (LA_CORE, {"A": (1.5, 1), "B": (1.5, 1), "C": (3.5, 3), "D": (3.5, 3)}),
    ],
)
def test_worked_positions(theme, expected):
    """Theme, Overall and LA Core positions rank the average rank, ties sharing the lowest."""
    assert positions_of(WORKED, WORKED_INDICATORS, theme) == expected


def test_output_columns_and_order():
    """One row per theme x authority with the documented columns, Overall first."""
    ranks = indicator_ranks(values_frame(WORKED), WORKED_INDICATORS)
    result = positions(ranks, WORKED_INDICATORS)
    assert list(result.columns) == [POSITION_COLUMNS[0], "period_start", *POSITION_COLUMNS[1:]]
    assert result["theme"].unique().tolist() == [OVERALL, LA_CORE, "Economy", "Transport"]
    assert result.loc[result["theme"] == OVERALL, "authority_code"].tolist() == ["B", "C", "D", "A"]
    assert set(result["n_positioned"]) == {4}
    assert set(result["n_available"]) == {2, 4}


def test_no_core_indicators_means_no_la_core_rows():
    """Without any is_core indicator there is nothing to average for LA Core."""
    indicators = WORKED_INDICATORS.assign(is_core=False)
    ranks = indicator_ranks(values_frame(WORKED), indicators)
    assert LA_CORE not in set(positions(ranks, indicators)["theme"])


# Coverage: three Economy indicators; B lacks one (2/3), C lacks two (1/3), D has none.
COVERAGE = {
    "E1": {"A": 1, "B": 2, "C": 3, "D": None},
    "E2": {"A": 1, "B": None, "C": None, "D": None},
    "E3": {"A": 2, "B": 1, "C": None, "D": None},
    "E4": {"A": None, "B": None, "C": None, "D": None},  # ranked for nobody: not available
}


@pytest.mark.parametrize(
    "min_coverage,expected",
    [
        # averages: A (1+1+2)/3, B (2+1)/2, C 3/1; D has no rank at all
        (0.5, {"A": (4 / 3, 1), "B": (1.5, 2), "C": (3.0, None), "D": (None, None)}),
        (0.0, {"A": (4 / 3, 1), "B": (1.5, 2), "C": (3.0, 3), "D": (None, None)}),
        (2 / 3, {"A": (4 / 3, 1), "B": (1.5, 2), "C": (3.0, None), "D": (None, None)}),
        (1.0, {"A": (4 / 3, 1), "B": (1.5, None), "C": (3.0, None), "D": (None, None)}),
    ],
)
def test_coverage_threshold(min_coverage, expected):
    """Below min_coverage of the theme's ranked indicators an authority gets no position."""
    indicators = indicators_frame(list(COVERAGE), polarity="low")
    got = positions_of(COVERAGE, indicators, "Economy", min_coverage=min_coverage)
    got = {
        code: (None if math.isnan(average) else pytest.approx(average), position)
        for code, (average, position) in got.items()
    }
    assert got == expected


def test_coverage_counts_available_indicators_only():
    """n_available leaves out an indicator nobody has data for; coverage divides by it."""
    indicators = indicators_frame(list(COVERAGE), polarity="low")
    result = positions(indicator_ranks(values_frame(COVERAGE), indicators), indicators)
    economy = result.loc[result["theme"] == "Economy"].set_index("authority_code")
    assert economy["n_available"].tolist() == [3, 3, 3, 3]
    assert economy.loc[["A", "B", "C", "D"], "n_indicators"].tolist() == [3, 2, 1, 0]
    assert economy.loc["B", "coverage"] == pytest.approx(2 / 3)
    assert economy["n_positioned"].iloc[0] == 2


@pytest.mark.parametrize(
    "rank,n_ranked,n_group,expected",
    [
        (1, 4, 4, 1.0),
        (4, 4, 4, 4.0),  # full coverage: unchanged
        (1, 2, 4, 1.0),
        (2, 2, 4, 4.0),  # two ranked, stretched to 1..4
        (2, 3, 5, 3.0),  # the middle of three is the middle of five
        (1, 1, 4, 2.5),  # only one ranked: the middle, (N + 1) / 2
    ],
)
def test_scaled_ranks(rank, n_ranked, n_group, expected):
    """scaled = 1 + (rank - 1) * (N - 1) / (n_ranked - 1); n_ranked 1 -> (N + 1) / 2."""
    assert scaled_ranks(np.array([rank]), np.array([n_ranked]), n_group)[0] == expected


# I2 is reported by B and C only. Plain ranks tie B and C at 2; scaled, C's 1st place
# on I2 counts as 1 and B's 2nd as 4, so C (2.0) moves ahead of B (3.0).
SCALED = {
    "I1": {"A": 1, "B": 2, "C": 3, "D": 4},
    "I2": {"A": None, "B": 2, "C": 1, "D": None},
}


@pytest.mark.parametrize(
    "scaled,expected",
    [
        (False, {"A": (1.0, 1), "B": (2.0, 2), "C": (2.0, 2), "D": (4.0, 4)}),
        (True, {"A": (1.0, 1), "B": (3.0, 3), "C": (2.0, 2), "D": (4.0, 4)}),
    ],
)
def test_scaled_ranks_change_positions(scaled, expected):
    """Scaled ranks weigh a place among few reporters as a place among the whole group."""
    indicators = indicators_frame(list(SCALED), polarity="low")
    assert positions_of(SCALED, indicators, "Economy", scaled=scaled) == expected


def test_n_group_sets_the_scale():
    """An explicit n_group stretches to that size instead of the authorities present."""
    indicators = indicators_frame(["I1"], polarity="low")
    ranks = indicator_ranks(values_frame({"I1": {"A": 1, "B": 2}}), indicators)
    result = positions(ranks, indicators, scaled=True, n_group=5)
    overall = result.loc[result["theme"] == OVERALL]
    assert overall["average_rank"].tolist() == [1.0, 5.0]


def test_authority_with_only_missing_values_is_listed_without_position():
    """An authority present only with missing values still gets a row, with no position."""
    indicators = indicators_frame(["I1"], polarity="low")
    ranks = indicator_ranks(values_frame({"I1": {"A": 1, "B": None}}), indicators)
    overall = positions(ranks, indicators).query("theme == @OVERALL").set_index("authority_code")
    assert overall.loc["B", "n_indicators"] == 0 and pd.isna(overall.loc["B", "position"])


HISTORY = {
    "2020/21": {"E1": {"A": 1, "B": 2, "C": 3}},
    "2019/20": {"E1": {"A": 3, "B": 2, "C": 1}},
    "2021/22": {"E1": {"A": 2, "B": 1, "C": 3}, "T1": {"A": 1, "B": 2, "C": 3}},
}


def test_trend_covers_every_period_chronologically():
    """trend gives each period's positions in one call, earliest period first."""
    indicators = indicators_frame({"E1": {}, "T1": {"theme": "Transport"}}, polarity="low")
    ranks = indicator_ranks(values_over_periods(HISTORY), indicators)
    result = trend(ranks, indicators, themes=[OVERALL])
    assert result["period"].unique().tolist() == ["2019/20", "2020/21", "2021/22"]
    by_period = result.pivot(index="authority_code", columns="period", values="position")
    assert by_period.loc["A"].tolist() == [3, 1, 1]  # 2021/22: A (2+1)/2 = B (1+2)/2
    assert by_period.loc["C"].tolist() == [1, 3, 3]


def test_trend_theme_without_data_in_a_period_has_no_rows_there():
    """A theme appears only in periods where it has ranked indicators."""
    indicators = indicators_frame({"E1": {}, "T1": {"theme": "Transport"}}, polarity="low")
    ranks = indicator_ranks(values_over_periods(HISTORY), indicators)
    transport = trend(ranks, indicators, themes=["Transport"])
    assert transport["period"].unique().tolist() == ["2021/22"]


def test_trend_rejects_unknown_theme():
    """Asking for a theme no indicator carries names the themes there are."""
    indicators = indicators_frame(["E1"])
    ranks = indicator_ranks(values_frame({"E1": {"A": 1}}), indicators)
    with pytest.raises(UnknownThemeError, match="Economy"):
        trend(ranks, indicators, themes=["Economics"])


@pytest.mark.parametrize(
    "indicators,match",
    [
        (indicators_frame({"E1": {"theme": "Overall"}}), "combined positions"),
        (indicators_frame({"E1": {"theme": None}}), "no theme"),
    ],
)
def test_positions_rejects_bad_themes(indicators, match):
    """'Overall' and 'LA Core' are reserved, and every indicator needs a theme."""
    ranks = indicator_ranks(values_frame({"E1": {"A": 1}}), indicators_frame(["E1"]))
    with pytest.raises(UnknownThemeError, match=match):
        positions(ranks, indicators)


def test_positions_rejects_ranks_of_unknown_indicators():
    """Ranks made from another catalogue are refused."""
    ranks = indicator_ranks(values_frame({"E1": {"A": 1}}), indicators_frame(["E1"]))
    with pytest.raises(UnknownIndicatorError, match="E1"):
        positions(ranks, indicators_frame(["X"]))


@pytest.mark.parametrize("min_coverage", [-0.1, 1.5])
def test_positions_rejects_bad_min_coverage(min_coverage):
    """min_coverage is a share between 0 and 1."""
    ranks = indicator_ranks(values_frame({"E1": {"A": 1}}), indicators_frame(["E1"]))
    with pytest.raises(BadArgumentError, match="min_coverage"):
        positions(ranks, indicators_frame(["E1"]), min_coverage=min_coverage)


def test_average_rank_key_rounds_away_float_noise_and_masks_the_ineligible():
    """Averages equal to 9 places compare equal; ineligible rows get no key."""
    key = average_rank_key(np.array([1 / 3, 0.1 + 0.2, 0.3, 2.0]), np.array([True, True, True, False]))
    assert key[1] == key[2] == 0.3
    assert key[0] == round(1 / 3, 9)
    assert np.isnan(key[3])


def test_positions_along_axis_follow_the_one_position_rule():
    """Groups along axis 1 of a weighting x authority x column array: "min" positions, worked by hand."""
    average = np.array(
        [
            [[2.0, 1.5], [1.0, 1.5], [2.0, 3.0]],  # weighting 0: authorities A, B, C x two columns
            [[1.0, 2.0], [3.0, 1.0 + 1e-12], [2.0, 1.0]],  # weighting 1
        ]
    )
    eligible = np.ones(average.shape, dtype=bool)
    eligible[1, 2, 0] = False  # C has no position in weighting 1, column 0
    result = positions_along_axis(average, eligible, axis=1)
    expected = np.array(
        [
            [[2, 1], [1, 1], [2, 3]],
            [[1, 3], [2, 1], [np.nan, 1]],
        ]
    )
    np.testing.assert_array_equal(result, expected)
    # the same as position_of_average_rank group by group
    for w in range(2):
        for c in range(2):
            np.testing.assert_array_equal(
                result[w, :, c], position_of_average_rank(average[w, :, c], eligible=eligible[w, :, c])
            )
    assert positions_along_axis(np.zeros((2, 0, 3)), axis=1).shape == (2, 0, 3)
