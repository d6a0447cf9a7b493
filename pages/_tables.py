"""Tables on a page: in people's words (``show_table``: headers in words, blanks for missing
cells, thousands separators), and with the focus authority's row highlighted: a filled background and a border, so the
row stands out on a projector (not bold alone). In briefing mode the table is drawn as HTML
(``st.table``), which the briefing CSS sets at the readable size; a data grid draws its text
on a canvas that CSS cannot enlarge.

A short table read whole, with nothing to sort or search, is drawn as plain HTML (``static_table``): in the
browser it costs a fraction of a data grid (whose code, layout and canvas a first page pays for) or of
``st.table`` (which reads every cell as Markdown).
"""

from __future__ import annotations

import copy
from html import escape as escape_html

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from benchmarking.text.tables import by_label, people_table
from pages._replay import element, per_object

FOCUS_FILL = "#FDE3CF"  # a pale tint of the focus orange (#D55E00); dark text keeps 4.5:1 on it
FOCUS_STYLE = f"background-color: {FOCUS_FILL}; border-top: 3px solid #D55E00; border-bottom: 3px solid #D55E00"


def is_focus_row(names: pd.Series, focus_name: str) -> pd.Series:
    """Return True for the rows naming the focus authority (its name alone or with a note after it)."""
    text = names.astype("string").fillna("")
    return (text == focus_name) | text.str.startswith(f"{focus_name} ")


def focus_styler(frame: pd.DataFrame | Styler, focus_name: str, name_column: str = "Authority") -> Styler:
    """Return a Styler of ``frame`` whose focus rows (by ``name_column``) carry the focus fill and border."""
    styler = frame if isinstance(frame, Styler) else frame.style
    focus = is_focus_row(styler.data[name_column], focus_name)
    return styler.apply(lambda row: [FOCUS_STYLE if focus[row.name] else ""] * len(row), axis=1)


def focus_table(frame: pd.DataFrame | Styler, focus_name: str, name_column: str = "Authority", **kwargs) -> None:
    """Draw ``frame`` with the focus authority's row highlighted: HTML in briefing mode, else a data grid."""
    styler = per_object(
        "focus-styler", frame, (focus_name, name_column), lambda: focus_styler(frame, focus_name, name_column)
    )
    grid_or_table(styler, **kwargs)


def grid_or_table(frame: pd.DataFrame | Styler, where=st, **kwargs) -> None:
    """Draw ``frame`` as an HTML table at the projector size in briefing mode, else as a data grid (returns None).

    In briefing mode ``column_config`` labels and number formats are applied to the HTML table; a plain
    frame's other figures get thousands separators, while a Styler keeps the formats it was given. A frame
    the page keeps is drawn once and replayed on later runs (``_replay.element``).
    """
    config = kwargs.pop("column_config", None) or {}
    if not st.session_state.get("sel_briefing"):
        element("dataframe", frame, where, column_config=config or None, **{"hide_index": True, **kwargs})
        return
    options = (repr(sorted(config.items())),)
    element("table", per_object("briefing-styler", frame, options, lambda: briefing_styler(frame, config)), where)


def briefing_styler(frame: pd.DataFrame | Styler, config: dict) -> Styler:
    """Return the HTML table's Styler for briefing mode: ``config``'s labels and number formats applied,
    a plain frame's other figures with thousands separators, a Styler's own formats kept; no index."""
    given_styler = isinstance(frame, Styler)
    styler = copy.deepcopy(frame) if given_styler else frame.style  # a kept Styler is left as it was
    for column, setting in config.items():
        number_format = (setting or {}).get("type_config", {}).get("format") if isinstance(setting, dict) else None
        if column in styler.data.columns and number_format:
            styler = styler.format(_formatter(number_format), subset=[column])
    for column in styler.data.columns:
        if not given_styler and column not in config and pd.api.types.is_numeric_dtype(styler.data[column]):
            styler = styler.format(_formatter("localized"), subset=[column])
    labels = {c: s["label"] for c, s in config.items() if isinstance(s, dict) and s.get("label")}
    styler = styler.relabel_index([labels.get(c, c) for c in styler.data.columns], axis="columns") if labels else styler
    return styler.hide(axis="index")


def _formatter(number_format: str):
    """Return a cell formatter for a column_config number format ("%.1f", "percent", "localized"); blank if missing."""

    def shown(value) -> str:
        if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
            return ""
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return str(value)
        if number_format == "percent":
            return f"{value:.0%}"
        if "%" in number_format:
            return number_format % value if number_format.count("%") == 1 else str(value)
        return f"{value:,.10g}"

    return shown


