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

Each source is one import through the project's checks (``importer.check_batch``), written
as one transaction with a ``dataset`` row of kind ``public``. The store is built beside
``FILE`` and moved into place at the end, so a failed build leaves any old store intact.
Every row read is either used or counted as skipped with its reason; the summary prints
both, and the store keeps it in the ``public_build_summary`` setting.

Core spending power is in none of the files: the ``funding`` table stays empty and the
``funding_note`` setting says so.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import pandas as pd

from benchmarking.adapters import defra, dfe_lait, mhclg, oflog, ons_population, read_published_csv
from benchmarking.adapters.lookups import CodeLookups, load_code_lookups, load_county_areas, unmatched_reason
from benchmarking.errors import BuildError, ImportValidationError
from benchmarking.ingest.importer import check_batch, file_sha256
from benchmarking.method.membership import NOT_A_COUNTY_AREA, Loaded, resolve_codes, skip_counts
from benchmarking.store import PROJECT_ROOT, Store

THEME_MAP_FILE = PROJECT_ROOT / "data" / "public_theme_map.csv"
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
FUNDING_NOTE = (
    "Core spending power is not among the public files this store was built from "
    "(no published table by authority was available), so funding views have no figures. "
    "Net current expenditure per head (MHCLG revenue outturn / ONS population) is the "
    "closest measure loaded: use the Revenue (spend) comparator instead."
)

IMD_FOLDER = "imd2019"
IMD_FILE = "imd2019_utla_imd_summary.csv"
IMD_EDITION = "IMD 2019"
IMD_DATE = pd.Timestamp("2019-09-26")
"""Publication date of the English Indices of Deprivation 2019 (2019 boundaries)."""
IMD_SOURCE = (
    "MHCLG, English Indices of Deprivation 2019, File 11 upper-tier local authority "
    "summaries (IMD rank of average rank, average score); OGL v3.0"
)
_IMD_COLUMNS = ("utla19_code", "utla19_name", "IMD - Rank of average rank", "IMD - Average score")


# ---------------------------------------------------------------------------------------
# What the build reports
# ---------------------------------------------------------------------------------------


@dataclass
class SourceReport:
    """One source of the build: rows read per file, rows skipped and why, rows written."""

    name: str
    rows_read: dict[str, int]
    skipped: pd.DataFrame
    written: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def files(self) -> pd.DataFrame:
        """Return one row per file: source, file, read, used, skipped."""
        skipped = self.skipped.groupby("file")["rows"].sum() if len(self.skipped) else pd.Series(dtype="int64")
        rows = [
            (self.name, name, read, read - int(skipped.get(name, 0)), int(skipped.get(name, 0)))
            for name, read in self.rows_read.items()
        ]
        return pd.DataFrame(rows, columns=["source", "file", "read", "used", "skipped"])


@dataclass
class BuildSummary:
    """What ``build_public`` did: per-source reports and counts of what the store holds."""

    path: Path
    seconds: float
    sources: list[SourceReport]
    counts: dict[str, object]
    themes: pd.DataFrame

    def files(self) -> pd.DataFrame:
        """Return every file read: source, file, read, used, skipped."""
        return pd.concat([source.files() for source in self.sources], ignore_index=True)

    def skipped(self) -> pd.DataFrame:
        """Return every skip reason: source, file, reason, rows (most rows first within a file)."""
        frames = [source.skipped.assign(source=source.name) for source in self.sources if len(source.skipped)]
        if not frames:
            return pd.DataFrame(columns=["source", "file", "reason", "rows"])
        return pd.concat(frames, ignore_index=True)[["source", "file", "reason", "rows"]]

    def to_json(self) -> str:
        """Return the summary as compact JSON (kept in the store's ``public_build_summary`` setting)."""
        return json.dumps(
            {
                "seconds": round(self.seconds, 1),
                "counts": self.counts,
                "files": self.files().to_dict("records"),
                "skipped": self.skipped().to_dict("records"),
                "themes": self.themes.to_dict("records"),
                "notes": [note for source in self.sources for note in source.notes],
            },
            default=_json_default,
        )

    def text(self) -> str:
        """Return the summary people read after a build."""
        c = self.counts
        lines = [
            f"Public comparator store built at {self.path} in {self.seconds:.1f} s",
            f"Authorities: {c['authorities']} county areas ({c['county_councils']} county councils, "
            f"{c['county_unitaries']} county unitaries; {c['authorities_today']} exist today)",
            f"Indicators: {c['indicators']} ({c['ranked_indicators']} ranked, {c['context_indicators']} context only)",
            _indent(self.themes.to_string(index=False)),
            f"Periods: {c['periods']} labels with values, {c['first_period']} to {c['last_period']}",
            f"Values: {c['values']:,} loaded ({c['missing_values']:,} of them missing as published)",
            f"Spend per head: {c['spend_rows']:,} rows (services x authorities) for {', '.join(c['spend_periods'])}",
            f"Deprivation: {c['deprivation_rows']} authorities ({IMD_EDITION})",
            "Comparator groups: " + ", ".join(f"{g} ({n} authorities with a list)" for g, n in c["groups"].items()),
            "Funding: none loaded. " + FUNDING_NOTE,
            "",
            "Rows per file (read = used + skipped):",
            _indent(self.files().to_string(index=False)),
            "",
            "Skipped rows and why:",
            _indent(self.skipped().to_string(index=False, max_colwidth=90)),
        ]
        notes = [note for source in self.sources for note in source.notes]
        if notes:
            lines += ["", "Notes:"] + [f"  - {note}" for note in notes]
        lines += ["", f"Run the app on it: BENCHMARKING_DB={self.path} streamlit run app.py"]
        return "\n".join(lines)


