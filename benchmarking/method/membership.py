"""Which county area a published row belongs to, period by period.

The comparator set is the English county areas listed in ``data/county_areas.csv``: the
county councils and the county unitaries, each with its ONS (GSS) code, kind, start and
end dates, predecessors and successors, DfE three-digit LA number and MHCLG E-code (see
``data/README.md``). Authorities come and go with the reorganisations (Northamptonshire
split in 2021; Cumbria, North Yorkshire and Somerset left the county councils in 2023), so
the group is different from one period to the next.

The membership rule
-------------------
* An authority belongs to a period's group when it **existed at the period's midpoint**
  (``period_midpoint``: half-way between the period's first and last day). Lifetimes of
  a predecessor and its successors do not overlap, so each area is counted once in every
  period: ``2022-23`` (midpoint October 2022) has Cumbria, ``2023-24`` and the calendar
  year ``2023`` (midpoint July 2023) have Cumberland and Westmorland and Furness.
* A published row is matched to the authority whose code it carries **and** that existed
  at the row's period midpoint. Publishers that keep one code across a reorganisation
  (the DfE number 815 is North Yorkshire County Council until March 2023 and North
  Yorkshire Council after) are split into the two authorities by date; a successor is
  never given its predecessor's history.
* A row whose code names a county area that did not exist at the period's midpoint is
  not loaded; its reason says whose lifetime it falls outside (``resolve_codes``).

Pure functions over DataFrames, plus ``load_county_areas`` and ``load_code_lookups``,
which read the documented lookup files.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from benchmarking.domain import COMPARATOR_KINDS
from benchmarking.errors import BadPeriodError, BenchmarkingError
from benchmarking.method.periods import period_start
from benchmarking.paths import PROJECT_ROOT

COUNTY_AREAS_FILE = PROJECT_ROOT / "data" / "county_areas.csv"
SCHEMES = {"gss": "code", "dfe": "dfe_la_number", "ecode": "e_code"}
"""Code schemes a publisher may use -> the column of ``county_areas.csv`` that holds them:
ONS GSS codes (``E10000018``), DfE three-digit LA numbers (``855``), MHCLG E-codes (``E2421``)."""

NOT_A_COUNTY_AREA = "not a county area"
_AREA_COLUMNS = (
    "code",
    "name",
    "kind",
    "region",
    "start_date",
    "end_date",
    "predecessors",
    "successors",
    "successors_cover_area",
    "dfe_la_number",
    "e_code",
    "other_codes",
)


class CountyAreasError(BenchmarkingError):
    """``county_areas.csv`` breaks one of its own rules (dates, kinds, overlapping codes)."""


class Loaded(NamedTuple):
    """What an adapter made of a source: import items, rows read per file, rows skipped.

    ``skipped`` has columns ``file``, ``reason``, ``rows``; for every file,
    rows read = rows used + rows skipped.
    """

    items: list[tuple[str, pd.DataFrame, str]]
    rows_read: dict[str, int]
    skipped: pd.DataFrame


# ---------------------------------------------------------------------------------------
# The county areas
# ---------------------------------------------------------------------------------------


def load_county_areas(path: Path | str | None = None) -> pd.DataFrame:
    """Return ``county_areas.csv`` with ``start_date``/``end_date`` as dates (end NaT = still exists).

    Raises CountyAreasError naming the row when a kind, date or code breaks the rules:
    kinds are ``COMPARATOR_KINDS``, every authority starts before it ends, and no code of
    any scheme belongs to two authorities whose lifetimes overlap.
    """
    path = Path(path) if path is not None else COUNTY_AREAS_FILE
    if not path.is_file():
        raise CountyAreasError(f"the county areas list {path} is missing; it ships in data/")
    areas = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [column for column in _AREA_COLUMNS if column not in areas.columns]
    if missing:
        raise CountyAreasError(f"{path.name} lacks column(s) {missing}; it has {list(areas.columns)}")
    areas = areas.apply(lambda column: column.str.strip())
    bad_kind = ~areas["kind"].isin(COMPARATOR_KINDS)
    if bad_kind.any():
        row = int(np.flatnonzero(bad_kind)[0])
        raise CountyAreasError(
            f"{path.name}, row {row + 2}: kind {areas['kind'].iloc[row]!r}; use one of {', '.join(COMPARATOR_KINDS)}"
        )
    for column in ("start_date", "end_date"):
        parsed = pd.to_datetime(areas[column].replace("", None), format="%Y-%m-%d", errors="coerce")
        bad = parsed.isna() & areas[column].ne("")
        if column == "start_date":
            bad |= areas[column].eq("")
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise CountyAreasError(
                f"{path.name}, row {row + 2}, column {column!r}: expected a date YYYY-MM-DD, "
                f"got {areas[column].iloc[row]!r}"
            )
        areas[column] = parsed
    reversed_life = areas["end_date"].notna() & (areas["end_date"] < areas["start_date"])
    if reversed_life.any():
        row = int(np.flatnonzero(reversed_life)[0])
        raise CountyAreasError(f"{path.name}, row {row + 2}: end_date is before start_date")
    if areas["code"].duplicated().any():
        raise CountyAreasError(
            f"{path.name}: code(s) {sorted(areas.loc[areas['code'].duplicated(), 'code'])} listed twice"
        )
    areas["successors_cover_area"] = areas["successors_cover_area"].str.lower().eq("true")
    for scheme in SCHEMES:
        _check_no_overlap(code_table(areas, scheme), scheme, path.name)
    return areas.reset_index(drop=True)


def code_table(areas: pd.DataFrame, scheme: str) -> pd.DataFrame:
    """Return (source_code, authority_code, name, start_date, end_date) for one code scheme.

    For ``gss`` an authority answers to its own code and to its ``other_codes`` (codes a
    publisher still uses for it, ';'-separated); for ``dfe`` and ``ecode`` to its number.
    """
    if scheme not in SCHEMES:
        raise ValueError(f"scheme must be one of {list(SCHEMES)}, got {scheme!r}")
    base = areas[["code", "name", "start_date", "end_date"]].rename(columns={"code": "authority_code"})
    own = base.assign(source_code=areas[SCHEMES[scheme]])
    frames = [own]
    if scheme == "gss":
        other = base.assign(source_code=areas["other_codes"].str.split(";")).explode("source_code")
        frames.append(other)
    table = pd.concat(frames, ignore_index=True)
    table["source_code"] = table["source_code"].fillna("").str.strip()
    table = table[table["source_code"].ne("")]
    return table[["source_code", "authority_code", "name", "start_date", "end_date"]].reset_index(drop=True)


def _check_no_overlap(table: pd.DataFrame, scheme: str, file_name: str) -> None:
    ordered = table.sort_values(["source_code", "start_date"]).reset_index(drop=True)
    same_code = ordered["source_code"].eq(ordered["source_code"].shift())
    previous_end = ordered["end_date"].shift().fillna(pd.Timestamp("2200-01-01"))
    overlap = same_code & (ordered["start_date"] <= previous_end)
    if overlap.any():
        row = int(np.flatnonzero(overlap)[0])
        names = ordered.loc[ordered["source_code"] == ordered.loc[row, "source_code"], "name"]
        raise CountyAreasError(
            f"{file_name}: {scheme} code {ordered.loc[row, 'source_code']} belongs to "
            f"{', '.join(names)} at the same time; their lifetimes must not overlap"
        )


# ---------------------------------------------------------------------------------------
# Periods as spans of time
# ---------------------------------------------------------------------------------------

_STATUS_SUFFIX = re.compile(r"\s*\([^)]*\)\s*$")
_YEAR_SPAN = re.compile(r"^(\d{4})\s*[/-]\s*(\d{2}|\d{4})$")
_QUARTER = re.compile(r"^q([1-4])\s+\d{4}\s*[/-]\s*(?:\d{2}|\d{4})$", re.I)
_MONTH_YEAR = re.compile(r"^[a-z]{3}[a-z]*\.?\s+\d{4}$", re.I)
_YEAR = re.compile(r"^\d{4}$")


def period_span(label: str) -> tuple[dt.date, dt.date]:
    """Return the first and last day of the period a label names (BadPeriodError if unreadable).

    ``2022-23`` and ``2022/23``: 1 April 2022 to 31 March 2023; ``2014-16``: 1 January 2014
    to 31 December 2016; ``2023``: the calendar year; ``Jun 2021``: that month; a quarter
    ``Q1 2022-23``: three months. The start is ``periods.period_start``'s.
    """
    start = period_start(label)
    text = _STATUS_SUFFIX.sub("", str(label).strip())
    if m := _YEAR_SPAN.match(text):
        first, suffix = int(m.group(1)), m.group(2)
        last = int(suffix) if len(suffix) == 4 else (first // 100) * 100 + int(suffix)
        if last < first:
            last += 100
        end = dt.date(first + 1, 3, 31) if last == first + 1 else dt.date(last, 12, 31)
    elif _QUARTER.match(text):
        end = _add_months(start, 3) - dt.timedelta(days=1)
    elif _MONTH_YEAR.match(text):
        end = dt.date(start.year, start.month, calendar.monthrange(start.year, start.month)[1])
    elif _YEAR.match(text):
        end = dt.date(start.year, 12, 31)
    else:  # an ISO date names one day
        end = start
    return start, end


def period_midpoint(label: str) -> dt.date:
    """Return the middle day of the period (``2022-23`` -> 30 Sep 2022, ``2023`` -> 2 Jul 2023)."""
    start, end = period_span(label)
    return start + (end - start) / 2


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    return dt.date(day.year + month // 12, month % 12 + 1, 1)


# ---------------------------------------------------------------------------------------
# Membership
# ---------------------------------------------------------------------------------------


def alive_on(areas: pd.DataFrame, when: dt.date | pd.Timestamp) -> pd.Series:
    """Return a boolean Series (aligned with ``areas``): which authorities existed on ``when``."""
    when = pd.Timestamp(when)
    return (areas["start_date"] <= when) & (areas["end_date"].isna() | (when <= areas["end_date"]))


def members_on(areas: pd.DataFrame, when: dt.date | pd.Timestamp) -> list[str]:
    """Return the codes of the county areas that existed on ``when``, in file order."""
    return list(areas.loc[alive_on(areas, when), "code"])


def members_for_period(areas: pd.DataFrame, label: str) -> list[str]:
    """Return the codes of the county areas in a period's group: those alive at its midpoint."""
    return members_on(areas, period_midpoint(label))


