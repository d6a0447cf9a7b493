"""Where an authority outside a comparator group would stand beside it, without changing the group.

A comparator group ranks its members only. When the focus authority is not a member (a
county council looking at the county unitaries, an authority outside a region or a saved
list), its row is shown *beside* the group: the members keep exactly the ranks and
positions they have among themselves, and the focus gets the place it would take.

Conventions (pure functions, DataFrames in, DataFrames out)
-----------------------------------------------------------
* **Would-be rank** on an indicator = the rank the focus would have had if it were ranked
  with the members: ``1 + the number of members strictly better`` (the engine's "min" rule,
  on the engine's keys, so ties with a member share the member's rank). It is NA when the
  focus has no value or no member is ranked. ``n_ranked`` on the focus row is the members'
  count (so "of N" counts the members: a focus below every member is "N+1th beside N"), and
  its ``quartile`` is the one it would have among the ``n_ranked + 1`` authorities had it
  been included.
* **Would-be position** on a theme, Overall or LA Core = the focus's own average of its
  would-be ranks (scaled as ``positions`` scales, over ``n_ranked + 1`` places), placed
  among the members' average ranks: ``1 + the number of positioned members whose average
  (rounded as ``positions`` rounds) is strictly lower``. Coverage is counted against the
  theme's indicators available to the members; below ``min_coverage`` there is no position.
  ``n_positioned`` is the members'. The averages compare like with like: a member's rank and
  the focus's would-be rank both count ``1 + the members strictly better`` (other than itself).
  This can differ from the position it would take if it were ranked *in* the group, where the
  members it beats each lose a place and their averages rise (demo, 2021/22: Leicestershire
  stands 2nd beside the 8 county unitaries on Overall, and would be 1st of 9 ranked with them).
* **Would-be context rank** (spend, funding, deprivation): the same rule on the context
  frame's value (highest first for spend and funding, lowest first for deprivation).

Every row these functions return carries ``in_group = False``; ``mark_members`` adds
``in_group = True`` to the members' rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from benchmarking.method import sql
from benchmarking.method.baskets import ALL, INDICATORS, Basket, require_balance, weights_of
from benchmarking.method.positions import average_rank_key, average_ranks, scaled_ranks
from benchmarking.method.ranking import (
    figures_sql,
    indicator_polarities,
    nullable_int,
    polarity_table,
    quartile,
    ranking_key_sql,
    require_columns,
)

IN_GROUP = "in_group"
"""The column that says whether a row's authority is a member of the comparator group."""


