"""Trimming cells and finding repeated keys: the same answer as plain pandas on every kind of column."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from benchmarking.cells import distinct_cells, is_encoded
from benchmarking.ingest.keys import distinct_rows, held_in, repeated_keys, replaced, stripped


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


@pytest.mark.parametrize("seed", range(3))
def test_encoded_cells_give_the_same_keys_and_lookups(seed):
    """Encoded text (a Categorical of text, missing cells too): repeated keys, trimming and look-ups as for text."""
    rng = np.random.default_rng(seed)
    n = 20_000
    text = pd.DataFrame({k: _cells(rng, n, 20 + seed * 30, spaced=True) for k in ("indicator_id", "period")})
    encoded = text.astype("category")
    assert all(is_encoded(encoded[c]) for c in encoded)
    np.testing.assert_array_equal(repeated_keys(encoded, list(text)), text.duplicated(list(text), keep=False))
    trimmed = stripped(encoded["period"])
    assert is_encoded(trimmed)
    pd.testing.assert_series_equal(trimmed.astype("string"), stripped(text["period"]))
    known = {"K0001", "K0003", " K0001\t"}
    np.testing.assert_array_equal(held_in(encoded["period"], known), held_in(text["period"], known))
    expected = (text["period"].isin(known) & text["period"].notna()).to_numpy()
    np.testing.assert_array_equal(held_in(text["period"], known), expected)
    relabelled = replaced(encoded["indicator_id"], {"K0002": "K0001", " K0001\t": "K0001"})
    pd.testing.assert_series_equal(
        relabelled.astype("string"),
        text["indicator_id"].replace({"K0002": "K0001", " K0001\t": "K0001"}).astype("string"),
    )


@pytest.mark.parametrize("encoded", [False, True])
def test_distinct_rows_equal_pandas_drop_duplicates(encoded):
    """The distinct rows with no missing cell, from codes: as ``dropna().drop_duplicates()``, encoded or not."""
    rng = np.random.default_rng(11)
    frame = pd.DataFrame({k: _cells(rng, 20_000, distinct, False) for k, distinct in (("a", 30), ("b", 12), ("c", 2))})
    if encoded:
        frame = frame.astype("category")
    expected = frame.dropna().drop_duplicates().astype(object)
    found = distinct_rows(frame)
    assert found.dtypes.eq(object).all() and len(found) == len(expected)
    pd.testing.assert_frame_equal(
        found.sort_values(list(found)).reset_index(drop=True),
        expected.sort_values(list(expected)).reset_index(drop=True),
    )


@pytest.mark.parametrize("labels", [1, 5, 126, 127, 300, 40_000])
def test_distinct_cells_of_encoded_text_equal_pandas_unique(labels):
    """Encoded text of 8, 16 and 32-bit codes, with missing cells and labels no row uses: its distinct cells are
    those pandas finds cell by cell."""
    rng = np.random.default_rng(labels)
    codes = rng.integers(-1, labels, 50_000)
    codes[codes == labels - 1] = -1  # the last label is used by no row
    cells = pd.Series(pd.Categorical.from_codes(codes, categories=pd.Index([f"L{i}" for i in range(labels)])))
    assert is_encoded(cells)
    expected = set(cells.astype(object).dropna().unique())
    assert sorted(distinct_cells(cells)) == sorted(expected)