# ---------------------------------------------------------------------------------------
# The build
# ---------------------------------------------------------------------------------------


def load_theme_map(path: Path | str | None = None) -> pd.DataFrame:
    """Return ``data/public_theme_map.csv``: source, topic, theme (and note)."""
    path = Path(path) if path is not None else THEME_MAP_FILE
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in ("source", "topic", "theme") if c not in frame.columns]
    if missing:
        raise BuildError(f"{path.name} lacks column(s) {missing}; it has {list(frame.columns)}")
    frame = frame.apply(lambda column: column.str.strip())
    repeated = frame.duplicated(["source", "topic"])
    if repeated.any():
        raise BuildError(f"{path.name} maps {frame.loc[repeated, ['source', 'topic']].values.tolist()} twice")
    return frame


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
        loaded = dfe_lait.lait_items(source, areas, _topics(theme_map, dfe_lait.THEME_SOURCE), core_themes, lookups)
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
        loaded, notes = _oflog_items(source / "oflog", areas, theme_map, core_themes, lookups)
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
        theme = _topics(theme_map, defra.THEME_SOURCE).get(defra.THEME_TOPIC)
        if theme is None:
            raise BuildError(f"{THEME_MAP_FILE.name} has no theme for {defra.THEME_SOURCE} / {defra.THEME_TOPIC}")
        loaded = defra.waste_items(source, areas, theme, theme in core_themes, lookups)
        return _report(store, defra.SOURCE_NAME, loaded, defra.SOURCE, [source / defra.FOLDER / defra.DATA_FILE])

    def deprivation() -> SourceReport:
        loaded = _imd_items(source / IMD_FOLDER, areas, lookups)
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
# Command line
# ---------------------------------------------------------------------------------------


def run_build(args: argparse.Namespace) -> int:
    """Run ``build-public``: build the store and print the summary."""
    summary = build_public(args.source, args.out or getattr(args, "db", None) or DEFAULT_OUT)
    print(summary.text())
    return 0


def add_commands(commands) -> None:
    """Add the ``build-public`` subcommand to the CLI's subparsers."""
    parser = commands.add_parser(
        "build-public",
        help="build a store of the English county areas from public files",
        description="Build a complete comparator store from the published files in DIR "
        "(the layout of shared/data) and print what was loaded and skipped.",
    )
    parser.add_argument(
        "--source",
        type=Path,
        required=True,
        metavar="DIR",
        help="folder of published files (dfe_lait/, oflog/, defra_waste/, ...)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="FILE",
        help=f"store to write (default: --db, else {DEFAULT_OUT.relative_to(PROJECT_ROOT)})",
    )
    parser.set_defaults(run=run_build)


def main(argv: list[str] | None = None) -> int:
    """Run ``python -m benchmarking.public_build --source DIR [--out FILE]``."""
    from benchmarking.cli import main as cli_main  # the one command line: same parsing and error handling

    return cli_main(["build-public", *(argv if argv is not None else sys.argv[1:])])


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


def _topics(theme_map: pd.DataFrame, source: str) -> dict[str, str]:
    rows = theme_map[theme_map["source"] == source]
    return dict(zip(rows["topic"], rows["theme"]))


def _oflog_items(
    folder: Path, areas: pd.DataFrame, theme_map: pd.DataFrame, core_themes: set[str], lookups: CodeLookups
) -> tuple[Loaded, list[str]]:
    """Return Oflog's ASC indicators, values and nearest neighbours for the county areas."""
    items = {table: frame for table, frame, _ in oflog.oflog_items(folder)}
    theme = _topics(theme_map, "Oflog").get("Adult social care")
    if theme is None:
        raise BuildError(f"{THEME_MAP_FILE.name} has no theme for Oflog / Adult social care")
    indicators = items["indicator"].assign(theme=theme, is_core=theme in core_themes)
    values = items["indicator_value"]
    resolved = resolve_codes(areas, values["authority_code"], values["period"], scheme="gss")
    reason = resolved["reason"].copy()
    outside = reason.eq(NOT_A_COUNTY_AREA).to_numpy()
    reason[outside] = unmatched_reason(values.loc[outside, "authority_code"], "gss", lookups).to_numpy()
    keep = reason.isna().to_numpy()
    values = values[keep].assign(authority_code=resolved["authority_code"][keep].to_numpy())
    neighbours, counts = oflog.oflog_neighbours(folder, areas["code"])
    skipped = pd.concat(
        [
            skip_counts(oflog.DATA_FILE, reason),
            pd.DataFrame(
                {
                    "file": [oflog.NEIGHBOUR_FILE],
                    "reason": ["list of an authority that is not a county area"],
                    "rows": [counts.lists_dropped],
                }
            ),
        ],
        ignore_index=True,
    )
    notes = [
        f"{oflog.NEIGHBOUR_FILE}: {counts.lists_kept} county-area lists kept with {counts.entries_kept} "
        f"neighbours; {counts.neighbours_dropped} neighbour entries that are not county areas and "
        f"{counts.self_entries} self entries left out"
    ]
    loaded = Loaded(
        [
            ("indicator", indicators, oflog.DATA_FILE),
            ("indicator_value", values, oflog.DATA_FILE),
            ("comparator_group", neighbours, oflog.NEIGHBOUR_FILE),
        ],
        {oflog.DATA_FILE: len(keep), oflog.NEIGHBOUR_FILE: counts.lists},
        skipped[skipped["rows"] > 0].reset_index(drop=True),
    )
    return loaded, notes


