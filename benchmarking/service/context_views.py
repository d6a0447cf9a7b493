"""Views of performance against context: context ranks (spend, funding, deprivation) and the quadrant chart's
rows (the funding league table is in ``funding_views``)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from benchmarking.method import beside, context, currency
from benchmarking.method.beside import IN_GROUP
from benchmarking.method.lifetimes import existing_in
from benchmarking.method.periods import as_reported, span_or_none
from benchmarking.method.positions import average_rank_key, position_of_average_rank
from benchmarking.method.ranking import nullable_int
from benchmarking.service.benchmark import Benchmark
from benchmarking.service.catalogue import Catalogue
from benchmarking.service.group_size import drawn_line
from benchmarking.text.formatting import position_text, replotted_position_text, sentence_case

COMPARATOR_AXES = {"Revenue": "spend", "Deprivation": "deprivation", "Funding": "funding"}
"""The quadrant chart's comparator axes, as the Compendium names them, and the engine's word."""


@dataclass(frozen=True)
class AxisWords:
    """What a quadrant's comparator axis measures for one theme, in words (``axis_words``)."""

    comparator: str
    """The word of the quadrants' names: spend, deprivation or funding."""
    measure: str
    """What the axis ranks: "net revenue expenditure per head on adult social care"."""
    x_title: str
    """The axis title: "Spend rank (1 = highest net revenue expenditure per head on adult social care)"."""
    rank_name: str
    """The rank in a sentence: "adult social care spend rank"."""
    value_title: str
    """The figure's name in a tooltip: "Adult social care spend per head"."""

    @property
    def rank_title(self) -> str:
        """Return the rank's name as a title: "Adult social care spend rank"."""
        return sentence_case(self.rank_name)

    def rank_text(self, rank, n) -> str:
        """Return a rank on the axis with the number ranked: "total spend rank 36 of 36"."""
        return f"{self.rank_name} {int(rank)} of {int(n)}"


def axis_words(bench: Benchmark, theme: str, axis: str) -> AxisWords:
    """Return what the comparator ``axis`` measures for ``theme`` in words: spend is the net revenue expenditure
    per head of the service the theme is ranked on (``method.context.spend_ranks``: "total" for Overall, LA Core
    and the themes mapped to it), so the adult social care quadrant never reads as total spend."""
    comparator = COMPARATOR_AXES[axis]
    if comparator == "deprivation":
        return AxisWords(
            comparator,
            "deprivation by the Index of Multiple Deprivation",
            "Deprivation rank (1 = most deprived, IMD)",
            "deprivation rank",
            "IMD rank (national)",
        )
    if comparator == "funding":
        measure = "core spending power per head"
        return AxisWords(
            comparator, measure, f"Funding rank (1 = highest {measure})", "funding rank", "Core spending power per head"
        )
    services = bench.spend_ranks.loc[bench.spend_ranks["theme"] == theme, "service"].dropna()
    service = str(services.iloc[0]) if len(services) else context.TOTAL_SERVICE
    spend = "total spend" if service == context.TOTAL_SERVICE else f"{service} spend"
    measure = (
        "total net revenue expenditure per head"
        if service == context.TOTAL_SERVICE
        else f"net revenue expenditure per head on {service}"
    )
    return AxisWords(
        comparator, measure, f"Spend rank (1 = highest {measure})", f"{spend} rank", f"{sentence_case(spend)} per head"
    )


def _latest_edition(deprivation_ranks: pd.DataFrame) -> pd.DataFrame:
    if deprivation_ranks.empty:
        return deprivation_ranks
    edition = sorted(deprivation_ranks["edition"].unique())[-1]
    return deprivation_ranks[deprivation_ranks["edition"] == edition]


def nearest_period(frame: pd.DataFrame, period: str, calendar: currency.ReportingCalendar) -> str | None:
    """Return the latest of ``frame``'s published periods in reporting period ``period`` or
    before it (the one ending last when several qualify), or None."""
    available = set(frame["period"]) if "period" in frame else set()
    if period in available:
        return period
    target = calendar.order_of(period)
    candidates = [(calendar.order_of(label), currency.period_end(label), label) for label in available]
    candidates = [c for c in candidates if not np.isnan(c[0]) and c[0] <= target]
    return max(candidates)[2] if candidates else None


