"""The briefing as a printable A4 landscape PDF (reportlab): contents, page numbers, sources.

reportlab is used because it writes PDF directly (no browser or office suite needed)
and its ``multiBuild`` fills in the contents page numbers in a second pass. The contents
start with every heading at page 0, so the first pass already lays the pages out as the
last will, and the charts are drawn only from the second pass on: drawing one (decoding
the PNG and compressing it again into the PDF) costs more than laying out a page.
"""

from __future__ import annotations

import io

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    Image,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import IndexingFlowable
from reportlab.platypus.tableofcontents import TableOfContents

from benchmarking.briefing.bars import printed_slides
from benchmarking.briefing.pack import Briefing, chart_images
from benchmarking.text.escaping import CELL_LIMIT, reportlab, shorten

rl_config.useA85 = 0  # binary streams: ASCII85 encoding of chart images costs seconds in pure Python
PAGE = landscape(A4)
MARGIN = 15 * mm


def _is_heading(flowable) -> bool:
    return isinstance(flowable, Paragraph) and flowable.style.name == "SlideTitle"


class _Document(SimpleDocTemplate):
    """A document that lists every slide heading in the contents."""

    def afterFlowable(self, flowable):
        if _is_heading(flowable):
            # The contents page builds a Paragraph from the entry: escape the heading's text again.
            self.notify("TOCEntry", (0, _escape(flowable.getPlainText()), self.page))


class _ChartPasses(IndexingFlowable):
    """Counts ``multiBuild``'s passes; a pass without charts (the first) is never the last."""

    def __init__(self):
        super().__init__()
        self.passes = 0

    def beforeBuild(self):
        self.passes += 1

    def isSatisfied(self):
        return self.passes > 1

    def wrap(self, availWidth, availHeight):
        return 0, 0

    def draw(self):
        pass


class _Chart(Image):
    """A chart picture fitted into width x height points, drawn only from the second pass."""

    def __init__(self, png: bytes, width: float, height: float, passes: _ChartPasses):
        # No mask: the charts have an opaque white background, so their alpha channel
        # would only add a soft mask to decode and compress.
        super().__init__(io.BytesIO(png), mask=None)
        scale = min(width / self.imageWidth, height / self.imageHeight)
        self.drawWidth, self.drawHeight = self.imageWidth * scale, self.imageHeight * scale
        self._passes = passes

    def draw(self):
        if self._passes.passes > 1:
            super().draw()


def _styles():
    base = getSampleStyleSheet()
    return {
        "cover": ParagraphStyle("Cover", parent=base["Title"], fontSize=28, leading=34, alignment=0),
        "title": ParagraphStyle("SlideTitle", parent=base["Heading1"], fontSize=20, leading=24, spaceAfter=4),
        "subtitle": ParagraphStyle(
            "Subtitle", parent=base["Normal"], fontSize=11, textColor=colors.HexColor("#444444"), spaceAfter=8
        ),
        "contents": ParagraphStyle("Contents", parent=base["Heading1"], fontSize=20, leading=24, spaceAfter=8),
        "card": ParagraphStyle("Card", parent=base["Normal"], fontName="Helvetica-Bold", fontSize=20, leading=24),
        "body": ParagraphStyle("Body", parent=base["Normal"], fontSize=12, leading=16, spaceAfter=6),
        "note": ParagraphStyle(
            "Note", parent=base["Normal"], fontSize=10, leading=13, textColor=colors.HexColor("#333333")
        ),
        "warning": ParagraphStyle(
            "Warning", parent=base["Normal"], fontSize=12, leading=16, textColor=colors.HexColor("#8A4B00")
        ),
    }


def _escape(text: object) -> str:
    """Return data text for a Paragraph: ReportLab markup in it is shown, never run."""
    return reportlab(text)


