"""The Indicator explorer: one indicator's values and ranks across the group equal the
store's values and the engine's ranks, for the chosen indicator, period, focus and group."""

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
    direct_ranks,
    metrics,
    open_page,
    open_section,
    page_widget,
    position_words,
    shows_demo_banner,
)

from benchmarking.text.formatting import number


def ranked_indicators(store_path):
    """Return the ranked indicators in the page's order (theme, then name)."""
    indicators = catalogue(str(store_path)).indicators
    return indicators[indicators["polarity"] != "none"].sort_values(["theme", "name"])


def stored_value(store_path, indicator_id, period, focus):
    """Return one value straight from the store's indicator_value table."""
    values = catalogue(str(store_path)).values
    row = values[
        (values["indicator_id"] == indicator_id) & (values["period"] == period) & (values["authority_code"] == focus)
    ]
    return row["value"].iloc[0]


def expected_ranks(store_path, indicator_id, period, group_id="all"):
    """Return authority code -> rank on one indicator, from ranking.indicator_ranks."""
    ranks = direct_ranks(str(store_path), group_id, FOCUS)
    rows = ranks[(ranks["indicator_id"] == indicator_id) & (ranks["period"] == period)].dropna(subset=["rank"])
    return {code: int(rank) for code, rank in zip(rows["authority_code"], rows["rank"])}


def plotted_ranks(at, name, period):
    """Return authority code -> rank from the bar chart titled '<name>, <period>'."""
    bars = chart_titled(at, f"{name}, {period}").data_with("rank").dropna(subset=["rank"])
    return {code: int(rank) for code, rank in zip(bars["authority_code"], bars["rank"])}


def test_indicator_renders_the_first_indicator(demo_store_path, monkeypatch):
    """The page opens on the first ranked indicator, titled with its period and the group."""
    at = open_page(demo_store_path, monkeypatch, "indicator")
    assert not at.exception
    assert shows_demo_banner(at)
    first = ranked_indicators(demo_store_path).iloc[0]
    assert page_widget(at, "indicator_id").value == first["id"]
    bars = chart_titled(at, f"{first['name']}, {LATEST}")
    assert "Comparator group: all authorities (32 authorities)" in bars.subtitle
    assert "against the group over time" in charts(at)[1].title


def test_bars_hold_the_engine_ranks_and_the_focus_value(demo_store_path, monkeypatch):
    """The bars' ranks equal ranking.indicator_ranks; the metric is the stored value."""
    at = open_page(demo_store_path, monkeypatch, "indicator")
    first = ranked_indicators(demo_store_path).iloc[0]
    assert plotted_ranks(at, first["name"], LATEST) == expected_ranks(demo_store_path, first["id"], LATEST)
    value = stored_value(demo_store_path, first["id"], LATEST, FOCUS)
    assert metrics(at)[f"Leicestershire, {LATEST}"] == number(value, first["unit"])


def test_choosing_a_theme_and_indicator_shows_that_indicator(demo_store_path, monkeypatch):
    """Picking a theme narrows the list; picking an indicator plots its values."""
    at = open_page(demo_store_path, monkeypatch, "indicator")
    in_theme = ranked_indicators(demo_store_path)
    in_theme = in_theme[in_theme["theme"] == "Education"]
    page_widget(at, "indicator_theme").set_value("Education").run()
    assert not at.exception
    assert page_widget(at, "indicator_id").value == in_theme["id"].iloc[0]
    assert set(page_widget(at, "indicator_id").options) == set(in_theme["name"] + " (Education)")
    chosen = in_theme.iloc[1]
    page_widget(at, "indicator_id").set_value(chosen["id"]).run()
    assert not at.exception
    assert plotted_ranks(at, chosen["name"], LATEST) == expected_ranks(demo_store_path, chosen["id"], LATEST)


@pytest.mark.parametrize(
    "key, value, period, focus, group_id",
    [
        # another period
        ("period", EARLIER, EARLIER, FOCUS, "all"),
        # another focus authority
        ("focus", OTHER_FOCUS, LATEST, OTHER_FOCUS, "all"),
        # another comparator group
        ("group", "county-councils", LATEST, FOCUS, "county-councils"),
    ],
)
def test_changing_the_selection_shows_the_values_for_it(
    demo_store_path, monkeypatch, key, value, period, focus, group_id
):
    """After a sidebar change the chart, ranks and metric are those of the new selection."""
    at = open_page(demo_store_path, monkeypatch, "indicator")
    first = ranked_indicators(demo_store_path).iloc[0]
    choose(at, key, value)
    assert not at.exception
    ranks = expected_ranks(demo_store_path, first["id"], period, group_id)
    assert plotted_ranks(at, first["name"], period) == ranks
    bars = chart_titled(at, f"{first['name']}, {period}").data_with("rank")
    assert list(bars.loc[bars["is_focus"], "authority_code"]) == [focus]
    name = "Surrey" if focus == OTHER_FOCUS else "Leicestershire"
    assert metrics(at)[f"{name}, {period}"] == number(
        stored_value(demo_store_path, first["id"], period, focus), first["unit"]
    )
    assert any(c.value.startswith(f"Ranked {position_words(ranks[focus], len(ranks))}") for c in at.caption)