def lifetime_mask(areas: pd.DataFrame, authority_codes: pd.Series, periods: pd.Series) -> np.ndarray:
    """Return True for each (authority code, period label) pair where the authority existed
    at the period's midpoint; codes that are not county areas give False."""
    frame = pd.DataFrame(
        {"code": np.asarray(authority_codes, dtype=object), "period": np.asarray(periods, dtype=object)}
    )
    pairs = frame.drop_duplicates().merge(areas[["code", "start_date", "end_date"]], on="code", how="left")
    pairs["mid"] = pd.to_datetime(pairs["period"].map(_midpoint_or_none))
    pairs["alive"] = (
        (pairs["start_date"] <= pairs["mid"]) & (pairs["end_date"].isna() | (pairs["mid"] <= pairs["end_date"]))
    ).fillna(False)
    merged = frame.merge(pairs[["code", "period", "alive"]], on=["code", "period"], how="left")
    return merged["alive"].fillna(False).to_numpy(dtype=bool)


def resolve_codes(
    areas: pd.DataFrame,
    codes: Iterable,
    periods: Iterable | str | dt.date,
    scheme: str = "gss",
) -> pd.DataFrame:
    """Return, for each published row, the county area it belongs to or why it has none.

    ``codes`` are the row's codes in ``scheme`` (``gss``, ``dfe`` or ``ecode``; DfE numbers
    may come as floats such as ``855.0``); ``periods`` are period labels per row, or one
    label or date for every row (a comparator model's date). Columns, aligned with the
    input rows: ``authority_code`` (None when unmatched) and ``reason`` (None when
    matched; ``NOT_A_COUNTY_AREA``, or which lifetime the period falls outside, or why
    the period label cannot be read).
    """
    codes = pd.Series(list(codes), dtype=object).map(_code_text)
    if isinstance(periods, (str, dt.date)):
        periods = pd.Series([periods] * len(codes), dtype=object)
    else:
        periods = pd.Series(list(periods), dtype=object)
    if len(periods) != len(codes):
        raise ValueError(f"got {len(codes)} codes but {len(periods)} periods")
    rows = pd.DataFrame({"source_code": codes, "period": periods})
    keys = rows.drop_duplicates().reset_index(drop=True)
    keys["mid"] = pd.to_datetime(keys["period"].map(_midpoint_or_none))
    table = code_table(areas, scheme)
    candidates = keys.merge(table, on="source_code", how="left")
    alive = (candidates["start_date"] <= candidates["mid"]) & (
        candidates["end_date"].isna() | (candidates["mid"] <= candidates["end_date"])
    )
    chosen = candidates[alive.fillna(False)]
    clash = chosen.duplicated(["source_code", "period"], keep=False)
    if clash.any():
        first = chosen[clash].iloc[0]
        raise CountyAreasError(
            f"{scheme} code {first['source_code']} matches more than one county area in "
            f"{first['period']}; fix the lifetimes in county_areas.csv"
        )
    keys = keys.merge(chosen[["source_code", "period", "authority_code"]], on=["source_code", "period"], how="left")
    keys["reason"] = None
    unmatched = keys["authority_code"].isna()
    no_candidate = ~keys["source_code"].isin(set(table["source_code"]))
    keys.loc[unmatched & no_candidate, "reason"] = NOT_A_COUNTY_AREA
    bad_period = unmatched & keys["mid"].isna() & ~no_candidate
    keys.loc[bad_period, "reason"] = [f"period label {p!r} is not a period" for p in keys.loc[bad_period, "period"]]
    outside = unmatched & ~no_candidate & ~bad_period
    if outside.any():
        first_candidate = candidates.drop_duplicates(["source_code", "period"]).set_index(["source_code", "period"])
        keys.loc[outside, "reason"] = [
            _lifetime_reason(first_candidate.loc[(code, period)], mid)
            for code, period, mid in keys.loc[outside, ["source_code", "period", "mid"]].itertuples(index=False)
        ]
    result = rows.merge(
        keys[["source_code", "period", "authority_code", "reason"]], on=["source_code", "period"], how="left"
    )
    result = result[["authority_code", "reason"]]
    return result.astype(object).where(result.notna(), None)


