"""Trend: positions over every period for the focus authority and chosen comparators."""

from __future__ import annotations

import streamlit as st

from benchmarking import charts
from benchmarking.method.positions import LA_CORE, OVERALL
from benchmarking.service.overview import mostly_earlier_periods
from benchmarking.service.trend_lines import held_periods, left_out_text, trend_lines, trend_table
from benchmarking.service.views import trend_view
from benchmarking.text.formatting import mostly_earlier_text
from pages._cache import benchmark_key, memo
from pages._common import benchmark, catalogue, current_selection, escape, page_header, show_chart, style
from pages._view_params import url_choice

selection = current_selection()
page_header("trend", selection)
cat = catalogue()
bench = benchmark(selection)

names = dict(zip(cat.authorities["code"], cat.authorities["name"]))
members = [c for c in bench.group.members if c != selection.focus]
left, right = st.columns(2)
themes = url_choice(
    "multiselect",
    "Themes",
    "themes",
    [OVERALL, LA_CORE] + cat.themes,
    [OVERALL, LA_CORE],
    key="trend_themes",
    multi=True,
    where=left,
)
others = url_choice(
    "multiselect",
    "Compare with",
    "compare",
    members,
    key="trend_others",
    multi=True,
    format_func=lambda c: names.get(c, c),
    notice_label="comparison with",
    where=right,
    max_selections=6,
)
if not themes:
    st.info("Choose at least one theme.")
    st.stop()


def _trend():
    """Return the positions over time of the chosen themes and authorities, the lines drawn, the chart and its
    title."""
    trend = trend_view(cat, bench, themes, [selection.focus] + list(others))
    if trend.empty:
        return trend, None, None, None
    # Without the periods that rest on few indicators; the axis keeps every period between the first and the last.
    lines = trend_lines(trend, selection.focus, bench.options.get("min_coverage", 0.5))
    periods = lines.periods
    title = f"{', '.join(themes)} position over time, {periods[0]} to {periods[-1]}"
    subtitle = selection.subtitle("1 = best, at the top")
    if lines.left_out:  # a line of its own: a grid of panels cannot narrow a long subtitle to its width
        subtitle = [subtitle, "Periods that rest on few indicators are left out."]
    chart = charts.trend_chart(lines.drawn, selection.focus_name, title, subtitle, style(selection), periods)
    return trend, lines, chart, title


key = (benchmark_key(selection), selection.briefing, tuple(themes), tuple(others))  # every period: not the period
trend, lines, chart, title = memo("trend", key, _trend)
if trend.empty:
    st.info("No positions to show for this choice.")
    st.stop()
# The CSV and the table hold every period, each row saying whether the chart shows it and why not: an analyst
# gets the early periods too, without mistaking them for drawn points; named for the range they hold.
held = held_periods(trend)
table_name = f"{', '.join(themes)} position over time, {held[0]} to {held[-1]}" if held else title
show_chart(chart, trend_table(trend, lines), title, key="trend", summary=lines.words, data_name=table_name)
# Publishers start at different times, so early periods may rest on a handful of indicators.
for theme, left_out in lines.left_out.items():
    st.caption(escape(left_out_text(theme, left_out, named=bool(others))))
for unheld in lines.unheld:  # a period on the axis without a point: say why
    st.caption(escape(unheld))
# A period whose figures were mostly published for earlier periods (the latest, before publishers catch up).
shown = set(lines.drawn.loc[lines.drawn["authority_code"] == selection.focus, "period"])
for theme in themes:
    mostly = {p: counts for p, counts in mostly_earlier_periods(cat, bench, theme).items() if p in shown}
    if mostly:
        st.caption(f"**{escape(theme)}**: {escape(mostly_earlier_text(mostly))}")
