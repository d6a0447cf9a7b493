"""The stored rows an import replaces, in words: which authority, indicator and period, and stored -> new.

The preview lists the first ones (``FIRST_CHANGES``, in the files' order) and says how many more: the rows
come from the plan's own join (``writes.plan(first=)``), so nothing is looked up row by row. The Data import
page draws ``changes_frame`` as a table; ``import --dry-run`` prints ``change_lines``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import duckdb
import numpy as np
import pandas as pd

from benchmarking.store.tables import table_keys
from benchmarking.store.writes import DIFFERS, STORED

FIRST_CHANGES = 20
"""How many replaced rows a preview lists (the count of rows to replace says how many there are in all)."""
CHANGE_COLUMNS = ["file", "authority", "indicator", "period", "key", "column", "stored", "new"]
"""The listing's columns: ``key`` holds the other key columns of a table (a spend row's service, ...); a column
blank in every row listed is left out."""
_SHOWN_AS = {
    "authority_code": "authority",
    "code": "authority",
    "indicator_id": "indicator",
    "id": "indicator",
    "period": "period",
    "edition": "period",
    "label": "period",
}
"""Key column -> the listing's column that shows it (any other key goes to ``key``)."""


def changes_frame(
    replaced: Sequence[tuple[str, str, pd.DataFrame]], names: Mapping[str, str], limit: int = FIRST_CHANGES
) -> pd.DataFrame:
    """Return the first ``limit`` replaced rows over the files, in order, one line per column that changes: file,
    authority (its name from ``names``, code -> name), indicator, period, other keys, column, stored and new values
    as text, indexed by the row listed (0, 1, ...: a row that changes several columns has a line for each).
    ``replaced``: (file, table, ``Plan.first_replaced``) per file, in the files' order."""
    lines, listed, number = [], [], 0
    for file_name, table, rows in replaced:
        keys = table_keys(table)
        for row in rows.to_dict("records"):
            if number >= limit:
                break
            number += 1
            shown = {"file": file_name, "authority": "", "indicator": "", "period": "", "key": ""}
            others = []
            for key in keys:
                column = _SHOWN_AS.get(key)
                if column is None:
                    others.append(f"{key} {row[key]}")
                else:
                    shown[column] = names.get(row[key], row[key]) if column == "authority" else str(row[key])
            shown["key"] = ", ".join(others)
            for column in [c[len(DIFFERS) :] for c in rows.columns if c.startswith(DIFFERS)]:
                if row[DIFFERS + column]:
                    lines.append(
                        shown | {"column": column, "stored": _text(row[STORED + column]), "new": _text(row[column])}
                    )
                    listed.append(number - 1)
    frame = pd.DataFrame(lines, columns=CHANGE_COLUMNS, index=pd.Index(listed, dtype="int64", name="row"))
    blank = [c for c in ("authority", "indicator", "period", "key") if frame[c].eq("").all()]
    return frame.drop(columns=blank)


def authority_names(con: duckdb.DuckDBPyConnection | None, replaced: Sequence[tuple[str, str, pd.DataFrame]]) -> dict:
    """Return code -> name of the stored authorities the listed rows name (read on ``con``; none without a store)."""
    codes = sorted(
        {
            str(code)
            for _, table, rows in replaced
            for key in table_keys(table)
            if _SHOWN_AS.get(key) == "authority" and key in rows
            for code in rows[key]
        }
    )
    if con is None or not codes:
        return {}
    found = con.execute("SELECT code, name FROM authority WHERE code IN (SELECT unnest(?::VARCHAR[]))", [codes])
    return dict(found.fetchall())


def more_text(more: int) -> str:
    """Return the line that follows the listing: how many more rows are replaced ('' when none)."""
    return f"... and {more:,} more" if more else ""


def change_lines(changes: pd.DataFrame, more: int) -> list[str]:
    """Return the listing as lines of text: "file: authority, indicator, period: column stored -> new", then how many
    more."""
    lines = []
    for row in changes.to_dict("records"):
        where = ", ".join(str(row[c]) for c in ("authority", "indicator", "period", "key") if row.get(c))
        lines.append(f"{row['file']}: {where}: {row['column']} {row['stored']} -> {row['new']}")
    return lines + ([more_text(more)] if more else [])


def _text(value: object) -> str:
    """Return a stored or incoming value as text: a figure as written (no exponent, no trailing zeros), an empty
    cell as '(empty)'."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "(empty)"
    if isinstance(value, float | np.floating):
        return np.format_float_positional(float(value), trim="-")
    return str(value)
