"""View choices in the URL: a page widget whose value is read from and written to the query string.

The sidebar's selection (focus, period, group, briefing, basket, balance) is kept by
``pages._selection``; this module keeps each page's own choices (theme, comparator axis,
indicator, trend themes and authorities, ...) so that a copied link brings back the whole
view. A value in the URL that is not among the options is never silently replaced: a notice
names it and says what is shown instead, until the reader changes that choice.

A choice equal to its default is left out of the URL, so a plain link stays short.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from pages._kept import toggle_notice
from pages._text import escape


def _from_url(param: str, multi: bool) -> list[str] | str | None:
    """Return the URL's value(s) for ``param`` (None when absent)."""
    if param not in st.query_params:
        return None
    return st.query_params.get_all(param) if multi else st.query_params.get(param)


def _notice_key(key: str) -> str:
    return f"{key}__url_notice"


def _clear_notice(key: str) -> None:
    """Widget callback: the reader has made a choice, so the URL notice no longer applies."""
    st.session_state.pop(_notice_key(key), None)


def _shown(value, format_func: Callable) -> str:
    """Return a value (or list of values) as the widget shows it."""
    if isinstance(value, list):
        return ", ".join(str(format_func(v)) for v in value) or "none"
    return str(format_func(value))


def _initial(options: Sequence, default, param: str, multi: bool, format_func: Callable, label: str, not_offered: str):
    """Return the first value of a choice from the URL (else the default) and a notice for an invalid one."""
    by_text = {str(option): option for option in options}
    raw = _from_url(param, multi)
    if raw is None:
        return default, None
    if multi:
        known = [by_text[v] for v in raw if v in by_text]
        unknown = [v for v in raw if v not in by_text]
        if not unknown:
            return known, None
        value = known or default
        asked = ", ".join(repr(v) for v in unknown)
    else:
        if raw in by_text:
            return by_text[raw], None
        value, asked = default, repr(raw)
    shown = _shown(value, format_func)
    notice = f"The link asks for {label} {asked}, which {not_offered}: showing {shown!r} instead."
    return value, notice


def url_choice(
    kind: str,
    label: str,
    param: str,
    options: Sequence,
    default=None,
    *,
    key: str,
    multi: bool = False,
    format_func: Callable = str,
    notice_label: str | None = None,
    not_offered: str = "this page does not offer",
    where=st,
    **kwargs,
):
    """Draw a widget ``kind`` ("selectbox", "radio", "multiselect", "select_slider") kept in the URL as
    ``param``; return its value.

    The first run reads the URL (an unknown value gives a visible notice naming it and what is
    shown instead); later runs keep the widget's own state; every run writes the value back to
    the URL (left out when it equals ``default``). ``default`` is the first option when None
    (an empty list for ``multi``). The notice says "which ``not_offered``" of a value that is not an option.
    """
    options = list(options)
    if default is None:
        default = [] if multi else (options[0] if options else None)
    by_text = {str(option): option for option in options}
    if key in st.session_state:  # the kept value must still be an option (options can depend on other choices)
        kept = st.session_state[key]
        if multi:
            st.session_state[key] = [v for v in kept if str(v) in by_text]
        elif str(kept) not in by_text:
            st.session_state[key] = default
    else:
        value, notice = _initial(
            options, default, param, multi, format_func, notice_label or label.lower(), not_offered
        )
        most = kwargs.get("max_selections")
        if multi and most and len(value) > most:
            notice = (
                f"The link asks for {len(value)} choices of {notice_label or label.lower()}; showing the first {most}."
            )
            value = value[:most]
        st.session_state[key] = value
        if notice:
            st.session_state[_notice_key(key)] = notice
    notice = st.session_state.get(_notice_key(key))
    if notice:
        where.warning(escape(notice), icon=":material/link_off:")
    value = getattr(where, kind)(
        label, options, key=key, format_func=format_func, on_change=_clear_notice, args=(key,), **kwargs
    )
    _write(param, value, default, multi)
    return value


def drop_url_choice(param: str, *, key: str) -> None:
    """Forget a ``url_choice`` that is not drawn on this run (it depends on another choice): its value, its notice
    and its ``param`` in the URL, so that it starts afresh when it is drawn again."""
    st.session_state.pop(key, None)
    _clear_notice(key)
    if param in st.query_params:
        del st.query_params[param]


def _write(param: str, value, default, multi: bool) -> None:
    """Put the value in the URL, or drop it when it equals the default."""
    if value == default or value is None:
        if param in st.query_params:
            del st.query_params[param]
        return
    if multi:
        texts = [str(v) for v in value]
        if st.query_params.get_all(param) != texts:
            st.query_params[param] = texts
    elif st.query_params.get(param) != str(value):
        st.query_params[param] = str(value)


def url_toggle(label: str, param: str, *, key: str, where=st, **kwargs) -> bool:
    """Draw a toggle kept in the URL as ``param`` ("1" when on, left out when off); return its value."""
    if key not in st.session_state:
        raw = st.query_params.get(param)
        st.session_state[key] = raw == "1"
        if notice := toggle_notice(label.lower(), raw):
            st.session_state[_notice_key(key)] = notice
    notice = st.session_state.get(_notice_key(key))
    if notice:
        where.warning(escape(notice), icon=":material/link_off:")
    value = where.toggle(label, key=key, on_change=_clear_notice, args=(key,), **kwargs)
    _write(param, "1" if value else "0", "0", multi=False)
    return bool(value)
