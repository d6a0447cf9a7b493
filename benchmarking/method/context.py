"""Context for performance: spend, deprivation and funding ranks, quadrants, Spearman's rho.

Pure functions. The Compendium reads each authority's performance position against its
rank of net revenue expenditure per head (or, with the "Deprivation" comparator, its
Index of Multiple Deprivation rank) in a four-quadrant chart, with the lowest spenders on
the right.

Conventions
-----------
* **Context ranks** are "min" ranks within the comparator group, 1 = highest spend,
  1 = most deprived (lowest IMD rank of average rank), 1 = highest core spending power
  per head. Missing values are not ranked.
* **Quadrants** split both axes at the group median ``(N + 1) / 2``, N = authorities with
  both a performance position and a context rank. A rank at or above the median
  (``rank <= (N + 1) / 2``, the best/highest half including the middle) is the "high"
  side on both axes. So with odd N the middle authority counts as high performance on
  the y axis and as high spend (deprivation, funding) on the x axis; ``on_median`` flags
  it so a chart can draw it on the line.
* **Spearman's rho** between spend rank and performance position: rho > 0 means the
  authorities that spend more (spend rank near 1) tend to perform better (position near 1).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable

import numpy as np
import pandas as pd

from benchmarking.errors import DuplicateKeyError, UnknownComparatorError
from benchmarking.method.figures import published
from benchmarking.method.positions import LA_CORE, OVERALL
from benchmarking.method.ranking import (
    nullable_int,
    rank_within_groups,
    require_columns,
    restrict_to_group,
)

TOTAL_SERVICE = "total"
COMPARATORS = ("spend", "deprivation", "funding")

HIGH_PERFORMANCE_LOW_CONTEXT = "high performance, low {comparator}"
HIGH_PERFORMANCE_HIGH_CONTEXT = "high performance, high {comparator}"
LOW_PERFORMANCE_LOW_CONTEXT = "low performance, low {comparator}"
LOW_PERFORMANCE_HIGH_CONTEXT = "low performance, high {comparator}"


# ---------------------------------------------------------------------------------------
# Context ranks
# ---------------------------------------------------------------------------------------


def spend_ranks(
    spend: pd.DataFrame,
    theme_service: pd.DataFrame,
    authority_codes: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Return each authority's spend rank per theme and period (1 = highest spend per head).

    A theme is ranked on the net expenditure per head of the service ``theme_service``
    maps it to; 'Overall' and 'LA Core' use the ``total`` service unless mapped there.
    Columns: ``theme``, ``service``, ``authority_code``, ``period``, ``value``
    (net_expenditure_per_head), ``rank`` (Int64, NA when spend is missing), ``n_ranked``.
    """
    require_columns(spend, ("authority_code", "period", "service", "net_expenditure_per_head"), "spend")
    require_columns(theme_service, ("theme", "service"), "theme_service")
    mapping = theme_service[["theme", "service"]]
    combined = pd.DataFrame({"theme": [OVERALL, LA_CORE], "service": [TOTAL_SERVICE, TOTAL_SERVICE]})
    mapping = pd.concat([combined.loc[~combined["theme"].isin(mapping["theme"])], mapping], ignore_index=True)
    if mapping["theme"].duplicated().any():
        repeated = sorted(mapping.loc[mapping["theme"].duplicated(), "theme"].unique())
        raise DuplicateKeyError(f"theme_service maps theme(s) {repeated} more than once")
    spend = restrict_to_group(spend, authority_codes)
    by_theme = mapping.merge(spend, on="service", how="inner")
    by_theme = by_theme.rename(columns={"net_expenditure_per_head": "value"})
    return _ranked(
        by_theme,
        ["theme", "period"],
        "value",
        highest_first=True,
        columns=["theme", "service", "authority_code", "period"],
    )


def deprivation_ranks(deprivation: pd.DataFrame, authority_codes: Iterable[str] | None = None) -> pd.DataFrame:
    """Return each authority's deprivation rank in the group per IMD edition (1 = most deprived).

    Ranked on ``rank_of_average_rank`` (IMD: 1 = most deprived nationally), lowest first.
    Columns: ``edition``, ``authority_code``, ``value`` (rank_of_average_rank),
    ``rank`` (Int64), ``n_ranked``.
    """
    require_columns(deprivation, ("authority_code", "edition", "rank_of_average_rank"), "deprivation")
    frame = restrict_to_group(deprivation, authority_codes)
    frame = frame.rename(columns={"rank_of_average_rank": "value"})
    return _ranked(frame, ["edition"], "value", highest_first=False, columns=["edition", "authority_code"])


def funding_ranks(funding: pd.DataFrame, authority_codes: Iterable[str] | None = None) -> pd.DataFrame:
    """Return each authority's funding rank per period (1 = highest core spending power per head).

    Columns: ``authority_code``, ``period``, ``value`` (core_spending_power_per_head),
    ``rank`` (Int64), ``n_ranked``.
    """
    require_columns(funding, ("authority_code", "period", "core_spending_power_per_head"), "funding")
    frame = restrict_to_group(funding, authority_codes)
    frame = frame.rename(columns={"core_spending_power_per_head": "value"})
    return _ranked(frame, ["period"], "value", highest_first=True, columns=["authority_code", "period"])


# ---------------------------------------------------------------------------------------
# Quadrants and correlation
# ---------------------------------------------------------------------------------------


