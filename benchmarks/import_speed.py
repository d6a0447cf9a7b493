"""Time imports and print rows/s and peak memory: 1,000,000 synthetic values, then the real files.

Synthetic: builds a demo store in a temporary folder, adds 3,125 indicators, then imports
3,125 indicators x 32 authorities x 10 periods = 1,000,000 values, first as a fresh load
(all rows added) and then again (all rows replaced), with ``import_file``; then the same
CSV through the upload path the Data import page and ``python -m benchmarking import`` use
(read, recognise, map, preview, commit), and as a wide table (periods as columns).

Real files (when ``../shared/data`` or ``$BENCHMARKING_SOURCES`` exists): LGBF, Oflog and
IMD 2019 loaded through their adapters (preview, then commit) into a fresh store; the
published ``ASC_data.csv`` and LGBF ranked file again through the upload path; and the DfE
LAIT Parquet file (641,070 rows) read, mapped and previewed (its indicators are not in
the store, so it is a dry run).

National scale, as a user runs it (issue 19): ``national_data.write_national_csvs`` writes
152 authorities, 2,000 indicators and 3,040,000 values; a store is built with the authorities
and indicators through the CLI, then ``python -m benchmarking import values.csv --table
indicator_value`` is timed as a child process, first as a fresh load (every row added) and
again (every row replaced, the values shifted so that each one differs), beside a plain DuckDB
reference on the same file in the same run (``CREATE TABLE t AS SELECT * FROM
read_csv('values.csv')`` into a fresh database file). Prints both, their ratio and the
child's peak memory.

With ``--steps`` the national fresh load is run once more under cProfile (a child process) and its time is
printed by step: start-up and imports, reading the file, mapping, the checks, the plan, coverage, the write.
cProfile slows Python code more than C, so the steps say where the time goes, not what each costs alone.

With ``--sql-floor`` it also times the floor of an import done all in SQL (the design issue 19 suggests: the
checks as set-based SQL over the rows DuckDB's reader stages): a child process that imports only DuckDB, then
in one transaction on a copy of the store with the authorities and indicators, INSERTs the file's rows from
``read_csv`` into ``indicator_value`` (each value read as text, checked to be a plain number and cast, as the
importer must), then checks that no key is given twice (one GROUP BY), and commits; each step's seconds are
printed beside the reference's. Any other check (known codes and ids, period labels, the stored values) would
come on top, so a ratio over 2x here means no all-SQL import can be within 2x of the reference either.

With it, the same child also times the staged design the issue names, with only its five cheapest checks: the file
staged by ``read_csv`` as text and typed in one pass (a temporary table: the rows a problem names must be kept apart
from the store until they pass), then one aggregate over the staged keys (known authority codes and indicator ids,
period labels of the form 2022/23, figures that are numbers, no key twice), the plan's join with the stored values,
and the INSERT. Lifetimes, stored figures kept, plausibility, coverage and the undo copy would come on top.

Run: ``.venv/bin/python benchmarks/import_speed.py`` (``--real-only`` skips the synthetic part,
``--national-only`` runs the national comparison alone, ``--steps`` adds the breakdown, ``--sql-floor`` the
all-SQL floor and the staged design)
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarking.datasets.demo import build_demo_store
from benchmarking.ingest.context import store_context
from benchmarking.ingest.importer import import_frames
from benchmarking.ingest.preview import commit, import_file, map_sources, preview_import, read_source
from benchmarking.service.data_admin import source_items, source_named
from benchmarking.store import Store

N_INDICATORS = 3_125
SHARED_DATA = Path(os.environ.get("BENCHMARKING_SOURCES") or Path(__file__).resolve().parents[2] / "shared" / "data")


def peak_rss_mb() -> float:
    """Return the process's peak resident set size so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report(label: str, rows: int, seconds: float, detail: str = "") -> None:
    print(
        f"{label:52s} {rows:>9,} rows {seconds:7.2f} s {rows / seconds:>10,.0f} rows/s  "
        f"peak RSS {peak_rss_mb():,.0f} MB  {detail}"
    )