def show_table(frame: pd.DataFrame, words: dict[str, str] | None = None, where=st, **kwargs) -> None:
    """Draw ``frame`` as people read it (``people_table``); numbers get thousands separators (returns None).

    ``column_config`` entries are keyed by the shown header (after ``words`` and the glossary).
    """
    shown, numeric = _in_words(frame, words)
    config = {column: st.column_config.NumberColumn(format="localized") for column in numeric}
    header = dict(zip(map(str, by_label(frame).columns), shown.columns))  # the columns people_table keeps
    for column, setting in (kwargs.pop("column_config", None) or {}).items():
        name = header.get(str(column), column)
        typed = isinstance(setting, dict) and setting.get("type_config", {}).get("type") in ("number", "checkbox")
        if typed and name in shown.columns and not pd.api.types.is_numeric_dtype(shown[name]):
            setting = st.column_config.TextColumn(setting.get("label"))  # some cells blank: shown as text
        config[name] = setting
    kwargs.setdefault("hide_index", True)
    grid_or_table(shown, where=where, column_config=config, **kwargs)


def _in_words(frame: pd.DataFrame, words: dict[str, str] | None) -> tuple[pd.DataFrame, list[str]]:
    """Return ``people_table(frame, words)`` and its number columns, worked out once per frame object: a
    table a page keeps in its cache (``_cache.memo``) is redrawn on every rerun without redoing it."""

    def build() -> tuple[pd.DataFrame, list[str]]:
        shown = people_table(frame, words)
        numeric = [
            column
            for column in shown.columns
            if pd.api.types.is_numeric_dtype(shown[column]) and not pd.api.types.is_bool_dtype(shown[column])
        ]
        return shown, numeric

    return per_object("in-words", frame, tuple(sorted((words or {}).items())), build)


def html_table(
    frame: pd.DataFrame, index: bool = False, formats: dict[str, str] | None = None, styles: pd.DataFrame | None = None
) -> str:
    """Return the table as an HTML ``<table>``: every header and text cell escaped for HTML (names from any
    imported file are shown as text), numbers right-aligned with thousands separators or in their
    ``formats`` entry ("{:.0%}"), blanks for missing cells; with ``index`` the index is the first column, its
    cells row headers; ``styles`` (the frame's shape, our own CSS, never data) styles each cell."""
    shown = frame.reset_index() if index else frame
    formats = formats or {}
    numeric = [pd.api.types.is_numeric_dtype(shown[column]) for column in shown.columns]
    patterns = [formats.get(column, "{:,}") for column in shown.columns]
    number = ' class="number"'
    head = "".join(
        f'<th scope="col"{number if is_number else ""}>{escape_html(str(column))}</th>'
        for column, is_number in zip(shown.columns, numeric)
    )
    blank = [""] * len(shown.columns)
    cell_styles = styles.itertuples(index=False) if styles is not None else (blank for _ in range(len(shown)))
    rows = []
    for row, row_styles in zip(shown.itertuples(index=False), cell_styles):  # a loop over the rows drawn
        cells = []
        row_styles = [""] * index + list(row_styles)
        for position, (value, is_number, pattern, css) in enumerate(zip(row, numeric, patterns, row_styles)):
            text = "" if pd.isna(value) else (pattern.format(value) if is_number else escape_html(str(value)))
            style = f' style="{escape_html(css)}"' if css else ""
            if index and position == 0:
                cells.append(f'<th scope="row"{style}>{text}</th>')
            else:
                cells.append(f"<td{number if is_number else ''}{style}>{text}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return f'<table class="static-table"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def static_table(
    frame: pd.DataFrame,
    where=st,
    index: bool = False,
    formats: dict[str, str] | None = None,
    between_words: bool = False,
) -> None:
    """Draw a table whole (every row, no inner scroll bar) as plain HTML (``html_table``), built once per kept
    table, then replayed (``pages._replay``); its CSS is in ``pages._layout.BASE_CSS``, drawn once per page
    by app.py. ``between_words``: its cells wrap at spaces, a word broken only when it alone is wider than its
    column (theme names whole, not "Environmen t"). Returns None."""
    options = (index, tuple(sorted((formats or {}).items())), between_words)

    def build() -> str:
        table = html_table(frame, index, formats)
        return f'<div class="{WORDS_TABLE}">{table}</div>' if between_words else table

    element("html", per_object("static-table", frame, options, build), where)


WORDS_TABLE = "words-table"
"""The class of a static table whose cells wrap between words (its rule in ``pages._layout.BASE_CSS``)."""
