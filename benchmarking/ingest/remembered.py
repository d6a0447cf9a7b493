"""Remembered mappings: the mapping a column set was imported with, found again for the next file.

A mapping is remembered in the store's ``setting`` table as JSON under
``mapping:<signature of the column set>`` (saved with the import that used it), so the
next file with the same columns maps itself.

Columns are remembered, values are not: a field that the import gave one value for every
row (``--set period=2020/21``, a page field) is remembered only as a field that *asks* for
a value, so the next file (next year's figures, another indicator) is never written into
the old period or indicator. A remembered mapping comes back with those fields blank
(``ColumnMapping.blank_constants``), and the command line and the page ask for them again.
The date the mapping was saved is kept with it and shown with it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import replace

import pandas as pd

from benchmarking.ingest.context import StoreContext
from benchmarking.ingest.headers import looks_like_period
from benchmarking.ingest.layouts import CATALOGUES, LAYOUTS, WIDE_PERIODS, ColumnMapping, codes_say, recognise
from benchmarking.store import schema

SETTING_PREFIX = "mapping:"


def column_signature(columns: Iterable[object]) -> str:
    """Return a short hash of a file's column set; period headers count as one '{period}'."""
    parts = sorted({"{period}" if looks_like_period(c) else str(c).strip() for c in columns})
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def mapping_key(columns: Iterable[object]) -> str:
    """Return the ``setting`` key under which the mapping for this column set is remembered."""
    return SETTING_PREFIX + column_signature(columns)


def remembered_json(mapping: ColumnMapping, saved_at: dt.datetime | None = None) -> str:
    """Return the JSON that remembers ``mapping``: its columns, the fields that ask for a value, and the date.

    The constants' values are left out: only their fields are kept (``asks``).
    """
    saved_at = saved_at or dt.datetime.now(dt.UTC)
    data = json.loads(replace(mapping, constants={}).to_json())
    data["asks"] = sorted(mapping.constants)
    data["saved"] = saved_at.strftime("%Y-%m-%d %H:%M UTC")
    return json.dumps(data, sort_keys=True)


def saved_on(settings: Mapping[str, str], columns: list[str]) -> str | None:
    """Return when the mapping for this column set was saved ('2026-12-02 03:50 UTC'), or None."""
    try:
        saved = json.loads(settings.get(mapping_key(columns)) or "{}").get("saved")
    except (ValueError, AttributeError):
        return None
    return str(saved) if saved else None


def saved_mapping(settings: Mapping[str, str], columns: list[str]) -> ColumnMapping | None:
    """Return the mapping remembered for this column set, fitted to this file's columns, or None.

    Fields that were given one value for every row come back blank: they ask for a value again.
    """
    text = settings.get(mapping_key(columns))
    if not text:
        return None
    try:
        mapping = ColumnMapping.from_json(text)
        asks = set(json.loads(text).get("asks", ())) | set(mapping.constants)  # an older save kept the values
    except (ValueError, KeyError, TypeError, AttributeError):
        return None  # an unreadable saved mapping is ignored: the file is recognised afresh
    mapping = replace(mapping, constants={str(field): "" for field in sorted(asks)})
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
    frame: pd.DataFrame | None = None,
) -> tuple[ColumnMapping, str]:
    """Return (mapping, where it came from): the one remembered for these columns, else a guess.

    Where it came from is 'recognised', or 'remembered (saved 2026-12-02 03:50 UTC)'. ``frame``, the
    file's cells, tells an authority list from an indicator catalogue by its codes (``layouts.catalogue_table``),
    and a code column of authorities from one of indicators, also when the same columns were remembered for the
    other one.
    """
    guess = recognise(columns, table, context.indicators, authorities=context.authorities, frame=frame)
    saved = saved_mapping(context.settings, columns)
    if (
        saved is not None
        and (table is None or saved.table == table)
        and not _codes_say_otherwise(saved, guess, frame, context)
    ):
        when = saved_on(context.settings, columns)
        return saved, f"remembered (saved {when})" if when else "remembered (saved before dates were kept)"
    return guess, "recognised"


def _codes_say_otherwise(
    saved: ColumnMapping, guess: ColumnMapping, frame: pd.DataFrame | None, context: StoreContext
) -> bool:
    """Return True when the codes do not say the file is what its columns were remembered for: the other catalogue,
    catalogues they cannot tell apart (then the table is asked for, never taken from another file's choice; a file of
    one catalogue's key and some columns keeps the table chosen for the same columns before), or the other
    key in the column a values mapping takes the indicator or the authority from: authorities' codes where it took
    indicators (``layouts.recognise`` reads them so), indicator ids the store holds where it took authorities."""
    catalogues = {saved.table, guess.table} <= set(CATALOGUES)
    indicators = saved.columns.get("indicator_id")
    authorities = saved.columns.get("authority_code")
    return (
        (catalogues and (len(guess.undecided) > 1 or guess.table != saved.table))
        or (indicators is not None and guess.columns.get("authority_code") == indicators)
        or (
            authorities is not None
            and frame is not None
            and guess.columns.get("indicator_id") == authorities  # the header reads it as indicators: ask the codes
            and codes_say(frame, authorities, context.authorities, context.indicators) == "indicator"
        )
    )
