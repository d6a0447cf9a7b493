"""The set-based merge: added, replaced and unchanged rows, the columns a file lacks, and undo.

Expected results are worked out with plain pandas from the store before the import and
the file, independently of the SQL that writes them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from benchmarking.errors import ImportValidationError
from benchmarking.ingest.importer import import_frames
from benchmarking.store import tables, writes
from tests.store_support import new_period_file, undo_actions

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
            f"SELECT action, count(*) FROM {tables.UNDO_PREFIX}indicator_value WHERE dataset_id = ? GROUP BY action",
            [newest],
        ).fetchall()
        kept = con.execute("SELECT code, region, population FROM authority ORDER BY code").df()
    assert dict(shadow) == {"replaced": 40}  # the 5 added rows name their load instead of copying their keys
    assert _loaded_rows(writable_store, newest) == 5
    pd.testing.assert_frame_equal(kept, expected_kept)  # a file without region and population kept them
    writable_store.undo_last_import()
    assert writable_store.checksums() == before
    with writable_store.reading() as con:
        left = con.execute(
            f"SELECT count(*) FROM {tables.UNDO_PREFIX}indicator_value WHERE dataset_id = ?", [newest]
        ).fetchone()[0]
    assert left == 0


def _new_period_file(store, label: str = "2001/02") -> pd.DataFrame:
    return new_period_file(store, label, 300, -5, 95)


def _loaded_rows(store, dataset_id: int) -> int:
    """Return how many stored values name ``dataset_id`` as the load that added them."""
    with store.reading() as con:
        return con.execute(
            f"SELECT count(*) FROM indicator_value WHERE {tables.LOAD_COLUMN} = ?", [dataset_id]
        ).fetchone()[0]


def test_a_fresh_load_writes_every_row_names_its_load_and_undo_restores_exactly(writable_store):
    """Every key new: all rows added as the file gives them, each naming its load (no key copied into the
    shadow); undo: checksums as before."""
    before = writable_store.checksums()
    file = _new_period_file(writable_store)
    result = import_frames(writable_store, [("indicator_value", file, "fresh.csv")])
    assert (result.added, result.replaced) == (len(file), 0)
    written = writable_store.values(["2001/02"]).set_index(KEYS)["value"].sort_index()
    expected = file.astype({"value": float}).set_index(KEYS)["value"].sort_index()
    pd.testing.assert_series_equal(written, expected, check_names=False)
    assert (writable_store.values(["2001/02"])["status"] == "final").all()
    newest = int(writable_store.datasets()["id"].iloc[0])
    assert undo_actions(writable_store, newest) == {}
    assert _loaded_rows(writable_store, newest) == len(file)
    writable_store.undo_last_import()
    assert writable_store.checksums() == before
    assert undo_actions(writable_store, newest) == {}
    assert _loaded_rows(writable_store, newest) == 0


def test_undo_of_a_replace_after_a_fresh_load_restores_the_fresh_load_exactly(writable_store):
    """Load a period, replace every value of it, undo the replace (the loaded values are back), undo the load."""
    original = writable_store.checksums()
    file = _new_period_file(writable_store)
    import_frames(writable_store, [("indicator_value", file, "fresh.csv")])
    loaded = writable_store.checksums()
    changed = file.assign(value=(file["value"].astype(float) + 1).astype(str))
    result = import_frames(writable_store, [("indicator_value", changed, "again.csv")])
    assert (result.added, result.replaced) == (0, len(file))
    written = writable_store.values(["2001/02"]).set_index(KEYS)["value"].sort_index()
    pd.testing.assert_series_equal(
        written, changed.astype({"value": float}).set_index(KEYS)["value"].sort_index(), check_names=False
    )
    writable_store.undo_last_import()
    assert writable_store.checksums() == loaded
    writable_store.undo_last_import()
    assert writable_store.checksums() == original


def test_a_write_refused_after_its_rows_are_written_leaves_the_store_unchanged(writable_store, monkeypatch):
    """A refusal found late (after every upsert, inside the transaction) rolls the whole import back."""
    before = writable_store.checksums()
    loads = len(writable_store.datasets())
    shadow = f"SELECT count(*) FROM {tables.UNDO_PREFIX}indicator_value"
    with writable_store.reading() as con:
        kept_for_undo = con.execute(shadow).fetchone()[0]
    monkeypatch.setattr(writes, "missing_references", lambda con, changes: {"indicator_value": ["indicator_id 'X'"]})
    with pytest.raises(ImportValidationError):
        import_frames(writable_store, [("indicator_value", _new_period_file(writable_store), "late.csv")])
    assert writable_store.checksums() == before
    assert len(writable_store.datasets()) == loads
    with writable_store.reading() as con:
        assert con.execute(shadow).fetchone()[0] == kept_for_undo  # no undo rows of the refused import


def test_the_coverage_effect_is_the_plain_count_of_the_rows_before_and_after(writable_store):
    """Values changed and added in a new period (empty cells over stored figures refused, so kept): coverage as
    pandas counts the stored rows of the touched periods before, and those rows with the file's accepted rows in
    place of theirs after; an authority has data in a period when it has a figure of each indicator the file brings
    then."""
    from benchmarking.ingest.coverage import coverage_effect
    from benchmarking.ingest.validation import check_batch

    stored = writable_store.values().drop(columns=["period_start"])
    file = stored[stored["period"].eq("2021/22")].head(200)[[*KEYS, "value"]].reset_index(drop=True)
    held = file["value"].notna().to_numpy()[:60]  # a few are stored empty: an empty cell over them is not refused
    file.loc[:59, "value"] = np.nan  # stored figures an import may not remove: refused, kept
    file.loc[60:, "value"] = file.loc[60:, "value"] + 1
    file = pd.concat([file, _new_period_file(writable_store).head(30).astype({"value": float})], ignore_index=True)
    refused = np.zeros(len(file), dtype=bool)
    refused[:60] = held
    batch = check_batch(writable_store, [("indicator_value", file.astype({"value": str}), "c.csv")])
    assert batch.rejected == refused.sum() > 0
    themes, authorities = coverage_effect(writable_store, batch.changes)
    file = file[~refused]

    touched = stored[stored["period"].isin(set(file["period"]))]
    kept = touched.merge(file[KEYS], on=KEYS, how="left", indicator=True)
    after = pd.concat([kept[kept["_merge"] == "left_only"][[*KEYS, "value"]], file], ignore_index=True)
    theme_of = writable_store.indicators().set_index("id")["theme"]

    def per_theme(rows: pd.DataFrame, side: str) -> pd.DataFrame:
        held = rows[rows["value"].notna()]
        grouped = held.groupby(held["indicator_id"].map(theme_of).rename("theme"))
        return pd.DataFrame({f"indicators_{side}": grouped["indicator_id"].nunique(), f"values_{side}": grouped.size()})

    expected = per_theme(touched, "before").join(per_theme(after, "after"), how="outer").fillna(0).astype(int)
    got = themes.set_index("theme")[expected.columns]
    pd.testing.assert_frame_equal(got.sort_index(), expected.sort_index(), check_names=False)
    everyone = writable_store.authorities()["code"].nunique()
    for period, row in authorities.set_index("period").iterrows():
        brought = set(file.loc[file["period"].eq(period), "indicator_id"])

        def complete(rows: pd.DataFrame, period=period, brought=brought) -> int:
            held = rows[rows["period"].eq(period) & rows["value"].notna() & rows["indicator_id"].isin(brought)]
            return int(held.groupby("authority_code")["indicator_id"].nunique().eq(len(brought)).sum())

        had, has = complete(touched), complete(after)
        shown = (row["indicators"], row["authorities_before"], row["authorities_after"], row["missing_after"])
        assert shown == (len(brought), had, has, everyone - has)
    assert sorted(authorities["period"]) == sorted(set(file["period"]))
