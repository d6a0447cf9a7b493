"""Theme, Overall and LA Core positions: the rank of each authority's average indicator rank.

Pure functions on the output of ``ranking.indicator_ranks``. The Compendium averages the
ranks of the indicators in a theme and ranks those averages; "Overall" does the same over
every indicator and "LA Core" over the indicators marked ``is_core`` (county-council
functions). All periods and all themes are handled in one DuckDB query over the ranks
(``method.sql``): averages by ``GROUP BY`` (``average_ranks_sql``, which ``beside`` uses too),
then ``rank() OVER (PARTITION BY period, theme ORDER BY average_rank)``. ``position_of_average_rank``
and ``positions_along_axis`` apply the same position rule to numpy arrays (context views,
sensitivity, bootstrap).

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
  Sums of ranks are compensated (``fsum``): exact for whole ranks, and independent of the
  order rows are added in for scaled ranks, weights and theme balance.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
import pyarrow as pa

from benchmarking.errors import BadArgumentError, UnknownThemeError
from benchmarking.method import sql
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

POSITION_ORDER = "period_order, theme, position NULLS LAST, authority_order"
"""The SQL order of ``positions_sql``'s rows (over its output and the ``periods`` and ``authorities`` orders)."""


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
    theme_names, theme_of, core_of = indicator_themes(indicators)
    # Labels become integer codes (the query groups and joins on numbers, not 3M strings);
    # themes are coded as output columns: 0 Overall, 1 LA Core, then each theme A-Z.
    indicator, indicator_ids = pd.factorize(ranks["indicator_id"])
    require_known_indicators(indicator_ids, indicators["id"], "ranks")
    known = pd.Index(indicators["id"]).get_indexer(indicator_ids)
    period, period_labels, period_starts, period_order = _periods(ranks)
    authority, authority_labels = pd.factorize(ranks["authority_code"])
    columns = {
        "indicator": indicator,
        "authority_code": authority,
        "period": period,
        "rank": ranks["rank"].to_numpy(dtype=float, na_value=np.nan),
        "n_ranked": ranks["n_ranked"].to_numpy(dtype=np.int64),
        "weight": np.ones(len(ranks)) if weights is None else np.asarray(weights, dtype=float),
    }
    tables = {
        "r": sql.arrow_table(columns),
        "indicators": sql.arrow_table(
            {"indicator": np.arange(len(indicator_ids)), "theme": theme_of[known] + 2, "is_core": core_of[known]}
        ),
        "periods": sql.arrow_table({"period": np.arange(len(period_labels)), "period_order": period_order}),
        "authorities": sql.arrow_table(
            {"authority_code": np.arange(len(authority_labels)), "authority_order": label_order(authority_labels)}
        ),
    }
    result = sql.run(positions_sql(scaled, n_group, min_coverage, balance), tables)

    return named_positions(result, period_labels, [OVERALL, LA_CORE, *theme_names], authority_labels, period_starts)


def named_positions(
    result: pa.Table, period_labels, theme_labels, authority_labels, period_starts=None
) -> pd.DataFrame:
    """Return the rows of ``positions_sql`` (over integer codes) as the frame ``positions`` returns,
    each code replaced by its label (and ``period_start`` when ``period_starts`` is given)."""
    p = sql.integers(result, "period")
    frame = {"period": np.asarray(period_labels, dtype=object)[p]}
    if period_starts is not None:
        frame["period_start"] = period_starts[p]
    frame |= {
        "theme": np.asarray(theme_labels, dtype=object)[sql.integers(result, "theme")],
        "authority_code": np.asarray(authority_labels, dtype=object)[sql.integers(result, "authority_code")],
        "average_rank": sql.numbers(result, "average_rank"),
        "n_indicators": sql.integers(result, "n_indicators"),
        "n_available": sql.integers(result, "n_available"),
        "coverage": sql.numbers(result, "coverage"),
        "position": nullable_int(sql.numbers(result, "position")),
        "n_positioned": sql.integers(result, "n_positioned"),
    }
    return pd.DataFrame(frame)