def mark_members(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``frame`` with ``in_group = True`` on every row (the group's own rows)."""
    return frame.assign(**{IN_GROUP: True})


def would_be_rank(
    member_key: np.ndarray, member_group: np.ndarray, outside_key: np.ndarray, outside_group: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Return (would-be rank, members ranked) for each outside key: ``1 + members in its group
    with a strictly smaller key`` (NaN when its key is NaN or no member has a key).

    Keys are best-first (smaller = better), NaN = not ranked; groups are integer codes. Each
    outside key is placed among the members alone, never among the other outside keys.
    """
    member_key = np.asarray(member_key, dtype=float)
    member_group = np.asarray(member_group, dtype=np.int64)
    outside_key = np.asarray(outside_key, dtype=float)
    outside_group = np.asarray(outside_group, dtype=np.int64)
    n_groups = int(max(member_group.max(initial=-1), outside_group.max(initial=-1))) + 1
    ranked = ~np.isnan(member_key)
    n_ranked = np.bincount(member_group[ranked], minlength=n_groups)
    placed = ~np.isnan(outside_key)
    # One sort of members and outside keys by group, then key, an outside key before equal
    # member keys: the members before it in its group are those strictly better.
    group = np.concatenate([member_group[ranked], outside_group[placed]])
    key = np.concatenate([member_key[ranked], outside_key[placed]])
    is_member = np.concatenate([np.ones(int(ranked.sum()), dtype=np.int64), np.zeros(int(placed.sum()), np.int64)])
    order = np.lexsort((is_member, key, group))
    members_before = np.empty(len(order), dtype=np.int64)
    members_before[order] = np.cumsum(is_member[order]) - is_member[order]
    group_start = np.cumsum(n_ranked) - n_ranked
    n_better = members_before[int(ranked.sum()) :] - group_start[outside_group[placed]]
    counted = n_ranked[outside_group]
    rank = np.full(len(outside_key), np.nan)
    rank[placed] = 1.0 + n_better
    rank[counted == 0] = np.nan
    return rank, counted


def ranks_beside(
    member_ranks: pd.DataFrame, outside_values: pd.DataFrame, indicators: pd.DataFrame, decimals: int | None = None
) -> pd.DataFrame:
    """Return the outside authority's would-be rank rows beside ``member_ranks`` (from
    ``ranking.indicator_ranks`` over the members), in the same columns plus ``in_group`` (False).

    ``outside_values``: its rows of values (indicator_id, authority_code, period, value[, period_start]);
    ``none``-polarity indicators are left out, as the engine leaves them out.
    """
    require_columns(member_ranks, ("indicator_id", "period", "value"), "member ranks")
    require_columns(outside_values, ("indicator_id", "authority_code", "period", "value"), "values")
    polarity, midpoint = indicator_polarities(indicators)
    rows = outside_values[outside_values["indicator_id"].map(polarity).fillna("none") != "none"]
    columns = [c for c in member_ranks.columns if c in ("indicator_id", "authority_code", "period", "period_start")]
    out = rows[[c for c in columns if c in rows.columns]].reset_index(drop=True)
    out["value"] = rows["value"].to_numpy(dtype=float, na_value=np.nan)

    def table(frame: pd.DataFrame) -> pa.Table:
        names = ("indicator_id", "period", "value")
        return sql.arrow_table({"row": np.arange(len(frame), dtype=np.int64)} | {n: frame[n] for n in names})

    placed = sql.run(
        ranks_beside_sql("m", "o", "indicators", decimals),
        {"m": table(member_ranks), "o": table(out), "indicators": polarity_table(polarity, midpoint)},
    )
    rank = sql.numbers(placed, "rank")
    n_ranked = sql.integers(placed, "n_ranked")
    out["rank"] = nullable_int(rank)
    out["n_ranked"] = n_ranked
    out["quartile"] = nullable_int(quartile(rank, n_ranked + 1))
    out[IN_GROUP] = False
    return out[[c for c in member_ranks.columns if c != IN_GROUP] + [IN_GROUP]]


def ranks_beside_sql(members: str, outside: str, indicators: str, decimals: int | None = None) -> str:
    """Return the SQL of each outside row's would-be ``rank`` (1 + the members strictly better on
    its indicator and period; NULL when its value is missing or no member is ranked) and
    ``n_ranked`` (the members ranked), by its ``row``, in row order.

    ``members`` and ``outside`` name rows (indicator_id, period, value; ``outside`` also ``row``);
    ``indicators`` a ``polarity_table``. Each outside key meets only its own cell's member keys.
    """
    key = ranking_key_sql("f.figure", "f")
    outside_rows = f"""SELECT o.row, o.indicator_id, o.period, o.value, i.polarity, i.target_midpoint
          FROM {outside} o JOIN {indicators} i ON o.indicator_id = i.id"""
    member_rows = f"""SELECT m.indicator_id, m.period, m.value, i.polarity, i.target_midpoint
          FROM {members} m JOIN {indicators} i ON m.indicator_id = i.id"""
    return f"""WITH outside AS (
          SELECT f.row, f.indicator_id, f.period, {key} AS key FROM ({figures_sql(f"({outside_rows})", decimals)}) f),
        members AS (
          SELECT f.indicator_id, f.period, {key} AS key FROM ({figures_sql(f"({member_rows})", decimals)}) f)
        SELECT o.row, count(m.key) AS n_ranked,
               CASE WHEN o.key IS NOT NULL AND count(m.key) > 0
                    THEN 1 + count(m.key) FILTER (WHERE m.key < o.key) END AS rank
        FROM outside o LEFT JOIN members m ON m.indicator_id = o.indicator_id AND m.period = o.period
        GROUP BY o.row, o.key
        ORDER BY o.row"""


def positions_beside(
    member_positions: pd.DataFrame,
    outside_ranks: pd.DataFrame,
    indicators: pd.DataFrame,
    scaled: bool = False,
    min_coverage: float = 0.5,
    basket: Basket = ALL,
    balance: str = INDICATORS,
) -> pd.DataFrame:
    """Return the outside authority's would-be position rows beside ``member_positions`` (from
    ``positions.positions`` over the members' ranks), in the same columns plus ``in_group`` (False).

    ``outside_ranks``: its rows from ``ranks_beside``. One row per period and theme the members
    are positioned on in a period the outside authority has ranks in.
    """
    require_columns(outside_ranks, ("indicator_id", "authority_code", "period", "rank", "n_ranked"), "outside ranks")
    if outside_ranks.empty or member_positions.empty:
        return member_positions.iloc[0:0].assign(**{IN_GROUP: pd.Series(dtype=bool)})
    code = outside_ranks["authority_code"].iloc[0]
    themes = indicators.set_index("id")
    ranked = outside_ranks[outside_ranks["rank"].notna()]
    rank = ranked["rank"].to_numpy(dtype=float)
    if scaled:  # stretched over the n_ranked + 1 places it would share, to the members' span
        size = member_positions.groupby("period")["authority_code"].nunique()
        rank = scaled_ranks(rank, ranked["n_ranked"].to_numpy(dtype=float) + 1, ranked["period"].map(size).to_numpy())
    weight = weights_of(ranked["indicator_id"], basket)
    scores = pd.DataFrame(
        {
            "period": ranked["period"].to_numpy(),
            "theme": ranked["indicator_id"].map(themes["theme"]).to_numpy(),
            "is_core": ranked["indicator_id"].map(themes["is_core"]).fillna(False).astype(bool).to_numpy(),
            "authority_code": code,
            "score": rank,
            "weight": weight,
        }
    )
    average = (
        average_ranks(scores, require_balance(balance)).drop(columns="authority_code").set_index(["period", "theme"])
    )
    cells = member_positions.drop_duplicates(["period", "theme"]).drop(
        columns=["authority_code", "average_rank", "n_indicators", "coverage", "position"]
    )
    cells = cells[cells["period"].isin(set(outside_ranks["period"]))]
    out = cells.merge(average.reset_index(), on=["period", "theme"], how="left")
    out["authority_code"] = code
    out["n_indicators"] = out["n_indicators"].fillna(0).astype(np.int64)
    out["coverage"] = out["n_indicators"] / out["n_available"]
    eligible = (out["n_indicators"] > 0) & (out["coverage"] >= min_coverage)
    member_key = average_rank_key(member_positions["average_rank"], member_positions["position"].notna())
    pairs = pd.concat([member_positions[["period", "theme"]], out[["period", "theme"]]], ignore_index=True)
    group = pairs.groupby(["period", "theme"], sort=False).ngroup().to_numpy()
    n_members = len(member_positions)
    position, _ = would_be_rank(
        member_key, group[:n_members], average_rank_key(out["average_rank"], eligible), group[n_members:]
    )
    out["position"] = nullable_int(position)
    out[IN_GROUP] = False
    return out[[c for c in member_positions.columns if c != IN_GROUP] + [IN_GROUP]]


def context_beside(
    member_frame: pd.DataFrame, outside_frame: pd.DataFrame, by: list[str], highest_first: bool
) -> pd.DataFrame:
    """Return ``outside_frame`` (context rows: ``by`` columns, authority_code, value) with the
    would-be ``rank`` and ``n_ranked`` among ``member_frame``'s values in the same ``by`` cell,
    and ``in_group`` (False)."""
    out = outside_frame.reset_index(drop=True).copy()
    if out.empty:
        return out.assign(**{IN_GROUP: pd.Series(dtype=bool)})
    pairs = pd.concat([member_frame[by], out[by]], ignore_index=True)
    group = pairs.groupby(by, sort=False, dropna=False).ngroup().to_numpy()

    def key(frame: pd.DataFrame) -> np.ndarray:
        value = frame["value"].to_numpy(dtype=float, na_value=np.nan)
        return -value if highest_first else value

    n_members = len(member_frame)
    rank, n_ranked = would_be_rank(key(member_frame), group[:n_members], key(out), group[n_members:])
    out["rank"] = nullable_int(rank)
    out["n_ranked"] = n_ranked.astype(np.int64)
    out[IN_GROUP] = False
    return out
