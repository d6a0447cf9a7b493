"""Beyond ranks, sections 4 and 5: authorities genuinely like the focus, and which of its
changes are more than year-to-year noise."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from benchmarking.errors import BenchmarkingError
from benchmarking.method import significance, similarity
from benchmarking.method.groups import SIMILAR_PREFIX, SIMILAR_SIZES, available_groups, similar_not_possible_text
from benchmarking.service import beyond_ranks as view
from benchmarking.service.benchmark import context_features, existing_authorities
from pages._cache import benchmark_key, memo
from pages._common import Selection, escape, slug
from pages._tables import show_table
from pages._view_params import url_choice, url_toggle

SIMILAR_WORDS = {
    "population": "Population",
    "deprivation": "IMD score",
    "spend_per_head": "Spend per head (£)",
    "funding_per_head": "Spending power per head (£)",
}
"""The similar authorities' headers, short enough for the table to fit at 1366 pixels (the caption names each)."""


@st.cache_resource(show_spinner="Testing every change against its indicator's noise ...", max_entries=8)
def _significance(key: tuple, _catalogue, _bench) -> pd.DataFrame:
    """Return every change tested against its indicator's noise, once per benchmark ``key``."""
    return significance.significant_change(_bench.travel, _catalogue.indicators)


def draw_similar(selection: Selection, cat, names: dict) -> None:
    """Draw the k most similar authorities and each loaded neighbour list with computed distances."""
    focus = selection.focus
    st.header("Who is genuinely like us?")
    store = benchmark_key(selection)[:2]  # the store's path and version: the features depend on nothing else
    features = memo("beyond-features", store, lambda: context_features(cat))
    max_k = max(1, len(features) - 1)
    sizes = list(range(1, min(20, max_k) + 1))
    k = url_choice("select_slider", "Number of similar authorities", "similar", sizes, min(10, max_k), key="beyond_k")
    period = selection.period  # the k are chosen among the authorities that existed then, as the sidebar's group
    similar = None
    if reason := similar_not_possible_text(features, focus, selection.focus_name):
        st.info(f"No similar authorities can be computed: {escape(reason)}.")
    else:
        try:
            similar = memo(
                "beyond-similar",
                (*store, focus, k, period),
                lambda: view.similar_table(
                    similarity.nearest_neighbours(features, focus, k, existing_authorities(cat, period)), names
                ),
            )
        except BenchmarkingError as error:
            st.error(escape(error))
    if similar is not None:
        # Headers in words, figures with separators (show_table); no number format that would draw a missing
        # figure as 'None'.
        show_table(
            similar,
            SIMILAR_WORDS,
            hide_index=True,
            key="beyond_similar",
            column_config={"distance": st.column_config.NumberColumn("Distance", format="%.2f")},
        )
        used = "; ".join(similarity.FEATURE_LABELS[name] for name in features.columns[1:])
        st.caption(
            f"Distance: root mean square difference of standardised context variables ({used}), "
            "so 1.0 means one standard deviation apart on the typical variable. Spend and funding are the "
            "latest held."
        )
        sizes = ", ".join(str(size) for size in SIMILAR_SIZES)
        choices = available_groups(cat.authorities, cat.comparator_groups, focus)
        example = choices.loc[choices["id"] == f"{SIMILAR_PREFIX}{SIMILAR_SIZES[1]}", "label"]
        named = f" (for example '{escape(example.iloc[0])}')" if len(example) else ""  # as the sidebar names it
        st.info(
            f"The {sizes} authorities most similar to {escape(selection.focus_name)}, computed this way, can be "
            f"chosen as the comparator group in the sidebar{named}."
        )

    own_lists = memo(
        "beyond-own-lists",
        (*store, focus),
        lambda: cat.comparator_groups[cat.comparator_groups["authority_code"] == focus],
    )
    if own_lists.empty:
        st.caption(
            "No published nearest-neighbour list is loaded for this authority (the README says how to load "
            "Oflog's nearest-neighbour lists)."
        )
    for (group_id, name), rows in own_lists.groupby(["group_id", "name"]):
        st.subheader(f"{escape(name)} (loaded list)")
        show_table(
            memo(
                "beyond-loaded-list",
                (*store, focus, group_id),
                lambda rows=rows: view.loaded_list_table(features, focus, list(rows["member_code"]), names),
            ),
            hide_index=True,
            key=f"beyond_list_{slug(str(group_id))}",
            column_config={"distance": st.column_config.NumberColumn("Distance", format="%.2f")},
        )
        st.caption(f"Choose '{escape(name)}' as the comparator group in the sidebar to rank among this list.")


def draw_significance(selection: Selection, cat, bench, cache_key: tuple) -> None:
    """Draw the counts of improved and significant changes, the changes table and the test's method."""
    st.header("Which changes are more than noise?")
    tested = _significance(cache_key, cat, bench)
    changes, counts, arrows = memo(
        "beyond-changes", (*cache_key, selection.period), lambda: _changes(tested, cat, selection)
    )
    columns = st.columns(3)
    columns[0].metric("Improved (arrow)", arrows.get("improved", 0))
    columns[1].metric("Significantly improved", counts.get(significance.SIGNIFICANTLY_IMPROVED, 0))
    columns[2].metric("Significantly worsened", counts.get(significance.SIGNIFICANTLY_WORSENED, 0))
    only_significant = url_toggle("Only significant changes", "significant_only", key="beyond_significant_only")
    show_table(
        memo(
            "beyond-change-table",
            (*cache_key, selection.period, only_significant),
            lambda: view.change_table(changes, only_significant),
        ),
        hide_index=True,
        key="beyond_significance",
        column_config={
            "z": st.column_config.NumberColumn(format="%+.2f"),
            "p_value": st.column_config.NumberColumn("p", format="%.3f"),
        },
    )
    st.caption(
        "**The test.** The Compendium's arrows mark any change of more than 1% and 'do not necessarily represent "
        "statistically significant change'. Here each indicator's usual year-to-year movement is measured across "
        "the comparator group: every authority's change from its previous value, less the group's median change "
        "that year (so a shift that moves everyone is not noise), summarised as a robust standard deviation "
        "(1.4826 × the median absolute deviation, pooled over all years). A change is significant when it exceeds "
        "1.96 of those standard deviations (two-sided, 5%). At 5%, about one unchanged indicator in twenty is "
        "still flagged by chance."
    )


def _changes(tested: pd.DataFrame, cat, selection: Selection):
    """Return the focus's changes into the period, and their counts by result and by arrow."""
    changes = view.focus_changes(tested, cat.indicators, selection.focus, selection.period)
    return (changes, *view.change_counts(changes))
