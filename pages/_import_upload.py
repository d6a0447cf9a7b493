"""Data import page: step 1, upload files; step 2, map their columns; then preview and commit."""

from __future__ import annotations

import streamlit as st

from benchmarking.errors import BenchmarkingError
from benchmarking.ingest import reading
from benchmarking.ingest.context import store_context
from benchmarking.ingest.preview import commit, map_sources, preview_import, read_uploaded
from benchmarking.ingest.remembered import choose_mapping
from pages._import_mapping import mapping_widgets
from pages._import_show import progress_bar, show_error, show_kept_preview
from pages._text import escape


def upload_step(store) -> None:
    """Draw the upload tab: files, their mappings, the preview and the commit into ``store``."""
    max_upload_mb = reading.MAX_FILE_BYTES // (1024 * 1024)
    files = st.file_uploader(
        f"Files to import: CSV, XLSX or Parquet, up to {max_upload_mb} MB each",
        type=["csv", "xlsx", "parquet"],
        accept_multiple_files=True,
        key="import_files",
        max_upload_size=max_upload_mb,
    )
    if not files:
        st.info("Choose one or more files. The first row of each must be its header.")
        return
    context = store_context(store)
    sources, mappings, signature = [], {}, []
    for upload in files:
        data = upload.getvalue()
        with st.expander(f"{escape(upload.name)} ({len(data) / 1024:,.0f} kB)", expanded=True):
            try:
                sheet = None
                if upload.name.lower().endswith(".xlsx"):
                    sheets = reading.upload_sheet_names(upload.name, data)
                    sheet = st.selectbox("Sheet", sheets, key=f"sheet:{upload.name}")
                source = _read(upload.file_id, upload.name, data, sheet)
            except BenchmarkingError as error:
                show_error(error)
                continue
            st.caption(f"{len(source.frame):,} rows, {source.frame.shape[1]} columns. First rows as read:")
            st.dataframe(source.frame.head(5), hide_index=True, width="stretch")
            default, origin = choose_mapping([str(c) for c in source.frame.columns], context, frame=source.frame)
            mapping = mapping_widgets(source, default, origin, context.indicators)
        sources.append(source)
        mappings[source.name] = mapping
        signature.append((upload.file_id, sheet, mapping.to_json()))
    if not sources:
        return
    kept = st.session_state.get("upload_preview")
    if kept and kept["signature"] != signature:
        del st.session_state["upload_preview"]  # the files or the mapping changed since the preview
    if st.button("Preview import", key="upload_preview_button"):
        try:
            progress = progress_bar(sum(s.size for s in sources))
            mapped = map_sources(sources, context, mappings)
            with st.spinner("Checking every row ..."):
                preview = preview_import(store, mapped, progress=progress, lifetimes=True)
        except BenchmarkingError as error:
            show_error(error)
            return
        st.session_state["upload_preview"] = {
            "signature": signature,
            "preview": preview,
            "mapped": mapped,
            "hashes": {s.name: s.sha256 for s in sources},
        }
    show_kept_preview("upload", lambda skip, by, source: _commit(store, skip, by, source))


def _commit(store, skip: bool, loaded_by: str | None, source: str | None):
    kept = st.session_state["upload_preview"]
    return commit(
        store,
        kept["mapped"],
        kept["hashes"],
        skip_rejected=skip,
        loaded_by=loaded_by,
        source=source,
        preview=kept["preview"],  # its checks are reused while the store is at the version they read
        lifetimes=True,
    )


def _read(file_id: str, name: str, data: bytes, sheet: str | None):
    """Return the uploaded file read as text, once per file and sheet (kept for this session)."""
    cache = st.session_state.setdefault("import_reads", {})
    key = (file_id, sheet)
    if key not in cache:
        if len(cache) >= 8:  # keep a few files' cells, not every file ever uploaded
            cache.clear()
        progress = progress_bar(len(data))
        with st.spinner(f"Reading {name} ..."):
            cache[key] = read_uploaded(name, data, sheet, progress=progress)
    return cache[key]
