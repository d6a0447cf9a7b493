"""The effect of an import on coverage: which themes and authorities have data, before and after.

The preview shows it before anything is written (``preview.preview_import``). The counts are
DuckDB queries over the store's tables and the incoming rows (registered as Arrow), so a
file of millions of values is compared where the stored values live, never copied into pandas.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from benchmarking.cells import distinct_cells
from benchmarking.ingest.keys import cell_codes, countable, labels_by_code
from benchmarking.method.lifetimes import existing_in
from benchmarking.store import Store, schema

_GROUP_COLUMN = {"indicator_value": "period", "spend": "period", "funding": "period", "deprivation": "edition"}
MISSING_NAMES_SHOWN = 12
_THEME_COLUMNS = ["theme", "indicators_before", "indicators_after", "values_before", "values_after"]
_AUTHORITY_COLUMNS = [
    "table",
    "period",
    "indicators",
    "authorities_before",
    "authorities_after",
    "missing_after",
    "still_missing",
    "not_existing",
]


def coverage_effect(
    store: Store,
    changes: Mapping[str, pd.DataFrame],
    matched: Mapping[str, int] | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
    lifetimes: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (themes, authorities): coverage before and after writing ``changes``, for the periods touched.

    ``themes``: per theme, indicators with at least one value and values held, before and
    after. ``authorities``: per table and period (or edition), how many authorities have
    data before and after, and the names of those still without among the authorities that existed in the period
    (with ``lifetimes``, by ``method.lifetimes.existing_in``, else every authority; those that did not, abolished or
    not yet formed, are counted in ``not_existing``, never missing; an edition is not a period: every authority
    counts). For the values, data means a figure for each of the ``indicators`` the import brings in that period
    (another indicator's figure does not make a new one complete);
    an authority with figures of any indicator then counts as existing. ``matched`` (table -> how many of
    its incoming rows have a stored key, the preview's plan) spares the join when they replace every stored row.
    ``con`` reads the store on an open connection.
    """
    themes = pd.DataFrame(columns=_THEME_COLUMNS)
    parts = []
    with _store_tables(store, con) as con:
        authorities = con.execute("SELECT code, name FROM authority").df()
        if "name" in changes.get("authority", ()):  # a file of some columns keeps the stored names
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
            values, valued = table == "indicator_value", "value IS NOT NULL" if "value" in columns else "FALSE"
            con.register(
                "incoming_labels",
                pa.table({group: pa.array(distinct_cells(incoming[group]), pa.string())}),
            )
            indicators = _file_indicators(con, incoming) if values else None
            try:
                alone = _after_view(con, table, group, keys, incoming[columns], (matched or {}).get(table), values)
                held = f"{measure} IS NOT NULL" if measure in columns else "TRUE"
                before = _counted(con, "coverage_before", group, "value IS NOT NULL" if values else None, held)
                if alone:  # the incoming rows alone: counted from their codes, with the same rules
                    has = {c: incoming[c].notna().to_numpy() for c in ("value", measure) if c in columns}
                    every, none = np.ones(len(incoming), dtype=bool), np.zeros(len(incoming), dtype=bool)
                    after = _counted_rows(
                        incoming, group, has.get("value", none) if values else None, has.get(measure, every)
                    )
                else:
                    after = _counted(con, "coverage_after", group, valued if values else None, held)
                by_period = lifetimes and group == "period"  # an edition is not a period: every authority counts
                parts.append(_authority_coverage(table, before, after, authorities, by_period, indicators))
                if values:
                    indicators = con.execute("SELECT id, theme FROM indicator").df()
                    if "theme" in changes.get("indicator", ()):  # a file of some columns keeps the stored themes
                        indicators = pd.concat([indicators, changes["indicator"][["id", "theme"]]]).drop_duplicates(
                            "id", keep="last"
                        )
                    themes = _theme_coverage(before, after, indicators)
            finally:
                con.execute("DROP VIEW IF EXISTS coverage_after")
                con.execute("DROP VIEW IF EXISTS coverage_before")
                con.unregister("incoming_rows")
                con.unregister("incoming_labels")
                con.unregister("incoming_pairs")
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=_AUTHORITY_COLUMNS)
    return themes, frame


