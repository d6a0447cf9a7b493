"""MHCLG revenue outturn: net current expenditure per head by service, for the county areas.

Reads ``mhclg_revenue/rsx_net_current_expenditure_by_service_2021-22_to_2023-24.csv``
(MHCLG "Local authority revenue expenditure and financing", RSX net current expenditure
by service, £ thousand; see ``shared/data/PROVENANCE.md`` section 5) and returns ``spend``
rows: net expenditure per head = £ thousand x 1,000 / the matching mid-year population
(``ons_population.population_for_period``: ``2022-23`` uses mid-2022).

* Rows are matched to county areas by MHCLG **E-code** through ``county_areas.csv``
  (``e_code``), at the financial year's midpoint; the file's own ONS code is checked
  against the match and a disagreement is reported, not loaded.
* Services (``SERVICE_COLUMNS``): the schema's seven services plus ``total`` (total service
  expenditure). Housing (general fund), planning, police, fire, central and other
  services count in the total only.
* A blank value (``[x]`` / ``...`` in the published tables: not submitted) stays missing.
* A year without a matching mid-year estimate is not loaded (2023-24: there is no
  mid-2023 estimate among the files), and neither is an authority without an estimate.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from benchmarking.adapters.ons_population import population_for_period
from benchmarking.method.membership import NOT_A_COUNTY_AREA, Loaded, resolve_codes, skip_counts

from . import own_folder, read_published_csv
from .lookups import CodeLookups, unmatched_reason
from .source import Adapter, SourceContext

FOLDER = "mhclg_revenue"
DATA_FILE = "rsx_net_current_expenditure_by_service_2021-22_to_2023-24.csv"
SOURCE_NAME = "MHCLG revenue outturn (RSX)"
SOURCE = (
    "Ministry of Housing, Communities and Local Government (DLUHC), Local authority revenue "
    "expenditure and financing England, revenue outturn service expenditure summary (RSX) "
    "2021-22, 2022-23, 2023-24, net current expenditure by service (£ thousand); per head "
    "with ONS mid-year population estimates; OGL v3.0"
)
_SUFFIX = "_net_current_expenditure_gbp_thousands"
SERVICE_COLUMNS = {
    "total_service_expenditure": "total",
    "adult_social_care": "adult social care",
    "childrens_social_care": "children's social care",
    "education": "education",
    "public_health": "public health",
    "highways_transport": "highways & transport",
    "environmental_regulatory": "environment & regulatory",
    "cultural": "culture & leisure",
}
"""RSX service (column prefix) -> the store's service."""

_CLASS_REASONS = {
    "Eng": "not a county area: England total",
    "O": "not a county area: other body (fire, police, national park, waste, transport)",
}


def spend_items(folder: Path | str, areas: pd.DataFrame, estimates: pd.DataFrame, lookups: CodeLookups) -> Loaded:
    """Return the ``spend`` item (per head by service and in total) with the rows' accounting.

    ``folder`` holds the file (or ``mhclg_revenue/``); ``estimates`` come from
    ``ons_population.county_populations``.
    """
    columns = ["financial_year", "e_code", "ons_code", "authority", "class"]
    columns += [prefix + _SUFFIX for prefix in SERVICE_COLUMNS]
    frame = read_published_csv(own_folder(folder, FOLDER, DATA_FILE), DATA_FILE, columns)
    resolved = resolve_codes(areas, frame["e_code"], frame["financial_year"], scheme="ecode")
    reason = resolved["reason"].copy()
    code = resolved["authority_code"]

    outside = reason.eq(NOT_A_COUNTY_AREA).to_numpy()
    if outside.any():
        by_class = frame.loc[outside, "class"].map(_CLASS_REASONS).to_numpy(dtype=object)
        by_lookup = unmatched_reason(frame.loc[outside, "e_code"], "ecode", lookups).to_numpy(dtype=object)
        reason[outside] = np.where(pd.isna(by_class), by_lookup, by_class)

    disagree = code.notna() & frame["ons_code"].ne("") & (code != frame["ons_code"])
    reason[disagree.to_numpy()] = [
        f"E-code {e} is {c} in county_areas.csv but the file gives ONS code {o}"
        for e, c, o in zip(frame.loc[disagree, "e_code"], code[disagree], frame.loc[disagree, "ons_code"])
    ]

    population = pd.concat(
        [
            population_for_period(estimates, year).assign(financial_year=year)
            for year in frame["financial_year"].unique()
        ],
        ignore_index=True,
    )
    matched = pd.DataFrame({"authority_code": code, "financial_year": frame["financial_year"]})
    matched = matched.merge(population, on=["authority_code", "financial_year"], how="left")
    years_with_population = set(population["financial_year"])
    no_year = reason.isna().to_numpy() & ~frame["financial_year"].isin(years_with_population).to_numpy()
    reason[no_year] = [
        f"no mid-{y[:4]} population estimate among the files (financial year {y})"
        for y in frame.loc[no_year, "financial_year"]
    ]
    no_population = reason.isna().to_numpy() & matched["population"].isna().to_numpy()
    reason[no_population] = [
        f"no mid-{y[:4]} population estimate for {c}"
        for c, y in zip(code[no_population], frame.loc[no_population, "financial_year"])
    ]

    keep = reason.isna().to_numpy()
    rows = []
    for prefix, service in SERVICE_COLUMNS.items():
        thousands = pd.to_numeric(frame.loc[keep, prefix + _SUFFIX], errors="coerce")
        per_head = thousands.to_numpy(dtype=float) * 1000.0 / matched.loc[keep, "population"].to_numpy(dtype=float)
        rows.append(
            pd.DataFrame(
                {
                    "authority_code": code[keep].to_numpy(),
                    "period": frame.loc[keep, "financial_year"].to_numpy(),
                    "service": service,
                    "net_expenditure_per_head": np.where(np.isnan(per_head), None, per_head),
                }
            )
        )
    spend = pd.concat(rows, ignore_index=True)
    return Loaded([("spend", spend, DATA_FILE)], {DATA_FILE: len(frame)}, skip_counts(DATA_FILE, reason))


def _read(folder: Path, context: SourceContext) -> Loaded:
    return spend_items(folder, context.areas, context.population, context.lookups)


ADAPTER = Adapter(
    name="mhclg-rsx",
    title="MHCLG revenue outturn (RSX): net current expenditure by service, per head",
    folder=FOLDER,
    files=(DATA_FILE,),
    provenance=SOURCE,
    read=_read,
    short_name="MHCLG",
    publisher="Ministry of Housing, Communities and Local Government (MHCLG)",
    series="revenue outturn",
    dataset_name=SOURCE_NAME,
)