def _imd_items(folder: Path, areas: pd.DataFrame, lookups: CodeLookups) -> Loaded:
    """Return ``deprivation`` rows (IMD 2019, 2019 boundaries) for county areas that existed then."""
    frame = read_published_csv(folder, IMD_FILE, _IMD_COLUMNS)
    resolved = resolve_codes(areas, frame["utla19_code"], IMD_DATE.date(), scheme="gss")
    reason = resolved["reason"].copy()
    outside = reason.eq(NOT_A_COUNTY_AREA).to_numpy()
    reason[outside] = unmatched_reason(frame.loc[outside, "utla19_code"], "gss", lookups).to_numpy()
    keep = reason.isna().to_numpy()
    rows = pd.DataFrame(
        {
            "authority_code": resolved["authority_code"][keep].to_numpy(),
            "edition": IMD_EDITION,
            "rank_of_average_rank": frame.loc[keep, "IMD - Rank of average rank"].to_numpy(),
            "average_score": frame.loc[keep, "IMD - Average score"].to_numpy(),
        }
    )
    return Loaded([("deprivation", rows, IMD_FILE)], {IMD_FILE: len(frame)}, skip_counts(IMD_FILE, reason))


def _store_counts(store: Store, areas: pd.DataFrame) -> tuple[dict[str, object], pd.DataFrame]:
    """Return what the built store holds, and indicators per theme (ranked / context)."""
    with store.reading() as con:
        one = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
        themes = con.execute(
            "SELECT theme, count(*) FILTER (WHERE polarity <> 'none') AS ranked, "
            "count(*) FILTER (WHERE polarity = 'none') AS context FROM indicator GROUP BY theme ORDER BY theme"
        ).df()
        periods = [
            r[0]
            for r in con.execute(
                "SELECT p.label FROM period p WHERE p.label IN (SELECT DISTINCT period FROM indicator_value) "
                "ORDER BY p.start_date, p.label"
            ).fetchall()
        ]
        groups = dict(
            con.execute(
                "SELECT group_id, count(DISTINCT authority_code) FROM comparator_group GROUP BY group_id "
                "ORDER BY group_id"
            ).fetchall()
        )
        counts = {
            "authorities": one("SELECT count(*) FROM authority"),
            "county_councils": one("SELECT count(*) FROM authority WHERE kind = 'county council'"),
            "county_unitaries": one("SELECT count(*) FROM authority WHERE kind = 'county unitary'"),
            "authorities_today": int(areas["end_date"].isna().sum()),
            "indicators": one("SELECT count(*) FROM indicator"),
            "ranked_indicators": one("SELECT count(*) FROM indicator WHERE polarity <> 'none'"),
            "context_indicators": one("SELECT count(*) FROM indicator WHERE polarity = 'none'"),
            "periods": len(periods),
            "first_period": periods[0] if periods else None,
            "last_period": periods[-1] if periods else None,
            "values": one("SELECT count(*) FROM indicator_value"),
            "missing_values": one("SELECT count(*) FROM indicator_value WHERE value IS NULL"),
            "spend_rows": one("SELECT count(*) FROM spend"),
            "spend_periods": [r[0] for r in con.execute("SELECT DISTINCT period FROM spend ORDER BY 1").fetchall()],
            "deprivation_rows": one("SELECT count(*) FROM deprivation"),
            "funding_rows": one("SELECT count(*) FROM funding"),
            "groups": groups,
        }
    return counts, themes


def _progress_line(report: SourceReport) -> str:
    read = sum(report.rows_read.values())
    skipped = int(report.skipped["rows"].sum()) if len(report.skipped) else 0
    written = ", ".join(f"{n:,} {table}" for table, n in report.written.items()) or "nothing"
    return f"read {read:,} rows, skipped {skipped:,}; wrote {written}"


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())


def _json_default(value):
    if hasattr(value, "item"):
        return value.item()
    return str(value)


if __name__ == "__main__":
    sys.exit(main())
