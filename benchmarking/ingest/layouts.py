"""Layouts of a published table and the column mapping: recognise it from a header, correct it.

A published table rarely uses the store's column names. ``recognise`` guesses from the
header alone which table a file fills, whether it is *long* (one row per authority,
indicator and period) or *wide* (authorities as rows, with periods or indicators across
the columns), and which column gives each of the store's fields, using the words
publishers use (``headers``). The user can correct the guess (``adjust``); the result is
a ``ColumnMapping``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

import pandas as pd

from benchmarking.ingest.headers import (
    AUTHORITY_NAME,
    assign_fields,
    indicator_key,
    indicator_lookup,
    looks_like_period,
    required_fields,
)
from benchmarking.store import schema

LONG = "long"
WIDE_PERIODS = "wide-periods"
WIDE_INDICATORS = "wide-indicators"
LAYOUTS = {
    LONG: "long: one row per authority, indicator and period",
    WIDE_PERIODS: "wide: authorities as rows, periods as columns",
    WIDE_INDICATORS: "wide: authorities as rows, indicators as columns",
}


def header_field(layout: str) -> str | None:
    """Return the field a wide layout's headers give ('period' or 'indicator_id'); None for the long layout."""
    return {WIDE_PERIODS: "period", WIDE_INDICATORS: "indicator_id"}.get(layout)


def header_fields(layout: str) -> set[str]:
    """Return the fields a layout's value columns give: its header field and 'value' (none when long)."""
    name = header_field(layout)
    return {name, "value"} if name else set()


def suggested_wide_columns(layout: str, file_columns: Iterable[str], mapped: Iterable[str]) -> tuple[str, ...]:
    """Return a layout's value columns by default: period headers (wide-periods), else the unmapped columns.

    ``mapped`` are the columns that give a field; the long layout has no value columns.
    """
    if layout == WIDE_PERIODS:
        return tuple(c for c in file_columns if looks_like_period(c))
    if layout == WIDE_INDICATORS:
        used = set(mapped)
        return tuple(c for c in file_columns if c not in used)
    return ()


