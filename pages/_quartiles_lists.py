"""Quartiles page helpers: the top- and bottom-quartile lists, grouped by theme, and the page's other tables,
drawn whole as plain HTML tables."""

from __future__ import annotations

from html import escape as escape_html

import pandas as pd
import streamlit as st

from benchmarking.service.lists import list_for_download, list_in_words
from pages._common import download_csv, escape, slug
from pages._replay import element, per_object

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


TABLE_CSS = """<style>
/* The page's tables, drawn as plain HTML (pages._quartiles_lists.html_table): Streamlit's table look. */
table.words-table {border-collapse: collapse; width: 100%; margin: 0 0 1rem 0; font-size: 0.875rem; color: #31333F;}
table.words-table :is(th, td) {border-bottom: 1px solid #D5D6D9; padding: 0.3rem 0.5rem; text-align: left;
    vertical-align: top; overflow-wrap: anywhere;}
table.words-table thead th {font-weight: 600; border-bottom: 2px solid #A3A8B4;}
table.words-table tbody th {font-weight: 600;}
table.words-table .number {text-align: right; white-space: nowrap;}
</style>"""


BRIEFING_TABLE_CSS = """<style>
/* Briefing mode: the page's tables readable from the back of the room (at least 20 px). */
table.words-table :is(td, th) {font-size: 1.35rem !important;}
</style>"""


def html_table(frame: pd.DataFrame, index: bool = False) -> str:
    """Return the table as an HTML ``<table>``: every header and text cell escaped for HTML (names from any
    imported file are shown as text), numbers with thousands separators, blanks for missing cells; with
    ``index`` the index is the first column, its cells row headers.

    A plain HTML table costs the browser a fraction of ``st.table`` (which reads every cell as Markdown)
    or a data grid: the Quartiles page draws up to eight of them."""
    shown = frame.reset_index() if index else frame
    numeric = [pd.api.types.is_numeric_dtype(shown[column]) for column in shown.columns]
    number = ' class="number"'
    head = "".join(
        f'<th scope="col"{number if is_number else ""}>{escape_html(str(column))}</th>'
        for column, is_number in zip(shown.columns, numeric)
    )
    rows = []
    for row in shown.itertuples(index=False):  # a loop over the few rows drawn, not over values
        cells = []
        for position, (value, is_number) in enumerate(zip(row, numeric)):
            text = "" if pd.isna(value) else (f"{value:,}" if is_number else escape_html(str(value)))
            if index and position == 0:
                cells.append(f'<th scope="row">{text}</th>')
            else:
                cells.append(f"<td{number if is_number else ''}>{text}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return f'<table class="words-table"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def draw_table(frame: pd.DataFrame, index: bool = False) -> None:
    """Draw a table whole (every row, no inner scroll bar) as plain HTML (``html_table``), built once per kept
    table, then replayed (``pages._replay``)."""
    element("html", per_object("html-table", frame, (index,), lambda: html_table(frame, index)))


def list_tables(listed: pd.DataFrame) -> tuple[pd.DataFrame, list[tuple[str, int, pd.DataFrame]]]:
    """Return a quartile list as downloaded, and per theme (A-Z) its name, row count and table in words."""
    words = list_in_words(listed)
    shown = words.drop(columns=["Theme"])
    themes = [(theme, len(rows), shown.loc[rows.index]) for theme, rows in words.groupby("Theme")]
    return list_for_download(listed), themes


def draw_quartile_list(tables: tuple, title: str, period: str, key: str) -> None:
    """Draw one quartile list (``list_tables``): a CSV download of the whole list, then one table per theme."""
    download, themes = tables
    download_csv(f"Download the {title} list (CSV)", download, f"{slug(title)}-{slug(period)}.csv", key)
    st.html(LIST_CSS)  # constants: no stored text in them
    with st.container(key=f"quartile-list-{slug(title)}"):
        for theme, n_rows, shown in themes:
            st.markdown(f"#### {escape(theme)} ({n_rows})")
            draw_table(shown)
