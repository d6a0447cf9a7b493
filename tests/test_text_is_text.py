"""Text is text, everywhere (issue 15, item 5; defects 3, 8, 10 and 11): stored and uploaded
text is drawn literally on the pages, in the PDF and the slides, shortened where it would
stretch a picture, and never becomes a spreadsheet formula or raw HTML in generated Markdown."""

from __future__ import annotations

import io
import re
import time
from dataclasses import replace

import duckdb
import pandas as pd
import pytest
from apptest_helpers import open_page
from hostile_text import (
    DATASET_LABEL,
    FOCUS,
    FOCUS_NAME,
    HOST,
    INDICATOR_SUFFIX,
    NOTE,
    RAW_MARKUP,
    SOURCE,
    hostile_store,
)
from pptx import Presentation
from pypdf import PdfReader

from benchmarking.briefing.bars import printed_slides
from benchmarking.briefing.pack import build_briefing
from benchmarking.briefing.pdf import to_pdf
from benchmarking.briefing.pptx import to_pptx
from benchmarking.charts import FOCUS_MARK
from benchmarking.cli.main import main
from benchmarking.service.benchmark import comparator_group, compute
from benchmarking.service.catalogue import load_catalogue
from benchmarking.store import Store
from benchmarking.text import escaping

PERIOD = "2021/22"

# -- the rules ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "raw"),
    [
        ("![x](http://injection.invalid/x.png)", "!["),
        ("[click](http://injection.invalid/)", "]("),
        ("Name\n# Heading", "\n"),
        ("$x^2$", "$x"),
        (":red[alarm]", ":red["),
        ("<img src=x onerror=alert(1)>", "<img"),
        ("**bold** _it_ `code` ~~s~~ | a | b |", "**"),
        ("www.example.com and http://example.com", "http:"),
        (":material/warning: :smile:", ":material"),
        ("1. list\r\n- item\u2028+ item", "\r"),
        ("1) list", "1)"),
    ],
)
def test_markdown_rule_leaves_no_markup(text, raw):
    """Every Markdown, Streamlit and HTML mark is escaped; line breaks become spaces."""
    escaped = escaping.markdown(text)
    # Without its escaped marks (backslash + mark, entities) no mark that makes markup is left.
    bare = re.sub(r"\\[!-/:-@\[-`{-~]|&(lt|gt|amp);", "", escaped)
    assert raw not in bare
    assert not set(bare) & set("\\`*_{}[]()#+-.!|~$:<>&"), bare
    assert "\n" not in escaped and "\r" not in escaped and "\u2028" not in escaped
    assert "<" not in escaped and ">" not in escaped
    # Removing the escapes gives the text back.
    unescaped = escaped.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").replace("\u2060", "")
    assert "".join(unescaped.split("\\")) == escaping.one_line(text).replace("\\", "")


def test_markdown_rule_breaks_bare_links():
    """GFM links bare URLs and e-mail addresses after reading escapes: a word joiner stops it."""
    escaped = escaping.markdown("http://injection.invalid www.example.com me@example.com").replace("\\", "")
    assert "://" not in escaped and "www." not in escaped and "@e" not in escaped
    assert escaped.replace(escaping.WORD_JOINER, "") == "http://injection.invalid www.example.com me@example.com"


def test_markdown_rule_keeps_plain_names_readable():
    assert escaping.markdown("Leicestershire") == "Leicestershire"
    assert escaping.markdown("Bath & North East Somerset") == "Bath &amp; North East Somerset"


def test_reportlab_rule_and_generated_markdown_rule():
    assert escaping.reportlab('<img src="/etc/hostname"/>') == "&lt;img src=&quot;/etc/hostname&quot;/&gt;"
    assert escaping.reportlab("a & b\nc") == "a &amp; b c"
    text = escaping.generated_markdown("<script>alert(1)</script> ![x](http://h/x.png) a|b Leics, 2022/23")
    assert "<script>" not in text and "![" not in text and "a\\|b" in text
    assert "Leics, 2022/23" in text  # readable as source: slashes and commas untouched


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x","click")', '\'=HYPERLINK("http://x","click")'),
        ("+1", "'+1"),
        ("-cmd", "'-cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Leicestershire", "Leicestershire"),
        (-1.5, -1.5),
        (None, None),
    ],
)
def test_spreadsheet_cell_rule(value, expected):
    assert escaping.spreadsheet_cell(value) == expected


