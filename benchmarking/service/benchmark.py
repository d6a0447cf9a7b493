"""One benchmark of the store for a comparator group: the numbers every page, export and
command reads, computed once over all periods.

``compute`` runs the engine (ranks, positions, context ranks, direction of travel) for a
group; ``benchmark_for`` is the one way in from a loaded catalogue (default focus,
comparator group, compute), used by the pages, the CLI exports, the briefing command and
the public report. A period the user names is checked by ``Catalogue.require_period``.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from benchmarking.errors import UnknownGroupError
from benchmarking.method import beside, context, currency, ranking, similarity, travel
from benchmarking.method.baskets import ALL, INDICATORS, Basket, in_basket, require_balance, resolve_basket, weights_of
from benchmarking.method.groups import (
    DFE_NEIGHBOUR_LISTS,
    DFE_NEIGHBOURS_LISTED,
    DFE_NOT_HELD_SETTING,
    SIMILAR_PREFIX,
    ComparatorGroup,
    available_groups,
    list_not_held_text,
    needs_focus,
    resolve_group,
    similar_not_possible_text,
)
from benchmarking.method.lifetimes import county_areas, existing_in
from benchmarking.method.membership import resolve_codes
from benchmarking.method.positions import positions
from benchmarking.service.catalogue import Catalogue
from benchmarking.text.formatting import ordinal


@dataclass(frozen=True)
class Benchmark:
    """The engine's results for one comparator group, over every period."""

    group: ComparatorGroup
    ranks: pd.DataFrame
    positions: pd.DataFrame
    spend_ranks: pd.DataFrame
    funding_ranks: pd.DataFrame
    deprivation_ranks: pd.DataFrame
    travel_of: Callable[[], pd.DataFrame] = field(repr=False, compare=False)
    """Computes ``travel`` the first time it is read (a positions export never needs it)."""
    options: dict = field(default_factory=dict)
    vintages: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(
            columns=["indicator_id", "period", "source_period", "years_older", "n_values", "n_provisional", "n_revised"]
        )
    )
    """Per indicator and reporting period: the published period used and its status counts."""
    basket: Basket = ALL
    """The indicators the positions are computed over (``method.baskets``)."""

    @functools.cached_property
    def travel(self) -> pd.DataFrame:
        """Return the direction of travel of every value the group shows, per reporting period (computed once)."""
        return self.travel_of()

    @property
    def balance(self) -> str:
        """Return how Overall and LA Core weigh the themes: ``indicators`` or ``themes``."""
        return self.options.get("balance", INDICATORS)


def comparator_group(
    catalogue: Catalogue, group_id: str | None, focus: str | None = None, period: str | None = None
) -> ComparatorGroup:
    """Return the resolved comparator group for an id (see ``groups``), with the focus placed.

    ``similar:<k>`` groups are computed from the catalogue's context variables
    (``context_features``), among the authorities that existed in ``period``
    (``existing_authorities``; every authority when None). A group ranks its members only:
    when the focus authority is not a member (the county unitaries for a county council, another region, a saved list
    without it) the group keeps its members and names the focus in ``beside``, so that every
    view can show where it would stand without changing the members' ranks. Neighbour and
    similar groups are the focus authority's own and include it as a member.
    """
    similar = (group_id or "").startswith(SIMILAR_PREFIX)
    features = context_features(catalogue) if similar else None
    among = existing_authorities(catalogue, period) if similar and period is not None else None
    try:
        group = resolve_group(
            group_id, catalogue.authorities, catalogue.comparator_groups, focus, features=features, among=among
        )
    except UnknownGroupError:
        if features is not None or not needs_focus(group_id) or focus is None:
            raise
        # A neighbour list the focus lacks: refused again, naming only the groups it can choose (the similar ones
        # only where it has context figures), which needs the features this one resolve would not have used.
        resolve_group(
            group_id, catalogue.authorities, catalogue.comparator_groups, focus, features=context_features(catalogue)
        )
        raise
    if period is not None and group.id.startswith("neighbours:"):
        group = _listed_in_period(catalogue, group, period)
    if held := _held_of_listed(catalogue, group.id, focus):
        group = replace(group, label=held.label_of(group.label))
    if focus is not None and focus not in group.members and focus in set(catalogue.authorities["code"]):
        return replace(group, beside=focus)
    return group


def offered_groups(catalogue: Catalogue, focus: str | None) -> pd.DataFrame:
    """Return the comparator groups a user can choose with ``focus`` (``groups.available_groups``: id, label, size),
    the similar groups only when the focus has context figures to compare on."""
    features = context_features(catalogue) if focus is not None else None
    return available_groups(catalogue.authorities, catalogue.comparator_groups, focus, features=features)