@pytest.mark.parametrize("briefing", ["0", "1"])
def test_the_bar_chart_subtitle_wraps_to_the_narrowest_chart(demo_store_path, monkeypatch, briefing):
    """Review v9: at 1366 px the subtitle was one line cut by the chart's width ("♦ = Lei…"). It is now lines
    that each fit the page's column the chart stretches across at 1366 px, measured in the title's font, and
    together they hold the whole subtitle, the focus authority's name at its end. (Leicestershire beside the
    county unitaries makes the subtitle longer than one line in either mode.)"""
    from PIL import ImageFont

    from benchmarking.charts import FOCUS_MARK, style_for
    from benchmarking.text.typesetting import FONT_FOLDERS

    query = {"briefing": briefing, "group": "county-unitaries"}
    at = open_page(demo_store_path, monkeypatch, "indicator", query=query)
    first = ranked_indicators(demo_store_path).iloc[0]
    subtitle = chart_titled(at, f"{first['name']}, {LATEST}").spec["title"]["subtitle"]
    style = style_for(briefing == "1")
    arial = next(  # the widths of the title's font (Arial's, Liberation Sans's)
        (path for folder in FONT_FOLDERS if folder.is_dir() for path in folder.rglob("LiberationSans-Regular.ttf")),
        None,
    )
    if arial is None:
        pytest.skip("Liberation Sans (Debian's fonts-liberation, Arial's widths) is not installed")
    font = ImageFont.truetype(str(arial), style.subtitle_size)
    assert isinstance(subtitle, list) and len(subtitle) > 1
    assert all(font.getlength(line) <= style.column for line in subtitle), subtitle  # the column it stretches across
    assert " ".join(subtitle).startswith("Comparator group: county unitaries")
    assert "Leicestershire shown beside it, not ranked in it" in " ".join(subtitle)
    assert " ".join(subtitle).endswith(f"{FOCUS_MARK} = Leicestershire")


def test_in_words_names_every_authority_tied_best(shipped_store_path, monkeypatch):
    """On the real figures, County Durham and Northumberland share the best ASC carer quality of life score in
    2022/23 (8.2, both ranked 1st): the words name both (review v8), as the bars' ranks do."""
    query = {"focus": FOCUS, "period": "2022/23", "group": "all", "indicator": "ASC1"}
    at = open_page(shipped_store_path, monkeypatch, "indicator", query)
    assert not at.exception
    assert page_widget(at, "indicator_id").value == "ASC1"
    bars = charts(at)[0].data_with("rank")
    assert set(bars.loc[bars["rank"] == 1, "name"]) == {"County Durham", "Northumberland"}
    bars_words = next(md.value.replace("\\", "") for md in at.markdown if md.value.startswith("**In words:**"))
    assert bars_words.startswith("**In words:** Best: County Durham and Northumberland (8.2). Leicestershire: 7,")


def test_a_target_indicator_shows_its_target_mid_point(demo_store_path, monkeypatch, tmp_path):
    """An indicator ranked by closeness to a target names the mid-point in its header words, draws it as a rule on
    both charts, and gives it in its data tables (the CSVs) and under "Source and definition"."""
    import shutil

    import duckdb

    path = tmp_path / "target.duckdb"
    shutil.copy(demo_store_path, path)
    first = ranked_indicators(demo_store_path).iloc[0]
    with duckdb.connect(str(path)) as con:
        con.execute("UPDATE indicator SET polarity = 'target', target_midpoint = 22 WHERE id = ?", [first["id"]])
    at = open_page(path, monkeypatch, "indicator")
    assert not at.exception
    words = number(22.0, first["unit"])
    said = [m.value.replace("\\", "") for m in at.markdown]  # as read: without Markdown's escapes
    assert any(f"closest to the target mid-point ({words}) is best" in text for text in said)
    drawn = charts(at)
    assert len(drawn) == 2
    for chart in drawn:
        rules = [frame for frame in chart.datasets.values() if "target" in frame.columns]
        assert [frame["target"].tolist() for frame in rules] == [[22.0]] * len(rules) and rules
    open_section(open_section(at, "table-indicator-bars"), "table-indicator-series")
    tables = [frame.value for frame in at.dataframe]
    targets = [[c for c in table.columns if "target" in c.lower()] for table in tables]
    assert len(tables) == 2 and all(len(named) == 1 for named in targets), targets
    assert all((table[named[0]] == 22.0).all() for table, named in zip(tables, targets))
    assert any(text.startswith(f"**Target mid-point:** {words}") for text in said)
