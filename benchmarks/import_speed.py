"""Time the import of 1,000,000 indicator values (CSV and Parquet) and print rows/s and peak memory.

Builds a demo store in a temporary folder, adds 3,125 indicators, then imports
3,125 indicators x 32 authorities x 10 periods = 1,000,000 values, first as a fresh load
(all rows added) and then again (all rows replaced).

Run: ``.venv/bin/python benchmarks/import_speed.py``
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarking.demo import build_demo_store  # noqa: E402
from benchmarking.importer import import_file  # noqa: E402

N_INDICATORS = 3_125


def peak_rss_mb() -> float:
    """Return the process's peak resident set size so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    rng = np.random.default_rng(1)
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        store = build_demo_store(folder / "bench.duckdb")
        codes = store.authorities()["code"].to_numpy()
        periods = store.periods()["label"].to_numpy()
        ids = np.array([f"BENCH{i:05d}" for i in range(N_INDICATORS)])
        catalogue = pd.DataFrame({"id": ids, "name": [f"Benchmark indicator {i}" for i in range(N_INDICATORS)],
                                  "theme": "Economy", "polarity": "high"})
        catalogue.to_csv(folder / "indicators.csv", index=False)
        import_file(store, folder / "indicators.csv", "indicator")

        grid = pd.MultiIndex.from_product([ids, codes, periods],
                                          names=["indicator_id", "authority_code", "period"]).to_frame(index=False)
        grid["value"] = np.round(rng.normal(50, 10, len(grid)), 3)
        csv_path, parquet_path = folder / "values.csv", folder / "values.parquet"
        grid.to_csv(csv_path, index=False)
        grid.to_parquet(parquet_path, index=False)
        rows = len(grid)
        del grid
        print(f"rows per file: {rows:,}; CSV {csv_path.stat().st_size / 1e6:.1f} MB, "
              f"Parquet {parquet_path.stat().st_size / 1e6:.1f} MB")
        base_rss = peak_rss_mb()
        for label, path in [("CSV, fresh load", csv_path), ("CSV, re-import (replace)", csv_path),
                            ("Parquet, re-import (replace)", parquet_path)]:
            start = time.perf_counter()
            result = import_file(store, path, "indicator_value")
            seconds = time.perf_counter() - start
            print(f"{label:30s} {seconds:6.2f} s  {rows / seconds:>10,.0f} rows/s  "
                  f"added {result.added:,} replaced {result.replaced:,}  peak RSS {peak_rss_mb():,.0f} MB "
                  f"(before imports {base_rss:,.0f} MB)")


if __name__ == "__main__":
    main()
