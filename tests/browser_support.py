"""Browser-test machinery shared by test_browser.py and test_accessibility.py: a Streamlit
server per store, one headless Chromium for the session, and a page walk that loads each
page once per server and mode, checks it, scans it with axe-core and saves a screenshot.

The fixtures are session-scoped and imported by conftest.py, so every test file reuses
the same servers, browser and page visits (conftest also runs the tests that need the
browser last, one block, so nothing browser-sized lives through the rest of the suite).

Needs Debian's chromium (``apt-get install chromium``) and the ``playwright`` Python
package; the browser tests are skipped with a message when either is missing.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from pages import _registry as registry

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
START_SECONDS = 60
EXPECT_SECONDS = 30
# A page's first load on a cold server ranks everything first, and on a machine shared with other work a
# page can take tens of seconds to settle: two minutes, one wait (a page that never settles fails after it).
SETTLE_SECONDS = 120
NORMAL_VIEWPORT = {"width": 1440, "height": 900}
BRIEFING_VIEWPORT = {"width": 1920, "height": 1080}
MODES = {"normal": ("", NORMAL_VIEWPORT), "briefing": ("?briefing=1", BRIEFING_VIEWPORT)}
DEMO_BANNER = "Illustrative demo data"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": WCAG_TAGS},
    "resultTypes": ["violations"],
}  # skip building pass/incomplete details: 3-4x faster

# url path -> (page title, whether the page draws a chart on the demo store), from the app's registry
PAGES = {page.url_path: (page.title, page.draws_chart) for page in registry.PAGES}

CHART = '[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg, .still-chart img'
TABLE = '[data-testid="stDataFrame"] canvas, [data-testid="stTable"] table, [data-testid="stHtml"] table'


# -- the server ------------------------------------------------------------------------


class Server:
    """A ``streamlit run app.py`` subprocess on a free port, with its output kept in a file."""

    def __init__(self, db_path: Path, log_path: Path, store: str = "demo", app: Path = ROOT / "app.py"):
        self.store = store  # "demo" or "public": names screenshots and reports
        self.db_path = Path(db_path)
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        env = os.environ | {"BENCHMARKING_DB": str(db_path), "PYTHONUNBUFFERED": "1"}
        self._log = log_path.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(app),
                "--server.headless",
                "true",
                "--server.port",
                str(self.port),
                "--server.address",
                "127.0.0.1",
                "--browser.gatherUsageStats",
                "false",
                "--server.fileWatcherType",
                "none",
            ],
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def output(self) -> str:
        """Return everything the server has printed so far."""
        self._log.flush()
        return self.log_path.read_text(errors="replace")

    def check_alive(self) -> None:
        """Fail with the server's output if the process has exited."""
        if self.process.poll() is not None:
            pytest.fail(f"streamlit exited with code {self.process.returncode}; its output:\n{self.output()}")

    def wait_until_ready(self, seconds: float = START_SECONDS) -> None:
        """Poll the health endpoint until it answers, failing with the output past the deadline."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.check_alive()
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            with contextlib.suppress(subprocess.TimeoutExpired):  # a short wait between polls; returns if it dies
                self.process.wait(timeout=0.2)
        pytest.fail(f"streamlit did not answer on {self.url} within {seconds:.0f} s; its output:\n{self.output()}")

    def page_url(self, path: str) -> str:
        """Return the URL of ``path`` ("quadrant?briefing=1"); the Overview is the root URL."""
        # The default page lives at the root URL, where users land (/overview opens it too: test_browser).
        if path.split("?")[0] == "overview":
            path = path[len("overview") :]
        return f"{self.url}/{path}"

    def stop(self) -> None:
        """Stop the server (terminate, then kill if it lingers) and close its log."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(db_path: Path, store: str, tmp_path_factory, request) -> Server:
    """Start a server on ``db_path``, stop it when the requesting fixture ends, and wait for it.

    The free port is found by binding port 0 and letting it go, so another process (another
    pytest-xdist worker, another test run on the machine) can take it before Streamlit binds
    it: a server that exits saying its port is in use is started once more on a new port.
    """
    for attempt in range(3):
        running = Server(db_path, tmp_path_factory.mktemp(f"streamlit-{store}") / "server.log", store)
        request.addfinalizer(running.stop)
        try:
            running.wait_until_ready()
        except pytest.fail.Exception:
            if attempt < 2 and running.process.poll() is not None and "is not available" in running.output():
                continue
            raise
        return running
    raise AssertionError("unreachable")


# -- waiting and screenshots -------------------------------------------------------------


