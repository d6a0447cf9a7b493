"""Preview an import before anything is written, then commit it as one transaction.

The page and the command line take the same steps: ``read_source`` / ``read_uploaded``
read each file as text; ``map_sources`` maps each file to store rows (a remembered
mapping, a recognised one, or the user's); ``preview_import`` runs every check of the
import without writing and reports the rows that would be added, replaced (and of those,
unchanged) and rejected, the first problems with file, row and column, the authority
names that did not resolve, and the effect on coverage; ``commit`` writes the same items
through ``importer.import_frames`` and remembers each file's mapping.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from benchmarking.errors import ImportValidationError, ValidationIssue
from benchmarking.ingest.changes import FIRST_CHANGES, authority_names, changes_frame
from benchmarking.ingest.context import StoreContext, store_context
from benchmarking.ingest.coverage import coverage_effect
from benchmarking.ingest.importer import import_frames
from benchmarking.ingest.layouts import ColumnMapping
from benchmarking.ingest.limits import MAX_FILE_BYTES
from benchmarking.ingest.mapping import MappedFile, apply_mapping
from benchmarking.ingest.percent_cells import percent_notes
from benchmarking.ingest.preview_report import SUMMARY_COLUMNS, Preview, columns_changed
from benchmarking.ingest.reading import bytes_sha256, file_sha256, read_cells, uploaded_file
from benchmarking.ingest.remembered import choose_mapping
from benchmarking.ingest.results import ImportResult, Rejected, no_figure_text
from benchmarking.ingest.unused_columns import unused_notes
from benchmarking.ingest.validation import check_batch
from benchmarking.ingest.vintage_shift import vintage_shifts
from benchmarking.store import Store
from benchmarking.text.formatting import counted

Progress = Callable[[float, str], None]
"""A progress callback: fraction done (0 to 1) and what is happening."""

SLOW_BYTES = 2 * 1024 * 1024
"""Files larger than this can take over a second to read and check (the rate is measured by
``benchmarks/import_speed.py``): the page shows a progress bar for them."""


# ---------------------------------------------------------------------------------------
# Reading and mapping the files
# ---------------------------------------------------------------------------------------


@dataclass
class SourceFile:
    """One file to import, read as text: its name, cells, size and SHA-256."""

    name: str
    frame: pd.DataFrame
    size: int
    sha256: str
    sheet: str | None = None
    rows: np.ndarray | None = None
    """Each row's spreadsheet row when the file has blank rows before some (``reading.FileCells``); None:
    row = position + 2."""
    percent: dict[str, np.ndarray] = field(default_factory=dict)
    """Column -> rows of the workbook cells formatted as percentages, read as the numbers they show."""


def read_source(path: Path | str, sheet: str | None = None, progress: Progress | None = None) -> SourceFile:
    """Return a file on disk read for mapping (headers as published)."""
    path = Path(path)
    # Hashed beside the read (hashlib lets go of the interpreter), but only a regular file of a size the read
    # accepts: a pipe, a device or a file over the limit is refused at once, never waited on.
    hashable = path.is_file() and 0 < path.stat().st_size <= MAX_FILE_BYTES
    with ThreadPoolExecutor(1) as hashing:
        sha256 = hashing.submit(file_sha256, path) if hashable else None
        cells = read_cells(path, sheet=sheet, keep_case=True, progress=progress, encoded=True)
        digest = sha256.result() if sha256 is not None else file_sha256(path)
        return SourceFile(path.name, cells.frame, path.stat().st_size, digest, sheet, cells.rows, cells.percent)


def read_uploaded(name: str, data: bytes, sheet: str | None = None, progress: Progress | None = None) -> SourceFile:
    """Return an uploaded file's bytes read for mapping, exactly as ``read_source`` reads a path."""
    with uploaded_file(name, data) as path:
        cells = read_cells(path, sheet=sheet, keep_case=True, progress=progress, encoded=True)
    return SourceFile(Path(name).name, cells.frame, len(data), bytes_sha256(data), sheet, cells.rows, cells.percent)


