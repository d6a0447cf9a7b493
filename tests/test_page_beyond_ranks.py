"""The Beyond ranks page: intervals, theme weights, value for money, similar authorities and
significant change all show the engine's figures for the selection."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from apptest_helpers import (
    FOCUS,
    LATEST,
    OTHER_FOCUS,
    catalogue,
    chart_titled,
    choose,
    direct_position_map,
    engine,
    html_tables,
    metrics,
    open_page,
    page_widget,
    position_words,
    shown_table,
    shows_demo_banner,
    sidebar_box,
)

from benchmarking.ingest.importer import import_frames
from benchmarking.method import sensitivity, significance, similarity, uncertainty
from benchmarking.method.positions import OVERALL
from benchmarking.method.value_for_money import ASSUMPTIONS, efficiency_frontier
from benchmarking.text.escaping import markdown

PAGE = "beyond_ranks"
# the page's questions (its sections), chosen one at a time, and the header each draws
SECTIONS = {
    "certainty": "How sure is the position?",
    "weights": "How much does the weighting of themes matter?",
    "baskets": "How much does the basket of indicators matter?",
    "money": "Who gets more for their money?",
    "similar": "Who is genuinely like us?",
    "significance": "Which changes are more than noise?",
}
DRAWN_BY = {
    "weights": ("pages._beyond_weights", "draw_weights"),
    "baskets": ("pages._beyond_baskets", "draw_baskets"),
    "money": ("pages._beyond_money", "draw_value_for_money"),
    "similar": ("pages._beyond_peers", "draw_similar"),
    "significance": ("pages._beyond_peers", "draw_significance"),
}


@pytest.fixture
def page(demo_store_path, monkeypatch):
    """The page opened on the demo store with the default selection (its first question)."""
    return open_page(demo_store_path, monkeypatch, PAGE)


@pytest.fixture
def section(demo_store_path, monkeypatch):
    """Open the page on the demo store at one question, as a link with ``?section=NAME`` does."""
    return lambda name: open_page(demo_store_path, monkeypatch, PAGE, query={"section": name})


def table_with(at, *columns: str) -> pd.DataFrame:
    """Return the one dataframe on the page that has all ``columns``."""
    frames = [frame.value for frame in at.dataframe if set(columns) <= set(frame.value.columns)]
    assert len(frames) == 1, f"expected one table with {columns}; found {len(frames)}"
    return frames[0]


def weight_slider(at, theme: str):
    return at.slider(key=f"beyond_weight_{theme.lower().replace(' ', '-')}")


# -- the page as a whole -----------------------------------------------------------------


def headers(at) -> list[str]:
    """Return the section headers the page shows."""
    return [header.value for header in at.header if header.value in SECTIONS.values()]


def test_page_shows_one_question_at_a_time_with_the_demo_banner(page):
    """The page runs without an exception, says the data is the demo, opens on its first question, and
    draws each other one (and only that one) when it is chosen."""
    assert not page.exception
    assert shows_demo_banner(page)
    assert page.title[0].value == "Beyond ranks"
    assert headers(page) == [SECTIONS["certainty"]]
    for name, header in SECTIONS.items():
        page_widget(page, "beyond_section").set_value(name).run()
        assert not page.exception
        assert headers(page) == [header]
        assert page.query_params.get("section", "certainty") == name  # the default stays out of the URL


def test_a_first_visit_builds_none_of_the_other_questions(demo_store_path, monkeypatch):
    """Opened on its first question, the page calls no other section's drawing (so it builds none of their
    tables, charts or sliders); a link to a question draws that one alone."""
    import importlib

    called = []
    for name, (module, function) in DRAWN_BY.items():
        monkeypatch.setattr(importlib.import_module(module), function, lambda *args, name=name: called.append(name))
    at = open_page(demo_store_path, monkeypatch, PAGE)
    assert not at.exception
    assert called == []
    assert not at.slider and not at.dataframe  # no grid: the focus's close neighbours are a plain HTML table
    at = open_page(demo_store_path, monkeypatch, PAGE, query={"section": "money"})
    assert not at.exception
    assert called == ["money"]


# -- 1. rank uncertainty -----------------------------------------------------------------


def test_interval_chart_shows_engine_positions_and_the_bootstrap_interval(page, demo_store_path):
    """Each point is the engine's Overall position; its interval is uncertainty's, and holds the point."""
    chart = chart_titled(page, "Overall position with its 90% interval")
    assert chart.title == f"Overall position with its 90% interval, {LATEST}"
    assert "Comparator group: all authorities (32 authorities)" in chart.subtitle
    data = chart.data_with("lower")
    assert dict(zip(data["authority_code"], data["position"].astype(int))) == direct_position_map(
        demo_store_path, OVERALL, LATEST
    )
    assert ((data["lower"] <= data["position"]) & (data["position"] <= data["upper"])).all()
    cat, bench = engine(str(demo_store_path))
    expected = uncertainty.bootstrap_positions(bench.ranks, cat.indicators, LATEST).intervals()
    expected = expected[expected["theme"] == OVERALL].set_index("authority_code")
    shown = data.set_index("authority_code")
    assert (shown["lower"].astype(int) == expected.loc[shown.index, "lower"].astype(int)).all()
    assert (shown["upper"].astype(int) == expected.loc[shown.index, "upper"].astype(int)).all()


def test_narrative_gives_the_focus_position_with_its_interval(page, demo_store_path):
    """The sentence under the chart reads '<name> ranks Nth of 32, likely between ...'."""
    cat, bench = engine(str(demo_store_path))
    row = uncertainty.bootstrap_positions(bench.ranks, cat.indicators, LATEST).intervals()
    row = row[(row["theme"] == OVERALL) & (row["authority_code"] == FOCUS)].iloc[0]
    expected = uncertainty.interval_text(row["position"], row["lower"], row["upper"], row["n_positioned"])
    assert any(markdown(f"Leicestershire ranks {expected}") in block.value for block in page.markdown)


def test_choosing_a_theme_plots_that_themes_intervals(page, demo_store_path):
    """Adult Social Care: the chart's positions are that theme's engine positions."""
    page_widget(page, "beyond_theme").set_value("Adult Social Care").run()
    assert not page.exception
    data = chart_titled(page, "Adult Social Care position").data_with("lower")
    assert dict(zip(data["authority_code"], data["position"].astype(int))) == direct_position_map(
        demo_store_path, "Adult Social Care", LATEST
    )


def test_comparator_group_changes_the_intervals_group(page, demo_store_path):
    """Choosing county councils ranks among 24: the chart's subtitle and positions follow."""
    choose(page, "group", "county-councils")
    assert not page.exception
    chart = chart_titled(page, "Overall position with its 90% interval")
    assert "county councils (24 authorities)" in chart.subtitle
    data = chart.data_with("lower")
    assert dict(zip(data["authority_code"], data["position"].astype(int))) == direct_position_map(
        demo_store_path, OVERALL, LATEST, group_id="county-councils"
    )


