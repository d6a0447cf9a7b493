"""The store holds the tables the method needs, keyed as documented, and refuses what breaks keys."""

import duckdb
import pytest

from benchmarking.errors import StoreMissingError
from benchmarking.store import Store, connect, default_db_path, schema


def _columns(store: Store, table: str) -> list[str]:
    with store.reading() as con:
        return [
            r[0]
            for r in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index", [table]
            ).fetchall()
        ]


@pytest.mark.parametrize(
    "table, columns",
    [
        ("authority", ["code", "name", "kind", "region", "population"]),
        (
            "indicator",
            [
                "id",
                "name",
                "theme",
                "outcome",
                "polarity",
                "target_midpoint",
                "unit",
                "source",
                "is_core",
                "description",
            ],
        ),
        # load_id: the load that added the row (tables.LOAD_COLUMN), no column of the data
        ("indicator_value", ["indicator_id", "authority_code", "period", "value", "status", "load_id"]),
        ("spend", ["authority_code", "period", "service", "net_expenditure_per_head"]),
        ("funding", ["authority_code", "period", "core_spending_power_per_head"]),
        ("deprivation", ["authority_code", "edition", "rank_of_average_rank", "average_score"]),
        ("dashboard_extra", ["indicator_id", "period", "target", "commentary", "strategic_plan"]),
        ("period", ["label", "start_date"]),
        (
            "dataset",
            [
                "id",
                "name",
                "source",
                "kind",
                "loaded_at",
                "loaded_by",
                "table_name",
                "file_name",
                "file_sha256",
                "rows_added",
                "rows_replaced",
            ],
        ),
    ],
)
def test_tables_have_documented_columns(demo_store, table, columns):
    """Each table has exactly the documented columns, in order."""
    assert _columns(demo_store, table) == columns


@pytest.mark.parametrize("table", [t for t in schema.KEYS if t not in schema.UNDECLARED_KEYS])
def test_primary_keys_refuse_duplicates(writable_store, table):
    """Inserting an existing key again fails at the database level too."""
    with connect(writable_store.path, read_only=False) as con:
        rows = con.execute(f"SELECT * FROM {table} LIMIT 1").fetchall()
        if not rows:
            pytest.skip(f"{table} is empty in the demo")
        placeholders = ", ".join("?" for _ in rows[0])
        with pytest.raises(duckdb.ConstraintException):
            con.execute(f"INSERT INTO {table} VALUES ({placeholders})", list(rows[0]))


def test_default_path_follows_environment(monkeypatch, tmp_path):
    """BENCHMARKING_DB overrides data/benchmarking.duckdb."""
    monkeypatch.delenv("BENCHMARKING_DB", raising=False)
    assert default_db_path().name == "benchmarking.duckdb"
    assert default_db_path().parent.name == "data"
    monkeypatch.setenv("BENCHMARKING_DB", str(tmp_path / "x.duckdb"))
    assert default_db_path() == tmp_path / "x.duckdb"


def test_reading_a_missing_store_says_how_to_build_one(tmp_path):
    """Opening a store that does not exist names the command that builds the demo."""
    with pytest.raises(StoreMissingError, match="python -m benchmarking demo"):
        Store(tmp_path / "none.duckdb").authorities()


def test_reads_use_read_only_connections(demo_store):
    """A read connection cannot write."""
    with demo_store.reading() as con, pytest.raises(duckdb.Error):
        con.execute("DELETE FROM authority")


@pytest.mark.parametrize("table", list(schema.KEYS))
def test_every_table_key_is_unique(demo_store, table):
    """No two rows share a key, whether the database or the write path enforces it."""
    keys = ", ".join(schema.KEYS[table])
    with demo_store.reading() as con:
        total, distinct = con.execute(
            f"SELECT count(*), (SELECT count(*) FROM (SELECT DISTINCT {keys} FROM {table})) FROM {table}"
        ).fetchone()
    assert total == distinct
