"""The public build: a complete store of the English county areas from the published files,
checked against the raw files (row counts of PROVENANCE.md, ranks recomputed by hand,
spend per head to the penny), and the report generated from it."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from conftest import SHARED_DATA

from benchmarking.briefing.public_report import latest_common_period, write_report
from benchmarking.datasets.public_sources import load_theme_map, theme_of_topics
from benchmarking.method.groups import resolve_group
from benchmarking.method.lifetimes import load_county_areas
from benchmarking.method.membership import alive_on, lifetime_mask
from benchmarking.service.benchmark import comparator_group, compute
from benchmarking.service.catalogue import load_catalogue
from benchmarking.service.context_views import quadrant_view
from benchmarking.service.views import position_columns, theme_table
from benchmarking.store import PROJECT_ROOT, Store

LEICESTERSHIRE = "E10000018"

PROVENANCE_ROWS = [
    # file, data rows, as PROVENANCE.md states them (section)
    ("bds_long_0.parquet", 641_070),  # 7
    ("lait_data_dictionary.csv", 448),  # 7
    ("statistical_neighbours_april_2021_long.csv", 1_580),  # 7
    ("statistical_neighbours_may_2025_long.csv", 1_580),  # 7
    ("ASC_data.csv", 6_376),  # 2
    ("NN.json", 348),  # 2 (keys)
    ("imd2019_utla_imd_summary.csv", 151),  # 3
    ("ons_mye_mid2019_utla2020_single_year_of_age.csv", 173),  # 4
    ("ons_mye_mid2020_utla2020_single_year_of_age.csv", 172),  # 4
    ("ons_mye_mid2021_all_geographies_persons_single_year_of_age.csv", 420),  # 4
    ("ons_mye_mid2022_all_geographies_persons_single_year_of_age.csv", 404),  # 4
    ("rsx_net_current_expenditure_by_service_2021-22_to_2023-24.csv", 1_266),  # 5
    ("table3_selected_waste_indicators_2010-11_to_2022-23.csv", 4_632),  # 6
]


@pytest.fixture(scope="module")
def built(public_build):
    """(summary, store) of the session's public build (conftest); skips without the real data.
    Shared with the other public-store tests: read only."""
    return public_build, Store(public_build.path)


@pytest.fixture(scope="module")
def bench(built):
    """(catalogue, benchmark) for every county area (group 'all') on the built store."""
    catalogue = load_catalogue(built[1])
    return catalogue, compute(catalogue, comparator_group(catalogue, "all", LEICESTERSHIRE))


# -- period labels: tests/test_lait_periods.py (LAIT's year labels by year type) -------------


def test_theme_map_uses_the_projects_themes():
    """Every theme in data/public_theme_map.csv is a theme with a spend service, or Context."""
    themes = set(pd.read_csv(PROJECT_ROOT / "data" / "theme_services.csv")["theme"]) | {"Context"}
    assert set(load_theme_map()["theme"]) <= themes


def test_theme_of_topics_takes_one_publishers_topics():
    """topic -> theme for the named source only."""
    theme_map = pd.DataFrame(
        {"source": ["DfE LAIT", "DfE LAIT", "Oflog"], "topic": ["KS2", "CIN", "ASC"], "theme": ["Ed", "CSC", "ASC"]}
    )
    assert theme_of_topics(theme_map, "DfE LAIT") == {"KS2": "Ed", "CIN": "CSC"}
    assert theme_of_topics(theme_map, "DEFRA") == {}


def test_store_contents_of_an_empty_store(tmp_path):
    """An initialised store holds nothing: every count is 0 and there are no periods or themes."""
    store = Store(tmp_path / "empty.duckdb")
    store.initialise()
    held = store.summary()
    assert held.authorities == held.values == held.missing_values == held.spend_rows == 0
    assert (held.periods, held.value_periods, held.spend_periods, held.groups) == ([], [], [], {})
    assert held.themes.empty and not held.is_demo


def test_store_contents_are_the_build_summarys_counts(built):
    """The build's summary counts are the store's own contents, plus the areas that exist today."""
    summary, store = built
    held = store.summary()
    counts = summary.counts
    assert (counts["authorities"], counts["county_councils"], counts["county_unitaries"]) == (44, 27, 17)
    assert (held.authorities, held.county_councils, held.county_unitaries) == (44, 27, 17)
    assert counts["values"] == held.values + held.missing_values
    assert counts["missing_values"] == held.missing_values
    assert counts["periods"] == len(held.value_periods)
    assert (counts["first_period"], counts["last_period"]) == (held.value_periods[0], held.value_periods[-1])
    assert counts["groups"] == held.groups and counts["spend_periods"] == held.spend_periods
    assert int(held.themes["ranked"].sum()) == counts["ranked_indicators"] == held.ranked_indicators
    assert int(held.themes["context"].sum()) == counts["context_indicators"] == held.context_indicators


def test_authorities_are_the_county_areas(built):
    """The authority table is data/county_areas.csv, with the latest ONS population."""
    authorities = built[1].authorities().set_index("code")
    areas = load_county_areas()
    assert set(authorities.index) == set(areas["code"])
    assert authorities.loc[LEICESTERSHIRE, "population"] == 722_155  # mid-2022
    assert authorities.loc["E10000009", "kind"] == "county council"  # Dorset CC: ended before any estimate
    assert pd.isna(authorities.loc["E10000009", "population"])


def test_no_value_lies_outside_its_authoritys_lifetime(built):
    """Values, and so ranks, exist only for authorities that existed at the period's midpoint."""
    values = built[1].values()
    assert lifetime_mask(load_county_areas(), values["authority_code"], values["period"]).all()
    spend = built[1].spend()
    assert lifetime_mask(load_county_areas(), spend["authority_code"], spend["period"]).all()


