"""A projected slide on the screen it is shown on, at 1366x768 and 1920x1080 in briefing mode, on the shipped
county-area store (Leicestershire, 2022/23): in headless Chromium the Overall quadrant (a sentence, two lines of small
print and a warning under it), the position by theme and both parts of the bar per authority fit the window, title to
foot line; the two parts draw their names at one size in one column, so their £ axes lie over each other; names grow
with the room a larger screen gives; and the first view waits for the window's size instead of building the slide
for the smallest screen first."""

from __future__ import annotations

import re
from itertools import combinations

import pytest
from apptest_helpers import FOCUS, charts, engine, open_page, report_window
from browser_support import opening, start_server, wait_until
from svg_text import text_boxes

from benchmarking import charts as chart_builders
from benchmarking.briefing import deck
from benchmarking.briefing.deck import deck_plan
from benchmarking.briefing.pack import briefing_setting
from benchmarking.briefing.screens import TYPE, column, screen_for
from benchmarking.charts.style import QUARTILE_LABELS
from benchmarking.method.positions import OVERALL
from pages._deck_draw import TOO_TALL

PERIOD = "2022/23"
SLIDES = {"the Overall quadrant": ("quadrant", OVERALL, 0), "the themes": ("themes", "", 0)}
SLIDES |= {"bars (1 of 2)": ("funding", "", 0), "bars (2 of 2)": ("funding", "", 1)}
WINDOWS = {"1366x768": (1366, 768), "1920x1080": (1920, 1080)}
COLUMN = 2 * 32  # the page's padding beside a slide in briefing mode: a slide is the window's width less it

SETTLED = """([bar]) => { const app = document.querySelector('[data-testid="stApp"]');
  const shown = document.querySelector('.st-key-deck-bar h3');
  return shown && shown.innerText === bar && app && app.getAttribute('data-test-script-state') === 'notRunning'
    && !document.querySelector('[data-stale="true"]')
    && document.querySelector('.st-key-deck-slide [data-testid="stVegaLiteChart"] :is(canvas, svg)')
    && document.querySelector('.st-key-deck-foot p'); }"""
# Where the slide's drawn things start and end: every text's own lines (a box can be shorter than its text) and the
# chart, in the main area; and whether the main area scrolls.
EXTENT = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  let top = Infinity, bottom = -Infinity, lowest = '';
  const texts = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  while (texts.nextNode()) {
    const text = texts.currentNode.textContent.trim();
    const element = texts.currentNode.parentElement;
    if (!text || !element.getClientRects().length || getComputedStyle(element).visibility === 'hidden') continue;
    if (element.closest('[data-testid="stTooltipContent"], [data-testid="stElementToolbar"]')) continue;
    const range = document.createRange();
    range.selectNodeContents(texts.currentNode);
    for (const r of range.getClientRects()) if (r.height) {
      top = Math.min(top, r.top);
      if (r.bottom > bottom) { bottom = r.bottom; lowest = text.slice(0, 50); }
    }
  }
  const chart = (main.querySelector('.st-key-deck-slide [data-testid="stVegaLiteChart"]')
    || main.querySelector('.st-key-deck-slide')).getBoundingClientRect();  // a slide of cards or a table: itself
  if (chart.bottom > bottom) { bottom = chart.bottom; lowest = 'the chart'; }
  return {top, bottom, lowest, scrolls: main.scrollHeight > main.clientHeight + 1, height: innerHeight,
          foot: document.querySelector('.st-key-deck-foot p').getBoundingClientRect().bottom};
}"""


@pytest.fixture(scope="module")
def shipped_server(sync_playwright, shipped_store_path, tmp_path_factory, request):
    """The app served from the store built from the shipped extract (real county figures)."""
    return start_server(shipped_store_path, "shipped", tmp_path_factory, request)


@pytest.fixture
def open_slide(browser, shipped_server):
    """Return a function that opens a path of the shipped store's app in a fresh browser context of a viewport."""
    with opening(browser, shipped_server) as open_:
        yield open_
    shipped_server.check_alive()


