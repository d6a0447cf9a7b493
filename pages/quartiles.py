"""Quartiles and lists: the Compendium's quartile counts, top- and bottom-quartile lists by theme with
the group median and best value, the improvement list and direction of travel."""

from __future__ import annotations

import streamlit as st

from benchmarking.method.lifetimes import no_figures_text
from benchmarking.method.positions import OVERALL
from benchmarking.service.lists import BOTTOM, TOP, quartile_tables
from benchmarking.service.overview import data_currency
from benchmarking.text.formatting import currency_text
from pages._cache import memo, selection_key
from pages._common import benchmark, catalogue, current_selection, escape, page_header
from pages._quartiles_lists import draw_quartile_list, list_tables
from pages._tables import static_table
from pages._view_params import url_choice

selection = current_selection()
page_header("quartiles", selection)
cat = catalogue()
bench = benchmark(selection)
focus_name, period = escape(selection.focus_name), escape(selection.period)


def _tables():
    """Return the page's figures and tables in words, computed once per selection."""
    found = quartile_tables(cat, bench, selection.period, selection.focus)
    currency = currency_text(data_currency(cat, bench, OVERALL, selection.period, selection.focus))
    tables = {q: list_tables(frame) for q, frame in found.lists.items() if not frame.empty}
    return found.counts, currency, found.lists, tables, found.improved, found.directions, found.absent


wide, currency, listed_by, tables, improved, direction, absent = memo("quartiles", selection_key(selection), _tables)
st.subheader(f"Quartile position of {focus_name}'s indicators, {period}")
if absent:  # no figures because it did not exist then: say so, never counts of zeros (as the Overview does)
    st.info(escape(no_figures_text(absent)))
    st.stop()
if OVERALL in wide.index:
    cols = st.columns(4)
    for col, (label, value) in zip(cols, wide.loc[OVERALL].items()):
        col.metric(label, int(value))
# The same sentence, from the same function, as the Overview's: how many figures are from an earlier period.
st.caption(escape(currency))
st.caption("Indicators per theme in each quartile of the group: 1st = the best 25%, 4th = the lowest 25%.")
static_table(wide, index=True)

# One list at a time (chosen here, kept in the URL as ?list=top): each is drawn whole, a table per theme,
# and drawing both at once made the page slow to appear in the browser.
lists = {
    "bottom": (BOTTOM, "bottom quartile", "Lower comparative performing areas (bottom quartile)", "the lowest 25%"),
    "top": (TOP, "top quartile", "Higher comparative performing areas (top quartile)", "the best 25%"),
}
chosen = url_choice(
    "radio",
    "Quartile list",
    "list",
    list(lists),
    key="quartiles_list",
    format_func=lambda name: f"{lists[name][1].capitalize()} ({len(listed_by[lists[name][0]])})",
    horizontal=True,
)
quartile, title, heading, share = lists[chosen]
st.subheader(heading)
listed = listed_by[quartile]
if listed.empty:
    st.info(f"No indicator of {focus_name} is in the {title} for {period}.")
else:
    older = int(listed["older"].sum())
    st.caption(
        f"{len(listed)} indicators of {focus_name} in {share} of the group for {period}, grouped by theme, "
        "with the median and the best value of the group's members"
        + (f"; {older} of them rest on figures published for an earlier period (marked earlier)." if older else ".")
    )
    draw_quartile_list(tables[quartile], title, selection.period, f"csv-{quartile}")

st.subheader("Improvement since previous year")
if improved.empty:
    st.info("No indicator moved out of the bottom quartile with an improved figure since the previous period.")
else:
    st.caption(
        "Indicators that were bottom quartile in the previous period, are in a better quartile now, "
        "and whose figure improved (counted as Improved in the direction of travel below)."
    )
    static_table(improved)

st.subheader("Direction of travel by theme")
st.caption(
    "Improvement or deterioration given each indicator's polarity, against the authority's previous value; "
    "changes within 1% count as no real change."
)
static_table(direction, index=True)
