"""Quartiles and lists: the Compendium's quartile counts, bottom-quartile and improvement lists."""

from __future__ import annotations

import streamlit as st

from benchmarking.method import travel
from pages._common import benchmark, catalogue, current_selection, page_header

selection = current_selection()
page_header("quartiles", selection)
cat = catalogue()
bench = benchmark(selection)

counts = travel.quartile_counts(bench.ranks, cat.indicators, selection.focus, period=selection.period)
wide = counts.pivot_table(index="theme", columns="quartile", values="n_indicators", aggfunc="sum").fillna(0).astype(int)
wide.columns = [f"{q}{'st' if q == 1 else 'nd' if q == 2 else 'rd' if q == 3 else 'th'} quartile" for q in wide.columns]
order = ["Overall"] + sorted(t for t in wide.index if t != "Overall")
wide = wide.loc[[t for t in order if t in wide.index]]
overall = wide.loc["Overall"] if "Overall" in wide.index else None
st.subheader(f"Quartile position of {selection.focus_name}'s indicators, {selection.period}")
if overall is not None:
    cols = st.columns(4)
    for col, (label, value) in zip(cols, overall.items()):
        col.metric(label, int(value))
st.dataframe(wide, width="stretch")

st.subheader("Lower comparative performing areas (bottom quartile)")
bottom = travel.bottom_quartile(bench.ranks, cat.indicators, selection.focus, period=selection.period)
if bottom.empty:
    st.success("No indicator is in the bottom quartile.")
else:
    used = cat.reporting_values
    used = used.loc[
        (used["period"] == selection.period) & (used["authority_code"] == selection.focus),
        ["indicator_id", "source_period", "status"],
    ]
    bottom = bottom.merge(used, on="indicator_id", how="left")
    older = int((bottom["source_period"] != selection.period).sum())
    st.caption(
        f"{len(bottom)} indicators in the bottom 25% of the group, grouped by theme"
        + (f"; {older} of them rest on figures published for an earlier period (Published for)." if older else ".")
    )
    for theme, rows in bottom.groupby("theme", sort=True):
        with st.expander(f"{theme} ({len(rows)})", expanded=len(bottom) <= 12):
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
directions = travel.direction_counts(bench.travel, cat.indicators, selection.focus, period=selection.period)
table = (
    directions.pivot_table(index="theme", columns="direction", values="n_indicators", aggfunc="sum", observed=False)
    .fillna(0)
    .astype(int)
)
table = table.loc[[t for t in order if t in table.index]]
st.caption(
    "Improvement or deterioration given each indicator's polarity, against the authority's previous value; "
    "changes within 1% count as no real change."
)
st.dataframe(table, width="stretch")