def upload_path(store: Store, paths: list[Path], write: bool = True) -> tuple[int, float, str]:
    """Read, recognise, map, preview (and commit) files as the page does; return rows, seconds, detail."""
    start = time.perf_counter()
    sources = [read_source(path) for path in paths]
    mapped = map_sources(sources, store_context(store))
    preview = preview_import(store, mapped)
    detail = (
        f"added {preview.added:,} replaced {preview.replaced:,} unchanged {preview.unchanged:,} "
        f"rejected {preview.rejected:,}"
    )
    if write:
        commit(store, mapped, {s.name: s.sha256 for s in sources}, skip_rejected=True)
    return sum(m.frame.shape[0] for m in mapped), time.perf_counter() - start, detail


def synthetic(folder: Path) -> None:
    rng = np.random.default_rng(1)
    store = build_demo_store(folder / "bench.duckdb")
    codes = store.authorities()["code"].to_numpy()
    periods = store.periods()["label"].to_numpy()
    ids = np.array([f"BENCH{i:05d}" for i in range(N_INDICATORS)])
    catalogue = pd.DataFrame(
        {
            "id": ids,
            "name": [f"Benchmark indicator {i}" for i in range(N_INDICATORS)],
            "theme": "Economy",
            "polarity": "high",
        }
    )
    catalogue.to_csv(folder / "indicators.csv", index=False)
    import_file(store, folder / "indicators.csv", "indicator")

    grid = pd.MultiIndex.from_product(
        [ids, codes, periods], names=["indicator_id", "authority_code", "period"]
    ).to_frame(index=False)
    grid["value"] = np.round(rng.normal(50, 10, len(grid)), 3)
    csv_path, parquet_path = folder / "values.csv", folder / "values.parquet"
    grid.to_csv(csv_path, index=False)
    grid.to_parquet(parquet_path, index=False)
    wide_path = folder / "wide.csv"
    grid.pivot(index=["indicator_id", "authority_code"], columns="period", values="value").reset_index().rename(
        columns={"indicator_id": "Indicator", "authority_code": "Area code"}
    ).to_csv(wide_path, index=False)
    rows = len(grid)
    del grid
    print(
        f"rows per file: {rows:,}; CSV {csv_path.stat().st_size / 1e6:.1f} MB, "
        f"Parquet {parquet_path.stat().st_size / 1e6:.1f} MB, wide CSV {wide_path.stat().st_size / 1e6:.1f} MB"
    )
    for label, path in [
        ("CSV, fresh load", csv_path),
        ("CSV, re-import (replace)", csv_path),
        ("Parquet, re-import (replace)", parquet_path),
    ]:
        start = time.perf_counter()
        result = import_file(store, path, "indicator_value")
        report(label, rows, time.perf_counter() - start, f"added {result.added:,} replaced {result.replaced:,}")
    for label, path in [
        ("upload path: CSV, preview + commit", csv_path),
        ("upload path: wide CSV (periods), preview + commit", wide_path),
    ]:
        count, seconds, detail = upload_path(store, [path])
        report(label, count, seconds, detail)
    count, seconds, detail = upload_path(store, [csv_path], write=False)
    report("upload path: CSV, preview only", count, seconds, detail)


def real(folder: Path) -> None:
    if not SHARED_DATA.is_dir():
        print(f"real files: {SHARED_DATA} not found, skipped")
        return
    print(f"real files from {SHARED_DATA}")
    store = Store(folder / "real.duckdb")
    store.initialise()
    for name in ("county-areas", "oflog", "imd"):
        source = source_named(name)
        start = time.perf_counter()
        items = source_items(store, source, SHARED_DATA)
        preview = preview_import(store, items)
        result = import_frames(
            store,
            items,
            dataset_name=source.record_name,
            source=source.provenance,
            file_hashes=source.file_hashes(SHARED_DATA),
        )
        rows = sum(len(frame) for _, frame, _ in items)
        report(
            f"adapter {name}: preview + commit",
            rows,
            time.perf_counter() - start,
            f"added {result.added:,} (previewed {preview.added:,} + {preview.new_periods} periods)",
        )
    count, seconds, detail = upload_path(
        store, [SHARED_DATA / "oflog" / "ASC_data.csv", SHARED_DATA / "lgbf" / "indicator_data_ranked.csv"], write=False
    )
    report("upload path: ASC_data.csv + LGBF ranked, preview", count, seconds, detail)
    lait = SHARED_DATA / "dfe_lait" / "bds_long_0.parquet"
    if lait.is_file():
        count, seconds, detail = upload_path(store, [lait], write=False)
        report("upload path: LAIT parquet, preview (dry run)", count, seconds, detail)