@pytest.fixture(scope="module")
def numbers(shipped_store_path) -> dict[str, int]:
    """The slide number of each slide of ``SLIDES`` in the deck (Leicestershire, 2022/23, all authorities)."""
    cat, bench = engine(str(shipped_store_path))
    plan = deck_plan(briefing_setting(cat, bench, PERIOD, FOCUS))
    where = {(ref.kind, ref.theme, ref.piece): number for number, ref in enumerate(plan, start=1)}
    extra = {"the cards": where[("headline", "", 0)], "the bottom quartile (1)": where[("bottom", "", 0)]}
    return {name: where[ref] for name, ref in SLIDES.items()} | extra | {"count": len(plan)}


@pytest.mark.playwright
@pytest.mark.parametrize("viewport", [{"width": 1366, "height": 768}, {"width": 1920, "height": 1080}], ids=str)
@pytest.mark.parametrize("slide", list(SLIDES))
def test_a_slide_fits_the_window_title_to_foot(open_slide, numbers, viewport, slide):
    """Nothing of the slide (step bar, title, sentence, chart, small print, warning, the foot line naming the data)
    lies below the window or above it, and the page does not scroll: the presenter never has to."""
    number = numbers[slide]
    page = open_slide(f"presentation?briefing=1&focus={FOCUS}&period={PERIOD}&group=all&slide={number}", viewport)
    assert wait_until(page, SETTLED, [f"Presentation · {number} / {numbers['count']}"]), f"{slide} did not settle"
    seen = page.evaluate(EXTENT)
    assert seen["top"] >= 0, seen
    assert seen["foot"] <= viewport["height"] and seen["bottom"] <= viewport["height"], seen
    assert not seen["scrolls"], seen


# -- the page as it is sent (AppTest) -------------------------------------------------------------------------------


def _open(store_path, monkeypatch, number: int, window: tuple[int, int] | None):
    query = {"focus": FOCUS, "period": PERIOD, "group": "all", "briefing": "1", "slide": str(number)}
    at = open_page(store_path, monkeypatch, "presentation", query, window=window)
    assert not at.exception, [e.value for e in at.exception]
    return at


def _drawn(at, window: tuple[int, int]) -> tuple[dict, str]:
    """The slide's chart as the page sends it, and its SVG drawn as wide as the slide is in the window."""
    vlc = pytest.importorskip("vl_convert")
    [chart] = charts(at)
    spec = dict(chart.spec, width=window[0] - COLUMN)
    spec["datasets"] = {
        name: frame.astype(object).where(frame.notna(), None).to_dict("records")
        for name, frame in chart.datasets.items()
    }
    return spec, vlc.vegalite_to_svg(spec)


def _pounds(svg: str) -> dict[str, float]:
    """Where each £ tick label of the x axis is drawn across (its middle)."""
    return {box.text: round((box.x0 + box.x1) / 2, 1) for box in text_boxes(svg) if re.fullmatch(r"£[\d,]+", box.text)}


@pytest.mark.parametrize("window", list(WINDOWS))
def test_both_parts_of_a_split_chart_put_their_names_in_one_column(shipped_store_path, monkeypatch, numbers, window):
    """The core spending power bars over two slides: both parts set their names at one size in a column as wide, so
    each £ on the shared axis is drawn at the same place on both slides (a bar on one compares with a bar on the
    other by eye); before, each part's column was as wide as its own longest name."""
    drawn = [
        _drawn(_open(shipped_store_path, monkeypatch, numbers[part], WINDOWS[window]), WINDOWS[window])
        for part in ("bars (1 of 2)", "bars (2 of 2)")
    ]
    sizes = [spec["config"]["axisY"]["labelFontSize"] for spec, _ in drawn]
    assert sizes[0] == sizes[1]
    first, second = (_pounds(svg) for _, svg in drawn)
    assert set(first) == set(second) and len(first) >= 5
    assert first == second


