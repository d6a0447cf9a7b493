"""What the Data and Data import pages ask of the store: coverage, notes, published sources, undo.

The pages draw; every read, computation and write they need is a function here, so that
no page opens the store itself. Uploaded files go through ``ingest.preview`` as on the
command line; this module adds the store at hand and the few calls the pages share.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from benchmarking.adapters.registry import SOURCES, published_source
from benchmarking.adapters.source import Adapter
from benchmarking.datasets.held_authorities import HeldAuthorities, keep_to_store
from benchmarking.datasets.public_sources import import_context, read_source
from benchmarking.ingest.importer import import_frames
from benchmarking.ingest.preview import commit, preview_import
from benchmarking.ingest.preview_report import Preview
from benchmarking.ingest.results import ImportResult
from benchmarking.paths import PROJECT_ROOT, default_db_path
from benchmarking.store import Store, StoreContents
from benchmarking.text.formatting import counted

NOTE_FILE = "note added on the Data page"


def default_store() -> Store:
    """Return the store this session reads and writes (``$BENCHMARKING_DB`` or the default path)."""
    return Store(default_db_path())


def store_exists(path: Path | str) -> bool:
    """Return True when ``path`` holds a benchmarking store (the file exists and has its tables)."""
    return Store(path).exists()


def store_summary(path: Path | str) -> StoreContents:
    """Return what the store at ``path`` holds, in counts."""
    return Store(path).summary()


def load_history(path: Path | str) -> pd.DataFrame:
    """Return the store's load history (one row per import), newest first."""
    return Store(path).datasets()


def sources_folder() -> Path:
    """Return the folder offered for published sources: ``$BENCHMARKING_SOURCES``, else ``../shared/data``."""
    return Path(os.environ.get("BENCHMARKING_SOURCES") or PROJECT_ROOT.parent / "shared" / "data")


# -- the Data page ----------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodCoverage:
    """Coverage of one reporting period: per theme, and missing values per authority and per indicator."""

    by_theme: pd.DataFrame
    """Per theme (index): indicators, with_values, values, older, provisional, revised."""
    missing_by_authority: pd.DataFrame
    """Columns Authority, Missing values; most missing first."""
    missing_by_indicator: pd.DataFrame
    """Columns Indicator, Missing values; most missing first."""


def period_coverage(
    reporting_values: pd.DataFrame, indicators: pd.DataFrame, authorities: pd.DataFrame, period: str
) -> PeriodCoverage:
    """Return the coverage of ``period`` in the reporting values (one row per indicator, authority, period).

    Per theme: the indicators, those with a value, the values, and how many indicators
    have older figures (``years_older`` > 0) or provisional / revised ones.
    """
    values = reporting_values[reporting_values["period"] == period]
    valued = values.dropna(subset=["value"])
    status = valued["status"].astype(object)
    used = (
        valued.assign(provisional=(status == "provisional"), revised=(status == "revised"))
        .groupby("indicator_id")
        .agg(
            values=("value", "count"),
            older=("years_older", "max"),
            provisional=("provisional", "any"),
            revised=("revised", "any"),
        )
    )
    per_indicator = indicators.merge(used, left_on="id", right_index=True, how="left").fillna(
        {"values": 0, "older": 0, "provisional": False, "revised": False}
    )
    by_theme = (
        per_indicator.assign(with_values=per_indicator["values"] > 0, older=per_indicator["older"] > 0)
        .groupby("theme")
        .agg(
            indicators=("id", "count"),
            with_values=("with_values", "sum"),
            values=("values", "sum"),
            older=("older", "sum"),
            provisional=("provisional", "sum"),
            revised=("revised", "sum"),
        )
        .astype("int64")  # counts: an indicator without figures in the period made "values" a float (5,914.0)
    )
    return PeriodCoverage(
        by_theme,
        _missing_per(values, "authority_code", authorities, "code", "Authority"),
        _missing_per(values, "indicator_id", indicators, "id", "Indicator"),
    )


def _missing_per(values: pd.DataFrame, column: str, names: pd.DataFrame, key: str, label: str) -> pd.DataFrame:
    """Return (label, Missing values) per value of ``column``, named from ``names`` (``key``, name)."""
    return (
        values.assign(missing=values["value"].isna())
        .groupby(column)["missing"]
        .sum()
        .rename("Missing values")
        .reset_index()
        .merge(names[[key, "name"]], left_on=column, right_on=key)[["name", "Missing values"]]
        .rename(columns={"name": label})
        .sort_values("Missing values", ascending=False)
    )


