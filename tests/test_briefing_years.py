"""The briefing outputs write a year one way beside the reporting periods, on the shipped county-area store: the
PDF (read back with pypdf), the PPTX (python-pptx) and the public report never write a publisher's '2022-23' or
'2021-22' where the reporting period of the same days is '2022/23' (``method.periods.as_reported``). Labels of
other days ('2020-22', a two-year span; '2021', a calendar year) are the publisher's and stay as published."""

from __future__ import annotations

import io
import re

import pytest
from apptest_helpers import engine
from pptx import Presentation
from pypdf import PdfReader

from benchmarking.briefing.pack import build_briefing
from benchmarking.briefing.pdf import to_pdf
from benchmarking.briefing.pptx import to_pptx
from benchmarking.method.periods import as_reported

LEICESTERSHIRE = "E10000018"
YEAR_LIKE = re.compile(r"(?<![\d/-])(\d{4}-\d{2,4})(?![\d/-])")
"""A label written the publishers' way: '2022-23', '2020-2021', '2020-22'."""


def written_the_publishers_way(text: str, reporting) -> set[str]:
    """Return the labels in ``text`` written the publishers' way that name a reporting period's days."""
    return {label for label in YEAR_LIKE.findall(text) if as_reported([label], reporting)[0] != label}


def test_the_rule_finds_a_publishers_year_and_leaves_other_days_alone():
    """The check itself: '2022-23' beside '2022/23' is found; '2020-22' (two years) and '2021' are not."""
    reporting = ["2021/22", "2022/23"]
    text = "Spend £1,038 in 2022-23; figures for 2020-22: 1, 2021: 1, and 2021/22"
    assert written_the_publishers_way(text, reporting) == {"2022-23"}


@pytest.fixture(scope="module")
def briefing(shipped_store_path):
    """Leicestershire's briefing for 2022/23 on the shipped store, and the store's reporting periods."""
    cat, bench = engine(str(shipped_store_path), "all", LEICESTERSHIRE)
    return build_briefing(cat, bench, "2022/23", LEICESTERSHIRE), list(bench.ranks["period"].unique())


def test_the_pdf_writes_years_as_the_reporting_periods(briefing):
    """The report's cards ('Lowest of 36 (2022/23)') and In brief ('£1,038 in 2022/23') as the page writes them."""
    pack, reporting = briefing
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(to_pdf(pack))).pages)
    assert "Lowest of 36 (2022/23)" in text.replace("\n", " ")  # the spend card, read back from the file
    assert written_the_publishers_way(text, reporting) == set()


def test_the_slides_write_years_as_the_reporting_periods(briefing):
    """Every text frame, table cell and speaker note of the deck."""
    pack, reporting = briefing
    said = []
    for slide in Presentation(io.BytesIO(to_pptx(pack))).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                said.append(shape.text_frame.text)
            if getattr(shape, "has_table", False) and shape.has_table:
                said += [cell.text for row in shape.table.rows for cell in row.cells]
        if slide.has_notes_slide:
            said.append(slide.notes_slide.notes_text_frame.text)
    text = "\n".join(said)
    assert "(2022/23)" in text
    assert written_the_publishers_way(text, reporting) == set()


def test_the_public_report_writes_years_as_the_reporting_periods(shipped_store_path, tmp_path):
    """The report's positions (to its data sources): the spend line and data currency ('2021/22: 2', not '2021-22: 2',
    beside Overall 2022/23). The sources after them name what each publisher published, its titles, files and the
    periods held ('2010-11 to 2022-23' beside 'Newest figures count in 2022/23'), in the publishers' words."""
    from benchmarking.briefing.public_report import write_report
    from benchmarking.store import Store

    _, bench = engine(str(shipped_store_path), "all", LEICESTERSHIRE)
    out, _chart = write_report(Store(shipped_store_path), tmp_path / "public-counties.md", focus=LEICESTERSHIRE)
    text = out.read_text(encoding="utf-8").replace("\\", "").split("## Data sources")[0]
    text = "\n".join(line for line in text.splitlines() if not line.startswith("Publishers label years differently"))
    assert "per head in 2022/23" in text
    assert written_the_publishers_way(text, list(bench.ranks["period"].unique())) == set()
