"""Time a full recompute of the ranking engine at demo and national scale.

A full recompute is what the app does when the data or the comparator group changes: the
reporting years (data currency: each indicator's latest vintage per year, see currency.py),
indicator ranks for every period, positions for every theme, Overall and LA Core in
every period, and direction of travel for every value. The frames are invented with
numpy (seeded) in the shape and order the store returns them (sorted by indicator,
authority, period start; ``str`` labels; ``datetime64`` period starts):

* demo: 32 authorities x 240 indicators x 10 periods (~77k values);
* national: 152 authorities x 2,000 indicators x 10 periods (~3M values).

About 3% of values are missing; indicators fall in 12 themes, about half are core, and
polarities mix high, low, target and none. Run ``python benchmarks/engine_speed.py``
(``--repeat N`` for more runs, ``--shuffled`` to hand the rows over in random order).
Prints wall-clock and CPU seconds per step (the run with the best wall time; CPU time is
steadier on a shared machine; CPU counts every thread, DuckDB's included) and peak memory
(traced: numpy and pandas only; the process peak RSS includes DuckDB's own memory).

It also times a plain DuckDB SQL reference over the same reporting values in the same run:
one query that ranks (min ties per indicator and period, polarity-aware), averages the ranks
per theme, Overall and LA Core and ranks the averages, with no coverage rule, no checks and
no output frame to build. It prints the ratio of the project's ranks + positions to it, and
how many Overall positions the two agree on.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarking.method.currency import reporting_calendar, reporting_values
from benchmarking.method.positions import positions
from benchmarking.method.ranking import indicator_ranks
from benchmarking.method.travel import direction_of_travel

SCALES = {
    "demo": (32, 240, 10),
    "national": (152, 2_000, 10),
}
THEMES = 12
MISSING_SHARE = 0.03
POLARITY_MIX = {"high": 0.45, "low": 0.40, "target": 0.10, "none": 0.05}
TARGET_SECONDS = {"demo": 0.2, "national": 2.0}


def build_frames(
    n_authorities: int, n_indicators: int, n_periods: int, seed: int = 2022, shuffled: bool = False
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (values, indicators) frames of the given size, as the store returns them."""
    rng = np.random.default_rng(seed)
    indicator_ids = np.array([f"IND{number:05d}" for number in range(n_indicators)])
    authority_codes = np.array([f"E1{number:07d}" for number in range(n_authorities)])
    first_year = 2012
    period_labels = np.array([f"{first_year + p}/{(first_year + p + 1) % 100:02d}" for p in range(n_periods)])
    period_starts = pd.to_datetime([f"{first_year + p}-04-01" for p in range(n_periods)])
    polarity = rng.choice(list(POLARITY_MIX), size=n_indicators, p=list(POLARITY_MIX.values()))
    indicators = pd.DataFrame(
        {
            "id": indicator_ids,
            "name": [f"Indicator {number}" for number in range(n_indicators)],
            "theme": [f"Theme {number:02d}" for number in rng.integers(0, THEMES, n_indicators)],
            "outcome": None,
            "polarity": polarity,
            "target_midpoint": np.where(polarity == "target", 50.0, np.nan),
            "unit": "%",
            "source": "benchmark",
            "is_core": rng.random(n_indicators) < 0.5,
            "description": None,
        }
    )

    # Rows ordered by indicator, authority, period start (the store's ORDER BY).
    indicator, authority, period = (
        grid.ravel()
        for grid in np.meshgrid(np.arange(n_indicators), np.arange(n_authorities), np.arange(n_periods), indexing="ij")
    )
    quality = rng.normal(size=n_authorities)[authority]  # authorities differ consistently
    value = np.round(50 + 10 * quality + 15 * rng.normal(size=len(indicator)), 1)
    value[rng.random(len(value)) < MISSING_SHARE] = np.nan
    values = pd.DataFrame(
        {
            "indicator_id": pd.array(indicator_ids[indicator], dtype="str"),
            "authority_code": pd.array(authority_codes[authority], dtype="str"),
            "period": pd.array(period_labels[period], dtype="str"),
            "value": value,
            "status": pd.array(np.full(len(value), "final"), dtype="str"),
            "period_start": period_starts[period].astype("datetime64[us]"),
        }
    )
    if shuffled:
        values = values.sample(frac=1.0, random_state=seed).reset_index(drop=True)
    return values, indicators


REFERENCE_SQL = """
WITH keyed AS (
  SELECT v.indicator_id, v.authority_code, v.period, i.theme, i.is_core,
         CASE i.polarity WHEN 'high' THEN -v.value WHEN 'low' THEN v.value
                         WHEN 'target' THEN round(abs(v.value - i.target_midpoint), 10) END AS key
  FROM v JOIN i ON v.indicator_id = i.id
  WHERE i.polarity <> 'none'),
ranked AS (
  SELECT *, CASE WHEN key IS NOT NULL THEN rank() OVER (PARTITION BY indicator_id, period ORDER BY key) END AS rank
  FROM keyed),
averages AS (
  SELECT period, authority_code, coalesce(theme, 'Overall') AS theme, avg(rank) AS average_rank
  FROM ranked GROUP BY GROUPING SETS ((period, authority_code, theme), (period, authority_code))
  UNION ALL
  SELECT period, authority_code, 'LA Core', avg(rank) FROM ranked WHERE is_core GROUP BY period, authority_code)
SELECT period, theme, authority_code, average_rank,
       rank() OVER (PARTITION BY period, theme ORDER BY round(average_rank, 9)) AS position
FROM averages WHERE average_rank IS NOT NULL
"""


