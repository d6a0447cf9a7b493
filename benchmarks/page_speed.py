"""Time every page of the app with Streamlit's AppTest: the cold first render and the warm
rerun after a widget change.

Builds the demo store (32 authorities, 10 periods) in a temporary folder and, for each page:

* cold: Streamlit's caches cleared, a fresh AppTest opened straight on the page, one run
  (reads the store, ranks every indicator for the group, draws the page);
* warm, period: the sidebar period switched between the two latest periods, one rerun
  (the cached benchmark is reused; the page redraws for the new period);
* warm, widget: a widget on the page itself changed, one rerun (pages that have one).

Each is repeated (``--repeat N``, default 5); the median and the worst time are printed in
milliseconds. AppTest's own cost is printed first for scale: a fresh AppTest's first run of
an empty script (it scans installed packages for components) and a rerun of it. Run
``python benchmarks/page_speed.py 2>/dev/null``: the figures go to stdout, while Streamlit
logs "missing ScriptRunContext" warnings to stderr whenever its caches are cleared outside
a running app. The machine's load shows in the worst times: run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from benchmarking.datasets.demo import build_demo_store  # noqa: E402
from pages._navigation import keep_navigation_mode  # noqa: E402

APP = str(ROOT / "app.py")
TIMEOUT = 120

# page -> (key of a widget on the page, the two values to alternate between), or None
PAGE_WIDGETS = {
    "overview": None,
    "quadrant": ("quadrant_theme", ["Adult Social Care", "Overall"]),
    "themes": None,
    "indicator": ("indicator_theme", ["Education", "All themes"]),
    "quartiles": None,
    "trend": ("trend_themes", [["Overall", "LA Core", "Education"], ["Overall", "LA Core"]]),
    "funding": ("funding_reference", ["highest", "median"]),
    "beyond_ranks": ("beyond_vfm_theme", ["Education", "Overall"]),
    "presentation": None,
    "data": None,
    "import_data": None,
}


# -- driving AppTest --------------------------------------------------------------------


def timed_run(at: AppTest) -> float:
    """Run the app once and return the wall-clock milliseconds; fail loudly on an exception."""
    start = time.perf_counter()
    at.run()
    elapsed = (time.perf_counter() - start) * 1000
    if at.exception:
        raise RuntimeError(f"the page raised: {at.exception[0].value}")
    return elapsed


def cold_render(page: str) -> tuple[float, AppTest]:
    """Clear Streamlit's caches, open the page in a fresh AppTest and time its first run."""
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if page != "overview":
        at.switch_page(f"pages/{page}.py")
    return timed_run(at), at


def sidebar_period(at: AppTest):
    """Return the sidebar's period selectbox (found by its label)."""
    return next(box for box in at.sidebar.selectbox if box.label == "Period")


def page_widget(at: AppTest, key: str):
    """Return the page's widget with ``key``."""
    return next(w for w in [*at.selectbox, *at.radio, *at.multiselect] if w.key == key)


def measure(page: str, repeat: int) -> dict[str, list[float]]:
    """Return the cold, warm-period and warm-widget timings (ms) of one page."""
    times: dict[str, list[float]] = {"cold": [], "warm, period": [], "warm, widget": []}
    for _ in range(repeat):
        elapsed, at = cold_render(page)
        times["cold"].append(elapsed)
    periods = list(sidebar_period(at).options)[-2:]
    for i in range(repeat):  # LATEST is shown: the first change is to the one before
        sidebar_period(at).set_value(periods[i % 2])
        times["warm, period"].append(timed_run(at))
    if PAGE_WIDGETS[page]:
        key, values = PAGE_WIDGETS[page]
        for i in range(repeat):
            page_widget(at, key).set_value(values[i % 2])
            times["warm, widget"].append(timed_run(at))
    return times


def harness_overhead(repeat: int) -> tuple[list[float], list[float]]:
    """Return AppTest's own first-run and rerun times (ms) for an empty script."""
    first, rerun = [], []
    for _ in range(repeat):
        at = AppTest.from_string("import streamlit as st\nst.write('empty')", default_timeout=TIMEOUT)
        first.append(timed_run(at))
        rerun.append(timed_run(at))
    return first, rerun


# -- report -----------------------------------------------------------------------------


def _figures(values: list[float]) -> str:
    if not values:
        return f"{'-':>8} {'-':>8}"
    return f"{statistics.median(values):8.0f} {max(values):8.0f}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="repetitions of each measurement")
    parser.add_argument("--page", choices=list(PAGE_WIDGETS), nargs="*", default=list(PAGE_WIDGETS))
    args = parser.parse_args(argv)

    warnings.filterwarnings("ignore")
    keep_navigation_mode()  # every AppTest run goes through app.py, as a server does
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo.duckdb"
        start = time.perf_counter()
        build_demo_store(path)
        print(f"demo store built in {time.perf_counter() - start:.1f} s at {path}")
        os.environ["BENCHMARKING_DB"] = str(path)
        cold_render("overview")  # imports pandas, altair, the engine: paid once per process

        first, rerun = harness_overhead(args.repeat)
        print(f"{args.repeat} repetitions; times in ms (median, worst)")
        print(f"AppTest alone, empty script: first run {_figures(first)}   rerun {_figures(rerun)}")
        print(f"{'page':<14} {'cold first render':>17} {'warm: period':>17} {'warm: page widget':>17}")
        print(f"{'':<14} {'median    worst':>17} {'median    worst':>17} {'median    worst':>17}")
        for page in args.page:
            times = measure(page, args.repeat)
            print(
                f"{page:<14} {_figures(times['cold'])} {_figures(times['warm, period'])} "
                f"{_figures(times['warm, widget'])}",
                flush=True,
            )


if __name__ == "__main__":
    main()
