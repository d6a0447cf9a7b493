"""What to write instead of a figure cell that is not a number: advice from the cell's shape, in the indicator's unit.

``58.4%`` is refused with the percentage to give (58.4) for an indicator in a percentage unit or none, and the share to
give (0.584) for one measured as a share from 0 to 1 (``domain.is_share_unit``); ``1,234`` without its thousands
separator; ``4,1`` with a decimal point.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal

import numpy as np
import pandas as pd

from benchmarking.domain import is_share_unit
from benchmarking.ingest.rules import MAX_ISSUES_PER_CHECK

_PERCENT = re.compile(r"^([-+]?\d+(?:\.\d+)?)\s*%$")
_THOUSANDS = re.compile(r"^[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_DECIMAL_COMMA = re.compile(r"^[-+]?(?:\d*|\d{1,3}(?:\.\d{3})+),\d+$")  # 4,1 or 1.234,5


def _advice(cell: object, unit: object = None) -> str:
    """Return what to write instead of a cell that is not a number, when its shape says ('' when it does not): a
    percentage without its sign (as the share it is when ``unit``, the indicator's, is a share from 0 to 1), a figure
    without thousands separators, a decimal point for a decimal comma."""
    text = str(cell).strip()
    if (m := _PERCENT.match(text)) and is_share_unit(unit):
        share = format(Decimal(m.group(1)).scaleb(-2).normalize(), "f")
        return (
            f": the indicator is a share from 0 to 1 ({unit!r}): remove the % sign and give the share, such as {share}"
        )
    if m:
        return f": remove the % sign and give the percentage as a number, such as {m.group(1)}"
    point = f"the decimal mark must be a point, such as {text.replace('.', '').replace(',', '.')}"
    if _THOUSANDS.match(text):
        plain = text.replace(",", "")
        alone = text.count(",") == 1 and "." not in text  # '1,234' may be 1.234 written with a decimal comma
        return f": remove the thousands separator, such as {plain}" + (
            f" (if the comma is a decimal mark, {point})" if alone else ""
        )
    return f": {point}" if _DECIMAL_COMMA.match(text) else ""


def not_a_number(table: str, frame: pd.DataFrame, column: str, bad: pd.Series, units: Mapping[str, object]):
    """Return the message for cells of a number column that are not numbers: a function of the cell, or for an
    indicator's values each flagged row's message with advice in its indicator's unit (the first rows shown)."""
    if table != "indicator_value" or column != "value" or "indicator_id" not in frame or not bad.any():
        return lambda cell: f"'{column}' must be a number, got {str(cell)[:40]!r}" + _advice(cell)
    messages = pd.Series(None, index=frame.index, dtype=object)
    for position in np.flatnonzero(bad.to_numpy(dtype=bool))[:MAX_ISSUES_PER_CHECK]:
        cell, indicator = frame[column].iloc[position], str(frame["indicator_id"].iloc[position]).strip()
        advice = _advice(cell, units.get(indicator))
        messages.iloc[position] = f"'{column}' must be a number, got {str(cell)[:40]!r}" + advice
    return messages
