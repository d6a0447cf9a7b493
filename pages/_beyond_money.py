"""Beyond ranks, section 3: who gets more for their money (frontier and regression)."""

from __future__ import annotations

import streamlit as st

from benchmarking import charts
from benchmarking.method import value_for_money
from benchmarking.service import beyond_ranks as view
from pages._cache import memo, selection_key
from pages._common import Selection, escape, show_chart, style
from pages._tables import show_table
from pages._view_params import url_choice

VFM_COLUMNS = {
    "performance_score": st.column_config.NumberColumn("Performance score", format="%.2f"),
    "spend_per_head": st.column_config.NumberColumn("Spend per head", format="£%.0f"),
    "spend_gap": st.column_config.NumberColumn("Spend gap (£/head)", format="£%.0f"),
    "performance_gap": st.column_config.NumberColumn("Performance gap", format="%.2f"),
    "predicted": st.column_config.NumberColumn(format="%.2f"),
    "residual": st.column_config.NumberColumn(format="%+.2f"),
    "standardised_residual": st.column_config.NumberColumn(format="%+.2f"),
}


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
    left, right = st.columns([3, 2])
    with left:
        show_table(
            listed,
            hide_index=True,
            key="beyond_vfm_table",
            column_config=VFM_COLUMNS,
        )
    with right:
        if regression is None:
            st.info("Too few authorities with performance, spend and deprivation to fit the regression.")
        else:
            st.markdown(
                f"**Regression** of the performance score on spend per head and deprivation "
                f"(n = {regression.n}, R² = {regression.r_squared:.2f}, "
                f"residual SD = {regression.residual_sd:.2f})"
            )
            show_table(
                regression.coefficients,
                hide_index=True,
                key="beyond_regression",
                column_config={
                    name: st.column_config.NumberColumn(format="%.4f")
                    for name in ("estimate", "std_error", "t", "p_value")
                },
            )
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
    return vfm, chart, table.drop(columns=["is_focus"]), table.drop(columns=["is_focus", "benchmark_code"])
