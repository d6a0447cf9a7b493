"""A download whose file takes seconds to build (the briefing's PPTX and PDF): built when asked, on the page.

``st.download_button`` with a callable ``data`` builds the file in the request that fetches it, after the
page has run: a failure there reaches only the server log and the user's click does nothing. Here the file
is built in the page run that follows a click on "Prepare ...", so a refusal is an ``st.error`` beside the
button (any other exception is shown on the page by Streamlit). The bytes are kept with ``memo`` under the
selection, so later reruns draw the download button without building the file again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from benchmarking.errors import BenchmarkingError
from pages._cache import memo
from pages._text import escape


@dataclass(frozen=True)
class BuiltFile:
    """A file a download offers: what it is called on the button and on disk, and its type."""

    label: str  # "slides (PPTX)": the buttons say "Prepare slides (PPTX)" and "Download slides (PPTX)"
    file_name: str
    mime: str
    key: str  # the widgets' key, and the name its bytes are kept under


def built_download(file: BuiltFile, kept_under: tuple, build: Callable[[], bytes], where=st) -> None:
    """Draw "Prepare <file>"; once clicked (for this ``kept_under`` selection) build the file and draw its
    download button, or an error that says what failed and what to do (returns None)."""
    asked = f"{file.key}-asked"
    if st.session_state.get(asked) != kept_under and not where.button(f"Prepare {file.label}", key=f"{file.key}-go"):
        return
    st.session_state[asked] = kept_under  # reruns draw the download button from the kept bytes
    try:
        with where, st.spinner(f"Building the {file.label} ..."):
            data = memo(file.key, kept_under, build)
    except BenchmarkingError as error:
        del st.session_state[asked]
        where.error(
            f"The {file.label} could not be built: {escape(error)}. Nothing was downloaded. Choose another "
            "period or comparator group and prepare it again; the Presentation page shows the same slides.",
            icon=":material/error:",
        )
        return
    where.download_button(
        f"Download {file.label}",
        data=data,
        file_name=file.file_name,
        mime=file.mime,
        on_click="ignore",
        key=file.key,
        type="primary",
    )
