"""Similar authorities: symmetric distances, neighbours without the authority itself, 'similar:<k>' groups."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarking.errors import BadArgumentError, UnknownAuthorityError, UnknownGroupError
from benchmarking.method.groups import available_groups, needs_focus, resolve_group
from benchmarking.method.similarity import (
    context_features,
    distance_matrix,
    distances_to,
    nearest_neighbours,
    standardise,
)
from benchmarking.service import benchmark
from benchmarking.service.catalogue import load_catalogue
from benchmarking.store import Store

FOCUS = "E10000018"

# Four authorities on two variables. z-scores: population 1, 2, 3, 10 -> mean 4, SD sqrt(12.5);
# deprivation 5, 5, 6, 5 -> mean 5.25, SD sqrt(0.1875). A and B differ only in population.
HAND = pd.DataFrame(
    {
        "authority_code": ["A", "B", "C", "D"],
        "population": [1.0, 2.0, 3.0, 10.0],
        "deprivation": [5.0, 5.0, 6.0, 5.0],
    }
)


def hand_distance(a: int, b: int) -> float:
    """Root mean square z-score difference, computed the long way."""
    z = (HAND[["population", "deprivation"]] - HAND[["population", "deprivation"]].mean()) / HAND[
        ["population", "deprivation"]
    ].std(ddof=0)
    return float(np.sqrt(((z.iloc[a] - z.iloc[b]) ** 2).mean()))


@pytest.fixture(scope="module")
def demo(demo_store_path):
    return load_catalogue(Store(demo_store_path))


features_strategy = st.integers(2, 9).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.lists(st.one_of(st.none(), st.floats(-100, 100, allow_nan=False)), min_size=n, max_size=n),
        st.lists(st.one_of(st.none(), st.floats(0, 50, allow_nan=False)), min_size=n, max_size=n),
    )
)


# -- distances ---------------------------------------------------------------------------


def test_distances_match_the_hand_worked_case():
    """Each distance is the root mean square of z-score differences."""
    distances = distance_matrix(HAND)
    for a in range(4):
        for b in range(4):
            assert distances.iloc[a, b] == pytest.approx(hand_distance(a, b))


@settings(max_examples=40, deadline=None)
@given(features_strategy)
def test_distances_are_symmetric_with_a_zero_diagonal(drawn):
    """d(a, b) = d(b, a) >= 0 and d(a, a) = 0, with missing values and constant variables."""
    n, first, second = drawn
    features = pd.DataFrame(
        {
            "authority_code": [f"A{i}" for i in range(n)],
            "population": pd.array(first, dtype="Float64").astype(float),
            "deprivation": pd.array(second, dtype="Float64").astype(float),
        }
    )
    distances = distance_matrix(features).to_numpy()
    np.testing.assert_array_equal(distances, distances.T)
    assert (np.diag(distances) == 0).all()
    assert (distances[~np.isnan(distances)] >= 0).all()


def test_standardise_drops_variables_that_do_not_vary():
    """A constant variable carries no information about similarity and is left out."""
    z = standardise(HAND.assign(rurality=1.0))
    assert list(z.columns) == ["authority_code", "population", "deprivation"]
    assert z["population"].mean() == pytest.approx(0)
    assert z["population"].std(ddof=0) == pytest.approx(1)


# -- neighbours --------------------------------------------------------------------------


def test_nearest_neighbours_exclude_the_authority_and_run_nearest_first():
    """A's neighbours are B (same deprivation, next population), then C, then D."""
    neighbours = nearest_neighbours(HAND, "A", 3)
    assert list(neighbours["authority_code"]) == ["B", "C", "D"]
    assert list(neighbours["neighbour_rank"]) == [1, 2, 3]
    assert neighbours["distance"].is_monotonic_increasing
    assert neighbours.loc[0, "distance"] == pytest.approx(hand_distance(0, 1))
    assert list(neighbours.columns[3:]) == ["population", "deprivation"]


def test_neighbours_never_include_the_authority_even_with_a_twin():
    """An authority identical to the focus is its nearest neighbour; the focus itself is not listed."""
    twins = pd.concat([HAND, HAND.iloc[[0]].assign(authority_code="A2")], ignore_index=True)
    neighbours = nearest_neighbours(twins, "A", 10)
    assert "A" not in set(neighbours["authority_code"])
    assert neighbours.iloc[0]["authority_code"] == "A2"
    assert neighbours.iloc[0]["distance"] == 0
    assert len(neighbours) == 4


def test_distances_to_a_published_list_give_each_members_place():
    """distances_to ranks listed authorities among all by computed distance."""
    listed = distances_to(HAND, "A", ["D", "B"])
    assert list(listed["authority_code"]) == ["B", "D"]
    assert list(listed["neighbour_rank"]) == [1, 3]


