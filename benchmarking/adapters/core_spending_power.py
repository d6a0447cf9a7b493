"""Core spending power per head for the county areas: the ``funding`` table.

Reads ``core_spending_power/published_totals/spending_power_millions.csv`` (MHCLG Local
Government Finance Settlement spending power by authority, £ million cash, as collected
in A. Pike's replication data; see ``shared/data/PROVENANCE.md`` section 9) and returns
``funding`` rows: core spending power per head = the published total x 1,000,000 / the ONS
mid-year population of 30 June in the financial year's first year (``2020-21`` uses
mid-2020, ``ons_population.population_for_period``).

* Columns ``2017`` ... ``2021`` are the financial years 2016-17 ... 2020-21 (the author's
  Rmd: a column is named by the year the financial year ends), written ``2016-17`` style.
* Columns ``2012`` ... ``2016`` (2011-12 ... 2015-16) are the older **revenue spending
  power**, a different measure (it counted NHS money for social care, and the series steps
  down at the join: Leicestershire 406.46 in 2015-16, 349.56 in 2016-17). They are left
  out: every such value is counted in the skipped report under one reason.
* ``..`` is not available (skipped, counted). Rows are matched to county areas by ONS code
  at the financial year's midpoint (``membership.resolve_codes``); the file's ``class`` says
  what an unmatched row is. The Isles of Scilly are tagged "County council" but are not a
  county area.
* A year without a mid-year estimate among the ONS files (only mid-2019 ... mid-2022 are
  held, so 2016-17 ... 2018-19) is skipped with that reason, and so is an authority
  without an estimate that year: no population is invented.
* Counting: the table is wide (one row per authority, one column per year), so rows read
  are published **values**: file rows x year columns; each is used or skipped with a reason.

Cross-check (``components/CSP_long_201520.csv``, the settlement components by authority
and year, ``2015`` = 2015-16): the sum of the six components (settlement funding
assessment, under-indexing, council tax, new homes bonus and its returned funding, rural
services delivery grant) leaves out the social-care grants, so it should be below the
published total in every county-area year. The notes say in how many county areas it is
not (expected: none). Nothing from the components is written.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from benchmarking.adapters.ons_population import population_for_period
from benchmarking.adapters.source import COUNTY_AREAS, Adapter, SourceContext
from benchmarking.method.membership import NOT_A_COUNTY_AREA, Loaded, no_skips, resolve_codes, skip_counts

from . import read_published_csv
from .lookups import unmatched_reason

FOLDER = "core_spending_power"
TOTALS_FILE = "published_totals/spending_power_millions.csv"
COMPONENTS_FILE = "components/CSP_long_201520.csv"
SOURCE = (
    "Ministry of Housing, Communities and Local Government, Local Government Finance "
    "Settlement: Core Spending Power by authority 2016-17 to 2020-21 (£ million, cash), as "
    "collected in A. Pike, Financialisation and Local Statecraft (CaitHRobinson/"
    "councillorsatthecasino, spendingpower/SpendingMillions.csv); per head with ONS mid-year "
    "population estimates; OGL v3.0"
)

FUNDING_NOTE = (
    "Core spending power per head is loaded for 2019-20 and 2020-21 only: the published totals "
    "end in 2020-21 (no later table by authority was available) and the ONS mid-year estimates "
    "held start at mid-2019. Later periods show the latest funding year before them, named on "
    "the page; the 'better off' total multiplies that year's gap per head by the latest population."
)
"""What the store's ``funding_note`` setting can say once this source is loaded (the build's
current note says core spending power is not loaded)."""

CSP_COLUMNS = {"2017": "2016-17", "2018": "2017-18", "2019": "2018-19", "2020": "2019-20", "2021": "2020-21"}
"""Published column -> the Core Spending Power financial year it holds."""
REVENUE_COLUMNS = ("2012", "2013", "2014", "2015", "2016")
"""Columns of the older revenue spending power (2011-12 ... 2015-16), left out."""
REVENUE_REASON = "revenue spending power 2011-12 to 2015-16: another measure than Core Spending Power (left out)"
MISSING_REASON = "'..' in the published table (not available)"
COMPONENTS = ("sfa", "under_index", "ct_total", "nhb", "nhb_return", "rsdg")
"""The settlement components summed for the cross-check (no social-care grants among them)."""
_KEYS = ("ons_code", "ons_name", "class", "region")
_MISSING = {"..", ""}
_OTHER_BODIES = {"E31": "fire and rescue authority", "E47": "combined authority"}
"""GSS prefixes of the bodies the components file lists beside the councils."""
_ROUNDING = 0.005
"""The published totals are rounded to £0.01m: a component sum above total + this exceeds it."""


def _financial_year(end_year: int) -> str:
    return f"{end_year - 1}-{end_year % 100:02d}"


def _class_reasons(frame: pd.DataFrame, context: SourceContext) -> np.ndarray:
    """Return why each row outside the county areas is left out, from the file's class tag."""
    tag = frame["class"].str.strip()
    reason = np.where(tag.eq(""), None, "not a county area: " + tag.str.lower())
    tagged_county = tag.eq("County council").to_numpy()  # the Isles of Scilly
    reason[tagged_county] = [
        f"not a county area: {name} (tagged 'County council' in the file)" for name in frame["ons_name"][tagged_county]
    ]
    untagged = pd.isna(reason)
    if untagged.any() and context.lookups is not None:
        reason[untagged] = unmatched_reason(frame.loc[untagged, "ons_code"], "gss", context.lookups).to_numpy()
    reason[pd.isna(reason)] = NOT_A_COUNTY_AREA
    return reason


