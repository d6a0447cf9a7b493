"""The whole app in headless Chromium: every page opens by URL without an exception, draws
its chart, and has a briefing mode; full-page screenshots land in artifacts/screenshots/.

Needs Debian's chromium (``apt-get install chromium``) and the ``playwright`` Python package;
the tests are skipped with a message when either is missing. Run them alone with
``pytest -m playwright``.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
START_SECONDS = 60
EXPECT_SECONDS = 30
NORMAL_VIEWPORT = {"width": 1440, "height": 900}
BRIEFING_VIEWPORT = {"width": 1920, "height": 1080}

# url path -> (page title, whether the page draws a chart)
PAGES = {
    "overview": ("Overview", True),
    "quadrant": ("Performance against spend", True),
    "themes": ("Theme rankings", True),
    "indicator": ("Indicator explorer", True),
    "quartiles": ("Quartiles and lists", False),
    "trend": ("Trend", True),
    "funding": ("Funding", True),
    "beyond_ranks": ("Beyond ranks", True),
    "presentation": ("Presentation", False),
    "data": ("Data", False),
    "import_data": ("Data import", False),
}

pytestmark = pytest.mark.playwright


# -- the server ------------------------------------------------------------------------


class Server:
    """A ``streamlit run app.py`` subprocess on a free port, with its output kept in a file."""

    def __init__(self, db_path: Path, log_path: Path):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        env = os.environ | {"BENCHMARKING_DB": str(db_path), "PYTHONUNBUFFERED": "1"}
        self._log = log_path.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
             "--server.port", str(self.port), "--server.address", "127.0.0.1",
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT,
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
            try:  # wait for the process a little between polls: returns early if it dies
                self.process.wait(timeout=0.2)
            except subprocess.TimeoutExpired:
                pass
        pytest.fail(f"streamlit did not answer on {self.url} within {seconds:.0f} s; its output:\n{self.output()}")

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


# -- fixtures --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sync_playwright():
    """Playwright's sync API, or a skip saying what is missing."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium) to run browser tests")
    api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    api.expect.set_options(timeout=EXPECT_SECONDS * 1000)  # a cold server ranks everything first
    return api


@pytest.fixture(scope="module")
def server(sync_playwright, demo_store_path, tmp_path_factory, request):
    """The app served on a free port from the session's demo store; always stopped afterwards."""
    running = Server(demo_store_path, tmp_path_factory.mktemp("streamlit") / "server.log")
    request.addfinalizer(running.stop)
    running.wait_until_ready()
    return running


@pytest.fixture(scope="module")
def browser(sync_playwright):
    """Headless Debian Chromium, driven by Playwright."""
    with sync_playwright.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_app(browser, server, sync_playwright):
    """Return a function that opens a path of the app in a fresh browser context."""
    contexts = []

    def open_(path: str, viewport: dict = NORMAL_VIEWPORT):
        context = browser.new_context(viewport=viewport)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(EXPECT_SECONDS * 1000)
        # The default page (Overview) lives at the root URL: /overview would be "page not found".
        if path.split("?")[0] == "overview":
            path = path[len("overview"):]
        page.goto(f"{server.url}/{path}")
        return page

    yield open_
    for context in contexts:
        context.close()
    server.check_alive()


def wait_for_page(page, expect, name: str) -> None:
    """Wait until the page's title is shown, its chart drawn and the script has finished."""
    title, has_chart = PAGES[name]
    expect(page.get_by_test_id("stHeading").filter(has_text=title).first).to_be_visible()
    if has_chart:
        chart = page.locator('[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg').first
        expect(chart).to_be_visible()
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning")
    expect(page.locator('[data-testid="stSkeleton"], [data-testid="stSkeletonElement"]')).to_have_count(0)
    expect(page.get_by_test_id("stDialog")).to_have_count(0)  # e.g. Streamlit's "Page not found"


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
               .filter(Boolean).map(element => element.scrollHeight))""")
    if height > viewport["height"]:
        page.set_viewport_size({"width": viewport["width"], "height": height})
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(viewport)
    return path


# -- tests -----------------------------------------------------------------------------


def test_every_page_of_the_app_is_visited():
    """The pages visited here are exactly those app.py declares (a new page is added here too)."""
    declared = re.findall(r'url_path="([^"]+)"', (ROOT / "app.py").read_text())
    assert sorted(declared) == sorted(PAGES)


@pytest.mark.parametrize("name", list(PAGES))
def test_page_opens_by_url_without_an_exception(open_app, sync_playwright, name):
    """Opening /<page> directly shows its title, its chart and the demo banner, and no exception."""
    expect = sync_playwright.expect
    page = open_app(name)
    wait_for_page(page, expect, name)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_text("Illustrative demo data").first).to_be_visible()
    expect(page.get_by_test_id("stSidebar")).to_be_visible()
    screenshot(page, name)


@pytest.mark.parametrize("name", list(PAGES))
def test_page_opens_in_briefing_mode_from_the_url(open_app, sync_playwright, name):
    """?briefing=1 hides the sidebar at projector size (1920x1080), with no exception."""
    expect = sync_playwright.expect
    page = open_app(f"{name}?briefing=1", viewport=BRIEFING_VIEWPORT)
    wait_for_page(page, expect, name)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    screenshot(page, f"{name}-briefing", screen_too=True)


def test_briefing_toggle_in_the_sidebar_hides_the_controls(open_app, sync_playwright):
    """Switching briefing mode on in the sidebar hides it, sets ?briefing=1 and offers a way back."""
    expect = sync_playwright.expect
    page = open_app("quadrant", viewport=BRIEFING_VIEWPORT)
    wait_for_page(page, expect, "quadrant")
    page.get_by_test_id("stSidebar").get_by_text("Briefing mode").click()
    expect(page).to_have_url(re.compile(r"briefing=1"))
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    wait_for_page(page, expect, "quadrant")
    expect(page.get_by_test_id("stException")).to_have_count(0)
    screenshot(page, "quadrant-briefing-toggled")
    page.get_by_test_id("stMain").get_by_text("Briefing mode").click()
    expect(page).to_have_url(re.compile(r"briefing=0"))
    expect(page.get_by_test_id("stSidebar")).to_be_visible()


def test_sidebar_choice_is_kept_in_the_url_and_across_pages(open_app, sync_playwright):
    """Choosing a period in the sidebar puts it in the URL, and the next page opens on it."""
    expect = sync_playwright.expect
    page = open_app("overview")
    wait_for_page(page, expect, "overview")
    # Streamlit may open a new session with the sidebar collapsed (its remembered state after
    # another test hid it for briefing mode): expand it as a user would.
    sidebar = page.get_by_test_id("stSidebar")
    period = sidebar.get_by_test_id("stSelectbox").filter(has_text="Period")
    period.get_by_role("combobox").click()
    page.get_by_role("option", name="2019/20").click()
    expect(page).to_have_url(re.compile(r"period=2019%2F20|period=2019/20"))
    page.get_by_test_id("stSidebarNav").get_by_text("Performance vs spend").click()
    wait_for_page(page, expect, "quadrant")
    expect(page.get_by_test_id("stCaptionContainer").filter(has_text="· 2019/20 ·").first).to_be_visible()
