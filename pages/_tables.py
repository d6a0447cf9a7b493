"""Tables on a page in people's words: headers in words, blanks for missing cells, figures
rounded and shown with thousands separators (``benchmarking.text.tables.people_table``)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from benchmarking.text.tables import people_table


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
