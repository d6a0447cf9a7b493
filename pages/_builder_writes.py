"""The basket and group builders' writes: run one and say what it did, show a refusal, import a basket file."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from benchmarking.errors import BenchmarkingError, ImportValidationError
from benchmarking.service import baskets
from pages._text import escape

DONE = "basket_done"
"""Session key of the message shown after the rerun that follows a write."""


def upload_basket_file(store, who: str | None) -> None:
    """Draw the basket-file import: the file, what it would do, and the import button."""
    upload = st.file_uploader("Basket file (CSV: basket_id, name, indicator_id, weight, note, version)", type="csv")
    if upload is None:
        return
    try:
        frame = baskets.read_basket_upload(upload.name, upload.getvalue())
        preview = baskets.preview_basket_file(store, frame, upload.name)
    except BenchmarkingError as error:
        _refused(error)
        return
    st.dataframe(preview.baskets, hide_index=True)
    if preview.issues:
        _refused(ImportValidationError(preview.issues))
    elif st.button("Import basket file", key="basket-import"):
        write(lambda: baskets.import_basket_frame(store, frame, upload.name, who), f"{upload.name} imported.")


def write(action, message: str, done: str = DONE) -> None:
    """Run one write; on success remember the message (under the session key ``done``) and rerun, else show why it
    was refused."""
    try:
        action()
    except BenchmarkingError as error:
        _refused(error)
    else:
        st.session_state[done] = message + " Undo it on the Data import page."
        st.rerun()


def _refused(error: BenchmarkingError) -> None:
    """Show a refusal: its first line, and every problem with its file, row and column."""
    st.error(escape(str(error).splitlines()[0]))
    if isinstance(error, ImportValidationError):
        issues = pd.DataFrame([(i.file, i.row, i.column, i.message) for i in error.issues])
        st.dataframe(issues.set_axis(["File", "Row", "Column", "Problem"], axis=1), hide_index=True)
