"""The size of the screen a slide is shown on, learnt in the browser: the window's size, reported by a component
that draws nothing, read as the screen class slides are laid out for (``briefing.screens.screen_for``).

The component reports as soon as the page draws it, and again only when the window is resized (a report reruns the
page). Until it has reported on this visit of the page, ``screen`` returns None and the page waits for it instead
of laying a slide out for a screen it may not be shown on: the slide is built once, at its size. A browser that
has still not reported on the next run gets the smallest screen, which every screen holds.
"""

from __future__ import annotations

import streamlit as st

from benchmarking.briefing.screens import SMALLEST, Screen, screen_for

SCREEN_KEY = "screen-size"
"""The component's key: its state holds the browser's last report, ``{"size": {"width": ..., "height": ...}}``."""
WAITED_KEY = "screen-waited"
"""Set while the page has waited one run for a report that has not come."""

# The window's inner size on mounting and after each resize has settled (a drag sends many resize events).
SCREEN_JS = """
export default function(component) {
  const { setStateValue } = component;
  let timer = null;
  const report = () => setStateValue('size', {width: window.innerWidth, height: window.innerHeight});
  const settled = () => { clearTimeout(timer); timer = setTimeout(report, 250); };
  report();
  window.addEventListener('resize', settled);
  return () => { clearTimeout(timer); window.removeEventListener('resize', settled); };
}
"""
SCREEN_CSS = """<style>
/* The component that reports the window's size takes no room. */
[data-testid="stElementContainer"]:has(.st-key-screen-size), .st-key-screen-size {display: none !important;}
</style>"""

_window_size = st.components.v2.component("benchmarking.window_size", js=SCREEN_JS)


def screen() -> Screen | None:
    """Return the screen class of the browser's window; None on the first run of a visit before the browser has
    reported it (the caller waits: the report reruns the page), then ``SMALLEST`` while it still has not. Draws the
    component that reports it, once per run."""
    st.html(SCREEN_CSS)
    size = _window_size(key=SCREEN_KEY, on_size_change=lambda: None, default={"size": None}).size
    if not isinstance(size, dict):
        if st.session_state.get(WAITED_KEY):
            return SMALLEST
        st.session_state[WAITED_KEY] = True
        return None
    st.session_state.pop(WAITED_KEY, None)  # reported: a later visit of the page waits for its own report
    try:
        return screen_for(float(size["width"]), float(size["height"]))
    except (KeyError, TypeError, ValueError):  # not the browser's report: the smallest, which every screen holds
        return SMALLEST
