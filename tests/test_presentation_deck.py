"""The Presentation page as a deck (issue 18, point 5): one idea per slide, long lists split
over slides of at most ``MAX_ROWS`` rows with every row present once, the slide number in
the URL (an invalid one gives a notice), stepping by button and by keyboard, and each slide's
title and chart or table inside the screen at 1366x768 and 1920x1080."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from apptest_helpers import EARLIER, FOCUS, LATEST, engine, open_page
from browser_support import wait_until

from benchmarking import charts
from benchmarking.briefing.bars import LARGEST_NAME, MAX_BARS
from benchmarking.briefing.deck import (
    BAR_AXIS_ROOM,
    MAX_ROWS,
    band_rows,
    deck_plan,
    deck_slide,
    deck_slides,
    parts,
    projected_spec,
    slide_index,
)
from benchmarking.briefing.pack import briefing_setting, build_briefing
from benchmarking.briefing.screens import SMALLEST, Screen, SlideLines, screen_for, slide_heights, slide_style
from benchmarking.errors import SlideNotFoundError
from benchmarking.method.positions import LA_CORE, OVERALL
from benchmarking.service.catalogue import load_catalogue
from benchmarking.service.context_views import COMPARATOR_AXES, plotted_themes, quadrant_view
from benchmarking.store import Store
from benchmarking.text.escaping import markdown

HOSTILE = ["<script>alert(1)</script>", "**bold**", "=cmd()", "0", "-1", "1.5", "\uff13", "99999999999999999999999"]


@pytest.fixture(scope="module")
def demo_briefing(demo_store_path):
    """The demo's briefing for Leicestershire, latest period, all authorities (built once)."""
    cat, bench = engine(str(demo_store_path))
    return build_briefing(cat, bench, LATEST, FOCUS)


# -- one slide at a time ----------------------------------------------------------------


def _drawn(slide) -> tuple:
    """What a projected slide shows, comparable between two builds."""
    chart = slide.chart.to_dict(validate=False) if slide.chart is not None else None
    table = slide.table.to_dict("split") if slide.table is not None else None
    return slide.title, slide.cards, slide.sentences, slide.small_print, slide.warnings, chart, table


@pytest.mark.parametrize("group_id", ["all", "county-unitaries"])  # Leicestershire in its group, and beside one
@pytest.mark.parametrize("period", [LATEST, EARLIER])
def test_the_plan_builds_the_whole_deck_one_slide_at_a_time(demo_store_path, group_id, period):
    """The Presentation page's plan has as many slides as the whole briefing cut into a deck, and each
    slide built on its own is the same slide, in the same place."""
    cat, bench = engine(str(demo_store_path), group_id)
    whole = deck_slides(build_briefing(cat, bench, period, FOCUS))
    setting = briefing_setting(cat, bench, period, FOCUS)
    plan = deck_plan(setting)
    assert len(plan) == len(whole)
    for ref, slide in zip(plan, whole):
        assert _drawn(deck_slide(setting, ref)) == _drawn(slide), ref


@pytest.mark.parametrize("store", ["demo_store_path", "shipped_store_path"])
@pytest.mark.parametrize("axis", list(COMPARATOR_AXES))
def test_plotted_themes_are_those_whose_quadrant_has_rows(request, store, axis):
    """In every period, the themes ``plotted_themes`` finds are exactly those whose quadrant view is not
    empty (real data has themes and periods without spend figures)."""
    cat, bench = engine(str(request.getfixturevalue(store)), focus=FOCUS if store == "demo_store_path" else None)
    themes = [OVERALL, LA_CORE, *cat.themes]
    focus = bench.group.members[0]
    for period in cat.period_labels:
        with_rows = [t for t in themes if not quadrant_view(cat, bench, t, axis, period, focus).empty]
        assert plotted_themes(cat, bench, themes, axis, period) == with_rows, period


