"""The Data page's indicator baskets: the list and downloads for everyone, the builder for editors.

A basket is the set of indicators positions are computed over (``benchmarking.service.baskets``).
Editors pick indicators by theme, source and a search, give weights if they want, and save,
rename, delete or import a basket file; each is one undoable import (the Data import page's undo).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from benchmarking.service import baskets
from benchmarking.service.catalogue import Catalogue
from benchmarking.service.data_admin import default_store
from pages._access import require_editor, session_edit_access
from pages._builder_writes import DONE, upload_basket_file, write
from pages._cache import db_path, memo, stamp
from pages._charts import download_csv
from pages._tables import static_table
from pages._text import escape

NEW = ""
SHARE_HEADER = "Largest theme (% of all its ranked indicators)"
"""The largest theme's share says its base: every ranked indicator of the basket (``baskets.basket_table``)."""


def basket_list(cat: Catalogue) -> None:
    """Draw the baskets (indicators, themes, largest theme) and a CSV download of a stored one."""
    st.subheader("Indicator baskets")
    st.caption(
        "A basket is the set of indicators that theme, Overall and LA Core positions are averaged over; "
        "'All published' is every indicator the store holds. Choose one in the sidebar. Ranked: the indicators "
        "positions count (context indicators are shown, not ranked). Largest theme: its share of all the basket's "
        "ranked indicators, counted by the basket's weights, in no one period and for no one authority. A position's "
        "own share (the Overview's) is of the indicators ranked for its authority in its period, so it can differ."
    )
    table = memo("basket-table", (db_path(), stamp()), lambda: baskets.basket_table(cat))
    shown = memo("basket-table-shown", (db_path(), stamp()), lambda: _shown(table))
    static_table(shown)  # a few rows read whole: plain HTML
    stored = list(table["basket_id"].iloc[1:])
    if stored:
        names = dict(zip(table["basket_id"], table["name"]))
        chosen = st.selectbox("Basket to download", stored, format_func=names.get, key="basket-download-choice")
        download_csv("Basket (CSV)", baskets.export_basket(cat, chosen), f"basket-{chosen}.csv", "download-basket")


def _shown(table: pd.DataFrame) -> pd.DataFrame:
    """Return the baskets as the page lists them: headers in words, the largest theme's share in whole %."""
    shown = table.assign(largest_share=(table["largest_share"] * 100).round(0).astype("Int64"))
    return shown.drop(columns="basket_id").rename(
        columns={
            "name": "Basket",
            "version": "Version",
            "indicators": "Indicators",
            "ranked": "Ranked",
            "themes": "Themes",
            "largest_theme": "Largest theme",
            "largest_share": SHARE_HEADER,
        }
    )


def basket_builder(cat: Catalogue) -> None:
    """Draw the editors' basket builder: pick and save, rename, delete, import (viewers see why not)."""
    access = session_edit_access()
    if not access.may_edit:
        require_editor("baskets")  # draws why this session cannot edit, and stops the page
    if message := st.session_state.pop(DONE, None):
        st.success(escape(message))
    store, who = default_store(), access.signed_in_as
    names = cat.basket_names()
    stored = [basket_id for basket_id in names if basket_id != baskets.ALL_PUBLISHED]
    build, rename, delete, upload = st.tabs(["Build a basket", "Rename", "Delete", "Import a basket file"])
    with build:
        indicators = cat.indicators
        cols = st.columns(3)
        themes = cols[0].multiselect("Themes", sorted(indicators["theme"].dropna().unique()), key="basket-themes")
        sources = cols[1].multiselect("Sources", sorted(indicators["source"].dropna().unique()), key="basket-sources")
        search = cols[2].text_input("Search indicators", key="basket-search")
        picked = baskets.pick_indicators(cat, themes, sources, search)
        label = dict(zip(picked["id"], picked["name"] + " (" + picked["theme"] + ")"))
        chosen = st.multiselect(
            f"Indicators in the basket ({len(picked)} shown)",
            list(picked["id"]),
            default=list(picked["id"]) if (themes or sources or search) else [],
            format_func=label.get,
        )
        weights = None
        if chosen and st.toggle("Give weights (1 = an indicator counts once)", key="basket-weights"):
            edited = st.data_editor(
                pd.DataFrame({"indicator": [label[i] for i in chosen], "weight": 1.0}, index=chosen),
                disabled=["indicator"],
                key="basket-weight-editor",
            )
            weights = dict(zip(chosen, edited["weight"]))
        cols = st.columns(3)
        target = cols[0].selectbox(
            "Save as", [NEW, *stored], format_func=lambda b: "a new basket" if b == NEW else f"replace {names[b]}"
        )
        name = cols[1].text_input("Basket name", max_chars=200, key="basket-name")
        version = cols[2].text_input("Version (optional)", max_chars=60, key="basket-version")
        if st.button("Save basket", key="basket-save", disabled=not chosen):
            basket_id = target or baskets.basket_id_for(name)
            if not name.strip():
                st.error("Give the basket a name.")
            elif target == NEW and basket_id in names:
                st.error(f"A basket with the id {escape(basket_id)} exists: choose it under Save as to replace it.")
            else:
                write(
                    lambda: baskets.save_basket(
                        store, basket_id, name.strip(), chosen, weights, None, version or None, who
                    ),
                    f"Basket '{name.strip()}' saved with {len(chosen)} indicators.",
                )
    with rename:
        if stored:
            which = st.selectbox("Basket", stored, format_func=names.get, key="basket-rename-choice")
            new_name = st.text_input("New name", max_chars=200, key="basket-new-name")
            if st.button("Rename basket", key="basket-rename", disabled=not new_name.strip()):
                write(lambda: baskets.rename_basket(store, which, new_name.strip(), who), "Basket renamed.")
        else:
            st.caption("No stored basket yet.")
    with delete:
        if stored:
            which = st.selectbox("Basket", stored, format_func=names.get, key="basket-delete-choice")
            if st.button("Delete basket", key="basket-delete"):
                write(lambda: baskets.delete_basket(store, which, who), f"Basket '{names[which]}' deleted.")
        else:
            st.caption("No stored basket yet.")
    with upload:
        upload_basket_file(store, who)
