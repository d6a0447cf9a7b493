"""Streamlit glue shared by every page, gathered in one import: the cached store and engine
results (``_cache``), the sidebar selection (``_selection``), the page frame (``_layout``),
charts with their downloads (``_charts``) and text escaping (``_text``). Pages stay thin:
they read a Selection and draw.
"""

from pages._cache import (
    benchmark,
    briefing,
    briefing_file,
    catalogue,
    datasets,
    db_path,
    overview_figures,
    stamp,
    summary,
)
from pages._charts import download_csv, draw_chart, draw_still_chart, show_chart, slug, style
from pages._layout import BASE_CSS, apply_briefing_mode, demo_banner, page_header
from pages._selection import Selection, current_selection, sidebar
from pages._store import ensure_store
from pages._text import escape

__all__ = [
    "BASE_CSS",
    "Selection",
    "apply_briefing_mode",
    "benchmark",
    "briefing",
    "briefing_file",
    "catalogue",
    "current_selection",
    "datasets",
    "db_path",
    "demo_banner",
    "download_csv",
    "draw_chart",
    "draw_still_chart",
    "ensure_store",
    "escape",
    "overview_figures",
    "page_header",
    "show_chart",
    "sidebar",
    "slug",
    "stamp",
    "style",
    "summary",
]
