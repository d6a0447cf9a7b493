"""Build a complete comparator store of the English county areas from public files.

``python -m benchmarking build-public --source DIR [--out FILE]`` reads the published files
in ``DIR`` (the layout of ``shared/data``), through every adapter of ``adapters.registry``
that can give the county areas' rows, in the registry's order: first the county areas of
``data/county_areas.csv`` with their ONS population, then each publisher's files, each row
matched to a county area by code and period (``membership``).

Each source is one import through the project's checks (``validation.check_batch``), written
as one transaction with a ``dataset`` row of kind ``public``. The store is built beside
``FILE`` and moved into place at the end, so a failed build leaves any old store intact.
Every row read is either used or counted as skipped with its reason; the summary prints
both, and the store keeps it in the ``public_build_summary`` setting. When no source gives
core spending power, the ``funding_note`` setting says so.

The summary's types are in ``build_summary``; the context every adapter reads with in
``public_sources``; the command line in ``cli.public``.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TextIO

import pandas as pd

from benchmarking.adapters import core_spending_power
from benchmarking.adapters.polarity_review import unused_review_ids
from benchmarking.adapters.registry import build_sources
from benchmarking.adapters.source import Adapter, SourceContext
from benchmarking.datasets.build_summary import FUNDING_NOTE, BuildSummary, SourceReport
from benchmarking.datasets.compendium_basket import write_compendium_basket
from benchmarking.datasets.public_sources import read_source, source_context
from benchmarking.errors import BuildError, ImportValidationError
from benchmarking.ingest.reading import file_sha256
from benchmarking.ingest.validation import check_batch
from benchmarking.method.membership import Loaded
from benchmarking.store import PROJECT_ROOT, Store

DEFAULT_OUT = PROJECT_ROOT / "data" / "public.duckdb"
FOCUS_AUTHORITY = "E10000018"


def dataset_label(sources: list[Adapter]) -> str:
    """Return the store's dataset label: ``public data: the English county areas, N published sources``
    (the sources line beside it names them)."""
    return f"public data: the English county areas, {len(sources)} published sources"


def sources_text(sources: list[Adapter]) -> str:
    """Return the one-line sources: each publisher with its datasets, and where the details are.

    Every page shows it, so it stays short; each load's full provenance (release, files,
    hashes) is in the store's load history (the Data page) and in ``data/public/ATTRIBUTION.md``.
    """
    by_publisher: dict[str, list[str]] = {}
    for source in sources:
        publisher = source.publisher or source.label
        short = publisher[publisher.rfind("(") + 1 : -1] if publisher.endswith(")") else publisher
        by_publisher.setdefault(short, []).append(source.series or source.label)
    named = "; ".join(f"{publisher}: {', '.join(series)}" for publisher, series in by_publisher.items())
    return f"{named}. {LICENCE}{ON_THE_DATA_PAGE}"


LICENCE = "Open Government Licence v3.0"
ON_THE_DATA_PAGE = "; releases, files and licences on the Data page."
"""The sources line's pointer to the app's Data page (``sources_text``): on screen only."""
IN_PRINT = ": every source named here is published under it."
"""What a printed briefing says instead of ``ON_THE_DATA_PAGE`` (its reader has no Data page)."""


def sources_for_print(sources: str) -> str:
    """Return a stored sources line as a printed briefing words it: the pointer to the app's Data page
    (``sources_text``) replaced by the licence the sources named in it are published under."""
    if sources.endswith(LICENCE + ON_THE_DATA_PAGE):
        return sources[: -len(ON_THE_DATA_PAGE)] + IN_PRINT
    return sources


# ---------------------------------------------------------------------------------------
# The build
# ---------------------------------------------------------------------------------------


def build_public(
    source: Path | str,
    out: Path | str | None = None,
    progress: TextIO | None = None,
) -> BuildSummary:
    """Build a new store at ``out`` from the published files in ``source``; return the summary.

    ``progress`` (the CLI passes standard error) is told each source as it is read; None is silent.
    Raises BuildError when ``source`` lacks the published layout, ImportValidationError when
    a source's rows fail the store's checks (nothing is moved into place then).
    """
    started = time.perf_counter()
    source = Path(source)
    out = Path(out) if out is not None else DEFAULT_OUT
    if not source.is_dir():
        raise BuildError(f"source folder {source} not found: point --source at the folder of published files")
    sources = build_sources()
    absent = [
        folder for folder in dict.fromkeys([s.folder for s in sources] + ["lookups"]) if not (source / folder).is_dir()
    ]
    if absent:
        raise BuildError(
            f"{source} lacks the published folder(s) {', '.join(absent)}; "
            "it should have the layout of shared/data (see its README.md)"
        )
    building = out.with_name(out.name + ".building")
    for stale in (building, building.with_name(building.name + ".wal")):
        stale.unlink(missing_ok=True)
    store = Store(building)
    context = source_context(source)
    reports: list[SourceReport] = []
    try:
        for number, adapter in enumerate(sources, start=1):
            if progress is not None:
                print(f"[{number}/{len(sources)}] {adapter.label}: reading...", file=progress, flush=True)
            began = time.perf_counter()
            report = _load(store, adapter, source, context)
            report.seconds = time.perf_counter() - began
            reports.append(report)
            if progress is not None:
                print(
                    f"[{number}/{len(sources)}] {adapter.label}: {_progress_line(report)} ({report.seconds:.1f} s)",
                    file=progress,
                    flush=True,
                )

        write_compendium_basket(store, progress)  # the built-in basket, over the indicators just loaded
        unused = unused_review_ids(context.review, store.indicators()["id"]) if context.review is not None else []
        if unused and reports:
            reports[-1].notes.append(f"polarity review ids that no source gives: {', '.join(unused)}")
        counts, themes = _store_counts(store, context.areas)
        summary = BuildSummary(out, time.perf_counter() - started, reports, counts, themes)
        settings = {
            "dataset_label": dataset_label(sources),
            "sources": sources_text(sources),
            "funding_note": core_spending_power.FUNDING_NOTE if counts["funding_rows"] else FUNDING_NOTE,
            "focus_authority": FOCUS_AUTHORITY,
            "public_build_summary": summary.to_json(),
        }
        store.write(
            {},
            dataset={
                "name": "Public build settings: dataset label, sources, funding note, summary",
                "source": "benchmarking.public_build",
                "kind": "public",
            },
            settings=settings,
        )
    except BaseException:
        for partial in (building, building.with_name(building.name + ".wal")):
            partial.unlink(missing_ok=True)
        raise
    out.with_name(out.name + ".wal").unlink(missing_ok=True)  # an old store's log must not replay
    os.replace(building, out)
    summary.seconds = time.perf_counter() - started
    return summary


def _load(store: Store, adapter: Adapter, root: Path, context: SourceContext) -> SourceReport:
    """Read one source's county rows through its adapter, check and write them; return its report."""
    loaded = read_source(adapter, root, context)
    return _report(store, adapter.record_name, loaded, adapter.provenance, adapter.file_paths(root))


