"""Funding: core spending power per head league table and the "better off if funded like" figure."""

from __future__ import annotations

import streamlit as st

from benchmarking import charts
from benchmarking.errors import BenchmarkingError
from benchmarking.service.context_views import context_ranks
from benchmarking.service.funding_views import (
    better_off,
    focus_without_funding,
    funding_left_out,
    funding_shown,
    funding_view,
    funding_years_older,
    population_basis,
)
from benchmarking.text.formatting import money, money_millions, older_figures_text, position_text
from benchmarking.text.narrative import funding_summary
from pages._cache import memo, selection_key
from pages._common import benchmark, catalogue, current_selection, escape, page_header, show_chart, style
from pages._tables import focus_table
from pages._view_params import url_choice

selection = current_selection()
page_header("funding", selection)
cat = catalogue()
bench = benchmark(selection)

key = (selection_key(selection), selection.briefing)
table = memo("funding", key, lambda: funding_view(cat, bench, selection.period, selection.focus))
if table.empty:
    note = cat.settings.get("funding_note")
    st.info(escape(note) if note else "The store holds no core spending power figures for this period or before it.")
    spend = context_ranks(cat, bench, "Overall", "Revenue", selection.period)
    if len(spend):
        st.markdown(
            f"Instead, **net revenue expenditure per head** ({escape(spend['basis'].iloc[0])}), clearly not "
            "the same measure as core spending power:"
        )
        spend = spend.merge(cat.authorities[["code", "name"]], left_on="authority_code", right_on="code")
        spend["name"] = spend["name"].where(spend["authority_code"] != selection.focus, spend["name"] + " ◆ (focus)")
        focus_table(  # the focus row filled, and at the briefing size on the projector
            spend.sort_values("rank")[["name", "value", "rank", "n_ranked"]].rename(
                columns={
                    "name": "Authority",
                    "value": "Net expenditure per head (£)",
                    "rank": "Rank (1 = highest)",
                    "n_ranked": "Of",
                }
            ),
            selection.focus_name,
            hide_index=True,
            width="stretch",
            column_config={"Net expenditure per head (£)": st.column_config.NumberColumn(format="£%.0f")},
        )
    st.stop()
basis = table["period"].iloc[0]
title = f"Core spending power per head, {basis}"
left_out = memo("funding-left-out", key, lambda: funding_left_out(cat, bench, selection.period, table))
subtitle = [selection.subtitle("Dashed line: group median"), *(left_out or "").splitlines()]  # and who is not drawn
chart, shown = memo(
    "funding-chart",
    key,
    lambda: (charts.funding_chart(table, title, subtitle, style=style(selection)), funding_shown(table)),
)
show_chart(chart, shown, title, key="funding", summary=funding_summary(table))
years = funding_years_older(cat, table, selection.period)
if years:  # the Indicator page's older-figures rule and words
    st.warning(
        escape(older_figures_text("core spending power is", basis, years, selection.period, plural=False)),
        icon=":material/history:",
    )

focus = table[table["is_focus"]]
if len(focus):
    st.metric(
        f"{escape(selection.focus_name)}: core spending power per head",
        money(focus["core_spending_power_per_head"].iloc[0]),
        help="1st = best funded",
    )
    st.caption(f"Funding rank {position_text(focus['rank'].iloc[0], focus['n_ranked'].iloc[0])} (1st = best funded)")

missing = focus_without_funding(cat, table, selection.period, selection.focus)
if missing:  # no figure for the focus: say why by name, as a notice; the table above stands
    st.info(f"{escape(missing)}. So there is no 'better off' sum for it.", icon=":material/info:")
    st.stop()
st.subheader("How much better off if funded like ...")
names = dict(zip(table["authority_code"], table["name"]))
choices = ["median", "highest"] + [c for c in table["authority_code"] if c != selection.focus]
labels = {"median": "the group median", "highest": "the highest-funded authority"} | names
reference = url_choice(
    "selectbox", "Compare with", "reference", choices, key="funding_reference", format_func=lambda c: labels[c]
)
try:
    result = better_off(table, selection.focus, reference)
except BenchmarkingError as error:
    st.error(escape(error))
    st.stop()
if result.amount != result.amount:
    st.info(f"No population figure for {escape(selection.focus_name)}, so the total cannot be worked out.")
elif result.amount > 0:
    st.success(
        f"{escape(selection.focus_name)} would be **{money_millions(result.amount)} a year better off** if funded "
        f"at the level of {escape(result.reference_label)} ({money(result.reference_per_head)} per head against "
        f"{money(result.focus_per_head)}; {money(result.difference_per_head, 2)} per head in {escape(basis)} x "
        f"{result.population:,.0f} residents, the latest population estimate held). Note: "
        f"{escape(population_basis(basis))}."
    )
else:
    st.info(
        f"{escape(selection.focus_name)} is funded {money(-result.difference_per_head, 2)} per head more than "
        f"{escape(result.reference_label)} in {escape(basis)} ({money_millions(-result.amount)} a year in total, "
        f"by the latest population estimate held). Note: {escape(population_basis(basis))}."
    )
