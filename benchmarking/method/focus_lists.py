"""The focus authority's lists and counts for the dashboards: quartiles, bottom-quartile and improvement
lists, and direction-of-travel counts, per theme.

Pure functions over the ranks (``ranking.indicator_ranks``) and the direction of travel (``travel``).

Conventions
-----------
* **Latest period.** Lists and counts for a focus authority use, for each indicator, the
  latest period (by ``period_start``) in which the indicator has data for anyone in the
  frame (ranked: ``n_ranked > 0``; travel: any value), unless ``period`` is given. Period
  labels differ between indicators (``2021/22``, ``2021``, ``Mar 2022``), so one label
  cannot serve them all.
* **Improvement since previous year**: the indicator was in the 4th quartile for the
  focus authority in the indicator's previous ranked period and is now in a better
  quartile; with ``min_rank_gain`` also when it gained at least that many places while
  staying in the 4th quartile (the Compendium lists "% municipal waste landfilled" both as
  improved and as still bottom quartile, so it used a rule of that kind; it does not
  state the threshold, hence off by default). And its figure improved: its direction of
  travel (``travel``, the one rule of "improved") is improved, so a rank gained only because
  others fell, or because the group grew, is not listed as an improvement while the
  direction of travel counts it as worsened.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from benchmarking.errors import BadArgumentError, BadPeriodError, UnknownAuthorityError
from benchmarking.method.positions import OVERALL
from benchmarking.method.ranking import require_columns
from benchmarking.method.travel import DIRECTIONS, IMPROVED, NOT_COMPARABLE

QUARTILES = (1, 2, 3, 4)


# ---------------------------------------------------------------------------------------
# Lists and counts for a focus authority
# ---------------------------------------------------------------------------------------


def bottom_quartile(
    ranks: pd.DataFrame,
    indicators: pd.DataFrame,
    authority_code: str,
    period: str | None = None,
    current: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Return the focus authority's 4th-quartile indicators, grouped by theme.

    Uses each indicator's latest ranked period unless ``period`` is given (``current``: the
    ``focus_rows`` of the same arguments, when the caller has them). Columns:
    ``theme``, ``indicator_id``, ``name``, ``period``, ``value``, ``rank``, ``n_ranked``,
    ``quartile``; sorted by theme, then indicator name.
    """
    current = focus_rows(ranks, indicators, authority_code, period) if current is None else current
    result = current.loc[current["quartile"] == 4]
    return result[["theme", "indicator_id", "name", "period", "value", "rank", "n_ranked", "quartile"]].sort_values(
        ["theme", "name"], ignore_index=True
    )


