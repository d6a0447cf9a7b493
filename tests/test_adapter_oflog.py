"""Oflog adult social care metrics through the adapter, the store and the ranking engine.

The real-data tests load ``oflog/ASC_data.csv`` and ``oflog/NN.json`` from the shared data
folder (skipped when absent) and check the counts PROVENANCE section 2 gives; the engine
then ranks the county councils in the latest period with no special cases. The small
tests build two-authority files in ``tmp_path`` to pin down the polarity rules and errors.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from adapter_loading import load_once

from benchmarking.adapters.oflog import load_oflog, oflog_items, oflog_neighbours
from benchmarking.errors import BenchmarkingError, ImportValidationError
from benchmarking.method.positions import positions
from benchmarking.method.ranking import indicator_ranks

# Published counts, PROVENANCE section 2.
ASC_ROWS = 6_376
AUTHORITIES = 157
COUNTY_COUNCILS = 27
NEIGHBOUR_KEYS = 348
RANK_ORDER_MISSING_ROWS = 2_317
LEICESTERSHIRE = "E10000018"


# ---------------------------------------------------------------------------------------
# Fixtures: one load per module, through the adapter into a fresh store
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def _loaded_cache() -> dict:
    return {}


@pytest.fixture
def loaded(shared_data: Path, tmp_path_factory, _loaded_cache: dict) -> dict:
    """The Oflog folder, a store loaded through the adapter, and what the store reads back."""
    return load_once(_loaded_cache, shared_data, tmp_path_factory, "oflog", load_oflog)


def county_ranks_in_latest_period(loaded: dict) -> tuple[pd.DataFrame, list[str], str]:
    """Return (engine ranks of the county councils in the latest period, their codes, period)."""
    values, authorities = loaded["values"], loaded["authorities"]
    counties = authorities.loc[authorities["kind"] == "county council", "code"].tolist()
    latest = values.sort_values("period_start")["period"].iloc[-1]
    ranks = indicator_ranks(values[values["period"] == latest], loaded["indicators"], authority_codes=counties)
    return ranks, counties, latest


# ---------------------------------------------------------------------------------------
# What was loaded
# ---------------------------------------------------------------------------------------


@pytest.mark.shared_data
def test_oflog_load_matches_provenance_counts(loaded):
    """6,376 values, 157 authorities of four kinds, 27 county councils with E10 codes."""
    values, authorities = loaded["values"], loaded["authorities"]
    assert len(values) == ASC_ROWS
    assert loaded["result"].counts["indicator_value"]["added"] == ASC_ROWS
    assert len(authorities) == AUTHORITIES
    assert set(authorities["kind"]) == {"county council", "unitary", "metropolitan district", "london borough"}
    counties = authorities[authorities["kind"] == "county council"]
    assert len(counties) == COUNTY_COUNCILS
    e10 = authorities.loc[authorities["code"].str.startswith("E10"), "code"]
    assert set(counties["code"]) == set(e10)
    assert authorities["region"].notna().all()
    assert set(values["period"]) == {f"{y}-{(y + 1) % 100:02d}" for y in range(2015, 2023)}


@pytest.mark.shared_data
def test_oflog_polarity_comes_from_rank_order_and_is_none_where_never_given(loaded):
    """ASC1-5 are 'high' (desc/DESC, even in years with rows lacking it); ASC6-7 'none'."""
    raw = pd.read_csv(loaded["folder"] / "ASC_data.csv", dtype=str, keep_default_na=False)
    assert raw["rank_order"].isin(["", "None"]).sum() == RANK_ORDER_MISSING_ROWS
    polarity = loaded["indicators"].set_index("id")["polarity"].to_dict()
    assert polarity == {
        "ASC1": "high",
        "ASC2": "high",
        "ASC3": "high",
        "ASC4": "high",
        "ASC5": "high",
        "ASC6": "none",
        "ASC7": "none",
    }
    assert set(loaded["indicators"]["theme"]) == {"Adult Social Care"}


@pytest.mark.shared_data
def test_oflog_neighbour_lists_are_kept_for_authorities_with_data(loaded):
    """348 NN keys: lists of the 152 authorities in ASC_data are stored, self entries left out."""
    neighbours, counts = oflog_neighbours(loaded["folder"], loaded["authorities"]["code"])
    print(
        f"\nNN.json: {counts.lists} lists; kept {counts.lists_kept} "
        f"({counts.entries_kept} rows), "
        f"dropped {counts.lists_dropped} lists of authorities without ASC data and "
        f"{counts.neighbours_dropped} neighbours not in ASC data; left out {counts.self_entries} "
        "self entries"
    )
    assert counts.lists == NEIGHBOUR_KEYS
    assert counts.lists_kept + counts.lists_dropped == NEIGHBOUR_KEYS
    assert counts.self_entries == counts.lists_kept  # each list names its own authority once
    groups = loaded["groups"]
    assert len(groups) == counts.entries_kept == len(neighbours)
    assert set(groups["group_id"]) == {"oflog-nn"}
    assert (groups["authority_code"] != groups["member_code"]).all()
    # No neighbour rows: authorities abolished before the neighbour model (no list), and
    # City of London and the Isles of Scilly (their lists hold only themselves).
    without = set(loaded["authorities"]["code"]) - set(groups["authority_code"])
    abolished = {"E10000002", "E10000009", "E10000021", "E06000028", "E06000029"}
    assert without == abolished | {"E09000001", "E06000053"}
    # Counties: 15 county neighbours each (PROVENANCE: itself + 15 county councils).
    kind = loaded["authorities"].set_index("code")["kind"]
    county_lists = groups[groups["authority_code"].map(kind) == "county council"]
    assert county_lists.groupby("authority_code").size().eq(15).all()
    assert county_lists["member_code"].map(kind).eq("county council").all()


# ---------------------------------------------------------------------------------------
# The engine on the county councils
# ---------------------------------------------------------------------------------------


@pytest.mark.shared_data
def test_engine_ranks_county_councils_in_the_latest_period(loaded):
    """County councils' ranks in 2022-23 lie in 1..n_ranked; context measures are not ranked."""
    ranks, counties, latest = county_ranks_in_latest_period(loaded)
    assert latest == "2022-23"
    assert set(ranks["authority_code"]) <= set(counties)
    assert set(ranks["indicator_id"]) == {"ASC2", "ASC3", "ASC5"}  # ASC6, ASC7: polarity none
    ranked = ranks[ranks["rank"].notna()]
    assert len(ranked) > 0
    assert ((ranked["rank"] >= 1) & (ranked["rank"] <= ranked["n_ranked"])).all()
    assert (ranks["n_ranked"] <= len(counties)).all()
    theme = positions(ranks, loaded["indicators"])
    placed = theme[theme["position"].notna()]
    assert set(theme["theme"]) == {"Overall", "Adult Social Care"}
    assert ((placed["position"] >= 1) & (placed["position"] <= placed["n_positioned"])).all()


