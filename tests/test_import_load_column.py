"""The load each stored value names (``tables.LOAD_COLUMN``): written with the row, invisible as data,
added to a store written before it on the store's first write, and honoured by undo beside the
'added' keys that older loads kept in the undo shadow.

Expected results are the store's own checksums and rows taken before each step (plain reads),
not figures worked out by the code under test.
"""

from __future__ import annotations

import pandas as pd

from benchmarking.ingest.importer import import_frames
from benchmarking.store import schema, tables
from tests.store_support import new_period_file, undo_actions

KEYS = ["indicator_id", "authority_code", "period"]


def _period_file(store, label: str, rows: int = 200) -> pd.DataFrame:
    return new_period_file(store, label, rows, 1, 9)


def _columns(store, table: str) -> list[str]:
    with store.reading() as con:
        return [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]


def _newest(store) -> int:
    return int(store.datasets()["id"].iloc[0])


def _as_before_the_column(store) -> None:
    """Make ``store`` a store written before values named their load: no column on the table or its shadow."""
    with store._writing() as con:
        for table in tables.LOADED_TABLES:
            con.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS {tables.LOAD_COLUMN}")
            con.execute(f"ALTER TABLE {tables.UNDO_PREFIX}{table} DROP COLUMN IF EXISTS {tables.LOAD_COLUMN}")


def test_the_load_column_is_no_column_of_the_data(writable_store):
    """The values table holds the column, but reads, the plan's kept columns and the shadow do not show it."""
    import_frames(writable_store, [("indicator_value", _period_file(writable_store, "2001/02"), "a.csv")])
    assert tables.LOAD_COLUMN in _columns(writable_store, "indicator_value")
    assert tables.LOAD_COLUMN not in _columns(writable_store, f"{tables.UNDO_PREFIX}indicator_value")
    assert list(writable_store.table("indicator_value").columns) == list(schema.COLUMNS["indicator_value"])
    with writable_store.reading() as con:
        assert tables.table_columns(con, "indicator_value") == list(schema.COLUMNS["indicator_value"])
    planned = writable_store.plan_changes("indicator_value", _period_file(writable_store, "2001/02")[[*KEYS]])
    assert planned.kept == ["value", "status"]


def test_a_store_written_before_the_column_gains_it_on_its_first_write_and_its_older_loads_still_undo(
    writable_store, monkeypatch
):
    """An older load keeps its 'added' keys in the shadow; after the migration both loads undo exactly."""
    _as_before_the_column(writable_store)
    original = writable_store.checksums()
    with monkeypatch.context() as old_code:  # the write path as it was: no load column, added keys copied
        old_code.setattr(tables, "LOADED_TABLES", ())
        older = _period_file(writable_store, "2001/02")
        import_frames(writable_store, [("indicator_value", older, "older.csv")])
    assert tables.LOAD_COLUMN not in _columns(writable_store, "indicator_value")
    older_id = _newest(writable_store)
    assert undo_actions(writable_store, older_id) == {"added": len(older)}
    after_older = writable_store.checksums()

    newer = _period_file(writable_store, "2002/03", rows=150)
    replacing = older.head(30).assign(value="100")  # replaces rows the older load added
    import_frames(writable_store, [("indicator_value", pd.concat([newer, replacing], ignore_index=True), "new.csv")])
    assert tables.LOAD_COLUMN in _columns(writable_store, "indicator_value")  # migrated on this first write
    newer_id = _newest(writable_store)
    assert undo_actions(writable_store, newer_id) == {"replaced": 30}
    with writable_store.reading() as con:
        named = dict(
            con.execute(
                f"SELECT period, count({tables.LOAD_COLUMN}) FROM indicator_value "
                "WHERE period IN ('2001/02', '2002/03') GROUP BY period"
            ).fetchall()
        )
    assert named == {"2001/02": 0, "2002/03": len(newer)}  # older rows hold NULL, newer rows their load

    writable_store.undo_last_import()
    assert writable_store.checksums() == after_older
    writable_store.undo_last_import()  # the older load: by the 'added' keys in its shadow
    assert writable_store.checksums() == original
    assert undo_actions(writable_store, older_id) == {}
    assert writable_store.values(["2001/02", "2002/03"]).empty
