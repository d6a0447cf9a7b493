"""Time the Cabinet briefing on the demo data: build, chart images, PPTX and PDF.

Run: ``.venv/bin/python benchmarks/briefing_speed.py``
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarking import analysis  # noqa: E402
from benchmarking.briefing import build_briefing, chart_images  # noqa: E402
from benchmarking.demo import build_demo_store  # noqa: E402
from benchmarking.export_pdf import to_pdf  # noqa: E402
from benchmarking.export_pptx import to_pptx  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = build_demo_store(Path(folder) / "demo.duckdb")
        for run in (1, 2):
            timings = {}
            start = time.perf_counter()
            catalogue = analysis.load_catalogue(store)
            bench = analysis.compute(catalogue, analysis.comparator_group(catalogue, "all", "E10000018"))
            timings["read + engine"] = time.perf_counter() - start
            step = time.perf_counter()
            briefing = build_briefing(catalogue, bench, "2021/22", "E10000018")
            timings["slides and charts"] = time.perf_counter() - step
            step = time.perf_counter()
            images = chart_images(briefing)
            timings["chart images (PNG)"] = time.perf_counter() - step
            step = time.perf_counter()
            pptx = to_pptx(briefing, images)
            timings["PPTX"] = time.perf_counter() - step
            step = time.perf_counter()
            pdf = to_pdf(briefing, images)
            timings["PDF"] = time.perf_counter() - step
            pptx_total = sum(v for k, v in timings.items() if k != "PDF")
            print(f"run {run} ({'cold: first chart render starts the renderer' if run == 1 else 'warm'}):")
            for name, seconds in timings.items():
                print(f"  {name:22s} {seconds:6.2f} s")
            print(f"  PPTX from scratch      {pptx_total:6.2f} s ({len(pptx) / 1e6:.1f} MB, {len(briefing.slides)} sections)")
            print(f"  PPTX and PDF together  {sum(timings.values()):6.2f} s (PDF {len(pdf) / 1e6:.1f} MB)")
        print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")


if __name__ == "__main__":
    main()