@pytest.mark.shared_data
def test_leicestershire_rank_equals_a_direct_count_from_the_csv(loaded):
    """Each ranked measure in the latest period: Leicestershire's rank = 1 + counties above it."""
    ranks, _, latest = county_ranks_in_latest_period(loaded)
    raw = pd.read_csv(loaded["folder"] / "ASC_data.csv")
    counties = raw[(raw["Entity_Name"] == "Counties") & (raw["Financial year"] == latest)]
    checked = 0
    for measure in ("ASC2", "ASC3", "ASC5"):  # all rank_order desc: higher is better
        published = counties[(counties["Code"] == measure) & counties["Value"].notna()]
        own = published.loc[published["Local authority code"] == LEICESTERSHIRE, "Value"].item()
        expected = 1 + int((published["Value"] > own).sum())
        engine = ranks[(ranks["indicator_id"] == measure) & (ranks["authority_code"] == LEICESTERSHIRE)]
        assert engine["rank"].item() == expected, measure
        assert engine["n_ranked"].item() == len(published), measure
        checked += 1
    assert checked == 3


# ---------------------------------------------------------------------------------------
# Rules and errors on small hand-made files (no real data needed)
# ---------------------------------------------------------------------------------------

HEADER = (
    "Financial year,Local authority code,Local authority name,Grouping,Entity_Name,Region,"
    "Measure,Code,Value,MEDIAN,MADs_from_median,rank_order\n"
)


def write_oflog(folder: Path, rows: list[str], neighbours: object | None = None) -> Path:
    """Write a tiny ASC_data.csv (rows after the header) and NN.json into ``folder``."""
    folder.mkdir(exist_ok=True)
    (folder / "ASC_data.csv").write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    neighbours = {"E10000018": ["E10000018", "E10000019"]} if neighbours is None else neighbours
    (folder / "NN.json").write_text(json.dumps(neighbours), encoding="utf-8")
    return folder