# -- splitting, by hand -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "limit", "sizes"),
    [
        (34, 7, [7, 7, 7, 7, 6]),  # 34 rows: 5 slides (ceil 34/7), sizes within one of each other
        (40, 7, [7, 7, 7, 7, 6, 6]),  # the real store's 40 bottom-quartile indicators
        (7, 7, [7]),
        (8, 7, [4, 4]),
        (1, 7, [1]),
        (0, 7, [0]),  # an empty list is one (empty) slide, not none
    ],
)
def test_parts_cut_into_the_fewest_even_slides(count, limit, sizes):
    """Worked by hand: the sizes above; the slices cover 0..count-1 once, in order."""
    cuts = parts(count, limit)
    assert [cut.stop - cut.start for cut in cuts] == sizes
    assert [i for cut in cuts for i in range(cut.start, cut.stop)] == list(range(count))


def test_long_tables_split_with_every_row_once(demo_briefing):
    """Each table slide of the pack becomes slides of at most MAX_ROWS rows whose rows, put
    back together, are the pack's table exactly (same rows, same order, none twice)."""
    deck = deck_slides(demo_briefing)
    for slide in demo_briefing.slides:
        if slide.table is None or slide.chart is not None:
            continue
        pieces = [s for s in deck if s.table is not None and s.title.startswith(slide.title)]
        assert pieces, slide.title
        assert all(len(piece.table) <= MAX_ROWS for piece in pieces)
        joined = pd.concat([piece.table for piece in pieces], ignore_index=True)
        pd.testing.assert_frame_equal(joined, slide.table.reset_index(drop=True))
        if len(pieces) > 1:
            assert [piece.title[len(slide.title) :] for piece in pieces] == [
                f" ({n} of {len(pieces)})" for n in range(1, len(pieces) + 1)
            ]


def test_a_34_row_list_splits_into_five_slides(demo_briefing):
    """The issue's case: a 34-row bottom-quartile list gives 5 slides of 7, 7, 7, 7 and 6 rows."""
    table_slide = next(s for s in demo_briefing.slides if s.table is not None and s.chart is None)
    rows = pd.DataFrame({"Indicator": [f"indicator {i}" for i in range(34)], "Rank": range(34)})
    table_slide.table, original = rows, table_slide.table
    try:
        pieces = [s for s in deck_slides(demo_briefing) if s.table is not None]
    finally:
        table_slide.table = original
    assert [len(p.table) for p in pieces] == [7, 7, 7, 7, 6]
    assert sorted(pd.concat([p.table for p in pieces])["Indicator"]) == sorted(rows["Indicator"])


def test_every_sentence_and_card_appears_once(demo_briefing):
    """The headline cards stay on one slide; their sentences follow, each once, at most four a slide; each chart
    follows in the pack's order (a bar per authority over as many slides as it needs)."""
    deck = deck_slides(demo_briefing)
    glance = next(s for s in demo_briefing.slides if s.cards)
    assert [s.cards for s in deck if s.cards] == [glance.cards]
    words = [line for s in deck if s.title.startswith(f"{demo_briefing.focus_name} in words") for line in s.sentences]
    assert words == glance.bullets
    charts_in_pack = [s.title for s in demo_briefing.slides if s.chart is not None]
    shown = [re.sub(r" \(\d+ of \d+\)$", "", s.title) for s in deck if s.chart is not None]  # a long chart's parts
    assert list(dict.fromkeys(shown)) == charts_in_pack


def test_the_chart_on_a_slide_has_no_title_of_its_own(demo_briefing):
    """The slide shows the title once: the projected spec drops the chart's title and fills the width; a quadrant
    keeps the height its names were placed for (only its width is fitted)."""
    chart = next(s.chart for s in demo_briefing.slides if s.chart is not None)
    assert "title" in chart.to_dict(validate=False)
    spec = projected_spec(chart, 400)
    assert "title" not in spec and spec["width"] == "container"
    assert spec["height"] == chart.to_dict(validate=False)["height"] and spec["autosize"]["type"] == "fit-x"


