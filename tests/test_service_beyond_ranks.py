"""The tables the Beyond ranks page draws (benchmarking.service.beyond_ranks): hand-worked
frames for the shaping, and the engine's own figures for the value-for-money inputs."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from apptest_helpers import FOCUS, LATEST, engine

from benchmarking.method import uncertainty, value_for_money
from benchmarking.method.positions import OVERALL
from benchmarking.service import beyond_ranks as view

NAMES = {"A": "Avon", "B": "Berks", "C": "Cumbria"}


def test_focus_row_is_the_focus_authoritys_first_row_or_none():
    table = pd.DataFrame({"authority_code": ["A", "B", "B"], "x": [1, 2, 3]})
    assert view.focus_row(table, "B")["x"] == 2
    assert view.focus_row(table, "Z") is None


# -- 1. rank uncertainty ------------------------------------------------------------------------


def intervals() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "authority_code": ["A", "B", "Q", "A"],
            "theme": [OVERALL, OVERALL, OVERALL, "Housing"],
            "position": [3, 1, 2, np.nan],
            "lower": [2, 1, 1, np.nan],
            "upper": [5, 2, 4, np.nan],
            "n_positioned": [32, 32, 32, 30],
            "level": [0.9] * 4,
            "average_rank": [4.25, 1.5, 2.0, np.nan],
            "share_positioned": [1.0, 1.0, 1.0, 0.0],
        }
    )


def test_named_intervals_names_each_authority_and_flags_the_focus():
    """An authority without a name keeps its code; only the focus is flagged; the input is untouched."""
    source = intervals()
    named = view.named_intervals(source, NAMES, "A")
    assert list(named["name"]) == ["Avon", "Berks", "Q", "Avon"]
    assert list(named["is_focus"]) == [True, False, False, True]
    assert "name" not in source


def test_focus_interval_table_writes_each_themes_position_and_interval():
    """3rd of 32 between 2nd and 5th; a theme without a position says so."""
    rows = view.focus_intervals(view.named_intervals(intervals(), NAMES, "A"))
    assert list(rows.index) == [OVERALL, "Housing"]
    table = view.focus_interval_table(rows)
    assert list(table.columns) == ["theme", "position and interval", "average_rank", "share_positioned"]
    assert list(table["position and interval"]) == [
        "3rd of 32, likely between 2nd and 5th (90% interval)",
        "no position",
    ]


def test_overlapping_shares_keep_the_authorities_whose_interval_meets_the_focuss(demo_store_path):
    """Engine check: the rows are ahead_shares' rows overlapping the focus interval, named, in the same order."""
    cat, bench = engine(str(demo_store_path))
    boot = uncertainty.bootstrap_positions(bench.ranks, cat.indicators, LATEST, 200)
    names = dict(zip(cat.authorities["code"], cat.authorities["name"]))
    rows = view.focus_intervals(view.named_intervals(boot.intervals(), names, FOCUS))
    shown = view.overlapping_shares(boot, FOCUS, OVERALL, rows, names)
    shares = uncertainty.ahead_shares(boot, FOCUS, OVERALL)
    low, high = rows.loc[OVERALL, "lower"], rows.loc[OVERALL, "upper"]
    expected = [
        names[code]
        for code, lo, up in zip(shares["authority_code"], shares["lower"], shares["upper"])
        if up >= low and lo <= high
    ]
    assert list(shown["authority"]) == expected and 0 < len(expected) < len(shares)
    assert shown.columns[0] == "authority" and not {"authority_code", "n_compared"} & set(shown.columns)


# -- 2. theme weights ---------------------------------------------------------------------------


def test_weighted_overall_table_keeps_overall_rows_named_after_the_code():
    weighted = pd.DataFrame(
        {"authority_code": ["A", "B", "A"], "theme": [OVERALL, OVERALL, "Housing"], "position": [2, 1, 1]}
    )
    table = view.weighted_overall_table(weighted, NAMES)
    assert list(table.columns) == ["authority_code", "name", "position"]
    assert table.to_dict("list") == {"authority_code": ["A", "B"], "name": ["Avon", "Berks"], "position": [2, 1]}