def group_not_offered_text(catalogue: Catalogue, group_id: str, focus: str) -> str | None:
    """Return why a group the store knows is not offered for the focus (a neighbour list held for other authorities
    only, a similar group around an authority with no context figures); None otherwise."""
    name = catalogue.authority_name(focus)
    if group_id.startswith(SIMILAR_PREFIX):
        return similar_not_possible_text(context_features(catalogue), focus, name)
    return list_not_held_text(group_id, catalogue.comparator_groups, focus, name)


@dataclass(frozen=True)
class HeldNeighbours:
    """Of DfE's statistical neighbours of an authority: how many the store holds, and those it does not."""

    held: int
    not_held: tuple[tuple[int, str], ...]
    """(DfE's rank, name) of each neighbour that is not a county area in the store, in DfE's order."""

    def missing_words(self) -> str:
        """Return the neighbours not held: "South Gloucestershire (DfE's 1st), North Somerset (8th)"."""
        (rank, name), *others = self.not_held
        named = [f"{name} (DfE's {ordinal(rank)})", *(f"{name} ({ordinal(rank)})" for rank, name in others)]
        return ", ".join(named)

    def label_of(self, label: str) -> str:
        """Return a neighbour group's ``label`` with what it holds of DfE's list, ending in words so that a size in
        brackets reads after it: "DfE statistical neighbours (2021 model) without DfE's 1st (South Gloucestershire)
        and 8th (North Somerset): 8 of DfE's 10 in this store"."""
        held = f": {self.held} of DfE's {DFE_NEIGHBOURS_LISTED} in this store"
        if not self.not_held:
            return label + held
        named = [f"{ordinal(rank)} ({name})" for rank, name in self.not_held]
        listed = named[0] if len(named) == 1 else f"{', '.join(named[:-1])} and {named[-1]}"
        return f"{label} without DfE's {listed}{held}"


def neighbour_list_note(catalogue: Catalogue, group_id: str, focus: str) -> str | None:
    """Return the note on a DfE statistical-neighbour list the store holds in part: "DfE lists 10 statistical
    neighbours of Leicestershire; 8 are county areas in this store. Not in it: South Gloucestershire (DfE's 1st),
    North Somerset (8th). The group is Leicestershire and the 8."; None for any other group, or a list held whole."""
    held = _held_of_listed(catalogue, group_id, focus)
    if held is None:
        return None
    name, n = catalogue.authority_name(focus), held.held
    missing = (
        f" Not in it: {held.missing_words()}." if held.not_held else f" The other {DFE_NEIGHBOURS_LISTED - n} are not."
    )
    return (
        f"DfE lists {DFE_NEIGHBOURS_LISTED} statistical neighbours of {name}; {n} are county areas in this store."
        f"{missing} The group is {name} and the {n}."
    )


def _held_of_listed(catalogue: Catalogue, group_id: str, focus: str | None) -> HeldNeighbours | None:
    """Return how much of the DfE list of ``focus`` the store holds, when it holds it in part; else None."""
    list_id = group_id.split(":", 1)[1] if group_id.startswith("neighbours:") else None
    if list_id not in DFE_NEIGHBOUR_LISTS or focus is None:
        return None
    rows = catalogue.comparator_groups
    held = rows.loc[(rows["group_id"] == list_id) & (rows["authority_code"] == focus), "member_code"].nunique()
    if not 0 < held < DFE_NEIGHBOURS_LISTED:
        return None
    listed = json.loads(catalogue.settings.get(DFE_NOT_HELD_SETTING) or "{}").get(list_id, {}).get(focus, [])
    return HeldNeighbours(int(held), tuple((int(rank), str(name)) for rank, name in listed))


def _listed_in_period(catalogue: Catalogue, group: ComparatorGroup, period: str) -> ComparatorGroup:
    """Return a neighbour list's group with each member that did not exist in ``period`` replaced by the county area
    that held its DfE LA number then (``membership.resolve_codes``, the one rule that matches a published number to
    an authority): DfE's 2025 list names LA 933, Somerset Council, which is Somerset CC in 2022/23."""
    existing = set(existing_authorities(catalogue, period))
    gone = [code for code in group.members if code not in existing]
    if not gone:
        return group
    areas = county_areas()  # read once per process
    numbers = dict(zip(areas["code"], areas["dfe_la_number"]))
    held = resolve_codes(areas, [numbers.get(code, "") for code in gone], period, scheme="dfe")["authority_code"]
    swap = {code: then for code, then in zip(gone, held) if then in existing}
    return replace(group, members=tuple(dict.fromkeys(swap.get(code, code) for code in group.members)))


def existing_authorities(catalogue: Catalogue, period: str) -> list[str]:
    """Return the codes of the store's authorities that existed in ``period`` (``lifetimes.existing_in``: the
    one existence rule, with the authorities that have figures then)."""
    codes = list(catalogue.authorities["code"])
    values = catalogue.reporting_values
    with_figures = set(values.loc[values["period"] == period, "authority_code"])
    return [code for code, alive in zip(codes, existing_in(codes, period, with_figures)) if alive]


