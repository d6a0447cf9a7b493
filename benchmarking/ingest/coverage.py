"""The effect of an import on coverage: which themes and authorities have data, before and after.

The preview shows it before anything is written (``preview.preview_import``). The counts are
DuckDB queries over the store's tables and the incoming rows (registered as Arrow), so a
file of millions of values is compared where the stored values live, never copied into pandas.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping

import duckdb
import pandas as pd
import pyarrow as pa

from benchmarking.store import Store, schema

_GROUP_COLUMN = {"indicator_value": "period", "spend": "period", "funding": "period", "deprivation": "edition"}
MISSING_NAMES_SHOWN = 12
_THEME_COLUMNS = ["theme", "indicators_before", "indicators_after", "values_before", "values_after"]
_AUTHORITY_COLUMNS = ["table", "period", "authorities_before", "authorities_after", "missing_after", "still_missing"]


def coverage_effect(store: Store, changes: Mapping[str, pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (themes, authorities): coverage before and after writing ``changes``, for the periods touched.

    ``themes``: per theme, indicators with at least one value and values held, before and
    after. ``authorities``: per table and period (or edition), how many authorities have
    data before and after, and the names of those still without.
    """
    themes = pd.DataFrame(columns=_THEME_COLUMNS)
    parts = []
    with _store_tables(store) as con:
        authorities = con.execute("SELECT code, name FROM authority").df()
        if "authority" in changes:
            authorities = pd.concat([authorities, changes["authority"][["code", "name"]]]).drop_duplicates(
                "code", keep="last"
            )
        for table, group in _GROUP_COLUMN.items():
            if table not in changes or group not in changes[table]:
                continue
            incoming = changes[table]
            stored = schema.COLUMNS[table]
            if table == "indicator_value":
                keys, measure = ["indicator_id", "authority_code", "period"], "value"
            else:
                keys, measure = [c for c in ("authority_code", "period", "service", "edition") if c in incoming], None
            columns = [c for c in stored if c in incoming.columns]
            con.register("incoming_rows", _arrow(incoming[columns]))
            try:
                _after_view(con, table, group, keys, columns)
                parts.append(
                    _authority_coverage(con, table, group, authorities, measure if measure in columns else None)
                )
                if table == "indicator_value":
                    indicators = con.execute("SELECT id, theme FROM indicator").df()
                    if "indicator" in changes:
                        indicators = pd.concat([indicators, changes["indicator"][["id", "theme"]]]).drop_duplicates(
                            "id", keep="last"
                        )
                    themes = _theme_coverage(con, indicators, "value" in columns)
            finally:
                con.unregister("incoming_rows")
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=_AUTHORITY_COLUMNS)
    return themes, frame


@contextlib.contextmanager
def _store_tables(store: Store) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a connection that reads the store's tables (empty tables of its schema when there is no store)."""
    if store.exists():
        with store.reading() as con:
            yield con
        return
    con = duckdb.connect(":memory:")
    try:
        con.execute(schema.DDL)
        yield con
    finally:
        con.close()


def _arrow(frame: pd.DataFrame) -> pa.Table:
    """Return the frame as an Arrow table (text columns as Arrow strings, the way DuckDB reads them fastest)."""
    return pa.Table.from_pandas(frame, preserve_index=False)


def _after_view(con: duckdb.DuckDBPyConnection, table: str, group: str, keys: list[str], columns: list[str]) -> None:
    """Name (as temporary views) the stored rows of the touched periods, and those rows once the import is written."""
    shared = ", ".join(columns)
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW coverage_before AS SELECT {shared} FROM {table} "
        f"WHERE {group} IN (SELECT {group} FROM incoming_rows)"
    )
    match = " AND ".join(f"b.{k} IS NOT DISTINCT FROM i.{k}" for k in keys)
    con.execute(
        "CREATE OR REPLACE TEMP VIEW coverage_after AS "
        f"SELECT {shared} FROM coverage_before b WHERE NOT EXISTS (SELECT 1 FROM incoming_rows i WHERE {match}) "
        f"UNION ALL SELECT {shared} FROM incoming_rows"
    )


