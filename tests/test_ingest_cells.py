"""Trimming cells and finding repeated keys: the same answer as plain pandas on every kind of column."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from benchmarking.ingest.keys import repeated_keys, stripped


def _cells(rng: np.random.Generator, n: int, distinct: int, spaced: bool) -> pd.Series:
    words = np.array([f"K{i:04d}" for i in range(distinct)], dtype=object)
    cells = words[rng.integers(0, distinct, n)]
    if spaced:
        cells[rng.integers(0, n, 5)] = " K0001\t"
    cells[rng.integers(0, n, 7)] = None
    return pd.Series(cells, dtype="str")


@pytest.mark.parametrize("distinct", [3, 150, 50_000])
@pytest.mark.parametrize("spaced", [False, True])
def test_stripped_equals_pandas_strip(distinct, spaced):
    """Few or many distinct cells, with or without cells to trim, missing cells kept: as ``.str.strip()``."""
    cells = _cells(np.random.default_rng(distinct), 30_000, distinct, spaced)
    expected = cells.astype("string").str.strip()
    pd.testing.assert_series_equal(stripped(cells), expected)


@pytest.mark.parametrize("seed", range(6))
def test_repeated_keys_equals_pandas_duplicated(seed):
    """Every row whose key repeats, a missing cell counting as a value: as ``DataFrame.duplicated(keep=False)``."""
    rng = np.random.default_rng(seed)
    n = 20_000
    frame = pd.DataFrame(
        {
            "indicator_id": _cells(rng, n, 40, False),
            "authority_code": _cells(rng, n, 30, False),
            "period": _cells(rng, n, 1 + seed * 4, False),
        }
    )
    keys = ["indicator_id", "authority_code", "period"]
    expected = frame.duplicated(keys, keep=False).to_numpy()
    assert expected.any() and not expected.all()
    np.testing.assert_array_equal(repeated_keys(frame, keys), expected)
    unique = frame.drop_duplicates(keys).reset_index(drop=True)
    assert not repeated_keys(unique, keys).any()


def test_repeated_keys_of_many_combinations_equals_pandas_duplicated():
    """Keys with more combinations than can be counted in an array are found all the same."""
    rng = np.random.default_rng(7)
    n = 5_000
    frame = pd.DataFrame({k: _cells(rng, n, 3_000, False) for k in ("a", "b", "c")})
    frame.loc[10:19] = frame.loc[0:9].to_numpy()
    expected = frame.duplicated(["a", "b", "c"], keep=False).to_numpy()
    np.testing.assert_array_equal(repeated_keys(frame, ["a", "b", "c"]), expected)