def save_note(path: Path | str, indicator_id: str, authority_code: str, period: str, text: str) -> ImportResult:
    """Return the import of one context note ('*' = any) into the store at ``path``, checked like any import."""
    note = pd.DataFrame(
        {"indicator_id": [indicator_id], "authority_code": [authority_code], "period": [period], "note": [text]}
    )
    return import_frames(Store(path), [("note", note, NOTE_FILE)], dataset_name="Context note")


# -- the Data import page ---------------------------------------------------------------


@dataclass(frozen=True)
class SourcePreview:
    """A published source read and checked, not yet written: its items, file hashes and preview."""

    items: list[tuple[str, pd.DataFrame, str]]
    hashes: dict[str, str]
    preview: Preview
    settings: dict[str, str] = field(default_factory=dict)
    """The store settings the adapter's read carries (``Loaded.settings``), written with the items: DfE's
    neighbours that are not county areas (``groups.DFE_NOT_HELD_SETTING``), as the public build writes them."""
    held: str = ""
    """What the import did with the source's authorities, in a sentence (``HeldAuthorities.words``)."""


def published_sources() -> dict[str, Adapter]:
    """Return the published sources by name (the registry's), for the Data import page."""
    return dict(SOURCES)


def source_named(name: str) -> Adapter:
    """Return one published source by name (BenchmarkingError listing the names when unknown)."""
    return published_source(name)


def source_items(
    store: Store, source: Adapter, folder: Path | str, add_authorities: bool = False
) -> list[tuple[str, pd.DataFrame, str]]:
    """Return the import items ``source`` reads from ``folder`` for a store: none that renames an authority the
    store holds, and none about one it lacks unless ``add_authorities`` (``held_authorities.keep_to_store``)."""
    return _read(store, source, folder, add_authorities).loaded.items


def _read(store: Store, source: Adapter, folder: Path | str, add_authorities: bool) -> HeldAuthorities:
    known = list(store.authorities()["code"]) if store.exists() else []
    context = import_context(source, folder, known_codes=known, add_authorities=add_authorities)
    return keep_to_store(read_source(source, folder, context), known, add_authorities, source.label)


def preview_source(
    store: Store,
    source: Adapter,
    folder: Path | str,
    add_authorities: bool = False,
    progress: Callable[[float, str], None] | None = None,
) -> SourcePreview:
    """Return a published source's items read from ``folder`` and the preview of importing them."""
    held = _read(store, source, folder, add_authorities)
    loaded = held.loaded
    hashes = source.file_hashes(folder)
    preview = preview_import(store, loaded.items, progress=progress, lifetimes=True)
    return SourcePreview(loaded.items, hashes, preview, dict(loaded.settings), held.words())


def commit_source(
    store: Store,
    source: Adapter,
    checked: SourcePreview,
    skip_rejected: bool,
    loaded_by: str | None,
    source_text: str | None,
) -> ImportResult:
    """Return the result of writing a previewed published source (``source_text`` overrides its source line), with
    the settings its adapter carries in the same transaction.

    The preview's checks are lent to the write (``preview.commit``): they are made again only when the store
    changed since the preview, so a large source (LAIT's 641,000 rows) is not checked twice.
    """
    return commit(
        store,
        checked.items,
        checked.hashes,
        dataset_name=source.record_name,
        source=source_text or source.source,
        skip_rejected=skip_rejected,
        loaded_by=loaded_by,
        remember=False,
        preview=checked.preview,
        lifetimes=True,
        settings=checked.settings,
    )


def last_import(store: Store) -> pd.Series | None:
    """Return the newest load when it is an import that can be undone, else None."""
    history = store.datasets() if store.exists() else None
    if history is None or history.empty or history.iloc[0]["kind"] != "imported":
        return None
    return history.iloc[0]


def undo_last_import(store: Store, dataset_id: int | None = None) -> dict[str, object] | None:
    """Return the undone load after deleting its added rows and restoring those it replaced.

    With ``dataset_id`` (the import the page showed), refuse with StaleUndoError when
    that import is no longer the newest.
    """
    return store.undo_last_import(dataset_id=dataset_id)


def undone_text(undone: dict[str, object]) -> str:
    """Return what undoing an import did, counted as it happened: "3 rows removed, 1 row restored" (rows it added
    deleted; rows it replaced or removed put back), for saved comparator groups as for figures."""
    removed, restored = int(undone["rows_removed"]), int(undone["rows_restored"])
    return f"{counted(removed, 'row')} removed, {counted(restored, 'row')} restored"