def test_slide_numbers_from_a_link():
    """1-based in the link, 0-based back; no number means the first slide."""
    assert slide_index("3", 12) == 2
    assert slide_index(" 12 ", 12) == 11
    assert slide_index(None, 12) == 0
    for raw in ["13", *HOSTILE]:
        with pytest.raises(SlideNotFoundError, match="slides 1 to 12"):
            slide_index(raw, 12)


# -- the page (AppTest) ----------------------------------------------------------------------


def _step_bar(at) -> str:
    return next(h.value for h in at.subheader if h.value.startswith("Presentation"))


def test_slide_in_the_url_opens_that_slide_and_steps_follow(demo_store_path, demo_briefing, monkeypatch):
    """?slide=3 opens the third slide of the deck; Next writes slide=4 in the URL, Previous 3 again."""
    deck = deck_slides(demo_briefing)
    at = open_page(demo_store_path, monkeypatch, "presentation", {"focus": FOCUS, "period": LATEST, "slide": "3"})
    assert not at.exception, [e.value for e in at.exception]
    assert _step_bar(at) == f"Presentation · 3 / {len(deck)}"
    assert [h.value for h in at.main.header] == [markdown(deck[2].title)]  # the title once: no page title above it
    assert not at.main.title
    at.button(key="deck-next").click().run()
    assert at.query_params["slide"] == "4" and _step_bar(at).startswith("Presentation · 4 /")
    assert [h.value for h in at.main.header] == [markdown(deck[3].title)]
    at.button(key="deck-previous").click().run()
    assert at.query_params["slide"] == "3"
    at.button(key="deck-last").click().run()
    assert at.query_params["slide"] == str(len(deck)) and at.button(key="deck-next").disabled
    at.button(key="deck-first").click().run()
    assert at.query_params["slide"] == "1" and at.button(key="deck-previous").disabled


@pytest.mark.parametrize("raw", ["<script>alert(1)</script>"])
def test_an_invalid_slide_shows_a_notice(demo_store_path, monkeypatch, raw):
    """A slide the deck does not have: a notice naming the range, the first slide shown, no raw markup."""
    at = open_page(demo_store_path, monkeypatch, "presentation", {"focus": FOCUS, "period": LATEST, "slide": raw})
    assert not at.exception, [e.value for e in at.exception]
    notices = [w.value for w in at.warning if "There is no slide" in w.value]
    assert len(notices) == 1 and re.search(r"slides 1 to \d+", notices[0]), [w.value for w in at.warning]
    assert "<script>" not in notices[0]
    assert _step_bar(at).startswith("Presentation · 1 /")


# -- in the browser ------------------------------------------------------------------------------

DRAWN = {
    "chart": '.st-key-deck-slide [data-testid="stVegaLiteChart"] :is(canvas, svg)',
    "table": ".st-key-deck-slide table",
}
BOXES = """([drawn]) => {
  const box = s => { const e = document.querySelector(s); if (!e) return null;
    const r = e.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; };
  return {title: box('.st-key-deck-slide h2'), drawn: box(drawn),
          bar: document.querySelector('.st-key-deck-bar h3').innerText};
}"""
TALLER = """([drawn, tall]) => { const e = document.querySelector(drawn);
  return e && e.getBoundingClientRect().height >= tall; }"""
SETTLED = """([bar, drawn]) => { const app = document.querySelector('[data-testid="stApp"]');
  const shown = document.querySelector('.st-key-deck-bar h3');
  return shown && shown.innerText === bar && app && app.getAttribute('data-test-script-state') === 'notRunning'
    && !document.querySelector('[data-stale="true"]') && document.querySelector(drawn); }"""


