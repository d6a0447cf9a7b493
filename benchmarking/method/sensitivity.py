"""Positions under other weightings of the indicator basket: theme weights and leave-one-theme-out.

Pure functions on the output of ``ranking.indicator_ranks``. The engine's Overall is the
mean of an authority's ranks over *every* indicator (not a mean of theme means), so a
theme weight is applied to indicators: each indicator carries its theme's weight, and the
average rank becomes a weighted mean. With every theme weighted alike each indicator
weighs the same and the engine's Overall (and LA Core) positions come back exactly.

The same machinery serves the bootstrap in ``uncertainty``: a bootstrap replicate is a
weighting in which each indicator's weight is the number of times it was drawn.

Conventions
-----------
* **Rank matrix.** For one period the ranks are laid out as an authority x indicator
  matrix (``RankMatrix``): authorities are those with any row that period (as in
  ``positions``), indicators those ranked for anyone (``n_ranked > 0``), ordered by theme,
  then core before other, then id. Missing ranks are held as 0 with a mask.
* **Weighted average rank** of a column (Overall, LA Core, a theme) =
  ``sum(w_i * rank_i) / sum(w_i)`` over the column's indicators on which the authority is
  ranked. A weighting that is not all whole numbers is first divided by its largest
  weight, so equal weights are all exactly 1 and reproduce the engine's sums bit for bit
  (whole-number weights, such as bootstrap counts, keep exact integer sums as they are).
* **Weighted coverage** = ``sum(w_i over indicators ranked for the authority) /
  sum(w_i over the column's available indicators)``; below ``min_coverage`` there is no
  position. With equal weights this is the engine's coverage. A theme weighted 0 drops out
  of both sums: that is leave-one-theme-out.
* **Position** = "min" rank of the rounded weighted average among eligible authorities:
  the engine's one rule (``positions.positions_along_axis``, as ``positions`` uses).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from benchmarking.errors import BadArgumentError, BadPeriodError, BadWeightsError, UnknownThemeError
from benchmarking.method.positions import LA_CORE, OVERALL, positions_along_axis, scaled_ranks
from benchmarking.method.ranking import require_columns, require_known_indicators

SENSITIVITY_COLUMNS = (
    "authority_code",
    "theme",
    "default_average_rank",
    "default_position",
    "average_rank",
    "position",
    "n_positioned",
    "change",
)
"""Columns of ``theme_weighted_positions``."""


# ---------------------------------------------------------------------------------------
# The rank matrix and weighted positions (shared with ``uncertainty``)
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RankMatrix:
    """One period's ranks as an authority x indicator matrix, indicators grouped by theme.

    ``score`` holds the rank (or scaled rank) with 0 where the authority is not ranked;
    ``ranked`` says where it is. ``theme_of`` and ``is_core`` describe each indicator
    column; ``theme_names`` are the themes A-Z (codes index into them).
    """

    period: str
    authorities: np.ndarray
    indicator_ids: np.ndarray
    theme_names: tuple[str, ...]
    theme_of: np.ndarray
    is_core: np.ndarray
    score: np.ndarray
    ranked: np.ndarray

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
) -> RankMatrix:
    """Return one period of ``ranks`` as a ``RankMatrix``.

    ``scaled`` stretches ranks to the group size as ``positions(scaled=True)`` does (N =
    ``n_group``, else the authorities with a row that period). Raises BadPeriodError when
    ``ranks`` has no row for ``period`` and UnknownIndicatorError for ranks of indicators
    missing from ``indicators``.
    """
    require_columns(ranks, ("indicator_id", "authority_code", "period", "rank", "n_ranked"), "ranks")
    require_columns(indicators, ("id", "theme", "is_core"), "indicators")
    rows = ranks.loc[ranks["period"] == period]
    if rows.empty:
        known = sorted(map(str, ranks["period"].unique()))
        raise BadPeriodError(f"ranks have no rows for period {period!r}; periods held: {known}")
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
    )


def weighted_positions(
    matrix: RankMatrix, weights: np.ndarray, min_coverage: float = 0.5
) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(average_rank, position)``, each weighting x authority x column, for weights
    given as a weighting x indicator matrix (one row per weighting, non-negative).

    Columns are ``matrix.columns``; NaN where there is no average or no position (also for
    a column whose indicators all weigh 0). Vectorised: one matrix product per block of
    indicators sharing a theme and core flag, no loop over weightings or authorities.
    """
    if not 0 <= min_coverage <= 1:
        raise BadArgumentError(f"min_coverage must lie between 0 and 1, got {min_coverage!r}")
    weights = np.atleast_2d(np.asarray(weights, dtype=float))
    if weights.shape[1] != matrix.n_indicators:
        raise BadWeightsError(
            f"weights must have one column per indicator ({matrix.n_indicators}), got {weights.shape[1]}"
        )
    if (weights < 0).any() or not np.isfinite(weights).all():
        raise BadWeightsError("weights must be finite and non-negative")
    # Rows of whole numbers (equal weights of 1, bootstrap counts) keep exact integer sums;
    # other rows are divided by their largest weight, so that equal weights become 1.
    fractional = (weights != np.round(weights)).any(axis=1)
    if fractional.any():
        top = weights[fractional].max(axis=1, keepdims=True)
        weights = weights.copy()
        weights[fractional] = weights[fractional] / top

    # Indicators sit in runs of one theme and one core flag ("blocks"). One matrix product
    # per block over [score | ranked] gives its weighted rank sums and weighted counts; a
    # column (Overall, LA Core, a theme) adds up its blocks with one more product.
    blocks = _blocks_of(matrix)
    stacked = np.hstack([matrix.score.T, matrix.ranked.T.astype(float)])  # indicator x 2A
    n_authorities = matrix.n_authorities
    if blocks:
        block_sums = np.stack([weights[:, a:b] @ stacked[a:b] for a, b in blocks])
        block_weight = np.stack([weights[:, a:b].sum(axis=1) for a, b in blocks])
    else:
        block_sums = np.zeros((0, len(weights), 2 * n_authorities))
        block_weight = np.zeros((0, len(weights)))
    masks = matrix.column_masks()
    in_column = np.array([[mask[start] for start, _ in blocks] for mask in masks], dtype=float)
    column_sums = np.tensordot(in_column, block_sums, axes=(1, 0))  # column x weighting x 2A
    available = (in_column @ block_weight)[:, :, None]  # column x weighting x 1
    score_sum, count = column_sums[:, :, :n_authorities], column_sums[:, :, n_authorities:]
    with np.errstate(invalid="ignore", divide="ignore"):
        average = np.where(count > 0, score_sum / count, np.nan)
        coverage = count / available
    eligible = (count > 0) & (coverage >= min_coverage) & (available > 0)
    # Work in column x weighting x authority; hand back weighting x authority x column.
    average = average.transpose(1, 2, 0)
    eligible = eligible.transpose(1, 2, 0)
    return average, positions_along_axis(average, eligible, axis=1)  # the engine's position rule


