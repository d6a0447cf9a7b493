"""Baskets in the store: list, show, save, rename, delete, import and export them.

A basket (``method.baskets``) is a named set of indicators, with a weight and a note each,
that positions are computed over. The store keeps it in its ``basket`` table, one row per
basket and indicator. Every change here is an import like any other: checked by the
importer's rules (``ingest.rules.check_basket``: indicators in the store, a positive weight,
one name per basket), written in one transaction, and undone by ``undo``. A basket saved,
renamed or imported again replaces the whole basket: the rows of indicators it no longer
holds are removed in the same transaction (``Store.write(replacing=...)``), kept for undo.

"All published" (``ALL_PUBLISHED``) is every indicator the store holds: it is never stored,
so it cannot be saved, renamed, deleted or exported as a file.

A basket file is a CSV with the columns ``BASKET_COLUMNS`` (``basket_id, name,
indicator_id, weight, note, version``); ``export_basket`` writes what ``import_basket_file``
reads back unchanged. Files written for spreadsheets put ``'`` before text that starts
with ``= + - @`` (``text.escaping.spreadsheet_cell``); the import takes that mark off again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from benchmarking.errors import BasketError, ValidationIssue
from benchmarking.ingest.importer import import_frames
from benchmarking.ingest.reading import file_sha256, read_file, read_upload
from benchmarking.ingest.results import ImportResult
from benchmarking.ingest.validation import check_batch
from benchmarking.method.baskets import (
    ALL,
    ALL_PUBLISHED,
    ALL_PUBLISHED_NAME,
    BASKET_COLUMNS,
    Basket,
    empty_baskets,
    resolve_basket,
)
from benchmarking.service.basket_sensitivity import largest_theme
from benchmarking.service.catalogue import Catalogue
from benchmarking.store import Store

TABLE = "basket"
SOURCE = "benchmarking basket"
_SLUG = re.compile(r"[^a-z0-9]+")
_FORMULA_MARKED = re.compile(r"^'[=+\-@\t\r]")
TABLE_COLUMNS = ("basket_id", "name", "version", "indicators", "ranked", "themes", "largest_theme", "largest_share")


# -- reading ---------------------------------------------------------------------------


def basket_table(catalogue: Catalogue) -> pd.DataFrame:
    """Return one row per basket ("All published" first): id, name, version, indicators, those ranked (not context
    indicators), themes covered, and the largest theme with its share (0-1) of all the basket's ranked indicators
    (no period or authority: the base a position's share, ``service.rests_on``, narrows to the indicators ranked for
    its authority in its period), counted by the positions' rule (``basket_sensitivity.largest_theme``)."""
    rows = [_describe(ALL, catalogue)]
    stored = catalogue.baskets if len(catalogue.baskets) else empty_baskets()
    for basket_id in stored["basket_id"].drop_duplicates():
        rows.append(_describe(resolve_basket(stored, basket_id), catalogue))
    table = pd.DataFrame(rows, columns=list(TABLE_COLUMNS))
    return pd.concat([table.iloc[:1], table.iloc[1:].sort_values("name")], ignore_index=True)


def _describe(basket: Basket, catalogue: Catalogue) -> dict:
    indicators = catalogue.indicators.set_index("id")
    ids = indicators.index if basket.is_all else pd.Index(basket.weights.index)
    theme, share = largest_theme(catalogue.indicators, basket)
    return {
        "basket_id": basket.id,
        "name": basket.name,
        "version": basket.version,
        "indicators": len(ids),
        "ranked": int(indicators["polarity"].reindex(ids).fillna("none").ne("none").sum()),
        "themes": indicators["theme"].reindex(ids).nunique(),
        "largest_theme": theme,
        "largest_share": share,
    }


def basket_id_of(catalogue: Catalogue, name_or_id: str) -> str:
    """Return the id of the basket named by its id or its exact name; BasketError listing the baskets."""
    names = catalogue.basket_names()
    if name_or_id in names:
        return name_or_id
    ids = [basket_id for basket_id, name in names.items() if name == name_or_id]
    if len(ids) == 1:
        return ids[0]
    shown = "; ".join(f"{basket_id} ({name})" for basket_id, name in names.items())
    raise BasketError(f"no basket with the id or name {name_or_id!r}; the baskets are: {shown}")


def basket_rows(catalogue: Catalogue, basket_id: str) -> pd.DataFrame:
    """Return the basket's indicators: indicator_id, name, theme, source, weight, note (every indicator,
    weight 1, for "All published"); BasketError for an unknown basket."""
    indicators = catalogue.indicators[["id", "name", "theme", "source"]].rename(columns={"id": "indicator_id"})
    if basket_id == ALL_PUBLISHED:
        return indicators.assign(weight=1.0, note=None).sort_values(["theme", "indicator_id"], ignore_index=True)
    rows = _stored_rows(catalogue.baskets, basket_id)
    shown = rows[["indicator_id", "weight", "note"]].merge(indicators, on="indicator_id", how="left")
    return shown[["indicator_id", "name", "theme", "source", "weight", "note"]].sort_values(
        ["theme", "indicator_id"], ignore_index=True
    )


