"""ONS Explore Local Statistics through its adapter (``adapters.ons_els``).

The real-data tests read the 23 files of ``ons_els/`` once (skipped without ``../shared``)
and compare what the adapter made of them with counts taken here, with plain pandas, from
the raw files: rows read, rows used (county-area rows with a value, the county area alive at
the middle of the publisher's own ISO period), rows skipped for ``x`` and ``u``. The fixture
tests read a few hand-made rows in ``tests/fixtures/ons_els`` (a district, a region, ``x``
and ``u`` rows, a three-year and an academic period, a second code, Cornwall's combined code)
and run without ``../shared``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from benchmarking.adapters.lookups import CodeLookups, load_code_lookups
from benchmarking.adapters.ons_els import (
    ADAPTER,
    BLANK,
    FILES,
    LOW_RELIABILITY_BLANK,
    LOW_RELIABILITY_NOTE,
    NOT_AVAILABLE,
    els_items,
)
from benchmarking.adapters.ons_els_catalogue import load_catalogue, period_label
from benchmarking.adapters.source import SourceContext
from benchmarking.datasets.public_sources import load_theme_map
from benchmarking.ingest.importer import import_frames
from benchmarking.method.lifetimes import load_county_areas
from benchmarking.method.periods import financial_years_of, period_span
from benchmarking.paths import PROJECT_ROOT
from benchmarking.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "ons_els"
LEICESTERSHIRE = "E10000018"
CORE_THEMES = frozenset({"Health - Adult", "Transport & Highways", "Environment & Waste"})


def _context(lookups: CodeLookups | None) -> SourceContext:
    return SourceContext(
        areas=load_county_areas(), lookups=lookups, theme_map=load_theme_map(), core_themes=CORE_THEMES
    )


def _frames(loaded, table: str) -> pd.DataFrame:
    frames = [frame for name, frame, _ in loaded.items if name == table]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _skipped(loaded, file_name: str) -> dict[str, int]:
    rows = loaded.skipped[loaded.skipped["file"] == file_name]
    return dict(zip(rows["reason"], rows["rows"]))


def _used(loaded, file_name: str) -> int:
    return sum(len(frame) for name, frame, source in loaded.items if name == "indicator_value" and source == file_name)


# ---------------------------------------------------------------------------------------
# Periods (pure)
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("iso", "label", "first", "last"),
    [
        ("2019-01-01/P1Y", "2019", "2019-01-01", "2019-12-31"),
        ("2011-01-01/P3Y", "2011-13", "2011-01-01", "2013-12-31"),
        ("2001-01-01/P3Y", "2001-03", "2001-01-01", "2003-12-31"),
        ("2021-04-01/P1Y", "2021-22", "2021-04-01", "2022-03-31"),
    ],
)
def test_period_label_names_the_publishers_days(iso, label, first, last):
    """Calendar, three-year and financial periods get labels whose span is exactly the ISO period."""
    assert period_label(iso) == label
    assert period_span(label) == (pd.Timestamp(first).date(), pd.Timestamp(last).date())


def test_academic_year_counts_in_the_same_reporting_year_as_its_august_to_july_span():
    """``2019-08-01/P1Y`` is 2019/20; the store reads it April-March, the same financial year at its midpoint."""
    label = period_label("2019-08-01/P1Y")
    assert label == "2019/20"
    true_midpoint = pd.Timestamp("2019-08-01") + (pd.Timestamp("2020-07-31") - pd.Timestamp("2019-08-01")) / 2
    assert financial_years_of(true_midpoint.strftime("%b %Y")) == ["2019/20"]
    start, end = period_span(label)
    assert financial_years_of(label) == ["2019/20"] and start <= true_midpoint.date() <= end


def test_other_periods_take_the_calendar_year_they_mostly_cover_or_none():
    """Active Lives years (Nov-Nov) -> the year of their midpoint; bare dates -> their year; P2Y -> no label."""
    assert period_label("2015-11-16/P1Y") == "2016"
    assert period_label("2025-04-30") == "2025"
    assert period_label("2019-01-01/P2Y") is None
    assert period_label("2019-07-01/P3Y") is None
    assert period_label("2019") is None
    assert period_label("2019-02-30/P1Y") is None


# ---------------------------------------------------------------------------------------
# The fixture: a few hand-made rows, no ../shared needed
# ---------------------------------------------------------------------------------------

FIXTURE_FILES = (
    "healthy-life-expectancy.csv",
    "apprenticeships.csv",
    "gross-median-weekly-pay.csv",
    "cigarette-smokers__commit_fdece5df.csv",
    "adult-obesity-prevalence.csv",
)


@pytest.fixture(scope="module")
def fixture_loaded():
    """The adapter's Loaded for the fixture files, Blaby known to the lookups as another council."""
    lookups = CodeLookups({"gss": frozenset({"E07000129"}), "dfe": frozenset(), "ecode": frozenset()})
    return els_items(FIXTURES, _context(lookups), files=FIXTURE_FILES)


