"""Numbers formatted for people: "3rd of 32", "£1,234", "12.3%", "£41.2m"."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from benchmarking.domain import is_share_unit

if TYPE_CHECKING:  # the text layer sits below the service: the type is only named here
    from benchmarking.service.overview import DataCurrency


def _missing(value) -> bool:
    try:
        return value is None or math.isnan(float(value))
    except (TypeError, ValueError):
        return True


def ordinal(n) -> str:
    """Return 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st ... ("–" when missing)."""
    if _missing(n):
        return "–"
    n = int(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def counted(count: int, word: str, plural: str | None = None) -> str:
    """Return a count and its noun: "1 row", "3 rows", "1,234 authorities" (``plural`` when it is not ``word`` + s)."""
    return f"{count:,} {word if count == 1 else plural or word + 's'}"


def names_text(names, limit: int = 4) -> str:
    """Return names as a list in words: "Kent", "Kent and Surrey", "Devon, Kent and Surrey"; beyond ``limit``
    names, the first ``limit - 1`` and "N others" ("Devon, Kent, Surrey and 3 others")."""
    names = [str(name) for name in names]
    if len(names) > limit:
        names = [*names[: limit - 1], f"{len(names) - limit + 1} others"]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}" if names else ""


def sentence_case(text: str) -> str:
    """Return ``text`` with its first letter a capital and the rest as written (``str.capitalize`` would lower
    "English" or "SEND")."""
    return text[:1].upper() + text[1:]


def below_all(position, n) -> bool:
    """Return whether ``position`` is a place after the last of ``n`` (an authority beside a group of n, standing
    below every member); False when either is missing."""
    return not _missing(position) and not _missing(n) and int(position) > int(n)


def below_all_text(n) -> str:
    """Return a place after the last of ``n`` in words: "below all 32" (never "33rd of 32")."""
    return f"below all {int(n)}"


def position_text(position, n) -> str:
    """Return "3rd of 32", "no position" when the position is missing, or "below all 32" for a place after the
    last of 32 (``below_all``: an authority beside a group of 32, standing below every member)."""
    if _missing(position):
        return "no position"
    if below_all(position, n):
        return below_all_text(n)
    return f"{ordinal(position)} of {int(n)}"


def replotted_position_text(position, n, league_position, league_n, among: str) -> str:
    """Return a position re-ranked among the ``n`` authorities a chart plots, with its place in the league table:
    "4th of the 32 with funding figures (5th of 36 in the league table)"."""
    if _missing(position):
        return "no position"
    placed = below_all_text(n) if below_all(position, n) else f"{ordinal(position)} of the {int(n)}"
    return f"{placed} {among} ({position_text(league_position, league_n)} in the league table)"


def position_axis_title(n_positioned) -> str:
    """Return a position axis's title: "Position among 37 positioned (1 = best)", or "Position (1 = best; 31 to
    37 positioned, by theme)" when the positions drawn count different numbers (each is "Xth of N" beside it)."""
    counts = sorted({int(n) for n in n_positioned if not _missing(n)})
    if len(counts) == 1:
        return f"Position among {counts[0]} positioned (1 = best)"
    span = f"; {counts[0]} to {counts[-1]} positioned, by theme" if counts else ""
    return f"Position (1 = best{span})"


def group_size_text(members: int, in_period: int, with_figures: int, period: str) -> str:
    """Return a group's size in a period (``service.group_size``): "44 authorities", "37 authorities in 2022/23;
    7 others abolished or not yet formed", "... ; 35 with figures" when some that existed have none."""
    if in_period == members:
        text = f"{members} authorities"
    else:
        others = members - in_period
        text = f"{in_period} authorities in {period}; {others} other{'s' * (others > 1)} abolished or not yet formed"
    if with_figures < in_period:
        text += f"; {with_figures} with figures for {period}"
    return text


