"""Beyond ranks, section 3: who gets more for their money (frontier and regression)."""

from __future__ import annotations

import streamlit as st

from benchmarking import charts
from benchmarking.method import value_for_money
from benchmarking.service import beyond_ranks as view
from pages._cache import memo, selection_key
from pages._common import Selection, escape, show_chart, style
from pages._tables import show_table, static_table
from pages._view_params import url_choice

VFM_COLUMNS = {
    "performance_score": st.column_config.NumberColumn("Performance", format="%.2f"),
    "spend_per_head": st.column_config.NumberColumn("Spend per head (£)", format="localized"),
    "deprivation": st.column_config.NumberColumn("IMD score", format="%.1f"),
    "spend_gap": st.column_config.NumberColumn("Spend gap (£)", format="localized"),
    "residual": st.column_config.NumberColumn(format="%+.2f"),
}
REGRESSION_WORDS = {"term": "Term", "estimate": "Estimate", "std_error": "Standard error", "p_value": "p-value"}


def draw_value_for_money(selection: Selection, cat, bench, names: dict, themes: list[str]) -> None:
    """Draw the frontier chart, the focus's sentence, the table, the regression and the assumptions."""
    period = selection.period
    st.header("Who gets more for their money?")
    theme = url_choice("selectbox", "Theme for value for money", "money_theme", themes, key="beyond_vfm_theme")
    vfm, chart, shown, listed = memo(
        "beyond-money",
        (selection_key(selection), selection.briefing, theme),
        lambda: _money(selection, cat, bench, names, theme),
    )
    table, regression = vfm.table, vfm.regression
    if table.empty:
        st.info(f"No authority has both a {escape(theme)} performance score and spend per head in {escape(period)}.")
        return
    title = f"{theme} performance against spend per head, {period}"
    show_chart(chart, shown, title, key="beyond-frontier")
    row = view.focus_row(table, selection.focus)
    if row is not None:
        safe_names = {code: escape(name) for code, name in names.items()}  # the sentence is Markdown
        st.markdown(
            view.value_for_money_sentence(row, escape(selection.focus_name), safe_names, regression is not None)
        )
    # One table across the page, the regression under it: side by side at 1366 both were cut off on the right.
    show_table(listed, hide_index=True, key="beyond_vfm_table", column_config=VFM_COLUMNS)
    st.caption(
        "Performance: the performance score (0 = the group's typical authority). Spend gap: pounds per head above "
        "the frontier. IMD score: the IMD average score (higher = more deprived). Residual: performance against "
        "what spend and deprivation predict."
    )
    if regression is None:
        st.info("Too few authorities with performance, spend and deprivation to fit the regression.")
    else:
        st.markdown(
            f"**Regression** of the performance score on spend per head and deprivation "
            f"(n = {regression.n}, R² = {regression.r_squared:.2f}, "
            f"residual SD = {regression.residual_sd:.2f})"
        )
        coefficients = view.regression_table(regression).rename(columns=REGRESSION_WORDS)
        static_table(coefficients, formats={"Estimate": "{:+.2f}", "Standard error": "{:.2f}"})
    st.markdown("**Assumptions**\n\n" + "\n".join(f"- {text}" for text in value_for_money.ASSUMPTIONS))


def _money(selection: Selection, cat, bench, names: dict, theme: str):
    """Return the value-for-money view of the theme, its frontier chart, the chart's table and the listed table."""
    vfm = view.value_for_money_view(cat, bench, theme, selection.period, names, selection.focus)
    table = vfm.table
    if table.empty:
        return vfm, None, None, None
    title = f"{theme} performance against spend per head, {selection.period}"
    subtitle = selection.subtitle(f"Spend: {vfm.spend_basis}. Dashed staircase: the efficiency frontier")
    chart = charts.frontier_chart(table, vfm.frontier, title, subtitle, style=style(selection))
    return vfm, chart, table.drop(columns=["is_focus"]), view.value_for_money_listed(table)
