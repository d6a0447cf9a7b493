"""Kept choices: a sidebar value (or a page's choice that must outlive runs that do not draw its widget) lives
in session state as ``sel_<key>`` (which survives page switches, unlike widget state), starts from the URL
when valid, and is redrawn by ``widget``."""

from __future__ import annotations

import streamlit as st


def initial(key: str, options: list[str], default: str) -> str:
    """Return the kept value, else the URL's value if valid, else the default."""
    kept = st.session_state.get(f"sel_{key}")
    if kept in options:
        return kept
    from_url = st.query_params.get(key)
    return from_url if from_url in options else default


def _keep(key: str, widget_key: str) -> None:
    """Widget callback: copy the widget's new value into the kept selection."""
    st.session_state[f"sel_{key}"] = st.session_state[widget_key]


def widget(kind, label: str, key: str, widget_key: str | None = None, **kwargs):
    """Draw a widget whose value is the kept selection and that updates it when changed; return its value."""
    widget_key = widget_key or f"w_{key}"
    st.session_state[widget_key] = st.session_state[f"sel_{key}"]
    return kind(label, key=widget_key, on_change=_keep, args=(key, widget_key), **kwargs)
