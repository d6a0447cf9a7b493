"""The names a link may carry: every name a page reads from the URL, so a mistyped one (``?fcus=``) is said, not
dropped silently.

The sidebar's names are read by ``pages._selection`` and ``pages._method_choice``, the briefing mode by
``pages._briefing_style``, each page's own views (the quadrant's names too) by
``pages._view_params.url_choice``/``url_toggle`` (a test keeps ``PAGE_NAMES`` equal to the names those calls read,
and the Presentation page's slide, read by ``pages.presentation``).
"""

from __future__ import annotations

import streamlit as st

SIDEBAR_NAMES = ("focus", "period", "group", "basket", "balance", "briefing")
PAGE_NAMES = (
    *("theme", "axis", "every_theme", "labels", "named", "indicator", "sort", "why", "list", "themes", "compare"),
    *("reference", "section", "replicates", "money_theme", "similar", "significant_only", "slide"),
)
STREAMLIT_NAMES = ("embed", "embed_options")
"""Names Streamlit itself reads (an embedded app)."""
LINK_NAMES = frozenset((*SIDEBAR_NAMES, *PAGE_NAMES, *STREAMLIT_NAMES))


def unknown_names_notice() -> str | None:
    """Take the link's names that no page reads out of the URL; return the plain-text notice naming them (None when
    there are none): the names are the link's, so the page escapes it where it draws it."""
    unknown = [name for name in st.query_params if name not in LINK_NAMES]
    if not unknown:
        return None
    for name in unknown:
        del st.query_params[name]  # the mended link says nothing more
    named = ", ".join(f"'{name}'" for name in unknown)
    return (
        f"The link asks for {named}, which no page reads (a misspelling?): left out. A link names "
        f"{', '.join(SIDEBAR_NAMES)} and each page's own views."
    )