def reference_positions(values: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Return the plain DuckDB SQL reference's positions (every theme, Overall, LA Core) of ``values``."""
    con = duckdb.connect()
    try:
        columns = ["indicator_id", "authority_code", "period"]
        con.register(
            "v",
            pa.table(
                {c: pa.array(values[c].array) for c in columns} | {"value": pa.array(values["value"], from_pandas=True)}
            ),
        )
        con.register("i", pa.Table.from_pandas(indicators[["id", "theme", "is_core", "polarity", "target_midpoint"]]))
        return con.sql(REFERENCE_SQL).df()
    finally:
        con.close()


def compare_with_reference(values: pd.DataFrame, indicators: pd.DataFrame, repeat: int) -> None:
    """Time the project's ranks + positions and the plain SQL reference on the same reporting
    values, in turn; print the best of each, the ratio and the agreement on Overall positions."""
    reporting = reporting_values(values, reporting_calendar(values["period"].unique()))
    project, reference = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        ours = positions(indicator_ranks(reporting, indicators), indicators)
        project.append((time.perf_counter() - wall, time.process_time() - cpu))
        wall, cpu = time.perf_counter(), time.process_time()
        theirs = reference_positions(reporting, indicators)
        reference.append((time.perf_counter() - wall, time.process_time() - cpu))
    (p_wall, p_cpu), (r_wall, r_cpu) = min(project), min(reference)
    keys = ["period", "theme", "authority_code"]
    both = ours[ours["theme"] == "Overall"].merge(theirs, on=keys, suffixes=("", "_reference"))
    agree = int((both["position"].astype(float) == both["position_reference"].astype(float)).sum())
    print(f"  {'ranks + positions (project)':<40} {p_wall:7.3f} s {p_cpu:7.3f} s")
    print(f"  {'plain DuckDB SQL reference':<40} {r_wall:7.3f} s {r_cpu:7.3f} s")
    print(
        f"  ratio project / reference: {p_wall / r_wall:.2f}x wall, {p_cpu / r_cpu:.2f}x CPU; "
        f"Overall positions agree on {agree:,} of {len(both):,}"
    )


def full_recompute(values: pd.DataFrame, indicators: pd.DataFrame) -> dict[str, tuple]:
    """Run ranks, positions and direction of travel once; return (wall, CPU) seconds per step."""
    seconds = {}
    results = {}
    steps = {
        "reporting years (data currency)": lambda: reporting_values(
            values, reporting_calendar(values["period"].unique())
        ),
        "indicator ranks": lambda: indicator_ranks(results["reporting years (data currency)"], indicators),
        "positions (themes, Overall, LA Core)": lambda: positions(results["indicator ranks"], indicators),
        "direction of travel": lambda: direction_of_travel(values, indicators),
    }
    for step, run in steps.items():
        wall, cpu = time.perf_counter(), time.process_time()
        results[step] = run()
        seconds[step] = (time.perf_counter() - wall, time.process_time() - cpu)
    seconds["total"] = tuple(sum(pair[i] for pair in seconds.values()) for i in (0, 1))
    return seconds


def peak_memory_mb(values: pd.DataFrame, indicators: pd.DataFrame) -> float:
    """Return the peak memory (MB) that numpy and pandas allocate during one full recompute."""
    tracemalloc.start()
    full_recompute(values, indicators)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def main(argv: list[str] | None = None) -> None:
    """Build each scale's frames, time the recompute and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per scale (best is shown)")
    parser.add_argument("--shuffled", action="store_true", help="hand rows over in random order")
    parser.add_argument("--scale", choices=list(SCALES), nargs="*", default=list(SCALES))
    args = parser.parse_args(argv)

    for scale in args.scale:
        n_authorities, n_indicators, n_periods = SCALES[scale]
        values, indicators = build_frames(n_authorities, n_indicators, n_periods, shuffled=args.shuffled)
        runs = [full_recompute(values, indicators) for _ in range(args.repeat)]
        best = {step: min(run[step] for run in runs) for step in runs[0]}  # by wall time
        peak = peak_memory_mb(values, indicators)
        verdict = "ok" if best["total"][0] <= TARGET_SECONDS[scale] else "SLOWER THAN TARGET"
        print(
            f"{scale}: {n_authorities} authorities x {n_indicators} indicators x "
            f"{n_periods} periods = {len(values):,} values "
            f"({values['value'].isna().mean():.1%} missing)"
            f"{', rows shuffled' if args.shuffled else ''}"
        )
        print(f"  {'step':<40} {'wall':>7}   {'CPU':>7}")
        for step, (wall, cpu) in best.items():
            print(f"  {step:<40} {wall:7.3f} s {cpu:7.3f} s")
        print(f"  target {TARGET_SECONDS[scale]:.1f} s: {verdict}; peak traced memory during recompute {peak:,.0f} MB")
        compare_with_reference(values, indicators, args.repeat)
    max_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak RSS (frames included): {max_rss_mb:,.0f} MB")


if __name__ == "__main__":
    main()
