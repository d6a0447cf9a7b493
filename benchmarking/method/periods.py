"""Period labels (``2020/21``, ``2021``, ``Mar 2022``, ``2024 (Rev)``): their days and their status.

The one home of the period rules: where a period starts (``period_start``) and ends
(``period_span``, ``period_end``), its midpoint (``period_midpoint``: the day that decides
which authorities a period's group holds and which financial year a label counts in), the
status marker a publisher may append (``split_status``, ``status_of_marker``), and the label
of a financial year (``financial_year_label``).

Status markers: a trailing ``(Rev)``, ``(Revised)``, ``(R)``, ``(P)``, ``(Prov)``,
``(Provisional)``, ``(Final)`` or ``(OT)`` (outturn) names the figures' status
(``STATUS_MARKERS``, any case) and is no part of the period; any other bracketed text
makes the label unreadable.

Aliases (``written_as``, ``period_alias``, ``financial_years_of``; applied to imported files by
``ingest.period_keys.canonical_periods``): one period has one label in the store.

- A label whose days are exactly those of a stored label is that period and is written
  with the stored label: ``2021-22``, ``2021/2022`` and ``2021-2022`` are ``2021/22``
  when the store holds ``2021/22`` (and a corrected ``2021-22`` value replaces it). For a
  values file the label is the one the row's indicator holds for those days (``written_as``),
  even where other indicators hold another spelling: ``2023/24`` is ``2023-24`` for an
  indicator stored under ``2023-24``.
- A status marker is no part of the period: ``2021/22 (P)`` is period ``2021/22`` with
  status ``provisional`` (the status column), never a second period. Provisional figures
  never replace final ones: they are refused for an indicator and period whose final
  figures are stored.
- For an indicator whose stored figures are all by financial year, a label of another
  kind (a calendar year such as ``2021`` or a Parquet integer, a month such as
  ``Mar 2022``, a day such as a Parquet date ``2022-03-31``, a quarter) is refused, naming
  every financial year it overlaps and which of them the store holds: one such row would
  otherwise be a period of its own, ranked against no other authority.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from collections import Counter

from benchmarking.errors import BadPeriodError
from benchmarking.method.period_advice import written_instead

_MONTHS = {
    m: i + 1 for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])
}
STATUS_MARKERS = {
    "rev": "revised",
    "revised": "revised",
    "r": "revised",
    "p": "provisional",
    "prov": "provisional",
    "provisional": "provisional",
    "final": "final",
    "ot": "final",
}
"""Status marker of a label (lower-cased) -> the status of its figures (``OT`` = outturn, final)."""

_MARKER = re.compile(r"^(.*?)\s*\(([^)]*)\)\s*$")
# 2020/21, 2020-21, 2020/2021, 2020-2021: a financial or academic year starting in April
_FINANCIAL = re.compile(r"^(\d{4})\s*[/-]\s*(\d{2}|\d{4})$")
_QUARTER = re.compile(r"^q([1-4])\s+(\d{4})\s*[/-]\s*(\d{2}|\d{4})$", re.I)
_MONTH_YEAR = re.compile(r"^([a-z]{3})[a-z]*\.?\s+(\d{4})$", re.I)
_YEAR = re.compile(r"^(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_POOLED_YEARS = re.compile(r"^(\d{4})/(\d{2})-(\d{2}|\d{4})/(\d{2})$")
# 2013/14-2015/16 (or 2013/14-15/16): financial years pooled, April of the first to March after the last


def split_status(label: str) -> tuple[str, str | None]:
    """Return (the label without a trailing bracketed marker, the marker's text or None).

    ``'2024 (Rev)'`` -> ``('2024', 'Rev')``; ``'2023-24'`` -> ``('2023-24', None)``. Whether
    the marker is a known status is ``status_of_marker``'s question.
    """
    text = str(label).strip()
    if m := _MARKER.match(text):
        return m.group(1).strip(), m.group(2)
    return text, None


def status_of_marker(marker: str | None) -> str | None:
    """Return the status a marker names ('revised', 'provisional', 'final'), None if unknown."""
    return None if marker is None else STATUS_MARKERS.get(marker.strip().lower())


def _without_status(label: str) -> str:
    """Return the label without a known status marker (an unknown marker stays, unreadable)."""
    text, marker = split_status(label)
    return text if marker is None or status_of_marker(marker) is not None else str(label).strip()


def _end_year(start: int, suffix: str) -> int:
    if len(suffix) == 4:
        return int(suffix)
    end = (start // 100) * 100 + int(suffix)
    return end + 100 if end < start and end + 100 - start <= 10 else end  # 1999/00 ends in 2000


def period_start(label: str, today: dt.date | None = None) -> dt.date:
    """Return the first day of the period a label names; raise BadPeriodError if unreadable.

    ``2020/21`` and ``2020-21`` start on 1 April 2020 (a single-year span). A
    multi-year span such as ``2014-16`` or ``2018-21`` starts on 1 January of its
    first year. ``2021`` starts 1 January 2021, ``Mar 2022`` on 1 March 2022; a
    trailing status marker (``(Rev)``, ``(P)``) is ignored here.
    """
    text = _without_status(label)
    today = today or dt.date.today()
    start: dt.date | None = None
    if pooled := _pooled_years(text):
        start = dt.date(pooled[0], 4, 1)
    elif m := _FINANCIAL.match(text):
        first = int(m.group(1))
        last = _end_year(first, m.group(2))
        if last == first + 1:
            start = dt.date(first, 4, 1)
        elif last > first + 1:
            start = dt.date(first, 1, 1)
    elif m := _QUARTER.match(text):
        first = int(m.group(2))
        month = 4 + 3 * (int(m.group(1)) - 1)
        start = dt.date(first + (month > 12), (month - 1) % 12 + 1, 1)
    elif (m := _MONTH_YEAR.match(text)) and m.group(1).lower() in _MONTHS:
        start = dt.date(int(m.group(2)), _MONTHS[m.group(1).lower()], 1)
    elif m := _YEAR.match(text):
        start = dt.date(int(m.group(1)), 1, 1)
    elif m := _ISO.match(text):
        try:
            start = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            start = None
    if start is None or not 1900 <= start.year <= 2200:
        advice = (
            written_instead(text)
            or "use a published label such as '2021/22', '2021-22', '2021', 'Mar 2022' or '2014-16'"
        )
        raise BadPeriodError(f"unrecognised period {label!r}: {advice}")
    if start > today:
        raise BadPeriodError(f"period {label!r} starts on {start:%d %b %Y}, which is in the future")
    return start


def period_span(label: str) -> tuple[dt.date, dt.date]:
    """Return the first and last day of the period a label names (BadPeriodError if unreadable).

    ``2022-23`` and ``2022/23``: 1 April 2022 to 31 March 2023; ``2014-16``: 1 January 2014
    to 31 December 2016; financial years pooled, ``2013/14-2015/16``: 1 April 2013 to 31 March 2016;
    ``2023``: the calendar year; ``Jun 2021``: that month; a quarter
    ``Q1 2022-23``: three months; an ISO date: that day. The start is ``period_start``'s.
    """
    start = period_start(label)
    text = _without_status(label)
    if pooled := _pooled_years(text):
        end = dt.date(pooled[1] + 1, 3, 31)
    elif m := _FINANCIAL.match(text):
        first, suffix = int(m.group(1)), m.group(2)
        last = int(suffix) if len(suffix) == 4 else (first // 100) * 100 + int(suffix)
        if last < first:
            last += 100
        end = dt.date(first + 1, 3, 31) if last == first + 1 else dt.date(last, 12, 31)
    elif _QUARTER.match(text):
        end = _add_months(start, 3) - dt.timedelta(days=1)
    elif _MONTH_YEAR.match(text):
        end = dt.date(start.year, start.month, calendar.monthrange(start.year, start.month)[1])
    elif _YEAR.match(text):
        end = dt.date(start.year, 12, 31)
    else:  # an ISO date names one day
        end = start
    return start, end


def period_midpoint(label: str) -> dt.date:
    """Return the middle day of the period (``2022-23`` -> 30 Sep 2022, ``2023`` -> 2 Jul 2023)."""
    start, end = period_span(label)
    return start + (end - start) / 2


@functools.lru_cache(maxsize=4096)
def span_or_none(label: str) -> tuple[dt.date, dt.date] | None:
    """Return ``period_span(label)``, or None when the label cannot be read (cached)."""
    try:
        return period_span(label)
    except BadPeriodError:
        return None


def as_reported(labels, reporting) -> list:
    """Return each published period label written as the reporting period of the same days is (``2022-23`` as
    ``2022/23``), so one year reads one way beside reporting periods; a label of other days (``2022``, ``Sep 2022``)
    as published."""
    spans = {span: str(label) for label in reporting if (span := span_or_none(str(label))) is not None}
    return [spans.get(span_or_none(str(label)), label) if isinstance(label, str) else label for label in labels]


def midpoint_or_none(period: str | dt.date) -> dt.date | None:
    """Return the midpoint of a period label (a date is its own midpoint), None if unreadable."""
    if isinstance(period, dt.date):
        return period
    span = span_or_none(str(period))
    return None if span is None else span[0] + (span[1] - span[0]) / 2


def period_end(label: str) -> dt.date:
    """Return the last day of the period a label names (1 Jan 1900 when it cannot be read)."""
    span = span_or_none(str(label))
    return span[1] if span else dt.date(1900, 1, 1)


def financial_year_label(start_year: int) -> str:
    """Return the financial-year label (``2021/22``) that starts in April of ``start_year``."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def pooled_years_label(label: str) -> str | None:
    """Return the label of a span of financial or academic years named by its first and last years, else None.

    ``2013/14-15/16`` (three years pooled, as DfE LAIT writes them) -> ``2013/14-2015/16``: 1 April 2013 to
    31 March 2016. Not ``2013-16``, which reads as the calendar years 2013 to 2016. None when the label is not such
    a span, or its years run backwards or are not years (``2013/15``).
    """
    pooled = _pooled_years(str(label).strip())
    return None if pooled is None else f"{financial_year_label(pooled[0])}-{financial_year_label(pooled[1])}"


def _pooled_years(text: str) -> tuple[int, int] | None:
    """Return the first and last financial years (the years they start in) of a span of them, else None."""
    m = _POOLED_YEARS.match(text)
    if not m:
        return None
    first, last = int(m.group(1)), _end_year(int(m.group(1)), m.group(3))
    years_each = (first + 1) % 100 == int(m.group(2)) and (last + 1) % 100 == int(m.group(4))
    return (first, last) if years_each and last > first else None


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    return dt.date(day.year + month // 12, month % 12 + 1, 1)


def is_financial_year(label: str) -> bool:
    """Return True when the label (without a status marker) names one financial or academic year."""
    m = _FINANCIAL.match(_without_status(str(label)))
    return bool(m) and _end_year(int(m.group(1)), m.group(2)) == int(m.group(1)) + 1


def financial_years_of(label: str) -> list[str]:
    """Return the financial-year labels (``2021/22``) whose days overlap the period's; [] if unreadable.

    ``Mar 2022`` -> ``['2021/22']``; ``2021`` -> ``['2020/21', '2021/22']``.
    """
    span = span_or_none(str(label))
    if span is None:
        return []
    start, end = span
    first = start.year if start.month >= 4 else start.year - 1
    last = end.year if end.month >= 4 else end.year - 1
    return [financial_year_label(year) for year in range(first, last + 1)]


def same_days(labels: list[str]) -> list[list[str]]:
    """Return the groups of two or more ``labels`` that name exactly the same days (``2010/11``, ``2010-11``,
    ``2010/2011``); labels that name no days, or days no other label names, are in none."""
    by_span: dict[tuple, list[str]] = {}
    for label in labels:
        if (span := span_or_none(_without_status(str(label)))) is not None:
            by_span.setdefault(span, []).append(str(label))
    return [same for same in by_span.values() if len(same) > 1]


def spelt_as(labels: list[str], known: list[str]) -> str:
    """Return the one of ``labels`` written as most ``known`` labels are, digits aside (``2010/11`` beside
    ``2021/22``), else the first in sorted order."""
    shapes = Counter(re.sub(r"\d", "9", label) for label in known)
    return min(labels, key=lambda label: (-shapes[re.sub(r"\d", "9", label)], label))


@functools.lru_cache(maxsize=4096)
def written_as(label: str, held: frozenset[str], given: frozenset[str], known: tuple[str, ...]) -> str:
    """Return the label one indicator's figures for ``label``'s days are stored under: the label of those days it
    holds (``held``; ``label`` itself when held), else, ``spelt_as`` the store's labels, one of those days that the
    file gives it (``given``) and any indicator holds (``known``), else any held one, else one the file gives it."""
    if label in held:
        return label
    days = _days(label)
    if days is None:
        return label
    stored = set(known)
    for choices in (held, given & stored, stored, given):
        same = [other for other in choices if _days(other) == days]
        if same:
            return spelt_as(same, list(known))
    return label


@functools.lru_cache(maxsize=4096)
def _days(label: str) -> tuple[dt.date, dt.date] | None:
    return span_or_none(_without_status(str(label)))


def period_alias(label: str, stored: list[str]) -> str | None:
    """Return the stored label that names exactly the same days as ``label`` (not itself), else None."""
    span = span_or_none(_without_status(str(label)))
    if span is None:
        return None
    for other in stored:
        if other != label and span_or_none(str(other)) == span:
            return str(other)
    return None
