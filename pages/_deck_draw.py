"""Drawing one projected slide of the Presentation deck, its CSS and its keyboard stepping."""

from __future__ import annotations

import streamlit as st

from benchmarking.briefing.deck import DeckSlide, projected_spec
from benchmarking.briefing.screens import FRAMES, SMALLEST, TYPE, Screen
from pages._text import escape

_CSS = """<style>
[data-testid="stMain"] [data-testid="stMainBlockContainer"] {padding-top: %(top)spx !important;
    padding-bottom: %(bottom)spx !important; max-width: none !important;}
[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"], [data-testid="stMain"] .st-key-deck-slide
    {gap: %(gap)spx !important;}
[data-testid="stMain"] .st-key-deck-bar {gap: 0.4rem; height: %(bar)spx; min-height: %(bar)spx;}
.st-key-deck-bar [data-testid="stHeading"] h3 {font-size: 1.25rem !important; font-weight: 600; margin: 0;
    padding: 0.35rem 0;}
.st-key-deck-bar button p, .st-key-deck-bar label p {font-size: 1.25rem !important;}
[data-testid="stMain"] .st-key-deck-slide h2 {font-size: %(title)spx !important;
    line-height: %(title_line)spx !important; padding: %(title_padding)spx 0 !important; margin: 0 !important;}
[data-testid="stMain"] .st-key-deck-slide .stMarkdown [data-testid="stMarkdownContainer"] :is(p, li)
    {font-size: %(sentence)spx !important; line-height: %(sentence_line)spx !important; margin: 0 !important;}
/* The cards and tables in the slide's own sizes, in briefing mode too (whose rules for every page are less
   specific). */
[data-testid="stMain"] .st-key-deck-slide :is([data-testid="stMetricValue"], [data-testid="stMetricValue"] *)
    {font-size: %(card_value)spx !important; line-height: 1.25 !important;}
[data-testid="stMain"] .st-key-deck-slide :is([data-testid="stMetricLabel"], [data-testid="stMetricLabel"] *)
    {font-size: %(card_label)spx !important; white-space: normal !important;}
[data-testid="stMain"] .st-key-deck-slide [data-testid="stTable"] :is(td, th) {font-size: %(table)spx !important;
    line-height: %(table_line)spx !important; padding: %(cell_padding)spx %(cell_side)spx !important;}
/* Streamlit pulls a Markdown block or caption up by 1rem to take back its last paragraph's margin, which is 0 here. */
[data-testid="stMain"] :is(.st-key-deck-slide, .st-key-deck-foot)
    :is([data-testid="stCaptionContainer"], [data-testid="stMarkdownContainer"]) {margin-bottom: 0 !important;}
[data-testid="stMain"] :is(.st-key-deck-slide, .st-key-deck-foot) [data-testid="stCaptionContainer"] p,
[data-testid="stMain"] .st-key-deck-slide [data-testid="stAlertContainer"] [data-testid="stMarkdownContainer"] p
    {font-size: %(print)spx !important; line-height: %(print_line)spx !important; margin: 0 !important;}
[data-testid="stMain"] .st-key-deck-slide [data-testid="stAlertContainer"]
    {padding: %(warning_padding)spx %(warning_side)spx !important;}
.st-key-deck-foot [data-testid="stCaptionContainer"] p {white-space: nowrap; overflow: hidden; text-overflow: ellipsis;}
/* The style blocks and the key handler's script take no room (their containers would each add a gap). */
[data-testid="stElementContainer"]:has(> [data-testid="stMarkdown"] style),
[data-testid="stElementContainer"]:has(> [data-testid="stHtml"] > script:only-child) {display: none;}
</style>"""
_BRIEFING_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"] {display: none;}
</style>"""


def deck_css(briefing: bool) -> str:
    """Return the deck's CSS: the slide set in the type and spacing ``screens.slide_heights`` counts on
    (``screens.TYPE``) within the page's frame (``screens.FRAMES``), and in ``briefing`` mode no sidebar and no app
    header, the slide from the top of the screen."""
    frame = FRAMES[briefing]
    sizes = {
        "top": frame.top,
        "bottom": frame.bottom,
        "gap": TYPE.gap,
        "bar": TYPE.bar,
        "title": TYPE.title[0],
        "title_line": TYPE.title[1],
        "title_padding": TYPE.title_padding,
        "sentence": TYPE.sentence[0],
        "sentence_line": TYPE.sentence[1],
        "print": TYPE.small_print[0],
        "print_line": TYPE.small_print[1],
        "warning_padding": TYPE.warning_padding[0],
        "warning_side": TYPE.warning_padding[1],
        "card_value": TYPE.card[1],
        "card_label": TYPE.card[0],
        "table": TYPE.table[0],
        "table_line": TYPE.table[1],
        "cell_padding": TYPE.cell_padding[0],
        "cell_side": TYPE.cell_padding[1],
    }
    return _CSS % sizes + (_BRIEFING_CSS if briefing else "")


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
    """Draw a projected slide laid out for ``screen``: its title once, then its cards, chart (in the room its words
    leave on the screen, ``DeckSlide.heights``; its key beside it in ``briefing`` mode, the sidebar hidden), table or
    sentences."""
    with st.container(key="deck-slide"):
        st.header(escape(slide.title), anchor=False)
        if slide.cards:
            for row in range(0, len(slide.cards), 3):
                for col, (label, value) in zip(st.columns(3), slide.cards[row : row + 3]):
                    col.metric(escape(label), value)
        for line in slide.sentences:
            st.markdown(escape(line))
        if slide.chart is not None:
            room = slide.heights(screen, briefing)["chart"]
            spec = projected_spec(slide.chart, room, key_beside=briefing)
            st.vega_lite_chart(spec, width="stretch", theme=None)
        if slide.table is not None:
            st.table(slide.table, hide_index=True)
        if slide.small_print:
            st.caption(" · ".join(escape(line) for line in slide.small_print))
        for line in slide.warnings:
            st.warning(escape(line))


def draw_waiting() -> None:
    """Draw the slide's place while the browser has not yet said how large its window is (returns None)."""
    with st.container(key="deck-waiting"):
        st.caption("Laying the slide out for this screen …")


TOO_TALL = "Too tall: full screen"
"""The button beside the step buttons when a slide in the projector's type is taller than the room the controls
leave: it says so, and offers the full screen."""
FULL_SCREEN_HELP = (
    "The slide is set in type large enough to read from the back of the room, and at this window's size it does not"
    " fit beside the sidebar and the app's header. Full screen switches briefing mode on: no sidebar, no header, the"
    " slide fitted to the whole window. The Briefing mode switch beside the step buttons brings the controls back."
)
"""The Full screen button's tooltip: why it is offered and how to get the controls back."""

KEY_HELP = {
    "first": "First slide (Home)",
    "previous": "Previous slide (Left arrow or Page Up)",
    "next": "Next slide (Right arrow or Page Down)",
    "last": "Last slide (End)",
}
"""The step buttons' tooltips: the keys that press them."""