def test_another_focus_authority_is_highlighted_and_named(page):
    """Choosing Surrey moves the highlight and the sentence to Surrey."""
    choose(page, "focus", OTHER_FOCUS)
    assert not page.exception
    data = chart_titled(page, "Overall position with its 90% interval").data_with("lower")
    assert set(data.loc[data["group"] == "Focus authority", "authority_code"]) == {OTHER_FOCUS}
    assert any(block.value.startswith("Surrey ranks") for block in page.markdown)


def test_close_neighbours_table_gives_the_shares_ahead_level_and_behind(page):
    """Under the interval chart, each authority whose interval overlaps the focus's is listed with the shares
    of redraws in which the focus is ahead, level or behind: three percentages that make 100%."""
    [body] = [node.value for node in page.get("html") if node.value.startswith("<table")]
    table = shown_table(body)
    assert list(table.columns[-3:]) == ["Leicestershire ahead", "Level", "Leicestershire behind"]
    shares = table[table.columns[-3:]].apply(lambda column: column.str.rstrip("%").astype(int))
    assert len(table) > 0 and shares.sum(axis=1).between(98, 102).all()  # each share is rounded to 1%
    assert "Leicestershire" not in set(table["Authority"])


# -- 2. theme weights ----------------------------------------------------------------------


