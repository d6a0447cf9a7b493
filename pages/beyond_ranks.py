"""Beyond ranks: how sure a position is, how it moves with theme weights, value for money,
similar authorities, and which changes are more than year-to-year noise.

Each section is drawn by a ``pages/_beyond_*.py`` module from the tables that
``benchmarking.service.beyond_ranks`` shapes."""

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
    "the usual year-to-year movement."
)

draw_certainty(selection, cat, bench, names, cache_key, columns_choice)  # 1. rank uncertainty
draw_weights(selection, cat, bench, names)  # 2. sensitivity to theme weights
draw_baskets(selection, cat, bench, cache_key)  # 2b. sensitivity to the basket and balance
draw_value_for_money(selection, cat, bench, names, columns_choice)  # 3. value for money
draw_similar(selection, cat, names)  # 4. similar authorities
draw_significance(selection, cat, bench, cache_key)  # 5. significance of change
