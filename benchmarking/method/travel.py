"""Direction of travel: each value against the same authority's previous value with data.

Pure functions. Direction of travel compares each value with the same authority's value
for the same indicator in its previous period *with data*, following polarity as the
dashboards' arrows do (a rise in a ``low`` polarity indicator is "worsened"). The focus
authority's lists and counts built on it and on the ranks are ``focus``.

Conventions
-----------
* **No real change**: ``|change in the good direction| <= max(tolerance * |previous
  value|, absolute_tolerance)``; defaults 1% of the previous value, and 1e-9 so that a
  previous value of 0 still needs a real change. For ``target`` polarity the change is the
  fall in distance from ``target_midpoint`` (closer = improved), measured against the
  same threshold. Gain and threshold are compared as published figures (12 significant
  figures, ``ranking.published``), so binary noise cannot push a change over the boundary.
* **Not comparable**: no current value, no earlier value, or ``none`` polarity.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from benchmarking.errors import BadArgumentError, BadPeriodError
from benchmarking.method.figures import published
from benchmarking.method.ranking import (
    indicator_polarities,
    require_columns,
    require_known_indicators,
    restrict_to_group,
    stable_order,
)

IMPROVED, NO_REAL_CHANGE, WORSENED, NOT_COMPARABLE = (
    "improved",
    "no real change",
    "worsened",
    "not comparable",
)
DIRECTIONS = (IMPROVED, NO_REAL_CHANGE, WORSENED, NOT_COMPARABLE)


# ---------------------------------------------------------------------------------------
# Direction of travel
# ---------------------------------------------------------------------------------------


def direction_of_travel(
    values: pd.DataFrame,
    indicators: pd.DataFrame,
    authority_codes: Iterable[str] | None = None,
    tolerance: float = 0.01,
    absolute_tolerance: float = 1e-9,
) -> pd.DataFrame:
    """Return every value's direction of travel against the authority's previous value.

    Columns: ``indicator_id``, ``authority_code``, ``period``, ``period_start``, ``value``,
    ``previous_period`` (the latest earlier period with a value; NA if none, or if this
    row has no value),
    ``previous_value``, ``change`` (value - previous_value, raw), ``direction``
    (categorical: improved / no real change / worsened / not comparable).
    Rows keep the order of ``values``.
    """
    require_columns(values, ("indicator_id", "authority_code", "period", "period_start", "value"), "values")
    if tolerance < 0 or absolute_tolerance < 0:
        raise BadArgumentError(
            f"tolerance and absolute_tolerance must be >= 0, got {tolerance!r}, {absolute_tolerance!r}"
        )
    polarity, midpoint = indicator_polarities(indicators)
    values = restrict_to_group(values, authority_codes)

    indicator_code, indicator_ids = pd.factorize(values["indicator_id"])
    require_known_indicators(indicator_ids, polarity.index, "values")
    known = pd.Index(polarity.index).get_indexer(indicator_ids)
    authority_code, authorities = pd.factorize(values["authority_code"])
    start_code, _ = pd.factorize(values["period_start"], sort=True)
    if (start_code < 0).any():
        undated = sorted(map(str, values.loc[start_code < 0, "period"].unique()))
        raise BadPeriodError(
            f"period(s) {undated[:5]} have no period_start, so they cannot be put in order; "
            "add them to the period table"
        )
    value = values["value"].to_numpy(dtype=float, na_value=np.nan, copy=True)  # output's own

    # Sort the rows with a value by indicator, authority and period start; the row before
    # in the same indicator x authority series is the previous period with data.
    with_value = np.flatnonzero(~np.isnan(value))
    series = indicator_code[with_value].astype(np.int64) * len(authorities)
    series += authority_code[with_value]
    chronological = series * (start_code.max(initial=0) + 1) + start_code[with_value]
    in_order = bool((chronological[1:] >= chronological[:-1]).all())  # the store's order
    order = np.arange(len(chronological)) if in_order else stable_order(chronological)
    sorted_rows, sorted_series = with_value[order], series[order]
    same_series = np.zeros(len(sorted_rows), dtype=bool)
    same_series[1:] = sorted_series[1:] == sorted_series[:-1]
    previous_row = np.full(len(value), -1, dtype=np.int64)
    previous_row[sorted_rows[same_series]] = sorted_rows[np.flatnonzero(same_series) - 1]

    has_previous = previous_row >= 0
    previous_value = np.where(has_previous, value[previous_row], np.nan)
    # Gain = change in the good direction; compared per indicator, taken to rows by code.
    polarity_of = polarity.to_numpy()[known]
    sign = np.select([polarity_of == "high", polarity_of == "low"], [1.0, -1.0], np.nan)
    change = value - previous_value
    gain = change * sign[indicator_code]
    is_target = (polarity_of == "target")[indicator_code]
    if is_target.any():
        target_midpoint = midpoint.to_numpy()[known][indicator_code[is_target]]
        gain[is_target] = np.abs(previous_value[is_target] - target_midpoint) - np.abs(
            value[is_target] - target_midpoint
        )
    # Gain and band compared as published figures (``ranking.published``), as ranks compare
    # values: 0.303 - 0.3 is 0.0030000000000000027 in binary, exactly 1% of 0.3 as published.
    gain = published(gain)
    threshold = published(np.maximum(tolerance * np.abs(previous_value), absolute_tolerance))
    codes = np.select([np.isnan(gain), gain > threshold, gain < -threshold], [3, 0, 2], 1).astype(np.int8)

    # Label columns as arrays (copied: shallow for Arrow strings); every other array is new.
    return pd.DataFrame(
        {
            "indicator_id": values["indicator_id"].array.copy(),
            "authority_code": values["authority_code"].array.copy(),
            "period": values["period"].array.copy(),
            "period_start": values["period_start"].array.copy(),
            "value": value,
            "previous_period": _labels_at(values["period"], previous_row, nearby=in_order),
            "previous_value": previous_value,
            "change": change,
            "direction": pd.Categorical.from_codes(codes, categories=list(DIRECTIONS)),
        },
        copy=False,
    )


def _labels_at(column: pd.Series, rows: np.ndarray, nearby: bool):
    """Return ``column``'s labels at positions ``rows`` (-1 gives NA), in the column's dtype.

    When the rows are scattered (``nearby`` False) the few distinct labels are taken first
    and indexed by code: a random gather over millions of strings is several times slower.
    """
    if nearby:
        return column.array.take(rows, allow_fill=True)
    codes, _ = pd.factorize(column)
    first_rows = pd.Series(codes).drop_duplicates().index.to_numpy()
    labels = column.array.take(first_rows)  # label of code k at position k
    return labels.take(np.where(rows >= 0, codes[rows], -1), allow_fill=True)
