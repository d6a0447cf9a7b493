"""Indicator explorer: the theme filter and the indicator, both kept in the URL (``theme``, ``indicator``)."""

from __future__ import annotations

from collections.abc import Collection

import streamlit as st

from pages._cache import db_path, memo, stamp
from pages._view_params import url_choice

ALL_THEMES = "All themes"


def _ranked(cat):
    """Return the ranked indicators (polarity other than none), by theme and name."""
    return cat.indicators[cat.indicators["polarity"] != "none"].sort_values(["theme", "name"])


def _labels(cat, theme: str) -> dict[str, str]:
    """Return id -> "name (theme)" of the ranked indicators in ``theme`` (every theme for ALL_THEMES), in order."""
    indicators = _ranked(cat)
    if theme != ALL_THEMES:
        indicators = indicators[indicators["theme"] == theme]
    return dict(zip(indicators["id"], indicators["name"] + " (" + indicators["theme"] + ")"))


def choose_indicator(cat, with_figures: Collection[str] = ()) -> str:
    """Draw the theme filter and the indicator chooser; return the chosen ranked indicator's id (stops if none).

    It opens on the first listed indicator of ``with_figures`` (those of the selection's basket with figures in the
    period), else the first listed."""
    store = (db_path(), stamp())
    themes = memo("indicator-themes", store, lambda: [ALL_THEMES, *sorted(_ranked(cat)["theme"].unique())])
    left, right = st.columns([1, 2])
    theme = url_choice("selectbox", "Theme", "theme", themes, key="indicator_theme", where=left)
    labels = memo("indicator-labels", (*store, theme), lambda: _labels(cat, theme))
    if not labels:
        st.info("No ranked indicators in this theme.")
        st.stop()
    return url_choice(
        "selectbox",
        "Indicator (type to search)",
        "indicator",
        list(labels),
        next((i for i in labels if i in with_figures), None),
        key="indicator_id",
        format_func=lambda i: labels[i],
        notice_label="the indicator",
        where=right,
        help="Abbreviations in the chosen indicator's name are spelled out below it.",
    )
