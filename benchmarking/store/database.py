"""The store: every read from and write to the DuckDB file goes through this class.

Reads open a short-lived read-only connection, so the app never holds the file and
an import from another process can take its write lock. Writes happen in one
transaction per import: either every table changes or none does. Values from
users only ever reach SQL as parameters or registered DataFrames, never as text.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from pathlib import Path

import duckdb
import pandas as pd

from benchmarking.access import require_writable
from benchmarking.errors import BenchmarkingError, StoreBusyError
from benchmarking.paths import default_db_path
from benchmarking.store import schema, writes
from benchmarking.store.connection import connect
from benchmarking.store.contents import StoreContents, read_catalogue_frames, read_contents


class Store:
    """One DuckDB file of comparator data, with typed reads and transactional writes."""

    def __init__(self, path: Path | str | None = None, wait_seconds: float = 15.0):
        self.path = Path(path) if path is not None else default_db_path()
        self.wait_seconds = wait_seconds

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    # -- lifecycle ---------------------------------------------------------------

    def exists(self) -> bool:
        """Return True when the file exists and holds the schema's tables."""
        if not self.path.exists():
            return False
        try:
            with connect(self.path, read_only=True, wait_seconds=self.wait_seconds) as con:
                names = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        except StoreBusyError:
            raise  # locked by another process's import: the store exists, it cannot be read yet
        except BenchmarkingError:
            return False
        return {"authority", "indicator", "indicator_value", "dataset"} <= names

    def initialise(self) -> None:
        """Create the file and every table (and their undo shadows) if missing."""
        require_writable(self.path)  # read-only deployments and viewers write nothing, not even a new file
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with connect(self.path, read_only=False, wait_seconds=self.wait_seconds) as con:
            con.execute(schema.DDL)
            for table in schema.KEYS:
                con.execute(
                    f"CREATE TABLE IF NOT EXISTS {writes.UNDO_PREFIX}{table} AS "
                    f"SELECT NULL::INTEGER AS dataset_id, NULL::VARCHAR AS action, * "
                    f"FROM {table} WHERE FALSE"
                )

    @contextlib.contextmanager
    def reading(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Yield a read-only connection for several reads in a row."""
        with connect(self.path, read_only=True, wait_seconds=self.wait_seconds) as con:
            yield con

    # -- reads -------------------------------------------------------------------

    def _query(self, sql: str, params: list | None = None) -> pd.DataFrame:
        with self.reading() as con:
            return con.execute(sql, params or []).df()

    def table(self, name: str) -> pd.DataFrame:
        """Return a whole table by name (one of the schema's tables)."""
        if name not in schema.DATA_TABLES:
            raise BenchmarkingError(f"unknown table {name!r}; tables are {', '.join(schema.DATA_TABLES)}")
        order = ", ".join(schema.KEYS.get(name, ("1",)))
        return self._query(f"SELECT * FROM {name} ORDER BY {order}")

    def authorities(self) -> pd.DataFrame:
        """Return authorities: code, name, kind, region, population, sorted by name."""
        return self._query("SELECT * FROM authority ORDER BY name")

    def indicators(self) -> pd.DataFrame:
        """Return the indicator catalogue: id, name, theme, outcome, polarity, ..., description."""
        return self._query("SELECT * FROM indicator ORDER BY theme, id")

    def periods(self) -> pd.DataFrame:
        """Return period labels with their start dates, oldest first."""
        return self._query("SELECT label, start_date FROM period ORDER BY start_date, label")

    def values(self, periods: list[str] | None = None) -> pd.DataFrame:
        """Return indicator values (with ``period_start``) for the given periods, or all."""
        sql = (
            "SELECT v.indicator_id, v.authority_code, v.period, v.value, v.status, "
            "CAST(p.start_date AS TIMESTAMP) AS period_start "
            "FROM indicator_value v JOIN period p ON p.label = v.period"
        )
        params: list = []
        if periods is not None:
            sql += " WHERE v.period IN (SELECT unnest(?))"
            params.append(list(periods))
        return self._query(sql + " ORDER BY v.indicator_id, v.authority_code, p.start_date", params)

    def spend(self) -> pd.DataFrame:
        """Return net expenditure per head: authority_code, period, service, net_expenditure_per_head."""
        return self._query("SELECT * FROM spend ORDER BY authority_code, period, service")

    def funding(self) -> pd.DataFrame:
        """Return core spending power per head: authority_code, period, core_spending_power_per_head."""
        return self._query("SELECT * FROM funding ORDER BY authority_code, period")

    def deprivation(self) -> pd.DataFrame:
        """Return IMD summaries: authority_code, edition, rank_of_average_rank, average_score."""
        return self._query("SELECT * FROM deprivation ORDER BY authority_code, edition")

    def theme_services(self) -> pd.DataFrame:
        """Return the theme-to-spend-service map: theme, service, is_core_theme."""
        return self._query("SELECT * FROM theme_service ORDER BY theme")

    def dashboard_extras(self) -> pd.DataFrame:
        """Return the focus authority's targets, commentary and strategic-plan flags."""
        return self._query("SELECT * FROM dashboard_extra ORDER BY indicator_id, period")

    def comparator_groups(self) -> pd.DataFrame:
        """Return saved comparator groups: group_id, name, authority_code ('*' = any), member_code."""
        return self._query("SELECT * FROM comparator_group ORDER BY group_id, authority_code, member_code")

    def datasets(self) -> pd.DataFrame:
        """Return the load history, newest first."""
        return self._query("SELECT * FROM dataset ORDER BY id DESC")

    def settings(self) -> dict[str, str]:
        """Return the key/value settings (focus authority, dataset title, ...)."""
        frame = self._query("SELECT key, value FROM setting")
        return dict(zip(frame["key"], frame["value"]))

    def summary(self) -> StoreContents:
        """Return what the store holds: counts per table, themes, periods and dataset kinds."""
        with self.reading() as con:
            return read_contents(con)

    def checksums(self) -> dict[str, str]:
        """Return a content hash per table (order-independent), to prove an import changed nothing."""
        result = {}
        with self.reading() as con:
            for table in schema.DATA_TABLES:
                # Sum of row hashes: independent of row order; keys make rows unique.
                count, total = con.execute(f"SELECT count(*), sum(hash(t)::HUGEINT) FROM {table} t").fetchone()
                result[table] = f"{count}:{total}"
        return result

    def compare_rows(self, table: str, frame: pd.DataFrame) -> pd.Series:
        """Return per row of ``frame`` what writing it would do: 'added', 'replaced' or 'unchanged'.

        'replaced' means a row with the same key exists and differs in a column that
        ``frame`` holds; 'unchanged' means it exists with the same values. Nothing is written.
        """
        if table not in schema.KEYS:
            raise BenchmarkingError(f"unknown table {table!r}; tables with keys are {', '.join(schema.KEYS)}")
        outcome = pd.Series("added", index=frame.index, dtype=object)
        if frame.empty or not self.path.exists():
            return outcome
        keys = schema.KEYS[table]
        with self.reading() as con:
            cols = [c for c in writes.table_columns(con, table) if c in frame.columns]
            if not cols:  # a file without the schema's tables
                return outcome
            incoming = frame[cols].reset_index(drop=True)
            incoming["_position"] = range(len(incoming))
            con.register("incoming", incoming)
            try:
                match = " AND ".join(f"t.{k} = i.{k}" for k in keys)
                same = " AND ".join(f"t.{c} IS NOT DISTINCT FROM i.{c}" for c in cols)
                found = con.execute(
                    f"SELECT i._position, ({same}) AS same FROM incoming i JOIN {table} t ON {match}"
                ).df()
            finally:
                con.unregister("incoming")
        positions = found["_position"].to_numpy()
        outcome.iloc[positions] = ["unchanged" if s else "replaced" for s in found["same"]]
        return outcome

    # -- writes ------------------------------------------------------------------

    def write(
        self,
        changes: Mapping[str, pd.DataFrame],
        dataset: Mapping[str, object],
        settings: Mapping[str, str] | None = None,
    ) -> dict[str, dict[str, int]]:
        """Upsert each table's rows (replace by key) in one transaction; return added/replaced counts.

        ``dataset`` describes the load for the ``dataset`` table (name, source, kind,
        loaded_by, file_name, file_sha256). Replaced rows are copied into the table's
        undo shadow first, so that :meth:`undo_last_import` can restore them.
        """
        require_writable(self.path)
        self.initialise()
        counts: dict[str, dict[str, int]] = {}
        with connect(self.path, read_only=False, wait_seconds=self.wait_seconds) as con:
            con.execute("BEGIN TRANSACTION")
            try:
                dataset_id = con.execute(
                    "INSERT INTO dataset (name, source, kind, loaded_by, table_name, file_name, file_sha256) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    [
                        dataset.get("name"),
                        dataset.get("source"),
                        dataset.get("kind", "imported"),
                        dataset.get("loaded_by") or writes.current_user(),
                        ",".join(changes),
                        dataset.get("file_name"),
                        dataset.get("file_sha256"),
                    ],
                ).fetchone()[0]
                for table, frame in changes.items():
                    counts[table] = writes.upsert(con, table, frame, dataset_id)
                added = sum(c["added"] for c in counts.values())
                replaced = sum(c["replaced"] for c in counts.values())
                con.execute(
                    "UPDATE dataset SET rows_added = ?, rows_replaced = ? WHERE id = ?",
                    [added, replaced, dataset_id],
                )
                for key, value in (settings or {}).items():
                    con.execute("INSERT OR REPLACE INTO setting VALUES (?, ?)", [key, value])
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        return counts

    def undo_last_import(self) -> dict[str, object] | None:
        """Undo the newest load: delete the rows it added, restore the rows it replaced.

        Returns the undone dataset row as a dict, or None when there is nothing to undo.
        """
        require_writable(self.path)
        with connect(self.path, read_only=False, wait_seconds=self.wait_seconds) as con:
            row = con.execute("SELECT * FROM dataset ORDER BY id DESC LIMIT 1").fetchdf()
            if row.empty:
                return None
            dataset_id = int(row["id"].iloc[0])
            con.execute("BEGIN TRANSACTION")
            try:
                for table, keys in schema.KEYS.items():
                    undo = f"{writes.UNDO_PREFIX}{table}"
                    cols = writes.table_columns(con, table)
                    match = " AND ".join(f"t.{k} = u.{k}" for k in keys)
                    con.execute(
                        f"DELETE FROM {table} t WHERE EXISTS (SELECT 1 FROM {undo} u "
                        f"WHERE u.dataset_id = ? AND {match})",
                        [dataset_id],
                    )
                    col_list = ", ".join(cols)
                    con.execute(
                        f"INSERT INTO {table} ({col_list}) SELECT {col_list} FROM {undo} "
                        f"WHERE dataset_id = ? AND action = 'replaced'",
                        [dataset_id],
                    )
                    con.execute(f"DELETE FROM {undo} WHERE dataset_id = ?", [dataset_id])
                con.execute("DELETE FROM dataset WHERE id = ?", [dataset_id])
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        return row.iloc[0].to_dict()

    def known_keys(self, con: duckdb.DuckDBPyConnection | None = None) -> tuple[set[str], set[str]]:
        """Return (authority codes, indicator ids) the store holds; ``con`` reads on an open connection."""
        if con is None:
            with self.reading() as con:
                return self.known_keys(con)
        authorities = {r[0] for r in con.execute("SELECT code FROM authority").fetchall()}
        indicators = {r[0] for r in con.execute("SELECT id FROM indicator").fetchall()}
        return authorities, indicators

    def catalogue_frames(self) -> dict[str, object]:
        """Return every table a benchmark reads, in one connection: a frame per table
        (``notes`` None when the store predates the note table) and ``settings`` as a dict."""
        with self.reading() as con:
            return read_catalogue_frames(con)
