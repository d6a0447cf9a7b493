"""The page frame: base CSS, briefing mode, the title with the selection in words, the data banner."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from benchmarking.datasets.demo import DEMO_LABEL
from pages._cache import catalogue, group_counts
from pages._registry import title_of
from pages._selection import Selection, widget
from pages._text import dataset_line, escape


def apply_briefing_mode(selection: Selection) -> None:
    """In briefing mode, draw the switch that leaves it (the CSS and the page links are drawn by app.py)."""
    if not selection.briefing:
        return
    widget(
        st.toggle,
        "Briefing mode",
        "briefing",
        widget_key="w_briefing_main",
        help="Switch off to show the controls again. Arrow keys or PageUp/PageDown step through the pages.",
    )


BASE_CSS = """<style>
/* Captions and widget help in Streamlit's default grey (#828180) fall short of WCAG's 4.5:1. */
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] *, .stCaption, .stCaption *,
[data-testid="stWidgetLabel"] p, [data-testid="stMetricLabel"] p {color: #4A4A4A !important; opacity: 1 !important;}
/* A card's label and value wrap rather than ending in an ellipsis at 1366 px ("Lowest of 33 (2020-21)"). */
[data-testid="stMetricValue"], [data-testid="stMetricValue"] *, [data-testid="stMetricLabel"],
[data-testid="stMetricLabel"] * {white-space: normal !important;
    overflow: visible !important; text-overflow: clip !important;}
/* Keyboard focus always visible (WCAG 2.4.7): Streamlit shows only a faint tint on page links and
   list options, nothing on the main area, and drops a selectbox's frame after a choice. */
[data-testid="stSidebarNavLink"]:focus-visible, [data-testid="stMain"]:focus-visible, a:focus-visible,
button:focus-visible {outline: 3px solid #1F4E79 !important; outline-offset: -3px !important;}
[role="option"][data-focused="true"] {outline: 3px solid #1F4E79 !important; outline-offset: -3px !important;}
[data-testid="stSelectbox"]:focus-within, [data-testid="stMultiSelect"]:focus-within
    {outline: 3px solid #1F4E79 !important; outline-offset: 3px !important; border-radius: 4px;}
/* Plain HTML tables (pages._tables.static_table), in Streamlit's table look. */
table.static-table {border-collapse: collapse; width: 100%; margin: 0 0 1rem 0; font-size: 0.875rem; color: #31333F;}
table.static-table :is(th, td) {border-bottom: 1px solid #D5D6D9; padding: 0.3rem 0.5rem; text-align: left;
    vertical-align: top; overflow-wrap: anywhere;}
table.static-table thead th {font-weight: 600; border-bottom: 2px solid #A3A8B4;}
table.static-table tbody th {font-weight: 600;}
table.static-table .number {text-align: right; white-space: nowrap;}
/* The Data import page's tables (problems, changes, coverage): the text wraps between words; a file, column or period
   label breaks only where it must (a problem's message, the last column, anywhere). */
.import-table table.static-table :is(th, td):not(:last-child) {overflow-wrap: break-word;}
/* A static table drawn with between_words (Beyond ranks' baskets): every cell wraps at spaces, so the columns are at
   least as wide as their longest word. */
.words-table table.static-table :is(th, td) {overflow-wrap: break-word;}
/* The Theme rankings league table: a region of its own height, scrolled by mouse or keyboard, with the header
   and the Authority column in view; cells on one line, headers wrapped between words (briefing mode draws it
   whole). */
.league-table {max-height: 36rem; overflow: auto; margin-bottom: 1rem;}
.league-table:focus-visible {outline: 3px solid #1F4E79; outline-offset: 2px;}
.league-table table.static-table {margin: 0;}
.league-table table.static-table :is(th, td) {overflow-wrap: normal;}
.league-table table.static-table td {white-space: nowrap;}
.league-table thead th {position: sticky; top: 0; z-index: 2; background: #FFFFFF; vertical-align: bottom;
    border-bottom: none; box-shadow: inset 0 -2px 0 #A3A8B4;}
.league-table :is(thead th, tbody td):first-child {position: sticky; left: 0; background-color: #FFFFFF;}
.league-table thead th:first-child {z-index: 3;}
.league-table tbody td:first-child {z-index: 1; box-shadow: inset -1px 0 0 #D5D6D9;}
</style>"""


def page_header(page: str, selection: Selection) -> None:
    """Draw the registered title of ``page`` (its file stem), the selection in words, and the demo banner.

    In briefing mode the frame is pressed into three short lines (title beside the switch, the
    selection, the data line) so that the page's chart starts on the first screen.
    """
    if selection.briefing:
        title_column, switch_column = st.columns([5, 1], vertical_alignment="center")
        title_column.title(title_of(page))
        with switch_column:
            apply_briefing_mode(selection)
    else:
        st.title(title_of(page))
    counts = group_counts(selection)
    chosen = (
        f"**{escape(selection.focus_name)}** · {escape(selection.period)} · comparator group: "
        f"{escape(selection.group_label)} ({escape(counts.text())})"
    )
    if selection.briefing:  # the basis on demand, in the line's tooltip
        st.caption(chosen, help=escape(selection.basis()))
    else:
        st.caption(f"{chosen} · {escape(selection.basis())}")
    for notice in selection.notices:  # a sidebar value in the link that the store does not have, or a bad toggle
        st.warning(escape(notice), icon=":material/link_off:")
    if selection.beside_note:  # the focus is not a member: say so on every page
        st.info(escape(selection.beside_note), icon=":material/call_split:")
    demo_banner(selection.briefing)


def opened_section(label: str, key: str, draw: Callable[[], None]) -> None:
    """Draw an expander, and ``draw()`` inside it only when the user has opened it (returns None).

    What a closed section would hold is neither built nor sent, so it costs the page nothing: a data grid in
    a closed expander still costs the browser the grid's code, its layout and its first paint. Opening reruns
    the page (the expander's state is kept under ``key``)."""
    section = st.expander(label, key=key, on_change="rerun")
    if section.open:
        with section:
            draw()


def demo_banner(briefing: bool = False) -> None:
    """Say plainly what data is on screen: the illustrative demo, or the named real sources.

    In briefing mode each is one short line: the real sources are named in the line's tooltip.
    """
    cat = catalogue()
    if not cat.is_demo:
        label = dataset_line(cat)
        sources = cat.settings.get("sources")
        if briefing:
            st.caption(f"**Data:** {escape(label)}", help=f"Sources: {escape(sources)}" if sources else None)
        else:
            st.caption(f"**Data:** {escape(label)}" + (f". Sources: {escape(sources)}" if sources else ""))
        return
    if briefing:
        st.warning(
            f"**{DEMO_LABEL.capitalize()}**: invented values, not real performance figures.",
            icon=":material/science:",
        )
        return
    st.warning(
        f"**{DEMO_LABEL.capitalize()}.** The values are invented by the project's own generator "
        "(except Leicestershire's published 2020/21 and 2021/22 dashboard values); "
        "they are not real performance figures.",
        icon=":material/science:",
    )
