"""The Overview page: headline positions equal the engine's, follow the sidebar, and the URL."""

import pytest
from apptest_helpers import (
    EARLIER,
    FOCUS,
    LATEST,
    OTHER_FOCUS,
    briefing_toggles,
    choose,
    direct_overall_position,
    engine,
    metrics,
    open_page,
    overview_figures,
    position_words,
    shows_demo_banner,
    sidebar_box,
    still_charts,
)

from benchmarking.text.formatting import rank_card_text


def test_overview_renders_with_the_demo_banner(demo_store_path, monkeypatch):
    """The page runs without an exception and says the data is the illustrative demo."""
    at = open_page(demo_store_path, monkeypatch, "overview")
    assert not at.exception
    assert shows_demo_banner(at)
    assert at.title[0].value == "Overview"


def test_overall_performance_is_the_engine_position(demo_store_path, monkeypatch):
    """The Overall metric equals service.overview.overview and a direct ranks -> positions recomputation."""
    at = open_page(demo_store_path, monkeypatch, "overview")
    figures = overview_figures(demo_store_path, LATEST)
    position, n = direct_overall_position(demo_store_path, LATEST)
    assert (figures.overall.position, figures.overall.n) == (position, n)
    shown = metrics(at)
    assert shown["Overall performance"] == position_words(position, n)
    assert shown["LA Core performance"] == position_words(figures.core.position, figures.core.n)
    assert shown["Top-quartile indicators"] == str(figures.quartile_counts.get(1, 0))
    assert shown["Bottom-quartile indicators"] == str(figures.quartile_counts.get(4, 0))
    # Spend and funding name the ends ("Lowest of 32"), from the engine's 1 = highest rank, and the year of the figure.
    spend = f"{rank_card_text(figures.spend.rank, figures.spend.n)} ({figures.spend.basis})"
    assert shown["Spend per head (1st = highest)"] == spend
    # Core spending power names the year of its figure: "Lowest of 33 (2020/21)".
    funding = f"{rank_card_text(figures.funding.rank, figures.funding.n)} ({figures.funding.basis})"
    assert shown["Core spending power per head (1st = highest)"] == funding


def test_without_funding_data_the_fourth_card_shows_deprivation(writable_store, monkeypatch):
    """A store with no core spending power shows the IMD rank card instead of an empty funding card."""
    import duckdb

    with duckdb.connect(str(writable_store.path)) as con:
        con.execute("DELETE FROM funding")
    at = open_page(writable_store.path, monkeypatch, "overview")
    figures = overview_figures(str(writable_store.path), LATEST)
    assert figures.funding.rank is None and figures.deprivation.rank is not None
    label = f"{figures.deprivation.basis} (1st = most deprived)"
    assert metrics(at)[label] == position_words(figures.deprivation.rank, figures.deprivation.n)
    assert not any(name.startswith("Core spending power") for name in metrics(at))


@pytest.mark.parametrize(
    "key, value, selection",
    [
        # another period
        ("period", EARLIER, dict(period=EARLIER)),
        # another focus authority
        ("focus", OTHER_FOCUS, dict(focus=OTHER_FOCUS)),
        # another comparator group (24 county councils instead of all 32)
        ("group", "county-councils", dict(group_id="county-councils")),
    ],
)
def test_changing_the_selection_shows_the_engine_value_for_it(demo_store_path, monkeypatch, key, value, selection):
    """After a sidebar change the Overall metric is the engine's value for the new selection."""
    at = open_page(demo_store_path, monkeypatch, "overview")
    before = metrics(at)["Overall performance"]
    choose(at, key, value)
    assert not at.exception
    chosen = dict(period=LATEST, focus=FOCUS, group_id="all") | selection
    position, n = direct_overall_position(demo_store_path, **chosen)
    assert overview_figures(demo_store_path, **chosen).overall.position == position
    assert metrics(at)["Overall performance"] == position_words(position, n)
    assert metrics(at)["Overall performance"] != before
    assert shows_demo_banner(at)


def test_previous_period_is_named_in_the_improvement_metric(demo_store_path, monkeypatch):
    """The direction-of-travel metric names the period before the chosen one."""
    at = open_page(demo_store_path, monkeypatch, "overview")
    choose(at, "period", EARLIER)
    figures = overview_figures(demo_store_path, EARLIER)
    assert metrics(at)[f"Improved since {figures.previous_period}"] == str(figures.directions.improved)
    assert metrics(at)["Worsened"] == str(figures.directions.worsened)


def test_url_query_params_reflect_the_selection(demo_store_path, monkeypatch):
    """The URL carries focus, period, group and briefing, and follows a change in the sidebar."""
    at = open_page(demo_store_path, monkeypatch, "overview")
    assert dict(at.query_params) == {"focus": FOCUS, "period": LATEST, "group": "all", "briefing": "0"}
    choose(at, "focus", OTHER_FOCUS)
    choose(at, "period", EARLIER)
    choose(at, "group", "county-councils")
    assert dict(at.query_params) == {
        "focus": OTHER_FOCUS,
        "period": EARLIER,
        "group": "county-councils",
        "briefing": "0",
    }


