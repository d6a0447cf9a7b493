"""Quartiles page helpers: the top- and bottom-quartile lists, grouped by theme, drawn whole as tables."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from benchmarking.service.lists import list_for_download, list_in_words
from pages._common import download_csv, escape, slug
from pages._replay import element

LIST_CSS = """<style>
/* The quartile lists: the same column widths in every theme's table, figures on one line. */
[class*="st-key-quartile-list"] table {table-layout: fixed; width: 100%;}
[class*="st-key-quartile-list"] tr > :nth-child(1) {width: 36%;}
[class*="st-key-quartile-list"] tr > :nth-child(2), [class*="st-key-quartile-list"] tr > :nth-child(4),
[class*="st-key-quartile-list"] tr > :nth-child(5) {width: 9%;}
[class*="st-key-quartile-list"] tr > :nth-child(3) {width: 11%;}
[class*="st-key-quartile-list"] tr > :nth-child(6) {width: 14%;}
[class*="st-key-quartile-list"] tr > :nth-child(7) {width: 12%;}
[class*="st-key-quartile-list"] td:nth-child(n+2):nth-child(-n+5) {white-space: nowrap;}
</style>"""


BRIEFING_TABLE_CSS = """<style>
/* Briefing mode: the page's tables readable from the back of the room (at least 20 px). */
[data-testid="stTable"] td, [data-testid="stTable"] th {font-size: 1.35rem !important;}
</style>"""


def words_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a table whose every text cell (and header) Streamlit's table shows literally: st.table reads
    each cell as Markdown, so names from any imported file are escaped (``pages._text.escape``); numbers
    stay numbers."""
    shown = frame.rename(columns=escape)
    for column in shown.columns:
        if not pd.api.types.is_numeric_dtype(shown[column]):
            shown[column] = shown[column].map(escape)
    return shown


def table_in_words(frame: pd.DataFrame, index: bool = False) -> pd.DataFrame:
    """Return the table as ``draw_table`` shows it: every text cell, header (and the index) escaped."""
    return words_table(frame.rename(index=escape) if index else frame)


def draw_table(shown: pd.DataFrame, index: bool = False) -> None:
    """Draw a table from ``table_in_words`` whole (every row, no inner scroll bar) with ``st.table`` (built
    once per kept table, then replayed: ``pages._replay``)."""
    element("table", shown, hide_index=not index)


def list_tables(listed: pd.DataFrame) -> tuple[pd.DataFrame, list[tuple[str, int, pd.DataFrame]]]:
    """Return a quartile list as downloaded, and per theme (A-Z) its name, row count and table in words."""
    words = list_in_words(listed)
    shown = words_table(words.drop(columns=["Theme"]))  # escaped once, then cut by theme
    themes = [(theme, len(rows), shown.loc[rows.index]) for theme, rows in words.groupby("Theme")]
    return list_for_download(listed), themes


def draw_quartile_list(tables: tuple, title: str, period: str, key: str) -> None:
    """Draw one quartile list (``list_tables``): a CSV download of the whole list, then one table per theme."""
    download, themes = tables
    download_csv(f"Download the {title} list (CSV)", download, f"{slug(title)}-{slug(period)}.csv", key)
    st.html(LIST_CSS)  # a constant: no stored text in it
    with st.container(key=f"quartile-list-{slug(title)}"):
        for theme, n_rows, shown in themes:
            st.markdown(f"#### {escape(theme)} ({n_rows})")
            draw_table(shown)
