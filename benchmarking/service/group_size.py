"""How many authorities a period's figures count: the one rule behind every group size and "of N" on screen.

* A **position** is "Xth of N" with N = the members given that position (theme, Overall, LA Core) in the
  period: the engine's ``n_positioned`` (``method.positions``). Nothing else is an "of N" for a position.
* The group **in a period** is its members that existed then: alive at the period's midpoint by their
  lifetimes in ``data/county_areas.csv`` (``method.lifetimes.existing_in``), or with figures in the period (an
  authority the list does not know counts as existing). The others (abolished, or not yet formed) are
  never "missing": they are named as not existing then.
* **With figures** = the members with at least one figure in the period (a row in the engine's positions).

``group_size`` counts them from the benchmark; ``text.formatting.group_size_text`` words them, once, for
the page header, chart subtitles and the coverage preview. A chart that draws fewer than the group in the
period says how many it draws and names the others with their reason (``drawn_line``, worded by
``text.formatting.drawn_text``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from benchmarking.method.lifetimes import existing_in
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


def _with_figures(bench: Benchmark, period: str) -> set[str]:
    """Return the codes of the group's members with a figure in ``period`` (a row in the engine's positions)."""
    positions = bench.positions
    rows = (positions["period"] == period).to_numpy() & positions["in_group"].to_numpy(dtype=bool)
    return set(positions.loc[rows, "authority_code"])


def figures_in(catalogue: Catalogue, period: str) -> set[str]:
    """Return the codes of the authorities with a figure in ``period`` (a value its reporting uses): those exist
    then, whatever their lifetimes say. For a group without a benchmark (a saved group's list)."""
    values = catalogue.reporting_values
    rows = (values["period"] == period).to_numpy() & values["value"].notna().to_numpy()
    return set(values.loc[rows, "authority_code"])


def members_in_period(
    catalogue: Catalogue, members: list[str], period: str, with_figures: set[str]
) -> tuple[list[str], tuple[str, ...]]:
    """Return the members that existed in ``period`` (``lifetimes.existing_in``; ``with_figures``: the codes with
    figures then), in their order, and the names of the others, A-Z."""
    existed = existing_in(members, period, with_figures)
    gone = sorted(catalogue.authority_name(code) for code, alive in zip(members, existed) if not alive)
    return [code for code, alive in zip(members, existed) if alive], tuple(gone)


def existed_in(bench: Benchmark, period: str, codes: Iterable[str]) -> set[str]:
    """Return those of ``codes`` (the group's members, or the authority beside it) that existed in ``period`` by
    the module's rule: alive then by their lifetimes, or with a figure in the period."""
    positions = bench.positions
    present = set(positions.loc[(positions["period"] == period).to_numpy(), "authority_code"])
    codes = list(codes)
    return {code for code, alive in zip(codes, existing_in(codes, period, present)) if alive}


def group_size(catalogue: Catalogue, bench: Benchmark, period: str) -> GroupSize:
    """Return the group's counts in ``period``: members, those existing then, those with figures."""
    present = _with_figures(bench, period)
    members = list(bench.group.members)
    existing, gone = members_in_period(catalogue, members, period, present)
    return GroupSize(
        period=period,
        members=len(members),
        in_period=len(existing),
        with_figures=len(present & set(members)),
        not_existing=gone,
    )


def drawn_line(
    catalogue: Catalogue,
    bench: Benchmark,
    period: str,
    drawn: Iterable[str],
    why: Callable[[str], str],
    verb: str = "drawn",
) -> str | None:
    """Return how many of the group's authorities in ``period`` (``group_size``'s in_period) a chart draws (or
    ``verb``) and who it leaves out, by reason, in a short line (more lines when long, ``text.formatting.drawn_text``):
    "36 of the 37 drawn; no Overall position: Cumbria"; None when it draws them all. ``drawn``: the members it draws;
    ``why(code)``: the reason a member is left out."""
    existing, _ = members_in_period(catalogue, list(bench.group.members), period, _with_figures(bench, period))
    shown = set(drawn)
    left = [code for code in existing if code not in shown]
    if not left:
        return None
    reasons: dict[str, list[str]] = {}
    for code in left:
        reasons.setdefault(why(code), []).append(catalogue.authority_name(code))
    return drawn_text(
        len(existing) - len(left), len(existing), {r: sorted(names) for r, names in reasons.items()}, verb=verb
    )


def positioned_line(catalogue: Catalogue, bench: Benchmark, period: str, theme: str) -> str | None:
    """Return how many of the group's authorities in ``period`` have a ``theme`` (Overall, LA Core) position, the
    cards' "of N", and who has none and why: "36 of the 37 positioned; values for under 50% of Overall's ranked
    indicators: Cumbria"; None when all have one."""
    rows = bench.positions
    rows = rows[(rows["period"] == period) & (rows["theme"] == theme) & rows["in_group"].astype(bool)]
    positioned = rows.loc[rows["position"].notna(), "authority_code"]
    with_rows = set(rows["authority_code"])
    share = f"{bench.options.get('min_coverage', 0):.0%}"
    return drawn_line(
        catalogue,
        bench,
        period,
        positioned,
        lambda code: f"values for under {share} of {theme}'s ranked indicators" if code in with_rows else "no figures",
        verb="positioned",
    )
