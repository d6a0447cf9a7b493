"""Presentation: the briefing one screen at a time, with previous and next, for showing it live."""

from __future__ import annotations

import streamlit as st

from pages._common import briefing, current_selection, draw_chart, escape, page_header

selection = current_selection()
page_header("presentation", selection)
pack = briefing(selection)
slides = pack.slides
count = len(slides)
index = min(st.session_state.get("slide", 0), count - 1)


def _go(step: int) -> None:
    st.session_state["slide"] = max(0, min(count - 1, st.session_state.get("slide", 0) + step))


left, middle, right = st.columns([1, 4, 1])
left.button("◀ Previous", on_click=_go, args=(-1,), disabled=index == 0, key="slide-previous", width="stretch")
middle.progress((index + 1) / count, text=f"Slide {index + 1} of {count}")
right.button("Next ▶", on_click=_go, args=(1,), disabled=index == count - 1, key="slide-next", width="stretch")

slide = slides[index]
st.header(escape(slide.title))
if slide.subtitle:
    st.caption(escape(slide.subtitle))
if slide.cards:
    for row in range(0, len(slide.cards), 3):
        cols = st.columns(3)
        for col, (label, value) in zip(cols, slide.cards[row : row + 3]):
            col.metric(escape(label), value)
if slide.chart is not None:
    draw_chart(slide.chart)
elif slide.table is not None:
    st.dataframe(slide.table, hide_index=True, width="stretch")
for line in slide.bullets:
    st.markdown(escape(line))
for line in slide.rests_on:
    st.caption(escape(line))
for line in slide.warnings:
    st.warning(escape(line))
if slide.note and slide.chart is not None:
    with st.expander("How to read this chart"):
        st.markdown(escape(slide.note))
