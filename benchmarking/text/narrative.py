"""Plain-English statements written from the numbers, in the Compendium's register.

Every sentence is built from a figure of the Overview record (``service.overview.Overview``); a
sentence whose figures are missing is left out rather than written vaguely.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

import pandas as pd

from benchmarking.text.formatting import below_all, money, names_text, ordinal, position_text, rank_by_size

if TYPE_CHECKING:  # the text layer sits below the service: the type is only named here
    from benchmarking.service.overview import Overview

_QUADRANT_WORDS = {
    "high performance, low spend": "high performing and low spending",
    "high performance, high spend": "high performing and high spending",
    "low performance, low spend": "lower performing and low spending",
    "low performance, high spend": "lower performing and high spending",
}


def _change(now: int | None, before: int | None, previous_period: str | None) -> str:
    if now is None or before is None or previous_period is None:
        return ""
    if now < before:
        return f", up from {ordinal(before)} in {previous_period}"
    if now > before:
        return f", down from {ordinal(before)} in {previous_period}"
    return f", the same as in {previous_period}"


def _funding_phrase(rank: int, n: int) -> str:
    if below_all(rank, n):  # beside a group of n, below every member
        return "lower core spending power per head than every authority in the group"
    if rank == n:
        return "the lowest core spending power per head in the group"
    if rank == 1:
        return "the highest core spending power per head in the group"
    if rank > n / 2:
        return f"the {ordinal(n - rank + 1)} lowest core spending power per head in the group"
    return f"the {ordinal(rank)} highest core spending power per head in the group"


def spend_card(overview: Overview) -> tuple[str, str]:
    """Return the (label, value) of the headline card for net revenue expenditure per head: its rank with the year
    it is for ("Lowest of 36 (2022/23)"), an unranked figure with its year ("£1,629 in 2022/23, no rank"), or none
    in the year the spend figures are for ("none in 2022/23": it was not yet formed then, ``context_missing``)."""
    spend, label = overview.spend, "Spend per head (1st = highest)"
    if overview.absent and spend.rank is None:  # it did not exist in the period: it had no spend then
        return label, f"none in {overview.period}"
    if spend.rank is None and spend.value is not None:
        return label, f"{money(spend.value)}{f' in {spend.basis}' if spend.basis else ''}, no rank"
    if spend.rank is None and spend.missing:
        return label, f"none in {spend.basis}"
    return label, spend.card_text()


def context_missing(overview: Overview) -> tuple[str | None, str | None]:
    """Return why the spend card and the fourth card (``context_card``) show no figure, when the authority has none in
    the year their figures are for ("North Yorkshire Council was not yet formed in 2020/21 (formed on 1 April
    2023)"); None for a card that shows a figure or whose reason the page says already (``absent``)."""
    if overview.absent:
        return None, None
    spend = overview.spend
    funding = overview.funding if _context_shown(overview) == "unranked" else None
    return (spend.missing if spend.value is None else None), (funding.missing if funding else None)


def spend_note(overview: Overview) -> str | None:
    """Return why a stored spend figure has no rank (None when it has one, or no figure)."""
    if overview.spend.rank is not None or overview.spend.value is None:
        return None
    return (
        "No rank: spend per head is ranked only among the authorities with an Overall position, as on the "
        f"quadrant chart, and {overview.focus_name} has no Overall position in {overview.period}."
    )


def spend_help(overview: Overview) -> str:
    """Return the help of the spend card (``spend_card``): the figure with its year and whether it is ranked, or
    why there is none (the authority did not exist then, or no figure is stored)."""
    spend = overview.spend
    if spend.value is None:  # nothing to name: no spend figure for it (it may not have existed then)
        if overview.absent or spend.missing:
            return overview.absent or f"The latest spend figures are for {spend.basis}: {spend.missing}"
        return "No net revenue expenditure per head is stored for it in this period"
    ranked = "ranked from the highest spender" if spend.rank is not None else "not ranked"
    return f"Net revenue expenditure per head {money(spend.value)} ({spend.basis}), {ranked}"


def _context_shown(overview: Overview) -> str:
    """Return what the Overview's fourth card shows: 'funding' (core spending power is ranked), else 'deprivation'
    (IMD is ranked), else 'absent' (the authority did not exist in the period), else 'unranked' (the store holds
    core spending power, but none for it in that year), else 'none'."""
    if overview.funding.rank is not None:
        return "funding"
    if overview.deprivation.rank is not None:
        return "deprivation"
    if overview.absent:
        return "absent"
    return "unranked" if overview.funding.missing else "none"


