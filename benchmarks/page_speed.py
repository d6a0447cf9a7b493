"""Time every page of the app: AppTest cold, warm and after-a-change runs, and Chromium's
first page of a fresh session and page switch, on the demo store and the real store.

For each store (``--store demo public``; built through the package's own commands in a
temporary folder: the demo generator and ``load-extract`` of the shipped extract) and each
page of ``pages/_registry.py``:

* cold: Streamlit's caches cleared, a fresh AppTest opened straight on the page, one run
  (reads the store, ranks every indicator for the group, draws the page);
* warm: the same AppTest rerun with no change;
* change: one widget change typical of the page (its theme, reference or themes picker;
  the sidebar period on pages without one), then one rerun;
* browser, first: a fresh browser context (a new session) opens the page's URL on a warm
  server, timed until the page has settled (Streamlit's status idle, title and content drawn);
* browser, switch: from the Overview, a click on the page's navigation link, timed the same way;
* cold server: the seconds from ``streamlit run`` to the health check answering, and the first page of
  the first session (the Overview: reads the store and ranks every indicator), printed above the table.

AppTest times are the median of ``--repeat`` runs (default 3); browser times the median of
``--repeat`` visits, after one untimed warm-up visit of every page. Run
``python benchmarks/page_speed.py 2>/dev/null``: figures go to stdout (Streamlit logs
"missing ScriptRunContext" warnings to stderr whenever its caches are cleared outside an app).
``--no-browser`` skips Chromium. The machine's load shows in the wall-clock figures: run it on a
quiet machine. Beside each AppTest time, in brackets, is the CPU time the process spent on the run (every thread:
the script's, DuckDB's, AppTest reading the page back): work that other processes on the machine
lengthen much less than the wall clock, so figures taken under load can still be compared.
A browser page is given ``SETTLE_SECONDS`` (10 minutes) to settle, so a loaded machine slows the
benchmark down instead of ending it.
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

from pages._navigation import keep_navigation_mode  # noqa: E402
from pages._registry import PAGES  # noqa: E402

APP = str(ROOT / "app.py")
TIMEOUT = 300
SETTLE_SECONDS = 600  # a browser page's own limit (tests.browser_support gives up after 60 s)


# page -> key of a widget on the page the change flips (the sidebar period when None)
PAGE_WIDGETS = {
    "overview": None,
    "quadrant": "quadrant_theme",
    "themes": "why_theme",
    "indicator": "indicator_theme",
    "quartiles": None,
    "trend": "trend_themes",
    "funding": "funding_reference",
    "beyond_ranks": "beyond_vfm_theme",
    "presentation": None,
    "data": None,
    "import_data": None,
}


# -- the stores ---------------------------------------------------------------------------


def build_store(kind: str, folder: Path) -> Path:
    """Build the demo or the real store (from the shipped extract) in ``folder``; return its path."""
    from benchmarking.datasets.demo import build_demo_store
    from benchmarking.datasets.public_extract import store_from_extract
    from benchmarking.paths import public_extract_dir

    path = folder / f"{kind}.duckdb"
    start = time.perf_counter()
    if kind == "demo":
        build_demo_store(path)
    else:
        store_from_extract(public_extract_dir(), path)
    print(f"{kind} store built in {time.perf_counter() - start:.1f} s at {path}", flush=True)
    return path


# -- driving AppTest --------------------------------------------------------------------


def timed_run(at: AppTest) -> tuple[float, float]:
    """Run the app once and return the wall-clock and the process CPU milliseconds; fail loudly on an exception."""
    start, cpu = time.perf_counter(), time.process_time()
    at.run()
    elapsed, spent = (time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000
    if at.exception:
        raise RuntimeError(f"the page raised: {at.exception[0].value}")
    return elapsed, spent


def cold_render(page: str) -> tuple[tuple[float, float], AppTest]:
    """Clear Streamlit's caches, open the page in a fresh AppTest and time its first run."""
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if page != "overview":
        at.switch_page(f"pages/{page}.py")
    return timed_run(at), at


def change_widget(at: AppTest, page: str, turn: int) -> None:
    """Flip the page's typical widget (or the sidebar period) to another of its options."""
    key = PAGE_WIDGETS[page]
    if key is None:
        box = next(b for b in at.sidebar.selectbox if b.label == "Period")
        box.set_value(list(box.options)[-1 - (turn + 1) % 2])
        return
    found = next(w for w in [*at.selectbox, *at.radio, *at.multiselect] if w.key == key)
    options = list(found.options)
    if found.type == "multiselect":
        found.set_value(options[:2] if turn % 2 == 0 else options[:3])
    else:
        found.set_value(options[(turn + 1) % 2])


def measure(page: str, repeat: int) -> dict[str, list[tuple[float, float]]]:
    """Return the cold, warm and after-change timings (wall-clock and process CPU ms) of one page."""
    times: dict[str, list[tuple[float, float]]] = {"cold": [], "warm": [], "change": []}
    at = None
    for _ in range(repeat):
        elapsed, at = cold_render(page)
        times["cold"].append(elapsed)
    for turn in range(repeat):
        times["warm"].append(timed_run(at))
        change_widget(at, page, turn)
        times["change"].append(timed_run(at))
    return times


# -- Chromium -----------------------------------------------------------------------------


