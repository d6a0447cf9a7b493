"""Home: what dataset is loaded and how much of it there is."""

from __future__ import annotations

import streamlit as st

from benchmarking.store import default_db_path
from pages.common import datasets, demo_banner, stamp, summary

path = str(default_db_path())
info = summary(path, stamp())
history = datasets(path, stamp())

st.title("County benchmarking")
demo_banner()
st.markdown(
    "How do we perform against the other English county areas, and what do we spend to get "
    "there? Every indicator is ranked across the comparator group (1 = best), ranks are "
    "averaged by theme, and performance is set against spend per head."
)

latest = history.iloc[0] if not history.empty else None
st.subheader("Dataset in use")
if latest is not None:
    st.markdown(f"**{latest['name']}** ({latest['kind']}), loaded {latest['loaded_at']:%d %b %Y %H:%M}")
periods = info["periods"]
cols = st.columns(4)
cols[0].metric("Authorities", f"{info['authorities']:,}")
cols[1].metric("Indicators", f"{info['indicators']:,}", help=f"in {info['themes']} themes")
cols[2].metric("Values", f"{info['values']:,}", help=f"{info['missing_values']:,} missing")
cols[3].metric("Periods", f"{len(periods)}", help=f"{periods[0]} to {periods[-1]}" if periods else "none")
if periods:
    st.caption(f"Periods: {periods[0]} to {periods[-1]}. Store: `{path}`")
with st.expander("Load history"):
    st.dataframe(history, hide_index=True)
