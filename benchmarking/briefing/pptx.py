"""The briefing as a 16:9 PowerPoint deck (python-pptx), with large type for the projector.

Each chart goes in as a high-resolution PNG; its "how to read" text goes in the speaker
notes. Long tables run over as many slides as they need, 12 rows a slide.
"""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from benchmarking.briefing.pack import Briefing, chart_images
from benchmarking.text.escaping import CELL_LIMIT, shorten

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
ROWS_PER_SLIDE = 12
RESTS_ON_TOP = Inches(6.55)
"""Where the lines saying what the slide's positions rest on start (charts and cards end above)."""
DARK = RGBColor(0x1F, 0x1F, 0x1F)
FOCUS = RGBColor(0xD5, 0x5E, 0x00)
GREY = RGBColor(0x55, 0x55, 0x55)


def _text(slide, left, top, width, height, text: str, size: int, bold: bool = False, colour=DARK):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    paragraph = frame.paragraphs[0]
    paragraph.text = text
    paragraph.font.size = Pt(size)
    paragraph.font.bold = bold
    paragraph.font.color.rgb = colour
    return box


def _title(slide, title: str, subtitle: str = "") -> None:
    _text(slide, Inches(0.5), Inches(0.25), Inches(12.3), Inches(0.8), title, 30, bold=True)
    if subtitle:
        _text(slide, Inches(0.5), Inches(0.95), Inches(12.3), Inches(0.5), subtitle, 16, colour=GREY)


def _notes(slide, text: str) -> None:
    slide.notes_slide.notes_text_frame.text = text


def _rests_on(slide, spec) -> None:
    """Write what the slide's positions rest on (one paragraph) and any warnings (another) along
    the foot of the slide."""
    paragraphs = [("  ·  ".join(spec.rests_on), GREY, False), (" ".join(spec.warnings), FOCUS, True)]
    paragraphs = [item for item in paragraphs if item[0]]
    if not paragraphs:
        return
    box = slide.shapes.add_textbox(Inches(0.5), RESTS_ON_TOP, Inches(12.3), HEIGHT - RESTS_ON_TOP)
    frame = box.text_frame
    frame.word_wrap = True
    for k, (text, colour, bold) in enumerate(paragraphs):
        paragraph = frame.paragraphs[0] if k == 0 else frame.add_paragraph()
        paragraph.text = text
        paragraph.font.size = Pt(11)
        paragraph.font.bold = bold
        paragraph.font.color.rgb = colour


def _with_rests_on(note: str, spec) -> str:
    """Return the speaker notes with what the positions rest on, and any warning, after them."""
    return "\n".join([note, *spec.rests_on, *spec.warnings]) if spec.rests_on or spec.warnings else note


def _picture(slide, png: bytes) -> None:
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        ratio = image.width / image.height
    max_w, max_h = Inches(12.3), RESTS_ON_TOP - Inches(1.5)
    width = max_w if max_w / ratio <= max_h else Emu(int(max_h * ratio))
    height = Emu(int(width / ratio))
    left = Emu(int((WIDTH - width) / 2))
    slide.shapes.add_picture(io.BytesIO(png), left, Inches(1.45), width=width, height=height)


def _table(slide, frame, top=None) -> None:
    top = Inches(1.5) if top is None else top
    rows, cols = len(frame) + 1, len(frame.columns)
    shape = slide.shapes.add_table(rows, cols, Inches(0.5), top, Inches(12.3), Inches(0.42) * rows)
    table = shape.table
    for j, column in enumerate(frame.columns):
        cell = table.cell(0, j)
        cell.text = str(column)
        cell.text_frame.paragraphs[0].font.size = Pt(16)
        cell.text_frame.paragraphs[0].font.bold = True
    for i, row in enumerate(frame.itertuples(index=False), start=1):
        for j, value in enumerate(row):
            cell = table.cell(i, j)
            cell.text = shorten(
                "" if value is None or value != value else (f"{value:,.0f}" if isinstance(value, float) else value),
                CELL_LIMIT,
            )
            cell.text_frame.paragraphs[0].font.size = Pt(15)


def to_pptx(briefing: Briefing, images: list[bytes | None] | None = None) -> bytes:
    """Return the briefing as .pptx bytes: title, overview cards, charts and tables, in order."""
    images = images if images is not None else chart_images(briefing)
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    blank = deck.slide_layouts[6]
    for index, (slide_spec, png) in enumerate(zip(briefing.slides, images)):
        if index == 0:
            slide = deck.slides.add_slide(blank)
            _text(slide, Inches(0.8), Inches(2.0), Inches(11.7), Inches(1.2), briefing.council, 40, bold=True)
            _text(slide, Inches(0.8), Inches(3.1), Inches(11.7), Inches(1.0), slide_spec.title, 30)
            _text(slide, Inches(0.8), Inches(4.1), Inches(11.7), Inches(0.6), slide_spec.subtitle, 20, colour=GREY)
            for k, line in enumerate(slide_spec.bullets):
                _text(
                    slide,
                    Inches(0.8),
                    Inches(4.9 + 0.6 * k),
                    Inches(11.7),
                    Inches(0.6),
                    line,
                    16,
                    colour=FOCUS if briefing.is_demo and k == 0 else GREY,
                )
            _notes(slide, slide_spec.note)
            continue
        if slide_spec.cards:
            slide = deck.slides.add_slide(blank)
            _title(slide, slide_spec.title, slide_spec.subtitle)
            for k, (label, value) in enumerate(slide_spec.cards):
                left = Inches(0.5 + (k % 3) * 4.15)
                top = Inches(1.55 + (k // 3) * 1.35)
                _text(slide, left, top, Inches(4.0), Inches(0.45), label, 16, colour=GREY)
                _text(slide, left, top + Inches(0.4), Inches(4.0), Inches(0.8), value, 32, bold=True)
            _text(slide, Inches(0.5), Inches(4.35), Inches(12.3), Inches(2.2), " ".join(slide_spec.bullets), 16)
            _rests_on(slide, slide_spec)
            _notes(slide, _with_rests_on(slide_spec.note + "\n\n" + "\n".join(slide_spec.bullets), slide_spec))
            continue
        if png is not None:
            slide = deck.slides.add_slide(blank)
            _title(slide, slide_spec.title, slide_spec.bullets[0] if slide_spec.bullets else "")
            _picture(slide, png)
            _rests_on(slide, slide_spec)
            _notes(slide, _with_rests_on("How to read this chart: " + slide_spec.note, slide_spec))
            continue
        table = slide_spec.table
        chunks = [table.iloc[i : i + ROWS_PER_SLIDE] for i in range(0, max(len(table), 1), ROWS_PER_SLIDE)]
        for part, chunk in enumerate(chunks, start=1):
            slide = deck.slides.add_slide(blank)
            suffix = f" ({part} of {len(chunks)})" if len(chunks) > 1 else ""
            _title(slide, slide_spec.title + suffix, slide_spec.subtitle)
            if len(chunk):
                _table(slide, chunk)
            else:
                _text(slide, Inches(0.5), Inches(1.6), Inches(12), Inches(1), "None.", 24)
            _rests_on(slide, slide_spec)
            _notes(slide, _with_rests_on(slide_spec.note, slide_spec))
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()