def test_spreadsheet_frame_touches_text_cells_only():
    """Numbers (-1.5 in a numeric column) stay numbers; text cells and headers are neutralised."""
    frame = pd.DataFrame({"name": ["=1+1", "ok", None], "value": [-1.5, 2.0, None], "=h": [1, 2, 3]})
    safe = pd.read_csv(io.BytesIO(escaping.spreadsheet_csv(frame)))
    assert list(safe.columns) == ["name", "value", "'=h"]
    assert safe["name"].tolist()[:2] == ["'=1+1", "ok"]
    assert safe["value"].dtype == float and safe["value"].iloc[0] == -1.5
    assert frame["name"].iloc[0] == "=1+1"  # the caller's table is untouched


def test_shorten():
    assert escaping.shorten("Leicestershire") == "Leicestershire"
    long = escaping.shorten("x" * 10_000)
    assert len(long) == escaping.DISPLAY_LIMIT and long.endswith("…")
    assert escaping.shorten("a\nb") == "a b"


# -- the pages (defect 8) ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_path(demo_store_path, tmp_path_factory):
    """A demo store with hostile names, themes, sources, notes and dataset names (read-only)."""
    return hostile_store(demo_store_path, tmp_path_factory.mktemp("hostile") / "hostile.duckdb")


def _markdown_texts(at) -> list[str]:
    """Every text the page drew through Streamlit's Markdown: bodies, alerts, headings and labels."""
    texts = []
    for kind in ("markdown", "caption", "info", "warning", "error", "success", "title", "header", "subheader"):
        texts += [element.value for element in getattr(at, kind)]
    for kind in ("metric", "expander", "selectbox", "multiselect", "slider", "toggle", "radio", "tabs"):
        texts += [element.label for element in getattr(at, kind)]
    texts += [str(element.help) for element in at.metric if element.help]
    return texts


PAGES_WITH_NAMES = {
    "overview": escaping.markdown(FOCUS_NAME),
    "quadrant": escaping.markdown(FOCUS_NAME),
    "indicator": escaping.markdown(SOURCE),
    "themes": escaping.markdown(FOCUS_NAME),
    "quartiles": escaping.markdown(FOCUS_NAME),
    "trend": escaping.markdown(FOCUS_NAME),
    "funding": escaping.markdown(FOCUS_NAME),
    "data": escaping.markdown(DATASET_LABEL),
    "presentation": escaping.markdown(FOCUS_NAME),
}


@pytest.mark.parametrize("page", list(PAGES_WITH_NAMES))
def test_pages_draw_hostile_names_as_text(page, hostile_path, monkeypatch):
    """Images, links, headings, KaTeX, :red[] and HTML in stored text reach no Markdown element
    unescaped; the escaped text is what is drawn."""
    at = open_page(hostile_path, monkeypatch, page, {"focus": FOCUS, "period": PERIOD})
    assert not at.exception, [e.value for e in at.exception]
    texts = _markdown_texts(at)
    for text in texts:
        for raw in RAW_MARKUP:
            assert raw not in text, f"{raw!r} drawn as Markdown on {page}: {text[:200]!r}"
    assert any(PAGES_WITH_NAMES[page] in text for text in texts), texts


def test_indicator_page_escapes_names_and_notes(hostile_path, monkeypatch):
    """The indicator's name, its source and a note are drawn escaped (not as an image or link)."""
    at = open_page(hostile_path, monkeypatch, "indicator", {"focus": FOCUS, "period": PERIOD})
    texts = " ".join(_markdown_texts(at))
    assert escaping.markdown(INDICATOR_SUFFIX) in texts
    assert escaping.markdown(NOTE) in texts


# -- the PDF and the slides (defects 3 and 10) ------------------------------------------------

TINY_PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
    b"\x00\x00\x00\x0cIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture(scope="module")
def demo_catalogue(demo_store_path):
    return load_catalogue(Store(demo_store_path))


def _briefing_with_names(catalogue, names: dict[str, str]):
    """Return the briefing of a catalogue whose authorities carry ``names`` (code -> name)."""
    authorities = catalogue.authorities.copy()
    authorities["name"] = [names.get(code, name) for code, name in zip(authorities["code"], authorities["name"])]
    catalogue = replace(catalogue, authorities=authorities)
    bench = compute(catalogue, comparator_group(catalogue, "all", FOCUS))
    return build_briefing(catalogue, bench, PERIOD, FOCUS)


def _charts_as_tiny_pictures(briefing) -> list[bytes | None]:
    """One 1x1 PNG per chart: the test is about the text, and rendering takes seconds."""
    return [TINY_PNG if slide.chart is not None else None for slide in printed_slides(briefing.slides)]


def _pdf_images_and_links(pdf: bytes) -> tuple[int, list[str]]:
    reader = PdfReader(io.BytesIO(pdf))
    images = sum(len(page.images) for page in reader.pages)
    links = []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            if "/URI" in action:
                links.append(str(action["/URI"]))
    return images, links


