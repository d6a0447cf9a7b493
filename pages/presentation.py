"""Presentation: the briefing as a deck of full-screen slides, one idea each, for showing it live.

No page furniture: a one-line step bar ("Presentation · 3 / 17" between the buttons), the
slide, and the dataset in one line at the foot. The slide number is in the URL
(``?slide=3``); the arrow keys, PageUp/PageDown (a clicker) and Home/End step through it.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from benchmarking.briefing.deck import deck_plan, deck_slide, slide_index
from benchmarking.briefing.pack import briefing_setting
from benchmarking.briefing.screens import slide_style
from benchmarking.errors import SlideNotFoundError
from pages._briefing_screen import screen
from pages._cache import memo, selection_key
from pages._common import benchmark, catalogue, current_selection, escape, overview_figures
from pages._deck_draw import FULL_SCREEN_HELP, KEY_HELP, KEYS_JS, TOO_TALL, deck_css, draw_slide, draw_waiting
from pages._kept import widget
from pages._registry import title_of
from pages._text import data_and_sources, dataset_line

selection = current_selection()
st.html(deck_css(selection.briefing))
shown_on = screen()  # the slide is laid out for the screen it is shown on: None until the browser has said
if shown_on is not None and selection.briefing:  # no sidebar in briefing mode, whatever the last report said: the
    shown_on = replace(shown_on, sidebar=0)  # slide is not built again when the browser reports it hidden
# The deck's order and length come from the Overview's figures; only the slide on screen is built (each
# kept per selection), so stepping or a new period never builds every chart. The briefing is never scaled.
unscaled = replace(selection, scaled=False)
key = selection_key(unscaled)
setting = memo(
    "deck-setting",
    key,
    lambda: briefing_setting(
        catalogue(), benchmark(unscaled), selection.period, selection.focus, figures=overview_figures(unscaled)
    ),
)
plan = memo("deck-plan", key, lambda: deck_plan(setting))
count = len(plan)

notice = None
try:
    index = slide_index(st.query_params.get("slide", st.session_state.get("deck_slide")), count)
except SlideNotFoundError as error:
    notice, index = str(error), 0
st.session_state["deck_slide"] = str(index + 1)
if notice is None:
    st.query_params["slide"] = str(index + 1)


def _go(target: int) -> None:
    """Button callback: open slide ``target`` (0-based, kept within the deck) and write it in the URL."""
    number = str(max(0, min(count - 1, target)) + 1)
    st.session_state["deck_slide"] = number
    st.query_params["slide"] = number


def _step(key: str, label: str, icon: str, target: int, disabled: bool) -> None:
    """Draw one step button; the keyboard handler presses it by its key (``deck-<key>``)."""
    st.button(
        label,
        key=f"deck-{key}",
        icon=f":material/{icon}:",
        help=KEY_HELP[key],
        on_click=_go,
        args=(target,),
        disabled=disabled,
    )


slide = None  # the browser reports its window's size at once: the slide is built for it, once
if shown_on is not None:
    drawn_as = replace(setting, style=slide_style(selection.briefing, shown_on))  # charts at the slide's sizes
    slide = memo(
        "deck-slide",
        (key, selection.briefing, shown_on, plan[index]),
        lambda: deck_slide(drawn_as, plan[index], shown_on, selection.briefing),
    )
# Beside the controls a slide keeps the projector's type: where it is then taller than the window (a quadrant at
# 1366x768), the step bar says so and offers the full screen rather than shrink its type or its chart.
too_tall = slide is not None and not selection.briefing and not slide.fits(shown_on, selection.briefing)


def _full_screen() -> None:
    """Button callback: switch briefing mode on (no sidebar, no app header: the slide has the whole window)."""
    st.session_state["sel_briefing"] = True


with st.container(key="deck-bar", horizontal=True, vertical_alignment="center"):
    _step("first", "First", "first_page", 0, index == 0)
    _step("previous", "Previous", "chevron_left", index - 1, index == 0)
    st.subheader(f"{title_of('presentation')} · {index + 1} / {count}", anchor=False, width="content")
    _step("next", "Next", "chevron_right", index + 1, index == count - 1)
    _step("last", "Last", "last_page", count - 1, index == count - 1)
    if too_tall:
        st.button(
            TOO_TALL,
            key="deck-full-screen",
            icon=":material/fullscreen:",
            type="primary",
            help=FULL_SCREEN_HELP,
            on_click=_full_screen,
        )
    if selection.briefing:  # the sidebar is hidden: the way back to the controls
        widget(
            st.toggle,
            "Briefing mode",
            "briefing",
            widget_key="w_briefing_main",
            help="Switch off to show the controls.",
        )

if notice:
    st.warning(escape(notice), icon=":material/link_off:")
for line in selection.notices:  # a basket or balance in the link that the store does not have
    st.warning(escape(line), icon=":material/link_off:")

if slide is None:
    draw_waiting()
else:
    draw_slide(slide, selection.briefing, shown_on)

cat = catalogue()
if cat.is_demo:
    foot = f"⚠ {dataset_line(cat).capitalize()}: invented values, not real performance figures"
else:
    foot = data_and_sources(cat)
if plan[index].kind != "title" or cat.is_demo:  # the title slide names the dataset and its sources in full
    with st.container(key="deck-foot", horizontal=True, vertical_alignment="center"):
        st.caption(escape(foot), help=escape(foot), width="stretch")
st.html(KEYS_JS, unsafe_allow_javascript=True)
