"""Indicators and funding drawn: one indicator's values across the group, one indicator over
time against the group's median and quartiles, and the core spending power league table."""

from __future__ import annotations

import altair as alt
import pandas as pd

from benchmarking.charts.style import (
    BRIEFING,
    FOCUS_COLOUR,
    FOCUS_MARK,
    MEDIAN_COLOUR,
    NORMAL,
    QUARTILE_COLOURS,
    QUARTILE_LABELS,
    ChartStyle,
    display_names,
    finish_chart,
    name_label_limit,
)


def indicator_bar_chart(
    view: pd.DataFrame,
    title: str,
    subtitle: str,
    unit: str | None,
    style: ChartStyle = NORMAL,
    target: float | None = None,
) -> alt.Chart:
    """Return every authority's value on one indicator, best at the top, coloured by quartile; ``target``: the
    mid-point a target indicator is ranked against, drawn as a labelled rule.

    ``view`` comes from ``service.views.indicator_view``; the focus authority has a black outline
    and a bold label.
    """
    data = view.dropna(subset=["value"]).copy()
    data["quartile_label"] = data["quartile"].map(
        lambda q: QUARTILE_LABELS[int(q) - 1] if pd.notna(q) else "no quartile"
    )
    data["display_name"] = display_names(data["name"], data["is_focus"], data.get("in_group"))
    order = list(data.sort_values("rank")["display_name"])
    value_format = ",.1f" if unit in ("%", "rate", "score") else ",.2f"
    x = alt.X("value:Q", title=f"Value ({unit})" if unit else "Value")
    y = alt.Y(
        "display_name:N",
        sort=order,
        title=None,
        axis=alt.Axis(
            labelFontWeight=alt.ExprRef(
                f"datum.label && indexof(datum.label, '{FOCUS_MARK}') >= 0 ? 'bold' : 'normal'"
            ),
            labelLimit=name_label_limit(data["display_name"], style),
        ),
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
    bars = bars if target is None else alt.layer(bars, target_rule(target, "x", style))
    chart = bars.properties(width=style.width, height=min(height, 900 if style is BRIEFING else 1400))
    return finish_chart(chart, title, subtitle, style)


def indicator_series_chart(
    series: pd.DataFrame,
    focus_name: str,
    title: str,
    subtitle: str,
    unit: str | None,
    style: ChartStyle = NORMAL,
    target: float | None = None,
) -> alt.Chart:
    """Return the focus authority's values over time against the group median and interquartile range; ``target``:
    the mid-point a target indicator is ranked against, drawn as a labelled rule."""
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
    layers = [band, lines] + ([] if target is None else [target_rule(target, "y", style)])
    chart = alt.layer(*layers).properties(width=style.width, height=style.height * 2 // 3)
    return finish_chart(chart, title, subtitle, style)


def target_rule(target: float, channel: str, style: ChartStyle) -> alt.LayerChart:
    """Return a dashed rule at the target mid-point across the chart (``channel`` x: upright, y: across), labelled
    "Target mid-point" at its start."""
    spot = pd.DataFrame({"target": [target], "label": ["Target mid-point"]})
    at = {channel: alt.X("target:Q") if channel == "x" else alt.Y("target:Q")}
    rule = alt.Chart(spot).mark_rule(color="#000000", strokeDash=[6, 3], strokeWidth=2).encode(**at)
    if channel == "x":  # beside the rule, at the top
        text = alt.Chart(spot).mark_text(align="left", baseline="top", dx=4, fontSize=style.label_size)
        label = text.encode(**at, y=alt.value(2), text="label:N")
    else:  # above the rule, at the left
        text = alt.Chart(spot).mark_text(align="left", baseline="bottom", dy=-3, fontSize=style.label_size)
        label = text.encode(**at, x=alt.value(2), text="label:N")
    return alt.layer(rule, label)


def funding_chart(table: pd.DataFrame, title: str, subtitle: str, style: ChartStyle = NORMAL) -> alt.Chart:
    """Return core spending power per head as bars, highest at the top, focus highlighted, median marked."""
    data = table.dropna(subset=["core_spending_power_per_head"]).copy()
    data["display_name"] = display_names(data["name"], data["is_focus"])
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
            y=alt.Y(
                "display_name:N",
                sort=order,
                title=None,
                axis=alt.Axis(labelLimit=name_label_limit(data["display_name"], style)),
            ),
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
    return finish_chart(chart, title, subtitle, style)