def _theme_coverage(con: duckdb.DuckDBPyConnection, indicators: pd.DataFrame, has_value: bool) -> pd.DataFrame:
    """Return per theme the indicators with a value and the values held, before and after."""
    con.register("indicator_themes", pa.Table.from_pandas(indicators[["id", "theme"]], preserve_index=False))
    held = "value IS NOT NULL" if has_value else "FALSE"
    try:
        counts = con.execute(
            f"""
            WITH per_indicator AS (
                SELECT 'before' AS side, indicator_id, count(*) AS n FROM coverage_before WHERE value IS NOT NULL
                GROUP BY indicator_id
                UNION ALL
                SELECT 'after', indicator_id, count(*) FROM coverage_after WHERE {held} GROUP BY indicator_id
            )
            SELECT coalesce(t.theme, '(no theme)') AS theme,
                count(*) FILTER (WHERE side = 'before') AS indicators_before,
                count(*) FILTER (WHERE side = 'after') AS indicators_after,
                coalesce(sum(n) FILTER (WHERE side = 'before'), 0) AS values_before,
                coalesce(sum(n) FILTER (WHERE side = 'after'), 0) AS values_after
            FROM per_indicator p LEFT JOIN indicator_themes t ON t.id = p.indicator_id
            GROUP BY 1
            """
        ).df()
    finally:
        con.unregister("indicator_themes")
    counts = counts.astype(dict.fromkeys(_THEME_COLUMNS[1:], int))
    return counts[_THEME_COLUMNS].sort_values("theme", ignore_index=True)


def _authority_coverage(
    con: duckdb.DuckDBPyConnection, table: str, group: str, authorities: pd.DataFrame, measure: str | None
) -> pd.DataFrame:
    """Return per period (or edition) the authorities with data before and after, and who is still missing."""
    held = f"{measure} IS NOT NULL" if measure else "TRUE"
    con.register("known_authorities", pa.Table.from_pandas(authorities[["code", "name"]], preserve_index=False))
    try:
        counts = con.execute(
            f"""
            WITH labels AS (SELECT DISTINCT {group} AS label FROM coverage_after WHERE {group} IS NOT NULL),
            had AS (SELECT DISTINCT {group} AS label, authority_code FROM coverage_before WHERE {held}),
            has AS (SELECT DISTINCT {group} AS label, authority_code FROM coverage_after WHERE {held})
            SELECT l.label,
                (SELECT count(*) FROM had WHERE had.label = l.label) AS authorities_before,
                (SELECT count(*) FROM has WHERE has.label = l.label) AS authorities_after
            FROM labels l
            """
        ).fetchall()
        missing = con.execute(
            f"""
            WITH has AS (SELECT DISTINCT {group} AS label, authority_code FROM coverage_after WHERE {held})
            SELECT l.label, coalesce(a.name, a.code) AS name
            FROM (SELECT DISTINCT {group} AS label FROM coverage_after WHERE {group} IS NOT NULL) l
            CROSS JOIN known_authorities a
            WHERE NOT EXISTS (SELECT 1 FROM has WHERE has.label = l.label AND has.authority_code = a.code)
            """
        ).fetchall()
    finally:
        con.unregister("known_authorities")
    names: dict[str, list[str]] = {}
    for label, name in missing:  # authorities without data, per period: a few hundred names at most
        names.setdefault(label, []).append(name)
    rows = []
    for label, before, after in sorted(counts):
        absent = sorted(names.get(label, []))
        shown = ", ".join(absent[:MISSING_NAMES_SHOWN]) + (
            f" and {len(absent) - MISSING_NAMES_SHOWN} more" if len(absent) > MISSING_NAMES_SHOWN else ""
        )
        rows.append(
            {
                "table": table,
                "period": label,
                "authorities_before": int(before),
                "authorities_after": int(after),
                "missing_after": len(absent),
                "still_missing": shown,
            }
        )
    return pd.DataFrame(rows)
