"""The vintage-shift warning as a reader takes it in: one line per reporting period, each indicator listed apart.

A brand-new year from one authority can change the vintage of hundreds of indicators in one reporting period
(``vintage_shift.vintage_shifts``, one ``VintageShift`` each). The preview says the point once per period and kind
("2025/26 would be ranked for the first time on 1 authority's figures (330 indicators; 34 authorities are ranked in
2024/25 now, the others have none for 2025/26 yet)"); the command line names the first indicators under it, the
page lists them all, with their names, in a table (``vintage_frame``). The rule stays in ``vintage_shift``.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

import pandas as pd

from benchmarking.ingest.vintage_shift import VintageShift, are, figures_of, noun
from benchmarking.text.formatting import counted

FIRST_NAMED = 5
"""How many indicators the command line names under a period's line (then how many more)."""
FRAME_COLUMNS = ("indicator", "name", "period", "ranked now", "would be ranked on")
"""The columns of the table of every indicator and period (``vintage_frame``)."""


@dataclass(frozen=True)
class VintagePeriod:
    """The indicators one reporting period would be ranked on fewer authorities for, in one way: for the first time
    (not ranked there now), or on another published period than now."""

    period: str
    shifts: tuple[VintageShift, ...]

    @property
    def first(self) -> bool:
        """True when the period would be ranked for the first time on these indicators."""
        return self.shifts[0].source_before is None

    def text(self) -> str:
        """Return the period's warning in one line: "2025/26 would be ranked for the first time on 1 authority's
        figures (330 indicators; 34 authorities are ranked in 2024/25 now, the others have none for 2025/26 yet)", or
        "2024/25 would be ranked on 1 authority's 2024-25 figures instead of 34 authorities' 2022-23 figures, carried
        forward (12 indicators)"; the indicator's own line (``VintageShift.text``) when there is one."""
        if len(self.shifts) == 1:
            return self.shifts[0].text()
        shifts, indicators = self.shifts, counted(len(self.shifts), "indicator")
        after = _figures(shifts, [s.authorities_after for s in shifts], [s.source_after for s in shifts])
        if self.first:
            latest = {period for period, _ in (s.latest or ("", 0) for s in shifts)}
            ranked = [n for _, n in (s.latest or ("", 0) for s in shifts)]
            where = f"in {next(iter(latest))}" if len(latest) == 1 else f"in their latest periods ({_span(latest)})"
            now = f"{_spread(ranked)} {noun(max(ranked), 'authority', 'authorities')} {are(max(ranked))} ranked {where}"
            return (
                f"{self.period} would be ranked for the first time on {after} ({indicators}; {now} now, the others "
                f"have none for {self.period} yet)"
            )
        before = _figures(shifts, [s.authorities_before for s in shifts], [s.source_before or "" for s in shifts])
        carried = [s.carried for s in shifts]
        carried_text = ", carried forward" if all(carried) else ", some carried forward" if any(carried) else ""
        return f"{self.period} would be ranked on {after} instead of {before}{carried_text} ({indicators})"

    def named(self, limit: int = FIRST_NAMED) -> list[str]:
        """Return the first ``limit`` indicators' own lines, then how many more ("... and 325 more indicators"); none
        when the period's line is its one indicator's."""
        if len(self.shifts) == 1:
            return []
        lines = [s.text() for s in self.shifts[:limit]]
        if len(self.shifts) > limit:
            lines.append(f"... and {counted(len(self.shifts) - limit, 'more indicator')}")
        return lines


def vintage_periods(shifts: list[VintageShift]) -> list[VintagePeriod]:
    """Return ``shifts`` grouped by reporting period (in period order) and kind (fewer authorities than now, then
    ranked for the first time), each group's indicators in their order."""
    return [VintagePeriod(period, tuple(group)) for (period, _), group in groupby(sorted(shifts, key=_kind), _kind)]


def _kind(shift: VintageShift) -> tuple[str, bool]:
    """Return the period of a shift and whether it would be ranked there for the first time."""
    return shift.period, shift.source_before is None


def vintage_frame(shifts: list[VintageShift]) -> pd.DataFrame:
    """Return every indicator and period the warning counts, one row each (``FRAME_COLUMNS``): the indicator, its
    name, the period, what it is ranked on now and what it would be ranked on."""
    rows = [(s.indicator_id, s.name, s.period, _now_cell(s), s.after_text()) for s in shifts]
    return pd.DataFrame(rows, columns=list(FRAME_COLUMNS))


def _now_cell(shift: VintageShift) -> str:
    """Return what the indicator is ranked on in the period now, or "not ranked" and its latest ranked period."""
    return shift.now_text() if shift.source_before is not None else f"not ranked ({shift.now_text()})"


def _figures(shifts: tuple[VintageShift, ...], counts: list[int], sources: list[str]) -> str:
    """Return whose figures, over several indicators: "1 authority's 2024-25 figures", "30 to 34 authorities'
    figures" (the published period named when it is one)."""
    whose = figures_of(counts[0]) if len(set(counts)) == 1 else f"{_spread(counts)} authorities'"
    source = f" {sources[0]}" if len(set(sources)) == 1 else ""
    return f"{whose}{source} {noun(len(shifts) * max(counts), 'figure')}"


def _spread(counts: list[int]) -> str:
    """Return a count, or the range of counts: "34", "30 to 34"."""
    low, high = min(counts), max(counts)
    return f"{low:,}" if low == high else f"{low:,} to {high:,}"


def _span(periods: set[str]) -> str:
    """Return the first and last of period labels: "2023/24 to 2024/25"."""
    return f"{min(periods)} to {max(periods)}"