def members_text(members: int, in_period: int, period: str | None, not_existing: Sequence[str], noun: str = "") -> str:
    """Return a saved group's members counted over every period and in ``period`` (``service.saved_groups``), after
    the count its ``noun`` if given: "7" when all existed then, "7 (5 in 2022/23; Cumberland and Northamptonshire did
    not exist then)" otherwise."""
    counted = f"{members} {noun}".strip()
    if period is None or in_period == members:
        return counted
    return f"{counted} ({in_period} in {period}; {names_text(not_existing)} did not exist then)"


def drawn_text(
    drawn: int, of: int, left_out: dict[str, list[str]], limit: int = 4, width: int = 130, verb: str = "drawn"
) -> str:
    """Return how many of a group's authorities a chart draws (or ``verb``: "positioned") and who it leaves out, by
    reason (at most ``limit`` names each, "... and 2 more"): "36 of the 37 drawn; no Overall position: Cumbria". A
    reason that would make a line longer than ``width`` characters (what a chart's subtitle line holds on screen)
    starts a new line."""
    lines = [f"{drawn} of the {of} {verb}"]
    for reason, names in left_out.items():
        more = f" and {len(names) - limit} more" if len(names) > limit else ""
        part = f"{reason}: {', '.join(names[:limit])}{more}"
        if len(lines[-1]) + 2 + len(part) <= width:
            lines[-1] += f"; {part}"
        else:
            lines.append(part)
    return "\n".join(lines)


def older_figures_text(what: str, source: str, years: int, period: str, plural: bool = True) -> str:
    """Return the warning that figures published for an earlier period stand in for ``period``: "Older figures: the
    latest published for this indicator are for 2020-21, 5 reporting periods before 2025/26; they are used until
    newer figures are published" (``what``: "for this indicator are", "core spending power is")."""
    used = "they are" if plural else "it is"
    return (
        f"Older figures: the latest published {what} for {source}, {years} reporting period{'s' if years != 1 else ''} "
        f"before {period}; {used} used until newer figures are published."
    )


def published_for(source_period, status=None, older: bool = False) -> str:
    """Return the period a figure was published for, marked as a list and a chart say it: "2021-22 (earlier)" when
    it is carried forward from an earlier period, "2022/23 (revised)" for a status other than final; blank when
    unknown."""
    if _blank(source_period):
        return ""
    notes = (["earlier"] if older else []) + ([str(status)] if not _blank(status) and status != "final" else [])
    return f"{source_period} ({', '.join(notes)})" if notes else str(source_period)


def _blank(value) -> bool:
    """Whether a text cell is empty: None, NaN or only spaces."""
    return value is None or (not isinstance(value, str) and value != value) or str(value).strip() == ""


def money(value, decimals: int = 0) -> str:
    """Return pounds with thousands separators: £1,234 (or -£12)."""
    if _missing(value):
        return "–"
    sign = "-" if value < 0 else ""
    return f"{sign}£{abs(value):,.{decimals}f}"


def money_millions(value) -> str:
    """Return a large sum in millions: £41.2m, or £1.23bn from a thousand million."""
    if _missing(value):
        return "–"
    sign = "-" if value < 0 else ""
    value = abs(value)
    if value >= 1e9:
        return f"{sign}£{value / 1e9:,.2f}bn"
    return f"{sign}£{value / 1e6:,.1f}m"


def percent(value, decimals: int = 1) -> str:
    """Return a percentage already on the 0-100 scale: 12.3%."""
    if _missing(value):
        return "–"
    return f"{value:,.{decimals}f}%"