def test_names_grow_with_the_room_a_larger_screen_gives(shipped_store_path, monkeypatch, numbers):
    """The 17 bars of the first part: on a 1366x768 slide their names are 20 px or more, on 1920x1080 (312 px
    taller) larger again, where before they stayed at the charts' 20 px; never taller than a bar's step."""
    sizes = {}
    for window, size in WINDOWS.items():
        spec, svg = _drawn(_open(shipped_store_path, monkeypatch, numbers["bars (1 of 2)"], size), size)
        sizes[window] = spec["config"]["axisY"]["labelFontSize"]
        bars = sorted(
            {
                float(top)
                for top in re.findall(r'<path[^>]*aria-roledescription="bar"[^>]*d="M[-0-9.e]+,([-0-9.e]+)', svg)
            }
        )
        step = (bars[-1] - bars[0]) / (len(bars) - 1)
        assert sizes[window] <= step, (window, sizes[window], step)
    assert sizes["1366x768"] >= chart_builders.BRIEFING.label_size
    assert sizes["1920x1080"] > max(sizes["1366x768"], chart_builders.BRIEFING.label_size)


def test_the_first_view_builds_its_slide_once_at_the_size_the_browser_reports(writable_store, monkeypatch):
    """Opened before the browser has reported its window's size, the page builds no slide (a line says it is being
    laid out); the report (1920x1080) reruns it and the slide is built once, for that screen. Before, the first run
    built the slide for 1366x768 and the report built it again."""
    built = []
    original = deck.deck_slide

    def counted(setting, ref, *args, **kwargs):
        built.append(args[0] if args else kwargs.get("screen"))
        return original(setting, ref, *args, **kwargs)

    monkeypatch.setattr(deck, "deck_slide", counted)
    cat, bench = engine(str(writable_store.path))
    plan = deck_plan(briefing_setting(cat, bench, cat.default_period, FOCUS))
    number = next(i for i, ref in enumerate(plan, start=1) if ref.kind == "quadrant")
    query = {"focus": FOCUS, "period": cat.default_period, "briefing": "1", "slide": str(number)}
    at = open_page(writable_store.path, monkeypatch, "presentation", query, window=None)
    assert not at.exception, [e.value for e in at.exception]
    assert (built, charts(at)) == ([], [])
    assert any("Laying the slide out" in caption.value for caption in at.main.caption)
    report_window(at, (1920, 1080))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert [(screen.width, screen.height) for screen in built] == [(1920, 1080)]
    assert len(charts(at)) == 1


# -- beside the controls: the sidebar open or closed ----------------------------------------------------------------

BESIDE = "presentation?focus={focus}&period={period}&group=all&slide={number}"
SIDEBAR_OPEN = "() => document.querySelector('[data-testid=\"stMain\"]').getBoundingClientRect().left"
OFFERED = """([label]) => { const app = document.querySelector('[data-testid="stApp"]');
  const button = document.querySelector('.st-key-deck-full-screen button');
  return button && button.innerText.includes(label) && app.getAttribute('data-test-script-state') === 'notRunning'; }"""
FITS = f"""([height]) => {{ const seen = ({EXTENT})();
  return seen.top >= 0 && seen.foot <= height && seen.bottom <= height && !seen.scrolls; }}"""
FULL_SCREEN = """([bar]) => { const shown = document.querySelector('.st-key-deck-bar h3');
  return shown && shown.innerText === bar && document.querySelector('.st-key-deck-bar input[type="checkbox"]')
    && document.querySelector('[data-testid="stMain"]').getBoundingClientRect().left < 1
    && !document.querySelector('.st-key-deck-full-screen'); }"""