@pytest.fixture
def local_picture(tmp_path):
    """A PNG on the server's disk that ReportLab's <img src=...> would embed."""
    path = tmp_path / "secret.png"
    path.write_bytes(TINY_PNG)
    return path


def test_reportlab_markup_in_names_is_literal_text_in_the_pdf(demo_catalogue, local_picture):
    """<img src="local file"/>, <a href> and <img onerror> in authority names: the PDF is made,
    with no embedded file, no link annotation, and the markup written out as text."""
    embed = f'<img src="{local_picture}"/>'
    link = '<a href="http://x">x</a>'
    crash = "<img src=x onerror=alert(1)>"
    codes = list(demo_catalogue.authorities["code"])
    others = [c for c in codes if c != FOCUS]
    briefing = _briefing_with_names(demo_catalogue, {FOCUS: f"Leics {link}", others[0]: embed, others[1]: crash})
    pictures = _charts_as_tiny_pictures(briefing)
    pdf = to_pdf(briefing, pictures)
    images, links = _pdf_images_and_links(pdf)
    assert images == sum(p is not None for p in pictures)  # the charts, nothing from the names
    assert links == []
    # Without a picture the Overall quadrant's slide shows its table, with every authority's name.
    pdf = to_pdf(replace(briefing, slides=briefing.slides[:3]), [None] * 3)
    assert _pdf_images_and_links(pdf) == (0, [])
    text = "".join("".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())
    for name in (f"Leics {link}", embed, crash):
        assert "".join(name.split()) in text


def test_markup_in_names_is_literal_text_in_the_slides(demo_catalogue):
    """The PPTX is made and holds the names as written, markup and all."""
    name = '<img src="/etc/hostname"/> <a href="http://x">x</a>'
    briefing = _briefing_with_names(demo_catalogue, {FOCUS: name})
    deck = Presentation(io.BytesIO(to_pptx(briefing, _charts_as_tiny_pictures(briefing))))
    texts = [shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame]
    assert any(name in text for text in texts)


def test_a_10000_character_name_is_shortened_in_the_pdf_and_slides(demo_catalogue):
    """Defect 10: both exports finish quickly and show the name cut to 60 characters with '…'."""
    long_name = "Long" + "x" * 9_996
    start = time.perf_counter()
    briefing = _briefing_with_names(demo_catalogue, {FOCUS: long_name})
    pictures = _charts_as_tiny_pictures(briefing)
    pdf, pptx = to_pdf(briefing, pictures), to_pptx(briefing, pictures)
    assert time.perf_counter() - start < 60
    short = escaping.shorten(long_name)
    assert len(short) == escaping.DISPLAY_LIMIT
    pdf_text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert short[:40] in pdf_text and "x" * 200 not in pdf_text.replace("\n", "")
    deck = Presentation(io.BytesIO(pptx))
    texts = [shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame]
    assert any(short in text for text in texts)
    assert not any("x" * 200 in text for text in texts)


def test_a_long_name_keeps_the_quadrant_chart_whole(demo_catalogue):
    """The quadrant's focus label is shortened (the full name stays in the tooltip); the PNG
    is as large as with a short name, and never more than MAX_PNG_SIDE pixels a side."""
    from benchmarking import charts
    from benchmarking.charts.render import MAX_PNG_SIDE, png_size

    long_name = "Long" + "x" * 9_996
    briefing = _briefing_with_names(demo_catalogue, {FOCUS: long_name})
    chart = briefing.slides[2].chart
    spec = chart.to_dict(validate=False)
    assert long_name in str(spec)  # in the data, for the tooltip
    width, height = png_size(charts.to_png(chart, scale=0.5))
    assert width <= MAX_PNG_SIDE and height <= MAX_PNG_SIDE
    short_width, _ = png_size(charts.to_png(_briefing_with_names(demo_catalogue, {}).slides[2].chart, scale=0.5))
    assert width <= short_width * 1.1
    # The funding league table's axis shows the shortened name, the tooltip the whole one.
    [funding] = [slide.chart for slide in briefing.slides if slide.title.startswith("Core spending power")]
    rows = [row for rows in funding.to_dict(validate=False)["datasets"].values() for row in rows]
    focus_row = next(row for row in rows if row["name"] == long_name)
    assert focus_row["display_name"] == escaping.shorten(long_name) + f"  {FOCUS_MARK}"


# -- exports (defect 11) ------------------------------------------------------------------------