def _midpoint_or_none(period) -> dt.date | None:
    if isinstance(period, dt.date):
        return period
    try:
        return period_midpoint(str(period))
    except BadPeriodError:
        return None


def _code_text(code) -> str:
    """Return a code as text: DfE numbers stored as floats (855.0) become '855'."""
    if code is None or (isinstance(code, float) and np.isnan(code)):
        return ""
    if isinstance(code, (float, np.floating)) and float(code).is_integer():
        return str(int(code))
    return str(code).strip()


def _lifetime_reason(candidate: pd.Series, mid: pd.Timestamp) -> str:
    name, code = candidate["name"], candidate["authority_code"]
    if mid < candidate["start_date"]:
        return f"before {name} ({code}) existed (from {candidate['start_date']:%Y-%m-%d})"
    return f"after {name} ({code}) ceased ({candidate['end_date']:%Y-%m-%d})"


# ---------------------------------------------------------------------------------------
# Rows that match no county area: what they are, from the shared lookups
# ---------------------------------------------------------------------------------------

OTHER_AUTHORITY = "not a county area: another local authority"
AREA_TOTAL = "not a county area: England, region or other area total"
UNKNOWN_CODE = "code not in any lookup"

_TOTAL_GSS_PREFIXES = ("E92", "E12", "E11", "E13", "K02", "K03", "K04", "W92", "S92", "N92")
"""GSS entity prefixes of countries, regions, metropolitan counties and Inner/Outer London."""
_FIRST_DFE_TOTAL = 970
"""DfE numbers from 970 up are England and the regions in DfE tables."""


