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
* browser, new tab: a fresh session in a browser that has opened the app before: a new tab of a Chromium with
  a profile on disk (as a user's browser has) that visited every page twice. Streamlit serves its hashed
  bundles as immutable, so the browser reads them from its cache and reuses the code it compiled (a fresh
  browser context, as "first" uses, keeps neither on disk and parses every script again), timed the same way;
* browser, switch: from the Overview, a click on the page's navigation link, timed the same way;
* cold server: the seconds from ``streamlit run`` to the health check answering, and the first page of
  the first session (the Overview: reads the store and ranks every indicator), printed above the table;
* the floor: a bare app of two pages (a title and a line each) served and visited the same way, first
  page and switch; each browser figure is also given as ms above the floor measured in the same run.

AppTest times are the median of ``--repeat`` runs (default 3); browser times the median of
``--repeat`` visits, after one untimed warm-up visit of every page. Run
``python benchmarks/page_speed.py 2>/dev/null``: figures go to stdout (Streamlit logs
"missing ScriptRunContext" warnings to stderr whenever its caches are cleared outside an app).
``--no-browser`` skips Chromium. The machine's load shows in the wall-clock figures: run it on a
quiet machine. Beside each AppTest time, in brackets, is the CPU time the process spent on the run (every thread:
the script's, DuckDB's, AppTest reading the page back): work that other processes on the machine
lengthen much less than the wall clock, so figures taken under load can still be compared.
Beside each browser time, in brackets, are the CPU ms of the browser's processes (Chromium and Playwright's
driver) and of the server's process over the visit (read from /proc): the browser's work (parsing the app's
code, drawing charts and grids) and the server's (the script run, the static files), comparable under load.
``--no-apptest`` skips the AppTest columns. A browser page is given ``SETTLE_SECONDS`` (10 minutes) to
settle, so a loaded machine slows the benchmark down instead of ending it.
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
    "themes": "league_sort",
    "indicator": "indicator_theme",
    "quartiles": None,
    "trend": "trend_themes",
    "funding": "funding_reference",
    "beyond_ranks": "beyond_theme",  # the default question (How sure)
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


def wait_for_page(page, title: str, drawn: str | None) -> None:
    """Wait until the page has settled as ``tests.browser_support.wait_for_page`` does (title, content drawn,
    the script idle), for up to ``SETTLE_SECONDS``; say what was still missing if it never does."""
    from tests.browser_support import CHART, UNSETTLED, wait_until

    args = [title, CHART if drawn == "chart" else None]
    if not wait_until(page, f"args => ({UNSETTLED})(args).length === 0", args, SETTLE_SECONDS, polling=50):
        raise RuntimeError(f"{page.url} did not settle in {SETTLE_SECONDS} s: {page.evaluate(UNSETTLED, args)}")


def cpu_seconds(pids: set[int]) -> float:
    """Return the CPU seconds (user and system) spent so far by the living processes ``pids`` (Linux /proc)."""
    tick, total = os.sysconf("SC_CLK_TCK"), 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def descendants(root: int) -> set[int]:
    """Return the ids of the living processes under ``root`` (children, their children, ...)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (FileNotFoundError, ProcessLookupError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = set(), [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


class Clock:
    """Times one browser visit: wall-clock ms, the browser's CPU ms (Chromium and Playwright's driver: every
    process under this one but the server) and the server's CPU ms. CPU time is what other processes on the
    machine lengthen least, so figures taken under load can still be compared."""

    def __init__(self, server_pid: int):
        self.server_pid = server_pid

    def _cpu(self) -> tuple[float, float]:
        server = {self.server_pid} | descendants(self.server_pid)
        return cpu_seconds(descendants(os.getpid()) - server), cpu_seconds(server)

    def __enter__(self) -> Clock:
        self.started, (self.browser_cpu, self.server_cpu) = time.perf_counter(), self._cpu()
        return self

    def __exit__(self, *exc) -> None:
        browser_cpu, server_cpu = self._cpu()
        self.ms = (
            (time.perf_counter() - self.started) * 1000,
            (browser_cpu - self.browser_cpu) * 1000,
            (server_cpu - self.server_cpu) * 1000,
        )


FLOOR_APP = """import streamlit as st
st.navigation([st.Page(lambda: (st.title("Floor one"), st.write("Hello")), title="One", url_path="one"),
               st.Page(lambda: (st.title("Floor two"), st.write("Hello")), title="Two", url_path="two")]).run()
