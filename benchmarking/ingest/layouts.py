"""Layouts of a published table and the column mapping: recognise it from a header, correct it.

A published table rarely uses the store's column names. ``recognise`` guesses from the
header alone which table a file fills, whether it is *long* (one row per authority,
indicator and period) or *wide* (authorities as rows, with periods or indicators across
the columns), and which column gives each of the store's fields, using the words
publishers use (``headers``). The user can correct the guess (``adjust``); the result is
a ``ColumnMapping``.

A header of codes and names (``code,name``, perhaps with ``kind`` or ``region``) fits an authority
list and an indicator catalogue alike: then the codes tell which (``catalogue_table``), and a file
whose codes do not is recognised as *undecided* (``ColumnMapping.undecided``), refused until the
user chooses the table, never guessed. The codes tell a values file's too: a code column of authorities' codes
(``code,name,year,value`` of ONS codes) gives the authority, and the indicator is asked for.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

import pandas as pd

from benchmarking.cells import distinct_cells
from benchmarking.ingest.headers import (
    AUTHORITY_NAME,
    assign_fields,
    indicator_key,
    indicator_lookup,
    looks_like_period,
    normalise_header,
    required_fields,
    table_fields,
)
from benchmarking.ingest.keys import MISTYPED_ONS_CODE, ONS_CODE
from benchmarking.ingest.names import resolve_authorities
from benchmarking.store import schema

LONG = "long"
WIDE_PERIODS = "wide-periods"
WIDE_INDICATORS = "wide-indicators"
LAYOUTS = {
    LONG: "long: one row per authority, indicator and period",
    WIDE_PERIODS: "wide: authorities as rows, periods as columns",
    WIDE_INDICATORS: "wide: authorities as rows, indicators as columns",
}
CATALOGUES = {"authority": ("code", "an authority list"), "indicator": ("id", "an indicator catalogue")}
"""The tables of codes and names: each one's key field, and what people call such a file."""


def fields_needed(table: str, given: Iterable[str]) -> list[str]:
    """Return the required fields of ``table`` that ``given`` lacks and a file must give whole: every one, but none
    for a catalogue that gives its key (a file of some columns updates the stored rows; a new key is asked for the
    other fields at its row, ``catalogue.check_new_keys``)."""
    given = set(given)
    key = CATALOGUES.get(table, (None,))[0]
    return [] if key in given else [f for f in required_fields(table) if f not in given]


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
    undecided: tuple[str, ...] = ()
    """The tables the file fits equally (its header and codes cannot tell them apart), or the one catalogue whose
    key and some other columns it gives (an update of stored rows, never guessed); () once decided. An undecided
    mapping is refused until the user chooses the table; it is never remembered."""

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

    def missing_fields(self, *, updates: bool = False) -> list[str]:
        """Return the required fields that nothing in the mapping gives; with ``updates``, those a file must give
        whole (``fields_needed``: none for a catalogue's key and some of its columns, which update stored rows)."""
        if updates:
            return fields_needed(self.table, self.provided())
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
        if len(self.undecided) == 1:
            return f"table {self.table}? (some of its columns: choose it to update them), {layout}: " + "; ".join(parts)
        if self.undecided:
            return f"table {' or '.join(self.undecided)} (cannot tell which: choose one), {layout}: " + "; ".join(parts)
        return f"table {self.table}, {layout}: " + "; ".join(parts)


