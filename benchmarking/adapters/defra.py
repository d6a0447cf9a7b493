"""DEFRA local authority collected waste statistics: Table 3 indicators for the county areas.

Reads ``defra_waste/table3_selected_waste_indicators_2010-11_to_2022-23.csv`` (DEFRA,
"Local Authority Collected Waste Statistics - Local Authority data" 2022-23, sheet
``Table_3``; see ``shared/data/PROVENANCE.md`` section 6) and returns ``indicator`` and
``indicator_value`` items.

County councils appear as waste **disposal** authorities; their figures cover the waste
their districts collect. Rows are matched by ONS code through ``county_areas.csv`` at the
financial year's midpoint (DEFRA keeps Buckinghamshire Council under the old county code
E10000002 and Northumberland under E06000048 in some years: both are listed in the
county areas' ``other_codes``). Collection (district) and joint waste authority rows are
not county areas; ``-`` and ``:`` are missing values.

The four measures and their direction (DEFRA publishes none; these are the directions
of the former national indicators they continue):

* ``NI191`` residual household waste per household, kg: **lower** is better;
* ``NI192`` household waste sent for reuse, recycling or composting, share 0-1: **higher**;
* ``NI193`` municipal waste sent to landfill, share 0-1: **lower**;
* ``BVPI84a`` collected household waste per person, kg: **lower** (less waste arising).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from benchmarking.method.membership import NOT_A_COUNTY_AREA, Loaded, resolve_codes, skip_counts

from . import own_folder, read_published_csv
from .lookups import CodeLookups, unmatched_reason
from .source import Adapter, SourceContext

FOLDER = "defra_waste"
DATA_FILE = "table3_selected_waste_indicators_2010-11_to_2022-23.csv"
SOURCE_NAME = "DEFRA waste statistics"
SOURCE = (
    "Department for Environment, Food & Rural Affairs, Local Authority Collected Waste "
    "Statistics - Local Authority data 2022-23 (released 31 January 2024), Table 3 selected "
    "waste indicators 2010-11 to 2022-23; OGL v3.0"
)
THEME_SOURCE = "DEFRA"
THEME_TOPIC = "Local authority collected waste"
"""The (source, topic) of these measures in ``data/public_theme_map.csv``."""

MEASURES = {
    "NI191": (
        "Residual household waste per household (kg/household) (Ex NI191)",
        "Residual household waste per household",
        "low",
        "kg per household",
    ),
    "NI192": (
        "Percentage of household waste sent for reuse, recycling or composting (Ex NI192)",
        "Household waste sent for reuse, recycling or composting",
        "high",
        "share (0-1)",
    ),
    "NI193": (
        "Percentage of municipal waste sent to landfill (Ex NI193)",
        "Municipal waste sent to landfill",
        "low",
        "share (0-1)",
    ),
    "BVPI84a": (
        "Collected household waste per person (kg) (Ex BVPI 84a)",
        "Collected household waste per person",
        "low",
        "kg per person",
    ),
}
"""Indicator id -> (published column, name, polarity, unit)."""

_KEY_COLUMNS = ("Year", "ONS code", "Authority", "Authority type")
_MISSING = {"", "-", ":", ".."}


def waste_items(folder: Path | str, areas: pd.DataFrame, theme: str, is_core: bool, lookups: CodeLookups) -> Loaded:
    """Return ``indicator`` and ``indicator_value`` items for the county areas, with accounting.

    ``theme`` is the theme ``data/public_theme_map.csv`` gives DEFRA's waste measures.
    """
    columns = list(_KEY_COLUMNS) + [column for column, *_ in MEASURES.values()]
    frame = read_published_csv(own_folder(folder, FOLDER, DATA_FILE), DATA_FILE, columns)
    resolved = resolve_codes(areas, frame["ONS code"], frame["Year"], scheme="gss")
    reason = resolved["reason"].copy()
    total = frame["Authority type"].str.strip().eq("Total").to_numpy()
    outside = reason.eq(NOT_A_COUNTY_AREA).to_numpy()
    reason[outside] = unmatched_reason(frame.loc[outside, "ONS code"], "gss", lookups).to_numpy()
    reason[outside & total] = "not a county area: England, region or other area total"

    numbers = {}
    for indicator_id, (column, *_rest) in MEASURES.items():
        text = frame[column].str.strip()
        numbers[indicator_id] = pd.to_numeric(text, errors="coerce")
        not_number = (numbers[indicator_id].isna() & ~text.isin(_MISSING) & reason.isna()).to_numpy()
        reason[not_number] = [f"{indicator_id} value {v!r} is not a number" for v in text[not_number]]
    keep = reason.isna().to_numpy()
    values = pd.concat(
        [
            pd.DataFrame(
                {
                    "indicator_id": indicator_id,
                    "authority_code": resolved["authority_code"][keep].to_numpy(),
                    "period": frame.loc[keep, "Year"].str.strip().to_numpy(),
                    "value": number[keep].to_numpy(),
                }
            )
            for indicator_id, number in numbers.items()
        ],
        ignore_index=True,
    )
    indicators = pd.DataFrame(
        [
            {
                "id": indicator_id,
                "name": name,
                "theme": theme,
                "polarity": polarity,
                "unit": unit,
                "source": "DEFRA local authority collected waste statistics",
                "is_core": is_core,
                "description": f"DEFRA Table 3 column '{column}'; "
                f"{'lower' if polarity == 'low' else 'higher'} is better.",
            }
            for indicator_id, (column, name, polarity, unit) in MEASURES.items()
        ]
    )
    items = [("indicator", indicators, DATA_FILE), ("indicator_value", values, DATA_FILE)]
    return Loaded(items, {DATA_FILE: len(frame)}, skip_counts(DATA_FILE, reason))


def _read(folder: Path, context: SourceContext) -> Loaded:
    theme = context.theme(THEME_SOURCE, THEME_TOPIC)
    return waste_items(folder, context.areas, theme, theme in context.core_themes, context.lookups)


ADAPTER = Adapter(
    name="defra-waste",
    title="DEFRA local authority collected waste statistics (Table 3)",
    folder=FOLDER,
    files=(DATA_FILE,),
    provenance=SOURCE,
    read=_read,
    short_name="DEFRA",
    publisher="Department for Environment, Food & Rural Affairs (DEFRA)",
    series="waste statistics",
    dataset_name=SOURCE_NAME,
)
