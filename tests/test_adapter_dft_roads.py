"""DfT road condition RDC0120 through the adapter: one row per authority and financial year,
'FYE 2025' as 2024-25, markers and DfT's cell notes read as DfT means them.

The fixture tests read the hand-made sheets in ``tests/fixtures/dft_roads`` (no ../shared
needed). The real-file tests count every authority-year cell again with the ``csv`` module
and plain date arithmetic (not the adapter's code) and compare.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from benchmarking.adapters.dft_roads import (
    A_ROADS_FILE,
    ADAPTER,
    BC_ROADS_FILE,
    EARLIER_FIGURES_OF,
    MARKERS,
    NOT_SCANNER,
    NOTES_FILE,
    financial_year_of,
)
from benchmarking.adapters.lookups import AREA_TOTAL, OTHER_AUTHORITY, CodeLookups, load_code_lookups
from benchmarking.adapters.source import SourceContext
from benchmarking.datasets.public_sources import load_theme_map
from benchmarking.errors import BenchmarkingError, ImportValidationError
from benchmarking.ingest.validation import check_batch
from benchmarking.method.lifetimes import load_county_areas
from benchmarking.method.periods import period_span
from benchmarking.paths import PROJECT_ROOT
from benchmarking.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "dft_roads"
LEICESTERSHIRE = "E10000018"
A_ROADS, BC_ROADS = "dft:rdc0120-a-roads", "dft:rdc0120-bc-roads"
LIFETIME = "outside the authority's lifetime"


def context(lookups: CodeLookups | None = None) -> SourceContext:
    return SourceContext(
        areas=load_county_areas(),
        lookups=lookups,
        theme_map=load_theme_map(),
        core_themes=frozenset({"Transport & Highways"}),
    )


def values_of(loaded) -> pd.DataFrame:
    return pd.concat([frame for table, frame, _ in loaded.items if table == "indicator_value"], ignore_index=True)


def skipped_of(loaded, file_name: str) -> dict[str, int]:
    rows = loaded.skipped[loaded.skipped["file"] == file_name]
    return dict(zip(rows["reason"], rows["rows"]))


# ---------------------------------------------------------------------------------------
# Periods
# ---------------------------------------------------------------------------------------


def test_fye_2025_is_the_financial_year_april_2024_to_march_2025():
    """'FYE 2025' = financial year ending March 2025 = '2024-25', whose days are Apr 2024 - Mar 2025."""
    assert financial_year_of("FYE 2025") == "2024-25"
    assert period_span(financial_year_of("FYE 2025")) == (dt.date(2024, 4, 1), dt.date(2025, 3, 31))
    assert financial_year_of("FYE 2008") == "2007-08"
    assert financial_year_of("FYE 2000") == "1999-00"
    assert financial_year_of("Notes") is None


# ---------------------------------------------------------------------------------------
# Hand-made sheets (no ../shared needed)
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fixture_loaded():
    return ADAPTER.items(FIXTURES, context(CodeLookups({"gss": frozenset({"E08000025"})})))


def test_fixture_every_authority_year_is_used_or_skipped_with_its_reason(fixture_loaded):
    """8 authorities x 3 years on the A-road sheet: 11 used, 13 skipped by reason."""
    assert fixture_loaded.rows_read == {A_ROADS_FILE: 24, BC_ROADS_FILE: 6}
    assert skipped_of(fixture_loaded, A_ROADS_FILE) == {
        NOT_SCANNER: 2,
        MARKERS["[x]"]: 1,
        MARKERS["[y]"]: 1,
        "before Cumberland (E06000063) existed (from 2023-04-01)": 1,
        "after Cumbria (E10000006) ceased (2023-03-31)": 2,
        OTHER_AUTHORITY: 3,
        AREA_TOTAL: 3,
    }
    assert skipped_of(fixture_loaded, BC_ROADS_FILE) == {"value 'n/a' is not a number": 1}
    values = values_of(fixture_loaded)
    assert values.groupby("indicator_id").size().to_dict() == {A_ROADS: 11, BC_ROADS: 5}


def test_fixture_values_periods_and_status(fixture_loaded):
    """FYE years become financial years; [r] cells are revised; flagged non-SCANNER cells are not kept;
    North Yorkshire's FYE 2023 figure is North Yorkshire County Council's."""
    values = values_of(fixture_loaded).set_index(["indicator_id", "authority_code", "period"])
    assert values.loc[(A_ROADS, LEICESTERSHIRE, "2024-25"), "value"] == 3.0
    assert values.loc[(A_ROADS, "E10000007", "2022-23"), "value"] == 24.0
    assert (A_ROADS, "E10000007", "2023-24") not in values.index
    assert values.loc[(A_ROADS, "E10000023", "2022-23"), "value"] == 3.0
    assert values.loc[(A_ROADS, "E06000065", "2023-24"), "value"] == 3.0
    assert values.loc[(A_ROADS, "E10000006", "2022-23"), "value"] == 2.0
    assert values.loc[(A_ROADS, "E10000034", "2022-23"), "status"] == "revised"
    assert values.loc[(A_ROADS, "E10000034", "2024-25"), "status"] == "final"
    assert values.loc[(BC_ROADS, LEICESTERSHIRE, "2024-25"), "status"] == "revised"
    assert values.loc[(BC_ROADS, LEICESTERSHIRE, "2023-24"), "status"] == "final"


def test_fixture_indicators(fixture_loaded):
    """Two indicators, %, lower is better, Transport & Highways, core."""
    indicators = next(frame for table, frame, _ in fixture_loaded.items if table == "indicator").set_index("id")
    assert list(indicators.index) == [A_ROADS, BC_ROADS]
    assert indicators.loc[A_ROADS, "name"] == "A roads and motorways where maintenance should be considered"
    assert set(indicators["polarity"]) == {"low"}
    assert set(indicators["unit"]) == {"%"}
    assert set(indicators["theme"]) == {"Transport & Highways"}
    assert indicators["is_core"].all()


def test_fixture_items_pass_the_importers_checks(fixture_loaded, tmp_path):
    batch = check_batch(Store(tmp_path / "check.duckdb"), fixture_loaded.items, load_county_areas()["code"])
    assert batch.issues == []


def _copy_fixtures(tmp_path: Path) -> Path:
    for path in FIXTURES.iterdir():
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def test_a_note_naming_a_cell_of_another_row_is_refused(tmp_path):
    """DfT's notes name spreadsheet cells; one that is not in its own row means the layout moved."""
    folder = _copy_fixtures(tmp_path)
    sheet = folder / A_ROADS_FILE
    sheet.write_text(sheet.read_text().replace("[7] applies to E7 and F7", "[7] applies to E8 and F8"))
    with pytest.raises(ImportValidationError, match="not in this row"):
        ADAPTER.items(folder, context())


