"""Beyond ranks, section 2: how the Overall position moves with the weight of each theme."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from benchmarking import charts
from benchmarking.errors import BenchmarkingError
from benchmarking.service import beyond_ranks as view
from benchmarking.text.formatting import position_text
from pages._cache import memo, selection_key
from pages._common import Selection, escape, show_chart, slug, style
from pages._kept import widget
from pages._layout import opened_section
from pages._tables import show_table

WEIGHT_MIN, WEIGHT_MAX, WEIGHT_STEP = 0.0, 3.0, 0.5


def draw_weights(selection: Selection, cat, bench, names: dict) -> None:
    """Draw the theme-weight sliders, the weighted Overall position and the leave-one-theme-out table."""
    period, focus = selection.period, selection.focus
    st.header("How much does the weighting of themes matter?")
    st.markdown(view.weights_words(bench)[0])
    key = selection_key(selection)
    shares = memo("beyond-shares", key, lambda: view.theme_shares(bench, cat.indicators, period, {}))
    ranked_themes = shares["theme"].tolist()
    # Each weight is kept (pages._kept, as sel_weight_<theme>) while another question is shown: a slider's own
    # state is dropped on every run that does not draw it.
    kept_keys = {t: f"weight_{slug(t)}" for t in ranked_themes}
    for kept in kept_keys.values():
        st.session_state.setdefault(f"sel_{kept}", 1.0)

    def _equal_weights() -> None:
        for kept in kept_keys.values():
            st.session_state[f"sel_{kept}"] = 1.0

    st.button("Equal weights", key="beyond_equal_weights", on_click=_equal_weights)
    slider_columns = st.columns(3)
    weights = {}
    for i, t in enumerate(ranked_themes):
        with slider_columns[i % 3]:
            weights[t] = widget(
                st.slider,
                escape(t),
                kept_keys[t],
                widget_key=f"beyond_{kept_keys[t]}",
                min_value=WEIGHT_MIN,
                max_value=WEIGHT_MAX,
                step=WEIGHT_STEP,
            )
    try:
        weighted, shares_frame, overall, chart = memo(
            "beyond-weighted",
            (*key, selection.briefing, tuple(weights.items())),
            lambda: _weighted(selection, cat, bench, names, weights),
        )
    except (ValueError, BenchmarkingError) as error:
        st.warning(escape(error))
        weighted = None
    if weighted is not None:
        row = view.focus_row(overall, focus)
        if row is not None:
            change = row["change"]
            left, right = st.columns(2)
            left.metric(
                "Overall position with these weights",
                position_text(row["position"], row["n_positioned"]),
                delta=None if pd.isna(change) or change == 0 else f"{int(change):+d} places",
                help="Positive = climbs against the Overall position the other pages show (every theme weight 1).",
            )
            right.metric("Default Overall position", position_text(row["default_position"], row["n_positioned"]))
        title = f"Each theme's share of the Overall average, {period}"
        show_chart(chart, shares_frame, title, key="beyond-weights")
        opened_section(
            "Every authority's Overall position with these weights",
            "beyond_weighted",
            lambda: show_table(
                overall,
                hide_index=True,
                key="beyond_weighted_table",
                column_config={
                    "default_average_rank": st.column_config.NumberColumn(format="%.2f"),
                    "average_rank": st.column_config.NumberColumn(format="%.2f"),
                },
            ),
        )

    st.subheader("Leave one theme out")
    left_out = memo("beyond-left-out", key, lambda: _left_out(selection, cat, bench))
    show_table(left_out, hide_index=True, key="beyond_leave_one_out")
    st.caption(
        f"{escape(selection.focus_name)}'s Overall position with each theme left out in turn (positive change = climbs "
        "without that theme, so the theme was holding it back)."
    )


def _weighted(selection: Selection, cat, bench, names: dict, weights: dict):
    """Return the positions with these theme weights, each theme's share, every authority's table and the chart."""
    period = selection.period
    weighted = view.theme_weighted(bench, cat.indicators, period, weights)
    shares_frame = view.theme_shares(bench, cat.indicators, period, weights)
    title = f"Each theme's share of the Overall average, {period}"
    subtitle = selection.subtitle(view.weights_words(bench)[1])
    chart = charts.theme_weights_chart(shares_frame, title, subtitle, style=style(selection), balance=bench.balance)
    return weighted, shares_frame, view.weighted_overall_table(weighted, names), chart


def _left_out(selection: Selection, cat, bench):
    """Return the focus authority's Overall position with each theme left out in turn, as shown."""
    return view.leave_one_out_table(view.left_out(bench, cat.indicators, selection.period), selection.focus)
