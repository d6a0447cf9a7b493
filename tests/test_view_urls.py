"""The whole view in the URL: every page's own choices (theme, axis, indicator, trend themes and
authorities, "why this rank" theme, funding reference, ...) are written to the query string and
read back by a fresh session; a value the page does not offer gives a visible notice naming it."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, parse_qsl, urlparse

import pytest
from apptest_helpers import OTHER_FOCUS, catalogue, open_page
from browser_support import EXPECT_SECONDS, NORMAL_VIEWPORT, wait_for_page

from benchmarking.method.positions import LA_CORE, OVERALL

HOSTILE = "<script>alert(1)</script>"


def page_widget(at, key: str):
    """Return the page's widget with ``key`` (any kind the view choices use)."""
    kinds = (at.selectbox, at.radio, at.multiselect, at.toggle, at.select_slider)
    found = [widget for kind in kinds for widget in kind if widget.key == key]
    assert len(found) == 1, f"expected one widget with key {key!r}"
    return found[0]


def set_widgets(at, choices: dict):
    """Set each widget (by key) to its value, rerunning after each, and return the app."""
    for key, value in choices.items():
        page_widget(at, key).set_value(value)
        at.run()
        assert not at.exception, at.exception
    return at


def reopen(store_path, monkeypatch, page: str, at) -> object:
    """Open the page in a fresh session on the URL the first session ended with."""
    query = dict(at.query_params)
    return open_page(store_path, monkeypatch, page, query=query)


def round_trip(store_path, monkeypatch, page: str, choices: dict, expected_params: dict, query: dict | None = None):
    """Open the page (at ``query``), set the choices, check the URL carries ``expected_params``, and find the
    same values in a fresh session."""
    at = open_page(store_path, monkeypatch, page, query=query)
    assert not at.exception
    set_widgets(at, choices)
    for param, value in expected_params.items():
        assert at.query_params.get(param) == value, (param, at.query_params)
    fresh = reopen(store_path, monkeypatch, page, at)
    assert not fresh.exception
    for key, value in choices.items():
        assert page_widget(fresh, key).value == value, key
    assert not notices(fresh)
    return fresh


def notices(at) -> list[str]:
    """Return the URL notices on the page (warnings that say what the link asked for)."""
    return [w.value for w in at.warning if "The link asks for" in w.value]


# page -> (its choices by widget key, the URL parameters they write), from the store's catalogue
ROUND_TRIPS = {
    # theme, comparator axis and "every theme at once"
    "quadrant": lambda cat: (
        {"quadrant_theme": cat.themes[0], "quadrant_axis": "Deprivation", "quadrant_multiples": True},
        {"theme": cat.themes[0], "axis": "Deprivation", "every_theme": "1"},
    ),
    # the "why this rank" theme (its section opened by a link that names one) and the league table's order
    "themes?why=Overall": lambda cat: (
        {"why_theme": cat.themes[1], "league_sort": cat.themes[0]},
        {"why": cat.themes[1], "sort": cat.themes[0]},
    ),
    # trend themes and compared authorities (several values each), in order
    "trend": lambda cat: (
        {"trend_themes": [LA_CORE, cat.themes[0]], "trend_others": [OTHER_FOCUS, "E10000003"]},
        {"themes": [LA_CORE, cat.themes[0]], "compare": [OTHER_FOCUS, "E10000003"]},
    ),
    # the "better off if funded like" reference
    "funding": lambda cat: ({"funding_reference": OTHER_FOCUS}, {"reference": OTHER_FOCUS}),
    # Beyond ranks, one question at a time: theme and replicates; the question chosen and the similar count;
    # opened at a question by its link: the value-for-money theme, the significance filter
    "beyond_ranks": lambda cat: (
        {"beyond_theme": LA_CORE, "beyond_replicates": 200},
        {"theme": LA_CORE, "replicates": "200"},
    ),
    "beyond_ranks?section=certainty": lambda cat: (
        {"beyond_section": "similar", "beyond_k": 5},
        {"section": "similar", "similar": "5"},
    ),
    "beyond_ranks?section=money": lambda cat: ({"beyond_vfm_theme": LA_CORE}, {"money_theme": LA_CORE}),
    "beyond_ranks?section=significance": lambda cat: (
        {"beyond_significant_only": True},
        {"section": "significance", "significant_only": "1"},
    ),
}


@pytest.mark.parametrize("view", list(ROUND_TRIPS))
def test_page_choices_come_back_from_the_url(demo_store_path, monkeypatch, view):
    """The page's own choices (ROUND_TRIPS, opened at the URL's question when it names one) are written to the
    URL and come back in a fresh session."""
    choices, expected_params = ROUND_TRIPS[view](catalogue(str(demo_store_path)))
    page, _, asked = view.partition("?")
    query = dict(parse_qsl(asked)) or None
    round_trip(demo_store_path, monkeypatch, page, choices, expected_params, query=query)


