"""The quadrant's "names on the chart" control: which authorities are named beside their points, kept in the URL as
``labels`` (``focus``, ``ends3``, ``ends5``, ``ends10``, ``all`` or ``chosen``) and, for ``chosen``, ``named`` (a
code each: ``labels=chosen&named=E10000018&named=E10000019``). Both are read as every page's own choices are
(``pages._view_params.url_choice``): a value the chart does not know, or a code it does not draw, is named in a
notice with what is shown instead."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from benchmarking.charts.labels import LABEL_CHOICES, labelled_codes
from pages._view_params import drop_url_choice, url_choice

DEFAULT = "focus"
CODES_KEY = "quadrant_label_codes"


def label_choice(view: pd.DataFrame) -> list[str]:
    """Draw the names-on-the-chart choice (mirrored in the URL); return the codes to name, focus first."""
    names = dict(zip(view["authority_code"], view["name"]))
    left, right = st.columns(2)
    kind = url_choice(
        "selectbox",
        "Names on the chart",
        "labels",
        list(LABEL_CHOICES),
        DEFAULT,
        key="quadrant_labels",
        format_func=LABEL_CHOICES.get,
        where=left,
    )
    chosen: list[str] = []
    if kind == "chosen":
        chosen = url_choice(
            "multiselect",
            "Authorities to name",
            "named",
            sorted(names, key=lambda code: str(names[code])),
            key=CODES_KEY,
            multi=True,
            format_func=lambda code: str(names[code]),
            notice_label="names of",
            not_offered="this chart does not draw",
            where=right,
        )
    else:
        drop_url_choice("named", key=CODES_KEY)
    return labelled_codes(view, kind, chosen)