def improvement_since_previous(
    ranks: pd.DataFrame,
    travel: pd.DataFrame,
    indicators: pd.DataFrame,
    authority_code: str,
    period: str | None = None,
    min_rank_gain: int | None = None,
    current: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Return indicators that were bottom quartile for the focus authority and have improved.

    Previous = the indicator's ranked period just before the current one (its latest, or
    ``period``; ``current``: the ``focus_rows`` of the same arguments, when the caller has them).
    Included when the previous quartile was 4 and the current one is better,
    or (with ``min_rank_gain``) the rank rose by at least that many places, and the focus
    authority's direction of travel there (``travel``, from ``direction_of_travel`` over the
    same periods as ``ranks``) is improved. Columns:
    ``theme``, ``indicator_id``, ``name``, ``previous_period``, ``previous_rank``,
    ``previous_n_ranked``, ``previous_quartile``, ``period``, ``rank``, ``quartile``,
    ``n_ranked``, ``places_gained`` (previous_rank - rank); sorted by theme, then name.
    """
    if min_rank_gain is not None and min_rank_gain < 1:
        raise BadArgumentError(f"min_rank_gain must be a positive number of places, got {min_rank_gain!r}")
    current = focus_rows(ranks, indicators, authority_code, period) if current is None else current
    previous = _previous_ranks(ranks, current, authority_code)
    require_columns(travel, ("indicator_id", "authority_code", "period", "direction"), "travel")
    focus_travel = travel.loc[travel["authority_code"] == authority_code, ["indicator_id", "period", "direction"]]
    both = current.merge(previous, on="indicator_id").merge(focus_travel, on=["indicator_id", "period"], how="left")
    both["places_gained"] = both["previous_rank"] - both["rank"]
    was_bottom = both["previous_quartile"] == 4
    improved = both["quartile"] < 4
    if min_rank_gain is not None:
        improved = improved | (both["places_gained"] >= min_rank_gain)
    figure_improved = both["direction"].astype(object) == IMPROVED
    result = both.loc[(was_bottom & improved & figure_improved).fillna(False).astype(bool)]
    return result[
        [
            "theme",
            "indicator_id",
            "name",
            "previous_period",
            "previous_rank",
            "previous_n_ranked",
            "previous_quartile",
            "period",
            "rank",
            "quartile",
            "n_ranked",
            "places_gained",
        ]
    ].sort_values(["theme", "name"], ignore_index=True)


def quartile_counts(
    ranks: pd.DataFrame,
    indicators: pd.DataFrame,
    authority_code: str,
    period: str | None = None,
    current: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Return how many of the focus authority's indicators sit in each quartile, per theme.

    Counts indicators with a quartile in their latest ranked period (or ``period``; ``current``:
    the ``focus_rows`` of the same arguments, when the caller has them).
    Columns: ``theme`` ('Overall' first, then A-Z), ``quartile`` (1-4, every one listed),
    ``n_indicators``, ``share`` (of the theme's indicators with a quartile; NaN if none).
    """
    current = focus_rows(ranks, indicators, authority_code, period) if current is None else current
    current = current.dropna(subset=["quartile"])
    current = current.assign(quartile=current["quartile"].astype(int))
    return theme_counts(current, "quartile", QUARTILES, indicators)


def direction_counts(
    travel: pd.DataFrame,
    indicators: pd.DataFrame,
    authority_code: str,
    period: str | None = None,
) -> pd.DataFrame:
    """Return how many of the focus authority's indicators improved, did not change, worsened
    or were not comparable, per theme.

    ``travel`` comes from ``direction_of_travel``. Each indicator counts once, in its
    latest period with a value for anyone (or ``period``); when the focus authority has
    no value there it counts as not comparable. Columns: ``theme`` ('Overall' first),
    ``direction`` (all four listed), ``n_indicators``, ``share``.
    """
    require_columns(
        travel, ("indicator_id", "authority_code", "period", "period_start", "value", "direction"), "travel"
    )
    in_period, is_focus = _period_and_focus(travel, authority_code, period)
    if period is None:  # every row: each indicator's latest period with a value for anyone
        with_data = travel.loc[travel["value"].notna(), ["indicator_id", "period", "period_start"]]
        periods = _latest_period(with_data.drop_duplicates(["indicator_id", "period"]), None)
        focus = travel.loc[is_focus, ["indicator_id", "period", "direction"]]
        current = periods.merge(focus, on=["indicator_id", "period"], how="left")
    else:  # one period: its indicators with a value for anyone, and the focus authority's direction in each
        with_data = np.flatnonzero(in_period & travel["value"].notna().to_numpy())
        focus = np.flatnonzero(in_period & is_focus)
        indicator_ids = pd.Index(travel["indicator_id"].array.take(with_data)).unique()
        at = pd.Index(travel["indicator_id"].array.take(focus)).get_indexer(indicator_ids)
        directions = travel["direction"].array.take(focus).take(at, allow_fill=True)
        current = pd.DataFrame({"indicator_id": indicator_ids, "direction": directions})
    current["direction"] = current["direction"].astype(object).fillna(NOT_COMPARABLE)
    current = _with_catalogue(current, indicators)
    return theme_counts(current, "direction", DIRECTIONS, indicators)