def test_fixture_rows_are_used_or_skipped_with_their_reason(fixture_loaded):
    """Every hand-made row is counted once: used, or skipped under the reason worked out by hand."""
    hle = "healthy-life-expectancy.csv"
    assert fixture_loaded.rows_read[hle] == 12
    # Leicestershire 2020-22, its u row 2019-21, NYCC 2019-21, Cornwall, Somerset CC (back-cast of E06000066)
    assert _used(fixture_loaded, hle) == 5
    assert _skipped(fixture_loaded, hle) == {
        "not a county area: England, region or other area total (Nation)": 1,
        NOT_AVAILABLE: 1,
        BLANK: 1,
        "period '2018-01-01/P2Y' has no label in the store": 1,
        "indicator 'Healthy life expectancy at 65' not in data/ons_els_indicators.csv": 1,
        "not a county area: another local authority (Local Authority District)": 1,
        "second code of E10000023 in this period (its own code's row is used)": 1,
    }
    apprenticeships = "apprenticeships.csv"
    assert _used(fixture_loaded, apprenticeships) == 2
    assert _skipped(fixture_loaded, apprenticeships) == {
        LOW_RELIABILITY_BLANK: 1,
        "second code of E06000060 in this period (its own code's row is used)": 1,
    }
    pay = "gross-median-weekly-pay.csv"
    assert _used(fixture_loaded, pay) == 2
    assert _skipped(fixture_loaded, pay) == {"observation 'n/a' is not a number": 1}
    smokers = "cigarette-smokers__commit_fdece5df.csv"
    assert _used(fixture_loaded, smokers) == 1
    assert _skipped(fixture_loaded, smokers) == {
        "not a county area: England, region or other area total (Region)": 1,
        NOT_AVAILABLE: 1,
    }
    for file_name, read in fixture_loaded.rows_read.items():
        assert read == _used(fixture_loaded, file_name) + sum(_skipped(fixture_loaded, file_name).values())


def test_fixture_values_periods_and_status(fixture_loaded):
    """Values as written, labels as the publisher means them, pay 2025 provisional."""
    values = _frames(fixture_loaded, "indicator_value").set_index(["indicator_id", "authority_code", "period"])
    assert values.loc[("els:male-healthy-life-expectancy", LEICESTERSHIRE, "2020-22"), "value"] == 64.1
    assert values.loc[("els:female-healthy-life-expectancy", LEICESTERSHIRE, "2019-21"), "value"] == 63.5
    assert values.loc[("els:male-healthy-life-expectancy", "E10000023", "2019-21"), "value"] == 64.0
    assert values.loc[("els:male-healthy-life-expectancy", "E10000027", "2019-21"), "value"] == 64.4
    assert values.loc[("els:male-healthy-life-expectancy", "E06000052", "2020-22"), "value"] == 61.0
    assert values.loc[("els:apprenticeship-starts-england", LEICESTERSHIRE, "2019/20"), "value"] == 700
    assert values.loc[("els:apprenticeship-starts-england", "E06000060", "2020/21"), "value"] == 650
    assert values.loc[("els:cigarette-smokers", LEICESTERSHIRE, "2023"), "value"] == 10.5
    assert values.loc[("els:adult-obesity-prevalence", LEICESTERSHIRE, "2016"), "value"] == 25.1
    pay = values.loc[("els:gross-median-weekly-pay", LEICESTERSHIRE)]
    assert pay.loc["2025", "value"] == 700.5 and pay.loc["2025", "status"] == "provisional"
    assert pay.loc["2023", "status"] == "final"


def test_fixture_low_reliability_and_combined_values_carry_a_note(fixture_loaded):
    """The u value, the 'unreliable' estimate and Cornwall's combined value each get one note."""
    notes = _frames(fixture_loaded, "note").set_index(["indicator_id", "authority_code", "period"])["note"]
    assert notes.to_dict() == {
        ("els:female-healthy-life-expectancy", LEICESTERSHIRE, "2019-21"): LOW_RELIABILITY_NOTE,
        ("els:male-healthy-life-expectancy", "E06000052", "2020-22"): (
            "ONS: value for Cornwall and Isles of Scilly combined (code E67000002)."
        ),
        ("els:adult-obesity-prevalence", LEICESTERSHIRE, "2021"): (
            "ONS: Estimate and confidence interval unreliable since the group sample size is small (3-9)"
        ),
    }


