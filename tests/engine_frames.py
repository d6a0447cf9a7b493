"""Tiny builders for the ranking engine's input frames, and hypothesis strategies for them.

The builders take the few numbers a test cares about and fill in every other column the
store returns, so hand-worked cases read as tables:

    values_frame({"I1": {"A": 9, "B": 7}}, period="2021/22")
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from hypothesis import strategies as st

PERIOD_STARTS = {
    "2018/19": "2018-04-01",
    "2019/20": "2019-04-01",
    "2020/21": "2020-04-01",
    "2021/22": "2021-04-01",
    "2021": "2021-01-01",
}
LATEST = "2021/22"


# ---------------------------------------------------------------------------------------
# Builders
# ---------------------------------------------------------------------------------------


def indicators_frame(rows: dict[str, dict] | list[str], **defaults) -> pd.DataFrame:
    """Return an indicators frame; ``rows`` maps id -> overrides (or is a list of ids).

    Defaults: theme 'Economy', polarity 'high', is_core True, no target_midpoint.
    """
    if not isinstance(rows, dict):
        rows = {indicator_id: {} for indicator_id in rows}
    base = {
        "theme": "Economy",
        "outcome": None,
        "polarity": "high",
        "target_midpoint": math.nan,
        "unit": "%",
        "source": "test",
        "is_core": True,
        "description": None,
    } | defaults
    records = [
        {"id": indicator_id, "name": f"Indicator {indicator_id}"} | base | overrides
        for indicator_id, overrides in rows.items()
    ]
    frame = pd.DataFrame.from_records(records)
    frame["target_midpoint"] = frame["target_midpoint"].astype(float)
    frame["is_core"] = frame["is_core"].astype(bool)
    return frame


def values_frame(table: dict[str, dict[str, float | None]], period: str = LATEST) -> pd.DataFrame:
    """Return a values frame from ``{indicator_id: {authority_code: value}}`` for one period.

    ``None`` or NaN is a missing value (the row is still there).
    """
    records = [
        {
            "indicator_id": indicator_id,
            "authority_code": authority_code,
            "period": period,
            "value": math.nan if value is None else float(value),
            "status": "final",
        }
        for indicator_id, by_authority in table.items()
        for authority_code, value in by_authority.items()
    ]
    frame = pd.DataFrame.from_records(records, columns=["indicator_id", "authority_code", "period", "value", "status"])
    frame["value"] = frame["value"].astype(float)
    frame["period_start"] = pd.to_datetime(frame["period"].map(PERIOD_STARTS))
    return frame


def values_over_periods(table: dict[str, dict[str, dict[str, float | None]]]) -> pd.DataFrame:
    """Return a values frame from ``{period: {indicator_id: {authority_code: value}}}``."""
    return pd.concat(
        [values_frame(by_indicator, period) for period, by_indicator in table.items()],
        ignore_index=True,
    )


def ranks_as_given(table: dict[str, dict[str, float | None]], period: str = LATEST):
    """Return (values, indicators) whose ranks equal the numbers in ``table`` ('low' polarity).

    Handy for positions tests: with 'low' polarity and distinct small integers the rank of
    each value is the value itself when the numbers run 1..n.
    """
    indicators = indicators_frame(list(table), polarity="low")
    return values_frame(table, period), indicators


# ---------------------------------------------------------------------------------------
# Hypothesis strategies
# ---------------------------------------------------------------------------------------

AUTHORITIES = [f"A{i}" for i in range(8)]
THEMES = ["Economy", "Transport", "Health"]


@st.composite
def ranking_inputs(
    draw,
    polarities=("high", "low", "target", "none"),
    missing: bool = True,
    distinct: bool = False,
    max_authorities: int = 7,
    max_indicators: int = 5,
    periods: tuple[str, ...] = ("2020/21", "2021/22"),
):
    """Draw (values, indicators) for a few authorities, indicators and periods.

    Values are small integers (so ties are common) unless ``distinct``, in which case each
    indicator x period is a permutation of distinct numbers. ``missing`` allows NaNs.
    """
    n_authorities = draw(st.integers(1, max_authorities))
    n_indicators = draw(st.integers(1, max_indicators))
    authorities = AUTHORITIES[:n_authorities]
    rows = {}
    for number in range(n_indicators):
        polarity = draw(st.sampled_from(polarities))
        rows[f"I{number}"] = {
            "polarity": polarity,
            "theme": draw(st.sampled_from(THEMES)),
            "is_core": draw(st.booleans()),
            "target_midpoint": float(draw(st.integers(0, 6))) if polarity == "target" else math.nan,
        }
    indicators = indicators_frame(rows)
    table = {}
    for period in periods:
        table[period] = {}
        for indicator_id in rows:
            if distinct:
                numbers = draw(st.permutations(list(range(1, n_authorities + 1))))
                numbers = [float(n) for n in numbers]
            else:
                numbers = draw(st.lists(st.integers(0, 6).map(float), min_size=n_authorities, max_size=n_authorities))
            if missing:
                holes = draw(st.lists(st.booleans(), min_size=n_authorities, max_size=n_authorities))
                numbers = [math.nan if hole else n for n, hole in zip(numbers, holes)]
            table[period][indicator_id] = dict(zip(authorities, numbers))
    return values_over_periods(table), indicators


def reverse_polarities(indicators: pd.DataFrame) -> pd.DataFrame:
    """Return ``indicators`` with 'high' and 'low' swapped."""
    swapped = indicators["polarity"].map({"high": "low", "low": "high"})
    return indicators.assign(polarity=swapped.fillna(indicators["polarity"]))


def brute_force_min_rank(keys: list[float]) -> list[float]:
    """Return 1 + the number of strictly smaller keys for each key (NaN stays NaN)."""
    finite = [k for k in keys if not np.isnan(k)]
    return [np.nan if np.isnan(k) else 1 + sum(other < k for other in finite) for k in keys]


# The hand-worked example of test_positions.py and test_sensitivity.py (worked on paper there):
# four authorities A-D, 'low' polarity so each value is its rank; two Economy indicators
# (LA Core) and two Transport indicators (not core).
WORKED = {
    "E1": {"A": 1, "B": 2, "C": 3, "D": 4},
    "E2": {"A": 2, "B": 1, "C": 4, "D": 3},
    "T1": {"A": 4, "B": 3, "C": 1, "D": 2},
    "T2": {"A": 4, "B": 3, "C": 2, "D": 1},
}
WORKED_INDICATORS = indicators_frame(
    {
        "E1": {"theme": "Economy"},
        "E2": {"theme": "Economy"},
        "T1": {"theme": "Transport", "is_core": False},
        "T2": {"theme": "Transport", "is_core": False},
    },
    polarity="low",
)
