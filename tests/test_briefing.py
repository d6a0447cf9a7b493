"""The Cabinet briefing: slides and PDF carry the engine's numbers, and follow the data."""

from __future__ import annotations

import io
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from pptx import Presentation
from pypdf import PdfReader

from benchmarking.briefing.bars import printed_slides
from benchmarking.briefing.pack import build_briefing
from benchmarking.briefing.pdf import to_pdf
from benchmarking.briefing.pptx import ROWS_PER_SLIDE, to_pptx
from benchmarking.ingest.importer import import_frames
from benchmarking.method import ranking
from benchmarking.method.positions import positions
from benchmarking.service.benchmark import comparator_group, compute
from benchmarking.service.catalogue import load_catalogue
from benchmarking.service.overview import ContextRank, DataCurrency, Directions, Overview, Standing
from benchmarking.text.formatting import position_text
from benchmarking.text.narrative import overview_sentences

FOCUS, PERIOD = "E10000018", "2021/22"


def _briefing(store, group="all"):
    cat = load_catalogue(store)
    bench = compute(cat, comparator_group(cat, group, FOCUS))
    return cat, bench, build_briefing(cat, bench, PERIOD, FOCUS)


def _direct_overall_position(store, theme="Overall") -> tuple[int, int]:
    """Overall position computed straight from the engine's pure functions, not via the service."""
    values = store.values([PERIOD])
    result = positions(ranking.indicator_ranks(values, store.indicators()), store.indicators())
    row = result[(result["theme"] == theme) & (result["authority_code"] == FOCUS)].iloc[0]
    return int(row["position"]), int(row["n_positioned"])


def _heading(page: str) -> str:
    """The first line of a PDF page's text after the running footer ('... Page N')."""
    lines = page.splitlines()
    after = next(i for i, line in enumerate(lines) if line.startswith("Page ")) + 1
    return lines[after] if after < len(lines) else ""


@pytest.fixture(scope="module")
def demo_briefing(demo_store_path):
    from benchmarking.store import Store

    store = Store(demo_store_path)
    _cat, _bench, briefing = _briefing(store)
    return store, briefing, to_pptx(briefing), to_pdf(briefing)


