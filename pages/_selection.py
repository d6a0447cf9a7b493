"""The selection: the shared sidebar's widgets, kept in session state and mirrored in the URL."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import streamlit as st

from benchmarking.errors import BenchmarkingError
from benchmarking.method.baskets import ALL_PUBLISHED, ALL_PUBLISHED_NAME, BALANCES, INDICATORS, resolve_basket
from benchmarking.method.groups import needs_period
from benchmarking.method.periods import as_reported
from benchmarking.service.benchmark import (
    beside_note,
    comparator_group,
    group_not_offered_text,
    neighbour_list_note,
    offered_groups,
)
from pages._cache import catalogue, db_path, group_counts, memo, stamp
from pages._kept import keep, keep_toggle, widget
from pages._link_names import unknown_names_notice
from pages._method_choice import draw_method, keep_method, method_choices, mirror_method
from pages._navigation import ensure_entry_run
from pages._text import dataset_line, escape


@dataclass(frozen=True)
class Selection:
    """What the user has chosen: focus authority, period, comparator group, display options."""

    focus: str
    focus_name: str
    period: str
    group_id: str
    group_label: str
    group_size: int
    briefing: bool
    scaled: bool = False
    beside_note: str | None = None
    """Set when the focus is not a group member: it is shown beside the group, not ranked in it."""
    basket: str = ALL_PUBLISHED
    """The id of the basket of indicators the positions are computed over (``method.baskets``)."""
    basket_name: str = ALL_PUBLISHED_NAME
    balance: str = INDICATORS
    """How Overall and LA Core weigh the themes: ``indicators`` (the Compendium's rule) or ``themes``."""
    weighing: str | None = None
    """How the positions weigh the basket's indicators in words, naming its weights (``baskets.balance_text``);
    None: ``BALANCES[balance]``, a basket without weights."""
    notices: tuple[str, ...] = ()
    """Plain-text notices about the URL (a focus, period, group, basket or balance it named that the store does not
    have, ``_kept.keep``; a briefing value neither 1 nor 0, ``_kept.keep_toggle``)."""

    def basis(self) -> str:
        """Return what the positions are averaged over, in words (plain text: escape before drawing)."""
        return f"Positions over '{self.basket_name}', {self.weighing or BALANCES[self.balance]}"

    def subtitle(self, extra: str = "") -> str:
        """Return a chart subtitle naming the group and its size in the period (``_cache.group_counts``)."""
        beside = f"; {self.focus_name} shown beside it, not ranked in it" if self.beside_note else ""
        parts = [f"Comparator group: {self.group_label} ({group_counts(self).text()}){beside}"]
        if extra:
            parts.append(extra)
        if (self.basket, self.balance) != (ALL_PUBLISHED, INDICATORS):  # a chart saved as PNG says its basis
            parts.append(self.basis())
        return ". ".join(parts)


_PARAMS = ("focus", "period", "group", "briefing")
"""Selection keys; each is kept in session state as ``sel_<key>`` (which survives page
switches, unlike widget state) and mirrored in the URL query string as ``<key>``."""


def sidebar() -> Selection:
    """Draw the shared controls (in app.py, so they persist across pages) and return the selection."""
    cat = catalogue()
    store = (db_path(), stamp())
    codes, names, periods, default_focus, choices = memo("sidebar-choices", store, lambda: _choices(cat))
    if not periods:
        st.error("The store holds no indicator values yet: load some on the Data import page.")
        st.stop()

    _mend_link(cat, periods)
    notices = [  # a value in the link that the store does not have is named, never dropped silently
        unknown_names_notice(),
        keep_toggle("briefing", "briefing mode"),
        keep("focus", names, default_focus, "focus authority"),
    ]
    focus = st.session_state["sel_focus"]  # the period opened on is one the focus existed in
    opening = memo("opening-period", (*store, focus), lambda: cat.default_period_for(focus)) or periods[-1]
    notices.append(keep("period", dict(zip(periods, periods)), opening))
    group_labels = memo("groups", (*store, focus), lambda: _group_labels(cat, focus))
    notices.append(_group_notice(cat, group_labels))
    notices = (*filter(None, notices), *keep_method(choices))

    with st.sidebar:
        st.header("Compare")
        widget(st.selectbox, "Focus authority", "focus", options=codes, format_func=lambda c: names.get(c, c))
        widget(st.selectbox, "Period", "period", options=periods)
        widget(
            st.selectbox, "Comparator group", "group", options=list(group_labels), format_func=lambda g: group_labels[g]
        )
        group_id = st.session_state["sel_group"]
        if note := memo("group-note", (*store, group_id, focus), lambda: neighbour_list_note(cat, group_id, focus)):
            st.caption(escape(note))  # a published list the store holds in part says whom it leaves out
        draw_method(choices)
        if not st.session_state["sel_briefing"]:  # in briefing mode the toggle moves to the page top
            widget(
                st.toggle,
                "Briefing mode (for the projector)",
                "briefing",
                help="Hides these controls and enlarges titles and axis text; "
                "switch off with the toggle at the top of the page.",
            )
        st.caption(f"Data: {escape(dataset_line(cat))}")

    for key in _PARAMS:
        value = st.session_state[f"sel_{key}"]
        value = ("1" if value else "0") if key == "briefing" else value
        if st.query_params.get(key) != value:
            st.query_params[key] = value
    mirror_method()

    group_id = st.session_state["sel_group"]
    focus = st.session_state["sel_focus"]
    try:  # the group and the note beside it, once per store version, group and focus
        period = st.session_state["sel_period"] if needs_period(group_id) else None  # a similar group's authorities
        group, beside = memo("group", (*store, group_id, focus, period), lambda: _group(cat, group_id, focus, period))
    except BenchmarkingError as error:
        st.error(escape(error))
        st.stop()
    basket, balance = st.session_state["sel_basket"], st.session_state["sel_balance"]
    return Selection(
        focus=focus,
        focus_name=names[focus],
        period=st.session_state["sel_period"],
        group_id=group_id,
        group_label=group.label,
        group_size=group.size,
        briefing=bool(st.session_state["sel_briefing"]),
        beside_note=beside,
        basket=basket,
        basket_name=memo("basket-label", (*store, basket), lambda: resolve_basket(cat.baskets, basket).label()),
        balance=balance,
        weighing=choices["basis"][basket][balance],
        notices=notices,
    )


def _choices(cat) -> tuple[list[str], dict[str, str], list[str], str, dict[str, dict[str, str]]]:
    """Return the sidebar's options, once per store version: authority codes, their names, the reporting
    periods, the default focus and the method choices (basket and balance)."""
    authorities = cat.authorities
    names = dict(zip(authorities["code"], authorities["name"]))
    return list(authorities["code"]), names, cat.period_labels, cat.default_focus(), method_choices(cat)


def _mend_link(cat, periods: list[str]) -> None:
    """Read a link's focus and period as the command line does: a code in any case or a name
    (``Catalogue.resolve_focus``), a publisher's year written as its reporting period ("2022-23" as 2022/23)."""
    focus, period = st.query_params.get("focus"), st.query_params.get("period")
    if focus is not None and focus not in set(cat.authorities["code"]):
        with contextlib.suppress(BenchmarkingError):  # else kept unknown: the sidebar names it (``_kept.keep``)
            st.query_params["focus"] = cat.resolve_focus(focus)
    if period is not None and period not in periods:
        (written,) = as_reported([period], periods)
        if written in periods:
            st.query_params["period"] = written


def _group_labels(cat, focus: str) -> dict[str, str]:
    """Return the comparator groups offered with ``focus`` (id -> label with its size), in the offered order."""
    groups = offered_groups(cat, focus)
    return dict(zip(groups["id"], groups["label"] + " (" + groups["size"].astype(str) + ")"))


def _group_notice(cat, group_labels: dict[str, str]) -> str | None:
    """Keep the group (``keep``) and return the link's notice: a neighbour list the store holds for other
    authorities, not for the focus, or a similar group around a focus with no context figures, is said so
    (``benchmark.group_not_offered_text``) with what is shown instead."""
    notice = keep("group", group_labels, "all", "comparator group")
    asked = st.query_params.get("group", "")
    reason = notice and group_not_offered_text(cat, asked, st.session_state["sel_focus"])
    if not reason:
        return notice
    return f"The link asks for the comparator group {asked!r}, but {reason}: showing '{group_labels['all']}' instead."


def _group(cat, group_id: str, focus: str, period: str | None):
    """Return the comparator group (a similar one among the authorities of ``period``) and the note when the focus
    is beside it (None when it is a member)."""
    group = comparator_group(cat, group_id, focus, period)
    return group, beside_note(cat, group)


def current_selection() -> Selection:
    """Draw the shared sidebar and return the selection; every page starts with this call.

    The sidebar is drawn by the page rather than by app.py because Streamlit can run a page
    script on its own (its legacy ``pages/`` folder mode, see pages/_navigation.py); drawing
    it here keeps the controls identical either way. ``ensure_entry_run`` reruns through
    app.py when this run did not start there.
    """
    ensure_entry_run()
    return sidebar()  # app.py has already made sure the store exists, once per run