def export_basket(catalogue: Catalogue, basket_id: str) -> pd.DataFrame:
    """Return the basket as its file: the columns ``BASKET_COLUMNS``, one row per indicator (by id)."""
    if basket_id == ALL_PUBLISHED:
        raise BasketError(
            f"{ALL_PUBLISHED_NAME!r} is every indicator the store holds, not a stored basket: it has no file "
            "(export the indicators table instead)"
        )
    rows = _stored_rows(catalogue.baskets, basket_id)
    return rows[list(BASKET_COLUMNS)].sort_values("indicator_id", ignore_index=True)


def pick_indicators(
    catalogue: Catalogue,
    themes: Iterable[str] | None = None,
    sources: Iterable[str] | None = None,
    search: str | None = None,
) -> pd.DataFrame:
    """Return the indicators (id, name, theme, source) in any of ``themes`` and ``sources`` whose id or
    name holds ``search`` (ignoring case); None or empty means no restriction."""
    frame = catalogue.indicators[["id", "name", "theme", "source"]]
    if themes:
        frame = frame[frame["theme"].isin(list(themes))]
    if sources:
        frame = frame[frame["source"].isin(list(sources))]
    if search and search.strip():
        words = search.strip().casefold()
        text = frame["id"].astype(str).str.casefold() + " " + frame["name"].astype(str).str.casefold()
        frame = frame[text.str.contains(words, regex=False)]
    return frame.sort_values(["theme", "name"], ignore_index=True)


def basket_id_for(name: str) -> str:
    """Return an id made from a basket's name: lower case, words joined by '-' (``basket`` if none)."""
    return _SLUG.sub("-", name.casefold()).strip("-")[:60] or "basket"


# -- writing ---------------------------------------------------------------------------


def save_basket(
    store: Store,
    basket_id: str,
    name: str,
    indicator_ids: Sequence[str],
    weights: Mapping[str, float] | Sequence[float] | None = None,
    notes: Mapping[str, str] | Sequence[str | None] | None = None,
    version: str | None = None,
    loaded_by: str | None = None,
) -> ImportResult:
    """Write the basket (replacing a stored one with the same id whole) as one undoable import; return what
    it did. ImportValidationError, changing nothing, for an unknown indicator, a repeat or a bad weight."""
    _refuse_all_published(basket_id, "saved")
    ids = [str(i) for i in indicator_ids]
    if not ids:
        raise BasketError(f"basket {name!r} holds no indicator: choose at least one")
    frame = pd.DataFrame(
        {
            "basket_id": basket_id,
            "name": name,
            "indicator_id": ids,
            "weight": _per_indicator(weights, ids, 1.0),
            "note": _per_indicator(notes, ids, None),
            "version": version,
        }
    )
    return _write_baskets(store, frame, f"basket {name!r} saved", loaded_by)


def rename_basket(store: Store, basket_id: str, name: str, loaded_by: str | None = None) -> ImportResult:
    """Give a stored basket a new name, as one undoable import; return what it did."""
    _refuse_all_published(basket_id, "renamed")
    rows = _stored_rows(_basket_frame(store), basket_id)
    renamed = rows[list(BASKET_COLUMNS)].assign(name=name)
    return _write_baskets(store, renamed, f"basket {rows['name'].iloc[0]!r} renamed {name!r}", loaded_by)


def delete_basket(store: Store, basket_id: str, loaded_by: str | None = None) -> int:
    """Remove a stored basket as one undoable import; return the number of its rows removed."""
    _refuse_all_published(basket_id, "deleted")
    rows = _stored_rows(_basket_frame(store), basket_id)
    counts = store.write(
        {},
        dataset={
            "name": f"basket {rows['name'].iloc[0]!r} deleted ({len(rows)} indicator rows removed)",
            "source": SOURCE,
            "kind": "imported",
            "loaded_by": loaded_by,
        },
        replacing={TABLE: pd.DataFrame({"basket_id": [basket_id]})},
    )
    return counts[TABLE]["removed"]


def read_basket_file(path: Path | str) -> pd.DataFrame:
    """Return a basket file's cells as text (CSV, XLSX or Parquet), spreadsheet marks taken off."""
    return _unmarked(read_file(Path(path)))


def read_basket_upload(file_name: str, data: bytes) -> pd.DataFrame:
    """Return an uploaded basket file's cells as text, read as ``read_basket_file`` reads a path."""
    return _unmarked(read_upload(file_name, data, keep_case=False))


@dataclass(frozen=True)
class BasketPreview:
    """What importing a basket file would do: a row per basket, and every problem found."""

    baskets: pd.DataFrame
    """basket_id, name, indicators (in the file), stored (rows the store holds now), removed (stored rows the
    file no longer holds)."""
    issues: list[ValidationIssue]


