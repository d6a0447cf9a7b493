"""The Quartiles and lists page's tables and the Trend page's thin-period rule (benchmarking.service.lists)."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict

import pandas as pd
import pytest
from apptest_helpers import EARLIER, FOCUS, LATEST, engine

from benchmarking.method import focus_lists, travel
from benchmarking.service.lists import (
    BOTTOM,
    TOP,
    direction_table,
    improvement_list,
    quartile_list,
    quartile_table,
    quartile_tables,
    thin_periods,
)
from benchmarking.text.formatting import position_text


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
    counts = focus_lists.quartile_counts(bench.ranks, catalogue.indicators, FOCUS, period=LATEST)
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
    assert len(bottom) == len(focus_lists.bottom_quartile(bench.ranks, catalogue.indicators, FOCUS, period=LATEST))
    assert len(bottom) > 0
    assert bottom["source_period"].notna().all() and bottom["status"].notna().all()


def test_direction_table_has_overall_first_and_the_engines_totals(demo_engine):
    """Rows are themes with Overall first; the Overall row sums to the indicators with a direction."""
    catalogue, bench = demo_engine
    table = direction_table(catalogue, bench, LATEST, FOCUS)
    directions = focus_lists.direction_counts(bench.travel, catalogue.indicators, FOCUS, period=LATEST)
    assert table.index[0] == "Overall"
    assert list(table.columns) == ["Improved", "No real change", "Worsened", "Not comparable"]
    assert int(table.loc["Overall"].sum()) == int(
        directions.loc[directions["theme"] == "Overall", "n_indicators"].sum()
    )


class PlainRecount:
    """The Quartiles page's tables recounted row by row, in plain Python, from the engine's ranks and travel."""

    def __init__(self, catalogue, bench):
        self.theme_of = dict(zip(catalogue.indicators["id"], catalogue.indicators["theme"]))
        self.name_of = dict(zip(catalogue.indicators["id"], catalogue.indicators["name"]))
        self.rows, self.ranked, self.members = {}, defaultdict(set), defaultdict(list)
        for row in bench.ranks.itertuples(index=False):
            self.rows[(row.indicator_id, row.authority_code, row.period)] = row
            if row.n_ranked > 0:
                self.ranked[row.indicator_id].add((row.period_start, row.period))
            if row.in_group and row.rank is not pd.NA:
                self.members[(row.indicator_id, row.period)].append((row.rank, row.value))
        self.with_data, self.direction, self.rank_without_figure = defaultdict(set), {}, 0
        for row in bench.travel.itertuples(index=False):
            if not pd.isna(row.value):
                self.with_data[row.period].add(row.indicator_id)
            self.direction[(row.indicator_id, row.authority_code, row.period)] = row.direction

    def tables(self, period: str, focus: str) -> dict:
        """Return the quartile counts and direction counts per (theme, category), the bottom- and top-quartile
        indicators with the group's median and best value, and the names of the improved indicators."""
        quartiles, directions, lists, improved = Counter(), Counter(), {TOP: {}, BOTTOM: {}}, []
        for indicator_id, ranked in self.ranked.items():
            now = {label: start for start, label in ranked}.get(period)
            row = self.rows.get((indicator_id, focus, period))
            if now is None or row is None or row.quartile is pd.NA:
                continue
            quartile = int(row.quartile)
            quartiles.update([(self.theme_of[indicator_id], quartile), ("Overall", quartile)])
            if quartile in lists:
                figures = self.members[(indicator_id, period)]
                lists[quartile][indicator_id] = (statistics.median(v for _, v in figures), min(figures)[1])
            earlier = [(start, label) for start, label in ranked if start < now]
            before = self.rows.get((indicator_id, focus, max(earlier)[1])) if earlier else None
            if quartile < 4 and before is not None and before.quartile is not pd.NA and before.quartile == 4:
                # out of the bottom quartile; listed only when the figure improved too (direction of travel)
                if self.direction.get((indicator_id, focus, period)) == travel.IMPROVED:
                    then = position_text(before.rank, before.n_ranked)
                    improved.append((self.name_of[indicator_id], then))
                else:
                    self.rank_without_figure += 1
        for indicator_id in self.with_data[period]:
            direction = self.direction.get((indicator_id, focus, period), travel.NOT_COMPARABLE)
            directions.update(
                [(self.theme_of[indicator_id], direction.capitalize()), ("Overall", direction.capitalize())]
            )
        return {"quartiles": quartiles, "lists": lists, "improved": sorted(improved), "directions": directions}


