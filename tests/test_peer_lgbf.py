"""LGBF through the adapter and the store: the engine reproduces Scotland's published ranks.

The LGBF publishes, for every council x indicator x period, its rank among all Scottish
councils (``ScotRank``) and within its family group (``FamilyRank``). Loading the
published files with ``adapters.lgbf``, reading values and indicators back from the store
and ranking them with ``ranking.indicator_ranks`` must give the same ranks.

Which rows can be compared (the only convention, from PROVENANCE section 1): the file is
a rebuilt copy holding each council's latest, previous and first observation, so some
indicator x period cohorts are incomplete in it. A published rank can only be recomputed
when every council it was ranked among is in the file: for ``ScotRank`` when the rows for
the Code + Period number ``Scot_Cohort_Size``; for ``FamilyRank`` when the rows for the
Code + Period + Family_Group number ``Family_Cohort_Size``. Every such row must match;
the rows outside (133 for Scotland, 93 for families) are not compared and the tests
assert that they are exactly the rows of incomplete cohorts. No other exception exists.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from adapter_loading import load_once

from benchmarking.adapters.lgbf import (
    FAMILY_FILE,
    family_group_id,
    lgbf_items,
    load_lgbf,
)
from benchmarking.errors import BenchmarkingError, ImportValidationError
from benchmarking.ingest.names import name_key, slug
from benchmarking.method.ranking import indicator_ranks

# Published counts, PROVENANCE section 1.
RANKED_ROWS = 6_232
INDICATORS_WITH_VALUES = 99
COUNCILS = 32
FAMILY_GROUP_ROWS = 64
INCOMPLETE_SCOTLAND_ROWS = 133
COMPLETE_SCOTLAND_ROWS = 6_099


# ---------------------------------------------------------------------------------------
# Fixtures: one load per module, through the adapter into a fresh store
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def _loaded_cache() -> dict:
    return {}


@pytest.fixture
def loaded(shared_data: Path, tmp_path_factory, _loaded_cache: dict) -> dict:
    """The LGBF folder, a store loaded through the adapter, and what the store reads back."""
    return load_once(_loaded_cache, shared_data, tmp_path_factory, "lgbf", load_lgbf)


def published(loaded: dict) -> pd.DataFrame:
    """The published ranked rows, straight from the CSV, with store codes and cohort counts."""
    rows = pd.read_csv(loaded["folder"] / "indicator_data_ranked.csv")
    code_of = dict(zip(loaded["authorities"]["name"], loaded["authorities"]["code"]))
    rows["authority_code"] = rows["LocalAuthority"].map(code_of)
    rows["rows_in_cohort"] = rows.groupby(["Code", "Period"])["Code"].transform("size")
    family = rows.groupby(["Code", "Period", "Family_Group"])["Code"]
    rows["rows_in_family"] = family.transform("size")
    return rows


def with_engine_ranks(rows: pd.DataFrame, ranks: pd.DataFrame) -> pd.DataFrame:
    """Join the engine's rank and n_ranked onto the published rows (one to one)."""
    merged = rows.merge(
        ranks[["indicator_id", "authority_code", "period", "rank", "n_ranked"]],
        left_on=["Code", "authority_code", "Period"],
        right_on=["indicator_id", "authority_code", "period"],
        how="left",
        validate="one_to_one",
    )
    assert merged["rank"].notna().all(), "the engine left a published row unranked"
    return merged


# ---------------------------------------------------------------------------------------
# What was loaded
# ---------------------------------------------------------------------------------------


@pytest.mark.shared_data
def test_lgbf_load_matches_provenance_counts(loaded):
    """The store holds 6,232 values of 99 indicators for 32 councils and 64 family rows."""
    values, indicators, authorities = loaded["values"], loaded["indicators"], loaded["authorities"]
    assert len(values) == RANKED_ROWS
    assert values["value"].notna().all()
    assert values["indicator_id"].nunique() == INDICATORS_WITH_VALUES
    assert len(indicators) == INDICATORS_WITH_VALUES
    assert len(authorities) == COUNCILS
    assert set(authorities["kind"]) == {"scottish council"}
    assert authorities["code"].str.fullmatch(r"S12\d{6}").all(), "every council resolved to GSS"
    counts = loaded["result"].counts
    assert counts["indicator_value"]["added"] == RANKED_ROWS


@pytest.mark.shared_data
def test_lgbf_family_groups_are_two_schemes_of_four_groups_of_eight(loaded):
    """64 saved-list rows = 2 schemes x 4 groups x 8 councils, every council once per scheme."""
    groups = loaded["groups"]
    assert len(groups) == FAMILY_GROUP_ROWS
    assert set(groups["authority_code"]) == {"*"}
    assert groups.groupby("group_id").size().eq(8).all()
    scheme = groups["group_id"].str.extract(r"^lgbf-family-(\w+)-(\d)$")
    assert set(scheme[0]) == {"density", "deprivation"}
    assert set(scheme[1]) == {"1", "2", "3", "4"}
    per_scheme = groups.assign(scheme=scheme[0]).groupby("scheme")["member_code"]
    assert per_scheme.nunique().eq(COUNCILS).all()


