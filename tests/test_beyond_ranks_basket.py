"""Beyond ranks follows the chosen basket and balance: how sure a position is, the theme weights,
leave-one-theme-out and value for money all start from the positions the engine gives every other
page for the group, basket and balance (the hand-worked example of ``basket_example``)."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from apptest_helpers import chart_titled, metrics, open_page, position_words
from basket_example import CODES, PERIOD, POSITIONS_BY_INDICATORS, POSITIONS_BY_THEMES, example_store

from benchmarking.method.positions import LA_CORE, OVERALL
from benchmarking.service import beyond_ranks as view
from benchmarking.service.benchmark import benchmark_for
from benchmarking.service.catalogue import load_catalogue
from benchmarking.store import Store

FOCUS = CODES["A"]
# (basket, balance) choices whose Overall order differs from the unweighted mean over every indicator:
# 'weighted' (a1 x2, r1) puts C 3rd where the plain mean over a1 and r1 puts it level 2nd with A, and
# theme balance swaps A and C (basket_example's table).
CHOICES = [("weighted", "indicators"), ("all-published", "themes"), ("weighted", "themes"), ("adults", "themes")]


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("beyond-basket") / "example.duckdb"
    example_store(path)
    return path


@pytest.fixture(scope="module")
def catalogue(store_path):
    return load_catalogue(Store(store_path))


def engine_positions(catalogue, basket: str, balance: str, theme: str = OVERALL) -> dict[str, int]:
    """The engine's positions (every page's) for the basket and balance: authority -> position."""
    positions = benchmark_for(catalogue, "all", FOCUS, basket=basket, balance=balance).positions
    rows = positions[(positions["theme"] == theme) & (positions["period"] == PERIOD)]
    return {code: int(p) for code, p in zip(rows["authority_code"], rows["position"]) if pd.notna(p)}


def test_the_example_engine_orders_differ_from_the_plain_mean(catalogue):
    """The choices below give other orders than the plain mean, so following them is visible."""
    assert engine_positions(catalogue, "all-published", "indicators") == {
        CODES[a]: p for a, p in POSITIONS_BY_INDICATORS.items()
    }
    assert engine_positions(catalogue, "all-published", "themes") == {
        CODES[a]: p for a, p in POSITIONS_BY_THEMES.items()
    }
    assert engine_positions(catalogue, "weighted", "indicators")[CODES["C"]] == 3


@pytest.mark.parametrize(("basket", "balance"), CHOICES)
def test_the_bootstraps_central_positions_are_the_engines(catalogue, basket, balance):
    """Finding 1 and 2: the bootstrap's point positions (every column) are the engine's for the basket's
    weights and the balance, and every interval holds its point."""
    bench = benchmark_for(catalogue, "all", FOCUS, basket=basket, balance=balance)
    intervals = view.bootstrap(bench, catalogue.indicators, PERIOD, 200).intervals()
    for theme in (OVERALL, LA_CORE, "Adults"):
        rows = intervals[intervals["theme"] == theme]
        shown = {code: int(p) for code, p in zip(rows["authority_code"], rows["position"]) if pd.notna(p)}
        assert shown == engine_positions(catalogue, basket, balance, theme), (basket, balance, theme)
    assert ((intervals["lower"] <= intervals["position"]) & (intervals["position"] <= intervals["upper"])).all()


@pytest.mark.parametrize(("basket", "balance"), CHOICES)
def test_equal_theme_weights_and_leaving_nothing_out_give_the_engines_positions(catalogue, basket, balance):
    """Finding 1 and 2: with every theme weighted 1 the weighted and default positions are the engine's, and
    leaving a theme out is the engine's position over the rest of the basket."""
    bench = benchmark_for(catalogue, "all", FOCUS, basket=basket, balance=balance)
    weighted = view.theme_weighted(bench, catalogue.indicators, PERIOD, {})
    overall = weighted[weighted["theme"] == OVERALL]
    expected = engine_positions(catalogue, basket, balance)
    assert dict(zip(overall["authority_code"], overall["default_position"].astype(int))) == expected
    assert dict(zip(overall["authority_code"], overall["position"].astype(int))) == expected
    left_out = view.left_out(bench, catalogue.indicators, PERIOD)
    for theme, rows in left_out.groupby("left_out"):
        kept = [theme_name for theme_name in ("Adults", "Roads") if theme_name != theme]
        others = rows.dropna(subset=["position"])
        # without Roads every basket is the Adults theme alone: its theme position
        assert dict(zip(others["authority_code"], others["position"].astype(int))) == engine_positions(
            catalogue, basket, balance, kept[0]
        ), (theme, basket, balance)