"""
"""A bare app of two pages, a title and a line each: the floor of these measurements (Streamlit's own page
load and page switch)."""


def browser_times(db_path: Path, repeat: int, pages: list[str]) -> dict[str, dict[str, tuple[float, float, float]]]:
    """Return per page (and for the bare app, "floor") the median (wall, browser CPU, server CPU) ms of a
    fresh session's first page in a new browser ("first") and in a browser that opened the app before ("tab"),
    and of a nav-link switch."""
    from playwright.sync_api import sync_playwright

    from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, NORMAL_VIEWPORT, Server

    drawn = {page.key: ("chart" if page.draws_chart else None) for page in PAGES}
    titles = {page.key: page.title for page in PAGES}
    results: dict[str, dict[str, tuple[float, float, float]]] = {}
    with sync_playwright() as pw, tempfile.TemporaryDirectory() as profiles:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)

        def first_page(server: Server, clock: Clock, key: str, returning=None) -> tuple[float, float, float]:
            """Time a fresh session's first page: in a fresh browser context, or in a new tab of ``returning``."""
            context = returning or browser.new_context(viewport=NORMAL_VIEWPORT)
            page = context.new_page()
            with clock as timed:
                page.goto(server.page_url(paths.get(key, key)))
                wait_for_page(page, titles[key], drawn[key])
            (page if returning else context).close()
            return timed.ms

        def returning_browser():
            """Return a Chromium with its own profile on disk (cache and code cache kept), as a user's browser."""
            return pw.chromium.launch_persistent_context(
                tempfile.mkdtemp(dir=profiles),
                executable_path=str(CHROMIUM),
                args=CHROMIUM_ARGS,
                viewport=NORMAL_VIEWPORT,
            )

        def switches(server: Server, clock: Clock, key: str, url_path: str, default: bool) -> list:
            context = browser.new_context(viewport=NORMAL_VIEWPORT)
            page = context.new_page()
            timings = []
            for _ in range(repeat):
                page.goto(server.page_url(paths.get(start, start)))
                wait_for_page(page, titles[start], drawn[start])
                link = page.locator(f'[data-testid="stSidebarNav"] a[href$="/{url_path}"]')
                if default:
                    link = page.locator('[data-testid="stSidebarNav"] a').first
                with clock as timed:
                    link.click()
                    wait_for_page(page, titles[key], drawn[key])
                timings.append(timed.ms)
            context.close()
            return timings

        def median(timings: list) -> tuple[float, float, float]:
            return tuple(statistics.median(timing[i] for timing in timings) for i in range(3))

        # The floor: the bare app, served and visited the same way.
        folder = Path(tempfile.mkdtemp())
        (folder / "floor.py").write_text(FLOOR_APP)
        floor = Server(db_path, folder / "floor.log", "floor", app=folder / "floor.py")
        drawn |= {"one": None, "two": None}
        paths = {"one": "overview"}  # the default page lives at the root URL
        titles |= {"one": "Floor one", "two": "Floor two"}
        try:
            floor.wait_until_ready(SETTLE_SECONDS)
            clock = Clock(floor.process.pid)
            first_page(floor, clock, "one")
            start = "one"
            firsts = [first_page(floor, clock, "one") for _ in range(repeat)]
            returning = returning_browser()
            for _ in range(2):  # the browser's first visits: its cache and code cache filled
                first_page(floor, clock, "one", returning)
            tabs = [first_page(floor, clock, "one", returning) for _ in range(repeat)]
            returning.close()
            results["floor"] = {
                "first": median(firsts),
                "tab": median(tabs),
                "switch": median(switches(floor, clock, "two", "two", False)),
            }
        finally:
            floor.stop()

        started = time.perf_counter()
        server = Server(db_path, Path(tempfile.mkdtemp()) / "server.log", db_path.stem)
        try:
            server.wait_until_ready(SETTLE_SECONDS)
            ready = (time.perf_counter() - started) * 1000
            clock = Clock(server.process.pid)
            cold = first_page(server, clock, "overview")
            print(
                f"{db_path.stem}: cold server {ready:.0f} ms to answer, first page (Overview) {cold[0]:.0f} ms "
                f"(browser CPU {cold[1]:.0f} ms, server CPU {cold[2]:.0f} ms)",
                flush=True,
            )
            chosen = [entry for entry in PAGES if entry.key in pages]
            returning = returning_browser()
            for entry in chosen:  # warm the server, and the returning browser's caches: every page once and twice
                first_page(server, clock, entry.key)
                first_page(server, clock, entry.key, returning)
                first_page(server, clock, entry.key, returning)
            start = "overview"
            for entry in chosen:
                firsts = [first_page(server, clock, entry.key) for _ in range(repeat)]
                tabs = [first_page(server, clock, entry.key, returning) for _ in range(repeat)]
                switched = switches(server, clock, entry.key, entry.url_path, entry.default)
                results[entry.key] = {"first": median(firsts), "tab": median(tabs), "switch": median(switched)}
            returning.close()
        finally:
            server.stop()
        browser.close()
    return results