def positions_sql(scaled: bool, n_group: int | None, min_coverage: float, balance: str) -> str:
    """Return the SQL of every authority's average rank, coverage and position per period and
    column (0 Overall, 1 LA Core, then each theme's code): the rows of ``positions``, in its order.

    Over the relations ``r`` (indicator, authority_code, period, rank, n_ranked, weight: the
    ranks), ``indicators`` (indicator, theme: its code from 2, is_core), ``periods`` (period,
    period_order) and ``authorities`` (authority_code, authority_order).
    """
    if scaled:
        group_size = "p.n_present" if n_group is None else str(int(n_group))
        present = "(SELECT period, count(DISTINCT authority_code) AS n_present FROM r GROUP BY period)"
        scored = f"""SELECT r.period, r.authority_code, i.theme, i.is_core, r.weight,
                            {scaled_rank_sql("r.rank", "r.n_ranked", group_size)} AS score
                     FROM r JOIN indicators i USING (indicator) JOIN {present} p USING (period)"""
    else:
        scored = """SELECT r.period, r.authority_code, i.theme, i.is_core, r.weight, r.rank AS score
                    FROM r JOIN indicators i USING (indicator)"""
    return f"""WITH scored AS ({scored}),
            averages AS ({average_ranks_sql("scored", balance, overall="0", la_core="1")}),
            pairs AS (
              SELECT p.period, i.theme, i.is_core
              FROM (SELECT DISTINCT period, indicator FROM r WHERE n_ranked > 0) p
              JOIN indicators i USING (indicator)),
            available AS (
              SELECT period, 0 AS theme, count(*) AS n_available FROM pairs GROUP BY period
              UNION ALL SELECT period, 1, count(*) FROM pairs WHERE is_core GROUP BY period
              UNION ALL SELECT period, theme, count(*) FROM pairs GROUP BY period, theme),
            placed AS (
              SELECT a.period, a.theme, present.authority_code, a.n_available,
                     coalesce(v.n_indicators, 0) AS n_indicators,
                     CASE WHEN v.n_indicators > 0 THEN v.average_rank END AS average_rank
              FROM available a
              JOIN (SELECT period, authority_code FROM averages WHERE theme = 0) present USING (period)
              LEFT JOIN averages v USING (period, theme, authority_code)),
            judged AS (
              SELECT *, n_indicators::DOUBLE / n_available AS coverage,
                     n_indicators > 0 AND n_indicators::DOUBLE / n_available >= {float(min_coverage)!r} AS eligible
              FROM placed),
            keyed AS (
              SELECT *, CASE WHEN eligible THEN {sql.rounded("average_rank", AVERAGE_RANK_DECIMALS)} END AS key
              FROM judged)
            SELECT k.period, k.theme, k.authority_code, k.average_rank, k.n_indicators, k.n_available, k.coverage,
                   CASE WHEN k.key IS NOT NULL
                        THEN rank() OVER (PARTITION BY k.period, k.theme ORDER BY k.key) END AS position,
                   count(*) FILTER (WHERE k.eligible) OVER (PARTITION BY k.period, k.theme) AS n_positioned
            FROM keyed k JOIN periods USING (period) JOIN authorities USING (authority_code)
            ORDER BY {POSITION_ORDER}"""