@pytest.mark.shared_data
def test_lgbf_polarity_and_goldilocks_midpoints(loaded):
    """Ranking_Type becomes polarity; only the two Goldilocks indicators carry a midpoint."""
    indicators = loaded["indicators"].set_index("id")
    assert indicators["polarity"].value_counts().to_dict() == {"high": 50, "low": 47, "target": 2}
    target = indicators[indicators["polarity"] == "target"]["target_midpoint"].to_dict()
    assert target == {"CORP 03b": 0.5, "CORP 03c": 0.0}
    assert indicators.loc[indicators["polarity"] != "target", "target_midpoint"].isna().all()


# ---------------------------------------------------------------------------------------
# The engine against the published ranks
# ---------------------------------------------------------------------------------------


@pytest.mark.shared_data
def test_engine_reproduces_published_scotland_ranks(loaded):
    """indicator_ranks over all councils gives ScotRank on 100% of complete-cohort rows."""
    ranks = indicator_ranks(loaded["values"], loaded["indicators"])
    rows = with_engine_ranks(published(loaded), ranks)
    assert len(rows) == RANKED_ROWS
    complete = rows["rows_in_cohort"] == rows["Scot_Cohort_Size"]
    compared = rows[complete]
    matched = compared["rank"] == compared["ScotRank"]
    print(
        f"\nLGBF ScotRank: {matched.sum():,}/{len(compared):,} complete-cohort rows match "
        f"({matched.mean():.2%}); {(~complete).sum()} rows in incomplete cohorts not compared"
    )
    assert len(compared) == COMPLETE_SCOTLAND_ROWS
    shown = ["Code", "LocalAuthority", "Period", "ScotRank", "rank"]
    assert matched.all(), compared.loc[~matched, shown]
    assert (compared["n_ranked"] == compared["Scot_Cohort_Size"]).all()
    # The published percentile is rank / councils ranked.
    assert (compared["rank"] / compared["n_ranked"] - compared["ScotPct"]).abs().max() < 1e-9


@pytest.mark.shared_data
def test_rows_not_compared_are_exactly_the_incomplete_scotland_cohorts(loaded):
    """The 133 rows left out are those whose Code+Period has fewer rows than Scot_Cohort_Size."""
    rows = published(loaded)
    assert (rows["rows_in_cohort"] <= rows["Scot_Cohort_Size"]).all(), "cohort over published size"
    not_compared = rows[rows["rows_in_cohort"] != rows["Scot_Cohort_Size"]]
    assert len(not_compared) == INCOMPLETE_SCOTLAND_ROWS
    # Reason: councils ranked in the publication are missing from this copy of the file.
    assert (not_compared["rows_in_cohort"] < not_compared["Scot_Cohort_Size"]).all()
    assert len(rows) - len(not_compared) == COMPLETE_SCOTLAND_ROWS


@pytest.mark.shared_data
def test_family_group_column_agrees_with_the_indicators_scheme(loaded):
    """Each row's Family_Group is its council's group in the scheme its indicator uses."""
    folder = loaded["folder"]
    information = pd.read_csv(folder / "indicator_information.csv", encoding="utf-8-sig")
    families = pd.read_csv(folder / FAMILY_FILE, encoding="utf-8-sig")
    scheme_of = dict(zip(information["Code_Sortable"], information["FamilyGrouping"]))
    group_of = {
        (scheme, council): group
        for council, scheme, group in zip(families["Local_Authority"], families["Type"], families["Family_Group"])
    }
    rows = published(loaded)
    expected = [group_of[(scheme_of[c], la)] for c, la in zip(rows["Code"], rows["LocalAuthority"])]
    assert (rows["Family_Group"] == pd.Series(expected, index=rows.index)).all()


