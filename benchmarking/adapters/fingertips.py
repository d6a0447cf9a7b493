"""Fingertips (PHOF) extracts: three public health indicators for the county areas.

Reads the four CSVs of ``fingertips/`` (``shared/data/PROVENANCE.md`` section 11): 2019-20
extracts made with ``fingertipsR::fingertips_data(ID, AreaTypeID = 102)`` by the Trafford
Council Data Lab, filtered to England and "County & UA" (the areas before April 2019: 27
county councils, 56 unitaries), plus Greater Manchester combined authority. Columns
``area_code, area_name, period, value, indicator, measure, unit, [group], significance``.

Loaded (ids fixed for the Compendium map; all **lower is better**):

* ``phof:92901-male``, ``phof:92901-female``: slope index of inequality in life
  expectancy at birth (years; Health - Adult), periods of three calendar years;
* ``phof:91096``: excess under-75 mortality in adults with serious mental illness
  (Health - Adult), financial years;
* ``phof:90813``: hospital admissions as a result of self-harm, ages 10-24 (per
  100,000, directly standardised; Health - Child), financial years.

**Not loaded**: healthy life expectancy at birth (90362). ONS Explore Local Statistics
carries the same measure on ONS's current method and a longer series (2011-13 to
2022-24; ``els:male-healthy-life-expectancy``), so this older-method copy is counted as
skipped, every row with one reason (``SAME_AS_ONS``), and never stored beside it.

Periods, as Fingertips writes them (``fingertips_period``): ``2010 - 12`` or ``2010-12``
is three calendar years, stored as ``2010-12`` (1 January 2010 to 31 December 2012);
``2011/12`` is a financial year, stored as ``2011-12`` (1 April 2011 to 31 March 2012).
Each measure has one period kind; a label of another kind is skipped with its reason.

Rows are matched to the county areas by ONS code at the period's midpoint
(``resolve_codes``; e.g. Dorset County Council E10000009 until March 2019). Districts,
metropolitan and London boroughs, England and Greater Manchester are skipped with their
reason. ``NA`` (no value published, e.g. Nottinghamshire's 2016/17 self-harm figure) is
skipped with its reason, never stored as a value. Fingertips' comparison with England
(``significance``: better / similar / worse, 95% confidence) is not stored, and the
extracts carry no confidence intervals; both are said in the descriptions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from benchmarking.method.membership import NOT_A_COUNTY_AREA, Loaded, resolve_codes, skip_counts

from . import invalid, read_published_csv
from .lookups import AREA_TOTAL, CodeLookups, unmatched_reason
from .source import COUNTY_AREAS, Adapter, SourceContext

FOLDER = "fingertips"
SLOPE_INDEX_FILE = "slope_index_of_inequality.csv"
SMI_MORTALITY_FILE = "mortality_serious_mental_illness.csv"
SELF_HARM_FILE = "admissions_self_harm_young_people.csv"
HEALTHY_LIFE_FILE = "healthy_life_expectancy_at_birth.csv"
THEME_SOURCE = "Fingertips"
"""The source of these measures' topics in ``data/public_theme_map.csv``."""
SOURCE = (
    "Office for Health Improvement and Disparities (formerly Public Health England), Fingertips "
    "public health profiles: indicators 92901, 91096 and 90813 for counties and unitary authorities "
    "(areas before April 2019), 2019-20 extracts by Trafford Council Data Lab (traffordDataLab/dashboard); "
    "OGL v3.0"
)
SAME_AS_ONS = "same measure as ONS ELS healthy life expectancy, kept there: current ONS method, 2011-13 to 2022-24"
NO_VALUE = "no value published (NA)"
GREATER_MANCHESTER = "not a county area: combined authority (Greater Manchester) total"

THREE_YEARS = "three calendar years"
FINANCIAL_YEAR = "financial year"
_COLUMNS = ("area_code", "area_name", "period", "value", "indicator")
_MISSING = {"NA", ""}
_THREE_YEARS = re.compile(r"^(\d{4})\s*-\s*(\d{2})$")
_FINANCIAL_YEAR = re.compile(r"^(\d{4})\s*/\s*(\d{2})$")


