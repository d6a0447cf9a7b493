"""The lookup files every public source is read against: the county areas and the published code lists.

* ``load_code_lookups`` reads the published authority lookups (``lookups/`` of the public
  data), and ``unmatched_reason`` uses them to say what a code that matched no county area
  is: an area total, another council, or unknown.

Which county area a row belongs to is the method's rule (``method.membership``); the county areas themselves,
``data/county_areas.csv`` with their lifetimes and codes, are read by ``method.lifetimes.load_county_areas``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarking.method.membership import code_text

from . import read_published_csv

# ---------------------------------------------------------------------------------------
# Rows that match no county area: what they are, from the shared lookups
# ---------------------------------------------------------------------------------------

OTHER_AUTHORITY = "not a county area: another local authority"
AREA_TOTAL = "not a county area: England, region or other area total"
UNKNOWN_CODE = "code not in any lookup"

_TOTAL_GSS_PREFIXES = ("E92", "E12", "E11", "E13", "K02", "K03", "K04", "W92", "S92", "N92")
"""GSS entity prefixes of countries, regions, metropolitan counties and Inner/Outer London."""
_FIRST_DFE_TOTAL = 970
"""DfE numbers from 970 up are England and the regions in DfE tables."""


@dataclass(frozen=True)
class CodeLookups:
    """Authority codes the shared lookups know, per scheme (to tell 'another council' from 'unknown')."""

    codes: dict[str, frozenset[str]]


def load_code_lookups(folder: Path | str) -> CodeLookups:
    """Return the codes known to the published lookups in ``folder`` (the ``lookups/`` folder).

    GSS codes and E-codes from mySociety's authority list (current and former codes),
    GSS codes and DfE numbers from DfE's ``dfe_las.csv`` and ``dfe_english_la_name_codes.csv``.
    """
    folder = Path(folder)
    mysociety = read_published_csv(
        folder, "mysociety_uk_local_authorities.csv", ("gss-code", "former-gss-codes", "ecode")
    )
    las = read_published_csv(folder, "dfe_las.csv", ("new_la_code", "old_la_code"))
    names = pd.read_csv(folder / "dfe_english_la_name_codes.csv", dtype=str, keep_default_na=False)
    gss = set(mysociety["gss-code"]) | set(las["new_la_code"]) | set(names.iloc[:, 2])
    gss |= {code.strip() for codes in mysociety["former-gss-codes"] for code in codes.split(",")}
    dfe = set(las["old_la_code"]) | set(names.iloc[:, 1])
    ecode = set(mysociety["ecode"])
    return CodeLookups(
        {
            "gss": frozenset(code for code in gss if code),
            "dfe": frozenset(code for code in dfe if code),
            "ecode": frozenset(code for code in ecode if code),
        }
    )


def unmatched_reason(codes: Iterable, scheme: str, lookups: CodeLookups | None) -> pd.Series:
    """Return why each code (of a row that matched no county area) is left out.

    ``AREA_TOTAL`` for England, region and similar totals, ``OTHER_AUTHORITY`` for a code
    the lookups know (or for any code when no lookups were given), else ``UNKNOWN_CODE``
    followed by the code.
    """
    text = pd.Series(list(codes), dtype=object).map(code_text)
    if scheme == "gss":
        total = text.str[:3].isin(_TOTAL_GSS_PREFIXES)
    elif scheme == "dfe":
        total = pd.to_numeric(text, errors="coerce").ge(_FIRST_DFE_TOTAL)
    else:
        total = pd.Series(False, index=text.index)
    known = text.isin(lookups.codes.get(scheme, frozenset())) if lookups is not None else text.ne("")
    reason = pd.Series(np.where(total, AREA_TOTAL, np.where(known, OTHER_AUTHORITY, "")), index=text.index)
    unknown = reason.eq("")
    reason[unknown] = UNKNOWN_CODE + ": " + text[unknown].where(text[unknown].ne(""), "(blank)")
    return reason