ROOT = Path(__file__).resolve().parents[1]
REFERENCE = """
import sys, duckdb
con = duckdb.connect(sys.argv[1])
con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?)", [sys.argv[2]])
print(con.execute("SELECT count(*) FROM t").fetchone()[0])
"""

SQL_FLOOR = """
import shutil, sys, time
import duckdb
start = time.perf_counter()
shutil.copy(sys.argv[1], sys.argv[2])
con = duckdb.connect(sys.argv[2])
con.execute("SET enable_progress_bar = false")  # its bar would fill the output
con.execute("SET preserve_insertion_order = false")
con.execute("BEGIN")
steps = {}
mark = time.perf_counter()
con.execute(
    "INSERT INTO indicator_value (indicator_id, authority_code, period, value, load_id) "
    "SELECT indicator_id, authority_code, period, CASE WHEN value IS NULL THEN NULL "
    "WHEN regexp_full_match(value, '-?[0-9]+([.][0-9]+)?') THEN CAST(value AS DOUBLE) "
    "ELSE error('not a number: ' || value) END, 1 FROM read_csv(?, header = true, auto_detect = false, "
    "columns = {'indicator_id': 'VARCHAR', 'authority_code': 'VARCHAR', 'period': 'VARCHAR', 'value': 'VARCHAR'})",
    [sys.argv[3]],
).fetchall()
steps["INSERT from read_csv (values checked)"] = time.perf_counter() - mark
mark = time.perf_counter()
con.execute(
    "SELECT count(*) FROM (SELECT 1 FROM indicator_value WHERE load_id = 1 "
    "GROUP BY indicator_id, authority_code, period HAVING count(*) > 1)"
).fetchall()
steps["no key twice (GROUP BY)"] = time.perf_counter() - mark
"""
"""The floor of an all-SQL import (``--sql-floor``): argv = store with the catalogue, a scratch copy, values CSV
(``SQL_COMMIT`` follows)."""

SQL_COMMIT = """
mark = time.perf_counter()
con.execute("COMMIT")
con.close()
steps["commit"] = time.perf_counter() - mark
for name, seconds in steps.items():
    print(f"{name}\t{seconds:.3f}")
"""
"""The end of each all-SQL child: the commit timed, then every step's seconds printed."""

SQL_STAGED = """
import shutil, sys, time
import duckdb
shutil.copy(sys.argv[1], sys.argv[2])
con = duckdb.connect(sys.argv[2])
con.execute("SET enable_progress_bar = false")  # its bar would fill the output
con.execute("BEGIN")
steps = {}
mark = time.perf_counter()
con.execute(
    "CREATE TEMP TABLE staged AS SELECT trim(indicator_id) AS indicator_id, trim(authority_code) AS authority_code, "
    "trim(period) AS period, value AS given, TRY_CAST(value AS DOUBLE) AS value FROM read_csv(?, header = true, "
    "auto_detect = false, columns = {'indicator_id': 'VARCHAR', 'authority_code': 'VARCHAR', 'period': 'VARCHAR', "
    "'value': 'VARCHAR'})",
    [sys.argv[3]],
)
steps["stage the file, typed"] = time.perf_counter() - mark
mark = time.perf_counter()
problems = con.execute(
    "WITH k AS (SELECT authority_code, indicator_id, period, count(*) AS n, "
    "count(*) FILTER (WHERE value IS NULL AND given IS NOT NULL) AS not_numbers FROM staged GROUP BY ALL) "
    "SELECT count(*) FILTER (WHERE a.code IS NULL) + count(*) FILTER (WHERE i.id IS NULL) "
    "+ count(*) FILTER (WHERE NOT regexp_full_match(k.period, '[0-9]{4}/[0-9]{2}')) + sum(not_numbers) "
    "+ count(*) FILTER (WHERE n > 1) FROM k LEFT JOIN authority AS a ON a.code = k.authority_code "
    "LEFT JOIN indicator AS i ON i.id = k.indicator_id"
).fetchone()[0]
assert problems == 0, problems
steps["5 checks: codes, ids, periods, numbers, key twice"] = time.perf_counter() - mark
mark = time.perf_counter()
con.execute("SELECT count(*) FROM staged JOIN indicator_value USING (indicator_id, authority_code, period)").fetchall()
steps["plan: join with the stored values"] = time.perf_counter() - mark
mark = time.perf_counter()
con.execute(
    "INSERT INTO indicator_value (indicator_id, authority_code, period, value, load_id) "
    "SELECT indicator_id, authority_code, period, value, 1 FROM staged"
)
steps["INSERT the staged rows"] = time.perf_counter() - mark
"""
"""The staged all-SQL design with its five cheapest checks (``--sql-floor``): argv as ``SQL_FLOOR``'s."""