def average_ranks_sql(scored: str, balance: str, overall: str = f"'{OVERALL}'", la_core: str = f"'{LA_CORE}'") -> str:
    """Return the SQL of every authority's average rank and number of indicators ranked, per
    period and column (``Overall``, ``LA Core``, then each theme): the one averaging rule.

    ``scored`` names a relation of rows (period, authority_code, theme, is_core, score,
    weight); ``score`` is the rank to average (NULL when unranked). An average is the
    weighted mean of the scores (NULL when the weights sum to 0); under ``themes`` balance
    Overall and LA Core are the mean of the theme averages (LA Core: each theme's core rows).
    Sums are compensated (``fsum``), so they do not depend on the order rows arrive in.
    ``overall`` and ``la_core`` are the SQL of the theme column's value on those rows.
    """
    if require_balance(balance) == THEMES:
        overall_average, core_average = "b.overall", "b.core"
    else:
        overall_average = "w.total / nullif(w.weight, 0)"
        core_average = "w.core_total / nullif(w.core_weight, 0)"
    return f"""
        WITH sums AS (
          SELECT period, authority_code, theme, grouping(theme) AS whole,
                 fsum(score * weight) AS total, fsum(weight) FILTER (WHERE score IS NOT NULL) AS weight,
                 count(score) AS n,
                 fsum(score * weight) FILTER (WHERE is_core) AS core_total,
                 fsum(weight) FILTER (WHERE score IS NOT NULL AND is_core) AS core_weight,
                 count(score) FILTER (WHERE is_core) AS core_n
          FROM {scored}
          GROUP BY GROUPING SETS ((period, authority_code, theme), (period, authority_code))),
        by_theme AS (
          SELECT period, authority_code, theme, n, total / nullif(weight, 0) AS average,
                 core_total / nullif(core_weight, 0) AS core_average
          FROM sums WHERE whole = 0),
        balanced AS (
          SELECT period, authority_code, fsum(average) / nullif(count(average), 0) AS overall,
                 fsum(core_average) / nullif(count(core_average), 0) AS core
          FROM by_theme GROUP BY period, authority_code)
        SELECT period, authority_code, theme, average AS average_rank, n AS n_indicators FROM by_theme
        UNION ALL
        SELECT w.period, w.authority_code, {overall}, {overall_average}, w.n
        FROM sums w LEFT JOIN balanced b USING (period, authority_code) WHERE w.whole = 1
        UNION ALL
        SELECT w.period, w.authority_code, {la_core}, {core_average}, w.core_n
        FROM sums w LEFT JOIN balanced b USING (period, authority_code) WHERE w.whole = 1"""


def average_ranks(scores: pd.DataFrame, balance: str = INDICATORS) -> pd.DataFrame:
    """Return average_rank and n_indicators per period, authority_code and theme (``Overall``,
    ``LA Core``, each theme) of ``scores`` by ``average_ranks_sql`` (the rule ``positions`` uses).

    ``scores``: period, authority_code, theme, is_core, score (NaN when unranked), weight.
    """
    table = sql.arrow_table({name: scores[name] for name in ("period", "authority_code", "theme", "score", "weight")})
    table = table.append_column("is_core", pa.array(scores["is_core"].to_numpy(dtype=bool)))
    result = sql.run(average_ranks_sql("scores", balance), {"scores": table}).to_pandas()
    result["n_indicators"] = result["n_indicators"].astype(np.int64)
    result["average_rank"] = result["average_rank"].astype(float)
    return result


def scaled_rank_sql(rank: str, n_ranked: str, n_group: str) -> str:
    """Return the SQL of a rank stretched to span 1..n_group (the rule of ``scaled_ranks``):
    ``1 + (rank - 1) * (n_group - 1) / (n_ranked - 1)``, or ``(n_group + 1) / 2`` when only
    one authority is ranked; NULL when the rank is."""
    return (
        f"CASE WHEN {rank} IS NULL THEN NULL WHEN {n_ranked} > 1 "
        f"THEN 1 + ({rank} - 1)::DOUBLE * ({n_group} - 1)::DOUBLE / ({n_ranked} - 1)::DOUBLE "
        f"ELSE ({n_group} + 1)::DOUBLE / 2 END"
    )


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


def indicator_themes(indicators: pd.DataFrame) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Return (theme names A-Z, theme code per indicator row, is_core per indicator row), checked:
    every indicator has a theme, and none is named ``Overall`` or ``LA Core`` (UnknownThemeError)."""
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


def _periods(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray]:
    """Return (period code per row, labels, start per label or None, place of each label in time).

    Periods run in order of ``period_start`` (each label's first row) when present, ties by
    label, otherwise by label.
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
    place = np.empty(len(order), dtype=np.int64)
    place[order] = np.arange(len(order))
    return code, labels, starts, place


def label_order(labels: pd.Index | np.ndarray) -> np.ndarray:
    """Return each label's place in A-Z order (as text)."""
    order = np.argsort(np.asarray(labels, dtype=object).astype(str), kind="stable")
    place = np.empty(len(order), dtype=np.int64)
    place[order] = np.arange(len(order))
    return place
