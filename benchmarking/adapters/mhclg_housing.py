"""MHCLG Live Table 122: net additional dwellings by county area and financial year.

Reads ``mhclg_housing/housing-data__LT_122.csv`` (MHCLG, "Housing supply: net additional
dwellings, England 2024-25", 20 November 2025, Live Table 122 saved as CSV; see
``shared/data/PROVENANCE.md`` section 13) and returns one ``indicator`` and its
``indicator_value`` rows.

* Four title lines come first; the header row starts ``DCLG code`` (found, not assumed).
  Year columns are financial years ``2001-02`` ... ``2024-25`` (1 April - 31 March,
  written as published). A header's ``[note N]`` is dropped; ``[r]`` marks revised figures
  (2023-24: status ``revised``) and ``[p]`` provisional ones (2024-25: ``provisional``).
* County rows are chosen by ``Current ONS code`` at the financial year's midpoint
  (``membership.resolve_codes``): a shire county's row (``E10...``) is the sum of its
  districts; county unitaries have their own ``E06`` row. District, London, metropolitan
  and other unitary rows are left out, and so are the England and class totals.
* ``[x]`` (not available: the authority did not exist that year, its figures being under
  its predecessor's or successors' rows) is skipped with the reason counted. Within the
  county areas' lifetimes only Buckinghamshire's old county row (``E10000002``) has
  ``[x]`` (2020-21 on, under Buckinghamshire Council's own row).
* Counting: the table is wide, so rows read are published **values** (file rows x year
  columns); each is used or skipped with its reason.

Polarity: ``none`` (context). A count of dwellings grows with the size of the area, so
ranking it would rank counties by size. The rate per 1,000 residents is not derived here:
ONS Explore Local Statistics publishes the same count per 1,000 existing dwellings for every
year 2001-02 ... 2024-25 (``ons_els/net-additions-to-the-housing-stock.csv``), while a rate
per resident could only be made for 2019-20 ... 2022-23 (the ONS mid-year estimates held);
two rates of one count would weigh housing supply twice in the Housing theme.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarking.adapters.source import COUNTY_AREAS, Adapter, SourceContext
from benchmarking.errors import BenchmarkingError
from benchmarking.method.membership import NOT_A_COUNTY_AREA, Loaded, resolve_codes, skip_counts

from . import invalid, published_file, require_file_columns
from .lookups import AREA_TOTAL, UNKNOWN_CODE, unmatched_reason

FOLDER = "mhclg_housing"
DATA_FILE = "housing-data__LT_122.csv"
SOURCE = (
    "Ministry of Housing, Communities and Local Government, Housing supply: net additional "
    "dwellings, England 2024-25 (20 November 2025), Live Table 122 net additional dwellings by "
    "local authority district 2001-02 to 2024-25; OGL v3.0"
)
THEME_SOURCE = "MHCLG"
THEME_TOPIC = "Net additional dwellings"
"""The (source, topic) of this measure in ``data/public_theme_map.csv``."""
INDICATOR_ID = "mhclg:lt122-net-additional-dwellings"
CODE_COLUMN = "Current ONS code"
NAME_COLUMN = "Authority data"
HEADER_START = "DCLG code"
MISSING_REASON = "[x] in the published table (not available: the authority did not exist that year)"
CLASS_TOTAL_REASON = "not a county area: total of a class of authorities"
FORMER_DISTRICT_REASON = "not a county area: a former district council (abolished, not in the code lookups)"
_YEAR = re.compile(r"^(\d{4}-\d{2})((?:\s*\[[^\]]*\])*)$")
_TAGS = re.compile(r"\[([^\]]*)\]")
_NOTE = re.compile(r"\s*\[note\s*\d+\]", re.I)
_STATUS_TAGS = {"r": "revised", "p": "provisional"}


def read_table(folder: Path | str) -> tuple[pd.DataFrame, dict[str, tuple[str, str]]]:
    """Return (the table below its header row, year column -> (financial year, status)).

    Raises BenchmarkingError when the file is missing or not UTF-8 CSV, and
    ImportValidationError naming the file when no row starts ``DCLG code``, a row is ragged,
    the code or name column is missing or no year column is found.
    """
    path = published_file(folder, DATA_FILE)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
    except (UnicodeDecodeError, csv.Error) as error:
        raise BenchmarkingError(f"{DATA_FILE} in {path.parent} cannot be read as a UTF-8 CSV file: {error}") from error
    starts = [i for i, row in enumerate(rows) if row and row[0].strip() == HEADER_START]
    if not starts:
        raise invalid(DATA_FILE, None, None, f"no header row starting {HEADER_START!r}: is this Live Table 122?")
    header = [cell.strip() for cell in rows[starts[0]]]
    body = [row for row in rows[starts[0] + 1 :] if any(cell.strip() for cell in row)]
    ragged = [i for i, row in enumerate(body) if len(row) != len(header)]
    if ragged:
        row = starts[0] + 2 + ragged[0]
        raise invalid(DATA_FILE, row, None, f"{len(body[ragged[0]])} cells where the header has {len(header)}")
    frame = pd.DataFrame(body, columns=header, dtype=object)
    require_file_columns(frame, (CODE_COLUMN, NAME_COLUMN), DATA_FILE)
    years = {}
    for column in header:
        if match := _YEAR.match(column):
            tags = {tag.strip().lower() for tag in _TAGS.findall(match.group(2))}
            statuses = [_STATUS_TAGS[tag] for tag in tags if tag in _STATUS_TAGS]
            years[column] = (match.group(1), statuses[0] if statuses else "final")
    if not years:
        raise invalid(DATA_FILE, starts[0] + 1, None, "no financial-year column (2001-02 style) in the header row")
    return frame, years


def _read(folder: Path, context: SourceContext) -> Loaded:
    """Return the indicator and its values for the county areas, every published value accounted for."""
    frame, years = read_table(folder)
    frame[CODE_COLUMN] = frame[CODE_COLUMN].str.strip()
    frame[NAME_COLUMN] = frame[NAME_COLUMN].map(lambda name: _NOTE.sub("", name).strip())
    cells = frame.melt(id_vars=[CODE_COLUMN, NAME_COLUMN], value_vars=list(years), var_name="column")
    cells["period"] = cells["column"].map(lambda column: years[column][0])
    cells["status"] = cells["column"].map(lambda column: years[column][1])

    resolved = resolve_codes(context.areas, cells[CODE_COLUMN], cells["period"], scheme="gss")
    reason = resolved["reason"].copy()
    outside = reason.eq(NOT_A_COUNTY_AREA).to_numpy()
    blank = cells[CODE_COLUMN].eq("").to_numpy()
    if context.lookups is not None:
        reason[outside] = unmatched_reason(cells.loc[outside, CODE_COLUMN], "gss", context.lookups).to_numpy()
    former_district = outside & reason.str.startswith(UNKNOWN_CODE).fillna(False).to_numpy()
    former_district &= cells[CODE_COLUMN].str.startswith("E07").to_numpy()
    reason[former_district] = FORMER_DISTRICT_REASON
    reason[outside & blank] = CLASS_TOTAL_REASON
    reason[outside & cells[CODE_COLUMN].str.startswith("E92").to_numpy()] = AREA_TOTAL

    text = cells["value"].str.strip()
    value = pd.to_numeric(text.str.replace(",", ""), errors="coerce")
    reason[(reason.isna() & text.eq("[x]")).to_numpy()] = MISSING_REASON
    not_number = (reason.isna() & value.isna()).to_numpy()
    reason[not_number] = [f"value {v!r} is not a number" for v in text[not_number]]

    keep = reason.isna().to_numpy()
    values = pd.DataFrame(
        {
            "indicator_id": INDICATOR_ID,
            "authority_code": resolved["authority_code"][keep].to_numpy(),
            "period": cells.loc[keep, "period"].to_numpy(),
            "value": value[keep].to_numpy(dtype=float),
            "status": cells.loc[keep, "status"].to_numpy(),
        }
    )
    duplicate = values.duplicated(["authority_code", "period"], keep="first").to_numpy()
    if duplicate.any():
        reason[np.flatnonzero(keep)[duplicate]] = "a second row for the same county area and year (first kept)"
        values = values[~duplicate].reset_index(drop=True)

    theme = context.theme(THEME_SOURCE, THEME_TOPIC)
    indicator = pd.DataFrame(
        [
            {
                "id": INDICATOR_ID,
                "name": "Net additional dwellings",
                "theme": theme,
                "outcome": None,
                "polarity": "none",
                "unit": "dwellings",
                "source": SOURCE,
                "is_core": theme in context.core_themes,
                "description": (
                    "Net additional dwellings in the year to 31 March (new builds, conversions and "
                    "changes of use less demolitions), MHCLG Live Table 122; a shire county's figure "
                    "is the sum of its districts'. Context, not ranked: a count grows with the size "
                    "of the area. For a rate see ONS 'net additions to the housing stock' (per 1,000 "
                    "dwellings). 2023-24 revised, 2024-25 provisional."
                ),
            }
        ]
    )
    provisional = sorted({p for p, s in years.values() if s == "provisional"})
    revised = sorted({p for p, s in years.values() if s == "revised"})
    notes = (
        f"{DATA_FILE}: values counted one per authority and year ({len(frame)} rows x {len(years)} years).",
        f"Net additional dwellings: {len(values)} county-area values, {values['period'].nunique()} financial "
        f"years; provisional: {', '.join(provisional) or 'none'}; revised: {', '.join(revised) or 'none'}.",
        "No rate per 1,000 residents is derived: ONS's net additions per 1,000 dwellings is the rate of the "
        "same count for every year, while ONS population is held for 2019-20 to 2022-23 only.",
    )
    items = [("indicator", indicator, DATA_FILE), ("indicator_value", values, DATA_FILE)]
    return Loaded(items, {DATA_FILE: len(cells)}, skip_counts(DATA_FILE, reason), notes)


ADAPTER = Adapter(
    name="mhclg-housing",
    title="MHCLG Live Table 122: net additional dwellings, 2001-02 to 2024-25",
    folder=FOLDER,
    files=(DATA_FILE,),
    provenance=SOURCE,
    read=_read,
    scopes=(COUNTY_AREAS,),
    short_name="net additional dwellings",
    publisher="Ministry of Housing, Communities and Local Government (MHCLG)",
    series="net additional dwellings",
)
