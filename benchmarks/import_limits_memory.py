"""Peak memory of refusing a file over the row limit: the 299 kB Parquet of 20 million rows.

Issue 15 (item 7): the file was read whole before the row check, taking 6.35 GB. Now its
row count is read from the Parquet metadata (``ingest.limits``) and it is refused before
a cell is read. This script writes such a file (three dictionary-encoded columns and a
constant value column, 20 M rows), reads it through ``read_file`` in a fresh child process and prints the
child's wall time and peak resident memory (``resource.getrusage``, kilobytes on Linux).
Run ``python benchmarks/import_limits_memory.py``; the target is under 1 GB and 2 s.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import resource, sys, time
sys.path.insert(0, {root!r})
from benchmarking.errors import ImportValidationError
from benchmarking.ingest.reading import read_file
start = time.perf_counter()
try:
    read_file({path!r})
    outcome = "read (not refused)"
except ImportValidationError as error:
    outcome = "refused: " + error.issues[0].message[:100]
seconds = time.perf_counter() - start
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{{outcome}}\\n{{seconds:.2f}} s, peak RSS {{peak_mb:,.0f}} MB")
"""


def main(root: str = str(ROOT)) -> int:
    """Write the 20 M-row file, read it in a child process, print time and peak memory; return 0.

    ``root`` is the checkout whose package reads it (``--root DIR`` to measure another one).
    """
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "twenty_million.parquet"
        codes = pa.array(np.zeros(20_000_000, dtype=np.int8))
        columns = {
            field: pa.DictionaryArray.from_arrays(codes, pa.array([text]))
            for field, text in [("indicator_id", "LCC078"), ("authority_code", "E10000018"), ("period", "2021/22")]
        }
        columns["value"] = pa.array(np.ones(20_000_000))
        pq.write_table(pa.table(columns), path, row_group_size=20_000_000)
        print(f"{path.name}: {path.stat().st_size / 1024:,.0f} kB, 20,000,000 rows")
        child = CHILD.format(root=root, path=str(path))
        subprocess.run([sys.executable, "-c", child], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[sys.argv.index("--root") + 1]) if "--root" in sys.argv else main())
