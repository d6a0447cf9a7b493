"""Theme, Overall and LA Core positions: the rank of each authority's average indicator rank.

Pure functions on the output of ``ranking.indicator_ranks``. The Compendium averages the
ranks of the indicators in a theme and ranks those averages; "Overall" does the same over
every indicator and "LA Core" over the indicators marked ``is_core`` (county-council
functions). All periods and all themes are handled in one vectorised pass: every rank row
is added into an authority x period x theme cell with ``numpy.bincount``.

Conventions
-----------
* **Average rank** = mean of the authority's ranks on the theme's indicators that period
  (lower = better), weighted by the basket's weights when given (``baskets``); Overall and
  LA Core under ``themes`` balance = the mean of the authority's theme averages. Plain
  ranks by default. With ``scaled=True`` each rank is first
  stretched to the group size, ``scaled = 1 + (rank - 1) * (N - 1) / (n_ranked - 1)``,
  so that every indicator spans 1..N however many authorities reported it (N is
  ``n_group``: the number of authorities in ``ranks`` that period unless given); an
  indicator ranked for one authority only scores the middle, ``(N + 1) / 2``.
* **Coverage** = ``n_indicators / n_available``: the share of the theme's ranked
  indicators that period (those with ``n_ranked > 0``) on which the authority is ranked.
  An authority with coverage below ``min_coverage`` (default 0.5) gets no position.
* **Position** = "min" rank of the average rank among authorities with enough coverage
  (1 = lowest average = best; equal averages share the lowest position). Averages are
  compared rounded to ``AVERAGE_RANK_DECIMALS`` places so float noise makes no false order.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable

import numpy as np
import pandas as pd

from benchmarking.errors import BadArgumentError, UnknownThemeError
from benchmarking.method.baskets import INDICATORS, THEMES, require_balance
from benchmarking.method.ranking import (
    min_rank_rows,
    nullable_int,
    rank_within_groups,
    require_columns,
    require_known_indicators,
)

OVERALL = "Overall"
LA_CORE = "LA Core"
AVERAGE_RANK_DECIMALS = 9

POSITION_COLUMNS = (
    "period",
    "theme",
    "authority_code",
    "average_rank",
    "n_indicators",
    "n_available",
    "coverage",
    "position",
    "n_positioned",
)
"""Columns of ``positions`` (``period_start`` follows ``period`` when the ranks carry it)."""


# ---------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------


def average_rank_key(average_rank: np.ndarray | pd.Series, eligible: np.ndarray | None = None) -> np.ndarray:
    """Return the keys positions are taken on: averages rounded to ``AVERAGE_RANK_DECIMALS``
    places (so float noise makes no false order), NaN where ``eligible`` is False."""
    key = np.round(np.asarray(average_rank, dtype=float), AVERAGE_RANK_DECIMALS)
    if eligible is not None:
        key = np.where(np.asarray(eligible, dtype=bool), key, np.nan)
    return key


def position_of_average_rank(
    average_rank: np.ndarray | pd.Series, group: np.ndarray | None = None, eligible: np.ndarray | None = None
) -> np.ndarray:
    """Return positions: the "min" rank of each average rank within its group (NaN where not eligible).

    The one position rule: averages are compared rounded to ``AVERAGE_RANK_DECIMALS`` places,
    1 = lowest average, equal averages share the lowest position. ``group`` holds integer
    group codes (default: one group); ``eligible`` masks the rows that may hold a position.
    """
    key = average_rank_key(average_rank, eligible)
    codes = np.zeros(len(key), dtype=np.int64) if group is None else np.asarray(group, dtype=np.int64)
    return rank_within_groups(codes, key) if len(key) else np.array([], dtype=float)


def positions_along_axis(average_rank: np.ndarray, eligible: np.ndarray | None = None, axis: int = -1) -> np.ndarray:
    """Return positions by the rule of ``position_of_average_rank`` for an array of average
    ranks whose groups lie along ``axis`` (e.g. weighting x authority x column, axis 1).

    Every other index picks one group; NaN where not eligible. Vectorised: one sort per group.
    """
    key = np.ascontiguousarray(np.moveaxis(average_rank_key(average_rank, eligible), axis, -1))
    if key.size == 0:
        return np.moveaxis(key, -1, axis)
    ranked = min_rank_rows(key.reshape(-1, key.shape[-1])).reshape(key.shape)
    return np.moveaxis(ranked, -1, axis)


def positions(
    ranks: pd.DataFrame,
    indicators: pd.DataFrame,
    n_group: int | None = None,
    scaled: bool = False,
    min_coverage: float = 0.5,
    weights: np.ndarray | None = None,
    balance: str = INDICATORS,
) -> pd.DataFrame:
    """Return every authority's average rank and position per period for each theme,
    'Overall' and 'LA Core'.

    One row per period x theme x authority that appears in ``ranks`` that period (rows
    with missing values count as appearing), for every theme with ranked indicators that
    period. Columns: ``period``, ``period_start`` (when ``ranks`` has it), ``theme``,
    ``authority_code``, ``average_rank`` (NaN when no indicator ranked),
    ``n_indicators`` (indicators ranked for the authority), ``n_available`` (the theme's
    indicators ranked for anyone that period), ``coverage``, ``position`` (Int64, NA when
    coverage < ``min_coverage``), ``n_positioned`` (authorities given a position).
    Sorted by period (chronologically when ``period_start`` is present), theme
    ('Overall', 'LA Core', then A-Z), position, authority code.

    ``weights`` (one per row of ``ranks``, default 1) make each average a weighted mean (a
    basket's weights, ``baskets.weights_of``); ``balance`` ``themes`` makes Overall and LA Core
    the mean of the authority's theme averages (``baskets``) instead of the mean over indicators.
    """
    require_columns(ranks, ("indicator_id", "authority_code", "period", "rank", "n_ranked"), "ranks")
    balance = require_balance(balance)
    require_columns(indicators, ("id", "theme", "is_core"), "indicators")
    if not 0 <= min_coverage <= 1:
        raise BadArgumentError(f"min_coverage must lie between 0 and 1, got {min_coverage!r}")
    if n_group is not None and n_group < 1:
        raise BadArgumentError(f"n_group must be a positive number of authorities, got {n_group!r}")
    theme_names, theme_of, core_of = _indicator_themes(indicators)

    # Integer codes for the rows; per-indicator lookups taken by code.
    indicator_code, indicator_ids = pd.factorize(ranks["indicator_id"])
    require_known_indicators(indicator_ids, indicators["id"], "ranks")
    known = pd.Index(indicators["id"]).get_indexer(indicator_ids)
    theme_of, core_of = theme_of[known], core_of[known]
    period_code, periods, period_starts = _period_codes(ranks)
    authority_code, authorities = pd.factorize(ranks["authority_code"])
    n_periods, n_authorities, n_themes = len(periods), len(authorities), len(theme_names)
    n_columns = n_themes + 2  # Overall, LA Core, then each theme

    # Every row lands in a cell period x authority x theme x is_core: integer codes only.
    shape = (n_periods, n_authorities, n_themes, 2)
    cell = (period_code * n_authorities + authority_code) * (2 * n_themes)
    cell += (theme_of * 2 + core_of)[indicator_code]
    rows_in_cell = np.bincount(cell, minlength=np.prod(shape)).reshape(shape)
    present = rows_in_cell.sum(axis=(2, 3)) > 0  # period x authority, missing values count
    group_size = present.sum(axis=1) if n_group is None else np.full(n_periods, n_group)

    rank = ranks["rank"].to_numpy(dtype=float, na_value=np.nan)
    n_ranked = ranks["n_ranked"].to_numpy(dtype=float, na_value=np.nan)
    is_ranked = ~np.isnan(rank)
    score = scaled_ranks(rank, n_ranked, group_size[period_code]) if scaled else rank
    count = np.bincount(cell, weights=is_ranked, minlength=np.prod(shape)).reshape(shape)
    if weights is None:
        score_cells, weight_cells = (
            np.bincount(cell, weights=np.where(is_ranked, score, 0.0), minlength=np.prod(shape)).reshape(shape),
            count,
        )
    else:
        weight = np.where(is_ranked, np.asarray(weights, dtype=float), 0.0)
        score_cells = np.bincount(
            cell, weights=np.where(is_ranked, score * weight, 0.0), minlength=np.prod(shape)
        ).reshape(shape)
        weight_cells = np.bincount(cell, weights=weight, minlength=np.prod(shape)).reshape(shape)
    means = _means(score_cells, weight_cells, balance)
    count = _roll_up(count)

    # Indicators available per period x theme column: those with n_ranked > 0.
    available_pairs = (
        np.bincount(
            indicator_code * n_periods + period_code,
            weights=n_ranked > 0,
            minlength=len(indicator_ids) * n_periods,
        ).reshape(len(indicator_ids), n_periods)
        > 0
    )
    theme_onehot = np.eye(n_themes, dtype=np.int64)[theme_of]  # indicator x theme
    by_theme = available_pairs.T.astype(np.int64) @ theme_onehot  # period x theme
    available = np.column_stack([available_pairs.sum(axis=0), available_pairs[core_of].sum(axis=0), by_theme])

    # One output row per period x theme column x present authority, theme available.
    grid = present[:, None, :] & (available[:, :, None] > 0)  # period x column x authority
    p, t, a = np.nonzero(grid)
    n_indicators = count[p, a, t]
    n_available = available[p, t]
    average_rank = np.where(n_indicators > 0, means[p, a, t], np.nan)
    coverage = n_indicators / n_available
    eligible = (n_indicators > 0) & (coverage >= min_coverage)
    group = p * n_columns + t
    position = position_of_average_rank(average_rank, group, eligible)
    n_positioned = np.bincount(group[eligible], minlength=n_periods * n_columns)[group]

    columns = {"period": periods[p]}
    if period_starts is not None:
        columns["period_start"] = period_starts[p]
    columns |= {
        "theme": np.array([OVERALL, LA_CORE, *theme_names], dtype=object)[t],
        "authority_code": np.asarray(authorities, dtype=object)[a],
        "average_rank": average_rank,
        "n_indicators": n_indicators.astype(np.int64),
        "n_available": n_available.astype(np.int64),
        "coverage": coverage,
        "position": nullable_int(position),
        "n_positioned": n_positioned.astype(np.int64),
    }
    result = pd.DataFrame(columns)
    order = np.lexsort((result["authority_code"].to_numpy(dtype=str), np.nan_to_num(position, nan=np.inf), t, p))
    return result.iloc[order].reset_index(drop=True)


def trend(
    ranks: pd.DataFrame,
    indicators: pd.DataFrame,
    themes: Iterable[str] | None = None,
    n_group: int | None = None,
    scaled: bool = False,
    min_coverage: float = 0.5,
) -> pd.DataFrame:
    """Return the positions of every authority in every period, for ``themes`` (default all).

    The same columns and rules as ``positions``; pass ranks for every period (one call to
    ``indicator_ranks`` over all periods) to get the whole history in one vectorised pass.
    Rows run chronologically. UnknownThemeError names a theme that no indicator carries.
    """
    result = positions(ranks, indicators, n_group=n_group, scaled=scaled, min_coverage=min_coverage)
    if themes is None:
        return result
    themes = list(themes)
    known = {OVERALL, LA_CORE, *indicators["theme"].dropna().unique()}
    unknown = [theme for theme in themes if theme not in known]
    if unknown:
        raise UnknownThemeError(f"no indicator has theme(s) {unknown}; choose from {sorted(map(str, known))}")
    return result.loc[result["theme"].isin(themes)].reset_index(drop=True)


def scaled_ranks(rank: np.ndarray, n_ranked: np.ndarray, n_group: np.ndarray | int) -> np.ndarray:
    """Return ranks stretched to span 1..n_group.

    ``scaled = 1 + (rank - 1) * (n_group - 1) / (n_ranked - 1)``. An indicator ranked for
    one authority only (``n_ranked == 1``) scores the middle, ``(n_group + 1) / 2``.
    """
    rank = np.asarray(rank, dtype=float)
    n_ranked = np.asarray(n_ranked, dtype=float)
    n_group = np.broadcast_to(np.asarray(n_group, dtype=float), rank.shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        stretched = 1 + (rank - 1) * (n_group - 1) / (n_ranked - 1)
    return np.where(n_ranked > 1, stretched, (n_group + 1) / 2)


# ---------------------------------------------------------------------------------------
# Private helpers
# ---------------------------------------------------------------------------------------


def _means(score_cells: np.ndarray, weight_cells: np.ndarray, balance: str) -> np.ndarray:
    """Return period x authority x column average ranks (Overall, LA Core, then each theme) from
    the weighted score and weight cells; with ``themes`` balance, Overall and LA Core are the mean
    of the theme averages (each theme's core cells for LA Core)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        means = _roll_up(score_cells) / _roll_up(weight_cells)
        if balance == THEMES:
            by_theme = score_cells.sum(axis=3) / weight_cells.sum(axis=3)
            core = score_cells[..., 1] / weight_cells[..., 1]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", category=RuntimeWarning)  # an authority with no theme: NaN
                means[..., 0] = np.nanmean(by_theme, axis=2)
                means[..., 1] = np.nanmean(core, axis=2)
    return means


def _roll_up(cells: np.ndarray) -> np.ndarray:
    """Return period x authority x column totals from period x authority x theme x is_core
    cells; columns are Overall, LA Core (core cells only), then each theme."""
    return np.concatenate(
        [cells.sum(axis=(2, 3))[..., None], cells[..., 1].sum(axis=2)[..., None], cells.sum(axis=3)], axis=2
    )


def _indicator_themes(indicators: pd.DataFrame) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Return (theme names A-Z, theme code per indicator row, is_core per indicator row)."""
    theme = indicators["theme"]
    if theme.isna().any():
        missing = indicators.loc[theme.isna(), "id"].tolist()[:5]
        raise UnknownThemeError(f"indicator(s) {missing} have no theme; give each a theme")
    reserved = sorted({OVERALL, LA_CORE} & set(theme))
    if reserved:
        raise UnknownThemeError(
            f"{reserved} are the names of the combined positions, not themes; rename the indicators' theme"
        )
    theme_of, theme_names = pd.factorize(theme, sort=True)
    is_core = indicators["is_core"].fillna(False).astype(bool).to_numpy()
    return [str(name) for name in theme_names], theme_of, is_core


def _period_codes(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Return (period code per row, period labels, start dates or None), codes chronological.

    Periods are numbered in order of ``period_start`` when present (ties by label),
    otherwise by label.
    """
    code, labels = pd.factorize(frame["period"])
    labels = np.asarray(labels, dtype=object)
    starts = None
    if "period_start" in frame.columns:
        # factorize numbers labels by first appearance, so the first rows give the starts
        first_rows = pd.Series(code).drop_duplicates().index.to_numpy()
        starts = frame["period_start"].to_numpy()[first_rows]
        order = np.lexsort((labels.astype(str), starts))
    else:
        order = np.argsort(labels.astype(str), kind="stable")
    renumber = np.empty(len(order), dtype=np.int64)
    renumber[order] = np.arange(len(order))
    return renumber[code], labels[order], (None if starts is None else starts[order])