def row(year: str, code: str, kind: str, measure: str, value: str, rank_order: str) -> str:
    """One ASC_data.csv line for authority ``code`` (name and region fixed)."""
    return f"{year},{code},Council {code},LA_Raw,{kind},East Midlands,{measure} name,{measure},{value},,,{rank_order}"


def polarities(folder: Path) -> dict[str, str]:
    items = oflog_items(folder)
    indicators = next(frame for table, frame, _ in items if table == "indicator")
    return dict(zip(indicators["id"], indicators["polarity"]))


def test_polarity_is_taken_from_any_year_that_gives_it(tmp_path):
    """desc one year and blank another is 'high'; ASC (any case) 'low'; never given 'none'."""
    folder = write_oflog(
        tmp_path / "oflog",
        [
            row("2021-22", "E10000018", "Counties", "M1", "7.5", "desc"),
            row("2022-23", "E10000018", "Counties", "M1", "7.6", ""),
            row("2022-23", "E10000019", "Counties", "M2", "3", "ASC"),
            row("2022-23", "E10000018", "Counties", "M3", "1", "None"),
            row("2022-23", "E10000019", "Counties", "M3", "2", ""),
        ],
    )
    assert polarities(folder) == {"M1": "high", "M2": "low", "M3": "none"}


def test_conflicting_rank_order_is_refused(tmp_path):
    """A measure ranked desc in one year and asc in another is an error naming the measure."""
    folder = write_oflog(
        tmp_path / "oflog",
        [
            row("2021-22", "E10000018", "Counties", "M1", "7.5", "desc"),
            row("2022-23", "E10000018", "Counties", "M1", "7.6", "asc"),
        ],
    )
    with pytest.raises(ImportValidationError, match="M1: rank_order is desc in some rows and asc"):
        oflog_items(folder)


def test_unknown_authority_type_is_refused_with_its_row(tmp_path):
    """An Entity_Name outside the four Oflog types is reported with file, row and column."""
    folder = write_oflog(
        tmp_path / "oflog",
        [
            row("2022-23", "E10000018", "Counties", "M1", "7.5", "desc"),
            row("2022-23", "E07000129", "Districts", "M1", "7.1", "desc"),
        ],
    )
    with pytest.raises(ImportValidationError) as error:
        oflog_items(folder)
    issue = error.value.issues[0]
    assert (issue.file, issue.row, issue.column) == ("ASC_data.csv", 3, "Entity_Name")
    assert "'Districts'" in issue.message


def test_neighbours_outside_the_data_are_dropped_and_counted(tmp_path):
    """Lists of unknown authorities and unknown neighbours are left out, and counted."""
    folder = write_oflog(
        tmp_path / "oflog",
        [
            row("2022-23", "E10000018", "Counties", "M1", "7.5", "desc"),
            row("2022-23", "E10000019", "Counties", "M1", "7.1", "desc"),
        ],
        neighbours={"E10000018": ["E10000018", "E10000019", "E10000099"], "E07000129": ["E07000129", "E10000018"]},
    )
    neighbours, counts = oflog_neighbours(folder, ["E10000018", "E10000019"])
    pairs = neighbours[["authority_code", "member_code"]].values.tolist()
    assert pairs == [["E10000018", "E10000019"]]
    assert (counts.lists, counts.lists_kept, counts.lists_dropped) == (2, 1, 1)
    assert (counts.entries_kept, counts.self_entries, counts.neighbours_dropped) == (1, 1, 1)


def test_neighbour_file_of_the_wrong_shape_is_refused(tmp_path):
    """NN.json must map codes to lists of codes; anything else is a clear error."""
    folder = write_oflog(
        tmp_path / "oflog", [row("2022-23", "E10000018", "Counties", "M1", "7", "desc")], neighbours=[["E10000018"]]
    )
    with pytest.raises(ImportValidationError, match=r"NN\.json: expected an object mapping"):
        oflog_items(folder)


def test_missing_oflog_file_names_the_file_and_the_folder(tmp_path):
    """A folder without ASC_data.csv gives an error naming the file and the folder."""
    with pytest.raises(BenchmarkingError, match=r"ASC_data\.csv not found in .*" + tmp_path.name):
        oflog_items(tmp_path)
    (tmp_path / "ASC_data.csv").write_text(HEADER, encoding="utf-8")
    with pytest.raises(BenchmarkingError, match=r"NN\.json not found in .*ASC_data\.csv"):
        oflog_items(tmp_path)
