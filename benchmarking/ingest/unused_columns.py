"""A file's columns that no field of its mapping takes: named in the preview, or refused when they hold figures.

A column no field takes is not imported. That is said in the preview's notes (``unused_notes``), and it is refused
(``dropped_figures``) when the column plainly holds figures the import would otherwise drop without a word:

- a column headed as figures (``value``, ``amount``, a value table's figure column) when the table takes no figures
  from the file;
- a column headed as a period the import does not read (``FY2023``, ``2022–23``, ``22/23``: ``period_advice``),
  whatever the table: its cells are that period's figures, and a wide file's other period columns would be imported
  without them. The refusal says what to write as its header.
"""

from __future__ import annotations

import pandas as pd

from benchmarking.errors import ValidationIssue
from benchmarking.ingest.controls import how_to_give
from benchmarking.ingest.headers import AUTHORITY_NAME, names_figures
from benchmarking.ingest.keys import stripped
from benchmarking.ingest.layouts import ColumnMapping
from benchmarking.method.period_advice import written_instead
from benchmarking.store import schema

VALUES_TABLE = ("indicator_value",)


def unused_columns(frame: pd.DataFrame, mapping: ColumnMapping) -> list[str]:
    """Return the file's columns that hold a cell with text and that no field of the mapping takes."""
    used = set(mapping.columns.values()) | set(mapping.wide_columns)
    return [
        str(column)
        for column in frame.columns
        if str(column) not in used and stripped(frame[column]).fillna("").astype(str).ne("").any()
    ]


def dropped_figures(unused: list[str], mapping: ColumnMapping, file_name: str) -> list[ValidationIssue]:
    """Return a refusal per unused column that holds figures the import would drop (the module's two rules)."""
    periods = {column: advice for column in unused if (advice := written_instead(column))}
    refusals = [
        ValidationIssue(
            file_name,
            None,
            column,
            f"headed as a period the import does not read, so its figures would not be imported: as its header, "
            f"{advice}; or delete the column to import the rest",
        )
        for column, advice in periods.items()
    ]
    if set(schema.VALUE_COLUMNS.get(mapping.table, ())) & mapping.provided():
        return refusals  # the table's figures come from another column: another unused one is named by the preview
    return refusals + [
        ValidationIssue(
            file_name,
            None,
            column,
            f"column '{column}' holds figures, and table {mapping.table} has no field for them: the file would be "
            "imported without them. Figures go to table indicator_value, with a column for the authority (its code "
            f"or name) beside the indicator and the period: choose it ({how_to_give('table', values=VALUES_TABLE)}) "
            f"and the authority's column ({how_to_give('column', AUTHORITY_NAME)}); or delete the column "
            "from the file to import the rest",
        )
        for column in unused
        if names_figures(column) and column not in periods
    ]


def unused_notes(items: list) -> list[str]:
    """Return one sentence per mapped file (``mapping.MappedFile``) with columns no field takes, naming them (they
    are not imported)."""
    return [
        f"{m.file_name}: column(s) {', '.join(repr(c) for c in m.unused[:10])}"
        f"{f' and {len(m.unused) - 10} more' if len(m.unused) > 10 else ''} not used: no field of table "
        f"{m.table} takes them, so they are not imported (to import one, map a field to it: --map FIELD=COLUMN on "
        "the command line, or the field's choice of column on the page)"
        for m in items
        if m.unused
    ]
