"""ONS mid-year population estimates for the county areas: the denominators of spend per head.

Reads the four files of ``ons_population/`` as published (see ``shared/data/PROVENANCE.md``
section 4): mid-2019 and mid-2020 for upper-tier authorities on April-2020 boundaries
(``utla20_code``, ``total_population``), mid-2021 and mid-2022 for every UK geography
(``Code``, ``All ages``). Each estimate refers to 30 June of its year.

The rule for a county area's estimate (``county_populations``):

* an authority that existed on 30 June takes the estimate published under its own code;
* a file on later boundaries no longer carries an authority that still existed on
  30 June (mid-2022 is on 2023 boundaries, after Cumbria, North Yorkshire and Somerset
  county councils were replaced; mid-2019 is on 2020 boundaries, after Buckinghamshire
  County Council was replaced): when the authority's successors cover exactly its area
  (``successors_cover_area`` in ``county_areas.csv``) its estimate is the sum of theirs,
  and ``basis`` says so;
* otherwise the authority has no estimate that year (reported).

Nothing is written from here directly: ``latest_population`` gives the ``authority``
table's population (the latest estimate) and ``population_for_period`` the denominators
for ``adapters.mhclg.spend_items``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from benchmarking.method.lifetimes import COUNTY_AREAS_FILE
from benchmarking.method.membership import NOT_A_COUNTY_AREA, Loaded, alive_on, no_skips, resolve_codes, skip_counts
from benchmarking.paths import DATA_DIR

from . import own_folder, read_published_csv
from .lookups import CodeLookups, unmatched_reason
from .source import Adapter, SourceContext

FOLDER = "ons_population"
FILES = {
    2019: ("ons_mye_mid2019_utla2020_single_year_of_age.csv", "utla20_code", "total_population"),
    2020: ("ons_mye_mid2020_utla2020_single_year_of_age.csv", "utla20_code", "total_population"),
    2021: ("ons_mye_mid2021_all_geographies_persons_single_year_of_age.csv", "Code", "All ages"),
    2022: ("ons_mye_mid2022_all_geographies_persons_single_year_of_age.csv", "Code", "All ages"),
}
"""Mid-year -> (file, code column, all-ages column), as published."""

SOURCE_NAME = "ONS mid-year population estimates"
SOURCE = (
    "Office for National Statistics, mid-year population estimates (MYE2 persons), mid-2019 "
    "and mid-2020 upper tier (via humaniverse/demographr), mid-2021 and mid-2022 all "
    "geographies (official ONS workbooks); OGL v3.0"
)
PUBLISHED = "published"


def county_populations(
    folder: Path | str, areas: pd.DataFrame, lookups: CodeLookups
) -> tuple[pd.DataFrame, dict[str, int], pd.DataFrame, list[str]]:
    """Return (estimates, rows read per file, skipped rows, notes) for the county areas.

    ``estimates`` columns: ``authority_code``, ``year`` (mid-year), ``population``,
    ``basis`` (``published``, or ``sum of <codes>`` for an area on later boundaries).
    ``notes`` name each estimate summed from successors and each authority that existed on
    30 June but has no estimate that year.
    ``folder`` holds the files (or is the published data folder holding ``ons_population/``).
    """
    folder = own_folder(folder, FOLDER, FILES[2019][0])
    estimates, rows_read, skipped, notes = [], {}, [no_skips()], []
    for year, (file_name, code_column, total_column) in FILES.items():
        frame = read_published_csv(folder, file_name, (code_column, total_column))
        rows_read[file_name] = len(frame)
        mid_year = dt.date(year, 6, 30)
        counts = pd.to_numeric(frame[total_column].str.replace(",", ""), errors="coerce")
        resolved = resolve_codes(areas, frame[code_column], mid_year, scheme="gss")
        reason = resolved["reason"].copy()
        unusable = (counts.isna() | (counts <= 0)).to_numpy()
        reason[unusable] = "all-ages population is not a positive number"
        matched = reason.isna().to_numpy()
        rows = [
            (code, year, float(value), PUBLISHED)
            for code, value in zip(resolved["authority_code"][matched], counts[matched])
        ]
        # Authorities that existed on 30 June but are missing from a file on later boundaries.
        published = dict(zip(frame.loc[~unusable, code_column], counts[~unusable]))
        has_own = set(resolved["authority_code"][matched])
        used_for_predecessor: set[str] = set()
        for area in areas[alive_on(areas, mid_year)].itertuples(index=False):
            successors = [code for code in area.successors.split(";") if code]
            if area.code in has_own or not area.successors_cover_area or not successors:
                continue
            if all(code in published for code in successors):
                total = float(sum(published[code] for code in successors))
                rows.append((area.code, year, total, f"sum of {' + '.join(successors)}"))
                notes.append(
                    f"mid-{year} population of {area.name} ({area.code}) = the sum of its "
                    f"successors' ({' + '.join(successors)}): {file_name} is on later boundaries"
                )
                used_for_predecessor.update(successors)
        estimates.append(pd.DataFrame(rows, columns=["authority_code", "year", "population", "basis"]))
        covered = {row[0] for row in rows}
        notes += [
            f"mid-{year}: no estimate for {area.name} ({area.code}) in {file_name}"
            for area in areas[alive_on(areas, mid_year)].itertuples(index=False)
            if area.code not in covered
        ]
        reason[frame[code_column].isin(used_for_predecessor).to_numpy() & ~unusable] = None
        outside = reason.eq(NOT_A_COUNTY_AREA).to_numpy()
        reason[outside] = unmatched_reason(frame.loc[outside, code_column], "gss", lookups).to_numpy()
        skipped.append(skip_counts(file_name, reason))
    estimates = pd.concat(estimates, ignore_index=True)
    return estimates, rows_read, pd.concat(skipped, ignore_index=True), notes


def latest_population(estimates: pd.DataFrame) -> pd.Series:
    """Return each authority's latest estimate (int), indexed by authority code."""
    latest = estimates.sort_values("year").drop_duplicates("authority_code", keep="last")
    return latest.set_index("authority_code")["population"].round().astype("int64")


