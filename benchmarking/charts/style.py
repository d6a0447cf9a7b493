"""Chart sizes, colours and the finishing touches every chart builder shares.

Colours are from the Okabe-Ito palette, which stays distinguishable for the common
forms of colour blindness, and every colour difference is doubled by another channel:
county unitaries are squares, county councils circles, the focus authority a large
labelled diamond. ``style`` switches to projector sizes for briefing mode (axis labels
of at least 18 px, titles of 30 px) and caps the size to fit a 1920x1080 screen.
"""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import pandas as pd

from benchmarking.charts.labels import TITLE_FONT, text_width, title_width
from benchmarking.text.escaping import shorten
from benchmarking.text.typesetting import at_most, wrap

FOCUS_COLOUR = "#D55E00"  # vermillion
KIND_COLOURS = {"county council": "#5F5F5F", "county unitary": "#0072B2"}  # grey / blue
KIND_SHAPES = {"county council": "circle", "county unitary": "square"}
QUARTILE_COLOURS = ["#1A6E5C", "#5AAE8F", "#E3B04B", "#B4463A"]  # 1st (best) .. 4th
QUARTILE_LABELS = ["1st quartile (top 25%)", "2nd quartile", "3rd quartile", "4th quartile (bottom 25%)"]
MEDIAN_COLOUR = "#333333"
FOCUS_MARK = "\u2666"
"""The mark after the focus authority's name on an axis: ♦ (black diamond suit), a glyph of the common sans-serif
fonts (Arial, Helvetica, Liberation Sans, DejaVu Sans). ◆ (U+25C6) is not in Arial or Liberation Sans: the
renderer drew the whole label in a serif fallback font for it."""


