"""Reading XLSX workbooks as text: one sheet's cells, its name or number checked, and the refusals a
workbook needs (merged cells, formulas with no saved result, spreadsheet errors in cells, too many cells).
A number cell formatted as a percentage reads as the number it shows (``percent_cells``).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
import pandas as pd

from benchmarking.errors import ImportValidationError, ValidationIssue
from benchmarking.ingest.controls import how_to_give
from benchmarking.ingest.csv_files import BLANK
from benchmarking.ingest.limits import MAX_ROWS, check_shape, dimension, single_issue
from benchmarking.ingest.percent_cells import percent_styles, shown_as_percent


def read_xlsx(
    path: Path, sheet: str | int | None, percent_as_shown: bool = True
) -> tuple[pd.DataFrame, int, dict[int, np.ndarray]]:
    """Return one sheet's cells as text (its first row with a cell is the header; a cell of spaces or tabs alone is
    empty, so a row of them is blank), the sheet row of the first row below the header, and the number cells
    formatted as percentages (column position -> row positions), read as the numbers they show (0.041 shown
    4.1% reads 4.1: ``percent_cells``; ``percent_as_shown`` False: read as stored, none returned); refuse merged
    cells and formulas with no saved result, and name the cells that hold a spreadsheet error."""
    name = path.name
    sheets = _xlsx_sheet_parts(path)
    if sheet is None or sheet == 0:
        sheet = next(iter(sheets))
    elif isinstance(sheet, int):
        if not 0 <= sheet < len(sheets):
            raise single_issue(name, f"the workbook has {len(sheets)} sheet(s), no sheet number {sheet + 1}")
        sheet = list(sheets)[sheet]
    if sheet not in sheets:
        raise single_issue(name, f"no sheet named {sheet!r}; the workbook's sheets are {', '.join(map(repr, sheets))}")
    errors, percent = _inspect_sheet(path, sheet, sheets[sheet])
    # openpyxl reads the values Excel cached for formulas, never the formula text. Cells are
    # read as written: '#N/A' typed as text stays text, refused like the same text in a CSV.
    cells = pd.read_excel(
        path, sheet_name=sheet, dtype=str, engine="openpyxl", header=None, keep_default_na=False, na_values=[]
    )
    cells = cells.mask(cells.apply(lambda column: column.str.strip(BLANK).eq("")), "")  # spaces alone: a blank cell
    if cells.empty:
        raise single_issue(
            name, f"sheet {sheet!r} is empty: choose the sheet that holds the data ({how_to_give('sheet')})"
        )
    above = int(cells.ne("").to_numpy(dtype=bool, na_value=False).any(axis=1).argmax())  # blank rows above the header
    header = ["" if pd.isna(cell) else str(cell) for cell in cells.iloc[above]]
    if (below := _header_below_title(cells, above)) is not None:
        raise single_issue(
            name,
            f"row {above + 1} looks like a title ({header[0][:60]!r}) and the header seems to be on row {below + 1}: "
            f"delete the rows above the header (rows {above + 1} to {below}) and import again",
        )
    if errors:
        raise ImportValidationError([_error_issue(name, ref, text, header) for ref, text in errors[:20]])
    frame = cells.iloc[above + 1 :].reset_index(drop=True)
    frame.columns = header
    return frame, above + 2, _read_as_shown(frame, percent, above + 1) if percent_as_shown else {}


def _read_as_shown(frame: pd.DataFrame, cells: list[tuple[int, int]], first: int) -> dict[int, np.ndarray]:
    """Write each cell formatted as a percentage (sheet row and column positions, ``first`` the sheet position of
    the frame's first row) as the number it shows, in place; return column position -> the frame rows changed."""
    found: dict[int, list[int]] = {}
    for row, column in cells:
        if row >= first and row - first < len(frame) and column < frame.shape[1]:
            found.setdefault(column, []).append(row - first)
    changed = {}
    for column, rows in found.items():
        values = frame.iloc[:, column].to_numpy(dtype=object, copy=True)
        shown = {row: shown_as_percent(values[row]) for row in rows}
        shown = {row: text for row, text in shown.items() if text is not None}  # a number: never an empty cell
        if shown:
            values[list(shown)] = list(shown.values())
            frame.isetitem(column, values)
            changed[column] = np.asarray(sorted(shown), dtype=np.int64)
    return changed


def _header_below_title(cells: pd.DataFrame, above: int, rows: int = 10) -> int | None:
    """Return the position of the row that seems to be a sheet's header when the first row with a cell holds one
    text cell alone (a title) and so does every row down to it (notes, blank rows); None when the first row is
    the header. Only named in a refusal, never read so: a guess must not decide which row is the header."""
    filled = cells.iloc[above : above + rows].ne("").to_numpy(dtype=bool, na_value=False).sum(axis=1)
    if filled[0] != 1 or not str(cells.iloc[above, 0]).strip():
        return None
    found = np.flatnonzero(filled > 1)
    return above + int(found[0]) if len(found) else None


def _error_issue(file_name: str, ref: str, text: str, header: list[str]) -> ValidationIssue:
    """Return the issue for a cell holding a spreadsheet error (``#DIV/0!``), at its row and column."""
    row, position = _position(ref)
    letters = re.match(r"[A-Z]*", ref).group()
    column = header[position] if 0 <= position < len(header) and header[position] else f"column {letters}"
    return ValidationIssue(
        file_name,
        row + 1 if row >= 0 else None,
        column,
        f"cell {ref} holds the spreadsheet error {text!r}, not a value: correct the formula, or clear the cell "
        "if no value was published",
    )


_SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def sheet_names(path: Path | str) -> list[str]:
    """Return the sheet names of an XLSX workbook; raise a clear error if it is not one."""
    return list(_xlsx_sheet_parts(Path(path)))


def _xlsx_sheet_parts(path: Path) -> dict[str, str]:
    """Return sheet name -> its part (file) inside the workbook's zip archive."""
    try:
        with zipfile.ZipFile(path) as archive:
            workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
            relations = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError) as error:
        raise single_issue(
            path.name,
            "cannot be read as an Excel file (is it really an .xlsx workbook? Open it in "
            f"Excel and save it as .xlsx): {type(error).__name__}: {error}",
        ) from error
    targets = {rel.get("Id"): rel.get("Target", "") for rel in relations}
    parts = {}
    for sheet in workbook.iter(f"{_SHEET_NS}sheet"):
        target = targets.get(sheet.get(f"{_REL_NS}id"), "")
        parts[sheet.get("name")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    if not parts:
        raise single_issue(path.name, "the workbook has no sheets")
    return parts


def _inspect_sheet(path: Path, sheet: str, part: str) -> tuple[list[tuple[str, str]], list[tuple[int, int]]]:
    """Return the cells holding a spreadsheet error (reference, text such as ``#DIV/0!``), and the number cells
    formatted as percentages (sheet row and column positions, from 0).

    Raise when the sheet has merged cells, formulas without a saved (cached) result, or
    more rows or cells than the limits (from its declared dimension, else as rows are met).
    """
    merged: list[str] = []
    uncached: list[str] = []
    errors: list[tuple[str, str]] = []
    percent: list[tuple[int, int]] = []
    rows = columns = 0
    with zipfile.ZipFile(path) as archive, archive.open(part) as stream:
        styles = percent_styles(archive)
        for _, element in ElementTree.iterparse(stream):
            if element.tag == f"{_SHEET_NS}dimension":
                rows, columns = dimension(element.get("ref", ""))
                check_shape(path.name, rows, columns, f"sheet {sheet!r}")
            elif element.tag == f"{_SHEET_NS}c":
                if element.get("t") == "e":
                    errors.append((element.get("r", "?"), element.findtext(f"{_SHEET_NS}v") or "#ERROR"))
                formula = element.find(f"{_SHEET_NS}f")
                if formula is not None and element.get("t") != "str":
                    value = element.find(f"{_SHEET_NS}v")
                    if value is None or not (value.text or "").strip():
                        uncached.append(element.get("r", "?"))
                if styles and element.get("s") in styles and element.get("t", "n") == "n" and element.get("r"):
                    percent.append(_position(element.get("r")))  # a number? checked as read
                element.clear()
            elif element.tag == f"{_SHEET_NS}mergeCell":
                merged.append(element.get("ref", "?"))
            elif element.tag == f"{_SHEET_NS}row":
                rows_met = int(element.get("r") or 0)
                if rows_met > MAX_ROWS:
                    check_shape(path.name, rows_met, columns, f"sheet {sheet!r}")
                element.clear()
    issues = []
    if merged:
        issues.append(
            ValidationIssue(
                path.name,
                None,
                None,
                f"sheet {sheet!r} has merged cells ({', '.join(merged[:5])}{', ...' if len(merged) > 5 else ''}): "
                "a merged cell keeps its value in its first cell only, so the other rows would be empty; "
                "unmerge them and fill in every cell",
            )
        )
    if uncached:
        issues.append(
            ValidationIssue(
                path.name,
                None,
                None,
                f"sheet {sheet!r} has formulas with no saved result (cells {', '.join(uncached[:5])}"
                f"{', ...' if len(uncached) > 5 else ''}): the file was written by a program that does "
                "not calculate formulas; open it in Excel or LibreOffice and save it, then import again",
            )
        )
    if issues:
        raise ImportValidationError(issues)
    return errors, percent


def _position(ref: str) -> tuple[int, int]:
    """Return a cell reference's sheet row and column positions, from 0 (``B3`` -> (2, 1))."""
    letters, digits = re.match(r"([A-Z]*)(\d*)", ref).groups()
    column = 0
    for letter in letters:
        column = column * 26 + ord(letter) - ord("A") + 1
    return (int(digits) if digits else 0) - 1, column - 1
