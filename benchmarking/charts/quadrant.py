"""The quadrant chart: performance position against a context rank (spend, deprivation or
funding), one chart or one small chart per theme."""

from __future__ import annotations

import altair as alt
import pandas as pd

from benchmarking.charts.style import (
    FOCUS_COLOUR,
    KIND_COLOURS,
    KIND_SHAPES,
    MEDIAN_COLOUR,
    NORMAL,
    ChartStyle,
    finish_chart,
    rank_ticks,
)
from benchmarking.text.escaping import shorten


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

    ``view`` comes from ``service.context_views.quadrant_view`` (performance_position, context_rank,
    name, kind, is_focus, quadrant, average_rank, context_value, n) and may carry
    ``context_text``, the context value formatted for people (else it is shown plain).
    """
    n = int(view["n"].max()) if len(view) else 1
    median = (n + 1) / 2
    # A focus beside the group (in_group False) is drawn at its would-be place, labelled so;
    # it may stand one place below the last member, so the axes reach N + 1 then.
    beside = view["in_group"].eq(False) if "in_group" in view else pd.Series(False, index=view.index)
    label = view["name"].map(shorten).where(~beside, view["name"].map(shorten) + " (would be, beside the group)")
    data = view.assign(kind_label=view["kind"].fillna("other"), label=label.where(view["is_focus"], ""))
    n = n + int(beside.any())
    if "context_text" not in data:
        data["context_text"] = data["context_value"].map(lambda v: "–" if pd.isna(v) else f"{v:,.0f}")
    x = alt.X(
        "context_rank:Q",
        title=x_title,
        scale=alt.Scale(domain=[0.5, n + 0.5], nice=False),
        axis=alt.Axis(values=rank_ticks(n), format="d"),
    )
    # Head- and foot-room above 1st and below last hold the quadrant names, clear of points.
    bottom, top = n + 2.2, -1.2
    y = alt.Y(
        "performance_position:Q",
        title="Performance position (1 = best)",
        scale=alt.Scale(domain=[bottom, top], nice=False),
        axis=alt.Axis(values=rank_ticks(n), format="d"),
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
    return finish_chart(chart, title, subtitle, style) if finish else chart


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
    return finish_chart(alt.vconcat(*rows), title, subtitle, style)