def context_card(overview: Overview) -> tuple[str, str]:
    """Return the (label, value) of the Overview's fourth card: core spending power per head when the store
    has it (its rank with the year it is for), else deprivation (IMD rank), else 'none in <period>' for an authority
    that did not exist then, else a plain 'not in these data'."""
    shown = _context_shown(overview)
    if shown == "funding":
        return "Core spending power per head (1st = highest)", overview.funding.card_text()
    if shown == "deprivation":
        return (
            f"{overview.deprivation.basis or 'Deprivation'} (1st = most deprived)",
            position_text(overview.deprivation.rank, overview.deprivation.n),
        )
    if shown == "absent":  # it did not exist in the period: the store holds the measure, it had none then
        return "Core spending power per head", f"none in {overview.period}"
    if shown == "unranked":  # the store holds it, but none for this authority in the year used
        return "Core spending power per head", f"none in {overview.funding.basis}"
    return "Core spending power per head", "not in these data"


def context_line(overview: Overview) -> str | None:
    """Return the line under the Overview's fourth card (``context_card``): who of the group its rank leaves out and
    why ("33 of the 37 ranked; no 2020/21 figure: Dorset Council"); None when it ranks them all, or shows no rank."""
    shown = _context_shown(overview)
    if shown == "funding":
        return overview.funding.left_out
    return overview.deprivation.left_out if shown == "deprivation" else None


def context_help(overview: Overview) -> str:
    """Return the help of the fourth card (``context_card``): the funding figure with its year, what the
    deprivation rank is, why the authority has none (it did not exist then), or that neither measure is stored."""
    shown = _context_shown(overview)
    if shown == "funding":
        return f"{money(overview.funding.value)} per head ({overview.funding.basis}), ranked from the best funded"
    if shown == "deprivation":
        why = (
            f"Core spending power is held for {overview.funding.basis}, but {overview.funding.missing}"
            if overview.funding.missing
            else "Core spending power is not in this store"
        )
        return (
            f"{why}, so deprivation is shown: IMD rank of average "
            f"rank {overview.deprivation.value:.0f} of 151 upper-tier areas, ranked within the group from the "
            "most deprived"
        )
    if shown == "absent":
        return overview.absent
    if shown == "unranked":
        return f"The latest core spending power figures are for {overview.funding.basis}: {overview.funding.missing}"
    return "Neither core spending power nor deprivation is in this store"


def funding_summary(table: pd.DataFrame) -> str | None:
    """Return the Funding chart in words from its league table (``funding_views.funding_view``): the focus
    authority's core spending power per head with the year it is for (the latest published up to the period, as
    the chart's title says), its rank, the group median and the highest; None without a figure for the focus."""
    focus = table[table["is_focus"]]
    if not len(focus):
        return None
    per_head, highest = focus["core_spending_power_per_head"].iloc[0], table.iloc[0]
    return (
        f"{focus['name'].iloc[0]} has {money(per_head)} core spending power per head in {focus['period'].iloc[0]}, "
        f"{position_text(focus['rank'].iloc[0], focus['n_ranked'].iloc[0])} where 1st is best funded; the group "
        f"median is {money(table['core_spending_power_per_head'].median())} and the highest "
        f"{highest['name']} at {money(highest['core_spending_power_per_head'])}."
    )


def overview_sentences(overview: Overview) -> list[str]:
    """Return the Overview's narrative as a list of sentences, each carrying its figures."""
    name, period, previous = overview.focus_name, overview.period, overview.previous_period
    overall, core, spend, funding = overview.overall, overview.core, overview.spend, overview.funding
    sentences = [overview.beside_note] if overview.beside_note else []
    if overall.position is None and overall.reason:  # the coverage rule's words, as under the card
        sentences.append(f"Overall {period}: {overall.reason}")
    ranks = "ranks" if overview.in_group else "would rank"  # beside a group it is not in
    if overall.position is not None:
        text = (
            f"{name} {ranks} {position_text(overall.position, overall.n)} for overall "
            f"performance in {period}"
            f"{_change(overall.position, overall.previous, previous)}"
        )
        if funding.rank is not None:
            text += f", while having {_funding_phrase(funding.rank, funding.n)}"
            if funding.value is not None:  # the year it is for: the latest published may be years before the period
                text += f" ({money(funding.value)}{f' in {funding.basis}' if funding.basis else ''})"
        sentences.append(text + ".")
    if core.position is not None:
        sentences.append(
            f"On the LA Core indicators (county council functions) it {ranks} "
            f"{position_text(core.position, core.n)}"
            f"{_change(core.position, core.previous, previous)}."
        )
    if overview.quadrant and spend.rank is not None:
        words = _QUADRANT_WORDS.get(overview.quadrant, overview.quadrant)
        sentences.append(
            f"Set against net revenue expenditure per head ({money(spend.value)}"
            f"{f' in {spend.basis}' if spend.basis else ''}, "
            f"{rank_by_size(spend.rank, spend.n).lower()}), "
            f"it sits in the {words} quadrant."
        )
    ends = _strongest_and_weakest(overview)
    if ends is not None:
        best, worst = ends
        if not set(best["theme"]) & set(worst["theme"]):  # themes all level: neither strongest nor weakest
            sentences.append(
                f"Its strongest theme{' is' if len(best) == 1 else 's are'} {_themes_text(best)} "
                f"and its weakest {'is' if len(worst) == 1 else 'are'} {_themes_text(worst)}."
            )
    sentences += filter(None, [few_indicators_text(overview), no_positions_text(overview)])
    counts = overview.quartile_counts or {}
    total = sum(counts.values())
    if total:
        sentences.append(
            f"Of {total} indicators with a quartile, {counts.get(1, 0)} are in the top quartile and "
            f"{counts.get(4, 0)} in the bottom quartile."
        )
    currency = overview.currency
    if currency and currency.n_older and overall.position is not None and overall.rests_on is not None:
        sentences.append(
            f"The Overall position rests on {overall.rests_on.n_indicators} indicators ranked for {name}; "
            f"of the {currency.n_indicators} indicators with figures in the group, {currency.n_older} use figures "
            f"published for a period before {period}, the latest available."
        )
    directions = overview.directions
    if previous and (directions.improved or directions.worsened):
        carried = directions.carried_forward
        sentences.append(
            f"Since {previous}, {directions.improved} indicators improved, "
            f"{directions.worsened} worsened and {directions.no_real_change} showed no real change"
            + (
                f" (only figures new in {period} are compared: {carried} indicators carry figures published for "
                "an earlier period forward, unchanged)."
                if carried
                else "."
            )
        )
    return sentences


