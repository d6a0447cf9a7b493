"""Rank uncertainty: how far an authority's position rests on the particular indicator basket.

Pure functions on the output of ``ranking.indicator_ranks``. A position such as "3rd of
32" averages ranks over a basket of indicators; another, equally reasonable, basket would
give another position. The bootstrap below redraws the basket many times and reports the
range of positions it gives, so that "3rd" can be read as "3rd, likely between 2nd and
6th".

Bootstrap design
----------------
* **What is resampled.** The indicators, not the authorities or the values: the group and
  the data stay fixed, the basket varies. Each replicate draws, for every theme, as many
  indicators as the theme has ranked that period, uniformly *with replacement* from that
  theme's indicators (stratified by theme, so every theme keeps its size and weight in
  Overall). An indicator drawn twice counts twice.
* **What is recomputed.** Each replicate's draw is a weighting of the indicators (the
  number of times each was drawn, times the basket's weight), so its average ranks,
  coverage and positions are computed by ``reweighting.weighted_positions``: each theme
  over its own draw, Overall over the whole redrawn basket (or, under ``themes`` balance,
  as the mean of the redrawn theme averages), LA Core over its core indicators, coverage
  counted with the multiplicities, "min" positions among authorities with enough coverage.
  The ranks themselves are the engine's (taken within the comparator group); they are not
  re-ranked, and the point positions are the engine's for the basket and balance.
* **Vectorised.** Draws for all replicates and indicators come from one call to the
  generator; multiplicities are counted with one ``bincount``; sums and counts are matrix
  products (replicate x indicator) @ (indicator x authority); positions use the engine's
  one rule (``positions.positions_along_axis``) over replicate x column groups. No Python loop runs over
  replicates or authorities.
* **Interval.** The 90% interval (``level``) runs from the ``(1 - level) / 2`` to the
  ``(1 + level) / 2`` quantile of the replicate positions, taken as positions that occur
  (inverted CDF: the smallest position whose cumulative share reaches the quantile), over
  the replicates in which the authority has a position. Positions are discrete and ties are
  common, so the percentile interval can miss the point estimate by a place; the interval
  is then widened to include it (documented, and recorded in ``widened``).
* **Seeded.** A run is reproducible from ``seed``: each period draws from
  ``numpy.random.default_rng([seed, crc32(period label)])``, so one period gives the same
  replicates whether it is run alone or with the others.
* **Duplicated indicators.** Listing every indicator twice leaves the point estimate
  unchanged and halves the variance of each redrawn mean, so intervals narrow: the
  bootstrap measures how much the basket, at its size, pins the position down.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from benchmarking.errors import BadArgumentError, UnknownAuthorityError, UnknownThemeError
from benchmarking.method.baskets import ALL, INDICATORS, Basket
from benchmarking.method.reweighting import RankMatrix, rank_matrix, weighted_positions
from benchmarking.text.formatting import ordinal

DEFAULT_REPLICATES = 1000
DEFAULT_LEVEL = 0.9
DEFAULT_SEED = 2022

INTERVAL_COLUMNS = (
    "period",
    "theme",
    "authority_code",
    "average_rank",
    "position",
    "n_positioned",
    "lower",
    "upper",
    "median",
    "share_positioned",
    "widened",
    "n_replicates",
    "level",
)
"""Columns of ``position_intervals`` and ``BootstrapPositions.intervals``."""


# ---------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BootstrapPositions:
    """One period's point positions and replicate positions, by authority and column.

    ``point`` and ``point_average`` are authority x column; ``replicates`` is replicate x
    authority x column (NaN = no position in that replicate). Columns are ``columns``:
    Overall, LA Core, then the themes A-Z.
    """

    period: str
    authorities: np.ndarray
    columns: tuple[str, ...]
    point: np.ndarray
    point_average: np.ndarray
    replicates: np.ndarray
    seed: int
    level: float

    @property
    def n_replicates(self) -> int:
        """Return the number of bootstrap replicates drawn."""
        return self.replicates.shape[0]

    def intervals(self, level: float | None = None) -> pd.DataFrame:
        """Return one row per column x authority with the point position and its interval.

        Columns: see ``INTERVAL_COLUMNS``. ``lower``/``upper`` bound the ``level``
        interval (NA when the authority has no position in any replicate), ``median`` is
        the median replicate position, ``share_positioned`` the share of replicates in
        which it had a position, ``widened`` whether the interval was stretched to
        include the point position. Sorted by column, then position.
        """
        level = self.level if level is None else level
        _check_level(level)
        lower, median, upper = _quantiles(self.replicates, ((1 - level) / 2, 0.5, (1 + level) / 2))
        point = self.point
        has_point = ~np.isnan(point)
        widened = has_point & ((lower > point) | (upper < point))
        lower = np.where(has_point, np.fmin(lower, point), lower)
        upper = np.where(has_point, np.fmax(upper, point), upper)
        positioned = ~np.isnan(self.replicates)
        share = positioned.mean(axis=0) if self.n_replicates else np.zeros_like(point)
        n_positioned = has_point.sum(axis=0)

        a, c = np.nonzero(np.ones(point.shape, dtype=bool))
        frame = pd.DataFrame(
            {
                "period": self.period,
                "theme": np.asarray(self.columns, dtype=object)[c],
                "authority_code": self.authorities[a],
                "average_rank": self.point_average[a, c],
                "position": _int_array(point[a, c]),
                "n_positioned": n_positioned[c].astype(np.int64),
                "lower": _int_array(lower[a, c]),
                "upper": _int_array(upper[a, c]),
                "median": _int_array(median[a, c]),
                "share_positioned": share[a, c],
                "widened": widened[a, c],
                "n_replicates": self.n_replicates,
                "level": level,
            }
        )
        order = np.lexsort((frame["authority_code"].to_numpy(dtype=str), np.nan_to_num(point[a, c], nan=np.inf), c))
        frame = frame.iloc[order].reset_index(drop=True)
        # A column no authority is positioned in (no indicators that period) is left out.
        has_average = frame.groupby("theme")["average_rank"].transform("count") > 0
        return frame.loc[has_average].reset_index(drop=True)


def bootstrap_positions(
    ranks: pd.DataFrame,
    indicators: pd.DataFrame,
    period: str,
    n_replicates: int = DEFAULT_REPLICATES,
    seed: int = DEFAULT_SEED,
    level: float = DEFAULT_LEVEL,
    scaled: bool = False,
    min_coverage: float = 0.5,
    basket: Basket = ALL,
    balance: str = INDICATORS,
) -> BootstrapPositions:
    """Return the point positions and ``n_replicates`` bootstrap replicates for one period.

    The point positions are those of ``positions.positions`` for ``basket`` (its indicators,
    by its weights) and ``balance``: the engine's, as every other view shows them. Raises
    BadArgumentError for fewer than 1 replicate or a level outside (0, 1), BadPeriodError when
    ``ranks`` lacks the period.
    """
    if int(n_replicates) < 1:
        raise BadArgumentError(f"n_replicates must be at least 1, got {n_replicates!r}")
    _check_level(level)
    matrix = rank_matrix(ranks, indicators, period, scaled=scaled, basket=basket, balance=balance)
    equal = np.ones((1, matrix.n_indicators))
    point_average, point = weighted_positions(matrix, equal, min_coverage)
    counts = draw_counts(matrix, int(n_replicates), _period_rng(seed, period))
    _, replicates = weighted_positions(matrix, counts, min_coverage)
    return BootstrapPositions(
        period=period,
        authorities=matrix.authorities,
        columns=matrix.columns,
        point=point[0],
        point_average=point_average[0],
        replicates=replicates,
        seed=int(seed),
        level=level,
    )


def position_intervals(
    ranks: pd.DataFrame,
    indicators: pd.DataFrame,
    periods: Iterable[str] | None = None,
    n_replicates: int = DEFAULT_REPLICATES,
    seed: int = DEFAULT_SEED,
    level: float = DEFAULT_LEVEL,
    scaled: bool = False,
    min_coverage: float = 0.5,
    themes: Iterable[str] | None = None,
    basket: Basket = ALL,
    balance: str = INDICATORS,
) -> pd.DataFrame:
    """Return every authority's position and ``level`` bootstrap interval, per period and theme.

    ``periods`` defaults to every period in ``ranks``; ``themes`` (Overall, LA Core or a
    theme) to all; ``basket`` and ``balance`` as ``bootstrap_positions``. Columns:
    ``INTERVAL_COLUMNS``. The replicates of one period are dropped once summarised, so memory
    stays at one period's worth.
    """
    if periods is None:
        periods = pd.unique(ranks["period"])
    frames = [
        bootstrap_positions(
            ranks, indicators, period, n_replicates, seed, level, scaled, min_coverage, basket, balance
        ).intervals()
        for period in periods
    ]
    if not frames:
        return pd.DataFrame(columns=list(INTERVAL_COLUMNS))
    result = pd.concat(frames, ignore_index=True)
    if themes is not None:
        themes = list(themes)
        unknown = sorted(set(themes) - set(result["theme"]))
        if unknown:
            raise UnknownThemeError(f"no positions for theme(s) {unknown}; choose from {sorted(set(result['theme']))}")
        result = result.loc[result["theme"].isin(themes)].reset_index(drop=True)
    return result


def ahead_shares(result: BootstrapPositions, focus: str, theme: str) -> pd.DataFrame:
    """Return, for every other authority, how often the focus authority places ahead of it.

    Answers "is 3rd really different from 5th?": ``ahead`` is the share of replicates in
    which the focus has a better (smaller) position, ``level_with`` the share with the same
    position, ``behind`` the share with a worse one (replicates where either lacks a
    position are left out; ``n_compared`` counts the rest). Columns: ``authority_code``,
    ``position``, ``lower``, ``upper``, ``ahead``, ``level_with``, ``behind``,
    ``n_compared``; sorted by position.
    """
    if theme not in result.columns:
        raise UnknownThemeError(f"no theme {theme!r}; choose from {list(result.columns)}")
    where = np.flatnonzero(result.authorities == focus)
    if not len(where):
        raise UnknownAuthorityError(
            f"authority {focus!r} is not in the bootstrap's group of {len(result.authorities)}; "
            "check the comparator group"
        )
    a, c = int(where[0]), result.columns.index(theme)
    mine = result.replicates[:, a, c][:, None]
    others = result.replicates[:, :, c]
    both = ~np.isnan(mine) & ~np.isnan(others)
    n_compared = both.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        ahead = ((mine < others) & both).sum(axis=0) / n_compared
        level_with = ((mine == others) & both).sum(axis=0) / n_compared
        behind = ((mine > others) & both).sum(axis=0) / n_compared
    table = result.intervals().query("theme == @theme").set_index("authority_code")
    frame = pd.DataFrame(
        {
            "authority_code": result.authorities,
            "ahead": ahead,
            "level_with": level_with,
            "behind": behind,
            "n_compared": n_compared.astype(np.int64),
        }
    )
    frame = frame.join(table[["position", "lower", "upper"]], on="authority_code")
    frame = frame.loc[frame["authority_code"] != focus]
    frame = frame[["authority_code", "position", "lower", "upper", "ahead", "level_with", "behind", "n_compared"]]
    order = np.lexsort(
        (frame["authority_code"].to_numpy(dtype=str), frame["position"].to_numpy(dtype=float, na_value=np.inf))
    )
    return frame.iloc[order].reset_index(drop=True)


def interval_text(position, lower, upper, n_positioned, level: float = DEFAULT_LEVEL) -> str:
    """Return "3rd of 32, likely between 2nd and 6th (90% interval)" for one row.

    "no position" when the position is missing; a single place when the interval is one.
    """
    if position is None or pd.isna(position):
        return "no position"
    text = f"{ordinal(position)} of {int(n_positioned)}"
    if lower is None or pd.isna(lower) or upper is None or pd.isna(upper):
        return text
    share = f"{level:.0%}"
    if int(lower) == int(upper):
        return f"{text}, the same in at least {share} of redrawn indicator baskets"
    return f"{text}, likely between {ordinal(lower)} and {ordinal(upper)} ({share} interval)"


def interval_label(position, lower, upper) -> str:
    """Return the short words beside a position on a chart: "2nd (likely 1st–4th)", or "2nd (no other
    position likely)" when the interval is that one place."""
    if int(lower) == int(upper) == int(position):
        return f"{ordinal(position)} (no other position likely)"
    return f"{ordinal(position)} (likely {ordinal(lower)}–{ordinal(upper)})"


