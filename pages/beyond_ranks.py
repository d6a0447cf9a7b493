"""Beyond ranks: how sure a position is, how it moves with theme weights and the basket, value for money,
similar authorities, and which changes are more than year-to-year noise, one question at a time.

Each section is drawn by a ``pages/_beyond_*.py`` module from the tables that
``benchmarking.service.beyond_ranks`` shapes; only the chosen one is built and sent."""

from __future__ import annotations

import streamlit as st

from benchmarking.method.positions import LA_CORE, OVERALL
from pages._beyond_baskets import draw_baskets
from pages._beyond_certainty import draw_certainty
from pages._beyond_money import draw_value_for_money
from pages._beyond_peers import draw_significance, draw_similar
from pages._beyond_weights import draw_weights
from pages._cache import benchmark_key, benchmark_with_focus
from pages._common import catalogue, current_selection, escape, page_header
from pages._view_params import url_choice

selection = current_selection()
page_header("beyond_ranks", selection)
cat = catalogue()
bench = benchmark_with_focus(selection)  # these analyses need the focus inside the ranking
if selection.beside_note:
    st.info(
        f"Here {escape(selection.focus_name)} is ranked with the group's members as if it were one of them "
        "(a what-if), so a member's place may differ by one from the group's own league table."
    )
names = dict(zip(cat.authorities["code"], cat.authorities["name"]))
# The focus authority is part of the key: it decides neighbour and similar groups, and is
# ranked with any group it is not in (service.benchmark.benchmark_with_focus_ranked).
cache_key = benchmark_key(selection)
columns_choice = [OVERALL, LA_CORE] + cat.themes
st.markdown(
    "A position such as *3rd of 32* rests on a basket of indicators with missing data, ties and noise. "
    "This page asks how sure that position is, how it depends on the weight each theme carries and on the "
    "basket, who gets "
    "more for their money, who is genuinely like us, and which changes since last year are more than "
    "the usual year-to-year movement. Choose the question below."
)

# One question at a time, kept in the URL (?section=money): a first visit draws one section, not six, each
# with its grids, sliders and charts (drawing them all made the page the slowest to appear in the browser).
SECTIONS = {
    "certainty": ("How sure", lambda: draw_certainty(selection, cat, bench, names, cache_key, columns_choice)),
    "weights": ("Theme weights", lambda: draw_weights(selection, cat, bench, names)),
    "baskets": ("Basket", lambda: draw_baskets(selection, cat, bench, cache_key)),
    "money": ("Value for money", lambda: draw_value_for_money(selection, cat, bench, names, columns_choice)),
    "similar": ("Similar authorities", lambda: draw_similar(selection, cat, names)),
    "significance": ("Change beyond noise", lambda: draw_significance(selection, cat, bench, cache_key)),
}
chosen = url_choice(
    "radio",
    "Question",
    "section",
    list(SECTIONS),
    key="beyond_section",
    format_func=lambda name: SECTIONS[name][0],
    horizontal=True,
)
SECTIONS[chosen][1]()
