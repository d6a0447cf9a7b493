"""The public report's data-currency lines: how recent each source's figures are.

One line per publisher of indicators (from each indicator's ``source``), plus the spend
(MHCLG revenue outturn) and funding (core spending power) tables: the periods it holds,
the reporting year its newest figures count in, and how far that is behind the report's
period. Pure: reads a ``Catalogue``.
"""

from __future__ import annotations

import pandas as pd

from benchmarking.method.periods import period_end
from benchmarking.service.catalogue import Catalogue
from benchmarking.text.escaping import generated_markdown as md
from benchmarking.text.escaping import markdown_table

NAMES_WITH_COMMAS = {"Ministry of Housing, Communities and Local Government": "MHCLG"}
"""Publishers whose names hold a comma, written short so the comma rule below keeps them whole."""


def publisher_of(source: pd.Series) -> pd.Series:
    """Return each indicator source's publisher: its text up to any bracket or comma (MHCLG kept whole)."""
    text = source.fillna("unknown").astype(str)
    for long, short in NAMES_WITH_COMMAS.items():
        text = text.str.replace(long, short, regex=False)
    text = text.str.split(" (", regex=False).str[0]
    return text.str.split(",", regex=False).str[0].str.strip()


def _span(labels) -> tuple[str, str]:
    ordered = sorted({str(label) for label in labels}, key=lambda label: (period_end(label), label))
    return ordered[0], ordered[-1]


def currency_rows(catalogue: Catalogue, period: str) -> list[list[str]]:
    """Return one row per source: source, what it gives, periods held, newest figures count in, behind ``period``."""
    order = {label: number for number, label in enumerate(catalogue.calendar.labels)}
    here = order.get(period)

    def behind(latest: str) -> str:
        reporting = catalogue.calendar.reporting_period(latest)
        if reporting is None or here is None or reporting not in order:
            return reporting or "–", "–"
        gap = here - order[reporting]
        if gap < 0:
            return reporting, "current (newer figures held too)"
        return reporting, ("current" if gap == 0 else f"{gap} year{'s' if gap != 1 else ''} older")

    rows = []
    values = catalogue.values[catalogue.values["value"].notna()]
    indicators = catalogue.indicators.assign(publisher=publisher_of(catalogue.indicators["source"]))
    values = values.merge(indicators[["id", "publisher", "polarity"]], left_on="indicator_id", right_on="id")
    for publisher, frame in values.groupby("publisher", sort=True):
        first, latest = _span(frame["period"])
        ranked = frame.loc[frame["polarity"] != "none", "indicator_id"].nunique()
        context = frame.loc[frame["polarity"] == "none", "indicator_id"].nunique()
        reporting, gap = behind(latest)
        gives = f"{ranked} ranked, {context} context indicators"
        rows.append([publisher, gives, f"{first} to {latest}", reporting, gap])
    for name, table, gives in (
        ("MHCLG revenue outturn (spend per head)", catalogue.spend, "spend per head by service"),
        ("Core spending power (funding per head)", catalogue.funding, "funding per head"),
    ):
        if len(table):
            first, latest = _span(table["period"])
            reporting, gap = behind(latest)
            rows.append([name, gives, f"{first} to {latest}", reporting, gap])
    return rows


def currency_lines(catalogue: Catalogue, period: str) -> list[str]:
    """Return the report's "Data currency by source" section as Markdown lines."""
    return [
        "## Data currency by source",
        "",
        f"How recent each source's figures are, against the report's period {md(period)}: a source whose "
        "newest figures are older still counts them for up to two reporting years, as the Data currency "
        "line of each position says; older than that, it is left out of the positions.",
        "",
        markdown_table(
            ["Source", "Gives", "Periods held", "Newest figures count in", f"Against {md(period)}"],
            currency_rows(catalogue, period),
        ),
        "",
    ]
