"""The Overview's figures for one focus authority, period and group, as typed records: the
headline positions, context ranks, quartile and direction counts, the quadrant, and how
current the figures are (``data_currency``)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from benchmarking.method import currency, focus_lists
from benchmarking.method.beside import IN_GROUP
from benchmarking.method.lifetimes import not_existing_text
from benchmarking.method.periods import as_reported, span_or_none
from benchmarking.method.positions import LA_CORE, OVERALL
from benchmarking.service.benchmark import Benchmark, beside_note
from benchmarking.service.catalogue import Catalogue
from benchmarking.service.context_views import context_figure, context_left_out, context_ranks, quadrant_view
from benchmarking.service.explain import why_this_rank
from benchmarking.service.funding_views import funding_left_out, funding_view
from benchmarking.service.group_size import positioned_line
from benchmarking.service.rests_on import RestsOn, rests_on
from benchmarking.service.views import focus_positions, theme_indicator_ids
from benchmarking.text.formatting import rank_card_text

MIN_THEME_INDICATORS = 5
"""A theme position resting on fewer of the focus authority's ranked indicators than this is not named as its
strongest or weakest theme (Housing and Transport & Highways have 2 indicators in every period, so the Trend's
thin-period rule, which compares a theme with itself over time, cannot tell)."""


@dataclass(frozen=True)
class DataCurrency:
    """How current the figures behind a theme (or Overall, LA Core) position are in a period."""

    period: str
    theme: str
    n_indicators: int
    """Ranked indicators with figures that period."""
    n_older: int
    """Of them, those with figures from an earlier published period."""
    older_periods: dict[str, int]
    """{published label: number of indicators}, newest first; a label of a reporting period's days written as that
    period is (``2021-22`` as ``2021/22``)."""
    n_provisional: int
    """Indicators with at least one provisional value among those used."""
    n_revised: int
    """Indicators with at least one revised value among those used."""
    max_years_older: int
    focus_name: str | None = None
    """The authority ``n_ranked`` counts for (None: the group's figures only)."""
    n_ranked: int | None = None
    """Of the ``n_indicators``, those ranked for the focus authority: the indicators its position rests on
    (``rests_on``'s count)."""
    not_ranked: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """{why: indicator names, A-Z} for the others: "Leicestershire has no figure" (only a missing figure is
    unranked, ``method.ranking``)."""


@dataclass(frozen=True)
class Standing:
    """The focus authority's position on Overall or LA Core (None when it has none)."""

    position: int | None
    n: int | None
    """Authorities positioned."""
    previous: int | None
    """Its position in the previous period."""
    previous_n: int | None = None
    """Authorities positioned in the previous period (places gained compare positions among these and ``n``)."""
    rests_on: RestsOn | None = None
    """What the position rests on: basket, indicators ranked, the largest theme's share."""
    reason: str | None = None
    """Why there is no position (``explain.no_position_reason``); None when there is one."""
    left_out: str | None = None
    """Who of the group in the period has no position and why, the card's "of N" (``group_size.positioned_line``)."""


@dataclass(frozen=True)
class ContextRank:
    """The focus authority's rank on a context measure within the group (None when unranked):
    1 = highest spend or funding per head, 1 = most deprived. An unranked spend figure keeps its value and
    basis (spend is ranked only among authorities with an Overall position, the quadrant's rule)."""

    rank: int | None
    n: int | None
    """Authorities ranked."""
    value: float | None
    """Spend or core spending power per head in £, or the IMD rank of average rank."""
    basis: str | None
    """The period (spend, funding) or IMD edition (deprivation) the rank uses."""
    left_out: str | None = None
    """Who of the group in the period the rank leaves out and why, the card's "of N" (``context_views.
    context_left_out``, ``funding_views.funding_left_out``): "33 of the 37 ranked; no 2020/21 figure: Dorset
    Council"."""
    missing: str | None = None
    """Why the focus authority has no figure in the ``basis`` year, when it has none: "North Yorkshire Council was
    not yet formed in 2022/23 (formed on 1 April 2023)" or "North Yorkshire Council has no 2020/21 figure"."""

    def card_text(self) -> str:
        """Return the rank for a headline card with the year it is for: "Lowest of 33 (2020/21)"."""
        text = rank_card_text(self.rank, self.n)
        return f"{text} ({self.basis})" if self.rank is not None and self.basis else text


@dataclass(frozen=True)
class Directions:
    """How many Overall indicators moved each way since the previous period."""

    improved: int
    worsened: int
    no_real_change: int
    not_comparable: int
    carried_forward: int = 0
    """Indicators whose figure in the period was published for an earlier one: not compared (``method.travel``)."""


@dataclass(frozen=True)
class Overview:
    """The Overview's headline figures for the focus authority in one period and group."""

    focus: str
    focus_name: str
    period: str
    previous_period: str | None
    group_label: str
    group_size: int
    overall: Standing
    core: Standing
    spend: ContextRank
    funding: ContextRank
    deprivation: ContextRank
    quartile_counts: dict[int, int]
    """{quartile 1-4: indicators}, quartiles the focus authority has indicators in."""
    directions: Directions
    quadrant: str | None
    """Overall against spend (e.g. "high performance, low spend"); None without a spend rank."""
    currency: DataCurrency
    theme_positions: pd.DataFrame
    """theme, position, n_positioned, average_rank: one row per theme."""
    in_group: bool = True
    """False when the focus authority is not a member of the group: its positions and ranks
    are where it would stand beside the members (``n`` counts the members)."""
    beside_note: str | None = None
    """The sentence that says so (None when it is a member)."""
    few_indicator_themes: dict[str, int] | None = None
    """{theme: indicators ranked for the focus authority}, A-Z, for the themes whose position rests on fewer than
    ``MIN_THEME_INDICATORS``: never named as its strongest or weakest."""
    min_theme_indicators: int = MIN_THEME_INDICATORS
    """The rule ``few_indicator_themes`` applies (for the words)."""
    unpositioned_themes: tuple[str, ...] = ()
    """Themes in which no authority of the group has a position in the period, A-Z."""
    absent: str | None = None
    """Why it has no figures when it did not exist in the period ("Northamptonshire was abolished on 1 April 2021,
    before 2022/23": ``lifetimes.not_existing_text``); None when it existed."""
    new_since_previous: str | None = None
    """Why nothing moved since the previous period when it did not exist then ("North Yorkshire Council was not yet
    formed in 2022/23 (formed on 1 April 2023)"); None when it existed in both."""


def figures_used(catalogue: Catalogue, bench: Benchmark, theme: str, period: str) -> pd.DataFrame:
    """Return the ranked indicators of a theme (or Overall, LA Core) with figures in ``period``, one row each:
    indicator_id, source_period, years_older, n_values, n_provisional, n_revised and ``older``
    (True when the figures were published for an earlier period).

    The one rule for "older figures": ``years_older`` > 0 (``method.currency``), never a comparison of
    period labels as text (``2022-23`` and ``2022`` can both be the figures for ``2022/23``). The
    Overview, Quadrant, Themes and Quartiles pages all count with it.
    """
    ids = list(theme_indicator_ids(catalogue.indicators, theme))
    vintages = bench.vintages
    rows = np.flatnonzero((vintages["period"] == period).to_numpy() & (vintages["n_values"] > 0).to_numpy())
    rows = rows[vintages["indicator_id"].array.take(rows).isin(ids)]
    rows = vintages.iloc[rows]
    return rows.assign(older=rows["years_older"] > 0).reset_index(drop=True)


def data_currency(
    catalogue: Catalogue, bench: Benchmark, theme: str, period: str, focus: str | None = None
) -> DataCurrency:
    """Return how current the figures behind a theme (or Overall, LA Core) position are in a period; with ``focus``,
    also how many of those indicators are ranked for it and why the others are not (``ranked_for``)."""
    rows = figures_used(catalogue, bench, theme, period)
    older = rows[rows["older"]]
    # A publisher's 2021-22 is written as the reporting period 2021/22 beside the periods (as_reported); a label of
    # other days (2020-22, 2021) stays as published.
    published = as_reported(list(older["source_period"]), bench.ranks["period"].unique())
    counts = pd.Series(published, dtype=object).value_counts()
    order = sorted(counts.index, key=lambda label: (currency.period_end(label), label), reverse=True)
    ranked: dict = {}
    if focus is not None:
        n_ranked, not_ranked = ranked_for(catalogue, bench, rows["indicator_id"], period, focus)
        ranked = {"focus_name": catalogue.authority_name(focus), "n_ranked": n_ranked, "not_ranked": not_ranked}
    return DataCurrency(
        period=period,
        theme=theme,
        n_indicators=len(rows),
        n_older=len(older),
        older_periods={label: int(counts[label]) for label in order},
        n_provisional=int((rows["n_provisional"] > 0).sum()),
        n_revised=int((rows["n_revised"] > 0).sum()),
        max_years_older=int(rows["years_older"].max()) if len(rows) else 0,
        **ranked,
    )


def ranked_for(
    catalogue: Catalogue, bench: Benchmark, indicator_ids: pd.Series, period: str, focus: str
) -> tuple[int, dict[str, tuple[str, ...]]]:
    """Return how many of ``indicator_ids`` (indicators with figures in the group in ``period``, ``figures_used``)
    are ranked for ``focus`` then, and {why: indicator names, A-Z} for the others: the one rule that makes the
    group's count of indicators with figures and the focus authority's count ranked (``rests_on``) meet."""
    ranks = bench.ranks
    mine = ranks[(ranks["authority_code"] == focus) & (ranks["period"] == period)]
    mine = mine[mine["indicator_id"].isin(set(indicator_ids))]
    ranked = set(mine.loc[mine["rank"].notna(), "indicator_id"])
    with_figure = set(mine.loc[mine["value"].notna(), "indicator_id"])
    names = catalogue.indicators.set_index("id")["name"]
    name = catalogue.authority_name(focus)
    why: dict[str, list[str]] = {}
    for indicator in sorted(set(indicator_ids) - ranked):
        reason = f"its {name} figure is not ranked" if indicator in with_figure else f"{name} has no figure"
        why.setdefault(reason, []).append(str(names.get(indicator, indicator)))
    return len(ranked), {reason: tuple(sorted(listed)) for reason, listed in why.items()}


def funding_rank(catalogue: Catalogue, bench: Benchmark, period: str, focus: str) -> ContextRank:
    """Return the focus authority's core spending power rank as the Funding page's league table gives it: among
    the group's members with a figure in the funding year used (``period`` or the latest before it), whether or
    not they have a performance position; its basis is that year."""
    table = funding_view(catalogue, bench, period, focus)
    row = table[table["is_focus"] & table["rank"].notna()]
    if row.empty:
        basis = table["period"].dropna()
        basis = str(basis.iloc[0]) if len(basis) else None
        return ContextRank(None, None, None, basis, missing=_missing(catalogue, focus, basis))
    first = row.iloc[0]
    left_out = _one_line(funding_left_out(catalogue, bench, period, table, verb="ranked"))
    return ContextRank(
        int(first["rank"]),
        int(first["n_ranked"]),
        float(first["core_spending_power_per_head"]),
        first["period"],
        left_out,
    )


def mostly_earlier_periods(catalogue: Catalogue, bench: Benchmark, theme: str = OVERALL) -> dict[str, tuple[int, int]]:
    """Return {period: (indicators with earlier-published figures, indicators with figures)} for the periods in
    which more than half of a theme's (or Overall's) indicators use figures published for an earlier period."""
    ids = list(theme_indicator_ids(catalogue.indicators, theme))
    vintages = bench.vintages
    rows = vintages[(vintages["n_values"] > 0) & vintages["indicator_id"].isin(ids)]
    counts = (rows["years_older"] > 0).groupby(rows["period"], observed=True).agg(["sum", "size"])
    mostly = counts[counts["sum"] * 2 > counts["size"]]
    return {str(period): (int(row["sum"]), int(row["size"])) for period, row in mostly.iterrows()}


def previous_period(catalogue: Catalogue, period: str) -> str | None:
    """Return the period before ``period`` among periods with values, or None."""
    labels = catalogue.period_labels
    if period not in labels:
        return None
    i = labels.index(period)
    return labels[i - 1] if i > 0 else None


def overview(catalogue: Catalogue, bench: Benchmark, period: str, focus: str) -> Overview:
    """Return the Overview's headline figures for the focus authority."""
    pos = focus_positions(bench, period, focus).set_index("theme")
    prev = previous_period(catalogue, period)
    prev_pos = focus_positions(bench, prev, focus).set_index("theme") if prev else pd.DataFrame()
    spend = _context_rank(catalogue, bench, "Revenue", period, focus)
    if spend.rank is None:  # ranked only beside an Overall position (the quadrant's rule): the figure, unranked
        value, basis = context_figure(catalogue, bench, OVERALL, "Revenue", period, focus)
        missing = None if value is not None else spend.missing
        spend = ContextRank(None, None, value, basis or spend.basis, spend.left_out, missing)
    quartiles = focus_lists.quartile_counts(bench.ranks, catalogue.indicators, focus, period=period)
    overall_quartiles = quartiles[quartiles["theme"] == OVERALL].set_index("quartile")["n_indicators"]
    directions = focus_lists.direction_counts(bench.travel, catalogue.indicators, focus, period=period)
    overall_directions = directions[directions["theme"] == OVERALL].set_index("direction")["n_indicators"]
    figures_currency = data_currency(catalogue, bench, OVERALL, period, focus)
    funding = funding_rank(catalogue, bench, period, focus)
    name = catalogue.authority_name(focus)
    absent = not_existing_text(focus, name, period, has_figures=bool((pos["n_indicators"] > 0).any()))
    return Overview(
        focus=focus,
        focus_name=name,
        period=period,
        previous_period=prev,
        group_label=bench.group.label,
        group_size=bench.group.size,
        overall=_standing(catalogue, bench, focus, period, pos, prev_pos, OVERALL),
        core=_standing(catalogue, bench, focus, period, pos, prev_pos, LA_CORE),
        spend=spend,
        funding=funding,
        deprivation=_context_rank(catalogue, bench, "Deprivation", period, focus, said=funding.rank is None),
        quartile_counts={int(q): int(n) for q, n in overall_quartiles.items()},
        directions=Directions(
            improved=int(overall_directions.get("improved", 0)),
            worsened=int(overall_directions.get("worsened", 0)),
            no_real_change=int(overall_directions.get("no real change", 0)),
            not_comparable=int(overall_directions.get("not comparable", 0)),
            carried_forward=figures_currency.n_older,
        ),
        quadrant=_quadrant(catalogue, bench, period, focus) if spend.rank is not None else None,
        currency=figures_currency,
        theme_positions=pos.reset_index()[["theme", "position", "n_positioned", "average_rank"]],
        in_group=focus in bench.group.members,
        beside_note=beside_note(catalogue, bench.group) if focus == bench.group.beside else None,
        few_indicator_themes=_few_indicator_themes(pos),
        unpositioned_themes=tuple(t for t in catalogue.themes if t not in _positioned_themes(bench, period)),
        absent=absent,
        new_since_previous=None if absent or prev is None else not_existing_text(focus, name, prev),
    )


# -- private helpers ---------------------------------------------------------------------


def _missing(catalogue: Catalogue, focus: str, basis: str | None) -> str | None:
    """Why the focus has no figure of a context axis's ``basis`` year: it did not exist then (``not_existing_text``),
    else no figure of that year; None without a dated basis (an IMD edition says it in the card)."""
    if basis is None or span_or_none(basis) is None:
        return None
    name = catalogue.authority_name(focus)
    return not_existing_text(focus, name, basis) or f"{name} has no {basis} figure"


def _position(frame: pd.DataFrame, theme: str) -> tuple[int | None, int | None]:
    if theme not in frame.index or pd.isna(frame.loc[theme, "position"]):
        return None, None
    return int(frame.loc[theme, "position"]), int(frame.loc[theme, "n_positioned"])


def _standing(
    catalogue: Catalogue,
    bench: Benchmark,
    focus: str,
    period: str,
    pos: pd.DataFrame,
    prev_pos: pd.DataFrame,
    theme: str,
) -> Standing:
    position, n = _position(pos, theme)
    reason = None
    if position is None:  # the coverage rule's words, as Why this rank writes them
        reason = why_this_rank(catalogue, bench, theme, period, focus)[1]["reason"]
    previous, previous_n = _position(prev_pos, theme)
    return Standing(
        position=position,
        n=n,
        previous=previous,
        previous_n=previous_n,
        rests_on=rests_on(catalogue, bench, focus, period, theme),
        reason=reason,
        left_out=_one_line(positioned_line(catalogue, bench, period, theme)),
    )


def _one_line(text: str | None) -> str | None:
    """The lines of a who-is-left-out text (``group_size.drawn_line``) run on, for the narrow card it sits under."""
    return "; ".join(text.splitlines()) if text else None


def _few_indicator_themes(pos: pd.DataFrame) -> dict[str, int]:
    """{theme: indicators} for the focus authority's theme positions (``pos``, by theme) that rest on fewer than
    ``MIN_THEME_INDICATORS`` of its ranked indicators, A-Z."""
    held = pos[pos["position"].notna() & ~pos.index.isin([OVERALL, LA_CORE])]
    few = held[held["n_indicators"] < MIN_THEME_INDICATORS].sort_index()
    return {str(theme): int(n) for theme, n in few["n_indicators"].items()}


def _positioned_themes(bench: Benchmark, period: str) -> set[str]:
    """The themes in which some authority has a position in ``period``."""
    positions = bench.positions
    return set(positions.loc[(positions["period"] == period) & positions["position"].notna(), "theme"])


def _context_rank(
    catalogue: Catalogue, bench: Benchmark, axis: str, period: str, focus: str, said: bool = True
) -> ContextRank:
    """The focus authority's Overall context rank on ``axis`` (None without one), with who the rank leaves out of
    the group (whenever the axis has figures for the period and the card is ``said``: deprivation only stands in for
    funding)."""
    frame = context_ranks(catalogue, bench, OVERALL, axis, period)
    ranked = frame.loc[frame[IN_GROUP] & frame["rank"].notna(), "authority_code"]
    left_out = context_left_out(catalogue, bench, OVERALL, axis, period, ranked) if said and len(frame) else None
    row = frame[frame["authority_code"] == focus]
    if row.empty or pd.isna(row["rank"].iloc[0]):
        basis = frame["basis"].dropna() if "basis" in frame else ()
        basis = str(basis.iloc[0]) if len(basis) else None
        return ContextRank(None, None, None, basis, _one_line(left_out), _missing(catalogue, focus, basis))
    return ContextRank(
        int(row["rank"].iloc[0]),
        int(row["n_ranked"].iloc[0]),
        float(row["value"].iloc[0]),
        row["basis"].iloc[0],
        _one_line(left_out),
    )


def _quadrant(catalogue: Catalogue, bench: Benchmark, period: str, focus: str) -> str | None:
    """The focus authority's quadrant of Overall performance against spend (it has a spend rank)."""
    quads = quadrant_view(catalogue, bench, OVERALL, "Revenue", period, focus)
    row = quads[quads["is_focus"]]
    return row["quadrant"].iloc[0] if len(row) else None
