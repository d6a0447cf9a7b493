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

Pure functions over DataFrames. The county areas are read by ``lifetimes.load_county_areas`` and the published
code lists by ``adapters.lookups.load_code_lookups``; period labels are read by ``periods``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import NamedTuple

import numpy as np
import pandas as pd

from benchmarking.errors import BadArgumentError, CountyAreasError, UnknownCodeSchemeError
from benchmarking.method.periods import midpoint_or_none, period_midpoint

SCHEMES = {"gss": "code", "dfe": "dfe_la_number", "ecode": "e_code"}
"""Code schemes a publisher may use -> the column of ``county_areas.csv`` that holds them:
ONS GSS codes (``E10000018``), DfE three-digit LA numbers (``855``), MHCLG E-codes (``E2421``)."""

NOT_A_COUNTY_AREA = "not a county area"


class Loaded(NamedTuple):
    """What an adapter made of a source: import items, rows read per file, rows skipped.

    ``skipped`` has columns ``file``, ``reason``, ``rows``; for every file,
    rows read = rows used + rows skipped. ``notes`` say what else the reader did (sums,
    choices between duplicate measures) in a sentence each.
    """

    items: list[tuple[str, pd.DataFrame, str]]
    rows_read: dict[str, int]
    skipped: pd.DataFrame
    notes: tuple[str, ...] = ()
    settings: tuple[tuple[str, str], ...] = ()
    """Store settings (key, value) the source also gives, written with its rows by the public build."""


# ---------------------------------------------------------------------------------------
# The county areas
# ---------------------------------------------------------------------------------------


def code_table(areas: pd.DataFrame, scheme: str) -> pd.DataFrame:
    """Return (source_code, authority_code, name, start_date, end_date) for one code scheme.

    For ``gss`` an authority answers to its own code and to its ``other_codes`` (codes a
    publisher still uses for it, ';'-separated); for ``dfe`` and ``ecode`` to its number.
    """
    if scheme not in SCHEMES:
        raise UnknownCodeSchemeError(f"scheme must be one of {list(SCHEMES)}, got {scheme!r}")
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


# ---------------------------------------------------------------------------------------
# Membership
# ---------------------------------------------------------------------------------------


def existed_on(start_date: pd.Series, end_date: pd.Series, when: pd.Series | pd.Timestamp) -> pd.Series:
    """Return True where an authority with these lifetimes existed on ``when`` (the one membership test).

    Lifetimes include both ends; a missing ``end_date`` means it still exists; a missing
    ``start_date`` or ``when`` gives False. Pass a period's midpoint as ``when``.
    """
    return (start_date <= when) & (end_date.isna() | (when <= end_date))


def alive_on(areas: pd.DataFrame, when: dt.date | pd.Timestamp) -> pd.Series:
    """Return a boolean Series (aligned with ``areas``): which authorities existed on ``when``."""
    return existed_on(areas["start_date"], areas["end_date"], pd.Timestamp(when))


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
    pairs["mid"] = pd.to_datetime(pairs["period"].map(midpoint_or_none))
    pairs["alive"] = existed_on(pairs["start_date"], pairs["end_date"], pairs["mid"]).fillna(False)
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
    codes = pd.Series(list(codes), dtype=object).map(code_text)
    if isinstance(periods, (str, dt.date)):
        periods = pd.Series([periods] * len(codes), dtype=object)
    else:
        periods = pd.Series(list(periods), dtype=object)
    if len(periods) != len(codes):
        raise BadArgumentError(f"got {len(codes)} codes but {len(periods)} periods")
    rows = pd.DataFrame({"source_code": codes, "period": periods})
    keys = rows.drop_duplicates().reset_index(drop=True)
    keys["mid"] = pd.to_datetime(keys["period"].map(midpoint_or_none))
    table = code_table(areas, scheme)
    candidates = keys.merge(table, on="source_code", how="left")
    alive = existed_on(candidates["start_date"], candidates["end_date"], candidates["mid"])
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


def code_text(code) -> str:
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
