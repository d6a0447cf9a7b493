"""Data import page: the mapping controls for one uploaded file."""

from __future__ import annotations

import streamlit as st

from benchmarking.ingest.controls import SAME_FOR_ALL, WIDE_COLUMNS, WIDE_HEADERS
from benchmarking.ingest.headers import AUTHORITY_NAME, field_is_needed, field_label, importable_tables, table_fields
from benchmarking.ingest.layouts import (
    CATALOGUES,
    LAYOUTS,
    LONG,
    ColumnMapping,
    header_fields,
    recognise,
    suggested_wide_columns,
)
from benchmarking.ingest.mapping import undecided_message
from pages._text import escape

NOT_IN_FILE = "(not in this file)"


def mapping_widgets(source, default: ColumnMapping, origin: str, indicators) -> ColumnMapping:
    """Draw the mapping controls for one file and return the mapping they describe."""
    name = source.name if source.sheet is None else f"{source.name}[{source.sheet}]"  # widget keys per sheet
    columns = [str(c) for c in source.frame.columns]
    tables = importable_tables()
    index = None if default.undecided else tables.index(default.table)  # codes and names of either: ask
    table = st.selectbox("Table to fill", tables, index=index, key=f"table:{name}", placeholder="Choose the table")
    if table is None:
        message = undecided_message(default)  # worded to follow the file's name, as the command line prints it
        st.warning(escape(message[:1].upper() + message[1:]))
        return default  # refused by the preview until a table is chosen
    if table != default.table:
        default = recognise(columns, table, indicators)
    layout = default.layout
    if table == "indicator_value":
        layouts = list(LAYOUTS)
        layout = st.radio(
            "Layout",
            layouts,
            index=layouts.index(default.layout),
            format_func=LAYOUTS.get,
            horizontal=True,
            key=f"layout:{name}:{table}",
        )
    prefix = f"map:{name}:{table}:{layout}"
    wide: tuple[str, ...] = ()
    if layout != LONG:
        if layout == default.layout:
            suggested = list(default.wide_columns)
        else:
            suggested = list(suggested_wide_columns(layout, columns, default.columns.values()))
        wide = tuple(
            st.multiselect(
                WIDE_COLUMNS.format(what=WIDE_HEADERS[layout]),
                columns,
                default=suggested,
                key=f"{prefix}:wide",
            )
        )
    fields = [f for f in table_fields(table) if f not in header_fields(layout)]
    chosen: dict[str, str] = {}
    constants: dict[str, str] = {}
    options = [NOT_IN_FILE, SAME_FOR_ALL] + [c for c in columns if c not in wide]
    grid = st.columns(3)
    for position, field_name in enumerate(fields):
        if field_name in default.columns and default.columns[field_name] in options:
            index = options.index(default.columns[field_name])
        elif field_name in default.constants:
            index = 1
        else:
            index = 0
        mark = " *" if field_is_needed(table, field_name) else ""
        cell = grid[position % 3]
        picked = cell.selectbox(f"{field_label(field_name)}{mark}", options, index=index, key=f"{prefix}:{field_name}")
        if picked == SAME_FOR_ALL:
            constants[field_name] = cell.text_input(
                f"{field_label(field_name)}: value for every row",
                value=default.constants.get(field_name, ""),
                key=f"{prefix}:{field_name}:value",
            )
        elif picked != NOT_IN_FILE:
            chosen[field_name] = picked
    mapping = ColumnMapping(table, layout, chosen, {k: v for k, v in constants.items() if v.strip()}, wide)
    where, _, when = origin.partition(" (")  # 'remembered (saved 2026-12-02 03:50 UTC)'
    st.caption(
        f"{where.capitalize()} mapping{f' ({escape(when)}' if when else ''}. "
        f"* = needed{' (an authority code or name)' if AUTHORITY_NAME in fields else ''}{_updates(table)}. "
        f"Now: {escape(mapping.describe())}"
    )
    if asked := [f for f in default.blank_constants() if f not in chosen and not constants.get(f, "").strip()]:
        st.warning(
            f"Give {', '.join(field_label(f) for f in asked)} for this file: a remembered mapping keeps "
            "which columns give which field, never a value given for every row (it may be another year's)."
        )
    return mapping


def _updates(table: str) -> str:
    """Return what the needed fields mean for a catalogue (a new row needs them; a stored one may give some)."""
    if table not in CATALOGUES:
        return ""
    key = CATALOGUES[table][0]
    return f" by a new {table}; rows of stored {key}s may give some columns only, the others keep their values"
