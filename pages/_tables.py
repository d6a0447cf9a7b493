"""Tables on a page: in people's words (``show_table``: headers in words, blanks for missing
cells, thousands separators), and with the focus authority's row highlighted: a filled background and a border, so the
row stands out on a projector (not bold alone). In briefing mode the table is drawn as HTML
(``st.table``), which the briefing CSS sets at the readable size; a data grid draws its text
on a canvas that CSS cannot enlarge.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from benchmarking.text.tables import people_table

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
    styler = focus_styler(frame, focus_name, name_column)
    kwargs.pop("hide_index", None)  # the index is never shown
    if st.session_state.get("sel_briefing"):
        st.table(styler.hide(axis="index"))
    else:
        st.dataframe(styler, hide_index=True, **kwargs)


def show_table(frame: pd.DataFrame, words: dict[str, str] | None = None, where=st, **kwargs):
    """Draw ``frame`` as people read it (``people_table``); numbers get thousands separators; return the element.

    ``column_config`` entries are keyed by the shown header (after ``words`` and the glossary).
    """
    shown = people_table(frame, words)
    config = {
        column: st.column_config.NumberColumn(format="localized")
        for column in shown.columns
        if pd.api.types.is_numeric_dtype(shown[column]) and not pd.api.types.is_bool_dtype(shown[column])
    }
    header = dict(zip(map(str, frame.columns), shown.columns))
    for column, setting in (kwargs.pop("column_config", None) or {}).items():
        name = header.get(str(column), column)
        typed = isinstance(setting, dict) and setting.get("type_config", {}).get("type") in ("number", "checkbox")
        if typed and name in shown.columns and shown[name].dtype == object:
            setting = st.column_config.TextColumn(setting.get("label"))  # some cells blank: shown as text
        config[name] = setting
    kwargs.setdefault("hide_index", True)
    return where.dataframe(shown, column_config=config, **kwargs)
