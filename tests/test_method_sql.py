"""The method's DuckDB helper (method/sql.py): numpy's rounding in SQL, NaN as NULL, queries that share nothing."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from benchmarking.method import sql
from benchmarking.method.positions import average_ranks


def _rounded_in_sql(numbers: np.ndarray, decimals: int) -> np.ndarray:
    table = sql.arrow_table({"x": numbers})
    return sql.numbers(sql.run(f"SELECT {sql.rounded('x', decimals)} AS r FROM t", {"t": table}), "r")


@pytest.mark.parametrize("decimals", [0, 1, 2, 9, 10, -1])
def test_rounding_in_sql_is_numpys_round_half_to_even(decimals):
    """Halves (exact in binary: 0.5, 2.5, 0.125 ...) go to the even neighbour, as np.round does,
    and so do random values near halves."""
    rng = np.random.default_rng(19)
    halves = np.array([0.5, 1.5, 2.5, -0.5, -2.5, 0.125, 0.375, 25.0, 35.0, 1e-10, 2.5e-10])
    near = np.round(rng.random(5_000) * 1000 - 500, max(decimals, 0)) + 0.5 * 10.0**-decimals
    numbers = np.concatenate([halves, near, rng.random(5_000) * 100])
    np.testing.assert_array_equal(_rounded_in_sql(numbers, decimals), np.round(numbers, decimals))
    assert _rounded_in_sql(np.array([2.5]), 0)[0] == 2.0  # by hand: half to even
    assert _rounded_in_sql(np.array([3.5]), 0)[0] == 4.0


def test_missing_numbers_reach_sql_as_null_and_come_back_as_nan():
    table = sql.arrow_table({"row": np.arange(3), "x": np.array([1.0, np.nan, 3.0])})
    result = sql.run("SELECT x, x IS NULL AS missing FROM t ORDER BY row", {"t": table})
    assert result.column("missing").to_pylist() == [False, True, False]
    np.testing.assert_array_equal(sql.numbers(result, "x"), [1.0, np.nan, 3.0])


def test_a_query_sees_only_its_own_frames():
    """A frame registered for one query is gone for the next (each runs on its own cursor), and
    a Python variable of the same name is not read in its place."""
    sql.run("SELECT * FROM mine", {"mine": sql.arrow_table({"x": np.array([1.0])})})
    mine = pd.DataFrame({"x": [2.0]})
    with pytest.raises(Exception, match="mine"):
        sql.run("SELECT * FROM mine", {})
    assert len(mine) == 1


def test_average_ranks_by_hand():
    """One authority, two themes: a (ranks 1, 3), b (rank 2, core). By indicators Overall
    = (1 + 3 + 2) / 3 = 2, LA Core = 2; by themes Overall = (2 + 2) / 2 = 2 ... so use weights:
    a1 weight 2 -> a = (2*1 + 3) / 3 = 5/3; Overall by indicators (2 + 3 + 2) / 4 = 7/4,
    by themes (5/3 + 2) / 2 = 11/6. An unranked row (NaN) counts nowhere."""
    scores = pd.DataFrame(
        {
            "period": "2021/22",
            "authority_code": "A",
            "theme": ["a", "a", "b", "b"],
            "is_core": [False, False, True, True],
            "score": [1.0, 3.0, 2.0, np.nan],
            "weight": [2.0, 1.0, 1.0, 1.0],
        }
    )
    for balance, overall in (("indicators", 7 / 4), ("themes", 11 / 6)):
        result = average_ranks(scores, balance).set_index("theme")
        assert result.loc["Overall", "average_rank"] == pytest.approx(overall)
        assert result.loc["a", "average_rank"] == pytest.approx(5 / 3)
        assert result.loc["b", "average_rank"] == 2.0
        assert result.loc["LA Core", "average_rank"] == 2.0
        assert result["n_indicators"].to_dict() == {"a": 2, "b": 1, "Overall": 3, "LA Core": 1}
