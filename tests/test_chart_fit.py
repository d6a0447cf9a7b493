"""Charts that fit the screen: rank-axis ticks (1 and evenly spaced, never colliding, for groups
of 5 to 160), projector text sizes in briefing mode, and, in Chromium, every chart inside the
viewport's width at 1366x768 and 1920x1080, normal and briefing, on the demo and the real store."""

from __future__ import annotations

import itertools
from pathlib import Path

import pandas as pd
import pytest
from browser_support import CHART, PAGES, ROOT, wait_for_page, wait_until
from svg_text import text_boxes
from test_quadrant_labels import synthetic_view

from benchmarking import charts
from benchmarking.charts.style import rank_ticks

SIZES = [5, 8, 34, 37, 150, 160]
VIEWPORTS = {"1366": {"width": 1366, "height": 768}, "1920": {"width": 1920, "height": 1080}}
FIT = ROOT / "artifacts" / "chart-fit"
FIT_SECONDS = 30  # a chart that has not fitted its container by then never will


def _gaps(ticks: list[int]) -> list[int]:
    return [b - a for a, b in itertools.pairwise(ticks)]


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize(
    "length, label_size, vertical",
    [(800, 13, False), (1100, 20, False), (540, 13, True), (640, 20, True), (250, 13, False)],
)
def test_rank_ticks_start_at_1_evenly_spaced_and_apart(n, length, label_size, vertical):
    """1 is a tick; after the first gap every gap is the same step; no tick beyond n; ticks are
    at least a label apart at the axis length (1.5 lines up; the widest number plus a space across)."""
    ticks = rank_ticks(n, length, label_size, vertical)
    assert ticks[0] == 1 and ticks[-1] <= n and ticks == sorted(set(ticks))
    gaps = _gaps(ticks)
    if gaps:
        step = gaps[-1]
        assert all(g == step for g in gaps[1:])
        assert step - 1 <= gaps[0] <= step  # 1, 5, 10 ... or 1, 3, 5 ...
        room = 1.5 * label_size if vertical else label_size * (0.6 * len(str(n)) + 0.8)
        assert min(gaps) * length / n >= room
    assert len(ticks) >= min(n, 3)  # an axis that reads: at least three ticks


def test_rank_ticks_by_hand():
    """Worked by hand: 34 ranks across 800 px leave 23.5 px a rank, a two-digit label needs
    13 x 2.0 = 26 px, so step 2 (two ranks, 47 px) from 1: 1, 3, 5 ... 33."""
    assert rank_ticks(34, 800, 13) == list(range(1, 34, 2))
    # 150 across 800 px: 5.3 px a rank, three digits need 13 x 2.6 = 33.8 px: step 10 (9 ranks, 48 px).
    assert rank_ticks(150, 800, 13) == [1] + list(range(10, 151, 10))
    assert rank_ticks(5, 800, 13) == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("n", [5, 34, 150, 160])
def test_quadrant_tick_labels_do_not_collide_in_the_rendered_chart(n):
    """The tick labels of both axes, measured in the SVG, overlap neither each other nor 1 is missing."""
    vlc = pytest.importorskip("vl_convert")
    chart = charts.quadrant_chart(synthetic_view(n, focus=0), "t", "s", "Spend rank", "spend")
    numbers = [b for b in text_boxes(vlc.vegalite_to_svg(charts.vega_lite_json(chart))) if b.text.isdigit()]
    assert sum(b.text == "1" for b in numbers) == 2  # 1 on each axis
    assert not [(a.text, b.text) for a, b in itertools.combinations(numbers, 2) if a.overlaps(b)]


def _font_sizes(spec, found=None) -> list[tuple[str, float]]:
    """Every font size in a Vega-Lite spec, with the key it was found under."""
    found = [] if found is None else found
    if isinstance(spec, dict):
        for key, value in spec.items():
            if "fontsize" in key.lower() and isinstance(value, (int, float)):
                found.append((key, value))
            else:
                _font_sizes(value, found)
    elif isinstance(spec, list):
        for value in spec:
            _font_sizes(value, found)
    return found


def test_briefing_charts_use_projector_text(demo_store_path):
    """Every font size in the briefing quadrant, small multiples, positions and funding charts is
    at least 20 px; the normal style stays smaller."""
    view = synthetic_view(34)
    positions = pd.DataFrame(
        {"theme": ["Overall", "Children"], "position": [3, 20], "n_positioned": [34, 34], "average_rank": [5.0, 18.0]}
    )
    built = [
        charts.quadrant_chart(view, "t", "s", "x", "spend", style=charts.BRIEFING, labelled=["E10000010"]),
        charts.quadrant_small_multiples({"A": view, "B": view}, "t", "s", "spend", style=charts.BRIEFING),
        charts.theme_position_chart(positions, "t", "s", style=charts.BRIEFING),
    ]
    for chart in built:
        sizes = _font_sizes(chart.to_dict(validate=True))
        assert sizes and min(size for _, size in sizes) >= 20, sizes
    assert charts.NORMAL.label_size < 20 <= charts.BRIEFING.label_size


def test_a_single_chart_stretches_and_a_grid_keeps_its_panels():
    view = synthetic_view(34)
    single, stretches = charts.for_screen(charts.quadrant_chart(view, "t", "s", "x", "spend").to_dict())
    assert stretches and single["width"] == "container" and single["autosize"]["type"] == "fit-x"
    grid = charts.quadrant_small_multiples({"A": view, "B": view, "C": view}, "t", "s", "spend")
    spec, stretches = charts.for_screen(grid.to_dict())
    assert not stretches and "autosize" not in spec
    for style in (charts.NORMAL, charts.BRIEFING):  # three (two) panels and their axes fit the narrowest screen
        columns = 3 if style is charts.NORMAL else 2
        assert columns * (style.panel_width(columns) + style.label_size * 3 + 20) <= style.narrowest


