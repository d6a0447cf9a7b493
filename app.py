"""County benchmarking dashboard: the Streamlit entry point (``streamlit run app.py``)."""

from __future__ import annotations

import streamlit as st

from pages.common import ensure_store

st.set_page_config(page_title="County benchmarking", page_icon=":bar_chart:", layout="wide")
ensure_store()

PAGES = [
    st.Page("pages/home.py", title="Home", icon=":material/home:", default=True, url_path="home"),
]
st.navigation(PAGES).run()