def _population(context: SourceContext, periods: pd.Series) -> pd.DataFrame:
    """Return (authority_code, period, population) for each financial year whose mid-year is held."""
    frames = [population_for_period(context.population, period).assign(period=period) for period in periods.unique()]
    empty = pd.DataFrame({"authority_code": [], "period": [], "population": []}, dtype=object)
    return pd.concat([empty, *frames], ignore_index=True)[["authority_code", "period", "population"]]


def funding_rows(folder: Path, context: SourceContext) -> tuple[pd.DataFrame, int, pd.Series, pd.DataFrame]:
    """Return (funding rows, values read, skip reason per value, matched totals) of the totals file.

    ``matched totals`` (authority_code, period, total in £m) are every county-area total
    published for 2016-17 onwards, with or without a population: the cross-check's side.
    """
    frame = read_published_csv(folder, TOTALS_FILE, (*_KEYS, *REVENUE_COLUMNS, *CSP_COLUMNS))
    for column in _KEYS:
        frame[column] = frame[column].str.strip()
    cells = frame.melt(id_vars=list(_KEYS), value_vars=[*REVENUE_COLUMNS, *CSP_COLUMNS], var_name="column")
    cells["period"] = cells["column"].map(lambda column: _financial_year(int(column)))
    reason = pd.Series(None, index=cells.index, dtype=object)
    revenue = cells["column"].isin(REVENUE_COLUMNS).to_numpy()
    reason[revenue] = REVENUE_REASON

    csp = ~revenue
    resolved = resolve_codes(context.areas, cells.loc[csp, "ons_code"], cells.loc[csp, "period"], scheme="gss")
    code = pd.Series(None, index=cells.index, dtype=object)
    code[csp] = resolved["authority_code"].to_numpy()
    reason[csp] = resolved["reason"].to_numpy()
    outside = reason.eq(NOT_A_COUNTY_AREA).to_numpy()
    reason[outside] = _class_reasons(cells[outside], context)

    text = cells["value"].str.strip()
    total = pd.to_numeric(text.str.replace(",", ""), errors="coerce")
    reason[(reason.isna() & text.isin(_MISSING)).to_numpy()] = MISSING_REASON
    not_number = (reason.isna() & total.isna()).to_numpy()
    reason[not_number] = [f"value {v!r} is not a number" for v in text[not_number]]
    matched = reason.isna().to_numpy()
    totals = pd.DataFrame(
        {"authority_code": code[matched], "period": cells.loc[matched, "period"], "total": total[matched]}
    )

    population = _population(context, cells.loc[matched, "period"])
    merged = pd.DataFrame({"authority_code": code, "period": cells["period"]}).merge(
        population, on=["authority_code", "period"], how="left"
    )
    no_year = reason.isna().to_numpy() & ~cells["period"].isin(set(population["period"])).to_numpy()
    reason[no_year] = [
        f"no mid-{p[:4]} population estimate among the ONS files (financial year {p})"
        for p in cells.loc[no_year, "period"]
    ]
    no_population = reason.isna().to_numpy() & merged["population"].isna().to_numpy()
    reason[no_population] = [
        f"no mid-{p[:4]} population estimate for {c}"
        for c, p in zip(code[no_population], cells.loc[no_population, "period"])
    ]
    keep = reason.isna().to_numpy()
    funding = pd.DataFrame(
        {
            "authority_code": code[keep].to_numpy(),
            "period": cells.loc[keep, "period"].to_numpy(),
            "core_spending_power_per_head": total[keep].to_numpy(dtype=float)
            * 1_000_000.0
            / merged.loc[keep, "population"].to_numpy(dtype=float),
        }
    )
    duplicate = funding.duplicated(["authority_code", "period"], keep="first").to_numpy()
    if duplicate.any():
        reason[np.flatnonzero(keep)[duplicate]] = "a second row for the same county area and year (first kept)"
        funding = funding[~duplicate].reset_index(drop=True)
    return funding, len(cells), reason, totals.drop_duplicates(["authority_code", "period"])