def beside_note(catalogue: Catalogue, group: ComparatorGroup) -> str | None:
    """Return the sentence that marks the focus authority shown beside a group it is not a
    member of (None when it is a member)."""
    if group.beside is None:
        return None
    return (
        f"{catalogue.authority_name(group.beside)} is not in the comparator group ({group.label}): "
        "shown beside the group where it would stand among its members, not ranked in it (each 'of N' "
        "counts the members ranked)."
    )


def context_features(catalogue: Catalogue, period: str | None = None) -> pd.DataFrame:
    """Return every authority's context variables for similarity (see ``similarity``):
    population, deprivation, spend and funding per head (latest up to ``period``), rurality."""
    calendar = catalogue.calendar
    spend, funding = catalogue.spend, catalogue.funding
    if period is not None:
        target = calendar.order_of(period)
        spend = spend[spend["period"].map(calendar.order_of) <= target]
        funding = funding[funding["period"].map(calendar.order_of) <= target]
    labels = set(spend["period"]) | set(funding["period"])
    order = sorted(labels, key=lambda label: (calendar.order_of(label), currency.period_end(label), label))
    return similarity.context_features(
        catalogue.authorities,
        spend,
        funding,
        catalogue.deprivation,
        period=None,
        period_order=order,
    )


def compute(
    catalogue: Catalogue,
    group: ComparatorGroup,
    scaled: bool = False,
    min_coverage: float = 0.5,
    basket: Basket = ALL,
    balance: str = INDICATORS,
) -> Benchmark:
    """Return ranks, positions, context ranks and direction of travel for the group, all periods.

    Every rank and position frame carries ``in_group``: True for the members, ranked among
    themselves alone; False for the one row per cell of the authority beside the group
    (``group.beside``), placed where it would stand (``method.beside``). Ranks and positions
    cover the indicators of ``basket`` only, averaged by its weights and ``balance``
    (``method.baskets``); direction of travel and the context ranks do not depend on them.
    """
    balance = require_balance(balance)
    members = list(group.members)
    reporting = in_basket(catalogue.reporting_values, basket)
    ranks = ranking.indicator_ranks(reporting, catalogue.indicators, authority_codes=members)
    theme_positions = positions(
        ranks,
        catalogue.indicators,
        scaled=scaled,
        min_coverage=min_coverage,
        weights=None if basket.is_all else weights_of(ranks["indicator_id"], basket),
        balance=balance,
    )
    ranks, theme_positions = beside.mark_members(ranks), beside.mark_members(theme_positions)
    # Context ranks (spend, funding, deprivation): (ranks of these codes, cell columns, highest first).
    context_of = {
        "spend": (
            lambda codes: context.spend_ranks(catalogue.spend, catalogue.theme_service, codes),
            ["theme", "period"],
            True,
        ),
        "funding": (lambda codes: context.funding_ranks(catalogue.funding, codes), ["period"], True),
        "deprivation": (lambda codes: context.deprivation_ranks(catalogue.deprivation, codes), ["edition"], False),
    }
    context_ranks = {name: beside.mark_members(rank(members)) for name, (rank, _, _) in context_of.items()}
    if group.beside is not None:
        outside = [group.beside]
        outside_ranks = beside.ranks_beside(ranks, ranking.restrict_to_group(reporting, outside), catalogue.indicators)
        outside_positions = beside.positions_beside(
            theme_positions,
            outside_ranks,
            catalogue.indicators,
            scaled=scaled,
            min_coverage=min_coverage,
            basket=basket,
            balance=balance,
        )
        ranks = with_rows(ranks, outside_ranks)
        theme_positions = positions_in_order(with_rows(theme_positions, outside_positions))
        for name, (rank, by, highest_first) in context_of.items():
            own = rank(outside).drop(columns=["rank", "n_ranked"])
            placed = beside.context_beside(context_ranks[name], own, by, highest_first=highest_first)
            context_ranks[name] = with_rows(context_ranks[name], placed)
    vintage = currency.vintages(ranking.restrict_to_group(reporting, members))

    def travel_frame() -> pd.DataFrame:
        raw = travel.direction_of_travel(catalogue.values, catalogue.indicators, authority_codes=list(group.shown))
        return _reporting_travel(raw, vintage, catalogue.calendar)

    return Benchmark(
        group=group,
        ranks=ranks,
        positions=theme_positions,
        spend_ranks=context_ranks["spend"],
        funding_ranks=context_ranks["funding"],
        deprivation_ranks=context_ranks["deprivation"],
        travel_of=travel_frame,
        options={"scaled": scaled, "min_coverage": min_coverage, "basket": basket.id, "balance": balance},
        basket=basket,
        vintages=vintage,
    )


