"""One benchmark of the store for a comparator group: the numbers every page, export and
command reads, computed once over all periods.

``compute`` runs the engine (ranks, positions, context ranks, direction of travel) for a
group; ``benchmark_for`` is the one way in from a loaded catalogue (default focus,
comparator group, compute), used by the pages, the CLI exports, the briefing command and
the public report. A period the user names is checked by ``Catalogue.require_period``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from benchmarking.method import context, currency, ranking, similarity, travel
from benchmarking.method.groups import SIMILAR_PREFIX, ComparatorGroup, resolve_group
from benchmarking.method.positions import positions
from benchmarking.service.catalogue import Catalogue


@dataclass(frozen=True)
class Benchmark:
    """The engine's results for one comparator group, over every period."""

    group: ComparatorGroup
    ranks: pd.DataFrame
    positions: pd.DataFrame
    spend_ranks: pd.DataFrame
    funding_ranks: pd.DataFrame
    deprivation_ranks: pd.DataFrame
    travel: pd.DataFrame
    options: dict = field(default_factory=dict)
    vintages: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(
            columns=["indicator_id", "period", "source_period", "years_older", "n_values", "n_provisional", "n_revised"]
        )
    )
    """Per indicator and reporting period: the published period used and its status counts."""


def comparator_group(catalogue: Catalogue, group_id: str | None, focus: str | None = None) -> ComparatorGroup:
    """Return the resolved comparator group for an id (see ``groups``), always with the focus in it.

    ``similar:<k>`` groups are computed from the catalogue's context variables
    (``context_features``). A group the focus authority is not part of (county unitaries for
    a county council, another region) is benchmarked with the focus added, and its label
    says so, so that every view can place the focus authority.
    """
    features = context_features(catalogue) if (group_id or "").startswith(SIMILAR_PREFIX) else None
    group = resolve_group(group_id, catalogue.authorities, catalogue.comparator_groups, focus, features=features)
    if focus is not None and focus not in group.members and focus in set(catalogue.authorities["code"]):
        return ComparatorGroup(
            group.id, f"{group.label} plus {catalogue.authority_name(focus)}", group.members + (focus,)
        )
    return group


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


def compute(catalogue: Catalogue, group: ComparatorGroup, scaled: bool = False, min_coverage: float = 0.5) -> Benchmark:
    """Return ranks, positions, context ranks and direction of travel for the group, all periods."""
    members = list(group.members)
    reporting = catalogue.reporting_values
    ranks = ranking.indicator_ranks(reporting, catalogue.indicators, authority_codes=members)
    theme_positions = positions(ranks, catalogue.indicators, scaled=scaled, min_coverage=min_coverage)
    vintage = currency.vintages(ranking.restrict_to_group(reporting, members))
    travel_frame = _reporting_travel(
        travel.direction_of_travel(catalogue.values, catalogue.indicators, authority_codes=members),
        vintage,
        catalogue.calendar,
    )
    return Benchmark(
        group=group,
        ranks=ranks,
        positions=theme_positions,
        spend_ranks=context.spend_ranks(catalogue.spend, catalogue.theme_service, authority_codes=members),
        funding_ranks=context.funding_ranks(catalogue.funding, authority_codes=members),
        deprivation_ranks=context.deprivation_ranks(catalogue.deprivation, authority_codes=members),
        travel=travel_frame,
        options={"scaled": scaled, "min_coverage": min_coverage},
        vintages=vintage,
    )


def _reporting_travel(
    raw_travel: pd.DataFrame, vintage: pd.DataFrame, calendar: currency.ReportingCalendar
) -> pd.DataFrame:
    """Return direction of travel per reporting period: each indicator's change as published
    in the vintage that period uses (so older figures keep the change they were published with)."""
    if vintage["period"].eq(vintage["source_period"]).all():
        used = pd.MultiIndex.from_frame(vintage[["indicator_id", "period"]])
        keep = pd.MultiIndex.from_frame(raw_travel[["indicator_id", "period"]]).isin(used)
        return raw_travel[keep].reset_index(drop=True)
    rows = raw_travel.drop(columns=["period", "period_start"]).assign(source_period=raw_travel["period"].to_numpy())
    out = rows.merge(vintage[["indicator_id", "period", "source_period"]], on=["indicator_id", "source_period"])
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
) -> Benchmark:
    """Return the benchmark of comparator group ``group_id`` around ``focus`` (default: the
    catalogue's focus authority): the one way from a loaded catalogue to the engine's results.

    Callers that take a period from the user check it with ``Catalogue.require_period``;
    pages cache the result at their edge, keyed by store, group and focus.
    """
    group = comparator_group(catalogue, group_id, focus or catalogue.default_focus())
    return compute(catalogue, group, scaled=scaled, min_coverage=min_coverage)