# ---------------------------------------------------------------------------------------
# Theme weights and leave-one-theme-out
# ---------------------------------------------------------------------------------------


def indicator_weights(matrix: RankMatrix, theme_weights: Mapping[str, float]) -> np.ndarray:
    """Return each indicator's weight: its theme's weight in ``theme_weights`` (default 1).

    Raises UnknownThemeError for a theme the matrix lacks and BadWeightsError for a negative
    weight or when every indicator would weigh 0.
    """
    unknown = sorted(set(theme_weights) - set(matrix.theme_names))
    if unknown:
        raise UnknownThemeError(
            f"theme_weights names theme(s) {unknown} with no ranked indicator in "
            f"{matrix.period}; choose from {list(matrix.theme_names)}"
        )
    by_theme = np.array([float(theme_weights.get(name, 1.0)) for name in matrix.theme_names])
    if (by_theme < 0).any() or not np.isfinite(by_theme).all():
        raise BadWeightsError(f"theme weights must be finite and >= 0, got {dict(theme_weights)}")
    weights = by_theme[matrix.theme_of] if matrix.n_indicators else np.zeros(0)
    if not (weights > 0).any():
        raise BadWeightsError("every theme is weighted 0: give at least one theme a positive weight")
    return weights


def theme_weighted_positions(
    ranks: pd.DataFrame,
    indicators: pd.DataFrame,
    period: str,
    theme_weights: Mapping[str, float],
    scaled: bool = False,
    min_coverage: float = 0.5,
) -> pd.DataFrame:
    """Return every authority's Overall and LA Core position with indicators weighted by
    their theme's weight, beside the default (equal-weight) position.

    Columns: ``authority_code``, ``theme`` ('Overall', 'LA Core'), ``default_average_rank``,
    ``default_position``, ``average_rank``, ``position`` (Int64), ``n_positioned``,
    ``change`` (default_position - position: positive = climbs). Themes missing from
    ``theme_weights`` weigh 1. Sorted by theme, then position.
    """
    matrix = rank_matrix(ranks, indicators, period, scaled=scaled)
    weights = np.vstack([np.ones(matrix.n_indicators), indicator_weights(matrix, theme_weights)])
    average, position = weighted_positions(matrix, weights, min_coverage)
    frames = []
    for c, theme in enumerate(matrix.columns[:2]):
        if not matrix.column_masks()[c].any():
            continue
        frames.append(
            _comparison(matrix, theme, average[0, :, c], position[0, :, c], average[1, :, c], position[1, :, c])
        )
    result = pd.concat(frames, ignore_index=True) if frames else _empty()
    return _sorted(result)


