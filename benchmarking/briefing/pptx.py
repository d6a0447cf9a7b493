"""The briefing as a 16:9 PowerPoint deck (python-pptx), with large type for the projector.

Each chart goes in as a high-resolution PNG without a title of its own (the slide title
says it once); its "how to read" text goes in the speaker notes. Every text is measured
before it is placed (``text.typesetting``): a title that does not fit on one line at
30 pt is set smaller, then wrapped, and whatever follows it moves down, so no two frames
overlap. Long tables run over as many slides as they need (at most 12 rows a slide, fewer
when long names wrap).
"""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE
from pptx.util import Emu, Inches, Pt

from benchmarking.briefing.bars import printed_slides
from benchmarking.briefing.pack import Briefing, chart_images
from benchmarking.text import typesetting as ts
from benchmarking.text.escaping import CELL_LIMIT, shorten

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
LEFT, CONTENT_WIDTH = Inches(0.5), Inches(12.3)
FOOT = Inches(0.15)
"""The empty margin below the lowest frame of a slide."""
GAP = Inches(0.08)
"""The space between one frame and the next below it."""
ROWS_PER_SLIDE = 12
"""At most this many table rows a slide (fewer when wrapped names make the rows taller)."""
TITLE_SIZES = (30, 28, 26, 24, 22)
SUBTITLE_SIZES = (16, 15, 14, 13, 12)
CARD_LABEL_SIZES = (16, 15, 14, 13, 12)
CARD_VALUE_SIZES = (32, 30, 28, 26, 24)
BODY_SIZES = (16, 15, 14, 13, 12, 11)
FOOT_SIZES = (11, 10, 9)
TABLE_SIZE, TABLE_HEADER_SIZE = 15, 16
BOTTOM = MSO_ANCHOR.BOTTOM
DARK = RGBColor(0x1F, 0x1F, 0x1F)
FOCUS = RGBColor(0xD5, 0x5E, 0x00)
GREY = RGBColor(0x55, 0x55, 0x55)


def _pt(length) -> float:
    return Emu(length).pt


def _set(paragraph, text: str, size: float, bold: bool, colour) -> None:
    """Write one paragraph in the deck's font at ``size`` with exact line spacing."""
    paragraph.text = text
    font = paragraph.font
    font.name, font.size, font.bold, font.color.rgb = ts.FONT_NAME, Pt(size), bold, colour
    paragraph.line_spacing = Pt(size * ts.LINE_SPACING)


def _frame(slide, left, top, width, height, anchor=MSO_ANCHOR.TOP):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = anchor
    frame.margin_left = frame.margin_right = Pt(ts.INSET_X)
    frame.margin_top = frame.margin_bottom = Pt(ts.INSET_Y)
    return frame


def _text(
    slide, left, top, width, text: str, sizes, bold=False, colour=DARK, height=None, anchor=MSO_ANCHOR.TOP
) -> int:
    """Place ``text`` in a frame ``width`` wide at the largest of ``sizes`` that fits ``height``
    (one line of the largest size when None); return the frame's bottom (EMU)."""
    height = Pt(ts.text_height(1, sizes[0])) if height is None else height
    fit = ts.fit(text, _pt(width), _pt(height), sizes, bold)
    height = max(height, Pt(fit.height))
    _set(_frame(slide, left, top, width, height, anchor).paragraphs[0], text, fit.size, bold, colour)
    return top + height


def _header(slide, title: str, subtitle: str = "") -> int:
    """Write the slide's title and subtitle, each shrunk or wrapped to fit; return where the content starts."""
    bottom = _text(slide, LEFT, Inches(0.2), CONTENT_WIDTH, title, TITLE_SIZES, bold=True)
    if subtitle:
        two_lines = Pt(ts.text_height(2, SUBTITLE_SIZES[0]))
        fit = ts.fit(subtitle, _pt(CONTENT_WIDTH), _pt(two_lines), SUBTITLE_SIZES)
        bottom = _text(slide, LEFT, bottom, CONTENT_WIDTH, subtitle, (fit.size,), colour=GREY, height=Pt(fit.height))
    return bottom + GAP


def _notes(slide, text: str) -> None:
    slide.notes_slide.notes_text_frame.text = text


def _foot(slide, spec) -> int:
    """Write what the slide's positions rest on (one paragraph) and any warnings (another) along
    the foot of the slide; return the top of that block (the slide's foot margin when there is none)."""
    paragraphs = [("  ·  ".join(spec.rests_on), GREY, False), (" ".join(spec.warnings), FOCUS, True)]
    paragraphs = [item for item in paragraphs if item[0]]
    if not paragraphs:
        return HEIGHT - FOOT
    inner = _pt(CONTENT_WIDTH) - 2 * ts.INSET_X
    for size in FOOT_SIZES:  # the smallest size at which the block takes at most 1.1 inch
        lines = sum(len(ts.wrap(text, inner, size, bold)) for text, _, bold in paragraphs)
        if ts.text_height(lines, size) <= 79:
            break
    height = Pt(ts.text_height(lines, size))
    top = HEIGHT - FOOT - height
    frame = _frame(slide, LEFT, top, CONTENT_WIDTH, height)
    for k, (text, colour, bold) in enumerate(paragraphs):
        _set(frame.paragraphs[0] if k == 0 else frame.add_paragraph(), text, size, bold, colour)
    return top