# -- in the browser ------------------------------------------------------------------------------

CHART_PAGES = [name for name, (_, draws) in PAGES.items() if draws] + ["presentation"]
BOXES = f"""() => [...document.querySelectorAll('{CHART}')].map(e => {{
    const b = e.getBoundingClientRect(); return {{left: b.left, right: b.right, width: b.width}}; }})"""
FITS = (
    f"""() => {{ const boxes = ({BOXES})(); return boxes.every(b => b.left >= 0 && b.right <= innerWidth + 0.5); }}"""
)


def _walk(browser, server, mode: str) -> list[str]:
    """Open every chart page in ``mode`` at 1366x768, then widen the window to 1920x1080; return
    every chart that is not inside the window's width at either size (one page load per page)."""
    problems = []
    FIT.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=VIEWPORTS["1366"])
    page = context.new_page()
    try:
        for name in CHART_PAGES:
            page.set_viewport_size(VIEWPORTS["1366"])
            page.goto(server.page_url(name + ("?briefing=1" if mode == "briefing" else "")))
            drawn = None if name == "presentation" else "chart" if server.store == "demo" else "chart or table"
            wait_for_page(page, name, drawn=drawn)
            for label, viewport in VIEWPORTS.items():
                page.set_viewport_size(viewport)
                # A chart is laid out to its container a frame or two after it is drawn (seconds under load).
                if not wait_until(page, FITS, seconds=FIT_SECONDS):
                    problems.append(f"{name} {mode} {label}: {page.evaluate(BOXES)} in {viewport['width']}")
                shot = FIT / f"{server.store}-{name}-{mode}-{label}.png"
                charts_drawn = page.locator(CHART)
                (charts_drawn.first if charts_drawn.count() else page).screenshot(path=str(shot))
    finally:
        context.close()
    return problems


@pytest.mark.playwright
@pytest.mark.parametrize("mode", ["normal", "briefing"])
def test_every_chart_fits_the_viewport_on_the_demo_store(browser, demo_server, mode):
    assert _walk(browser, demo_server, mode) == []


@pytest.mark.playwright
@pytest.mark.parametrize("mode", ["normal", "briefing"])
def test_every_chart_fits_the_viewport_on_the_real_store(browser, public_server, mode):
    assert _walk(browser, public_server, mode) == []


LIBERATION = Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf")
LONG_SUBTITLE = (
    "Comparator group: all authorities (37 authorities in 2022/23; 7 others abolished or not yet formed). "
    "1 = best, at the top. Positions over 'All published', every indicator counts once (the Compendium's rule), "
    "periods that rest on few indicators left out"
)


def _trend(themes: list[str]) -> pd.DataFrame:
    periods = [f"20{y:02d}/{y + 1:02d}" for y in range(15, 23)]
    return pd.DataFrame(
        [
            (name, period, pd.Timestamp(f"20{period[2:4]}-04-01"), theme, float(i % 5 + j + 1), 36, 10.0)
            for theme in themes
            for j, name in enumerate(["Leicestershire", "Kent"])
            for i, period in enumerate(periods)
        ],
        columns=["name", "period", "period_start", "theme", "position", "n_positioned", "average_rank"],
    )


@pytest.mark.parametrize(("briefing", "column"), [(False, 906), (True, 1366 - 2 * 32)], ids=["normal", "briefing"])
@pytest.mark.parametrize("themes", [["Overall"], ["Overall", "LA Core"]], ids=["one", "grid"])
def test_a_subtitle_wraps_at_the_width_its_chart_is_drawn_at(briefing, column, themes):
    """A Trend chart's subtitle, drawn in the font its title names (Arial, or Liberation Sans of the same widths,
    measured here with Pillow): at 1366 px, where the page's column is 906 px wide (1302 in briefing mode), a single
    chart stretches across it and a grid of panels is as wide as its panels, its axis and the gaps between them;
    each line of the subtitle but the last of its text reaches past 80% of that width, none past its edge.
    A subtitle is given as a list of lines; one text with a line break in it is refused."""
    from PIL import ImageFont

    if not LIBERATION.exists():
        pytest.skip("Liberation Sans (Debian's fonts-liberation, Arial's widths) is not installed")
    style = charts.style_for(briefing)
    chart = charts.trend_chart(_trend(themes), "Leicestershire", "Positions over time", [LONG_SUBTITLE, "Note."], style)
    spec, stretches = charts.for_screen(chart.to_dict(validate=False))
    title = spec["title"]
    assert title["subtitleFont"].startswith("Arial")
    font = ImageFont.truetype(str(LIBERATION), size=style.subtitle_size)
    widths = [font.getlength(line) for line in title["subtitle"]]
    if stretches:
        edge = column
    else:  # the grid's drawn width: its panels, the gaps between them and the axis on the left
        columns, panel = spec["columns"], spec["spec"]["width"]
        edge = columns * panel + (columns - 1) * 20 + style.label_size * 2
    assert title["subtitle"][-1] == "Note."
    assert max(widths) <= edge, (widths, edge)
    assert min(widths[:-2]) >= 0.8 * edge, (widths, edge)
    with pytest.raises(ValueError, match="list"):
        charts.trend_chart(_trend(themes), "Leicestershire", "Positions", f"{LONG_SUBTITLE}\nNote.", style)
