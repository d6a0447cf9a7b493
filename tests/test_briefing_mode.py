"""Briefing mode as a presenter's mode, in headless Chromium on the demo and the public store:
the page links stay in reach (a bar in the header, clicked or stepped with the arrow keys and
PageUp/PageDown), the main chart starts on the first screen at 1366x768 and 1920x1080, no
visible text is smaller than 20 px at 1920x1080, card labels are not cut, no text runs out of its
box (an alert's, a heading's), and there is no Deploy button.

Each page is opened once per store and viewport and everything is read from it in one pass
(browser_support.BRIEFING_READ); the tests then check what was read. At 1920x1080 the pass is
made in the session's page walk (browser_support.PageWalk), whose briefing-mode visit of the
same URL at the same size also serves test_browser.py and test_accessibility.py; at 1366x768
here, in one browser context. Screenshots of the first screen are saved as
artifacts/screenshots/briefing-<store>-<page>-<width>.png.
"""

from __future__ import annotations

import re

import pytest
from browser_support import BRIEFING_READ, EXPECT_SECONDS, MIN_TEXT_PX, PAGES, SCREENSHOTS, wait_for_page

from pages import _registry as registry

pytestmark = pytest.mark.playwright

SMALL = {"width": 1366, "height": 768}
LARGE = {"width": 1920, "height": 1080}
CHART_PAGES = [page.key for page in registry.PAGES if page.draws_chart]


def read_pages(browser, server, viewport: dict, names: list[str]) -> dict[str, dict]:
    """Open each page of ``names`` in briefing mode in one context; return what each showed.

    A page that does not settle is recorded with its error (its own tests fail with it) rather
    than failing every page; a cold page gets a second wait (its first load ranks everything).
    """
    context = browser.new_context(viewport=viewport)
    seen = {}
    try:
        for name in names:
            page = context.new_page()
            page.set_default_timeout(EXPECT_SECONDS * 1000)
            page.goto(server.page_url(f"{name}?briefing=1"))
            drawn = None if not PAGES[name][1] else "chart" if server.store == "demo" else "chart or table"
            try:
                try:
                    wait_for_page(page, name, drawn=drawn)
                except AssertionError:
                    wait_for_page(page, name, drawn=drawn)
            except AssertionError as error:
                seen[name] = {"error": str(error)}
                page.close()
                continue
            seen[name] = page.evaluate(BRIEFING_READ)
            seen[name]["exceptions"] = page.get_by_test_id("stException").all_inner_texts()
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"briefing-{server.store}-{name}-{viewport['width']}.png"))
            page.close()
    finally:
        context.close()
    return seen


def settled(seen: dict) -> dict:
    """Return what a page showed, failing the test with the reason if it never settled."""
    if "error" in seen:
        pytest.fail(seen["error"])
    assert not seen["exceptions"], seen["exceptions"]
    return seen


VIEWS = [("demo", "large"), ("demo", "small"), ("public", "large"), ("public", "small")]
VIEWPORTS = {"large": LARGE, "small": SMALL}
HEIGHT = {size: viewport["height"] for size, viewport in VIEWPORTS.items()}


@pytest.fixture(scope="module")
def briefing_view(request, browser):
    """What each page showed in briefing mode on one store at one viewport (``request.param``,
    such as ("demo", "large")): every page at 1920x1080, the chart pages at 1366x768. The public
    store's views are skipped without ../shared/data."""
    store, size = request.param
    server = request.getfixturevalue(f"{store}_server")
    if size == "large":  # the page walk's briefing visits: the same URLs at the same 1920x1080
        walk = request.getfixturevalue("page_walk")
        return {name: walk.visit(server, name, "briefing").first_screen() for name in PAGES}
    return read_pages(browser, server, VIEWPORTS[size], CHART_PAGES)


@pytest.mark.parametrize("briefing_view", VIEWS, indirect=True, ids="-".join)
@pytest.mark.parametrize("name", CHART_PAGES)
def test_main_chart_starts_on_the_first_screen(briefing_view, request, name):
    """In briefing mode the page's first chart starts within the first screen (its top above
    the viewport's bottom edge, with room for at least 150 px of it), with no exception."""
    store, size = request.node.callspec.params["briefing_view"]
    seen = settled(briefing_view[name])
    if seen["chartTop"] is None:  # the public store can draw a table where the demo has a chart
        assert store == "public", f"{name}: no chart drawn"
        return
    assert seen["chartTop"] < HEIGHT[size] - 150, f"{name} at {size}: chart starts at {seen['chartTop']:.0f} px"


