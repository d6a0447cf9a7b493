"""Plain-English statements written from the numbers, in the Compendium's register.

Every sentence is built from a figure in the overview dict (``analysis.overview``); a
sentence whose figures are missing is left out rather than written vaguely.
"""

from __future__ import annotations

from benchmarking.text.formatting import money, ordinal, position_text, rank_by_size, rank_card_text

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
    if rank == n:
        return "the lowest core spending power per head in the group"
    if rank == 1:
        return "the highest core spending power per head in the group"
    if rank > n / 2:
        return f"the {ordinal(n - rank + 1)} lowest core spending power per head in the group"
    return f"the {ordinal(rank)} highest core spending power per head in the group"


def spend_card(overview: dict) -> tuple[str, str]:
    """Return the (label, value) of the headline card for net revenue expenditure per head."""
    return "Spend per head (1st = highest)", rank_card_text(overview.get("spend_rank"), overview.get("spend_n"))


def context_card(overview: dict) -> tuple[str, str]:
    """Return the (label, value) of the Overview's fourth card: core spending power per head when
    the store has it, else deprivation (IMD rank), else a plain 'not in these data'."""
    if overview.get("funding_rank") is not None:
        return (
            "Core spending power per head (1st = highest)",
            rank_card_text(overview["funding_rank"], overview["funding_n"]),
        )
    if overview.get("deprivation_rank") is not None:
        return (
            f"{overview.get('deprivation_edition') or 'Deprivation'} (1st = most deprived)",
            position_text(overview["deprivation_rank"], overview["deprivation_n"]),
        )
    return "Core spending power per head", "not in these data"


def overview_sentences(overview: dict) -> list[str]:
    """Return the Overview's narrative as a list of sentences, each carrying its figures."""
    name, period = overview["focus_name"], overview["period"]
    previous = overview.get("previous_period")
    sentences = []
    if overview.get("overall_position") is not None:
        text = (
            f"{name} ranks {position_text(overview['overall_position'], overview['overall_n'])} for overall "
            f"performance in {period}"
            f"{_change(overview['overall_position'], overview.get('previous_overall_position'), previous)}"
        )
        if overview.get("funding_rank") is not None:
            text += f", while having {_funding_phrase(overview['funding_rank'], overview['funding_n'])}"
            if overview.get("core_spending_power_per_head") is not None:
                text += f" ({money(overview['core_spending_power_per_head'])})"
        sentences.append(text + ".")
    if overview.get("core_position") is not None:
        sentences.append(
            f"On the LA Core indicators (county council functions) it ranks "
            f"{position_text(overview['core_position'], overview['core_n'])}"
            f"{_change(overview['core_position'], overview.get('previous_core_position'), previous)}."
        )
    if overview.get("quadrant") and overview.get("spend_rank") is not None:
        words = _QUADRANT_WORDS.get(overview["quadrant"], overview["quadrant"])
        sentences.append(
            f"Set against net revenue expenditure per head ({money(overview['spend_per_head'])}, "
            f"{rank_by_size(overview['spend_rank'], overview['spend_n']).lower()}), "
            f"it sits in the {words} quadrant."
        )
    themes = overview.get("theme_positions")
    if themes is not None and len(themes):
        ranked = themes[~themes["theme"].isin(["Overall", "LA Core"])].dropna(subset=["position"])
        if len(ranked) >= 2:
            best = ranked.sort_values(["position", "theme"]).iloc[0]
            worst = ranked.sort_values(["position", "theme"]).iloc[-1]
            sentences.append(
                f"Its strongest theme is {best['theme']} ({position_text(best['position'], best['n_positioned'])}) "
                f"and its weakest is {worst['theme']} ({position_text(worst['position'], worst['n_positioned'])})."
            )
    counts = overview.get("quartile_counts") or {}
    total = sum(counts.values())
    if total:
        sentences.append(
            f"Of {total} indicators with a quartile, {counts.get(1, 0)} are in the top quartile and "
            f"{counts.get(4, 0)} in the bottom quartile."
        )
    currency = overview.get("currency")
    if currency and currency["n_older"] and overview.get("overall_position") is not None:
        sentences.append(
            f"The Overall position rests on {currency['n_indicators']} indicators, {currency['n_older']} of "
            f"which use figures published for a period before {period}, the latest available."
        )
    if overview.get("previous_period") and (overview.get("improved") or overview.get("worsened")):
        sentences.append(
            f"Since {overview['previous_period']}, {overview['improved']} indicators improved, "
            f"{overview['worsened']} worsened and {overview['no_real_change']} showed no real change."
        )
    return sentences
