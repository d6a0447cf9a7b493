"""The quadrant's "names on the chart" control: which authorities are named beside their points,
kept in the URL as ``labels`` (``focus``, ``ends3``, ``ends5``, ``ends10``, ``all``, or
``chosen:<code>,<code>``)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from benchmarking.charts.labels import LABEL_CHOICES, labelled_codes
from benchmarking.text.formatting import names_text
from pages._text import escape

KEY = "labels"
DEFAULT = "focus"


def _from_url(codes: dict[str, str]) -> tuple[str, list[str], str | None]:
    """Return the URL's choice, its chosen codes among ``codes`` (code -> name, the authorities drawn) and a notice
    when the URL's value is not known or names codes the chart does not draw."""
    raw = st.query_params.get(KEY, DEFAULT)
    kind, _, listed = raw.partition(":")
    chosen = [code for code in listed.split(",") if code in codes]
    if kind not in LABEL_CHOICES:
        return (
            DEFAULT,
            [],
            f"The link asks for the names {raw!r}, which the chart does not know: naming the focus only.",
        )
    unknown = [code for code in listed.split(",") if code and code not in codes]
    if not unknown:
        return kind, chosen, None
    asked = ", ".join(repr(code) for code in unknown)
    instead = names_text([str(codes[code]) for code in chosen]) if chosen else "the focus only"
    return kind, chosen, f"The link asks to name {asked}, which this chart does not draw: naming {instead} instead."


def label_choice(view: pd.DataFrame) -> list[str]:
    """Draw the names-on-the-chart choice (mirrored in the URL); return the codes to name, focus first."""
    names = dict(zip(view["authority_code"], view["name"]))
    if "quadrant_labels" not in st.session_state:
        kind, chosen, notice = _from_url(names)
        st.session_state["quadrant_labels"] = kind
        st.session_state["quadrant_label_codes"] = chosen
        if notice:
            st.warning(escape(notice), icon=":material/link_off:")
    st.session_state["quadrant_label_codes"] = [c for c in st.session_state["quadrant_label_codes"] if c in names]
    left, right = st.columns(2)
    kind = left.selectbox(
        "Names on the chart", list(LABEL_CHOICES), format_func=LABEL_CHOICES.get, key="quadrant_labels"
    )
    chosen: list[str] = []
    if kind == "chosen":
        chosen = right.multiselect(
            "Authorities to name",
            sorted(names, key=lambda code: str(names[code])),
            format_func=lambda code: str(names[code]),
            key="quadrant_label_codes",
        )
    value = kind + (":" + ",".join(chosen) if chosen else "")
    if value == DEFAULT:
        if KEY in st.query_params:
            del st.query_params[KEY]
    elif st.query_params.get(KEY) != value:
        st.query_params[KEY] = value
    return labelled_codes(view, kind, chosen)
