"""Time the shipped extract: the public build, writing the extract, and a first run's store from it.

Builds the store of the English county areas from the published files (default
``../shared/data``, or the folder given as the first argument) into a temporary folder, writes
its extract there (as ``build-public --extract`` does), then builds a store from the extract
(as the app's first run does) and prints the seconds of each step and the size of each table's
Parquet file.

Run: ``.venv/bin/python benchmarks/extract_first_run.py [DIR]``
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarking.datasets.public_build import build_public
from benchmarking.datasets.public_extract import store_from_extract, write_extract

DEFAULT_SOURCE = Path(__file__).resolve().parents[2] / "shared" / "data"


def main(argv: list[str]) -> int:
    source = Path(argv[0]) if argv else DEFAULT_SOURCE
    if not source.is_dir():
        print(f"no published data at {source}: pass the folder as the first argument", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        start = time.perf_counter()
        build_public(source, work / "public.duckdb", progress=None)
        built = time.perf_counter() - start
        start = time.perf_counter()
        manifest = write_extract(work / "public.duckdb", work / "extract", built=date.today(), source=source)
        written = time.perf_counter() - start
        start = time.perf_counter()
        store_from_extract(work / "extract", work / "first-run.duckdb")
        first_run = time.perf_counter() - start
        store_mb = (work / "public.duckdb").stat().st_size / 1e6
        first_mb = (work / "first-run.duckdb").stat().st_size / 1e6
        extra = sum(p.stat().st_size for p in (work / "extract").iterdir() if p.suffix != ".parquet")
    print(f"extract of the public build from {source}")
    print(f"  build-public:              {built:6.1f} s (store {store_mb:.1f} MB)")
    print(f"  write the extract:         {written:6.1f} s")
    print(f"  store from the extract:    {first_run:6.1f} s (store {first_mb:.1f} MB)")
    print("  Parquet per table (rows, kB):")
    total = 0
    for name, entry in sorted(manifest["tables"].items(), key=lambda item: -item[1]["bytes"]):
        total += entry["bytes"]
        print(f"    {name:<18} {entry['rows']:>9,} rows {entry['bytes'] / 1e3:9.1f} kB")
    print(f"  total: {total / 1e6:.2f} MB of Parquet, {extra / 1e3:.1f} kB of manifest and attribution")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
