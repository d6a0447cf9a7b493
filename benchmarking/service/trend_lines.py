"""The Trend page's lines: each authority's positions over time without the periods that rest on few indicators
(``lists.thin_periods``, the rule the Overview's sparkline and its words follow), what was left out, and every
line in words."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from benchmarking.service.explain import coverage_reason
from benchmarking.service.lists import ThinPeriods, axis_periods, rests_on_few, thin_periods, trend_in_words
from benchmarking.text.formatting import counted, names_text


@dataclass(frozen=True)
class TrendLines:
    """What the Trend chart draws and says (``trend_lines``)."""

    drawn: pd.DataFrame
    """The rows with a position, each line (authority and theme) without its thin periods."""
    left_out: dict[str, list[tuple[str, ThinPeriods]]]
    """Per theme with periods left out: (authority name, its thin periods in the theme), the focus first."""
    words: str | None
    """Every line in words, the focus first, each naming the periods it leaves out: "Leicestershire's position
    (1 = best): Overall: 16 in 2015/16 to 5 in 2025/26 (left out: 18 periods, 1997/98 to 2014/15, which rest on few
    indicators). Wiltshire's position: Overall: ..."; None without positions."""
    periods: list[str]
    """Every period from the first to the last drawn, oldest first: the chart's axis, a period no line holds too."""
    unheld: list[str]
    """Per line and period of ``periods`` with no position under the coverage rule, why: "Cumbria has no Overall
    position in 2022/23: the authority has values for 162 of Overall's 325 ranked indicators (49.8%), below ..."."""


def trend_lines(trend: pd.DataFrame, focus: str, min_coverage: float = 0.5) -> TrendLines:
    """Return the lines of ``trend`` (``views.trend_view``: name, authority_code, theme, period, position,
    n_indicators, n_available, ...; themes in the order chosen, periods oldest first) as drawn: per authority and
    theme, without the periods that rest on few of its indicators; the focus authority first, then the others A-Z;
    ``min_coverage``: the coverage rule the positions follow, named for the periods without one."""
    positioned = trend.dropna(subset=["position"])
    codes = list(dict.fromkeys(positioned.sort_values("name", kind="stable")["authority_code"]))
    codes = ([focus] if focus in codes else []) + [code for code in codes if code != focus]
    kept, left_out, words = [], {}, []
    for code in codes:
        rows = positioned[positioned["authority_code"] == code]
        name = str(rows["name"].iloc[0])
        thin = thin_periods(rows)
        out = {(found.theme, period) for found in thin for period in found.periods}
        shown = rows[[(str(t), p) not in out for t, p in zip(rows["theme"], rows["period"])]]
        kept.append(shown)
        for found in thin:
            left_out.setdefault(found.theme, []).append((name, found))
        if said := trend_in_words(rows, thin):  # the periods left out of the line, named
            words.append(f"{name}'s position{'' if words else ' (1 = best)'}: {said}.")
    drawn = pd.concat(kept).sort_index() if kept else positioned
    periods = axis_periods(trend, drawn)
    return TrendLines(
        drawn=drawn,
        left_out=left_out,
        words=" ".join(words) or None,
        periods=periods,
        unheld=_unheld(trend, codes, periods, min_coverage),
    )


SHOWN = "shown"
"""``on_the_chart`` of a row the chart draws."""


def trend_table(trend: pd.DataFrame, lines: TrendLines) -> pd.DataFrame:
    """Return every row of ``trend`` (every period held, not only those drawn) with ``on_the_chart``: "shown", or
    why not: "left out: rests on 4 indicators (up to 214 in other periods)" (the thin-periods rule,
    ``lists.thin_periods``) or "no position"."""
    thin = {}  # (authority name, theme, period) -> the theme's most indicators in the periods shown
    for items in lines.left_out.values():
        for name, found in items:
            thin.update({(name, found.theme, period): found.most for period in found.periods})
    drawn = set(zip(lines.drawn["authority_code"], lines.drawn["theme"].astype(str), lines.drawn["period"]))

    def said(row) -> str:
        if pd.isna(row.position):
            return "no position"
        if (row.authority_code, str(row.theme), row.period) in drawn:
            return SHOWN
        most = thin.get((row.name, str(row.theme), row.period))
        against = f" (up to {most:,} in other periods)" if most is not None else ""
        return f"left out: rests on {counted(int(row.n_available), 'indicator')}{against}"

    return trend.assign(on_the_chart=[said(row) for row in trend.itertuples(index=False)])


def held_periods(trend: pd.DataFrame) -> list[str]:
    """Return the first and the last period ``trend`` holds a position in (oldest first; empty without any): the
    range of ``trend_table``, wider than the chart's when early periods rest on few indicators."""
    positioned = trend.dropna(subset=["position"]).sort_values("period_start", kind="stable")
    return [str(positioned["period"].iloc[0]), str(positioned["period"].iloc[-1])] if len(positioned) else []


def _unheld(trend: pd.DataFrame, codes: list[str], periods: list[str], min_coverage: float) -> list[str]:
    """Return ``TrendLines.unheld``: per authority (in ``codes`` order) and theme, each period of ``periods`` it has
    no position in and that does not rest on few indicators (``lists.rests_on_few``), with the coverage rule's
    reason."""
    said = []
    for code in codes:
        for theme, rows in trend[trend["authority_code"] == code].groupby("theme", sort=False):
            unheld = rows["position"].isna().to_numpy() & ~rests_on_few(rows) & rows["period"].isin(periods).to_numpy()
            for row in rows[unheld].itertuples():
                why = coverage_reason(int(row.n_indicators), int(row.n_available), min_coverage, str(theme))
                said.append(f"{row.name} has no {theme} position in {row.period}: {why}")
    return said


def left_out_text(theme: str, lines: list[tuple[str, ThinPeriods]], named: bool) -> str:
    """Return the periods a theme's lines leave out, in words: "Adult Social Care rests on few indicators in 2015/16
    (2 indicators, against up to 5 in other periods): left out of the line and the words."; ``named``: the lines
    are named (several authorities are drawn), "in 2015/16 for Leicestershire and Cumbria" or "in 2015/16 for
    Leicestershire; 2014/15, 2015/16 for Cumbria"."""
    fewest = min(thin.fewest for _, thin in lines)
    most_of_thin = max(thin.most_of_thin for _, thin in lines)
    counts = f"{fewest}" if fewest == most_of_thin else f"{fewest}-{most_of_thin}"
    periods = {thin.named() for _, thin in lines}
    if not named:
        where = "; ".join(sorted(periods))
    elif len(periods) == 1:
        where = f"{periods.pop()} for {names_text([name for name, _ in lines])}"
    else:
        where = "; ".join(f"{thin.named()} for {name}" for name, thin in lines)
    return (
        f"{theme} rests on few indicators in {where} ({counts} indicators, against up to "
        f"{max(thin.most for _, thin in lines)} in other periods): left out of the "
        f"{'lines' if named else 'line'} and the words."
    )
