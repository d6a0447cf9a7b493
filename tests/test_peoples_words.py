"""People's words and numbers: table headers in words, blanks instead of None, thousands
separators and sensible rounding, no commands or internal ids in page text, and the
abbreviations spelled out in one glossary."""

from __future__ import annotations

import io
import math
import re

import pandas as pd
import pyarrow as pa
import pytest
from apptest_helpers import open_page

from benchmarking.text.tables import ABBREVIATIONS, abbreviations_in, column_words, figure_text, people_table
from pages._registry import PAGES

MACHINE_HEADER = re.compile(r"^[a-z_]+$")
HOSTILE = ["<script>alert(1)</script>", "**bold**", "=cmd()"]
READING_PAGES = [entry.key for entry in PAGES if entry.key not in ("data", "import_data")]
"""The pages people read; the Data and Data import pages show the store's own tables to editors."""


# -- the helper, by hand -------------------------------------------------------------


def test_headers_in_words():
    """Known machine names take the glossary's words; others get spaces and a capital; words stay."""
    assert column_words("authority_code") == "Code"
    assert column_words("neighbour_rank") == "Neighbour rank"
    assert column_words("p_value") == "p-value"
    assert column_words("added_by") == "Added by"
    assert column_words("share_of_redraws") == "Share of redraws"  # not in the glossary
    assert column_words("Published for") == "Published for"
    assert column_words("LA Core") == "LA Core"


def test_people_table_blanks_rounding_and_hostile_text():
    """None and NaN become blanks; 10.087 shows 10.09; 1227000 stays a whole number (the page adds
    the separators) unless the column has blanks, when it is text "1,227,000"; hostile names stay text."""
    frame = pd.DataFrame(
        {
            "name": [*HOSTILE, None],
            "value": [10.087, 1227000.0, 1152.4, math.nan],
            "population": [1227000, 700000, 5, 12],
            "rank": [1.0, 2.0, 3.0, 4.0],
            "in_group": [True, False, True, True],
        }
    )
    shown = people_table(frame)
    assert list(shown.columns) == ["Authority", "Value", "Population", "Rank", "In the group"]
    assert list(shown["Authority"]) == [*HOSTILE, ""]
    assert list(shown["Value"]) == ["10.09", "1,227,000", "1,152", ""]  # a blank makes the column text
    assert list(shown["Population"]) == [1227000, 700000, 5, 12]
    assert shown["Rank"].dtype.kind == "i"  # whole-number floats shown as whole numbers
    assert list(shown["In the group"]) == ["yes", "no", "yes", "yes"]
    assert list(frame.columns) == ["name", "value", "population", "rank", "in_group"]  # the input is untouched


def test_figure_text():
    """Thousands separators, at most two decimals, blank when missing."""
    assert [figure_text(v) for v in (1227000, 1152.0, 10.087, 0.5, None, math.nan)] == [
        "1,227,000",
        "1,152",
        "10.09",
        "0.5",
        "",
        "",
    ]


def test_glossary_spells_out_the_briefs_abbreviations():
    """CLA, CIN, EHCP, FSM and GLD are in the one glossary, found as whole words only."""
    assert {"CLA", "CIN", "EHCP", "FSM", "GLD"} <= set(ABBREVIATIONS)
    assert set(abbreviations_in("Pupils on FSM achieving GLD; CLA rate")) == {"FSM", "GLD", "CLA"}
    assert abbreviations_in("CINEMA and CLASS") == {}


# -- every page, demo and real store ---------------------------------------------------


def shown_cells(element) -> pd.DataFrame:
    """Return the table as drawn: a Styler's display values where it has them, else the data."""
    frame = element.value
    styler = element.proto.arrow_data.styler if element.proto.HasField("arrow_data") else None
    if styler is not None and styler.display_values:
        display = pa.ipc.open_stream(styler.display_values).read_pandas()
        display.columns = frame.columns
        display.index = frame.index
        # An empty display value for a missing cell is drawn as the raw value, "None".
        return display.mask(display.eq("") & frame.isna(), None)
    return frame


def table_problems(at) -> list[str]:
    """Return every machine header and every cell that would show None or nan, on every table."""
    problems = []
    for element in at.dataframe:
        cells = shown_cells(element)
        for column in cells.columns:
            if MACHINE_HEADER.match(str(column)) and "_" in str(column):
                problems.append(f"header {column!r}")
            texts = cells[column].map(lambda v: "None" if v is None or v is pd.NA or v != v else str(v))
            bad = texts[texts.isin(["None", "nan", "NaN", "<NA>"])]
            if len(bad):
                problems.append(f"{len(bad)} cells showing {bad.iloc[0]!r} in {column!r}")
    return problems


def page_text(at) -> str:
    """Return the page's prose: Markdown, captions, alerts and headers."""
    kinds = [at.markdown, at.caption, at.info, at.warning, at.success, at.error, at.subheader, at.header]
    return "\n".join(str(element.value) for kind in kinds for element in kind)


def check_page(store_path, monkeypatch, page):
    at = open_page(store_path, monkeypatch, page)
    assert not at.exception, at.exception
    assert not table_problems(at), (page, table_problems(at))
    text = page_text(at)
    assert "python -m" not in text, page
    assert not re.search(r"\b(similar|neighbours):", text), page


@pytest.mark.parametrize("page", READING_PAGES)
def test_demo_pages_speak_peoples_words(demo_store_path, monkeypatch, page):
    """On the demo store no table has a machine header or a None/nan cell, and no prose names a command or an id."""
    check_page(demo_store_path, monkeypatch, page)


@pytest.mark.parametrize("page", READING_PAGES)
def test_real_store_pages_speak_peoples_words(shipped_store_path, monkeypatch, page):
    """The same on the real county store (the shipped extract), where gaps are common."""
    check_page(shipped_store_path, monkeypatch, page)


def test_a_chart_csv_has_the_tables_headers_labels_and_figures_without_noise():
    """A chart's CSV (Trend, Indicator, Funding: ``pages._charts.show_chart``) has the headers its data table shows,
    not period_start or n_available; a period by its label, not "01 Apr 2001 00:00"; and figures as numbers without
    float noise (-0.44, not -0.43999999999999995), as the Quartile CSVs have them."""
    from benchmarking.text.tables import download_table
    from pages._charts import csv_bytes

    frame = pd.DataFrame(
        {
            "period": ["2001/02", "2002/03"],
            "period_start": pd.to_datetime(["2001-04-01", "2002-04-01"]),
            "n_available": [3, 5],
            "years_older": [0, 1],
            "core_spending_power_per_head": [-0.43999999999999995, 0.1 + 0.2],
            "average_rank": [21.808888888888887, float("nan")],
        }
    )
    csv = pd.read_csv(io.BytesIO(csv_bytes(download_table(frame))))
    assert list(csv.columns) == list(people_table(frame).columns)
    assert not [c for c in csv.columns if MACHINE_HEADER.match(c)] and "Period starts" not in csv.columns
    assert csv["Period"].tolist() == ["2001/02", "2002/03"]
    assert csv["Core spending power per head (£)"].tolist() == [-0.44, 0.3]
    assert csv["Average rank"].iloc[0] == 21.8088888889 and math.isnan(csv["Average rank"].iloc[1])
    assert "Period starts" not in people_table(frame).columns  # the data table shows the label alone too
