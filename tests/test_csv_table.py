"""Arrow tables written by DuckDB's COPY (``store.csv_export.write_table``, the ranks export) are byte
for byte what pandas' ``to_csv(index=False)`` writes of the same rows, and the CLI's writer makes their
labels safe for spreadsheets as ``spreadsheet_frame`` makes a frame's cells."""

from __future__ import annotations

import contextlib
import io

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from benchmarking.cli.exports import _write
from benchmarking.method.figures import published_frame
from benchmarking.store.csv_export import write_table
from benchmarking.text.escaping import spreadsheet_cell, spreadsheet_frame, spreadsheet_table

LABELS = ["a,b", 'say "x"', "", "line\nbreak", " padded ", "é £ ×", "=SUM(A1)", "-minus", "plain", "@at"]
FLOATS = [1.0, 0.1 + 0.2, 1e-05, None, 1e16, 1.2345e21, -0.0, 70.7012987012987, 2.5e15, 3e-320]


def _table(n: int = 10) -> pa.Table:
    rng = np.random.default_rng(11)
    codes = rng.integers(0, len(LABELS), n)
    return pa.table(
        {
            "label": pa.DictionaryArray.from_arrays(codes, pa.array(LABELS)),
            "missing_label": pa.DictionaryArray.from_arrays(
                pa.array([None, *codes[1:]][:n], pa.int64()), pa.array(LABELS)
            ),
            "value": pa.array((FLOATS * (n // len(FLOATS) + 1))[:n], pa.float64()),
            "rank": pa.array([None if i % 4 == 1 else i for i in range(n)], pa.int64()),
            "n_ranked": pa.array(np.arange(n)),
            "in_group": pa.array([i % 3 != 0 for i in range(n)]),
        }
    )


def _as_pandas(table: pa.Table) -> pd.DataFrame:
    """The rows as pandas holds them: whole numbers as nullable integers, labels as text."""
    frame = table.to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get)
    return frame.astype(dict.fromkeys(("label", "missing_label"), object))


@pytest.mark.parametrize("rows", [10, 1000, 0])
def test_write_table_is_to_csv_byte_for_byte(tmp_path, rows):
    table = _table(rows)
    ours, theirs = tmp_path / "ours.csv", tmp_path / "theirs.csv"
    write_table(table, ours)
    _as_pandas(table).to_csv(theirs, index=False)
    assert ours.read_bytes() == theirs.read_bytes()
    assert rows == 0 or b'"a,b"' in ours.read_bytes() or b'"say ""x"""' in ours.read_bytes()


def test_write_table_of_plain_text_and_to_standard_output():
    table = _table().append_column("text", pa.array(LABELS))
    written = io.StringIO()
    with contextlib.redirect_stdout(written):
        write_table(table, None)
    assert written.getvalue() == _as_pandas(table).to_csv(index=False)


@pytest.mark.parametrize("plain_text", [False, True])
def test_the_cli_writer_escapes_labels_as_spreadsheet_frame(tmp_path, plain_text):
    """Labels held once (dictionary columns) get the spreadsheet rule on the labels; plain text
    columns go the frame's way; both write what ``spreadsheet_frame`` then ``to_csv`` writes of the
    figures as published (``published_frame``: 0.1 + 0.2 is written 0.3, as the pages' downloads write it)."""
    table = _table(200)
    if plain_text:
        table = table.append_column("text", pa.array([LABELS[i % len(LABELS)] for i in range(200)]))
    _write(table, tmp_path / "ours.csv", "test")
    expected = spreadsheet_frame(published_frame(_as_pandas(table))).to_csv(index=False)
    written = (tmp_path / "ours.csv").read_text(encoding="utf-8")
    assert written == expected
    assert "'=SUM(A1)" in written and "'-minus" in written and "'@at" in written
    assert ",0.3," in written and "0.30000000000000004" not in written and "70.7012987013," in written


HOSTILE = ['=HYPERLINK("http://x","y")', "+1+1", "-2", "@SUM(A1)", "\tcmd", "\rcr", "a=b", " =padded", "", None]


@pytest.mark.parametrize("as_labels", [True, False])
def test_spreadsheet_table_makes_hostile_text_safe_cell_by_cell(as_labels):
    """Every text cell of an Arrow table, held as labels (a dictionary column) or as plain text, gets
    ``spreadsheet_cell``'s rule; numbers and missing cells stay as they are, and so does the order."""
    rng = np.random.default_rng(5)
    rows = [HOSTILE[i] for i in rng.integers(0, len(HOSTILE), 300)]
    text = pa.array(rows, pa.string())
    column = text.dictionary_encode() if as_labels else text
    numbers = pa.array(rng.normal(size=300) * 10, pa.float64())
    table = pa.table({"=name": column, "value": numbers})
    safe = spreadsheet_table(table)
    assert safe.column_names == ["'=name", "value"]
    assert pa.types.is_dictionary(safe.field(0).type) == as_labels
    assert safe.column(0).to_pylist() == [spreadsheet_cell(row) for row in rows]
    assert safe.column("value").equals(table.column("value"))
    assert {'\'=HYPERLINK("http://x","y")', "'+1+1", "'-2", "'@SUM(A1)", "'\tcmd", "'\rcr"} <= set(
        safe.column(0).to_pylist()
    )
