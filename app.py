"""County benchmarking dashboard: the Streamlit entry point (``streamlit run app.py``).

Each page draws the shared sidebar itself (see ``pages._common.current_selection``); the
pages are declared in ``pages._registry``.
"""

from __future__ import annotations

import streamlit as st

from pages._common import BASE_CSS, ensure_store
from pages._navigation import mark_entry_run
from pages._registry import PAGES

st.set_page_config(page_title="County benchmarking", page_icon=":bar_chart:", layout="wide")
# The page CSS (contrast, visible keyboard focus) is drawn here, before the page runs, so it
# stays in place while one page gives way to the next.
st.markdown(BASE_CSS, unsafe_allow_html=True)
ensure_store()

NAVIGATION = [
    st.Page(page.file, title=page.title, icon=page.icon, default=page.default, url_path=page.url_path) for page in PAGES
]
mark_entry_run()
st.navigation(NAVIGATION).run()
