"""Text for pages: escaping user and data text for Markdown, and naming the dataset on screen."""

from __future__ import annotations

from benchmarking.datasets.demo import DEMO_LABEL
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
