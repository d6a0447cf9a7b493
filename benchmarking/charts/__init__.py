"""Chart builders: DataFrames in, Altair charts out (no Streamlit).

Colours are from the Okabe-Ito palette, which stays distinguishable for the common
forms of colour blindness, and every colour difference is doubled by another channel:
county unitaries are squares, county councils circles, the focus authority a large
labelled diamond. ``style`` switches to projector sizes for briefing mode (axis labels
of at least 18 px, titles of 30 px) and caps the size to fit a 1920x1080 screen.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass

import altair as alt
import pandas as pd

FOCUS_COLOUR = "#D55E00"  # vermillion
KIND_COLOURS = {"county council": "#5F5F5F", "county unitary": "#0072B2"}  # grey / blue
KIND_SHAPES = {"county council": "circle", "county unitary": "square"}
QUARTILE_COLOURS = ["#1A6E5C", "#5AAE8F", "#E3B04B", "#B4463A"]  # 1st (best) .. 4th
QUARTILE_LABELS = ["1st quartile (top 25%)", "2nd quartile", "3rd quartile", "4th quartile (bottom 25%)"]
MEDIAN_COLOUR = "#333333"


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
)
"""Projector sizes: one chart with its title fits within 1920x1080 beside nothing else."""


def style_for(briefing: bool) -> ChartStyle:
    """Return the briefing style when ``briefing`` is true, else the normal one."""
    return BRIEFING if briefing else NORMAL


def _finish(chart, title: str, subtitle: str | None, style: ChartStyle):
    """Return a copy of a finished chart with its title, fonts and palette-neutral configuration."""
    # One shallow copy with the title and config set directly: ``properties`` and each
    # ``configure_*`` would deep-copy and schema-check the whole chart again (a second per
    # briefing).
    finished = chart.copy(deep=False)
    finished.title = alt.TitleParams(
        text=title,
        subtitle=subtitle or "",
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


# -- quadrant chart ----------------------------------------------------------------------


def quadrant_labels(comparator: str) -> dict[str, str]:
    """Return the four corner labels for a comparator word (spend, deprivation, funding)."""
    return {
        "top_right": f"High performance, low {comparator}",
        "top_left": f"High performance, high {comparator}",
        "bottom_right": f"Low performance, low {comparator}",
        "bottom_left": f"Low performance, high {comparator}",
    }


def quadrant_chart(
    view: pd.DataFrame,
    title: str,
    subtitle: str,
    x_title: str,
    comparator: str,
    context_title: str = "Spend per head",
    style: ChartStyle = NORMAL,
    finish: bool = True,
) -> alt.Chart:
    """Return the performance-against-context scatter: best performers at the top, low spend right.

    ``view`` comes from ``analysis.quadrant_view`` (performance_position, context_rank,
    name, kind, is_focus, quadrant, average_rank, context_value, n) and may carry
    ``context_text``, the context value formatted for people (else it is shown plain).
    """
    n = int(view["n"].max()) if len(view) else 1
    median = (n + 1) / 2
    data = view.assign(
        kind_label=view["kind"].fillna("other"),
        label=view["name"].where(view["is_focus"], ""),
    )
    if "context_text" not in data:
        data["context_text"] = data["context_value"].map(lambda v: "–" if pd.isna(v) else f"{v:,.0f}")
    x = alt.X(
        "context_rank:Q",
        title=x_title,
        scale=alt.Scale(domain=[0.5, n + 0.5], nice=False),
        axis=alt.Axis(values=_ticks(n), format="d"),
    )
    # Head- and foot-room above 1st and below last hold the quadrant names, clear of points.
    bottom, top = n + 2.2, -1.2
    y = alt.Y(
        "performance_position:Q",
        title="Performance position (1 = best)",
        scale=alt.Scale(domain=[bottom, top], nice=False),
        axis=alt.Axis(values=_ticks(n), format="d"),
    )
    tooltip = [
        alt.Tooltip("name:N", title="Authority"),
        alt.Tooltip("performance_position:Q", title="Performance position"),
        alt.Tooltip("average_rank:Q", title="Average rank", format=".1f"),
        alt.Tooltip("context_rank:Q", title=f"{comparator.capitalize()} rank"),
        alt.Tooltip("context_text:N", title=context_title),
        alt.Tooltip("quadrant:N", title="Quadrant"),
    ]
    # The points and the focus label read the view from the layer, so it is serialised once.
    others = (
        alt.Chart()
        .transform_filter("!datum.is_focus")
        .mark_point(
            filled=True,
            opacity=0.85,
            size=style.point_size,
        )
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "kind_label:N",
                title="Authority type",
                scale=alt.Scale(domain=list(KIND_COLOURS), range=list(KIND_COLOURS.values())),
            ),
            shape=alt.Shape(
                "kind_label:N",
                title="Authority type",
                scale=alt.Scale(domain=list(KIND_SHAPES), range=list(KIND_SHAPES.values())),
            ),
            tooltip=tooltip,
        )
    )
    focus = (
        alt.Chart()
        .transform_filter("datum.is_focus")
        .mark_point(
            filled=True,
            shape="diamond",
            size=style.focus_size,
            color=FOCUS_COLOUR,
            stroke="black",
            strokeWidth=1.5,
        )
        .encode(x=x, y=y, tooltip=tooltip)
    )
    # The focus label sits on the side of the point that faces the middle, so it is never clipped.
    focus_right = bool((view.loc[view["is_focus"], "context_rank"] > median).any())
    focus_label = (
        alt.Chart()
        .transform_filter("datum.is_focus")
        .mark_text(
            align="right" if focus_right else "left",
            dx=-16 if focus_right else 16,
            dy=18,
            fontSize=style.annotation_size + 4,
            fontWeight="bold",
            color="#000000",
        )
        .encode(x=x, y=y, text="label:N")
    )
    # Both median lines in one layer, across the whole plot (top to bottom, right to left, as
    # full-size rules draw, so the dashes fall as before); they reuse the point encodings, so
    # every layer shares one scale and axis.
    medians = pd.DataFrame(
        {
            "context_rank": [median, n + 0.5],
            "context_rank_end": [median, 0.5],
            "performance_position": [top, median],
            "performance_position_end": [bottom, median],
        }
    )
    rules = (
        alt.Chart(medians)
        .mark_rule(color=MEDIAN_COLOUR, strokeDash=[6, 4], strokeWidth=1.5)
        .encode(x=x, x2="context_rank_end:Q", y=y, y2="performance_position_end:Q")
    )
    labels = quadrant_labels(comparator)
    corners = pd.DataFrame(
        [
            (n + 0.4, -1.0, labels["top_right"], "right", "top"),
            (0.6, -1.0, labels["top_left"], "left", "top"),
            (n + 0.4, n + 2.0, labels["bottom_right"], "right", "bottom"),
            (0.6, n + 2.0, labels["bottom_left"], "left", "bottom"),
        ],
        columns=["context_rank", "performance_position", "text", "align", "baseline"],
    )
    # One text layer for the four corner names: each row carries its own alignment.
    corner_text = (
        alt.Chart(corners)
        .mark_text(
            align=alt.expr("datum.align"),
            baseline=alt.expr("datum.baseline"),
            fontSize=style.annotation_size + 1,
            color="#333333",
            fontWeight="bold",
        )
        .encode(x=x, y=y, text="text:N")
    )
    chart = alt.layer(rules, corner_text, others, focus, focus_label, data=data, width=style.width, height=style.height)
    return _finish(chart, title, subtitle, style) if finish else chart


def _ticks(n: int) -> list[int]:
    step = 1 if n <= 12 else 4 if n <= 40 else 10
    ticks = list(range(1, n + 1, step))
    if ticks[-1] != n:
        ticks.append(n)
    return ticks


def quadrant_small_multiples(
    views: dict[str, pd.DataFrame],
    title: str,
    subtitle: str,
    comparator: str,
    style: ChartStyle = NORMAL,
    columns: int = 3,
) -> alt.Chart:
    """Return one small quadrant chart per theme, in a grid, sharing the same reading."""
    small = ChartStyle(
        width=max(220, style.width // columns - 40),
        height=max(200, style.height // 2 - 20),
        title_size=style.subtitle_size,
        label_size=max(11, style.label_size - 4),
        axis_title_size=max(11, style.axis_title_size - 4),
        point_size=max(40, style.point_size // 3),
        focus_size=max(160, style.focus_size // 3),
        annotation_size=0,
    )
    panels = []
    for theme, view in views.items():
        panel = quadrant_chart(
            view, theme, "", f"{comparator.capitalize()} rank", comparator, style=small, finish=False
        ).properties(title=theme)
        panels.append(panel)
    rows = [alt.hconcat(*panels[i : i + columns]) for i in range(0, len(panels), columns)]
    return _finish(alt.vconcat(*rows), title, subtitle, style)


# -- theme positions ---------------------------------------------------------------------


def theme_position_chart(
    focus_positions: pd.DataFrame, n: int, title: str, subtitle: str, style: ChartStyle = NORMAL
) -> alt.Chart:
    """Return the focus authority's position per theme as dots on a 1..n scale (1 = best, left).

    ``focus_positions``: theme, position (NA = no position), average_rank, quartile_label.
    """
    data = focus_positions.dropna(subset=["position"]).assign(
        position=lambda f: f["position"].astype(float),
        quartile=lambda f: _quartile_of(f["position"], n),
        label=lambda f: f["position"].map(lambda p: _ordinal(int(p))),
    )
    data["quartile_label"] = data["quartile"].map(lambda q: QUARTILE_LABELS[int(q) - 1])
    order = list(data["theme"])
    bands = pd.DataFrame(
        {
            "start": [0.5 + (q - 1) * n / 4 for q in range(1, 5)],
            "end": [0.5 + q * n / 4 for q in range(1, 5)],
            "quartile_label": QUARTILE_LABELS,
        }
    )
    band = (
        alt.Chart(bands)
        .mark_rect(opacity=0.12)
        .encode(
            x=alt.X("start:Q", scale=alt.Scale(domain=[0.5, n + 0.5], nice=False)),
            x2="end:Q",
            color=alt.Color(
                "quartile_label:N", scale=alt.Scale(domain=QUARTILE_LABELS, range=QUARTILE_COLOURS), legend=None
            ),
        )
    )
    x = alt.X(
        "position:Q",
        title=f"Position among {n} (1 = best)",
        scale=alt.Scale(domain=[0.5, n + 0.5], nice=False),
        axis=alt.Axis(values=_ticks(n), format="d"),
    )
    y = alt.Y("theme:N", sort=order, title=None, axis=alt.Axis(labelLimit=400))  # whole theme names
    rule = (
        alt.Chart(data.assign(start=0.5))
        .mark_rule(color="#999999")
        .encode(x=alt.X("start:Q", scale=alt.Scale(domain=[0.5, n + 0.5], nice=False)), x2="position:Q", y=y)
    )
    dots = (
        alt.Chart(data)
        .mark_point(filled=True, size=style.point_size * 1.6, stroke="black", strokeWidth=0.8)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "quartile_label:N", title="Quartile", scale=alt.Scale(domain=QUARTILE_LABELS, range=QUARTILE_COLOURS)
            ),
            shape=alt.Shape(
                "quartile_label:N",
                title="Quartile",
                scale=alt.Scale(domain=QUARTILE_LABELS, range=["circle", "square", "triangle-up", "diamond"]),
            ),
            tooltip=[
                alt.Tooltip("theme:N"),
                alt.Tooltip("label:N", title="Position"),
                alt.Tooltip("average_rank:Q", format=".1f", title="Average rank"),
                alt.Tooltip("quartile_label:N", title="Quartile"),
            ],
        )
    )
    text = (
        alt.Chart(data)
        .mark_text(align="left", dx=12, fontSize=style.annotation_size, color="#111111")
        .encode(x=x, y=y, text="label:N")
    )
    height = max(style.height // 2, len(order) * (style.label_size + 16))
    chart = alt.layer(band, rule, dots, text).properties(width=style.width, height=min(height, style.height + 200))
    return _finish(chart, title, subtitle, style)


def _quartile_of(position: pd.Series, n: int) -> pd.Series:
    import numpy as np

    return pd.Series(np.clip(np.ceil(4 * position.to_numpy(dtype=float) / max(n, 1)), 1, 4), index=position.index)


def _ordinal(n: int) -> str:
    from benchmarking.text.formatting import ordinal

    return ordinal(n)


# -- indicator explorer ------------------------------------------------------------------


def indicator_bar_chart(
    view: pd.DataFrame, title: str, subtitle: str, unit: str | None, style: ChartStyle = NORMAL
) -> alt.Chart:
    """Return every authority's value on one indicator, best at the top, coloured by quartile.

    ``view`` comes from ``analysis.indicator_view``; the focus authority has a black outline
    and a bold label.
    """
    data = view.dropna(subset=["value"]).copy()
    data["quartile_label"] = data["quartile"].map(
        lambda q: QUARTILE_LABELS[int(q) - 1] if pd.notna(q) else "no quartile"
    )
    data["display_name"] = data["name"] + data["is_focus"].map({True: "  ◆", False: ""})
    order = list(data.sort_values("rank")["display_name"])
    value_format = ",.1f" if unit in ("%", "rate", "score") else ",.2f"
    x = alt.X("value:Q", title=f"Value ({unit})" if unit else "Value")
    y = alt.Y(
        "display_name:N",
        sort=order,
        title=None,
        axis=alt.Axis(labelFontWeight=alt.ExprRef("datum.label && indexof(datum.label, '◆') >= 0 ? 'bold' : 'normal'")),
    )
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "quartile_label:N",
                title="Quartile",
                scale=alt.Scale(domain=QUARTILE_LABELS + ["no quartile"], range=QUARTILE_COLOURS + ["#999999"]),
            ),
            stroke=alt.condition("datum.is_focus", alt.value("black"), alt.value(None)),
            strokeWidth=alt.condition("datum.is_focus", alt.value(3), alt.value(0)),
            tooltip=[
                alt.Tooltip("name:N", title="Authority"),
                alt.Tooltip("value:Q", format=value_format),
                alt.Tooltip("rank:Q", title="Rank"),
                alt.Tooltip("n_ranked:Q", title="Of"),
                alt.Tooltip("quartile_label:N", title="Quartile"),
            ],
        )
    )
    height = max(style.height, len(order) * (style.label_size + 6))
    chart = bars.properties(width=style.width, height=min(height, 900 if style is BRIEFING else 1400))
    return _finish(chart, title, subtitle, style)


def indicator_series_chart(
    series: pd.DataFrame, focus_name: str, title: str, subtitle: str, unit: str | None, style: ChartStyle = NORMAL
) -> alt.Chart:
    """Return the focus authority's values over time against the group median and interquartile range."""
    data = series.copy()
    x = alt.X("period:N", sort=list(data["period"]), title="Period")
    band = (
        alt.Chart(data)
        .mark_area(opacity=0.25, color="#0072B2")
        .encode(
            x=x,
            y=alt.Y("lower_quartile:Q", title=f"Value ({unit})" if unit else "Value"),
            y2="upper_quartile:Q",
            tooltip=[
                alt.Tooltip("period:N"),
                alt.Tooltip("lower_quartile:Q", format=",.2f", title="Lower quartile"),
                alt.Tooltip("upper_quartile:Q", format=",.2f", title="Upper quartile"),
            ],
        )
    )
    long = data.melt(id_vars=["period"], value_vars=["median", "focus_value"], var_name="series", value_name="value")
    long["series"] = long["series"].map({"median": "Group median", "focus_value": focus_name})
    lines = (
        alt.Chart(long)
        .mark_line(point=alt.OverlayMarkDef(size=style.point_size), strokeWidth=3)
        .encode(
            x=x,
            y="value:Q",
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(domain=["Group median", focus_name], range=[MEDIAN_COLOUR, FOCUS_COLOUR]),
            ),
            strokeDash=alt.StrokeDash(
                "series:N", title=None, scale=alt.Scale(domain=["Group median", focus_name], range=[[6, 4], [1, 0]])
            ),
            tooltip=[
                alt.Tooltip("period:N"),
                alt.Tooltip("series:N", title="Series"),
                alt.Tooltip("value:Q", format=",.2f"),
            ],
        )
    )
    chart = alt.layer(band, lines).properties(width=style.width, height=style.height * 2 // 3)
    return _finish(chart, title, subtitle, style)


# -- trend ---------------------------------------------------------------------------------


def trend_chart(
    trend: pd.DataFrame, focus_name: str, n: int, title: str, subtitle: str, style: ChartStyle = NORMAL
) -> alt.Chart:
    """Return positions over time (1 at the top), one line per authority; the focus line is bold."""
    data = trend.dropna(subset=["position"]).assign(position=lambda f: f["position"].astype(float))
    data["is_focus"] = data["name"] == focus_name
    periods = list(dict.fromkeys(data.sort_values("period_start")["period"]))
    names = [focus_name] + sorted(set(data["name"]) - {focus_name})
    palette = [FOCUS_COLOUR, "#0072B2", "#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#000000", "#999999"]
    chart = (
        alt.Chart(data)
        .mark_line(point=alt.OverlayMarkDef(size=style.point_size))
        .encode(
            x=alt.X("period:N", sort=periods, title="Period"),
            y=alt.Y(
                "position:Q",
                title="Position (1 = best)",
                scale=alt.Scale(domain=[n + 0.5, 0.5], nice=False),
                axis=alt.Axis(values=_ticks(n), format="d"),
            ),
            color=alt.Color(
                "name:N", title=None, sort=names, scale=alt.Scale(domain=names, range=(palette * 4)[: len(names)])
            ),
            strokeDash=alt.StrokeDash(
                "name:N",
                sort=names,
                title=None,
                legend=None,
                scale=alt.Scale(domain=names, range=[[1, 0]] + [[8, 3], [2, 2], [8, 3, 2, 3]] * 10),
            ),
            strokeWidth=alt.condition("datum.is_focus", alt.value(5), alt.value(2)),
            tooltip=[
                alt.Tooltip("name:N", title="Authority"),
                alt.Tooltip("period:N"),
                alt.Tooltip("position:Q", title="Position"),
                alt.Tooltip("average_rank:Q", format=".1f", title="Average rank"),
            ],
        )
    )
    if "theme" in data and data["theme"].nunique() > 1:
        # Panels in the order the themes were chosen (Overall first), headed as large as axis titles.
        chart = chart.properties(width=style.width // 2 - 40, height=style.height // 2).facet(
            facet=alt.Facet(
                "theme:N",
                title=None,
                sort=list(dict.fromkeys(data["theme"])),
                header=alt.Header(labelFontSize=style.axis_title_size, labelFontWeight="bold", labelColor="#000000"),
            ),
            columns=2,
        )
        return _finish(chart, title, subtitle, style)
    return _finish(chart.properties(width=style.width, height=style.height), title, subtitle, style)


def sparkline(trend: pd.DataFrame, n: int) -> alt.Chart:
    """Return a small line of one authority's position over time (1 at the top), with the last value labelled."""
    data = trend.dropna(subset=["position"]).assign(position=lambda f: f["position"].astype(float))
    periods = list(data.sort_values("period_start")["period"])
    x = alt.X(
        "period:N",
        sort=periods,
        title=None,
        axis=alt.Axis(labelAngle=0, labelFontSize=11, values=[periods[0], periods[-1]] if periods else []),
    )
    y = alt.Y(
        "position:Q",
        title=None,
        scale=alt.Scale(domain=[n + 0.5, 0.5], nice=False),
        axis=alt.Axis(values=[1, n], labelFontSize=11),
    )
    line = (
        alt.Chart(data)
        .mark_line(color=FOCUS_COLOUR, strokeWidth=3, point=True)
        .encode(x=x, y=y, tooltip=["period:N", alt.Tooltip("position:Q", title="Overall position")])
    )
    return line.properties(height=110, width="container").configure_view(stroke=None)


# -- funding -------------------------------------------------------------------------------


def funding_chart(table: pd.DataFrame, title: str, subtitle: str, style: ChartStyle = NORMAL) -> alt.Chart:
    """Return core spending power per head as bars, highest at the top, focus highlighted, median marked."""
    data = table.dropna(subset=["core_spending_power_per_head"]).copy()
    data["display_name"] = data["name"] + data["is_focus"].map({True: "  ◆", False: ""})
    data["group"] = data["is_focus"].map({True: "Focus authority", False: "Other authorities"})
    data["per_head_text"] = data["core_spending_power_per_head"].map(lambda v: f"£{v:,.2f}")
    order = list(data.sort_values("core_spending_power_per_head", ascending=False)["display_name"])
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X(
                "core_spending_power_per_head:Q",
                title="Core spending power per head (£)",
                axis=alt.Axis(labelExpr="'£' + format(datum.value, ',.0f')"),
            ),
            y=alt.Y("display_name:N", sort=order, title=None),
            color=alt.Color(
                "group:N",
                title=None,
                scale=alt.Scale(domain=["Focus authority", "Other authorities"], range=[FOCUS_COLOUR, "#7A9CC6"]),
            ),
            tooltip=[
                alt.Tooltip("name:N", title="Authority"),
                alt.Tooltip("per_head_text:N", title="Per head"),
                alt.Tooltip("rank:Q", title="Rank (1 = highest)"),
            ],
        )
    )
    median = (
        alt.Chart(pd.DataFrame({"median": [data["core_spending_power_per_head"].median()]}))
        .mark_rule(color=MEDIAN_COLOUR, strokeDash=[6, 4], strokeWidth=2)
        .encode(x="median:Q")
    )
    height = max(style.height, len(order) * (style.label_size + 6))
    chart = alt.layer(bars, median).properties(
        width=style.width, height=min(height, 900 if style is BRIEFING else 1400)
    )
    return _finish(chart, title, subtitle, style)


