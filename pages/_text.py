"""Text for pages: escaping user and data text for Markdown, and naming the dataset on screen."""

from __future__ import annotations

from benchmarking.datasets.demo import DEMO_LABEL
from benchmarking.datasets.public_build import sources_for_print
from benchmarking.service.catalogue import Catalogue
from benchmarking.text import escaping


def escape(text: object) -> str:
    """Return stored or uploaded text that Streamlit's Markdown shows literally (``escaping.markdown``).

    Use it for every name, source, note or file name drawn by ``st.markdown``, captions,
    alerts, headers and widget or expander labels; dataframes show text literally already.
    """
    return escaping.markdown(text)


def dataset_line(cat: Catalogue) -> str:
    """Return the dataset's name as the sidebar and banner show it."""
    return f"{DEMO_LABEL} (generated)" if cat.is_demo else cat.dataset_label


def data_and_sources(cat: Catalogue, printed: bool = False) -> str:
    """Return the dataset and its sources in one line, "Data: <label>. Sources: <sources>", for the foot of a
    projected slide and (``printed``: worded for a reader away from the app) a downloaded chart's picture."""
    sources = None if cat.is_demo else cat.settings.get("sources")
    if sources and printed:
        sources = sources_for_print(sources)
    return f"Data: {dataset_line(cat)}" + (f". Sources: {sources}" if sources else "")
