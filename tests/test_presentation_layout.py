"""A projected slide's chart as the Presentation page sends it in briefing mode, drawn as wide as the slide is at
1366x768 (review v8): the quadrant is drawn at the height its names were placed for, so no name runs into another
or into a quadrant's name, and no word (the vertical axis title too) is cut off at its top or foot; the chart leaves the
slide room for its title, sentence and small print; a bar per authority has names as tall as its bars allow."""

from __future__ import annotations

import itertools
import re

import numpy as np
import pytest
from apptest_helpers import FOCUS, catalogue, charts, engine, open_page
from svg_text import text_boxes

from benchmarking.briefing.bars import LARGEST_NAME
from benchmarking.briefing.deck import deck_plan, deck_slide
from benchmarking.briefing.pack import briefing_setting
from benchmarking.briefing.screens import SMALLEST, slide_style
from benchmarking.charts.quadrant import quadrant_labels

PERIOD = "2022/23"
SLIDE_WIDTH = {  # the slide's column at 1366 px wide: briefing mode (no sidebar; 2rem padding), and beside the sidebar
    True: 1366 - 2 * 32,
    False: 906,
}


def _slide_number(store_path, kind: str, theme: str = "") -> int:
    cat, bench = engine(str(store_path))
    plan = deck_plan(briefing_setting(cat, bench, PERIOD, FOCUS))
    return next(i for i, ref in enumerate(plan) if ref.kind == kind and ref.theme == theme) + 1


def _room(store_path, kind: str, theme: str = "", briefing: bool = True) -> int:
    """The room a slide's words leave its chart at 1366x768 (``DeckSlide.heights``)."""
    cat, bench = engine(str(store_path))
    setting = briefing_setting(cat, bench, PERIOD, FOCUS, style=slide_style(briefing, SMALLEST))
    ref = deck_plan(setting)[_slide_number(store_path, kind, theme) - 1]
    return deck_slide(setting, ref, SMALLEST, briefing).heights(SMALLEST, briefing)["chart"]


def _drawn(store_path, monkeypatch, kind: str, theme: str = "", briefing: bool = True) -> tuple[dict, str]:
    """Return the chart of one slide as the page sends it, and its SVG drawn as wide as the slide at 1366 px."""
    vlc = pytest.importorskip("vl_convert")
    query = {"focus": FOCUS, "period": PERIOD, "group": "all", "briefing": "1" if briefing else "0"}
    query["slide"] = str(_slide_number(store_path, kind, theme))
    at = open_page(store_path, monkeypatch, "presentation", query)
    assert not at.exception
    [chart] = charts(at)
    spec = dict(chart.spec, width=SLIDE_WIDTH[briefing])
    spec["datasets"] = {
        name: frame.astype(object).where(frame.notna(), None).to_dict("records")
        for name, frame in chart.datasets.items()
    }
    return spec, vlc.vegalite_to_svg(spec)


def _height(svg: str) -> float:
    return float(re.search(r'<svg[^>]*height="([0-9.]+)"', svg).group(1))


@pytest.mark.parametrize("briefing", [True, False], ids=["briefing", "beside-the-sidebar"])
@pytest.mark.parametrize("theme", ["Adult Social Care", "Overall"])
def test_a_projected_quadrant_keeps_its_names_apart_and_whole(shipped_store_path, monkeypatch, theme, briefing):
    """Adult Social Care (East Sussex, Warwickshire and Gloucestershire under the quadrants' names when the chart
    was squashed) and Overall: no two names overlap, none overlaps a quadrant's name, no text (the axis titles
    whole) runs over its top or foot, and in briefing mode the chart is no taller than the slide's room for it."""
    _, svg = _drawn(shipped_store_path, monkeypatch, "quadrant", theme, briefing)
    height = _height(svg)
    assert height <= _room(shipped_store_path, "quadrant", theme, briefing) or not briefing
    boxes = text_boxes(svg)
    corners = set(quadrant_labels("spend").values())
    names = set(catalogue(str(shipped_store_path)).authorities["name"])
    placed = [box for box in boxes if box.text in corners or box.text in names]
    assert len([box for box in placed if box.text in corners]) == 4
    clashes = [(a.text, b.text) for a, b in itertools.combinations(placed, 2) if a.overlaps(b)]
    assert clashes == []
    # Above or below the chart a word is cut off (across, the browser's own text measure fits the chart to its
    # column: tests/test_chart_fit.py).
    outside = [box.text for box in boxes if box.y0 < 0 or box.y1 > height]
    assert outside == []


def test_a_projected_bar_per_authority_has_names_as_tall_as_its_bars(shipped_store_path, monkeypatch):
    """The core spending power slides (33 authorities, over two slides): within its room on the slide, each name is
    set at least 0.85 of its bar's step (the step the bars are drawn at) or at the largest size names are set in,
    and never taller than the step."""
    spec, svg = _drawn(shipped_store_path, monkeypatch, "funding")
    assert _height(svg) <= _room(shipped_store_path, "funding")
    bars = re.findall(r'<path[^>]*aria-roledescription="bar"[^>]*d="M[-0-9.e]+,([-0-9.e]+)h[-0-9.e]+v([-0-9.e]+)', svg)
    if not bars:  # Vega writes a bar as a path; its y and height give the band step
        bars = re.findall(r'd="M[-0-9.e]+,([-0-9.e]+)h[-0-9.e]+v([-0-9.e]+)h', svg)
    tops = np.sort(np.unique([round(float(top), 3) for top, _ in bars]))
    step = float(np.median(np.diff(tops)))
    size = spec["config"]["axisY"]["labelFontSize"]
    assert min(0.85 * step, LARGEST_NAME) <= size <= step, (size, step)
