"""The whole app in headless Chromium: every page opens by URL without an exception, on the
demo store (normal and briefing mode) and on the public store, and draws what it should;
the sidebar, navigation and briefing mode work with the mouse and with the keyboard alone.
Full-page screenshots land in artifacts/screenshots/ (``public-`` for the public store).

Each page is loaded once per server and mode by the session's page walk (browser_support),
which also runs the axe scan that test_accessibility.py checks. Needs Debian's chromium and
the ``playwright`` package (skipped with a message otherwise); run alone with ``pytest -m playwright``.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, quote, urlparse

import pytest
from browser_support import (
    BRIEFING_VIEWPORT,
    DEMO_BANNER,
    EXPECT_SECONDS,
    NORMAL_VIEWPORT,
    PAGES,
    ROOT,
    screenshot,
    wait_for_page,
)

from benchmarking.datasets.public_build import sources_for_print
from benchmarking.service.catalogue import load_catalogue
from benchmarking.store import Store
from pages import _registry as registry

pytestmark = pytest.mark.playwright

DEMO_OTHER_FOCUS = ("E10000030", "Surrey")
APP_TITLES = [page.title for page in registry.PAGES]  # app.py's navigation titles, in order


def query(page) -> dict[str, str]:
    """Return the page URL's query parameters as a plain dict."""
    return {key: values[-1] for key, values in parse_qs(urlparse(page.url).query).items()}


def in_url(key: str, value: str) -> re.Pattern:
    """Return a pattern for a URL whose query has ``key=value`` (the value quoted or not)."""
    return re.compile(rf"[?&]{key}=({re.escape(quote(value, safe=''))}|{re.escape(value)})(&|$)")


def path_of(page) -> str:
    """Return the page URL's path without the leading slash ("" for the Overview)."""
    return urlparse(page.url).path.strip("/")


# -- every page, opened by URL -------------------------------------------------------------------


def test_every_page_of_the_app_is_visited():
    """The pages visited here are exactly those the registry declares, and every page file is registered."""
    assert list(PAGES) == [page.url_path for page in registry.PAGES]
    files = sorted(path.stem for path in (ROOT / "pages").glob("*.py") if not path.stem.startswith("_"))
    assert sorted(PAGES) == files
    assert len(APP_TITLES) == len(PAGES)


@pytest.mark.parametrize("name", list(PAGES))
def test_page_opens_by_url_without_an_exception(page_walk, demo_server, name):
    """Opening /<page> directly shows its title, its chart and the demo banner, and no exception."""
    visit = page_walk.visit(demo_server, name, "normal").settled()  # waited for the title and chart
    assert not visit.exceptions, visit.exceptions
    assert DEMO_BANNER in visit.main_text
    assert visit.sidebar_visible
    assert visit.nav == APP_TITLES  # app.py's navigation, not Streamlit's pages-folder list of files
    assert visit.charts >= PAGES[name][1]
    assert visit.screenshot.stat().st_size > 10_000


@pytest.mark.parametrize("name", list(PAGES))
def test_page_opens_in_briefing_mode_from_the_url(page_walk, demo_server, name):
    """?briefing=1 hides the sidebar at projector size (1920x1080), with no exception."""
    visit = page_walk.visit(demo_server, name, "briefing").settled()
    assert not visit.exceptions, visit.exceptions
    assert not visit.sidebar_visible
    assert visit.charts >= PAGES[name][1]
    assert visit.screenshot.stat().st_size > 10_000


@pytest.fixture(scope="module")
def public_sources(public_store_path) -> str:
    """The sources line the public store carries in its settings."""
    sources = load_catalogue(Store(public_store_path)).settings.get("sources", "")
    assert "Oflog" in sources and "DfE" in sources, sources
    return sources


@pytest.mark.parametrize("name", list(PAGES))
def test_page_opens_on_the_public_store(page_walk, public_server, public_sources, name):
    """On the public store every page opens without an exception, names the real sources
    instead of showing the demo banner, and draws its chart (or, with no data for it, a table)."""
    visit = page_walk.visit(public_server, name, "normal").settled()
    assert not visit.exceptions, visit.exceptions
    assert DEMO_BANNER not in visit.main_text
    # The Presentation's title slide names the sources as the printed briefing does (their licence, not a
    # pointer to the app's Data page); every other page draws the stored line.
    shown = sources_for_print(public_sources) if name == "presentation" else public_sources
    assert f"Sources: {shown}" in visit.main_text
    assert visit.sidebar_visible
    assert visit.nav == APP_TITLES
    if PAGES[name][1]:
        assert visit.charts + visit.tables >= 1
    assert visit.screenshot.name == f"public-{name}.png" and visit.screenshot.stat().st_size > 10_000


