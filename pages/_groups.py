"""The Data page's saved comparator groups: the list and downloads for everyone, the builder for editors.

A saved group (``benchmarking.service.saved_groups``) is a named list of authorities that ranks only
its members, chosen in the sidebar. Editors pick authorities by kind, region and a search, name the
group and save it, or delete one; each is one undoable import (the Data import page's undo).
"""

from __future__ import annotations

import streamlit as st

from benchmarking.service import saved_groups
from benchmarking.service.catalogue import Catalogue
from benchmarking.service.data_admin import default_store
from pages._access import require_editor, session_edit_access
from pages._builder_writes import write
from pages._cache import db_path, memo, stamp
from pages._charts import download_csv
from pages._tables import static_table
from pages._text import escape

DONE = "group_done"
"""Session key of the message shown after the rerun that follows a write."""
NEW = ""


def group_list(cat: Catalogue, period: str | None) -> None:
    """Draw the saved groups (name, members over every period and in ``period``, those that did not exist then
    named) and a CSV download of one."""
    st.subheader("Saved comparator groups")
    st.caption(
        "A saved group ranks only its members: choose it under Comparator group in the sidebar. Editors build one "
        "below, or with `python -m benchmarking group save`."
    )
    table = memo("group-table", (db_path(), stamp(), period), lambda: saved_groups.saved_group_table(cat, period))
    if table.empty:
        st.caption("No saved group yet.")
        return
    static_table(table[["name", "members_text"]].rename(columns={"name": "Group", "members_text": "Authorities"}))
    if (table["in_period"] < table["members"]).any():
        st.caption(
            f"Authorities: a group's members over every period, and how many of them existed in "
            f"{escape(table['period'].iloc[0])} (the sidebar's period), those that did not named."
        )
    names = dict(zip(table["group_id"], table["name"]))
    chosen = st.selectbox("Group to download", list(names), format_func=names.get, key="group-download-choice")
    download_csv("Group (CSV)", saved_groups.export_saved_group(cat, chosen), f"group-{chosen}.csv", "download-group")


def group_builder(cat: Catalogue) -> None:
    """Draw the editors' group builder: pick authorities and save, or delete (viewers see why not)."""
    access = session_edit_access()
    if not access.may_edit:
        require_editor("comparator groups")  # draws why this session cannot edit, and stops the page
    if message := st.session_state.pop(DONE, None):
        st.success(escape(message))
    store, who = default_store(), access.signed_in_as
    names = saved_groups.saved_group_names(cat)
    build, delete = st.tabs(["Build a group", "Delete"])
    with build:
        authorities = cat.authorities
        cols = st.columns(3)
        kinds = cols[0].multiselect("Kinds", sorted(authorities["kind"].dropna().unique()), key="group-kinds")
        regions = cols[1].multiselect("Regions", sorted(authorities["region"].dropna().unique()), key="group-regions")
        search = cols[2].text_input("Search authorities", key="group-search")
        picked = authorities
        if kinds:
            picked = picked[picked["kind"].isin(kinds)]
        if regions:
            picked = picked[picked["region"].isin(regions)]
        if search.strip():
            picked = picked[picked["name"].str.contains(search.strip(), case=False, regex=False)]
        label = dict(zip(authorities["code"], authorities["name"]))
        chosen = st.multiselect(
            f"Authorities in the group ({len(picked)} shown)",
            sorted(picked["code"], key=lambda code: str(label[code]).casefold()),
            default=list(picked["code"]) if (kinds or regions or search.strip()) else [],
            format_func=label.get,
        )  # no key: the choice follows the filters, as the basket builder's does
        cols = st.columns(2)
        target = cols[0].selectbox(
            "Save as",
            [NEW, *names],
            format_func=lambda g: "a new group" if g == NEW else f"replace {names[g]}",
            key="group-target",
        )
        typed = cols[1].text_input("Group name (kept when replacing, if left empty)", max_chars=200, key="group-name")
        name = typed.strip() or names.get(target, "")
        if st.button("Save group", key="group-save", disabled=len(chosen) < saved_groups.MIN_MEMBERS):
            group_id = target or saved_groups.group_id_for(name)
            if target == NEW and group_id in names:
                st.error(f"A group with the id {escape(group_id)} exists: choose it under Save as to replace it.")
            else:
                write(
                    lambda: saved_groups.save_group(store, cat, group_id, name, chosen, who),
                    f"Group '{name}' saved with {len(chosen)} authorities: choose it in the sidebar.",
                    DONE,
                )
        if len(chosen) < saved_groups.MIN_MEMBERS:
            st.caption(f"Choose at least {saved_groups.MIN_MEMBERS} authorities.")
    with delete:
        if names:
            which = st.selectbox("Group", list(names), format_func=names.get, key="group-delete-choice")
            if st.button("Delete group", key="group-delete"):
                write(
                    lambda: saved_groups.delete_saved_group(store, cat, which, who),
                    f"Group '{names[which]}' deleted.",
                    DONE,
                )
        else:
            st.caption("No saved group yet.")
