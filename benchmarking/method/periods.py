"""Reading published period labels (``2020/21``, ``2021``, ``Mar 2022``) into start dates."""

from __future__ import annotations

import datetime as dt
import re

from benchmarking.errors import BadPeriodError

_MONTHS = {
    m: i + 1 for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])
}
_STATUS_SUFFIX = re.compile(r"\s*\((rev|revised|p|prov|provisional|r|final)\)\s*$", re.I)
# 2020/21, 2020-21, 2020/2021, 2020-2021: a financial or academic year starting in April
_FINANCIAL = re.compile(r"^(\d{4})\s*[/-]\s*(\d{2}|\d{4})$")
_QUARTER = re.compile(r"^q([1-4])\s+(\d{4})\s*[/-]\s*(\d{2}|\d{4})$", re.I)
_MONTH_YEAR = re.compile(r"^([a-z]{3})[a-z]*\.?\s+(\d{4})$", re.I)
_YEAR = re.compile(r"^(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


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
    trailing ``(Rev)``/``(P)`` status marker is ignored here.
    """
    text = _STATUS_SUFFIX.sub("", str(label).strip())
    today = today or dt.date.today()
    start: dt.date | None = None
    if m := _FINANCIAL.match(text):
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
        raise BadPeriodError(
            f"unrecognised period {label!r}: use a published label such as "
            "'2021/22', '2021-22', '2021', 'Mar 2022' or '2014-16'"
        )
    if start > today:
        raise BadPeriodError(f"period {label!r} starts on {start:%d %b %Y}, which is in the future")
    return start


def period_status(label: str) -> str | None:
    """Return 'revised' or 'provisional' when the label carries such a marker, else None."""
    m = _STATUS_SUFFIX.search(str(label))
    if not m:
        return None
    word = m.group(1).lower()
    if word.startswith("r"):
        return "revised"
    if word.startswith("p"):
        return "provisional"
    return None


def financial_year_label(start_year: int) -> str:
    """Return the financial-year label (``2021/22``) that starts in April of ``start_year``."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"
