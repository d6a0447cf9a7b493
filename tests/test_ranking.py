"""Indicator ranks and quartiles, worked by hand on three or four authorities."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from engine_frames import indicators_frame, values_frame, values_over_periods

from benchmarking.errors import (
    BadPolarityError,
    DuplicateKeyError,
    EmptyGroupError,
    MissingColumnsError,
    UnknownIndicatorError,
)
from benchmarking.method.ranking import (
    RANK_COLUMNS,
    indicator_ranks,
    quartile,
    rank_within_groups,
    require_known_indicators,
)

NA = None


def ranks_of(values: dict, polarity="high", target_midpoint=math.nan, **options) -> dict:
    """Rank one indicator's ``{authority: value}`` and return ``{authority: rank or None}``."""
    indicators = indicators_frame({"I1": {"polarity": polarity, "target_midpoint": target_midpoint}})
    ranks = indicator_ranks(values_frame({"I1": values}), indicators, **options)
    return {row.authority_code: (None if pd.isna(row.rank) else int(row.rank)) for row in ranks.itertuples()}


@pytest.mark.parametrize(
    "polarity,target_midpoint,values,expected",
    [
        # high: biggest first; ties share the lowest rank
        ("high", math.nan, {"A": 9, "B": 7, "C": 7, "D": 5}, {"A": 1, "B": 2, "C": 2, "D": 4}),
        ("high", math.nan, {"A": 5, "B": 5, "C": 5}, {"A": 1, "B": 1, "C": 1}),
        ("high", math.nan, {"A": -1, "B": 0, "C": 2.5}, {"C": 1, "B": 2, "A": 3}),
        # low: smallest first
        ("low", math.nan, {"A": 9, "B": 7, "C": 7, "D": 5}, {"D": 1, "B": 2, "C": 2, "A": 4}),
        ("low", math.nan, {"A": 12.9, "B": 14.2, "C": 3.0}, {"C": 1, "A": 2, "B": 3}),
        # missing values are not ranked and do not take a place
        ("high", math.nan, {"A": 3, "B": NA, "C": 1}, {"A": 1, "B": NA, "C": 2}),
        ("low", math.nan, {"A": NA, "B": NA, "C": 4, "D": 4}, {"A": NA, "B": NA, "C": 1, "D": 1}),
        ("high", math.nan, {"A": NA, "B": NA}, {"A": NA, "B": NA}),
        # target: closest to the midpoint first, either side
        ("target", 50.0, {"A": 49, "B": 51, "C": 45, "D": 60}, {"A": 1, "B": 1, "C": 3, "D": 4}),
        ("target", 50.0, {"A": 50, "B": 0, "C": 100}, {"A": 1, "B": 2, "C": 2}),
        # target: float noise in the distance does not break a real tie
        ("target", 0.5, {"A": 0.4, "B": 0.6, "C": 0.5}, {"C": 1, "A": 2, "B": 2}),
        ("target", 0.3, {"A": 0.1, "B": 0.5, "C": 0.9}, {"A": 1, "B": 1, "C": 3}),
    ],
)
def test_indicator_ranks(polarity, target_midpoint, values, expected):
    """Each polarity ranks best-first with "min" ties and missing values unranked."""
    assert ranks_of(values, polarity, target_midpoint) == expected


@pytest.mark.parametrize(
    "decimals,expected",
    [
        (None, {"A": 2, "B": 1, "C": 3}),  # exact: 1.004 beats 1.001
        (2, {"A": 1, "B": 1, "C": 3}),  # rounded as published: both 1.00
    ],
)
def test_decimals_rounds_before_ranking(decimals, expected):
    """``decimals`` makes values equal when rounded into ties; the default compares exactly."""
    assert ranks_of({"A": 1.001, "B": 1.004, "C": 0.5}, decimals=decimals) == expected


def test_none_polarity_is_not_ranked():
    """Rows of a 'none' polarity (context) indicator are left out of the ranks."""
    indicators = indicators_frame({"I1": {}, "CTX": {"polarity": "none"}})
    values = values_frame({"I1": {"A": 1, "B": 2}, "CTX": {"A": 1, "B": 2}})
    ranks = indicator_ranks(values, indicators)
    assert set(ranks["indicator_id"]) == {"I1"}


def test_n_ranked_counts_only_values_present():
    """n_ranked is the number of authorities with a value, on every row of the indicator."""
    values = values_frame({"I1": {"A": 3, "B": None, "C": 1, "D": 2}})
    ranks = indicator_ranks(values, indicators_frame(["I1"]))
    assert ranks["n_ranked"].tolist() == [3, 3, 3, 3]


