"""The size of the screen a slide is shown on, learnt in the browser: the window's size and the width the sidebar
takes beside the page (0 when it is closed or hidden), reported by a component that draws nothing, read as the
screen class slides are laid out for (``briefing.screens.screen_for``).

The component reports as soon as the page draws it, and again only when the window is resized or the sidebar
opened, closed or dragged wider (a report reruns the page). Until it has reported on this visit of the page,
``screen`` returns None and the page waits for it instead of laying a slide out for a screen it may not be shown on:
the slide is built once, at its size. A browser that has still not reported on the next run gets the smallest
screen, which every screen holds.
"""

from __future__ import annotations

import streamlit as st

from benchmarking.briefing.screens import SIDEBAR, SMALLEST, Screen, screen_for

SCREEN_KEY = "screen-size"
"""The component's key: its state holds the browser's last report,
``{"size": {"width": ..., "height": ..., "sidebar": ...}}``."""
WAITED_KEY = "screen-waited"
"""Set while the page has waited one run for a report that has not come."""

# The window's inner size and the sidebar's width beside the main area (the window's width less the main area's) on
# mounting, and after each resize of the window or of the main area (the sidebar opened, closed or dragged) has
# settled (a drag sends many events); a report that says nothing new is not sent (each one reruns the page).
SCREEN_JS = """
export default function(component) {
  const { setStateValue } = component;
  let timer = null, last = null;
  const main = document.querySelector('[data-testid="stMain"]');
  const report = () => {
    const sidebar = main ? Math.max(0, Math.round(window.innerWidth - main.getBoundingClientRect().width)) : null;
    const size = {width: window.innerWidth, height: window.innerHeight, sidebar};
    if (JSON.stringify(size) === last) return;
    last = JSON.stringify(size);
    setStateValue('size', size);
  };
  const settled = () => { clearTimeout(timer); timer = setTimeout(report, 250); };
  report();
  window.addEventListener('resize', settled);
  const observer = main && window.ResizeObserver ? new ResizeObserver(settled) : null;
  if (observer) observer.observe(main);
  return () => {
    clearTimeout(timer);
    window.removeEventListener('resize', settled);
    if (observer) observer.disconnect();
  };
}
"""
SCREEN_CSS = """<style>
/* The component that reports the window's size takes no room. */
[data-testid="stElementContainer"]:has(.st-key-screen-size), .st-key-screen-size {display: none !important;}
</style>"""

_window_size = st.components.v2.component("benchmarking.window_size", js=SCREEN_JS)


def screen() -> Screen | None:
    """Return the screen class of the browser's window, with the sidebar's width it reports; None on the first run
    of a visit before the browser has reported it (the caller waits: the report reruns the page), then ``SMALLEST``
    while it still has not. Draws the component that reports it, once per run."""
    st.html(SCREEN_CSS)
    size = _window_size(key=SCREEN_KEY, on_size_change=lambda: None, default={"size": None}).size
    if not isinstance(size, dict):
        if st.session_state.get(WAITED_KEY):
            return SMALLEST
        st.session_state[WAITED_KEY] = True
        return None
    st.session_state.pop(WAITED_KEY, None)  # reported: a later visit of the page waits for its own report
    try:
        sidebar = size.get("sidebar")
        return screen_for(float(size["width"]), float(size["height"]), SIDEBAR if sidebar is None else float(sidebar))
    except (KeyError, TypeError, ValueError):  # not the browser's report: the smallest, which every screen holds
        return SMALLEST
