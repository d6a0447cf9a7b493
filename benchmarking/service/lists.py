"""The Quartiles and lists page's tables (quartile counts, top- and bottom-quartile lists, direction of
travel) and the Trend page's warning about thin periods.

Each function shapes the engine's results for one page, so that the page only draws.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from benchmarking.errors import BadArgumentError
from benchmarking.method import travel
from benchmarking.method.positions import OVERALL
from benchmarking.service.benchmark import Benchmark
from benchmarking.service.catalogue import Catalogue
from benchmarking.service.overview import figures_used
from benchmarking.text.formatting import number, ordinal, position_text

FEW_INDICATORS_SHARE = 0.5
"""A period rests on few indicators when its theme has fewer than this share of the most it has."""


def _overall_first(themes) -> list[str]:
    """Return the themes with Overall first, then A-Z."""
    themes = list(themes)
    return ([OVERALL] if OVERALL in themes else []) + sorted(t for t in themes if t != OVERALL)


def quartile_table(catalogue: Catalogue, bench: Benchmark, period: str, focus: str) -> pd.DataFrame:
    """Return the focus authority's indicators per theme (rows, Overall first) and quartile
    (columns '1st quartile' .. '4th quartile'), as counts; themes with none in any quartile are left out."""
    counts = travel.quartile_counts(bench.ranks, catalogue.indicators, focus, period=period)
    ranked = counts.groupby("theme")["n_indicators"].transform("sum") > 0
    counts = counts[ranked | (counts["theme"] == OVERALL)]
    wide = counts.pivot_table(index="theme", columns="quartile", values="n_indicators", aggfunc="sum")
    wide = wide.fillna(0).astype(int)
    wide.columns = [f"{ordinal(q)} quartile" for q in wide.columns]
    return wide.loc[_overall_first(wide.index)].rename_axis("Theme")


TOP, BOTTOM = 1, 4
"""The quartiles the Quartiles page lists: the top 25% and the bottom 25% of the group."""

LIST_COLUMNS = ["Theme", "Indicator", "Value", "Rank", "Group median", "Best in group", "Unit", "Published for"]
"""The columns of a quartile list in words, as the page shows it (``list_in_words``)."""

DOWNLOAD_COLUMNS = {
    "theme": "Theme",
    "name": "Indicator",
    "value": "Value",
    "rank": "Rank",
    "n_ranked": "Of",
    "group_median": "Group median",
    "group_best": "Best in group",
    "unit": "Unit",
    "source_period": "Published for",
    "older": "Published for an earlier period",
    "status": "Status",
}
"""The columns of a quartile list's CSV download: the same rows as the page, numbers as numbers."""


def quartile_list(catalogue: Catalogue, bench: Benchmark, period: str, focus: str, quartile: int) -> pd.DataFrame:
    """Return the focus authority's indicators in ``quartile`` (1 = top 25%, 4 = bottom 25%) in ``period``,
    sorted by theme then name, one row each.

    Columns: theme, indicator_id, name, unit, value, rank, n_ranked, quartile, group_median and
    group_best (the median and the best value among the group's members ranked that period: the
    value ranked 1st, so the highest, the lowest or the closest to the target as the polarity has
    it), source_period and status of the focus authority's figure, and older (the figures were
    published for an earlier period: ``overview.figures_used``, the Overview's rule).
    """
    return quartile_lists(catalogue, bench, period, focus, (quartile,))[quartile]


def quartile_lists(
    catalogue: Catalogue, bench: Benchmark, period: str, focus: str, quartiles: tuple[int, ...] = (BOTTOM, TOP)
) -> dict[int, pd.DataFrame]:
    """Return ``quartile_list`` for each of ``quartiles``, reading the period's ranks and figures once."""
    for quartile in quartiles:
        if quartile not in travel.QUARTILES:
            raise BadArgumentError(f"quartile must be one of {travel.QUARTILES}, got {quartile!r}")
    ranks = bench.ranks[bench.ranks["period"] == period]
    about = catalogue.indicators[["id", "theme", "name", "unit"]].rename(columns={"id": "indicator_id"})
    used = catalogue.reporting_values
    used = used.loc[(used["period"] == period) & (used["authority_code"] == focus), ["indicator_id", "status"]]
    used = used.drop_duplicates("indicator_id")
    vintage = figures_used(catalogue, bench, OVERALL, period)[["indicator_id", "source_period", "older"]]
    focus_ranks = ranks[ranks["authority_code"] == focus]
    members = ranks[ranks["in_group"] & ranks["rank"].notna()]
    return {q: _listed(focus_ranks, members, about, vintage, used, q) for q in quartiles}