def test_ranking_in_each_period_only_includes_authorities_alive_then(bench):
    """North Yorkshire County Council is ranked up to 2022/23, North Yorkshire Council from 2023/24
    (reporting years: financial years, each holding the published periods whose midpoint falls in it)."""
    _, benchmark = bench
    ranked = benchmark.ranks[benchmark.ranks["rank"].notna()]
    assert lifetime_mask(load_county_areas(), ranked["authority_code"], ranked["period"]).all()
    periods = lambda code: set(ranked.loc[ranked["authority_code"] == code, "period"])  # noqa: E731
    assert "2022/23" in periods("E10000023") and "2023/24" not in periods("E10000023")
    assert "2023/24" in periods("E06000065") and "2022/23" not in periods("E06000065")


def test_abolished_councils_are_ranked_on_their_own_lait_2022_23_figures(bench):
    """LAIT's '2023' of a financial-year measure is 2022-23: Cumbria (DfE 909) and North Yorkshire
    CC (DfE 815) are ranked in 2022/23 on the re-referral rates LAIT labels '2023' for them."""
    _, benchmark = bench
    raw = pd.read_parquet(SHARED_DATA / "dfe_lait" / "bds_long_0.parquet", filters=[("Short Desc", "==", "ReReferral")])
    published = pd.to_numeric(raw[raw["Years"] == "2023"].set_index("LA Number")["Values"], errors="coerce")
    ranks = benchmark.ranks.query("indicator_id == 'ReReferral' and period == '2022/23'").set_index("authority_code")
    vintage = benchmark.vintages.query("indicator_id == 'ReReferral' and period == '2022/23'")
    assert vintage["source_period"].tolist() == ["2022-23"]
    for code, number in (("E10000006", 909), ("E10000023", 815)):
        assert ranks.loc[code, "value"] == published[number] and pd.notna(ranks.loc[code, "rank"])
    assert "E06000065" not in ranks.index  # North Yorkshire Council did not exist in 2022-23


def test_revised_labels_are_stored_with_their_status(built):
    """LAIT's '2023 (Rev)' A-level figures (an academic-year measure) are period 2022/23, status revised."""
    values = built[1].values(["2022/23"])
    a_levels = values[values["indicator_id"] == "A3A"]
    assert len(a_levels) and set(a_levels["status"]) == {"revised"}


def test_publisher_groups_are_selectable_for_leicestershire(bench):
    """DfE statistical neighbours and Oflog nearest neighbours resolve as neighbour groups."""
    catalogue, _ = bench
    codes = set(catalogue.authorities["code"])
    for group_id in ("neighbours:dfe-sn-2021", "neighbours:dfe-sn-2025", "neighbours:oflog-nn"):
        group = resolve_group(group_id, catalogue.authorities, catalogue.comparator_groups, LEICESTERSHIRE)
        assert group.members[0] == LEICESTERSHIRE and len(group.members) > 5
        assert set(group.members) <= codes


