"""Applying a column mapping: turn a file and its mapping into the store's rows.

``apply_mapping`` turns a file and its mapping into a long frame with the store's column
names, ready for ``validation.check_batch`` / ``importer.import_frames``: wide tables are
melted, authority names are resolved to ONS codes (ignoring case, '&'/'and' and a
'County Council' suffix; see ``names.name_key``), indicator names to ids, and locator
columns (``results.FILE_ROW``, ``results.FILE_COLUMN``) keep where each row came from,
so that every message names the file's own row and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from benchmarking.cells import distinct_cells
from benchmarking.errors import BadPeriodError, ImportValidationError, ValidationIssue
from benchmarking.ingest.context import StoreContext, store_context
from benchmarking.ingest.controls import how_to_give
from benchmarking.ingest.headers import (
    AUTHORITY_NAME,
    field_label,
    indicator_key,
    indicator_lookup,
    table_fields,
)
from benchmarking.ingest.keys import EVERY_AUTHORITY, EVERY_AUTHORITY_TABLES, replaced, stripped
from benchmarking.ingest.layouts import CATALOGUES, LAYOUTS, LONG, WIDE_PERIODS, ColumnMapping, header_field
from benchmarking.ingest.names import resolve_authorities
from benchmarking.ingest.remembered import mapping_key, remembered_json
from benchmarking.ingest.results import FILE_COLUMN, FILE_PERCENT, FILE_ROW
from benchmarking.ingest.unused_columns import dropped_figures, unused_columns
from benchmarking.method.periods import period_start
from benchmarking.store import schema

GIVEN = "(given for every row)"


@dataclass
class MappedFile:
    """A file turned into store rows: the item to check or import, and what was resolved."""

    file_name: str
    mapping: ColumnMapping
    frame: pd.DataFrame
    """Store field names plus locator columns; one row per value (wide tables melted)."""
    rows_read: int
    columns: list[str] = field(default_factory=list)
    """The file's own header, whose signature keys the remembered mapping."""
    unresolved: list[str] = field(default_factory=list)
    """Authority names (or codes) in the file that match no authority."""
    resolved: dict[str, str] = field(default_factory=dict)
    """Authority names that were resolved to a code (name -> code)."""
    unused: list[str] = field(default_factory=list)
    """The file's columns with data that no field takes (the preview names them)."""

    @property
    def table(self) -> str:
        """Return the store table the file fills."""
        return self.mapping.table

    def setting(self) -> tuple[str, str]:
        """Return the ``setting`` row (key, JSON) that remembers this file's mapping (its columns, not its values)."""
        return mapping_key(self.columns), remembered_json(self.mapping)

    @property
    def item(self) -> tuple[str, pd.DataFrame, str]:
        """Return the ``(table, frame, file_name)`` item that the importer takes."""
        return (self.table, self.frame, self.file_name)


def check_mapping(columns: list[str], mapping: ColumnMapping, file_name: str) -> list[ValidationIssue]:
    """Return what is wrong with a mapping for a file's columns (empty when it can be applied)."""
    issues: list[ValidationIssue] = []
    if mapping.table not in schema.COLUMNS:
        return [
            ValidationIssue(
                file_name,
                None,
                None,
                f"unknown table {mapping.table!r}: choose one of {', '.join(schema.COLUMNS)} ({how_to_give('table')})",
            )
        ]
    if mapping.layout not in LAYOUTS:
        return [
            ValidationIssue(
                file_name,
                None,
                None,
                f"unknown layout {mapping.layout!r}: choose one of {', '.join(LAYOUTS)} ({how_to_give('layout')})",
            )
        ]
    if mapping.undecided:
        return [ValidationIssue(file_name, None, None, undecided_message(mapping))]
    if mapping.layout != LONG and mapping.table != "indicator_value":
        issues.append(
            ValidationIssue(
                file_name,
                None,
                None,
                "wide layouts hold indicator values: choose table indicator_value "
                f"({how_to_give('table', values=('indicator_value',))}) or the long layout "
                f"({how_to_give('layout', values=(LONG,))})",
            )
        )
    known = set(table_fields(mapping.table))
    for name in list(mapping.columns) + list(mapping.constants):
        if name not in known:
            issues.append(
                ValidationIssue(
                    file_name,
                    None,
                    None,
                    f"table {mapping.table} has no field {name!r}; its fields are "
                    f"{', '.join(table_fields(mapping.table))}",
                )
            )
    for name, column in mapping.columns.items():
        if column not in columns:
            issues.append(
                ValidationIssue(
                    file_name,
                    None,
                    column,
                    f"the mapping takes {name} from column '{column}', which the file does not have; "
                    f"its columns are {', '.join(repr(c) for c in columns[:30])}",
                )
            )
    for column in mapping.wide_columns:
        if column not in columns:
            issues.append(ValidationIssue(file_name, None, column, f"value column '{column}' is not in the file"))
    if mapping.layout != LONG and not mapping.wide_columns:
        what = "periods" if mapping.layout == WIDE_PERIODS else "indicators"
        issues.append(
            ValidationIssue(
                file_name,
                None,
                None,
                f"a wide table needs the columns whose headers are {what}, and none is chosen: choose them "
                f"({how_to_give(mapping.layout)}), or choose the long layout ({how_to_give('layout', values=(LONG,))})",
            )
        )
    figures = schema.VALUE_COLUMNS.get(mapping.table, ())  # the one list of each table's figure columns
    if figures and mapping.layout == LONG and not set(figures) & set(mapping.provided()):
        name = figures[0]
        issues.append(
            ValidationIssue(
                file_name,
                None,
                name,
                f"no column gives '{name}' (the figures): a file for table {mapping.table} needs the column that "
                f"holds them; its columns are {', '.join(repr(c) for c in columns[:30])}. Choose it "
                f"({how_to_give('column', name)})",
            )
        )
    for name in mapping.blank_constants():
        issues.append(
            ValidationIssue(
                file_name,
                None,
                None,
                f"'{name}' ({field_label(name)}) takes one value for every row, and a remembered mapping does not "
                f"keep values from another file: give it for this file ({how_to_give('value', name)})",
            )
        )
    issues += _unreadable_periods(mapping, file_name)
    for name in mapping.missing_fields(updates=True):
        issues.append(
            ValidationIssue(
                file_name,
                None,
                None,
                f"no column gives '{name}' ({field_label(name)}), which table {mapping.table} needs: "
                "choose the column that holds it, or give one value for every row "
                f"({how_to_give('column or value', name)})",
            )
        )
    return issues