def reported_year(bench: Benchmark, label: str | None) -> str | None:
    """Return a published period label as the reporting period of the same days is written (``2020-21`` as
    ``2020/21``, ``method.periods.as_reported``), so a year reads one way beside the periods; None stays None."""
    return None if label is None else as_reported([label], bench.ranks["period"].unique())[0]


def _context_frame(
    catalogue: Catalogue, bench: Benchmark, theme: str, comparator: str, period: str
) -> tuple[pd.DataFrame, str | None]:
    """Return the engine's context ranks a comparator axis uses in ``period`` and their basis: the period (the
    publisher's ``2022-23`` written as the reporting period ``2022/23``, ``reported_year``) or IMD edition."""
    if comparator == "spend":
        frame = bench.spend_ranks[bench.spend_ranks["theme"] == theme]
        basis = nearest_period(frame, period, catalogue.calendar)
        return frame[frame["period"] == basis], reported_year(bench, basis)
    if comparator == "funding":
        basis = nearest_period(bench.funding_ranks, period, catalogue.calendar)
        return bench.funding_ranks[bench.funding_ranks["period"] == basis], reported_year(bench, basis)
    frame = _latest_edition(bench.deprivation_ranks)
    return frame, (frame["edition"].iloc[0] if len(frame) else None)


def context_ranks(catalogue: Catalogue, bench: Benchmark, theme: str, axis: str, period: str) -> pd.DataFrame:
    """Return authority_code, rank, n_ranked, value, in_group, basis (period or edition) for a
    comparator axis; the authority beside the group (in_group False) has its would-be rank."""
    comparator = COMPARATOR_AXES[axis]
    frame, basis = _context_frame(catalogue, bench, theme, comparator, period)
    out = frame[["authority_code", "rank", "n_ranked", "value", IN_GROUP]].copy()
    # Rank only the authorities that have a performance position in this period, so that
    # both axes count the same authorities (spend from an earlier year, or an IMD edition,
    # may include authorities that no longer exist or are not ranked this period).
    positioned = bench.positions[
        (bench.positions["period"] == period)
        & (bench.positions["theme"] == theme)
        & bench.positions["position"].notna()
    ]["authority_code"]
    if len(positioned):
        out = ranked_among(out, set(positioned), comparator)
    out["basis"] = basis
    return out.reset_index(drop=True)


def ranked_among(frame: pd.DataFrame, kept: set[str], comparator: str) -> pd.DataFrame:
    """Return the context rows of ``frame`` whose authority is in ``kept``, the members ranked again among
    themselves (rank, n_ranked) and the authority beside the group at the rank it would have among them."""
    out = frame[frame["authority_code"].isin(kept)].reset_index(drop=True)
    members, outside = out[out[IN_GROUP]].copy(), out[~out[IN_GROUP]]
    members["rank"] = context.context_rank(members["value"], comparator)
    members["n_ranked"] = int(members["value"].notna().sum())
    placed = beside.context_beside(
        members.assign(cell=0),
        outside.drop(columns=["rank", "n_ranked", IN_GROUP]).assign(cell=0),
        ["cell"],
        highest_first=comparator != "deprivation",
    )
    return pd.concat([members, placed[members.columns]], ignore_index=True) if len(placed) else members


def context_figure(
    catalogue: Catalogue, bench: Benchmark, theme: str, axis: str, period: str, focus: str
) -> tuple[float | None, str | None]:
    """Return the focus authority's stored figure on a comparator axis in ``period`` and its basis (the period or
    edition used), ranked or not: (None, None) when it has none."""
    frame, basis = _context_frame(catalogue, bench, theme, COMPARATOR_AXES[axis], period)
    values = frame.loc[frame["authority_code"] == focus, "value"].dropna()
    return (float(values.iloc[0]), basis) if len(values) else (None, None)


