"""Column mapping: recognise a published file's layout and turn it into the store's rows.

A published table rarely uses the store's column names. ``recognise`` guesses from the
header alone which table a file fills, whether it is *long* (one row per authority,
indicator and period) or *wide* (authorities as rows, with periods or indicators across
the columns), and which column gives each of the store's fields, using the words
publishers use ('ONS code', 'Area name', 'Year', 'Measure', 'Value', ...). The user can
correct the guess; the result is a ``ColumnMapping``.

``apply_mapping`` turns a file and its mapping into a long frame with the store's column
names, ready for ``importer.check_batch`` / ``import_frames``: wide tables are melted,
authority names are resolved to ONS codes (ignoring case, '&'/'and' and a 'County
Council' suffix; see ``adapters.name_key``), indicator names to ids, and locator
columns (``importer.FILE_ROW``, ``importer.FILE_COLUMN``) keep where each row came from,
so that every message names the file's own row and column.

A mapping is remembered in the store's ``setting`` table as JSON under
``mapping:<signature of the column set>`` (saved with the import that used it), so the
next file with the same columns maps itself.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from benchmarking.adapters import name_index, name_key
from benchmarking.errors import BadPeriodError, ImportValidationError, ValidationIssue
from benchmarking.ingest.importer import FILE_COLUMN, FILE_ROW
from benchmarking.method.periods import period_start
from benchmarking.store import Store, schema

LONG = "long"
WIDE_PERIODS = "wide-periods"
WIDE_INDICATORS = "wide-indicators"
LAYOUTS = {
    LONG: "long: one row per authority, indicator and period",
    WIDE_PERIODS: "wide: authorities as rows, periods as columns",
    WIDE_INDICATORS: "wide: authorities as rows, indicators as columns",
}
AUTHORITY_NAME = "authority_name"
"""A field that is not a store column: authority names, resolved to ``authority_code``."""
SETTING_PREFIX = "mapping:"
GIVEN = "(given for every row)"

# ---------------------------------------------------------------------------------------
# The words publishers use for the store's fields
#
# Headers are compared after ``normalise_header``: camelCase split, lower case, anything
# but letters, digits and '&' turned into single spaces ('LocalAuthority' and
# 'local_authority' both read 'local authority'). Earlier synonyms win over later ones
# when two columns could give the same field ('Code' beats 'Measure' for the indicator).
# ---------------------------------------------------------------------------------------

_AUTHORITY_CODE = (
    "authority code",
    "ons code",
    "gss code",
    "la code",
    "local authority code",
    "area code",
    "geography code",
    "ons la code",
    "new la code",
    "lad code",
    "utla code",
    "council code",
    "organisation code",
    "ons area code",
)
_AUTHORITY_NAME = (
    "authority name",
    "local authority name",
    "la name",
    "area name",
    "council name",
    "geography name",
    "organisation name",
    "local authority",
    "authority",
    "council",
    "area",
    "la and regions",
    "la",
    "geography",
)
_VALUE_FIELDS = {
    "authority_code": _AUTHORITY_CODE,
    AUTHORITY_NAME: _AUTHORITY_NAME,
    "period": (
        "period",
        "year",
        "financial year",
        "years",
        "time period",
        "reporting period",
        "academic year",
        "fin year",
        "date",
        "lgbf year",
    ),
    "indicator_id": (
        "indicator id",
        "indicator code",
        "measure code",
        "metric code",
        "short desc",
        "code",
        "indicator",
        "measure",
        "metric",
        "indicator name",
        "measure name",
    ),
    "value": ("value", "values", "real value", "data value", "figure", "amount", "rate"),
    "status": ("status", "value status"),
}
SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "indicator_value": _VALUE_FIELDS,
    "authority": {
        "code": _AUTHORITY_CODE,
        "name": _AUTHORITY_NAME,
        "kind": ("authority kind", "authority type", "type", "entity name", "class"),
        "population": ("total population", "all ages", "population estimate"),
    },
    "indicator": {
        "id": ("indicator id", "indicator code", "measure short", "code sortable", "short desc", "code"),
        "name": ("indicator name", "title", "measure", "indicator", "data item"),
        "theme": ("category", "topic", "service area", "is category"),
        "polarity": ("ranking type", "rank order", "direction", "better is"),
        "unit": ("units", "measure type"),
    },
    "deprivation": {
        "authority_code": _AUTHORITY_CODE,
        AUTHORITY_NAME: _AUTHORITY_NAME,
        "rank_of_average_rank": ("imd rank of average rank", "imd 2019 rank of average rank"),
        "average_score": ("imd average score", "imd 2019 average score"),
    },
    "spend": {"authority_code": _AUTHORITY_CODE, AUTHORITY_NAME: _AUTHORITY_NAME, "period": _VALUE_FIELDS["period"]},
    "funding": {"authority_code": _AUTHORITY_CODE, AUTHORITY_NAME: _AUTHORITY_NAME, "period": _VALUE_FIELDS["period"]},
}
_CODE_PATTERN = re.compile(r"^(utla|ltla|lad|ctyua|cty|ua|la)\s?\d{0,4}\s?(code|cd)$")
_NAME_PATTERN = re.compile(r"^(utla|ltla|lad|ctyua|cty|ua|la)\s?\d{0,4}\s?(name|nm)$")


def normalise_header(header: object) -> str:
    """Return a header as compared with the synonyms ('LocalAuthority' -> 'local authority')."""
    text = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", str(header).strip().lstrip("\ufeff"))
    return re.sub(r"[^a-z0-9&%]+", " ", text.lower()).strip()


def table_fields(table: str) -> list[str]:
    """Return the fields a mapping can fill for ``table``: its columns, plus authority names."""
    fields = list(schema.COLUMNS[table])
    if "authority_code" in fields and table != "comparator_group":
        fields.insert(fields.index("authority_code") + 1, AUTHORITY_NAME)
    return fields


def required_fields(table: str) -> list[str]:
    """Return the fields every row of ``table`` needs (authority_code may come from names)."""
    return [c for c, kind in schema.COLUMNS[table].items() if not kind.endswith("?")]


def field_label(field_name: str) -> str:
    """Return a field's name for people ('authority_code' -> 'Authority code (ONS)')."""
    special = {
        "authority_code": "Authority code (ONS)",
        AUTHORITY_NAME: "Authority name",
        "indicator_id": "Indicator (id or name)",
    }
    return special.get(field_name, field_name.replace("_", " ").capitalize())


