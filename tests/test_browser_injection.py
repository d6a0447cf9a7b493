"""Markdown injection in the browser (issue 15, defect 8): a store whose names, themes,
sources, notes and dataset names hold Markdown images and links, headings, KaTeX, ``:red[]``
and HTML is served, and the pages that draw them create no ``img`` or ``a`` element from
them, no KaTeX, and send no request to the image host (a host name that cannot resolve).

Needs Debian's chromium and the ``playwright`` package (skipped with a message otherwise);
run alone with ``pytest -m playwright tests/test_browser_injection.py``."""

from __future__ import annotations

import pytest
from browser_support import EXPECT_SECONDS, NORMAL_VIEWPORT, start_server, wait_for_page
from hostile_text import FOCUS, HOST, IMAGE, hostile_store

pytestmark = pytest.mark.playwright

PAGES = [("overview", "chart"), ("indicator", "chart"), ("data", "chart or table"), ("presentation", None)]


@pytest.fixture(scope="module")
def hostile_server(sync_playwright, demo_store_path, tmp_path_factory, request):
    """The app served from a copy of the demo store with hostile stored text."""
    path = hostile_store(demo_store_path, tmp_path_factory.mktemp("hostile-browser") / "hostile.duckdb")
    return start_server(path, "hostile", tmp_path_factory, request)


def test_hostile_names_create_no_image_link_or_request(browser, hostile_server):
    """On each page that draws stored text: no element and no request from the hostile markup."""
    context = browser.new_context(viewport=NORMAL_VIEWPORT)
    requests: list[str] = []
    context.on("request", lambda req: requests.append(req.url) if HOST in req.url else None)
    try:
        for name, drawn in PAGES:
            page = context.new_page()
            page.set_default_timeout(EXPECT_SECONDS * 1000)
            page.goto(hostile_server.page_url(f"{name}?focus={FOCUS}&period=2021/22"))
            wait_for_page(page, name, drawn)
            found = page.evaluate(
                """host => ({
                  images: [...document.querySelectorAll('img')].filter(e => (e.src || '').includes(host)).length,
                  links: [...document.querySelectorAll('a')].filter(e => (e.href || '').includes(host)).length,
                  katex: document.querySelectorAll('.katex').length,
                  headings: [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
                    .filter(e => e.innerText.trim() === 'Heading').length,
                  text: document.body.innerText,
                  where: [...document.querySelectorAll('a')].filter(e => (e.href || '').includes(host))
                    .map(e => e.parentElement.parentElement.outerHTML.slice(0, 600)),
                })""",
                HOST,
            )
            assert (found["images"], found["links"], found["katex"], found["headings"]) == (0, 0, 0, 0), (
                name,
                found["where"],
            )
            shown = found["text"].replace("\u2060", "")  # the word joiner that stops bare links
            assert IMAGE in shown, f"{name}: the focus name is not shown as written"
            page.close()
        assert requests == []
    finally:
        context.close()
        hostile_server.check_alive()
