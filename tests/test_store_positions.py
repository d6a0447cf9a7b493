"""Positions and ranks computed in the store (``service.store_positions``, the CLI's exports) against
the frame path the pages use (``benchmark_for`` then ``with_rests_on``), and against the
hand-worked basket example: the same rows, in the same order, with the same numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from basket_example import BY_INDICATORS, BY_THEMES, CODES, POSITIONS_BY_INDICATORS, POSITIONS_BY_THEMES, example_store
from basket_example import PERIOD as EXAMPLE_PERIOD

from benchmarking.method.baskets import resolve_basket
from benchmarking.method.beside import IN_GROUP
from benchmarking.method.positions import OVERALL, POSITION_COLUMNS
from benchmarking.method.ranking import RANK_COLUMNS
from benchmarking.service.basket_sensitivity import REST_COLUMNS, with_rests_on
from benchmarking.service.benchmark import benchmark_for, comparator_group
from benchmarking.service.catalogue import load_catalogue
from benchmarking.service.store_positions import store_positions, store_ranks
from benchmarking.store import Store

COLUMNS = [*POSITION_COLUMNS, IN_GROUP, *REST_COLUMNS[3:]]


def _frame_path(catalogue, group_id, focus, **options) -> pd.DataFrame:
    """The position rows as the pages compute them: every value loaded, the method over frames."""
    bench = benchmark_for(catalogue, group_id, focus, **options)
    positions = bench.positions[[*POSITION_COLUMNS, IN_GROUP]].reset_index(drop=True)
    rests = with_rests_on(positions, bench.ranks, catalogue.indicators, bench.basket, bench.balance)
    return rests[COLUMNS]


def _store_path(store, group_id, focus, basket=None, balance=None, **options) -> tuple[pd.DataFrame, list[str]]:
    """The position rows as the CLI computes them: the method's SQL on the store's tables."""
    light = load_catalogue(store, values=False)
    group = comparator_group(light, group_id, focus)
    chosen = resolve_basket(light.baskets, basket)
    positions, periods = store_positions(store, light, group, basket=chosen, balance=balance, **options)
    return positions[COLUMNS].reset_index(drop=True), periods


def _same(store: Store, group_id: str, focus: str, **options) -> pd.DataFrame:
    """Assert both paths give the same rows and periods; return the store path's rows."""
    catalogue = load_catalogue(store)
    expected = _frame_path(catalogue, group_id, focus, **options)
    got, periods = _store_path(store, group_id, focus, **options)
    assert periods == catalogue.period_labels
    pd.testing.assert_frame_equal(
        got.astype({"largest_theme": object}), expected.astype({"largest_theme": object}), check_dtype=False
    )
    assert list(got.dtypes.astype(str)) == list(expected.dtypes.astype(str))
    return got


CASES = [
    pytest.param("all", {}, id="all"),
    pytest.param("county-councils", {"scaled": True}, id="scaled"),
    pytest.param("county-councils", {"min_coverage": 0.8}, id="coverage-0.8"),
    pytest.param("all", {"balance": "themes"}, id="themes"),
    pytest.param("county-unitaries", {}, id="focus-beside"),
    pytest.param("county-unitaries", {"scaled": True, "balance": "themes"}, id="beside-scaled-themes"),
]


@pytest.mark.parametrize(("group_id", "options"), CASES)
def test_the_demo_store_gives_the_frame_path_positions(demo_store, group_id, options):
    got = _same(demo_store, group_id, "E10000018", **options)
    if group_id == "county-unitaries":  # Leicestershire is a county council: shown beside them
        assert (~got[IN_GROUP] == (got["authority_code"] == "E10000018")).all()


@pytest.mark.parametrize("balance", ["indicators", "themes"])
def test_a_basket_of_the_demo_store(demo_store, balance):
    _same(demo_store, "county-unitaries", "E10000018", basket="la-core-services", balance=balance)


@pytest.mark.parametrize(("group_id", "options"), CASES[:2] + CASES[4:5])
def test_the_real_store_with_older_vintages(shipped_store_path, group_id, options):
    """The shipped county store carries older figures into later reporting years (``years_older``)."""
    store = Store(shipped_store_path)
    assert (load_catalogue(store).reporting_values["years_older"] > 0).any()
    _same(store, group_id, "E10000018", **options)


def test_the_compendium_basket_of_the_real_store(shipped_store_path):
    store = Store(shipped_store_path)
    baskets = load_catalogue(store, values=False).baskets
    if baskets.empty:
        pytest.skip("the shipped store holds no basket")
    _same(store, "all", "E10000018", basket=baskets["basket_id"].iloc[0], balance="themes")