# -- ranks recomputed from the raw files ----------------------------------------------------


def _alive_codes(midpoint: dt.date) -> pd.DataFrame:
    areas = load_county_areas()
    return areas[alive_on(areas, midpoint)]


def _rank_of(frame: pd.DataFrame, value: str, code_column: str, higher_is_better: bool) -> tuple[int, int]:
    """Leicestershire's min-rank among the rows with a value, and how many were ranked."""
    frame = frame.dropna(subset=[value])
    ranks = frame[value].rank(method="min", ascending=not higher_is_better)
    return int(ranks[frame[code_column] == LEICESTERSHIRE].iloc[0]), len(frame)


def _lait_raw(short_desc: str, labels: list[str], midpoint: dt.date) -> pd.DataFrame:
    raw = pd.read_parquet(SHARED_DATA / "dfe_lait" / "bds_long_0.parquet", filters=[("Short Desc", "==", short_desc)])
    raw = raw[raw["Years"].isin(labels)]
    alive = _alive_codes(midpoint)
    number_to_code = dict(zip(alive["dfe_la_number"].astype(float), alive["code"]))
    raw = raw.assign(code=raw["LA Number"].map(number_to_code), number=pd.to_numeric(raw["Values"], errors="coerce"))
    return raw.dropna(subset=["code"])


def _engine_rank(bench, indicator_id: str, published: str) -> tuple[int, int]:
    """Leicestershire's rank in the reporting year that holds the published period, checking
    that the engine ranked the published period's own figures there."""
    catalogue, benchmark = bench
    period = catalogue.calendar.reporting_period(published)
    vintage = benchmark.vintages[
        (benchmark.vintages["indicator_id"] == indicator_id) & (benchmark.vintages["period"] == period)
    ]
    assert vintage["source_period"].tolist() == [published]
    ranks = benchmark.ranks
    row = ranks[
        (ranks["indicator_id"] == indicator_id)
        & (ranks["period"] == period)
        & (ranks["authority_code"] == LEICESTERSHIRE)
    ]
    return int(row["rank"].iloc[0]), int(row["n_ranked"].iloc[0])


@pytest.mark.parametrize(
    "short_desc, period, labels, higher_is_better",
    [
        # academic-year measures: LAIT's '2023' is 2022/23 (stored April-March, midpoint 30 Sep 2022)
        ("ExcessYr6", "2022/23", ["2023"], False),  # DfE LAIT, Health - Child (OHID)
        ("A3A", "2022/23", ["2023 (Rev)"], True),  # DfE LAIT, Education, a revised label
        ("CIN_KS2_ExpStd_RWM", "2022/23", ["2023"], True),  # DfE LAIT, Children's Social Care
    ],
)
def test_lait_rank_of_leicestershire_matches_the_raw_file(bench, short_desc, period, labels, higher_is_better):
    """The engine's rank equals a min-rank of the raw LAIT values of the county areas of 2022/23."""
    raw = _lait_raw(short_desc, labels, dt.date(2022, 9, 30))
    assert _engine_rank(bench, short_desc, period) == _rank_of(raw, "number", "code", higher_is_better)


def test_oflog_rank_of_leicestershire_matches_the_raw_file(bench):
    """ASC3 (ease of finding information, higher is better), 2022-23."""
    raw = pd.read_csv(SHARED_DATA / "oflog" / "ASC_data.csv")
    raw = raw[(raw["Code"] == "ASC3") & (raw["Financial year"] == "2022-23")]
    raw = raw[raw["Local authority code"].isin(_alive_codes(dt.date(2022, 9, 30))["code"])]
    assert _engine_rank(bench, "ASC3", "2022-23") == _rank_of(raw, "Value", "Local authority code", True)