def recognise(
    columns: Iterable[object],
    table: str | None = None,
    indicators: pd.DataFrame | None = None,
    *,
    authorities: pd.DataFrame | None = None,
    frame: pd.DataFrame | None = None,
) -> ColumnMapping:
    """Return the best guess of a mapping from a file's header (and, for codes and names, its codes).

    ``table`` fixes the target table (else the table whose required fields the header
    fills best, ``indicator_value`` when none is filled). ``indicators`` (id, name) lets
    headers that are indicator ids or names be read as a wide table of indicators. A header
    that fills no table whole but gives the codes and names of a catalogue is an authority list
    or an indicator catalogue, as its codes in ``frame`` say (``catalogue_table``); undecided when
    they do not.
    """
    columns = [str(c) for c in columns]
    period_headers = [c for c in columns if looks_like_period(c)]
    lookup = indicator_lookup(indicators)
    indicator_headers = [c for c in columns if c not in period_headers and indicator_key(c) in lookup]
    plain = [c for c in columns if c not in period_headers and c not in indicator_headers]
    candidates = []
    names = _authority_names_column(plain, frame, authorities, indicators)
    for position, name in enumerate([table] if table else list(schema.COLUMNS)):
        assigned = assign_fields(plain, name)
        if names and AUTHORITY_NAME in table_fields(name) and not {"authority_code", AUTHORITY_NAME} & set(assigned):
            assigned = {**assigned, AUTHORITY_NAME: names} if names not in assigned.values() else assigned
        mapping = _with_layout(name, assigned, period_headers, indicator_headers)
        complete = not mapping.missing_fields()
        preference = 0 if name == "indicator_value" else 1
        candidates.append(((not complete, -len(mapping.provided()), preference, position), mapping))
    best = min(candidates, key=lambda c: c[0])
    if table is None and best[0][0]:  # nothing complete: a list of codes and names, else values
        values = _authorities_by_code(
            next(m for _, m in candidates if m.table == "indicator_value"), frame, authorities, indicators
        )
        lists = [m for _, m in candidates if _is_list(m) and len(m.provided()) > len(values.provided())]
        if len(lists) == 1:
            return lists[0]
        if lists:
            chosen = catalogue_table(lists, frame, authorities, indicators)
            return next((m for m in lists if m.table == chosen), replace(lists[0], undecided=tuple(CATALOGUES)))
        updates = [m for _, m in candidates if _updates_catalogue(m, columns)]
        if len(updates) == 1:  # a catalogue's key and some of its columns: asked for, never guessed
            return replace(updates[0], undecided=(updates[0].table,))
        return values
    return _authorities_by_code(best[1], frame, authorities, indicators)


def catalogue_table(
    lists: list[ColumnMapping],
    frame: pd.DataFrame | None,
    authorities: pd.DataFrame | None,
    indicators: pd.DataFrame | None,
) -> str | None:
    """Return which catalogue a file of codes and names is ('authority' or 'indicator'), or None when it cannot tell.

    Its codes tell first: an authority list when most are ONS codes (E10000018) or authority codes the store
    holds, an indicator catalogue when most are indicator ids the store holds (case ignored); codes of both kinds
    in one file tell nothing (a held indicator id would become an authority). When none is either, the header
    tells if it gives more of one table's fields (``region``, ``theme``).
    """
    chosen, looked = _codes_tell(
        frame, {m.table: m.columns[CATALOGUES[m.table][0]] for m in lists}, authorities, indicators
    )
    if looked:
        return chosen
    sizes = sorted(((len(m.provided()), m.table) for m in lists), reverse=True)
    return sizes[0][1] if sizes[0][0] > sizes[1][0] else None


def _codes_tell(
    frame: pd.DataFrame | None,
    columns: Mapping[str, str],
    authorities: pd.DataFrame | None,
    indicators: pd.DataFrame | None,
) -> tuple[str | None, bool]:
    """Return the table ('authority' or 'indicator') whose keys most codes of its column (``columns``: table -> the
    column) are, when none is a key of the other (else None); and whether any code looks like a key of either.

    A key is one the store holds (case ignored), or for an authority the ONS shape (a new authority's code), a digit
    missing or extra too (a mistyped one, refused at its row by the checks: one odd cell never turns the column).
    "Most" is more than half of the distinct codes: the fewest that outnumber every other code together, so that
    the odd cells never decide, and half (one ONS code and one new indicator id) tells nothing.
    """
    held = {
        "authority": () if authorities is None else authorities["code"],
        "indicator": () if indicators is None else indicators["id"],
    }
    looks = {}
    for table, column in columns.items():
        codes = [str(c).strip() for c in (distinct_cells(frame[column]) if frame is not None else ())]
        codes = [c for c in codes if c]
        known = {str(k).casefold() for k in held[table]}
        ons = table == "authority"  # a new authority's code has the ONS shape; a new indicator's id no shape
        shaped = (lambda c: bool(ONS_CODE.match(c) or MISTYPED_ONS_CODE.match(c))) if ons else (lambda c: False)
        looks[table] = (sum(c.casefold() in known or shaped(c) for c in codes), len(codes))
    (first, (most, codes)), (_, (other, _)) = sorted(looks.items(), key=lambda item: -item[1][0])
    return (first if most and not other and 2 * most > codes else None), bool(most)