def map_sources(
    sources: list[SourceFile],
    context: StoreContext,
    mappings: Mapping[str, ColumnMapping] | None = None,
    table: str | None = None,
) -> list[MappedFile]:
    """Return each file mapped to store rows: by ``mappings[name]``, else remembered, else recognised.

    Files of authorities and indicators are mapped first, so that names in the other
    files of the same import resolve to the authorities and indicators they add.
    """
    names = [source.name for source in sources]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ImportValidationError(
            [
                ValidationIssue(name, None, None, "two files have this name: rename one, or import them one at a time")
                for name in repeated
            ]
        )
    chosen = {
        source.name: (mappings or {}).get(source.name)
        or choose_mapping(list(source.frame.columns), context, table, source.frame)[0]
        for source in sources
    }
    first = {"authority": 0, "indicator": 1}
    mapped: dict[str, MappedFile] = {}
    issues: list[ValidationIssue] = []
    for source in sorted(sources, key=lambda s: first.get(chosen[s.name].table, 2)):
        try:
            result = apply_mapping(
                source.frame, chosen[source.name], source.name, context, rows=source.rows, percent=source.percent
            )
        except ImportValidationError as error:
            issues.extend(error.issues)
            continue
        mapped[source.name] = result
        if result.table == "authority" and {"code", "name"} <= set(result.frame.columns):
            context = context.with_authorities(result.frame)
        if result.table == "indicator" and {"id", "name"} <= set(result.frame.columns):
            context = context.with_indicators(result.frame)
    if issues:
        raise ImportValidationError(issues)
    return [mapped[source.name] for source in sources]


# ---------------------------------------------------------------------------------------
# The preview
# ---------------------------------------------------------------------------------------


def preview_import(
    store: Store,
    items: list[tuple[str, pd.DataFrame, str]] | list[MappedFile],
    progress: Progress | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
    lifetimes: bool = False,
) -> Preview:
    """Return what importing ``items`` would do; nothing is written.

    ``items`` are ``(table, frame, file_name)`` tuples (as adapters return them) or
    ``MappedFile`` objects (whose unresolved authority names are reported too). ``con``, when given, is a
    read connection to ``store`` that the caller opened (the command line reads the store once). With ``lifetimes``
    (every user import: ``import``, the page, ``import-source``) an authority that did not exist in a period is not
    listed as still missing then (``coverage.coverage_effect``), and its figures then are refused
    (``existence.check_existed``); the rule is the method's (``method.lifetimes``).
    """
    report = progress or (lambda fraction, text: None)
    unresolved = {m.file_name: m.unresolved for m in items if isinstance(m, MappedFile) and m.unresolved}
    unused = unused_notes([m for m in items if isinstance(m, MappedFile)])
    headers = file_headers(items)
    items = [m.item if isinstance(m, MappedFile) else m for m in items]
    report(0.05, f"Checking {sum(len(frame) for _, frame, _ in items):,} rows ...")
    if con is not None:
        return _previewed(store, items, unresolved, report, con, headers, lifetimes, unused)
    with store.reading() if store.exists() else contextlib.nullcontext() as con:  # one connection for every read
        return _previewed(store, items, unresolved, report, con, headers, lifetimes, unused)


def _previewed(
    store: Store,
    items: list[tuple[str, pd.DataFrame, str]],
    unresolved: dict[str, list[str]],
    report: Progress,
    con: duckdb.DuckDBPyConnection | None,
    headers: Mapping[str, list[str]] | None = None,
    lifetimes: bool = False,
    unused: list[str] | None = None,
) -> Preview:
    """Return ``preview_import``'s answer, reading the store on ``con`` (None when there is no store yet); ``unused``
    (the notes on the columns no field takes) are its first notes."""
    batch = check_batch(store, items, con=con, headers=headers, lifetimes=lifetimes)
    report(0.5, "Comparing with the rows already in the store ...")
    rows = []
    matched: dict[str, list[int]] = {}
    replaced = []
    plans = []
    for step, (table, file_name, outcome) in enumerate(batch.outcomes):
        accepted = outcome.accepted
        planned = store.plan_changes(table, accepted, con, first=FIRST_CHANGES)
        matched.setdefault(table, []).append(planned.matched_rows)
        replaced.append((file_name, table, planned.first_replaced))
        checked_rows, refused_rows = outcome.file_row_counts()
        plans.append(planned)
        rows.append(
            {
                "file": file_name,
                "table": table,
                "rows": len(outcome.rejected),
                "added": planned.count("added") - planned.no_figure,
                "no figure": planned.no_figure,
                "replaced": planned.count("replaced"),
                "unchanged": planned.count("unchanged"),
                "rejected": int(outcome.rejected.sum()),
                "columns changed": "",  # below, once the counts' unit is known
                "file rows": checked_rows,
                "rejected file rows": refused_rows,
            }
        )
        report(0.5 + 0.3 * (step + 1) / max(len(batch.outcomes), 1), f"Compared {file_name} ({table})")
    # The files' counts name one unit, as the summary's headers do: figures when a file row holds several.
    unit = Rejected(total_rows=sum(r["file rows"] for r in rows), total_figures=sum(r["rows"] for r in rows)).unit
    for row, planned in zip(rows, plans, strict=True):
        row["columns changed"] = columns_changed(planned, unit)
    if "period" in batch.changes:
        new_periods = store.plan_changes("period", batch.changes["period"], con).count("added")
        if new_periods:
            rows.append(
                {
                    "file": "(period labels)",
                    "table": "period",
                    "rows": new_periods,
                    "added": new_periods,
                    "no figure": 0,
                    "replaced": 0,
                    "unchanged": 0,
                    "rejected": 0,
                    "columns changed": "",
                    "file rows": new_periods,
                    "rejected file rows": 0,
                }
            )
    summary = pd.DataFrame(rows, columns=[*SUMMARY_COLUMNS])
    report(0.85, "Working out the effect on coverage ...")
    single = {table: counts[0] for table, counts in matched.items() if len(counts) == 1}  # one file per table
    themes, authorities = coverage_effect(store, batch.changes, single, con, lifetimes)
    shifts = vintage_shifts(con, batch.changes.get("indicator_value"))
    report(1.0, "Preview ready")
    return Preview(
        summary,
        batch.issues,
        batch.blocking,
        unresolved,
        themes,
        authorities,
        checked=batch,
        items=items,
        notes=(*(unused or ()), *batch.notes, *percent_notes(items)),
        changes=changes_frame(replaced, authority_names(con, replaced)),
        vintage_shifts=shifts,
    )


