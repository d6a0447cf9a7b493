"""County benchmarking dashboard: the Streamlit entry point (``streamlit run app.py``).

Each page draws the shared sidebar itself (see ``pages._common.current_selection``); the
pages are declared in ``pages._registry``. Every page runs inside ``store_notices`` (a busy
or damaged store shows a notice, not a traceback) and ``session_access`` (a viewer's session
cannot write to the store, whatever a page draws).
"""

from __future__ import annotations

import streamlit as st

from benchmarking import charts
from benchmarking.access import session_access
from pages._access import session_edit_access
from pages._briefing_nav import keyboard_stepping, navigation_position
from pages._briefing_style import apply_briefing_style, briefing_requested
from pages._cache import warm_default_selection
from pages._common import BASE_CSS
from pages._navigation import mark_entry_run, open_typed_page
from pages._registry import PAGES
from pages._store import ensure_store, store_notices

st.set_page_config(page_title="County benchmarking", page_icon=":bar_chart:", layout="wide")
charts.start_renderer()  # once per process, on another thread: the Overview's still chart needs it first
# The page CSS (contrast, visible keyboard focus) is drawn here, before the page runs, so it
# stays in place while one page gives way to the next. st.html, not st.markdown: a style-only block
# takes no room and does not make the browser load the HTML-in-Markdown parser.
st.html(BASE_CSS)
# Briefing mode (a presenter's mode): its CSS is drawn here too, for the same reason, and the page
# links move from the hidden sidebar to the header; the arrow keys step through the pages.
BRIEFING = briefing_requested()
apply_briefing_style(BRIEFING)
access = session_edit_access()
with store_notices(), session_access(access):
    ensure_store(access)
    NAVIGATION = [
        st.Page(page.file, title=page.title, icon=page.icon, default=page.default, url_path=page.url_path)
        for page in PAGES
    ]
    mark_entry_run()
    open_typed_page(NAVIGATION)  # /overview, /Quadrant: the page they name, not "Page not found"
    current = st.navigation(NAVIGATION, position=navigation_position(BRIEFING))
    if BRIEFING:
        keyboard_stepping(current.url_path or next(page.key for page in PAGES if page.default))
    current.run()
    # After the first page is drawn, off its path: the default selection's Overview figures and briefing
    # (seconds the first time) are computed in the background for whoever opens them next.
    warm_default_selection()
