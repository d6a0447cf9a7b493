"""Write a national-scale store through the project's own import command, for profiling.

152 authorities x 2,000 indicators x 10 financial years (2012/13 to 2021/22) = 3,040,000
values, about 3% missing; indicators fall in 12 themes, about half are core, and polarities
mix high, low, target and none (``national_data.write_national_csvs``, seeded, so every run
writes the same store; the import benchmark times the same files). The authorities, the
indicators and the values are written as CSV and imported with
``python -m benchmarking --db STORE import FILE --table TABLE`` (the first with ``--create``),
exactly as a user would load them; each step's seconds are printed.

Run: ``.venv/bin/python benchmarks/national_store.py [STORE] [--replace]`` (default
``/tmp/national.duckdb``). Other benchmark scripts call ``build_national_store(path)``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from national_data import write_national_csvs  # noqa: E402


def build_national_store(path: Path | str, replace: bool = False) -> Path:
    """Build the national store at ``path`` through the CLI import; return the path (kept if there unless replace)."""
    path = Path(path)
    if path.exists() and not replace:
        print(f"{path} exists: kept (pass replace=True / --replace to rebuild)")
        return path
    path.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        paths = write_national_csvs(Path(folder))
        print(f"  write CSVs {time.perf_counter() - start:8.1f} s")
        for number, (table, csv) in enumerate(paths.items()):
            command = [sys.executable, "-m", "benchmarking", "--db", str(path), "import", str(csv), "--table", table]
            command += ["--name", f"national {table}", *(["--create"] if number == 0 else [])]
            start = time.perf_counter()
            subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
            print(f"  import {table:<16} {time.perf_counter() - start:8.1f} s")
    return path


def main(argv: list[str] | None = None) -> None:
    """Build the store at the path given (default /tmp/national.duckdb) and say how long it took."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", nargs="?", type=Path, default=Path("/tmp/national.duckdb"))
    parser.add_argument("--replace", action="store_true", help="rebuild the store when it exists")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    build_national_store(args.store, replace=args.replace)
    print(f"national store at {args.store}: {time.perf_counter() - start:.1f} s in all")


if __name__ == "__main__":
    main()