def sql_floor(folder: Path, store: Path, values: Path, rows: int) -> None:
    """Print the floor of an import done all in SQL (``SQL_FLOOR``), then the staged design with its five cheapest
    checks (``SQL_STAGED``), each beside the plain reference, step by step."""
    for label, script in [("all-SQL floor (fresh load)", SQL_FLOOR), ("staged, 5 checks (fresh load)", SQL_STAGED)]:
        sql_child(folder, store, values, rows, label, script)


def sql_child(folder: Path, store: Path, values: Path, rows: int, label: str, script: str) -> None:
    """Time ``script`` in a child (argv = store, scratch copy, values CSV) beside the reference; print each step."""
    scratch = folder / "sql-floor.duckdb"
    seconds, peak, output, cpu = timed_child(
        [sys.executable, "-c", script + SQL_COMMIT, str(store), str(scratch), str(values)]
    )
    scratch.unlink()
    plain, _, _, plain_cpu = reference(folder, values)
    print(
        f"  {label:30s} {seconds:6.1f} s wall, {cpu:5.1f} s CPU ({rows / seconds:>9,.0f} "
        f"rows/s, peak RSS {peak:,.0f} MB); DuckDB read_csv {plain:5.1f} s wall, {plain_cpu:4.1f} s CPU; ratio "
        f"{seconds / plain:4.1f}x wall, {cpu / plain_cpu:4.1f}x CPU"
    )
    for line in output.strip().splitlines():
        step, _, spent = line.partition("\t")
        print(f"    {step:36s} {float(spent):5.2f} s" if spent else f"    {line}")


def timed_child(arguments: list[str]) -> tuple[float, float, str, float]:
    """Run a child process from the project root; return (seconds, its own peak RSS in MB, its output, CPU seconds).

    The peak and the CPU time (user + system) are the child's own (``os.wait4``: the
    RUSAGE_CHILDREN figures of this one child). CPU time is steadier than wall time on a shared machine.
    """
    with tempfile.TemporaryFile("w+") as output:
        start = time.perf_counter()
        child = subprocess.Popen(arguments, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT, text=True)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read()
    if child.returncode:
        raise SystemExit(f"{' '.join(arguments)} failed:\n{text}")
    return seconds, usage.ru_maxrss / 1024, text, usage.ru_utime + usage.ru_stime


def cli(store: Path, *arguments: str) -> tuple[float, float, str, float]:
    """Run ``python -m benchmarking --db STORE ARGUMENTS`` as a user does; return seconds, peak MB, output, CPU s."""
    return timed_child([sys.executable, "-m", "benchmarking", "--db", str(store), *arguments])


def reference(folder: Path, csv_path: Path) -> tuple[float, float, str, float]:
    """Time plain DuckDB reading the CSV into a table of a fresh database file."""
    database = folder / f"reference-{time.monotonic_ns()}.duckdb"
    result = timed_child([sys.executable, "-c", REFERENCE, str(database), str(csv_path)])
    database.unlink()
    return result


