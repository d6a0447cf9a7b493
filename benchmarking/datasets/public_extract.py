"""The shipped extract of the county-area store: Parquet files the app starts from on a first run.

``python -m benchmarking build-public --source DIR --extract [FOLDER]`` builds the store and then
writes ``FOLDER`` (default ``data/public/``): one zstd Parquet file per store table, rows sorted
by the table's key, plus ``ATTRIBUTION.md`` (every publisher, dataset, release and licence, with
the files the store was built from) and ``manifest.json`` (tables, row counts, the SHA-256 of
every file, the build command and the published files' hashes). No published file is copied.

So that two builds from the same files give equal extracts, the volatile parts are left out or
fixed: ``dataset.loaded_at`` and ``loaded_by`` are dropped, dataset ids are renumbered 1, 2, ...
in load order, the build's running time is dropped from ``public_build_summary``, and the date
in the dataset label is the ``built`` date given to the command (today by default).

Every row of every table carries ``load``: the dataset (load) that first added it, read from the
store's undo shadows (and, for the values, from the load each row names, ``tables.LOAD_COLUMN``).
``store_from_extract`` replays the loads in order through ``Store.write``, each with its own rows,
so the rebuilt store has the same rows, settings and load history (names, sources, files and
hashes) as the built one. It checks the manifest's hashes first, builds beside
the target and moves the store into place only when every load is written.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import threading
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from benchmarking.datasets.public_attribution import attribution_text, published_files, stored_text
from benchmarking.errors import ExtractError
from benchmarking.ingest.reading import file_sha256
from benchmarking.store import Store, schema
from benchmarking.store.tables import LOAD_COLUMN, UNDO_PREFIX, has_load_column, table_columns, table_keys

EXTRACT_FORMAT = 1
MANIFEST_FILE = "manifest.json"
ATTRIBUTION_FILE = "ATTRIBUTION.md"
LOAD = "load"
"""Column of every extracted table: the load (dataset id, renumbered from 1) that first added the row."""
DATASET_COLUMNS = ("name", "source", "kind", "table_name", "file_name", "file_sha256", "rows_added", "rows_replaced")
"""The ``dataset`` columns kept (``loaded_at`` and ``loaded_by`` change with every build)."""
ROW_TABLES = (*schema.KEYS, "setting")
"""Tables whose rows are extracted with their load; ``dataset`` is extracted as the load history."""
LABEL_DATE = re.compile(r" \(county-area extract of [^)]*\)$")


# ---------------------------------------------------------------------------------------
# Writing the extract
# ---------------------------------------------------------------------------------------


def write_extract(
    store_path: Path | str,
    folder: Path | str,
    *,
    built: date,
    source: Path | str | None = None,
    command: str | None = None,
) -> dict:
    """Write the extract of the store at ``store_path`` into ``folder``; return the manifest written.

    ``source`` is the folder of published files the store was built from (it names each
    file's publisher in ``ATTRIBUTION.md``). The extract is written beside ``folder`` and
    moved into place at the end, so a failure leaves any old extract as it was.
    """
    folder = Path(folder)
    tables = extract_tables(Store(store_path), built)
    staging = folder.with_name(folder.name + ".writing")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        entries = {}
        for name, table in tables.items():
            path = staging / f"{name}.parquet"
            pq.write_table(table, path, compression="zstd")
            entries[name] = {
                "file": path.name,
                "rows": table.num_rows,
                "bytes": path.stat().st_size,
                "sha256": file_sha256(path),
            }
        datasets = tables["dataset"].to_pandas()
        files = published_files(datasets, Path(source) if source is not None else None)
        attribution = attribution_text(datasets, files, built)
        (staging / ATTRIBUTION_FILE).write_text(attribution, encoding="utf-8")
        manifest = {
            "format": EXTRACT_FORMAT,
            "built": built.isoformat(),
            "command": command or "python -m benchmarking build-public --source DIR --extract FOLDER",
            "dataset_label": _setting(tables["setting"], "dataset_label"),
            "tables": entries,
            "attribution_sha256": file_sha256(staging / ATTRIBUTION_FILE),
            "source_files": files[["folder", "file", "sha256"]].to_dict("records"),
        }
        (staging / MANIFEST_FILE).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _move_into_place(staging, folder)
    return manifest


def extract_tables(store: Store, built: date) -> dict[str, pa.Table]:
    """Return every table of ``store`` as it goes into the extract: sorted by key, with its ``load``.

    Raises ExtractError when the store has no load history (it was not written by ``Store.write``).
    """
    if not store.exists():
        raise ExtractError(f"{store.path} is not a benchmarking store: build it first (build-public)")
    with store.reading() as con:
        present = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        loads = con.sql(
            f"SELECT CAST(row_number() OVER (ORDER BY id) AS INTEGER) AS id, {', '.join(DATASET_COLUMNS)} "
            "FROM dataset ORDER BY id"
        ).to_arrow_table()
        if loads.num_rows == 0:
            raise ExtractError(
                f"{store.path} has no load history (no dataset rows): nothing says where its rows came from"
            )
        tables: dict[str, pa.Table] = {}
        for table in ROW_TABLES:
            if table not in present:
                continue
            keys = table_keys(table)
            order = ", ".join(f"t.{k}" for k in keys)
            undo = f"{UNDO_PREFIX}{table}"
            if undo in present:
                match = " AND ".join(f"t.{k} = o.{k}" for k in keys)
                # the load that added a row: its 'added' key in the shadow, else the load the row names
                added_by = f"coalesce(o.dataset_id, t.{LOAD_COLUMN})" if has_load_column(con, table) else "o.dataset_id"
                owner = (
                    f"LEFT JOIN (SELECT {', '.join(keys)}, min(dataset_id) AS dataset_id FROM {undo} "
                    f"WHERE action = 'added' GROUP BY ALL) o ON {match} "
                    "LEFT JOIN (SELECT id, row_number() OVER (ORDER BY id) AS load FROM dataset) d "
                    f"ON d.id = {added_by}"
                )
            else:
                owner = "LEFT JOIN (SELECT NULL::BIGINT AS load) d ON FALSE"
            last = loads.num_rows
            tables[table] = con.sql(
                f"SELECT {', '.join(f't.{c}' for c in table_columns(con, table))}, "
                f"CAST(coalesce(d.load, {last}) AS INTEGER) AS {LOAD} FROM {table} t {owner} "
                f"ORDER BY {order}"
            ).to_arrow_table()
    tables["setting"] = _stable_settings(tables["setting"], built)
    tables["dataset"] = loads
    return tables


def _stable_settings(settings: pa.Table, built: date) -> pa.Table:
    """Return the settings with the build's running time dropped and the extract's date in the label."""
    frame = settings.to_pandas()
    for row in frame.index:
        key, value = frame.at[row, "key"], frame.at[row, "value"]
        if key == "public_build_summary" and value:
            summary = json.loads(value)
            summary.pop("seconds", None)
            frame.at[row, "value"] = json.dumps(summary)
        elif key == "dataset_label" and value:
            frame.at[row, "value"] = LABEL_DATE.sub("", value) + f" (county-area extract of {built.day} {built:%B %Y})"
    return pa.Table.from_pandas(frame, schema=settings.schema, preserve_index=False)


def _setting(settings: pa.Table, key: str) -> str | None:
    for row in settings.to_pylist():
        if row["key"] == key:
            return row["value"]
    return None


def _move_into_place(staging: Path, folder: Path) -> None:
    """Replace ``folder`` by ``staging`` (the old extract is kept aside until the new one is in place)."""
    old = folder.with_name(folder.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if folder.exists():
        folder.rename(old)
    try:
        staging.rename(folder)
    except BaseException:
        if old.exists():
            old.rename(folder)
        raise
    shutil.rmtree(old, ignore_errors=True)


# ---------------------------------------------------------------------------------------
# Reading the extract
# ---------------------------------------------------------------------------------------


def extract_present(folder: Path | str) -> bool:
    """Return True when ``folder`` holds an extract (its ``manifest.json``); its files are not checked."""
    return (Path(folder) / MANIFEST_FILE).is_file()


REPAIR = (
    "Restore the shipped extract with git (git checkout -- data/public), or rebuild it from the published files "
    "(python -m benchmarking build-public --source ../shared/data --extract)"
)
"""How to mend a damaged or incomplete extract, said with the file that changed."""


def check_extract(folder: Path | str) -> dict:
    """Return the manifest of the extract in ``folder`` once every file's SHA-256 matches it.

    Raises ExtractError naming the first file missing or changed (nothing is read further).
    """
    folder = Path(folder)
    if not extract_present(folder):
        raise ExtractError(f"no extract at {folder}: {MANIFEST_FILE} is missing")
    try:
        manifest = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
        entries = {name: (entry["file"], entry["sha256"]) for name, entry in manifest["tables"].items()}
        entries[ATTRIBUTION_FILE] = (ATTRIBUTION_FILE, manifest["attribution_sha256"])
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise ExtractError(f"the manifest {folder / MANIFEST_FILE} cannot be read ({error})") from None
    if manifest.get("format") != EXTRACT_FORMAT:
        raise ExtractError(
            f"{folder / MANIFEST_FILE} is format {manifest.get('format')!r}; this code reads {EXTRACT_FORMAT}"
        )
    # Baskets are the user's choice, not published data: an extract written before the table existed lacks it.
    missing = sorted(({"dataset", "setting"} | set(schema.KEYS)) - set(manifest["tables"]))
    if missing:
        raise ExtractError(f"the extract at {folder} lacks the table(s) {', '.join(missing)}")
    for file, sha in entries.values():
        path = folder / file
        if not path.is_file():
            raise ExtractError(f"the extract at {folder} is incomplete: {file} is missing. {REPAIR}")
        if file_sha256(path) != sha:
            raise ExtractError(
                f"the extract at {folder} is damaged: {file} does not match the SHA-256 in {MANIFEST_FILE}. {REPAIR}"
            )
    return manifest


def store_from_extract(folder: Path | str, out: Path | str) -> Store:
    """Build a store at ``out`` from the extract in ``folder``; return it.

    The manifest's hashes are checked first (ExtractError, nothing written, when a file is
    missing or changed). The loads are replayed in order through ``Store.write`` into a file
    beside ``out``, which is moved into place only at the end.
    """
    folder, out = Path(folder), Path(out)
    manifest = check_extract(folder)
    frames = {
        name: pq.read_table(folder / entry["file"]).to_pandas(types_mapper=_nullable)
        for name, entry in manifest["tables"].items()
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    # One file per builder (two first runs at once each build their own; the last move wins).
    building = out.with_name(f"{out.name}.building-{os.getpid()}-{threading.get_ident()}")
    wal = building.with_name(building.name + ".wal")
    for stale in (building, wal):
        stale.unlink(missing_ok=True)
    store = Store(building)
    try:
        _replay(store, frames)
    except BaseException:
        for partial in (building, wal):
            with contextlib.suppress(OSError):
                partial.unlink()
        raise
    out.with_name(out.name + ".wal").unlink(missing_ok=True)  # an old store's log must not replay
    os.replace(building, out)
    return Store(out)


def _replay(store: Store, frames: dict[str, pd.DataFrame]) -> None:
    """Write each load of the extract, in order, with the rows and settings it added."""
    store.initialise()
    rows = {name: dict(tuple(frame.groupby(LOAD, sort=True))) for name, frame in frames.items() if name in ROW_TABLES}
    for load in frames["dataset"].sort_values("id").itertuples():
        named = [t for t in (stored_text(load.table_name) or "").split(",") if t]
        tables = named + [t for t in schema.KEYS if t not in named and load.id in rows.get(t, {})]
        changes = {
            t: rows.get(t, {}).get(load.id, frames[t].iloc[0:0]).drop(columns=LOAD).reset_index(drop=True)
            for t in tables
        }
        own = rows.get("setting", {}).get(load.id)
        settings = dict(zip(own["key"], own["value"])) if own is not None else None
        store.write(
            changes,
            dataset={
                "name": load.name,
                "source": stored_text(load.source),
                "kind": load.kind,
                "file_name": stored_text(load.file_name),
                "file_sha256": stored_text(load.file_sha256),
            },
            settings=settings,
        )


def _nullable(arrow_type: pa.DataType):
    """Read integer and boolean columns as pandas' nullable types, so a missing value stays missing."""
    if pa.types.is_integer(arrow_type):
        return pd.Int64Dtype()
    if pa.types.is_boolean(arrow_type):
        return pd.BooleanDtype()
    return None
