"""Data import: upload files or load a published source, map columns, preview, commit, undo.

The steps are the command line's (``python -m benchmarking import`` / ``import-source``):
every step is one call into ``benchmarking.ingest`` or ``benchmarking.service.data_admin``;
this page and its ``_import_*`` helpers only draw widgets and results. Nothing is written
until "Commit import".
"""

from __future__ import annotations

import streamlit as st

from benchmarking.errors import BenchmarkingError
from benchmarking.service.data_admin import default_store, last_import, undo_last_import, undone_text
from pages._access import require_editor
from pages._cache import db_path, memo, stamp
from pages._common import current_selection, page_header
from pages._import_show import show_error
from pages._import_source import source_step
from pages._import_upload import upload_step
from pages._text import escape

selection = current_selection()
page_header("import_data", selection)
require_editor("import")  # viewers and read-only deployments: no upload, commit or undo controls
store = default_store()

st.markdown(
    "Load your own published data: upload CSV, XLSX or Parquet files (long tables, or wide "
    "tables with periods or indicators as columns), check how their columns map to the store, "
    "**preview** what would change, then **commit** it as one transaction. The last import can "
    "be undone at the bottom of the page."
)

if "import_message" in st.session_state:
    st.success(st.session_state.pop("import_message"))  # made with escape: file text shows as text

upload_tab, source_tab = st.tabs(["Upload files", "Published sources"])
with upload_tab:
    upload_step(store)
with source_tab:
    source_step(store)

st.subheader("Undo the last import")
if "undo_error" in st.session_state:
    show_error(st.session_state.pop("undo_error"))


def _undo(shown_id: int) -> None:
    """Undo the import this page showed (by id), not whichever is newest when the button is pressed."""
    try:
        undone = undo_last_import(store, dataset_id=shown_id)
    except BenchmarkingError as error:
        st.session_state["undo_error"] = error
        return
    st.session_state["import_message"] = escape(f"Undid import {shown_id}, {undone['name']}: {undone_text(undone)}.")


last = memo("last-import", (db_path(), stamp()), lambda: last_import(store))  # an import or undo changes the key
if last is None:
    st.caption("There is no import to undo (the store holds only the data it was built with).")
else:
    st.markdown(
        escape(
            f"Last import: {int(last['id'])}, {last['name']}, loaded {last['loaded_at']:%d %b %Y %H:%M} by "
            f"{last['loaded_by']}: {int(last['rows_added']):,} rows added, {int(last['rows_replaced']):,} replaced."
        )
    )
    # The callback gets the id shown now, so a click undoes this import or says it is no longer the newest.
    st.button(f"Undo import {int(last['id'])}", key="undo_button", on_click=_undo, args=(int(last["id"]),))