def national(folder: Path) -> None:
    """Time the CLI import of 3.04 M values (fresh, then replacing every row) beside plain DuckDB read_csv."""
    national_folder = folder / "national"
    # Written by a child process: a child's peak RSS starts from its parent's RSS when it forks,
    # so the parent stays small for the children's peaks to be their own.
    subprocess.run(
        [sys.executable, str(Path(__file__).with_name("national_data.py")), str(national_folder), "--replaced"],
        check=True,
        capture_output=True,
    )
    paths = {
        "authority": national_folder / "authorities.csv",
        "indicator": national_folder / "indicators.csv",
        "indicator_value": national_folder / "values.csv",
    }
    replaced = national_folder / "values_replaced.csv"
    # Byte-compiled first, as an installed package is: PYTHONDONTWRITEBYTECODE (set in some shells) would make
    # every child compile the package's sources again (~50 ms that no user pays twice).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "benchmarking")], check=True)
    rows = sum(1 for _ in paths["indicator_value"].open("rb")) - 1
    store = folder / "national.duckdb"
    cli(store, "import", str(paths["authority"]), "--table", "authority", "--create")
    cli(store, "import", str(paths["indicator"]), "--table", "indicator")
    if "--sql-floor" in sys.argv:
        sql_floor(folder, store, paths["indicator_value"], rows)
    print(f"national: {rows:,} values, {paths['indicator_value'].stat().st_size / 1e6:.1f} MB CSV")
    for label, path in [("fresh load", paths["indicator_value"]), ("re-import, every row replaced", replaced)]:
        seconds, peak, output, cpu = cli(store, "import", str(path), "--table", "indicator_value")
        plain, plain_peak, _, plain_cpu = reference(folder, path)
        print(
            f"  {label:30s} CLI import {seconds:6.1f} s wall, {cpu:5.1f} s CPU ({rows / seconds:>9,.0f} rows/s, "
            f"peak RSS {peak:,.0f} MB); DuckDB read_csv {plain:5.1f} s wall, {plain_cpu:4.1f} s CPU "
            f"({rows / plain:>10,.0f} rows/s, peak RSS {plain_peak:,.0f} MB); ratio {seconds / plain:4.1f}x wall, "
            f"{cpu / plain_cpu:4.1f}x CPU"
        )
        print("    " + output.strip().splitlines()[-1][:160])
    seconds, peak, _, cpu = cli(store, "undo")
    print(f"  {'undo of the replace':30s} {seconds:6.1f} s wall, {cpu:5.1f} s CPU (peak RSS {peak:,.0f} MB)")
    if "--steps" in sys.argv:
        cli(store, "undo")  # the values gone again: the profiled import is a fresh load
        steps(folder, store, paths["indicator_value"])


STEPS = {
    "read the file (and its SHA-256)": "preview.py:read_source",
    "map columns to store rows": "preview.py:map_sources",
    "check the rows": "validation.py:check_batch",
    "plan: added, replaced, unchanged": "writes.py:plan",
    "coverage before and after": "coverage.py:coverage_effect",
    "write (one transaction)": "database.py:write",
    "  of which the rows' INSERT/UPDATE": "writes.py:upsert",
}
"""Step -> the function (file:name) whose cumulative time is the step's."""


def steps(folder: Path, store: Path, values: Path) -> None:
    """Print where one fresh CLI import of ``values`` spends its time, by step (cProfile in a child process)."""
    import pstats

    profile = folder / "import.prof"
    arguments = ["-m", "benchmarking", "--db", str(store), "import", str(values), "--table", "indicator_value"]
    seconds, _, _, cpu = timed_child([sys.executable, "-m", "cProfile", "-o", str(profile), *arguments])
    stats = pstats.Stats(str(profile)).stats
    total = max(entry[3] for entry in stats.values())
    imports = sum(entry[3] for (path, _, name), entry in stats.items() if name == "_find_and_load")
    print(f"  where a fresh load's time goes (cProfile: {seconds:.1f} s wall, {cpu:.1f} s CPU; {total:.2f} s profiled)")
    print(f"    {'Python imports (pandas, DuckDB, ...)':36s} {imports:5.2f} s")
    for label, where in STEPS.items():
        file_name, function = where.split(":")
        spent = sum(e[3] for (path, _, name), e in stats.items() if name == function and path.endswith(file_name))
        print(f"    {label:36s} {spent:5.2f} s")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        if "--national-only" in sys.argv:
            national(folder)
            return
        if "--real-only" not in sys.argv:
            national(folder)  # first, while this process is small (its RSS is the children's floor)
            synthetic(folder)
        real(folder)


if __name__ == "__main__":
    main()
