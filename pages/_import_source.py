"""Data import page: load a published source through its adapter, preview and commit."""

from __future__ import annotations

import streamlit as st

from benchmarking.errors import BenchmarkingError
from benchmarking.ingest import preview as preview_module
from benchmarking.service.data_admin import (
    commit_source,
    preview_source,
    published_sources,
    source_named,
    sources_folder,
)
from pages._import_show import progress_bar, show_error, show_kept_preview
from pages._text import escape


def source_step(store) -> None:
    """Draw the published-sources tab: source, folder, the preview and the commit into ``store``."""
    sources = published_sources()
    name = st.selectbox(
        "Published dataset", list(sources), format_func=lambda n: f"{n}: {sources[n].title}", key="source_name"
    )
    source = source_named(name)
    folder = st.text_input(
        "Folder holding the published files (or its parent folder)", value=str(sources_folder()), key="source_folder"
    )
    st.caption(f"Files read: {escape(', '.join(source.files))}")
    add = st.checkbox(
        "Add the authorities the store lacks (otherwise their rows are left out; the store's own keep their names)",
        key="source_add",
    )
    signature = (name, folder, add)
    kept = st.session_state.get("source_preview")
    if kept and kept["signature"] != signature:
        del st.session_state["source_preview"]
    if st.button("Preview import", key="source_preview_button"):
        try:
            progress = progress_bar(preview_module.SLOW_BYTES)  # published files are large: always show progress
            progress(0.0, f"Reading {', '.join(source.files)} ...")
            checked = preview_source(store, source, folder, add_authorities=add, progress=progress)
        except BenchmarkingError as error:
            show_error(error)
            return
        st.session_state["source_preview"] = {"signature": signature, "preview": checked.preview, "checked": checked}
    if (kept := st.session_state.get("source_preview")) and kept["checked"].held:
        st.caption(escape(kept["checked"].held))
    show_kept_preview(
        "source",
        lambda skip, by, text: commit_source(
            store, source, st.session_state["source_preview"]["checked"], skip, by, text
        ),
    )