def preview_basket_file(store: Store, frame: pd.DataFrame, file_name: str) -> BasketPreview:
    """Return what importing the basket file would do (nothing is written)."""
    frame, replacing = _replacing(store, frame)
    batch = check_batch(store, [(TABLE, frame, file_name)], replacing=replacing)
    stored = _basket_frame(store)
    rows = []
    accepted = batch.changes.get(TABLE, pd.DataFrame(columns=list(BASKET_COLUMNS)))
    for basket_id, incoming in accepted.groupby("basket_id", sort=False):
        held = stored[stored["basket_id"] == basket_id]
        rows.append(
            {
                "basket_id": basket_id,
                "name": incoming["name"].iloc[0],
                "indicators": len(incoming),
                "stored": len(held),
                "removed": int((~held["indicator_id"].isin(incoming["indicator_id"])).sum()),
            }
        )
    summary = pd.DataFrame(rows, columns=["basket_id", "name", "indicators", "stored", "removed"])
    return BasketPreview(summary, list(batch.issues))


def import_basket_file(store: Store, path: Path | str, loaded_by: str | None = None) -> ImportResult:
    """Import a basket file (each basket in it replaces the stored one whole) as one undoable import;
    return what it did. ImportValidationError, changing nothing, naming the file, row and column."""
    path = Path(path)
    return import_basket_frame(store, read_basket_file(path), path.name, loaded_by, file_sha256(path))


def import_basket_frame(
    store: Store, frame: pd.DataFrame, file_name: str, loaded_by: str | None = None, sha256: str | None = None
) -> ImportResult:
    """Import a basket file already read (``read_basket_file``/``read_basket_upload``); return what it did."""
    frame, replacing = _replacing(store, frame)
    return import_frames(
        store,
        [(TABLE, frame, file_name)],
        dataset_name=f"basket file {file_name}",
        source=SOURCE,
        file_hashes={file_name: sha256 or ""},
        loaded_by=loaded_by,
        replacing=replacing,
    )


# -- helpers ---------------------------------------------------------------------------


def _write_baskets(store: Store, frame: pd.DataFrame, dataset_name: str, loaded_by: str | None) -> ImportResult:
    frame, replacing = _replacing(store, frame)
    return import_frames(
        store,
        [(TABLE, frame, dataset_name)],
        dataset_name=dataset_name,
        source=SOURCE,
        loaded_by=loaded_by,
        replacing=replacing,
    )


def _replacing(store: Store, frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """Return the file with basket ids in the store's spelling (matched ignoring case), and the baskets it
    replaces whole (its basket ids)."""
    if "basket_id" not in frame.columns:
        return frame, {}
    spelling = {str(b).casefold(): b for b in _basket_frame(store)["basket_id"].unique()}
    given = frame["basket_id"].astype("string").str.strip()
    frame = frame.assign(basket_id=given.map(lambda b: spelling.get(b.casefold(), b) if isinstance(b, str) else b))
    return frame, {TABLE: pd.DataFrame({"basket_id": frame["basket_id"].dropna().unique()})}


def _basket_frame(store: Store) -> pd.DataFrame:
    """Return the store's basket table (empty for a store that predates baskets)."""
    return store.baskets() if store.exists() else empty_baskets()


def _stored_rows(baskets: pd.DataFrame, basket_id: str) -> pd.DataFrame:
    rows = baskets[baskets["basket_id"] == basket_id] if len(baskets) else baskets
    if rows.empty:
        known = ", ".join(sorted(baskets["basket_id"].unique())) if len(baskets) else "none stored"
        raise BasketError(f"no stored basket {basket_id!r} (stored baskets: {known})")
    return rows.reset_index(drop=True)


def _refuse_all_published(basket_id: str, done: str) -> None:
    if str(basket_id).strip().casefold() == ALL_PUBLISHED:
        raise BasketError(
            f"{ALL_PUBLISHED_NAME!r} is every indicator the store holds and is never stored: it cannot be {done}"
        )


def _per_indicator(given, ids: list[str], default) -> list:
    """Return one value per indicator id from a mapping (id -> value) or a sequence in the ids' order."""
    if given is None:
        return [default] * len(ids)
    if isinstance(given, Mapping):
        return [given.get(i, default) for i in ids]
    values = list(given)
    if len(values) != len(ids):
        raise BasketError(f"{len(values)} weights or notes given for {len(ids)} indicators: give one per indicator")
    return values


def _unmarked(frame: pd.DataFrame) -> pd.DataFrame:
    """Return the cells with the spreadsheet mark ``'`` taken off text that starts with ``= + - @``."""
    frame = frame.copy()
    for column in frame.columns:
        if pd.api.types.is_object_dtype(frame[column]) or pd.api.types.is_string_dtype(frame[column]):
            cells = frame[column].astype("string")
            frame[column] = cells.where(~cells.str.match(_FORMULA_MARKED).fillna(False), cells.str[1:])
    return frame
