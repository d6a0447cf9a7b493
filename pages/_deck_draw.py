"""Drawing one projected slide of the Presentation deck, its CSS and its keyboard stepping."""

from __future__ import annotations

import streamlit as st

from benchmarking.briefing.deck import DeckSlide, projected_spec
from benchmarking.briefing.screens import SMALLEST, Screen, chart_height
from pages._text import escape

DECK_CSS = """<style>
.block-container {padding-top: 3.9rem !important; padding-bottom: 0.5rem !important; max-width: none !important;}
.st-key-deck-bar [data-testid="stHeading"] h3 {font-size: 1.25rem !important; font-weight: 600; margin: 0;
    padding: 0.35rem 0;}
.st-key-deck-bar {gap: 0.4rem;}
.st-key-deck-slide h2 {font-size: 2.4rem !important; line-height: 1.15; padding: 0 0 0.3rem 0;}
.st-key-deck-slide .stMarkdown p, .st-key-deck-slide li {font-size: 1.6rem !important; line-height: 1.35;}
.st-key-deck-slide [data-testid="stMetricValue"] {font-size: 3rem !important;}
.st-key-deck-slide [data-testid="stMetricLabel"] p {font-size: 1.35rem !important; white-space: normal !important;}
.st-key-deck-slide table {font-size: 1.3rem !important;}
.st-key-deck-slide table td, .st-key-deck-slide table th {padding: 0.3rem 0.6rem !important;}
.st-key-deck-slide [data-testid="stCaptionContainer"] p, .st-key-deck-slide [data-testid="stAlert"] p
    {font-size: 1.25rem !important;}
.st-key-deck-bar button p, .st-key-deck-bar label p {font-size: 1.25rem !important;}
/* The style blocks themselves take no room (their containers would each add a gap). */
[data-testid="stElementContainer"]:has(> [data-testid="stMarkdown"] style) {display: none;}
.st-key-deck-foot [data-testid="stCaptionContainer"] p {font-size: 1.25rem !important; white-space: nowrap;
    overflow: hidden; text-overflow: ellipsis; margin: 0;}
</style>"""

BRIEFING_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"] {display: none;}
.block-container {padding-top: 0.75rem !important;}
</style>"""
"""Briefing mode on the deck: no sidebar and no app header, the slide from the top of the screen."""

# ArrowRight/PageDown, ArrowLeft/PageUp, Home and End press the deck's own buttons, so a
# clicker (which sends PageDown/PageUp) and the keyboard step exactly as the buttons do.
# The handler is replaced, never stacked, on each run; typing in a field is left alone.
KEYS_JS = """<script>
(() => {
  const keys = {ArrowRight: 'next', PageDown: 'next', ArrowLeft: 'previous', PageUp: 'previous',
                Home: 'first', End: 'last'};
  const doc = window.parent ? window.parent.document : document;
  const old = doc.__deckKeys;
  if (old) doc.removeEventListener('keydown', old);
  const onKey = event => {
    const step = keys[event.key];
    if (!step || event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target;
    const typing = 'input, textarea, select, [role="slider"], [role="listbox"], [contenteditable="true"]';
    if (target && target.closest && target.closest(typing)) return;
    const button = doc.querySelector(`.st-key-deck-${step} button`);
    if (!button) return;  // left the Presentation page
    event.preventDefault();
    if (!button.disabled) button.click();
  };
  doc.__deckKeys = onKey;
  doc.addEventListener('keydown', onKey);
})();
</script>"""


def draw_slide(slide: DeckSlide, briefing: bool, screen: Screen = SMALLEST) -> None:
    """Draw a projected slide laid out for ``screen``: its title once, then its cards, chart (as tall as the screen
    leaves room for; its key beside it in ``briefing`` mode, the sidebar hidden), table or sentences."""
    with st.container(key="deck-slide"):
        st.header(escape(slide.title), anchor=False)
        if slide.cards:
            for row in range(0, len(slide.cards), 3):
                for col, (label, value) in zip(st.columns(3), slide.cards[row : row + 3]):
                    col.metric(escape(label), value)
        for line in slide.sentences:
            st.markdown(escape(line))
        if slide.chart is not None:
            spec = projected_spec(slide.chart, chart_height(screen, tall=slide.tall_chart), key_beside=briefing)
            st.vega_lite_chart(spec, width="stretch", theme=None)
        if slide.table is not None:
            st.table(slide.table, hide_index=True)
        if slide.small_print:
            st.caption(" · ".join(escape(line) for line in slide.small_print))
        for line in slide.warnings:
            st.warning(escape(line))


KEY_HELP = {
    "first": "First slide (Home)",
    "previous": "Previous slide (Left arrow or Page Up)",
    "next": "Next slide (Right arrow or Page Down)",
    "last": "Last slide (End)",
}
"""The step buttons' tooltips: the keys that press them."""