@pytest.mark.playwright
@pytest.mark.parametrize("viewport", [{"width": 1366, "height": 768}, {"width": 1920, "height": 1080}])
def test_slides_fit_the_screen_and_the_keyboard_steps(open_app, demo_briefing, viewport):
    """In briefing mode, a chart slide and a table slide have their title and chart or table
    inside the viewport; ArrowRight opens the next slide and the URL follows."""
    deck = deck_slides(demo_briefing)
    chart_at = next(i for i, s in enumerate(deck) if s.chart is not None) + 1
    table_at = next(i for i, s in enumerate(deck) if s.table is not None) + 1
    page = open_app(f"presentation?briefing=1&focus={FOCUS}&period={LATEST}&slide={chart_at}", viewport)
    for number, drawn in [(chart_at, "chart"), (table_at, "table")]:
        if number != chart_at:
            page.goto(page.url.replace(f"slide={chart_at}", f"slide={number}"))
        bar = f"Presentation · {number} / {len(deck)}"
        assert wait_until(page, SETTLED, [bar, DRAWN[drawn]]), f"slide {number} did not settle"
        boxes = page.evaluate(BOXES, [DRAWN[drawn]])
        for part in ("title", "drawn"):
            box = boxes[part]
            assert box is not None, f"slide {number}: no {part}"
            assert box["top"] >= 0 and box["bottom"] <= viewport["height"], (number, part, box, viewport)
            assert box["left"] >= 0 and box["right"] <= viewport["width"], (number, part, box, viewport)
        if drawn == "chart":  # the chart takes the room the screen has: at 1920x1080 as much as at 1366x768 and more
            tall = viewport["height"] - 768 + 450
            wait_until(page, TALLER, [DRAWN[drawn], tall], seconds=30)  # once the page has learnt the screen's size
            chart = page.evaluate(BOXES, [DRAWN[drawn]])["drawn"]
            assert chart["bottom"] - chart["top"] >= tall, (chart, viewport)
            assert chart["bottom"] <= viewport["height"], (chart, viewport)
    page.keyboard.press("ArrowRight")
    page.wait_for_url(re.compile(rf"slide={table_at + 1}\b"), timeout=30_000)
    page.wait_for_function(
        f"() => document.querySelector('.st-key-deck-bar h3').innerText.startsWith('Presentation · {table_at + 1} /')",
        timeout=30_000,
    )
    page.keyboard.press("ArrowLeft")
    page.wait_for_url(re.compile(rf"slide={table_at}\b"), timeout=30_000)


def test_bar_per_authority_labels_fit_their_bars(demo_briefing):
    """The funding chart draws one bar per authority in its table; on a slide its y labels are
    no taller than a bar: (560 - BAR_AXIS_ROOM) / rows * 0.9 px, never under 9 px nor over the largest size."""
    funding = next(s for s in demo_briefing.slides if s.chart is not None and s.title.startswith("Core spending"))
    rows = funding.table["authority_code"].nunique()
    spec = projected_spec(funding.chart, 560)
    assert band_rows(spec) == rows
    assert spec["config"]["axisY"]["labelFontSize"] == max(
        9, min(LARGEST_NAME, int((560 - BAR_AXIS_ROOM) / rows * 0.9))
    )
    quadrant = next(s.chart for s in demo_briefing.slides if s.chart is not None)
    assert band_rows(quadrant.to_dict(validate=False)) == 0


def test_the_title_slide_names_the_sources_once(shipped_store_path, monkeypatch):
    """The first slide lists the dataset's sources in full; the foot under it does not name them again (a
    second, cut copy), while a later slide's foot still does."""
    cat = load_catalogue(Store(shipped_store_path))
    first_source = cat.settings["sources"].split(";")[0]  # e.g. "ONS: mid-year population, ..."

    def naming(at) -> int:
        texts = [m.value for m in at.main.markdown] + [c.value for c in at.main.caption]
        return sum(first_source in text.replace("\\", "") for text in texts)

    at = open_page(shipped_store_path, monkeypatch, "presentation", {"focus": FOCUS, "slide": "1"})
    assert not at.exception, [e.value for e in at.exception]
    assert naming(at) == 1
    at = open_page(shipped_store_path, monkeypatch, "presentation", {"focus": FOCUS, "slide": "2"})
    assert naming(at) == 1  # the foot


# -- the screen a slide is shown on ---------------------------------------------------------