def wait_for_page(page, key: str, drawn: str | None) -> None:
    """Wait until the page has settled as ``tests.browser_support.wait_for_page`` does (title, content drawn,
    the script idle), for up to ``SETTLE_SECONDS``; say what was still missing if it never does."""
    from tests.browser_support import CHART, UNSETTLED
    from tests.browser_support import PAGES as BROWSER_PAGES

    title, _ = BROWSER_PAGES[key]
    args = [title, CHART if drawn == "chart" else None]
    try:
        page.wait_for_function(
            f"args => ({UNSETTLED})(args).length === 0", arg=args, polling=50, timeout=SETTLE_SECONDS * 1000
        )
    except Exception as error:
        raise RuntimeError(
            f"{page.url} did not settle in {SETTLE_SECONDS} s: {page.evaluate(UNSETTLED, args)}"
        ) from error


def browser_times(db_path: Path, repeat: int) -> dict[str, dict[str, float]]:
    """Return per page the median ms of a fresh session's first page and of a nav-link switch."""
    from playwright.sync_api import sync_playwright

    from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, NORMAL_VIEWPORT, Server

    drawn = {page.key: ("chart" if page.draws_chart else None) for page in PAGES}
    started = time.perf_counter()
    server = Server(db_path, Path(tempfile.mkdtemp()) / "server.log", db_path.stem)
    results: dict[str, dict[str, float]] = {}
    try:
        server.wait_until_ready(SETTLE_SECONDS)
        ready = (time.perf_counter() - started) * 1000
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)

            def first_page(key: str) -> float:
                context = browser.new_context(viewport=NORMAL_VIEWPORT)
                page = context.new_page()
                start = time.perf_counter()
                page.goto(server.page_url(key))
                wait_for_page(page, key, drawn[key])
                elapsed = (time.perf_counter() - start) * 1000
                context.close()
                return elapsed

            cold = first_page("overview")
            print(
                f"{db_path.stem}: cold server {ready:.0f} ms to answer, first page (Overview) {cold:.0f} ms", flush=True
            )
            for entry in PAGES:  # warm the server: every page once
                first_page(entry.key)
            for entry in PAGES:
                firsts = [first_page(entry.key) for _ in range(repeat)]
                switches = []
                context = browser.new_context(viewport=NORMAL_VIEWPORT)
                page = context.new_page()
                for _ in range(repeat):
                    page.goto(server.page_url("overview"))
                    wait_for_page(page, "overview", drawn["overview"])
                    link = page.locator(f'[data-testid="stSidebarNav"] a[href$="/{entry.url_path}"]')
                    if entry.default:
                        link = page.locator('[data-testid="stSidebarNav"] a').first
                    start = time.perf_counter()
                    link.click()
                    wait_for_page(page, entry.key, drawn[entry.key])
                    switches.append((time.perf_counter() - start) * 1000)
                context.close()
                results[entry.key] = {"first": statistics.median(firsts), "switch": statistics.median(switches)}
            browser.close()
    finally:
        server.stop()
    return results


# -- report -----------------------------------------------------------------------------


def _ms(values: list[float] | float | None) -> str:
    if values is None or values == []:
        return f"{'-':>8}"
    value = statistics.median(values) if isinstance(values, list) else values
    return f"{value:8.0f}"


def _both(runs: list[tuple[float, float]]) -> str:
    """Return the median wall-clock ms with the median process CPU ms in brackets."""
    wall = statistics.median(run[0] for run in runs)
    cpu = statistics.median(run[1] for run in runs)
    return f"{wall:8.0f} ({cpu:6.0f})"


def report(store: str, db_path: Path, pages: list[str], repeat: int, browser: bool) -> None:
    """Print the table of one store: page, cold, warm, after change, browser first page and switch."""
    os.environ["BENCHMARKING_DB"] = str(db_path)
    cold_render("overview")  # imports pandas, altair, the engine: paid once per process
    clicks = browser_times(db_path, repeat) if browser else {}
    print(f"\n{store} store: median ms of {repeat} (process CPU ms in brackets)")
    print(f"{'page':<14} {'cold':>17} {'warm':>17} {'change':>17} {'browser first':>14} {'browser switch':>15}")
    for page in pages:
        times = measure(page, repeat)
        seen = clicks.get(page, {})
        print(
            f"{page:<14} {_both(times['cold'])} {_both(times['warm'])} {_both(times['change'])} "
            f"{_ms(seen.get('first')):>14} {_ms(seen.get('switch')):>15}",
            flush=True,
        )


def main(argv: list[str] | None = None) -> None:
    """Build the stores and print one table per store."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="repetitions of each measurement")
    parser.add_argument("--page", choices=list(PAGE_WIDGETS), nargs="*", default=list(PAGE_WIDGETS))
    parser.add_argument("--store", choices=["demo", "public"], nargs="*", default=["demo", "public"])
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium timings")
    args = parser.parse_args(argv)

    warnings.filterwarnings("ignore")
    keep_navigation_mode()  # every AppTest run goes through app.py, as a server does
    with tempfile.TemporaryDirectory() as folder:
        for store in args.store:
            path = build_store(store, Path(folder))
            report(store, path, args.page, args.repeat, not args.no_browser)


if __name__ == "__main__":
    main()