@pytest.mark.playwright
@pytest.mark.parametrize("slide", ["the Overall quadrant", "bars (1 of 2)"])
def test_beside_the_open_sidebar_a_slide_fits_or_offers_the_full_screen(open_slide, numbers, slide):
    """Briefing mode off, the sidebar open, 1366x768: the bars, fitted to the room beside the sidebar, fit the
    window with nothing said; the Overall quadrant, whose plot, axis, key, sentence, small print and warning in the
    projector's type need more than the window's height beside the controls, says so in its step bar, and its button
    shows it whole on the full screen. Before, the quadrant ran 142 px below the window and nothing said so."""
    viewport = {"width": 1366, "height": 768}
    number, bar = numbers[slide], f"Presentation · {numbers[slide]} / {numbers['count']}"
    page = open_slide(BESIDE.format(focus=FOCUS, period=PERIOD, number=number), viewport)
    assert wait_until(page, SETTLED, [bar]), f"{slide} did not settle"
    assert page.evaluate(SIDEBAR_OPEN) >= 250  # the sidebar is open beside the slide
    offer = page.locator(".st-key-deck-full-screen button")
    if slide == "the Overall quadrant":
        assert wait_until(page, OFFERED, [TOO_TALL], seconds=10), "a slide taller than the window and nothing said"
        offer.first.click()
        assert wait_until(page, FULL_SCREEN, [bar]), "the full screen did not open"
        assert wait_until(page, SETTLED, [bar]), f"{slide} did not settle on the full screen"
    else:
        assert offer.count() == 0
    # The full screen reports its window and lays the slide out again: measure once that has drawn (or time out).
    wait_until(page, FITS, [viewport["height"]])
    seen = page.evaluate(EXTENT)
    assert seen["top"] >= 0, seen
    assert seen["foot"] <= viewport["height"] and seen["bottom"] <= viewport["height"], seen
    assert not seen["scrolls"], seen


def _offer(at) -> list:
    return [button for button in at.button if button.key == "deck-full-screen"]


@pytest.mark.parametrize(
    ("window", "sidebar", "offered"),
    [((1366, 768), 300, True), ((1366, 768), 0, True), ((1920, 1080), 300, False), ((1920, 1080), 0, False)],
    ids=["1366-sidebar-open", "1366-sidebar-closed", "1920-sidebar-open", "1920-sidebar-closed"],
)
def test_the_full_screen_is_offered_where_the_controls_leave_a_quadrant_too_little_room(
    shipped_store_path, monkeypatch, numbers, window, sidebar, offered
):
    """Briefing mode off, the Overall quadrant: at 1366x768 (the app's header, the key under the plot) it is taller
    than the window, the sidebar open or closed, and its step bar offers the full screen; at 1920x1080 it fits,
    sidebar or none, and nothing is offered. The button switches briefing mode on: the toggle that switches it off
    comes to the step bar and the offer goes."""
    query = {"focus": FOCUS, "period": PERIOD, "group": "all", "slide": str(numbers["the Overall quadrant"])}
    at = open_page(shipped_store_path, monkeypatch, "presentation", query, window=None)
    report_window(at, window, sidebar)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(charts(at)) == 1
    assert len(_offer(at)) == (1 if offered else 0)
    if offered:
        _offer(at)[0].click()
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        assert at.session_state["sel_briefing"] is True
        assert _offer(at) == [] and [toggle.label for toggle in at.main.toggle] == ["Briefing mode"]


def test_beside_the_open_sidebar_the_theme_key_stays_within_the_slide_and_names_within_their_rows(
    shipped_store_path, monkeypatch, numbers
):
    """The position by theme beside the open sidebar at 1366x768 (a 906 px slide): its key under the plot sets its
    four quartiles in rows of two, all within the slide (in one row the last ran past its edge, cut off), and its
    names are sized for the rows the key leaves them, so a name is never taller than its row."""
    vlc = pytest.importorskip("vl_convert")
    query = {"focus": FOCUS, "period": PERIOD, "group": "all", "slide": str(numbers["the themes"])}
    at = open_page(shipped_store_path, monkeypatch, "presentation", query, window=None)
    report_window(at, (1366, 768), 300)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    [chart] = charts(at)
    width = column(screen_for(1366, 768, 300), briefing=False)
    spec = dict(chart.spec, width=width)
    spec["datasets"] = {
        name: frame.astype(object).where(frame.notna(), None).to_dict("records")
        for name, frame in chart.datasets.items()
    }
    boxes = text_boxes(vlc.vegalite_to_svg(spec))
    key = [box for box in boxes if box.text in QUARTILE_LABELS]
    assert sorted(box.text for box in key) == sorted(QUARTILE_LABELS)
    assert max(box.x1 for box in key) <= width, [(box.text, box.x1) for box in key]
    themes = {theme for frame in chart.datasets.values() if "theme" in frame for theme in frame["theme"]}
    names = [box for box in boxes if box.text in themes and box.x1 < min(b.x0 for b in key)]
    assert len(names) == len(themes) >= 10
    assert not [(a.text, b.text) for a, b in combinations(names, 2) if a.overlaps(b)]


