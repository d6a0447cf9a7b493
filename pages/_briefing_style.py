"""Briefing mode's look: text readable from the back of a Cabinet room, and the page furniture
pressed into a few lines so that the main chart starts on the first screen.

The CSS is drawn only in briefing mode (so it is scoped to it), by app.py before the page
runs: it stays in place while one page gives way to the next, so the layout does not jump.
Text sizes follow the viewport width: 1.05vw is 20 px at 1920 px wide (the floor the issue
sets) and keeps the same proportions on a 1366 px projector, where a fixed 20 px would wrap
every line; a 16 px floor keeps small windows legible.
"""

from __future__ import annotations

import streamlit as st

BRIEFING_CSS = """<style>
:root {--briefing-text: max(16px, 1.05vw); --briefing-title: max(26px, 1.9vw); --briefing-value: max(28px, 2.1vw);}
/* The controls live in the sidebar; in briefing mode the page links are in the header instead. */
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"]
    {display: none !important;}
.block-container, [data-testid="stMainBlockContainer"]
    {padding: 4rem 2rem 2rem !important; max-width: none !important;}
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] {gap: 0.55rem;}
/* Every visible text at least the briefing size. */
[data-testid="stMain"] :is(p, li, label, td, th, span, div, summary, button, a, input, small, code),
[data-testid="stHeader"] :is(a, span, p, button), [data-testid="stTooltipContent"] *, [data-testid="stPopoverBody"] *
    {font-size: max(var(--briefing-text), 1em);}
[data-testid="stMain"] :is(p, li, td, th, label, summary) {line-height: 1.35;}
[data-testid="stMarkdownContainer"] p {margin-bottom: 0.3rem;}
/* Streamlit pulls every Markdown block up by 1rem to take back the 1rem under its last paragraph or heading; with
   the smaller margins here that pulled text into what follows (an alert's last line out of its box, a heading onto
   the line below it). Each block ends where its text ends instead. */
[data-testid="stMain"] [data-testid="stMarkdownContainer"] {margin-bottom: 0 !important;}
[data-testid="stMain"] [data-testid="stMarkdownContainer"] > :last-child {margin-bottom: 0 !important;}
[data-testid="stMain"] [data-testid="stAlertContainer"] {padding: 0.45rem 0.9rem !important;}
[data-testid="stMain"] h1 {font-size: var(--briefing-title) !important; padding: 0 !important;}
[data-testid="stMain"] :is(h2, h3)
    {font-size: calc(var(--briefing-title) * 0.8) !important; padding: 0.25rem 0 !important;}
[data-testid="stMain"] [data-testid="stIconMaterial"] {font-size: calc(var(--briefing-text) * 1.1) !important;}
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * {font-size: var(--briefing-value) !important;}
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] *, [data-testid="stMetricDelta"],
[data-testid="stMetricDelta"] * {font-size: var(--briefing-text) !important;}
/* Metric and card labels wrap rather than end in an ellipsis ("(1st = hig..."). */
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * {white-space: normal !important;
    overflow: visible !important; text-overflow: clip !important;}
/* HTML tables (st.table, the focus tables) at the briefing size. */
[data-testid="stTable"] :is(td, th), [data-testid="stTableStyledTable"] :is(td, th)
    {font-size: var(--briefing-text) !important; padding: 0.25rem 0.6rem !important;}
/* They wrap within the page rather than scroll sideways (a scrolling region a keyboard cannot reach). */
[data-testid="stTable"] :is(td, th) {white-space: normal !important; overflow-wrap: anywhere;}
[data-testid="stTable"] > div {overflow: visible !important;}
/* Plain HTML tables (pages._tables.static_table) too, at the text's size (a fixed 1.35rem made the league table
   wider than a 1366 px page), and the league table drawn whole. */
table.static-table :is(td, th) {font-size: var(--briefing-text) !important; padding: 0.3rem 0.4rem !important;}
.league-table {max-height: none !important;}
.league-table table.static-table td {white-space: normal !important;}
/* The header's page links: compact, one line, the current page marked by more than colour. */
[data-testid="stTopNavLink"] {padding: 0.1rem 0.4rem !important; gap: 0 !important;}
[data-testid="stTopNavLink"] > span:has([data-testid="stIconMaterial"]) {display: none;}
[data-testid="stHeader"] a[aria-current="page"], [data-testid="stHeader"] a[aria-selected="true"]
    {text-decoration: underline; text-underline-offset: 0.3em; text-decoration-thickness: 3px;}
/* The key listener's marker and the page-furniture chips take no room. */
[data-testid="stElementContainer"]:has(#briefing-keys) {display: none;}
</style>"""


def briefing_requested() -> bool:
    """Return whether this run is in briefing mode: the kept choice, else ``?briefing=1`` in the URL."""
    if "sel_briefing" in st.session_state:
        return bool(st.session_state["sel_briefing"])
    return st.query_params.get("briefing") == "1"


def apply_briefing_style(briefing: bool) -> None:
    """Draw the briefing CSS when ``briefing`` is on (returns None)."""
    if briefing:
        st.html(BRIEFING_CSS)
