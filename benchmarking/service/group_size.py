"""How many authorities a period's figures count: the one rule behind every group size and "of N" on screen.

* A **position** is "Xth of N" with N = the members given that position (theme, Overall, LA Core) in the
  period: the engine's ``n_positioned`` (``method.positions``). Nothing else is an "of N" for a position.
* The group **in a period** is its members that existed then: alive at the period's midpoint by their
  lifetimes in ``data/county_areas.csv`` (``method.membership``), or with figures in the period (an
  authority the list does not know counts as existing). The others (abolished, or not yet formed) are
  never "missing": they are named as not existing then.
* **With figures** = the members with at least one figure in the period (a row in the engine's positions).

``group_size`` counts them from the benchmark; ``text.formatting.group_size_text`` words them, once, for
the page header, chart subtitles and the coverage preview. A chart that draws fewer than the group in the
period says how many it draws and names the others with their reason (``drawn_line``, worded by
``text.formatting.drawn_text``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pandas as pd

from benchmarking.adapters.lookups import load_county_areas
from benchmarking.errors import CountyAreasError
from benchmarking.method.membership import lifetime_mask
from benchmarking.method.periods import midpoint_or_none
from benchmarking.service.benchmark import Benchmark
from benchmarking.service.catalogue import Catalogue
from benchmarking.text.formatting import drawn_text, group_size_text


@dataclass(frozen=True)
class GroupSize:
    """The group's counts in one period (see the module's rule)."""

    period: str
    members: int
    """The group's members over every period."""
    in_period: int
    """Members that existed in the period."""
    with_figures: int
    """Members with a figure in the period."""
    not_existing: tuple[str, ...]
    """Names of the members that did not exist in the period, A-Z."""

    def text(self) -> str:
        """Return the counts in words: "37 authorities in 2022/23; 7 others abolished or not yet formed"."""
        return group_size_text(self.members, self.in_period, self.with_figures, self.period)


_LIFETIME_COLUMNS = ["code", "name", "start_date", "end_date", "predecessors", "successors"]


@functools.cache
def _lifetimes() -> pd.DataFrame:
    """Return the county areas' lifetimes (code, name, start_date, end_date, predecessors, successors); empty when
    the list cannot be read."""
    try:
        return load_county_areas()[_LIFETIME_COLUMNS]
    except CountyAreasError:
        return pd.DataFrame({column: [] for column in _LIFETIME_COLUMNS})


def existing_in(codes: list[str], period: str, with_figures: set[str] | frozenset[str] = frozenset()) -> list[bool]:
    """Return, per code, whether the authority existed in ``period``: it has figures then (``with_figures``),
    the county areas list does not know it, or its lifetime covers the period's midpoint."""
    return _existed(codes, [period] * len(codes), {(code, period) for code in with_figures})


def _existed(codes: list[str], periods: list[str], with_figures: set[tuple[str, str]]) -> list[bool]:
    """Return, per (code, period), whether the authority existed then (``existing_in``'s rule; ``with_figures``: the
    pairs with figures)."""
    lifetimes = _lifetimes()
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
    lifetime = _lifetimes().set_index("code").loc[code]
    midpoint = pd.Timestamp(midpoint_or_none(period))
    if midpoint < lifetime["start_date"]:
        return f"{name} was not yet formed in {period} (formed on {_day(lifetime['start_date'])})"
    return f"{name} was abolished on {_day(lifetime['end_date'] + pd.Timedelta(days=1))}, before {period}"


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
    area = _lifetimes().set_index("code").loc[code]
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
    names = _lifetimes().set_index("code")["name"]
    return f"{names[code]} ({code})" if code in names.index else code


def _with_figures(bench: Benchmark, period: str) -> set[str]:
    """Return the codes of the group's members with a figure in ``period`` (a row in the engine's positions)."""
    positions = bench.positions
    rows = (positions["period"] == period).to_numpy() & positions["in_group"].to_numpy(dtype=bool)
    return set(positions.loc[rows, "authority_code"])


def group_size(catalogue: Catalogue, bench: Benchmark, period: str) -> GroupSize:
    """Return the group's counts in ``period``: members, those existing then, those with figures."""
    present = _with_figures(bench, period)
    members = list(bench.group.members)
    existed = existing_in(members, period, present)
    gone = sorted(catalogue.authority_name(code) for code, alive in zip(members, existed) if not alive)
    return GroupSize(
        period=period,
        members=len(members),
        in_period=len(members) - len(gone),
        with_figures=len(present & set(members)),
        not_existing=tuple(gone),
    )


def drawn_line(
    catalogue: Catalogue, bench: Benchmark, period: str, drawn: Iterable[str], why: Callable[[str], str]
) -> str | None:
    """Return how many of the group's authorities in ``period`` (``group_size``'s in_period) a chart draws and who
    it leaves out, by reason, in a short line (more lines when long, ``text.formatting.drawn_text``): "36 of the 37
    drawn; no Overall position: Cumbria"; None when it draws them all. ``drawn``: the members it draws;
    ``why(code)``: the reason a member is left out."""
    members = list(bench.group.members)
    existing = [
        code for code, alive in zip(members, existing_in(members, period, _with_figures(bench, period))) if alive
    ]
    shown = set(drawn)
    left = [code for code in existing if code not in shown]
    if not left:
        return None
    reasons: dict[str, list[str]] = {}
    for code in left:
        reasons.setdefault(why(code), []).append(catalogue.authority_name(code))
    return drawn_text(len(existing) - len(left), len(existing), {r: sorted(names) for r, names in reasons.items()})
