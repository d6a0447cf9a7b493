"""Direction of travel and the focus authority's lists and counts, worked by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from engine_frames import indicators_frame, values_frame, values_over_periods

from benchmarking.errors import BadPeriodError, MissingColumnsError, UnknownAuthorityError
from benchmarking.method.focus_lists import (
    bottom_quartile,
    direction_counts,
    improvement_since_previous,
    quartile_counts,
)
from benchmarking.method.positions import OVERALL
from benchmarking.method.ranking import indicator_ranks
from benchmarking.method.travel import DIRECTIONS, direction_of_travel

NA = None


def direction(polarity, previous, current, target_midpoint=math.nan, **options) -> str:
    """Return the direction of travel of one authority's value from 2020/21 to 2021/22."""
    indicators = indicators_frame({"I1": {"polarity": polarity, "target_midpoint": target_midpoint}})
    values = values_over_periods({"2020/21": {"I1": {"A": previous}}, "2021/22": {"I1": {"A": current}}})
    travel = direction_of_travel(values, indicators, **options)
    return travel.loc[travel["period"] == "2021/22", "direction"].item()


@pytest.mark.parametrize(
    "polarity,target_midpoint,previous,current,expected",
    [
        # high: up is better
        ("high", math.nan, 10, 12, "improved"),
        ("high", math.nan, 10, 8, "worsened"),
        # low: up is worse (free school meal take-up 12.9% -> 14.2%, polarity Low: ↓)
        ("low", math.nan, 12.9, 14.2, "worsened"),
        ("low", math.nan, 10, 8, "improved"),
        # within 1% of the previous value: no real change (the boundary included)
        ("high", math.nan, 100, 100.5, "no real change"),
        ("high", math.nan, 100, 101, "no real change"),
        ("high", math.nan, 100, 101.5, "improved"),
        ("low", math.nan, -100, -99.5, "no real change"),
        # the boundary as published: 0.303 - 0.3 is 0.0030000000000000027 in binary, still 1%
        ("high", math.nan, 0.3, 0.303, "no real change"),
        ("low", math.nan, 0.3, 0.297, "no real change"),
        # from zero any real change counts
        ("high", math.nan, 0, 0, "no real change"),
        ("high", math.nan, 0, 0.001, "improved"),
        # target: closer to the midpoint is better, either side
        ("target", 50.0, 45, 52, "improved"),
        ("target", 50.0, 48, 52, "no real change"),
        ("target", 50.0, 52, 58, "worsened"),
        ("target", 50.0, 60, 40, "no real change"),
        # not comparable: no polarity, no previous value, no current value
        ("none", math.nan, 10, 12, "not comparable"),
        ("high", math.nan, NA, 12, "not comparable"),
        ("high", math.nan, 10, NA, "not comparable"),
    ],
)
def test_direction_of_travel(polarity, target_midpoint, previous, current, expected):
    """The arrow follows polarity, with a 1% band of no real change."""
    assert direction(polarity, previous, current, target_midpoint) == expected


@pytest.mark.parametrize(
    "tolerance,absolute_tolerance,expected",
    [(0.01, 1e-9, "no real change"), (0.001, 1e-9, "improved"), (0.0, 1.0, "no real change")],
)
def test_direction_tolerance_is_adjustable(tolerance, absolute_tolerance, expected):
    """tolerance (relative) and absolute_tolerance set the band of no real change."""
    assert direction("high", 100, 100.5, tolerance=tolerance, absolute_tolerance=absolute_tolerance) == expected


def test_previous_period_is_the_last_one_with_data():
    """A gap year is skipped: 2021/22 is compared with 2019/20 when 2020/21 is missing."""
    values = values_over_periods(
        {
            "2021/22": {"I1": {"A": 12, "B": 5}},  # out of order on purpose
            "2019/20": {"I1": {"A": 10, "B": 6}},
            "2020/21": {"I1": {"A": None, "B": 5}},
        }
    )
    travel = direction_of_travel(values, indicators_frame(["I1"]))
    got = {
        (row.authority_code, row.period): (None if pd.isna(row.previous_period) else row.previous_period, row.direction)
        for row in travel.itertuples()
    }
    assert got == {
        ("A", "2019/20"): (None, "not comparable"),
        ("A", "2020/21"): (None, "not comparable"),
        ("A", "2021/22"): ("2019/20", "improved"),
        ("B", "2019/20"): (None, "not comparable"),
        ("B", "2020/21"): ("2019/20", "worsened"),
        ("B", "2021/22"): ("2020/21", "no real change"),
    }