@pytest.mark.parametrize(
    ("window", "screen"),
    [
        ((1366, 768), (1366, 768)),
        ((1280, 720), (1366, 768)),  # smaller than every class: laid out for the smallest, as before
        ((1920, 1080), (1920, 1080)),  # a full-HD projector, full screen
        ((1920, 969), (1600, 900)),  # full HD in a browser window: its toolbars take the rest
        ((2560, 1440), (1920, 1080)),
        ((1600, 1200), (1600, 900)),
    ],
)
def test_a_window_is_read_as_the_largest_screen_it_holds(window, screen):
    """Worked by hand: the largest of 1366x768, 1600x900 and 1920x1080 that the window holds across and down."""
    found = screen_for(*window)
    assert (found.width, found.height) == screen


@pytest.mark.parametrize("briefing", [True, False])
def test_a_larger_screen_gives_its_extra_room_to_the_chart(briefing):
    """A slide with the same lines of text on a 1920x1080 screen as on 1366x768: its chart takes all 312 px of extra
    height, every other part keeps its height, and its names are placed for a plot 554 px wider in the same type."""
    small, large = slide_style(briefing, SMALLEST), slide_style(briefing, Screen(1920, 1080))
    lines = SlideLines(sentences=(1,), small_print=2, warnings=(1,))
    low, high = slide_heights(SMALLEST, lines, briefing), slide_heights(Screen(1920, 1080), lines, briefing)
    assert high["chart"] - low["chart"] == 312
    assert {part: h for part, h in high.items() if part != "chart"} == {p: h for p, h in low.items() if p != "chart"}
    assert small.narrowest == (1000 if briefing else 840)
    assert large.narrowest - small.narrowest == 554
    assert (large.label_size, large.title_size) == (small.label_size, small.title_size)  # the same type


def test_a_bar_per_authority_of_44_splits_into_slides_whose_names_are_read_from_the_back(demo_briefing):
    """All 44 authorities with a funding figure: the deck shows the bars over the fewest slides of at most
    ``MAX_BARS`` ('(1 of 3)' ...), every authority once and in the chart's order, each name at 20 px or more in the
    room its 1366x768 slide leaves, every slide on the same £ scale with the group's median (drawn from all 44)."""
    vlc = pytest.importorskip("vl_convert")
    funding = next(s for s in demo_briefing.slides if s.chart is not None and s.title.startswith("Core spending"))
    table = pd.DataFrame(
        {
            "authority_code": [f"E1{i:07d}" for i in range(44)],
            "name": [f"Authority {i:02d}" for i in range(44)],
            "core_spending_power_per_head": [900.0 - 5 * i for i in range(44)],
            "rank": range(1, 45),
            "is_focus": [i == 30 for i in range(44)],
        }
    )
    chart, original = charts.funding_chart(table, "", "", style=slide_style(True)), funding.chart
    funding.chart = chart
    try:
        pieces = [s for s in deck_slides(demo_briefing) if s.title.startswith(funding.title)]
    finally:
        funding.chart = original
    sizes = [cut.stop - cut.start for cut in parts(44, MAX_BARS)]
    assert [p.title for p in pieces] == [f"{funding.title} ({n} of {len(sizes)})" for n in range(1, len(sizes) + 1)]
    drawn, scales = [], []
    for piece in pieces:
        spec = projected_spec(piece.chart, piece.heights(SMALLEST)["chart"])
        assert spec["config"]["axisY"]["labelFontSize"] >= 20
        spec["width"] = 1302
        view = vlc.vegalite_to_scenegraph(spec)
        names = re.findall(r"Authority \d\d", json.dumps(view))
        drawn.append(list(dict.fromkeys(names)))
        scales.append(re.findall(r"£\d[\d,]*", json.dumps(view)))
    assert [len(names) for names in drawn] == sizes
    assert [name for names in drawn for name in names] == [name.split("  ")[0] for name in table["name"]]
    assert all(scale == scales[0] for scale in scales)  # the same axis: a bar on one slide compares with another's