@dataclass(frozen=True)
class ChartStyle:
    """Sizes for one display: the analyst's screen or the Cabinet projector."""

    width: int = 900
    height: int = 540
    title_size: int = 18
    subtitle_size: int = 14
    label_size: int = 13
    axis_title_size: int = 14
    point_size: int = 90
    focus_size: int = 320
    annotation_size: int = 13
    narrowest: int = 800
    """The narrowest plot width on screen (the chart fills its container, at least this wide)."""
    column: int = 906
    """The page's column on the narrowest screen (1366 px wide): a chart that stretches across it is this wide, axes
    and key included, and its title and subtitle lines may run as far."""

    @property
    def plot_width(self) -> int:
        """Return the plot width that ticks and names are laid out for: the narrowest it is drawn."""
        return min(self.width, self.narrowest)

    def panel_width(self, columns: int) -> int:
        """Return the plot width of one panel in a grid of ``columns`` that fits the narrowest screen
        (a grid cannot stretch to its container: ``render.for_screen``)."""
        return max(160, (self.narrowest - 40) // columns - (self.label_size * 3 + 20))


NORMAL = ChartStyle()
BRIEFING = ChartStyle(
    width=1400,
    height=640,
    title_size=30,
    subtitle_size=22,
    label_size=20,
    axis_title_size=22,
    point_size=220,
    focus_size=700,
    annotation_size=20,
    narrowest=1100,
    column=1366 - 2 * 32,
)
"""Projector sizes: one chart with its title fits within 1920x1080 beside nothing else."""


def style_for(briefing: bool) -> ChartStyle:
    """Return the briefing style when ``briefing`` is true, else the normal one."""
    return BRIEFING if briefing else NORMAL


FACET_GAP = 20
"""Pixels between the panels of a grid (Vega-Lite's facet spacing)."""


def drawn_width(chart, style: ChartStyle) -> int:
    """Return the width a chart is drawn at on the narrowest screen, which its title and subtitle lines may fill: a
    grid of panels (it keeps its size) its panels, the gaps between them and its axis's labels; any other chart
    (it stretches across the page's column) the column, no wider than the chart itself is built."""
    columns, inner = getattr(chart, "columns", None), getattr(chart, "spec", None)
    panel = getattr(inner, "width", None)
    if isinstance(chart, alt.FacetChart) and isinstance(columns, int) and isinstance(panel, int):
        return columns * panel + (columns - 1) * FACET_GAP + style.label_size * 2
    return min(style.width, style.column)


TITLE_LIMIT = 160
"""Characters of a chart title drawn before it is cut with '…' (a long name in it); a subtitle may have
``SUBTITLE_LINES`` times as many."""
SUBTITLE_LINES = 3
"""Lines of a chart subtitle at most (wrapped to the narrowest plot); a longer one is cut with '…'."""


def display_names(names: pd.Series, is_focus: pd.Series, in_group: pd.Series | None = None) -> pd.Series:
    """Return the names as drawn on an axis: shortened (``escaping.shorten``), the focus marked ``FOCUS_MARK``,
    and an authority shown beside a group it is not in (``in_group`` False) labelled so.

    The full name belongs in the tooltip; a 10,000-character name would otherwise stretch
    the chart (and its picture) without bound.
    """
    shown = names.map(shorten) + is_focus.map({True: f"  {FOCUS_MARK}", False: ""})
    if in_group is not None:
        shown = shown.where(in_group.astype(bool), shown + " (beside the group)")
    return shown


def finish_chart(chart, title: str, subtitle: str | list[str] | None, style: ChartStyle):
    """Return a copy of a finished chart with its title, fonts and palette-neutral configuration (``subtitle``: one
    line, or a list of lines drawn one under another; each wrapped to the width the chart is drawn at).

    Raises ValueError for a subtitle text with a line break in it: its lines are given as a list."""
    width = drawn_width(chart, style)
    # One shallow copy with the title and config set directly: ``properties`` and each
    # ``configure_*`` would deep-copy and schema-check the whole chart again (a second per
    # briefing).
    finished = chart.copy(deep=False)
    finished.title = alt.TitleParams(
        text=_lines(shorten(title, TITLE_LIMIT), width, style.title_size, bold=True),
        subtitle=_subtitle_lines(subtitle, width, style.subtitle_size),
        font=TITLE_FONT,
        subtitleFont=TITLE_FONT,
        fontSize=style.title_size,
        subtitleFontSize=style.subtitle_size,
        anchor="start",
        subtitleColor="#333333",
    )
    finished.config = alt.Config(
        axis=alt.AxisConfig(
            labelFontSize=style.label_size,
            titleFontSize=style.axis_title_size,
            labelColor="#222222",
            titleColor="#222222",
            gridColor="#E6E6E6",
        ),
        legend=alt.LegendConfig(
            labelFontSize=style.label_size,
            titleFontSize=style.axis_title_size,
            symbolSize=style.point_size,
            orient="bottom",
            direction="horizontal",
        ),
        view=alt.ViewConfig(stroke=None),
    )
    return finished


def _lines(text: str, width: int, size: int, bold: bool = False) -> str | list[str]:
    """Return a title or subtitle as Vega-Lite draws it whole: one line when it fits ``width`` pixels, else its
    lines (at most ``SUBTITLE_LINES``), measured in the title's font (``labels.title_width``)."""
    lines = at_most(wrap(text, width, size, bold, measure=title_width), SUBTITLE_LINES, size, bold, title_width)
    return lines[0] if len(lines) == 1 else lines


def _subtitle_lines(subtitle: str | list[str] | None, width: int, size: int) -> str | list[str]:
    """Return a subtitle (one line, or a list of lines to draw one under another) as ``_lines`` draws each: whole,
    wrapped to ``width``. Raises ValueError for a text with a line break in it (its lines go in a list)."""
    if isinstance(subtitle, str) and "\n" in subtitle:
        raise ValueError(f"A chart subtitle with a line break in it: give its lines as a list, not {subtitle!r}")
    lines = [subtitle or ""] if not isinstance(subtitle, list) else subtitle
    wrapped = [_lines(shorten(line, SUBTITLE_LINES * TITLE_LIMIT), width, size) for line in lines]
    parts = [part for line in wrapped for part in (line if isinstance(line, list) else [line])]
    return parts[0] if len(parts) == 1 else parts


NICE_STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500)
"""Steps between rank ticks, smallest first: the first that leaves room between labels is used."""


def rank_ticks(
    n: int, length: float = 600, label_size: int = 13, vertical: bool = False, reach: float = 0
) -> list[int]:
    """Return the tick values for a rank axis 1..n drawn ``length`` pixels long: 1 and evenly spaced ranks.

    The step is the smallest of ``NICE_STEPS`` whose ticks stand at least one label apart (the
    width of the longest number across, a line and a half of text up). Steps 1 and 2 count
    from 1 (1, 3, 5, ...); larger steps give 1 and the multiples of the step (1, 5, 10, ...),
    whose first gap is a place short of the others. ``reach`` is any head- or foot-room the
    scale has beyond ranks 0.5 .. n + 0.5, in ranks (the quadrant's room for its corner names).
    """
    n = max(int(n), 1)
    per_rank = length / (n + reach)
    digits = len(str(n))
    room = label_size * 1.5 if vertical else label_size * (0.6 * digits + 0.8)
    step = next((s for s in NICE_STEPS if (s if s <= 2 else s - 1) * per_rank >= room), NICE_STEPS[-1])
    if step <= 2:
        return list(range(1, n + 1, step))
    return [1] + list(range(step, n + 1, step))


def name_label_limit(names: pd.Series, style: ChartStyle) -> int:
    """Return the pixels an axis of names (``display_names``) gives its labels: the widest name at the style's
    label size, bold as the focus is drawn, so no name is cut while the chart has room (Vega-Lite's default cuts
    at 180 px, 'East Riding of York…' on a projector); at most half the chart's width."""
    widest = max((text_width(str(name), style.label_size, bold=True) for name in names), default=0.0)
    return int(min(widest + 8, style.width / 2))
