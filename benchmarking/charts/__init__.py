"""Chart builders: DataFrames in, Altair charts out (no Streamlit), and their PNG renderer.

The builders live by chart family (``quadrant``, ``positions``, ``indicators``,
``robustness``) on the sizes and palette of ``style``; ``render`` turns a chart into PNG
bytes or SVG text. Callers use ``from benchmarking import charts`` and the names re-exported here.
"""

from benchmarking.charts.indicators import funding_chart, indicator_bar_chart, indicator_series_chart
from benchmarking.charts.labels import LABEL_CHOICES, labelled_codes
from benchmarking.charts.positions import sparkline, theme_position_chart, trend_chart
from benchmarking.charts.quadrant import quadrant_chart, quadrant_labels, quadrant_small_multiples
from benchmarking.charts.render import (
    clear_png_cache,
    for_screen,
    png_from_spec,
    start_renderer,
    svg_from_spec,
    to_png,
    to_svg,
    vega_lite_json,
)
from benchmarking.charts.robustness import frontier_chart, interval_chart, theme_weights_chart
from benchmarking.charts.style import BRIEFING, FOCUS_MARK, NORMAL, ChartStyle, style_for

__all__ = [
    "BRIEFING",
    "FOCUS_MARK",
    "LABEL_CHOICES",
    "NORMAL",
    "ChartStyle",
    "clear_png_cache",
    "for_screen",
    "frontier_chart",
    "funding_chart",
    "indicator_bar_chart",
    "indicator_series_chart",
    "interval_chart",
    "labelled_codes",
    "png_from_spec",
    "quadrant_chart",
    "quadrant_labels",
    "quadrant_small_multiples",
    "sparkline",
    "start_renderer",
    "style_for",
    "svg_from_spec",
    "theme_position_chart",
    "theme_weights_chart",
    "to_png",
    "to_svg",
    "trend_chart",
    "vega_lite_json",
]
