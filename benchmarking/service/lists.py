"""The Quartiles and lists page's tables and the Trend page's warning about thin periods.

Each function shapes the engine's results for one page, so that the page only draws.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from benchmarking.method import travel
from benchmarking.method.positions import OVERALL
from benchmarking.service.benchmark import Benchmark
from benchmarking.service.catalogue import Catalogue
from benchmarking.text.formatting import ordinal

FEW_INDICATORS_SHARE = 0.5
"""A period rests on few indicators when its theme has fewer than this share of the most it has."""


def _overall_first(themes) -> list[str]:
    """Return the themes with Overall first, then A-Z."""
    themes = list(themes)
    return ([OVERALL] if OVERALL in themes else []) + sorted(t for t in themes if t != OVERALL)


def quartile_table(catalogue: Catalogue, bench: Benchmark, period: str, focus: str) -> pd.DataFrame:
    """Return the focus authority's indicators per theme (rows, Overall first) and quartile
    (columns '1st quartile' .. '4th quartile'), as counts."""
    counts = travel.quartile_counts(bench.ranks, catalogue.indicators, focus, period=period)
    wide = counts.pivot_table(index="theme", columns="quartile", values="n_indicators", aggfunc="sum")
    wide = wide.fillna(0).astype(int)
    wide.columns = [f"{ordinal(q)} quartile" for q in wide.columns]
    return wide.loc[_overall_first(wide.index)]


def bottom_quartile_list(catalogue: Catalogue, bench: Benchmark, period: str, focus: str) -> pd.DataFrame:
    """Return the focus authority's bottom-quartile indicators with the published period
    (``source_period``) and ``status`` of the figure each rests on."""
    bottom = travel.bottom_quartile(bench.ranks, catalogue.indicators, focus, period=period)
    used = catalogue.reporting_values
    used = used.loc[
        (used["period"] == period) & (used["authority_code"] == focus), ["indicator_id", "source_period", "status"]
    ]
    return bottom.merge(used, on="indicator_id", how="left")


def direction_table(catalogue: Catalogue, bench: Benchmark, period: str, focus: str) -> pd.DataFrame:
    """Return the focus authority's indicators per theme (rows, Overall first) by direction of travel."""
    directions = travel.direction_counts(bench.travel, catalogue.indicators, focus, period=period)
    table = directions.pivot_table(
        index="theme", columns="direction", values="n_indicators", aggfunc="sum", observed=False
    )
    table = table.fillna(0).astype(int)
    return table.loc[_overall_first(table.index)]


@dataclass(frozen=True)
class ThinPeriods:
    """The periods in which a theme's positions rest on few indicators."""

    theme: str
    periods: list[str]
    fewest: int
    """The fewest indicators available in those periods."""
    most_of_thin: int
    """The most indicators available in those periods."""
    most: int
    """The most indicators the theme has in any period shown."""


def thin_periods(positions: pd.DataFrame) -> list[ThinPeriods]:
    """Return, per theme (in order of appearance), the periods of ``positions`` whose theme had fewer
    than ``FEW_INDICATORS_SHARE`` of its most indicators available (``n_available``); themes without any are left out.

    ``positions``: one authority's rows of positions (theme, period, n_available), oldest first.
    """
    found = []
    for theme, rows in positions.groupby("theme", sort=False):
        most = rows["n_available"].max()
        thin = rows[rows["n_available"] < most * FEW_INDICATORS_SHARE]
        if len(thin):
            found.append(
                ThinPeriods(
                    theme=str(theme),
                    periods=[str(p) for p in thin["period"]],
                    fewest=int(thin["n_available"].min()),
                    most_of_thin=int(thin["n_available"].max()),
                    most=int(most),
                )
            )
    return found