def test_each_period_is_ranked_on_its_own():
    """Ranks are taken within indicator x period, not across periods."""
    values = values_over_periods(
        {
            "2020/21": {"I1": {"A": 1, "B": 2}},
            "2021/22": {"I1": {"A": 9, "B": 8}},
        }
    )
    ranks = indicator_ranks(values, indicators_frame(["I1"]))
    got = {(row.period, row.authority_code): row.rank for row in ranks.itertuples()}
    assert got == {("2020/21", "A"): 2, ("2020/21", "B"): 1, ("2021/22", "A"): 1, ("2021/22", "B"): 2}


def test_comparator_group_is_applied_before_ranking():
    """Restricting authority_codes re-ranks within the group and drops the others."""
    values = values_frame({"I1": {"A": 9, "B": 7, "C": 5, "D": 3}})
    ranks = indicator_ranks(values, indicators_frame(["I1"]), authority_codes=["B", "D"])
    assert dict(zip(ranks["authority_code"], ranks["rank"])) == {"B": 1, "D": 2}
    assert ranks["n_ranked"].tolist() == [2, 2]


def test_output_columns_keep_order_and_carry_period_start():
    """The output has the documented columns, in the input's row order."""
    values = values_frame({"I1": {"C": 1, "A": 3, "B": 2}})
    ranks = indicator_ranks(values, indicators_frame(["I1"]))
    assert list(ranks.columns) == [*RANK_COLUMNS[:3], "period_start", *RANK_COLUMNS[3:]]
    assert ranks["authority_code"].tolist() == ["C", "A", "B"]
    assert ranks["period_start"].iloc[0] == pd.Timestamp("2021-04-01")
    assert str(ranks["rank"].dtype) == "Int64" and str(ranks["quartile"].dtype) == "Int64"


def test_ranks_are_deterministic():
    """The same input gives the same frame twice."""
    values = values_frame({"I1": {"A": 1, "B": 1, "C": None, "D": 0}})
    indicators = indicators_frame(["I1"])
    pd.testing.assert_frame_equal(indicator_ranks(values, indicators), indicator_ranks(values, indicators))


# Quartile = ceil(4 * rank / n_ranked); none below 4 ranked.
@pytest.mark.parametrize(
    "rank,n_ranked,expected",
    [
        # 32 county areas: 1-8, 9-16, 17-24, 25-32
        (1, 32, 1),
        (8, 32, 1),
        (9, 32, 2),
        (16, 32, 2),
        (17, 32, 3),
        (24, 32, 3),
        (25, 32, 4),
        (32, 32, 4),
        # four ranked: one each
        (1, 4, 1),
        (2, 4, 2),
        (3, 4, 3),
        (4, 4, 4),
        # five ranked: rank <= 1.25 is 1st, <= 2.5 2nd, <= 3.75 3rd
        (1, 5, 1),
        (2, 5, 2),
        (3, 5, 3),
        (4, 5, 4),
        (5, 5, 4),
        # too few ranked, or no rank
        (1, 3, None),
        (3, 3, None),
        (None, 32, None),
    ],
)
def test_quartile(rank, n_ranked, expected):
    """The documented quartile formula, at every boundary for a group of 32."""
    got = quartile(np.array([np.nan if rank is None else rank]), np.array([n_ranked]))[0]
    assert (None if np.isnan(got) else int(got)) == expected


def test_quartiles_for_32_authorities_end_to_end():
    """Ranking 32 distinct values gives eight authorities in each quartile."""
    values = values_frame({"I1": {f"A{i:02d}": i for i in range(32)}})
    ranks = indicator_ranks(values, indicators_frame({"I1": {"polarity": "low"}}))
    assert ranks.groupby("quartile")["rank"].agg(["min", "max", "size"]).values.tolist() == [
        [1, 8, 8],
        [9, 16, 8],
        [17, 24, 8],
        [25, 32, 8],
    ]


def test_tied_ranks_share_a_quartile():
    """A tie straddling a boundary takes the quartile of its shared (lowest) rank."""
    values = values_frame({"I1": {"A": 4, "B": 3, "C": 3, "D": 1}})
    ranks = indicator_ranks(values, indicators_frame(["I1"]))
    assert ranks["quartile"].tolist() == [1, 2, 2, 4]


