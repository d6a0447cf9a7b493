"""The Trend page: positions over every period equal the engine's, for the chosen themes,
comparator authorities, focus and group."""

import pytest
from apptest_helpers import (
    FOCUS,
    LATEST,
    OTHER_FOCUS,
    catalogue,
    charts,
    choose,
    direct_positions,
    open_page,
    open_section,
    page_widget,
    shows_demo_banner,
)

from benchmarking.method.positions import LA_CORE, OVERALL


def expected_trend(store_path, themes, codes, group_id="all", focus=FOCUS) -> dict[tuple, int]:
    """Return (theme, authority code, period) -> position over every period, recomputed."""
    table = direct_positions(str(store_path), group_id, focus)
    rows = table[table["theme"].isin(themes) & table["authority_code"].isin(codes)].dropna(subset=["position"])
    return {
        (t, a, p): int(pos)
        for t, a, p, pos in zip(rows["theme"], rows["authority_code"], rows["period"], rows["position"])
    }


def plotted_trend(at) -> dict[tuple, int]:
    """Return (theme, authority code, period) -> position as the trend chart plots it."""
    lines = charts(at)[0].data_with("position").dropna(subset=["position"])
    return {
        (t, a, p): int(pos)
        for t, a, p, pos in zip(lines["theme"], lines["authority_code"], lines["period"], lines["position"])
    }


def test_trend_renders_with_titles_naming_periods_and_group(demo_store_path, monkeypatch):
    """The page runs, shows the demo banner, and titles the chart with the periods and the group."""
    at = open_page(demo_store_path, monkeypatch, "trend")
    assert not at.exception
    assert shows_demo_banner(at)
    [chart] = charts(at)
    periods = catalogue(str(demo_store_path)).period_labels
    assert chart.title == f"{OVERALL}, {LA_CORE} position over time, {periods[0]} to {periods[-1]}"
    assert "Comparator group: all authorities (32 authorities)" in chart.subtitle


def test_lines_are_the_engine_positions_of_the_focus(demo_store_path, monkeypatch):
    """Overall and LA Core positions in every period equal positions recomputed from ranks."""
    at = open_page(demo_store_path, monkeypatch, "trend")
    assert plotted_trend(at) == expected_trend(demo_store_path, [OVERALL, LA_CORE], [FOCUS])


def test_choosing_themes_and_comparators_adds_their_lines(demo_store_path, monkeypatch):
    """Education plus Surrey: the title names Education and the chart holds both authorities' lines."""
    at = open_page(demo_store_path, monkeypatch, "trend")
    page_widget(at, "trend_themes").set_value(["Education"]).run()
    page_widget(at, "trend_others").set_value([OTHER_FOCUS]).run()
    assert not at.exception
    assert charts(at)[0].title.startswith("Education position over time")
    assert plotted_trend(at) == expected_trend(demo_store_path, ["Education"], [FOCUS, OTHER_FOCUS])


def test_no_theme_chosen_asks_for_one(demo_store_path, monkeypatch):
    """Clearing the themes shows a prompt instead of an empty chart."""
    at = open_page(demo_store_path, monkeypatch, "trend")
    page_widget(at, "trend_themes").set_value([]).run()
    assert not at.exception
    assert charts(at) == []
    assert at.info[0].value == "Choose at least one theme."


@pytest.mark.parametrize(
    "key, value, focus, group_id, subtitle",
    [
        # another focus authority
        ("focus", OTHER_FOCUS, OTHER_FOCUS, "all", "all authorities (32 authorities)"),
        # another comparator group
        ("group", "county-councils", FOCUS, "county-councils", "county councils (24 authorities)"),
    ],
)
def test_changing_the_selection_shows_the_trend_for_it(
    demo_store_path, monkeypatch, key, value, focus, group_id, subtitle
):
    """After a sidebar change the lines are the engine's positions for the new focus or group."""
    at = open_page(demo_store_path, monkeypatch, "trend")
    choose(at, key, value)
    assert not at.exception
    assert f"Comparator group: {subtitle}" in charts(at)[0].subtitle
    expected = expected_trend(demo_store_path, [OVERALL, LA_CORE], [focus], group_id, focus)
    assert plotted_trend(at) == expected


def test_the_period_does_not_change_the_trend(demo_store_path, monkeypatch):
    """The trend spans every period whichever period the sidebar names."""
    at = open_page(demo_store_path, monkeypatch, "trend")
    before = plotted_trend(at)
    choose(at, "period", "2015/16")
    assert not at.exception
    assert plotted_trend(at) == before
    assert LATEST in charts(at)[0].title


def test_compared_lines_are_named_in_words_and_drawn_on_enough_indicators(shipped_store_path, monkeypatch):
    """Leicestershire's Overall beside Wiltshire and Cumbria on the real figures (review v8): the words give each
    of the three lines; no drawn position rests on fewer than half of its line's most indicators (Leicestershire
    was 1st of 26 in 2007/08 on 9 of up to 327), and the axis ends at the longest "of N" drawn, not the store's 44
    authorities."""
    at = open_page(shipped_store_path, monkeypatch, "trend", {"focus": FOCUS, "period": "2022/23", "group": "all"})
    page_widget(at, "trend_themes").set_value([OVERALL]).run()
    page_widget(at, "trend_others").set_value(["E06000054", "E10000006"]).run()
    assert not at.exception
    [words] = [md.value.replace("\\", "") for md in at.markdown if md.value.startswith("**In words:**")]
    for name in ("Leicestershire's position (1 = best): Overall:", "Wiltshire's position: Overall:", "Cumbria's"):
        assert name in words
    [chart] = charts(at)
    drawn = chart.data_with("position").dropna(subset=["position"])
    assert set(drawn["name"]) == {"Leicestershire", "Wiltshire", "Cumbria"}
    most = drawn.groupby("authority_code")["n_available"].transform("max")
    assert (drawn["n_available"] >= most / 2).all()
    assert "2007/08" not in set(drawn.loc[drawn["authority_code"] == FOCUS, "period"])
    assert chart.spec["encoding"]["y"]["scale"]["domain"][0] == drawn["n_positioned"].max() + 0.5 < 44
    assert chart.subtitle.endswith("1 = best, at the top Periods that rest on few indicators are left out.")


def test_the_data_table_holds_every_period_and_says_which_the_chart_leaves_out(shipped_store_path, monkeypatch):
    """On the real figures the chart of Leicestershire's Overall starts when enough indicators are published; its
    table (the CSV's rows) holds the earlier periods too, each saying it is left out and on how few indicators, and
    is named for the range it holds, not the chart's."""
    at = open_page(shipped_store_path, monkeypatch, "trend", {"focus": FOCUS, "period": "2022/23", "group": "all"})
    page_widget(at, "trend_themes").set_value([OVERALL]).run()
    open_section(at, "table-trend")
    [chart] = charts(at)
    drawn = chart.data_with("position").dropna(subset=["position"])
    [table] = [frame.value for frame in at.dataframe if "On the chart" in frame.value.columns]
    shown = table[table["On the chart"] == "shown"]
    assert sorted(shown["Period"]) == sorted(drawn["period"]), list(table.columns)
    left_out = table[table["On the chart"].str.startswith("left out: rests on ")]
    assert len(left_out) and set(left_out["Period"]).isdisjoint(set(drawn["period"]))
    first = table.dropna(subset=["Position (1 = best)"])["Period"].iloc[0]
    assert first in set(left_out["Period"])  # the earliest held period is one the chart leaves out
    headings = [expander.label for expander in at.expander] + [md.value for md in at.markdown]
    assert any(f"position over time, {first} to" in text for text in headings), headings
