"""Performance against spend: the Compendium's quadrant chart, for any theme and comparator axis."""

from __future__ import annotations

import streamlit as st

from benchmarking import charts
from benchmarking.method.positions import LA_CORE, OVERALL
from benchmarking.service.context_views import (
    COMPARATOR_AXES,
    axis_words,
    context_ranks,
    position_title,
    quadrant_left_out,
    quadrant_view,
)
from benchmarking.service.overview import data_currency
from benchmarking.service.rests_on import rests_on
from benchmarking.text.formatting import currency_text, money
from pages._cache import memo, selection_key
from pages._common import benchmark, catalogue, current_selection, escape, page_header, show_chart, style
from pages._quadrant_labels import label_choice
from pages._view_params import url_choice, url_toggle

HOW_TO_READ = (
    "**How to read this chart.** Each point is an authority. Up the chart is better performance: the "
    "position is the rank of the average of its indicator ranks (1st at the top). Across the chart, "
    "{measure} falls from left to right, so authorities that perform well with low {comparator} sit "
    "in the top right and those that perform less well with high {comparator} in the bottom left. The "
    "dashed lines are the group medians. County councils are grey circles, county unitaries blue squares, "
    "and {focus} the orange diamond."
)

selection = current_selection()
page_header("quadrant", selection)
cat = catalogue()
bench = benchmark(selection)

left, right = st.columns(2)
theme = url_choice("selectbox", "Theme", "theme", [OVERALL, LA_CORE] + cat.themes, key="quadrant_theme", where=left)
axis = url_choice(
    "radio", "Comparator", "axis", list(COMPARATOR_AXES), key="quadrant_axis", where=right, horizontal=True
)
words = axis_words(bench, theme, axis)  # a theme's spend is its service's: adult social care, not the total
comparator = words.comparator


def _view():
    shown = quadrant_view(cat, bench, theme, axis, selection.period, selection.focus)
    if not shown.empty:
        money_text = (lambda v: f"{v:.0f} of 151 (1 = most deprived)") if axis == "Deprivation" else money
        shown["context_text"] = shown["context_value"].map(money_text)
        basis = context_ranks(cat, bench, theme, axis, selection.period)["basis"].iloc[0]
        left_out = quadrant_left_out(cat, bench, shown, theme, axis, selection.period)
        return shown, basis, shown.drop(columns=["is_focus"]), left_out
    return shown, None, None, None


key = (selection_key(selection), theme, axis)
view, basis, table, left_out = memo("quadrant-view", key, _view)
if view.empty:
    st.info(
        f"No authority has both a {escape(theme)} position and a {axis.lower()} rank in {escape(selection.period)}."
    )
    st.stop()
title = f"{theme} performance against {comparator}, {selection.period}"
subtitle = [selection.subtitle(f"{axis} basis: {basis}"), *(left_out or "").splitlines()]  # and who is not drawn
labelled = label_choice(view)
chart = memo(
    "quadrant-chart",
    (*key, tuple(labelled or ()), selection.briefing),
    lambda: charts.quadrant_chart(
        view,
        title,
        subtitle,
        words.x_title,
        comparator,
        context_title=words.value_title,
        style=style(selection),
        labelled=labelled,
        rank_title=words.rank_title,
        y_title=position_title(view, axis),
    ),
)
counts = view["quadrant"].value_counts()
focus_quadrant = view.loc[view["is_focus"], "quadrant"]
summary = (
    (f"{selection.focus_name} is in the '{focus_quadrant.iloc[0]}' quadrant. " if len(focus_quadrant) else "")
    + "Authorities per quadrant: "
    + "; ".join(f"{label} {n}" for label, n in counts.items())
    + f". Across the chart: {words.measure} ({basis})."
)
show_chart(chart, table, title, key="quadrant", summary=summary)
st.markdown(
    HOW_TO_READ.format(measure=escape(words.measure), comparator=comparator, focus=escape(selection.focus_name))
)
resting, currency_line = memo(  # what the focus's position rests on, and how current the figures are
    "quadrant-basis",
    key,
    lambda: (
        rests_on(cat, bench, selection.focus, selection.period, theme),
        currency_text(data_currency(cat, bench, theme, selection.period, selection.focus)),
    ),
)
st.caption(escape(f"{selection.basis()}. {resting.text()}. {currency_line}"))
if resting.warning():
    st.warning(escape(resting.warning()), icon=":material/balance:")
positioned = bench.positions[
    (bench.positions["theme"] == theme)
    & (bench.positions["period"] == selection.period)
    & bench.positions["position"].notna()
]
if len(view) < len(positioned):
    st.caption(
        f"{len(positioned) - len(view)} of the {len(positioned)} authorities positioned on {escape(theme)} have "
        f"no {axis.lower()} figure ({axis} basis: {escape(basis)}), so both axes rank the {len(view)} plotted: "
        "performance positions here can differ from the league table's."
    )
focus_row = view[view["is_focus"]]
if len(focus_row):
    st.info(
        f"{escape(selection.focus_name)}: **{focus_row['quadrant'].iloc[0]}** "
        f"(performance position {focus_row['position_text'].iloc[0]}, "
        f"{escape(words.rank_text(focus_row['context_rank'].iloc[0], focus_row['n'].iloc[0]))})"
        + (": where it would stand, beside the group." if selection.beside_note else ".")
    )

if url_toggle("Show every theme at once", "every_theme", key="quadrant_multiples"):
    views = {}
    for each in [OVERALL, LA_CORE] + cat.themes:
        each_view = quadrant_view(cat, bench, each, axis, selection.period, selection.focus)
        if len(each_view):
            views[each] = each_view
    multiples_title = f"Every theme: performance against {comparator}, {selection.period}"
    chart = charts.quadrant_small_multiples(
        views,
        multiples_title,
        selection.subtitle(),
        comparator,
        style=style(selection),
        words={each: axis_words(bench, each, axis) for each in views},
    )
    frame = __import__("pandas").concat([v.assign(theme=t) for t, v in views.items()], ignore_index=True)
    show_chart(chart, frame, multiples_title, key="quadrant-multiples")
