"""The size of the screen a slide is shown on, learnt in the browser: the window's size, reported by a component
that draws nothing, read as the screen class slides are laid out for (``briefing.screens.screen_for``).

Until the browser has reported (the first run of a session), slides are laid out for the smallest screen; the
report reruns the page once, and again only when the window is resized (the class it falls in is then compared).
"""

from __future__ import annotations

import streamlit as st

from benchmarking.briefing.screens import SMALLEST, Screen, screen_for

SCREEN_KEY = "screen-size"
"""The component's key: its state holds the browser's last report, ``{"size": {"width": ..., "height": ...}}``."""

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


def screen() -> Screen:
    """Return the screen class of the browser's window (``SMALLEST`` until it has reported); draws the component
    that reports it, once per run."""
    st.html(SCREEN_CSS)
    size = _window_size(key=SCREEN_KEY, on_size_change=lambda: None, default={"size": None}).size
    if not isinstance(size, dict):
        return SMALLEST
    try:
        return screen_for(float(size["width"]), float(size["height"]))
    except (KeyError, TypeError, ValueError):  # not the browser's report: the smallest, which every screen holds
        return SMALLEST