def test_theme_shares_follow_the_basket_weights_and_the_balance(catalogue):
    """Finding 1 and 2: 'weighted' (a1 weight 2, r1 weight 1) gives Adults 2/3 of Overall; theme balance
    gives each theme a half, with either basket; all published by indicators, Adults 3 of 4."""
    expected = {
        ("weighted", "indicators"): 2 / 3,
        ("all-published", "indicators"): 3 / 4,
        ("all-published", "themes"): 1 / 2,
        ("weighted", "themes"): 1 / 2,
    }
    for (basket, balance), adults in expected.items():
        bench = benchmark_for(catalogue, "all", FOCUS, basket=basket, balance=balance)
        shares = view.theme_shares(bench, catalogue.indicators, PERIOD, {}).set_index("theme")["share"]
        assert math.isclose(shares["Adults"], adults) and math.isclose(shares["Roads"], 1 - adults), (basket, balance)


@pytest.mark.parametrize(("basket", "balance"), [*CHOICES, ("all-published", "indicators")])
def test_value_for_money_scores_only_the_baskets_indicators_by_its_weights(catalogue, basket, balance):
    """Finding 3: every value here is its rank (1..4, 'low' polarity), so each indicator's z-score is
    (2.5 - rank) / sd(1..4): the performance score is (2.5 - the engine's average rank) / sd over exactly
    the basket's indicators, by its weights and balance."""
    bench = benchmark_for(catalogue, "all", FOCUS, basket=basket, balance=balance)
    scores, _context, _spend = view.value_for_money_inputs(catalogue, bench, OVERALL, PERIOD)
    positions = bench.positions[(bench.positions["theme"] == OVERALL) & (bench.positions["period"] == PERIOD)]
    sd = pd.Series([1.0, 2.0, 3.0, 4.0]).std(ddof=0)
    expected = dict(zip(positions["authority_code"], (2.5 - positions["average_rank"]) / sd))
    shown = dict(zip(scores["authority_code"], scores["performance_score"]))
    assert shown.keys() == expected.keys()
    assert all(math.isclose(shown[code], expected[code]) for code in expected), (shown, expected)


# -- the page ------------------------------------------------------------------------------------


def open_beyond(store_path, monkeypatch, section: str, basket: str, balance: str):
    query = {"section": section, "basket": basket, "balance": balance, "group": "all", "period": PERIOD}
    at = open_page(store_path, monkeypatch, "beyond_ranks", query=query)
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize(("basket", "balance"), [("weighted", "indicators"), ("all-published", "themes")])
def test_how_sure_on_the_page_shows_the_engines_positions(store_path, catalogue, monkeypatch, basket, balance):
    """Finding 1 and 2 as the reader sees them: the interval chart's points are the positions the Overview
    and the exports give for the basket and balance."""
    at = open_beyond(store_path, monkeypatch, "certainty", basket, balance)
    data = chart_titled(at, "Overall position with its 90% interval").data_with("lower")
    assert dict(zip(data["authority_code"], data["position"].astype(int))) == engine_positions(
        catalogue, basket, balance
    )


def test_theme_weights_on_the_page_start_from_the_engines_position(store_path, catalogue, monkeypatch):
    """Finding 2 as the reader sees it: under theme balance the focus's default Overall is 3rd of 4 (A and C
    swap), not the 2nd of the mean over every indicator; the words and the shares say every theme counts once."""
    at = open_beyond(store_path, monkeypatch, "weights", "all-published", "themes")
    expected = engine_positions(catalogue, "all-published", "themes")[FOCUS]
    assert expected == POSITIONS_BY_THEMES["A"]
    shown = metrics(at)
    assert shown["Default Overall position"] == position_words(expected, 4)
    assert shown["Overall position with these weights"] == position_words(expected, 4)
    assert any("every theme counts once" in text.value for text in at.markdown)
    shares = chart_titled(at, "share of the Overall average")
    assert "Every theme counts once: share = theme weight ÷ the sum of the weights" in shares.subtitle
    assert shares.data_with("share").set_index("theme")["share"].tolist() == [0.5, 0.5]
