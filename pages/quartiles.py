"""Quartiles and lists: the Compendium's quartile counts, bottom-quartile and improvement lists."""

from __future__ import annotations

import streamlit as st

from benchmarking.method import travel
from benchmarking.service.lists import bottom_quartile_list, direction_table, quartile_table
from pages._common import benchmark, catalogue, current_selection, escape, page_header

selection = current_selection()
page_header("quartiles", selection)
cat = catalogue()
bench = benchmark(selection)

wide = quartile_table(cat, bench, selection.period, selection.focus)
overall = wide.loc["Overall"] if "Overall" in wide.index else None
st.subheader(f"Quartile position of {escape(selection.focus_name)}'s indicators, {escape(selection.period)}")
if overall is not None:
    cols = st.columns(4)
    for col, (label, value) in zip(cols, overall.items()):
        col.metric(label, int(value))
st.dataframe(wide, width="stretch")

st.subheader("Lower comparative performing areas (bottom quartile)")
bottom = bottom_quartile_list(cat, bench, selection.period, selection.focus)
if bottom.empty:
    st.success("No indicator is in the bottom quartile.")
else:
    older = int((bottom["source_period"] != selection.period).sum())
    st.caption(
        f"{len(bottom)} indicators in the bottom 25% of the group, grouped by theme"
        + (f"; {older} of them rest on figures published for an earlier period (Published for)." if older else ".")
    )
    for theme, rows in bottom.groupby("theme", sort=True):
        with st.expander(f"{escape(theme)} ({len(rows)})", expanded=len(bottom) <= 12):
            st.dataframe(
                rows[["name", "value", "rank", "n_ranked", "source_period", "status"]].rename(
                    columns={
                        "name": "Indicator",
                        "value": "Value",
                        "rank": "Rank",
                        "n_ranked": "Of",
                        "source_period": "Published for",
                        "status": "Status",
                    }
                ),
                hide_index=True,
                width="stretch",
            )

st.subheader("Improvement since previous year")
improved = travel.improvement_since_previous(bench.ranks, cat.indicators, selection.focus, period=selection.period)
if improved.empty:
    st.info("No indicator moved out of the bottom quartile since the previous period.")
else:
    st.caption("Indicators that were bottom quartile in the previous period and are in a better quartile now.")
    st.dataframe(
        improved[["theme", "name", "previous_period", "previous_rank", "rank", "quartile", "places_gained"]].rename(
            columns={
                "theme": "Theme",
                "name": "Indicator",
                "previous_period": "Previous period",
                "previous_rank": "Previous rank",
                "rank": "Rank now",
                "quartile": "Quartile now",
                "places_gained": "Places gained",
            }
        ),
        hide_index=True,
        width="stretch",
    )

st.subheader("Direction of travel by theme")
table = direction_table(cat, bench, selection.period, selection.focus)
st.caption(
    "Improvement or deterioration given each indicator's polarity, against the authority's previous value; "
    "changes within 1% count as no real change."
)
st.dataframe(table, width="stretch")
