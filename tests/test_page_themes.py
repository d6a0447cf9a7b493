"""The Theme rankings page: the focus authority's position per theme and the league table
equal the engine's positions, and follow the sidebar selection."""

import re

import pandas as pd
import pytest
from apptest_helpers import (
    EARLIER,
    FOCUS,
    LATEST,
    OTHER_FOCUS,
    charts,
    choose,
    direct_position_map,
    direct_positions,
    engine,
    html_tables,
    open_page,
    open_section,
    page_widget,
    shows_demo_banner,
    sidebar_box,
)

from benchmarking.method.positions import OVERALL


def focus_theme_positions(store_path, period=LATEST, focus=FOCUS, group_id="all") -> dict[str, int]:
    """Return theme -> position of the focus authority, recomputed without the page."""
    table = direct_positions(str(store_path), group_id, focus)
    rows = table[(table["period"] == period) & (table["authority_code"] == focus)].dropna(subset=["position"])
    return {theme: int(position) for theme, position in zip(rows["theme"], rows["position"])}


def plotted_positions(at) -> dict[str, int]:
    """Return theme -> position as the page's chart plots it."""
    dots = charts(at)[0].data_with("average_rank")  # the dots (the quartile bands also name their theme)
    return {theme: int(position) for theme, position in zip(dots["theme"], dots["position"])}


def league_table(at):
    """Return the league table as shown: the page's table with an Authority column and an Overall column."""
    tables = [table for table in html_tables(at) if {"Authority", OVERALL} <= set(table.columns)]
    assert len(tables) == 1, "expected one league table on the page"
    return tables[0]


def shown_positions(column: pd.Series) -> list[int | None]:
    """Return the positions a league table column shows ("3rd · Q1" -> 3, "no position" -> None)."""
    return [int(match.group()) if (match := re.match(r"\d+", cell)) else None for cell in column]


def test_themes_renders_with_titles_naming_period_and_group(demo_store_path, monkeypatch):
    """The page runs, shows the demo banner, and the chart title names focus, period and group."""
    at = open_page(demo_store_path, monkeypatch, "themes")
    assert not at.exception
    assert shows_demo_banner(at)
    [chart] = charts(at)
    assert chart.title == f"Leicestershire: position by theme, {LATEST}"
    assert "Comparator group: all authorities (32 authorities)" in chart.subtitle
    assert at.subheader[0].value == f"League table, {LATEST}"


def test_chart_plots_the_engine_positions_of_the_focus(demo_store_path, monkeypatch):
    """Each theme's dot is the focus authority's position recomputed from ranks."""
    at = open_page(demo_store_path, monkeypatch, "themes")
    assert plotted_positions(at) == focus_theme_positions(demo_store_path)


def test_league_table_is_ordered_by_overall_position(demo_store_path, monkeypatch):
    """The league table lists every authority, best Overall first, with the engine's positions."""
    at = open_page(demo_store_path, monkeypatch, "themes")
    table = league_table(at)
    overall = direct_position_map(demo_store_path, OVERALL, LATEST)
    assert len(table) == 32
    assert shown_positions(table[OVERALL]) == sorted(overall.values())
    assert table["Authority"].iloc[0] == "Kent" and overall["E10000016"] == 1
    assert {cell.rpartition(" · ")[2] for cell in table[OVERALL]} == {"Q1", "Q2", "Q3", "Q4"}


def test_the_page_opens_without_a_data_grid_and_why_this_rank_is_built_when_opened(demo_store_path, monkeypatch):
    """A first page draws the league table as plain HTML and no data grid (a grid's code and canvas cost the
    browser); the Why this rank? section holds nothing until it is opened, then its control and table."""
    at = open_page(demo_store_path, monkeypatch, "themes")
    assert not at.exception
    assert league_table(at) is not None and not at.dataframe
    assert "why_theme" not in {box.key for box in at.selectbox}
    open_section(at, "themes_why")
    assert page_widget(at, "why_theme").value == OVERALL
    assert [frame.value.columns[0] for frame in at.dataframe] == ["Indicator"]


@pytest.mark.parametrize("order", ["Education", "Authority"])
def test_the_sort_control_orders_the_league_table(demo_store_path, monkeypatch, order):
    """Sorting by a theme lists its positions best first (authorities without one last), by Authority A to Z;
    the rows are the same authorities with the same positions, and the order is kept in the URL."""
    at = open_page(demo_store_path, monkeypatch, "themes")
    before = league_table(at)
    page_widget(at, "league_sort").set_value(order).run()
    assert not at.exception
    after = league_table(at)
    if order == "Authority":
        assert list(after["Authority"]) == sorted(before["Authority"], key=str.casefold)
    else:
        engine = direct_position_map(demo_store_path, order, LATEST)
        assert shown_positions(after[order]) == sorted(engine.values()) + [None] * (len(after) - len(engine))
    assert list(after["Authority"]) != list(before["Authority"])
    by_name = before.set_index("Authority").sort_index()
    assert after.set_index("Authority").sort_index().equals(by_name)  # same rows, same cells
    assert at.query_params.get("sort") == order


@pytest.mark.parametrize(
    "key, value, selection, title",
    [
        # another period
        ("period", EARLIER, dict(period=EARLIER), f"Leicestershire: position by theme, {EARLIER}"),
        # another focus authority
        ("focus", OTHER_FOCUS, dict(focus=OTHER_FOCUS), f"Surrey: position by theme, {LATEST}"),
        # another comparator group
        ("group", "county-councils", dict(group_id="county-councils"), f"Leicestershire: position by theme, {LATEST}"),
    ],
)
def test_changing_the_selection_plots_the_engine_positions_for_it(
    demo_store_path, monkeypatch, key, value, selection, title
):
    """After a sidebar change the chart title and dots are the engine's for the new selection."""
    at = open_page(demo_store_path, monkeypatch, "themes")
    before = plotted_positions(at)
    choose(at, key, value)
    assert not at.exception
    assert charts(at)[0].title == title
    expected = focus_theme_positions(demo_store_path, **selection)
    assert plotted_positions(at) == expected
    assert expected != before


def test_group_size_sets_the_axis(demo_store_path, monkeypatch):
    """In the 24 county councils, the axis says so and the league table has 24 rows."""
    at = open_page(demo_store_path, monkeypatch, "themes")
    choose(at, "group", "county-councils")
    chart = charts(at)[0]
    assert "Comparator group: county councils (24 authorities)" in chart.subtitle
    x_titles = [layer["encoding"]["x"].get("title") for layer in chart.spec["layer"]]
    assert "Position among 24 positioned (1 = best)" in x_titles
    assert len(league_table(at)) == 24


def test_an_authority_absent_from_the_period_opens_its_theme_rankings(shipped_store_path, monkeypatch):
    """On the real store a council abolished before the period (Northamptonshire, 2021) is still a focus one can
    choose: its Theme rankings page opens, its league table has no marked row, and nothing is raised."""
    from benchmarking.service.views import theme_table

    at = open_page(shipped_store_path, monkeypatch, "themes")
    period = sidebar_box(at, "period").value
    cat, bench = engine(str(shipped_store_path), "all", sidebar_box(at, "focus").value)
    listed = set(theme_table(cat, bench, period)["authority_code"])
    absent = [code for code in cat.authorities["code"] if code not in listed]
    assert absent, f"the shipped store was expected to hold an authority absent from {period}'s league table"
    at = choose(at, "focus", absent[0])
    assert not at.exception, at.exception
    assert sidebar_box(at, "focus").value == absent[0]