def test_query_params_preset_the_selection(demo_store_path, monkeypatch):
    """Opening a link with focus, period and group shows that selection's figures."""
    at = open_page(
        demo_store_path,
        monkeypatch,
        "overview",
        query={"focus": OTHER_FOCUS, "period": EARLIER, "group": "county-councils"},
    )
    assert not at.exception
    assert sidebar_box(at, "focus").value == OTHER_FOCUS
    assert sidebar_box(at, "period").value == EARLIER
    assert sidebar_box(at, "group").value == "county-councils"
    position, n = direct_overall_position(demo_store_path, EARLIER, OTHER_FOCUS, "county-councils")
    assert metrics(at)["Overall performance"] == position_words(position, n)
    assert "Surrey" in at.caption[0].value


def test_unknown_query_params_fall_back_to_the_defaults(demo_store_path, monkeypatch):
    """A link with an unknown authority, period or group opens the default selection instead."""
    at = open_page(
        demo_store_path, monkeypatch, "overview", query={"focus": "E99999999", "period": "1999/00", "group": "nonsense"}
    )
    assert not at.exception
    assert dict(at.query_params) == {"focus": FOCUS, "period": LATEST, "group": "all", "briefing": "0"}


def test_briefing_param_switches_briefing_mode_on(demo_store_path, monkeypatch):
    """?briefing=1 opens in briefing mode: the sidebar toggle is replaced by one on the page."""
    at = open_page(demo_store_path, monkeypatch, "overview", query={"briefing": "1"})
    assert not at.exception
    [on_page] = briefing_toggles(at, in_sidebar=False)
    assert on_page.value is True
    assert not briefing_toggles(at, in_sidebar=True)
    on_page.set_value(False).run()
    assert not at.exception
    assert at.query_params["briefing"] == "0"
    assert briefing_toggles(at, in_sidebar=True)
    assert not briefing_toggles(at, in_sidebar=False)


def test_briefing_toggle_in_the_sidebar_switches_briefing_mode_on(demo_store_path, monkeypatch):
    """Switching the sidebar toggle on moves it to the page and sets briefing=1 in the URL."""
    at = open_page(demo_store_path, monkeypatch, "overview")
    [in_sidebar] = briefing_toggles(at, in_sidebar=True)
    in_sidebar.set_value(True).run()
    assert not at.exception
    assert at.query_params["briefing"] == "1"
    assert briefing_toggles(at, in_sidebar=False)[0].value is True


@pytest.mark.parametrize(
    "page",
    [
        "overview",
        "quadrant",
        "themes",
        "indicator",
        "quartiles",
        "trend",
        "funding",
        "data",
    ],
)
def test_focus_outside_the_group_shows_no_traceback(demo_store_path, monkeypatch, page):
    """A focus authority outside the chosen group (Surrey in the East Midlands) is shown beside it, no exception."""
    at = open_page(demo_store_path, monkeypatch, page, query={"focus": OTHER_FOCUS, "group": "region:East Midlands"})
    assert sidebar_box(at, "focus").value == OTHER_FOCUS
    assert not at.exception


def test_the_position_over_time_is_a_still_chart_of_the_engine_positions(demo_store_path, monkeypatch):
    """The Overview draws its sparkline as an SVG image rendered on the server (no Vega chart, so the first page a
    session opens loads no charting code); the picture and its text alternative hold every period's position."""
    import base64
    import html
    import re

    at = open_page(demo_store_path, monkeypatch, "overview")
    assert not at.exception
    assert not at.get("arrow_vega_lite_chart") and not at.get("vega_lite_chart")
    stills = still_charts(at)
    assert len(stills) == 1
    source = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', stills[0]).group(1)
    svg = base64.b64decode(source).decode("utf-8")
    alt = html.unescape(re.search(r'alt="([^"]*)"', stills[0]).group(1))
    caption = next(c.value for c in at.caption if c.value.startswith("Position 1 (best) at the top."))
    periods = re.findall(r"(\d{4}/\d{2}): (\d+)(?:st|nd|rd|th)", alt)
    assert len(periods) > 1 and all(f"{p}: " in caption.replace("\\", "") for p, _ in periods)
    assert dict(periods)[LATEST] == str(overview_figures(demo_store_path, LATEST).overall.position)
    # The axis names the first and last periods; the picture is SVG with its labels as text.
    assert svg.startswith("<svg") and f">{periods[0][0]}<" in svg and f">{periods[-1][0]}<" in svg


