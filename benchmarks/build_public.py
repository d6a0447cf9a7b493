"""Time the full public build and report its peak memory.

Builds the store of the English county areas from the published files (default
``../shared/data``, or the folder given as the first argument) into a temporary folder,
then prints the time of each source, the total time, the peak resident memory of the
process and the size of the store.

Run: ``.venv/bin/python benchmarks/build_public.py [DIR]``
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarking.datasets.public_build import build_public

DEFAULT_SOURCE = Path(__file__).resolve().parents[2] / "shared" / "data"


def peak_rss_mb() -> float:
    """Return the process's peak resident set size so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str]) -> int:
    source = Path(argv[0]) if argv else DEFAULT_SOURCE
    if not source.is_dir():
        print(f"no published data at {source}: pass the folder as the first argument", file=sys.stderr)
        return 2
    base = peak_rss_mb()
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "public.duckdb"
        start = time.perf_counter()
        summary = build_public(source, out, progress=None)
        seconds = time.perf_counter() - start
        size = out.stat().st_size / 1e6
    print(f"public build from {source}")
    for report in summary.sources:
        read = sum(report.rows_read.values())
        print(f"  {report.name:<36} {report.seconds:6.2f} s  {read:>9,} rows read")
    counts = summary.counts
    print(
        f"total: {seconds:.1f} s; {counts['values']:,} values, {counts['indicators']} indicators, "
        f"{counts['authorities']} authorities; store {size:.1f} MB"
    )
    print(f"peak memory: {peak_rss_mb():.0f} MB resident (interpreter and imports before the build: {base:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