@dataclass(frozen=True)
class ColumnMapping:
    """How a file's columns fill a store table: layout, field -> column, fixed values."""

    table: str = "indicator_value"
    layout: str = LONG
    columns: Mapping[str, str] = field(default_factory=dict)
    """Store field (or ``authority_name``) -> the file column that gives it."""
    constants: Mapping[str, str] = field(default_factory=dict)
    """Store field -> one value for every row (an edition, or the period of a wide file)."""
    wide_columns: tuple[str, ...] = ()
    """Wide layouts: the columns whose headers are periods or indicators and whose cells are values."""

    def to_json(self) -> str:
        """Return the mapping as JSON (how it is remembered in the store)."""
        return json.dumps(
            {
                "table": self.table,
                "layout": self.layout,
                "columns": dict(self.columns),
                "constants": dict(self.constants),
                "wide_columns": list(self.wide_columns),
            },
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> ColumnMapping:
        """Return a mapping saved with ``to_json``."""
        data = json.loads(text)
        return cls(
            table=str(data["table"]),
            layout=str(data.get("layout", LONG)),
            columns={str(k): str(v) for k, v in data.get("columns", {}).items()},
            constants={str(k): str(v) for k, v in data.get("constants", {}).items()},
            wide_columns=tuple(str(c) for c in data.get("wide_columns", ())),
        )

    def provided(self) -> set[str]:
        """Return the fields this mapping fills, counting names as codes and wide headers."""
        fields = set(self.columns) | set(self.constants)
        if AUTHORITY_NAME in fields:
            fields.add("authority_code")
        return fields | header_fields(self.layout)

    def blank_constants(self) -> list[str]:
        """Return the fields that ask for one value for every row and have none yet (a remembered mapping's)."""
        return [f for f, v in self.constants.items() if not str(v).strip()]

    def missing_fields(self) -> list[str]:
        """Return the required fields that nothing in the mapping gives."""
        return [f for f in required_fields(self.table) if f not in self.provided()]

    def describe(self) -> str:
        """Return the mapping in one line, for the command line and the page."""
        parts = [f"{f} <- '{c}'" for f, c in self.columns.items()]
        parts += [f"{f} = '{v}'" if str(v).strip() else f"{f} = (give a value)" for f, v in self.constants.items()]
        if self.layout != LONG and self.wide_columns:
            header = "period" if self.layout == WIDE_PERIODS else "indicator_id"
            shown = ", ".join(f"'{c}'" for c in self.wide_columns[:4])
            more = f" and {len(self.wide_columns) - 4} more" if len(self.wide_columns) > 4 else ""
            parts.append(f"{header} <- headers of {shown}{more}; value <- their cells")
        layout = LAYOUTS[self.layout] if self.table == "indicator_value" else f"{self.layout} layout"
        return f"table {self.table}, {layout}: " + "; ".join(parts)


def recognise(
    columns: Iterable[object], table: str | None = None, indicators: pd.DataFrame | None = None
) -> ColumnMapping:
    """Return the best guess of a mapping from a file's header alone.

    ``table`` fixes the target table (else the table whose required fields the header
    fills best, ``indicator_value`` when none is filled). ``indicators`` (id, name) lets
    headers that are indicator ids or names be read as a wide table of indicators.
    """
    columns = [str(c) for c in columns]
    period_headers = [c for c in columns if looks_like_period(c)]
    lookup = indicator_lookup(indicators)
    indicator_headers = [c for c in columns if c not in period_headers and indicator_key(c) in lookup]
    plain = [c for c in columns if c not in period_headers and c not in indicator_headers]
    candidates = []
    for position, name in enumerate([table] if table else list(schema.COLUMNS)):
        assigned = assign_fields(plain, name)
        mapping = _with_layout(name, assigned, period_headers, indicator_headers)
        complete = not mapping.missing_fields()
        preference = 0 if name == "indicator_value" else 1
        candidates.append(((not complete, -len(mapping.provided()), preference, position), mapping))
    best = min(candidates, key=lambda c: c[0])
    if table is None and best[0][0]:  # nothing complete: values are what people load most
        return next(m for _, m in candidates if m.table == "indicator_value")
    return best[1]


def _with_layout(
    table: str, assigned: dict[str, str], period_headers: list[str], indicator_headers: list[str]
) -> ColumnMapping:
    if table == "indicator_value" and "value" not in assigned:
        if period_headers:
            columns = {k: v for k, v in assigned.items() if k != "period"}
            return ColumnMapping(table, WIDE_PERIODS, columns, {}, tuple(period_headers))
        if indicator_headers:
            columns = {k: v for k, v in assigned.items() if k != "indicator_id"}
            return ColumnMapping(table, WIDE_INDICATORS, columns, {}, tuple(indicator_headers))
    return ColumnMapping(table, LONG, assigned)


def adjust(
    mapping: ColumnMapping,
    file_columns: list[str],
    *,
    table: str | None = None,
    layout: str | None = None,
    columns: Mapping[str, str] | None = None,
    constants: Mapping[str, str] | None = None,
    indicators: pd.DataFrame | None = None,
) -> ColumnMapping:
    """Return ``mapping`` with the user's corrections: another table or layout, field -> column, fixed values.

    Changing the layout to a wide one takes as value columns the file's period headers
    (``wide-periods``) or every column not mapped to a field (``wide-indicators``).
    """
    if table and table != mapping.table:
        mapping = recognise(file_columns, table, indicators)
    if layout and layout != mapping.layout:
        wide = suggested_wide_columns(layout, file_columns, [*mapping.columns.values(), *(columns or {}).values()])
        kept = {f: c for f, c in mapping.columns.items() if f != header_field(layout) and c not in wide}
        if layout == LONG:
            kept = dict(mapping.columns)
        mapping = replace(mapping, layout=layout, columns=kept, wide_columns=wide)
    if columns:
        merged = {f: c for f, c in mapping.columns.items() if f not in columns and c not in columns.values()}
        merged.update({f: c for f, c in columns.items() if c})
        wide = tuple(c for c in mapping.wide_columns if c not in merged.values())
        mapping = replace(mapping, columns=merged, wide_columns=wide)
    if constants:
        merged_constants = {**mapping.constants, **{f: v for f, v in constants.items() if v != ""}}
        mapping = replace(
            mapping,
            constants=merged_constants,
            columns={f: c for f, c in mapping.columns.items() if f not in constants},
        )
    return mapping