def test_indicator_theme_and_indicator(demo_store_path, monkeypatch):
    """The indicator explorer's theme filter and indicator come back from the URL."""
    indicators = catalogue(str(demo_store_path)).indicators
    ranked = indicators[indicators["polarity"] != "none"].sort_values(["theme", "name"])
    theme = sorted(ranked["theme"].unique())[-1]
    last = ranked[ranked["theme"] == theme]["id"].iloc[-1]  # not the first of its theme, so not a default
    at = open_page(demo_store_path, monkeypatch, "indicator")
    set_widgets(at, {"indicator_theme": theme, "indicator_id": last})
    assert (at.query_params.get("theme"), at.query_params.get("indicator")) == (theme, last)
    fresh = reopen(demo_store_path, monkeypatch, "indicator", at)
    assert page_widget(fresh, "indicator_theme").value == theme
    assert page_widget(fresh, "indicator_id").value == last
    assert not notices(fresh)


def test_defaults_stay_out_of_the_url(demo_store_path, monkeypatch):
    """A page opened plainly writes none of its own choices: a plain link stays short."""
    at = open_page(demo_store_path, monkeypatch, "quadrant")
    assert {"theme", "axis", "every_theme"}.isdisjoint(at.query_params)
    assert page_widget(at, "quadrant_theme").value == OVERALL


def test_invalid_values_give_notices(demo_store_path, monkeypatch):
    """Each value the page does not offer is named in a visible notice, with what is shown instead;
    a hostile value is shown as text (escaped), never as markup."""
    query = {"theme": HOSTILE, "axis": "Sideways", "every_theme": "yes"}
    at = open_page(demo_store_path, monkeypatch, "quadrant", query=query)
    assert not at.exception
    assert page_widget(at, "quadrant_theme").value == OVERALL
    assert page_widget(at, "quadrant_axis").value == "Revenue"
    assert page_widget(at, "quadrant_multiples").value is False
    shown = notices(at)
    assert len(shown) == 3, shown
    theme_notice = next(n for n in shown if "theme" in n)
    assert "&lt;script&gt;" in theme_notice and "<script>" not in theme_notice
    assert f"showing '{OVERALL}' instead" in theme_notice
    assert any("'Sideways'" in n and "showing 'Revenue' instead" in n for n in shown)
    assert any("'yes'" in n and "showing it off" in n for n in shown)
    # the URL now says what is shown: the invalid values are gone
    assert {"theme", "axis", "every_theme"}.isdisjoint(at.query_params)


def test_invalid_values_in_lists_and_formulas(demo_store_path, monkeypatch):
    """A list keeps its valid values and names the unknown one; a formula-like value is named as text."""
    at = open_page(demo_store_path, monkeypatch, "trend", query={"themes": [OVERALL, "**bold**"]})
    assert page_widget(at, "trend_themes").value == [OVERALL]
    [notice] = notices(at)
    assert "\\*\\*bold\\*\\*" in notice and f"showing '{OVERALL}' instead" in notice
    at = open_page(demo_store_path, monkeypatch, "funding", query={"reference": "=cmd()"})
    assert page_widget(at, "funding_reference").value == "median"
    [notice] = notices(at)
    assert "=cmd\\(\\)" in notice and "showing 'the group median' instead" in notice


# -- end to end in a browser: the copied URL in a fresh browser context ------------------------


@pytest.mark.playwright
def test_quadrant_view_survives_a_copied_link(browser, open_app, sync_playwright, demo_server, demo_store_path):
    """Choose a theme and the deprivation axis; a fresh browser context on the copied URL shows the
    same theme and axis (every theme at once is checked by AppTest: its nine charts are slow to draw)."""
    expect = sync_playwright.expect
    theme = catalogue(str(demo_store_path)).themes[2]
    page = open_app("quadrant")
    wait_for_page(page, "quadrant")
    main = page.get_by_test_id("stMain")
    main.get_by_test_id("stSelectbox").filter(has_text="Theme").get_by_role("combobox").click()
    page.get_by_role("option", name=theme, exact=True).click()
    wait_for_page(page, "quadrant")
    main.get_by_test_id("stRadio").get_by_text("Deprivation", exact=True).click()
    wait_for_page(page, "quadrant")
    expect(page).to_have_url(re.compile(r"axis=Deprivation"))
    wait_for_page(page, "quadrant")
    copied = page.url
    assert "axis=Deprivation" in copied and "theme=" in copied

    context = browser.new_context(viewport=NORMAL_VIEWPORT)
    try:
        fresh = context.new_page()
        fresh.set_default_timeout(EXPECT_SECONDS * 1000)
        fresh.goto(copied)
        wait_for_page(fresh, "quadrant")
        main = fresh.get_by_test_id("stMain")
        box = main.get_by_test_id("stSelectbox").filter(has_text="Theme").first
        expect(box.get_by_role("combobox")).to_have_value(theme)
        expect(main.get_by_role("radio", name="Deprivation")).to_be_checked()
        expect(fresh.get_by_test_id("stVegaLiteChart").first).to_be_visible()
        assert parse_qs(urlparse(fresh.url).query) == parse_qs(urlparse(copied).query)  # nothing dropped
    finally:
        context.close()