# -- PNG export ----------------------------------------------------------------------------

PNG_CACHE_SIZE = 64
"""Rendered charts kept in memory (a briefing has 16, about 0.3 MB each at scale 1)."""
_png_cache: OrderedDict[tuple[str, float], bytes] = OrderedDict()
_png_cache_lock = threading.Lock()
_renderer_start: threading.Thread | None = None


def start_renderer() -> None:
    """Start the PNG renderer on a background thread, once per process; return at once.

    vl-convert's JavaScript engine takes about a second to start, mostly without holding
    Python's lock, so started early it gets ready on the other core while the caller builds
    the charts, instead of delaying the first ``to_png``.
    """
    global _renderer_start
    try:
        import vl_convert as vlc  # here: an import on the background thread would hold the import lock
    except ImportError:
        return  # to_png reports it
    with _png_cache_lock:
        if _renderer_start is None:
            _renderer_start = threading.Thread(
                target=_start_renderer, args=(vlc,), name="vl-convert start-up", daemon=True
            )
            _renderer_start.start()


def _start_renderer(vlc) -> None:
    with contextlib.suppress(Exception):  # a broken renderer fails, with its message, in to_png
        vlc.vegalite_to_svg({"mark": "point", "data": {"values": []}})


def vega_lite_json(chart: alt.TopLevelMixin) -> str:
    """Return the chart's Vega-Lite specification for a still image as compact JSON text.

    Tooltips are left out (a picture cannot show them, and they cost the renderer a tenth of
    its time), and the specification is not checked against the schema again: the builders
    above only make valid ones (the page tests draw each), and the check costs more than
    rendering.
    """
    return json.dumps(_without_tooltips(chart.to_dict(validate=False)), separators=(",", ":"))


