"""County benchmarking dashboard: the Streamlit entry point (``streamlit run app.py``).

Each page draws the shared sidebar itself (see ``pages._common.current_selection``).
"""

from __future__ import annotations

import streamlit as st

from pages._common import BASE_CSS, ensure_store, mark_entry_run

st.set_page_config(page_title="County benchmarking", page_icon=":bar_chart:", layout="wide")
# The page CSS (contrast, visible keyboard focus) is drawn here, before the page runs, so it
# stays in place while one page gives way to the next.
st.markdown(BASE_CSS, unsafe_allow_html=True)
ensure_store()

# Each url_path equals its file's stem: a fresh server's first request is resolved from the
# file name (Streamlit's pages/ folder mode), so any other path would show "Page not found".
PAGES = [
    st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True, url_path="overview"),
    st.Page("pages/quadrant.py", title="Performance vs spend", icon=":material/scatter_plot:", url_path="quadrant"),
    st.Page("pages/themes.py", title="Theme rankings", icon=":material/leaderboard:", url_path="themes"),
    st.Page("pages/indicator.py", title="Indicator explorer", icon=":material/search:", url_path="indicator"),
    st.Page(
        "pages/quartiles.py", title="Quartiles and lists", icon=":material/format_list_bulleted:", url_path="quartiles"
    ),
    st.Page("pages/trend.py", title="Trend", icon=":material/trending_up:", url_path="trend"),
    st.Page("pages/funding.py", title="Funding", icon=":material/payments:", url_path="funding"),
    st.Page("pages/beyond_ranks.py", title="Beyond ranks", icon=":material/query_stats:", url_path="beyond_ranks"),
    st.Page("pages/presentation.py", title="Presentation", icon=":material/slideshow:", url_path="presentation"),
    st.Page("pages/data.py", title="Data", icon=":material/database:", url_path="data"),
    st.Page("pages/import_data.py", title="Data import", icon=":material/upload_file:", url_path="import_data"),
]
mark_entry_run()
st.navigation(PAGES).run()
