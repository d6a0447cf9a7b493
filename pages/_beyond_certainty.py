"""Beyond ranks, section 1: how sure the focus authority's position is (bootstrap intervals)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from benchmarking import charts
from benchmarking.errors import BenchmarkingError
from benchmarking.method import uncertainty
from benchmarking.service import beyond_ranks as view
from benchmarking.text.formatting import ordinal
from benchmarking.text.tables import people_table
from pages._cache import memo, selection_key
from pages._common import Selection, escape, show_chart, style
from pages._layout import opened_section
from pages._tables import show_table, static_table
from pages._view_params import url_choice

REPLICATE_CHOICES = [200, 1000, 2000]


@st.cache_resource(show_spinner=False, max_entries=8)
def _bootstrap(key: tuple, n_replicates: int, focus: str, period: str, _catalogue, _bench) -> tuple:
    """Return the bootstrap of the selection (``selection_key``: store version, group, focus, scaling, basket,
    balance, period) and its intervals named, computed once per selection with a progress bar the first time."""
    bar = st.progress(0.0, text=f"Redrawing the indicator basket {n_replicates:,} times ...")
    boot = view.bootstrap(_bench, _catalogue.indicators, period, n_replicates)
    bar.progress(0.9, text="Naming the intervals ...")
    names = dict(zip(_catalogue.authorities["code"], _catalogue.authorities["name"]))
    intervals = view.named_intervals(boot.intervals(), names, focus)
    bar.empty()
    return boot, intervals


def draw_certainty(selection: Selection, cat, bench, names: dict, cache_key: tuple, themes: list[str]) -> None:
    """Draw the interval chart, its sentence and method, the focus's intervals and its close neighbours."""
    period, focus = selection.period, selection.focus
    st.header("How sure is the position?")
    left, right = st.columns(2)
    theme = url_choice("selectbox", "Theme", "theme", themes, key="beyond_theme", where=left)
    n_replicates = url_choice(
        "selectbox",
        "Bootstrap replicates",
        "replicates",
        REPLICATE_CHOICES,
        REPLICATE_CHOICES[1],
        key="beyond_replicates",
        format_func=lambda n: f"{n:,}",
        where=right,
    )
    try:
        boot, intervals = _bootstrap(selection_key(selection), n_replicates, focus, period, cat, bench)
    except BenchmarkingError as error:
        st.error(escape(error))
        st.stop()
    key = (selection_key(selection), n_replicates)
    shown = memo("beyond-shown", (*key, theme), lambda: intervals[intervals["theme"] == theme])
    focus_rows, focus_table = memo("beyond-focus-rows", key, lambda: _focus_rows(intervals))
    if shown["position"].notna().any():
        n_positioned = int(shown["n_positioned"].iloc[0])
        title = f"{theme} position with its {boot.level:.0%} interval, {period}"
        subtitle = selection.subtitle(f"{n_replicates:,} bootstrap redraws of the indicator basket within themes")
        chart, table = memo(
            "beyond-interval",
            (selection_key(selection), selection.briefing, theme, n_replicates),
            lambda: (
                charts.interval_chart(shown, n_positioned, title, subtitle, style=style(selection)),
                shown.drop(columns=["is_focus"]),
            ),
        )
        show_chart(chart, table, title, key="beyond-interval")
    else:
        st.info(f"No authority has a {escape(theme)} position in {escape(period)}.")
    if theme in focus_rows.index:
        sentence = uncertainty.interval_sentence(
            selection.focus_name, theme, period, focus_rows.loc[theme], n_replicates
        )
        st.markdown(escape(sentence))
    st.caption(
        "**How this is worked out.** Each redraw keeps the authorities and their values but redraws the indicators: "
        "within every theme as many indicators as it has, at random with replacement, so some count twice and "
        "others not at all. Average ranks and positions are recomputed for each redraw exactly as the engine does "
        "(the basket's weights, the balance and the coverage rule included). "
        f"The interval holds the middle {boot.level:.0%} of the redrawn positions (widened to include the "
        "published position in the rare case it falls outside). The draws are seeded, so the same data always "
        "gives the same interval."
    )

    opened_section(
        f"{escape(selection.focus_name)}'s interval on every theme",
        "beyond_every_theme",
        lambda: show_table(
            focus_table,
            hide_index=True,
            key="beyond_focus_intervals",
            column_config={
                "average_rank": st.column_config.NumberColumn("Average rank", format="%.2f"),
                "share_positioned": st.column_config.NumberColumn("Share of redraws with a position", format="percent"),
            },
        ),
    )

    if theme in focus_rows.index and pd.notna(focus_rows.loc[theme, "position"]):
        st.subheader(f"Is {ordinal(focus_rows.loc[theme, 'position'])} really different from its neighbours?")
        ahead = memo(
            "beyond-ahead",
            (*key, theme),
            lambda: _ahead_table(view.overlapping_shares(boot, focus, theme, focus_rows, names), selection.focus_name),
        )
        static_table(ahead, formats=dict.fromkeys(ahead.columns[-3:], "{:.0%}"))  # a few rows: plain HTML
        st.caption(
            "Authorities whose intervals overlap the focus authority's, with the share of redraws in which "
            "the focus authority places ahead, level or behind. Near 50% means the order between them is "
            "not settled by the data."
        )


def _focus_rows(intervals: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the focus authority's interval per theme, and as its table shows them."""
    focus_rows = view.focus_intervals(intervals)
    return focus_rows, view.focus_interval_table(focus_rows)


def _ahead_table(shares: pd.DataFrame, focus_name: str) -> pd.DataFrame:
    """Return the authorities close to the focus as the page shows them: headers in words, the shares last."""
    return people_table(
        shares, {"ahead": f"{focus_name} ahead", "level_with": "Level", "behind": f"{focus_name} behind"}
    )
