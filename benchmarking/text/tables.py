"""Tables for people: column headers in words, blanks for missing cells, sensible rounding,
and the short glossary of abbreviations the pages spell out (CLA, CIN, EHCP, FSM, GLD, ...).

The package's tables keep their machine column names (``authority_code``, ``n_ranked``) for
CSV exports and tests; a page shows them through ``people_table``.
"""

from __future__ import annotations

import re

import pandas as pd

COLUMN_WORDS = {
    "authority_code": "Code",
    "code": "Code",
    "name": "Authority",
    "authority": "Authority",
    "kind": "Type",
    "in_group": "In the group",
    "is_focus": "Focus",
    "theme": "Theme",
    "period": "Period",
    "period_start": "Period starts",
    "indicator_id": "Indicator code",
    "indicator": "Indicator",
    "value": "Value",
    "unit": "Unit",
    "rank": "Rank",
    "n_ranked": "Of (ranked)",
    "n": "Authorities",
    "n_positioned": "Of (with a position)",
    "n_indicators": "Indicators ranked",
    "n_available": "Indicators in the theme",
    "position": "Position (1 = best)",
    "performance_position": "Performance position (1 = best)",
    "context_rank": "Comparator rank",
    "context_value": "Comparator value",
    "context_text": "Comparator figure",
    "quadrant": "Quadrant",
    "quartile": "Quartile (1 = top)",
    "mean_rank": "Average rank",
    "average_rank": "Average rank",
    "group_mean_rank": "Group mean rank",
    "contribution": "Contribution",
    "source_period": "Published for",
    "years_older": "Years older",
    "status": "Status",
    "median": "Group median",
    "lower_quartile": "Lower quartile",
    "upper_quartile": "Upper quartile",
    "focus_value": "Focus value",
    "core_spending_power_per_head": "Core spending power per head (£)",
    "core_spending_power": "Core spending power (£)",
    "net_expenditure_per_head": "Net expenditure per head (£)",
    "spend_per_head": "Spend per head (£)",
    "population": "Population",
    "population_latest_estimate": "Population (latest estimate held; the per-head figures use their year's own)",
    "basis": "Basis",
    "neighbour_rank": "Neighbour rank",
    "member_code": "Code",
    "member_name": "Authority",
    "distance": "Distance",
    "p_value": "p-value",
    "z": "z-score",
    "added_by": "Added by",
    "added_at": "Added",
    "group_label": "Comparator group",
    "group_size": "Authorities",
    "lower": "Lower bound",
    "upper": "Upper bound",
    "direction": "Direction",
    "change": "Change",
    "previous_value": "Previous value",
    "previous_period": "Previous period",
    "weight": "Weight",
    "share": "Share",
}
"""Machine column name -> header in words; other names are written out by ``column_words``."""

ABBREVIATIONS = {
    "CLA": "children looked after",
    "CIN": "children in need",
    "EHCP": "education, health and care plan",
    "FSM": "free school meals",
    "GLD": "good level of development (at the end of Reception)",
    "SEN": "special educational needs",
    "SEND": "special educational needs and disabilities",
    "NEET": "not in education, employment or training",
    "KS2": "Key Stage 2 (end of primary school)",
    "KS4": "Key Stage 4 (GCSEs)",
    "IMD": "Index of Multiple Deprivation",
    "LA": "local authority",
    "NRE": "net revenue expenditure",
    "CSP": "core spending power",
    "ASC": "adult social care",
    "DToC": "delayed transfers of care",
    "RWM": "reading, writing and maths",
    "S251": "section 251 budget and outturn returns",
    "CPP": "child protection plan",
    "CP": "child protection",
    "EHC": "education, health and care",
    "FTE": "full-time equivalent",
    "TA": "temporary accommodation",
    "APS": "average point score",
    "EET": "in education, employment or training",
    "FE": "further education",
    "HE": "higher education",
    "ASQ": "Ages and Stages Questionnaire",
    "CERA": "capital expenditure charged to the revenue account",
    "ASCOF": "Adult Social Care Outcomes Framework",
    "BCF": "Better Care Fund",
    "NVQ": "National Vocational Qualification",
    "CAMHS": "child and adolescent mental health services",
    "CSE": "child sexual exploitation",
    "SDQ": "Strengths and Difficulties Questionnaire",
    "ASB": "anti-social behaviour",
    "MARAC": "multi-agency risk assessment conference",
    "RIDDOR": "Reporting of Injuries, Diseases and Dangerous Occurrences Regulations",
    "GVA": "gross value added",
    "JSA": "Jobseeker's Allowance",
    "UC": "Universal Credit",
    "KSI": "killed or seriously injured",
    "GHG": "greenhouse gas",
    "CVD": "cardiovascular disease",
    "ULEV": "ultra-low emission vehicle",
    "NHT": "National Highways and Transport public satisfaction survey",
}
"""Abbreviations in indicator names and page text, spelled out (the one glossary the pages use)."""

