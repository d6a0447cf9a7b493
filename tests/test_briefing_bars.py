"""The printed briefing splits a bar per authority as the Presentation page does: a chart of more than
``MAX_BARS`` bars (the 33 county areas with a 2020-21 core spending power figure) runs over slides '(1 of 2)',
'(2 of 2)' in the PPTX and the PDF, every authority once and in the chart's order, each part on the whole chart's
£ scale with the group's median.

Built on the shipped county-area store (Leicestershire, 2022/23). Charts are blank stand-in pictures; the charts
handed to the renderer are kept to check what each picture would draw.
"""

from __future__ import annotations

import io

import pytest
from PIL import Image
from pptx import Presentation
from pypdf import PdfReader

from benchmarking import charts
from benchmarking.briefing.deck import MAX_BARS, band_rows
from benchmarking.briefing.pack import build_briefing, chart_images
from benchmarking.briefing.pdf import to_pdf
from benchmarking.briefing.pptx import to_pptx
from benchmarking.service.benchmark import comparator_group, compute
from benchmarking.service.catalogue import load_catalogue
from benchmarking.store import Store

FOCUS, PERIOD = "E10000018", "2022/23"


@pytest.fixture(scope="module")
def printed(shipped_store_path):
    """The briefing, the charts its pictures were rendered from, and its PPTX and PDF."""
    catalogue = load_catalogue(Store(shipped_store_path))
    bench = compute(catalogue, comparator_group(catalogue, "all", FOCUS))
    briefing = build_briefing(catalogue, bench, PERIOD, FOCUS)
    rendered = []

    def blank(chart, scale=1.0, footer=""):
        rendered.append(chart)
        buffer = io.BytesIO()
        Image.new("RGB", (1500, 760), "white").save(buffer, format="PNG")
        return buffer.getvalue()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(charts, "to_png", blank)
        images = chart_images(briefing)
    deck = Presentation(io.BytesIO(to_pptx(briefing, images)))
    pdf = PdfReader(io.BytesIO(to_pdf(briefing, images)))
    return briefing, rendered, deck, pdf


def _heading(page: str) -> str:
    """The first line of a PDF page's text after the running footer ('... Page N')."""
    lines = page.splitlines()
    after = next(i for i, line in enumerate(lines) if line.startswith("Page ")) + 1
    return lines[after] if after < len(lines) else ""


def _funding(briefing):
    return next(s for s in briefing.slides if s.chart is not None and s.title.startswith("Core spending"))


def test_a_long_bar_chart_runs_over_slides_in_the_pptx_and_the_pdf(printed):
    briefing, _, deck, pdf = printed
    funding = _funding(briefing)
    bars = band_rows(funding.chart.to_dict(validate=False))
    assert bars > MAX_BARS  # the real data's case: more bars than a slide names at 20 px
    parts = [f"{funding.title} (1 of 2)", f"{funding.title} (2 of 2)"]
    titles = [next(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame) for slide in deck.slides]
    assert [t for t in titles if t.startswith(funding.title)] == parts
    headings = [_heading(page.extract_text()) for page in pdf.pages]
    assert [h for h in headings if h.startswith(funding.title)] == parts
    contents = pdf.pages[1].extract_text()
    assert all(part in contents for part in parts)


def test_each_printed_part_draws_its_bars_on_the_whole_charts_scale(printed):
    """What each picture draws: at most ``MAX_BARS`` bars, all the chart's authorities once in its order, one x
    scale from 0 to the highest figure, and the median line of the whole group on each."""
    briefing, rendered, _, _ = printed
    whole = _funding(briefing).chart.to_dict(validate=False)
    order = next(layer["encoding"]["y"]["sort"] for layer in whole["layer"] if "y" in layer["encoding"])
    pieces = [c.to_dict(validate=False) for c in rendered if c.to_dict(validate=False)["datasets"] == whole["datasets"]]
    assert len(pieces) == 2
    drawn, domains = [], []
    for spec in pieces:
        assert band_rows(spec) <= MAX_BARS
        bars = next(layer for layer in spec["layer"] if "y" in layer["encoding"])
        drawn += bars["encoding"]["y"]["sort"]
        assert {"filter": {"field": "display_name", "oneOf": bars["encoding"]["y"]["sort"]}} in bars["transform"]
        domains.append(bars["encoding"]["x"]["scale"]["domain"])
        assert any(layer["mark"]["type"] == "rule" for layer in spec["layer"])  # the median, drawn whole
    assert drawn == order
    figures = [
        row["core_spending_power_per_head"]
        for rows in whole["datasets"].values()
        for row in rows
        if "core_spending_power_per_head" in row
    ]
    assert domains == [[0.0, max(figures)], [0.0, max(figures)]]
