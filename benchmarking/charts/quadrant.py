"""The quadrant chart: performance position against a context rank (spend, deprivation or
funding), one chart or one small chart per theme."""

from __future__ import annotations

from typing import TYPE_CHECKING

import altair as alt
import pandas as pd

from benchmarking.charts.labels import label_text, place_labels, point_radius, text_width
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
from benchmarking.text.typesetting import wrap

if TYPE_CHECKING:  # the words are the service's; only their type is named here
    from benchmarking.service.context_views import AxisWords


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
    labelled: list[str] | None = None,
    corners: bool = True,
    rank_title: str | None = None,
    y_title: str = "Performance position (1 = best)",
) -> alt.Chart:
    """Return the performance-against-context scatter: best performers at the top, low spend right.

    The focus authority is always named; ``labelled`` (authority codes, most important first,
    from ``labels.labelled_codes``) names others too, placed clear of each other
    (``labels.place_labels``) with a leader line when a name stands off its point. ``corners``
    False leaves out the four quadrant names (a small panel has no room for them). ``rank_title``
    names the context rank in the tooltip (default "Spend rank" for ``comparator`` spend).

    ``view`` comes from ``service.context_views.quadrant_view`` (performance_position, context_rank,
    name, kind, is_focus, quadrant, average_rank, context_value, n) and may carry
    ``context_text``, the context value formatted for people (else it is shown plain), and
    ``position_text``, the position in words for the tooltip (else the number).
    """
    n = int(view["n"].max()) if len(view) else 1
    median = (n + 1) / 2
    # A focus beside the group (in_group False) is drawn at its would-be place, labelled so;
    # it may stand one place below the last member, so the axes reach N + 1 then.
    beside = view["in_group"].eq(False) if "in_group" in view else pd.Series(False, index=view.index)
    label = view["name"].map(shorten).where(~beside, view["name"].map(shorten) + " (would be, beside the group)")
    data = view.assign(kind_label=view["kind"].fillna("other"), label=label)
    n = n + int(beside.any())
    if "context_text" not in data:
        data["context_text"] = data["context_value"].map(lambda v: "–" if pd.isna(v) else f"{v:,.0f}")
    x = alt.X(
        "context_rank:Q",
        title=x_title,
        scale=alt.Scale(domain=[0.5, n + 0.5], nice=False),
        axis=alt.Axis(values=rank_ticks(n, style.plot_width, style.label_size), format="d"),
    )
    # Head- and foot-room above 1st and below last hold the quadrant names, clear of points.
    bottom, top = n + 2.2, -1.2
    y = alt.Y(
        "performance_position:Q",
        title=_vertical_title(y_title, style.height, style.axis_title_size),
        scale=alt.Scale(domain=[bottom, top], nice=False),
        axis=alt.Axis(values=rank_ticks(n, style.height, style.label_size, vertical=True, reach=3.4), format="d"),
    )
    tooltip = [
        alt.Tooltip("name:N", title="Authority"),
        alt.Tooltip(
            "position_text:N" if "position_text" in data else "performance_position:Q", title="Performance position"
        ),
        alt.Tooltip("average_rank:Q", title="Average rank", format=".1f"),
        alt.Tooltip("context_rank:Q", title=rank_title or f"{comparator.capitalize()} rank"),
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
    corner_names = pd.DataFrame(
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
        alt.Chart(corner_names)
        .mark_text(
            align=alt.expr("datum.align"),
            baseline=alt.expr("datum.baseline"),
            fontSize=style.annotation_size + 1,
            color="#333333",
            fontWeight="bold",
        )
        .encode(x=x, y=y, text="text:N")
    )
    if not corners:
        corner_names, corner_text = corner_names.iloc[0:0], None
    names = _name_layers(data, labelled, corner_names, n, (bottom, top), x, y, style)
    layers = [rules, corner_text, others, focus, *names]
    chart = alt.layer(
        *[layer for layer in layers if layer is not None], data=data, width=style.width, height=style.height
    )
    return finish_chart(chart, title, subtitle, style) if finish else chart


def _vertical_title(text: str, height: float, size: float) -> str | list[str]:
    """Return a vertical axis title as drawn beside a plot ``height`` pixels tall: whole when it fits (measured
    generously, bold), else over lines no longer than the plot (a title runs over both ends of its plot, cut), its
    words in brackets on their own line when they fit there: "Performance position", "(1 = best)"."""
    if text_width(text, size, bold=True) <= height:
        return text
    head, bracket, tail = text.partition(" (")
    pieces = [head, f"({tail}"] if bracket else [text]
    return [line for piece in pieces for line in wrap(piece, height, size, True, measure=text_width)]


def _name_layers(data, labelled, corners, n, y_domain, x, y, style: ChartStyle) -> list:
    """Return the layers that name authorities: leader lines, then names (none when nothing fits)."""
    bottom, top = y_domain
    width, height = style.plot_width, style.height
    codes = list(data.loc[data["is_focus"], "authority_code"]) + list(labelled or [])
    order = {code: i for i, code in enumerate(dict.fromkeys(codes))}
    points = pd.DataFrame(
        {
            "px": (data["context_rank"] - 0.5) / n * width,
            "py": (data["performance_position"] - top) / (bottom - top) * height,
            "priority": data["authority_code"].map(order),
            "bold": data["is_focus"].astype(bool),
        }
    )
    points["text"] = data["label"].map(label_text).where(points["priority"].notna(), "")
    points["text"] = points["text"].where(~points["bold"], data["label"])
    size = style.annotation_size
    points["size"] = points["bold"].map({True: size + 4, False: size})
    points = points.sort_values(["priority"], kind="stable", na_position="last")
    corner_boxes = []
    for cx, cy, text, align, baseline in corners.itertuples(index=False):
        w, h = text_width(text, size + 1, bold=True), (size + 1) * 1.25
        ax, ay = (cx - 0.5) / n * width, (cy - top) / (bottom - top) * height
        x0 = ax if align == "left" else ax - w
        y0 = ay if baseline == "top" else ay - h
        corner_boxes.append((x0, y0, x0 + w, y0 + h))
    radius = point_radius(max(style.point_size, 1))
    placed = place_labels(points, width, height, radius=radius, obstacles=corner_boxes)
    if placed.empty:
        return []
    rows = points.loc[placed["row"]]
    names = pd.DataFrame(
        {
            "context_rank": 0.5 + placed["ax"].to_numpy() / width * n,
            "performance_position": top + placed["ay"].to_numpy() / height * (bottom - top),
            "point_x": data.loc[placed["row"], "context_rank"].to_numpy(),
            "point_y": data.loc[placed["row"], "performance_position"].to_numpy(),
            "text": rows["text"].to_numpy(),
            "align": placed["align"].to_numpy(),
            "baseline": placed["baseline"].to_numpy(),
            "weight": rows["bold"].map({True: "bold", False: "normal"}).to_numpy(),
            "size": rows["size"].to_numpy(),
            "leader": placed["leader"].to_numpy(),
        }
    )
    lines = names[names["leader"]].assign(
        anchor_x=lambda f: f["context_rank"],
        anchor_y=lambda f: f["performance_position"],
        context_rank=lambda f: f["point_x"],
        performance_position=lambda f: f["point_y"],
    )
    leaders = (
        alt.Chart(lines).mark_rule(color="#555555", strokeWidth=1).encode(x=x, y=y, x2="anchor_x:Q", y2="anchor_y:Q")
    )
    text = (
        alt.Chart(names)
        .mark_text(
            align=alt.expr("datum.align"),
            baseline=alt.expr("datum.baseline"),
            fontWeight=alt.expr("datum.weight"),
            fontSize=alt.expr("datum.size"),
            color="#000000",
        )
        .encode(x=x, y=y, text="text:N")
    )
    return [leaders, text] if names["leader"].any() else [text]


def quadrant_small_multiples(
    views: dict[str, pd.DataFrame],
    title: str,
    subtitle: str,
    comparator: str,
    style: ChartStyle = NORMAL,
    columns: int = 3,
    words: dict[str, AxisWords] | None = None,
) -> alt.Chart:
    """Return one small quadrant chart per theme, in a grid, sharing the same reading; ``words`` (by theme,
    ``service.context_views.axis_words``) name each panel's rank and figure, as a theme's spend is its service's."""
    columns = min(columns, 2) if style.label_size >= 20 else columns  # projector text needs wider panels
    small = ChartStyle(
        width=style.panel_width(columns),
        height=max(200, style.height // 2 - 20),
        title_size=style.subtitle_size,
        subtitle_size=style.subtitle_size,
        label_size=style.label_size if style.label_size >= 20 else max(11, style.label_size - 2),
        axis_title_size=style.axis_title_size if style.label_size >= 20 else max(11, style.axis_title_size - 2),
        point_size=max(40, style.point_size // 3),
        focus_size=max(160, style.focus_size // 3),
        annotation_size=style.annotation_size if style.label_size >= 20 else max(11, style.annotation_size - 2),
        narrowest=style.panel_width(columns),
    )
    panels = []
    for theme, view in views.items():
        named = (words or {}).get(theme)
        rank_title = named.rank_title if named else f"{comparator.capitalize()} rank"
        panel = quadrant_chart(
            view,
            theme,
            "",
            rank_title,
            comparator,
            style=small,
            finish=False,
            corners=False,
            rank_title=rank_title,
            **({"context_title": named.value_title} if named else {}),
        ).properties(title=alt.TitleParams(theme, fontSize=small.title_size, anchor="start"))
        panels.append(panel)
    rows = [alt.hconcat(*panels[i : i + columns]) for i in range(0, len(panels), columns)]
    return finish_chart(alt.vconcat(*rows), title, subtitle, style)
