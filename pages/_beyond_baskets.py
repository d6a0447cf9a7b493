"""Beyond ranks, section 2b: how the focus authority's Overall position moves with the basket
of indicators and the balance of themes ("2nd on all published, 9th theme-balanced")."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from benchmarking.method.baskets import ALL_PUBLISHED, INDICATORS
from benchmarking.service.basket_sensitivity import basket_sensitivity, sensitivity_for_period
from benchmarking.text.formatting import position_text
from pages._cache import memo
from pages._common import Selection, escape
from pages._tables import static_table


@st.cache_resource(show_spinner="Computing Overall under every basket ...", max_entries=8)
def _sensitivity(key: tuple, focus: str, scaled: bool, _cat, _bench) -> pd.DataFrame:
    """Return the focus's Overall under every basket and balance, once per benchmark ``key``."""
    return basket_sensitivity(_cat, _bench.group, focus, scaled=scaled)


def basket_table(rows: pd.DataFrame, basket: str, balance: str) -> pd.DataFrame:
    """Return the page's table: basket, balance in words (naming a basket's weights), position, what it rests
    on, and the one shown."""
    return pd.DataFrame(
        {
            "Basket": rows["basket"].to_numpy(),
            "Balance": rows["weighing"].to_numpy(),
            "Overall position": [position_text(p, n) for p, n in zip(rows["position"], rows["n_positioned"])],
            "Indicators ranked": rows["n_indicators"].to_numpy(),
            "Largest theme": rows["largest_theme"].fillna("every theme equally").to_numpy(),
            "Its share": rows["largest_share"].to_numpy(),
            "In use": np.where((rows["basket_id"] == basket) & (rows["balance"] == balance), "yes", "no"),
        }
    )


def draw_baskets(selection: Selection, cat, bench, cache_key: tuple) -> None:
    """Draw the focus's Overall under each basket and balance for the period, with what each rests on."""
    st.header("How much does the basket of indicators matter?")
    st.markdown(
        "Overall averages the ranks of the indicators in a **basket**: every indicator the store holds "
        "(*All published*), or a basket chosen and saved on the Data page. Under the Compendium's rule every "
        "indicator counts once, so a theme with many indicators dominates; weighing every theme equally asks "
        "the question another way. The same group and period, under each basket and balance:"
    )
    table = _sensitivity(cache_key, selection.focus, selection.scaled, cat, bench)
    basket = getattr(selection, "basket", None) or ALL_PUBLISHED
    balance = getattr(selection, "balance", None) or INDICATORS
    rows, shown = memo(
        "beyond-baskets",
        (*cache_key, selection.period),
        lambda: _rows_shown(sensitivity_for_period(table, selection.period), basket, balance),
    )
    if rows.empty:
        st.info(f"No Overall position for {escape(selection.focus_name)} in {escape(selection.period)}.")
        return
    # A short table read whole, drawn as HTML whose cells wrap: as a data grid its long 'balance' words (a
    # weighted basket's weights named) pushed the last columns out of sight at 1366 pixels.
    static_table(shown, formats={"Its share": "{:.0%}"}, between_words=True)
    st.caption(
        f"Indicators ranked: how many of the basket's indicators the position rests on, those ranked for "
        f"{escape(selection.focus_name)} in {escape(selection.period)}. Its share: the part of them the largest theme "
        "makes up, as on the Overview (every theme the same share when themes are weighed equally); over half means "
        "the position mostly measures that theme. In use: the basket and balance the other pages show."
    )


def _rows_shown(rows: pd.DataFrame, basket: str, balance: str) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Return the period's rows and the page's table of them (None when there are no rows)."""
    return rows, (None if rows.empty else basket_table(rows, basket, balance))
