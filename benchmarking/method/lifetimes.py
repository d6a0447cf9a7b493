"""The county areas and their lifetimes: when each authority was formed and abolished, and whether it existed in a
period, in words when it did not.

``load_county_areas`` reads ``data/county_areas.csv`` (the comparator set with its lifetimes and codes, see
``data/README.md``) and checks its rules; it is the method's reference data, read once (``county_lifetimes``). An
authority existed in a period when it has figures then, the list does not know it, or its lifetime covers the
period's midpoint (``existing_in``, by ``membership.lifetime_mask``). ``absent_in`` words why a figure for one that
did not exist is refused (every user import, ``ingest.existence``); ``not_existing_text`` why it has none (the
pages and the group sizes, ``service.group_size``).
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarking.domain import COMPARATOR_KINDS
from benchmarking.errors import CountyAreasError
from benchmarking.method.membership import SCHEMES, code_table, lifetime_mask
from benchmarking.method.periods import midpoint_or_none
from benchmarking.paths import PROJECT_ROOT

COUNTY_AREAS_FILE = PROJECT_ROOT / "data" / "county_areas.csv"
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


_LIFETIME_COLUMNS = ["code", "name", "start_date", "end_date", "predecessors", "successors"]


@functools.cache
def county_areas() -> pd.DataFrame:
    """Return the shipped county areas list (``load_county_areas``), read once per process."""
    return load_county_areas()


@functools.cache
def county_lifetimes() -> pd.DataFrame:
    """Return the county areas' lifetimes (code, name, start_date, end_date, predecessors, successors); empty when
    the list cannot be read."""
    try:
        return county_areas()[_LIFETIME_COLUMNS]
    except CountyAreasError:
        return pd.DataFrame({column: [] for column in _LIFETIME_COLUMNS})


def existing_in(codes: list[str], period: str, with_figures: set[str] | frozenset[str] = frozenset()) -> list[bool]:
    """Return, per code, whether the authority existed in ``period``: it has figures then (``with_figures``),
    the county areas list does not know it, or its lifetime covers the period's midpoint."""
    return _existed(codes, [period] * len(codes), {(code, period) for code in with_figures})


def existed_when(code: str, periods: list[str]) -> list[bool]:
    """Return, per period, whether the authority ``code`` existed then (``existing_in``'s rule, in one pass)."""
    return _existed([code] * len(periods), list(periods), set())


def _existed(codes: list[str], periods: list[str], with_figures: set[tuple[str, str]]) -> list[bool]:
    """Return, per (code, period), whether the authority existed then (``existing_in``'s rule; ``with_figures``: the
    pairs with figures)."""
    lifetimes = county_lifetimes()
    alive = lifetime_mask(lifetimes, pd.Series(codes, dtype=object), pd.Series(periods, dtype=object))
    known = set(lifetimes["code"])
    return [
        bool(a) or (code, period) in with_figures or code not in known for code, period, a in zip(codes, periods, alive)
    ]


def not_existing_text(code: str, name: str, period: str, has_figures: bool = False) -> str | None:
    """Return why ``code`` has no figures in ``period`` when it did not exist then (``existing_in``): "Northamptonshire
    was abolished on 1 April 2021, before 2022/23" or "Cumberland was not yet formed in 2020/21 (formed on 1 April
    2023)"; None when it existed."""
    if existing_in([code], period, {code} if has_figures else frozenset())[0]:
        return None
    lifetime = county_lifetimes().set_index("code").loc[code]
    midpoint = pd.Timestamp(midpoint_or_none(period))
    if midpoint < lifetime["start_date"]:
        return f"{name} was not yet formed in {period} (formed on {_day(lifetime['start_date'])})"
    return f"{name} was abolished on {_day(lifetime['end_date'] + pd.Timedelta(days=1))}, before {period}"


def no_figures_text(absent: str) -> str:
    """Return what a page says in place of an authority's figures when it did not exist in the period (``absent``:
    ``not_existing_text``): "Cumberland was not yet formed in 2012/13 (formed on 1 April 2023): it has no figures,
    positions or ranks in this period."."""
    return f"{absent}: it has no figures, positions or ranks in this period."


def _day(when: pd.Timestamp) -> str:
    """Return a date as people write it: "1 April 2021"."""
    return f"{when.day} {when:%B %Y}"


def absent_in(
    codes: list[str], periods: list[str], with_figures: set[tuple[str, str]] | frozenset = frozenset()
) -> list[str | None]:
    """Return, per (code, period), why a figure for the authority then is refused: it did not exist then
    (``existing_in``; pairs in ``with_figures`` have figures, so existed), "Cumberland was formed on 1 April 2023, so
    it did not exist in 2021-22 ...; for 2021-22 give Cumbria's figure (E10000006), or leave the row out"; None where
    it existed, or the period cannot be read (refused for that)."""
    readable = [midpoint_or_none(period) is not None for period in periods]
    existed = _existed(codes, periods, set(with_figures))
    return [
        None if alive or not ok else _absent_reason(code, period)
        for code, period, alive, ok in zip(codes, periods, existed, readable)
    ]


def _absent_reason(code: str, period: str) -> str:
    """Return why ``code`` has no figures in ``period``, when it did not exist then, and whose figures to give."""
    area = county_lifetimes().set_index("code").loc[code]
    if pd.Timestamp(midpoint_or_none(period)) < area["start_date"]:
        what, others = f"was formed on {_day(area['start_date'])}", area["predecessors"]
    else:
        what, others = f"was abolished on {_day(area['end_date'] + pd.Timedelta(days=1))}", area["successors"]
    named = [_named(other.strip()) for other in str(others or "").split(";") if other.strip()]
    listed = f"{', '.join(named[:-1])} and {named[-1]}" if len(named) > 1 else "".join(named)
    instead = f"for {period} give the figure of {listed}, or leave the row out" if named else "leave the row out"
    return (
        f"{area['name']} {what}, so it is not one of {period}'s authorities (those that existed at its middle); "
        f"{instead}"
    )


def _named(code: str) -> str:
    """Return a county area's name and code, "Cumbria (E10000006)" (the code alone when the list lacks it)."""
    names = county_lifetimes().set_index("code")["name"]
    return f"{names[code]} ({code})" if code in names.index else code
