"""The catalogue's periods (``period_labels``, ``default_period``) and the values it reads from the
store: worked by hand on a small catalogue, and against a plain row-by-row count on a bigger one."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from benchmarking.method.periods import period_start
from benchmarking.service.catalogue import CURRENT_SHARE, Catalogue

EMPTY = pd.DataFrame()


def _catalogue(rows: list[tuple[str, str, str, float | None]], polarity: dict[str, str]) -> Catalogue:
    """Return a catalogue of values (indicator, authority, period, value) and indicators with polarities."""
    values = pd.DataFrame(rows, columns=["indicator_id", "authority_code", "period", "value"])
    values["value"] = values["value"].astype(float)
    values["status"] = "final"
    values["period_start"] = pd.to_datetime([period_start(p) for p in values["period"]])
    values = values.sort_values(["indicator_id", "authority_code", "period_start"], ignore_index=True)
    indicators = pd.DataFrame(
        {"id": list(polarity), "polarity": list(polarity.values()), "theme": "T", "is_core": False}
    )
    return Catalogue(
        authorities=pd.DataFrame({"code": ["E1", "E2"], "name": ["One", "Two"]}),
        indicators=indicators,
        values=values,
        spend=EMPTY,
        funding=EMPTY,
        deprivation=EMPTY,
        theme_service=EMPTY,
        comparator_groups=EMPTY,
        periods=EMPTY,
        settings={},
        datasets=pd.DataFrame({"name": ["hand-made"], "kind": ["imported"]}),
    )


def test_periods_by_hand():
    """2019/20: a and b of their own year; 2020/21: a of its own, b carried from 2019/20 (half current,
    under CURRENT_SHARE); 2021/22: only the context indicator c of its own, a and b carried (the
    authorities have figures of 2021/22, so they were not ceased), none current; b's missing 2018/19
    value gives that year no ranked figure."""
    rows = [
        ("a", "E1", "2019/20", 1.0),
        ("a", "E2", "2019/20", 2.0),
        ("b", "E1", "2019/20", 3.0),
        ("b", "E2", "2019/20", 4.0),
        ("a", "E1", "2020/21", 5.0),
        ("a", "E2", "2020/21", 6.0),
        ("b", "E1", "2018/19", None),
        ("c", "E1", "2021/22", 7.0),
        ("c", "E2", "2021/22", 8.0),
    ]
    catalogue = _catalogue(rows, {"a": "high", "b": "low", "c": "none"})
    assert catalogue.period_labels == ["2019/20", "2020/21", "2021/22"]
    assert CURRENT_SHARE > 0.5
    assert catalogue.default_period == "2019/20"


def test_no_ranked_values_no_period():
    catalogue = _catalogue([("c", "E1", "2021/22", 7.0)], {"c": "none"})
    assert catalogue.period_labels == []
    assert catalogue.default_period is None


def _plain_periods(catalogue: Catalogue) -> tuple[list[str], str | None]:
    """Return (period labels, default period) counted row by row from the reporting values."""
    ranked = {i for i, p in zip(catalogue.indicators["id"], catalogue.indicators["polarity"]) if p != "none"}
    years_older: dict[tuple[str, str], int] = {}
    for row in catalogue.reporting_values.itertuples(index=False):
        if row.indicator_id in ranked and not np.isnan(row.value):
            years_older.setdefault((row.period, row.indicator_id), row.years_older)
    periods = {period for period, _ in years_older}
    labels = [label for label in catalogue.calendar.labels if label in periods]
    shares = {
        label: np.mean([older == 0 for (period, _), older in years_older.items() if period == label])
        for label in labels
    }
    good = [label for label in labels if shares[label] >= CURRENT_SHARE]
    return labels, (good[-1] if good else (labels[-1] if labels else None))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_periods_match_a_plain_count(seed):
    """Indicators published by financial year, calendar year or not at all in some years, some
    context only: the vectorised periods equal a row-by-row count."""
    rng = np.random.default_rng(seed)
    years = range(2014, 2022)
    rows = []
    polarity = {}
    for number in range(30):
        indicator = f"i{number:02d}"
        polarity[indicator] = str(rng.choice(["high", "low", "none"], p=[0.45, 0.45, 0.1]))
        calendar_years = rng.random() < 0.3
        for year in years:
            if rng.random() < 0.25:
                continue  # not published that year: older figures are carried
            label = str(year) if calendar_years else f"{year}/{(year + 1) % 100:02d}"
            for code in ("E1", "E2"):
                rows.append((indicator, code, label, None if rng.random() < 0.1 else float(rng.normal())))
    catalogue = _catalogue(rows, polarity)
    labels, default = _plain_periods(catalogue)
    assert catalogue.period_labels == labels
    assert catalogue.default_period == default
