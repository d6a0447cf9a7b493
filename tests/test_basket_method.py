"""The method's proofs for baskets and theme balance (issue 17).

1. A hand-worked four-authority, two-theme example (``basket_example``) where the mean over
   indicators and the mean of theme averages give different Overall orders, through
   ``positions(..., balance=)`` and through ``benchmark_for`` on a tiny store.
2. A basket of one theme reproduces that theme's positions, for every authority and period.
3. "All published" reproduces today's positions exactly.
4. Weights: weight 2 on an indicator equals that indicator listed twice.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from basket_example import (
    BY_INDICATORS,
    BY_THEMES,
    CODES,
    PERIOD,
    POSITIONS_BY_INDICATORS,
    POSITIONS_BY_THEMES,
    RANKS,
    THEME,
    example_store,
)
from engine_frames import indicators_frame, values_frame

from benchmarking.method import ranking
from benchmarking.method.baskets import ALL_PUBLISHED, INDICATORS, THEMES, Basket, in_basket, weights_of
from benchmarking.method.positions import LA_CORE, OVERALL, positions
from benchmarking.service.benchmark import benchmark_for
from benchmarking.service.catalogue import load_catalogue
from benchmarking.store import Store


def _example_ranks(extra: dict | None = None):
    """Return (ranks, indicators) of the example; ``extra`` adds indicators {id: (theme, ranks)}."""
    table, themes = dict(RANKS), dict(THEME)
    for indicator_id, (theme, by_authority) in (extra or {}).items():
        table[indicator_id], themes[indicator_id] = by_authority, theme
    indicators = indicators_frame({i: {"theme": t} for i, t in themes.items()}, polarity="low")
    return ranking.indicator_ranks(values_frame(table, PERIOD), indicators), indicators


def _column(frame: pd.DataFrame, theme: str, column: str) -> dict:
    rows = frame[frame["theme"] == theme]
    return dict(zip(rows["authority_code"], rows[column]))


@pytest.mark.parametrize(
    "balance, averages, expected",
    [(INDICATORS, BY_INDICATORS, POSITIONS_BY_INDICATORS), (THEMES, BY_THEMES, POSITIONS_BY_THEMES)],
)
def test_hand_worked_orders_through_positions(balance, averages, expected):
    """The table in ``basket_example``: B, A, C, D by indicators; B, C, A, D theme-balanced."""
    ranks, indicators = _example_ranks()
    result = positions(ranks, indicators, balance=balance)
    for theme in (OVERALL, LA_CORE):
        assert _column(result, theme, "average_rank") == pytest.approx(averages)
        assert _column(result, theme, "position") == expected
        assert set(_column(result, theme, "n_indicators").values()) == {4}
    # the themes themselves do not depend on the balance
    assert _column(result, "Adults", "average_rank") == pytest.approx({"A": 4 / 3, "B": 2, "C": 8 / 3, "D": 4})
    assert _column(result, "Roads", "position") == {"A": 4, "B": 1, "C": 2, "D": 3}


def test_the_two_balances_give_different_orders():
    ranks, indicators = _example_ranks()
    orders = [
        positions(ranks, indicators, balance=b).query("theme == @OVERALL")["authority_code"].tolist()
        for b in (INDICATORS, THEMES)
    ]
    assert orders == [["B", "A", "C", "D"], ["B", "C", "A", "D"]]


@pytest.fixture(scope="module")
def example_catalogue(tmp_path_factory):
    return load_catalogue(example_store(tmp_path_factory.mktemp("example") / "example.duckdb"))


@pytest.mark.parametrize(
    "balance, averages, expected",
    [(INDICATORS, BY_INDICATORS, POSITIONS_BY_INDICATORS), (THEMES, BY_THEMES, POSITIONS_BY_THEMES)],
)
def test_hand_worked_orders_through_benchmark_for(example_catalogue, balance, averages, expected):
    bench = benchmark_for(example_catalogue, "all", balance=balance)
    letter = {code: letter for letter, code in CODES.items()}
    overall = bench.positions[bench.positions["theme"] == OVERALL]
    assert {letter[c]: a for c, a in zip(overall["authority_code"], overall["average_rank"])} == pytest.approx(averages)
    assert {letter[c]: int(p) for c, p in zip(overall["authority_code"], overall["position"])} == expected
    assert bench.balance == balance and bench.options["balance"] == balance


def test_stored_weighted_basket_by_hand(example_catalogue):
    """Basket 'weighted': a1 weight 2, r1 weight 1 (mean over indicators):
    A (2*1 + 4)/3 = 2, B (2*2 + 1)/3 = 5/3, C (2*3 + 2)/3 = 8/3, D (2*4 + 3)/3 = 11/3 -> B, A, C, D.
    Theme-balanced: Adults = a1 alone, so A (1+4)/2 = 2.5, B (2+1)/2 = 1.5, C (3+2)/2 = 2.5,
    D (4+3)/2 = 3.5 -> B 1st, A and C level 2nd, D 4th."""
    letter = {code: letter for letter, code in CODES.items()}
    for balance, averages, expected in [
        (INDICATORS, {"A": 2, "B": 5 / 3, "C": 8 / 3, "D": 11 / 3}, {"A": 2, "B": 1, "C": 3, "D": 4}),
        (THEMES, {"A": 2.5, "B": 1.5, "C": 2.5, "D": 3.5}, {"A": 2, "B": 1, "C": 2, "D": 4}),
    ]:
        bench = benchmark_for(example_catalogue, "all", basket="weighted", balance=balance)
        overall = bench.positions[bench.positions["theme"] == OVERALL]
        assert set(bench.ranks["indicator_id"]) == {"a1", "r1"}
        assert {letter[c]: a for c, a in zip(overall["authority_code"], overall["average_rank"])} == pytest.approx(
            averages
        )
        assert {letter[c]: int(p) for c, p in zip(overall["authority_code"], overall["position"])} == expected


def test_weight_two_equals_the_indicator_listed_twice():
    """a1 weight 2 with r1 weight 1 gives the same averages as a1, a copy of a1 and r1 at weight 1:
    by hand A (1+1+4)/3 = 2, B (2+2+1)/3 = 5/3, C (3+3+2)/3 = 8/3, D (4+4+3)/3 = 11/3."""
    ranks, indicators = _example_ranks()
    weighted = Basket("w", "Weighted", pd.Series({"a1": 2.0, "r1": 1.0}))
    chosen = in_basket(ranks, weighted)
    by_weight = positions(chosen, indicators, weights=weights_of(chosen["indicator_id"], weighted))
    twice_ranks, twice_indicators = _example_ranks({"a1 again": ("Adults", RANKS["a1"])})
    twice_basket = Basket("t", "Twice", pd.Series({"a1": 1.0, "a1 again": 1.0, "r1": 1.0}))
    twice = positions(in_basket(twice_ranks, twice_basket), twice_indicators)
    expected = {"A": 2, "B": 5 / 3, "C": 8 / 3, "D": 11 / 3}
    for theme in (OVERALL, LA_CORE, "Adults", "Roads"):
        assert _column(by_weight, theme, "average_rank") == pytest.approx(_column(twice, theme, "average_rank"))
        assert _column(by_weight, theme, "position") == _column(twice, theme, "position")
    assert _column(by_weight, OVERALL, "average_rank") == pytest.approx(expected)


@pytest.fixture(scope="module")
def demo_catalogue(demo_store_path):
    return load_catalogue(Store(demo_store_path))


@pytest.fixture(scope="module")
def demo_default(demo_catalogue):
    return benchmark_for(demo_catalogue, "all")


def test_a_basket_of_one_theme_reproduces_that_themes_positions(demo_catalogue, demo_default):
    """For every theme, every authority and every period: Overall (either balance) over a basket
    of the theme's indicators is the theme's own position (the demo store)."""
    indicators = demo_catalogue.indicators
    ranks = demo_default.ranks
    by_theme = demo_default.positions.set_index(["period", "theme", "authority_code"])
    for theme, ids in indicators.groupby("theme")["id"]:
        basket = Basket(f"only-{theme}", theme, pd.Series(1.0, index=ids.to_numpy()))
        chosen = in_basket(ranks, basket)
        own = by_theme.xs(theme, level="theme")
        for balance in (INDICATORS, THEMES):
            overall = positions(chosen, indicators, weights=weights_of(chosen["indicator_id"], basket), balance=balance)
            overall = overall[overall["theme"] == OVERALL].set_index(["period", "authority_code"])
            joined = overall.merge(own, left_index=True, right_index=True, how="outer", suffixes=("", "_theme"))
            assert len(joined) == len(own) == len(overall), theme
            assert joined["position"].equals(joined["position_theme"]), (theme, balance)
            assert np.allclose(joined["average_rank"], joined["average_rank_theme"], equal_nan=True)


def test_a_stored_one_theme_basket_through_benchmark_for(writable_store):
    """The same through the store: a saved basket of one theme, read back by benchmark_for."""
    catalogue = load_catalogue(writable_store)
    theme = catalogue.themes[0]
    ids = catalogue.indicators.loc[catalogue.indicators["theme"] == theme, "id"]
    writable_store.write(
        {"basket": pd.DataFrame({"basket_id": "one-theme", "name": f"Only {theme}", "indicator_id": ids})},
        dataset={"name": "one-theme basket", "source": "test", "kind": "basket", "file_name": "basket.csv"},
    )
    catalogue = load_catalogue(writable_store)
    default = benchmark_for(catalogue, "county-councils").positions
    basket = benchmark_for(catalogue, "county-councils", basket="one-theme", balance=THEMES).positions
    own = default[default["theme"] == theme].set_index(["period", "authority_code"])["position"]
    overall = basket[basket["theme"] == OVERALL].set_index(["period", "authority_code"])["position"]
    assert overall.sort_index().equals(own.sort_index())


def test_all_published_reproduces_todays_positions_frame_for_frame(demo_catalogue, demo_default):
    """basket=None, the "all-published" id with balance "indicators", and the plain engine (no
    weights, no balance: the pre-basket call) give identical frames."""
    named = benchmark_for(demo_catalogue, "all", basket=ALL_PUBLISHED, balance=INDICATORS)
    for name in ("ranks", "positions", "spend_ranks", "funding_ranks", "deprivation_ranks", "travel", "vintages"):
        pd.testing.assert_frame_equal(getattr(demo_default, name), getattr(named, name))
    plain = positions(demo_default.ranks.drop(columns="in_group"), demo_catalogue.indicators)
    pd.testing.assert_frame_equal(demo_default.positions.drop(columns="in_group"), plain)


def test_all_published_beside_a_group_is_unchanged(demo_catalogue):
    """A county council beside the county unitaries: the same frames with and without naming the basket."""
    default = benchmark_for(demo_catalogue, "county-unitaries", "E10000018")
    named = benchmark_for(demo_catalogue, "county-unitaries", "E10000018", basket=ALL_PUBLISHED, balance=INDICATORS)
    assert not default.positions["in_group"].all()
    pd.testing.assert_frame_equal(default.positions, named.positions)
    pd.testing.assert_frame_equal(default.ranks, named.ranks)