def test_equal_weights_show_the_default_overall_position(section, demo_store_path):
    """With every slider at 1 the weighted position is the engine's Overall position."""
    page = section("weights")
    position = direct_position_map(demo_store_path, OVERALL, LATEST)[FOCUS]
    shown = metrics(page)
    assert shown["Overall position with these weights"] == position_words(position, 32)
    assert shown["Default Overall position"] == position_words(position, 32)


def test_moving_a_theme_weight_shows_the_weighted_position_and_equal_weights_restores_it(section, demo_store_path):
    """Weighting Housing 3x gives sensitivity's position; the Equal weights button brings the default back."""
    page = section("weights")
    weight_slider(page, "Housing").set_value(3.0).run()
    assert not page.exception
    cat, bench = engine(str(demo_store_path))
    expected = sensitivity.theme_weighted_positions(bench.ranks, cat.indicators, LATEST, {"Housing": 3.0})
    row = expected[(expected["theme"] == OVERALL) & (expected["authority_code"] == FOCUS)].iloc[0]
    assert row["position"] != row["default_position"], "the demo focus should move when Housing weighs 3x"
    assert metrics(page)["Overall position with these weights"] == position_words(row["position"], 32)
    shares = chart_titled(page, "share of the Overall average").data_with("share")
    assert shares.set_index("theme").loc["Housing", "weight"] == 3.0
    page.button(key="beyond_equal_weights").click().run()
    assert weight_slider(page, "Housing").value == 1.0
    assert metrics(page)["Overall position with these weights"] == position_words(row["default_position"], 32)


def test_theme_weights_are_kept_while_another_question_is_shown(section):
    """A weight moved, another question chosen and the weights chosen again: the slider and the weighted
    position are as the reader left them."""
    page = section("weights")
    weight_slider(page, "Housing").set_value(3.0).run()
    weighted = metrics(page)["Overall position with these weights"]
    page_widget(page, "beyond_section").set_value("certainty").run()
    assert not page.exception and not page.slider
    page_widget(page, "beyond_section").set_value("weights").run()
    assert not page.exception
    assert weight_slider(page, "Housing").value == 3.0 and weight_slider(page, "Education").value == 1.0
    assert metrics(page)["Overall position with these weights"] == weighted


def test_leave_one_theme_out_lists_every_theme(section, demo_store_path):
    """The table has one row per theme, with the focus authority's position without it."""
    page = section("weights")
    table = table_with(page, "theme left out", "position without it")
    cat, _bench = engine(str(demo_store_path))
    assert sorted(table["theme left out"]) == sorted(cat.themes)


# -- 3. value for money ------------------------------------------------------------------


def test_frontier_chart_marks_the_frontier_authorities(section, demo_store_path):
    """The scatter's on_frontier flags are efficiency_frontier's on the same figures; assumptions are stated."""
    page = section("money")
    chart = chart_titled(page, "Overall performance against spend per head")
    data = chart.data_with("spend_gap")
    assert len(data) == 32
    recomputed = efficiency_frontier(data[["authority_code", "performance_score", "spend_per_head"]])
    assert (
        recomputed.set_index("authority_code")["on_frontier"] == data.set_index("authority_code")["on_frontier"]
    ).all()
    spend = catalogue(str(demo_store_path)).spend
    total = spend[(spend["period"] == LATEST) & (spend["service"] == "total")].set_index("authority_code")
    assert (
        data.set_index("authority_code")["spend_per_head"]
        == total.loc[data["authority_code"], "net_expenditure_per_head"].to_numpy()
    ).all()
    assert any(ASSUMPTIONS[0][:40] in block.value for block in page.markdown)
    coefficients = next(table for table in html_tables(page) if "Estimate" in table.columns)
    assert list(coefficients["Term"]) == ["Intercept", "Spend per head (per £100)", "Deprivation (per IMD point)"]