def looks_like_period(header: object) -> bool:
    """Return True when a header reads as a period label ('2021/22', '2021', 'Mar 2022')."""
    text = str(header).strip()
    if not re.search(r"\d{4}", text):
        return False
    try:
        period_start(text, today=dt.date(2200, 12, 31))
    except BadPeriodError:
        return False
    return True


# ---------------------------------------------------------------------------------------
# The mapping
# ---------------------------------------------------------------------------------------


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
        if self.layout == WIDE_PERIODS:
            fields |= {"period", "value"}
        elif self.layout == WIDE_INDICATORS:
            fields |= {"indicator_id", "value"}
        return fields

    def missing_fields(self) -> list[str]:
        """Return the required fields that nothing in the mapping gives."""
        return [f for f in required_fields(self.table) if f not in self.provided()]

    def describe(self) -> str:
        """Return the mapping in one line, for the command line and the page."""
        parts = [f"{f} <- '{c}'" for f, c in self.columns.items()]
        parts += [f"{f} = '{v}'" for f, v in self.constants.items()]
        if self.layout != LONG and self.wide_columns:
            header = "period" if self.layout == WIDE_PERIODS else "indicator_id"
            shown = ", ".join(f"'{c}'" for c in self.wide_columns[:4])
            more = f" and {len(self.wide_columns) - 4} more" if len(self.wide_columns) > 4 else ""
            parts.append(f"{header} <- headers of {shown}{more}; value <- their cells")
        layout = LAYOUTS[self.layout] if self.table == "indicator_value" else f"{self.layout} layout"
        return f"table {self.table}, {layout}: " + "; ".join(parts)


def column_signature(columns: Iterable[object]) -> str:
    """Return a short hash of a file's column set; period headers count as one '{period}'."""
    parts = sorted({"{period}" if looks_like_period(c) else str(c).strip() for c in columns})
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def mapping_key(columns: Iterable[object]) -> str:
    """Return the ``setting`` key under which the mapping for this column set is remembered."""
    return SETTING_PREFIX + column_signature(columns)


