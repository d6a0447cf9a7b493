"""CSV written by DuckDB's COPY (``store.csv_export.write_csv``) is byte for byte what pandas'
``to_csv(index=False)`` writes; text cells are made safe for spreadsheets at once, as cell by cell;
the values frame read through Arrow equals DuckDB's own ``.df()``."""

from __future__ import annotations

import contextlib
import io

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from benchmarking.store import Store
from benchmarking.store.contents import VALUES_ORDER, VALUES_SQL
from benchmarking.store.csv_export import labelled_table, write_csv, write_table
from benchmarking.text.escaping import spreadsheet_cell, spreadsheet_frame

AWKWARD_TEXT = ["a,b", 'say "x"', "", None, "line\nbreak", " padded ", "é £ ×", "=SUM(A1)", "plain", "tab\tin"]
FLOATS = [1.0, 0.1 + 0.2, 1e-05, np.nan, 1e16, 1.2345e21, -0.0, 70.7012987012987, 2.5e15, 3e-320]


def _frames() -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(7)
    n = len(AWKWARD_TEXT)
    return {
        "every kind": pd.DataFrame(
            {
                "value": FLOATS,
                "text": pd.array(AWKWARD_TEXT, dtype="str"),
                "objects": pd.Series(AWKWARD_TEXT, dtype=object),
                "in_group": [True, False] * (n // 2),
                "rank": pd.array([1, None, 3, 4, 5, 6, 7, 8, 9, 10], dtype="Int64"),
                "n_ranked": np.arange(n),
                "theme": pd.Categorical(["x", "y", None, "x", "y", "x", "x", "y", "y", "x"]),
                "maybe": pd.array([True, None, False] + [True] * (n - 3), dtype="boolean"),
                "nothing": [None] * n,
            }
        ),
        "random numbers": pd.DataFrame(
            {"a": rng.normal(size=2000) * 10.0 ** rng.integers(-8, 12, 2000), "b": rng.integers(-5, 5, 2000)}
        ),
        "no rows": pd.DataFrame({"a": pd.Series([], dtype="str"), "b": pd.Series([], dtype=float)}),
        "dates (written by pandas)": pd.DataFrame({"d": pd.to_datetime(["2020-04-01", None]), "x": [1.5, 2.0]}),
        "mixed objects (written by pandas)": pd.DataFrame({"m": [True, "a", 1.5, None]}),
    }


@pytest.mark.parametrize("name", list(_frames()))
def test_write_csv_is_to_csv_byte_for_byte(tmp_path, name):
    frame = _frames()[name]
    ours, theirs = tmp_path / "ours.csv", tmp_path / "theirs.csv"
    write_csv(frame, ours)
    frame.to_csv(theirs, index=False)
    assert ours.read_bytes() == theirs.read_bytes()


@pytest.mark.parametrize("name", [name for name in _frames() if "written by pandas" not in name])
def test_labelled_table_writes_the_frames_csv_byte_for_byte(tmp_path, name):
    """``labelled_table`` (text as labels held once) then ``write_table`` writes what ``to_csv`` does."""
    frame = _frames()[name]
    table = labelled_table(frame)
    ours, theirs = tmp_path / "ours.csv", tmp_path / "theirs.csv"
    write_table(table, ours)
    frame.to_csv(theirs, index=False)
    assert ours.read_bytes() == theirs.read_bytes()
    text = [column for column in frame.columns if not pd.api.types.is_numeric_dtype(frame[column].dtype)]
    assert all(pa.types.is_dictionary(table.schema.field(column).type) for column in text)


@pytest.mark.parametrize("name", [name for name in _frames() if "written by pandas" in name])
def test_labelled_table_refuses_columns_only_pandas_writes(name):
    with pytest.raises(ValueError, match="no CSV form"):
        labelled_table(_frames()[name])


def test_write_csv_to_standard_output():
    frame = _frames()["every kind"]
    written = io.StringIO()
    with contextlib.redirect_stdout(written):
        write_csv(frame, None)
    assert written.getvalue() == frame.to_csv(index=False)


def test_spreadsheet_frame_escapes_every_cell_as_spreadsheet_cell():
    """The column-at-once rule gives every cell what ``spreadsheet_cell`` gives it alone."""
    rng = np.random.default_rng(3)
    starts = np.array(["=", "+", "-", "@", "\t", "\r", "a", "'", " ", "1"], dtype=object)
    cells = [None if rng.random() < 0.1 else str(s) + "x" for s in rng.choice(starts, 500)]
    frame = pd.DataFrame(
        {
            "text": pd.array(cells, dtype="str"),
            "objects": pd.Series(cells, dtype=object),
            "mixed": pd.Series([-1.5 if c is None else c for c in cells], dtype=object),
            "number": rng.normal(size=500),
            "=formula name": 1,
        }
    )
    safe = spreadsheet_frame(frame)
    assert list(safe.columns) == ["text", "objects", "mixed", "number", "'=formula name"]
    for column in ("text", "objects", "mixed"):
        expected = [spreadsheet_cell(c) for c in frame[column].astype(object)]
        got = list(safe[column].astype(object))
        assert [None if pd.isna(c) else c for c in got] == [None if pd.isna(c) else c for c in expected]
    assert safe["number"].equals(frame["number"])
    assert (safe["text"] == "'=x").sum() == (frame["text"] == "=x").sum() > 0  # not vacuous


def test_values_read_through_arrow_equal_duckdb_df(demo_store_path):
    """``Store.values`` and the catalogue's values: the frame ``.df()`` gives, dtypes included."""
    store = Store(demo_store_path)
    with duckdb.connect(str(demo_store_path), read_only=True) as con:
        expected = con.execute(VALUES_SQL + VALUES_ORDER).df()
        some = con.execute(VALUES_SQL + " WHERE v.period IN ('2019/20', '2020/21')" + VALUES_ORDER).df()
    pd.testing.assert_frame_equal(store.values(), expected)
    pd.testing.assert_frame_equal(store.catalogue_frames()["values"], expected)
    pd.testing.assert_frame_equal(store.values(["2019/20", "2020/21"]), some)