@dataclass(frozen=True)
class CodeLookups:
    """Authority codes the shared lookups know, per scheme (to tell 'another council' from 'unknown')."""

    codes: dict[str, frozenset[str]]


def load_code_lookups(folder: Path | str) -> CodeLookups:
    """Return the codes known to the published lookups in ``folder`` (the ``lookups/`` folder).

    GSS codes and E-codes from mySociety's authority list (current and former codes),
    GSS codes and DfE numbers from DfE's ``dfe_las.csv`` and ``dfe_english_la_name_codes.csv``.
    """
    from benchmarking.adapters import read_published_csv  # adapters import this module: import late

    folder = Path(folder)
    mysociety = read_published_csv(
        folder, "mysociety_uk_local_authorities.csv", ("gss-code", "former-gss-codes", "ecode")
    )
    las = read_published_csv(folder, "dfe_las.csv", ("new_la_code", "old_la_code"))
    names = pd.read_csv(folder / "dfe_english_la_name_codes.csv", dtype=str, keep_default_na=False)
    gss = set(mysociety["gss-code"]) | set(las["new_la_code"]) | set(names.iloc[:, 2])
    gss |= {code.strip() for codes in mysociety["former-gss-codes"] for code in codes.split(",")}
    dfe = set(las["old_la_code"]) | set(names.iloc[:, 1])
    ecode = set(mysociety["ecode"])
    return CodeLookups(
        {
            "gss": frozenset(code for code in gss if code),
            "dfe": frozenset(code for code in dfe if code),
            "ecode": frozenset(code for code in ecode if code),
        }
    )