@pytest.mark.parametrize("briefing_view", [("demo", "large"), ("public", "large")], indirect=True, ids="-".join)
@pytest.mark.parametrize("name", list(PAGES))
def test_no_text_smaller_than_20_px_at_1920(briefing_view, name):
    """At 1920x1080 in briefing mode no visible text (outside charts) is under 20 px, card
    labels and values are not cut, the sidebar is hidden and the header has no Deploy button."""
    seen = settled(briefing_view[name])
    assert not seen["small"], f"{name}: text under {MIN_TEXT_PX} px: {seen['small'][:12]}"
    assert not seen["cut"], f"{name}: truncated card text: {seen['cut']}"
    assert not seen["sidebar"]
    assert "Deploy" not in seen["header"], seen["header"]


@pytest.mark.parametrize("briefing_view", VIEWS, indirect=True, ids="-".join)
def test_tables_fit_the_width_in_briefing_mode(briefing_view):
    """In briefing mode no HTML table (the league table, st.table) scrolls sideways, at 1366 or 1920 px wide: a
    presenter shows every column without scrolling."""
    for name, seen in briefing_view.items():
        assert not settled(seen)["sideways"], f"{name}: a table wider than the page: {seen['sideways']}"


@pytest.mark.parametrize("briefing_view", VIEWS, indirect=True, ids="-".join)
def test_text_stays_in_its_box_in_briefing_mode(briefing_view):
    """In briefing mode, at 1366 and 1920 px wide, an alert's text ends inside its box and a heading's text ends above
    the element under it: the briefing's smaller margins once left Streamlit pulling each Markdown block up by 1rem,
    so an alert's last line sat on its box's edge and headings ran into the line below."""
    for name, seen in briefing_view.items():
        assert not settled(seen)["crowded"], f"{name}: {seen['crowded']}"


@pytest.mark.parametrize("briefing_view", [("demo", "large")], indirect=True, ids="-".join)
def test_page_links_sit_in_the_header_in_briefing_mode(briefing_view):
    """The header carries a link to each page at 1920 px (none folded into a "more" menu)."""
    header = settled(briefing_view["overview"])["header"]
    for page in registry.PAGES:
        assert page.title in header, (page.title, header)


# -- navigation in briefing mode, by click and by keyboard ---------------------------------------


@pytest.mark.parametrize("viewport", [SMALL, LARGE], ids=["1366", "1920"])
def test_pages_switch_by_click_and_by_keyboard_in_briefing_mode(browser, demo_server, sync_playwright, viewport):
    """In briefing mode: a header link opens its page; ArrowRight/PageDown go to the next page
    and ArrowLeft/PageUp to the previous one; briefing mode and the chosen period stay on."""
    expect = sync_playwright.expect
    context = browser.new_context(viewport=viewport)
    try:
        page = context.new_page()
        page.set_default_timeout(EXPECT_SECONDS * 1000)
        page.goto(demo_server.page_url("quadrant?briefing=1&period=2020/21"))
        wait_for_page(page, "quadrant")
        page.get_by_test_id("stHeader").get_by_role("link", name=PAGES["themes"][0]).click()
        wait_for_page(page, "themes")
        expect(page).to_have_url(re.compile(r"/themes\?.*briefing=1"))
        steps = [("ArrowRight", "indicator"), ("PageDown", "quartiles"), ("ArrowLeft", "indicator")]
        steps += [("PageUp", "themes"), ("ArrowLeft", "quadrant")]
        for key, expected in steps:
            page.get_by_test_id("stMain").click(position={"x": 5, "y": 300})  # the page, not a widget
            page.keyboard.press(key)
            wait_for_page(page, expected, drawn=None)
            expect(page).to_have_url(re.compile(rf"/{expected}\?"))
        assert re.search(r"[?&]briefing=1(&|$)", page.url) and re.search(
            r"[?&]period=2020%2F21|period=2020/21", page.url
        )
        expect(page.get_by_test_id("stSidebar")).to_be_hidden()
        expect(page.get_by_test_id("stException")).to_have_count(0)
    finally:
        context.close()
