"""DfE Local Authority Interactive Tool (LAIT): children's services and education indicators.

Reads the files of ``dfe_lait/`` as published by the Department for Education (see
``shared/data/PROVENANCE.md`` section 7) and returns import items for the county areas:

* ``indicator``: every LAIT measure with a value row for a county area. ``id`` = ``Short
  Desc`` (the dictionary's ``Measure_short``), ``name`` = ``Measure``, ``unit`` =
  ``y_axis_name``, ``description`` = ``Description`` and ``Year_Type``, ``source`` = DfE
  LAIT and the measure's data owner. Polarity from the dictionary's ``Polarity``: ``High``
  = higher is better, ``Low`` = lower is better; ``-``, ``NA`` and blank give ``none``
  (context, never ranked). The theme comes from the dictionary's ``Topic`` through
  ``data/public_theme_map.csv``. A measure listed under two topics (14 are, e.g. the
  absence of children in need under both "Children in Need" and "All Pupil Absence &
  Exclusions") takes its first listing.
* ``indicator_value``: ``Values`` per measure x LA x year. Rows are matched to county
  areas by DfE LA number through ``county_areas.csv`` at the period's midpoint, so 815
  is North Yorkshire County Council up to 2022-23 and North Yorkshire Council after
  (``membership``). ``-`` (not available or suppressed) is kept as a missing value.
* Period labels (``normalise_period``): every row's period follows its measure's
  ``Year_Type`` (checked on the reorganisations: Cumbria, DfE 909, has financial-year
  figures up to ``2023``, Cumberland, 942, from ``2024``). ``Financial Year``: ``2023`` is
  the year ending 31 March 2023, ``2022-23``. ``Academic Year``: ``2023`` (or ``2022-23``)
  is ``2022/23``, DfE's way; the period rules read it as April to March, the same
  reporting year as its true 1 August to 31 July, with its midpoint (October 2022) in
  the lifetime of the council that ran the first term, so summer 2023 results DfE
  publishes for Cumberland and Westmorland and Furness are skipped (before those
  councils existed), not credited to them or to Cumbria. ``Calendar Year``: as written
  (``2023``, or a span ``2014-16``). Counts at a date take its month, the nearest span
  the rules write for a day: ``Annual`` (the five counts at 31 March of children in
  need, on a plan, looked after) ``Mar 2023``; ``Annual - January`` (school census)
  ``Jan 2023``; ``Annual (end of Sept)`` (social work workforce, whose flows are for the
  year to 30 September, and the September Guarantee) ``Sep 2023``. A status marker
  becomes the value's status: ``(Rev)`` revised, ``(Final)`` and ``(OT)`` (outturn)
  final, ``(prov)`` provisional. Pooled financial years ``2013/14-15/16`` become
  ``2013/14-2015/16`` (``periods.pooled_years_label``: 1 April 2013 to 31 March 2016).
  Rows labelled ``0``, or of a measure whose year type is none of these, are skipped with the reason.

``statistical_neighbour_items`` turns the DfE statistical neighbour models (April 2021 and
May 2025) into ``comparator_group`` rows (``dfe-sn-2021``, ``dfe-sn-2025``): each county
area's listed neighbours that are county areas, with LA numbers resolved at the model's
date.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from benchmarking.method.membership import Loaded, resolve_codes, skip_counts
from benchmarking.method.periods import is_financial_year, pooled_years_label, split_status, status_of_marker

from . import invalid, own_folder, published_file, read_published_csv
from .lookups import CodeLookups, unmatched_reason
from .source import Adapter, SourceContext

FOLDER = "dfe_lait"
DATA_FILE = "bds_long_0.parquet"
DICTIONARY_FILE = "lait_data_dictionary.csv"
SOURCE_NAME = "DfE LAIT"
SOURCE = (
    "Department for Education, Local Authority Interactive Tool (LAIT) big data set and data "
    "dictionary, github.com/dfe-analytical-services/local-authority-interactive-tool "
    "(01_data/02_prod); OGL v3.0"
)
THEME_SOURCE = "DfE LAIT"
"""The ``source`` of LAIT topics in ``data/public_theme_map.csv``."""

YEAR_TYPES = {
    "financial year": "financial",
    "academic year": "academic",
    "calendar year": "calendar",
    "annual": "Mar",
    "annual - january": "Jan",
    "annual (end of sept)": "Sep",
}
"""LAIT ``Year_Type`` (lower-cased) -> how its bare years are read: a kind of year, or the
month of a count (``Mar``: at 31 March; ``Jan``: the January census; ``Sep``: at 30 September)."""

POLARITY = {"high": "high", "low": "low"}
"""LAIT ``Polarity`` (lower-cased) -> polarity; anything else (``-``, ``NA``, blank) is ``none``."""

_DATA_COLUMNS = ["Short Desc", "Years", "Values", "LA Number"]
_DICTIONARY_COLUMNS = (
    "Topic",
    "Measure",
    "Measure_short",
    "Polarity",
    "y_axis_name",
    "Description",
    "Data Owner (DO) /Supplier and Contact Details",
    "Year_Type",
)
_NOT_GIVEN = {"", "-", "na", "n/a", "none"}


# ---------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------


def normalise_period(label: str, year_type: str) -> tuple[str | None, str, str | None]:
    """Return (period label, status, reason) for a LAIT ``Years`` label of a measure with ``year_type``.

    ``('2022-23', 'revised', None)`` for ``2023 (Rev)`` of a financial-year measure;
    ``('2022/23', 'final', None)`` for ``2023`` of an academic-year one; ``('2013/14-2015/16',
    'final', None)`` for ``2013/14-15/16``; ``(None, 'final', reason)`` for a label that
    names no period or a year type LAIT does not use. The marker and span rules are
    ``periods``'; ``YEAR_TYPES`` says what a bare year means.
    """
    text, marker = split_status(label)
    status = "final"
    if marker is not None:
        status = status_of_marker(marker)
        if status is None:
            return None, "final", f"unknown status marker ({marker}) in period label {str(label).strip()!r}"
    kind = YEAR_TYPES.get(" ".join(str(year_type).split()).lower())
    if kind is None:
        return None, status, f"year type {year_type!r} is not one LAIT's dictionary uses"
    text = pooled_years_label(text) or text
    if text in ("", "0"):
        return None, status, f"period label {label!r} is not a period"
    return _period_of(text, kind), status, None


def lait_items(
    folder: Path | str,
    areas: pd.DataFrame,
    topic_themes: dict[str, str],
    core_themes: set[str],
    lookups: CodeLookups,
) -> Loaded:
    """Return the ``indicator`` and ``indicator_value`` items for the county areas, with accounting.

    ``folder`` holds ``dfe_lait/``; ``topic_themes`` maps LAIT topics to themes (from
    ``data/public_theme_map.csv``); an indicator is ``is_core`` when its theme is in
    ``core_themes``.
    """
    folder = own_folder(folder, FOLDER, DATA_FILE)
    dictionary = read_published_csv(folder, DICTIONARY_FILE, _DICTIONARY_COLUMNS)
    path = published_file(folder, DATA_FILE)
    schema = pq.read_schema(path)
    missing = [column for column in _DATA_COLUMNS if column not in schema.names]
    if missing:
        raise invalid(DATA_FILE, None, ", ".join(missing), f"missing column(s) {missing}; the file has {schema.names}")

    # One pass over the file, a batch at a time: count the rows of every LA number, keep
    # only the county areas' rows and the columns used (the file is large; memory stays low).
    county_numbers = pa.array(sorted({float(n) for n in areas["dfe_la_number"] if n}), pa.float64())
    counts: dict[float, int] = {}
    kept = []
    for batch in pq.ParquetFile(path).iter_batches(columns=_DATA_COLUMNS, batch_size=65_536):
        numbers = batch.column("LA Number")
        for item in pc.value_counts(numbers).to_pylist():
            counts[item["values"]] = counts.get(item["values"], 0) + item["counts"]
        kept.append(batch.filter(pc.is_in(numbers, value_set=county_numbers)))
    rows = pa.Table.from_batches(kept).to_pandas(strings_to_categorical=True)
    del kept
    other = pd.DataFrame(
        [(number, n) for number, n in counts.items() if number not in set(county_numbers.to_pylist())],
        columns=["number", "rows"],
    )
    other["reason"] = unmatched_reason(other["number"], "dfe", lookups).to_numpy()
    skipped = [other.groupby("reason", as_index=False)["rows"].sum().assign(file=DATA_FILE)]

    catalogue = _indicators(dictionary, topic_themes, core_themes)
    year_types = dictionary.drop_duplicates("Measure_short").set_index("Measure_short")["Year_Type"]
    period, status, reason = _periods(rows, year_types)
    in_dictionary = rows["Short Desc"].isin(catalogue["id"]).to_numpy()
    reason[~in_dictionary] = "measure has no row in " + DICTIONARY_FILE
    themed = rows["Short Desc"].map(catalogue.set_index("id")["theme"])
    no_theme = reason.isna() & themed.isna()
    reason[no_theme] = [
        f"topic of {m} has no theme in data/public_theme_map.csv" for m in rows.loc[no_theme, "Short Desc"]
    ]

    valid = reason.isna().to_numpy()
    resolved = resolve_codes(areas, rows.loc[valid, "LA Number"], period[valid], scheme="dfe")
    code = pd.Series(None, index=rows.index, dtype=object)
    code[valid] = resolved["authority_code"].to_numpy()
    reason[valid] = resolved["reason"].to_numpy()

    values_text = rows["Values"].fillna("").str.strip()
    value = pd.to_numeric(values_text, errors="coerce")
    not_number = value.isna() & ~values_text.isin(["-", ""]) & reason.isna()
    reason[not_number] = [f"value {v!r} is not a number" for v in values_text[not_number]]

    keep = reason.isna()
    values = pd.DataFrame(
        {
            "indicator_id": rows.loc[keep, "Short Desc"].to_numpy(),
            "authority_code": code[keep].to_numpy(),
            "period": period[keep].to_numpy(),
            "value": value[keep].to_numpy(),
            "status": status[keep].to_numpy(),
        }
    )
    duplicate = values.duplicated(["indicator_id", "authority_code", "period"], keep="first")
    if duplicate.any():
        index = keep[keep].index[duplicate.to_numpy()]
        reason[index] = "duplicate of an earlier row for the same measure, authority and period"
        values = values[~duplicate.to_numpy()]
    skipped.append(skip_counts(DATA_FILE, reason))

    used = catalogue[catalogue["id"].isin(set(values["indicator_id"]))].reset_index(drop=True)
    repeated = len(dictionary) - dictionary["Measure_short"].nunique()
    skipped.append(
        pd.DataFrame(
            {
                "file": [DICTIONARY_FILE, DICTIONARY_FILE],
                "reason": [
                    "measure listed again under a second topic (first listing kept)",
                    "measure without value rows for a county area",
                ],
                "rows": [repeated, len(catalogue) - len(used)],
            }
        )
    )
    items = [("indicator", used, DICTIONARY_FILE), ("indicator_value", values.reset_index(drop=True), DATA_FILE)]
    rows_read = {DATA_FILE: sum(counts.values()), DICTIONARY_FILE: len(dictionary)}
    skipped = pd.concat(skipped, ignore_index=True)
    notes = (_year_type_note(year_types[year_types.index.isin(set(used["id"]))]),)
    return Loaded(items, rows_read, skipped[skipped["rows"] > 0].reset_index(drop=True), notes)


# ---------------------------------------------------------------------------------------
# Private helpers
# ---------------------------------------------------------------------------------------


def _indicators(dictionary: pd.DataFrame, topic_themes: dict[str, str], core_themes: set[str]) -> pd.DataFrame:
    """Return one indicator row per measure (first listing), themed through the topic map."""
    first = dictionary.drop_duplicates("Measure_short", keep="first")
    polarity = first["Polarity"].str.strip().str.lower().map(POLARITY).fillna("none")
    theme = first["Topic"].str.strip().map(topic_themes)
    owner = first["Data Owner (DO) /Supplier and Contact Details"].map(_given)
    description = [
        " ".join(part for part in (_given(text), _year_type_text(year_type)) if part) or None
        for text, year_type in zip(first["Description"], first["Year_Type"])
    ]
    return pd.DataFrame(
        {
            "id": first["Measure_short"].to_numpy(),
            "name": first["Measure"].str.strip().to_numpy(),
            "theme": theme.to_numpy(),
            "polarity": polarity.to_numpy(),
            "unit": first["y_axis_name"].map(_given).to_numpy(),
            "source": [f"DfE LAIT (data: {o})" if o else "DfE LAIT" for o in owner],
            "is_core": theme.isin(core_themes).to_numpy(),
            "description": description,
        }
    )


def _period_of(text: str, kind: str) -> str:
    """Return the period label of a LAIT year label (no marker) for a year-type ``kind``."""
    if re.fullmatch(r"\d{4}", text):
        year = int(text)
        if kind == "financial":
            return f"{year - 1}-{year % 100:02d}"
        if kind == "academic":
            return f"{year - 1}/{year % 100:02d}"
        return text if kind == "calendar" else f"{kind} {year}"
    if kind in ("financial", "academic") and is_financial_year(text):
        first = int(text[:4])
        return f"{first}{'-' if kind == 'financial' else '/'}{(first + 1) % 100:02d}"
    return text


def _periods(rows: pd.DataFrame, year_types: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Return (period, status, reason) per row, each label read by its measure's year type
    (``year_types``: ``Measure_short`` -> ``Year_Type``; a measure it lacks gets neither)."""
    pairs = rows[["Short Desc", "Years"]].drop_duplicates().astype(str)
    read = [
        normalise_period(label, kind) if isinstance(kind, str) else (None, "final", None)
        for label, kind in zip(pairs["Years"], pairs["Short Desc"].map(year_types))
    ]
    pairs["period"], pairs["status"], pairs["reason"] = zip(*read) if read else ((), (), ())
    merged = rows[["Short Desc", "Years"]].astype(str).merge(pairs, on=["Short Desc", "Years"], how="left")
    merged.index = rows.index
    period, status, reason = (merged[column].astype(object) for column in ("period", "status", "reason"))
    return period, status, reason.where(reason.notna(), None)