def saved_mapping(settings: Mapping[str, str], columns: list[str]) -> ColumnMapping | None:
    """Return the mapping remembered for this column set, fitted to this file's columns, or None."""
    text = settings.get(mapping_key(columns))
    if not text:
        return None
    try:
        mapping = ColumnMapping.from_json(text)
    except (ValueError, KeyError, TypeError, AttributeError):
        return None  # an unreadable saved mapping is ignored: the file is recognised afresh
    if mapping.layout == WIDE_PERIODS:  # this year's file has this year's period columns
        mapping = replace(mapping, wide_columns=tuple(c for c in columns if looks_like_period(c)))
    used = set(mapping.columns.values()) | set(mapping.wide_columns)
    if mapping.table not in schema.COLUMNS or mapping.layout not in LAYOUTS or not used <= set(columns):
        return None
    return mapping


# ---------------------------------------------------------------------------------------
# Recognising a layout
# ---------------------------------------------------------------------------------------


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
    indicator_headers = [c for c in columns if c not in period_headers and _indicator_key(c) in lookup]
    plain = [c for c in columns if c not in period_headers and c not in indicator_headers]
    candidates = []
    for position, name in enumerate([table] if table else list(schema.COLUMNS)):
        assigned = _assign(plain, name)
        mapping = _with_layout(name, assigned, period_headers, indicator_headers)
        complete = not mapping.missing_fields()
        preference = 0 if name == "indicator_value" else 1
        candidates.append(((not complete, -len(mapping.provided()), preference, position), mapping))
    best = min(candidates, key=lambda c: c[0])
    if table is None and best[0][0]:  # nothing complete: values are what people load most
        return next(m for _, m in candidates if m.table == "indicator_value")
    return best[1]


def _assign(columns: list[str], table: str) -> dict[str, str]:
    """Return field -> column for the columns whose headers name a field of ``table``."""
    fields = table_fields(table)
    synonyms = SYNONYMS.get(table, {})
    options = []
    for position, column in enumerate(columns):
        header = normalise_header(column)
        for name in fields:
            if header == normalise_header(name):
                options.append((0, position, name, column))
            elif header in synonyms.get(name, ()):
                options.append((1 + synonyms[name].index(header), position, name, column))
        if "authority_code" in fields and _CODE_PATTERN.match(header):
            options.append((90, position, "authority_code", column))
        if AUTHORITY_NAME in fields and _NAME_PATTERN.match(header):
            options.append((90, position, AUTHORITY_NAME, column))
    assigned: dict[str, str] = {}
    for _, _, name, column in sorted(options):
        if name not in assigned and column not in assigned.values():
            assigned[name] = column
    return {name: assigned[name] for name in fields if name in assigned}


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


# ---------------------------------------------------------------------------------------
# What the store already holds: authorities and indicators to resolve names against
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoreContext:
    """The store's authorities (code, name), indicators (id, name) and settings, read once."""

    authorities: pd.DataFrame
    indicators: pd.DataFrame
    settings: Mapping[str, str]

    def with_authorities(self, rows: pd.DataFrame) -> StoreContext:
        """Return a context that also knows the authorities in ``rows`` (code, name)."""
        extra = rows[["code", "name"]].dropna()
        merged = pd.concat([self.authorities, extra], ignore_index=True).drop_duplicates("code", keep="last")
        return replace(self, authorities=merged)

    def with_indicators(self, rows: pd.DataFrame) -> StoreContext:
        """Return a context that also knows the indicators in ``rows`` (id, name)."""
        extra = rows[["id", "name"]].dropna()
        merged = pd.concat([self.indicators, extra], ignore_index=True).drop_duplicates("id", keep="last")
        return replace(self, indicators=merged)


def store_context(store: Store | None) -> StoreContext:
    """Return the store's authorities, indicators and settings (empty for a missing store)."""
    if store is None or not store.exists():
        return StoreContext(
            pd.DataFrame({"code": [], "name": []}, dtype=object), pd.DataFrame({"id": [], "name": []}, dtype=object), {}
        )
    authorities = store.authorities()[["code", "name"]]
    indicators = store.indicators()[["id", "name"]]
    return StoreContext(authorities, indicators, store.settings())