def quadrants(
    positions_for_theme: pd.DataFrame,
    context_ranks_for_theme: pd.DataFrame,
    comparator: str = "spend",
) -> pd.DataFrame:
    """Return each authority's quadrant of performance position against context rank.

    Inputs hold one theme and one period: ``authority_code`` + ``position`` and
    ``authority_code`` + ``rank`` (from ``spend_ranks``, ``deprivation_ranks`` or
    ``funding_ranks``; ``comparator`` names which, for the labels). Authorities lacking
    either rank are left out. Columns: ``authority_code``, ``performance_position`` (y),
    ``context_rank`` (x), ``quadrant`` (e.g. "high performance, low spend"),
    ``on_median`` (True when either rank equals the median ``(N + 1) / 2``).
    """
    if comparator not in COMPARATORS:
        raise UnknownComparatorError(f"comparator must be one of {COMPARATORS}, got {comparator!r}")
    require_columns(positions_for_theme, ("authority_code", "position"), "positions_for_theme")
    require_columns(context_ranks_for_theme, ("authority_code", "rank"), "context_ranks_for_theme")
    for frame, name in (
        (positions_for_theme, "positions_for_theme"),
        (context_ranks_for_theme, "context_ranks_for_theme"),
    ):
        if frame["authority_code"].duplicated().any():
            raise DuplicateKeyError(
                f"{name} has more than one row for an authority; filter it to one theme and one period first"
            )
    both = positions_for_theme[["authority_code", "position"]].merge(
        context_ranks_for_theme[["authority_code", "rank"]], on="authority_code"
    )
    both = both.rename(columns={"position": "performance_position", "rank": "context_rank"})
    both = both.dropna(subset=["performance_position", "context_rank"]).reset_index(drop=True)
    median = (len(both) + 1) / 2
    y = both["performance_position"].to_numpy(dtype=float)
    x = both["context_rank"].to_numpy(dtype=float)
    high_performance, high_context = y <= median, x <= median
    labels = np.select(
        [high_performance & ~high_context, high_performance & high_context, ~high_performance & ~high_context],
        [HIGH_PERFORMANCE_LOW_CONTEXT, HIGH_PERFORMANCE_HIGH_CONTEXT, LOW_PERFORMANCE_LOW_CONTEXT],
        LOW_PERFORMANCE_HIGH_CONTEXT,
    )
    both["quadrant"] = [label.format(comparator=comparator) for label in labels]
    both["on_median"] = (y == median) | (x == median)
    return both.sort_values(["performance_position", "context_rank"], kind="stable", ignore_index=True)


def spend_performance_correlation(positions: pd.DataFrame, theme_spend_ranks: pd.DataFrame) -> pd.DataFrame:
    """Return Spearman's rho of spend rank against performance position, per theme and period.

    ``positions`` comes from ``positions.positions``, ``theme_spend_ranks`` from
    ``spend_ranks``. Pairs are matched on period, theme and authority; authorities lacking
    either rank are left out. Columns: ``period``, ``theme``, ``rho``, ``p_value``, ``n``.
    rho and p_value are NaN with fewer than 3 pairs or when either rank is constant.
    """
    require_columns(positions, ("period", "theme", "authority_code", "position"), "positions")
    require_columns(theme_spend_ranks, ("period", "theme", "authority_code", "rank"), "theme_spend_ranks")
    keys = ["period", "theme", "authority_code"]
    pairs = positions[keys + ["position"]].merge(theme_spend_ranks[keys + ["rank"]], on=keys)
    pairs = pairs.dropna(subset=["position", "rank"])
    from scipy import stats  # here, not at the top: importing scipy.stats takes most of a second

    rows = []
    # One scipy call per period x theme (tens of groups), vectorised over authorities.
    for (period, theme), group in pairs.groupby(["period", "theme"], sort=True):
        rho = p_value = np.nan
        if len(group) >= 3:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # constant input: rho is NaN
                result = stats.spearmanr(group["rank"].to_numpy(dtype=float), group["position"].to_numpy(dtype=float))
            rho, p_value = float(result.statistic), float(result.pvalue)
        rows.append((period, theme, rho, p_value, len(group)))
    return pd.DataFrame(rows, columns=["period", "theme", "rho", "p_value", "n"])


# ---------------------------------------------------------------------------------------
# Private helpers
# ---------------------------------------------------------------------------------------


def _ranked(frame: pd.DataFrame, by: list[str], value: str, highest_first: bool, columns: list[str]) -> pd.DataFrame:
    """Return ``columns`` + value, rank (min, within ``by``) and n_ranked of ``frame``."""
    result = frame[columns + [value]].reset_index(drop=True)
    numbers = result[value].to_numpy(dtype=float, na_value=np.nan)
    group = result.groupby(by, sort=False, dropna=False).ngroup().to_numpy()
    figures = published(numbers)  # compared as published, as indicator ranks are
    rank = rank_within_groups(group, -figures if highest_first else figures)
    result[value] = numbers
    result["rank"] = pd.array(rank, dtype="Int64")
    counts = np.bincount(group[~np.isnan(numbers)], minlength=int(group.max(initial=-1)) + 1)
    result["n_ranked"] = counts[group] if len(group) else np.zeros(0, dtype=np.int64)
    return result.sort_values(by + ["rank"], kind="stable", na_position="last", ignore_index=True)


def context_rank(values: pd.Series | np.ndarray, comparator: str) -> pd.arrays.IntegerArray:
    """Return the context rank of each value among those given (Int64, NA when missing), by the
    rule of ``spend_ranks``, ``funding_ranks`` and ``deprivation_ranks``: "min" ranks, 1 = highest
    spend or funding per head, 1 = most deprived (lowest IMD rank of average rank)."""
    if comparator not in COMPARATORS:
        raise UnknownComparatorError(f"comparator must be one of {COMPARATORS}, got {comparator!r}")
    numbers = published(np.asarray(values, dtype=float))
    key = numbers if comparator == "deprivation" else -numbers
    return nullable_int(rank_within_groups(np.zeros(len(numbers), dtype=np.int64), key))