def _as_stored(year_type) -> str | None:
    """Return the period LAIT's '2023' becomes for a year type (None for a type LAIT does not use)."""
    kind = YEAR_TYPES.get(" ".join(str(year_type).split()).lower())
    return None if kind is None else _period_of("2023", kind)


def _year_type_note(year_types: pd.Series) -> str:
    """Return the sentence that says how many measures of each year type were read, and how."""
    counts = year_types.map(lambda text: " ".join(str(text).split())).value_counts()
    parts = [f"{n} {kind} ('2023' read as {_as_stored(kind)})" for kind, n in counts.items()]
    return "LAIT's year labels follow each measure's Year_Type in the dictionary: " + "; ".join(parts) + "."


def _given(text) -> str | None:
    """Return stripped text, or None for the dictionary's blanks ('', '-', 'NA')."""
    if not isinstance(text, str) or text.strip().lower() in _NOT_GIVEN:
        return None
    return " ".join(text.split())


def _year_type_text(year_type) -> str | None:
    """Return 'Year type: X (LAIT's 2023 is stored as Y).', or None when the dictionary gives none."""
    given, stored = _given(year_type), _as_stored(year_type)
    if given is None:
        return None
    return f"Year type: {given}" + (f" (LAIT's 2023 is stored as {stored})." if stored else ".")


# ---------------------------------------------------------------------------------------
# The adapters: LAIT indicators, and the DfE statistical neighbour models
# ---------------------------------------------------------------------------------------


def _read(folder: Path, context: SourceContext) -> Loaded:
    return lait_items(folder, context.areas, context.themes(THEME_SOURCE), set(context.core_themes), context.lookups)


ADAPTER = Adapter(
    name="dfe-lait",
    title="DfE Local Authority Interactive Tool: children's services and education indicators",
    folder=FOLDER,
    files=(DATA_FILE, DICTIONARY_FILE),
    provenance=SOURCE,
    read=_read,
    short_name="DfE LAIT",
    publisher="Department for Education (DfE)",
    series="LAIT",
    dataset_name=SOURCE_NAME,
)
