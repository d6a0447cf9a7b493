"""Period labels people write that the store does not read, and the label to write instead.

The store reads a financial year as ``2022-23`` or ``2022/23`` (``periods.period_start``). Other spellings are
refused, never read by guessing, with the label to write:

- ``FYE 2023`` (financial year ending, as DfT and others publish it) is the year ending in March 2023: ``2022-23``;
- ``FY2023`` (or ``FY23``) does not say which year it is: the message names ``2022-23`` for a year ending in March
  2023 and ``2023-24`` for one starting in April 2023, and chooses neither;
- ``FY22/23``, ``FY 2022-23``, ``2022–23`` (an en or em dash), ``2022 to 2023`` and ``22/23`` name one year:
  ``2022-23``; with a dash or "to" between years further apart, the span written with a hyphen (``2014-16``).
"""

from __future__ import annotations

import re

_YEAR = r"(\d{4}|\d{2})"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"  # hyphens and dashes a word processor puts between years
_FINANCIAL_ENDING = re.compile(rf"^fye\s*'?{_YEAR}$", re.I)
_FINANCIAL_ONE_YEAR = re.compile(rf"^fy\s*'?{_YEAR}$", re.I)
_FINANCIAL_RANGE = re.compile(rf"^fye?\s*{_YEAR}\s*[-/{_DASHES}]\s*{_YEAR}$", re.I)
_RANGE = re.compile(rf"^{_YEAR}\s*(?:[{_DASHES}]|to|-|/)\s*{_YEAR}$", re.I)


def written_instead(label: object) -> str | None:
    """Return what to write for a label that reads as a period the store does not read (``FY2023``, ``2022–23``,
    ``22/23``): a clause such as "write 2022-23 (or 2022/23) ...", else None (a label no rule here knows)."""
    text = re.sub(r"\s+", " ", str(label)).strip()
    if m := _FINANCIAL_ENDING.match(text):
        end = _full_year(m.group(1))
        return f"write {_financial(end - 1)} for the financial year ending in March {end}"
    if m := _FINANCIAL_ONE_YEAR.match(text):
        year = _full_year(m.group(1))
        return (
            f"write {_financial(year - 1)} if the year ends in March {year} (as 'FYE {year}' does), or "
            f"{_financial(year)} if it starts in April {year}: 'FY' alone does not say which"
        )
    if m := _FINANCIAL_RANGE.match(text):
        first, last = _full_year(m.group(1)), _full_year(m.group(2))
        return f"write {_financial(first)}" if last == first + 1 else None
    if (m := _RANGE.match(text)) and (len(m.group(1)) == 2 or not re.fullmatch(r"\d{4}\s*[-/]\s*\d{2,4}", text)):
        first, last = _full_year(m.group(1)), _full_year(m.group(2))
        if last == first + 1:
            return f"write {_financial(first)}, the financial year from April {first} to March {last}"
        if first < last <= first + 10 and len(m.group(1)) == 4:
            return f"write {first}-{last % 100:02d} for the calendar years {first} to {last}, with a plain hyphen"
    return None


def _full_year(digits: str) -> int:
    """Return a year written with two or four digits (two digits are this century's: ``23`` is 2023)."""
    return int(digits) if len(digits) == 4 else 2000 + int(digits)


def _financial(start: int) -> str:
    """Return a financial year's label as the store reads it, both spellings: "2022-23 (or 2022/23)"."""
    return f"{start}-{(start + 1) % 100:02d} (or {start}/{(start + 1) % 100:02d})"