def population_for_period(estimates: pd.DataFrame, period: str) -> pd.DataFrame:
    """Return (authority_code, population, basis) of the mid-year matching a financial year.

    ``2022-23`` matches mid-2022 (30 June in the first year of the financial year); an
    empty frame when that mid-year is not among the estimates.
    """
    year = int(str(period)[:4])
    rows = estimates[estimates["year"] == year]
    return rows[["authority_code", "population", "basis"]].reset_index(drop=True)


# ---------------------------------------------------------------------------------------
# The adapter: the county areas with their latest population (the base of a county store)
# ---------------------------------------------------------------------------------------

THEME_SERVICES_FILE = DATA_DIR / "theme_services.csv"


def read_population(folder: Path, context: SourceContext) -> Loaded:
    """Return the ONS estimates for the county areas as a Loaded holding one ``population`` item."""
    estimates, rows_read, skipped, notes = county_populations(folder, context.areas, context.lookups)
    return Loaded([("population", estimates, FOLDER)], rows_read, skipped, tuple(notes))


def _county_areas(folder: Path, context: SourceContext) -> Loaded:
    """Return the county areas (with their latest ONS population) and the theme-to-service map."""
    population = context.population_loaded
    latest = latest_population(population.items[0][1])
    areas = context.areas
    authorities = areas[["code", "name", "kind", "region"]].assign(population=areas["code"].map(latest).astype("Int64"))
    theme_services = pd.read_csv(THEME_SERVICES_FILE, dtype=str, keep_default_na=False)
    items = [
        ("authority", authorities, COUNTY_AREAS_FILE.name),
        ("theme_service", theme_services, THEME_SERVICES_FILE.name),
    ]
    return Loaded(items, population.rows_read, population.skipped, population.notes)


ADAPTER = Adapter(
    name="county-areas",
    title="County areas (data/county_areas.csv) with ONS mid-year population estimates",
    folder=FOLDER,
    files=tuple(name for name, *_ in FILES.values()),
    provenance="data/county_areas.csv (ONS codes, kinds, reorganisations 2019-2023); " + SOURCE,
    read=_county_areas,
    dataset_name="County areas with ONS mid-year population",
    short_name="ONS population",
    publisher="Office for National Statistics (ONS)",
    series="mid-year population",
)