# What a settled page looks like, as a list of the conditions still unmet (empty when settled).
UNSETTLED = """([title, drawn]) => {
  const all = selector => [...document.querySelectorAll(selector)];
  const shown = e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
  const unmet = [];
  if (!all('[data-testid="stHeading"]').some(e => shown(e) && e.innerText.includes(title)))
    unmet.push(`the title "${title}" shown`);
  if (drawn && !all(drawn).some(shown)) unmet.push(`something drawn (${drawn})`);
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') unmet.push('the script finished');
  if (all('[data-testid="stSkeleton"], [data-testid="stSkeletonElement"]').length) unmet.push('no skeleton left');
  if (all('[data-testid="stDialog"]').length) unmet.push('no dialog (such as "Page not found")');
  // The Presentation page waits one run for the browser to report its window's size before it lays a slide out.
  if (all('.st-key-deck-waiting').length) unmet.push('the slide laid out for the window');
  // Streamlit fades elements left from a previous run until it redraws them.
  if (all('[data-stale="true"]').length) unmet.push('no stale element left');
  return unmet;
}"""


def wait_until(page, condition: str, arg=None, seconds: float = SETTLE_SECONDS, polling: int = 100) -> bool:
    """Return True once the JavaScript function ``condition`` returns true for ``arg`` on the page (polled every
    ``polling`` ms), False if it has not within ``seconds``: every browser test waits through this one helper."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout  # only where the browser tests run

    try:
        page.wait_for_function(condition, arg=arg, polling=polling, timeout=seconds * 1000)
    except PlaywrightTimeout:
        return False
    return True


def wait_for_page(page, name: str, drawn: str | None = "chart") -> None:
    """Wait until the page's title is shown, its content drawn and the script has finished.

    ``drawn`` is "chart" (a vega-lite chart must be drawn), "chart or table" (a chart or a
    data table will do), or None (the page draws neither when it opens). All conditions are
    polled together every 100 ms; past ``SETTLE_SECONDS`` the failure says which were unmet.
    """
    title, _ = PAGES[name]
    selector = {"chart": CHART, "chart or table": f"{CHART}, {TABLE}", None: None}[drawn]
    if wait_until(page, f"args => ({UNSETTLED})(args).length === 0", [title, selector]):
        return
    try:
        unmet = page.evaluate(UNSETTLED, [title, selector])
    except Exception:
        unmet = ["(the page could not be read)"]
    raise AssertionError(
        f"{page.url} did not settle within {SETTLE_SECONDS} s; still waiting for: {', '.join(unmet)}"
    ) from None


def screenshot(page, name: str, screen_too: bool = False) -> Path:
    """Save a full-page screenshot as artifacts/screenshots/<name>.png and return its path.

    Streamlit scrolls inside its main container, not the document, so a plain full-page
    shot stops at the viewport: the viewport is stretched to the content's height for the
    shot and then restored. ``screen_too`` also saves <name>-screen.png, the first screen
    exactly as the viewport shows it (what a projector shows).
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    if screen_too:
        page.screenshot(path=str(SCREENSHOTS / f"{name}-screen.png"))
    viewport = page.viewport_size
    height = page.evaluate(
        """() => Math.max(document.documentElement.scrollHeight, ...['stMain', 'stAppViewContainer']
               .map(id => document.querySelector(`[data-testid="${id}"]`))
               .filter(Boolean).map(element => element.scrollHeight))"""
    )
    if height > viewport["height"]:
        page.set_viewport_size({"width": viewport["width"], "height": height})
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(viewport)
    return path


def artifact_name(store: str, name: str, mode: str) -> str:
    """Return the screenshot name of a page visit: "quadrant", "quadrant-briefing", "public-quadrant"."""
    prefix = "" if store == "demo" else f"{store}-"
    return f"{prefix}{name}" + ("" if mode == "normal" else f"-{mode}")


def serious_violations(violations: list[dict]) -> list[str]:
    """Return one line per serious or critical axe violation, with up to three of its nodes."""
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        f"{[(n['target'], n['any'][0]['data'] if n['any'] else '') for n in v['nodes'][:3]]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


MIN_TEXT_PX = 20  # at 1920x1080 (the floor for text read from the back of the room)

