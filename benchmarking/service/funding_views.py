"""The funding league table (core spending power per head, 1 = best funded) of the group in a period, who it
leaves out, and what a funding gap is worth ("better off if funded like")."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from benchmarking.errors import UnknownAuthorityError
from benchmarking.method.beside import IN_GROUP
from benchmarking.method.lifetimes import not_existing_text
from benchmarking.method.periods import as_reported
from benchmarking.service.benchmark import Benchmark
from benchmarking.service.catalogue import Catalogue
from benchmarking.service.context_views import nearest_period, no_figure_reason, ranked_among
from benchmarking.service.group_size import drawn_line, existed_in


def funding_view(catalogue: Catalogue, bench: Benchmark, period: str, focus: str) -> pd.DataFrame:
    """Return the core spending power league table for the period (1 = best funded), of the group's authorities in
    ``period`` (``group_size.existed_in``): a figure of an earlier year ranks no authority abolished since.

    Columns: authority_code, name, kind, population, core_spending_power_per_head, rank, n_ranked,
    is_focus, in_group (False for the focus beside the group, at its would-be rank), period (the
    funding period used: ``period`` or the latest before it).
    """
    basis = nearest_period(bench.funding_ranks, period, catalogue.calendar)
    frame = bench.funding_ranks[bench.funding_ranks["period"] == basis]
    frame = ranked_among(frame, existed_in(bench, period, frame["authority_code"]), "funding")
    frame = frame.merge(
        catalogue.authorities[["code", "name", "kind", "population"]], left_on="authority_code", right_on="code"
    ).drop(columns="code")
    frame = frame.rename(columns={"value": "core_spending_power_per_head"})
    frame["is_focus"] = frame["authority_code"] == focus
    frame["period"] = as_reported(frame["period"], bench.ranks["period"].unique())  # 2020-21 as 2020/21
    return frame.sort_values("rank").reset_index(drop=True)[
        [
            "authority_code",
            "name",
            "kind",
            "population",
            "core_spending_power_per_head",
            "rank",
            "n_ranked",
            "is_focus",
            IN_GROUP,
            "period",
        ]
    ]


POPULATION_HELD = "population_latest_estimate"
"""The funding table's population column as a download names it: the store keeps the latest estimate, not its year."""


def population_basis(basis: str) -> str:
    """Return which population the 'better off' total uses, in words, for funding figures of ``basis`` ("2020/21"):
    the per-head figures rest on that year's own mid-year population (``adapters.core_spending_power``), the total on
    the latest estimate held, the only one the store keeps (it keeps no year)."""
    mid_year = f"the ONS mid-{basis[:4]} estimate" if re.fullmatch(r"\d{4}/\d{2}", basis) else "that year's estimate"
    return (
        f"the {basis} figures per head were worked out on {basis}'s own population ({mid_year} in the public "
        f"build); the store keeps only the latest population estimate, so the total multiplies the {basis} gap per "
        "head by it and is approximate"
    )


def funding_shown(funding: pd.DataFrame) -> pd.DataFrame:
    """Return the funding table (``funding_view``) as its data table and CSV give it: without is_focus, the
    population column named as the latest estimate held (``POPULATION_HELD``)."""
    return funding.drop(columns="is_focus").rename(columns={"population": POPULATION_HELD})


def funding_years_older(catalogue: Catalogue, funding: pd.DataFrame, period: str) -> int:
    """Return how many reporting periods the funding table's figures (``funding_view``) are older than ``period``
    (0 when they are its own, or the table is empty): the rule of the Indicator page's older figures."""
    if funding.empty:
        return 0
    gap = catalogue.calendar.order_of(period) - catalogue.calendar.order_of(str(funding["period"].iloc[0]))
    return int(gap) if gap == gap and gap > 0 else 0


def funding_left_out(
    catalogue: Catalogue, bench: Benchmark, period: str, funding: pd.DataFrame, verb: str = "drawn"
) -> str | None:
    """Return who the funding table (``funding_view``) leaves out of the group's authorities in ``period`` and why,
    in a short line (``group_size.drawn_line``; ``verb``: "ranked" under the Overview's card): "33 of the 37 drawn;
    no 2020/21 figure: Dorset Council; not yet formed in 2020/21: North Northamptonshire"."""
    basis = str(funding["period"].iloc[0]) if len(funding) else period
    ranked = funding.loc[funding[IN_GROUP] & funding["rank"].notna(), "authority_code"]
    return drawn_line(catalogue, bench, period, ranked, no_figure_reason(bench, basis), verb=verb)


def focus_without_funding(catalogue: Catalogue, funding: pd.DataFrame, period: str, focus: str) -> str | None:
    """Return why the focus authority has no figure in the funding table (``funding_view``), naming it and the year
    of the figures: "North Yorkshire Council has no core spending power figure for 2020-21, the latest published for
    2023/24 or before: North Yorkshire Council was not yet formed in 2020-21 (formed on 1 April 2023)"; None when it has
    one (or the table is empty)."""
    if funding.empty or funding.loc[funding["authority_code"] == focus, "core_spending_power_per_head"].notna().any():
        return None
    basis, name = str(funding["period"].iloc[0]), catalogue.authority_name(focus)
    why = not_existing_text(focus, name, basis) or "none was published for it"
    return f"{name} has no core spending power figure for {basis}, the latest published for {period} or before: {why}"


@dataclass(frozen=True)
class BetterOff:
    """What funding per head like a reference would be worth to the focus authority, in £."""

    reference_label: str
    reference_per_head: float
    focus_per_head: float
    difference_per_head: float
    population: float
    """Residents of the focus authority (NaN when unknown)."""
    amount: float
    """population x difference per head; negative when the focus is better funded."""


def better_off(funding_table: pd.DataFrame, focus: str, reference: str) -> BetterOff:
    """Return how much more (in £) the focus authority would have if funded per head like ``reference``.

    ``reference`` is 'median', 'highest' or an authority code (of the group's members);
    ``funding_table`` comes from ``funding_view``.
    """
    table = funding_table.dropna(subset=["core_spending_power_per_head"])
    focus_row = table[table["authority_code"] == focus]
    if IN_GROUP in table:  # the references are the group's members
        table = table[table[IN_GROUP]]
    if focus_row.empty:
        raise UnknownAuthorityError(f"no funding figure for the focus authority {focus!r} in that period")
    if reference == "median":
        per_head, label = float(table["core_spending_power_per_head"].median()), "the group median"
    elif reference == "highest":
        top = table.sort_values("core_spending_power_per_head").iloc[-1]
        per_head, label = float(top["core_spending_power_per_head"]), f"{top['name']} (the highest funded)"
    else:
        row = table[table["authority_code"] == reference]
        if row.empty:
            raise UnknownAuthorityError(f"no funding figure for authority {reference!r} in that period")
        per_head, label = float(row["core_spending_power_per_head"].iloc[0]), str(row["name"].iloc[0])
    focus_per_head = float(focus_row["core_spending_power_per_head"].iloc[0])
    population = focus_row["population"].iloc[0]
    population = float(population) if pd.notna(population) else np.nan
    difference = per_head - focus_per_head
    return BetterOff(
        reference_label=label,
        reference_per_head=per_head,
        focus_per_head=focus_per_head,
        difference_per_head=difference,
        population=population,
        amount=difference * population,
    )
