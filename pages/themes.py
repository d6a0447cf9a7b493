"""Theme rankings: every authority's position per theme, and the focus authority's positions."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from benchmarking import analysis, charts
from benchmarking.formatting import ordinal
from benchmarking.positions import LA_CORE, OVERALL
from pages._common import current_selection, benchmark, catalogue, page_header, show_chart, style

QUARTILE_FILL = {1: "#CDE8DE", 2: "#E6F2EC", 3: "#FBEFD6", 4: "#F4D6D1"}
QUARTILE_TEXT = {1: "Q1", 2: "Q2", 3: "Q3", 4: "Q4"}

selection = current_selection()
page_header("Theme rankings", selection)
cat = catalogue()
bench = benchmark(selection)

figures = analysis.overview(cat, bench, selection.period, selection.focus)
positions = figures["theme_positions"]
title = f"{selection.focus_name}: position by theme, {selection.period}"
chart = charts.theme_position_chart(positions, selection.group_size, title, selection.subtitle(),
                                    style=style(selection))
show_chart(chart, positions, title, key="theme-positions")

table = analysis.theme_table(cat, bench, selection.period)
theme_columns = [c for c in table.columns if c not in ("authority_code", "name", "kind")]
st.subheader(f"League table, {selection.period}")
st.caption("Positions (1 = best) for Overall, LA Core and each theme. Cells are shaded by quartile and "
           "labelled Q1 (top 25%) to Q4; blank = no position (too few indicators). Click a column to sort.")
n = selection.group_size


def _cell(position) -> str:
    if pd.isna(position):
        return ""
    quartile = min(4, max(1, -(-4 * int(position) // n)))
    return f"{ordinal(position)} · {QUARTILE_TEXT[quartile]}"


def _shade(column: pd.Series) -> list[str]:
    out = []
    for position in column:
        if pd.isna(position):
            out.append("")
            continue
        quartile = min(4, max(1, -(-4 * int(position) // n)))
        out.append(f"background-color: {QUARTILE_FILL[quartile]}")
    return out


display = table.rename(columns={"name": "Authority", "kind": "Type"}).drop(columns="authority_code")
styler = display.style.apply(_shade, subset=theme_columns).format(_cell, subset=theme_columns)
styler = styler.apply(lambda row: ["font-weight: bold; border: 2px solid #D55E00"] * len(row)
                      if table.loc[row.name, "authority_code"] == selection.focus else [""] * len(row), axis=1)
st.dataframe(styler, hide_index=True, width="stretch",
             height=min(38 * (len(display) + 1), 1250))
st.download_button("Download league table (CSV)", table.to_csv(index=False).encode("utf-8"),
                   file_name=f"theme-league-table-{selection.period.replace('/', '-')}.csv", mime="text/csv",
                   on_click="ignore")
