"""What the store holds, read in one connection: its contents in counts, and the frames a benchmark reads."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # this module loads without pandas and pyarrow: an export reads with it while they load
    import duckdb
    import pandas as pd
    import pyarrow as pa


@dataclass(frozen=True)
class StoreContents:
    """Counts of what the store holds, table by table, with its themes and periods."""

    authorities: int
    county_councils: int
    county_unitaries: int
    indicators: int
    ranked_indicators: int
    context_indicators: int
    themes: pd.DataFrame
    """One row per theme: theme, ranked, context (indicator counts)."""
    periods: list[str]
    """Every period label in the store, oldest first."""
    value_periods: list[str]
    """The period labels that hold indicator values, oldest first."""
    values: int
    """Indicator values present (not missing)."""
    missing_values: int
    spend_rows: int
    spend_periods: list[str]
    deprivation_rows: int
    funding_rows: int
    groups: dict[str, int]
    """Comparator group id -> number of authorities with a list."""
    dataset_kinds: list[str]

    @property
    def is_demo(self) -> bool:
        """True while every load in the store is the generated demo."""
        return self.dataset_kinds == ["demo"]


def read_contents(con: duckdb.DuckDBPyConnection) -> StoreContents:
    """Return the store's contents in counts, read on an open connection."""
    one = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
    firsts = lambda sql: [r[0] for r in con.execute(sql).fetchall()]  # noqa: E731
    return StoreContents(
        authorities=one("SELECT count(*) FROM authority"),
        county_councils=one("SELECT count(*) FROM authority WHERE kind = 'county council'"),
        county_unitaries=one("SELECT count(*) FROM authority WHERE kind = 'county unitary'"),
        indicators=one("SELECT count(*) FROM indicator"),
        ranked_indicators=one("SELECT count(*) FROM indicator WHERE polarity <> 'none'"),
        context_indicators=one("SELECT count(*) FROM indicator WHERE polarity = 'none'"),
        themes=con.execute(
            "SELECT theme, count(*) FILTER (WHERE polarity <> 'none') AS ranked, "
            "count(*) FILTER (WHERE polarity = 'none') AS context FROM indicator GROUP BY theme ORDER BY theme"
        ).df(),
        periods=firsts("SELECT label FROM period ORDER BY start_date"),
        value_periods=firsts(
            "SELECT p.label FROM period p WHERE p.label IN (SELECT DISTINCT period FROM indicator_value) "
            "ORDER BY p.start_date, p.label"
        ),
        values=one("SELECT count(value) FROM indicator_value"),
        missing_values=one("SELECT count(*) FROM indicator_value WHERE value IS NULL"),
        spend_rows=one("SELECT count(*) FROM spend"),
        spend_periods=firsts("SELECT DISTINCT period FROM spend ORDER BY 1"),
        deprivation_rows=one("SELECT count(*) FROM deprivation"),
        funding_rows=one("SELECT count(*) FROM funding"),
        groups=dict(
            con.execute(
                "SELECT group_id, count(DISTINCT authority_code) FROM comparator_group GROUP BY group_id "
                "ORDER BY group_id"
            ).fetchall()
        ),
        dataset_kinds=firsts("SELECT DISTINCT kind FROM dataset"),
    )


VALUES_SQL = (
    "SELECT v.indicator_id, v.authority_code, v.period, v.value, v.status, "
    "CAST(p.start_date AS TIMESTAMP) AS period_start "
    "FROM indicator_value v JOIN period p ON p.label = v.period"
)
VALUES_ORDER = " ORDER BY v.indicator_id, v.authority_code, p.start_date"  # the engine's fast path


PUBLISHED_SQL = (
    "SELECT DISTINCT indicator_id, period AS source_period FROM indicator_value "
    "WHERE value IS NOT NULL AND indicator_id IS NOT NULL AND period IS NOT NULL"
)
"""The distinct (indicator, published label) pairs that hold a value: what the reporting calendar
and the vintages are worked out from when the values stay in the store."""


