"""Theme rankings: every authority's position per theme, and the focus authority's positions."""

from __future__ import annotations

import streamlit as st

from benchmarking import charts
from benchmarking.service import explain
from benchmarking.service.overview import data_currency
from benchmarking.text.formatting import currency_text, position_text
from benchmarking.text.narrative import no_positions_text, theme_summary
from benchmarking.text.tables import glossary_line
from pages._cache import memo, selection_key
from pages._common import (
    benchmark,
    catalogue,
    current_selection,
    escape,
    overview_figures,
    page_header,
    show_chart,
    style,
)
from pages._layout import opened_section
from pages._tables import show_table
from pages._themes_stability import draw_stability
from pages._themes_table import draw_basis, draw_league_table, with_indicator_counts
from pages._view_params import url_choice

WHY_COLUMNS = {
    "name": "Indicator",
    "theme": "Theme",
    "value": "Value",
    "rank": "Rank",
    "n_ranked": "Of",
    "group_mean_rank": "Group mean rank",
    "contribution": "Contribution",
    "source_period": "Published for",
    "years_older": "Years older",
    "status": "Status",
}
WHY_SECTION = "themes_why"


selection = current_selection()
page_header("themes", selection)
cat = catalogue()
bench = benchmark(selection)

figures = overview_figures(selection)
key = (selection_key(selection), selection.briefing)


def _chart():
    positions = figures.theme_positions  # each position "of" the authorities positioned in its theme
    chart = charts.theme_position_chart(positions, title, selection.subtitle(), style=style(selection))
    counted = with_indicator_counts(positions, bench, selection)  # the table says what each position rests on
    return chart, counted, theme_summary(figures)


title = f"{selection.focus_name}: position by theme, {selection.period}"
if figures.absent:  # it did not exist then: no chart of positions it cannot have
    st.info(escape(f"{figures.absent}: it has no positions in this period."))
else:
    chart, positions, summary_line = memo("themes-chart", key, _chart)
    show_chart(chart, positions, title, key="theme-positions", summary=summary_line)
    draw_basis(positions, selection)
if no_positions_text(figures):  # a theme no one is positioned in is in neither the chart nor the league table
    st.caption(escape(no_positions_text(figures)))

theme_columns = draw_league_table(cat, bench, selection)


def _why_table(theme_choice: str):
    rows, summary = explain.why_this_rank(cat, bench, theme_choice, selection.period, selection.focus)
    currency = currency_text(data_currency(cat, bench, theme_choice, selection.period, selection.focus))
    shown = rows.rename(columns=WHY_COLUMNS).drop(columns="indicator_id")
    return summary, currency, shown, glossary_line(rows["name"])


def _draw_why() -> None:
    """Draw the position chosen to explain, the sentence that explains it and every indicator behind it."""
    theme_choice = url_choice("selectbox", "Position to explain", "why", theme_columns, key="why_theme")
    summary, currency, why_table, glossary = memo("themes-why", (*key, theme_choice), lambda: _why_table(theme_choice))
    if summary["reason"]:
        st.warning(escape(summary["reason"]))
    else:
        st.markdown(
            f"**{escape(selection.focus_name)}: {escape(theme_choice)} "
            f"{position_text(summary['position'], summary['n_positioned'])}**, "
            f"built from {summary['n_indicators']} of the theme's {summary['n_available']} ranked indicators "
            f"({summary['coverage']:.0%} coverage) in {escape(selection.period)}. The average of the ranks listed "
            f"below is {summary['mean_listed_rank']:.2f}, the average rank that is ranked to give the position. "
            "Contribution = the indicator's rank minus the group's mean rank on it: negative values pull the "
            "position up, positive values pull it down. Indicators without a value are listed, not ranked and "
            "never filled in."
        )
    st.caption(
        escape(currency) + " The Published for column gives each figure's own period; Status flags provisional and "
        "revised figures."
    )
    show_table(
        why_table,
        hide_index=True,
        width="stretch",
        column_config={
            "Group mean rank": st.column_config.NumberColumn(format="%.1f"),
            "Contribution": st.column_config.NumberColumn(format="%+.1f"),
        },
    )
    if glossary:  # abbreviations in the indicator names, spelled out
        st.caption(escape(f"Abbreviations: {glossary}."))


st.subheader("Why this rank?")
if "why" in st.query_params:  # a link that names the position to explain opens the section at it
    st.session_state.setdefault(WHY_SECTION, True)
# Drawn when opened: its table is a data grid, whose code and canvas would cost every first page.
opened_section(
    f"Every indicator behind one of {escape(selection.focus_name)}'s positions, and what each contributes",
    WHY_SECTION,
    _draw_why,
)

draw_stability(selection)
