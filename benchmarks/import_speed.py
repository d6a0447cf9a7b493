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

Run: ``.venv/bin/python benchmarks/import_speed.py`` (``--real-only`` skips the synthetic part)
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarking.adapters import published_source
from benchmarking.datasets.demo import build_demo_store
from benchmarking.ingest.context import store_context
from benchmarking.ingest.importer import import_file, import_frames
from benchmarking.ingest.preview import commit, map_sources, preview_import, read_source
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
    for name in ("lgbf", "oflog", "imd"):
        source = published_source(name)
        start = time.perf_counter()
        items = source.items(SHARED_DATA, known_codes=store.authorities()["code"])
        preview = preview_import(store, items)
        result = import_frames(
            store,
            items,
            dataset_name=source.dataset_name,
            source=source.source,
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


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        if "--real-only" not in sys.argv:
            synthetic(folder)
        real(folder)


if __name__ == "__main__":
    main()
