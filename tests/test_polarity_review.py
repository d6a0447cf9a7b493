"""The reviewed polarity table (issue 16, point 3): context measures are not ranked.

``data/polarity_review.csv`` overrides a publisher's polarity where a measure describes need,
demand, volume or mix. Checked here: the table's rules (a bad table is refused, naming the
row), the override on hand-made indicators, every case of the issue's list on the real
LAIT dictionary (skipped when ../shared/data is absent), and the report of reviewed ids
that no source gives.
"""

from __future__ import annotations

import pandas as pd
import pytest

from benchmarking.adapters import defra, oflog
from benchmarking.adapters.polarity_review import (
    REVIEW_COLUMNS,
    apply_polarity_review,
    load_polarity_review,
    unused_review_ids,
)
from benchmarking.errors import BuildError, PolarityReviewError
from benchmarking.method.membership import Loaded, no_skips
from benchmarking.method.ranking import indicator_ranks

ISSUE_CASES = {
    # the issue's list: id -> what it is (all DfE LAIT)
    "ChildPov": "children in low-income families",
    "Ever6_FSM_Prim": "Ever-6 FSM share, primary",
    "Ever6_FSM_Sec": "Ever-6 FSM share, secondary",
    "CINFSM": "CIN-FSM share",
    "CPP_Abuse_Rate": "child protection plan rate (published 'lower is better')",
    "CPP_rate": "child protection plan rate at 31 March",
    "Vacancies_cover": "vacancies covered by agency staff (published 'higher is better')",
    "%_of LAC Adopted": "share of looked-after children adopted",
    "LAC_Foster_Placements": "share in foster placements",
    "LAC_Parents_OR_Others": "share placed with parents",
    "KS4_DES_6FormColl": "KS4 destination: sixth-form college",
    "KS4_DES_6FormSchl": "KS4 destination: school sixth form",
    "KS4_DES_Apprentice": "KS4 destination: apprenticeship",
    "KS4_DES_FEColl": "KS4 destination: FE college",
    "EngBacEntries": "EBacc entries",
    "EngBacEntriesNonSEN": "EBacc entries, no SEN",
    "EngBacEntriesSEN": "EBacc entries, EHC plan",
    "EngBacEntriesSENSupport": "EBacc entries, SEN support",
    "CIN_EngBacEntries": "EBacc entries, children in need",
}


def _write(tmp_path, text: str):
    path = tmp_path / "polarity_review.csv"
    path.write_text(text, encoding="utf-8")
    return path


def _loaded(indicators: pd.DataFrame) -> Loaded:
    values = pd.DataFrame({"indicator_id": [], "authority_code": [], "period": [], "value": []})
    return Loaded(
        [("indicator", indicators, "dictionary.csv"), ("indicator_value", values, "data.csv")], {}, no_skips()
    )


# -- the table as shipped ---------------------------------------------------------------------


def test_the_shipped_review_passes_its_checks_and_covers_the_issues_list():
    """data/polarity_review.csv loads; every case in the issue's list is context, with a reason and a judge."""
    review = load_polarity_review().set_index("indicator_id")
    assert ("indicator_id", *review.columns) == REVIEW_COLUMNS
    for indicator_id in ISSUE_CASES:
        assert review.loc[indicator_id, "polarity"] == "none", indicator_id
        assert review.loc[indicator_id, "judged_by"].startswith("project review")
    assert review["reason"].str.len().min() > 40


def test_every_reviewed_id_of_oflog_and_defra_is_one_they_give():
    """The Oflog and DEFRA ids in the review are measures those adapters publish."""
    review = load_polarity_review()
    ours = review[~review["indicator_id"].isin(ISSUE_CASES)]
    non_lait = ours[ours["indicator_id"].isin(set(oflog.UNITS) | set(defra.MEASURES))]
    assert set(non_lait["indicator_id"]) == {"ASC6", "BVPI84a"}


# -- the checks: a bad table is refused, naming the row ----------------------------------------


@pytest.mark.parametrize(
    "text, message",
    [
        ("indicator_id,polarity,reason\nA,none,why\n", "missing: judged_by"),
        ("indicator_id,polarity,reason,judged_by,extra\nA,none,why,me,x\n", "unknown: extra"),
        ("indicator_id,polarity,reason,judged_by\nA,none,why,me\nB,better,why,me\n", "row 3 (B): polarity 'better'"),
        ("indicator_id,polarity,reason,judged_by\nA,none,why,me\nA,low,why,me\n", "A is listed twice (rows 2, 3)"),
        ("indicator_id,polarity,reason,judged_by\nA,none,  ,me\n", "row 2: reason is empty"),
        ("indicator_id,polarity,reason,judged_by\nA,none,why,\n", "row 2: judged_by is empty"),
        ("indicator_id,polarity,reason,judged_by\n,none,why,me\n", "row 2: indicator_id is empty"),
    ],
)
def test_a_bad_review_is_refused(tmp_path, text, message):
    """Columns, polarity, duplicates and empty cells are checked; the error names the file and row."""
    with pytest.raises(PolarityReviewError, match=r"polarity_review\.csv") as raised:
        load_polarity_review(_write(tmp_path, text))
    assert message in str(raised.value)
    assert isinstance(raised.value, BuildError)


def test_a_missing_review_is_refused(tmp_path):
    with pytest.raises(PolarityReviewError, match="is missing"):
        load_polarity_review(tmp_path / "nowhere.csv")


def test_polarity_is_read_in_any_case_and_cells_are_stripped(tmp_path):
    review = load_polarity_review(_write(tmp_path, "indicator_id,polarity,reason,judged_by\n A , NONE , why , me \n"))
    assert review.to_dict("records") == [{"indicator_id": "A", "polarity": "none", "reason": "why", "judged_by": "me"}]