def quadrant_view(
    catalogue: Catalogue, bench: Benchmark, theme: str, axis: str, period: str, focus: str
) -> pd.DataFrame:
    """Return one row per authority for the quadrant chart.

    Columns: authority_code, name, kind, performance_position, context_rank, quadrant,
    average_rank, coverage, in_group, context_value (spend or funding per head in £, or IMD
    rank), n (members plotted), is_focus, league_position and league_n (the position and the
    members positioned, as the league table has them), position_text (the performance position in
    words; "4th of the 32 with funding figures (5th of 36 in the league table)" when re-ranked).
    Positions are ranked among the members plotted (those with both); an authority beside the
    group (in_group False) is placed where it would stand.
    """
    pos = bench.positions[(bench.positions["theme"] == theme) & (bench.positions["period"] == period)]
    league = pos[["authority_code", "position", "n_positioned"]].rename(
        columns={"position": "league_position", "n_positioned": "league_n"}
    )
    ctx = context_ranks(catalogue, bench, theme, axis, period)
    # Both axes rank the same authorities: when some positioned authorities have no context
    # figure (no spend published), performance is re-ranked among those plotted, as the
    # context ranks already are among the positioned ones.
    plotted = pos[
        pos["position"].notna() & pos["authority_code"].isin(set(ctx.dropna(subset=["rank"])["authority_code"]))
    ]
    replotted = len(plotted) < int(pos["position"].notna().sum())
    if replotted:
        pos = _reposition(plotted)
    comparator = COMPARATOR_AXES[axis]
    members = pos[pos[IN_GROUP]]
    quads = context.quadrants(
        members[["authority_code", "position"]], ctx[ctx[IN_GROUP]][["authority_code", "rank"]], comparator=comparator
    )
    outside = set(pos.loc[~pos[IN_GROUP], "authority_code"])
    if outside:  # beside the group: its quadrant had it been included (its would-be ranks among N + 1)
        placed = context.quadrants(pos[["authority_code", "position"]], ctx[["authority_code", "rank"]], comparator)
        quads = pd.concat([quads, placed[placed["authority_code"].isin(outside)]], ignore_index=True)
    out = quads.merge(pos[["authority_code", "average_rank", "coverage", IN_GROUP]], on="authority_code", how="left")
    out = out.merge(
        ctx[["authority_code", "value"]].rename(columns={"value": "context_value"}), on="authority_code", how="left"
    )
    out = out.merge(
        catalogue.authorities[["code", "name", "kind"]], left_on="authority_code", right_on="code", how="left"
    ).drop(columns="code")
    out["n"] = int(out[IN_GROUP].sum())
    out["is_focus"] = out["authority_code"] == focus
    out["performance_position"] = out["performance_position"].astype(float)
    out["context_rank"] = out["context_rank"].astype(float)
    out = out.merge(league, on="authority_code", how="left")
    among = f"with {COMPARATOR_AXES[axis]} figures"
    out["position_text"] = [
        replotted_position_text(p, n, lp, ln, among) if replotted else position_text(p, n)
        for p, n, lp, ln in zip(out["performance_position"], out["n"], out["league_position"], out["league_n"])
    ]
    return out


def position_title(view: pd.DataFrame, axis: str) -> str:
    """Return the quadrant's performance axis title: "Performance position (1 = best)", or "Position among the 32
    with funding figures (1 = best)" when ``view`` (``quadrant_view``) re-ranks the positions among the
    authorities plotted (short enough for the projector's axis)."""
    plotted, positioned = (view["n"].max(), view["league_n"].max()) if len(view) else (0, 0)
    if pd.notna(positioned) and plotted < positioned:
        return f"Position among the {int(plotted)} with {COMPARATOR_AXES[axis]} figures (1 = best)"
    return "Performance position (1 = best)"


