"""Kept choices: a sidebar value (or a page's choice that must outlive runs that do not draw its widget) lives
in session state as ``sel_<key>`` (which survives page switches, unlike widget state), starts from the URL
when valid (``keep`` says when the URL named a value that is not), and is redrawn by ``widget``."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st


def initial(key: str, options: list[str], default: str) -> str:
    """Return the kept value, else the URL's value if valid, else the default."""
    kept = st.session_state.get(f"sel_{key}")
    if kept in options:
        return kept
    from_url = st.query_params.get(key)
    return from_url if from_url in options else default


def keep(key: str, options: Mapping[str, str], default: str, noun: str | None = None) -> str | None:
    """Set the kept ``key`` (``initial``) among ``options`` (value -> label as shown); return a plain-text notice
    when the URL names a value not among them and no valid value is kept: what the link asked for (as the
    ``noun``, ``key`` by default) and what is shown instead, else None. The value is from the URL: escape it."""
    from_url = st.query_params.get(key)
    notice = None
    if from_url is not None and from_url not in options and st.session_state.get(f"sel_{key}") not in options:
        notice = (
            f"The link asks for the {noun or key} {from_url!r}, which this store does not have: "
            f"showing '{options[default]}' instead."
        )
    st.session_state[f"sel_{key}"] = initial(key, list(options), default)
    return notice


def toggle_notice(noun: str, raw: str | None) -> str | None:
    """Return the notice for a toggle's URL value that is neither "1" (on) nor "0" (off), which is shown off: what
    the link asked for (as the ``noun``) and what is shown instead; None for a valid or absent value. ``raw`` is
    from the URL: escape it."""
    if raw in (None, "0", "1"):
        return None
    return f"The link asks for {noun} {raw!r}, which is neither 1 (on) nor 0 (off): showing it off."


def keep_toggle(key: str, noun: str) -> str | None:
    """Set the kept on/off ``key`` from the URL on a session's first run ("1" is on, anything else off); return the
    notice for a URL value that is neither 1 nor 0 (``toggle_notice``), else None."""
    if f"sel_{key}" in st.session_state:
        return None
    raw = st.query_params.get(key)
    st.session_state[f"sel_{key}"] = raw == "1"
    return toggle_notice(noun, raw)


def _keep(key: str, widget_key: str) -> None:
    """Widget callback: copy the widget's new value into the kept selection, if the widget is the one last drawn
    for it. A choice drawn in two places (briefing mode's toggle: in the sidebar, or at the page top once the sidebar
    is hidden) can hear from the other: the browser may send the hidden widget's old value with the next rerun, and
    Streamlit, which forgot that widget when it was not drawn, calls it a change (briefing mode switched itself
    off again after 'Too tall: full screen')."""
    if st.session_state.get(f"drawn_{key}", widget_key) == widget_key:
        st.session_state[f"sel_{key}"] = st.session_state[widget_key]


def widget(kind, label: str, key: str, widget_key: str | None = None, **kwargs):
    """Draw a widget whose value is the kept selection and that updates it when changed; return its value."""
    widget_key = widget_key or f"w_{key}"
    st.session_state[f"drawn_{key}"] = widget_key
    st.session_state[widget_key] = st.session_state[f"sel_{key}"]
    return kind(label, key=widget_key, on_change=_keep, args=(key, widget_key), **kwargs)