def unmatched_reason(codes: Iterable, scheme: str, lookups: CodeLookups) -> pd.Series:
    """Return why each code (of a row that matched no county area) is left out.

    ``AREA_TOTAL`` for England, region and similar totals, ``OTHER_AUTHORITY`` for a code
    the lookups know, else ``UNKNOWN_CODE`` followed by the code.
    """
    text = pd.Series(list(codes), dtype=object).map(_code_text)
    if scheme == "gss":
        total = text.str[:3].isin(_TOTAL_GSS_PREFIXES)
    elif scheme == "dfe":
        total = pd.to_numeric(text, errors="coerce").ge(_FIRST_DFE_TOTAL)
    else:
        total = pd.Series(False, index=text.index)
    known = text.isin(lookups.codes.get(scheme, frozenset()))
    reason = pd.Series(np.where(total, AREA_TOTAL, np.where(known, OTHER_AUTHORITY, "")), index=text.index)
    unknown = reason.eq("")
    reason[unknown] = UNKNOWN_CODE + ": " + text[unknown].where(text[unknown].ne(""), "(blank)")
    return reason


def skip_counts(file_name: str, reasons: pd.Series) -> pd.DataFrame:
    """Return (file, reason, rows) counts of the non-empty reasons, most rows first."""
    reasons = pd.Series(reasons, dtype=object).dropna()
    counts = reasons.value_counts()
    return pd.DataFrame({"file": file_name, "reason": counts.index.astype(str), "rows": counts.to_numpy()})


def no_skips() -> pd.DataFrame:
    """Return an empty skip table (file, reason, rows)."""
    return pd.DataFrame(
        {"file": pd.Series(dtype=object), "reason": pd.Series(dtype=object), "rows": pd.Series(dtype="int64")}
    )
