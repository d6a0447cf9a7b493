"""One load of a publisher's folder through its adapter into a fresh store, shared by a test module."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from benchmarking.store import Store


def load_once(
    cache: dict, shared_data: Path, tmp_path_factory, folder_name: str, load: Callable[[Store, Path], object]
) -> dict:
    """Return ``cache`` filled (on first call) with the folder, the store loaded through ``load``,
    the load's result, and the values, indicators, authorities and groups the store reads back."""
    if "store" not in cache:
        folder = shared_data / folder_name
        store = Store(tmp_path_factory.mktemp(folder_name) / f"{folder_name}.duckdb")
        store.initialise()
        result = load(store, folder)
        cache.update(
            folder=folder,
            store=store,
            result=result,
            values=store.values(),
            indicators=store.indicators(),
            authorities=store.authorities(),
            groups=store.comparator_groups(),
        )
    return cache