@pytest.mark.parametrize(
    "n_groups",
    [
        50,  # groups of ~100 keys: the group x slot table path
        70_000,  # sparse codes above 16 bits: the sort-everything path, two radix passes
    ],
)
def test_rank_within_groups_matches_pandas(n_groups):
    """The vectorised helper agrees with pandas' groupby rank(method='min'), inf included."""
    rng = np.random.default_rng(7)
    group = rng.integers(0, n_groups, 5_000)
    key = rng.integers(0, 5, 5_000).astype(float)
    key[rng.random(5_000) < 0.1] = np.nan
    key[rng.random(5_000) < 0.02] = np.inf
    key[rng.random(5_000) < 0.02] = -np.inf
    expected = pd.Series(key).groupby(group).rank(method="min").to_numpy()
    np.testing.assert_array_equal(rank_within_groups(group, key), expected)


# Errors: what was wrong, and what to do.
@pytest.mark.parametrize(
    "indicators,values,authority_codes,error,match",
    [
        (indicators_frame(["I1"]), values_frame({"I9": {"A": 1}}), None, UnknownIndicatorError, "I9"),
        (
            indicators_frame({"I1": {"polarity": "up"}}),
            values_frame({"I1": {"A": 1}}),
            None,
            BadPolarityError,
            "expected one of",
        ),
        (
            indicators_frame({"I1": {"polarity": "target"}}),
            values_frame({"I1": {"A": 1}}),
            None,
            BadPolarityError,
            "target_midpoint",
        ),
        (
            pd.concat([indicators_frame(["I1"])] * 2),
            values_frame({"I1": {"A": 1}}),
            None,
            DuplicateKeyError,
            "more than once",
        ),
        (
            indicators_frame(["I1"]),
            values_frame({"I1": {"A": 1}}).drop(columns="value"),
            None,
            MissingColumnsError,
            "value",
        ),
        (indicators_frame(["I1"]), values_frame({"I1": {"A": 1}}), [], EmptyGroupError, "empty"),
    ],
)
def test_indicator_ranks_errors(indicators, values, authority_codes, error, match):
    """Bad input raises the package's own error with a message that names the problem."""
    with pytest.raises(error, match=match):
        indicator_ranks(values, indicators, authority_codes=authority_codes)


def test_polarity_is_read_case_insensitively():
    """'High' and ' LOW ' are read as high and low."""
    indicators = indicators_frame({"I1": {"polarity": "High"}, "I2": {"polarity": " LOW "}})
    values = values_frame({"I1": {"A": 2, "B": 1}, "I2": {"A": 2, "B": 1}})
    ranks = indicator_ranks(values, indicators)
    assert ranks["rank"].tolist() == [1, 2, 2, 1]


def test_output_shares_no_memory_with_values():
    """Editing the ranks frame leaves the values frame as it was."""
    values = values_frame({"I1": {"A": 1, "B": 2}})
    before = values.copy()
    ranks = indicator_ranks(values, indicators_frame(["I1"]))
    ranks.loc[0, "value"] = 99.0
    ranks.loc[0, "authority_code"] = "Z"
    pd.testing.assert_frame_equal(values, before)


def test_require_known_indicators_names_the_unknown_ids_and_what_to_pass():
    """One check and one message: the ids missing from the indicator table, and what to pass."""
    require_known_indicators(["I1", "I2", "I1"], pd.Index(["I1", "I2", "I3"]), "values")  # all known: no error
    with pytest.raises(UnknownIndicatorError) as raised:
        require_known_indicators(["I9", "I1", "I8", "I9"], ["I1"], "ranks")
    assert str(raised.value) == (
        "ranks refer to 2 indicator id(s) not in the indicator table: 'I8', 'I9'. "
        "Pass the indicator table the ranks were made from, or drop those rows."
    )


def test_every_engine_step_refuses_unknown_indicators_with_the_same_message():
    """Ranking, positions, sensitivity and travel all use the one check (only the frame's name differs)."""
    from benchmarking.method.positions import positions
    from benchmarking.method.sensitivity import rank_matrix
    from benchmarking.method.travel import direction_of_travel

    values = values_over_periods({"2020/21": {"E1": {"A": 1, "B": 3}}, "2021/22": {"E1": {"A": 2, "B": 1}}})
    ranks = indicator_ranks(values, indicators_frame(["E1"]))
    other = indicators_frame(["X"])
    messages = set()
    for call in (
        lambda: indicator_ranks(values, other),
        lambda: positions(ranks, other),
        lambda: rank_matrix(ranks, other, "2021/22"),
        lambda: direction_of_travel(values, other),
    ):
        with pytest.raises(
            UnknownIndicatorError, match="1 indicator id\\(s\\) not in the indicator table: 'E1'"
        ) as raised:
            call()
        messages.add(str(raised.value).replace("values", "FRAME").replace("ranks", "FRAME"))
    assert len(messages) == 1