@pytest.mark.parametrize(
    "code, k, error, match",
    [
        ("Z", 2, UnknownAuthorityError, "'Z'"),
        ("A", 0, BadArgumentError, "positive"),
    ],
)
def test_bad_neighbour_requests_are_refused(code, k, error, match):
    """An unknown authority or k below 1 raise errors naming the problem."""
    with pytest.raises(error, match=match):
        nearest_neighbours(HAND, code, k)


# -- context variables and groups on the demo ----------------------------------------------


def test_context_features_cover_every_demo_authority(demo):
    """Population (log10), deprivation, spend and funding per head are held for all 32."""
    features = benchmark.context_features(demo)
    assert list(features.columns) == [
        "authority_code",
        "population",
        "deprivation",
        "spend_per_head",
        "funding_per_head",
    ]
    assert len(features) == 32 and features.notna().all().all()
    leicestershire = features.set_index("authority_code").loc[FOCUS]
    population = demo.authorities.set_index("code").loc[FOCUS, "population"]
    assert leicestershire["population"] == pytest.approx(np.log10(population))
    latest = demo.spend[
        (demo.spend["authority_code"] == FOCUS)
        & (demo.spend["service"] == "total")
        & (demo.spend["period"] == demo.period_labels[-1])
    ]
    assert leicestershire["spend_per_head"] == latest["net_expenditure_per_head"].iloc[0]


def test_rurality_is_used_when_the_authority_table_carries_it(demo):
    """An authority table with a rurality column adds that variable."""
    authorities = demo.authorities.assign(rurality=np.linspace(0, 60, len(demo.authorities)))
    features = context_features(authorities, demo.spend, demo.funding, demo.deprivation)
    assert "rurality" in features.columns


def test_similar_group_is_the_focus_and_its_k_nearest(demo):
    """'similar:5' resolves to the focus authority followed by its 5 nearest neighbours."""
    group = benchmark.comparator_group(demo, "similar:5", FOCUS)
    neighbours = nearest_neighbours(benchmark.context_features(demo), FOCUS, 5)
    assert group.members == (FOCUS, *neighbours["authority_code"])
    assert group.size == 6
    assert "Leicestershire" in group.label


def test_similar_groups_are_listed_for_a_focus_and_depend_on_it(demo):
    """available_groups offers similar:5/10/15 with their sizes when given a focus, none without."""
    with_focus = available_groups(demo.authorities, demo.comparator_groups, FOCUS).set_index("id")
    assert with_focus.loc[["similar:5", "similar:10", "similar:15"], "size"].tolist() == [6, 11, 16]
    without = available_groups(demo.authorities, demo.comparator_groups)
    assert not without["id"].str.startswith("similar:").any()
    assert needs_focus("similar:10") and needs_focus("neighbours:oflog-nn") and not needs_focus("all")


def test_every_listed_group_resolves_through_analysis(demo):
    """Every group the sidebar offers, similar ones included, resolves and holds the focus when focus-bound."""
    for group_id in available_groups(demo.authorities, demo.comparator_groups, FOCUS)["id"]:
        group = benchmark.comparator_group(demo, group_id, FOCUS)
        assert group.size >= 2
        if needs_focus(group_id):
            assert group.members[0] == FOCUS


@pytest.mark.parametrize(
    "group_id, focus, features, match",
    [
        ("similar:5", None, True, "needs one"),
        ("similar:5", FOCUS, False, "pass features"),
        ("similar:five", FOCUS, True, "positive whole number"),
        ("similar:0", FOCUS, True, "positive whole number"),
    ],
)
def test_similar_groups_explain_what_they_need(demo, group_id, focus, features, match):
    """Without a focus, without context variables or with a bad k the error says what to give."""
    frame = benchmark.context_features(demo) if features else None
    with pytest.raises(UnknownGroupError, match=match):
        resolve_group(group_id, demo.authorities, demo.comparator_groups, focus, features=frame)


def test_existing_groups_resolve_as_before(demo):
    """The old call without features still resolves the fixed groups."""
    group = resolve_group("county-councils", demo.authorities, demo.comparator_groups)
    assert group.size == 24


@pytest.mark.shared_data
def test_oflog_neighbour_list_can_be_measured_by_computed_distance(shared_data, demo):
    """The real Oflog list for Leicestershire: its county members all get a computed distance."""
    lists = json.loads((shared_data / "oflog" / "NN.json").read_text())
    members = [code for code in lists[FOCUS] if code != FOCUS and code in set(demo.authorities["code"])]
    assert members, "Oflog lists some county neighbours for Leicestershire"
    listed = distances_to(benchmark.context_features(demo), FOCUS, members)
    assert set(listed["authority_code"]) == set(members)
    assert np.isfinite(listed["distance"]).all()