def _with_rests_on(note: str, spec) -> str:
    """Return the speaker notes with what the positions rest on, and any warning, after them."""
    return "\n".join([note, *spec.rests_on, *spec.warnings]) if spec.rests_on or spec.warnings else note


def _picture(slide, png: bytes, top: int, bottom: int) -> None:
    """Place the chart as large as fits between ``top`` and ``bottom``, centred across the slide."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        ratio = image.width / image.height
    max_w, max_h = CONTENT_WIDTH, bottom - top
    width = max_w if max_w / ratio <= max_h else Emu(int(max_h * ratio))
    height = Emu(int(width / ratio))
    left = Emu(int((WIDTH - width) / 2))
    slide.shapes.add_picture(io.BytesIO(png), left, top, width=width, height=height)


def _cell_text(value) -> str:
    text = "" if value is None or value != value else (f"{value:,.0f}" if isinstance(value, float) else value)
    return shorten(text, CELL_LIMIT)


def _column_widths(frame) -> list[int]:
    """Return each column's width (EMU): in proportion to its longest text, between 1 and 5.5 inches."""
    wanted = []
    for column in frame.columns:
        texts = [str(column)] + [_cell_text(v) for v in frame[column]]
        widest = max(ts.text_width(t, TABLE_SIZE) for t in texts) + 2 * ts.INSET_X
        wanted.append(min(max(widest, 72), 5.5 * 72))
    scale = _pt(CONTENT_WIDTH) / sum(wanted)
    widths = [Pt(w * scale) for w in wanted]
    widths[-1] = CONTENT_WIDTH - sum(widths[:-1])
    return widths


def _row_height(texts: list[str], widths: list[int], size: float, bold: bool = False) -> int:
    """Return the height (EMU) a table row needs: its tallest cell, wrapped to its column."""
    lines = max(len(ts.wrap(t, _pt(w) - 2 * ts.INSET_X, size, bold)) for t, w in zip(texts, widths))
    return Pt(ts.text_height(lines, size))


def _table_parts(frame, top: int, bottom: int) -> list[tuple[list[int], object]]:
    """Return the table's rows split into slides: each part's row heights and rows (header first)."""
    widths = _column_widths(frame)
    header = _row_height([str(c) for c in frame.columns], widths, TABLE_HEADER_SIZE, bold=True)
    parts, start, heights = [], 0, [header]
    for i, row in enumerate(frame.itertuples(index=False)):
        height = _row_height([_cell_text(v) for v in row], widths, TABLE_SIZE)
        if len(heights) > 1 and (top + sum(heights) + height > bottom or len(heights) > ROWS_PER_SLIDE):
            parts.append((heights, frame.iloc[start:i]))
            start, heights = i, [header]
        heights.append(height)
    parts.append((heights, frame.iloc[start:]))
    return parts


def _table(slide, frame, heights: list[int], top: int, widths: list[int]) -> None:
    """Draw a part of a table with the whole table's column widths, the widths its row heights were measured at."""
    shape = slide.shapes.add_table(len(frame) + 1, len(frame.columns), LEFT, top, CONTENT_WIDTH, sum(heights))
    table = shape.table
    for j, width in enumerate(widths):
        table.columns[j].width = width
    for i, height in enumerate(heights):
        table.rows[i].height = height
    for j, column in enumerate(frame.columns):
        _cell(table.cell(0, j), str(column), TABLE_HEADER_SIZE, True)
    for i, row in enumerate(frame.itertuples(index=False), start=1):
        for j, value in enumerate(row):
            _cell(table.cell(i, j), _cell_text(value), TABLE_SIZE, False)


def _cell(cell, text: str, size: float, bold: bool) -> None:
    cell.margin_left = cell.margin_right = Pt(ts.INSET_X)
    cell.margin_top = cell.margin_bottom = Pt(ts.INSET_Y)
    paragraph = cell.text_frame.paragraphs[0]
    paragraph.text = text
    paragraph.font.name, paragraph.font.size, paragraph.font.bold = ts.FONT_NAME, Pt(size), bold
    paragraph.line_spacing = Pt(size * ts.LINE_SPACING)


