"""Positions under other weightings of the indicator basket: theme weights and leave-one-theme-out.

Pure functions on the output of ``ranking.indicator_ranks``. Every weighting starts from the
engine's own positions for a basket and balance (``baskets``, ``positions``): each indicator
carries its basket weight, and under ``indicators`` balance Overall is the weighted mean of
the ranks over every indicator, so a theme weight is applied to indicators (each indicator's
basket weight times its theme's weight); under ``themes`` balance Overall is the mean of the
theme averages, each theme weighted by its theme weight. With every theme weighted alike the
engine's Overall (and LA Core) positions come back exactly. The positions under a weighting
are ``reweighting.weighted_positions`` (its conventions: average, coverage, position), which
the bootstrap in ``uncertainty`` uses too.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from benchmarking.errors import BadWeightsError, UnknownThemeError
from benchmarking.method.baskets import ALL, INDICATORS, THEMES, Basket
from benchmarking.method.positions import LA_CORE, OVERALL
from benchmarking.method.reweighting import RankMatrix, rank_matrix, weighted_positions

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
    basket: Basket = ALL,
    balance: str = INDICATORS,
) -> pd.DataFrame:
    """Return every authority's Overall and LA Core position with each theme weighted by its
    weight in ``theme_weights``, beside the default position (the engine's for ``basket`` and
    ``balance``: every theme weighted 1).

    Columns: ``authority_code``, ``theme`` ('Overall', 'LA Core'), ``default_average_rank``,
    ``default_position``, ``average_rank``, ``position`` (Int64), ``n_positioned``,
    ``change`` (default_position - position: positive = climbs). Themes missing from
    ``theme_weights`` weigh 1. Sorted by theme, then position.
    """
    matrix = rank_matrix(ranks, indicators, period, scaled=scaled, basket=basket, balance=balance)
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
    basket: Basket = ALL,
    balance: str = INDICATORS,
) -> pd.DataFrame:
    """Return every authority's Overall (or LA Core) position with each theme left out in turn.

    Columns: ``left_out`` (the theme dropped), then as ``theme_weighted_positions``
    (``theme`` is ``column``). A theme left out weighs 0; the others weigh 1, so each row
    equals the engine's position for ``basket`` and ``balance`` on the ranks without that theme.
    """
    if column not in (OVERALL, LA_CORE):
        raise UnknownThemeError(f"column must be {OVERALL!r} or {LA_CORE!r}, got {column!r}")
    matrix = rank_matrix(ranks, indicators, period, scaled=scaled, basket=basket, balance=balance)
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
    basket: Basket = ALL,
    balance: str = INDICATORS,
) -> pd.DataFrame:
    """Return each theme's weight, indicator count and share of the Overall average's weight.

    Under ``indicators`` balance ``share`` = weight x the basket weights of the theme's
    indicators / sum over themes: with equal weights a theme with more indicators counts for
    more, which is how the Compendium's Overall works; under ``themes`` balance it is weight /
    sum of the weights (every theme counts once). Columns: ``theme``, ``weight``,
    ``n_indicators``, ``basket_weight`` (the sum of its indicators' basket weights), ``share``.
    """
    matrix = rank_matrix(ranks, indicators, period, basket=basket, balance=balance)
    weights = indicator_weights(matrix, theme_weights or {})
    counts = np.bincount(matrix.theme_of, minlength=len(matrix.theme_names))
    each = weights / np.maximum(counts[matrix.theme_of], 1) if matrix.balance == THEMES else weights * matrix.weight
    totals = np.bincount(matrix.theme_of, weights=each, minlength=len(matrix.theme_names))
    return pd.DataFrame(
        {
            "theme": list(matrix.theme_names),
            "weight": [float((theme_weights or {}).get(name, 1.0)) for name in matrix.theme_names],
            "n_indicators": counts.astype(np.int64),
            "basket_weight": np.bincount(matrix.theme_of, weights=matrix.weight, minlength=len(matrix.theme_names)),
            "share": totals / totals.sum(),
        }
    )


# ---------------------------------------------------------------------------------------
# Private helpers
# ---------------------------------------------------------------------------------------


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
