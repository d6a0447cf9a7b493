"""Workbook cells formatted as percentages: read as Excel shows them for a percentage, as kept for a 0-1 share.

Excel keeps a cell typed ``4.1%`` as 0.041 with a percent number format (the built-in formats 9 ``0%`` and 10
``0.00%``, or a custom format code holding an unquoted ``%``), while an indicator in a percentage unit stores
and publishes 4.1. ``workbooks.read_xlsx`` reads such a cell as the number Excel shows (``shown_as_percent``: its
decimal point moved two places, exactly, with no float arithmetic) and says which cells it read so;
``mapping.apply_mapping`` carries that to each mapped row (``results.FILE_PERCENT + field``). ``check_percent_cells``
then accepts the cells that give an indicator's value when the indicator's unit is a percentage
(``domain.is_percent_unit``), takes back the share Excel keeps (0.584 for 58.4%) when the unit is a share from 0 to 1
(``domain.is_share_unit``), and refuses any other at its row and column, naming the unit: the figure such a cell
means cannot be known (a count, a sum of money). A CSV file holds the text people typed,
so none of this applies to it (``4.1%`` typed in a CSV is refused saying what to write).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from xml.etree import ElementTree

import duckdb
import numpy as np
import pandas as pd

from benchmarking.domain import is_percent_unit, is_share_unit
from benchmarking.ingest.results import FILE_PERCENT

_SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
BUILT_IN_PERCENT_FORMATS = frozenset({"9", "10"})
"""Excel's built-in number formats ``0%`` and ``0.00%`` (numFmtId 9 and 10)."""
_LITERAL = re.compile(r'"[^"]*"|\\.|_.|\*.|\[[^\]]*\]')
"""The parts of a format code that print themselves (quoted text, an escaped character, a space the width of a
character, a fill character) or set a colour or condition: a ``%`` in them is no percent format."""


def is_percent_format(code: str) -> bool:
    """Return True when a custom number format code shows the cell as a percentage (an unquoted ``%``)."""
    return "%" in _LITERAL.sub("", code)


def percent_styles(archive: zipfile.ZipFile) -> frozenset[str]:
    """Return the style indices (a cell's ``s`` attribute) whose number format is a percentage; none when the
    workbook has no styles part."""
    try:
        styles = ElementTree.fromstring(archive.read("xl/styles.xml"))
    except KeyError:
        return frozenset()
    percent_ids = set(BUILT_IN_PERCENT_FORMATS)
    for number_format in styles.iter(f"{_SHEET_NS}numFmt"):
        if is_percent_format(number_format.get("formatCode", "")):
            percent_ids.add(number_format.get("numFmtId"))
    cell_formats = styles.find(f"{_SHEET_NS}cellXfs")
    formats = [] if cell_formats is None else cell_formats.findall(f"{_SHEET_NS}xf")
    return frozenset(str(i) for i, xf in enumerate(formats) if xf.get("numFmtId", "0") in percent_ids)


def shown_as_percent(text: object) -> str | None:
    """Return a number cell's text as its percentage shows it ('0.041' -> '4.1', '1' -> '100'); None for a cell
    that holds no number."""
    try:
        number = Decimal(str(text).strip())
    except InvalidOperation:
        return None
    if not number.is_finite():
        return None
    shown = format(number.scaleb(2), "f")
    return shown.rstrip("0").rstrip(".") if "." in shown else shown


def as_share(figure: object) -> float:
    """Return a percentage read as shown (58.4) as the share Excel keeps (0.584): the decimal point moved back two
    places exactly, as ``shown_as_percent`` moved it."""
    return float(Decimal(repr(float(figure))).scaleb(-2))


def percent_count(frame: pd.DataFrame) -> int:
    """Return how many of a mapped frame's cells were formatted as percentages and read as they show."""
    return int(sum(frame[c].sum() for c in frame.columns if str(c).startswith(FILE_PERCENT)))


def percent_notes(items: list[tuple[str, pd.DataFrame, str]]) -> list[str]:
    """Return one sentence per file with cells formatted as percentages: how many were read as the numbers they
    show."""
    notes = []
    for _, frame, file_name in items:
        if count := percent_count(frame):
            notes.append(
                f"{file_name}: {count:,} cell(s) formatted as percentages in the workbook: read as the percentages "
                "they show for an indicator in a percentage unit (a cell showing 4.1% reads 4.1, not the 0.041 Excel "
                "keeps), and as shares for one measured from 0 to 1 (58.4% reads 0.584); any other is refused at "
                "its row"
            )
    return notes


def has_percent_cells(frame: pd.DataFrame) -> bool:
    """Return True when a mapped frame holds a cell formatted as a percentage (it carries its locator)."""
    return any(str(c).startswith(FILE_PERCENT) for c in frame.columns)


def stored_units(con: duckdb.DuckDBPyConnection) -> dict[str, object]:
    """Return each stored indicator's unit (id -> unit, None when it has none)."""
    return dict(con.execute("SELECT id, unit FROM indicator").fetchall())


def check_percent_cells(table: str, frame: pd.DataFrame, out: pd.DataFrame, check, units: Mapping[str, object]):
    """Flag the cells formatted as percentages that give no figure in a percentage unit (returns None): an indicator
    value is accepted when ``units`` (id -> unit) says its indicator's unit is a percentage; an unknown indicator is
    flagged by its own check."""
    for column in out.columns:
        locator = FILE_PERCENT + column
        if locator not in frame.columns:
            continue
        percent = frame[locator].to_numpy(dtype=bool)
        shown = [f"{v:g}%" if pd.notna(v) else "a percentage" for v in pd.to_numeric(out[column], errors="coerce")]
        fix = "format the cell as a number (Format Cells > Number) holding"
        messages = pd.Series(None, index=out.index, dtype=object)
        if table == "indicator_value" and column == "value" and "indicator_id" in out.columns:
            ids = out["indicator_id"].to_numpy(dtype=object)
            known = np.array([i in units for i in ids], dtype=bool)
            unit = [None if pd.isna(u := units.get(i)) or not str(u).strip() else u for i in ids]
            shares = percent & known & np.array([is_share_unit(u) for u in unit], dtype=bool)
            if shares.any():  # 58.4% of a 0-1 share: the 0.584 Excel keeps is the figure (read as shown, moved back)
                figures = out[column].astype(object).to_numpy(copy=True)
                figures[shares] = [as_share(figure) for figure in figures[shares]]
                out[column] = pd.to_numeric(pd.Series(figures, index=out.index), errors="coerce")
            refused = percent & known & ~shares & ~np.array([is_percent_unit(u) for u in unit], dtype=bool)
            for position in np.flatnonzero(refused):
                measured = f"is measured in {unit[position]!r}" if unit[position] else "has no unit"
                messages.iloc[position] = (
                    f"the cell is formatted as a percentage in the workbook (it shows {shown[position]}), but "
                    f"indicator {ids[position]!r} {measured}, not a percentage: {fix} the figure in the indicator's "
                    "unit" + ("" if unit[position] else ", or give the indicator its unit in the indicator table")
                )  # a unit is never advised to change: the stored figures are in it
        else:
            refused = percent
            for position in np.flatnonzero(refused):
                messages.iloc[position] = (
                    f"the cell is formatted as a percentage in the workbook (it shows {shown[position]}), but "
                    f"'{column}' is not a percentage: {fix} the figure itself"
                )
        check.flag(refused, column, messages)
