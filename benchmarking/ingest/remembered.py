"""Remembered mappings: the mapping a column set was imported with, found again for the next file.

A mapping is remembered in the store's ``setting`` table as JSON under
``mapping:<signature of the column set>`` (saved with the import that used it), so the
next file with the same columns maps itself.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import replace

from benchmarking.ingest.context import StoreContext
from benchmarking.ingest.headers import looks_like_period
from benchmarking.ingest.layouts import LAYOUTS, WIDE_PERIODS, ColumnMapping, recognise
from benchmarking.store import schema

SETTING_PREFIX = "mapping:"


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