def test_direction_of_travel_columns():
    """The documented columns, with change = value - previous_value."""
    values = values_over_periods({"2020/21": {"I1": {"A": 10}}, "2021/22": {"I1": {"A": 12}}})
    travel = direction_of_travel(values, indicators_frame(["I1"]))
    assert list(travel.columns) == [
        "indicator_id",
        "authority_code",
        "period",
        "period_start",
        "value",
        "previous_period",
        "previous_value",
        "change",
        "direction",
    ]
    assert travel["change"].iloc[1] == 2 and travel["previous_value"].iloc[1] == 10
    assert list(travel["direction"].cat.categories) == list(DIRECTIONS)


def test_direction_of_travel_needs_period_start():
    """Without period_start the periods cannot be ordered."""
    values = values_frame({"I1": {"A": 1}})
    with pytest.raises(MissingColumnsError, match="period_start"):
        direction_of_travel(values.drop(columns="period_start"), indicators_frame(["I1"]))
    with pytest.raises(BadPeriodError, match="2021/22"):
        direction_of_travel(values.assign(period_start=pd.NaT), indicators_frame(["I1"]))


# Eight authorities, so quartiles hold two each (ranks 7-8 are the 4th quartile).
# 'low' polarity: the value is the rank. The focus authority is F.
EIGHT = ["F", "B", "C", "D", "E", "G", "H", "J"]


def ranked_as(rank_of_focus: int) -> dict:
    """Return one indicator's ``{authority: value}`` with F at ``rank_of_focus`` of eight."""
    others = [n for n in range(1, 9) if n != rank_of_focus]
    return {"F": rank_of_focus, **dict(zip(EIGHT[1:], others))}


FOCUS_HISTORY = {
    "2020/21": {
        "UP": ranked_as(8),  # 4th -> 2nd: improved quartile
        "GAIN": ranked_as(8),  # 8th -> 7th: still 4th, one place gained
        "STAY": ranked_as(7),  # 4th -> 4th, no gain
        "WAS3": ranked_as(6),  # 3rd -> 1st: not bottom last year
        "NEW": None,  # no data last year
    },
    "2021/22": {
        "UP": ranked_as(3),
        "GAIN": ranked_as(7),
        "STAY": ranked_as(8),
        "WAS3": ranked_as(1),
        "NEW": ranked_as(8),
    },
}
FOCUS_INDICATORS = indicators_frame(
    {
        "UP": {"theme": "Economy"},
        "GAIN": {"theme": "Economy"},
        "STAY": {"theme": "Transport"},
        "WAS3": {"theme": "Transport"},
        "NEW": {"theme": "Economy"},
    },
    polarity="low",
)


def focus_values(history=FOCUS_HISTORY):
    """Values of the focus history, both periods."""
    table = {
        period: {i: v for i, v in by_indicator.items() if v is not None} for period, by_indicator in history.items()
    }
    return values_over_periods(table)


def focus_ranks():
    """Ranks of the focus history, both periods."""
    return indicator_ranks(focus_values(), FOCUS_INDICATORS)


def improved_in(history, **options):
    """Return ``improvement_since_previous`` for F over ``history`` (ranks and travel of the same values)."""
    values = focus_values(history)
    ranks, travel = indicator_ranks(values, FOCUS_INDICATORS), direction_of_travel(values, FOCUS_INDICATORS)
    return improvement_since_previous(ranks, travel, FOCUS_INDICATORS, "F", **options)


def test_bottom_quartile_lists_latest_4th_quartile_by_theme():
    """Indicators in the 4th quartile in their latest period, grouped by theme."""
    result = bottom_quartile(focus_ranks(), FOCUS_INDICATORS, "F")
    assert list(zip(result["theme"], result["indicator_id"], result["rank"])) == [
        ("Economy", "GAIN", 7),
        ("Economy", "NEW", 8),
        ("Transport", "STAY", 8),
    ]
    assert list(result.columns) == ["theme", "indicator_id", "name", "period", "value", "rank", "n_ranked", "quartile"]


def test_bottom_quartile_for_a_given_period():
    """``period`` picks that period for every indicator."""
    result = bottom_quartile(focus_ranks(), FOCUS_INDICATORS, "F", period="2020/21")
    assert sorted(result["indicator_id"]) == ["GAIN", "STAY", "UP"]


def test_bottom_quartile_uses_each_indicators_own_latest_period():
    """An indicator last published for 2021 is read in 2021, another in 2021/22."""
    values = pd.concat(
        [
            values_frame({"CAL": ranked_as(8)}, period="2021"),
            values_frame({"FIN": ranked_as(1)}, period="2020/21"),
            values_frame({"FIN": ranked_as(8)}, period="2021/22"),
        ],
        ignore_index=True,
    )
    indicators = indicators_frame(["CAL", "FIN"], polarity="low")
    result = bottom_quartile(indicator_ranks(values, indicators), indicators, "F")
    assert list(zip(result["indicator_id"], result["period"])) == [("CAL", "2021"), ("FIN", "2021/22")]