def components_check(folder: Path, context: SourceContext, totals: pd.DataFrame) -> tuple[int, pd.Series, str]:
    """Return (rows read, skip reason per row, the note) of the components cross-check.

    A county-area year is compared when both the components and the published total exist;
    the note counts the county areas (and years) where the components exceed the total.
    """
    frame = read_published_csv(folder, COMPONENTS_FILE, ("ons_code", "authority", "year", *COMPONENTS))
    year = pd.to_numeric(frame["year"], errors="coerce")
    period = year.map(lambda y: _financial_year(int(y) + 1) if pd.notna(y) else "")
    reason = pd.Series(None, index=frame.index, dtype=object)
    first_csp = min(CSP_COLUMNS.values())
    early = period.lt(first_csp).to_numpy() & period.ne("").to_numpy()
    reason[early] = [
        f"{p}: the published totals give revenue spending power that year (no comparison)" for p in period[early]
    ]
    reason[period.eq("").to_numpy()] = "year is not a number"
    parts = frame[list(COMPONENTS)].apply(lambda column: pd.to_numeric(column, errors="coerce"))
    sums = parts.sum(axis=1, min_count=len(COMPONENTS))
    reason[(reason.isna() & sums.isna()).to_numpy()] = "a component is not a number"
    reason[(reason.isna() & sums.eq(0)).to_numpy()] = "every component 0: the authority did not exist that year"
    rest = reason.isna().to_numpy()
    resolved = resolve_codes(context.areas, frame.loc[rest, "ons_code"], period[rest], scheme="gss")
    code = pd.Series(None, index=frame.index, dtype=object)
    code[rest] = resolved["authority_code"].to_numpy()
    reason[rest] = resolved["reason"].to_numpy()
    outside = reason.eq(NOT_A_COUNTY_AREA).to_numpy()
    if outside.any() and context.lookups is not None:
        reason[outside] = unmatched_reason(frame.loc[outside, "ons_code"], "gss", context.lookups).to_numpy()
    for prefix, body in _OTHER_BODIES.items():
        reason[outside & frame["ons_code"].str.startswith(prefix).to_numpy()] = f"not a county area: {body}"
    no_code = outside & frame["ons_code"].str.strip().isin(["-", ""]).to_numpy()
    reason[no_code] = [f"not a county area: {name} (no ONS code)" for name in frame.loc[no_code, "authority"]]
    compared = pd.DataFrame({"authority_code": code, "period": period, "components": sums}).merge(
        totals, on=["authority_code", "period"], how="left"
    )
    no_total = reason.isna().to_numpy() & compared["total"].isna().to_numpy()
    reason[no_total] = "no published Core Spending Power total for that county area and year"
    used = compared[reason.isna().to_numpy()]
    above = used[used["components"] > used["total"] + _ROUNDING]
    note = (
        f"Cross-check: the settlement components without the social-care grants ({COMPONENTS_FILE}) exceed the "
        f"published Core Spending Power total in {above['authority_code'].nunique()} of "
        f"{used['authority_code'].nunique()} county areas ({len(above)} of {len(used)} county-area years compared)."
    )
    return len(frame), reason, note


def _read(folder: Path, context: SourceContext) -> Loaded:
    """Return the ``funding`` item with every published value used or skipped, and the notes."""
    funding, read, reason, totals = funding_rows(Path(folder), context)
    components_read, components_reason, check = components_check(Path(folder), context, totals)
    skipped = pd.concat(
        [no_skips(), skip_counts(TOTALS_FILE, reason), skip_counts(COMPONENTS_FILE, components_reason)],
        ignore_index=True,
    )
    periods = sorted(funding["period"].unique())
    notes = (
        f"{TOTALS_FILE}: values counted one per authority and year (file rows x 10 year columns).",
        "Core spending power per head = published total (£m x 1,000,000) / ONS mid-year population of the "
        f"financial year's first June; written for {', '.join(periods) if periods else 'no year'} "
        "(other years have no mid-year estimate among the ONS files).",
        "Columns 2012-2016 (2011-12 to 2015-16) are the older revenue spending power, another measure: left out.",
        check,
    )
    return Loaded(
        [("funding", funding, TOTALS_FILE)], {TOTALS_FILE: read, COMPONENTS_FILE: components_read}, skipped, notes
    )


ADAPTER = Adapter(
    name="core-spending-power",
    title="Core spending power per head (MHCLG settlement totals 2016-17 to 2020-21 / ONS mid-year population)",
    folder=FOLDER,
    files=(TOTALS_FILE, COMPONENTS_FILE),
    provenance=SOURCE,
    read=_read,
    scopes=(COUNTY_AREAS,),
    short_name="core spending power",
    publisher="Ministry of Housing, Communities and Local Government (MHCLG)",
    series="core spending power",
)