def test_defra_rank_of_leicestershire_matches_the_raw_file(bench):
    """NI192 household waste recycled (higher is better), 2022-23; Buckinghamshire Council is
    published under its predecessor's code E10000002, Somerset CC under the Somerset Waste
    Partnership's E50000009."""
    raw = pd.read_csv(
        SHARED_DATA / "defra_waste" / "table3_selected_waste_indicators_2010-11_to_2022-23.csv", dtype=str
    )
    raw = raw[raw["Year"] == "2022-23"]
    raw["code"] = raw["ONS code"].replace({"E10000002": "E06000060", "E50000009": "E10000027"})
    raw = raw[raw["code"].isin(_alive_codes(dt.date(2022, 9, 30))["code"])]
    raw["value"] = pd.to_numeric(
        raw["Percentage of household waste sent for reuse, recycling or composting (Ex NI192)"], errors="coerce"
    )
    assert _engine_rank(bench, "NI192", "2022-23") == _rank_of(raw, "value", "code", True)


def _rsx_and_population() -> pd.DataFrame:
    rsx = pd.read_csv(
        SHARED_DATA / "mhclg_revenue" / "rsx_net_current_expenditure_by_service_2021-22_to_2023-24.csv",
        dtype={"e_code": str, "ons_code": str},
    )
    rsx = rsx[rsx["financial_year"] == "2022-23"]
    population = pd.read_csv(
        SHARED_DATA / "ons_population" / "ons_mye_mid2022_all_geographies_persons_single_year_of_age.csv",
        usecols=["Code", "All ages"],
    )
    return rsx.merge(population, left_on="ons_code", right_on="Code", how="left")


def test_leicestershire_total_spend_per_head_2022_23_to_the_penny(built):
    """Net current expenditure (£ thousand) x 1,000 / mid-2022 population, from the raw files."""
    raw = _rsx_and_population()
    row = raw[raw["e_code"] == "E2421"].iloc[0]
    expected = row["total_service_expenditure_net_current_expenditure_gbp_thousands"] * 1000 / row["All ages"]
    spend = built[1].spend()
    stored = spend[
        (spend["authority_code"] == LEICESTERSHIRE) & (spend["period"] == "2022-23") & (spend["service"] == "total")
    ]["net_expenditure_per_head"].iloc[0]
    assert round(stored, 2) == round(expected, 2) == 1038.21


def test_spend_rank_of_leicestershire_matches_the_raw_files(bench):
    """Total spend per head 2022-23 (1 = highest) among the county areas of 2022-23; the mid-2022
    estimates of Cumbria, North Yorkshire and Somerset are their successors' sums."""
    raw = _rsx_and_population()
    areas = _alive_codes(dt.date(2022, 9, 30))
    raw = raw[raw["e_code"].isin(areas["e_code"])].copy()
    successors = dict(zip(areas["code"], areas["successors"]))
    population = pd.read_csv(
        SHARED_DATA / "ons_population" / "ons_mye_mid2022_all_geographies_persons_single_year_of_age.csv",
        usecols=["Code", "All ages"],
    ).set_index("Code")["All ages"]
    missing = raw["All ages"].isna()
    raw.loc[missing, "All ages"] = [
        population[successors[code].split(";")].sum() for code in raw.loc[missing, "ons_code"]
    ]
    raw["per_head"] = raw["total_service_expenditure_net_current_expenditure_gbp_thousands"] * 1000 / raw["All ages"]
    spend = bench[1].spend_ranks
    row = spend[
        (spend["theme"] == "Overall") & (spend["period"] == "2022-23") & (spend["authority_code"] == LEICESTERSHIRE)
    ].iloc[0]
    assert (int(row["rank"]), int(row["n_ranked"])) == _rank_of(raw, "per_head", "ons_code", True)


def test_deprivation_rank_of_leicestershire_matches_the_raw_file(bench):
    """IMD 2019 rank of average rank (1 = most deprived) among the county areas of 2019."""
    raw = pd.read_csv(SHARED_DATA / "imd2019" / "imd2019_utla_imd_summary.csv")
    raw = raw[raw["utla19_code"].isin(_alive_codes(dt.date(2019, 9, 26))["code"])]
    deprivation = bench[1].deprivation_ranks
    row = deprivation[deprivation["authority_code"] == LEICESTERSHIRE].iloc[0]
    expected = _rank_of(raw, "IMD - Rank of average rank", "utla19_code", False)
    assert (int(row["rank"]), int(row["n_ranked"])) == expected


# -- the report -----------------------------------------------------------------------------


