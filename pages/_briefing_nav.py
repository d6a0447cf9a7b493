"""Presenter navigation in briefing mode: the page links move from the (hidden) sidebar to a
compact bar in the app's header, and the arrow keys and a clicker's PageUp/PageDown step
through the pages in the registry's order.

The keys are read by one listener on the app's window (installed once per browser tab by
``keyboard_stepping``); it finds the previous and next page in a hidden marker that app.py
draws on every briefing run, and clicks the header's link to that page, so the switch happens
inside the session (the selection is kept and written back to the URL by the sidebar).
"""

from __future__ import annotations

import json

import streamlit as st

from pages._registry import PAGES

PAGES_WITH_OWN_KEYS = frozenset({"presentation"})
"""Pages whose arrow keys step through their own content (the Presentation page's slides)."""

MARKER_ID = "briefing-keys"

_LISTENER = """<div id="%(marker)s" hidden data-previous=%(previous)s data-next=%(next)s data-own-keys=%(own)s></div>
<script>
(() => {
  if (window.__briefingKeys) return;
  window.__briefingKeys = true;
  const FORWARD = ['ArrowRight', 'PageDown'], BACK = ['ArrowLeft', 'PageUp'];
  const busy = target => !!(target && target.closest && target.closest(
    'input, textarea, select, [contenteditable="true"], [role="combobox"], [role="listbox"], ' +
    '[role="option"], [role="slider"], [role="tab"], [role="radiogroup"], [data-testid="stDataFrame"]'));
  window.addEventListener('keydown', event => {
    const marker = document.getElementById('%(marker)s');
    if (!marker || event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    if (marker.dataset.ownKeys === '1' || busy(event.target)) return;
    const step = FORWARD.includes(event.key) ? 'next' : BACK.includes(event.key) ? 'previous' : null;
    const key = step && marker.dataset[step];
    if (!key) return;
    event.preventDefault();
    const last = href => '/' + new URL(href, window.location.href).pathname.replace(/\\/+$/, '').split('/').pop();
    const link = [...document.querySelectorAll('header a[href]')].find(a => last(a.href) === key);
    if (link) link.click();
    else window.location.assign('.' + key + window.location.search);
  });
})();
</script>"""


def neighbours(key: str) -> tuple[str | None, str | None]:
    """Return the url paths of the pages before and after ``key`` in the registry (None at either end)."""
    paths = [page.url_path for page in PAGES]
    at = paths.index(key)
    return (paths[at - 1] if at > 0 else None, paths[at + 1] if at + 1 < len(paths) else None)


def link_path(key: str) -> str:
    """Return the last segment of the path a link to ``key`` points at ("/quadrant"; "/" for the default page)."""
    default = next(page.url_path for page in PAGES if page.default)
    return "/" if key == default else f"/{key}"


def keyboard_stepping(current: str) -> None:
    """Draw the hidden marker and the key listener for the page ``current`` (returns None)."""
    previous, following = neighbours(current)
    st.html(
        _LISTENER
        % {
            "marker": MARKER_ID,
            "previous": json.dumps(link_path(previous) if previous else ""),
            "next": json.dumps(link_path(following) if following else ""),
            "own": json.dumps("1" if current in PAGES_WITH_OWN_KEYS else "0"),
        },
        unsafe_allow_javascript=True,
    )


def navigation_position(briefing: bool) -> str:
    """Return where st.navigation draws the page links: the header in briefing mode, else the sidebar."""
    return "top" if briefing else "sidebar"
