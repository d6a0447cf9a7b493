"""Build a complete comparator store of the English county areas from public files.

``python -m benchmarking build-public --source DIR [--out FILE]`` reads the published files
in ``DIR`` (the layout of ``shared/data``: ``dfe_lait/``, ``oflog/``, ``defra_waste/``,
``mhclg_revenue/``, ``ons_population/``, ``imd2019/``, ``lookups/``), matches every row to
a county area of ``data/county_areas.csv`` (``membership``), and writes a new store:

1. the county areas (authorities, with their latest ONS population) and the theme-to-
   service map of ``data/theme_services.csv``;
2. spend per head by service and in total (MHCLG RSX / ONS mid-year population);
3. DfE LAIT indicators and DfE statistical neighbours; 4. Oflog adult social care metrics
   and nearest neighbours; 5. DEFRA waste indicators; 6. IMD 2019 deprivation.

Each source is one import through the project's checks (``validation.check_batch``), written
as one transaction with a ``dataset`` row of kind ``public``. The store is built beside
``FILE`` and moved into place at the end, so a failed build leaves any old store intact.
Every row read is either used or counted as skipped with its reason; the summary prints
both, and the store keeps it in the ``public_build_summary`` setting.

Core spending power is in none of the files: the ``funding`` table stays empty and the
``funding_note`` setting says so.

The summary's types are in ``build_summary``; the theme map and the Oflog and IMD items in
``public_sources``; the command line in ``cli.public``.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

import pandas as pd

from benchmarking.adapters import defra, dfe_lait, mhclg, oflog, ons_population
from benchmarking.adapters.lookups import load_code_lookups, load_county_areas
from benchmarking.datasets.build_summary import FUNDING_NOTE, BuildSummary, SourceReport
from benchmarking.datasets.public_sources import (
    IMD_FILE,
    IMD_FOLDER,
    IMD_SOURCE,
    THEME_MAP_FILE,
    imd_items,
    load_theme_map,
    oflog_county_items,
    theme_of_topics,
)
from benchmarking.errors import BuildError, ImportValidationError
from benchmarking.ingest.reading import file_sha256
from benchmarking.ingest.validation import check_batch
from benchmarking.method.membership import Loaded
from benchmarking.store import PROJECT_ROOT, Store

THEME_SERVICES_FILE = PROJECT_ROOT / "data" / "theme_services.csv"
DEFAULT_OUT = PROJECT_ROOT / "data" / "public.duckdb"
FOCUS_AUTHORITY = "E10000018"

DATASET_LABEL = "public data: DfE LAIT, Oflog, DEFRA, MHCLG, ONS, IMD 2019"
SOURCES_TEXT = (
    "DfE Local Authority Interactive Tool (children's services and education indicators, "
    "statistical neighbours); Oflog adult social care metrics and nearest neighbours; DEFRA "
    "local authority collected waste statistics 2022-23 (Table 3); MHCLG revenue outturn "
    "(RSX) net current expenditure by service 2021-22 to 2023-24; ONS mid-year population "
    "estimates 2019-2022; English Indices of Deprivation 2019 (MHCLG). All OGL v3.0."
)

# ---------------------------------------------------------------------------------------
# The build
# ---------------------------------------------------------------------------------------


def build_public(
    source: Path | str,
    out: Path | str | None = None,
    progress: TextIO | None = sys.stderr,
) -> BuildSummary:
    """Build a new store at ``out`` from the published files in ``source``; return the summary.

    Raises BuildError when ``source`` lacks the published layout, ImportValidationError when
    a source's rows fail the store's checks (nothing is moved into place then).
    """
    started = time.perf_counter()
    source = Path(source)
    out = Path(out) if out is not None else DEFAULT_OUT
    if not source.is_dir():
        raise BuildError(f"source folder {source} not found: point --source at the folder of published files")
    absent = [
        folder
        for folder in ("dfe_lait", "oflog", "defra_waste", "mhclg_revenue", "ons_population", IMD_FOLDER, "lookups")
        if not (source / folder).is_dir()
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
    areas = load_county_areas()
    lookups = load_code_lookups(source / "lookups")
    theme_map = load_theme_map()
    theme_services = pd.read_csv(THEME_SERVICES_FILE, dtype=str, keep_default_na=False)
    core_themes = set(theme_services.loc[theme_services["is_core_theme"].str.lower().eq("true"), "theme"])
    reports: list[SourceReport] = []
    state: dict[str, object] = {}

    def population() -> SourceReport:
        estimates, read, skipped, notes = ons_population.county_populations(source, areas, lookups)
        state["estimates"] = estimates
        latest = ons_population.latest_population(estimates)
        authorities = areas[["code", "name", "kind", "region"]].assign(
            population=areas["code"].map(latest).astype("Int64")
        )
        items = [
            ("authority", authorities, "county_areas.csv"),
            ("theme_service", theme_services, THEME_SERVICES_FILE.name),
        ]
        files = [PROJECT_ROOT / "data" / "county_areas.csv", THEME_SERVICES_FILE]
        files += [source / ons_population.FOLDER / name for name, *_ in ons_population.FILES.values()]
        written = _write(
            store,
            items,
            "County areas with ONS mid-year population",
            "data/county_areas.csv (ONS codes, kinds, reorganisations 2019-2023); " + ons_population.SOURCE,
            files,
        )
        return SourceReport(ons_population.SOURCE_NAME, read, skipped, written, notes=notes)

    def spend() -> SourceReport:
        loaded = mhclg.spend_items(source, areas, state["estimates"], lookups)
        return _report(store, mhclg.SOURCE_NAME, loaded, mhclg.SOURCE, [source / mhclg.FOLDER / mhclg.DATA_FILE])

    def lait() -> SourceReport:
        loaded = dfe_lait.lait_items(
            source, areas, theme_of_topics(theme_map, dfe_lait.THEME_SOURCE), core_themes, lookups
        )
        folder = source / dfe_lait.FOLDER
        return _report(
            store,
            dfe_lait.SOURCE_NAME,
            loaded,
            dfe_lait.SOURCE,
            [folder / dfe_lait.DATA_FILE, folder / dfe_lait.DICTIONARY_FILE],
        )

    def neighbours() -> SourceReport:
        loaded = dfe_lait.statistical_neighbour_items(source, areas, lookups)
        folder = source / dfe_lait.FOLDER
        return _report(
            store,
            "DfE statistical neighbours",
            loaded,
            dfe_lait.NEIGHBOUR_SOURCE,
            [folder / name for name, *_ in dfe_lait.NEIGHBOUR_MODELS.values()],
        )

    def asc() -> SourceReport:
        loaded, notes = oflog_county_items(source / "oflog", areas, theme_map, core_themes, lookups)
        report = _report(
            store,
            "Oflog adult social care",
            loaded,
            oflog.SOURCE,
            [source / "oflog" / oflog.DATA_FILE, source / "oflog" / oflog.NEIGHBOUR_FILE],
        )
        report.notes += notes
        return report

    def waste() -> SourceReport:
        theme = theme_of_topics(theme_map, defra.THEME_SOURCE).get(defra.THEME_TOPIC)
        if theme is None:
            raise BuildError(f"{THEME_MAP_FILE.name} has no theme for {defra.THEME_SOURCE} / {defra.THEME_TOPIC}")
        loaded = defra.waste_items(source, areas, theme, theme in core_themes, lookups)
        return _report(store, defra.SOURCE_NAME, loaded, defra.SOURCE, [source / defra.FOLDER / defra.DATA_FILE])

    def deprivation() -> SourceReport:
        loaded = imd_items(source / IMD_FOLDER, areas, lookups)
        return _report(store, "IMD 2019", loaded, IMD_SOURCE, [source / IMD_FOLDER / IMD_FILE])

    steps: list[tuple[str, Callable[[], SourceReport]]] = [
        (ons_population.SOURCE_NAME + " and county areas", population),
        (mhclg.SOURCE_NAME, spend),
        (dfe_lait.SOURCE_NAME, lait),
        ("DfE statistical neighbours", neighbours),
        ("Oflog adult social care", asc),
        (defra.SOURCE_NAME, waste),
        ("IMD 2019", deprivation),
    ]
    try:
        for number, (label, step) in enumerate(steps, start=1):
            if progress is not None:
                print(f"[{number}/{len(steps)}] {label}: reading...", file=progress, flush=True)
            began = time.perf_counter()
            report = step()
            report.seconds = time.perf_counter() - began
            reports.append(report)
            if progress is not None:
                print(
                    f"[{number}/{len(steps)}] {label}: {_progress_line(report)} ({report.seconds:.1f} s)",
                    file=progress,
                    flush=True,
                )

        counts, themes = _store_counts(store, areas)
        summary = BuildSummary(out, time.perf_counter() - started, reports, counts, themes)
        settings = {
            "dataset_label": DATASET_LABEL,
            "sources": SOURCES_TEXT,
            "funding_note": FUNDING_NOTE,
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
    written = _write(store, loaded.items, name, source, files)
    return SourceReport(name, loaded.rows_read, loaded.skipped, written)


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