@dataclass(frozen=True)
class Measure:
    """One Fingertips indicator as this project stores it."""

    fingertips_id: int
    indicator: str
    """The ``indicator`` text the file carries (checked: another file is refused)."""
    topic: str
    """Its topic in ``data/public_theme_map.csv``."""
    name: str
    unit: str
    period_kind: str
    by_sex: bool
    description: str


MEASURES = {
    SLOPE_INDEX_FILE: Measure(
        92901,
        "Inequality in life expectancy at birth",
        "Inequality in life expectancy",
        "Inequality in life expectancy at birth (slope index of inequality)",
        "years",
        THREE_YEARS,
        True,
        "Fingertips 92901: the gap in life expectancy at birth, in years, between the most and the least "
        "deprived ends of the area's deprivation scale (slope index of inequality over deprivation deciles), "
        "deaths pooled over three calendar years. Lower is better: a smaller gap. Fingertips does not compare "
        "it with England; the extract carries no confidence interval.",
    ),
    SMI_MORTALITY_FILE: Measure(
        91096,
        "Excess under 75 mortality rate in adults with serious mental illness",
        "Excess mortality in serious mental illness",
        "Excess under-75 mortality in adults with serious mental illness",
        "%",
        FINANCIAL_YEAR,
        False,
        "Fingertips 91096: deaths under 75 of adults in contact with secondary mental health services, as a "
        "percentage of the deaths expected at the general population's rates (indirectly standardised ratio "
        "x 100: 370 means 3.7 times as many), by financial year. Lower is better. The extract carries no "
        "confidence interval.",
    ),
    SELF_HARM_FILE: Measure(
        90813,
        "Hospital admissions as a result of self-harm (10-24 years)",
        "Self-harm admissions, ages 10-24",
        "Hospital admissions as a result of self-harm, ages 10-24",
        "per 100,000 aged 10-24",
        FINANCIAL_YEAR,
        False,
        "Fingertips 90813: hospital admissions as a result of self-harm of young people aged 10-24, per "
        "100,000 of that age, directly age-standardised, by financial year. Lower is better. Fingertips "
        "compares each area with England (better, similar or worse at 95% confidence); that comparison and "
        "the confidence interval are not in the store.",
    ),
}
"""File -> the measure it holds (files with ``group`` Male/Female give one indicator per sex)."""


def fingertips_period(text: str, kind: str) -> str | None:
    """Return the store's label of a Fingertips period of ``kind``; None when it is not one.

    ``'2010 - 12'`` (three calendar years) -> ``'2010-12'``; ``'2011/12'`` (financial year) -> ``'2011-12'``.
    """
    pattern, years = (_THREE_YEARS, 2) if kind == THREE_YEARS else (_FINANCIAL_YEAR, 1)
    match = pattern.match(str(text).strip())
    if match is None:
        return None
    start = int(match.group(1))
    if (start + years) % 100 != int(match.group(2)):
        return None
    return f"{start}-{(start + years) % 100:02d}"


def indicator_id(measure: Measure, sex: str | None = None) -> str:
    """Return the store's indicator id: ``phof:92901-male``, ``phof:90813``."""
    return f"phof:{measure.fingertips_id}" + (f"-{sex.lower()}" if sex else "")