def _without_tooltips(spec):
    if isinstance(spec, dict):
        return {
            key: _without_tooltips(value)
            for key, value in spec.items()
            if not (key == "tooltip" and isinstance(value, (dict, list)))
        }
    if isinstance(spec, list):
        return [_without_tooltips(value) for value in spec]
    return spec


def _render_png(spec: str, scale: float) -> bytes:
    import vl_convert as vlc

    return vlc.vegalite_to_png(spec, scale=scale)


def png_from_spec(spec: str, scale: float = 2.0) -> bytes:
    """Return a Vega-Lite specification (JSON text) rendered to PNG bytes, from the cache if
    the same specification was rendered at the same scale before in this process."""
    key = (hashlib.sha256(spec.encode()).hexdigest(), float(scale))
    with _png_cache_lock:
        png = _png_cache.get(key)
        if png is not None:
            _png_cache.move_to_end(key)
            return png
    png = _render_png(spec, scale)
    with _png_cache_lock:
        _png_cache[key] = png
        while len(_png_cache) > PNG_CACHE_SIZE:
            _png_cache.popitem(last=False)
    return png


def to_png(chart: alt.TopLevelMixin, scale: float = 2.0) -> bytes:
    """Return the chart rendered to PNG bytes (vl-convert: no browser needed).

    The same chart at the same scale is rendered once per process: a second briefing of
    the same selection gets the cached bytes at once.
    """
    return png_from_spec(vega_lite_json(chart), scale)