def read_values(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> pd.DataFrame:
    """Return the rows of a query over millions of values as a DataFrame, fetched through Arrow.

    The text columns stay Arrow-backed (pandas ``str``), the frame ``.df()`` returns, made
    several times faster: ``.df()`` builds every string as a Python object first. For queries
    without DATE or nullable integer columns (Arrow gives those other pandas dtypes).
    """
    return con.sql(sql, params=params or None).to_arrow_table().to_pandas()


def read_catalogue_frames(
    con: duckdb.DuckDBPyConnection, values: bool = True, published: pa.Table | None = None
) -> dict[str, object]:
    """Return every table a benchmark reads, on an open connection: a frame per table
    (``notes`` None when the store predates the note table) and ``settings`` as a dict.

    ``values=False`` leaves the millions of values in the store (an empty ``values`` frame, and
    ``published``: the distinct indicator and label pairs that hold a value, read here unless
    ``published`` gives the result of ``PUBLISHED_SQL``): for the exports that run the method on
    the store's own tables (``StoreQueries``).
    """
    if not values and published is None:
        published = con.sql(PUBLISHED_SQL).to_arrow_table()
    read = lambda sql: con.execute(sql).df()  # noqa: E731
    tables = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    return {
        "authorities": read("SELECT * FROM authority ORDER BY name"),
        "indicators": read("SELECT * FROM indicator ORDER BY theme, id"),
        "values": read_values(con, VALUES_SQL + (VALUES_ORDER if values else " WHERE FALSE")),
        "spend": read("SELECT * FROM spend"),
        "funding": read("SELECT * FROM funding"),
        "deprivation": read("SELECT * FROM deprivation"),
        "theme_service": read("SELECT * FROM theme_service"),
        "comparator_groups": read("SELECT * FROM comparator_group"),
        "periods": read("SELECT label, CAST(start_date AS TIMESTAMP) AS start_date FROM period ORDER BY start_date"),
        "settings": dict(con.execute("SELECT key, value FROM setting").fetchall()),
        "datasets": read("SELECT * FROM dataset ORDER BY id DESC"),
        "notes": read("SELECT * FROM note ORDER BY indicator_id, authority_code, period") if "note" in tables else None,
        "baskets": read("SELECT * FROM basket ORDER BY basket_id, indicator_id") if "basket" in tables else None,
    } | ({} if values else {"published": published.to_pandas()})


class StoreQueries:
    """Queries the method wrote, run on one read-only connection to the store's tables: the
    method's rules where the values live, bringing back only what an export needs."""

    def __init__(self, con: duckdb.DuckDBPyConnection, published: pa.Table | None = None):
        self._con = con
        self._published = published
        con.execute("SET python_enable_replacements = false")  # only the tables registered here
        con.execute("SET preserve_insertion_order = false")  # every query that needs an order says it

    def catalogue_frames(self, values: bool = True) -> dict[str, object]:
        """Return ``read_catalogue_frames`` on this connection (rows in the store's order, as on any other)."""
        self._con.execute("SET preserve_insertion_order = true")
        try:
            return read_catalogue_frames(self._con, values=values, published=self._published)
        finally:
            self._con.execute("SET preserve_insertion_order = false")

    def register(self, tables: dict[str, pa.Table]) -> None:
        """Make each Arrow table (name -> table) readable by name in the queries that follow; return None."""
        for name, table in tables.items():
            self._con.register(name, table)

    def view(self, name: str, query: str) -> None:
        """Name ``query`` as the temporary view ``name`` for the queries that follow; return None."""
        self._con.execute(f"CREATE TEMP VIEW {name} AS {query}")

    def arrow(self, query: str) -> pa.Table:
        """Return the result of ``query`` as an Arrow table."""
        return self._con.sql(query).to_arrow_table()


def published_in_background(con: duckdb.DuckDBPyConnection) -> threading.Thread:
    """Start reading ``PUBLISHED_SQL`` on ``con`` in a thread and return it, started: once joined,
    its ``result`` is the Arrow table (or its ``error`` the exception). DuckDB works without the
    interpreter's lock, so an export loads pandas and the engine meanwhile; ``con`` is the
    thread's until then."""

    def scan() -> None:
        try:
            thread.result = con.sql(PUBLISHED_SQL).to_arrow_table()
        except BaseException as error:  # raised again by the caller, on its own thread
            thread.error = error

    thread = threading.Thread(target=scan, name="published-pairs", daemon=True)
    thread.result, thread.error = None, None
    thread.start()
    return thread
