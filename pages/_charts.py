"""Charts on a page: drawn without re-validation, with their message in words, a data table and downloads."""

from __future__ import annotations

import base64
import html
import re

import altair as alt
import pandas as pd
import streamlit as st

from benchmarking import charts
from benchmarking.method.figures import published_frame
from benchmarking.text.escaping import spreadsheet_csv
from benchmarking.text.tables import download_table
from pages._cache import catalogue
from pages._layout import opened_section
from pages._replay import element, per_object
from pages._selection import Selection
from pages._tables import show_table
from pages._text import data_and_sources, escape

alt.data_transformers.disable_max_rows()  # trend charts of every authority pass 5,000 rows


def slug(text: str) -> str:
    """Return a file-name-safe version of a title."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80] or "chart"


def draw_chart(chart: alt.TopLevelMixin, width: str = "stretch") -> None:
    """Draw an Altair chart with our own sizes and palette (not the app theme), as wide as its
    container: a single or layered chart stretches to it (``charts.for_screen``), a grid of
    charts keeps the panel sizes its builder chose to fit the narrowest screen.

    The spec is built without Altair's schema validation (st.altair_chart validates on
    every rerun, ~0.1 s a chart); the chart builders' specs are validated in the tests.
    """
    spec, stretches = _screen_spec(chart)
    element("vega_lite_chart", spec, width=width if stretches else "content", theme=None)


def draw_still_chart(chart: alt.TopLevelMixin, width: int, description: str) -> None:
    """Draw a chart as a still image, SVG rendered on the server (``charts.to_svg``) at ``width`` pixels and
    scaled to its container, with ``description`` as its text alternative.

    For a small chart on a page people open first (the Overview's sparkline): the browser then loads no
    charting code (Vega and Arrow, about 1 MB of JavaScript, a third of the page's) before the page is usable.
    The image's labels scale with it; ``width`` is the width they are drawn for (the chart style's).
    """
    svg = per_object("still-svg", chart, (width,), lambda: charts.to_svg(chart, width))
    source = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    st.html(
        f'<div class="still-chart"><img src="data:image/svg+xml;base64,{source}" '
        f'alt="{html.escape(description, quote=True)}" style="width:100%;height:auto;display:block"></div>'
    )


def _screen_spec(chart: alt.TopLevelMixin) -> tuple[dict, bool]:
    """Return the chart's screen spec and whether it stretches, built once per chart object: a chart
    a page keeps in its cache (``_cache.memo``) is drawn on every rerun without rebuilding its spec."""
    return per_object("screen-spec", chart, (), lambda: charts.for_screen(chart.to_dict(validate=False)))


def show_chart(
    chart: alt.TopLevelMixin,
    data: pd.DataFrame,
    name: str,
    key: str,
    summary: str | None = None,
    data_name: str | None = None,
) -> None:
    """Draw a chart with its text summary, a data-table alternative, and PNG and CSV downloads (the PNG with the
    dataset and its sources below the chart; the chart on screen has them in the page's banner). ``data_name``
    names the table and its CSV when ``data`` holds more than the chart draws (``name`` otherwise).

    The summary (the chart's main message in words) and the table make the chart usable
    without seeing it (WCAG 1.1.1); both are built from the same data as the chart.
    """
    if summary:
        st.markdown(f"**In words:** {escape(summary)}")
    draw_chart(chart)
    left, middle, _right = st.columns([1, 1, 1])
    footer = data_and_sources(catalogue(), printed=True)
    # Rendered only when the PNG is asked for (charts.to_png caches it per spec).
    left.download_button(
        "Download chart (PNG)",
        data=lambda: charts.to_png(chart, footer=footer),
        file_name=f"{slug(name)}.png",
        mime="image/png",
        key=f"png-{key}",
        on_click="ignore",
    )
    # The headers and periods the data table shows, the numbers as numbers.
    data_name = data_name or name
    download_csv("Download data (CSV)", download_table(data), f"{slug(data_name)}.csv", f"csv-{key}", middle)
    opened_section(f"Data table: {escape(data_name)}", f"table-{key}", lambda: show_table(data, width="stretch"))


def download_csv(label: str, frame: pd.DataFrame, file_name: str, key: str | None = None, where=st) -> None:
    """Draw a CSV download button for the table (in ``where``, a column or the page); cells that a
    spreadsheet would run as a formula are neutralised (``escaping.spreadsheet_csv``)."""
    # Written only when the button is clicked, not on every rerun.
    where.download_button(
        label, lambda: csv_bytes(frame), file_name=file_name, mime="text/csv", on_click="ignore", key=key
    )


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """Return the CSV bytes a page's download writes of ``frame``: figures as published (96.6, not the stored
    96.60000000000001: ``method.figures.published_frame``, the CLI's rule), text cells safe in a spreadsheet."""
    return spreadsheet_csv(published_frame(frame))


def style(selection: Selection) -> charts.ChartStyle:
    """Return the chart sizes for the current display mode."""
    return charts.style_for(selection.briefing)
