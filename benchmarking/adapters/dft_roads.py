"""DfT road condition (RDC0120): the share of A roads and of B and C roads where maintenance
should be considered, by highway authority, for the county areas.

Reads two sheets of DfT's ``road-condition-data.ods`` (last updated 21 January 2026) as
CSV, and its Notes sheet (``shared/data/PROVENANCE.md`` section 12). Each data sheet has
four title rows, the header on row 5 (``ONS Area Code, Region, Local Authority, FYE 2008
… FYE 2025, Notes``) and one row per highway authority. The sheet is read in long form:
**one row per authority and year** (160 authorities x 18 years = 2,880 rows a sheet), and
every such row is counted as used or skipped with its reason.

* **Periods.** ``FYE 2025`` is the financial year ending March 2025: stored as
  ``2024-25`` (1 April 2024 to 31 March 2025).
* **Markers.** ``[x]`` unavailable, ``[y]`` unrepresentative (insufficient coverage or
  known data-quality problems) and ``[z]`` not applicable stand alone in a cell: DfT
  publishes no figure there, so the row is skipped with the marker's meaning as its reason
  (for ``[y]`` there is no number to keep). ``[r]`` revised and the note numbers are given
  by cell in the ``Notes`` column ("[7] applies to O60, P60 and Q60", spreadsheet cells:
  column D is FYE 2008, row 6 the first authority); ``[note N]`` inside a name is only a
  pointer to them. Revised cells are stored with status ``revised``, the rest ``final``.
* **Survey methods.** Note 7: authorities must survey with SCANNER; figures from other
  methods are flagged as *not directly comparable* with SCANNER figures (Derbyshire's
  A roads go from 2% to 12% the year its method changes). A ranking compares exactly
  that, so flagged cells are **skipped** with that reason (``NOT_SCANNER``), not ranked.
  Note 8 (SCANNER alongside an unaccredited system) keeps the figure: it is SCANNER's.
  Note 6 (SCANNER consistency problems in FYE 2016-2018, authorities unknown) and DfT's
  whole-% rounding (many ties, which share the best rank) are said in the descriptions.
* **Authorities.** Rows are matched by ONS code at the financial year's midpoint
  (``resolve_codes``). DfT publishes Buckinghamshire, North Yorkshire, Somerset and Dorset
  from FYE 2008 under their present unitary codes; the years before the unitary existed
  are the county council's own network and are credited to it (``EARLIER_FIGURES_OF``):
  the same area for the first three, and for Dorset DfT's note 13 says the figures before
  April 2019 include Christchurch, i.e. Dorset County Council's roads. Other rows outside
  an authority's lifetime (County Durham before April 2009, Cumbria after March 2023)
  are skipped with that reason. Districts of other councils, London and England are
  skipped as not county areas.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarking.errors import BenchmarkingError
from benchmarking.method.membership import NOT_A_COUNTY_AREA, Loaded, resolve_codes, skip_counts

from . import invalid, published_file, require_file_columns
from .lookups import CodeLookups, unmatched_reason
from .source import COUNTY_AREAS, Adapter, SourceContext

FOLDER = "dft_road_condition"
A_ROADS_FILE = "road-condition-data__RDC0120_A_Roads_and_Motorways.csv"
BC_ROADS_FILE = "road-condition-data__RDC0120_B_and_C_Roads.csv"
NOTES_FILE = "road-condition-data__Notes.csv"
THEME_SOURCE, THEME_TOPIC = "DfT", "Road condition"
"""The (source, topic) of these measures in ``data/public_theme_map.csv``."""
SOURCE = (
    "Department for Transport, Road condition statistics: RDC0120 percentage of classified road length "
    "where maintenance should have been considered, by local authority in England, FYE 2008 to FYE 2025 "
    "(road-condition-data.ods, last updated 21 January 2026); OGL v3.0"
)
HEADER_ROW = 5
"""The spreadsheet row of the header; the first authority is on the next row."""
FIRST_YEAR_COLUMN = 3
"""Column D (0-based 3) holds FYE 2008."""

MEASURES = {
    A_ROADS_FILE: (
        "dft:rdc0120-a-roads",
        "A roads and motorways where maintenance should be considered",
        "former NI 168 (Single Data List 130-01)",
    ),
    BC_ROADS_FILE: (
        "dft:rdc0120-bc-roads",
        "B and C roads where maintenance should be considered",
        "former NI 169 (Single Data List 130-02)",
    ),
}
"""Sheet file -> (indicator id, name, the national indicator it continues)."""

EARLIER_FIGURES_OF = {
    "E06000060": "E10000002",
    "E06000065": "E10000023",
    "E06000066": "E10000027",
    "E06000059": "E10000009",
}
"""Unitary code DfT publishes the whole series under -> the county council whose roads the
years before the unitary existed are (Buckinghamshire, North Yorkshire, Somerset, Dorset)."""

MARKERS = {
    "[x]": "[x] data unavailable",
    "[y]": "[y] submitted data unrepresentative (insufficient coverage or known data-quality issues): no figure",
    "[z]": "[z] not applicable",
}
NOT_SCANNER = (
    "surveyed by a method other than SCANNER (DfT note 7): not directly comparable with SCANNER figures, so left out"
)
_NOTE_7_WORDS = ("SCANNER", "alternative methods", "not directly comparable")
_KEY_COLUMNS = ("ONS Area Code", "Region", "Local Authority", "Notes")
_YEAR = re.compile(r"^FYE (\d{4})$")
_APPLIES = re.compile(r"\[(\w+)\] applies to (.*?)(?=, \[|$)")
_CELL = re.compile(r"^([A-Z]{1,2})(\d+)$")


def financial_year_of(column: str) -> str | None:
    """Return the store's label of an ``FYE YYYY`` column (``FYE 2025`` -> ``2024-25``), None otherwise."""
    match = _YEAR.match(str(column).strip())
    if match is None:
        return None
    end = int(match.group(1))
    return f"{end - 1}-{end % 100:02d}"