def clear_png_cache() -> None:
    """Forget every cached PNG (returns None); the next ``to_png`` renders afresh."""
    with _png_cache_lock:
        _png_cache.clear()


# -- beyond ranks: uncertainty, value for money, theme weights -------------------------------


def interval_chart(intervals: pd.DataFrame, n: int, title: str, subtitle: str, style: ChartStyle = NORMAL) -> alt.Chart:
    """Return each authority's position with its bootstrap interval: a dot on a line, 1 = best (left).

    ``intervals``: name, position, lower, upper, is_focus (one theme and period, from
    ``uncertainty``); authorities without a position are left out. The focus authority is
    an orange diamond with its interval written beside it.
    """
    data = intervals.dropna(subset=["position"]).copy()
    for column in ("position", "lower", "upper"):
        data[column] = data[column].astype(float)
    data = data.sort_values(["position", "name"], kind="stable")
    data["display_name"] = data["name"] + data["is_focus"].map({True: "  ◆", False: ""})
    data["group"] = data["is_focus"].map({True: "Focus authority", False: "Other authorities"})
    data["interval_text"] = [
        f"{_ordinal(int(p))} (likely {_ordinal(int(lo))}–{_ordinal(int(hi))})"
        for p, lo, hi in zip(data["position"], data["lower"], data["upper"])
    ]
    order = list(data["display_name"])
    scale = alt.Scale(domain=[0.5, n + 0.5], nice=False)
    x = alt.X(
        "position:Q", title=f"Position among {n} (1 = best)", scale=scale, axis=alt.Axis(values=_ticks(n), format="d")
    )
    y = alt.Y("display_name:N", sort=order, title=None)
    colour = alt.Color(
        "group:N",
        title=None,
        scale=alt.Scale(domain=["Focus authority", "Other authorities"], range=[FOCUS_COLOUR, "#0072B2"]),
    )
    tooltip = (
        [
            alt.Tooltip("name:N", title="Authority"),
            alt.Tooltip("interval_text:N", title="Position"),
            alt.Tooltip("share_positioned:Q", title="Share of redraws with a position", format=".0%"),
        ]
        if "share_positioned" in data
        else [alt.Tooltip("name:N", title="Authority"), alt.Tooltip("interval_text:N", title="Position")]
    )
    base = alt.Chart(data)
    rules = base.mark_rule(strokeWidth=3, opacity=0.7).encode(
        x=alt.X("lower:Q", scale=scale), x2="upper:Q", y=y, color=colour, tooltip=tooltip
    )
    dots = base.mark_point(filled=True, size=style.point_size).encode(
        x=x,
        y=y,
        color=colour,
        shape=alt.Shape(
            "group:N",
            title=None,
            scale=alt.Scale(domain=["Focus authority", "Other authorities"], range=["diamond", "circle"]),
        ),
        tooltip=tooltip,
    )
    label = (
        base.transform_filter("datum.is_focus")
        .mark_text(
            align="left",
            dx=14,
            fontSize=style.annotation_size,
            fontWeight="bold",
            color="#000000",
        )
        .encode(x=alt.X("upper:Q", scale=scale), y=y, text="interval_text:N")
    )
    height = max(style.height // 2, len(order) * (style.label_size + 8))
    chart = alt.layer(rules, dots, label).properties(
        width=style.width, height=min(height, 900 if style is BRIEFING else 1400)
    )
    return _finish(chart, title, subtitle, style)


def frontier_chart(
    table: pd.DataFrame, frontier: pd.DataFrame, title: str, subtitle: str, style: ChartStyle = NORMAL
) -> alt.Chart:
    """Return performance score (up = better) against spend per head in £, with the efficiency
    frontier drawn as a staircase through the authorities on it.

    ``table`` comes from ``value_for_money.value_for_money_table`` with name and is_focus
    added; ``frontier`` from ``value_for_money.frontier_line``.
    """
    data = table.copy()
    data["group"] = "Other authorities"
    data.loc[data["on_frontier"].astype(bool), "group"] = "On the frontier"
    data.loc[data["is_focus"].astype(bool), "group"] = "Focus authority"
    data["spend_text"] = data["spend_per_head"].map(lambda v: f"£{v:,.0f}")
    data["label"] = data["name"].where(data["is_focus"] | data["on_frontier"], "")
    domain = ["Focus authority", "On the frontier", "Other authorities"]
    x = alt.X(
        "spend_per_head:Q",
        title="Net revenue expenditure per head (£)",
        scale=alt.Scale(zero=False, nice=True),
        axis=alt.Axis(labelExpr="'£' + format(datum.value, ',.0f')"),
    )
    y = alt.Y(
        "performance_score:Q",
        title="Performance score (standardised; up = better)",
        scale=alt.Scale(zero=False, nice=True),
    )
    tooltip = [
        alt.Tooltip("name:N", title="Authority"),
        alt.Tooltip("spend_text:N", title="Spend per head"),
        alt.Tooltip("performance_score:Q", title="Performance score", format=".2f"),
        alt.Tooltip("spend_gap:Q", title="Spend gap to frontier (£ per head)", format=",.0f"),
        alt.Tooltip("performance_gap:Q", title="Performance gap to frontier", format=".2f"),
    ]
    if "verdict" in data:
        tooltip.append(alt.Tooltip("verdict:N", title="Against spend and deprivation"))
    step = (
        alt.Chart(frontier)
        .mark_line(interpolate="step-after", color="#009E73", strokeWidth=2.5, strokeDash=[6, 3])
        .encode(x=x, y=y)
    )
    points = (
        alt.Chart(data)
        .mark_point(filled=True, size=style.point_size, opacity=0.9)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "group:N", title=None, scale=alt.Scale(domain=domain, range=[FOCUS_COLOUR, "#009E73", "#5F5F5F"])
            ),
            shape=alt.Shape(
                "group:N", title=None, scale=alt.Scale(domain=domain, range=["diamond", "triangle-up", "circle"])
            ),
            size=alt.condition("datum.is_focus", alt.value(style.focus_size), alt.value(style.point_size)),
            tooltip=tooltip,
        )
    )
    labels = (
        alt.Chart(data)
        .transform_filter("datum.label != ''")
        .mark_text(align="left", dx=10, dy=-8, fontSize=style.annotation_size, color="#111111")
        .encode(x=x, y=y, text="label:N")
    )
    chart = alt.layer(step, points, labels).properties(width=style.width, height=style.height)
    return _finish(chart, title, subtitle, style)