def leave_one_theme_out(
    ranks: pd.DataFrame,
    indicators: pd.DataFrame,
    period: str,
    scaled: bool = False,
    min_coverage: float = 0.5,
    column: str = OVERALL,
) -> pd.DataFrame:
    """Return every authority's Overall (or LA Core) position with each theme left out in turn.

    Columns: ``left_out`` (the theme dropped), then as ``theme_weighted_positions``
    (``theme`` is ``column``). A theme left out weighs 0; the others weigh 1, so each row
    equals the engine's position computed on the ranks without that theme.
    """
    if column not in (OVERALL, LA_CORE):
        raise UnknownThemeError(f"column must be {OVERALL!r} or {LA_CORE!r}, got {column!r}")
    matrix = rank_matrix(ranks, indicators, period, scaled=scaled)
    c = matrix.columns.index(column)
    themes = [t for t in range(len(matrix.theme_names)) if (matrix.column_masks()[c] & (matrix.theme_of != t)).any()]
    weights = np.ones((1 + len(themes), matrix.n_indicators))
    for row, t in enumerate(themes, start=1):
        weights[row, matrix.theme_of == t] = 0.0
    average, position = weighted_positions(matrix, weights, min_coverage)
    frames = [
        _comparison(
            matrix, column, average[0, :, c], position[0, :, c], average[row, :, c], position[row, :, c]
        ).assign(left_out=matrix.theme_names[t])
        for row, t in enumerate(themes, start=1)
    ]
    if not frames:
        return _empty().assign(left_out=pd.Series(dtype=object))[["left_out", *SENSITIVITY_COLUMNS]]
    result = pd.concat(frames, ignore_index=True)[["left_out", *SENSITIVITY_COLUMNS]]
    order = np.lexsort(
        (
            result["authority_code"].to_numpy(dtype=str),
            result["position"].to_numpy(dtype=float, na_value=np.inf),
            result["left_out"].to_numpy(dtype=str),
        )
    )
    return result.iloc[order].reset_index(drop=True)


def effective_theme_shares(
    ranks: pd.DataFrame,
    indicators: pd.DataFrame,
    period: str,
    theme_weights: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Return each theme's weight, indicator count and share of the Overall average's weight.

    ``share`` = weight x indicators / sum over themes: with equal weights a theme with more
    indicators counts for more, which is how the Compendium's Overall works. Columns:
    ``theme``, ``weight``, ``n_indicators``, ``share``.
    """
    matrix = rank_matrix(ranks, indicators, period)
    weights = indicator_weights(matrix, theme_weights or {})
    counts = np.bincount(matrix.theme_of, minlength=len(matrix.theme_names))
    totals = np.bincount(matrix.theme_of, weights=weights, minlength=len(matrix.theme_names))
    return pd.DataFrame(
        {
            "theme": list(matrix.theme_names),
            "weight": [float((theme_weights or {}).get(name, 1.0)) for name in matrix.theme_names],
            "n_indicators": counts.astype(np.int64),
            "share": totals / totals.sum(),
        }
    )


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


def _comparison(
    matrix: RankMatrix,
    theme: str,
    default_average: np.ndarray,
    default_position: np.ndarray,
    average: np.ndarray,
    position: np.ndarray,
) -> pd.DataFrame:
    """Return one column's default and weighted figures per authority."""
    n_positioned = int((~np.isnan(position)).sum())
    return pd.DataFrame(
        {
            "authority_code": matrix.authorities,
            "theme": theme,
            "default_average_rank": default_average,
            "default_position": pd.array(_as_int(default_position), dtype="Int64"),
            "average_rank": average,
            "position": pd.array(_as_int(position), dtype="Int64"),
            "n_positioned": n_positioned,
            "change": pd.array(_as_int(default_position - position), dtype="Int64"),
        }
    )


def _as_int(numbers: np.ndarray) -> list:
    return [None if np.isnan(n) else int(n) for n in numbers]


def _empty() -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=object) for name in SENSITIVITY_COLUMNS})


def _sorted(result: pd.DataFrame) -> pd.DataFrame:
    theme_order = result["theme"].map({OVERALL: 0, LA_CORE: 1}).fillna(2).to_numpy()
    order = np.lexsort(
        (
            result["authority_code"].to_numpy(dtype=str),
            result["position"].to_numpy(dtype=float, na_value=np.inf),
            theme_order,
        )
    )
    return result.iloc[order].reset_index(drop=True)