# -- report -----------------------------------------------------------------------------


def _browser(timing: tuple[float, float, float] | None, floor: tuple[float, float, float]) -> str:
    """Return the wall-clock ms with the time above the floor, and the browser's and server's CPU ms."""
    if timing is None:
        return f"{'-':>26}"
    wall, browser_cpu, server_cpu = timing
    return f"{wall:6.0f} {wall - floor[0]:+6.0f} ({browser_cpu:5.0f}, {server_cpu:4.0f})"


def _both(runs: list[tuple[float, float]]) -> str:
    """Return the median wall-clock ms with the median process CPU ms in brackets."""
    if not runs:
        return f"{'-':>17}"
    wall = statistics.median(run[0] for run in runs)
    cpu = statistics.median(run[1] for run in runs)
    return f"{wall:8.0f} ({cpu:6.0f})"


def report(store: str, db_path: Path, pages: list[str], repeat: int, browser: bool, apptest: bool) -> None:
    """Print the table of one store: page, cold, warm, after change, browser first page, new tab and switch."""
    os.environ["BENCHMARKING_DB"] = str(db_path)
    cold_render("overview")  # imports pandas, altair, the engine: paid once per process
    clicks = browser_times(db_path, repeat, pages) if browser else {}
    print(f"\n{store} store: median ms of {repeat} (process CPU ms in brackets)", flush=True)
    if clicks:
        floor = clicks["floor"]
        print(
            "browser: wall ms, ms above the floor, (browser CPU ms, server CPU ms); the floor, a bare app of two "
            f"pages: first page {_browser(floor['first'], (0, 0, 0))}, new tab {_browser(floor['tab'], (0, 0, 0))}, "
            f"switch {_browser(floor['switch'], (0, 0, 0))}"
        )
    print(
        f"{'page':<14} {'cold':>17} {'warm':>17} {'change':>17} {'browser first':>26} {'browser new tab':>26} "
        f"{'browser switch':>26}"
    )
    for page in pages:
        times = measure(page, repeat) if apptest else {"cold": [], "warm": [], "change": []}
        seen = clicks.get(page, {})
        print(
            f"{page:<14} {_both(times['cold'])} {_both(times['warm'])} {_both(times['change'])} "
            f"{_browser(seen.get('first'), clicks.get('floor', {}).get('first'))} "
            f"{_browser(seen.get('tab'), clicks.get('floor', {}).get('tab'))} "
            f"{_browser(seen.get('switch'), clicks.get('floor', {}).get('switch'))}",
            flush=True,
        )


def main(argv: list[str] | None = None) -> None:
    """Build the stores and print one table per store."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="repetitions of each measurement")
    parser.add_argument("--page", choices=list(PAGE_WIDGETS), nargs="*", default=list(PAGE_WIDGETS))
    parser.add_argument("--store", choices=["demo", "public"], nargs="*", default=["demo", "public"])
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium timings")
    parser.add_argument("--no-apptest", action="store_true", help="skip the AppTest timings")
    args = parser.parse_args(argv)

    warnings.filterwarnings("ignore")
    keep_navigation_mode()  # every AppTest run goes through app.py, as a server does
    with tempfile.TemporaryDirectory() as folder:
        for store in args.store:
            path = build_store(store, Path(folder))
            report(store, path, args.page, args.repeat, not args.no_browser, not args.no_apptest)


if __name__ == "__main__":
    main()