def positions_in_order(frame: pd.DataFrame) -> pd.DataFrame:
    """Return positions in the engine's order (period, theme, position) with the row beside
    the group after the members it would tie with."""
    period = pd.factorize(frame["period"])[0]
    theme = pd.factorize(frame["theme"])[0]
    position = frame["position"].to_numpy(dtype=float, na_value=np.inf)
    order = np.lexsort((~frame[beside.IN_GROUP].to_numpy(dtype=bool), position, theme, period))
    return frame.iloc[order].reset_index(drop=True)


def with_rows(members: pd.DataFrame, outside: pd.DataFrame) -> pd.DataFrame:
    """Return the members' rows followed by the rows of the authority beside the group."""
    if outside.empty:
        return members
    return pd.concat([members, outside[members.columns]], ignore_index=True)


def _reporting_travel(
    raw_travel: pd.DataFrame, vintage: pd.DataFrame, calendar: currency.ReportingCalendar
) -> pd.DataFrame:
    """Return direction of travel per reporting period over the figures that period uses.

    The one rule for "changed since the previous period": only a figure published for the period itself can have
    changed since then. A figure carried forward from an earlier published period (``years_older`` > 0) keeps
    its value but is "not comparable" in that period, with no previous value or change (it was already counted
    in the period it was published for), so every count of improved and worsened (Overview, In brief, Quartiles,
    briefing, Beyond ranks) counts new figures only."""
    if vintage["period"].eq(vintage["source_period"]).all():
        used = pd.MultiIndex.from_frame(vintage[["indicator_id", "period"]])
        keep = pd.MultiIndex.from_frame(raw_travel[["indicator_id", "period"]]).isin(used)
        return raw_travel[keep].reset_index(drop=True)
    rows = raw_travel.drop(columns=["period", "period_start"]).assign(source_period=raw_travel["period"].to_numpy())
    out = rows.merge(
        vintage[["indicator_id", "period", "source_period", "years_older"]], on=["indicator_id", "source_period"]
    )
    carried = (out.pop("years_older") > 0).to_numpy()
    if carried.any():
        out.loc[carried, ["previous_value", "change"]] = np.nan
        out["previous_period"] = out["previous_period"].mask(carried)
        out["direction"] = out["direction"].mask(carried, travel.NOT_COMPARABLE)
    out = out.merge(
        calendar.periods[["label", "start_date"]].rename(columns={"label": "period", "start_date": "period_start"}),
        on="period",
    )
    columns = ["indicator_id", "authority_code", "period", "period_start"]
    return out[columns + [c for c in raw_travel.columns if c not in columns]].reset_index(drop=True)


def benchmark_for(
    catalogue: Catalogue,
    group_id: str | None,
    focus: str | None = None,
    scaled: bool = False,
    min_coverage: float = 0.5,
    basket: str | None = None,
    balance: str | None = None,
    period: str | None = None,
) -> Benchmark:
    """Return the benchmark of comparator group ``group_id`` around ``focus`` (default: the
    catalogue's focus authority) over the indicators of ``basket`` (an id; default "All
    published") with ``balance`` (default ``indicators``): the one way from a loaded catalogue
    to the engine's results. ``period``: the period on screen, which a similar group's members
    existed in (``comparator_group``; other groups do not depend on it).

    Callers that take a period from the user check it with ``Catalogue.require_period``;
    pages cache the result at their edge, keyed by store, group, focus, basket and balance
    (and the period for a similar group). BadArgumentError names an unknown basket or balance.
    """
    group = comparator_group(catalogue, group_id, focus or catalogue.default_focus(), period)
    chosen = resolve_basket(catalogue.baskets, basket)
    return compute(
        catalogue, group, scaled=scaled, min_coverage=min_coverage, basket=chosen, balance=require_balance(balance)
    )


def benchmark_with_focus_ranked(
    catalogue: Catalogue,
    group_id: str | None,
    focus: str,
    scaled: bool = False,
    min_coverage: float = 0.5,
    basket: str | None = None,
    balance: str | None = None,
    period: str | None = None,
) -> Benchmark:
    """Return the benchmark of the group with the focus authority ranked as one of its members:
    the same as ``benchmark_for`` when it is a member, otherwise a what-if for the analyses that
    need it inside the ranking (Beyond ranks), labelled so. Views of the group itself use
    ``benchmark_for``, which ranks the members only."""
    group = comparator_group(catalogue, group_id, focus, period)
    if group.beside is not None:
        label = f"{group.label} with {catalogue.authority_name(group.beside)} ranked in it"
        group = ComparatorGroup(group.id, label, group.members + (group.beside,))
    chosen = resolve_basket(catalogue.baskets, basket)
    return compute(
        catalogue, group, scaled=scaled, min_coverage=min_coverage, basket=chosen, balance=require_balance(balance)
    )