def road_condition_items(folder: Path | str, context: SourceContext) -> Loaded:
    """Return the two road condition indicators and their county-area values, with every
    authority-year row of both sheets counted as used or skipped (by reason)."""
    folder = Path(folder)
    _require_note_7(folder)
    lookups = context.lookups or CodeLookups({})
    theme = context.theme(THEME_SOURCE, THEME_TOPIC)
    indicators, items, rows_read, skipped, flagged = [], [], {}, [], []
    for file_name, (indicator_id, name, former) in MEASURES.items():
        values, reasons, other_method = _sheet_values(folder, file_name, indicator_id, context, lookups)
        rows_read[file_name] = len(reasons)
        flagged.append(_other_method_note(name, other_method, context.areas))
        skipped.append(skip_counts(file_name, reasons))
        items.append(("indicator_value", values, file_name))
        indicators.append(
            {
                "id": indicator_id,
                "name": name,
                "theme": theme,
                "polarity": "low",
                "unit": "%",
                "source": SOURCE,
                "is_core": theme in context.core_themes,
                "description": f"DfT RDC0120, {former}: the percentage of the authority's road length in red "
                "(poor) condition by the SCANNER road condition indicator, by financial year; lower is better. "
                "DfT rounds to whole percentages, so many authorities tie. Figures from other survey methods "
                "(DfT note 7) are not comparable and are left out; DfT notes SCANNER consistency problems in "
                "FYE 2016-2018 for authorities it cannot name (note 6).",
            }
        )
    items.insert(0, ("indicator", pd.DataFrame(indicators), A_ROADS_FILE))
    notes = (
        "DfT road condition: each sheet is read as one row per authority and financial year; 'FYE 2025' is 2024-25.",
        "DfT road condition: figures DfT flags as surveyed by a method other than SCANNER (note 7) are skipped "
        "(not comparable); [x], [y] and [z] cells hold no figure and are skipped with their meaning.",
        "DfT road condition: Buckinghamshire, North Yorkshire, Somerset and Dorset are published under their "
        "unitary codes for every year; years before the unitary existed are credited to the county council.",
        *flagged,
    )
    return Loaded(items, rows_read, pd.concat(skipped, ignore_index=True), notes)


def _require_note_7(folder: Path) -> None:
    """Refuse a workbook whose note 7 is not the survey-method note the flags are read by."""
    with published_file(folder, NOTES_FILE).open(encoding="utf-8-sig", newline="") as handle:
        text = {row[0].strip(): row[1] for row in csv.reader(handle) if len(row) > 1}
    note = text.get("note 7", "")
    if not all(word in note for word in _NOTE_7_WORDS):
        raise BenchmarkingError(
            f"{NOTES_FILE}: note 7 should be DfT's note on survey methods other than SCANNER; it reads {note[:120]!r}"
        )


def _read_sheet(folder: Path, file_name: str) -> pd.DataFrame:
    path = published_file(folder, file_name)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, skiprows=HEADER_ROW - 1, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise BenchmarkingError(f"{file_name} in {folder} cannot be read as a CSV file: {error}") from error
    frame.columns = [str(column).strip() for column in frame.columns]
    require_file_columns(frame, _KEY_COLUMNS, file_name)
    years = list(frame.columns[FIRST_YEAR_COLUMN:-1])
    if not years or any(financial_year_of(column) is None for column in years) or frame.columns[-1] != "Notes":
        raise invalid(file_name, HEADER_ROW, None, f"expected FYE year columns from column D, then Notes; got {years}")
    return frame


