"""Spend, deprivation and funding ranks; quadrants; Spearman's rho of spend and performance."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from benchmarking.errors import DuplicateKeyError, EmptyGroupError, MissingColumnsError, UnknownComparatorError
from benchmarking.method.context import (
    context_rank,
    deprivation_ranks,
    funding_ranks,
    quadrants,
    spend_performance_correlation,
    spend_ranks,
)
from benchmarking.method.positions import LA_CORE, OVERALL

THEME_SERVICE = pd.DataFrame(
    {
        "theme": ["Adult Social Care", "Transport & Highways"],
        "service": ["adult social care", "highways & transport"],
        "is_core_theme": [True, True],
    }
)


def spend_frame(by_service: dict[str, dict[str, float | None]], period="2021/22"):
    """Return a spend frame from ``{service: {authority: net spend per head}}``."""
    return pd.DataFrame(
        [
            (code, period, service, math.nan if value is None else value)
            for service, by_authority in by_service.items()
            for code, value in by_authority.items()
        ],
        columns=["authority_code", "period", "service", "net_expenditure_per_head"],
    )


SPEND = spend_frame(
    {
        "total": {"A": 500.0, "B": 700.0, "C": 600.0, "D": 700.0},
        "adult social care": {"A": 300.0, "B": 250.0, "C": None, "D": 200.0},
        "highways & transport": {"A": 40.0, "B": 50.0, "C": 60.0, "D": 70.0},
        "education": {"A": 1.0, "B": 2.0, "C": 3.0, "D": 4.0},  # mapped to no theme
    }
)


def ranks_by_theme(frame: pd.DataFrame) -> dict:
    """Return ``{theme: {authority: rank or None}}``."""
    return {
        theme: {row.authority_code: (None if pd.isna(row.rank) else int(row.rank)) for row in rows.itertuples()}
        for theme, rows in frame.groupby("theme")
    }


def test_spend_ranks_per_theme():
    """Each theme ranks its mapped service's spend, highest first; Overall and LA Core use total."""
    got = ranks_by_theme(spend_ranks(SPEND, THEME_SERVICE))
    assert got == {
        OVERALL: {"B": 1, "D": 1, "C": 3, "A": 4},
        LA_CORE: {"B": 1, "D": 1, "C": 3, "A": 4},
        "Adult Social Care": {"A": 1, "B": 2, "D": 3, "C": None},
        "Transport & Highways": {"D": 1, "C": 2, "B": 3, "A": 4},
    }


def test_spend_ranks_columns_and_counts():
    """Output names the service and counts only authorities with spend."""
    result = spend_ranks(SPEND, THEME_SERVICE)
    assert list(result.columns) == ["theme", "service", "authority_code", "period", "value", "rank", "n_ranked"]
    care = result.loc[result["theme"] == "Adult Social Care"]
    assert set(care["n_ranked"]) == {3} and set(care["service"]) == {"adult social care"}


def test_theme_service_can_map_overall_elsewhere():
    """A theme_service row for 'Overall' replaces the default 'total' service."""
    mapping = pd.concat(
        [THEME_SERVICE, pd.DataFrame({"theme": [OVERALL], "service": ["education"], "is_core_theme": [True]})]
    )
    got = ranks_by_theme(spend_ranks(SPEND, mapping))
    assert got[OVERALL] == {"D": 1, "C": 2, "B": 3, "A": 4}


def test_spend_ranks_within_group():
    """Restricting the group re-ranks among its members only."""
    got = ranks_by_theme(spend_ranks(SPEND, THEME_SERVICE, authority_codes=["A", "C"]))
    assert got[OVERALL] == {"C": 1, "A": 2}


