"""The store: every read from and write to the DuckDB file goes through this class.

Reads open a short-lived read-only connection, so the app never holds the file and
an import from another process can take its write lock. Writes happen in one
transaction per import: either every table changes or none does. Values from
users only ever reach SQL as parameters or registered DataFrames, never as text.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import duckdb
import pandas as pd

from benchmarking.access import require_writable
from benchmarking.errors import (
    BenchmarkingError,
    ImportValidationError,
    NotAStoreError,
    StaleUndoError,
    StoreBusyError,
    ValidationIssue,
)
from benchmarking.paths import default_db_path
from benchmarking.store import schema, tables, undo, writes
from benchmarking.store.connection import connect, file_signature, process_lock, transaction
from benchmarking.store.contents import (
    VALUES_ORDER,
    VALUES_SQL,
    StoreContents,
    StoreQueries,
    read_catalogue_frames,
    read_contents,
    read_values,
)

STORE_TABLES = frozenset({"authority", "indicator", "indicator_value", "dataset"})
"""Tables every benchmarking store holds: a DuckDB file with other tables but not these is not one."""
_TABLE_NAMES: dict[Path, tuple[tuple, frozenset[str]]] = {}
"""Store file -> (its signature, its table names) when last read (``Store._table_names``)."""


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
            names = self._table_names()
        except StoreBusyError:
            raise  # locked by another process's import: the store exists, it cannot be read yet
        except BenchmarkingError:
            return False
        return names >= STORE_TABLES

    def _table_names(self) -> set[str]:
        """Return the names of the tables in the file, read on a read-only connection (which checks its kind).

        Remembered while the file and its write-ahead log are unchanged: a table is made or dropped only by a
        write, which changes one of them. One command asks several times (a connection costs ~15 ms).
        """
        signature = file_signature(self.path)
        known = _TABLE_NAMES.get(self.path)
        if known is not None and known[0] == signature:
            return set(known[1])
        with connect(self.path, read_only=True, wait_seconds=self.wait_seconds) as con:
            names = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        _TABLE_NAMES[self.path] = (signature, frozenset(names))
        return names

    def initialise(self) -> None:
        """Create the file and every table (and their undo shadows) if missing; return None.

        A store written before its values named their load gains ``tables.LOAD_COLUMN`` here or on its
        first write (``tables.create_tables``).

        Raises NotAStoreError, writing nothing, when the file is another DuckDB database
        (it holds tables, but not the store's).
        """
        self._may_write()
        with self._writing() as con:
            tables.create_tables(con)

    def _may_write(self) -> None:
        """Raise unless the store may be written here and the file is a store or none yet; make its folder."""
        require_writable(self.path)  # read-only deployments and viewers write nothing, not even a new file
        self.refuse_foreign()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:  # a file where a folder of the path should be, or a folder that cannot be made
            raise BenchmarkingError(
                f"cannot make the folder {self.path.parent} for the store ({error.strerror or error}): "
                "check the path; a file may have the name of one of its folders"
            ) from error

    def refuse_foreign(self) -> None:
        """Raise NotAStoreError when the file is not a store (SQLite, text, another DuckDB database); return None.

        Looks with a read-only connection, so a file that is refused is never written to.
        A missing or empty file, or a DuckDB file with no tables, may become a store.
        """
        if not self.path.exists() or self.path.stat().st_size == 0:
            return
        names = self._table_names()
        if names and not names >= STORE_TABLES:
            shown = ", ".join(sorted(names)[:8]) + (" ..." if len(names) > 8 else "")
            raise NotAStoreError(
                f"{self.path} is a DuckDB file but not a benchmarking store (it holds {shown}); "
                "nothing was written to it: give the path of a store, or of a new file with --create"
            )

    @contextlib.contextmanager
    def _writing(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Yield a write connection, one writer per store file in this process (sessions queue)."""
        lock = process_lock(self.path)
        if not lock.acquire(timeout=self.wait_seconds):
            raise StoreBusyError(
                f"the store at {self.path} is being written by another session and stayed busy for "
                f"{self.wait_seconds:.0f} s; nothing was written: try again when that import has finished"
            )
        try:
            with connect(self.path, read_only=False, wait_seconds=self.wait_seconds) as con:
                yield con
        finally:
            lock.release()

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
        with self.reading() as con:
            return con.execute(f"{tables.data_select(con, name)} ORDER BY {order}").df()

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
        sql, params = VALUES_SQL, []
        if periods is not None:
            sql += " WHERE v.period IN (SELECT unnest(?))"
            params.append(list(periods))
        with self.reading() as con:
            return read_values(con, sql + VALUES_ORDER, params)

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

    def baskets(self) -> pd.DataFrame:
        """Return the stored baskets: basket_id, name, indicator_id, weight, note, version (none in an older store)."""
        with self.reading() as con:
            if con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'basket'").fetchone()[0]:
                return con.execute("SELECT * FROM basket ORDER BY basket_id, indicator_id").df()
        return pd.DataFrame({c: pd.Series(dtype=object) for c in schema.COLUMNS["basket"]})

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
                count, total = con.execute(
                    f"SELECT count(*), sum(hash(t)::HUGEINT) FROM ({tables.data_select(con, table)}) t"
                ).fetchone()
                result[table] = f"{count}:{total}"
        return result

    def compare_rows(self, table: str, frame: pd.DataFrame) -> pd.Series:
        """Return per row of ``frame`` what writing it would do: 'added', 'replaced' or 'unchanged'.

        'replaced' means a row with the same key exists and differs in a column that
        ``frame`` holds; 'unchanged' means it exists with the same values. Nothing is written.
        """
        return pd.Series(self.plan_changes(table, frame, per_row=True).outcome, index=frame.index, dtype=object)

    def plan_changes(
        self,
        table: str,
        frame: pd.DataFrame,
        con: duckdb.DuckDBPyConnection | None = None,
        per_row: bool = False,
        first: int = 0,
    ) -> writes.Plan:
        """Return what writing ``frame`` into ``table`` would do (the commit writes by the same plan), counted, or
        ``per_row`` too, with the ``first`` replaced rows beside their stored values (``writes.plan``); ``con`` reads
        on an open connection."""
        if table not in schema.KEYS:
            raise BenchmarkingError(f"unknown table {table!r}; tables with keys are {', '.join(schema.KEYS)}")
        if frame.empty or not self.path.exists():
            return writes.Plan(len(frame), no_figure=writes.without_figure(table, frame))
        if con is not None:
            return writes.plan(con, table, frame, per_row, first)
        with self.reading() as con:
            return writes.plan(con, table, frame, per_row, first)

    # -- writes ------------------------------------------------------------------

    def write(
        self,
        changes: Mapping[str, pd.DataFrame],
        dataset: Mapping[str, object],
        settings: Mapping[str, str] | None = None,
        *,
        check: Callable[[duckdb.DuckDBPyConnection], Mapping[str, pd.DataFrame]] | None = None,
        replacing: Mapping[str, pd.DataFrame] | None = None,
    ) -> writes.Written:
        """Merge each table's rows by key in one transaction; return added/replaced counts per table (and the load's
        id, ``Written.load_id``).

        ``dataset`` describes the load for the ``dataset`` table (name, source, kind,
        loaded_by, file_name, file_sha256). Replaced rows (and remembered settings) are
        copied into their undo shadow first, so that :meth:`undo_last_import` can restore
        them. ``check(con)``, run inside the transaction, checks the rows again against
        the store as it is now and returns the changes to write (raising to refuse).
        Whatever the rows name (authorities, indicators) must be in the store at commit.
        ``replacing`` names, per table, whole sets of rows (key columns, e.g. ``basket_id``) that
        the write replaces: their stored rows that the changes do not hold are removed (count
        ``removed``), kept for undo like replaced rows.
        """
        self._may_write()
        with self._writing() as con:
            tables.create_tables(con)  # on the write's own connection, committed before its transaction opens
            return self._write_on(con, changes, dataset, settings, check, replacing)

    def _write_on(
        self,
        con: duckdb.DuckDBPyConnection,
        changes: Mapping[str, pd.DataFrame],
        dataset: Mapping[str, object],
        settings: Mapping[str, str] | None,
        check: Callable[[duckdb.DuckDBPyConnection], Mapping[str, pd.DataFrame]] | None,
        replacing: Mapping[str, pd.DataFrame] | None,
    ) -> writes.Written:
        """Return the added/replaced counts of ``write`` and the load's id, done as one transaction on ``con``."""
        counts: dict[str, dict[str, int]] = {}
        with transaction(con, self.path):
            if check is not None:
                changes = check(con)
            dataset_id = con.execute(
                "INSERT INTO dataset (name, source, kind, loaded_by, table_name, file_name, file_sha256) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                [
                    dataset.get("name"),
                    dataset.get("source"),
                    dataset.get("kind", "imported"),
                    dataset.get("loaded_by") or writes.current_user(),
                    ",".join(dict.fromkeys([*changes, *(replacing or {})])),
                    dataset.get("file_name"),
                    dataset.get("file_sha256"),
                ],
            ).fetchone()[0]
            for table, sets in (replacing or {}).items():
                removed = writes.remove_unwritten(con, table, sets, changes.get(table), dataset_id)
                counts[table] = {"added": 0, "replaced": 0, "removed": removed}
            for table, frame in changes.items():
                counts[table] = counts.get(table, {}) | writes.upsert(con, table, frame, dataset_id)
            missing = writes.missing_references(con, dict(changes))
            if missing:
                raise ImportValidationError(
                    [
                        ValidationIssue(
                            table,
                            None,
                            None,
                            f"names {', '.join(names)}, which the store no longer holds (removed by an undo or "
                            "another import since the file was checked): preview the import again",
                        )
                        for table, names in missing.items()
                    ]
                )
            if settings:
                frame = pd.DataFrame({"key": list(settings), "value": list(settings.values())})
                writes.upsert(con, "setting", frame, dataset_id)
            rows = [c for table, c in counts.items() if table != "period"]
            con.execute(
                "UPDATE dataset SET rows_added = ?, rows_replaced = ? WHERE id = ?",
                [sum(c["added"] for c in rows), sum(c["replaced"] for c in rows), dataset_id],
            )
        return writes.Written(counts, dataset_id)

    def undo_last_import(self, dataset_id: int | None = None) -> dict[str, object] | None:
        """Undo the newest load: delete the rows it added, restore the rows (and settings) it replaced.

        With ``dataset_id``, undo only if that import is still the newest (StaleUndoError
        otherwise). Returns the undone dataset row as a dict, with what the undo did to the data tables
        (``rows_removed``: rows it deleted; ``rows_restored``: replaced or removed rows it put back), or None
        when there is nothing to undo.
        """
        require_writable(self.path)
        with self._writing() as con, transaction(con, self.path):
            row = con.execute("SELECT * FROM dataset ORDER BY id DESC LIMIT 1").fetchdf()
            if row.empty:
                if dataset_id is not None:
                    raise StaleUndoError(f"import {dataset_id} is no longer in the store: there is nothing to undo")
                return None
            newest = int(row["id"].iloc[0])
            if dataset_id is not None and newest != int(dataset_id):
                raise StaleUndoError(
                    f"import {dataset_id} is no longer the newest: import {newest} ({row['name'].iloc[0]}) was "
                    "loaded after it or it was already undone; nothing was undone. Look at the load history "
                    "and undo the newest import first"
                )
            kind = row["kind"].iloc[0]
            if kind != "imported":
                # The demo command would put invented figures where real ones were: name the command of this kind.
                rebuild = "--db FILE demo --replace" if kind == "demo" else "load-extract --out FILE --replace"
                raise StaleUndoError(
                    f"the last load ({row['name'].iloc[0]!r}) is the {kind} dataset, not an import: there is no "
                    f"import left to undo. Nothing was changed; to start again from the {kind} dataset alone, "
                    f"rebuild the store (python -m benchmarking {rebuild})"
                )
            shadows = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
            removed = restored = 0
            for table in (*schema.KEYS, "setting"):
                if f"{tables.UNDO_PREFIX}{table}" not in shadows:
                    continue
                deleted, put_back = undo.restore(con, table, newest)
                if table not in ("period", "setting"):  # counted as the load's rows_added and rows_replaced are
                    removed, restored = removed + deleted, restored + put_back
            con.execute("DELETE FROM dataset WHERE id = ?", [newest])
        return {**row.iloc[0].to_dict(), "rows_removed": removed, "rows_restored": restored}

    def known_keys(self, con: duckdb.DuckDBPyConnection | None = None) -> tuple[set[str], set[str]]:
        """Return (authority codes, indicator ids) the store holds; ``con`` reads on an open connection."""
        if con is None:
            with self.reading() as con:
                return self.known_keys(con)
        authorities = {r[0] for r in con.execute("SELECT code FROM authority").fetchall()}
        indicators = {r[0] for r in con.execute("SELECT id FROM indicator").fetchall()}
        return authorities, indicators

    def catalogue_frames(self, values: bool = True) -> dict[str, object]:
        """Return every table a benchmark reads, in one connection: a frame per table
        (``notes`` None when the store predates the note table) and ``settings`` as a dict;
        ``values=False`` leaves the values in the store (an empty frame)."""
        with self.reading() as con:
            return read_catalogue_frames(con, values=values)

    @contextlib.contextmanager
    def querying(self) -> Iterator[StoreQueries]:
        """Yield a ``StoreQueries`` on one read-only connection: the method's queries over the store's tables."""
        with self.reading() as con:
            yield StoreQueries(con)