def test_a_notes_sheet_whose_note_7_is_another_note_is_refused(tmp_path):
    """The flags are read by DfT's note 7 (survey methods): another note 7 stops the read."""
    folder = _copy_fixtures(tmp_path)
    notes = folder / NOTES_FILE
    notes.write_text(notes.read_text().replace("note 7,", "note 9,"))
    with pytest.raises(BenchmarkingError, match="note 7"):
        ADAPTER.items(folder, context())


def test_a_sheet_without_its_header_on_row_5_is_refused(tmp_path):
    folder = _copy_fixtures(tmp_path)
    sheet = folder / BC_ROADS_FILE
    sheet.write_text("\n".join(sheet.read_text().splitlines()[1:]) + "\n")
    with pytest.raises(ImportValidationError, match=BC_ROADS_FILE):
        ADAPTER.items(folder, context())


def test_earlier_figures_go_to_the_county_council_the_unitary_replaced():
    """Each unitary whose early years are credited to a county council is that council's successor."""
    areas = load_county_areas().set_index("code")
    for unitary, county in EARLIER_FIGURES_OF.items():
        assert areas.loc[unitary, "predecessors"] == county
        assert unitary in areas.loc[county, "successors"].split(";")
        assert areas.loc[county, "end_date"] + pd.Timedelta(days=1) == areas.loc[unitary, "start_date"]


# ---------------------------------------------------------------------------------------
# The real sheets, counted independently
# ---------------------------------------------------------------------------------------