@pytest.mark.shared_data
def test_engine_reproduces_published_family_ranks(loaded):
    """Ranking within each stored family group gives FamilyRank on every complete family cohort."""
    folder = loaded["folder"]
    information = pd.read_csv(folder / "indicator_information.csv", encoding="utf-8-sig")
    scheme_of = dict(zip(information["Code_Sortable"], information["FamilyGrouping"]))
    values, groups = loaded["values"], loaded["groups"]
    rows = published(loaded)
    # Each row is ranked among the members (from the store) of its own family group.
    rows["group_id"] = [
        family_group_id(scheme_of[code], group) for code, group in zip(rows["Code"], rows["Family_Group"])
    ]
    ranks = []
    for group_id, members in groups.groupby("group_id")["member_code"]:
        indicator_ids = rows.loc[rows["group_id"] == group_id, "Code"].unique()
        in_scheme = values[values["indicator_id"].isin(indicator_ids)]
        ranks.append(
            indicator_ranks(in_scheme, loaded["indicators"], authority_codes=members).assign(group_id=group_id)
        )
    engine = pd.concat(ranks, ignore_index=True)
    engine = engine[["group_id", "indicator_id", "authority_code", "period", "rank", "n_ranked"]]
    rows = rows.merge(
        engine,
        left_on=["group_id", "Code", "authority_code", "Period"],
        right_on=["group_id", "indicator_id", "authority_code", "period"],
        how="left",
        validate="one_to_one",
    )
    assert rows["rank"].notna().all(), "a published row was not ranked in its family group"

    complete = rows["rows_in_family"] == rows["Family_Cohort_Size"]
    compared = rows[complete]
    matched = compared["rank"] == compared["FamilyRank"]
    print(
        f"\nLGBF FamilyRank: {matched.sum():,}/{len(compared):,} complete family-cohort rows "
        f"match ({matched.mean():.2%}); {(~complete).sum()} rows in incomplete family cohorts "
        "not compared"
    )
    shown = ["Code", "LocalAuthority", "Period", "FamilyRank", "rank"]
    assert matched.all(), compared.loc[~matched, shown]
    assert (compared["n_ranked"] == compared["Family_Cohort_Size"]).all()
    # Not compared: exactly the rows whose family cohort lacks councils in this copy.
    not_compared = rows[~complete]
    assert (not_compared["rows_in_family"] < not_compared["Family_Cohort_Size"]).all()
    # Every complete Scotland cohort is complete in every family too.
    assert complete[rows["rows_in_cohort"] == rows["Scot_Cohort_Size"]].all()


# ---------------------------------------------------------------------------------------
# Names, codes and errors (no real data needed)
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spellings,key",
    [
        (["Argyll & Bute", "Argyll and Bute Council", "ARGYLL AND BUTE"], "argyll and bute"),
        (["Edinburgh City", "City of Edinburgh Council", "Edinburgh, City of"], "edinburgh city"),
        (["Highland", "The Highland Council"], "highland"),
        (["Glasgow City", "Glasgow City Council"], "glasgow city"),
        (["Leicestershire", "Leicestershire County Council"], "leicestershire"),
        (["Perth & Kinross", "Perth and Kinross Council"], "perth and kinross"),
    ],
)
def test_name_key_makes_spellings_of_one_council_agree(spellings, key):
    """name_key ignores case, '&'/'and', a leading 'The' and 'Council' suffixes."""
    assert {name_key(name) for name in spellings} == {key}
    assert slug(spellings[0]) == key.replace(" ", "-")


def test_missing_lgbf_file_names_the_file_and_the_folder(tmp_path):
    """An empty folder gives an error naming the file it needs and the folder."""
    expected = r"indicator_data_ranked\.csv not found in .*" + tmp_path.name
    with pytest.raises(BenchmarkingError, match=expected):
        lgbf_items(tmp_path)
    with pytest.raises(BenchmarkingError, match=r"folder .*nowhere not found"):
        lgbf_items(tmp_path / "nowhere")


@pytest.mark.shared_data
def test_unknown_ranking_type_is_refused_with_file_row_and_column(shared_data, tmp_path):
    """A Ranking_Type other than Ascending/Descending/Goldilocks is reported where it is."""
    folder = tmp_path / "lgbf"
    folder.mkdir()
    for name in ("indicator_data_ranked.csv", FAMILY_FILE):
        (folder / name).write_bytes((shared_data / "lgbf" / name).read_bytes())
    information = pd.read_csv(
        shared_data / "lgbf" / "indicator_information.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig"
    )
    information.loc[0, "Ranking_Type"] = "Sideways"
    information.to_csv(folder / "indicator_information.csv", index=False)
    with pytest.raises(ImportValidationError) as error:
        lgbf_items(folder, lookup=shared_data / "lookups" / "mysociety_uk_local_authorities.csv")
    issue = error.value.issues[0]
    assert (issue.file, issue.row, issue.column) == ("indicator_information.csv", 2, "Ranking_Type")
    assert "Sideways" in issue.message


@pytest.mark.shared_data
def test_councils_get_slug_codes_with_a_warning_when_the_lookup_is_missing(shared_data, tmp_path):
    """Without the mySociety lookup every council is coded scot-<slug>, and a warning says so."""
    with pytest.warns(UserWarning, match="not found"):
        items = lgbf_items(shared_data / "lgbf", lookup=tmp_path / "absent.csv")
    authorities = next(frame for table, frame, _ in items if table == "authority")
    assert authorities["code"].str.startswith("scot-").all()
    assert "scot-argyll-and-bute" in set(authorities["code"])