# What a page shows in briefing mode, read in one pass (test_briefing_mode checks it). Text is
# "visible" when its element has a box on the page (not display:none, not visibility:hidden, not
# moved off-screen to the left or top, as a skip link is until focused). Deliberate exceptions, with their reasons:
# - text drawn inside a chart (its axes, legends and titles are sized by the chart builders in
#   benchmarking/charts, issue 18 point 2; checked on the chart specs, not here);
# - Material icon ligatures ("keyboard_arrow_right"): glyphs, not words;
# - the content of a closed expander, a tooltip or a popover that is not open (not on screen).
# ``crowded`` lists text that runs out of its box (an alert's, a heading's over the element below it).
BRIEFING_READ = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const chart = main.querySelector('[data-testid="stVegaLiteChart"], .still-chart');
  const small = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const text = walker.currentNode.textContent.trim();
    const element = walker.currentNode.parentElement;
    const skipped = '[data-testid="stVegaLiteChart"], [data-testid="stIconMaterial"]';
    if (!text || !element || element.closest(skipped)) continue;
    const box = element.getBoundingClientRect();
    if (!element.getClientRects().length || box.right <= 0 || box.bottom <= 0) continue;
    const style = getComputedStyle(element);
    if (style.visibility === 'hidden' || style.display === 'none') continue;
    const size = parseFloat(style.fontSize);
    if (size < %(min)s) small.push(`${size}px "${text.slice(0, 40)}"`);
  }
  const cut = [...main.querySelectorAll('[data-testid="stMetricLabel"] *, [data-testid="stMetricValue"] *')]
    .filter(e => e.children.length === 0 && e.scrollWidth > e.clientWidth + 1)
    .map(e => `"${e.textContent.slice(0, 40)}" ${e.scrollWidth} > ${e.clientWidth}`);
  // Tables drawn as HTML that scroll sideways (the league table's region, st.table's frame): a presenter
  // cannot show their right-hand columns without scrolling each one.
  const sideways = [...main.querySelectorAll('.league-table, [data-testid="stTable"] > div')]
    .filter(e => e.getClientRects().length && e.scrollWidth > e.clientWidth + 1)
    .map(e => `${e.className || e.parentElement.dataset.testid} ${e.scrollWidth} > ${e.clientWidth}`);
  // Text that runs out of its box: an alert's last line below the alert's inner edge, a heading's text over the
  // top of the element laid out under it.
  const textBox = element => {
    const box = {top: Infinity, bottom: -Infinity, left: Infinity, right: -Infinity};
    const texts = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    while (texts.nextNode()) {
      if (!texts.currentNode.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(texts.currentNode);
      for (const r of range.getClientRects()) if (r.height) {
        box.top = Math.min(box.top, r.top); box.bottom = Math.max(box.bottom, r.bottom);
        box.left = Math.min(box.left, r.left); box.right = Math.max(box.right, r.right);
      }
    }
    return box;
  };
  const crowded = [];
  for (const alert of main.querySelectorAll('[data-testid="stAlertContainer"]')) {
    if (!alert.getClientRects().length) continue;
    const text = textBox(alert.querySelector('[data-testid="stMarkdownContainer"]') || alert);
    const inside = alert.getBoundingClientRect().bottom - parseFloat(getComputedStyle(alert).paddingBottom);
    const name = alert.innerText.trim().slice(0, 40);
    const past = text.bottom - inside;
    if (past > 1) crowded.push(`alert "${name}": text ${past.toFixed(1)} px below its box`);
  }
  for (const heading of main.querySelectorAll('h1, h2, h3')) {
    if (!heading.getClientRects().length) continue;
    const text = textBox(heading);
    let below = null;  // the first element under the heading's text (not one beside it, in another column)
    for (let e = heading.closest('[data-testid="stElementContainer"]'); e && e !== main && !below; e = e.parentElement)
      for (let next = e.nextElementSibling; next && !below; next = next.nextElementSibling) {
        const box = next.getBoundingClientRect();
        const under = box.height > 0 && box.top >= text.top && box.left < text.right && box.right > text.left;
        if (next.getClientRects().length && under) below = box;
      }
    const name = heading.innerText.trim().slice(0, 40);
    const over = below ? text.bottom - below.top : 0;
    if (over > 1) crowded.push(`heading "${name}": ${over.toFixed(1)} px over the element below it`);
  }
  const buttons = [...document.querySelectorAll('header button, header a')].map(e => e.innerText.trim());
  return {
    chartTop: chart ? chart.getBoundingClientRect().top : null,
    small, cut, sideways, crowded, header: buttons,
    sidebar: !!document.querySelector('[data-testid="stSidebar"]')
      && document.querySelector('[data-testid="stSidebar"]').getClientRects().length > 0,
  };
}""".replace("%(min)s", str(MIN_TEXT_PX))


# -- one visit per page, mode and server ---------------------------------------------------------


@dataclass
class Visit:
    """What one load of a page showed: facts read from the settled page, and its artifacts."""

    store: str
    name: str
    mode: str
    url: str
    error: str | None = None  # why the page never settled (then nothing else is read)
    exceptions: list[str] = field(default_factory=list)  # text of Streamlit exception boxes
    main_text: str = ""  # the visible text of the main area
    sidebar_visible: bool = False
    nav: list[str] = field(default_factory=list)  # the sidebar's page links, as shown
    charts: int = 0  # charts drawn (vega-lite's canvas or svg, or a still chart's image)
    tables: int = 0  # data tables drawn
    screenshot: Path | None = None
    violations: list[dict] | None = None  # axe-core's violations; None when axe is not installed
    axe_report: Path | None = None
    briefing: dict | None = None  # in briefing mode: what BRIEFING_READ read, before the scan and shots
    timings: dict[str, float] = field(default_factory=dict)  # seconds to settle, scan, photograph

    def settled(self) -> Visit:
        """Return the visit, failing the test with the reason if the page never settled."""
        if self.error:
            pytest.fail(f"{self.url} did not settle: {self.error}")
        return self

    def first_screen(self) -> dict:
        """Return what the briefing-mode visit's first screen showed (BRIEFING_READ, with the
        exception boxes), or {"error": why} if the page never settled (test_briefing_mode)."""
        if self.error:
            return {"error": self.error}
        return self.briefing | {"exceptions": self.exceptions}


class PageWalk:
    """Loads each (server, page, mode) once, on first request, and keeps what it saw.

    One visit serves the page checks of test_browser.py, the axe scan of test_accessibility.py
    and, in briefing mode (1920x1080), the first-screen checks of test_briefing_mode.py: the
    page is opened, left to settle (``wait_for_page``: a cold page's first load ranks
    everything), read (in briefing mode also by BRIEFING_READ), scanned by axe-core (report
    saved as axe-<page>-<mode>.json) and photographed (<page>[-<mode>].png, in briefing mode
    also the first screen as <page>-briefing-screen.png and briefing-<store>-<page>-1920.png),
    then closed. While one page is read, scanned and photographed, the next pages in PAGES order
    (same server and mode) are already opening in other tabs, so that the server's work
    on them overlaps the browser's work on this one.
    """

    AHEAD = 2  # pages opened ahead of the one being read

    def __init__(self, browser, axe):
        self.browser, self.axe = browser, axe
        self.visits: dict[tuple[str, str, str], Visit] = {}
        self.contexts: dict[tuple[str, str], object] = {}
        self.opening: dict[tuple[str, str, str], tuple[object, str | None]] = {}
        self.warm: set[str] = set()  # servers that have served a settled page

    def visit(self, server: Server, name: str, mode: str = "normal") -> Visit:
        key = (server.url, name, mode)
        if key not in self.visits:
            page, error = self.opening.pop(key, None) or self._open(server, name, mode)
            # Not before the server's first page has settled: sessions that start together on a
            # fresh server can run a page in Streamlit's pages-folder mode, with its list of files
            # as navigation (a race in pages/_common.current_selection; test_browser checks the nav).
            if server.url in self.warm:
                names = list(PAGES)
                for following in names[names.index(name) + 1 :][: self.AHEAD]:
                    ahead = (server.url, following, mode)
                    if ahead not in self.visits and ahead not in self.opening:
                        self.opening[ahead] = self._open(server, following, mode)
            self.visits[key] = self._read(server, name, mode, page, error)
            if not self.visits[key].error:
                self.warm.add(server.url)
        return self.visits[key]

    def _context(self, server: Server, mode: str):
        """One browser context per server and mode (it keeps the app's scripts cached)."""
        key = (server.url, mode)
        if key not in self.contexts:
            self.contexts[key] = self.browser.new_context(viewport=MODES[mode][1])
        return self.contexts[key]

    def _open(self, server: Server, name: str, mode: str) -> tuple[object, str | None]:
        """Open the page in a new tab without waiting for it; return the tab and any error."""
        page = self._context(server, mode).new_page()
        page.set_default_timeout(EXPECT_SECONDS * 1000)
        try:
            page.goto(server.page_url(f"{name}{MODES[mode][0]}"), wait_until="commit")
        except Exception as error:
            return page, f"{type(error).__name__}: {error}"
        return page, None

    def _read(self, server: Server, name: str, mode: str, page, error: str | None) -> Visit:
        """Wait for the opened page to settle, then read it, scan it and photograph it."""
        visit = Visit(server.store, name, mode, server.page_url(f"{name}{MODES[mode][0]}"))
        started = time.monotonic()
        if error is None:
            try:
                page.bring_to_front()
                has_chart = PAGES[name][1]
                # On the real data a page may draw a table where the demo has a chart (Funding, for one).
                drawn = None if not has_chart else "chart" if server.store == "demo" else "chart or table"
                wait_for_page(page, name, drawn=drawn)
            except Exception as failure:
                error = f"{type(failure).__name__}: {failure}"
        if error is not None:
            if server.process.poll() is not None:
                error += f"\nstreamlit exited; its output:\n{server.output()}"
            visit.error = error
            page.close()
            return visit
        visit.timings["settle"] = time.monotonic() - started
        visit.exceptions = page.get_by_test_id("stException").all_inner_texts()
        visit.main_text = page.get_by_test_id("stMain").inner_text()
        visit.sidebar_visible = page.get_by_test_id("stSidebar").is_visible()
        visit.nav = [
            text.strip().splitlines()[-1].strip() if text.strip() else ""
            for text in page.get_by_test_id("stSidebarNavLink").all_inner_texts()
        ]
        visit.charts = page.locator(CHART).count()
        visit.tables = page.locator(TABLE).count()
        if mode == "briefing":
            visit.briefing = page.evaluate(BRIEFING_READ)
        base = artifact_name(server.store, name, mode)
        if self.axe is not None:
            began = time.monotonic()
            visit.violations = self.axe.run(page, options=AXE_OPTIONS).response["violations"]
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            visit.axe_report = SCREENSHOTS / f"axe-{artifact_name(server.store, name, 'normal')}-{mode}.json"
            visit.axe_report.write_text(json.dumps(visit.violations, indent=1))
            visit.timings["axe"] = time.monotonic() - began
        began = time.monotonic()
        visit.screenshot = screenshot(page, base, screen_too=mode == "briefing")
        if mode == "briefing":  # the first screen, also under test_briefing_mode's name
            width = MODES[mode][1]["width"]
            shutil.copyfile(
                SCREENSHOTS / f"{base}-screen.png", SCREENSHOTS / f"briefing-{server.store}-{name}-{width}.png"
            )
        visit.timings["screenshot"] = time.monotonic() - began
        page.close()
        return visit

    def close(self) -> None:
        for context in self.contexts.values():
            context.close()


# -- fixtures (imported by conftest.py) ------------------------------------------------------------


@pytest.fixture(scope="session")
def sync_playwright():
    """Playwright's sync API, or a skip saying what is missing."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium) to run browser tests")
    api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    api.expect.set_options(timeout=EXPECT_SECONDS * 1000)  # a cold server ranks everything first
    return api


@pytest.fixture(scope="session")
def browser(sync_playwright):
    """Headless Debian Chromium, driven by Playwright, for the whole session."""
    with sync_playwright.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def axe():
    """The axe-core runner bundled with axe-playwright-python, or None when it is not installed."""
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        return None
    return Axe()


@pytest.fixture(scope="session")
def demo_server(sync_playwright, demo_store_path, tmp_path_factory, request) -> Server:
    """The app served on a free port from the session's demo store; always stopped afterwards."""
    return start_server(demo_store_path, "demo", tmp_path_factory, request)


@pytest.fixture(scope="session")
def public_server(sync_playwright, public_store_path, tmp_path_factory, request) -> Server:
    """The app served from the session's public store (skipped without ../shared/data)."""
    return start_server(public_store_path, "public", tmp_path_factory, request)


@pytest.fixture(scope="session")
def page_walk(browser, axe):
    """The session's page visits: each page loaded once per server and mode."""
    walk = PageWalk(browser, axe)
    yield walk
    walk.close()


@contextlib.contextmanager
def opening(browser, server: Server):
    """Yield a function that opens a path of ``server``'s app in a fresh browser context (of a viewport); the
    contexts are closed afterwards."""
    contexts = []

    def open_(path: str, viewport: dict = NORMAL_VIEWPORT):
        context = browser.new_context(viewport=viewport)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(EXPECT_SECONDS * 1000)
        page.goto(server.page_url(path))
        return page

    try:
        yield open_
    finally:
        for context in contexts:
            context.close()


@pytest.fixture
def open_app(browser, demo_server):
    """Return a function that opens a path of the demo app in a fresh browser context."""
    with opening(browser, demo_server) as open_:
        yield open_
    demo_server.check_alive()