# ---------------------------------------------------------------------------------------
# Private helpers
# ---------------------------------------------------------------------------------------


def _ranked_periods(ranks: pd.DataFrame) -> pd.DataFrame:
    """Return the distinct (indicator_id, period, period_start) with n_ranked > 0."""
    require_columns(ranks, ("indicator_id", "period", "period_start", "n_ranked"), "ranks")
    ranked = ranks.loc[ranks["n_ranked"] > 0, ["indicator_id", "period", "period_start"]]
    return ranked.drop_duplicates(["indicator_id", "period"])


def _latest_period(periods: pd.DataFrame, period: str | None) -> pd.DataFrame:
    """Return one (indicator_id, period, period_start) per indicator: ``period`` or the latest."""
    if period is not None:
        return periods.loc[periods["period"] == period].drop_duplicates("indicator_id")
    return periods.sort_values("period_start").drop_duplicates("indicator_id", keep="last")


def focus_rows(
    ranks: pd.DataFrame, indicators: pd.DataFrame, authority_code: str, period: str | None = None
) -> pd.DataFrame:
    """Return the focus authority's rank rows in each indicator's current period (its latest ranked period, or
    ``period``) with theme, name and unit: what every list and count of the focus reads. Indicators without a
    row for the authority there are left out."""
    require_columns(
        ranks,
        ("indicator_id", "authority_code", "period", "period_start", "value", "rank", "n_ranked", "quartile"),
        "ranks",
    )
    in_period, is_focus = _period_and_focus(ranks, authority_code, period)
    if period is None:
        current = _latest_period(_ranked_periods(ranks), period)
        focus = ranks.loc[is_focus, ["indicator_id", "period", "value", "rank", "n_ranked", "quartile"]]
        return _with_catalogue(current.merge(focus, on=["indicator_id", "period"]), indicators)
    # One period: the focus authority's rows of the indicators ranked in it, in the order in which the
    # indicators first have a ranked row (the order the merge above gives), found by code, not by merging text.
    rows = np.flatnonzero(in_period)
    codes, _ = pd.factorize(ranks["indicator_id"].array.take(rows))
    ranked_codes, first_row = np.unique(codes[ranks["n_ranked"].to_numpy()[rows] > 0], return_index=True)
    order_of = np.full(codes.max(initial=-1) + 2, -1)  # the last slot stands for a missing id (code -1)
    order_of[ranked_codes[ranked_codes >= 0]] = np.argsort(np.argsort(first_row[ranked_codes >= 0]))
    mine = np.flatnonzero(is_focus[rows])
    order = order_of[codes[mine]]
    mine = rows[mine[order >= 0][np.argsort(order[order >= 0], kind="stable")]]
    columns = ["indicator_id", "period", "period_start", "value", "rank", "n_ranked", "quartile"]
    return _with_catalogue(ranks[columns].iloc[mine].reset_index(drop=True), indicators)


def _period_and_focus(frame: pd.DataFrame, authority_code: str, period: str | None) -> tuple[np.ndarray, np.ndarray]:
    """Return the masks of ``frame``'s rows of ``period`` (every row when None) and of the focus authority's
    rows; raise UnknownAuthorityError / BadPeriodError when the focus or the period is not in ``frame``."""
    is_focus = (frame["authority_code"] == authority_code).to_numpy(dtype=bool, na_value=False)
    if not is_focus.any():
        known = sorted(map(str, frame["authority_code"].unique()))
        raise UnknownAuthorityError(
            f"authority {authority_code!r} has no rows here; it holds {len(known)} "
            f"authorities, e.g. {known[:5]}. Check the code and the comparator group."
        )
    if period is None:
        return np.ones(len(frame), dtype=bool), is_focus
    in_period = (frame["period"] == period).to_numpy(dtype=bool, na_value=False)
    if not in_period.any():
        known = sorted(map(str, frame["period"].unique()))
        raise BadPeriodError(f"period {period!r} has no rows; periods held: {known}")
    return in_period, is_focus


