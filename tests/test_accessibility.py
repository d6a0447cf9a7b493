"""WCAG 2.2 AA in the browser: an axe-core scan of every page, normal and briefing mode.

axe-core comes with the axe-playwright-python package (a test dependency), so nothing
is downloaded at test time. The report of each scan is saved beside the screenshots in
artifacts/screenshots/axe-<page>-<mode>.json. Serious or critical violations fail.
"""

from __future__ import annotations

import json

import pytest
from test_browser import PAGES, SCREENSHOTS, wait_for_page  # noqa: F401 - fixtures come from conftest chain

pytestmark = pytest.mark.playwright

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="module")
def axe():
    """The axe-core runner bundled with axe-playwright-python."""
    module = pytest.importorskip("axe_playwright_python.sync_playwright",
                                 reason="axe-playwright-python is not installed")
    return module.Axe()


from test_browser import browser, open_app, server, sync_playwright  # noqa: E402,F401 - shared fixtures


@pytest.mark.parametrize("mode", ["normal", "briefing"])
@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_serious_accessibility_violations(open_app, sync_playwright, axe, name, mode):
    """axe-core finds no serious or critical WCAG 2.2 AA violation on the page."""
    query = "?briefing=1" if mode == "briefing" else ""
    viewport = {"width": 1920, "height": 1080} if mode == "briefing" else {"width": 1440, "height": 900}
    page = open_app(f"{name}{query}", viewport=viewport)
    wait_for_page(page, sync_playwright.expect, name)
    # Streamlit fades elements left from a previous run until it redraws them; scan the settled page.
    sync_playwright.expect(page.locator('[data-stale="true"]')).to_have_count(0)
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    violations = results.response["violations"]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / f"axe-{name}-{mode}.json").write_text(json.dumps(violations, indent=1))
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[(n['target'], n['any'][0]['data'] if n['any'] else '') for n in v['nodes'][:3]]}"
        for v in violations if v["impact"] in ("serious", "critical")
    ]
    assert not serious, "\n".join(serious)