def _height(flowables, width: float) -> float:
    """Return the height the flowables take stacked in a frame ``width`` points wide, spacing included."""
    return sum(f.wrap(width, PAGE[1])[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in flowables)


def _fit_line(text: str, width: float, size: float) -> str:
    """Return ``text`` cut after its last whole word that fits ``width`` points in Helvetica (with '…')."""
    if stringWidth(text, "Helvetica", size) <= width:
        return text
    words = text.split(" ")
    while len(words) > 1 and stringWidth(" ".join(words) + " …", "Helvetica", size) > width:
        words.pop()
    return " ".join(words) + " …"


def _contents_style(entries: int) -> ParagraphStyle:
    """Return the contents' line style: 12 pt on 15 pt lines, closer when the entries would not
    fit one page otherwise (down to 8 pt on 10 pt)."""
    room = PAGE[1] - MARGIN - 18 * mm - 60  # below the page's "Contents" heading
    leading = max(10.0, min(15.0, room / max(entries, 1) - 6))  # each row has 3 pt padding above and below
    return ParagraphStyle("TOC", fontSize=min(12.0, leading * 0.8), leading=leading)


FOOTER_SIZE = 8
"""The running footer's type size in points; its two lines sit in the bottom margin below the text."""


def footer_lines(briefing: Briefing, page_width: float) -> list[str]:
    """Return the running footer's lines for a page ``page_width`` points wide: the briefing's title, then the
    dataset's name with its date, each whole when it fits beside the page number (a longer one cut at a word)."""
    room = page_width - 2 * MARGIN - 25 * mm  # the page number's place on the right
    return [_fit_line(text, room, FOOTER_SIZE) for text in (briefing.title, briefing.dataset_label)]


def _footer(briefing: Briefing):
    def draw(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", FOOTER_SIZE)
        canvas.setFillColor(colors.HexColor("#444444"))
        width = doc.pagesize[0]
        for number, line in enumerate(footer_lines(briefing, width)):
            canvas.drawString(MARGIN, (11.5 - 3.5 * number) * mm, line)
        canvas.drawRightString(width - MARGIN, 8 * mm, f"Page {doc.page}")
        canvas.restoreState()

    return draw


def _table(frame, styles) -> Table:
    header = [Paragraph(f"<b>{_escape(c)}</b>", styles["note"]) for c in frame.columns]
    rows = [
        [
            Paragraph(
                _escape(
                    shorten("" if v is None or v != v else (f"{v:,.0f}" if isinstance(v, float) else v), CELL_LIMIT)
                ),
                styles["note"],
            )
            for v in row
        ]
        for row in frame.itertuples(index=False)
    ]
    table = Table([header] + rows, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E6EEF5")),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#BBBBBB")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def to_pdf(briefing: Briefing, images: list[bytes | None] | None = None) -> bytes:
    """Return the briefing as PDF bytes: cover with the sources, contents on one page, then one section
    per slide (a bar chart of more than ``bars.MAX_BARS`` authorities over several, ``images`` from ``chart_images``);
    the document properties say what the data are (``Briefing.data_description``)."""
    images = images if images is not None else chart_images(briefing)
    styles = _styles()
    buffer = io.BytesIO()
    doc = _Document(
        buffer,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=18 * mm,
        title=briefing.document_title,
        author=briefing.document_author,
        subject=briefing.data_description,
        keywords="county benchmarking, " + ("demo data" if briefing.is_demo else "public data"),
        creator="County benchmarking dashboard",
    )
    slides = printed_slides(briefing.slides)
    width = PAGE[0] - 2 * MARGIN
    height = PAGE[1] - MARGIN - 18 * mm
    contents = TableOfContents()
    contents.levelStyles = [_contents_style(len(slides))]  # the sections and the sources page
    passes = _ChartPasses()
    story = [
        passes,
        Paragraph(_escape(briefing.title), styles["cover"]),
        Paragraph(
            f"Comparator group: {_escape(briefing.group_label)} ({_escape(briefing.group_size)})", styles["body"]
        ),
        Paragraph(
            f"Dataset: {_escape(briefing.dataset_label)}", styles["warning"] if briefing.is_demo else styles["body"]
        ),
        Paragraph(f"Data sources: {_escape(briefing.sources)}", styles["body"]),
        Paragraph(_escape(briefing.basket), styles["body"]),
        PageBreak(),
        # The contents have a page of their own: after the cover's sources they would run over.
        Paragraph("Contents", styles["contents"]),
        contents,
        PageBreak(),
    ]
    for slide, png in zip(slides[1:], images[1:], strict=True):
        section = [Paragraph(_escape(slide.title), styles["title"])]
        if slide.subtitle:
            section.append(Paragraph(_escape(slide.subtitle), styles["subtitle"]))
        after = [Paragraph(_escape(line), styles["note"]) for line in slide.rests_on]
        after += [Paragraph(f"<b>{_escape(line)}</b>", styles["warning"]) for line in slide.warnings]
        if slide.cards:
            # Label and figure are separate paragraphs: a label that wraps pushes its figure down.
            cells = [
                [
                    [Paragraph(_escape(label), styles["body"]), Paragraph(_escape(value), styles["card"])]
                    for label, value in slide.cards[i : i + 3]
                ]
                for i in range(0, len(slide.cards), 3)
            ]
            section.append(
                Table(cells, colWidths=[width / 3] * 3, hAlign="LEFT", style=[("VALIGN", (0, 0), (-1, -1), "TOP")])
            )
            section.append(Spacer(1, 4 * mm))
            section.extend(Paragraph(_escape(line), styles["body"]) for line in slide.bullets)
        elif png is not None:
            below = [Paragraph(_escape(line), styles["body"]) for line in slide.bullets]
            below.append(Paragraph(f"<b>How to read this chart.</b> {_escape(slide.note)}", styles["note"]))
            # The chart takes the height the section's text leaves on the page (with 8 mm in hand).
            room = height - _height(section + below + after, width) - 8 * mm
            section += [_Chart(png, width, room, passes), *below]
        elif slide.table is not None:
            section.append(_table(slide.table, styles) if len(slide.table) else Paragraph("None.", styles["body"]))
            section.append(Spacer(1, 3 * mm))
            section.append(Paragraph(_escape(slide.note), styles["note"]))
        story.extend(section + after)
        story.append(PageBreak())
    story.append(Paragraph("Data sources", styles["title"]))
    story.append(Paragraph(_escape(briefing.sources), styles["body"]))
    story.append(Paragraph(f"Dataset: {_escape(briefing.dataset_label)}", styles["body"]))
    # Headings known, page numbers not yet: the first pass lays the contents out at full length.
    contents.addEntries([(0, _escape(flowable.getPlainText()), 0) for flowable in story if _is_heading(flowable)])
    doc.multiBuild(story, onFirstPage=_footer(briefing), onLaterPages=_footer(briefing))
    return buffer.getvalue()