def test_the_position_over_time_leaves_out_periods_that_rest_on_few_indicators(shipped_store_path, monkeypatch):
    """On the real store early periods rest on a handful of indicators (publishers start at different times):
    the Overview's line leaves them out, says which and on how few they rest, and keeps every other period."""
    import base64
    import html
    import re

    from benchmarking.method.positions import OVERALL
    from benchmarking.service.lists import thin_periods
    from benchmarking.service.views import trend_view

    at = open_page(shipped_store_path, monkeypatch, "overview")
    assert not at.exception
    code = sidebar_box(at, "focus").value  # the box holds codes, shown as names
    cat, bench = engine(str(shipped_store_path), "all", code)
    every = trend_view(cat, bench, [OVERALL], [code])
    [thin] = thin_periods(every)
    alt = html.unescape(re.search(r'alt="([^"]*)"', still_charts(at)[0]).group(1))
    shown = re.findall(r"(\d{4}/\d{2}): \d+", alt)
    assert shown == [p for p, v in zip(every["period"], every["position"]) if v == v and p not in thin.periods]
    # The scale ends at the most authorities positioned in a period shown (not the group's 44 members).
    kept = every[~every["period"].isin(thin.periods)]
    svg = base64.b64decode(re.search(r"base64,([^\"]+)\"", still_charts(at)[0]).group(1)).decode()
    assert f">{int(kept['n_positioned'].max())}<" in svg and f">{len(cat.authorities)}<" not in svg
    note = next(c.value for c in at.caption if c.value.startswith("Left out:"))
    assert f"rests on {thin.fewest}-{thin.most_of_thin} indicators against up to {thin.most}" in note


def test_an_authority_without_a_position_in_some_periods_opens_its_overview(shipped_store_path, monkeypatch):
    """On the real store some authorities have periods with no Overall position (under the coverage rule): their
    Overview draws the line over the periods they hold one in, names those, and raises nothing."""
    import html
    import re

    from benchmarking.method.positions import OVERALL
    from benchmarking.service.lists import without_thin_periods
    from benchmarking.service.views import trend_view

    at = open_page(shipped_store_path, monkeypatch, "overview")
    cat, bench = engine(str(shipped_store_path), "all", sidebar_box(at, "focus").value)
    codes = list(cat.authorities["code"])
    trend, _ = without_thin_periods(trend_view(cat, bench, [OVERALL], codes))
    gaps = trend[trend["position"].isna()]
    held = trend[trend["position"].notna()]
    gapped = [code for code in dict.fromkeys(gaps["authority_code"]) if code in set(held["authority_code"])]
    assert gapped, "the shipped store was expected to hold an authority with a period of no Overall position"
    for code in gapped[:2]:
        at = choose(at, "focus", code)
        assert not at.exception, at.exception
        alt = html.unescape(re.search(r'alt="([^"]*)"', still_charts(at)[0]).group(1))
        mine = held[held["authority_code"].eq(code)]
        assert re.findall(r"(\d{4}/\d{2}): \d+", alt) == list(mine["period"])


def test_the_position_over_time_names_the_span_it_draws(shipped_store_path, monkeypatch):
    """Cumbria (abolished 2023) has no Overall position in its last period (too few figures): the heading names
    the periods the line draws, first to last, never a period after the last point; that period is named as having
    no position."""
    import html
    import re

    from benchmarking.method.positions import OVERALL
    from benchmarking.service.lists import without_thin_periods
    from benchmarking.service.views import trend_view

    cumbria = "E10000006"
    at = open_page(shipped_store_path, monkeypatch, "overview", {"focus": cumbria})
    assert not at.exception
    cat, bench = engine(str(shipped_store_path), "all", cumbria)
    trend, _ = without_thin_periods(trend_view(cat, bench, [OVERALL], [cumbria]))
    held = trend[trend["position"].notna()]
    unheld = list(trend.loc[trend["position"].isna(), "period"])
    assert unheld, "Cumbria was expected to have a period without an Overall position in the shipped store"
    alt = html.unescape(re.search(r'alt="([^"]*)"', still_charts(at)[0]).group(1))
    drawn = re.findall(r"(\d{4}/\d{2}): \d+", alt)
    assert drawn == list(held["period"])
    headings = [s.value for s in at.subheader if s.value.startswith("Overall position over time")]
    assert headings == [f"Overall position over time, {drawn[0]} to {drawn[-1]}"]
    assert any(f"No position in {', '.join(unheld)}" in html.unescape(c.value).replace("\\", "") for c in at.caption)


def test_places_gained_are_plain_when_the_number_positioned_is_the_same(demo_store_path, monkeypatch):
    """In the demo store every period positions the same authorities: the delta is places gained alone."""
    figures = overview_figures(demo_store_path, LATEST)
    overall = figures.overall
    assert overall.n == overall.previous_n
    at = open_page(demo_store_path, monkeypatch, "overview")
    delta = next(m.delta for m in at.metric if m.label == "Overall performance")
    if overall.previous == overall.position:
        assert delta is None
    else:
        gained = overall.previous - overall.position
        said = f"{gained:+d} place{'s' if abs(gained) > 1 else ''} since {figures.previous_period}"
        assert delta.replace("\\", "") == said
