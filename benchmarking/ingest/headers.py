"""The words publishers use for the store's fields, and the fields each table takes.

Headers are compared after ``normalise_header``: camelCase split, lower case, anything
but letters, digits and '&' turned into single spaces ('LocalAuthority' and
'local_authority' both read 'local authority'). Earlier synonyms win over later ones
when two columns could give the same field ('Code' beats 'Measure' for the indicator).
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from benchmarking.errors import BadPeriodError
from benchmarking.method.periods import period_start
from benchmarking.store import schema

AUTHORITY_NAME = "authority_name"
"""A field that is not a store column: authority names, resolved to ``authority_code``."""

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


def importable_tables() -> list[str]:
    """Return the store tables a file can fill, in the store's order."""
    return list(schema.COLUMNS)


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


def assign_fields(columns: list[str], table: str) -> dict[str, str]:
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


def names_figures(header: object) -> bool:
    """Return True when a header names a column of figures ('value', 'Value', 'amount', 'rate', or a value table's
    figure column such as 'net_expenditure_per_head')."""
    text = normalise_header(header)
    figures = {normalise_header(c) for columns in schema.VALUE_COLUMNS.values() for c in columns}
    return text in figures or text in _VALUE_FIELDS["value"]


def field_is_needed(table: str, field_name: str) -> bool:
    """Return True when every row of ``table`` needs the field (authority names count as codes)."""
    needed = set(required_fields(table))
    return field_name in needed or (field_name == AUTHORITY_NAME and "authority_code" in needed)


def indicator_lookup(indicators: pd.DataFrame | None) -> dict[str, str]:
    """Return a lookup from indicator id or name (any case and spacing) to the indicator id."""
    if indicators is None or indicators.empty:
        return {}
    lookup: dict[str, str] = {}
    for name, code in zip(indicators["name"], indicators["id"]):
        if isinstance(name, str):
            lookup.setdefault(indicator_key(name), code)
    for code in indicators["id"]:
        lookup[indicator_key(code)] = code  # ids win over names
    return lookup


def indicator_key(text: object) -> str:
    """Return the key an indicator id or name is matched on (case and spacing ignored)."""
    return re.sub(r"\s+", " ", str(text)).strip().casefold()
