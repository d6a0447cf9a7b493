"""Time the Cabinet briefing on the demo data: cold and warm, PPTX and PDF, and peak memory.

Builds the demo store (32 authorities) in a temporary folder, then times the briefing for
Leicestershire, 2021/22, all county areas, the way the Presentation page and
``python -m benchmarking brief`` make it: read the store and run the engine, build the
slides and their charts, render each chart to PNG, write the PPTX and/or the PDF.

* cold: each of "PPTX alone", "PDF alone" and "PPTX and PDF" in a fresh Python process, so
  the figure includes the imports and the chart renderer's start-up;
* warm: in this process after a first briefing, once with the PNG cache cleared (as for a
  new selection) and once for the same selection again (PNG cache hit).

Wall time is what a person waits; CPU time (all threads of the process) shows how much of
the wall time other work on the machine took, so the load average is printed too. In a cold
run the CPU time of "slides and charts" includes the renderer's start-up, which
``build_briefing`` begins on a background thread. Run
``/work/venv/bin/python benchmarks/briefing_speed.py``; it prints figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FOCUS, PERIOD = "E10000018", "2021/22"
OUTPUTS = {"pptx": "PPTX alone", "pdf": "PDF alone", "both": "PPTX and PDF"}
STAGES = ["read + engine", "slides and charts", "chart images (PNG)", "PPTX", "PDF"]


class _Clock:
    """Wall and CPU seconds per named stage."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}

    def time(self, name: str, function, *args):
        wall, cpu = time.perf_counter(), time.process_time()
        result = function(*args)
        self.wall[name] = time.perf_counter() - wall
        self.cpu[name] = time.process_time() - cpu
        return result


def briefing_run(store_path: Path, output: str) -> dict:
    """Return the wall and CPU seconds of each stage of one briefing written as ``output``."""
    from benchmarking.briefing.pack import build_briefing, chart_images
    from benchmarking.briefing.pdf import to_pdf
    from benchmarking.briefing.pptx import to_pptx
    from benchmarking.service.benchmark import comparator_group, compute
    from benchmarking.service.catalogue import load_catalogue
    from benchmarking.store import Store

    def engine():
        catalogue = load_catalogue(Store(store_path))
        return catalogue, compute(catalogue, comparator_group(catalogue, "all", FOCUS))

    clock = _Clock()
    catalogue, bench = clock.time("read + engine", engine)
    briefing = clock.time("slides and charts", build_briefing, catalogue, bench, PERIOD, FOCUS)
    images = clock.time("chart images (PNG)", chart_images, briefing)
    sizes = {}
    if output in ("pptx", "both"):
        sizes["pptx_mb"] = len(clock.time("PPTX", to_pptx, briefing, images)) / 1e6
    if output in ("pdf", "both"):
        sizes["pdf_mb"] = len(clock.time("PDF", to_pdf, briefing, images)) / 1e6
    return {
        "wall": clock.wall,
        "cpu": clock.cpu,
        "sections": len(briefing.slides),
        "charts": sum(image is not None for image in images),
        **sizes,
    }


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(store_path: Path, output: str) -> None:
    """Run one cold briefing in this (fresh) process and print its figures as JSON."""
    wall, cpu = time.perf_counter(), time.process_time()
    import benchmarking.briefing.pack

    if output in ("pptx", "both"):
        import benchmarking.briefing.pptx
    if output in ("pdf", "both"):
        import benchmarking.briefing.pdf  # noqa: F401
    imports = {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu}
    result = briefing_run(store_path, output)
    result["imports"] = imports
    result["rss_mb"] = _peak_rss_mb()
    print(json.dumps(result))


def _cold(store_path: Path, output: str) -> dict:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, __file__, "--child", output, "--db", str(store_path)],
        check=True,
        capture_output=True,
        text=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["process"] = time.perf_counter() - started
    return result


def _load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def _cell(wall: float | None, cpu: float | None = None) -> str:
    if wall is None:
        return f"{'-':>24s}"
    return f"{wall:7.2f} s" + (f" (cpu {cpu:5.2f})" if cpu is not None else " " * 11)


def _table(title: str, results: dict[str, dict], cold: bool) -> None:
    print(title)
    print(f"  {'':27s}" + "".join(f"{OUTPUTS[o]:>24s}" for o in results))
    rows = (["imports"] if cold else []) + STAGES
    for row in rows:
        cells = []
        for result in results.values():
            if row == "imports":
                cells.append(_cell(result["imports"]["wall"], result["imports"]["cpu"]))
            elif row in result["wall"]:
                cells.append(_cell(result["wall"][row], result["cpu"][row]))
            else:
                cells.append(_cell(None))
        print(f"  {row:27s}" + "".join(f"{cell:>24s}" for cell in cells))
    totals = [_cell(sum(r["wall"].values()), sum(r["cpu"].values())) for r in results.values()]
    print(f"  {'briefing, after imports':27s}" + "".join(f"{cell:>24s}" for cell in totals))
    if cold:
        print(f"  {'whole fresh process':27s}" + "".join(f"{_cell(r['process']):>24s}" for r in results.values()))
        print(f"  {'peak RSS':27s}" + "".join(f"{r['rss_mb']:>10.0f} MB" + " " * 11 for r in results.values()))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", choices=list(OUTPUTS), help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.db, args.child)
        return
    from benchmarking import charts
    from benchmarking.datasets.demo import build_demo_store

    with tempfile.TemporaryDirectory() as folder:
        store_path = Path(folder) / "demo.duckdb"
        build_demo_store(store_path)
        print(
            f"Cabinet briefing, demo data ({FOCUS}, {PERIOD}, all county areas); "
            f"{os.cpu_count()} CPUs, load average {_load()} at start"
        )
        cold = {output: _cold(store_path, output) for output in OUTPUTS}
        first = cold["both"]
        print(
            f"{first['sections']} sections, {first['charts']} charts; "
            f"PPTX {first['pptx_mb']:.1f} MB, PDF {first['pdf_mb']:.1f} MB\n"
        )
        _table("cold: each in a fresh process (imports, store read, renderer start-up)", cold, cold=True)
        briefing_run(store_path, "both")  # this process's first briefing: imports and renderer start
        warm = {}
        for output in OUTPUTS:
            getattr(charts, "clear_png_cache", lambda: None)()
            warm[output] = briefing_run(store_path, output)
        _table("\nwarm, new selection: PNG cache cleared before each", warm, cold=False)
        again = {output: briefing_run(store_path, output) for output in OUTPUTS}
        _table("\nwarm, same selection again (PNG cache hit, where there is one)", again, cold=False)
        print(f"\npeak RSS of this process (warm runs) {_peak_rss_mb():,.0f} MB; load average {_load()} at end")


if __name__ == "__main__":
    main()
