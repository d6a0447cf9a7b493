"""The briefing pack is read away from the app (printed, emailed to Cabinet): it words what a position
measures without the app's controls, names the licence of its sources instead of pointing to the Data page,
gives the group's size in the period by the one rule (``service.group_size``), and its running footer keeps
the dataset's name and date whole on every page.

Built on the shipped county-area store (Leicestershire, 2022/23: Education is more than half of Overall, and
seven of the 44 authorities were abolished or not yet formed). Charts are blank stand-in pictures: what is
checked is the words around them.
"""

from __future__ import annotations

import io

import pytest
from PIL import Image
from pptx import Presentation
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from benchmarking.briefing import pdf as briefing_pdf
from benchmarking.briefing.bars import printed_slides
from benchmarking.briefing.pack import build_briefing
from benchmarking.briefing.pdf import to_pdf
from benchmarking.briefing.pptx import to_pptx
from benchmarking.service.benchmark import comparator_group, compute
from benchmarking.service.catalogue import load_catalogue
from benchmarking.service.group_size import group_size
from benchmarking.service.rests_on import rests_on
from benchmarking.store import Store

FOCUS, PERIOD = "E10000018", "2022/23"
APP_ONLY = ("Choose a basket", "weigh every theme equally", "on the Data page")
"""Words that send a reader to the app's controls and pages."""


def _blank(slide) -> bytes | None:
    if slide.chart is None:
        return None
    buffer = io.BytesIO()
    Image.new("RGB", (1500, 760), "white").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def real(shipped_store_path):
    catalogue = load_catalogue(Store(shipped_store_path))
    bench = compute(catalogue, comparator_group(catalogue, "all", FOCUS))
    briefing = build_briefing(catalogue, bench, PERIOD, FOCUS)
    pictures = [_blank(slide) for slide in printed_slides(briefing.slides)]
    pdf = PdfReader(io.BytesIO(to_pdf(briefing, pictures)))
    deck = Presentation(io.BytesIO(to_pptx(briefing, pictures)))
    return catalogue, bench, briefing, pdf, deck


def _pdf_text(pdf) -> str:
    return "\n".join(page.extract_text() for page in pdf.pages)


def _pptx_text(deck) -> str:
    texts = []
    for slide in deck.slides:
        texts += [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
        if slide.has_notes_slide:
            texts.append(slide.notes_slide.notes_text_frame.text)
    return "\n".join(texts)


def test_the_pack_words_a_dominated_position_for_its_reader(real):
    """The warning says what the position mostly measures, as the app does, without the app's controls; the
    screen keeps its wording (what to change in the app)."""
    catalogue, bench, _briefing, pdf, deck = real
    found = rests_on(catalogue, bench, FOCUS, PERIOD)
    assert found.dominated, "the shipped store's Overall for Leicestershire is no longer mostly one theme"
    measures = f"this position mostly measures {found.largest_theme}"
    assert "Choose a basket" in found.warning() and measures in found.warning()  # on screen, unchanged
    for text in (_pdf_text(pdf), _pptx_text(deck)):
        flat = " ".join(text.split())
        assert measures in flat
        for words in APP_ONLY:
            assert words not in flat


def test_the_pack_names_the_licence_of_its_sources(real):
    """The sources line ends with the licence the named sources are published under, not the app's Data page."""
    catalogue, _bench, briefing, pdf, _deck = real
    assert "on the Data page" in catalogue.settings["sources"]  # what the app shows
    assert "on the Data page" not in briefing.sources
    assert "Open Government Licence v3.0" in briefing.sources
    flat = " ".join(_pdf_text(pdf).split())
    assert "Open Government Licence v3.0: every source named here is published under it." in flat


def test_the_pack_gives_the_groups_size_in_the_period(real):
    """The cover and the subtitles give the group's size by the one rule: those that existed in the period, the
    others named as abolished or not yet formed, never the 44 members over every period."""
    catalogue, bench, _briefing, pdf, deck = real
    size = group_size(catalogue, bench, PERIOD)
    assert size.in_period < size.members == bench.group.size
    flat = " ".join(_pdf_text(pdf).split())
    assert f"({size.text()})" in flat
    assert f"({size.members} authorities)" not in flat and f"({size.members})" not in flat
    assert f"({size.members})" not in " ".join(_pptx_text(deck).split())


def _footer_text(page) -> str:
    """The text drawn in the page's bottom margin (below 18 mm): its running footer."""
    parts: list[str] = []

    def visit(text, cm, tm, _font, _size):
        if tm[4] * cm[1] + tm[5] * cm[3] + cm[5] < 18 * mm and text.strip():
            parts.append(text)

    page.extract_text(visitor_text=visit)
    return " ".join(" ".join(parts).split())


def test_every_pdf_page_carries_the_datasets_whole_name(real):
    """Each page's footer names the briefing and the dataset with its date, whole (not cut with '…')."""
    _catalogue, _bench, briefing, pdf, _deck = real
    assert "December" in briefing.dataset_label  # the extract's date is in its name
    for number, page in enumerate(pdf.pages, start=1):
        footer = _footer_text(page)
        assert briefing.title in footer and briefing.dataset_label in footer, f"page {number}: {footer}"
        assert "…" not in footer and f"Page {number}" in footer


@pytest.mark.parametrize("page", [landscape(A4), A4], ids=["landscape", "portrait"])
def test_the_footer_fits_an_a4_page_either_way(real, page):
    """At A4 landscape and portrait, each footer line fits beside the page number and the name is whole."""
    briefing = real[2]
    lines = briefing_pdf.footer_lines(briefing, page[0])
    assert lines == [briefing.title, briefing.dataset_label]
    room = page[0] - 2 * briefing_pdf.MARGIN
    assert all(stringWidth(line, "Helvetica", briefing_pdf.FOOTER_SIZE) < room - 60 for line in lines)