def number(value, unit: str | None = None) -> str:
    """Return a value with its unit: % and £ placed as people write them, a share from 0 to 1 to three decimals
    (0.237, 0.001: never "0" for a share that is not nil), else plain."""
    if _missing(value):
        return "–"
    if unit == "%":
        return percent(value)
    if is_share_unit(unit):
        return f"{value:.3f}"
    if unit == "£":
        return money(value, 0 if abs(value) >= 100 else 2)
    if unit == "£m":
        return f"£{value:,.1f}m"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def currency_text(currency: DataCurrency, limit: int = 4) -> str:
    """Return one sentence on how current a position's figures are (``service.overview.data_currency``)."""
    theme, period, n = currency.theme, currency.period, currency.n_indicators
    if not n:
        return f"{theme} has no ranked indicators with figures for {period}."
    plural = "indicator" if n == 1 else "indicators"
    built = f"{theme} {period} is built from {n} {plural} with figures in the group"
    split = currency.n_ranked is not None and currency.n_ranked != n  # what the card's count of ranked ones is of
    if split:
        reasons = "; ".join(
            f"{len(names)} not ranked because {reason} ({_listed(names, limit)})"
            for reason, names in currency.not_ranked.items()
        )
        built += f", of which {currency.n_ranked} are ranked for {currency.focus_name}; {reasons}"
    if currency.n_older:
        older = list(currency.older_periods.items())
        listed = ", ".join(f"{label}: {count}" for label, count in older[:limit])
        more = f" and {len(older) - limit} more" if len(older) > limit else ""
        used = f"use figures published for an earlier period ({listed}{more}), as no newer figures exist."
        text = (
            f"{built}. {currency.n_older} of the {n} {used}" if split else f"{built}; {currency.n_older} of them {used}"
        )
    else:
        text = f"{built}. All are published for {period}." if split else f"{built}, all published for {period}."
    flags = []
    if currency.n_provisional:
        flags.append(f"{currency.n_provisional} include provisional figures")
    if currency.n_revised:
        flags.append(f"{currency.n_revised} include revised figures")
    if flags:
        text += " " + " and ".join(flags).capitalize() + "."
    return text


def _listed(names, limit: int) -> str:
    """Names run on, at most ``limit`` of them ("a, b, c, d and 3 more")."""
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return ", ".join(names[:limit]) + more


def _end_words(rank, n, high: str, low: str) -> str | None:
    """'no rank', 'Highest of n' or 'Lowest of n' when the rank is missing or at an end ('Lowest,
    below all n' for n + 1: an authority beside a group of n), else None."""
    if _missing(rank) or _missing(n):
        return "no rank"
    if int(rank) == 1:
        return f"{high.capitalize()} of {int(n)}"
    if int(rank) == int(n):
        return f"{low.capitalize()} of {int(n)}"
    if below_all(rank, n):  # beside a group of n, below every member
        return f"{low.capitalize()}, {below_all_text(n)}"
    return None


def rank_by_size(rank, n, high: str = "highest", low: str = "lowest") -> str:
    """Return a 1 = highest rank in words from the nearer end: 'Highest of 34', 'Lowest of 34',
    '3rd highest of 34', '2nd lowest of 34' ('no rank' when missing)."""
    ends = _end_words(rank, n, high, low)
    if ends:
        return ends
    rank, n = int(rank), int(n)
    if rank > (n + 1) / 2:
        return f"{ordinal(n - rank + 1)} {low} of {n}"
    return f"{ordinal(rank)} {high} of {n}"


def rank_card_text(rank, n, high: str = "highest", low: str = "lowest") -> str:
    """Return a 1 = highest rank short enough for a headline card: 'Highest of 34', 'Lowest of 34',
    else '5th of 34' ('no rank' when missing)."""
    return _end_words(rank, n, high, low) or position_text(rank, n)


MOSTLY_EARLIER = "mostly earlier figures"
"""The mark of a period whose figures were mostly published for earlier periods (on a line's values in words)."""


def mostly_earlier_text(periods: dict[str, tuple[int, int]]) -> str | None:
    """Return the caption for the periods that rest mostly on earlier figures (``service.overview.
    mostly_earlier_periods``): "2025/26 rests mostly on figures published for earlier periods (257 of 267
    indicators) ..."; None when there are none."""
    if not periods:
        return None
    named = "; ".join(f"{period} ({older} of {n} indicators)" for period, (older, n) in periods.items())
    verb = "rests" if len(periods) == 1 else "rest"
    return (
        f"{named} {verb} mostly on figures published for earlier periods, as no newer ones exist yet: "
        "a position there largely repeats the one before."
    )