# -- 4. similar authorities ----------------------------------------------------------------


def test_similar_authorities_are_the_k_nearest_without_the_focus(section, demo_store_path):
    """The table lists the k nearest by distance, never the focus; k follows the slider."""
    page = section("similar")
    table = table_with(page, "Distance", "Neighbour rank")
    assert len(table) == 10 and FOCUS not in set(table["Code"])
    assert table["Distance"].is_monotonic_increasing
    features = similarity.context_features(
        catalogue(str(demo_store_path)).authorities,
        catalogue(str(demo_store_path)).spend,
        catalogue(str(demo_store_path)).funding,
        catalogue(str(demo_store_path)).deprivation,
    )
    assert list(table["Code"]) == list(similarity.nearest_neighbours(features, FOCUS, 10)["authority_code"])
    page.select_slider(key="beyond_k").set_value(4).run()
    assert len(table_with(page, "Distance", "Neighbour rank")) == 4


def test_a_loaded_neighbour_list_is_shown_with_computed_distances(writable_store, monkeypatch):
    """A nearest-neighbour list stored for the focus appears with each member's computed distance."""
    members = [code for code in sorted(writable_store.authorities()["code"]) if code != FOCUS][:3]
    rows = pd.DataFrame(
        {"group_id": "test-nn", "name": "Test neighbours", "authority_code": FOCUS, "member_code": members}
    )
    import_frames(writable_store, [("comparator_group", rows, "neighbours.csv")])
    at = open_page(writable_store.path, monkeypatch, PAGE, query={"section": "similar"})
    assert not at.exception
    assert any(header.value == "Test neighbours (loaded list)" for header in at.subheader)
    listed = table_with(at, "Distance", "rank by computed distance")
    assert set(listed["Code"]) == set(members)


# -- 5. significance of change -------------------------------------------------------------


def test_significance_table_is_the_focus_authoritys_tested_changes(section, demo_store_path):
    """The table holds one row per indicator of the focus in the period; the metrics count its assessments."""
    page = section("significance")
    cat, bench = engine(str(demo_store_path))
    tested = significance.significant_change(bench.travel, cat.indicators)
    mine = tested[(tested["authority_code"] == FOCUS) & (tested["period"] == LATEST)]
    table = table_with(page, "Assessment", "z-score")
    assert len(table) == len(mine)
    shown = metrics(page)
    assert shown["Significantly improved"] == str((mine["assessment"] == significance.SIGNIFICANTLY_IMPROVED).sum())
    assert shown["Significantly worsened"] == str((mine["assessment"] == significance.SIGNIFICANTLY_WORSENED).sum())
    page_widget(page, "beyond_significant_only").set_value(True).run()
    only = table_with(page, "Assessment", "z-score")
    assert len(only) == int(mine["significant"].sum())
    assert set(only["Assessment"]) <= {significance.SIGNIFICANTLY_IMPROVED, significance.SIGNIFICANTLY_WORSENED}


# -- a computed similar group as the comparator group ------------------------------------------


def test_a_similar_group_can_be_chosen_as_the_comparator_group(page):
    """Choosing 'similar:10' in the sidebar ranks the focus among itself and its 10 nearest (11)."""
    choose(page, "group", "similar:10")
    assert not page.exception
    chart = chart_titled(page, "Overall position with its 90% interval")
    assert "(11 authorities)" in chart.subtitle
    assert len(chart.data_with("lower")) == 11


def test_the_similar_groups_example_is_worded_as_the_sidebar_offers_it(section):
    """The example of a computed group to choose quotes one of the sidebar's own options, word for word."""
    page = section("similar")
    offered = sidebar_box(page, "group").options
    said = " ".join(block.value for block in page.info).replace("\\", "")  # as read: Markdown's escapes undone
    examples = re.findall(r"'([^']+)'", said)
    quoted = [option for option in offered for example in examples if option.startswith(f"{example} (")]  # + size
    assert quoted and all("most similar" in option for option in quoted), (said, offered)
