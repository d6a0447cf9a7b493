"""The built-in basket "Compendium 2022": the public indicators that measure a row of Leicestershire's dashboard.

``data/compendium_map.csv`` maps each row of Leicestershire's 2021/22 performance dashboard
(the Performance Compendium 2022) to the public indicator that measures the same thing
(``match`` = ``same``), a near measure (``close``) or none. The basket holds every indicator
mapped ``same`` or ``close`` that the store holds, once (the first row that maps it), weight 1,
with the dashboard row's description as its note. Rows are left out, counted by reason, when
they map to no indicator, to a spend or funding figure (``spend:``/``funding:``, context
tables rather than indicators), to an indicator an earlier row already put in the basket, or
to an indicator the store does not hold.

``build-public`` writes it as a load of its own, through the importer's checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import pandas as pd

from benchmarking.errors import ImportValidationError
from benchmarking.ingest.reading import file_sha256
from benchmarking.ingest.validation import check_batch
from benchmarking.paths import DATA_DIR
from benchmarking.store import Store

MAP_FILE = DATA_DIR / "compendium_map.csv"
BASKET_ID = "compendium-2022"
BASKET_NAME = "Compendium 2022"
VERSION = "2021/22 dashboard"
MATCHED = ("same", "close")
CONTEXT_PREFIXES = ("spend:", "funding:")
"""Map ids of the store's spend and funding tables: context figures, not indicators."""


@dataclass(frozen=True)
class CompendiumBasket:
    """The basket's rows (the ``basket`` table's columns) and the map rows left out, by reason."""

    rows: pd.DataFrame
    read: int
    skipped: pd.Series
    """Reason -> number of map rows left out for it."""


def compendium_basket(indicator_ids: set[str], map_file: Path | str = MAP_FILE) -> CompendiumBasket:
    """Return the "Compendium 2022" basket over the store's ``indicator_ids``, and the map rows left out."""
    mapped = pd.read_csv(map_file, dtype=str, keep_default_na=False)
    ids = mapped["indicator_id"].str.strip()
    reason = pd.Series(None, index=mapped.index, dtype=object)
    reason[~mapped["match"].str.strip().isin(MATCHED)] = "mapped to no public indicator (match none)"
    reason[reason.isna() & ids.str.startswith(CONTEXT_PREFIXES)] = "a spend or funding figure, not an indicator"
    reason[reason.isna() & ids.where(reason.isna()).duplicated()] = (
        "indicator already in the basket from an earlier row"
    )
    reason[reason.isna() & ~ids.isin(indicator_ids)] = "indicator not in the store"
    kept = mapped[reason.isna()]
    rows = pd.DataFrame(
        {
            "basket_id": BASKET_ID,
            "name": BASKET_NAME,
            "indicator_id": kept["indicator_id"].str.strip().to_numpy(),
            "weight": 1.0,
            "note": kept["description"].to_numpy(),
            "version": VERSION,
        }
    )
    return CompendiumBasket(rows, len(mapped), reason.dropna().value_counts())


def write_compendium_basket(store: Store, progress: TextIO | None = None) -> CompendiumBasket:
    """Write "Compendium 2022" into the store as a load of its own (kind ``public``; nothing when the store
    holds none of its indicators); return the basket."""
    basket = compendium_basket(set(store.indicators()["id"]))
    if basket.rows.empty:  # a store of none of the mapped indicators: no basket to write
        return basket
    batch = check_batch(store, [("basket", basket.rows, MAP_FILE.name)])
    if batch.issues:
        raise ImportValidationError(batch.issues)
    store.write(
        batch.changes,
        dataset={
            "name": f"Basket {BASKET_NAME}: the indicators mapped from Leicestershire's 2021/22 dashboard",
            "source": "data/compendium_map.csv (Performance Compendium 2022 rows mapped same or close)",
            "kind": "public",
            "file_name": MAP_FILE.name,
            "file_sha256": file_sha256(MAP_FILE),
        },
    )
    if progress is not None:
        left_out = "; ".join(f"{n} {why}" for why, n in basket.skipped.items())
        print(
            f"Basket {BASKET_NAME}: {len(basket.rows)} indicators from {basket.read} map rows ({left_out})",
            file=progress,
            flush=True,
        )
    return basket