@pytest.mark.parametrize("typed", ["overview", "Quadrant", "THEMES/"])
def test_a_page_path_typed_by_hand_opens_that_page(browser, demo_server, sync_playwright, typed):
    """/overview (the default page, served at the root) and a page's path in another case open the page
    they name, not Streamlit's "Page not found" over the Overview.

    The root URL is opened first, as on any server past its first request (Streamlit's pages-folder mode,
    which finds /overview by its file alone, is then left: pages/_navigation.py)."""
    name = typed.strip("/").lower()
    context = browser.new_context(viewport=NORMAL_VIEWPORT)
    try:
        page = context.new_page()
        page.set_default_timeout(EXPECT_SECONDS * 1000)
        page.goto(demo_server.url)
        wait_for_page(page, "overview")
        page.goto(f"{demo_server.url}/{typed}")
        wait_for_page(page, name)
        sync_playwright.expect(page.get_by_text("Page not found")).to_have_count(0)
        assert page.get_by_test_id("stMain").locator("h1").first.inner_text() == PAGES[name][0]
        assert path_of(page) == ("" if name == "overview" else name)  # the address bar shows the page's own path
    finally:
        context.close()


# -- the controls, with the mouse ------------------------------------------------------------------


def test_briefing_toggle_in_the_sidebar_hides_the_controls(open_app, sync_playwright):
    """Switching briefing mode on in the sidebar hides it, sets ?briefing=1 and offers a way back."""
    expect = sync_playwright.expect
    page = open_app("quadrant", viewport=BRIEFING_VIEWPORT)
    wait_for_page(page, "quadrant")
    page.get_by_test_id("stSidebar").get_by_text("Briefing mode").click()
    expect(page).to_have_url(in_url("briefing", "1"))
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    wait_for_page(page, "quadrant")
    expect(page.get_by_test_id("stException")).to_have_count(0)
    screenshot(page, "quadrant-briefing-toggled")
    page.get_by_test_id("stMain").get_by_text("Briefing mode").click()
    expect(page).to_have_url(in_url("briefing", "0"))
    expect(page.get_by_test_id("stSidebar")).to_be_visible()


def test_sidebar_choice_is_kept_in_the_url_and_across_pages(open_app, sync_playwright, demo_store):
    """Choosing a period in the sidebar puts it in the URL, and the next page opens on it."""
    expect = sync_playwright.expect
    earlier = load_catalogue(demo_store).period_labels[-3]
    page = open_app("overview")
    wait_for_page(page, "overview")
    period = page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").filter(has_text="Period")
    period.get_by_role("combobox").click()
    page.get_by_role("option", name=earlier, exact=True).click()
    expect(page).to_have_url(in_url("period", earlier))
    page.get_by_test_id("stSidebarNav").get_by_text(PAGES["quadrant"][0]).click()
    wait_for_page(page, "quadrant")
    expect(page.get_by_test_id("stCaptionContainer").filter(has_text=f"· {earlier} ·").first).to_be_visible()


# -- the controls, with the keyboard alone -----------------------------------------------------------

