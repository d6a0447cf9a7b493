"""Quartiles page helpers: the top- and bottom-quartile lists, grouped by theme, and the page's other tables,
drawn whole as plain HTML tables."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from benchmarking.service.lists import list_for_download, list_in_words
from benchmarking.text.tables import glossary_line
from pages._common import download_csv, escape, slug
from pages._tables import static_table

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


def list_tables(listed: pd.DataFrame) -> tuple[pd.DataFrame, list[tuple[str, int, pd.DataFrame]], str]:
    """Return a quartile list as downloaded, per theme (A-Z) its name, row count and table in words, and the
    abbreviations its indicator names use, spelled out (``glossary_line``, as the Indicator and Theme pages)."""
    words = list_in_words(listed)
    shown = words.drop(columns=["Theme"])
    themes = [(theme, len(rows), shown.loc[rows.index]) for theme, rows in words.groupby("Theme")]
    return list_for_download(listed), themes, glossary_line(listed["name"])


def draw_quartile_list(tables: tuple, title: str, period: str, key: str) -> None:
    """Draw one quartile list (``list_tables``): a CSV download of the whole list, then one table per theme."""
    download, themes, glossary = tables
    download_csv(f"Download the {title} list (CSV)", download, f"{slug(title)}-{slug(period)}.csv", key)
    if glossary:  # abbreviations spelled out
        st.caption(escape(f"Abbreviations: {glossary}."))
    st.html(LIST_CSS)  # constants: no stored text in them
    with st.container(key=f"quartile-list-{slug(title)}"):
        for theme, n_rows, shown in themes:
            st.markdown(f"#### {escape(theme)} ({n_rows})")
            static_table(shown)