def test_fixture_indicators_follow_the_catalogue_and_the_importer_accepts_them(fixture_loaded, tmp_path):
    """Indicators take the catalogue's id, polarity and unit and the theme map's theme; the items import."""
    indicators = _frames(fixture_loaded, "indicator").set_index("id")
    hle = indicators.loc["els:male-healthy-life-expectancy"]
    assert (hle["theme"], hle["polarity"], hle["unit"], bool(hle["is_core"])) == (
        "Health - Adult",
        "high",
        "years",
        True,
    )
    assert "4 of its 4 county-area values" in hle["description"]
    assert "1 value of Somerset CC before their reorganisation is" in hle["description"]
    assert indicators.loc["els:cigarette-smokers", "polarity"] == "low"
    assert indicators.loc["els:apprenticeship-starts-england", "theme"] == "Economy"
    store = Store(tmp_path / "els.duckdb")
    store.initialise()
    areas = load_county_areas()
    authorities = ("authority", areas[["code", "name", "kind", "region"]], "county_areas.csv")
    result = import_frames(store, [authorities, *fixture_loaded.items], dataset_name=ADAPTER.title)
    assert result.counts["indicator_value"]["added"] == sum(
        len(f) for t, f, _ in fixture_loaded.items if t == "indicator_value"
    )
    assert result.counts["note"]["added"] == 3