def theme_weights_chart(shares: pd.DataFrame, title: str, subtitle: str, style: ChartStyle = NORMAL) -> alt.Chart:
    """Return each theme's share of the Overall average as bars, labelled with its weight.

    ``shares`` comes from ``sensitivity.effective_theme_shares`` (theme, weight,
    n_indicators, share).
    """
    data = shares.copy()
    data["label"] = [
        f"{share:.0%} (weight {weight:g} × {n} indicators)"
        for share, weight, n in zip(data["share"], data["weight"], data["n_indicators"])
    ]
    order = list(data.sort_values("share", ascending=False)["theme"])
    bars = (
        alt.Chart(data)
        .mark_bar(color="#0072B2")
        .encode(
            x=alt.X("share:Q", title="Share of the Overall average", axis=alt.Axis(format="%")),
            y=alt.Y("theme:N", sort=order, title=None),
            tooltip=[
                alt.Tooltip("theme:N"),
                alt.Tooltip("weight:Q", title="Weight"),
                alt.Tooltip("n_indicators:Q", title="Indicators"),
                alt.Tooltip("share:Q", title="Share", format=".1%"),
            ],
        )
    )
    text = (
        alt.Chart(data)
        .mark_text(align="left", dx=6, fontSize=style.annotation_size, color="#111111")
        .encode(x="share:Q", y=alt.Y("theme:N", sort=order), text="label:N")
    )
    height = max(style.height // 2, len(order) * (style.label_size + 14))
    chart = alt.layer(bars, text).properties(width=style.width * 2 // 3, height=height)
    return _finish(chart, title, subtitle, style)
