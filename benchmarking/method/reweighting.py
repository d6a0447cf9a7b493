"""The rank matrix and positions under any weighting of its indicators (theme weights, bootstrap draws).

Pure functions on the output of ``ranking.indicator_ranks``, shared by ``sensitivity`` (theme
weights, leave-one-theme-out) and ``uncertainty`` (a bootstrap replicate is a weighting in which
each indicator's weight is the number of times it was drawn). Equal weights give the engine's
positions for the basket and balance the matrix carries (``positions.positions``).

Conventions
-----------
* **Rank matrix.** For one period the ranks are laid out as an authority x indicator
  matrix (``RankMatrix``): authorities are those with any row that period (as in
  ``positions``), indicators those ranked for anyone (``n_ranked > 0``), ordered by theme,
  then core before other, then id. Missing ranks are held as 0 with a mask.
* **Weighted average rank** of a column (Overall, LA Core, a theme) =
  ``sum(w_i * b_i * rank_i) / sum(w_i * b_i)`` over the column's indicators on which the
  authority is ranked (``w`` the weighting, ``b`` the basket's weights: the engine's
  averaging rule, ``positions.average_ranks_sql``). Under ``themes`` balance Overall (LA
  Core) is instead ``sum(t_k * theme average_k) / sum(t_k)`` over the themes with an
  average (their core indicators' average), ``t_k`` = the weighting's mean weight over the
  theme's indicators (1 for a bootstrap draw, the theme weight for theme weights). A
  weighting that is not all whole numbers is first divided by its largest weight, so equal
  weights are all exactly 1 and reproduce the engine's sums (whole-number weights, such as
  bootstrap counts, keep exact integer sums as they are).
* **Weighted coverage** = ``sum(w_i over indicators ranked for the authority) /
  sum(w_i over the column's available indicators)``; below ``min_coverage`` there is no
  position. With equal weights this is the engine's coverage (a count of indicators, the
  basket's weights aside). A theme weighted 0 drops out of both sums: that is
  leave-one-theme-out.
* **Position** = "min" rank of the rounded weighted average among eligible authorities:
  the engine's one rule (``positions.positions_along_axis``, as ``positions`` uses).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from benchmarking.errors import BadArgumentError, BadPeriodError, BadWeightsError
from benchmarking.method.baskets import ALL, INDICATORS, THEMES, Basket, in_basket, require_balance, weights_of
from benchmarking.method.positions import LA_CORE, OVERALL, positions_along_axis, scaled_ranks
from benchmarking.method.ranking import require_columns, require_known_indicators


@dataclass(frozen=True)
class RankMatrix:
    """One period's ranks as an authority x indicator matrix, indicators grouped by theme.

    ``score`` holds the rank (or scaled rank) with 0 where the authority is not ranked;
    ``ranked`` says where it is. ``theme_of`` and ``is_core`` describe each indicator
    column; ``theme_names`` are the themes A-Z (codes index into them). ``weight`` is each
    indicator's basket weight and ``balance`` how Overall and LA Core weigh the themes
    (``baskets``): the engine's rule the positions are averaged by.
    """

    period: str
    authorities: np.ndarray
    indicator_ids: np.ndarray
    theme_names: tuple[str, ...]
    theme_of: np.ndarray
    is_core: np.ndarray
    score: np.ndarray
    ranked: np.ndarray
    weight: np.ndarray
    balance: str = INDICATORS

    @property
    def columns(self) -> tuple[str, ...]:
        """Position columns, as ``positions`` orders them: Overall, LA Core, then themes A-Z."""
        return (OVERALL, LA_CORE, *self.theme_names)

    @property
    def n_authorities(self) -> int:
        """Return the number of authorities (rows of the matrix)."""
        return len(self.authorities)

    @property
    def n_indicators(self) -> int:
        """Return the number of indicators (columns of the matrix)."""
        return len(self.indicator_ids)

    def column_masks(self) -> np.ndarray:
        """Return a column x indicator boolean matrix: which indicators count in each column."""
        themes = self.theme_of[None, :] == np.arange(len(self.theme_names))[:, None]
        return np.vstack([np.ones(self.n_indicators, dtype=bool), self.is_core, themes])


def rank_matrix(
    ranks: pd.DataFrame,
    indicators: pd.DataFrame,
    period: str,
    scaled: bool = False,
    n_group: int | None = None,
    basket: Basket = ALL,
    balance: str = INDICATORS,
) -> RankMatrix:
    """Return one period of ``ranks`` as a ``RankMatrix`` over the indicators of ``basket``,
    each weighted as the basket says, averaged by ``balance`` (the engine's ``compute``).

    ``scaled`` stretches ranks to the group size as ``positions(scaled=True)`` does (N =
    ``n_group``, else the authorities with a row that period). Raises BadPeriodError when
    ``ranks`` has no row for ``period`` and UnknownIndicatorError for ranks of indicators
    missing from ``indicators``.
    """
    require_columns(ranks, ("indicator_id", "authority_code", "period", "rank", "n_ranked"), "ranks")
    require_columns(indicators, ("id", "theme", "is_core"), "indicators")
    balance = require_balance(balance)
    rows = ranks.loc[ranks["period"] == period]
    if rows.empty:
        known = sorted(map(str, ranks["period"].unique()))
        raise BadPeriodError(f"ranks have no rows for period {period!r}; periods held: {known}")
    rows = in_basket(rows, basket)
    authority_code, authorities = pd.factorize(rows["authority_code"], sort=True)
    n_ranked = rows["n_ranked"].to_numpy(dtype=float, na_value=0.0)
    available_ids = pd.unique(rows.loc[n_ranked > 0, "indicator_id"])

    require_known_indicators(available_ids, indicators["id"], "ranks")
    catalogue = indicators.set_index("id")
    theme = catalogue.loc[available_ids, "theme"].astype(str).to_numpy()
    core = catalogue.loc[available_ids, "is_core"].fillna(False).astype(bool).to_numpy()
    order = np.lexsort((np.asarray(available_ids, dtype=str), ~core, theme))
    indicator_ids = np.asarray(available_ids, dtype=object)[order]
    theme_of, theme_names = pd.factorize(theme[order], sort=True)
    is_core = core[order]

    column = pd.Index(indicator_ids).get_indexer(rows["indicator_id"])
    rank = rows["rank"].to_numpy(dtype=float, na_value=np.nan)
    keep = (column >= 0) & ~np.isnan(rank)
    score_of = rank
    if scaled:
        group_size = n_group if n_group is not None else len(authorities)
        score_of = scaled_ranks(rank, n_ranked, group_size)
    score = np.zeros((len(authorities), len(indicator_ids)))
    ranked = np.zeros(score.shape, dtype=bool)
    score[authority_code[keep], column[keep]] = score_of[keep]
    ranked[authority_code[keep], column[keep]] = True
    return RankMatrix(
        period=period,
        authorities=np.asarray(authorities, dtype=object),
        indicator_ids=indicator_ids,
        theme_names=tuple(str(name) for name in theme_names),
        theme_of=theme_of.astype(np.int64),
        is_core=is_core,
        score=score,
        ranked=ranked,
        weight=weights_of(pd.Series(indicator_ids), basket),
        balance=balance,
    )


def weighted_positions(
    matrix: RankMatrix, weights: np.ndarray, min_coverage: float = 0.5
) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(average_rank, position)``, each weighting x authority x column, for weights
    given as a weighting x indicator matrix (one row per weighting, non-negative).

    Each weighting multiplies the basket's weights (``matrix.weight``) and the averages
    follow ``matrix.balance``, so equal weights give the engine's positions for the basket.
    Columns are ``matrix.columns``; NaN where there is no average or no position (also for
    a column whose indicators all weigh 0). Vectorised: one matrix product per block of
    indicators sharing a theme and core flag, no loop over weightings or authorities.
    """
    if not 0 <= min_coverage <= 1:
        raise BadArgumentError(f"min_coverage must lie between 0 and 1, got {min_coverage!r}")
    weights = _checked_weights(matrix, weights)
    blocks = _blocks_of(matrix)
    block_sums, block_weight = _block_totals(matrix, weights, blocks)
    n_authorities = matrix.n_authorities
    masks = matrix.column_masks()
    in_column = np.array([[mask[start] for start, _ in blocks] for mask in masks], dtype=float)
    in_column = in_column.reshape(len(masks), len(blocks))
    sums = np.tensordot(in_column, block_sums, axes=(1, 0))  # column x weighting x 3A
    available = (in_column @ block_weight)[:, :, None]  # column x weighting x 1
    average = _mean(sums[:, :, :n_authorities], sums[:, :, n_authorities : 2 * n_authorities])
    count = sums[:, :, 2 * n_authorities :]
    if matrix.balance == THEMES:
        average[:2] = _theme_balanced(matrix, blocks, block_sums, block_weight, average[2:])
    with np.errstate(invalid="ignore", divide="ignore"):
        coverage = count / available
    eligible = (count > 0) & (coverage >= min_coverage) & (available > 0) & ~np.isnan(average)
    # Work in column x weighting x authority; hand back weighting x authority x column.
    average = average.transpose(1, 2, 0)
    eligible = eligible.transpose(1, 2, 0)
    return average, positions_along_axis(average, eligible, axis=1)  # the engine's position rule


# ---------------------------------------------------------------------------------------
# Private helpers
# ---------------------------------------------------------------------------------------


def _blocks_of(matrix: RankMatrix) -> list[tuple[int, int]]:
    """Return the (start, stop) slices of the runs of indicators with one theme and core flag."""
    key = matrix.theme_of * 2 + matrix.is_core
    if not len(key):
        return []
    starts = np.flatnonzero(np.concatenate([[True], key[1:] != key[:-1]]))
    stops = np.append(starts[1:], len(key))
    return list(zip(starts.tolist(), stops.tolist()))


def _checked_weights(matrix: RankMatrix, weights: np.ndarray) -> np.ndarray:
    """Return the weighting x indicator weights checked (BadWeightsError), each row that is not all
    whole numbers divided by its largest weight, so that equal weights become exactly 1 (rows of
    whole numbers, such as equal weights of 1 and bootstrap counts, keep exact integer sums)."""
    weights = np.atleast_2d(np.asarray(weights, dtype=float))
    if weights.shape[1] != matrix.n_indicators:
        raise BadWeightsError(
            f"weights must have one column per indicator ({matrix.n_indicators}), got {weights.shape[1]}"
        )
    if (weights < 0).any() or not np.isfinite(weights).all():
        raise BadWeightsError("weights must be finite and non-negative")
    fractional = (weights != np.round(weights)).any(axis=1)
    if fractional.any():
        weights = weights.copy()
        weights[fractional] = weights[fractional] / weights[fractional].max(axis=1, keepdims=True)
    return weights


def _block_totals(matrix: RankMatrix, weights: np.ndarray, blocks: list) -> tuple[np.ndarray, np.ndarray]:
    """Return each block's sums (block x weighting x 3A: basket-weighted rank sums, the basket weights they
    are averaged by, the weighted counts coverage is judged on) and its weight (block x weighting).

    Indicators sit in runs of one theme and one core flag ("blocks"): one matrix product per block."""
    basket = matrix.weight[:, None]
    ranked = matrix.ranked.T.astype(float)
    stacked = np.hstack([matrix.score.T * basket, ranked * basket, ranked])  # indicator x 3A
    if not blocks:
        return np.zeros((0, len(weights), 3 * matrix.n_authorities)), np.zeros((0, len(weights)))
    sums = np.stack([weights[:, a:b] @ stacked[a:b] for a, b in blocks])
    return sums, np.stack([weights[:, a:b].sum(axis=1) for a, b in blocks])


def _mean(total: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Return ``total / weight`` where the weight is positive, else NaN."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(weight > 0, total / weight, np.nan)


def _theme_balanced(
    matrix: RankMatrix, blocks: list, block_sums: np.ndarray, block_weight: np.ndarray, theme_average: np.ndarray
) -> np.ndarray:
    """Return Overall and LA Core (2 x weighting x authority) under ``themes`` balance: the mean of the
    theme averages (of each theme's core indicators' average), each theme weighing the weighting's mean
    weight over its indicators (1 for a bootstrap draw, the theme's weight for theme weights)."""
    n_themes, n_authorities = len(matrix.theme_names), matrix.n_authorities
    in_theme = np.array([[matrix.theme_of[a] == t for a, _ in blocks] for t in range(n_themes)], dtype=float)
    in_theme = in_theme.reshape(n_themes, len(blocks))
    core_block = np.array([matrix.is_core[a] for a, _ in blocks], dtype=float)
    size = np.bincount(matrix.theme_of, minlength=n_themes)[:, None]
    theme_weight = (in_theme @ block_weight) / size  # theme x weighting
    core_sums = np.tensordot(in_theme * core_block, block_sums, axes=(1, 0))  # theme x weighting x 3A
    core_average = _mean(core_sums[:, :, :n_authorities], core_sums[:, :, n_authorities : 2 * n_authorities])
    return np.stack([_weighted_mean(theme_average, theme_weight), _weighted_mean(core_average, theme_weight)])


def _weighted_mean(values: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Return the mean over axis 0 of ``values`` (theme x weighting x authority) weighted by ``weight``
    (theme x weighting), leaving out the NaN values; NaN where no value has a positive weight."""
    present = ~np.isnan(values)
    spread = np.where(present, weight[:, :, None], 0.0)
    return _mean((np.where(present, values, 0.0) * spread).sum(axis=0), spread.sum(axis=0))