@pytest.mark.parametrize(
    "min_rank_gain,expected",
    [
        (None, ["UP"]),  # left the bottom quartile
        (1, ["GAIN", "UP"]),  # or gained a place within it
        (2, ["UP"]),
    ],
)
def test_improvement_since_previous(min_rank_gain, expected):
    """Bottom quartile last period and a better quartile now (or enough places gained)."""
    result = improved_in(FOCUS_HISTORY, min_rank_gain=min_rank_gain)
    assert sorted(result["indicator_id"]) == expected
    up = result.set_index("indicator_id").loc["UP"]
    assert (up["previous_period"], up["previous_rank"], up["previous_n_ranked"], up["previous_quartile"]) == (
        "2020/21",
        8,
        8,
        4,
    )
    assert (up["period"], up["rank"], up["quartile"], up["places_gained"]) == ("2021/22", 3, 2, 5)


def test_a_rank_gained_while_the_figure_worsened_is_no_improvement():
    """The agency social workers' case: lower is better, F's figure rose 8 -> 9 (worsened in the direction
    of travel) but others fell further behind, so F climbed from 8th to 4th of 8. Not an improvement; the
    same climb with a figure that fell is one."""
    behind = {"B": 1, "C": 2, "D": 3, "E": 10, "G": 11, "H": 12, "J": 13}
    history = {"2020/21": {"UP": ranked_as(8)}, "2021/22": {"UP": {"F": 9, **behind}}}
    values = focus_values(history)
    travel = direction_of_travel(values, FOCUS_INDICATORS)
    focus_now = travel.loc[(travel["authority_code"] == "F") & (travel["period"] == "2021/22")]
    assert list(focus_now["direction"]) == ["worsened"]
    assert improved_in(history).empty
    history["2021/22"]["UP"]["F"] = 7.5  # the figure fell: improved, and 4th of 8 again
    assert list(improved_in(history)["indicator_id"]) == ["UP"]


def test_quartile_counts():
    """Counts per quartile, per theme and Overall, every quartile listed."""
    result = quartile_counts(focus_ranks(), FOCUS_INDICATORS, "F")
    table = result.pivot(index="theme", columns="quartile", values="n_indicators")
    assert table.loc[OVERALL].tolist() == [1, 1, 0, 3]  # WAS3 1st; UP 2nd; GAIN NEW STAY 4th
    assert table.loc["Economy"].tolist() == [0, 1, 0, 2]
    assert table.loc["Transport"].tolist() == [1, 0, 0, 1]
    assert result["theme"].iloc[0] == OVERALL
    overall = result.loc[result["theme"] == OVERALL, "share"]
    assert overall.tolist() == pytest.approx([0.2, 0.2, 0.0, 0.6])


def test_quartile_counts_skip_indicators_with_too_few_ranked():
    """With fewer than four ranked there is no quartile to count."""
    values = values_frame({"I1": {"F": 1, "B": 2, "C": 3}})
    indicators = indicators_frame(["I1"])
    result = quartile_counts(indicator_ranks(values, indicators), indicators, "F")
    assert result["n_indicators"].sum() == 0


def test_direction_counts_per_theme():
    """Each indicator counts once, in its latest period; no value there is not comparable."""
    values = values_over_periods(
        {
            "2020/21": {"I1": {"F": 10, "B": 1}, "I2": {"F": 10, "B": 1}, "I3": {"F": 10, "B": 1}},
            "2021/22": {
                "I1": {"F": 12, "B": 1},
                "I2": {"F": 10.01, "B": 1},
                "I3": {"F": None, "B": 1},
                "I4": {"F": 3, "B": 1},
            },
        }
    )
    indicators = indicators_frame({"I1": {}, "I2": {}, "I3": {"theme": "Transport"}, "I4": {"theme": "Transport"}})
    travel = direction_of_travel(values, indicators)
    result = direction_counts(travel, indicators, "F")
    table = result.pivot(index="theme", columns="direction", values="n_indicators")
    assert table.loc[OVERALL, list(DIRECTIONS)].tolist() == [1, 1, 0, 2]
    assert table.loc["Economy", list(DIRECTIONS)].tolist() == [1, 1, 0, 0]
    assert table.loc["Transport", list(DIRECTIONS)].tolist() == [0, 0, 0, 2]


@pytest.mark.parametrize(
    "authority_code,period,error,match",
    [
        ("XX", None, UnknownAuthorityError, "XX"),
        ("F", "1999/00", BadPeriodError, "1999/00"),
    ],
)
def test_focus_errors(authority_code, period, error, match):
    """An authority or period not in the ranks is named in the error."""
    with pytest.raises(error, match=match):
        bottom_quartile(focus_ranks(), FOCUS_INDICATORS, authority_code, period=period)
