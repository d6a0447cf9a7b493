"""Time the bootstrap of positions and the value-for-money frontier at demo and national scale.

* demo: the demo store itself (32 authorities x 244 indicators x 10 periods), built in a
  temporary folder from the default seed; spend and deprivation are the demo's own.
* national: the generated frames of ``engine_speed.py`` (152 authorities x 2,000
  indicators x 10 periods, ~3M values), with spend per head and an IMD score invented per
  authority (seeded).

Steps timed: the bootstrap of every position (Overall, LA Core, each theme) with 1,000
replicates for the latest period (what the page computes) and for all ten periods; the
value-for-money table for the latest period (performance scores from the values,
efficiency frontier, regression); the significance test of every change. Run
``python benchmarks/beyond_ranks_speed.py`` (``--repeat N``, ``--replicates N``,
``--scale demo national``). Prints wall-clock and CPU seconds (the run with the best wall
time; CPU time is steadier on a shared machine). The target for the bootstrap of one
period's positions with 1,000 replicates on the demo data is 5 s.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from engine_speed import SCALES, build_frames

from benchmarking.datasets.demo import build_demo_store
from benchmarking.method.positions import OVERALL
from benchmarking.method.ranking import indicator_ranks
from benchmarking.method.significance import significant_change
from benchmarking.method.travel import direction_of_travel
from benchmarking.method.uncertainty import bootstrap_positions, position_intervals
from benchmarking.method.value_for_money import performance_scores, value_for_money_table
from benchmarking.service.benchmark import comparator_group, compute
from benchmarking.service.catalogue import load_catalogue
from benchmarking.store import Store

TARGET_SECONDS = 5.0


def demo_inputs() -> dict:
    """Return the demo store's ranks, values, indicators, travel and context for the latest period."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo.duckdb"
        build_demo_store(path)
        catalogue = load_catalogue(Store(path))
    bench = compute(catalogue, comparator_group(catalogue, "all"))
    period = catalogue.period_labels[-1]
    spend = catalogue.spend[(catalogue.spend["service"] == "total") & (catalogue.spend["period"] == period)]
    context = (
        spend[["authority_code", "net_expenditure_per_head"]]
        .rename(columns={"net_expenditure_per_head": "spend_per_head"})
        .merge(
            catalogue.deprivation[["authority_code", "average_score"]].rename(columns={"average_score": "deprivation"}),
            on="authority_code",
        )
    )
    return {
        "ranks": bench.ranks,
        "values": catalogue.values,
        "indicators": catalogue.indicators,
        "travel": bench.travel,
        "period": period,
        "context": context,
        "shape": (len(catalogue.authorities), len(catalogue.indicators), len(catalogue.period_labels)),
    }


def national_inputs() -> dict:
    """Return generated national-scale frames with invented spend and deprivation per authority."""
    n_authorities, n_indicators, n_periods = SCALES["national"]
    values, indicators = build_frames(n_authorities, n_indicators, n_periods)
    rng = np.random.default_rng(2022)
    codes = pd.unique(values["authority_code"])
    context = pd.DataFrame(
        {
            "authority_code": codes,
            "spend_per_head": rng.normal(900, 150, len(codes)).round(2),
            "deprivation": rng.uniform(5, 45, len(codes)).round(2),
        }
    )
    periods = sorted(pd.unique(values["period"]))
    return {
        "ranks": indicator_ranks(values, indicators),
        "values": values,
        "indicators": indicators,
        "travel": direction_of_travel(values, indicators),
        "period": periods[-1],
        "context": context,
        "shape": (n_authorities, n_indicators, n_periods),
    }


def timed(step) -> tuple[float, float]:
    """Return (wall, CPU) seconds of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    step()
    return time.perf_counter() - wall, time.process_time() - cpu


def steps(inputs: dict, replicates: int) -> dict:
    """Return the steps to time, each a no-argument callable."""
    ranks, indicators, period = inputs["ranks"], inputs["indicators"], inputs["period"]

    def vfm():
        scores = performance_scores(inputs["values"], indicators, period, OVERALL)
        value_for_money_table(scores, inputs["context"])

    return {
        f"bootstrap, latest period ({replicates:,} replicates)": lambda: bootstrap_positions(
            ranks, indicators, period, replicates
        ).intervals(),
        f"bootstrap, all periods ({replicates:,} replicates)": lambda: position_intervals(
            ranks, indicators, n_replicates=replicates
        ),
        "value for money (scores, frontier, regression)": vfm,
        "significance of every change": lambda: significant_change(inputs["travel"], indicators),
    }


def main(argv: list[str] | None = None) -> None:
    """Build each scale's inputs, time the steps and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per step (best is shown)")
    parser.add_argument("--replicates", type=int, default=1000, help="bootstrap replicates")
    parser.add_argument("--scale", choices=["demo", "national"], nargs="*", default=["demo", "national"])
    args = parser.parse_args(argv)

    builders = {"demo": demo_inputs, "national": national_inputs}
    for scale in args.scale:
        inputs = builders[scale]()
        n_authorities, n_indicators, n_periods = inputs["shape"]
        print(
            f"{scale}: {n_authorities} authorities x {n_indicators} indicators x {n_periods} periods "
            f"({len(inputs['ranks']):,} ranks)"
        )
        print(f"  {'step':<50} {'wall':>7}   {'CPU':>7}")
        for name, step in steps(inputs, args.replicates).items():
            runs = [timed(step) for _ in range(args.repeat)]
            wall, cpu = min(runs)
            print(f"  {name:<50} {wall:7.3f} s {cpu:7.3f} s")
            if scale == "demo" and name.startswith("bootstrap, latest"):
                verdict = "ok" if wall <= TARGET_SECONDS else "SLOWER THAN TARGET"
                print(f"  target {TARGET_SECONDS:.0f} s for one period's bootstrap: {verdict}")


if __name__ == "__main__":
    main()