def test_public_report_writes_markdown_and_quadrant_png(built, tmp_path):
    """The report names the latest common period, every county area, the chart and the sources."""
    out, chart = write_report(built[1], tmp_path / "public-counties.md")
    text = out.read_text(encoding="utf-8")
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "## Leicestershire, 2022/23" in text and "](public-counties-quadrant.png)" in text
    for name in _alive_codes(dt.date(2022, 9, 30))["name"]:
        assert f"| {name} |" in text
    assert "Office for Local Government" in text and "What the build read and left out" in text


def test_the_report_table_has_a_column_per_position_and_the_shipped_report_is_current(built, tmp_path):
    """The table of every county area: Authority, Kind, then Overall, LA Core and the themes (no 'in_group (of 0)'
    column); and docs/public-counties.md and its chart are what ``public-report`` writes from the build now (run it
    again after a change: README, 'The real English county areas in one command')."""
    catalogue = load_catalogue(built[1])
    out, chart = write_report(built[1], tmp_path / "public-counties.md")
    text = out.read_text(encoding="utf-8")
    header = next(line for line in text.splitlines() if line.startswith("| Authority | Kind |"))
    columns = [cell.strip().rsplit(" (of ", 1)[0] for cell in header.strip("|").split("|")]
    bench = compute(catalogue, comparator_group(catalogue, "all", LEICESTERSHIRE))
    themes = position_columns(theme_table(catalogue, bench, "2022/23"))
    assert columns == ["Authority", "Kind", *(t.replace("&", "&amp;") for t in themes)]
    assert text == (PROJECT_ROOT / "docs" / "public-counties.md").read_text(encoding="utf-8")
    assert chart.read_bytes() == (PROJECT_ROOT / "docs" / "public-counties-quadrant.png").read_bytes()


def test_latest_common_period_has_every_publisher(bench):
    """2022/23 is the latest reporting year with figures published for it by DfE LAIT, Oflog and DEFRA."""
    catalogue, benchmark = bench
    assert latest_common_period(catalogue, benchmark) == "2022/23"


def test_app_opens_on_the_public_store(built, bench, monkeypatch):
    """The overview runs on the public store for the latest common period, without the demo banner."""
    from apptest_helpers import open_page

    at = open_page(built[1].path, monkeypatch, "overview", query={"period": "2022/23"})
    assert not at.exception
    assert not any("Illustrative demo data" in warning.value for warning in at.warning)
    # 44 county areas over the years, 37 of them existed (and published) in 2022/23: the header says how many
    # existed then and that the others were abolished or not yet formed (service.group_size, the one rule).
    from benchmarking.service.group_size import group_size

    catalogue, benchmark = bench
    present = catalogue.reporting_values.query("period == '2022/23' and value.notna()")["authority_code"].nunique()
    assert present < len(catalogue.authorities)
    size = group_size(catalogue, benchmark, "2022/23")
    assert (size.members, size.with_figures) == (len(catalogue.authorities), present)
    words = f"{size.in_period} authorities in 2022/23; {size.members - size.in_period} others abolished or not yet"
    assert size.text().startswith(words)
    assert any(size.text() in caption.value for caption in at.caption)


def test_quadrant_ranks_both_axes_among_the_authorities_plotted(bench):
    """Authorities with a position but no spend figure are left off the quadrant, and the
    performance positions of the others are re-ranked so both axes run 1..n."""
    catalogue, benchmark = bench
    period = "2023/24"
    view = quadrant_view(catalogue, benchmark, "Overall", "Revenue", period, LEICESTERSHIRE)
    positions = benchmark.positions.query("theme == 'Overall' and period == @period and position.notna()")
    # spend per head is from 2022-23 (no mid-2023 population in the files): the four authorities
    # created in April 2023 have none
    assert len(view) < len(positions)
    assert sorted(view["performance_position"]) == sorted(view["average_rank"].rank(method="min"))
    assert view["performance_position"].max() <= len(view) and view["context_rank"].max() <= len(view)


def test_the_build_ends_with_the_command_that_runs_the_app(built):
    """The summary's last line runs the app as the README does, from the project's .venv."""
    last = built[0].text().splitlines()[-1]
    assert last == f"Run the app on it: BENCHMARKING_DB={built[0].path} .venv/bin/streamlit run app.py"