@pytest.mark.parametrize(
    "imd_ranks,group,expected",
    [
        # IMD rank of average rank: 1 = most deprived nationally -> 1 in the group
        ({"A": 137.0, "B": 10.0, "C": 50.0}, None, {"B": 1, "C": 2, "A": 3}),
        ({"A": 137.0, "B": 10.0, "C": 50.0}, ["A", "C"], {"C": 1, "A": 2}),
        ({"A": 137.0, "B": None, "C": 50.0}, None, {"C": 1, "A": 2, "B": None}),
    ],
)
def test_deprivation_ranks(imd_ranks, group, expected):
    """The most deprived authority in the group ranks 1."""
    deprivation = pd.DataFrame(
        {
            "authority_code": list(imd_ranks),
            "edition": "IMD 2019",
            "rank_of_average_rank": [math.nan if v is None else v for v in imd_ranks.values()],
            "average_score": 20.0,
        }
    )
    result = deprivation_ranks(deprivation, authority_codes=group)
    assert {
        row.authority_code: (None if pd.isna(row.rank) else int(row.rank)) for row in result.itertuples()
    } == expected
    assert list(result.columns) == ["edition", "authority_code", "value", "rank", "n_ranked"]


def test_funding_ranks_highest_first_per_period():
    """The best-funded authority ranks 1, each period on its own."""
    funding = pd.DataFrame(
        {
            "authority_code": ["A", "B", "A", "B"],
            "period": ["2021/22", "2021/22", "2022/23", "2022/23"],
            "core_spending_power_per_head": [789.0, 900.0, 950.0, 900.0],
        }
    )
    result = funding_ranks(funding)
    assert list(zip(result["period"], result["authority_code"], result["rank"])) == [
        ("2021/22", "B", 1),
        ("2021/22", "A", 2),
        ("2022/23", "A", 1),
        ("2022/23", "B", 2),
    ]


def test_context_rank_errors():
    """Missing columns and an empty group are refused with the package's errors."""
    with pytest.raises(MissingColumnsError, match="core_spending_power_per_head"):
        funding_ranks(pd.DataFrame({"authority_code": ["A"], "period": ["2021/22"]}))
    with pytest.raises(EmptyGroupError):
        spend_ranks(SPEND, THEME_SERVICE, authority_codes=[])


# Quadrants: y = performance position (1 best), x = context rank (1 = highest spend).
@pytest.mark.parametrize(
    "performance,context,comparator,expected",
    [
        # even N = 4, median 2.5: no authority on the line
        (
            {"A": 1, "B": 2, "C": 3, "D": 4},
            {"A": 4, "B": 1, "C": 3, "D": 2},
            "spend",
            {
                "A": ("high performance, low spend", False),
                "B": ("high performance, high spend", False),
                "C": ("low performance, low spend", False),
                "D": ("low performance, high spend", False),
            },
        ),
        # odd N = 5, median 3: rank 3 counts with ranks 1-2 (the "high" side) on both axes
        (
            {"A": 1, "B": 2, "C": 3, "D": 4, "E": 5},
            {"A": 5, "B": 3, "C": 3, "D": 1, "E": 4},
            "spend",
            {
                "A": ("high performance, low spend", False),
                "B": ("high performance, high spend", True),
                "C": ("high performance, high spend", True),
                "D": ("low performance, high spend", False),
                "E": ("low performance, low spend", False),
            },
        ),
        # the deprivation comparator names its axis
        (
            {"A": 1, "B": 2, "C": 3, "D": 4},
            {"A": 4, "B": 3, "C": 2, "D": 1},
            "deprivation",
            {
                "A": ("high performance, low deprivation", False),
                "B": ("high performance, low deprivation", False),
                "C": ("low performance, high deprivation", False),
                "D": ("low performance, high deprivation", False),
            },
        ),
        # authorities without both ranks are left out, and N counts only the rest (N = 3)
        (
            {"A": 1, "B": 2, "C": 3, "D": None},
            {"A": 3, "B": 2, "C": 1, "E": 1},
            "funding",
            {
                "A": ("high performance, low funding", False),
                "B": ("high performance, high funding", True),
                "C": ("low performance, high funding", False),
            },
        ),
    ],
)
def test_quadrants(performance, context, comparator, expected):
    """Quadrants split both axes at (N + 1) / 2, the middle rank counting as the high side."""
    positions_for_theme = pd.DataFrame(
        {
            "authority_code": list(performance),
            "position": pd.array(list(performance.values()), dtype="Int64"),
        }
    )
    context_for_theme = pd.DataFrame(
        {"authority_code": list(context), "rank": pd.array(list(context.values()), dtype="Int64")}
    )
    result = quadrants(positions_for_theme, context_for_theme, comparator=comparator)
    assert {row.authority_code: (row.quadrant, bool(row.on_median)) for row in result.itertuples()} == expected
    assert list(result.columns) == ["authority_code", "performance_position", "context_rank", "quadrant", "on_median"]


