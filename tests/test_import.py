"""Importing tidy long files: clear messages on bad input, all-or-nothing writes, idempotence."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from benchmarking.errors import ImportValidationError
from benchmarking.ingest.importer import import_frames
from benchmarking.ingest.preview import import_file

GOOD_VALUES = """\
indicator_id,authority_code,period,value
LCC001,E10000018,2022/23,12.5
LCC001,E10000016,2022/23,9.75
LCC002,E10000018,2022/23,
LCC002,E10000016,2022/23,3
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


# table, file text, expected message, expected row, expected column
BAD_INPUTS = [
    # unknown keys
    (
        "indicator_value",
        "indicator_id,authority_code,period,value\nLCC001,E99999999,2021/22,1\n",
        "unknown authority 'E99999999'",
        2,
        "authority_code",
    ),
    (
        "indicator_value",
        "indicator_id,authority_code,period,value\nNOPE,E10000018,2021/22,1\n",
        "unknown indicator 'NOPE'",
        2,
        "indicator_id",
    ),
    # values and domains
    (
        "indicator_value",
        "indicator_id,authority_code,period,value\nLCC001,E10000018,2021/22,1\nLCC002,E10000018,2021/22,twelve\n",
        "must be a number, got 'twelve'",
        3,
        "value",
    ),
    ("indicator", "id,name,theme,polarity\nX1,Thing,Economy,sideways\n", "bad polarity 'sideways'", 2, "polarity"),
    (
        "authority",
        "code,name,kind,population\nE10000099,Newshire,county council,-5\n",
        "cannot be negative",
        2,
        "population",
    ),
    ("authority", "code,name,kind\nE10000099,Newshire,district\n", "bad kind 'district'", 2, "kind"),
    (
        "spend",
        "authority_code,period,service,net_expenditure_per_head\nE10000018,2021/22,libraries,5\n",
        "unknown service 'libraries'",
        2,
        "service",
    ),
    # keys
    (
        "indicator_value",
        "indicator_id,authority_code,period,value\nLCC001,E10000018,2021/22,1\nLCC001,E10000018,2021/22,2\n",
        "duplicate key",
        2,
        "indicator_id, authority_code, period",
    ),
    (
        "indicator_value",
        "indicator_id,authority_code,value\nLCC001,E10000018,1\n",
        "no column gives 'period' (Period), which table indicator_value needs",
        None,
        None,
    ),
    (
        "indicator_value",
        "indicator_id,authority_code,period,value\nLCC001,E10000018,,1\n",
        "'period' is required but empty",
        2,
        "period",
    ),
    # periods
    (
        "indicator_value",
        "indicator_id,authority_code,period,value\nLCC001,E10000018,sometime,1\n",
        "unrecognised period 'sometime'",
        2,
        "period",
    ),
    (
        "indicator_value",
        "indicator_id,authority_code,period,value\nLCC001,E10000018,2099/00,1\n",
        "in the future",
        2,
        "period",
    ),
    ("indicator_value", "indicator_id,authority_code,period,value\n", "no data rows", None, None),
]


@pytest.mark.parametrize("table, text, message, row, column", BAD_INPUTS)
def test_bad_input_is_refused_with_location_and_store_unchanged(
    writable_store, tmp_path, table, text, message, row, column
):
    """Each bad file raises one clear issue at the right row and column; no table changes."""
    before = writable_store.checksums()
    path = _write(tmp_path, "bad.csv", text)
    with pytest.raises(ImportValidationError) as caught:
        import_file(writable_store, path, table)
    issues = caught.value.issues
    matching = [i for i in issues if message in i.message]
    assert matching, f"no issue says {message!r}: {[str(i) for i in issues]}"
    assert matching[0].file == "bad.csv"
    assert matching[0].row == row
    assert matching[0].column == column
    assert "nothing was written" in str(caught.value)
    assert writable_store.checksums() == before