# ---------------------------------------------------------------------------------------
# Private helpers
# ---------------------------------------------------------------------------------------


def _write(
    store: Store,
    items: list[tuple[str, pd.DataFrame, str]],
    name: str,
    source: str,
    files: list[Path],
    settings: dict[str, str] | None = None,
) -> dict[str, int]:
    """Check the items with the importer's checks and write them as one public dataset."""
    batch = check_batch(store, items)
    if batch.issues:
        raise ImportValidationError(batch.issues)
    counts = store.write(
        batch.changes,
        dataset={
            "name": name,
            "source": source,
            "kind": "public",
            "file_name": ", ".join(path.name for path in files),
            "file_sha256": ", ".join(file_sha256(path) for path in files),
        },
        settings=settings,
    )
    return {table: c["added"] + c["replaced"] for table, c in counts.items() if table != "period"}


def _report(store: Store, name: str, loaded: Loaded, source: str, files: list[Path]) -> SourceReport:
    written = _write(store, loaded.items, name, source, files, settings=dict(loaded.settings) or None)
    return SourceReport(name, loaded.rows_read, loaded.skipped, written, notes=list(loaded.notes))


def _store_counts(store: Store, areas: pd.DataFrame) -> tuple[dict[str, object], pd.DataFrame]:
    """Return what the built store holds (with the county areas that exist today), and
    indicators per theme (ranked / context)."""
    held = store.summary()
    periods = held.value_periods
    counts: dict[str, object] = {
        "authorities": held.authorities,
        "county_councils": held.county_councils,
        "county_unitaries": held.county_unitaries,
        "authorities_today": int(areas["end_date"].isna().sum()),
        "indicators": held.indicators,
        "ranked_indicators": held.ranked_indicators,
        "context_indicators": held.context_indicators,
        "periods": len(periods),
        "first_period": periods[0] if periods else None,
        "last_period": periods[-1] if periods else None,
        "values": held.values + held.missing_values,  # rows loaded, missing ones included
        "missing_values": held.missing_values,
        "spend_rows": held.spend_rows,
        "spend_periods": held.spend_periods,
        "deprivation_rows": held.deprivation_rows,
        "funding_rows": held.funding_rows,
        "groups": held.groups,
    }
    return counts, held.themes


def _progress_line(report: SourceReport) -> str:
    read = sum(report.rows_read.values())
    skipped = int(report.skipped["rows"].sum()) if len(report.skipped) else 0
    written = ", ".join(f"{n:,} {table}" for table, n in report.written.items()) or "nothing"
    return f"read {read:,} rows, skipped {skipped:,}; wrote {written}"