def _previous_ranks(ranks: pd.DataFrame, current: pd.DataFrame, authority_code: str) -> pd.DataFrame:
    """Return the focus authority's rows in each current indicator's previous ranked period (the latest period
    before the current one in which anyone is ranked): indicator_id, previous_period, previous_rank,
    previous_n_ranked and previous_quartile (indicators without such a row are left out)."""
    require_columns(ranks, ("indicator_id", "authority_code", "period", "period_start", "n_ranked"), "ranks")
    codes, ids = pd.factorize(ranks["indicator_id"])
    starts = ranks["period_start"].to_numpy(dtype="datetime64[ns]").view(np.int64)
    never = np.iinfo(np.int64).min  # NaT, and "no period" below
    now = np.full(len(ids) + 1, never)  # the last slot stands for a missing id (code -1)
    at = pd.Index(ids).get_indexer(current["indicator_id"])
    now[at[at >= 0]] = current["period_start"].to_numpy(dtype="datetime64[ns]").view(np.int64)[at >= 0]
    earlier = np.flatnonzero((ranks["n_ranked"].to_numpy() > 0) & (starts < now[codes]) & (starts != never))
    latest = np.full(len(ids) + 1, never)
    np.maximum.at(latest, codes[earlier], starts[earlier])
    is_focus = (ranks["authority_code"] == authority_code).to_numpy(dtype=bool, na_value=False)
    rows = np.flatnonzero(is_focus & (starts == latest[codes]) & (latest[codes] != never))
    return pd.DataFrame(
        {
            "indicator_id": ranks["indicator_id"].array.take(rows),
            "previous_period": ranks["period"].array.take(rows),
            "previous_rank": ranks["rank"].array.take(rows),
            "previous_n_ranked": ranks["n_ranked"].array.take(rows),
            "previous_quartile": ranks["quartile"].array.take(rows),
        }
    )


def _with_catalogue(frame: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with each indicator's ``theme``, ``name`` and (when the catalogue has it) ``unit`` added."""
    require_columns(indicators, ("id", "theme"), "indicators")
    about = {"theme": indicators["theme"], "name": indicators["name"] if "name" in indicators else indicators["id"]}
    if "unit" in indicators:
        about["unit"] = indicators["unit"]
    at = pd.Index(indicators["id"]).get_indexer(frame["indicator_id"])  # ids are the catalogue's key
    return frame.assign(**{column: values.array.take(at, allow_fill=True) for column, values in about.items()})


def theme_counts(frame: pd.DataFrame, column: str, categories: tuple, indicators: pd.DataFrame) -> pd.DataFrame:
    """Return theme x category counts of ``frame`` (every pair listed), 'Overall' first."""
    themes = [OVERALL, *sorted(map(str, indicators["theme"].dropna().unique()))]
    category = pd.Index(list(categories)).get_indexer(frame[column])
    theme = pd.Index(themes[1:]).get_indexer(frame["theme"]) + 1  # 0: no theme listed (counted in Overall alone)
    counted = np.zeros((len(themes), len(categories)), dtype=np.int64)
    listed = category >= 0
    np.add.at(counted, (theme[listed], category[listed]), 1)
    counted[0] = np.bincount(category[listed], minlength=len(categories))
    totals = np.repeat(counted.sum(axis=1), len(categories)).astype(float)
    return pd.DataFrame(
        {
            "theme": pd.Index(themes).take(np.repeat(np.arange(len(themes)), len(categories))),
            column: pd.Index(list(categories)).take(np.tile(np.arange(len(categories)), len(themes))),
            "n_indicators": counted.ravel(),
            "share": counted.ravel() / np.where(totals > 0, totals, np.nan),
        }
    )