def test_an_item_without_a_required_column_is_refused_naming_it(writable_store):
    """An adapter's item (no mapping to name what is missing) lacking ``period``: the checks name the column."""
    before = writable_store.checksums()
    frame = pd.DataFrame({"indicator_id": ["LCC001"], "authority_code": ["E10000018"], "value": [1.0]})
    with pytest.raises(ImportValidationError) as caught:
        import_frames(writable_store, [("indicator_value", frame, "item")])
    assert [(i.row, i.column) for i in caught.value.issues if "missing required column(s) period" in i.message] == [
        (None, "period")
    ]
    assert writable_store.checksums() == before


def test_one_bad_row_among_good_rows_writes_nothing(writable_store, tmp_path):
    """A file with 4 good rows and 1 bad row changes nothing at all."""
    before = writable_store.checksums()
    path = _write(tmp_path, "mixed.csv", GOOD_VALUES + "LCC003,E10000018,2022/23,oops\n")
    with pytest.raises(ImportValidationError, match="row 6, column 'value'"):
        import_file(writable_store, path, "indicator_value")
    assert writable_store.checksums() == before


def test_failure_during_the_write_rolls_back(writable_store, tmp_path, monkeypatch):
    """If the database fails half-way through a multi-table write, no table changes."""
    from benchmarking.store import writes as store_module

    before = writable_store.checksums()
    original = store_module.upsert
    calls = []

    def failing_upsert(con, table, frame, dataset_id):
        calls.append(table)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return original(con, table, frame, dataset_id)

    monkeypatch.setattr(store_module, "upsert", failing_upsert)
    with pytest.raises(RuntimeError, match="disk full"):
        import_file(writable_store, _write(tmp_path, "v.csv", GOOD_VALUES), "indicator_value")
    assert calls == ["period", "indicator_value"]
    assert writable_store.checksums() == before


def test_reimporting_a_file_is_idempotent(writable_store, tmp_path):
    """The second import of the same file changes nothing: its rows are stored with the same values."""
    path = _write(tmp_path, "values.csv", GOOD_VALUES)
    first = import_file(writable_store, path, "indicator_value")
    after_first = writable_store.checksums()
    second = import_file(writable_store, path, "indicator_value")
    after_second = writable_store.checksums()
    assert (first.added, first.new_periods) == (4, 1)  # four values; the period label is counted apart
    assert second.added == 0 and second.replaced == 0 and second.new_periods == 0
    for table in ["indicator_value", "period", "authority", "indicator"]:
        assert after_second[table] == after_first[table]
    values = writable_store.values(["2022/23"]).set_index(["indicator_id", "authority_code"])["value"]
    assert values.loc[("LCC001", "E10000018")] == 12.5
    assert pd.isna(values.loc[("LCC002", "E10000018")])


def test_import_replaces_by_key(writable_store, tmp_path):
    """A changed value for an existing key replaces the old one."""
    import_file(writable_store, _write(tmp_path, "a.csv", GOOD_VALUES), "indicator_value")
    import_file(
        writable_store,
        _write(tmp_path, "b.csv", "indicator_id,authority_code,period,value\nLCC001,E10000018,2022/23,99\n"),
        "indicator_value",
    )
    values = writable_store.values(["2022/23"]).set_index(["indicator_id", "authority_code"])["value"]
    assert values.loc[("LCC001", "E10000018")] == 99
    assert values.loc[("LCC001", "E10000016")] == 9.75


@pytest.mark.parametrize("suffix", ["xlsx", "parquet"])
def test_xlsx_and_parquet_import_the_same_as_csv(demo_store_path, tmp_path, suffix):
    """The same table saved as CSV, XLSX or Parquet gives identical store contents."""
    import shutil

    from benchmarking.store import Store

    frame = pd.read_csv(pd.io.common.StringIO(GOOD_VALUES), dtype=str, keep_default_na=False)
    csv_path = _write(tmp_path, "values.csv", GOOD_VALUES)
    other = tmp_path / f"values.{suffix}"
    if suffix == "xlsx":
        frame.to_excel(other, index=False)
    else:
        typed = frame.assign(value=pd.to_numeric(frame["value"]))
        typed.to_parquet(other, index=False)
    stores = []
    for name, path in [("csv", csv_path), (suffix, other)]:
        copy = tmp_path / f"{name}.duckdb"
        shutil.copy(demo_store_path, copy)
        store = Store(copy)
        import_file(store, path, "indicator_value")
        stores.append(store.checksums())
    for table in ["indicator_value", "period"]:
        assert stores[0][table] == stores[1][table]