def _unreadable_periods(mapping: ColumnMapping, file_name: str) -> list[ValidationIssue]:
    """Return a refusal per period given for every row that cannot be read: one problem, not one per row."""
    issues = []
    for name, value in mapping.constants.items():
        if schema.COLUMNS[mapping.table].get(name) != "period" or not str(value).strip():
            continue
        try:
            period_start(str(value))
        except BadPeriodError as error:
            issues.append(
                ValidationIssue(file_name, None, f"{name} {GIVEN}", f"{error} ({how_to_give('value', name)})")
            )
    return issues


def undecided_message(mapping: ColumnMapping) -> str:
    """Return why an undecided mapping is refused, and how to choose its table (command line and page)."""
    if len(mapping.undecided) == 1:  # a catalogue's key and some of its columns (``layouts.recognise``)
        table = mapping.table
        key = CATALOGUES[table][0]
        others = ", ".join(repr(c) for f, c in mapping.columns.items() if f != key)
        return (
            f"its columns are {CATALOGUES[table][1]}'s {key} ('{mapping.columns[key]}') and some of its columns "
            f"({others}): to update those columns of the stored {table} rows (their other columns keep their "
            f"values), choose the table ({how_to_give('table', values=(table,))})"
        )
    fits = " and ".join(f"{CATALOGUES[table][1]} (table {table})" for table in mapping.undecided)
    return (
        f"its columns fit {fits}, and its codes do not tell which (an authority list's are mostly ONS codes such "
        "as E10000018 or authorities this store holds, an indicator catalogue's mostly indicator ids it holds): "
        f"choose the table ({how_to_give('table', values=mapping.undecided)})"
    )