@pytest.mark.parametrize(
    ("basket", "balance", "expected"),
    [
        (None, "indicators", POSITIONS_BY_INDICATORS),
        (None, "themes", POSITIONS_BY_THEMES),
        ("adults", "indicators", {"A": 1, "B": 2, "C": 3, "D": 4}),
    ],
)
def test_the_hand_worked_example(tmp_path, basket, balance, expected):
    """Overall positions of the basket example, worked by hand (``basket_example``)."""
    store = example_store(tmp_path / "example.duckdb")
    got = _same(store, "all", CODES["A"], basket=basket, balance=balance)
    overall = got[(got["theme"] == OVERALL) & (got["period"] == EXAMPLE_PERIOD)]
    position = dict(zip(overall["authority_code"], overall["position"]))
    assert {letter: position[code] for letter, code in CODES.items()} == expected
    if basket is None:
        average = dict(zip(overall["authority_code"], overall["average_rank"]))
        by_hand = BY_INDICATORS if balance == "indicators" else BY_THEMES
        assert {letter: average[code] for letter, code in CODES.items()} == pytest.approx(by_hand)


def test_weights_worked_by_hand(tmp_path):
    """'weighted' (a1 x2, r1): A (2*1 + 4)/3 = 2, B (2*2 + 1)/3 = 5/3, C (2*3 + 2)/3 = 8/3, D (2*4 + 3)/3 = 11/3;
    Adults carries 2 of A's 3 weights."""
    store = example_store(tmp_path / "example.duckdb")
    got = _same(store, "all", CODES["A"], basket="weighted")
    overall = got[got["theme"] == OVERALL].set_index("authority_code")
    by_hand = {"A": 2.0, "B": 5 / 3, "C": 8 / 3, "D": 11 / 3}
    assert {letter: overall.loc[code, "average_rank"] for letter, code in CODES.items()} == pytest.approx(by_hand)
    assert {letter: overall.loc[code, "position"] for letter, code in CODES.items()} == {"A": 2, "B": 1, "C": 3, "D": 4}
    assert overall.loc[CODES["A"], "largest_theme"] == "Adults"
    assert overall.loc[CODES["A"], "largest_theme_share"] == pytest.approx(2 / 3)
    assert overall.loc[CODES["A"], "rests_on_indicators"] == 2


def _ranks_both_ways(store: Store, group_id: str, focus: str, basket: str | None = None) -> None:
    """Assert the ranks computed in the store equal the frame path's, sorted as the export sorts them."""
    catalogue = load_catalogue(store)
    bench = benchmark_for(catalogue, group_id, focus, basket=basket)
    order = ["period_start", "indicator_id", "rank", IN_GROUP, "authority_code"]
    expected = bench.ranks.sort_values(order, ascending=[True, True, True, False, True])
    # The period each rank's figures were published for: the reporting values' (``currency.reporting_values``).
    keys = ["indicator_id", "authority_code", "period"]
    published = catalogue.reporting_values[[*keys, "source_period", "years_older"]]
    expected = expected[[*RANK_COLUMNS, IN_GROUP]].merge(published, on=keys, how="left").reset_index(drop=True)
    light = load_catalogue(store, values=False)
    group = comparator_group(light, group_id, focus)
    table = store_ranks(store, light, group, resolve_basket(light.baskets, basket))
    assert table.column_names == [*RANK_COLUMNS, IN_GROUP, "source_period", "years_older"]
    # Labels held once (dictionary columns), whole numbers as nullable integers, as the export writes them.
    assert [str(kind) for kind in table.schema.types] == [
        *["dictionary<values=string, indices=int64, ordered=0>"] * 3,
        "double",
        *["int64"] * 3,
        "bool",
        "dictionary<values=string, indices=int32, ordered=0>",
        "int64",
    ]
    got = table.to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get)
    got = got.astype(dict.fromkeys(("indicator_id", "authority_code", "period", "source_period"), str))
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    if group.beside is not None:  # would-be quartiles among the members and the authority beside them
        outside = got[~got[IN_GROUP] & got["rank"].notna() & (got["n_ranked"] + 1 >= 4)]
        by_hand = np.clip(np.ceil(4 * outside["rank"].astype(float) / (outside["n_ranked"] + 1)), 1, 4)
        assert (outside["quartile"].astype(float) == by_hand).all()


@pytest.mark.parametrize(
    ("group_id", "basket"), [("all", None), ("county-unitaries", None), ("county-councils", "la-core-services")]
)
def test_ranks_of_the_demo_store(demo_store, group_id, basket):
    _ranks_both_ways(demo_store, group_id, "E10000018", basket)


def test_ranks_of_the_real_store(shipped_store_path):
    _ranks_both_ways(Store(shipped_store_path), "county-unitaries", "E10000018")