# ---------------------------------------------------------------------------------------
# Committing
# ---------------------------------------------------------------------------------------


def commit(
    store: Store,
    items: list[MappedFile] | list[tuple[str, pd.DataFrame, str]],
    file_hashes: Mapping[str, str] | None = None,
    *,
    skip_rejected: bool = False,
    dataset_name: str | None = None,
    source: str | None = None,
    loaded_by: str | None = None,
    remember: bool = True,
    preview: Preview | None = None,
    lifetimes: bool = False,
    settings: Mapping[str, str] | None = None,
) -> ImportResult:
    """Write the items in one transaction (checked again first) and remember each file's mapping, with
    ``settings`` (an adapter's, ``Loaded.settings``) saved in it too.

    Raises ImportValidationError, writing nothing, when any row fails a check, unless
    ``skip_rejected``: then the rows that fail are left out and reported in the result.
    ``preview``, when it previewed these same items, lends its checks: they are not made
    twice unless the store changed since (``importer.import_frames``). ``lifetimes`` refuses the figures for an
    authority in a period when it did not exist (``existence.check_existed``).
    """
    mapped = [m for m in items if isinstance(m, MappedFile)]
    remembered = dict(m.setting() for m in mapped) if remember and mapped else {}
    settings = {**remembered, **(settings or {})} or None
    tuples = [m.item if isinstance(m, MappedFile) else m for m in items]
    same = preview is not None and _same_items(preview.items, tuples)
    return import_frames(
        store,
        tuples,
        dataset_name=dataset_name,
        source=source,
        file_hashes=file_hashes,
        skip_rejected=skip_rejected,
        lifetimes=lifetimes,
        settings=settings,
        loaded_by=loaded_by,
        checked_before=preview.checked if same else None,
        headers=file_headers(items),
    )


def file_headers(items: list[MappedFile] | list[tuple[str, pd.DataFrame, str]]) -> dict[str, list[str]]:
    """Return file -> its own columns, for the mapped files among ``items`` (their problems are listed in that
    order within a row)."""
    return {m.file_name: m.columns for m in items if isinstance(m, MappedFile)}


def import_file(
    store: Store,
    path: Path | str,
    table: str,
    sheet: str | None = None,
    dataset_name: str | None = None,
    source: str | None = None,
) -> ImportResult:
    """Return the result of importing one file into ``table`` in one transaction, by the command line's steps
    (``read_source``, ``map_sources``, ``commit``; its mapping not remembered); raise ImportValidationError,
    writing nothing, when a row fails a check."""
    read = read_source(path, sheet=sheet)
    mapped = map_sources([read], store_context(store), table=table)
    return commit(store, mapped, {read.name: read.sha256}, dataset_name=dataset_name, source=source, remember=False)


def _same_items(previewed: list[tuple[str, pd.DataFrame, str]], items: list[tuple[str, pd.DataFrame, str]]) -> bool:
    """Return True when ``items`` are the very items previewed (same tables, frames and file names)."""
    return len(previewed) == len(items) and all(
        a[0] == b[0] and a[1] is b[1] and a[2] == b[2] for a, b in zip(previewed, items, strict=True)
    )


def result_summary(result: ImportResult) -> str:
    """Return what an import wrote, in words: rows added and replaced per table (a wide file's: figures), periods,
    rows left out."""
    parts = [
        f"{counted(c['added'] - c.get('no_figure', 0), result.unit)} added"
        + (f", {no_figure_text(c['no_figure'])}" if c.get("no_figure") else "")
        + f" and {c['replaced']:,} replaced in {table}"
        for table, c in result.counts.items()
        if table != "period"
    ]
    new_periods = result.new_periods
    if new_periods:
        parts.append(counted(new_periods, "new period label"))
    if result.rejected:
        parts.append(f"{result.left_out.left_out()} left out")
    return "; ".join(parts)
