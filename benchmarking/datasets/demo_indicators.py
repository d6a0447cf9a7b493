"""The demo's indicator catalogue: Leicestershire's printed dashboard rows mapped to the
Compendium's themes, outcomes, spend services and units, plus the demo's extra indicators."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

# Leicestershire's dashboards (as printed) mapped to the Compendium's benchmarking themes.
DASHBOARD_THEMES = {
    "Strong Economy - Growth & Investment": "Economy",
    "Strong Economy - Employment & Skills": "Economy",
    "Strong Economy - Housing": "Housing",
    "Improved Opportunities - Best Start in Life": "Health - Child",
    "Improved Opportunities: School & Academy Performance": "Education",
    "Strong Economy - Transport": "Transport & Highways",
    "Safe & Well - Hospital Discharge & Reablement": "Adult Social Care",
    "Safe & Well - Health & Care": "Adult Social Care",
    "Safe & Well - Public Health": "Health - Adult",
    "Safe & Well - Mental Health": "Health - Adult",
    "Improved Opportunities - Safeguarding Children & Families": "Children's Social Care",
    "Safe - Safer Communities": "Community Safety",
    "Safe - Police & Crime": "Community Safety",
    "Clean & Green - Environment & Waste": "Environment & Waste",
    "Great Communities": "Culture & Communities",
    "Enabling Services": "Corporate",
    "Fair Funding": "Corporate",
}
DASHBOARD_OUTCOMES = {
    "Strong Economy": "Strong Economy, Transport and Infrastructure",
    "Improved Opportunities": "Improved Opportunities",
    "Safe & Well": "Safe and Well",
    "Safe": "Safe and Well",
    "Clean & Green": "Clean and Green",
    "Great Communities": "Great Communities",
    "Enabling Services": "Enabling Services",
    "Fair Funding": "Enabling Services",
}
# Fair Funding rows that are spend or funding, not performance: description prefix -> service.
SPEND_ROWS = {
    "Net expenditure per head": "total",
    "Education - expenditure": "education",
    "Adult Social Care - expenditure": "adult social care",
    "Children's Social Care - expenditure": "children's social care",
    "Public Health - expenditure": "public health",
    "Highways & Transport - expenditure": "highways & transport",
    "Environment & Regulatory - expenditure": "environment & regulatory",
    "Culture - expenditure": "culture & leisure",
}
FUNDING_ROW = "Core Spending Power per head"
# Typical net spend per head by service in 2021/22 (£), the centre of the invented spread.
SERVICE_SPEND = {
    "adult social care": 330.0,
    "children's social care": 160.0,
    "education": 420.0,
    "public health": 55.0,
    "highways & transport": 65.0,
    "environment & regulatory": 55.0,
    "culture & leisure": 16.0,
}
# Invented indicators that round the basket out to about 240 (names are generic measures).
EXTRA_INDICATORS = [
    ("Economy", "Gross value added per head", "£", "high", 27000.0),
    ("Economy", "% of working-age population with NVQ4+", "%", "high", 40.0),
    ("Transport & Highways", "% of principal roads where maintenance should be considered", "%", "low", 3.0),
    ("Transport & Highways", "% of non-principal roads where maintenance should be considered", "%", "low", 6.0),
    (
        "Adult Social Care",
        "% of adult social care users who have as much social contact as they would like",
        "%",
        "high",
        45.0,
    ),
    ("Adult Social Care", "Carer-reported quality of life score", "score", "high", 7.5),
    ("Children's Social Care", "% of children in need with a repeat referral within 12 months", "%", "low", 22.0),
    ("Education", "% of pupils attending a good or outstanding secondary school", "%", "high", 78.0),
    ("Education", "% of 16-17 year olds not in education, employment or training", "%", "low", 5.0),
    ("Housing", "Net additional dwellings per 1,000 dwellings", "rate", "high", 9.0),
]

_NUMBER = re.compile(r"-?£?\s*-?[0-9][0-9,]*\.?[0-9]*")


def parse_printed_value(text: object) -> float | None:
    """Return the number in a printed dashboard cell (``£10.2m``, ``62.5%``, ``95 (2021)``), or None."""
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return None
    s = str(text).strip()
    m = _NUMBER.search(s)
    if not m:
        return None
    raw = m.group(0)
    negative = raw.startswith("-") or s.startswith("-")
    number = float(raw.replace("£", "").replace(",", "").replace("-", "").strip())
    rest = s[m.end() : m.end() + 2].lower()
    if rest.startswith("bn"):
        number *= 1000.0  # keep £m as the unit for money totals
    elif rest.startswith("k"):
        number *= 1000.0
    return -number if negative else number


def _unit(description: str, printed: object) -> str:
    s = f"{printed}"
    if "%" in s or description.strip().startswith("%"):
        return "%"
    if "£" in s:
        return "£m" if re.search(r"£[0-9.]+\s*(m|bn)", s) else "£"
    if "per 1" in description.lower() or "rate" in description.lower():
        return "rate"
    return "number"


def build_indicators(dashboard: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (indicator catalogue, Leicestershire's printed values) from the dashboard rows."""
    rows = dashboard[~dashboard["description"].str.startswith(tuple(SPEND_ROWS) + (FUNDING_ROW,))]
    rows = rows.reset_index(drop=True)
    polarity = rows["polarity"].fillna("N/A").str.lower().map({"high": "high", "low": "low"}).fillna("none")
    prefix = rows["dashboard"].str.split(r" - |: ", regex=True).str[0]
    catalogue = pd.DataFrame(
        {
            "id": [f"LCC{n:03d}" for n in range(1, len(rows) + 1)],
            "name": rows["description"].str.strip(),
            "theme": rows["dashboard"].map(DASHBOARD_THEMES),
            "outcome": prefix.map(DASHBOARD_OUTCOMES),
            "polarity": polarity,
            "target_midpoint": np.nan,
            "unit": [_unit(d, v) for d, v in zip(rows["description"], rows["value_2021_22"])],
            "source": "Leicestershire County Council Performance Compendium 2022 (indicator definition); "
            "values for other authorities invented",
            "description": rows["section"].fillna("").radd(rows["dashboard"] + " / ").str.rstrip(" /"),
        }
    )
    printed = pd.DataFrame(
        {
            "indicator_id": catalogue["id"],
            "value_2021_22": rows["value_2021_22"].map(parse_printed_value),
            "value_2020_21": rows["value_2020_21"].map(parse_printed_value),
            "target": rows["target"],
            "commentary": rows["commentary"],
            "strategic_plan": rows["strategic_plan"].astype(str).str.lower().eq("true"),
        }
    )
    extra = pd.DataFrame(EXTRA_INDICATORS, columns=["theme", "name", "unit", "polarity", "centre"])
    extra_catalogue = pd.DataFrame(
        {
            "id": [f"DEMO{n:03d}" for n in range(1, len(extra) + 1)],
            "name": extra["name"],
            "theme": extra["theme"],
            "outcome": None,
            "polarity": extra["polarity"],
            "target_midpoint": np.nan,
            "unit": extra["unit"],
            "source": "invented for the demo dataset",
            "description": "Invented demo indicator",
        }
    )
    extra_printed = pd.DataFrame(
        {
            "indicator_id": extra_catalogue["id"],
            "value_2021_22": extra["centre"],
            "value_2020_21": np.nan,
            "target": None,
            "commentary": None,
            "strategic_plan": False,
        }
    )
    return (
        pd.concat([catalogue, extra_catalogue], ignore_index=True),
        pd.concat([printed, extra_printed], ignore_index=True),
    )
