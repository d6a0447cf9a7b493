"""The lookup files every public source is read against: the county areas and the published code lists.

* ``load_county_areas`` reads ``data/county_areas.csv`` (the comparator set with its
  lifetimes and codes, see ``data/README.md``) and checks its rules.
* ``load_code_lookups`` reads the published authority lookups (``lookups/`` of the public
  data), and ``unmatched_reason`` uses them to say what a code that matched no county area
  is: an area total, another council, or unknown.

Which county area a row belongs to is the method's rule (``method.membership``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarking.domain import COMPARATOR_KINDS
from benchmarking.errors import CountyAreasError
from benchmarking.method.membership import SCHEMES, code_table, code_text
from benchmarking.paths import PROJECT_ROOT

from . import read_published_csv

COUNTY_AREAS_FILE = PROJECT_ROOT / "data" / "county_areas.csv"
_AREA_COLUMNS = (
    "code",
    "name",
    "kind",
    "region",
    "start_date",
    "end_date",
    "predecessors",
    "successors",
    "successors_cover_area",
    "dfe_la_number",
    "e_code",
    "other_codes",
)


# ---------------------------------------------------------------------------------------
# The county areas
# ---------------------------------------------------------------------------------------


def load_county_areas(path: Path | str | None = None) -> pd.DataFrame:
    """Return ``county_areas.csv`` with ``start_date``/``end_date`` as dates (end NaT = still exists).

    Raises CountyAreasError naming the row when a kind, date or code breaks the rules:
    kinds are ``COMPARATOR_KINDS``, every authority starts before it ends, and no code of
    any scheme belongs to two authorities whose lifetimes overlap.
    """
    path = Path(path) if path is not None else COUNTY_AREAS_FILE
    if not path.is_file():
        raise CountyAreasError(f"the county areas list {path} is missing; it ships in data/")
    areas = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [column for column in _AREA_COLUMNS if column not in areas.columns]
    if missing:
        raise CountyAreasError(f"{path.name} lacks column(s) {missing}; it has {list(areas.columns)}")
    areas = areas.apply(lambda column: column.str.strip())
    bad_kind = ~areas["kind"].isin(COMPARATOR_KINDS)
    if bad_kind.any():
        row = int(np.flatnonzero(bad_kind)[0])
        raise CountyAreasError(
            f"{path.name}, row {row + 2}: kind {areas['kind'].iloc[row]!r}; use one of {', '.join(COMPARATOR_KINDS)}"
        )
    for column in ("start_date", "end_date"):
        parsed = pd.to_datetime(areas[column].replace("", None), format="%Y-%m-%d", errors="coerce")
        bad = parsed.isna() & areas[column].ne("")
        if column == "start_date":
            bad |= areas[column].eq("")
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise CountyAreasError(
                f"{path.name}, row {row + 2}, column {column!r}: expected a date YYYY-MM-DD, "
                f"got {areas[column].iloc[row]!r}"
            )
        areas[column] = parsed
    reversed_life = areas["end_date"].notna() & (areas["end_date"] < areas["start_date"])
    if reversed_life.any():
        row = int(np.flatnonzero(reversed_life)[0])
        raise CountyAreasError(f"{path.name}, row {row + 2}: end_date is before start_date")
    if areas["code"].duplicated().any():
        raise CountyAreasError(
            f"{path.name}: code(s) {sorted(areas.loc[areas['code'].duplicated(), 'code'])} listed twice"
        )
    areas["successors_cover_area"] = areas["successors_cover_area"].str.lower().eq("true")
    for scheme in SCHEMES:
        _check_no_overlap(code_table(areas, scheme), scheme, path.name)
    return areas.reset_index(drop=True)


def _check_no_overlap(table: pd.DataFrame, scheme: str, file_name: str) -> None:
    ordered = table.sort_values(["source_code", "start_date"]).reset_index(drop=True)
    same_code = ordered["source_code"].eq(ordered["source_code"].shift())
    previous_end = ordered["end_date"].shift().fillna(pd.Timestamp("2200-01-01"))
    overlap = same_code & (ordered["start_date"] <= previous_end)
    if overlap.any():
        row = int(np.flatnonzero(overlap)[0])
        names = ordered.loc[ordered["source_code"] == ordered.loc[row, "source_code"], "name"]
        raise CountyAreasError(
            f"{file_name}: {scheme} code {ordered.loc[row, 'source_code']} belongs to "
            f"{', '.join(names)} at the same time; their lifetimes must not overlap"
        )


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