def test_pptx_has_every_section_with_titles_and_notes(demo_briefing):
    """One slide per chart section plus title, cards and table slides; notes hold the reading guide."""
    _, briefing, pptx_bytes, _ = demo_briefing
    slides = printed_slides(briefing.slides)  # a long bar chart over several slides
    deck = Presentation(io.BytesIO(pptx_bytes))
    expected = 0
    for slide in slides:
        if slide.chart is not None or slide.cards or slide is slides[0]:
            expected += 1
        else:
            expected += max(1, -(-len(slide.table) // ROWS_PER_SLIDE))
    assert len(deck.slides) == expected
    assert deck.slide_width > deck.slide_height  # 16:9
    texts = ["\n".join(shape.text_frame.text for shape in s.shapes if shape.has_text_frame) for s in deck.slides]
    assert "Illustrative demo data" in texts[0]
    for spec in slides[1:]:
        assert any(spec.title in text for text in texts), spec.title
    quadrant_slides = [
        s
        for s in deck.slides
        if any("performance against spend" in sh.text_frame.text for sh in s.shapes if sh.has_text_frame)
    ]
    assert (
        len(quadrant_slides)
        == 2
        + len(slides[0:0] or [])
        + sum(1 for s in slides if s.title.endswith(f"performance against spend, {PERIOD}"))
        - 2
    )
    for slide in quadrant_slides:
        assert "How to read this chart" in slide.notes_slide.notes_text_frame.text
        assert any(shape.shape_type == 13 for shape in slide.shapes)  # a picture


def test_cards_and_narrative_carry_the_engines_numbers(demo_briefing):
    """The Overall and LA Core cards and the narrative equal a direct engine recomputation."""
    store, briefing, pptx_bytes, _ = demo_briefing
    overall, n = _direct_overall_position(store)
    core, n_core = _direct_overall_position(store, "LA Core")
    cards = dict(briefing.slides[1].cards)
    assert cards["Overall performance"] == position_text(overall, n)
    assert cards["LA Core performance"] == position_text(core, n_core)
    narrative = " ".join(briefing.narrative)
    assert f"ranks {position_text(overall, n)} for overall performance" in narrative
    assert f"it ranks {position_text(core, n_core)}" in narrative
    deck = Presentation(io.BytesIO(pptx_bytes))
    card_text = "\n".join(sh.text_frame.text for sh in deck.slides[1].shapes if sh.has_text_frame)
    assert position_text(overall, n) in card_text
    bottom = briefing.figures.quartile_counts.get(4, 0)
    assert f"{bottom} in the bottom quartile" in narrative


def test_pdf_has_contents_page_numbers_titles_and_sources(demo_briefing):
    """The PDF lists every section in its contents, numbers its pages and names its sources."""
    _, briefing, _, pdf_bytes = demo_briefing
    slides = printed_slides(briefing.slides)  # a long bar chart over several slides
    reader = PdfReader(io.BytesIO(pdf_bytes))
    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) >= len(slides)
    assert "Illustrative demo data" in pages[0]
    assert "Contents" in pages[1] and "Contents" not in pages[0]  # the contents have a page of their own
    headings = [_heading(page) for page in pages]
    section_start = headings.index(slides[1].title)
    contents = "\n".join(pages[:section_start])
    for spec in slides[1:]:
        assert spec.title in contents, f"contents misses {spec.title}"
        assert spec.title in headings[section_start:], spec.title
    # the contents give each section's page (pypdf reads each page number just before its title)
    lines = [line.strip() for line in contents.splitlines()]
    for spec in slides[1:]:
        page = headings.index(spec.title, section_start) + 1
        assert lines[lines.index(spec.title) - 1] == str(page), f"contents page of {spec.title}"
    # each section fits on one page: contents pages, one page a section, one sources page
    assert len(pages) == section_start + len(slides) - 1 + 1
    for number, text in enumerate(pages, start=1):
        assert f"Page {number}" in text
    assert "Data sources" in pages[-1]
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height  # landscape


def test_pdf_draws_each_chart_once_on_its_sections_page(demo_briefing):
    """Charts are drawn only in the last layout pass: that pass must be the one saved."""
    _, briefing, _, pdf_bytes = demo_briefing
    slides = printed_slides(briefing.slides)  # a long bar chart over several slides
    reader = PdfReader(io.BytesIO(pdf_bytes))
    pages = {_heading(page.extract_text()): page for page in reader.pages}
    for slide in slides[1:]:
        assert len(pages[slide.title].images) == (1 if slide.chart is not None else 0), slide.title
    assert sum(len(page.images) for page in reader.pages) == sum(s.chart is not None for s in slides)


def test_narrative_follows_the_data(writable_store):
    """Making the focus authority best on every indicator moves the narrative to 1st overall."""
    before = " ".join(_briefing(writable_store)[2].narrative)
    overall, n = _direct_overall_position(writable_store)
    assert overall != 1 and f"ranks {position_text(overall, n)}" in before
    values = writable_store.values([PERIOD])
    indicators = writable_store.indicators().set_index("id")
    best = values.groupby("indicator_id")["value"].agg(["max", "min"])
    polarity = indicators.loc[best.index, "polarity"]
    target = np.where(polarity == "low", best["min"] - 1, best["max"] + 1)
    frame = pd.DataFrame(
        {"indicator_id": best.index, "authority_code": FOCUS, "period": PERIOD, "value": target.astype(str)}
    )
    frame = frame[polarity.to_numpy() != "none"]
    import_frames(writable_store, [("indicator_value", frame, "best.csv")])
    after = " ".join(_briefing(writable_store)[2].narrative)
    assert f"ranks {position_text(1, n)} for overall performance" in after
    assert after != before


def test_every_sentence_carries_a_figure(demo_briefing):
    """No fixed sentences: each narrative sentence contains at least one number."""
    _, briefing, _, _ = demo_briefing
    assert len(briefing.narrative) >= 5
    for sentence in briefing.narrative:
        assert any(ch.isdigit() for ch in sentence), sentence


def _figures(period: str = "2021/22", **changes) -> Overview:
    """Return a small Overview of a made-up authority, 3rd of 10 in ``period``, with nothing else ranked, then
    ``changes`` (the parts a test gives)."""
    unranked = ContextRank(None, None, None, None)
    figures = Overview(
        focus="E1",
        focus_name="Testshire",
        period=period,
        previous_period=None,
        group_label="Test group",
        group_size=10,
        overall=Standing(position=3, n=10, previous=None),
        core=Standing(None, None, None),
        spend=unranked,
        funding=unranked,
        deprivation=unranked,
        quartile_counts={},
        directions=Directions(improved=0, worsened=0, no_real_change=0, not_comparable=0),
        quadrant=None,
        currency=DataCurrency(period, "Overall", 0, 0, {}, 0, 0, 0),
        theme_positions=pd.DataFrame(columns=["theme", "position", "n_positioned", "average_rank"]),
    )
    return replace(figures, **changes)


def test_sentences_are_left_out_when_figures_are_missing():
    """Without a funding rank, no funding clause is written."""
    sentences = overview_sentences(_figures())
    assert sentences == ["Testshire ranks 3rd of 10 for overall performance in 2021/22."]


def _one_slide(pptx_bytes: bytes, index: int) -> bytes:
    """Return the deck cut down to its slide ``index`` (0-based), for a quick render."""
    deck = Presentation(io.BytesIO(pptx_bytes))
    listed = deck.slides._sldIdLst
    for position, slide_id in reversed(list(enumerate(listed))):
        if position != index:
            deck.part.drop_rel(slide_id.rId)
            listed.remove(slide_id)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


@pytest.mark.playwright
def test_rendered_slide_and_page_are_saved_as_images(demo_briefing, tmp_path):
    """LibreOffice renders one slide and pdftoppm one report page; both land in artifacts/ as images.

    Slide 3 is the Overall quadrant chart and page 4 of the report the same chart. Only that
    slide goes through LibreOffice (a one-slide deck: one conversion of one page).
    """
    import shutil
    import subprocess
    from pathlib import Path

    office = shutil.which("soffice") or shutil.which("libreoffice")
    pdftoppm = shutil.which("pdftoppm")
    if not office or not pdftoppm:
        pytest.skip("LibreOffice (soffice) and pdftoppm are needed: apt-get install libreoffice-impress poppler-utils")
    _, _briefing_pack, pptx_bytes, pdf_bytes = demo_briefing
    out = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    deck = tmp_path / "slide-3.pptx"
    deck.write_bytes(_one_slide(pptx_bytes, 2))
    [slide] = Presentation(deck).slides
    assert any("performance against spend" in shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
    # A private profile: another soffice running on the machine cannot take the job over.
    subprocess.run(
        [
            office,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(deck),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    rendered = tmp_path / "slide-3.pdf"
    assert len(PdfReader(rendered).pages) == 1
    subprocess.run(
        [pdftoppm, "-png", "-r", "80", "-singlefile", str(rendered), str(out / "briefing-slide-3")],
        check=True,
        timeout=120,
    )
    report = tmp_path / "report.pdf"
    report.write_bytes(pdf_bytes)
    subprocess.run(
        [
            pdftoppm,
            "-png",
            "-r",
            "60",
            "-f",
            "4",
            "-l",
            "4",
            "-singlefile",
            str(report),
            str(out / "briefing-report-page-4"),
        ],
        check=True,
        timeout=120,
    )
    for name in ("briefing-slide-3.png", "briefing-report-page-4.png"):
        image = out / name
        assert image.exists() and image.stat().st_size > 10_000  # a real picture, not a blank page


def test_money_in_the_narrative_says_the_year_it_is_for():
    """Core spending power and spend per head are stated with the year their figures are for, which may be years
    before the period (the latest published): '(£587 in 2020-21)', not '(£587)' beside a 2022/23 position."""
    base = _figures(
        "2022/23",
        spend=ContextRank(10, 10, 1038.0, "2022-23"),
        funding=ContextRank(10, 10, 587.0, "2020-21"),
        quadrant="high performing, low spending",
    )
    text = " ".join(overview_sentences(base))
    assert "core spending power per head in the group (£587 in 2020-21)" in text
    assert "net revenue expenditure per head (£1,038 in 2022-23, " in text
    unknown = " ".join(overview_sentences(replace(base, funding=ContextRank(10, 10, 587.0, None))))
    assert "(£587)" in unknown


def test_the_quadrant_slide_says_the_spend_rank_with_the_number_ranked(demo_store_path):
    """The quadrant slide's sentence gives the spend rank "of N" as the page does ("total spend rank 36 of 36"), so a
    rank read aloud in a briefing says how many it is among."""
    from benchmarking.service.context_views import axis_words, quadrant_view
    from benchmarking.store import Store

    cat, bench, briefing = _briefing(Store(demo_store_path))
    view = quadrant_view(cat, bench, "Overall", "Revenue", PERIOD, FOCUS)
    focus = view[view["is_focus"]].iloc[0]
    said = f"{axis_words(bench, 'Overall', 'Revenue').rank_name} {int(focus['context_rank'])} of {int(focus['n'])})."
    quadrant = next(slide for slide in briefing.slides if slide.bullets and "performance position" in slide.bullets[0])
    assert quadrant.bullets[0].endswith(said), quadrant.bullets