def interval_sentence(name: str, theme: str, period: str, row: pd.Series | dict, n_replicates: int) -> str:
    """Return the narrative sentence for one authority's interval on one theme."""
    text = interval_text(row["position"], row["lower"], row["upper"], row["n_positioned"], row["level"])
    what = "overall performance" if theme == "Overall" else f"{theme}"
    if text == "no position":
        return f"{name} has no {what} position in {period}: too few of its indicators have data."
    return (
        f"{name} ranks {text} for {what} in {period}, from {n_replicates:,} bootstrap redraws of the indicator basket."
    )


def draw_counts(matrix: RankMatrix, n_replicates: int, rng: np.random.Generator) -> np.ndarray:
    """Return replicate x indicator multiplicities: each theme's indicators drawn with
    replacement, as many draws as the theme has indicators (stratified bootstrap)."""
    n_indicators = matrix.n_indicators
    if n_indicators == 0:
        return np.zeros((n_replicates, 0))
    theme_size = np.bincount(matrix.theme_of, minlength=len(matrix.theme_names))
    # Indicators are grouped by theme: a theme's indicators are columns start..start+size.
    theme_start = np.cumsum(theme_size) - theme_size
    slot_theme = matrix.theme_of  # one draw per indicator slot, within the slot's theme
    uniform = rng.random((n_replicates, n_indicators))
    drawn = theme_start[slot_theme] + np.floor(uniform * theme_size[slot_theme]).astype(np.int64)
    np.minimum(drawn, (theme_start + theme_size - 1)[slot_theme], out=drawn)  # u < 1 guard
    drawn += (np.arange(n_replicates) * n_indicators)[:, None]
    counts = np.bincount(drawn.ravel(), minlength=n_replicates * n_indicators)
    return counts.reshape(n_replicates, n_indicators).astype(float)


