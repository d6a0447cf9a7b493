"""Time two designs for an import without pandas beside plain DuckDB ``read_csv``, to plan issue 19's 2x target.

The CLI import reads the file with pyarrow into pandas, checks it there and then writes it
(``import_speed.py --national-only`` times it: about 2.3x ``read_csv`` on 3.04 M values). This
script times, in child processes on the same file and store, in the same run:

- **reference**: ``CREATE TABLE t AS SELECT * FROM read_csv(...)`` into a fresh file (as ``import_speed.py``);
- **stage, check, write**: the file read by DuckDB into a temporary table, the key checks as SQL over it
  (unknown authorities and indicators, repeated keys, empty keys, the distinct periods), then one ``INSERT``;
- **write, then check, in one transaction**: one ``INSERT ... SELECT FROM read_csv(...)`` (DuckDB streams the
  file into the table as the reference does), the same checks over the rows just written (by their load id),
  then ``COMMIT``; a check that fails would ``ROLLBACK``, so the store still changes whole or not at all.

Neither design is the product: each makes only the key checks (not trimming, invisible characters, period
labels, number cells, coverage or the preview's counts), so each is a floor for its design, not its cost.

Run: ``.venv/bin/python benchmarks/import_designs.py`` (writes the national CSVs and a store in a temporary
folder first, ~30 s).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from import_speed import ROOT, cli, reference, timed_child

TYPES = "{'indicator_id': 'VARCHAR', 'authority_code': 'VARCHAR', 'period': 'VARCHAR', 'value': 'DOUBLE'}"
CHECKS = """
unknown = "SELECT count(*) FROM (SELECT DISTINCT {column} FROM {rows}) s ANTI JOIN {table} t ON t.{key} = s.{column}"
checks = [
    unknown.format(column="authority_code", rows=ROWS, table="authority", key="code"),
    unknown.format(column="indicator_id", rows=ROWS, table="indicator", key="id"),
    f"SELECT count(*) - count(DISTINCT hash(indicator_id, authority_code, period)) FROM {ROWS}",
    f"SELECT count(*) FROM {ROWS} WHERE indicator_id = '' OR authority_code = '' OR period = ''",
    f"SELECT DISTINCT period FROM {ROWS}",
]
for check in checks:
    con.execute(check).fetchall()
"""
STAGED = (
    """
import sys, duckdb
con = duckdb.connect(sys.argv[1])
con.execute("SET preserve_insertion_order = false")
con.execute(f"CREATE TEMP TABLE staged AS SELECT * FROM read_csv(?, header = true, types = {TYPES})", [sys.argv[2]])
ROWS = "staged"
"""
    + CHECKS
    + """
con.execute("BEGIN")
con.execute("INSERT INTO indicator_value (indicator_id, authority_code, period, value, load_id) "
            "SELECT indicator_id, authority_code, period, value, 99 FROM staged")
con.execute("COMMIT")
"""
)
WRITTEN = (
    """
import sys, duckdb
con = duckdb.connect(sys.argv[1])
con.execute("SET preserve_insertion_order = false")
con.execute("BEGIN")
con.execute("INSERT INTO indicator_value (indicator_id, authority_code, period, value, load_id) "
            f"SELECT indicator_id, authority_code, period, value, 99 FROM read_csv(?, header = true, types = {TYPES})",
            [sys.argv[2]])
ROWS = "(SELECT * FROM indicator_value WHERE load_id = 99)"
"""
    + CHECKS
    + """
con.execute("COMMIT")
"""
)


def design(script: str, store: Path, values: Path, folder: Path) -> tuple[float, float]:
    """Return (wall s, CPU s) of ``script`` run on a copy of ``store`` (authorities and indicators only)."""
    copy = folder / "design.duckdb"
    shutil.copy(store, copy)
    seconds, _, _, cpu = timed_child([sys.executable, "-c", f"TYPES = {TYPES!r}\n" + script, str(copy), str(values)])
    copy.unlink()
    return seconds, cpu


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        data = folder / "national"
        subprocess.run(
            [sys.executable, str(ROOT / "benchmarks" / "national_data.py"), str(data)], check=True, capture_output=True
        )
        store = folder / "base.duckdb"
        cli(store, "import", str(data / "authorities.csv"), "--table", "authority", "--create")
        cli(store, "import", str(data / "indicators.csv"), "--table", "indicator")
        values = data / "values.csv"
        rows = sum(1 for _ in values.open("rb")) - 1
        print(f"{rows:,} values; each figure the best of 3 (wall s, CPU s)")
        runs = {"reference: read_csv into a table": [reference(folder, values)[::3] for _ in range(3)]}
        for label, script in [("stage, check, write", STAGED), ("write, then check, one transaction", WRITTEN)]:
            runs[label] = [design(script, store, values, folder) for _ in range(3)]
        plain = min(wall for wall, _ in runs["reference: read_csv into a table"])
        for label, figures in runs.items():
            wall, cpu = min(figures)
            print(f"  {label:38s} {wall:5.2f} s wall {cpu:5.2f} s CPU  {wall / plain:4.2f}x the reference")


if __name__ == "__main__":
    main()
