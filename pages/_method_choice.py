"""The method choice in the sidebar: the basket of indicators and the theme balance.

Both are kept like the rest of the selection (``pages._kept``) and are in the URL as ``basket``
and ``balance`` when they are not the default, so a link without them opens on the
Compendium's arithmetic ("All published", every indicator once). A value in the URL that the
store does not have gives a notice (``Selection.notices``), never a silent fallback.
"""

from __future__ import annotations

import streamlit as st

from benchmarking.method.baskets import ALL_PUBLISHED, BALANCES, INDICATORS
from benchmarking.service.catalogue import Catalogue
from pages._kept import keep, widget

DEFAULTS = {"basket": ALL_PUBLISHED, "balance": INDICATORS}
"""Method keys and their defaults."""
BALANCE_LABELS = {key: text[0].upper() + text[1:] for key, text in BALANCES.items()}


def method_choices(cat: Catalogue) -> dict[str, dict[str, str]]:
    """Return key -> {value: label} for the basket (stored baskets after "All published") and the balance."""
    return {"basket": cat.basket_names(), "balance": BALANCE_LABELS}


def keep_method(choices: dict[str, dict[str, str]]) -> tuple[str, ...]:
    """Set the kept basket and balance (kept, else URL, else default); return the URL notices (``_kept.keep``)."""
    return tuple(filter(None, (keep(key, choices[key], default) for key, default in DEFAULTS.items())))


def draw_method(choices: dict[str, dict[str, str]]) -> None:
    """Draw the basket and balance choosers (call inside the sidebar)."""
    baskets, balances = choices["basket"], choices["balance"]
    widget(
        st.selectbox,
        "Basket of indicators",
        "basket",
        options=list(baskets),
        format_func=lambda b: baskets[b],
        help="The indicators that Overall, LA Core and the theme positions are averaged over.",
    )
    widget(
        st.selectbox,
        "Overall and LA Core weigh",
        "balance",
        options=list(balances),
        format_func=lambda b: balances[b],
        help="Every indicator once (a theme with many indicators counts for more), or every theme once.",
    )


def mirror_method() -> None:
    """Put the kept basket and balance in the URL when not the default; drop them when they are."""
    for key, default in DEFAULTS.items():
        value = st.session_state[f"sel_{key}"]
        if value == default:
            if key in st.query_params:
                del st.query_params[key]
        elif st.query_params.get(key) != value:
            st.query_params[key] = value