def test_a_whole_dataset_imports_in_one_batch(writable_store):
    """A new authority, a new indicator and their values load together as one dataset."""
    authority = pd.DataFrame({"code": ["E06000099"], "name": ["Newshire"], "kind": ["county unitary"]})
    indicator = pd.DataFrame({"id": ["NEW1"], "name": ["New measure"], "theme": ["Economy"], "polarity": ["Low"]})
    values = pd.DataFrame(
        {
            "indicator_id": ["NEW1", "NEW1"],
            "authority_code": ["E06000099", "E10000018"],
            "period": ["2021/22", "2021/22"],
            "value": ["1", "2"],
        }
    )
    result = import_frames(
        writable_store,
        [("indicator_value", values, "v.csv"), ("authority", authority, "a.csv"), ("indicator", indicator, "i.csv")],
    )
    assert result.added == 4
    assert writable_store.indicators().set_index("id").loc["NEW1", "polarity"] == "low"
    history = writable_store.datasets()
    assert history.iloc[0]["kind"] == "imported" and history.iloc[0]["rows_added"] == 4


def test_import_records_provenance(writable_store, tmp_path):
    """Each import is a dataset row with the file name, its SHA-256 and row counts."""
    import hashlib

    path = _write(tmp_path, "values.csv", GOOD_VALUES)
    import_file(writable_store, path, "indicator_value", source="LG Inform export")
    row = writable_store.datasets().iloc[0]
    assert row["file_name"] == "values.csv"
    assert row["file_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert row["source"] == "LG Inform export"
    assert row["rows_added"] == 4  # the values; the new period label is not a row of the file


def test_undo_last_import_restores_previous_state(writable_store, tmp_path):
    """Undo removes added rows and restores replaced rows exactly."""
    before = writable_store.checksums()
    import_file(
        writable_store,
        _write(
            tmp_path,
            "v.csv",
            "indicator_id,authority_code,period,value\nLCC001,E10000018,2021/22,12.3456\nLCC001,E10000018,2022/23,1\n",
        ),
        "indicator_value",
    )
    assert writable_store.checksums()["indicator_value"] != before["indicator_value"]
    writable_store.undo_last_import()
    after = writable_store.checksums()
    for table in ["indicator_value", "period", "dataset"]:
        assert after[table] == before[table]


def test_cli_import_reports_errors_with_exit_code_2(writable_store, tmp_path):
    """The command line prints the located message and exits 2 on bad input, 0 on success."""
    bad = _write(tmp_path, "bad.csv", "indicator_id,authority_code,period,value\nLCC001,E10000018,2021/22,x\n")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarking",
            "--db",
            str(writable_store.path),
            "import",
            str(bad),
            "--table",
            "indicator_value",
        ],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 2
    assert "bad.csv, row 2, column 'value'" in run.stderr
    assert "Traceback" not in run.stderr
    good = _write(tmp_path, "good.csv", GOOD_VALUES)
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarking",
            "--db",
            str(writable_store.path),
            "import",
            str(good),
            "--table",
            "indicator_value",
        ],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert "3 rows added, 1 with no figure" in run.stdout and "1 new period label" in run.stdout  # LCC002's blank
    newest = int(writable_store.datasets()["id"].iloc[0])  # the load the command names is the one it wrote
    assert f"(import {newest})" in run.stdout
    assert writable_store.undo_last_import(newest)["id"] == newest