def test_quartile_tables_equal_a_plain_recount_for_every_period_and_focus(demo_store_path):
    """For every period and every authority as focus (members of the group, and one beside it), the page's
    tables, derived once per period, hold what a row-by-row recount of the engine's ranks and travel gives."""
    for group_id, focuses in (("all", None), ("list:midlands-and-east", (FOCUS, "E10000030"))):
        catalogue, bench = engine(str(demo_store_path), group_id, focuses[-1] if focuses else FOCUS)
        recount = PlainRecount(catalogue, bench)
        for focus in focuses or catalogue.authorities["code"]:
            for period in catalogue.period_labels:
                found = quartile_tables(catalogue, bench, period, focus)
                expected = recount.tables(period, focus)
                counts = {(t, int(q[0])): int(n) for t, row in found.counts.iterrows() for q, n in row.items() if n}
                assert counts == dict(expected["quartiles"]), (focus, period)
                for quartile, listed in found.lists.items():
                    figures = zip(listed["indicator_id"], listed["group_median"], listed["group_best"])
                    assert {i: (m, b) for i, m, b in figures} == expected["lists"][quartile], (focus, period)
                listed = sorted(zip(found.improved["Indicator"], found.improved["Rank then"]))
                assert listed == expected["improved"], (focus, period)
                directions = {(t, d): int(n) for t, row in found.directions.iterrows() for d, n in row.items() if n}
                assert directions == dict(expected["directions"]), (focus, period)


def test_improvement_list_on_the_shipped_store_equals_a_recount(shipped_store_path):
    """Leicestershire on real public data, every period: an indicator is listed as improved since the previous
    year only when it left the bottom quartile and its figure improved (the agency social workers' share rose
    16.4 -> 17.5, lower is better, while its rank went 28th -> 27th of 37: not listed); both ranks "of N"."""
    from benchmarking.service.benchmark import benchmark_for
    from benchmarking.service.catalogue import load_catalogue
    from benchmarking.store import Store

    catalogue = load_catalogue(Store(shipped_store_path))
    bench = benchmark_for(catalogue, "all", "E10000018")
    recount = PlainRecount(catalogue, bench)
    for period in catalogue.period_labels:
        found = improvement_list(catalogue, bench, period, "E10000018")
        expected = recount.tables(period, "E10000018")["improved"]
        assert sorted(zip(found["Indicator"], found["Rank then"])) == expected, period
    assert recount.rank_without_figure > 0  # the store has such cases, so the rule is exercised


def test_quartile_tables_are_the_tables_each_function_gives_alone(demo_engine):
    """The tables derived together equal the counts, lists, improvement list and directions computed one by one."""
    catalogue, bench = demo_engine
    for period in (LATEST, EARLIER):
        found = quartile_tables(catalogue, bench, period, FOCUS)
        pd.testing.assert_frame_equal(found.counts, quartile_table(catalogue, bench, period, FOCUS))
        for quartile, listed in found.lists.items():
            pd.testing.assert_frame_equal(listed, quartile_list(catalogue, bench, period, FOCUS, quartile))
        pd.testing.assert_frame_equal(found.improved, improvement_list(catalogue, bench, period, FOCUS))
        pd.testing.assert_frame_equal(found.directions, direction_table(catalogue, bench, period, FOCUS))


def test_thin_periods_apart_are_named_as_runs():
    """Thin periods 2019/20 to 2023/24 and 2026/27, with full periods between, are named as two runs, not as one
    span "6 periods, 2019/20 to 2026/27" that would take in the full periods too."""
    (overall,) = thin_periods(focus_rows({"Overall": [1, 1, 1, 1, 1, 12, 12, 1]}))
    assert overall.named() == "6 periods, 2019/20 to 2023/24 and 2026/27"
    (overall,) = thin_periods(focus_rows({"Overall": [1, 1, 1, 1, 12]}))
    assert overall.named() == "4 periods, 2019/20 to 2022/23"


def test_the_overview_and_the_trend_leave_out_the_same_thin_periods():
    """Cumbria's shape: no position in its first periods (3 and 5 indicators) nor its last (under the coverage
    rule, 325 indicators), positions on 14 and 29 then 223 and 300 indicators. The Overview's rule
    (``without_thin_periods`` over every row) and the Trend's (``trend_lines`` over the rows with a position) name the
    same periods left out: the two with a position on few indicators; the last period stays, to be named as having
    no position."""
    from benchmarking.service.lists import without_thin_periods
    from benchmarking.service.trend_lines import trend_lines

    rows = focus_rows({"Overall": [3, 5, 14, 29, 223, 300, 325]})
    rows = rows.assign(position=pd.array([None, None, 36, 29, 35, 22, None], dtype="Int64"))
    rows = rows.assign(authority_code="E10000006", name="Cumbria", period_start=range(len(rows)))
    kept, thin = without_thin_periods(rows)
    (trend_thin,) = trend_lines(rows, "E10000006").left_out["Overall"]
    assert thin.named() == trend_thin[1].named() == "2021/22, 2022/23"
    assert list(kept["period"]) == ["2023/24", "2024/25", "2025/26"]