def theme_summary(overview: Overview) -> str | None:
    """Return the Theme rankings chart in words: the Overall position and the strongest and
    weakest themes, each "of" the authorities positioned in it, and the themes left out as resting on few
    indicators (None without a theme position)."""
    ends = _strongest_and_weakest(overview)
    if ends is None:
        return None
    best, worst = ends
    text = (
        f"Overall {position_text(overview.overall.position, overview.overall.n)}. "
        f"Strongest theme{'' if len(best) == 1 else 's'}: {_themes_text(best)}; weakest: {_themes_text(worst)}."
    )
    few = few_indicators_text(overview)
    return f"{text} {few}" if few else text


def few_indicators_text(overview: Overview) -> str | None:
    """Return which themes are left out of strongest and weakest as resting on few indicators: "Left out of strongest
    and weakest, as their positions rest on fewer than 5 indicators: Housing (2 indicators)."; None when none are."""
    few = overview.few_indicator_themes or {}
    if not few:
        return None
    listed = ", ".join(f"{theme} ({n} indicator{'s' if n != 1 else ''})" for theme, n in few.items())
    return (
        f"Left out of strongest and weakest, as their positions rest on fewer than {overview.min_theme_indicators} "
        f"indicators: {listed}."
    )


def no_positions_text(overview: Overview) -> str | None:
    """Return the themes no authority has a position in that period: "No positions in 2025/26 for Adult Social
    Care."; None when every theme has positions."""
    if not overview.unpositioned_themes:
        return None
    return f"No positions in {overview.period} for {', '.join(overview.unpositioned_themes)}."


def _strongest_and_weakest(overview: Overview) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """Return the theme rows (not Overall or LA Core, nor themes resting on few indicators) standing best and worst
    among the authorities positioned in each, every theme tied there by name; None without such a theme position.

    Standing is the share of the others placed above: 29th of 34 stands lower than 29th of 38, and 10th of 38 in
    two themes is a tie, so both are named (a theme's own group can be smaller, for authorities with no figures)."""
    themes = overview.theme_positions
    if themes is None or not len(themes):
        return None
    left_out = ["Overall", "LA Core", *(overview.few_indicator_themes or {})]
    ranked = themes[~themes["theme"].isin(left_out)].dropna(subset=["position"])
    if not len(ranked):
        return None
    standing = [Fraction(int(p) - 1, max(int(n) - 1, 1)) for p, n in zip(ranked["position"], ranked["n_positioned"])]
    ranked = ranked.assign(_standing=standing).sort_values(["_standing", "theme"])
    best, worst = ranked["_standing"].iloc[0], ranked["_standing"].iloc[-1]
    at = ranked.drop(columns="_standing")
    return at[ranked["_standing"] == best], at[ranked["_standing"] == worst]


def _themes_text(rows: pd.DataFrame) -> str:
    """Return tied themes with their positions: "Economy (10th of 38)", "Children's Social Care (10th of 38) and
    Economy (10th of 38)"."""
    return names_text(
        [f"{row.theme} ({position_text(row.position, row.n_positioned)})" for row in rows.itertuples()],
        limit=len(rows),
    )
