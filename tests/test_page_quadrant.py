"""The Performance against spend page: the quadrant chart plots the engine's positions against
the chosen comparator axis, for the chosen theme, period, focus and group."""

import pytest
from apptest_helpers import (
    EARLIER,
    FOCUS,
    LATEST,
    OTHER_FOCUS,
    catalogue,
    chart_titled,
    charts,
    choose,
    direct_position_map,
    open_page,
    page_widget,
    shows_demo_banner,
)

from benchmarking.method.positions import OVERALL
from benchmarking.text.formatting import ordinal


def quadrant_points(at):
    """Return the quadrant chart's one-row-per-authority data."""
    return chart_titled(at, "performance against").data_with("authority_code")


def total_spend(store_path, period, service="total"):
    """Return authority code -> net expenditure per head on a service, read from the store's table."""
    spend = catalogue(str(store_path)).spend
    rows = spend[(spend["period"] == period) & (spend["service"] == service)]
    return dict(zip(rows["authority_code"], rows["net_expenditure_per_head"]))


def test_quadrant_renders_with_titles_naming_period_and_group(demo_store_path, monkeypatch):
    """The page runs, shows the demo banner, and the chart title names the period and the group."""
    at = open_page(demo_store_path, monkeypatch, "quadrant")
    assert not at.exception
    assert shows_demo_banner(at)
    [chart] = charts(at)
    assert chart.title == f"{OVERALL} performance against spend, {LATEST}"
    assert "Comparator group: all authorities (32 authorities)" in chart.subtitle


def test_lowest_spending_authority_is_furthest_right(demo_store_path, monkeypatch):
    """Spend rank 1 is the highest spender: the lowest spender has the highest x (context_rank)."""
    at = open_page(demo_store_path, monkeypatch, "quadrant")
    points = quadrant_points(at).set_index("authority_code")
    spend = total_spend(demo_store_path, LATEST)
    lowest, highest = min(spend, key=spend.get), max(spend, key=spend.get)
    assert points.loc[lowest, "context_rank"] == points["context_rank"].max() == len(spend)
    assert points.loc[highest, "context_rank"] == 1


def test_y_is_the_engine_overall_position(demo_store_path, monkeypatch):
    """Every point's y equals the Overall position recomputed from ranks and positions."""
    at = open_page(demo_store_path, monkeypatch, "quadrant")
    points = quadrant_points(at)
    shown = dict(zip(points["authority_code"], points["performance_position"].astype(int)))
    assert shown == direct_position_map(demo_store_path, OVERALL, LATEST)


def test_choosing_a_theme_plots_that_theme(demo_store_path, monkeypatch):
    """Adult Social Care: y is that theme's position, x the adult social care spend rank."""
    at = open_page(demo_store_path, monkeypatch, "quadrant")
    page_widget(at, "quadrant_theme").set_value("Adult Social Care").run()
    assert not at.exception
    assert charts(at)[0].title == f"Adult Social Care performance against spend, {LATEST}"
    points = quadrant_points(at)
    shown = dict(zip(points["authority_code"], points["performance_position"].astype(int)))
    assert shown == direct_position_map(demo_store_path, "Adult Social Care", LATEST)
    assert shown != direct_position_map(demo_store_path, OVERALL, LATEST)
    spend = total_spend(demo_store_path, LATEST, "adult social care")
    lowest = min(spend, key=spend.get)
    assert points.set_index("authority_code").loc[lowest, "context_rank"] == len(spend)


@pytest.mark.parametrize(
    "axis, comparator, table, column, first",
    [
        # IMD rank of average rank: 1 = most deprived nationally, so the smallest value is x = 1
        ("Deprivation", "deprivation", "deprivation", "rank_of_average_rank", min),
        # core spending power per head: the best funded is x = 1
        ("Funding", "funding", "funding", "core_spending_power_per_head", max),
    ],
)
def test_changing_the_comparator_axis_reranks_x(demo_store_path, monkeypatch, axis, comparator, table, column, first):
    """Another comparator axis changes the title and puts that axis's rank 1 at x = 1."""
    at = open_page(demo_store_path, monkeypatch, "quadrant")
    page_widget(at, "quadrant_axis").set_value(axis).run()
    assert not at.exception
    assert charts(at)[0].title == f"{OVERALL} performance against {comparator}, {LATEST}"
    frame = getattr(catalogue(str(demo_store_path)), table)
    if "period" in frame:
        frame = frame[frame["period"] == LATEST]
    else:  # deprivation: the latest IMD edition
        frame = frame[frame["edition"] == sorted(frame["edition"].unique())[-1]]
    values = dict(zip(frame["authority_code"], frame[column]))
    top = first(values, key=values.get)
    points = quadrant_points(at).set_index("authority_code")
    assert points.loc[top, "context_rank"] == 1


