"""The method choice in the sidebar: the basket of indicators and the theme balance.

Both are kept like the rest of the selection (``pages._kept``) and are in the URL as ``basket``
and ``balance`` when they are not the default, so a link without them opens on the
Compendium's arithmetic ("All published", every indicator once). A value in the URL that the
store does not have gives a notice (``Selection.notices``), never a silent fallback.
"""

from __future__ import annotations

import streamlit as st

from benchmarking.method.baskets import ALL_PUBLISHED, BALANCES, INDICATORS, balance_text, resolve_basket
from benchmarking.service.catalogue import Catalogue
from pages._kept import keep, widget

DEFAULTS = {"basket": ALL_PUBLISHED, "balance": INDICATORS}
"""Method keys and their defaults."""


def _capital(text: str) -> str:
    return text[0].upper() + text[1:]


BALANCE_LABELS = {key: _capital(text) for key, text in BALANCES.items()}
"""The balance choices as labelled for a basket without weights (``method_choices`` words them for each basket)."""


def method_choices(cat: Catalogue) -> dict[str, dict]:
    """Return key -> {value: label} for the basket (stored baskets after "All published") and the balance, and
    per basket -> balance: ``basis``, how the positions weigh its indicators in words (``baskets.balance_text``),
    and ``labels``, the balance's label in the sidebar for that basket."""
    baskets = cat.basket_names()
    resolved = {basket_id: resolve_basket(cat.baskets, basket_id) for basket_id in baskets}
    return {
        "basket": baskets,
        "balance": BALANCE_LABELS,
        "basis": {key: {b: balance_text(basket, b) for b in BALANCES} for key, basket in resolved.items()},
        "labels": {
            key: {b: _capital(balance_text(basket, b, named=False)) for b in BALANCES}
            for key, basket in resolved.items()
        },
    }


def keep_method(choices: dict[str, dict]) -> tuple[str, ...]:
    """Set the kept basket and balance (kept, else URL, else default); return the URL notices (``_kept.keep``)."""
    return tuple(filter(None, (keep(key, choices[key], default) for key, default in DEFAULTS.items())))


def draw_method(choices: dict[str, dict]) -> None:
    """Draw the basket and balance choosers (call inside the sidebar); the balance's labels say how the chosen
    basket weighs its indicators."""
    baskets, balances = choices["basket"], choices["balance"]
    labels = choices["labels"][st.session_state["sel_basket"]]  # the balance as the chosen basket weighs it
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
        format_func=labels.__getitem__,
        help="Every indicator once (a theme with many indicators counts for more; a basket with weights weighs "
        "each as it says), or every theme once.",
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