def resolve_authorities(names: Iterable[object], authorities: pd.DataFrame) -> tuple[dict[str, str], list[str]]:
    """Return ``(name -> code, unresolved names)`` against the store's authorities (code, name).

    A cell that already is a code (any case) resolves to it. Names match on
    ``adapters.name_key`` (case, '&', punctuation and a 'County Council' / 'Council'
    suffix ignored), then with a leading 'County' dropped ('County Durham' = 'Durham').
    """
    codes = {str(code).upper(): str(code) for code in authorities["code"]}
    main, _ = name_index(authorities, "code", name_columns=("name",), alt_names_column=None)
    loose: dict[str, set[str]] = {}
    for key, code in main.items():
        loose.setdefault(_loose_key(key), set()).add(code)
    resolved: dict[str, str] = {}
    unresolved: list[str] = []
    for name in dict.fromkeys(str(n) for n in names if isinstance(n, str) and n.strip()):
        text = name.strip()
        key = name_key(text)
        code = codes.get(text.upper()) or main.get(key)
        if code is None and len(loose.get(_loose_key(key), ())) == 1:
            code = next(iter(loose[_loose_key(key)]))
        if code is None:
            unresolved.append(name)
        else:
            resolved[name] = code
    return resolved, unresolved


def _loose_key(key: str) -> str:
    return re.sub(r"^county |\bcounty$", "", key).strip()


def indicator_lookup(indicators: pd.DataFrame | None) -> dict[str, str]:
    """Return a lookup from indicator id or name (any case and spacing) to the indicator id."""
    if indicators is None or indicators.empty:
        return {}
    lookup: dict[str, str] = {}
    for name, code in zip(indicators["name"], indicators["id"]):
        if isinstance(name, str):
            lookup.setdefault(_indicator_key(name), code)
    for code in indicators["id"]:
        lookup[_indicator_key(code)] = code  # ids win over names
    return lookup


def _indicator_key(text: object) -> str:
    return re.sub(r"\s+", " ", str(text)).strip().casefold()


# ---------------------------------------------------------------------------------------
# Applying a mapping
# ---------------------------------------------------------------------------------------


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

    @property
    def table(self) -> str:
        return self.mapping.table

    def setting(self) -> tuple[str, str]:
        """Return the ``setting`` row (key, JSON) that remembers this file's mapping."""
        return mapping_key(self.columns), self.mapping.to_json()

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
                file_name, None, None, f"unknown table {mapping.table!r}; choose one of {', '.join(schema.COLUMNS)}"
            )
        ]
    if mapping.layout not in LAYOUTS:
        return [
            ValidationIssue(
                file_name, None, None, f"unknown layout {mapping.layout!r}; choose one of {', '.join(LAYOUTS)}"
            )
        ]
    if mapping.layout != LONG and mapping.table != "indicator_value":
        issues.append(
            ValidationIssue(
                file_name,
                None,
                None,
                "wide layouts hold indicator values: choose table indicator_value or the long layout",
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
                file_name, None, None, f"a wide table needs the columns whose headers are {what}: choose them"
            )
        )
    for name in mapping.missing_fields():
        issues.append(
            ValidationIssue(
                file_name,
                None,
                None,
                f"no column gives '{name}' ({field_label(name)}), which table {mapping.table} needs: "
                "choose the column that holds it, or give one value for every row",
            )
        )
    return issues