def codes_say(
    frame: pd.DataFrame, column: str, authorities: pd.DataFrame | None, indicators: pd.DataFrame | None
) -> str | None:
    """Return whose keys most codes of a file's column are ('authority' or 'indicator'), None when they do not tell
    (``_codes_tell``: codes of both kinds, or of neither)."""
    return _codes_tell(frame, {"authority": column, "indicator": column}, authorities, indicators)[0]


def _authorities_by_code(
    mapping: ColumnMapping,
    frame: pd.DataFrame | None,
    authorities: pd.DataFrame | None,
    indicators: pd.DataFrame | None,
) -> ColumnMapping:
    """Return a values mapping whose indicator column holds authorities' codes (``code,name,year,value`` of ONS
    codes) with that column giving the authority, the indicator left for the user to give; else ``mapping``.

    The codes say authorities as they say an authority list (``catalogue_table``): most are ONS codes or authority
    codes the store holds, and none is an indicator id it holds. Held indicator ids keep the mapping.
    """
    column = mapping.columns.get("indicator_id")
    if frame is None or column is None or {"authority_code", AUTHORITY_NAME} & set(mapping.columns):
        return mapping
    if codes_say(frame, column, authorities, indicators) != "authority":
        return mapping
    return replace(
        mapping, columns={"authority_code" if f == "indicator_id" else f: c for f, c in mapping.columns.items()}
    )


def _authority_names_column(
    columns: list[str], frame: pd.DataFrame | None, authorities: pd.DataFrame | None, indicators: pd.DataFrame | None
) -> str | None:
    """Return the column headed ``name`` whose cells are authorities' names (more than half of its distinct cells
    are names or codes of authorities the store holds, ``names.resolve_authorities``), else None: beside an indicator
    and a period it gives the authority, as an ``authority`` or ``Local authority`` header does. Not when the column
    read as the indicator holds authorities' codes (``code,name,year,value`` of ONS codes: the code gives the
    authority, ``_authorities_by_code``)."""
    headed = [c for c in columns if normalise_header(c) in ("name", "names")]
    if frame is None or authorities is None or len(authorities) == 0 or len(headed) != 1:
        return None
    codes = assign_fields(columns, "indicator_value").get("indicator_id")
    if codes is not None and codes_say(frame, codes, authorities, indicators) == "authority":
        return None
    cells = [str(c).strip() for c in distinct_cells(frame[headed[0]]) if isinstance(c, str) and str(c).strip()]
    resolved, _ = resolve_authorities(cells, authorities)
    return headed[0] if cells and 2 * len(resolved) > len(cells) else None


def _is_list(mapping: ColumnMapping) -> bool:
    """Return True when the mapping gives a catalogue's codes and names (``code,name``, ``id,name``)."""
    return mapping.table in CATALOGUES and {CATALOGUES[mapping.table][0], "name"} <= set(mapping.columns)


def _updates_catalogue(mapping: ColumnMapping, columns: list[str]) -> bool:
    """Return True when every column of the file gives a field of a catalogue, its key and another (``id,polarity``,
    ``code,region``): a file that updates some columns of stored rows."""
    key = CATALOGUES.get(mapping.table, (None,))[0]
    return key in mapping.columns and len(mapping.columns) > 1 and set(mapping.columns.values()) == set(columns)


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
    if columns:  # a column given for a field wins over a value for every row (a remembered mapping's too)
        merged = {f: c for f, c in mapping.columns.items() if f not in columns and c not in columns.values()}
        merged.update({f: c for f, c in columns.items() if c})
        wide = tuple(c for c in mapping.wide_columns if c not in merged.values())
        kept = {f: v for f, v in mapping.constants.items() if f not in merged}
        mapping = replace(mapping, columns=merged, constants=kept, wide_columns=wide)
    if constants:
        merged_constants = {**mapping.constants, **{f: v for f, v in constants.items() if v != ""}}
        mapping = replace(
            mapping,
            constants=merged_constants,
            columns={f: c for f, c in mapping.columns.items() if f not in constants},
        )
    return mapping