def test_quadrants_refuse_several_rows_per_authority():
    """Passing every theme at once is refused: filter to one theme and period."""
    positions_for_theme = pd.DataFrame({"authority_code": ["A", "A"], "position": [1, 2]})
    with pytest.raises(DuplicateKeyError, match="one theme and one period"):
        quadrants(positions_for_theme, pd.DataFrame({"authority_code": ["A"], "rank": [1]}))


def test_quadrants_refuse_unknown_comparator():
    """The comparator word is one of spend, deprivation, funding."""
    frame = pd.DataFrame({"authority_code": ["A"], "position": [1], "rank": [1]})
    with pytest.raises(UnknownComparatorError, match="comparator"):
        quadrants(frame, frame, comparator="revenue")


def correlation_inputs(positions_by_theme, spend_by_theme):
    """Return (positions, spend ranks) frames for one period from ``{theme: {code: n}}``."""

    def frame(table, column):
        """Return period, theme, authority_code and ``column`` rows from ``table``."""
        return pd.DataFrame(
            [("2021/22", theme, code, value) for theme, by_code in table.items() for code, value in by_code.items()],
            columns=["period", "theme", "authority_code", column],
        )

    return frame(positions_by_theme, "position"), frame(spend_by_theme, "rank")


@pytest.mark.parametrize(
    "position,spend_rank,rho,n",
    [
        # the highest spenders perform best: rho = 1
        ({"A": 1, "B": 2, "C": 3, "D": 4}, {"A": 1, "B": 2, "C": 3, "D": 4}, 1.0, 4),
        # the lowest spenders perform best: rho = -1
        ({"A": 1, "B": 2, "C": 3, "D": 4}, {"A": 4, "B": 3, "C": 2, "D": 1}, -1.0, 4),
        # a missing position drops the pair
        ({"A": 1, "B": 2, "C": 3, "D": None}, {"A": 1, "B": 3, "C": 2, "D": 4}, 0.5, 3),
        # fewer than three pairs, or a constant rank: no rho
        ({"A": 1, "B": 2}, {"A": 1, "B": 2}, None, 2),
        ({"A": 1, "B": 2, "C": 3}, {"A": 1, "B": 1, "C": 1}, None, 3),
    ],
)
def test_spend_performance_correlation(position, spend_rank, rho, n):
    """Spearman's rho of spend rank against position, per theme, with its pair count."""
    positions, spend = correlation_inputs({"Economy": position}, {"Economy": spend_rank})
    result = spend_performance_correlation(positions, spend)
    assert list(result.columns) == ["period", "theme", "rho", "p_value", "n"]
    row = result.iloc[0]
    assert row["n"] == n
    if rho is None:
        assert math.isnan(row["rho"]) and math.isnan(row["p_value"])
    else:
        assert row["rho"] == pytest.approx(rho) and 0 <= row["p_value"] <= 1


def test_correlation_is_per_theme():
    """Each theme gets its own row."""
    positions, spend = correlation_inputs(
        {"Economy": {"A": 1, "B": 2, "C": 3}, OVERALL: {"A": 3, "B": 2, "C": 1}},
        {"Economy": {"A": 1, "B": 2, "C": 3}, OVERALL: {"A": 1, "B": 2, "C": 3}},
    )
    result = spend_performance_correlation(positions, spend).set_index("theme")
    assert result.loc["Economy", "rho"] == pytest.approx(1.0)
    assert result.loc[OVERALL, "rho"] == pytest.approx(-1.0)


def test_context_ranks_compare_figures_as_published():
    """Spend or funding a head carried with binary noise (a division's last digit) ties the
    same figure as published, in the league table and in a single context rank alike."""
    funding = pd.DataFrame(
        {
            "authority_code": ["A", "B", "C"],
            "period": "2022/23",
            "core_spending_power_per_head": [900.3000000000001, 900.3, 950.0],
        }
    )
    assert dict(zip(funding_ranks(funding)["authority_code"], funding_ranks(funding)["rank"])) == {
        "C": 1,
        "A": 2,
        "B": 2,
    }
    assert list(context_rank(funding["core_spending_power_per_head"], "funding")) == [2, 2, 1]