# Where the keyboard focus is and how it is shown. The indicator is an outline or a box-shadow
# on the focused element or its widget's frame (up to the widget root), or a border or background
# that differs from the same part of an unfocused twin widget (another selectbox, another
# navigation link) with a contrast of at least 3:1 (WCAG 2.2's measure for focus indicators).
FOCUS_STATE = """() => {
  const focused = document.activeElement;
  if (!focused || focused === document.body) return null;
  const visible = o => o.getClientRects().length > 0;
  // In an open list (combobox) the focus is on the highlighted option: look at that instead.
  const listed = focused.getAttribute('aria-expanded') === 'true' && focused.getAttribute('aria-activedescendant');
  const option = listed && document.getElementById(listed);
  let el = focused, root, testid, twin;
  if (option) {
    root = option; testid = 'listbox option'; el = option.firstElementChild || option;
    twin = [...document.querySelectorAll('[role="option"]')].find(o => o !== option && visible(o));
  } else {
    root = el.closest('[data-testid^="st"]') || el; testid = root.getAttribute('data-testid');
    twin = [...document.querySelectorAll(`[data-testid="${testid}"]`)]
      .find(o => o !== root && !o.contains(el) && visible(o));
  }
  const chain = [];
  for (let e = el; e && e !== root.parentElement; e = e.parentElement) chain.push(e);
  const route = chain.slice(0, -1).map(e => [...e.parentElement.children].indexOf(e)).reverse();
  const twinChain = [];
  if (twin) {
    let e = twin; twinChain.push(e);
    for (const i of route) { e = e && e.children[i]; twinChain.push(e); }
    twinChain.reverse();
  }
  const rgba = text => { const m = (text.match(/[\\d.]+/g) || []).map(Number);
    return m.length >= 3 ? [m[0], m[1], m[2], m.length > 3 ? m[3] : 1] : [255, 255, 255, 0]; };
  const onWhite = ([r, g, b, a]) => [r, g, b].map(c => c * a + 255 * (1 - a));
  const lum = rgb => { const [r, g, b] = rgb.map(c => { c /= 255;
    return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const contrast = (a, b) => { const [x, y] = [lum(onWhite(rgba(a))), lum(onWhite(rgba(b)))];
    return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  const shown = [];
  chain.forEach((e, i) => {
    const s = getComputedStyle(e);
    const t = twinChain[i] ? getComputedStyle(twinChain[i]) : null;
    const tag = e.tagName.toLowerCase() + (e === el ? '' : ` (frame ${i})`);
    if (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 && !(t && t.outline === s.outline))
      shown.push(`${tag} outline ${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`);
    if (s.boxShadow !== 'none' && !(t && t.boxShadow === s.boxShadow))
      shown.push(`${tag} box-shadow ${s.boxShadow}`);
    if (t && s.borderTopStyle !== 'none' && parseFloat(s.borderTopWidth) > 0
        && contrast(s.borderTopColor, t.borderTopColor) >= 3)
      shown.push(`${tag} border ${s.borderTopColor} (unfocused ${t.borderTopColor})`);
    if (t && contrast(s.backgroundColor, t.backgroundColor) >= 3)
      shown.push(`${tag} background ${s.backgroundColor} (unfocused ${t.backgroundColor})`);
  });
  return {testid, role: focused.getAttribute('role'), label: focused.getAttribute('aria-label') || '',
          text: (el.innerText || '').replace(/\\s+/g, ' ').trim().slice(0, 40),
          in_sidebar: !!focused.closest('[data-testid="stSidebar"]'), indicator: shown.join('; ')};
}"""

# Places where Streamlit 1.67 on its own shows the keyboard focus with no indicator that meets
# the rule above, by kind; the app's CSS (pages/_common.BASE_CSS) adds one at each, and
# test_focus_is_visible_where_streamlit_shows_none walks through every kind.
FOCUS_GAPS = {
    "navigation link": "the sidebar's page links only tint their background (rgba(169, 169, 162, 0.15): "
    "1.1:1 on white)",
    "listbox option": "in an open selectbox list the highlighted option has the same faint tint",
    "selectbox after a choice": "after an option is picked with Enter the selectbox keeps the focus but "
    "drops its red frame until focus leaves and comes back",
    "main area": "the scrollable main area takes the focus (so the arrows scroll it) and shows nothing",
}


def gap(stop: dict) -> str | None:
    """Return the FOCUS_GAPS kind of a focus stop, or None for any other stop."""
    if stop["testid"] == "stSidebarNavLink":
        return "navigation link"
    if stop["testid"] == "listbox option":
        return "listbox option"
    if stop["testid"] == "stSelectbox" and stop["after"] == "Enter":
        return "selectbox after a choice"
    if stop["testid"] == "stMain":
        return "main area"
    return None


class Keyboard:
    """Drives a page with key presses only, and keeps every place the focus went."""

    def __init__(self, page):
        self.page = page
        self.stops: list[dict] = []

    def focus(self) -> dict | None:
        """Return where the focus is and how it is shown, once style transitions have finished
        and the app's CSS is in place (a page change drops and redraws it within ~0.1 s)."""
        self.page.wait_for_function(
            "() => [...document.querySelectorAll('style')].some(s => s.textContent.includes('Keyboard focus'))"
        )
        self.page.evaluate("""() => Promise.all(document.getAnimations()
            .filter(animation => animation instanceof CSSTransition)
            .map(transition => transition.finished.catch(() => null)))""")
        return self.page.evaluate(FOCUS_STATE)

    def press(self, key: str) -> dict | None:
        self.page.keyboard.press(key)
        if key == "Enter":
            # Enter picks an option and the list closes a frame or more later; on a loaded
            # machine the focus was read in between, on a lone filtered option with no twin.
            self.page.wait_for_function("() => document.activeElement?.getAttribute('aria-expanded') !== 'true'")
        stop = self.focus()
        if stop:
            self.stops.append(stop | {"after": key})
        return stop

    def tab_to(self, wanted, backwards: bool = False, limit: int = 40) -> dict:
        """Press Tab (Shift+Tab) until ``wanted(stop)`` holds for the focused element."""
        passed = []
        for _ in range(limit):
            stop = self.press("Shift+Tab" if backwards else "Tab")
            passed.append(stop and (stop["testid"], stop["label"] or stop["text"]))
            if stop and wanted(stop):
                return stop
        pytest.fail(f"focus never reached the element in {limit} presses; it went through {passed}")

    def choose(self, label: str, keys: list[str]) -> None:
        """With the combobox ``label`` focused: open it, press ``keys``, and pick with Enter."""
        if (self.focus() or {}).get("label") != label:
            pytest.fail(f"expected the focus on the {label!r} combobox, not on {self.focus()}")
        self.press("ArrowDown")  # opens the list on the current option
        for key in keys:
            self.press(key)
        self.press("Enter")

    def unseen(self) -> list[dict]:
        """Return the stops where the focus was not visible."""
        return [stop for stop in self.stops if not stop["indicator"]]