def test_positions_csv_neutralises_formula_cells(writable_store, tmp_path):
    """A theme named =HYPERLINK(...) is written as '=HYPERLINK(...); numbers stay numbers."""
    formula = '=HYPERLINK("http://injection.invalid","click")'
    with duckdb.connect(str(writable_store.path)) as con:
        con.execute("UPDATE indicator SET theme = ? WHERE theme = (SELECT min(theme) FROM indicator)", [formula])
    out = tmp_path / "positions.csv"
    assert main(["--db", str(writable_store.path), "positions", "--period", PERIOD, "--out", str(out)]) == 0
    exported = pd.read_csv(out)
    assert "'" + formula in set(exported["theme"])
    assert not exported["theme"].astype(str).str.match(r"^[=+\-@\t\r]").any()
    assert pd.api.types.is_float_dtype(exported["average_rank"])


def test_ranks_csv_keeps_negative_numbers(writable_store, tmp_path):
    """-1.5 in the value column is written as a number, not as text with a quote."""
    with duckdb.connect(str(writable_store.path)) as con:
        con.execute(
            "UPDATE indicator_value SET value = -1.5 WHERE authority_code = ? AND period = ? "
            "AND indicator_id = (SELECT min(indicator_id) FROM indicator_value)",
            [FOCUS, PERIOD],
        )
    out = tmp_path / "ranks.csv"
    assert main(["--db", str(writable_store.path), "ranks", "--period", PERIOD, "--out", str(out)]) == 0
    text = out.read_text()
    assert ",-1.5," in text and "'-1.5" not in text


def test_public_report_escapes_stored_text(hostile_path, tmp_path):
    """`public-report` Markdown holds no raw <script>, image or link from stored text."""
    from benchmarking.briefing.public_report import write_report

    store_path = tmp_path / "report.duckdb"
    store_path.write_bytes(hostile_path.read_bytes())
    with duckdb.connect(str(store_path)) as con:
        con.execute("INSERT OR REPLACE INTO setting VALUES ('dataset_label', '<script>alert(1)</script>')")
    out, _chart = write_report(Store(store_path), tmp_path / "report.md", focus=FOCUS)
    text = out.read_text()
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert f"](http://{HOST}" not in text and "<img" not in text


def test_page_csv_downloads_neutralise_formula_cells():
    """The pages' CSV buttons (chart data, Data page tables, league table) all send spreadsheet-safe bytes."""
    from pathlib import Path

    from pages._charts import download_csv

    sent = {}

    class Where:
        def download_button(self, label, data, **kwargs):
            sent.update(label=label, data=data, **kwargs)

    frame = pd.DataFrame({"name": ['=HYPERLINK("http://x","click")'], "value": [-1.5]})
    download_csv("Data (CSV)", frame, "data.csv", "k", Where())
    data = sent["data"]() if callable(sent["data"]) else sent["data"]  # written when the button is clicked
    assert data.decode().splitlines() == ["name,value", '"\'=HYPERLINK(""http://x"",""click"")",-1.5']
    pages = Path(__file__).resolve().parents[1] / "pages"
    unsafe = [p.name for p in pages.glob("*.py") if ".to_csv(" in p.read_text() and not p.name.startswith("_import")]
    assert unsafe == []  # every page download goes through download_csv


def test_a_picture_larger_than_the_cap_is_drawn_again_smaller(monkeypatch):
    """The PNG handed to PIL or ReportLab never measures more than MAX_PNG_SIDE pixels a side."""
    import altair as alt

    from benchmarking.charts import render

    monkeypatch.setattr(render, "MAX_PNG_SIDE", 120)
    chart = alt.Chart(pd.DataFrame({"x": [1, 2]})).mark_point().encode(x="x:Q").properties(width=400, height=300)
    width, height = render.png_size(render._render_png(render.vega_lite_json(chart), 1.0))
    assert max(width, height) <= 120


def test_a_still_chart_keeps_hostile_labels_as_text():
    """A chart drawn to SVG for a page (``charts.to_svg``) holds a label with markup as escaped text: the SVG
    parses as XML and the label reads back exactly, with no element made of it."""
    import xml.etree.ElementTree as ET

    import altair as alt

    from benchmarking.charts import to_svg

    hostile = '<b>x</b>&amp;"'  # short: an axis cuts a long label
    frame = pd.DataFrame({"period": [hostile, "2022/23"], "position": [3, 1]})
    chart = alt.Chart(frame).mark_line(point=True).encode(x="period:N", y="position:Q")
    svg = to_svg(chart, 400)
    root = ET.fromstring(svg)
    assert root.get("width") and float(root.get("width")) >= 400
    assert hostile in ["".join(node.itertext()) for node in root.iter("{http://www.w3.org/2000/svg}text")]
    assert not [node for node in root.iter() if node.tag.endswith("}b")]
