"""Value for money: performance against spend per head on the original scales, not only ranks.

Pure functions. The quadrant chart compares a performance *rank* with a spend *rank*, which
throws away how far apart authorities are. Here spend stays in pounds per head and
performance is a score built from the indicator values themselves, so that "who gets more
for their money?" can be answered with distances: an efficiency frontier and a regression.

Conventions
-----------
* **Performance score** (``performance_scores``): on each indicator in the period, every
  value is turned the right way up for its polarity (``high``: the value; ``low``: minus
  the value; ``target``: minus the distance from ``target_midpoint``) and standardised
  across the group (z-score: mean 0, population SD 1), then clipped to +/-``Z_CLIP`` so
  one extreme value cannot dominate. An authority's score on a theme (or Overall, LA Core)
  is the mean of its z-scores there, over the indicators of the chosen basket, averaged by
  the engine's one rule (``positions.average_ranks``: weighted by the basket's weights, and
  under ``themes`` balance Overall and LA Core the mean of the theme means): 0 = the
  group's typical authority, +0.5 = half a standard deviation better on the average
  indicator. Indicators with fewer than
  ``MIN_VALUES`` values or no spread are left out; scores need the coverage of
  ``positions`` (default half of the theme's scored indicators).
* **Efficiency frontier** (free disposal hull): an authority is on the frontier when no
  other authority has at least its performance at no more than its spend, and is better on
  one of the two. ``spend_gap`` = its spend minus the lowest spend of any authority with at
  least its performance (£ per head it could save at that performance, judging by what
  others achieve); ``performance_gap`` = the best performance of any authority spending no
  more, minus its own. Both are 0 on the frontier.
* **Regression**: ordinary least squares of the performance score on spend per head (£)
  and deprivation (IMD average score, higher = more deprived), with an intercept, across
  the authorities having all three. The residual is actual minus predicted: positive =
  performs better than its spend and deprivation predict. ``verdict`` says "better than
  predicted" / "worse than predicted" when the residual exceeds one residual standard
  deviation, else "about as predicted".
* **Assumptions** (``ASSUMPTIONS``, shown on the page): one period, cross-sectional; spend in
  the same period as performance (no lag); net spend covers the whole service, not only
  what the indicators measure; a linear relation; the frontier treats every difference as
  real (noise in either axis makes it look more efficient than it is); association, not
  cause.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from benchmarking.errors import TooFewAuthoritiesError, UnknownThemeError
from benchmarking.method.baskets import ALL, INDICATORS, Basket, in_basket, weights_of
from benchmarking.method.positions import LA_CORE, OVERALL, average_ranks
from benchmarking.method.ranking import indicator_polarities, require_columns, restrict_to_group

Z_CLIP = 3.0
MIN_VALUES = 3
MIN_REGRESSION_AUTHORITIES = 5
BETTER, WORSE, AS_PREDICTED = "better than predicted", "worse than predicted", "about as predicted"

ASSUMPTIONS = (
    "Performance is the mean of standardised indicator scores (each indicator's values turned "
    "so that higher is better, as z-scores across the comparator group, clipped at ±3): it keeps "
    "how far apart authorities are, which ranks discard.",
    "Spend is net revenue expenditure per head in pounds for the theme's service (total for "
    "Overall and LA Core) in the same period, or the latest period before it with spend data: "
    "no time lag between spending and results is modelled.",
    "Net spend covers the whole service, not only what the indicators measure, and does not "
    "adjust for price differences between areas.",
    "The efficiency frontier treats every difference as real. Measurement noise in either axis "
    "makes authorities on the frontier look more efficient than they are, and the frontier can "
    "only be as good as the best authority in the group.",
    "The regression assumes performance rises or falls in a straight line with spend per head "
    "and deprivation (IMD average score); with a few dozen authorities its estimates are rough, "
    "so read a residual within one standard deviation as 'about as predicted'.",
    "All of this is association, not cause: it says who performs better than authorities with "
    "similar spend and deprivation, not why, nor what extra spending would buy.",
)


@dataclass(frozen=True)
class Regression:
    """An ordinary least squares fit: coefficient table and summary figures."""

    coefficients: pd.DataFrame
    r_squared: float
    adjusted_r_squared: float
    residual_sd: float
    n: int


# ---------------------------------------------------------------------------------------
# Performance on the original scales
# ---------------------------------------------------------------------------------------


def performance_scores(
    values: pd.DataFrame,
    indicators: pd.DataFrame,
    period: str,
    theme: str = OVERALL,
    authority_codes: Iterable[str] | None = None,
    min_coverage: float = 0.5,
    basket: Basket = ALL,
    balance: str = INDICATORS,
) -> pd.DataFrame:
    """Return each authority's standardised performance score on a theme in one period, over the
    indicators of ``basket`` averaged by its weights and ``balance`` (as the positions are).

    Columns: ``authority_code``, ``performance_score`` (NaN when coverage is too low),
    ``n_indicators``, ``n_available``, ``coverage``; best first.
    """
    require_columns(values, ("indicator_id", "authority_code", "period", "value"), "values")
    require_columns(indicators, ("id", "theme", "is_core", "polarity"), "indicators")
    polarity, midpoint = indicator_polarities(indicators)
    in_column = _column_indicators(indicators, theme)
    rows = restrict_to_group(in_basket(values.loc[values["period"] == period], basket), authority_codes)
    rows = rows.loc[polarity.reindex(rows["indicator_id"]).to_numpy() != "none"]
    value = rows["value"].to_numpy(dtype=float, na_value=np.nan)
    kind = polarity.reindex(rows["indicator_id"]).to_numpy()
    target = midpoint.reindex(rows["indicator_id"]).to_numpy(dtype=float)
    better = np.select([kind == "high", kind == "low"], [value, -value], -np.abs(value - target))
    frame = pd.DataFrame(
        {
            "indicator_id": rows["indicator_id"].to_numpy(),
            "authority_code": rows["authority_code"].to_numpy(),
            "better": better,
        }
    )
    grouped = frame.groupby("indicator_id")["better"]
    mean = grouped.transform("mean")
    sd = grouped.transform("std", ddof=0)
    count = grouped.transform("count")
    usable = (count >= MIN_VALUES) & (sd > 0)
    frame["z"] = ((frame["better"] - mean) / sd).where(usable).clip(-Z_CLIP, Z_CLIP)
    counted = frame["indicator_id"].isin(in_column).to_numpy()
    n_available = frame.loc[usable & counted, "indicator_id"].nunique()
    by_authority = _mean_scores(frame, indicators, basket, balance, theme)
    authorities = pd.Index(pd.unique(frame.loc[counted, "authority_code"]), name="authority_code")
    by_authority = by_authority.reindex(authorities)
    n_indicators = by_authority["n_indicators"].fillna(0).astype(np.int64).to_numpy()
    coverage = n_indicators / n_available if n_available else np.zeros(len(authorities))
    score = by_authority["average_rank"].to_numpy(dtype=float)
    score = np.where((n_indicators > 0) & (coverage >= min_coverage), score, np.nan)
    result = pd.DataFrame(
        {
            "authority_code": np.asarray(authorities, dtype=object),
            "performance_score": score,
            "n_indicators": n_indicators,
            "n_available": int(n_available),
            "coverage": coverage,
        }
    )
    return result.sort_values(
        ["performance_score", "authority_code"], ascending=[False, True], na_position="last", ignore_index=True
    )


# ---------------------------------------------------------------------------------------
# Efficiency frontier
# ---------------------------------------------------------------------------------------


def efficiency_frontier(
    frame: pd.DataFrame, performance: str = "performance_score", spend: str = "spend_per_head"
) -> pd.DataFrame:
    """Return ``frame`` (rows with both figures) with ``on_frontier``, ``spend_gap``,
    ``performance_gap``, ``dominated_by`` (how many authorities do better on both counts)
    and ``benchmark_code`` (the lowest-spending authority with at least its performance).

    Higher ``performance`` is better, lower ``spend`` is cheaper. Vectorised over all pairs.
    """
    require_columns(frame, ("authority_code", performance, spend), "frame")
    rows = frame.dropna(subset=[performance, spend]).reset_index(drop=True)
    y = rows[performance].to_numpy(dtype=float)
    x = rows[spend].to_numpy(dtype=float)
    at_least_as_good = y[None, :] >= y[:, None]  # [a, b]: b performs at least as well as a
    no_dearer = x[None, :] <= x[:, None]  # [a, b]: b spends no more than a
    strictly = (y[None, :] > y[:, None]) | (x[None, :] < x[:, None])
    dominates = at_least_as_good & no_dearer & strictly
    lowest_spend = np.where(at_least_as_good, x[None, :], np.inf)
    best_for_spend = np.where(no_dearer, y[None, :], -np.inf)
    benchmark = np.argmin(lowest_spend, axis=1) if len(rows) else np.zeros(0, dtype=int)
    result = rows.copy()
    result["on_frontier"] = ~dominates.any(axis=1)
    result["spend_gap"] = x - lowest_spend.min(axis=1, initial=np.inf) if len(rows) else x
    result["performance_gap"] = best_for_spend.max(axis=1, initial=-np.inf) - y if len(rows) else y
    result["dominated_by"] = dominates.sum(axis=1).astype(np.int64)
    result["benchmark_code"] = rows["authority_code"].to_numpy()[benchmark] if len(rows) else []
    return result


def frontier_line(
    frontier: pd.DataFrame, spend: str = "spend_per_head", performance: str = "performance_score"
) -> pd.DataFrame:
    """Return the frontier's authorities in order of spend: the corners of its staircase
    (read as a step after each point: the best performance available at that spend)."""
    on = frontier.loc[frontier["on_frontier"]]
    return on.sort_values([spend, performance], ascending=[True, True], ignore_index=True)


# ---------------------------------------------------------------------------------------
# Regression on spend and deprivation
# ---------------------------------------------------------------------------------------


def spend_deprivation_regression(
    frame: pd.DataFrame,
    performance: str = "performance_score",
    predictors: tuple[str, ...] = ("spend_per_head", "deprivation"),
) -> tuple[pd.DataFrame, Regression]:
    """Fit performance = b0 + b1 spend_per_head + b2 deprivation by least squares.

    Returns ``(fitted, regression)``: ``fitted`` holds the rows with every figure plus
    ``predicted``, ``residual`` (actual - predicted: positive = better than predicted),
    ``standardised_residual`` (residual / residual SD) and ``verdict``; ``regression`` the
    coefficient table (``term``, ``estimate``, ``std_error``, ``t``, ``p_value``) and R².
    Raises TooFewAuthoritiesError with fewer than ``MIN_REGRESSION_AUTHORITIES`` complete rows.
    """
    require_columns(frame, ("authority_code", performance, *predictors), "frame")
    rows = frame.dropna(subset=[performance, *predictors]).reset_index(drop=True)
    n, p = len(rows), len(predictors) + 1
    if n < max(MIN_REGRESSION_AUTHORITIES, p + 1):
        raise TooFewAuthoritiesError(
            f"the regression needs at least {max(MIN_REGRESSION_AUTHORITIES, p + 1)} authorities "
            f"with performance, spend and deprivation; {n} have all three. Choose a larger "
            "comparator group or a theme with more data."
        )
    y = rows[performance].to_numpy(dtype=float)
    design = np.column_stack([np.ones(n), rows[list(predictors)].to_numpy(dtype=float)])
    estimate, _, rank, _ = np.linalg.lstsq(design, y, rcond=None)
    predicted = design @ estimate
    residual = y - predicted
    dof = n - p
    rss = float(residual @ residual)
    residual_sd = float(np.sqrt(rss / dof)) if dof > 0 else np.nan
    if rank < p:  # a predictor without spread: no standard errors
        std_error = np.full(p, np.nan)
    else:
        covariance = residual_sd**2 * np.linalg.inv(design.T @ design)
        std_error = np.sqrt(np.diag(covariance))
    with np.errstate(invalid="ignore", divide="ignore"):
        t_value = estimate / std_error
    p_value = 2 * stats.t.sf(np.abs(t_value), dof) if dof > 0 else np.full(p, np.nan)
    tss = float(((y - y.mean()) ** 2).sum())
    r_squared = 1 - rss / tss if tss > 0 else np.nan
    adjusted = 1 - (1 - r_squared) * (n - 1) / dof if dof > 0 and tss > 0 else np.nan
    coefficients = pd.DataFrame(
        {
            "term": ["intercept", *predictors],
            "estimate": estimate,
            "std_error": std_error,
            "t": t_value,
            "p_value": p_value,
        }
    )
    fitted = rows.copy()
    fitted["predicted"] = predicted
    fitted["residual"] = residual
    with np.errstate(invalid="ignore", divide="ignore"):
        fitted["standardised_residual"] = residual / residual_sd if residual_sd > 0 else 0.0
    fitted["verdict"] = np.select(
        [fitted["standardised_residual"] > 1, fitted["standardised_residual"] < -1], [BETTER, WORSE], AS_PREDICTED
    )
    return fitted, Regression(coefficients, float(r_squared), float(adjusted), residual_sd, n)


def value_for_money_table(performance: pd.DataFrame, context: pd.DataFrame) -> tuple[pd.DataFrame, Regression | None]:
    """Return the frontier and regression figures for every authority in one table.

    ``performance``: ``authority_code``, ``performance_score``; ``context``:
    ``authority_code``, ``spend_per_head``, ``deprivation``. Columns: those, then the
    frontier's (``efficiency_frontier``) and the regression's (``predicted``, ``residual``,
    ``standardised_residual``, ``verdict``; NA when the fit is impossible, and the
    regression is None then). Sorted by performance, best first.
    """
    require_columns(performance, ("authority_code", "performance_score"), "performance")
    require_columns(context, ("authority_code", "spend_per_head", "deprivation"), "context")
    both = performance[["authority_code", "performance_score"]].merge(
        context[["authority_code", "spend_per_head", "deprivation"]], on="authority_code", how="inner"
    )
    table = efficiency_frontier(both)
    try:
        fitted, regression = spend_deprivation_regression(table)
    except TooFewAuthoritiesError:
        fitted, regression = None, None
    regression_columns = ["predicted", "residual", "standardised_residual", "verdict"]
    if fitted is not None:
        table = table.merge(fitted[["authority_code", *regression_columns]], on="authority_code", how="left")
    else:
        for column in regression_columns:
            table[column] = np.nan
    return table.sort_values(
        ["performance_score", "authority_code"], ascending=[False, True], ignore_index=True
    ), regression


# ---------------------------------------------------------------------------------------
# Private helpers
# ---------------------------------------------------------------------------------------


def _mean_scores(
    frame: pd.DataFrame, indicators: pd.DataFrame, basket: Basket, balance: str, theme: str
) -> pd.DataFrame:
    """Return each authority's mean z-score (``average_rank``) and number of scored indicators
    (``n_indicators``) in ``theme``, indexed by authority code: the engine's averaging rule
    (``positions.average_ranks``) over the z-scores, weighted by the basket, under ``balance``."""
    catalogue = indicators.set_index("id")
    scores = pd.DataFrame(
        {
            "period": "",
            "authority_code": frame["authority_code"].to_numpy(),
            "theme": catalogue["theme"].reindex(frame["indicator_id"]).astype(str).to_numpy(),
            "is_core": catalogue["is_core"].reindex(frame["indicator_id"]).fillna(False).astype(bool).to_numpy(),
            "score": frame["z"].to_numpy(dtype=float),
            "weight": weights_of(frame["indicator_id"], basket),
        }
    )
    averaged = average_ranks(scores, balance)
    return averaged.loc[averaged["theme"] == theme].set_index("authority_code")[["average_rank", "n_indicators"]]


def _column_indicators(indicators: pd.DataFrame, theme: str) -> set:
    """Return the ids of the indicators that count in ``theme`` (or Overall, LA Core)."""
    if theme == OVERALL:
        return set(indicators["id"])
    if theme == LA_CORE:
        return set(indicators.loc[indicators["is_core"].fillna(False).astype(bool), "id"])
    if theme not in set(indicators["theme"]):
        raise UnknownThemeError(
            f"no indicator has theme {theme!r}; choose from "
            f"{[OVERALL, LA_CORE, *sorted(map(str, indicators['theme'].dropna().unique()))]}"
        )
    return set(indicators.loc[indicators["theme"] == theme, "id"])