def is_combobox(label: str):
    """Return a test of a focus stop: is it the combobox labelled ``label``?"""
    return lambda stop: stop["role"] == "combobox" and stop["label"] == label


def test_everything_works_from_the_keyboard(open_app, sync_playwright, demo_store):
    """With Tab, Shift+Tab, Enter, Space, arrows and typing only: reach the sidebar, change
    the focus authority and the period, open another page from the navigation, switch
    briefing mode on and off again; the URL and the page follow, and focus stays visible."""
    expect = sync_playwright.expect
    periods = load_catalogue(demo_store).period_labels
    code, name = DEMO_OTHER_FOCUS
    page = open_app("overview")
    wait_for_page(page, "overview")
    keys = Keyboard(page)
    heading = page.get_by_test_id("stHeading")
    caption = page.get_by_test_id("stMain").get_by_test_id("stCaptionContainer").first

    # the sidebar's first control, then the focus authority by typing its name
    stop = keys.tab_to(lambda stop: stop["in_sidebar"])
    assert stop["testid"] in ("stSidebarNavLink", "stSelectbox"), stop
    keys.tab_to(is_combobox("Focus authority"))
    page.keyboard.type(name)  # the list filters as one types
    keys.press("Enter")
    expect(page).to_have_url(in_url("focus", code))
    expect(caption).to_contain_text(f"{name} · {periods[-1]} ·")

    # the period, one back with the arrow keys
    keys.tab_to(is_combobox("Period"))
    keys.choose("Period", ["ArrowUp"])
    expect(page).to_have_url(in_url("period", periods[-2]))
    expect(caption).to_contain_text(f"{name} · {periods[-2]} ·")
    assert query(page)["focus"] == code

    # back up to the navigation, and open another page with Enter
    keys.tab_to(
        lambda stop: stop["testid"] == "stSidebarNavLink" and stop["text"].endswith(PAGES["quadrant"][0]),
        backwards=True,
    )
    keys.press("Enter")
    expect(page).to_have_url(re.compile(r"/quadrant\b"))
    wait_for_page(page, "quadrant")
    expect(caption).to_contain_text(f"{name} · {periods[-2]} ·")
    assert query(page) == {"focus": code, "period": periods[-2], "group": "all", "briefing": "0"}

    # briefing mode on with Space on the sidebar's switch ...
    keys.tab_to(lambda stop: stop["role"] == "switch" and stop["label"].startswith("Briefing mode"))
    keys.press("Space")
    expect(page).to_have_url(in_url("briefing", "1"))
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    wait_for_page(page, "quadrant")
    assert path_of(page) == "quadrant"

    # ... and off again with the switch that took its place at the top of the page
    stop = keys.tab_to(lambda stop: stop["role"] == "switch" and stop["label"].startswith("Briefing mode"))
    assert not stop["in_sidebar"]
    keys.press("Space")
    expect(page).to_have_url(in_url("briefing", "0"))
    expect(page.get_by_test_id("stSidebar")).to_be_visible()
    expect(heading.filter(has_text=PAGES["quadrant"][0]).first).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)

    assert len(keys.stops) > 10
    assert not keys.unseen(), f"focus not visible at {keys.unseen()}"


def test_focus_is_visible_where_streamlit_shows_none(open_app):
    """At every kind of place in FOCUS_GAPS the app's CSS makes the keyboard focus visible."""
    page = open_app("overview")
    wait_for_page(page, "overview")
    keys = Keyboard(page)
    keys.tab_to(is_combobox("Period"))
    keys.choose("Period", [])  # open the list (highlighted option) and pick the current period again
    keys.tab_to(lambda stop: stop["testid"] == "stMain")
    gaps = [stop for stop in keys.stops if gap(stop)]
    assert {gap(stop) for stop in gaps} == set(FOCUS_GAPS), f"the walk missed a kind of place: {keys.stops}"
    invisible = [stop for stop in gaps if not stop["indicator"]]
    assert not invisible, f"focus not visible at {invisible}"