# ---------------------------------------------------------------------------------------
# The real files (../shared/data/ons_els)
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def raw(shared_data: Path) -> dict[str, pd.DataFrame]:
    """Each published file as text cells, the smokers file's older header under the current names."""
    renamed = {"AREACD": "areacd", "Geography": "geography", "Variable Name": "indicator", "Period": "period"}
    renamed |= {"Observation": "observation", "Observation Status": "status"}
    frames = {}
    for file_name in FILES:
        frame = pd.read_csv(shared_data / "ons_els" / file_name, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        frames[file_name] = frame.rename(columns=renamed)
    return frames


@pytest.fixture(scope="module")
def loaded(shared_data: Path):
    """The adapter's Loaded for the 23 real files (read once for the module)."""
    return ADAPTER.items(shared_data, _context(load_code_lookups(shared_data / "lookups")))


def _publisher_midpoint(period: str) -> pd.Timestamp:
    """Return the middle of an ISO period as ONS means it (start + n years - 1 day; a bare date is itself)."""
    start_text, _, duration = period.partition("/")
    start = pd.Timestamp(start_text)
    end = start + pd.DateOffset(years=int(duration[1:-1])) - pd.Timedelta(days=1) if duration else start
    return start + (end - start) / 2


def _area_codes() -> pd.DataFrame:
    """Return (source, area, start, end): each county area's own and other codes, the code of its one
    successor when that covers the same area (ONS back-casts), and Cornwall's combined code."""
    areas = pd.read_csv(PROJECT_ROOT / "data" / "county_areas.csv", dtype=str, keep_default_na=False)
    columns = ["source", "area", "start", "end"]
    own = areas[["code", "code", "start_date", "end_date"]].set_axis(columns, axis=1)
    other = areas.assign(other=areas["other_codes"].str.split(";")).explode("other")
    other = other[["other", "code", "start_date", "end_date"]].set_axis(columns, axis=1)
    same_area = areas[areas["successors_cover_area"].eq("true") & ~areas["successors"].str.contains(";")]
    same_area = same_area[["successors", "code", "start_date", "end_date"]].set_axis(columns, axis=1)
    codes = pd.concat([own, other[other["source"].ne("")], same_area])
    return pd.concat([codes, codes[codes["source"].eq("E06000052")].assign(source="E67000002")])


def _expected_county_rows(frame: pd.DataFrame, codes: pd.DataFrame) -> pd.DataFrame:
    """Return the raw rows of a county area alive at the middle of the publisher's ISO period, counted here."""
    rows = frame.merge(codes, left_on="areacd", right_on="source")
    rows["mid"] = rows["period"].map({period: _publisher_midpoint(period) for period in rows["period"].unique()})
    end = pd.to_datetime(rows["end"].where(rows["end"].ne(""), None))
    alive = (pd.to_datetime(rows["start"]) <= rows["mid"]) & (end.isna() | (rows["mid"] <= end))
    return rows[alive]


@pytest.mark.shared_data
def test_every_file_counts_match_an_independent_count(raw, loaded):
    """Read = raw rows; used = county-area rows with a value; x and u rows skipped under their reason."""
    assert set(loaded.rows_read) == set(FILES) and len(FILES) == 23
    codes = _area_codes()
    for file_name, frame in raw.items():
        county = _expected_county_rows(frame, codes)
        with_value = county[county["observation"].ne("")]
        assert loaded.rows_read[file_name] == len(frame), file_name
        assert _used(loaded, file_name) == len(with_value.drop_duplicates(["indicator", "area", "period"])), file_name
        skipped = _skipped(loaded, file_name)
        assert sum(skipped.values()) == len(frame) - _used(loaded, file_name), file_name
        assert skipped.get(NOT_AVAILABLE, 0) == county["status"].eq("x").sum(), file_name
        assert skipped.get(LOW_RELIABILITY_BLANK, 0) == county["status"].eq("u").sum(), file_name
        markers = set(frame["status"]) - {"", "x", "u"}
        assert all(marker.startswith("Value for ") for marker in markers), (file_name, markers)


@pytest.mark.shared_data
def test_real_counts_as_measured(loaded):
    """The totals measured when the adapter was written: 14,639 values of 40 indicators, 717 of them back-casts."""
    values = _frames(loaded, "indicator_value")
    assert len(values) == 14_639
    assert values["indicator_id"].nunique() == 40
    assert not values.duplicated(["indicator_id", "authority_code", "period"]).any()
    assert values["value"].notna().all()
    assert set(values["authority_code"]) <= set(load_county_areas()["code"])
    skipped = loaded.skipped.groupby("reason")["rows"].sum()
    assert skipped[NOT_AVAILABLE] == 19 and skipped[LOW_RELIABILITY_BLANK] == 19
    assert len(_frames(loaded, "note")) == 25  # Cornwall's combined code: 15 CVD and 10 cancer values
    back_casts = [int(re.search(r"(\d+) read from a same-area successor", note).group(1)) for note in loaded.notes]
    assert sum(back_casts) == 717


@pytest.mark.shared_data
def test_leicestershire_values_equal_the_raw_rows(raw, loaded):
    """A row of each period kind for Leicestershire, read from the raw file here, is the stored value."""
    values = _frames(loaded, "indicator_value").set_index(["indicator_id", "authority_code", "period"])["value"]
    cases = [
        (
            "healthy-life-expectancy.csv",
            "Male healthy life expectancy",
            "2022-01-01/P3Y",
            "els:male-healthy-life-expectancy",
            "2022-24",
        ),
        (
            "apprenticeships.csv",
            "Apprenticeship starts (England)",
            "2019-08-01/P1Y",
            "els:apprenticeship-starts-england",
            "2019/20",
        ),
        ("personal-wellbeing-estimates.csv", "Anxiety", "2021-04-01/P1Y", "els:anxiety", "2021-22"),
        ("claimant-count.csv", "Claimant Count", "2019-01-01/P1Y", "els:claimant-count", "2019"),
        (
            "adult-obesity-prevalence.csv",
            "Adult obesity prevalence",
            "2015-11-16/P1Y",
            "els:adult-obesity-prevalence",
            "2016",
        ),
        ("gross-median-weekly-pay.csv", "Gross median weekly pay", "2025-04-30", "els:gross-median-weekly-pay", "2025"),
        (
            "cigarette-smokers__commit_fdece5df.csv",
            "Cigarette smokers",
            "2023-01-01/P1Y",
            "els:cigarette-smokers",
            "2023",
        ),
    ]
    for file_name, indicator, period, indicator_id, label in cases:
        frame = raw[file_name]
        row = frame[
            (frame["areacd"] == LEICESTERSHIRE) & (frame["indicator"] == indicator) & (frame["period"] == period)
        ]
        assert len(row) == 1, (file_name, period)
        assert values[(indicator_id, LEICESTERSHIRE, label)] == float(row["observation"].iloc[0])


@pytest.mark.shared_data
def test_catalogue_lists_every_published_indicator(raw):
    """Every (file, indicator) in the raw files has one catalogue row, and every row is in a file."""
    catalogue = load_catalogue()
    published = {(file_name, name) for file_name, frame in raw.items() for name in frame["indicator"].unique()}
    assert published == set(zip(catalogue["file"], catalogue["indicator"]))


def test_catalogue_ids_themes_and_polarities_are_consistent():
    """Ids are els: + the slug of the published name; themes agree with the theme map; reasons given."""
    catalogue = load_catalogue()
    slugs = catalogue["indicator"].map(lambda name: "els:" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-"))
    assert (catalogue["id"] == slugs).all()
    themes = load_theme_map()
    themes = dict(
        zip(themes.loc[themes["source"] == "ONS ELS", "topic"], themes.loc[themes["source"] == "ONS ELS", "theme"])
    )
    assert (catalogue["file"].str.replace(r"(__.*)?\.csv$", "", regex=True).map(themes) == catalogue["theme"]).all()
    allowed = set(pd.read_csv(PROJECT_ROOT / "data" / "theme_services.csv")["theme"])
    assert set(catalogue["theme"]) <= allowed
    assert catalogue["polarity_reason"].str.len().gt(10).all()
    assert set(catalogue["file"]) == set(FILES)
    context = catalogue.set_index("id")["polarity"]
    for measure in (
        "els:children-in-relative-poverty-before-housing-costs",
        "els:active-businesses",
        "els:first-time-buyer-mortgage-sales",
        "els:motor-vehicle-flow",
    ):
        assert context[measure] == "none", measure