def _title_slide(deck, briefing: Briefing, spec) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    left, width = Inches(0.8), Inches(11.7)
    top = _text(slide, left, Inches(1.4), width, briefing.council, (40, 36, 32, 28), bold=True)
    top = _text(slide, left, top + GAP, width, spec.title, TITLE_SIZES)
    top = _text(slide, left, top + GAP, width, spec.subtitle, (20, 18, 16), colour=GREY)
    for k, line in enumerate(spec.bullets):
        colour = FOCUS if briefing.is_demo and k == 0 else GREY
        top = _text(slide, left, top + GAP, width, line, (16,), colour=colour)
    _notes(slide, spec.note)


def _cards_slide(deck, spec) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    top = _header(slide, spec.title, spec.subtitle)
    label_height = Pt(ts.text_height(2, CARD_LABEL_SIZES[0]))
    card_width = Inches(4.0)
    for row in range(0, len(spec.cards), 3):
        bottom = top
        for k, (label, value) in enumerate(spec.cards[row : row + 3]):
            left = LEFT + k * Inches(4.15)
            # Labels sit on the figure: a one-line label at the foot of the two lines' room.
            below = _text(
                slide, left, top, card_width, label, CARD_LABEL_SIZES, colour=GREY, height=label_height, anchor=BOTTOM
            )
            bottom = max(bottom, _text(slide, left, below, card_width, value, CARD_VALUE_SIZES, bold=True))
        top = bottom + GAP
    foot = _foot(slide, spec)
    body = " ".join(spec.bullets)
    _text(slide, LEFT, top + GAP, CONTENT_WIDTH, body, BODY_SIZES, height=foot - GAP - top - GAP)
    _notes(slide, _with_rests_on(spec.note + "\n\n" + "\n".join(spec.bullets), spec))


def _chart_slide(deck, spec, png: bytes) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    # The chart carries no title: the slide says what it is, for which group and data, and where
    # the focus authority stands.
    top = _header(slide, spec.title, spec.subtitle)
    if spec.bullets:
        top = _text(slide, LEFT, top, CONTENT_WIDTH, spec.bullets[0], SUBTITLE_SIZES, bold=True) + GAP
    foot = _foot(slide, spec)
    _picture(slide, png, top, foot - GAP)
    _notes(slide, _with_rests_on("How to read this chart: " + spec.note, spec))


def _table_slides(deck, spec) -> None:
    table = spec.table
    # Laid out once to learn where the content starts; every part has the same header.
    probe = Presentation()
    probe.slide_width, probe.slide_height = WIDTH, HEIGHT
    slide = probe.slides.add_slide(probe.slide_layouts[6])
    top, foot = _header(slide, spec.title + " (10 of 10)", spec.subtitle), _foot(slide, spec)
    parts = _table_parts(table, top, foot - GAP) if len(table) else [([], table)]
    for number, (heights, chunk) in enumerate(parts, start=1):
        slide = deck.slides.add_slide(deck.slide_layouts[6])
        suffix = f" ({number} of {len(parts)})" if len(parts) > 1 else ""
        top = _header(slide, spec.title + suffix, spec.subtitle)
        _foot(slide, spec)
        if len(chunk):
            _table(slide, chunk, heights, top, _column_widths(table))
        else:
            _text(slide, LEFT, top, Inches(12), "None.", (24,))
        _notes(slide, _with_rests_on(spec.note, spec))


def _describe(deck, briefing: Briefing) -> None:
    """Write the document properties: what the data are, and who made the file (never the council
    for invented data)."""
    props = deck.core_properties
    props.title = shorten(briefing.document_title, 250)
    props.subject = shorten(briefing.data_description, 250)
    props.author = props.last_modified_by = shorten(briefing.document_author, 250)
    props.keywords = "county benchmarking; " + ("demo data" if briefing.is_demo else "public data")
    # python-pptx refuses a core property over 255 characters; a store's dataset label grows with its imports
    props.comments = shorten(f"{briefing.data_description}. Dataset: {briefing.dataset_label}", 250)
    props.category = "Benchmarking briefing"
    props.revision = 1


def to_pptx(briefing: Briefing, images: list[bytes | None] | None = None) -> bytes:
    """Return the briefing as .pptx bytes: title, overview cards, charts and tables, in order (``images``: from
    ``chart_images``; a bar chart of more than ``bars.MAX_BARS`` authorities over several slides)."""
    images = images if images is not None else chart_images(briefing)
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    _describe(deck, briefing)
    for index, (spec, png) in enumerate(zip(printed_slides(briefing.slides), images, strict=True)):
        if index == 0:
            _title_slide(deck, briefing, spec)
        elif spec.cards:
            _cards_slide(deck, spec)
        elif png is not None:
            _chart_slide(deck, spec, png)
        elif spec.table is not None:  # a chart's later parts print no table: its first part printed the whole
            _table_slides(deck, spec)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()
