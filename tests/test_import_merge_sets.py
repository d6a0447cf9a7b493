"""The set-based merge: added, replaced and unchanged rows, the columns a file lacks, and undo.

Expected results are worked out with plain pandas from the store before the import and
the file, independently of the SQL that writes them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from benchmarking.ingest.importer import import_frames
from benchmarking.store import writes

KEYS = ["indicator_id", "authority_code", "period"]


def _mixed_values(store) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (stored values of 2021/22, a file of them: 40 changed, 40 the same, 5 new keys)."""
    stored = store.values(["2021/22"]).drop(columns=["period_start"]).head(80).reset_index(drop=True)
    file = stored[[*KEYS, "value"]].copy()
    file.loc[:39, "value"] = file.loc[:39, "value"].fillna(0) + 1.5  # 40 replaced
    new = pd.DataFrame(
        {
            "indicator_id": stored["indicator_id"].iloc[0],
            "authority_code": stored["authority_code"].iloc[0],
            "period": [f"{2001 + n}/{2 + n:02d}" for n in range(5)],
            "value": np.arange(5, dtype=float),
        }
    )
    return stored, pd.concat([file, new], ignore_index=True).astype({"value": str})


def test_added_replaced_and_unchanged_rows_are_counted_and_written(writable_store):
    """40 replaced (value differs), 40 unchanged, 5 added; stored status kept where the file has none."""
    stored, file = _mixed_values(writable_store)
    result = import_frames(writable_store, [("indicator_value", file, "mixed.csv")])
    same = stored[[*KEYS, "value"]].merge(file.astype({"value": float}), on=KEYS, suffixes=("_old", "_new"))
    replaced = int((same["value_old"].fillna(-1e300) != same["value_new"].fillna(-1e300)).sum())
    assert (result.added, result.replaced) == (len(file) - len(same), replaced) == (5, 40)
    after = writable_store.values().drop(columns=["period_start"]).merge(file[KEYS], on=KEYS)
    written = after.set_index(KEYS)["value"].sort_index()
    expected = file.astype({"value": float}).set_index(KEYS)["value"].sort_index()
    pd.testing.assert_series_equal(written, expected, check_names=False)
    statuses = after.set_index(KEYS)["status"]
    kept = stored.set_index(KEYS)["status"]
    assert (statuses.loc[kept.index] == kept).all()  # the file has no status column: stored statuses stay


def test_undo_restores_every_table_exactly_and_keeps_only_this_loads_shadow(writable_store):
    """A replace of values and of authority names (a keyed table), then undo: checksums as before."""
    before = writable_store.checksums()
    expected_kept = writable_store.authorities()[["code", "region", "population"]].sort_values(
        "code", ignore_index=True
    )
    _, file = _mixed_values(writable_store)
    authorities = writable_store.authorities().head(3)[["code", "name", "kind"]].copy()
    authorities["name"] = authorities["name"] + " (renamed)"
    import_frames(
        writable_store,
        [("indicator_value", file, "mixed.csv"), ("authority", authorities, "names.csv")],
    )
    newest = int(writable_store.datasets()["id"].iloc[0])
    with writable_store.reading() as con:
        shadow = con.execute(
            f"SELECT action, count(*) FROM {writes.UNDO_PREFIX}indicator_value WHERE dataset_id = ? GROUP BY action",
            [newest],
        ).fetchall()
        kept = con.execute("SELECT code, region, population FROM authority ORDER BY code").df()
    assert dict(shadow) == {"added": 5, "replaced": 40}
    pd.testing.assert_frame_equal(kept, expected_kept)  # a file without region and population kept them
    writable_store.undo_last_import()
    assert writable_store.checksums() == before
    with writable_store.reading() as con:
        left = con.execute(
            f"SELECT count(*) FROM {writes.UNDO_PREFIX}indicator_value WHERE dataset_id = ?", [newest]
        ).fetchone()[0]
    assert left == 0