SIZES = """() => {
  const size = selector => { const element = document.querySelector(selector);
    return element ? parseFloat(getComputedStyle(element).fontSize) : null; };
  return {value: size('.st-key-deck-slide [data-testid="stMetricValue"] div'),
          label: size('.st-key-deck-slide [data-testid="stMetricLabel"] p'),
          cell: size('.st-key-deck-slide [data-testid="stTable"] td p')
                || size('.st-key-deck-slide [data-testid="stTable"] td')};
}"""
DRAWN = """([bar, part]) => { const app = document.querySelector('[data-testid="stApp"]');
  const shown = document.querySelector('.st-key-deck-bar h3');
  return shown && shown.innerText === bar && app.getAttribute('data-test-script-state') === 'notRunning'
    && document.querySelector('.st-key-deck-slide ' + part) && document.querySelector('.st-key-deck-foot p'); }"""


@pytest.mark.playwright
@pytest.mark.parametrize(
    ("slide", "part"), [("the cards", '[data-testid="stMetricValue"]'), ("the bottom quartile (1)", "td")]
)
def test_in_briefing_mode_cards_and_tables_keep_the_slides_sizes(open_slide, numbers, slide, part):
    """In briefing mode at 1366x768 the headline cards' values and labels and a table's cells are set in the
    slide's sizes (``screens.TYPE``), and the slide fits the window; before, briefing mode's rule for every page (16 px
    text, 28 px values at 1366) won over the slide's own, and the table meant for the projector was its smallest
    type."""
    viewport = {"width": 1366, "height": 768}
    number = numbers[slide]
    page = open_slide(f"presentation?briefing=1&focus={FOCUS}&period={PERIOD}&group=all&slide={number}", viewport)
    assert wait_until(page, DRAWN, [f"Presentation · {number} / {numbers['count']}", part]), f"{slide} not drawn"
    sizes = page.evaluate(SIZES)
    if slide == "the cards":
        assert (sizes["value"], sizes["label"]) == (TYPE.card[1], TYPE.card[0]), sizes
    else:
        assert sizes["cell"] == TYPE.table[0], sizes
    box = page.evaluate(EXTENT)
    assert box["bottom"] <= viewport["height"] and not box["scrolls"], box


def test_in_briefing_mode_the_sidebar_hidden_builds_no_slide_again(shipped_store_path, monkeypatch, numbers):
    """Switched to briefing mode, the browser first still reports the sidebar it had (300 px), then none once it is
    hidden: the slide, which briefing mode lays out without a sidebar either way, is built once, not again."""
    built = []
    original = deck.deck_slide

    def counted(setting, ref, *args, **kwargs):
        built.append(ref)
        return original(setting, ref, *args, **kwargs)

    monkeypatch.setattr(deck, "deck_slide", counted)
    query = {"focus": FOCUS, "period": PERIOD, "group": "all", "briefing": "1", "slide": str(numbers["the themes"])}
    at = open_page(shipped_store_path, monkeypatch, "presentation", query, window=None)
    report_window(at, (1366, 768), 300)
    at.run()
    report_window(at, (1366, 768), 0)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(built) == 1 and len(charts(at)) == 1