@contextlib.contextmanager
def _store_tables(store: Store, con: duckdb.DuckDBPyConnection | None) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a connection that reads the store's tables: ``con`` when given, else a new one (empty tables of its
    schema when there is no store)."""
    if con is not None:
        yield con
        return
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


def _file_indicators(con: duckdb.DuckDBPyConnection, incoming: pd.DataFrame) -> dict[str, int]:
    """Return label -> how many indicators the incoming values bring in that period, and register those (label,
    indicator_id) pairs as ``incoming_pairs`` (a few thousand at most), found from the columns' integer codes."""
    label_codes, labels = cell_codes(incoming["period"])
    indicator_codes, ids = cell_codes(incoming["indicator_id"])
    width = len(ids) + 1
    codes = (label_codes.astype(np.int64) + 1) * width + indicator_codes.astype(np.int64) + 1
    pairs = _distinct(codes, (len(labels) + 1) * width)
    pairs = pairs[(pairs // width > 0) & (pairs % width > 0)]  # a missing label or id is no pair
    label_of, id_of = labels_by_code(labels)[pairs // width - 1], labels_by_code(ids)[pairs % width - 1]
    con.register("incoming_pairs", pa.table({"label": pa.array(label_of, pa.string()), "indicator_id": id_of}))
    return pd.Series(label_of).value_counts().to_dict()


def _after_view(
    con: duckdb.DuckDBPyConnection,
    table: str,
    group: str,
    keys: list[str],
    incoming: pd.DataFrame,
    matched: int | None,
    values: bool = False,
) -> bool:
    """Name the stored rows of the touched periods (``coverage_before``; the periods are ``incoming_labels``, the
    file's distinct labels) and those rows once the import is written (``coverage_after``: the stored rows the
    import does not replace, and the ``incoming`` rows); both are views, counted once each (``_counted``), so no
    row is copied. Each row says in ``_in_file`` whether the ``values`` file brings its indicator in its period
    (``incoming_pairs``; every row of another table). ``matched`` incoming rows have a stored key: when they are
    as many as the stored rows of these periods, the import replaces every one of them (keys are unique on both
    sides), so each is in the file. Returns True, and names no ``coverage_after``, when it would be the incoming
    rows alone (counted from their codes: they are not staged)."""
    columns = list(incoming.columns)
    shared = ", ".join(columns)
    touched = f"WHERE b.{group} IN (SELECT {group} FROM incoming_labels)"  # the few labels, found once
    stored = con.execute(f"SELECT count(*) FROM {table} b {touched}").fetchall()[0][0]
    alone = stored in (0, matched)  # nothing stored in these periods (a fresh load), or all of it replaced
    pairs = values and not alone
    in_file = "f.label IS NOT NULL" if pairs else "TRUE"
    join = "LEFT JOIN incoming_pairs f ON f.label = b.period AND f.indicator_id = b.indicator_id " if pairs else ""
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW coverage_before AS SELECT {', '.join(f'b.{c}' for c in columns)}, "
        f"{in_file} AS _in_file FROM {table} b {join}{touched}"
    )
    if alone:
        return True
    match = " AND ".join(f"b.{k} IS NOT DISTINCT FROM i.{k}" for k in keys)
    con.register("incoming_rows", _arrow(incoming))
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW coverage_after AS SELECT {', '.join(f'b.{c}' for c in columns)}, b._in_file "
        f"FROM coverage_before b ANTI JOIN incoming_rows i ON {match} "
        f"UNION ALL SELECT {shared}, TRUE FROM incoming_rows"
    )
    return False


def _counted(con: duckdb.DuckDBPyConnection, rows: str, group: str, value_held: str | None, held: str) -> dict:
    """Return what coverage counts in ``rows``, read in one pass: ``indicators`` (indicator_id, n: the rows where
    ``value_held``, for the values table), ``present`` (label, authority_code with a row where ``held``),
    ``figures`` (label, authority_code, figures: its rows where ``value_held`` of the file's indicators, ``_in_file``)
    and ``labels`` (every label)."""
    by_indicator = ", (indicator_id)" if value_held is not None else ""
    indicator = "indicator_id" if by_indicator else "NULL"
    counted = con.execute(
        f"SELECT {group} AS label, authority_code, {indicator} AS indicator_id, "
        f"count(*) FILTER (WHERE {value_held or 'FALSE'}) AS n, bool_or({held}) AS present, "
        f"count(*) FILTER (WHERE {value_held or 'FALSE'} AND _in_file) AS figures, "
        f"GROUPING({group}, authority_code) AS grouped FROM {rows} "
        f"GROUP BY GROUPING SETS (({group}, authority_code), ({group}){by_indicator})"
    ).df()  # a row per indicator, per period and authority, and per period: never per value
    pairs = counted[counted["grouped"] == 0]
    labels = counted[counted["grouped"] == 1]
    indicators = counted[(counted["grouped"] == 3) & (counted["n"] > 0)]
    return {
        "indicators": indicators[["indicator_id", "n"]],
        "present": pairs.loc[pairs["present"].fillna(False).astype(bool), ["label", "authority_code"]],
        "figures": pairs.loc[pairs["figures"] > 0, ["label", "authority_code", "figures"]],
        "labels": [label for label in labels["label"] if isinstance(label, str)],
    }


def _counted_rows(rows: pd.DataFrame, group: str, value_held: np.ndarray | None, held: np.ndarray) -> dict:
    """Return what ``_counted`` counts, for the incoming ``rows`` alone (each of them in the file), from each column's
    integer codes (``keys.cell_codes``): ``value_held`` and ``held`` are its conditions, per row. No query, no text
    hashed per row."""
    label_codes, labels = cell_codes(rows[group])
    authority_codes, authorities = cell_codes(rows["authority_code"])
    label_codes, authority_codes = label_codes.astype(np.int64), authority_codes.astype(np.int64)  # multiplied below
    label_of, authority_of = labels_by_code(labels), labels_by_code(authorities)  # a missing cell (code -1) is None
    width = len(authorities) + 1
    pair_codes = (label_codes + 1) * width + authority_codes + 1
    pairs = _distinct(pair_codes[held], (len(labels) + 1) * width)
    present = pd.DataFrame({"label": label_of[pairs // width - 1], "authority_code": authority_of[pairs % width - 1]})
    indicators = pd.DataFrame({"indicator_id": pd.Series([], dtype=object), "n": pd.Series([], dtype="int64")})
    figures = pd.DataFrame(columns=["label", "authority_code", "figures"])
    if value_held is not None:  # each row is a figure of one of the file's indicators (keys are unique)
        per_pair = np.bincount(pair_codes[value_held], minlength=(len(labels) + 1) * width)
        counted = np.flatnonzero(per_pair)
        figures = pd.DataFrame(
            {
                "label": label_of[counted // width - 1],
                "authority_code": authority_of[counted % width - 1],
                "figures": per_pair[counted],
            }
        )
        indicator_codes, ids = cell_codes(rows["indicator_id"])
        counts = np.bincount(indicator_codes[value_held].astype(np.int64) + 1, minlength=len(ids) + 1)
        counted = np.flatnonzero(counts)
        indicators = pd.DataFrame({"indicator_id": labels_by_code(ids)[counted - 1], "n": counts[counted]})
    every_label = label_of[_distinct(label_codes + 1, len(labels) + 1) - 1]
    every_label = [x for x in every_label if isinstance(x, str)]
    return {"indicators": indicators, "present": present, "figures": figures, "labels": every_label}


def _distinct(codes: np.ndarray, size: int) -> np.ndarray:
    """Return the distinct non-negative integer codes below ``size``, in order (counted, or sorted when many)."""
    if countable(size, len(codes)):
        return np.flatnonzero(np.bincount(codes, minlength=size))
    return np.unique(codes)


def _theme_coverage(before: dict, after: dict, indicators: pd.DataFrame) -> pd.DataFrame:
    """Return per theme the indicators with a value and the values held, before and after."""
    theme_by_id = indicators.set_index("id")["theme"]
    sides = []
    for side, counted in (("before", before), ("after", after)):
        counted = counted["indicators"]  # one row per indicator with a value
        theme_of = counted["indicator_id"].map(theme_by_id).fillna("(no theme)")
        grouped = counted.groupby(theme_of.rename("theme"))["n"]
        sides.append(pd.DataFrame({f"indicators_{side}": grouped.size(), f"values_{side}": grouped.sum()}))
    table = sides[0].join(sides[1], how="outer").fillna(0).astype(int)
    return table[_THEME_COLUMNS[1:]].reset_index().sort_values("theme", ignore_index=True)


def _authority_coverage(
    table: str,
    before: dict,
    after: dict,
    authorities: pd.DataFrame,
    by_period: bool = False,
    indicators: Mapping[str, int] | None = None,
) -> pd.DataFrame:
    """Return per period (or edition) the authorities with data before and after, who is still missing among those
    that existed then (``by_period``: by ``method.lifetimes.existing_in``, else every authority), and how many did not
    exist then. With ``indicators`` (label -> how many indicators the values file brings then), data is a figure of
    each of them."""
    has = after["present"].groupby("label")["authority_code"].agg(set)
    complete = [_complete(side, indicators) for side in (before, after)]
    names = dict(zip(authorities["code"], authorities["name"], strict=True))
    codes = list(authorities["code"])
    rows = []
    for label in sorted(after["labels"]):  # a few period labels
        with_data = complete[1].get(label, set())
        alive = existing_in(codes, label, has.get(label, set())) if by_period else [True] * len(codes)
        existing = {code for code, is_alive in zip(codes, alive) if is_alive}
        missing = sorted(names.get(code, code) for code in existing - with_data)
        shown = ", ".join(missing[:MISSING_NAMES_SHOWN]) + (
            f" and {len(missing) - MISSING_NAMES_SHOWN} more" if len(missing) > MISSING_NAMES_SHOWN else ""
        )
        rows.append(
            {
                "table": table,
                "period": label,
                "indicators": indicators.get(label, pd.NA) if indicators is not None else pd.NA,
                "authorities_before": len(complete[0].get(label, set())),
                "authorities_after": len(with_data),
                "missing_after": len(missing),
                "still_missing": shown,
                "not_existing": len(codes) - len(existing),
            }
        )
    return pd.DataFrame(rows, columns=_AUTHORITY_COLUMNS).astype({"indicators": "Int64"})


def _complete(counted: dict, indicators: Mapping[str, int] | None) -> dict[str, set]:
    """Return label -> the authorities with data in ``counted``: a row where it is held, or with ``indicators``
    (label -> how many the file brings) a figure of each of them."""
    if indicators is None:
        return counted["present"].groupby("label")["authority_code"].agg(set).to_dict()
    figures = counted["figures"]
    whole = figures[figures["figures"].to_numpy() >= figures["label"].map(indicators).fillna(np.inf).to_numpy()]
    return whole.groupby("label")["authority_code"].agg(set).to_dict()
