"""The Quartiles and lists page's tables and the Trend page's thin-period rule (benchmarking.service.lists)."""

from __future__ import annotations

import pandas as pd
import pytest
from apptest_helpers import FOCUS, LATEST, engine

from benchmarking.method import travel
from benchmarking.service.lists import BOTTOM, direction_table, quartile_list, quartile_table, thin_periods


def focus_rows(theme_counts: dict[str, list[int]]) -> pd.DataFrame:
    """Return one authority's position rows: per theme, one row per period 2019/20, 2020/21, ... with n_available."""
    rows = []
    for theme, counts in theme_counts.items():
        for i, n in enumerate(counts):
            rows.append({"theme": theme, "period": f"{2019 + i}/{20 + i}", "n_available": n})
    return pd.DataFrame(rows)


def test_periods_with_under_half_the_most_indicators_are_thin():
    """Overall has 4, 5, 12, 12 indicators: 4 and 5 are under half of 12, so 2019/20 and 2020/21 are thin;
    Economy's 3, 4, 6 has no period under 3 (half of 6), so it is left out."""
    (overall,) = thin_periods(focus_rows({"Overall": [4, 5, 12, 12], "Economy": [3, 4, 6]}))
    assert overall.theme == "Overall"
    assert overall.periods == ["2019/20", "2020/21"]
    assert (overall.fewest, overall.most_of_thin, overall.most) == (4, 5, 12)


def test_exactly_half_is_not_thin():
    """6 of a most of 12 is half, not under half: no warning."""
    assert thin_periods(focus_rows({"Overall": [6, 12]})) == []


@pytest.fixture(scope="module")
def demo_engine(demo_store_path):
    return engine(str(demo_store_path))


def test_quartile_table_counts_match_the_engine_with_overall_first(demo_engine):
    """Each cell is the engine's count for that theme and quartile; Overall is the first row, the rest A-Z."""
    catalogue, bench = demo_engine
    table = quartile_table(catalogue, bench, LATEST, FOCUS)
    counts = travel.quartile_counts(bench.ranks, catalogue.indicators, FOCUS, period=LATEST)
    assert table.index[0] == "Overall" and list(table.index[1:]) == sorted(table.index[1:])
    assert list(table.columns) == ["1st quartile", "2nd quartile", "3rd quartile", "4th quartile"]
    overall = counts[counts["theme"] == "Overall"].set_index("quartile")["n_indicators"]
    assert [table.loc["Overall", f"{q}{s} quartile"] for q, s in zip(range(1, 5), ["st", "nd", "rd", "th"])] == [
        int(overall.get(q, 0)) for q in range(1, 5)
    ]


def test_bottom_quartile_list_names_the_period_each_figure_was_published_for(demo_engine):
    """Every bottom-quartile indicator carries the published period and status of its figure."""
    catalogue, bench = demo_engine
    bottom = quartile_list(catalogue, bench, LATEST, FOCUS, BOTTOM)
    assert len(bottom) == len(travel.bottom_quartile(bench.ranks, catalogue.indicators, FOCUS, period=LATEST))
    assert len(bottom) > 0
    assert bottom["source_period"].notna().all() and bottom["status"].notna().all()


def test_direction_table_has_overall_first_and_the_engines_totals(demo_engine):
    """Rows are themes with Overall first; the Overall row sums to the indicators with a direction."""
    catalogue, bench = demo_engine
    table = direction_table(catalogue, bench, LATEST, FOCUS)
    directions = travel.direction_counts(bench.travel, catalogue.indicators, FOCUS, period=LATEST)
    assert table.index[0] == "Overall"
    assert list(table.columns) == ["Improved", "No real change", "Worsened", "Not comparable"]
    assert int(table.loc["Overall"].sum()) == int(
        directions.loc[directions["theme"] == "Overall", "n_indicators"].sum()
    )
