"""Plausible figures: a new figure far outside what its indicator holds is refused at its row.

A percentage typed into an indicator measured as a share from 0 to 1 (58.4 where every other authority has 0.4 to
0.6), or a figure in the wrong unit or with its decimal point slipped, would move every rank of the indicator. So a
value of ``indicator_value`` is refused, naming the indicator's unit, its stored range and what to write, when:

- its indicator's unit is a share from 0 to 1 (``domain.is_share_unit``) and the figure is over 1;
- its indicator has no percentage unit and at least ``SHARE_EVIDENCE`` stored figures, all from 0 to 1, and the
  figure is over 1 (a share whose unit does not say so);
- the figure is more than ``FOLD`` times the largest stored figure of its indicator (in size, at least
  ``RANGE_EVIDENCE`` stored figures);
- its indicator's unit is a percentage (``domain.is_percent_unit``) with at least ``SHARE_EVIDENCE`` stored figures,
  all 1 or more, and the figure is over 0 and under 1 with its hundredfold inside the stored range (a share given
  for a percentage: 0.584 where the figures run 40 to 70). Zero, and a small figure whose hundredfold is outside the
  range, stay allowed.

The stored figures are the store's, read for the file's indicators only (``stored_ranges``); a file's figures are
never compared with each other, and an indicator the store holds no figure of is not checked. Published data stays
inside these bounds (``tests/test_real_imports.py``, ``tests/test_public_extract.py``).
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb
import numpy as np
import pandas as pd

from benchmarking.domain import is_percent_unit, is_share_unit
from benchmarking.ingest.keys import cell_codes
from benchmarking.ingest.results import CheckedRows
from benchmarking.ingest.rules import RowChecker

FOLD = 50
"""How many times the largest stored figure (in size) a new figure may be before it is refused."""
RANGE_EVIDENCE = 5
"""Stored figures an indicator needs before its range judges a new figure."""
SHARE_EVIDENCE = 20
"""Stored figures, all from 0 to 1, that make an indicator without a unit saying so read as a share; and stored
figures, all 1 or more, that make a figure under 1 of a percentage read as a share given for it."""


def stored_ranges(con: duckdb.DuckDBPyConnection, indicators: Iterable[str]) -> pd.DataFrame:
    """Return per stored indicator among ``indicators``: its unit, and the lowest, highest and number of its stored
    figures (columns id, unit, low, high, figures; indexed by id)."""
    ids = sorted({str(i) for i in indicators if isinstance(i, str)})
    frame = con.execute(
        "SELECT i.id, i.unit, min(v.value) AS low, max(v.value) AS high, count(v.value) AS figures "
        "FROM indicator AS i LEFT JOIN indicator_value AS v ON v.indicator_id = i.id "
        "WHERE i.id IN (SELECT unnest(?::VARCHAR[])) GROUP BY i.id, i.unit",
        [ids],
    ).df()
    return frame.set_index("id")


def check_plausible(frame: pd.DataFrame, file_name: str, outcome: CheckedRows, ranges: pd.DataFrame) -> CheckedRows:
    """Return ``outcome`` with the accepted values refused that are implausible for their indicator (the module's
    rules), each at its row and the value's column, naming the unit, the stored range and what to write."""
    rows = outcome.rows
    if outcome.blocking or ranges.empty or not {"indicator_id", "value"} <= set(rows.columns):
        return outcome
    # Per stored indicator (a few thousand), then taken per row by the indicator's position: no pass in Python
    # over the rows, whose indicator cells are encoded text or factorized once.
    codes, labels = cell_codes(rows["indicator_id"])
    at = ranges.index.get_indexer(labels.astype(object))
    where = (
        np.where(codes >= 0, at[np.maximum(codes.astype(np.int64), 0)], -1) if len(labels) else np.full(len(rows), -1)
    )
    value = rows["value"].to_numpy(dtype="float64")
    asked = (where >= 0) & ~np.isnan(value) & ~outcome.rejected
    if not asked.any():
        return outcome
    units = ranges["unit"].to_numpy(dtype=object)
    lows, highs = ranges["low"].to_numpy(float), ranges["high"].to_numpy(float)
    counts = ranges["figures"].fillna(0).to_numpy(float)
    percent = np.array([is_percent_unit(u) for u in units], dtype=bool)
    with np.errstate(invalid="ignore"):
        share_of = np.array([is_share_unit(u) for u in units], dtype=bool) | (
            ~percent & (counts >= SHARE_EVIDENCE) & (lows >= 0) & (highs <= 1)
        )
        percent_of = percent & (counts >= SHARE_EVIDENCE) & (lows >= 1)  # every stored figure a percentage
        largest_of = np.fmax(np.abs(lows), np.abs(highs))
    take = np.maximum(where, 0)
    shares, largest, figures = share_of[take], largest_of[take], counts[take]
    with np.errstate(invalid="ignore"):
        over_share = asked & shares & (value > 1)
        too_large = asked & ~over_share & (figures >= RANGE_EVIDENCE) & (largest > 0) & (np.abs(value) > FOLD * largest)
        too_small = asked & percent_of[take] & (value > 0) & (value < 1) if percent_of.any() else np.zeros_like(asked)
    if too_small.any():  # the few rows it may be: their hundredfold inside the range (rounded: 0.584 * 100 is 58.4)
        small = np.flatnonzero(too_small)
        hundredfold = np.round(value[small] * 100, 9)
        too_small[small] = (hundredfold >= lows[take[small]]) & (hundredfold <= highs[take[small]])
    refused = over_share | too_large | too_small
    if not refused.any():
        return outcome
    messages = pd.Series(None, index=rows.index, dtype=object)
    ids = ranges.index.to_numpy(dtype=object)
    kinds = np.select([over_share, too_small], ["share", "percent"], "large")
    for position in np.flatnonzero(refused):  # the refused rows only
        held = take[position]
        messages.iloc[position] = _message(
            ids[held], value[position], units[held], lows[held], highs[held], str(kinds[position])
        )
    check = RowChecker(file_name, frame)
    check.flag(refused, "value", messages)
    return CheckedRows(rows, [*outcome.issues, *check.issues], outcome.rejected | check.rejected, outcome.blocking)


def _message(indicator: str, value: float, unit: object, low: float, high: float, kind: str) -> str:
    """Return why a figure is refused (``kind``: 'share', 'percent' or 'large', the module's rules) and what to write
    instead."""
    measured = f"measured in {unit!r}" if isinstance(unit, str) and unit.strip() else "given without a unit"
    stored = f"its stored figures run from {low:g} to {high:g}"
    if kind == "share":
        return (
            f"value {value:g} is over 1, but indicator {indicator!r} is a share from 0 to 1 ({measured}; {stored}): "
            f"give the share, such as {value / 100:g} for {value:g}%"
        )
    if kind == "percent":
        return (
            f"value {value:g} is under 1, a share, but indicator {indicator!r} is a percentage ({measured}; {stored}): "
            f"give the percentage, such as {value * 100:g} for {value:g}"
        )
    return (
        f"value {value:g} is over {FOLD} times the largest figure the store holds for indicator {indicator!r} "
        f"({measured}; {stored}): check the unit and the decimal point, and give the figure in the indicator's unit"
    )
