"""Indicator ranks and quartiles within a comparator group: rank 1 is the best performer.

Pure functions: DataFrames in, DataFrames out, no I/O. Every indicator is ranked within
each period on its own, among the authorities handed in (the comparator group), as the
Performance Compendium does before it averages ranks by theme (see ``positions``): in DuckDB
SQL over the frames (``method.sql``), ``rank() OVER (PARTITION BY indicator, period ORDER BY key)``.

Conventions
-----------
* **Direction.** ``high`` polarity ranks the biggest value 1st, ``low`` the smallest,
  ``target`` the value closest to the indicator's ``target_midpoint`` (absolute distance).
  ``none`` polarity is context only and is never ranked: its rows are left out.
* **Ties** share the lowest rank ("min" method): values 9, 7, 7, 5 rank 1, 2, 2, 4.
* **Equality** is on the figures as published: values are compared at
  12 significant figures (``method.figures``), so
  binary noise from a source's text or arithmetic (DfE's ``94.899999999999991``, a stored
  ``95.30000000000001`` beside ``95.3``) never splits a tie, while figures that differ in
  any digit a publisher prints stay apart. Pass ``decimals`` to round before ranking when
  the source carries more digits than were published. Distances from a target are
  rounded to ``TARGET_DISTANCE_DECIMALS`` places so that floating-point noise in the
  subtraction (``0.6 - 0.5`` against ``0.5 - 0.4``) cannot break a genuine tie.
* **Missing values** (NaN) are not ranked: their rows keep ``rank`` and ``quartile`` NA and
  do not count in ``n_ranked``.
* **Quartile** ``= ceil(4 * rank / n_ranked)``: the 1st quartile is the top 25%
  (``rank <= n_ranked / 4``), the 4th the bottom 25%. With 32 ranked, ranks 1-8 are 1st,
  9-16 2nd, 17-24 3rd and 25-32 4th. Fewer than ``MIN_RANKED_FOR_QUARTILE`` (4) ranked
  authorities give no quartile.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa

from benchmarking.domain import POLARITIES
from benchmarking.errors import (
    BadPolarityError,
    DuplicateKeyError,
    EmptyGroupError,
    MissingColumnsError,
    UnknownIndicatorError,
)
from benchmarking.method import sql
from benchmarking.method.figures import with_published_sql

MIN_RANKED_FOR_QUARTILE = 4
UNRANKED_POLARITY = "none"
"""The polarity of a context indicator: shown, never ranked (``ranks_sql`` leaves its rows out)."""
TARGET_DISTANCE_DECIMALS = 10
RANK_COLUMNS = (
    "indicator_id",
    "authority_code",
    "period",
    "value",
    "rank",
    "n_ranked",
    "quartile",
)
"""Columns of ``indicator_ranks`` (``period_start`` follows ``period`` when the values carry it)."""


# -- Public API: ranks, quartiles, the ranking key, the numpy helpers and input checks the engine shares --


def indicator_ranks(
    values: pd.DataFrame,
    indicators: pd.DataFrame,
    authority_codes: Iterable[str] | None = None,
    decimals: int | None = None,
) -> pd.DataFrame:
    """Return each authority's rank and quartile on every ranked indicator, per period.

    Ranks are taken within indicator x period among ``authority_codes`` (all authorities
    in ``values`` when None); the group is applied before ranking. Rows of ``none``
    polarity indicators are dropped; rows with a missing value stay, unranked.

    Output columns: ``indicator_id``, ``authority_code``, ``period``, ``period_start``
    (only when ``values`` has it), ``value``, ``rank`` (Int64, 1 = best, NA when the
    value is missing), ``n_ranked`` (int, authorities ranked on that indicator in that
    period), ``quartile`` (Int64 1-4, NA when unranked or ``n_ranked < 4``).
    Rows keep the order of ``values``.

    Raises MissingColumnsError, DuplicateKeyError (an indicator id listed twice),
    UnknownIndicatorError (a value for an indicator not in ``indicators``),
    BadPolarityError (unknown polarity, or ``target`` without a ``target_midpoint``)
    and EmptyGroupError (``authority_codes`` given but empty).
    """
    require_columns(values, ("indicator_id", "authority_code", "period", "value"), "values")
    polarity, midpoint = indicator_polarities(indicators)
    # Labels become integer codes (the query groups and joins on numbers, not 3M strings).
    indicator, indicator_ids = pd.factorize(values["indicator_id"])
    period = pd.factorize(values["period"])[0]
    group = _group_codes(authority_codes)
    rows = np.arange(len(values)) if group is None else np.flatnonzero(values["authority_code"].isin(group))
    indicator = indicator[rows]
    used = np.bincount(indicator[indicator >= 0], minlength=len(indicator_ids)) > 0
    require_known_indicators(np.asarray(indicator_ids, dtype=object)[used], polarity.index, "values")
    # One number per indicator x period (int32 when it fits): partitions on one integer sort fastest.
    cell = indicator.astype(np.int64) * (int(period.max(initial=0)) + 1) + period[rows]
    ranked = sql.run(
        ranks_sql("v", "indicators", "indicator_period", ["row"], decimals),
        {
            "v": sql.arrow_table(
                {
                    "row": rows.astype(np.int32) if len(values) < 2**31 else rows,
                    "indicator": indicator,
                    "indicator_period": cell.astype(np.int32) if cell.max(initial=0) < 2**31 else cell,
                    "value": values["value"].to_numpy(dtype=float, na_value=np.nan)[rows],
                }
            ),
            "indicators": polarity_table(polarity.reindex(indicator_ids), midpoint.reindex(indicator_ids)),
        },
    )

    # Back to the order of ``values``: each result row names its input row.
    row = sql.integers(ranked, "row")
    keep = np.zeros(len(values), dtype=bool)
    keep[row] = True
    rank = np.full(len(values), np.nan)
    rank[row] = sql.numbers(ranked, "rank")
    n_ranked = np.zeros(len(values), dtype=np.int64)
    n_ranked[row] = sql.integers(ranked, "n_ranked")
    everything = bool(keep.all())
    kept = slice(None) if everything else keep  # filtering column by column beats .loc
    rank, n_ranked = rank[kept], n_ranked[kept]

    text_columns = ["indicator_id", "authority_code", "period"]
    if "period_start" in values.columns:
        text_columns.append("period_start")
    # Label columns go over as arrays, never converted (3M strings); a copy when unfiltered
    # (shallow for Arrow strings), so that the output shares no buffer with the input.
    columns = {name: (values[name].array.copy() if everything else values[name].array[keep]) for name in text_columns}
    columns |= {
        "value": values["value"].to_numpy(dtype=float, na_value=np.nan, copy=everything)[kept],
        "rank": nullable_int(rank),
        "n_ranked": n_ranked,
        "quartile": nullable_int(quartile(rank, n_ranked)),
    }
    return pd.DataFrame(columns, copy=False)  # every array is new: no need to copy again


def ranks_sql(values: str, indicators: str, cell: str, columns: Sequence[str], decimals: int | None = None) -> str:
    """Return the SQL of each ranked row's ``rank`` (1 = best, ties share the lowest, NULL when the
    value is missing) and ``n_ranked`` (rows ranked in its ``cell``: the SQL of one indicator in one
    period) beside ``columns`` of ``values`` (rows with ``indicator``, the key of the ``polarity_table``
    ``indicators``, and ``value``); rows of ``none`` polarity are left out."""
    selected = "".join(f"{column}, " for column in columns)
    joined = f"""SELECT v.*, i.polarity, i.target_midpoint
          FROM {values} v JOIN {indicators} i USING (indicator) WHERE i.polarity <> '{UNRANKED_POLARITY}'"""
    return f"""WITH figured AS ({figures_sql(f"({joined})", decimals)}),
        keyed AS (SELECT *, {ranking_key_sql("f.figure", "f")} AS key FROM figured f)
        SELECT {selected}
               CASE WHEN key IS NOT NULL THEN rank() OVER cell END AS rank,
               count(key) OVER (cell ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS n_ranked
        FROM keyed
        WINDOW cell AS (PARTITION BY {cell} ORDER BY key)"""


def quartile(rank: np.ndarray | pd.Series, n_ranked: np.ndarray | pd.Series) -> np.ndarray:
    """Return the quartile (1.0-4.0, NaN when none) of each rank: ``ceil(4 * rank / n_ranked)``.

    1st = top 25% (``rank <= n_ranked / 4``), 4th = bottom 25%. NaN where the rank is
    missing or fewer than ``MIN_RANKED_FOR_QUARTILE`` authorities were ranked.
    """
    rank = np.asarray(rank, dtype=float)
    n_ranked = np.asarray(n_ranked, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        result = np.multiply(rank, 4.0)
        np.divide(result, n_ranked, out=result)
        np.ceil(result, out=result)
        np.clip(result, 1, 4, out=result)
    result[n_ranked < MIN_RANKED_FOR_QUARTILE] = np.nan
    return result


def ranking_key_sql(figure: str, indicator: str) -> str:
    """Return the SQL of a key whose ascending order is best-first for the figure's polarity.

    ``figure`` is the SQL of a value as published (``figures_sql``), ``indicator`` the alias of
    a row with a ``polarity_table``'s polarity and target_midpoint: ``high`` -> ``-figure``,
    ``low`` -> ``figure``, ``target`` -> ``|figure - target_midpoint|`` (rounded to
    ``TARGET_DISTANCE_DECIMALS``), ``none`` -> NULL (never ranked); a missing figure gives NULL.
    """
    distance = sql.rounded(f"abs({figure} - {indicator}.target_midpoint)", TARGET_DISTANCE_DECIMALS)
    return (
        f"CASE {indicator}.polarity WHEN 'high' THEN -({figure}) WHEN 'low' THEN {figure} "
        f"WHEN 'target' THEN {distance} END"
    )


def figures_sql(relation: str, decimals: int | None = None) -> str:
    """Return SQL of the rows of ``relation`` (with a ``value``) and ``figure``: the value as
    published (``figures.with_published_sql``), the value ranks compare; ``decimals`` rounds it
    first (as numpy's ``round``)."""
    value = "value" if decimals is None else sql.rounded("value", decimals)
    return with_published_sql(relation, value, "figure")


def polarity_table(polarity: pd.Series, midpoint: pd.Series) -> pa.Table:
    """Return the Arrow table ``ranking_key_sql`` reads: id, indicator (its row number),
    polarity, target_midpoint (from ``indicator_polarities``)."""
    return sql.arrow_table(
        {
            "id": np.asarray(polarity.index, dtype=object),
            "indicator": np.arange(len(polarity)),
            "polarity": polarity.to_numpy(dtype=object),
            "target_midpoint": midpoint.to_numpy(dtype=float),
        }
    )


def rank_within_groups(group: np.ndarray, key: np.ndarray) -> np.ndarray:
    """Return the "min" rank of each key within its group (1 = smallest key; NaN key -> NaN).

    For numpy arrays (context ranks, positions of averages); ``group`` holds non-negative
    integer codes. Groups of similar size are sorted row by row in a group x slot table,
    others in one sort by group, then key; a key's rank is where its run of equal keys starts.
    """
    group = np.asarray(group, dtype=np.int64)
    key = np.asarray(key, dtype=float)
    missing = np.isnan(key)
    if missing.all():
        return np.full(key.shape, np.nan)
    group_size = np.bincount(group)
    if group_size.max() * len(group_size) <= 2 * len(key):  # table at most half padding
        return _rank_in_table(group, key, missing, group_size)
    return _rank_by_sorting(group, key, missing)


def stable_order(codes: np.ndarray) -> np.ndarray:
    """Return the permutation that sorts non-negative integer ``codes`` stably.

    A least-significant-digit radix sort in 16-bit digits: numpy's stable sort radix-sorts
    16-bit integers, several times faster than its merge sort on int64 codes.
    """
    codes = np.asarray(codes, dtype=np.int64)
    if len(codes) < 2 or (codes[1:] >= codes[:-1]).all():  # already in order (the store's)
        return np.arange(len(codes))
    top = int(codes.max(initial=0))
    order = np.argsort((codes & 0xFFFF).astype(np.uint16), kind="stable")
    shift = 16
    while top >> shift:
        digit = ((codes[order] >> shift) & 0xFFFF).astype(np.uint16)
        order = order[np.argsort(digit, kind="stable")]
        shift += 16
    return order


def nullable_int(numbers: np.ndarray) -> pd.arrays.IntegerArray:
    """Return whole numbers held as floats (NaN = missing) as a pandas Int64 array."""
    numbers = np.asarray(numbers, dtype=float)
    missing = np.isnan(numbers)
    return pd.arrays.IntegerArray(np.where(missing, 0, numbers).astype(np.int64), missing)


def require_columns(frame: pd.DataFrame, columns: Sequence[str], frame_name: str) -> None:
    """Raise MissingColumnsError naming the columns of ``columns`` that ``frame`` lacks."""
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise MissingColumnsError(
            f"{frame_name} lacks column(s) {missing}; it has {list(frame.columns)}. "
            f"Pass the frame the store returns for {frame_name}."
        )


def require_known_indicators(indicator_ids: Iterable, known_ids: Iterable, frame_name: str) -> None:
    """Raise UnknownIndicatorError naming the ids of ``indicator_ids`` missing from ``known_ids``.

    The one check that a frame's indicators are all in the indicator table handed in with it.
    """
    ids = pd.Index(pd.unique(np.asarray(list(indicator_ids), dtype=object)))
    unknown = sorted(map(str, ids[~ids.isin(list(known_ids))]))
    if unknown:
        raise UnknownIndicatorError(
            f"{frame_name} refer to {len(unknown)} indicator id(s) not in the indicator table: "
            f"{_preview(unknown)}. Pass the indicator table the {frame_name} were made from, or drop those rows."
        )


def restrict_to_group(
    frame: pd.DataFrame, authority_codes: Iterable[str] | None, column: str = "authority_code"
) -> pd.DataFrame:
    """Return the rows of ``frame`` whose ``column`` is in ``authority_codes`` (all if None)."""
    codes = _group_codes(authority_codes)
    return frame if codes is None else frame.loc[frame[column].isin(codes)]


def indicator_polarities(indicators: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Return ``(polarity, target_midpoint)`` Series indexed by indicator id, checked.

    Polarity is lower-cased and stripped; BadPolarityError for an unknown polarity or a
    ``target`` polarity without a midpoint, DuplicateKeyError for a repeated id.
    """
    require_columns(indicators, ("id", "polarity"), "indicators")
    ids = indicators["id"]
    if ids.duplicated().any():
        repeated = sorted(map(str, ids[ids.duplicated()].unique()))
        raise DuplicateKeyError(f"indicators lists id(s) {_preview(repeated)} more than once; keep one row each")
    polarity = indicators["polarity"].astype("str").str.strip().str.lower()
    polarity.index = pd.Index(ids)
    unknown = ~polarity.isin(POLARITIES)
    if unknown.any():
        bad = polarity[unknown]
        raise BadPolarityError(
            f"indicator(s) {_preview(list(map(str, bad.index)))} have polarity "
            f"{_preview(sorted(set(bad)))}; expected one of {list(POLARITIES)}"
        )
    if "target_midpoint" in indicators.columns:
        midpoint = pd.Series(
            indicators["target_midpoint"].to_numpy(dtype=float, na_value=np.nan),
            index=polarity.index,
        )
    else:
        midpoint = pd.Series(np.nan, index=polarity.index)
    no_midpoint = (polarity == "target") & midpoint.isna()
    if no_midpoint.any():
        raise BadPolarityError(
            f"indicator(s) {_preview(list(map(str, polarity.index[no_midpoint])))} have "
            "polarity 'target' but no target_midpoint; give the middle of the target band"
        )
    return polarity, midpoint


# -- Private helpers ----------------------------------------------------------------------


def _rank_in_table(group: np.ndarray, key: np.ndarray, missing: np.ndarray, group_size: np.ndarray) -> np.ndarray:
    """Rank keys in a group x slot table sorted row by row (see ``rank_within_groups``).

    Missing keys and padding are NaN, which ``min_rank_rows`` sorts after every key.
    """
    order = stable_order(group)  # each group's rows together, in their original order
    group_start = np.cumsum(group_size) - group_size
    slot = np.empty(len(key), dtype=np.int64)
    slot[order] = np.arange(len(key)) - group_start[group[order]]
    table = np.full((len(group_size), int(group_size.max())), np.nan)
    table[group, slot] = np.where(missing, np.nan, key)
    rank = min_rank_rows(table)[group, slot]
    rank[missing] = np.nan
    return rank


def min_rank_rows(table: np.ndarray) -> np.ndarray:
    """Return the "min" rank of each key within its row (1 = smallest; NaN stays NaN).

    The rule of ``rank_within_groups`` for keys laid out one group per row: each row is
    sorted once and a key's rank is where its run of equal keys starts. NaN sorts after
    every key (a genuine +inf key still gets its right rank).
    """
    table = np.asarray(table, dtype=float)
    if table.size == 0:
        return table.copy()
    nan = np.isnan(table)
    filled = np.where(nan, np.inf, table)
    order = np.argsort(filled, axis=1)  # any order of equal keys gives the same min rank
    ordered = np.take_along_axis(filled, order, axis=1)
    new_value = np.ones(table.shape, dtype=bool)
    np.not_equal(ordered[:, 1:], ordered[:, :-1], out=new_value[:, 1:])
    run_start = np.where(new_value, np.arange(table.shape[1]), 0)
    np.maximum.accumulate(run_start, axis=1, out=run_start)
    rank = np.empty(table.shape)
    np.put_along_axis(rank, order, (run_start + 1).astype(float), axis=1)
    rank[nan] = np.nan
    return rank


def _rank_by_sorting(group: np.ndarray, key: np.ndarray, missing: np.ndarray) -> np.ndarray:
    """Rank keys by sorting them all by group, then key (see ``rank_within_groups``)."""
    rank = np.full(key.shape, np.nan)
    n_keys = len(key) - int(missing.sum())
    if np.isposinf(key).any():  # rare: keep infinite keys apart from the missing ones
        ranked = np.flatnonzero(~missing)
        by_key = ranked[np.argsort(key[ranked], kind="quicksort")]
    else:  # missing keys as +inf sort last (faster than NaN); cut them off
        by_key = np.argsort(np.where(missing, np.inf, key), kind="quicksort")[:n_keys]
    order = by_key[stable_order(group[by_key])]  # by group, then by key
    sorted_group, sorted_key = group[order], key[order]
    # Where each group starts in the sorted rows (groups run in code order).
    group_size = np.bincount(sorted_group)
    group_start = (np.cumsum(group_size) - group_size)[sorted_group]
    # Where each run of equal keys starts: its first row's index, carried forward.
    new_value = np.empty(len(order), dtype=bool)
    new_value[0] = True
    np.not_equal(sorted_key[1:], sorted_key[:-1], out=new_value[1:])
    new_value[1:] |= sorted_group[1:] != sorted_group[:-1]
    value_start = np.where(new_value, np.arange(len(order)), 0)
    np.maximum.accumulate(value_start, out=value_start)
    rank[order] = value_start - group_start + 1
    return rank


def _group_codes(authority_codes: Iterable[str] | None) -> np.ndarray | None:
    """Return the comparator group's distinct codes (None for every authority); EmptyGroupError when empty."""
    if authority_codes is None:
        return None
    codes = pd.Index(list(authority_codes)).unique()
    if len(codes) == 0:
        raise EmptyGroupError(
            "authority_codes is empty: pass the comparator group's authority codes, or None to rank every authority"
        )
    return np.asarray(codes, dtype=object)


def _preview(items: Sequence[str], limit: int = 5) -> str:
    """Return up to ``limit`` items, quoted and comma-separated, with a count of the rest."""
    shown = ", ".join(repr(item) for item in list(items)[:limit])
    more = len(items) - limit
    return shown + (f" and {more} more" if more > 0 else "")
