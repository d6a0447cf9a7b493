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


# -- readability at 1366 (finding 4) -------------------------------------------------------------


def test_the_regression_table_reads_in_words_with_spend_per_100_pounds():
    """A spend coefficient per £1 rounds to 0.00: it is given per £100 a head (x100, with its error), terms in
    words, p-values as people write them; t is left to the download."""
    rng = pd.Series(range(12), dtype=float)
    frame = pd.DataFrame(
        {
            "authority_code": [f"A{i}" for i in range(12)],
            "spend_per_head": 1000 + 37 * rng,
            "deprivation": 10 + (rng * 7) % 11,
        }
    )
    frame["performance_score"] = 0.002 * frame["spend_per_head"] - 0.1 * frame["deprivation"] + 0.05 * (rng % 3)
    from benchmarking.method import value_for_money

    _fitted, regression = value_for_money.spend_deprivation_regression(frame)
    table = view.regression_table(regression)
    assert list(table.columns) == ["term", "estimate", "std_error", "p_value"]
    assert list(table["term"]) == ["Intercept", "Spend per head (per £100)", "Deprivation (per IMD point)"]
    raw = regression.coefficients.set_index("term")
    assert math.isclose(table["estimate"].iloc[1], round(raw.loc["spend_per_head", "estimate"] * 100, 2))
    assert math.isclose(table["std_error"].iloc[1], round(raw.loc["spend_per_head", "std_error"] * 100, 2))
    assert table["estimate"].iloc[1] != 0
    assert all(p == "<0.001" or (p.startswith("0.") and len(p) == 5) for p in table["p_value"])


def test_value_for_money_and_similar_tables_read_as_whole_pounds_without_a_none():
    """The listed tables carry whole pounds, deprivation to one decimal and population in thousands (the page
    adds the separators and the £ in its headers); a missing figure stays missing (blank), never 'None'."""
    vfm = pd.DataFrame(
        {
            "authority_code": ["A", "B"],
            "name": ["Alpha", "Beta"],
            "performance_score": [0.1234, -0.5],
            "spend_per_head": [1366.4, 1037.6],
            "deprivation": [14.926, 18.39],
            "on_frontier": [True, False],
            "spend_gap": [0.0, 45.55],
            "performance_gap": [0.0, 0.2],
            "dominated_by": [0, 1],
            "benchmark_code": ["A", "A"],
            "predicted": [0.1, 0.2],
            "residual": [0.02, -0.7],
            "standardised_residual": [0.1, -1.2],
            "verdict": ["about as predicted", "worse than predicted"],
            "is_focus": [True, False],
        }
    )
    listed = view.value_for_money_listed(vfm)
    assert list(listed.columns) == [
        "name",
        "performance_score",
        "spend_per_head",
        "deprivation",
        "on_frontier",
        "spend_gap",
        "residual",
        "verdict",
    ]
    assert listed["spend_per_head"].tolist() == [1366, 1038] and listed["spend_gap"].tolist() == [0, 46]
    assert listed["deprivation"].tolist() == [14.9, 18.4]
    neighbours = pd.DataFrame(
        {
            "authority_code": ["B", "C"],
            "distance": [0.5, 0.7],
            "population": [5.838, 5.736],
            "deprivation": [13.93, float("nan")],
            "spend_per_head": [1134.2, float("nan")],
            "funding_per_head": [628.1, 640.2],
        }
    )
    table = view.similar_table(neighbours, {"B": "Beta", "C": "Gamma"})
    assert table["population"].tolist() == [689000, 545000]
    assert table["spend_per_head"].iloc[0] == 1134 and pd.isna(table["spend_per_head"].iloc[1])
    assert table["deprivation"].iloc[0] == 13.9 and table["funding_per_head"].tolist() == [628, 640]


def test_the_basket_table_is_drawn_whole_and_wraps_its_words(store_path, monkeypatch):
    """At 1366 the basket table's long 'balance' words made a data grid scroll sideways: it is a short table
    read whole, drawn as plain HTML that wraps (no grid), the basket in use marked 'yes'."""
    at = open_beyond(store_path, monkeypatch, "baskets", "weighted", "indicators")
    assert not [frame for frame in at.dataframe if "Overall position" in frame.value.columns]
    from apptest_helpers import html_tables

    shown = next(frame for frame in html_tables(at) if "Overall position" in frame.columns)
    in_use = shown[shown["In use"] == "yes"]
    assert len(in_use) == 1 and in_use["Overall position"].item() == position_words(2, 4)
    assert set(shown["In use"]) == {"yes", "no"}


def test_an_interval_of_one_place_reads_no_other_position_likely():
    """The chart's words beside the focus: '2nd (likely 1st–4th)', and for a one-place interval
    '2nd (no other position likely)', not '2nd (likely 2nd–2nd)'."""
    from benchmarking.charts import interval_chart

    intervals = pd.DataFrame(
        {
            "name": ["Kent", "Leicestershire"],
            "position": [1, 2],
            "lower": [1, 2],
            "upper": [2, 2],
            "is_focus": [False, True],
            "share_positioned": [1.0, 1.0],
        }
    )
    spec = interval_chart(intervals, 32, "Overall position with its 90% interval", "sub").to_dict()
    rows = [row for data in spec["datasets"].values() for row in data if "interval_text" in row]
    texts = {row["name"]: row["interval_text"] for row in rows}
    assert texts == {"Kent": "1st (likely 1st–2nd)", "Leicestershire": "2nd (no other position likely)"}
