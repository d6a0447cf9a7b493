"""Positions drawn: the focus authority's position per theme, positions over time (one line
per authority) and the Overview's sparkline."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from benchmarking.charts.style import (
    FOCUS_COLOUR,
    NORMAL,
    QUARTILE_COLOURS,
    QUARTILE_LABELS,
    ChartStyle,
    finish_chart,
    name_label_limit,
    rank_ticks,
)
from benchmarking.method import ranking
from benchmarking.service.lists import axis_periods
from benchmarking.text.formatting import position_axis_title, position_text


def theme_position_chart(
    focus_positions: pd.DataFrame, title: str, subtitle: str, style: ChartStyle = NORMAL
) -> alt.Chart:
    """Return the focus authority's position per theme as dots on a 1..N scale (1 = best, left), each
    labelled "Xth of N" and put in its quartile with N = the authorities positioned in its theme, on a row shaded
    by that theme's own quartiles (``_quartile_bands``).

    ``focus_positions``: theme, position (NA = no position), n_positioned, average_rank.
    """
    data = focus_positions.dropna(subset=["position"]).assign(
        position=lambda f: f["position"].astype(float),
        quartile=lambda f: ranking.quartile(f["position"], f["n_positioned"].astype(float)),
        label=lambda f: [position_text(p, n) for p, n in zip(f["position"], f["n_positioned"])],
    )
    n = _reach(data["n_positioned"].max() if len(data) else 1, data)
    # No quartile (NaN) in a group too small for quartiles (see ranking.quartile).
    data["quartile_label"] = data["quartile"].map(
        lambda q: "no quartile" if pd.isna(q) else QUARTILE_LABELS[int(q) - 1]
    )
    order = list(data["theme"])
    y = alt.Y("theme:N", sort=order, title=None, axis=alt.Axis(labelLimit=400))  # whole theme names
    band = (
        alt.Chart(_quartile_bands(data))
        .mark_rect(fillOpacity=0.12)
        .encode(
            x=alt.X("start:Q", scale=alt.Scale(domain=[0.5, n + 0.5], nice=False)),
            x2="end:Q",
            y=y,
            # The colours as given, on a channel of their own: a colour scale shared with the dots (its key hidden
            # here) would hide the dots' key.
            fill=alt.Fill("colour:N", scale=None),
        )
    )
    x = alt.X(
        "position:Q",
        title=position_axis_title(data["n_positioned"]),
        scale=alt.Scale(domain=[0.5, n + 0.5], nice=False),
        axis=alt.Axis(values=rank_ticks(n, style.plot_width - 250, style.label_size), format="d"),
    )
    rule = (
        alt.Chart(data.assign(start=0.5))
        .mark_rule(color="#999999")
        .encode(x=alt.X("start:Q", scale=alt.Scale(domain=[0.5, n + 0.5], nice=False)), x2="position:Q", y=y)
    )
    # One key for colour and shape (the same legend on both, or they are drawn as two), its names whole.
    key = alt.Legend(labelLimit=name_label_limit(pd.Series(QUARTILE_LABELS), style), symbolOpacity=1)
    dots = (
        alt.Chart(data)
        .mark_point(filled=True, size=style.point_size * 1.6, stroke="black", strokeWidth=0.8)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "quartile_label:N",
                title="Quartile",
                scale=alt.Scale(domain=QUARTILE_LABELS, range=QUARTILE_COLOURS),
                legend=key,
            ),
            shape=alt.Shape(
                "quartile_label:N",
                title="Quartile",
                scale=alt.Scale(domain=QUARTILE_LABELS, range=["circle", "square", "triangle-up", "diamond"]),
                legend=key,
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
    return finish_chart(chart, title, subtitle, style)


def _quartile_bands(data: pd.DataFrame) -> pd.DataFrame:
    """Return each theme's quartile bands (theme, start, end, quartile_label, colour): its places 1 to its last (its
    count, or the place of a focus shown beside the group) grouped by the quartile ``ranking.quartile`` gives each
    among the theme's own count, so every dot lies in the band of its quartile; none for a theme too small for
    quartiles."""
    rows = []
    for theme, position, n in zip(data["theme"], data["position"], data["n_positioned"]):
        places = np.arange(1, max(int(n), int(position)) + 1)
        quartiles = ranking.quartile(places, np.full(len(places), float(n)))
        for q, label in enumerate(QUARTILE_LABELS, start=1):
            held = places[quartiles == q]
            if len(held):
                rows.append((theme, held.min() - 0.5, held.max() + 0.5, label, QUARTILE_COLOURS[q - 1]))
    return pd.DataFrame(rows, columns=["theme", "start", "end", "quartile_label", "colour"])


def trend_chart(
    trend: pd.DataFrame,
    focus_name: str,
    title: str,
    subtitle: str | list[str],
    style: ChartStyle = NORMAL,
    periods: list[str] | None = None,
) -> alt.Chart:
    """Return positions over time (1 at the top), one line per authority, with a key naming each (the focus first,
    its line bold); the position axis ends at the largest "of N" drawn (``n_positioned``: a period's positions are
    of the authorities positioned in it, never of every authority the store has held).

    ``trend``: rows of ``service.views.trend_view`` (name, period, period_start, theme, position, n_positioned,
    average_rank), as drawn (``service.trend_lines``: without the periods that rest on few indicators); ``periods``:
    the axis, oldest first (``TrendLines.periods``: a period no line holds stays on it), else ``trend``'s periods
    from the first to the last drawn (``lists.axis_periods``).
    """
    data = trend.dropna(subset=["position"]).assign(position=lambda f: f["position"].astype(float))
    n = _reach(int(data["n_positioned"].max()) if len(data) else 1, data)
    data["is_focus"] = data["name"] == focus_name
    periods = periods or axis_periods(trend, data)
    data["run"] = _runs(data, periods)
    names = [focus_name] + sorted(set(data["name"]) - {focus_name})
    palette = [FOCUS_COLOUR, "#0072B2", "#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#000000", "#999999"]
    chart = (
        alt.Chart(data)
        .mark_line(point=alt.OverlayMarkDef(size=style.point_size))
        .encode(
            x=alt.X("period:N", sort=periods, scale=alt.Scale(domain=periods), title="Period"),
            y=alt.Y(
                "position:Q",
                title="Position (1 = best)",
                scale=alt.Scale(domain=[n + 0.5, 0.5], nice=False),
                axis=alt.Axis(values=rank_ticks(n, style.height // 2, style.label_size, vertical=True), format="d"),
            ),
            # Colour and dash on the same field make one key, each name beside its colour and dash; hiding
            # either key hides both.
            color=alt.Color(
                "name:N",
                title=None,
                sort=names,
                scale=alt.Scale(domain=names, range=(palette * 4)[: len(names)]),
                legend=alt.Legend(  # each name beside a stretch of its line, long enough to show its dash
                    symbolType="stroke",
                    symbolStrokeWidth=4,
                    symbolSize=(style.label_size * 3) ** 2,
                    labelLimit=name_label_limit(pd.Series(names), style),
                ),
            ),
            strokeDash=alt.StrokeDash(
                "name:N",
                sort=names,
                title=None,
                scale=alt.Scale(domain=names, range=[[1, 0]] + [[8, 3], [2, 2], [8, 3, 2, 3]] * 10),
            ),
            strokeWidth=alt.condition("datum.is_focus", alt.value(5), alt.value(2)),
            detail="run:N",  # a line breaks where a period of the axis has no position
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
        chart = chart.properties(width=style.panel_width(2), height=style.height // 2).facet(
            facet=alt.Facet(
                "theme:N",
                title=None,
                sort=list(dict.fromkeys(data["theme"])),
                header=alt.Header(labelFontSize=style.axis_title_size, labelFontWeight="bold", labelColor="#000000"),
            ),
            columns=2,
        )
        return finish_chart(chart, title, subtitle, style)
    return finish_chart(chart.properties(width=style.width, height=style.height), title, subtitle, style)


def _runs(data: pd.DataFrame, periods: list[str]) -> pd.Series:
    """Return each row's run: a number shared by the rows of one authority (and theme) in neighbouring periods of
    ``periods``, a new one after a period of the axis where it has no position, so its line is not joined across."""
    at = data["period"].map({period: i for i, period in enumerate(periods)})
    keys = [data[column] for column in ("name", "theme") if column in data]
    order = at.groupby(keys).rank(method="first") if keys else at.rank(method="first")
    return (at - order).fillna(-1).astype(int)


def sparkline(trend: pd.DataFrame, n: int, style: ChartStyle = NORMAL, periods: list[str] | None = None) -> alt.Chart:
    """Return a small line of one authority's position over time (1 at the top), its labels at ``style``'s size,
    broken where a period of the axis has no position, as the Trend chart's lines are (``_runs``).

    ``periods``: the axis, oldest first (a period left out of ``trend`` stays on it), else ``trend``'s periods from
    the first to the last with a position (``lists.axis_periods``)."""
    data = trend.dropna(subset=["position"]).assign(position=lambda f: f["position"].astype(float))
    n = _reach(n, data)
    periods = periods or axis_periods(trend, data)
    data["run"] = _runs(data, periods)
    x = alt.X(
        "period:N",
        sort=periods,
        scale=alt.Scale(domain=periods),
        title=None,
        axis=alt.Axis(
            labelAngle=0, labelFontSize=style.label_size, values=[periods[0], periods[-1]] if periods else []
        ),
    )
    height = style.label_size * 8
    y = alt.Y(
        "position:Q",
        title=None,
        scale=alt.Scale(domain=[n + 0.5, 0.5], nice=False),
        axis=alt.Axis(values=_ends_and_steps(n, height, style.label_size), labelFontSize=style.label_size),
    )
    line = (
        alt.Chart(data)
        .mark_line(color=FOCUS_COLOUR, strokeWidth=3, point=True)
        .encode(
            x=x,
            y=y,
            detail="run:N",  # a line breaks where a period of the axis has no position
            tooltip=["period:N", alt.Tooltip("position:Q", title="Overall position")],
        )
    )
    return line.properties(height=height, width="container").configure_view(stroke=None)


def _ends_and_steps(n: int, length: float, label_size: int) -> list[int]:
    """Return a vertical rank axis's ticks: 1, the evenly spaced ranks ``rank_ticks`` gives for ``length`` pixels,
    and ``n`` (in place of the last of them when the two would stand closer than a line and a half of text)."""
    ticks = rank_ticks(n, length, label_size, vertical=True)
    if ticks[-1] != n:
        if len(ticks) > 1 and (n - ticks[-1]) * length / n < label_size * 1.5:
            ticks.pop()
        ticks.append(n)
    return ticks


def _reach(n: int, data: pd.DataFrame) -> int:
    """Return the scale's last place: ``n``, or the largest position drawn when it lies beyond
    (an authority beside a group of n can stand at n + 1)."""
    return max(int(n), int(data["position"].max())) if len(data) else int(n)