def apply_mapping(
    frame: pd.DataFrame,
    mapping: ColumnMapping,
    file_name: str,
    context: StoreContext | None = None,
    rows: np.ndarray | None = None,
    percent: dict[str, np.ndarray] | None = None,
) -> MappedFile:
    """Return the file's rows as store rows; raise ImportValidationError if the mapping does not fit.

    Wide tables become one row per non-empty cell (an empty cell in a grid means no
    value was published, so nothing is written for it). With ``context``, authority
    names resolve to codes and indicator names to ids; names that match nothing are kept
    as written, so the checks report them at their row, and are listed in ``unresolved``.
    ``rows`` is each frame row's spreadsheet row when it is not position + 2 (a file with blank rows);
    ``percent`` the workbook cells formatted as percentages (column -> row positions), carried to each field they
    give as ``results.FILE_PERCENT + field``.
    """
    columns = [str(c) for c in frame.columns]
    issues = check_mapping(columns, mapping, file_name)
    unused = unused_columns(frame, mapping)
    issues += dropped_figures(unused, mapping, file_name)
    if issues:
        raise ImportValidationError(issues)
    frame = frame.reset_index(drop=True)
    n = len(frame)
    row_fields = dict(mapping.columns.items())
    if "authority_code" in row_fields:
        row_fields.pop(AUTHORITY_NAME, None)  # codes win when a file has both
    out: dict[str, object] = {}
    where: dict[str, object] = {}
    shown = _percent_masks(frame, percent or {})
    flagged: dict[str, np.ndarray] = {}  # field -> its cells formatted as percentages
    if mapping.layout == LONG:
        for name, column in row_fields.items():
            out[name] = frame[column]
            if column != name:
                where[name] = _constant_label(column, n)
            if column in shown:
                flagged[name] = shown[column]
    else:
        header = header_field(mapping.layout)
        wide = list(mapping.wide_columns)
        cells = frame[wide].to_numpy(dtype=object).reshape(-1)
        filled = ~pd.isna(cells)
        filled[filled] = pd.Series(cells[filled], dtype=object).astype(str).str.strip().ne("").to_numpy()
        positions = np.flatnonzero(filled)
        row_index, column_index = positions // len(wide), positions % len(wide)
        n = len(positions)
        for name, column in row_fields.items():
            out[name] = frame[column].to_numpy(dtype=object)[row_index]
            where[name] = _constant_label(column, n)
            if column in shown:
                flagged[name] = shown[column][row_index]
        if any(column in shown for column in wide):
            grid = np.column_stack([shown.get(column, np.zeros(len(frame), dtype=bool)) for column in wide])
            flagged["value"] = grid.reshape(-1)[positions]
        headers = pd.Categorical.from_codes(column_index, categories=[str(c).strip() for c in wide])
        out[header] = np.asarray(headers, dtype=object)
        out["value"] = cells[positions]
        where[header] = headers
        where["value"] = headers
        rows = row_index + 2 if rows is None else np.asarray(rows)[row_index]
    for name, value in mapping.constants.items():
        out[name] = np.full(n, value, dtype=object)
        where[name] = _constant_label(f"{name} {GIVEN}", n)
    result = pd.DataFrame(out, index=range(n))
    if rows is not None:
        result[FILE_ROW] = rows
    context = context or store_context(None)
    resolved: dict[str, str] = {}
    unresolved: list[str] = []
    if AUTHORITY_NAME in result.columns:
        result, resolved, unresolved = _resolve_names(result, context)
        where["authority_code"] = where.pop(AUTHORITY_NAME, _constant_label("authority_code", n))
    elif "authority_code" in result.columns and len(context.authorities):
        result["authority_code"], unresolved = _resolve_codes(result["authority_code"], context)
    if "member_code" in result.columns and len(context.authorities):  # a group's members: codes or names
        result["member_code"], members = _resolve_codes(result["member_code"], context)
        unresolved += [cell for cell in members if cell not in unresolved]
    if mapping.table in EVERY_AUTHORITY_TABLES:  # '*' means every authority: no name to resolve
        unresolved = [cell for cell in unresolved if cell != EVERY_AUTHORITY]
    if "indicator_id" in result.columns and len(context.indicators):
        result["indicator_id"] = _resolve_indicators(result["indicator_id"], context)
    for name, labels in where.items():
        result[FILE_COLUMN + name] = labels
    for name, mask in flagged.items():
        result[FILE_PERCENT + name] = mask
    return MappedFile(
        file_name,
        mapping,
        result,
        rows_read=len(frame),
        columns=columns,
        unresolved=unresolved,
        resolved=resolved,
        unused=unused,
    )


def _percent_masks(frame: pd.DataFrame, percent: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Return column -> per row, whether its cell was formatted as a percentage (columns with such a cell only)."""
    masks = {}
    for column, positions in percent.items():
        if column in frame.columns and len(positions):
            masks[column] = np.zeros(len(frame), dtype=bool)
            masks[column][positions] = True
    return masks


def _constant_label(text: str, n: int) -> pd.Categorical:
    """Return ``text`` for every row, stored once (a categorical of one category)."""
    return pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), categories=[text])


def _resolve_names(result: pd.DataFrame, context: StoreContext) -> tuple[pd.DataFrame, dict, list]:
    text = stripped(result.pop(AUTHORITY_NAME))
    resolved, unresolved = resolve_authorities(distinct_cells(text), context.authorities)
    codes = replaced(text, resolved)  # unresolved names stay, to be reported at their rows
    result.insert(0, "authority_code", codes)
    renamed = {name: code for name, code in resolved.items() if name != code}
    return result, renamed, unresolved


def _resolve_codes(codes: pd.Series, context: StoreContext) -> tuple[pd.Series, list[str]]:
    """Return codes in the store's spelling (any case; a name in a code column also resolves), and unknown ones."""
    text = stripped(codes)
    resolved, unresolved = resolve_authorities(distinct_cells(text), context.authorities)
    return replaced(text, resolved), unresolved


def _resolve_indicators(ids: pd.Series, context: StoreContext) -> pd.Series:
    """Return indicator ids, with cells that hold an indicator's name (any case) replaced by its id."""
    known = set(context.indicators["id"])
    text = stripped(ids)
    others = [cell for cell in distinct_cells(text) if cell not in known]
    if not others:  # the usual values file: every cell an id (no lookup of every indicator's name is built)
        return text
    lookup = indicator_lookup(context.indicators)
    return replaced(text, {cell: lookup[indicator_key(cell)] for cell in others if indicator_key(cell) in lookup})
