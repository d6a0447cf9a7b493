"""Theme rankings: the focus authority's positions under every comparator group, ranked only when the
section is opened (seconds the first time), then kept for every session."""

from __future__ import annotations

import streamlit as st

from benchmarking.method.baskets import resolve_basket
from benchmarking.service import explain
from pages._cache import catalogue, db_path, stamp
from pages._common import Selection, escape
from pages._tables import show_table


@st.cache_resource(show_spinner=False, max_entries=16)
def _stability(path: str, file_stamp: float, period: str, focus: str, basket: str, balance: str):
    """Return the focus's positions under every group and as shown, once per selection for every session,
    with a progress bar the first time."""
    cat = catalogue()
    bar = st.progress(0.0, text="Ranking under every comparator group ...")

    def step(done: int, total: int) -> None:
        bar.progress(done / total, text=f"Ranking under every comparator group ({done + 1} of {total}) ...")

    stability = explain.rank_stability(
        cat, period, focus, basket=resolve_basket(cat.baskets, basket), balance=balance, progress=step
    )
    bar.empty()
    shown = explain.stability_table(stability).rename(
        columns={"group_label": "Comparator group", "group_size": "Authorities"}
    )
    return stability, shown


def cached_stability(selection):
    """Return the focus authority's positions under every group, and as the page shows them (cached per
    store version, period, focus, basket and balance; the group is not part of it: every group is ranked)."""
    return _stability(db_path(), stamp(), selection.period, selection.focus, selection.basket, selection.balance)


def draw_stability(selection: Selection) -> None:
    """Draw the section: an expander that ranks every comparator group when opened, then the table."""
    st.subheader("Does the message survive a change of comparator group?")
    # Ranking every group takes seconds the first time: done only when the section is opened (on_change reruns).
    section = st.expander(
        f"{escape(selection.focus_name)}'s positions under every comparator group",
        key="themes_stability",
        on_change="rerun",
    )
    if section.open:
        with section:
            stability, stability_shown = cached_stability(selection)
            if stability.empty:
                st.info("No other comparator group to compare with.")
            else:
                st.caption(
                    f"{escape(selection.focus_name)}'s positions in {escape(selection.period)} under every comparator "
                    "group (each group ranked on its own; in a group it is not in, where it would stand beside the "
                    f"members). {escape(selection.basis())}."
                )
                show_table(stability_shown, hide_index=True, width="stretch")
