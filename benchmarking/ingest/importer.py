"""Validated, atomic import of tidy long files (CSV, XLSX, Parquet) into the store.

If any check fails nothing is written; otherwise the rows go in as one transaction
that replaces existing rows with the same key (kept for undo), so importing a file
twice is harmless. Reading is ``reading``, the checks are ``validation`` and ``rules``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import duckdb
import pandas as pd

from benchmarking.errors import ImportValidationError, ValidationIssue
from benchmarking.ingest.results import CheckedBatch, ImportResult, Rejected
from benchmarking.ingest.validation import check_batch
from benchmarking.store import Store
from benchmarking.store.tables import store_version


def prepare(
    store: Store,
    table: str,
    frame: pd.DataFrame,
    file_name: str,
    extra_authorities: Iterable[str] = (),
    extra_indicators: Iterable[str] = (),
) -> dict[str, pd.DataFrame]:
    """Validate a frame against the store; return the changes to write or raise ImportValidationError."""
    batch = check_batch(store, [(table, frame, file_name)], extra_authorities, extra_indicators)
    if batch.issues:
        raise ImportValidationError(batch.issues)
    return batch.changes


def import_frames(
    store: Store,
    items: list[tuple[str, pd.DataFrame, str]],
    dataset_name: str | None = None,
    source: str | None = None,
    file_hashes: Mapping[str, str] | None = None,
    *,
    skip_rejected: bool = False,
    settings: Mapping[str, str] | None = None,
    loaded_by: str | None = None,
    replacing: Mapping[str, pd.DataFrame] | None = None,
    checked_before: CheckedBatch | None = None,
    headers: Mapping[str, Sequence[object]] | None = None,
    lifetimes: bool = False,
) -> ImportResult:
    """Validate several (table, frame, file_name) items together and write them in one transaction.

    Authorities and indicators in the same batch count as known, so a whole dataset
    (catalogue plus values) can be loaded at once. The checks against the store run
    inside the write transaction, so an undo or another import cannot change what they
    depend on before the rows are written. Raises ImportValidationError, with every
    issue from every file, before anything is written; with
    ``skip_rejected`` the rows that fail a check are left out instead (a problem
    with a whole file still refuses the import). ``settings`` are saved in the same
    transaction (remembered column mappings). ``lifetimes`` refuses figures for an authority in a period when it did
    not exist (``existence.check_existed``). ``replacing`` names whole sets of rows the
    import replaces (``Store.write``: a basket saved again loses the indicators it no longer holds).
    ``checked_before`` is the preview's check of these same items (``preview_import``): it is used
    as it stands when the store is still at the version it read, and the items are checked again otherwise.
    ``headers`` (file -> its own columns) order the problems of a row as the file does (``validation.check_batch``).
    """
    checked: list[CheckedBatch] = []
    if replacing:
        checked_before = None  # the preview checks without the sets a write replaces whole

    def check_now(con: duckdb.DuckDBPyConnection | None = None) -> dict[str, pd.DataFrame]:
        """Check the items against the store as ``con`` sees it; return the changes or refuse."""
        batch = checked_before
        if batch is None or batch.version is None or con is None or store_version(con, store.path) != batch.version:
            batch = check_batch(store, items, con=con, replacing=replacing, headers=headers, lifetimes=lifetimes)
        if batch.blocking or (batch.issues and not skip_rejected):
            raise ImportValidationError(batch.issues)
        if not any(len(rows) for table, rows in batch.changes.items() if table != "period"):
            files = ", ".join(file_name for _, _, file_name in items) or "the import"
            raise ImportValidationError(
                batch.issues + [ValidationIssue(files, None, None, "no rows left to import: every row failed a check")]
            )
        checked[:] = [batch]
        return batch.changes

    if not store.exists():
        store.refuse_foreign()  # another kind of file given as the store: refused, never written
        check_now()  # refuse a bad file before a new store file is made for it
    files = [file_name for _, _, file_name in items]
    unique_files = list(dict.fromkeys(files))
    counts = store.write(
        {},
        dataset={
            "name": dataset_name or ", ".join(unique_files),
            "source": source,
            "kind": "imported",
            "loaded_by": loaded_by,
            "file_name": ", ".join(unique_files),
            "file_sha256": ", ".join((file_hashes or {}).get(f, "") for f in unique_files) or None,
        },
        settings=settings,
        check=check_now,  # checked again inside the write transaction: the store cannot change in between
        replacing=replacing,
    )
    batch = checked[0]
    total_rows = sum(len(frame) for _, frame, _ in items)
    refused = batch.refused()  # its totals say whether a file row holds several figures (a wide file)
    return ImportResult(
        ", ".join(unique_files),
        ",".join(dict.fromkeys(t for t, _, _ in items)),
        total_rows,
        counts,
        left_out=refused
        if skip_rejected
        else Rejected(total_rows=refused.total_rows, total_figures=refused.total_figures),
        issues=batch.issues if skip_rejected else [],
        load_id=counts.load_id,
    )
