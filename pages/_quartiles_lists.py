"""Quartiles page helpers: the top- and bottom-quartile lists, grouped by theme, drawn whole as tables."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from benchmarking.service.lists import list_for_download, list_in_words
from pages._common import download_csv, escape, slug


def words_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a table whose every cell (and header) Streamlit's table shows literally: st.table reads
    each cell as Markdown, so names from any imported file are escaped (``pages._text.escape``)."""
    return frame.rename(columns=escape).map(escape)


def draw_table(frame: pd.DataFrame, index: bool = False) -> None:
    """Draw a table whole (every row, no inner scroll bar): ``st.table`` with escaped cells."""
    shown = frame.rename(index=escape) if index else frame
    st.table(words_table(shown), hide_index=not index)


def draw_quartile_list(listed: pd.DataFrame, title: str, period: str, key: str) -> None:
    """Draw one quartile list: a CSV download of the whole list, then one table per theme (A-Z)."""
    download_csv(
        f"Download the {title} list (CSV)", list_for_download(listed), f"{slug(title)}-{slug(period)}.csv", key
    )
    words = list_in_words(listed)
    for theme, rows in words.groupby("Theme", sort=True):
        st.markdown(f"#### {escape(theme)} ({len(rows)})")
        draw_table(rows.drop(columns=["Theme"]))