_MACHINE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$|^[a-z]+$")


def column_words(name: object) -> str:
    """Return a column header in words: the glossary's, else the name with spaces and a capital."""
    text = str(name)
    if text in COLUMN_WORDS:
        return COLUMN_WORDS[text]
    if not _MACHINE.match(text):
        return text  # already written for people
    words = text.replace("_", " ")
    return words[:1].upper() + words[1:]


def rounded(value: float) -> float:
    """Return a figure rounded for reading: whole numbers from 1,000, else two decimals."""
    return round(value) if abs(value) >= 1000 else round(value, 2)


def figure_text(value) -> str:
    """Return a number as people read it: thousands separators, two decimals at most, blank when missing."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}"
    return f"{rounded(float(value)):,}"


def _column_for_people(column: pd.Series) -> pd.Series:
    """Return one column ready to show: numbers rounded (as text when some are missing), blanks for missing."""
    if pd.api.types.is_bool_dtype(column):
        return column.map({True: "yes", False: "no"})
    if pd.api.types.is_numeric_dtype(column):
        if column.isna().any():
            return column.map(figure_text)
        if pd.api.types.is_float_dtype(column) and (column.dropna() % 1 == 0).all():
            return column.astype("int64")
        return column.map(rounded) if pd.api.types.is_float_dtype(column) else column
    if pd.api.types.is_datetime64_any_dtype(column):
        return column.dt.strftime("%d %b %Y %H:%M").fillna("")
    return column.map(lambda v: "" if v is None or (isinstance(v, float) and v != v) or v is pd.NA else v)


def people_table(frame: pd.DataFrame, words: dict[str, str] | None = None) -> pd.DataFrame:
    """Return a copy of ``frame`` to show people: headers in words (``words`` first, then the glossary),
    missing cells blank, figures rounded (10.09, not 10.087), a period by its label alone (``period_start`` left
    out beside ``period``); thousands separators are the page's format."""
    frame = by_label(frame)
    shown = pd.DataFrame({column: _column_for_people(frame[column]) for column in frame.columns}, index=frame.index)
    return shown.set_axis(_headers(frame, words), axis=1).reset_index(drop=True)


def download_table(frame: pd.DataFrame, words: dict[str, str] | None = None) -> pd.DataFrame:
    """Return a copy of ``frame`` for a CSV download: the headers ``people_table`` gives, a period by its label
    alone, numbers as numbers (the download writes them as published: ``pages._charts.csv_bytes``)."""
    frame = by_label(frame)
    return frame.set_axis(_headers(frame, words), axis=1).reset_index(drop=True)


def by_label(frame: pd.DataFrame) -> pd.DataFrame:
    """Return the columns of ``frame`` people are shown: without ``period_start`` when it has ``period`` (the label
    says the period; the date adds only "01 Apr 2001 00:00")."""
    return frame.drop(columns="period_start") if {"period", "period_start"} <= set(frame.columns) else frame


def _headers(frame: pd.DataFrame, words: dict[str, str] | None) -> list[str]:
    """Return ``frame``'s headers in words (``words`` first, then ``column_words``), repeats numbered."""
    return _unique([(words or {}).get(str(c)) or column_words(c) for c in frame.columns])


def _unique(names: list[str]) -> list[str]:
    """Return the headers with repeats numbered (two machine names can share words, e.g. code and authority_code)."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


def glossary_line(texts) -> str:
    """Return "CLA: children looked after; FSM: free school meals" for the abbreviations in ``texts`` ("" if none)."""
    found: dict[str, str] = {}
    for text in texts:
        found |= abbreviations_in(str(text))
    return "; ".join(f"{a}: {w}" for a, w in ABBREVIATIONS.items() if a in found)


def spelled_out(abbreviation: str) -> str:
    """Return "CLA (children looked after)" for a known abbreviation, else the abbreviation unchanged."""
    words = ABBREVIATIONS.get(abbreviation)
    return f"{abbreviation} ({words})" if words else abbreviation


def abbreviations_in(text: str) -> dict[str, str]:
    """Return the glossary's abbreviations that appear as whole words (or plurals: EHCPs) in ``text``,
    with their meanings, in the glossary's order."""
    return {
        a: w for a, w in ABBREVIATIONS.items() if re.search(rf"(?<![A-Za-z0-9]){re.escape(a)}s?(?![A-Za-z0-9])", text)
    }
