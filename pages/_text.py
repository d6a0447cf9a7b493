"""Text for pages: escaping user and data text for Markdown, and naming the dataset on screen."""

from __future__ import annotations

import html

from benchmarking.datasets.demo import DEMO_LABEL
from benchmarking.service.catalogue import Catalogue


def escape(text: object) -> str:
    """Return text safe to put inside Markdown/HTML (user data is never markup)."""
    return html.escape(str(text))


def dataset_line(cat: Catalogue) -> str:
    """Return the dataset's name as the sidebar and banner show it."""
    return f"{DEMO_LABEL} (generated)" if cat.is_demo else cat.dataset_label