def _listed(
    focus_ranks: pd.DataFrame,
    members_ranked: pd.DataFrame,
    about: pd.DataFrame,
    vintage: pd.DataFrame,
    used: pd.DataFrame,
    quartile: int,
) -> pd.DataFrame:
    """Return one quartile's list from the period's rows (``quartile_lists``)."""
    mine = focus_ranks[focus_ranks["quartile"] == quartile]
    mine = mine[["indicator_id", "value", "rank", "n_ranked", "quartile"]]
    members = members_ranked[members_ranked["indicator_id"].isin(mine["indicator_id"])]
    best = members.sort_values(["indicator_id", "rank", "value"], kind="stable").drop_duplicates("indicator_id")
    group = pd.DataFrame(
        {
            "group_median": members.groupby("indicator_id")["value"].median(),
            "group_best": best.set_index("indicator_id")["value"],
        }
    ).rename_axis("indicator_id")
    listed = (
        mine.merge(about, on="indicator_id", how="left")
        .merge(group.reset_index(), on="indicator_id", how="left")
        .merge(vintage, on="indicator_id", how="left")
        .merge(used, on="indicator_id", how="left")
    )
    listed["older"] = listed["older"].fillna(False).astype(bool)
    columns = ["theme", "indicator_id", "name", "unit", "value", "rank", "n_ranked", "quartile"]
    columns += ["group_median", "group_best", "source_period", "status", "older"]
    return listed[columns].sort_values(["theme", "name"], ignore_index=True)


def improvement_list(catalogue: Catalogue, bench: Benchmark, period: str, focus: str) -> pd.DataFrame:
    """Return, in words, the focus authority's indicators that were bottom quartile in their previous ranked
    period and are in a better quartile in ``period`` (``travel.improvement_since_previous``), by theme."""
    improved = travel.improvement_since_previous(bench.ranks, catalogue.indicators, focus, period=period)
    return pd.DataFrame(
        {
            "Theme": improved["theme"].astype(str),
            "Indicator": improved["name"].astype(str),
            "Previous period": improved["previous_period"].astype(str),
            "Rank then": [ordinal(r) for r in improved["previous_rank"]],
            "Rank now": [position_text(r, n) for r, n in zip(improved["rank"], improved["n_ranked"])],
            "Quartile now": [ordinal(q) for q in improved["quartile"]],
            "Places gained": [f"{int(p):,}" for p in improved["places_gained"]],
        }
    )


def value_text(value, unit) -> str:
    """Return a value as people read it: 61.8% for a percentage unit, £1,152 for pounds, else 1,227 or 3.45."""
    unit = "" if _missing_text(unit) else str(unit)
    if unit.startswith("%"):
        return number(value, "%")
    if unit.startswith("£"):
        return number(value, unit if unit in ("£", "£m") else "£")
    return number(value)


def list_in_words(listed: pd.DataFrame) -> pd.DataFrame:
    """Return a quartile list (``quartile_list``) as the page shows it: ``LIST_COLUMNS``, every cell in words
    (values with their unit, "3rd of 34", the published period with "earlier" or its status)."""
    units = listed["unit"].where(~listed["unit"].isin(["%", "£"]))
    return pd.DataFrame(
        {
            "Theme": listed["theme"].astype(str),
            "Indicator": listed["name"].astype(str),
            "Value": [value_text(v, u) for v, u in zip(listed["value"], listed["unit"])],
            "Rank": [position_text(r, n) for r, n in zip(listed["rank"], listed["n_ranked"])],
            "Group median": [value_text(v, u) for v, u in zip(listed["group_median"], listed["unit"])],
            "Best in group": [value_text(v, u) for v, u in zip(listed["group_best"], listed["unit"])],
            "Unit": ["" if _missing_text(u) else str(u) for u in units],
            "Published for": [
                _published_for(p, s, o) for p, s, o in zip(listed["source_period"], listed["status"], listed["older"])
            ],
        },
        columns=LIST_COLUMNS,
    )


def list_for_download(listed: pd.DataFrame) -> pd.DataFrame:
    """Return a quartile list (``quartile_list``) for its CSV download: the page's rows in the same order,
    with the columns of ``DOWNLOAD_COLUMNS`` and the numbers as numbers."""
    return listed[list(DOWNLOAD_COLUMNS)].rename(columns=DOWNLOAD_COLUMNS).reset_index(drop=True)


def _missing_text(value) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value)) or str(value).strip() == ""


def _published_for(source_period, status, older) -> str:
    """'2021-22 (earlier)', '2022/23 (revised)', '2022/23'; blank when unknown."""
    if _missing_text(source_period):
        return ""
    notes = (["earlier"] if older else []) + ([str(status)] if not _missing_text(status) and status != "final" else [])
    return f"{source_period} ({', '.join(notes)})" if notes else str(source_period)


def direction_table(catalogue: Catalogue, bench: Benchmark, period: str, focus: str) -> pd.DataFrame:
    """Return the focus authority's indicators per theme (rows, Overall first) by direction of travel
    (columns Improved, No real change, Worsened, Not comparable), as counts."""
    directions = travel.direction_counts(bench.travel, catalogue.indicators, focus, period=period)
    table = directions.pivot_table(
        index="theme", columns="direction", values="n_indicators", aggfunc="sum", observed=False
    )
    table = table.reindex(columns=list(travel.DIRECTIONS)).fillna(0).astype(int)
    table.columns = [str(direction).capitalize() for direction in table.columns]
    return table.loc[_overall_first(table.index)].rename_axis("Theme")


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