def cell_flags(frame: pd.DataFrame, file_name: str) -> pd.DataFrame:
    """Return (row, year column, flag) for every cell the ``Notes`` column names (``r``, ``7``, ``8`` ...).

    ``row`` is the frame's row; a cell naming another row than its own is refused.
    """
    flags = []
    for row, text in enumerate(frame["Notes"].str.strip()):
        if text in ("", "[z]"):
            continue
        matches = list(_APPLIES.finditer(text))
        if not matches or ", ".join(m.group(0) for m in matches) != text:
            raise invalid(file_name, row + HEADER_ROW + 1, "Notes", f"cannot read the notes {text!r}")
        for match in matches:
            for cell in re.split(r",\s*|\s+and\s+", match.group(2).strip()):
                found = _CELL.match(cell.strip())
                column = _column_index(found.group(1)) if found else -1
                if not found or int(found.group(2)) != row + HEADER_ROW + 1 or not 0 <= column < len(frame.columns):
                    raise invalid(file_name, row + HEADER_ROW + 1, "Notes", f"cell {cell!r} is not in this row")
                flags.append((row, frame.columns[column], match.group(1)))
    return pd.DataFrame(flags, columns=["row", "column", "flag"])


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


def _sheet_values(
    folder: Path, file_name: str, indicator_id: str, context: SourceContext, lookups: CodeLookups
) -> tuple[pd.DataFrame, pd.Series, pd.DataFrame]:
    """Return (the county areas' value rows, each authority-year row's skip reason or None, the
    county-area rows left out as another survey method's)."""
    frame = _read_sheet(folder, file_name)
    years = list(frame.columns[FIRST_YEAR_COLUMN:-1])
    flags = cell_flags(frame, file_name)
    long = frame.reset_index(names="row").melt(
        id_vars=["row", "ONS Area Code"], value_vars=years, var_name="column", value_name="cell"
    )
    long["code"] = long["ONS Area Code"].str.strip()
    long["period"] = long["column"].map(financial_year_of)
    for flag in ("r", "7"):
        marked = flags.loc[flags["flag"] == flag, ["row", "column"]].assign(**{flag: True})
        long = long.merge(marked.drop_duplicates(), on=["row", "column"], how="left")
        long[flag] = long[flag].astype("boolean").fillna(False).astype(bool)
    code, reason = _authority_of(context.areas, long["code"], long["period"], lookups)
    cell = long["cell"].str.strip()
    for marker, meaning in MARKERS.items():
        reason[(reason.isna() & cell.eq(marker)).to_numpy()] = meaning
    reason[(reason.isna() & long["7"]).to_numpy()] = NOT_SCANNER
    number = pd.to_numeric(cell, errors="coerce")
    not_number = (reason.isna() & number.isna()).to_numpy()
    reason[not_number] = [f"value {v!r} is not a number" for v in cell[not_number]]
    keep = reason.isna().to_numpy()
    values = pd.DataFrame(
        {
            "indicator_id": indicator_id,
            "authority_code": code[keep],
            "period": long.loc[keep, "period"].to_numpy(),
            "value": number[keep].astype(float).to_numpy(),
            "status": np.where(long.loc[keep, "r"], "revised", "final"),
        }
    )
    other_method = pd.DataFrame({"authority_code": code, "period": long["period"]})[reason.eq(NOT_SCANNER).to_numpy()]
    return values, reason, other_method


def _other_method_note(name: str, other_method: pd.DataFrame, areas: pd.DataFrame) -> str:
    """Return a sentence naming the county areas whose figures were left out as another survey method's."""
    names = dict(zip(areas["code"], areas["name"]))
    spans = [
        f"{names.get(code, code)} {periods.min()} to {periods.max()} ({len(periods)})"
        if len(periods) > 1
        else f"{names.get(code, code)} {periods.iloc[0]}"
        for code, periods in other_method.groupby("authority_code", sort=True)["period"]
    ]
    return (
        f"DfT road condition, {name}: other survey methods (note 7) left out for "
        + ("; ".join(spans) if spans else "no county area")
        + "."
    )


def _authority_of(
    areas: pd.DataFrame, codes: pd.Series, periods: pd.Series, lookups: CodeLookups
) -> tuple[np.ndarray, pd.Series]:
    """Return (the county area of each row or None, the reason a row has none)."""
    resolved = resolve_codes(areas, codes, periods, scheme="gss")
    code = resolved["authority_code"].to_numpy(dtype=object).copy()
    reason = resolved["reason"].copy()
    earlier = (resolved["authority_code"].isna() & codes.isin(list(EARLIER_FIGURES_OF))).to_numpy()
    if earlier.any():
        again = resolve_codes(areas, codes[earlier].map(EARLIER_FIGURES_OF), periods[earlier], scheme="gss")
        found = again["authority_code"].notna().to_numpy()
        rows = np.flatnonzero(earlier)[found]
        code[rows] = again["authority_code"].to_numpy(dtype=object)[found]
        reason[rows] = None
    outside = reason.eq(NOT_A_COUNTY_AREA).to_numpy()
    reason[outside] = unmatched_reason(codes[outside], "gss", lookups).to_numpy()
    return code, reason


ADAPTER = Adapter(
    name="dft-roads",
    title="DfT road condition (RDC0120)",
    folder=FOLDER,
    files=(A_ROADS_FILE, BC_ROADS_FILE, NOTES_FILE),
    provenance=SOURCE,
    read=road_condition_items,
    scopes=(COUNTY_AREAS,),
    short_name="DfT road condition",
    publisher="Department for Transport (DfT)",
    series="road condition",
)
