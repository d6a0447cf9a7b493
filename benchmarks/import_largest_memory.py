"""Peak memory of reading and checking the largest file the importer accepts (issue 15, item 7).

The limits (``ingest.limits``) accept up to 3,000,000 rows and 12,000,000 cells. This script
writes a long Parquet file of indicator values at the row limit (3,000,000 rows x 4 columns:
250 indicators x 40 authorities x 300 financial years, unique keys), then in a fresh child
process reads it (``reading.read_file``) and checks every row (``file_checks.check``, as an
import does before it writes) and prints wall time and peak resident memory. Target: under 1 GB.
Run ``python benchmarks/import_largest_memory.py [--rows N]``.
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
from benchmarking.ingest.reading import read_file
from benchmarking.ingest.file_checks import check
start = time.perf_counter()
frame = read_file({path!r})
read = time.perf_counter() - start
checked = check("indicator_value", frame, "largest.parquet", {authorities!r}, {indicators!r})
seconds = time.perf_counter() - start
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{{len(frame):,}} rows read in {{read:.1f}} s, checked in {{seconds - read:.1f}} s "
      f"({{len(checked.issues)}} issues); peak RSS {{peak_mb:,.0f}} MB")
"""


def main(rows: int = 3_000_000) -> int:
    """Write the file, read and check it in a child process, print time and peak memory; return 0."""
    indicators = [f"I{i:04d}" for i in range(250)]
    authorities = [f"E1000{i:04d}" for i in range(40)]
    years = rows // (len(indicators) * len(authorities))
    periods = [f"{y}/{(y + 1) % 100:02d}" for y in range(2400 - years, 2400)]
    n = len(indicators) * len(authorities) * len(periods)
    index = np.arange(n)
    table = pa.table(
        {
            "indicator_id": pa.DictionaryArray.from_arrays(pa.array(index % 250, pa.int32()), pa.array(indicators)),
            "authority_code": pa.DictionaryArray.from_arrays(
                pa.array((index // 250) % 40, pa.int32()), pa.array(authorities)
            ),
            "period": pa.DictionaryArray.from_arrays(pa.array(index // 10_000, pa.int32()), pa.array(periods)),
            "value": pa.array(np.random.default_rng(0).normal(50, 10, n)),
        }
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "largest.parquet"
        pq.write_table(table, path)
        print(f"{path.name}: {path.stat().st_size / 1024 / 1024:,.1f} MB, {n:,} rows x 4 columns")
        child = CHILD.format(root=str(ROOT), path=str(path), authorities=authorities, indicators=indicators)
        subprocess.run([sys.executable, "-c", child], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[sys.argv.index("--rows") + 1])) if "--rows" in sys.argv else main())