def quadrant_left_out(
    catalogue: Catalogue, bench: Benchmark, view: pd.DataFrame, theme: str, axis: str, period: str
) -> str | None:
    """Return who the quadrant ``view`` (``quadrant_view``) leaves out of the group's authorities in ``period`` and
    why, in a short line (``context_left_out``): "36 of the 37 drawn; no Overall position: Cumbria"."""
    return context_left_out(catalogue, bench, theme, axis, period, view.loc[view[IN_GROUP], "authority_code"], "drawn")


def context_left_out(
    catalogue: Catalogue,
    bench: Benchmark,
    theme: str,
    axis: str,
    period: str,
    ranked: Iterable[str],
    verb: str = "ranked",
) -> str | None:
    """Return how many of the group's authorities in ``period`` a comparator axis ranks (``ranked``: the members it
    ranks, or draws with ``verb`` "drawn") and who it leaves out and why, in a short line (``group_size.drawn_line``):
    "36 of the 37 ranked; no Overall position: Cumbria", "not yet formed in 2020/21: ..."; None when it leaves none
    out. A context rank counts only the authorities with a ``theme`` position (the quadrant's rule)."""
    _, basis = _context_frame(catalogue, bench, theme, COMPARATOR_AXES[axis], period)
    pos = bench.positions
    positioned = set(
        pos.loc[(pos["theme"] == theme) & (pos["period"] == period) & pos["position"].notna(), "authority_code"]
    )
    no_figure = no_figure_reason(bench, basis)
    return drawn_line(
        catalogue,
        bench,
        period,
        ranked,
        lambda code: no_figure(code) if code in positioned or not positioned else f"no {theme} position",
        verb=verb,
    )


def no_figure_reason(bench: Benchmark, basis: str | None) -> Callable[[str], str]:
    """Return why a member has no figure of the ``basis`` period (or edition) of a comparator axis: "not yet formed
    in 2020/21", else "no 2020/21 figure" (a published year written as its reporting period is, ``as_reported``);
    "no IMD 2019 figure" for an edition, "no figure" without a basis."""
    members = list(bench.group.members)
    dated = basis is not None and span_or_none(basis) is not None  # an IMD edition names no days
    year = reported_year(bench, basis)
    no_figure = f"no {year} figure" if year else "no figure"

    @functools.cache
    def formed() -> dict[str, bool]:  # asked only when someone is left out
        return dict(zip(members, existing_in(members, basis))) if dated else {}

    return lambda code: no_figure if formed().get(code, True) else f"not yet formed in {year}"


def plotted_themes(catalogue: Catalogue, bench: Benchmark, themes: list[str], axis: str, period: str) -> list[str]:
    """Return those of ``themes`` (in their order) whose ``quadrant_view`` has rows in ``period``: an authority
    with both a performance position and a figure on the comparator axis, found without building the views."""
    pos = bench.positions
    pos = pos.loc[(pos["period"] == period) & pos["position"].notna(), ["theme", "authority_code"]]
    positioned = {theme: set(codes) for theme, codes in pos.groupby("theme")["authority_code"]}
    comparator = COMPARATOR_AXES[axis]
    found = []
    for theme in themes:
        if not positioned.get(theme):
            continue
        frame, _ = _context_frame(catalogue, bench, theme, comparator, period)
        if not positioned[theme].isdisjoint(frame.loc[frame["value"].notna(), "authority_code"]):
            found.append(theme)
    return found


def _reposition(plotted: pd.DataFrame) -> pd.DataFrame:
    """Return ``plotted`` with positions re-ranked among its members, and the would-be
    position of a row beside the group placed among them."""
    members = plotted[IN_GROUP].to_numpy(dtype=bool)
    key = average_rank_key(plotted["average_rank"])
    position = np.full(len(plotted), np.nan)
    position[members] = position_of_average_rank(plotted["average_rank"].to_numpy()[members])
    zeros = np.zeros(len(plotted), dtype=np.int64)
    position[~members] = beside.would_be_rank(key[members], zeros[members], key[~members], zeros[~members])[0]
    return plotted.assign(position=nullable_int(position))