# -- the rules and the checker, one by one --------------------------------------------------


def test_row_checker_locates_flagged_rows_by_file_row_and_column():
    """Without locators the header is row 1; with them the file's own row and column are named."""
    import numpy as np

    from benchmarking.ingest.results import FILE_COLUMN, FILE_ROW
    from benchmarking.ingest.rules import RowChecker, as_bool

    frame = pd.DataFrame({"value": ["1", "x", "y"]})
    check = RowChecker("a.csv", frame)
    check.flag(pd.Series([False, True, None]), "value", lambda cell: f"bad {cell}")
    assert [(i.row, i.column, i.message) for i in check.issues] == [(3, "value", "bad x")]
    assert check.rejected.tolist() == [False, True, False]
    located = frame.assign(**{FILE_ROW: [7, 7, 9], FILE_COLUMN + "value": ["2021", "2022", "2021"]})
    check = RowChecker("b.csv", located)
    check.flag(np.array([False, False, True]), "value", "not a number")
    assert [(i.row, i.column) for i in check.issues] == [(9, "2021")]
    assert as_bool(pd.Series([True, None, False], dtype=object)).tolist() == [True, False, False]


def test_domain_rules_read_polarity_words_and_flag_unknown_ones():
    """'Higher is better' reads as high; 'sideways' is flagged at its row; statuses default to final."""
    from benchmarking.ingest.rules import RowChecker, check_domain

    out = pd.DataFrame({"polarity": ["Higher is better", "sideways", "down"], "target_midpoint": [None, None, None]})
    check = RowChecker("i.csv", out)
    check_domain("indicator", out, check)
    assert out["polarity"].tolist()[::2] == ["high", "low"]
    assert [(i.row, i.column) for i in check.issues] == [(3, "polarity")]
    values = pd.DataFrame({"period": ["2021/22", "2022/23"], "status": [None, "Revised"]})
    check = RowChecker("v.csv", values)
    check_domain("indicator_value", values, check)
    assert values["status"].tolist() == ["final", "revised"] and not check.issues


def test_period_known_and_duplicate_key_rules():
    """Bad period labels, unknown codes and repeated keys are each flagged at the file's row."""
    from benchmarking.ingest.rules import RowChecker, check_duplicate_keys, check_known, check_periods

    out = pd.DataFrame(
        {
            "indicator_id": ["A", "A", "B", "*"],
            "authority_code": ["E1", "E1", "E9", "*"],
            "period": ["2021/22", "2021/22", "someday", "*"],
            "value": [1.0, 2.0, 3.0, 4.0],
        }
    )
    check = RowChecker("v.csv", out)
    check_periods(out, check, allowed={"*"})
    assert [(i.row, i.column) for i in check.issues] == [(4, "period")]
    check = RowChecker("v.csv", out)
    check_known(out, "authority_code", {"E1", "*"}, check, "authority", "fix it")
    assert [i.row for i in check.issues] == [4] and "unknown authority 'E9'" in check.issues[0].message
    check = RowChecker("v.csv", out)
    check_duplicate_keys("indicator_value", out, check)
    assert check.rejected.tolist() == [True, True, False, False]
    assert check.issues[0].row == 2 and "with different values" in check.issues[0].message


def test_known_keys_reads_the_stored_codes_and_ids(writable_store):
    """The codes and ids the batch check counts as known, on its own connection or a given one."""
    authorities, indicators = writable_store.known_keys()
    assert authorities == set(writable_store.authorities()["code"]) and "E10000018" in authorities
    assert indicators == set(writable_store.indicators()["id"]) and "LCC078" in indicators
    with writable_store.reading() as con:
        assert writable_store.known_keys(con) == (authorities, indicators)
    import_frames(
        writable_store,
        [("authority", pd.DataFrame({"code": ["E99"], "name": ["New"], "kind": ["unitary"]}), "a.csv")],
    )
    assert writable_store.known_keys()[0] == authorities | {"E99"}