# ---------------------------------------------------------------------------------------
# Private helpers
# ---------------------------------------------------------------------------------------


def _period_rng(seed: int, period: str) -> np.random.Generator:
    """Return the generator for one period: seeded by ``seed`` and the period's label."""
    return np.random.default_rng([int(seed), zlib.crc32(str(period).encode("utf-8"))])


def _check_level(level: float) -> None:
    if not 0 < level < 1:
        raise BadArgumentError(f"level must lie strictly between 0 and 1 (0.9 = 90%), got {level!r}")


def _quantiles(replicates: np.ndarray, quantiles: tuple[float, ...]) -> list[np.ndarray]:
    """Return inverted-CDF quantiles over axis 0, ignoring NaN (NaN where all are NaN)."""
    ordered = np.sort(replicates, axis=0)  # NaN sorts last
    n_valid = (~np.isnan(replicates)).sum(axis=0)
    results = []
    for q in quantiles:
        index = np.ceil(np.round(q * n_valid, 9)).astype(np.int64) - 1  # round: 0.95 x 1000
        index = np.clip(index, 0, max(len(ordered) - 1, 0))
        value = (
            np.take_along_axis(ordered, index[None], axis=0)[0]
            if len(ordered)
            else np.full(replicates.shape[1:], np.nan)
        )
        results.append(np.where(n_valid > 0, value, np.nan))
    return results


def _int_array(numbers: np.ndarray) -> pd.arrays.IntegerArray:
    numbers = np.asarray(numbers, dtype=float)
    missing = np.isnan(numbers)
    return pd.arrays.IntegerArray(np.where(missing, 0, numbers).astype(np.int64), missing)