def test_choosing_another_period_plots_that_period(demo_store_path, monkeypatch):
    """The title names the new period and y holds that period's positions."""
    at = open_page(demo_store_path, monkeypatch, "quadrant")
    choose(at, "period", EARLIER)
    assert not at.exception
    assert charts(at)[0].title == f"{OVERALL} performance against spend, {EARLIER}"
    points = quadrant_points(at)
    shown = dict(zip(points["authority_code"], points["performance_position"].astype(int)))
    assert shown == direct_position_map(demo_store_path, OVERALL, EARLIER)


def test_choosing_another_focus_moves_the_highlight(demo_store_path, monkeypatch):
    """The highlighted point and the summary line follow the focus authority."""
    at = open_page(demo_store_path, monkeypatch, "quadrant")
    choose(at, "focus", OTHER_FOCUS)
    assert not at.exception
    points = quadrant_points(at)
    assert list(points.loc[points["is_focus"], "authority_code"]) == [OTHER_FOCUS]
    position = direct_position_map(demo_store_path, OVERALL, LATEST)[OTHER_FOCUS]
    assert at.info[0].value.startswith("Surrey:")
    assert f"performance position {ordinal(position)} of " in at.info[0].value


def test_choosing_another_group_plots_only_its_members(demo_store_path, monkeypatch):
    """County councils only: 24 points, ranked among themselves, named in the subtitle."""
    at = open_page(demo_store_path, monkeypatch, "quadrant")
    choose(at, "group", "county-councils")
    assert not at.exception
    chart = charts(at)[0]
    assert "Comparator group: county councils (24 authorities)" in chart.subtitle
    points = quadrant_points(at)
    shown = dict(zip(points["authority_code"], points["performance_position"].astype(int)))
    assert shown == direct_position_map(demo_store_path, OVERALL, LATEST, "county-councils")
    assert sorted(points["context_rank"].astype(int)) == list(range(1, 25))


def test_briefing_mode_enlarges_the_chart(demo_store_path, monkeypatch):
    """Both modes stretch the chart to its container; briefing mode makes it taller and its text larger."""
    at = open_page(demo_store_path, monkeypatch, "quadrant")
    normal = charts(at)[0].spec
    at = open_page(demo_store_path, monkeypatch, "quadrant", query={"briefing": "1"})
    assert not at.exception
    briefing = charts(at)[0].spec
    assert briefing["width"] == normal["width"] == "container"
    assert briefing["height"] > normal["height"]
    assert briefing["title"]["fontSize"] >= 30 > normal["title"]["fontSize"]
    assert briefing["config"]["axis"]["labelFontSize"] >= 18


def test_small_multiples_show_every_theme(demo_store_path, monkeypatch):
    """The 'every theme' toggle adds a second chart holding Overall, LA Core and each theme."""
    at = open_page(demo_store_path, monkeypatch, "quadrant")
    page_widget(at, "quadrant_multiples").set_value(True).run()
    assert not at.exception
    chart = chart_titled(at, "Every theme")
    assert chart.title == f"Every theme: performance against spend, {LATEST}"
    assert "vconcat" in chart.spec
    assert FOCUS in set(chart.data_with("authority_code")["authority_code"])


def test_chart_data_table_is_drawn_only_once_its_section_is_opened(demo_store_path, monkeypatch):
    """The chart's data table (its words-and-numbers alternative) is not built while its expander is closed;
    opening it reruns the page and draws one row per authority plotted, by code."""
    at = open_page(demo_store_path, monkeypatch, "quadrant")
    [section] = [e for e in at.expander if e.label.startswith("Data table")]
    assert not section.dataframe
    at.session_state["table-quadrant"] = True  # the expander opened (on_change reruns the page)
    at.run()
    assert not at.exception
    [section] = [e for e in at.expander if e.label.startswith("Data table")]
    [table] = section.dataframe
    points = quadrant_points(at)
    assert len(table.value) == len(points)
    assert set(table.value.iloc[:, 0]) == set(points["authority_code"])