# DfT's series under a unitary code from FYE 2008: the years before the unitary are the county council's.
COUNTY_COUNCIL_BEFORE = {
    "E06000060": "E10000002",  # Buckinghamshire, 1 April 2020
    "E06000065": "E10000023",  # North Yorkshire, 1 April 2023
    "E06000066": "E10000027",  # Somerset, 1 April 2023
    "E06000059": "E10000009",  # Dorset, 1 April 2019 (DfT note 13)
}


def _lifetimes() -> dict[str, tuple[dt.date, dt.date]]:
    with (PROJECT_ROOT / "data" / "county_areas.csv").open(newline="") as handle:
        return {
            row["code"]: (
                dt.date.fromisoformat(row["start_date"]),
                dt.date.fromisoformat(row["end_date"]) if row["end_date"] else dt.date(2200, 1, 1),
            )
            for row in csv.DictReader(handle)
        }


def _sheet(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    return rows[4], rows[5:]


def _flagged(notes: str, flag: str, header: list[str]) -> set[str]:
    """Year columns a Notes cell flags with ``flag`` ('7', 'r'): 'D' is the 4th column (FYE 2008)."""
    years = set()
    for part in re.findall(r"\[" + flag + r"\] applies to ([A-Z0-9, and]+)", notes):
        years |= {header[ord(letter) - ord("A")] for letter in re.findall(r"([A-Z])\d+", part)}
    return years


def _expected(path: Path) -> tuple[int, dict[str, int], dict[tuple[str, str], tuple[float, str]]]:
    """Return (authority-years, skipped by reason, (code, FYE column) -> (value, status)) from the raw sheet."""
    lifetimes = _lifetimes()
    header, rows = _sheet(path)
    year_columns = [column for column in header if column.startswith("FYE ")]
    skipped: dict[str, int] = {}
    used: dict[tuple[str, str], tuple[float, str]] = {}
    for row in rows:
        cells = dict(zip(header, row))
        not_scanner, revised = _flagged(cells["Notes"], "7", header), _flagged(cells["Notes"], "r", header)
        for column in year_columns:
            end_year = int(column[4:])
            midpoint = dt.date(end_year - 1, 9, 30)
            code = cells["ONS Area Code"]
            if code in COUNTY_COUNCIL_BEFORE and midpoint < lifetimes[code][0]:
                code = COUNTY_COUNCIL_BEFORE[code]
            if code not in lifetimes:
                reason = AREA_TOTAL if code.startswith("E92") else OTHER_AUTHORITY
            elif not lifetimes[code][0] <= midpoint <= lifetimes[code][1]:
                reason = LIFETIME
            elif cells[column] in MARKERS:
                reason = cells[column]
            elif column in not_scanner:
                reason = "note 7"
            else:
                used[(code, column)] = (float(cells[column]), "revised" if column in revised else "final")
                continue
            skipped[reason] = skipped.get(reason, 0) + 1
    return len(rows) * len(year_columns), skipped, used


def _by_kind(skipped: dict[str, int]) -> dict[str, int]:
    kinds = {meaning: marker for marker, meaning in MARKERS.items()} | {NOT_SCANNER: "note 7"}
    found: dict[str, int] = {}
    for reason, count in skipped.items():
        kind = LIFETIME if reason.startswith(("before ", "after ")) else kinds.get(reason, reason)
        found[kind] = found.get(kind, 0) + count
    return found


@pytest.fixture(scope="module")
def real(shared_data):
    loaded = ADAPTER.items(shared_data, context(load_code_lookups(shared_data / "lookups")))
    return shared_data / "dft_road_condition", loaded


@pytest.mark.shared_data
@pytest.mark.parametrize(("file_name", "indicator_id"), [(A_ROADS_FILE, A_ROADS), (BC_ROADS_FILE, BC_ROADS)])
def test_real_rows_read_used_and_skipped_match_an_independent_count(real, file_name, indicator_id):
    """Authority-years read, skipped by reason, and every used value with its status equal a
    count of the raw sheet made with csv, the Notes column and plain dates."""
    folder, loaded = real
    rows, skipped, used = _expected(folder / file_name)
    assert loaded.rows_read[file_name] == rows
    assert _by_kind(skipped_of(loaded, file_name)) == skipped
    values = values_of(loaded)
    values = values[values["indicator_id"] == indicator_id]
    got = {
        (code, f"FYE {int(period[:4]) + 1}"): (value, status)
        for code, period, value, status in values[["authority_code", "period", "value", "status"]].itertuples(
            index=False
        )
    }
    assert got == used
    assert rows == len(values) + sum(skipped.values())


@pytest.mark.shared_data
def test_real_counts_as_measured(real):
    """The report's figures: 2,880 authority-years a sheet; 602 A-road and 595 B/C values;
    25 non-SCANNER cells each; every marker kind met on the county rows but [z] (outside lifetimes)."""
    _, loaded = real
    assert loaded.rows_read == {A_ROADS_FILE: 2880, BC_ROADS_FILE: 2880}
    assert values_of(loaded).groupby("indicator_id").size().to_dict() == {A_ROADS: 602, BC_ROADS: 595}
    a_roads, bc_roads = skipped_of(loaded, A_ROADS_FILE), skipped_of(loaded, BC_ROADS_FILE)
    assert (a_roads[NOT_SCANNER], a_roads[MARKERS["[x]"]], a_roads[MARKERS["[y]"]]) == (25, 9, 4)
    assert (bc_roads[NOT_SCANNER], bc_roads[MARKERS["[x]"]], bc_roads[MARKERS["[y]"]]) == (25, 12, 8)


@pytest.mark.shared_data
def test_real_leicestershire_a_roads_fye_2025_is_the_raw_cell(real):
    """Leicestershire's A-road figure for FYE 2025 is stored for 2024-25 and equals the sheet's cell."""
    folder, loaded = real
    header, rows = _sheet(folder / A_ROADS_FILE)
    leicestershire = dict(zip(header, next(row for row in rows if row[0] == LEICESTERSHIRE)))
    values = values_of(loaded).set_index(["indicator_id", "authority_code", "period"])
    assert values.loc[(A_ROADS, LEICESTERSHIRE, "2024-25"), "value"] == float(leicestershire["FYE 2025"])
    assert values.loc[(A_ROADS, LEICESTERSHIRE, "2007-08"), "value"] == float(leicestershire["FYE 2008"])
    periods = set(values.xs(LEICESTERSHIRE, level="authority_code").xs(A_ROADS, level="indicator_id").index)
    assert periods == {f"{y}-{(y + 1) % 100:02d}" for y in range(2007, 2025)}


@pytest.mark.shared_data
def test_real_reorganised_counties_are_split_by_date(real):
    """Buckinghamshire's FYE 2020 figure is the county council's, FYE 2021 the unitary's; Derbyshire's
    A roads stop at FYE 2018, where DfT's other-method flags begin."""
    _, loaded = real
    values = values_of(loaded)
    a_roads = values[values["indicator_id"] == A_ROADS]
    periods = a_roads.groupby("authority_code")["period"].agg(set)
    assert max(periods["E10000002"]) == "2019-20"
    assert min(periods["E06000060"]) == "2020-21"
    assert max(periods["E10000009"]) == "2018-19"
    assert max(periods["E10000007"]) == "2017-18"
    assert max(periods["E10000006"]) == "2022-23"
    assert min(periods["E06000063"]) == "2023-24"


@pytest.mark.shared_data
def test_real_items_pass_the_importers_checks(real, tmp_path):
    _, loaded = real
    batch = check_batch(Store(tmp_path / "check.duckdb"), loaded.items, load_county_areas()["code"])
    assert batch.issues == []


@pytest.mark.shared_data
def test_real_notes_name_the_county_areas_left_out_for_their_survey_method(real):
    """The notes say whose figures were left out: Derbyshire's seven years on both sheets."""
    _, loaded = real
    other_method = [note for note in loaded.notes if "other survey methods (note 7)" in note]
    assert len(other_method) == 2
    assert all("Derbyshire 2018-19 to 2024-25 (7)" in note for note in other_method)
    assert "Leicestershire" not in " ".join(other_method)
