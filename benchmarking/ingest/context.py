"""What the store already holds that mapping a file needs: authorities, indicators, remembered mappings."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass, replace

import duckdb
import pandas as pd

from benchmarking.store import Store


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


def store_context(store: Store | None, con: duckdb.DuckDBPyConnection | None = None) -> StoreContext:
    """Return the store's authorities, indicators and settings (empty for a missing store), read on ``con`` when
    given (a connection the caller reads on again)."""
    if store is None or not store.exists():
        return StoreContext(
            pd.DataFrame({"code": [], "name": []}, dtype=object), pd.DataFrame({"id": [], "name": []}, dtype=object), {}
        )
    with store.reading() if con is None else contextlib.nullcontext(con) as con:  # one read, not one per table
        authorities = con.execute("SELECT code, name FROM authority ORDER BY name").df()
        indicators = con.execute("SELECT id, name FROM indicator ORDER BY theme, id").df()
        settings = dict(con.execute("SELECT key, value FROM setting").fetchall())
    return StoreContext(authorities, indicators, settings)
