"""Figures as published: the one rule for when two stored numbers are the same figure.

Pure functions. Sources carry binary noise (DfE's text ``94.899999999999991`` for 94.9; a
division's last digit), so equality is judged on figures rounded to ``SIGNIFICANT_FIGURES``
significant figures: ``published`` for numpy, ``published_sql`` for the ranking queries,
which give the same result bit for bit. Ranks (``ranking``), context ranks (``context``)
and direction of travel's band of no real change (``travel``) all compare through it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SIGNIFICANT_FIGURES = 12
"""Figures are compared at this many significant figures (see ``published``). A double holds
15-17; the noise of parsing text such as ``94.899999999999991`` or of one or two operations
sits in the 16th-17th, so 12 leaves it three orders of magnitude of room. No published
statistic prints 12 significant figures (money in pounds up to £999,999,999.99 needs 11),
so figures that differ as published, 0.0001 against 0.0002 or 1000001 against 1000000,
still differ after rounding: the rounding is relative, so small figures keep their digits."""
_EXACT_POWER = 22  # 10**22 is the largest power of ten a double holds exactly
_POWERS = 10.0 ** np.arange(_EXACT_POWER + 1)  # exact, as DuckDB's 10.0 ** n


def published(values: np.ndarray | pd.Series) -> np.ndarray:
    """Return float ``values`` rounded to ``SIGNIFICANT_FIGURES`` significant figures: the
    figures as published, the ones equality is judged on (below 1e-11 in size: 0; NaN, infinities
    and figures from 1e34 as they are; see ``published_sql``)."""
    values = np.asarray(values, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        digits = (SIGNIFICANT_FIGURES - 1) - np.floor(np.log10(np.abs(values)))
    exact = np.abs(digits) <= _EXACT_POWER  # also False for 0, NaN and infinities
    result = np.where(digits > _EXACT_POWER, 0.0, values)
    up = exact & (digits > 0)
    power = _POWERS[np.abs(digits[up]).astype(np.int64)]
    result[up] = np.rint(values[up] * power) / power
    down = exact & (digits <= 0)
    power = _POWERS[np.abs(digits[down]).astype(np.int64)]
    result[down] = np.rint(values[down] / power) * power
    return result


def published_sql(value: str) -> str:
    """Return SQL that rounds the DOUBLE ``value`` to ``SIGNIFICANT_FIGURES`` significant
    figures with the same floating-point steps as ``published``, so both give the same key.

    The scale is a power of ten of at most 22 digits (exact as a double): figures below 1e-11
    in size count as 0 (what is left of a subtraction such as ``0.1 + 0.2 - 0.3``, never a
    published figure), figures from 1e34 are compared as stored; NULL and infinities are kept."""
    digits = _digits_sql(value)
    return _rounded_sql(value, digits, f"(10.0::DOUBLE ** abs({digits}))")


def with_published_sql(relation: str, value: str, name: str) -> str:
    """Return SQL of the rows of ``relation`` with a column ``name``: the DOUBLE ``value`` as
    ``published_sql`` rounds it, bit for bit.

    Each row's scale is worked out once, in a projection of its own: written as one expression,
    DuckDB takes the logarithm for every use of it, which about doubles the cost of ranking."""
    return f"""SELECT * EXCLUDE (_digits, _power), {_rounded_sql(value, "_digits", "_power")} AS {name}
        FROM (SELECT *, 10.0::DOUBLE ** abs(_digits) AS _power
              FROM (SELECT *, {_digits_sql(value)} AS _digits FROM {relation}))"""


def _digits_sql(value: str) -> str:
    """Return SQL of the decimal places that keep ``SIGNIFICANT_FIGURES`` of ``value`` (negative: tens)."""
    return f"({SIGNIFICANT_FIGURES - 1} - floor(log10(abs({value}))))"


def _rounded_sql(value: str, digits: str, power: str) -> str:
    """Return SQL of ``value`` rounded to ``digits`` decimal places, ``power`` being 10 ** abs(digits)."""
    return (
        f"(CASE WHEN ({value}) = 0 OR NOT isfinite({value}) OR {digits} < -{_EXACT_POWER} THEN ({value}) "
        f"WHEN {digits} > {_EXACT_POWER} THEN 0.0::DOUBLE "
        f"WHEN {digits} > 0 THEN (round_even(({value}) * {power}, 0) / {power}) "
        f"ELSE (round_even(({value}) / {power}, 0) * {power}) END)"
    )


def published_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with every float column's figures as published (``published``): what an export writes, so a
    stored 96.60000000000001 is written 96.6 and figures that rank apart are never written alike."""
    floats = [i for i, kind in enumerate(frame.dtypes) if pd.api.types.is_float_dtype(kind)]
    if not floats:
        return frame
    out = frame.copy()
    for i in floats:
        out.isetitem(i, _published_column(frame.iloc[:, i]))
    return out


def _published_column(column: pd.Series) -> pd.Series:
    """Return the float column's figures as published, missing cells missing."""
    return pd.Series(published(column.to_numpy(dtype=float, na_value=np.nan)), index=column.index, name=column.name)


def published_table(table):
    """Return the Arrow ``table`` with every 64-bit float column's figures as published (as ``published_frame``)."""
    import pyarrow as pa

    for index, field in enumerate(table.schema):
        if pa.types.is_float64(field.type):
            values = published(table.column(index).to_numpy(zero_copy_only=False))
            table = table.set_column(index, field, pa.array(values, pa.float64(), from_pandas=True))
    return table
