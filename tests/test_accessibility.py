"""WCAG 2.2 AA in the browser: an axe-core scan of every page, normal and briefing mode on
the demo store, normal mode on the public store.

axe-core comes with the axe-playwright-python package (a test dependency), so nothing
is downloaded at test time. The scan runs in the same page visit as test_browser.py's
checks and screenshot (browser_support.PageWalk), and its report is saved beside the
screenshot as artifacts/screenshots/axe-<page>-<mode>.json (axe-public-<page>-normal.json
for the public store). Serious or critical violations fail.
"""

from __future__ import annotations

import json

import pytest
from browser_support import PAGES, serious_violations

pytestmark = pytest.mark.playwright

VISITS = [("demo", name, mode) for mode in ("normal", "briefing") for name in PAGES] + [
    ("public", name, "normal") for name in PAGES
]


@pytest.mark.parametrize("store, name, mode", VISITS)
def test_page_has_no_serious_accessibility_violations(page_walk, request, store, name, mode):
    """axe-core finds no serious or critical WCAG 2.2 AA violation on the page."""
    if page_walk.axe is None:
        pytest.skip("axe-playwright-python is not installed")
    server = request.getfixturevalue(f"{store}_server")
    visit = page_walk.visit(server, name, mode).settled()
    assert json.loads(visit.axe_report.read_text()) == visit.violations  # the report is saved as scanned
    serious = serious_violations(visit.violations)
    assert not serious, "\n".join(serious)