# -- the override ----------------------------------------------------------------------------


@pytest.fixture
def review(tmp_path):
    return load_polarity_review(
        _write(
            tmp_path,
            "indicator_id,polarity,reason,judged_by\n"
            "need,none,a measure of need,project review: need\n"
            "flipped,low,fewer is better,project review: direction\n"
            "already,none,was context anyway,project review: confirmed\n"
            "elsewhere,none,another source's,project review: other\n",
        )
    )


def test_reviewed_indicators_get_the_reviews_polarity_and_reason(review):
    """Reviewed ids take the review's polarity and its reason in the description; others are untouched;
    the note counts the changes (a confirmed 'none' is not a change)."""
    indicators = pd.DataFrame(
        {
            "id": ["need", "flipped", "already", "kept"],
            "polarity": ["low", "high", "none", "high"],
            "description": ["Children in families on low income.", None, "", "Results."],
        }
    )
    loaded = apply_polarity_review(_loaded(indicators), review)
    out = loaded.items[0][1].set_index("id")
    assert out["polarity"].to_dict() == {"need": "none", "flipped": "low", "already": "none", "kept": "high"}
    assert out.loc["need", "description"] == (
        "Children in families on low income. Context, not ranked (polarity review): a measure of need "
        "[project review: need]"
    )
    assert out.loc["flipped", "description"].startswith("Ranked, lower is better (polarity review): fewer is better")
    assert out.loc["kept", "description"] == "Results."
    assert loaded.notes == (
        "1 indicator set to context by the polarity review (polarity_review.csv).",
        "1 indicator given another polarity by the polarity review (polarity_review.csv).",
    )
    assert indicators["polarity"].tolist() == ["low", "high", "none", "high"]  # the input is not changed
    assert loaded.items[1] is not None and loaded.items[1][0] == "indicator_value"


def test_context_indicators_are_stored_but_never_ranked(review):
    """After the review a context indicator keeps its values; the ranking drops it."""
    indicators = pd.DataFrame({"id": ["need", "kept"], "polarity": ["low", "high"], "description": ["", ""]})
    reviewed = apply_polarity_review(_loaded(indicators), review).items[0][1]
    values = pd.DataFrame(
        {
            "indicator_id": ["need", "need", "kept", "kept"],
            "authority_code": ["A", "B", "A", "B"],
            "period": ["2022-23"] * 4,
            "value": [1.0, 2.0, 3.0, 4.0],
        }
    )
    ranks = indicator_ranks(values, reviewed)
    assert set(ranks["indicator_id"]) == {"kept"}


def test_a_target_without_a_midpoint_is_refused(tmp_path):
    review = load_polarity_review(_write(tmp_path, "indicator_id,polarity,reason,judged_by\nA,target,band,me\n"))
    indicators = pd.DataFrame({"id": ["A"], "polarity": ["high"], "description": [""]})
    with pytest.raises(PolarityReviewError, match="target_midpoint"):
        apply_polarity_review(_loaded(indicators), review)


def test_reviewed_ids_no_source_gives_are_reported(review):
    assert unused_review_ids(review, ["need", "flipped", "already", "kept"]) == ["elsewhere"]
    assert unused_review_ids(review, review["indicator_id"]) == []


def test_indicators_without_a_description_get_one(review):
    indicators = pd.DataFrame({"id": ["need", "kept"], "polarity": ["low", "high"]})
    out = apply_polarity_review(_loaded(indicators), review).items[0][1]
    assert out["description"].tolist()[0].startswith("Context, not ranked (polarity review): a measure of need")
    assert pd.isna(out["description"].tolist()[1])


def test_a_source_without_reviewed_indicators_gets_no_note(review):
    indicators = pd.DataFrame({"id": ["kept"], "polarity": ["high"], "description": ["x"]})
    assert apply_polarity_review(_loaded(indicators), review).notes == ()


# -- the real LAIT dictionary -----------------------------------------------------------------


@pytest.fixture(scope="module")
def lait_indicators(shared_data):
    """LAIT's measures (first listing) with the publisher's polarity, read with plain pandas."""
    dictionary = pd.read_csv(shared_data / "dfe_lait" / "lait_data_dictionary.csv", dtype=str, keep_default_na=False)
    first = dictionary.drop_duplicates("Measure_short")
    polarity = first["Polarity"].str.strip().str.lower().map({"high": "high", "low": "low"}).fillna("none")
    return pd.DataFrame({"id": first["Measure_short"], "polarity": polarity, "description": first["Description"]})


def test_every_issue_case_is_context_on_the_real_lait_dictionary(lait_indicators):
    """Each listed LAIT measure exists, is ranked by the publisher (but CPP_rate), and is context after review."""
    published = lait_indicators.set_index("id")["polarity"]
    assert set(ISSUE_CASES) <= set(published.index)
    assert {i for i in ISSUE_CASES if published[i] == "none"} == {"CPP_rate"}
    assert published["CPP_Abuse_Rate"] == "low" and published["Vacancies_cover"] == "high"
    reviewed = apply_polarity_review(_loaded(lait_indicators), load_polarity_review())
    after = reviewed.items[0][1].set_index("id")["polarity"]
    assert (after[list(ISSUE_CASES)] == "none").all()
    assert reviewed.notes == ("20 indicators set to context by the polarity review (polarity_review.csv).",)


def test_every_reviewed_id_is_given_by_lait_oflog_or_defra(lait_indicators):
    """No review goes unused: every id is a LAIT measure, an Oflog metric or a DEFRA measure."""
    ids = set(lait_indicators["id"]) | set(oflog.UNITS) | set(defra.MEASURES)
    assert unused_review_ids(load_polarity_review(), ids) == []