def test_leave_one_out_table_is_the_focuss_rows_in_words():
    left_out = pd.DataFrame(
        {
            "authority_code": ["A", "A", "B"],
            "left_out": ["Housing", "Roads", "Housing"],
            "position": [2, np.nan, 5],
            "n_positioned": [10, 10, 10],
            "default_position": [3, 3, 4],
            "change": [1, np.nan, -1],
        }
    )
    table = view.leave_one_out_table(left_out, "A")
    assert list(table.columns) == ["theme left out", "position without it", "default position", "change"]
    assert list(table["position without it"]) == ["2nd of 10", "no position"]
    assert list(table["theme left out"]) == ["Housing", "Roads"]


# -- 3. value for money -------------------------------------------------------------------------


def test_value_for_money_inputs_are_the_engines_scores_spend_and_deprivation(demo_store_path):
    """Engine check: scores from performance_scores; spend per head the total net expenditure per head;
    deprivation the IMD average score of the edition the context ranks use."""
    cat, bench = engine(str(demo_store_path))
    scores, context, spend = view.value_for_money_inputs(cat, bench, OVERALL, LATEST)
    expected = value_for_money.performance_scores(cat.reporting_values, cat.indicators, LATEST, OVERALL)
    pd.testing.assert_frame_equal(scores, expected)
    assert list(context.columns) == ["authority_code", "spend_per_head", "deprivation"]
    totals = cat.spend[(cat.spend["period"] == LATEST) & (cat.spend["service"] == "total")]
    totals = totals.set_index("authority_code")["net_expenditure_per_head"]
    assert len(context) == 32
    assert (
        context.set_index("authority_code")["spend_per_head"] == totals.loc[context["authority_code"]].to_numpy()
    ).all()
    edition = cat.deprivation.loc[cat.deprivation["authority_code"] == FOCUS]
    mine = context.set_index("authority_code").loc[FOCUS, "deprivation"]
    assert mine in set(edition["average_score"])
    assert set(spend["authority_code"]) == set(context["authority_code"])


def test_value_for_money_view_names_the_table_flags_the_focus_and_draws_the_frontier(demo_store_path):
    cat, bench = engine(str(demo_store_path))
    names = dict(zip(cat.authorities["code"], cat.authorities["name"]))
    vfm = view.value_for_money_view(cat, bench, OVERALL, LATEST, names, FOCUS)
    assert vfm.table.columns[1] == "name" and vfm.table["is_focus"].sum() == 1
    assert vfm.table.loc[vfm.table["is_focus"], "authority_code"].item() == FOCUS
    pd.testing.assert_frame_equal(vfm.frontier, value_for_money.frontier_line(vfm.table))
    assert vfm.regression is not None and vfm.spend_basis != "–"


def test_value_for_money_view_without_figures_is_empty(demo_store_path):
    """A period with no figures: an empty table, no frontier, no spend basis."""
    cat, bench = engine(str(demo_store_path))
    vfm = view.value_for_money_view(cat, bench, OVERALL, "1900/01", {}, FOCUS)
    assert vfm.table.empty and vfm.frontier is None and vfm.spend_basis == "–"


def vfm_row(**values) -> pd.Series:
    base = {
        "on_frontier": False,
        "spend_per_head": 1250.0,
        "spend_gap": 200.0,
        "benchmark_code": "B",
        "residual": np.nan,
        "verdict": "",
        "standardised_residual": np.nan,
    }
    return pd.Series(base | values)


