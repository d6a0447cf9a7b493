"""Beyond ranks drawn: positions with their bootstrap intervals, the value-for-money frontier
and each theme's weight in the Overall average."""

from __future__ import annotations

import altair as alt
import pandas as pd

from benchmarking.charts.style import (
    BRIEFING,
    FOCUS_COLOUR,
    NORMAL,
    ChartStyle,
    display_names,
    finish_chart,
    name_label_limit,
    rank_ticks,
)
from benchmarking.method.baskets import INDICATORS, THEMES
from benchmarking.method.uncertainty import interval_label
from benchmarking.text.formatting import position_axis_title


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
    data["display_name"] = display_names(data["name"], data["is_focus"])
    data["group"] = data["is_focus"].map({True: "Focus authority", False: "Other authorities"})
    data["interval_text"] = [
        interval_label(int(p), int(lo), int(hi)) for p, lo, hi in zip(data["position"], data["lower"], data["upper"])
    ]
    order = list(data["display_name"])
    # An interval may end past n (a redraw positions more authorities than the headline): the axis reaches it.
    last = max([n, *data[["position", "upper"]].max().dropna().astype(float)])
    last = int(-(-last // 1))  # the whole rank at or after the furthest end
    scale = alt.Scale(domain=[0.5, last + 0.5], nice=False)
    x = alt.X(
        "position:Q",
        title=position_axis_title([n]),
        scale=scale,
        axis=alt.Axis(values=rank_ticks(last, style.plot_width - 250, style.label_size), format="d"),
    )
    y = alt.Y(
        "display_name:N",
        sort=order,
        title=None,
        axis=alt.Axis(labelLimit=name_label_limit(data["display_name"], style)),
    )
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
    return finish_chart(chart, title, subtitle, style)


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
    return finish_chart(chart, title, subtitle, style)


def theme_weights_chart(
    shares: pd.DataFrame, title: str, subtitle: str, style: ChartStyle = NORMAL, balance: str = INDICATORS
) -> alt.Chart:
    """Return each theme's share of the Overall average as bars, labelled with what the share is made of under
    ``balance`` (``share_label``).

    ``shares`` comes from ``sensitivity.effective_theme_shares`` (theme, weight,
    n_indicators, basket_weight, share).
    """
    data = shares.copy()
    weighted = bool((data["basket_weight"] != data["n_indicators"]).any())
    data["label"] = [
        share_label(row.share, row.weight, row.n_indicators, row.basket_weight, balance, weighted)
        for row in data.itertuples()
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
    return finish_chart(chart, title, subtitle, style)


def share_label(share: float, weight: float, n: int, basket_weight: float, balance: str, weighted: bool) -> str:
    """Return a theme's bar label, saying what its share is made of: "61% (weight 1 × 12 indicators)" when every
    indicator counts once, "40% (weight 1 × basket weights 14.5, 12 indicators)" in a ``weighted`` basket,
    "25% (weight 1; the theme counts once, 12 indicators)" when every theme counts once."""
    indicators = f"{n} indicator{'s' * (n != 1)}"
    if balance == THEMES:
        return f"{share:.0%} (weight {weight:g}; the theme counts once, {indicators})"
    if weighted:
        return f"{share:.0%} (weight {weight:g} × basket weights {basket_weight:g}, {indicators})"
    return f"{share:.0%} (weight {weight:g} × {indicators})"