def apply_mapping(
    frame: pd.DataFrame, mapping: ColumnMapping, file_name: str, context: StoreContext | None = None
) -> MappedFile:
    """Return the file's rows as store rows; raise ImportValidationError if the mapping does not fit.

    Wide tables become one row per non-empty cell (an empty cell in a grid means no
    value was published, so nothing is written for it). With ``context``, authority
    names resolve to codes and indicator names to ids; names that match nothing are kept
    as written, so the checks report them at their row, and are listed in ``unresolved``.
    """
    columns = [str(c) for c in frame.columns]
    issues = check_mapping(columns, mapping, file_name)
    if issues:
        raise ImportValidationError(issues)
    frame = frame.reset_index(drop=True)
    n = len(frame)
    row_fields = dict(mapping.columns.items())
    if "authority_code" in row_fields:
        row_fields.pop(AUTHORITY_NAME, None)  # codes win when a file has both
    out: dict[str, object] = {}
    where: dict[str, object] = {}
    if mapping.layout == LONG:
        for name, column in row_fields.items():
            out[name] = frame[column]
            if column != name:
                where[name] = _constant_label(column, n)
        rows = None
    else:
        header_field = "period" if mapping.layout == WIDE_PERIODS else "indicator_id"
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
        headers = pd.Categorical.from_codes(column_index, categories=[str(c).strip() for c in wide])
        out[header_field] = np.asarray(headers, dtype=object)
        out["value"] = cells[positions]
        where[header_field] = headers
        where["value"] = headers
        rows = row_index + 2
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
    if "indicator_id" in result.columns and len(context.indicators):
        result["indicator_id"] = _resolve_indicators(result["indicator_id"], context)
    for name, labels in where.items():
        result[FILE_COLUMN + name] = labels
    return MappedFile(
        file_name, mapping, result, rows_read=len(frame), columns=columns, unresolved=unresolved, resolved=resolved
    )


def _constant_label(text: str, n: int) -> pd.Categorical:
    """Return ``text`` for every row, stored once (a categorical of one category)."""
    return pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), categories=[text])


def _resolve_names(result: pd.DataFrame, context: StoreContext) -> tuple[pd.DataFrame, dict, list]:
    text = _stripped(result.pop(AUTHORITY_NAME))
    resolved, unresolved = resolve_authorities(text.dropna().unique(), context.authorities)
    codes = _replace(text, resolved)  # unresolved names stay, to be reported at their rows
    result.insert(0, "authority_code", codes)
    renamed = {name: code for name, code in resolved.items() if name != code}
    return result, renamed, unresolved


def _resolve_codes(codes: pd.Series, context: StoreContext) -> tuple[pd.Series, list[str]]:
    """Return codes in the store's spelling (any case; a name in a code column also resolves), and unknown ones."""
    text = _stripped(codes)
    resolved, unresolved = resolve_authorities(text.dropna().unique(), context.authorities)
    return _replace(text, resolved), unresolved


def _resolve_indicators(ids: pd.Series, context: StoreContext) -> pd.Series:
    """Return indicator ids, with cells that hold an indicator's name (any case) replaced by its id."""
    lookup = indicator_lookup(context.indicators)
    known = set(context.indicators["id"])
    text = _stripped(ids)
    fixed = {
        cell: lookup[_indicator_key(cell)]
        for cell in text.dropna().unique()
        if cell not in known and _indicator_key(cell) in lookup
    }
    return _replace(text, fixed)


def _stripped(cells: pd.Series) -> pd.Series:
    """Return cells as text with surrounding spaces removed (missing stays missing)."""
    return cells.astype("string").str.strip()


def _replace(cells: pd.Series, replacements: Mapping[str, str]) -> pd.Series:
    """Return cells with those that are keys of ``replacements`` replaced; the rest unchanged."""
    changes = {old: new for old, new in replacements.items() if old != new}
    if not changes:
        return cells
    return cells.replace(changes)


def choose_mapping(
    columns: list[str],
    context: StoreContext,
    table: str | None = None,
) -> tuple[ColumnMapping, str]:
    """Return (mapping, where it came from): the one remembered for these columns, else a guess."""
    saved = saved_mapping(context.settings, columns)
    if saved is not None and (table is None or saved.table == table):
        return saved, "remembered"
    return recognise(columns, table, context.indicators), "recognised"


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
        if layout == WIDE_PERIODS:
            wide = tuple(c for c in file_columns if looks_like_period(c))
        elif layout == WIDE_INDICATORS:
            used = set(mapping.columns.values()) | set((columns or {}).values())
            wide = tuple(c for c in file_columns if c not in used)
        else:
            wide = ()
        header_field = {WIDE_PERIODS: "period", WIDE_INDICATORS: "indicator_id"}.get(layout)
        kept = {f: c for f, c in mapping.columns.items() if f != header_field and c not in wide}
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