def test_value_for_money_sentence_places_the_focus_against_the_frontier():
    """On the frontier; £200 above it (Berks does as well on £1,050); and the regression's verdict."""
    on = view.value_for_money_sentence(vfm_row(on_frontier=True), "Avon", NAMES, with_regression=False)
    assert on == (
        "Avon is **on the efficiency frontier**: no authority in the group performs at least as well for less "
        "(£1,250 per head)."
    )
    above = view.value_for_money_sentence(vfm_row(), "Avon", NAMES, with_regression=True)
    assert above == "Avon is **£200 per head** above the frontier: Berks performs at least as well on £1,050 per head."
    fitted = vfm_row(residual=0.5, standardised_residual=1.26, verdict="better than expected")
    assert view.value_for_money_sentence(fitted, "Avon", NAMES, with_regression=True).endswith(
        " Against its spend and deprivation it performs **better than expected** (residual +0.50, "
        "+1.3 residual standard deviations)."
    )
    assert "Against" not in view.value_for_money_sentence(fitted, "Avon", NAMES, with_regression=False)


# -- 4. similar authorities ---------------------------------------------------------------------


def test_similar_table_names_neighbours_and_shows_population_in_thousands():
    neighbours = pd.DataFrame(
        {"authority_code": ["B", "C"], "distance": [0.5, 0.7], "population": [np.log10(123456), 6.0]}
    )
    table = view.similar_table(neighbours, NAMES)
    assert list(table.columns) == ["authority_code", "name", "distance", "population"]
    assert list(table["population"]) == [123000.0, 1000000.0]
    assert math.isclose(neighbours["population"].iloc[1], 6.0)  # the input is untouched


def test_loaded_list_table_gives_each_member_its_computed_distance():
    """One variable, values 0, 1, 3: B is 1 apart from A and C is 3 apart, in standard deviations of that variable."""
    features = pd.DataFrame({"authority_code": ["A", "B", "C"], "deprivation": [0.0, 1.0, 3.0]})
    table = view.loaded_list_table(features, "A", ["C", "B"], NAMES)
    assert list(table.columns) == ["authority_code", "name", "distance", "rank by computed distance"]
    sd = np.std([0.0, 1.0, 3.0])
    assert list(table["authority_code"]) == ["B", "C"]
    assert np.allclose(table["distance"], [1 / sd, 3 / sd])
    assert list(table["rank by computed distance"]) == [1, 2]


# -- 5. significance of change ------------------------------------------------------------------


def changes_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "authority_code": ["A", "A", "A", "B"],
            "period": ["2021/22", "2021/22", "2020/21", "2021/22"],
            "indicator_id": ["i1", "i2", "i1", "i1"],
            "assessment": ["significantly improved", "no significant change", "no significant change", "x"],
            "direction": ["improved", "worsened", "improved", "improved"],
            "significant": [True, False, False, True],
            "previous_period": ["2020/21"] * 4,
            "previous_value": [1.0, 2.0, 3.0, 4.0],
            "value": [2.0, 1.0, 1.0, 5.0],
            "z": [2.5, -0.3, 0.1, 3.0],
            "p_value": [0.01, 0.7, 0.9, 0.003],
        }
    )


INDICATORS = pd.DataFrame({"id": ["i1", "i2"], "name": ["Roads", "Adults"], "theme": ["T", "T"], "unit": ["%", "%"]})


def test_focus_changes_are_the_focuss_rows_in_the_period_with_indicator_names():
    changes = view.focus_changes(changes_frame(), INDICATORS, "A", "2021/22")
    assert list(changes["name"]) == ["Roads", "Adults"]
    assert {"theme", "unit"} <= set(changes.columns)


def test_change_counts_count_assessments_and_arrows():
    counts, arrows = view.change_counts(view.focus_changes(changes_frame(), INDICATORS, "A", "2021/22"))
    assert counts == {"no significant change": 1, "significantly improved": 1}
    assert arrows == {"improved": 1, "worsened": 1}


@pytest.mark.parametrize(("only_significant", "names"), [(False, ["Adults", "Roads"]), (True, ["Roads"])])
def test_change_table_is_sorted_and_filtered_on_request(only_significant, names):
    table = view.change_table(view.focus_changes(changes_frame(), INDICATORS, "A", "2021/22"), only_significant)
    assert list(table["name"]) == names
    assert list(table.columns) == [*view.SIGNIFICANCE_COLUMNS, "z", "p_value"]
