"""Time ``python -m benchmarking positions --all-periods`` on the national store beside a plain
DuckDB SQL script that computes the same positions from the same store file, in one run.

The national store (152 authorities x 2,000 indicators x 10 periods, 3.04 M values, about 3%
missing) is built through the project's own CLI import (``national_store.py``) unless it
exists. Both commands run as child processes, as a user runs them, each writing a CSV:

* project: ``python -m benchmarking --db STORE positions --all-periods --out project.csv``
  (reporting years, ranks, positions with the coverage rule, the rests-on columns and the focus
  beside the group, run as SQL on the store's tables by ``service.store_positions``, then the CSV);
* reference: one DuckDB script over the store's tables (``engine_speed.REFERENCE_SQL``:
  polarity-aware min-tie ranks per indicator and period, theme, Overall and LA Core average
  ranks, rank of average rank) written with ``COPY ... TO`` (no coverage rule, no checks).

Prints the machine's load average before and after (other work on the same cores), each
command's wall and CPU seconds and peak RSS (best of ``--repeat`` runs), the ratio, and how
many Overall positions the two CSVs agree on; then the same figures for ``ranks --all-periods``
(3 M rows written; no reference).
Run: ``.venv/bin/python benchmarks/positions_command.py [STORE] [--repeat N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from engine_speed import REFERENCE_SQL  # noqa: E402
from national_store import build_national_store  # noqa: E402

# Runs a command and prints its wall seconds, CPU seconds (user + system) and peak RSS in MB.
MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps([wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024]))
"""

REFERENCE_SCRIPT = """
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
con.sql("CREATE TEMP VIEW v AS SELECT indicator_id, authority_code, period, value FROM indicator_value")
con.sql("CREATE TEMP VIEW i AS SELECT id, theme, is_core, polarity, target_midpoint FROM indicator")
con.sql("COPY (" + sys.argv[3] + ") TO '" + sys.argv[2] + "' (HEADER)")
"""


def measured(command: list[str]) -> tuple[float, float, float]:
    """Return (wall s, CPU s, peak RSS MB) of one run of ``command`` in a child process."""
    out = subprocess.run([sys.executable, "-c", MEASURE, *command], check=True, capture_output=True, text=True)
    return tuple(json.loads(out.stdout.strip().splitlines()[-1]))


def main(argv: list[str] | None = None) -> None:
    """Build (or reuse) the national store, time both commands and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", nargs="?", type=Path, default=Path("/tmp/national.duckdb"))
    parser.add_argument("--repeat", type=int, default=2, help="runs of each command (best is shown)")
    args = parser.parse_args(argv)
    store = build_national_store(args.store)
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder:
        project_csv, reference_csv = Path(folder, "project.csv"), Path(folder, "reference.csv")
        project = [sys.executable, "-m", "benchmarking", "--db", str(store), "positions", "--all-periods"]
        project += ["--out", str(project_csv)]
        reference = [sys.executable, "-c", REFERENCE_SCRIPT, str(store), str(reference_csv), REFERENCE_SQL]
        ranks = [sys.executable, "-m", "benchmarking", "--db", str(store), "ranks", "--all-periods"]
        ranks += ["--out", str(Path(folder, "ranks.csv"))]
        runs = {"project": [], "reference": [], "ranks": []}
        for _ in range(args.repeat):  # in turn, so both see the same machine load
            runs["project"].append(measured(project))
            runs["reference"].append(measured(reference))
            runs["ranks"].append(measured(ranks))
        best = {name: min(times) for name, times in runs.items()}
        ours, theirs = pd.read_csv(project_csv), pd.read_csv(reference_csv)
    keys = ["period", "theme", "authority_code"]
    overall = ours[ours["theme"] == "Overall"].merge(theirs, on=keys, suffixes=("", "_reference"))
    agree = int((overall["position"] == overall["position_reference"]).sum())
    print(f"national store {store}: positions of every period")
    print(f"  load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after, on {os.cpu_count()} cores")
    print(f"  {'command':<44} {'wall':>8} {'CPU':>8} {'peak RSS':>10}")
    for name, label in (
        ("project", "python -m benchmarking positions --all-periods"),
        ("reference", "plain DuckDB SQL"),
    ):
        wall, cpu, rss = best[name]
        print(f"  {label:<44} {wall:7.1f}s {cpu:7.1f}s {rss:8,.0f} MB")
    (p_wall, p_cpu, _), (r_wall, r_cpu, _) = best["project"], best["reference"]
    print(f"  ratio project / reference: {p_wall / r_wall:.2f}x wall, {p_cpu / r_cpu:.2f}x CPU (target 1.5x)")
    print(f"  Overall positions agree on {agree:,} of {len(overall):,} ({len(ours):,} project rows)")
    wall, cpu, rss = best["ranks"]
    print(f"  {'python -m benchmarking ranks --all-periods':<44} {wall:7.1f}s {cpu:7.1f}s {rss:8,.0f} MB")


if __name__ == "__main__":
    main()
