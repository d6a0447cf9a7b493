"""Deterministic national-scale CSV files, in the formats ``python -m benchmarking import --table`` reads.

152 authorities (26 county councils, 126 county unitaries, nine regions), 2,000 indicators
in 12 themes (polarities mixed: high, low, target with a midpoint, none; about half core)
and their values for 10 financial years 2012/13 to 2021/22: 152 x 2,000 x 10 = 3,040,000
``indicator_value`` rows, about 3% of them with an empty value (a missing figure). The
same seed always writes the same bytes, so two runs (and two helpers) time the same file.

Use ``write_national_csvs(folder)`` (returns table -> path) or run
``python benchmarks/national_data.py FOLDER [--replaced]`` (``--replaced`` also writes
values_replaced.csv, every value one higher).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

AUTHORITIES = 152
COUNTY_COUNCILS = 26
INDICATORS = 2_000
THEMES = 12
PERIODS = 10
FIRST_YEAR = 2012
MISSING_SHARE = 0.03
POLARITY_MIX = {"high": 0.45, "low": 0.40, "target": 0.10, "none": 0.05}
REGIONS = (
    "North East",
    "North West",
    "Yorkshire and The Humber",
    "East Midlands",
    "West Midlands",
    "East of England",
    "London",
    "South East",
    "South West",
)
SEED = 2022
FIRST_CODE = 100


def period_labels() -> list[str]:
    """Return the 10 financial-year labels, 2012/13 first."""
    return [f"{year}/{(year + 1) % 100:02d}" for year in range(FIRST_YEAR, FIRST_YEAR + PERIODS)]


def authority_frame() -> pd.DataFrame:
    """Return the authority table: code, name, kind, region, population."""
    rng = np.random.default_rng(SEED)
    # Codes from E10000100 and E06000100: no real county area's, whose lifetime would refuse its figures in the
    # years before it was formed or after it was abolished (Cumberland's E06000063 before 2023-24).
    councils = [f"E1000{FIRST_CODE + number:04d}" for number in range(COUNTY_COUNCILS)]
    unitaries = [f"E0600{FIRST_CODE + number:04d}" for number in range(AUTHORITIES - COUNTY_COUNCILS)]
    return pd.DataFrame(
        {
            "code": councils + unitaries,
            "name": [f"Council {number:03d}" for number in range(AUTHORITIES)],
            "kind": ["county council"] * COUNTY_COUNCILS + ["county unitary"] * len(unitaries),
            "region": [REGIONS[number % len(REGIONS)] for number in range(AUTHORITIES)],
            "population": rng.integers(120_000, 1_500_000, AUTHORITIES),
        }
    )


def indicator_frame() -> pd.DataFrame:
    """Return the indicator table: id, name, theme, polarity, target_midpoint, unit, is_core."""
    rng = np.random.default_rng(SEED + 1)
    polarity = rng.choice(list(POLARITY_MIX), size=INDICATORS, p=list(POLARITY_MIX.values()))
    return pd.DataFrame(
        {
            "id": [f"IND{number:05d}" for number in range(INDICATORS)],
            "name": [f"Indicator {number}" for number in range(INDICATORS)],
            "theme": [f"Theme {number:02d}" for number in rng.integers(0, THEMES, INDICATORS)],
            "polarity": polarity,
            "target_midpoint": np.where(polarity == "target", 50.0, np.nan),
            "unit": "%",
            "is_core": np.where(rng.random(INDICATORS) < 0.5, "true", "false"),
        }
    )


def value_frame(authorities: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Return the indicator_value rows (indicator_id, authority_code, period, value) by indicator, authority, period."""
    rng = np.random.default_rng(SEED + 2)
    n_authorities, n_indicators = len(authorities), len(indicators)
    indicator, authority, period = (
        grid.ravel()
        for grid in np.meshgrid(np.arange(n_indicators), np.arange(n_authorities), np.arange(PERIODS), indexing="ij")
    )
    quality = rng.normal(size=n_authorities)[authority]
    trend = rng.normal(scale=0.3, size=n_indicators)[indicator] * period
    value = np.round(50 + 10 * quality + trend + rng.normal(scale=5, size=len(indicator)), 3)
    missing = rng.random(len(indicator)) < MISSING_SHARE
    labels = np.array(period_labels())
    return pd.DataFrame(
        {
            "indicator_id": indicators["id"].to_numpy()[indicator],
            "authority_code": authorities["code"].to_numpy()[authority],
            "period": labels[period],
            "value": np.where(missing, np.nan, value),
        }
    )


def write_national_csvs(folder: Path | str, replaced: bool = False) -> dict[str, Path]:
    """Write authorities.csv, indicators.csv and values.csv into ``folder``; return table -> path.

    With ``replaced``, also values_replaced.csv (key ``replaced``): the same keys with every
    value one higher, so that importing it after values.csv replaces every value that is present.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    authorities, indicators = authority_frame(), indicator_frame()
    paths = {
        "authority": folder / "authorities.csv",
        "indicator": folder / "indicators.csv",
        "indicator_value": folder / "values.csv",
    }
    authorities.to_csv(paths["authority"], index=False)
    indicators.to_csv(paths["indicator"], index=False)
    values = value_frame(authorities, indicators)
    values.to_csv(paths["indicator_value"], index=False, float_format="%.3f")
    if replaced:
        paths["replaced"] = folder / "values_replaced.csv"
        values.assign(value=values["value"] + 1.0).to_csv(paths["replaced"], index=False, float_format="%.3f")
    return paths


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if a != "--replaced"]
    written = write_national_csvs(arguments[0] if arguments else "national", replaced="--replaced" in sys.argv)
    for table, path in written.items():
        print(f"{table}: {path} ({path.stat().st_size / 1e6:,.1f} MB)")