def fingertips_items(folder: Path | str, context: SourceContext) -> Loaded:
    """Return the indicators and values of the three loaded measures for the county areas,
    with rows read and skipped (by reason) for all four files."""
    folder = Path(folder)
    lookups = context.lookups or CodeLookups({})
    indicators, values, rows_read, skipped = [], [], {}, []
    for file_name, measure in MEASURES.items():
        columns = _COLUMNS + (("group",) if measure.by_sex else ())
        frame = read_published_csv(folder, file_name, columns)
        _require_indicator(frame, measure, file_name)
        rows_read[file_name] = len(frame)
        found, reason = _measure_values(frame, measure, context, lookups)
        values.append(found)
        skipped.append(skip_counts(file_name, reason))
        theme = context.theme(THEME_SOURCE, measure.topic)
        for sex in ("Male", "Female") if measure.by_sex else (None,):
            indicators.append(
                {
                    "id": indicator_id(measure, sex),
                    "name": measure.name + (f", {sex.lower()}" if sex else ""),
                    "theme": theme,
                    "polarity": "low",
                    "unit": measure.unit,
                    "source": SOURCE,
                    "is_core": theme in context.core_themes,
                    "description": measure.description,
                }
            )
    healthy_life = read_published_csv(folder, HEALTHY_LIFE_FILE, _COLUMNS)
    rows_read[HEALTHY_LIFE_FILE] = len(healthy_life)
    skipped.append(skip_counts(HEALTHY_LIFE_FILE, pd.Series([SAME_AS_ONS] * len(healthy_life), dtype=object)))
    items = [("indicator", pd.DataFrame(indicators), SLOPE_INDEX_FILE)]
    items += [("indicator_value", frame, file_name) for frame, file_name in zip(values, MEASURES)]
    notes = (
        "Healthy life expectancy at birth (Fingertips 90362) is not loaded: ONS Explore Local Statistics "
        "carries the same measure on the current method for 2011-13 to 2022-24.",
        "Fingertips periods: '2010-12' is three calendar years, '2011/12' a financial year (stored as '2011-12').",
    )
    return Loaded(items, rows_read, pd.concat(skipped, ignore_index=True), notes)


def _require_indicator(frame: pd.DataFrame, measure: Measure, file_name: str) -> None:
    found = set(frame["indicator"].str.strip())
    if found - {measure.indicator}:
        raise invalid(
            file_name,
            None,
            "indicator",
            f"expected only {measure.indicator!r} (Fingertips {measure.fingertips_id}), found {sorted(found)}",
        )


def _measure_values(
    frame: pd.DataFrame, measure: Measure, context: SourceContext, lookups: CodeLookups
) -> tuple[pd.DataFrame, pd.Series]:
    """Return (the county areas' value rows, each file row's skip reason or None)."""
    codes = frame["area_code"].str.strip()
    labels = frame["period"].map(lambda text: fingertips_period(text, measure.period_kind))
    resolved = resolve_codes(context.areas, codes, labels.fillna(frame["period"]), scheme="gss")
    reason = resolved["reason"].copy()
    outside = reason.eq(NOT_A_COUNTY_AREA).to_numpy()
    reason[outside] = unmatched_reason(codes[outside], "gss", lookups).to_numpy()
    reason[(outside & codes.str.startswith("E47")).to_numpy()] = GREATER_MANCHESTER
    reason[(outside & codes.str.startswith("E92")).to_numpy()] = AREA_TOTAL
    bad_period = (reason.isna() & labels.isna()).to_numpy()
    reason[bad_period] = [f"period {p!r} is not a {measure.period_kind}" for p in frame["period"][bad_period]]
    sex = frame["group"].str.strip() if measure.by_sex else pd.Series(None, index=frame.index, dtype=object)
    bad_sex = (reason.isna() & ~sex.isin(["Male", "Female"])).to_numpy() if measure.by_sex else None
    if bad_sex is not None:
        reason[bad_sex] = [f"group {g!r} is not Male or Female" for g in sex[bad_sex]]
    text = frame["value"].str.strip()
    number = pd.to_numeric(text, errors="coerce")
    reason[(reason.isna() & text.isin(_MISSING)).to_numpy()] = NO_VALUE
    not_number = (reason.isna() & number.isna()).to_numpy()
    reason[not_number] = [f"value {v!r} is not a number" for v in text[not_number]]
    keep = reason.isna().to_numpy()
    values = pd.DataFrame(
        {
            "indicator_id": [indicator_id(measure, s if measure.by_sex else None) for s in sex[keep]],
            "authority_code": resolved["authority_code"][keep].to_numpy(),
            "period": labels[keep].to_numpy(),
            "value": number[keep].astype(float).to_numpy(),
            "status": "final",
        }
    )
    return values, reason


ADAPTER = Adapter(
    name="fingertips",
    title="Fingertips public health indicators (PHOF)",
    folder=FOLDER,
    files=(SLOPE_INDEX_FILE, SMI_MORTALITY_FILE, SELF_HARM_FILE, HEALTHY_LIFE_FILE),
    provenance=SOURCE,
    read=fingertips_items,
    scopes=(COUNTY_AREAS,),
    short_name="Fingertips (PHOF)",
    publisher="Office for Health Improvement and Disparities (OHID)",
    series="Fingertips",
)
