"""The Data page's context notes: the notes in the store, their download, and the form that adds one."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from benchmarking.errors import BenchmarkingError
from benchmarking.service.catalogue import Catalogue
from benchmarking.service.data_admin import save_note
from pages._common import download_csv, escape
from pages._layout import opened_section
from pages._replay import element


def draw_notes(cat: Catalogue, path: Path | str) -> None:
    """Draw the notes kept in the store (opened on demand), their CSV download and the last save's message."""
    st.subheader("Context notes")
    st.caption(
        "Notes such as 'service not delivered' or 'definition changed in 2021' are kept in the store, shown "
        "beside the indicator they concern, and exported and imported like other data "
        "(`python -m benchmarking import notes.csv --table note`). '*' means any."
    )
    notes = cat.notes if cat.notes is not None else pd.DataFrame()
    opened_section(
        f"Notes in the store ({len(notes):,})",
        "data_notes",
        lambda: element("dataframe", notes, hide_index=True, width="stretch", height=240),
    )
    download_csv("Notes (CSV)", notes, "notes.csv", "download-notes")
    if st.session_state.pop("note_saved", False):
        st.success("Note saved.")


def add_note_form(cat: Catalogue, path: Path | str) -> None:
    """Draw the form that saves a note for an indicator, authority and period ('*' for any) into the store."""
    with st.form("add-note", clear_on_submit=True):
        ids = ["*"] + list(cat.indicators["id"])
        names = {"*": "Any indicator"} | dict(zip(cat.indicators["id"], cat.indicators["name"]))
        codes = ["*"] + list(cat.authorities["code"])
        authority_names = {"*": "Any authority"} | dict(zip(cat.authorities["code"], cat.authorities["name"]))
        cols = st.columns(3)
        indicator_id = cols[0].selectbox("Indicator", ids, format_func=lambda i: names[i])
        authority_code = cols[1].selectbox("Authority", codes, format_func=lambda c: authority_names[c])
        period = cols[2].selectbox(
            "Period", ["*"] + cat.period_labels, format_func=lambda p: "Every period" if p == "*" else p
        )
        text = st.text_input("Note", max_chars=500)
        if st.form_submit_button("Save note"):
            if not text.strip():
                st.error("Write the note first.")
            else:
                try:
                    save_note(path, indicator_id, authority_code, period, text.strip())
                except BenchmarkingError as error:
                    st.error(escape(error))
                else:
                    st.session_state["note_saved"] = True  # shown after the rerun that reloads the notes
                    st.rerun()
