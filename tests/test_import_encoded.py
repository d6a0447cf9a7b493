"""Encoded text (a column of few distinct cells read once per distinct cell) is checked and written as plain text.

``preview.read_source`` reads a CSV's codes, ids and periods as encoded text (``cells.is_encoded``); every
check must give the same decisions, messages, rows and columns as for the same cells read as plain text,
and the store must receive the same rows.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from benchmarking.cells import is_encoded
from benchmarking.ingest import coverage
from benchmarking.ingest.context import store_context
from benchmarking.ingest.preview import SourceFile, commit, map_sources, preview_import, read_source
from benchmarking.ingest.reading import file_sha256, read_file
from benchmarking.store import Store


def _hostile_values(store: Store, status: bool = False) -> str:
    """Return a values CSV of a few hundred rows whose key cells hold every kind of problem the checks know
    (with ``status``, a status column too: mostly 'final', some blank, one unknown)."""
    codes = list(store.authorities()["code"][:6])
    ids = list(store.indicators()["id"][:5])
    periods = list(store.periods()["label"][-4:])
    rows = [f"{i},{c},{p},{n}.5" for n, (i, c, p) in enumerate((i, c, p) for i in ids for c in codes for p in periods)]
    first = rows[0].split(",")
    rows += [
        f" {ids[0].lower()} ,{codes[1]},{periods[0]},1",  # spaces and case: the stored id
        f"{ids[1]},{codes[2].lower()} ,{periods[1]},2",  # a lower-case code
        f"{ids[1]},X99999999,{periods[1]},3",  # an unknown code
        f"{ids[2][:2]}\u200b{ids[2][2:]},{codes[0]},{periods[2]},4",  # an invisible character
        f"{ids[2]},{codes[0]},2031/32,5",  # a future period
        f"{ids[2]},{codes[0]},garbage,6",  # no period at all
        f"{ids[3]},{codes[3]},{periods[3]} (R),7",  # a status marker
        f"{ids[3]},{codes[4]},{periods[3]},abc",  # not a number
        f"{ids[3]},{codes[5]},{periods[2]},n/a",  # a marker for no value
        f"{ids[4]},{codes[5]},{periods[1]},1e20",  # too large
        f",{codes[5]},{periods[1]},8",  # no indicator
        f"{first[0]},{first[1]},{first[2]},99",  # a repeated key with another value
    ]
    if not status:
        return "indicator_id,authority_code,period,value\n" + "\n".join(rows) + "\n"
    statuses = ["" if n % 7 == 0 else "Final" if n % 5 == 0 else "final" for n in range(len(rows))]
    statuses[-5] = "unknown"
    rows = [f"{row},{given}" for row, given in zip(rows, statuses, strict=True)]
    return "indicator_id,authority_code,period,value,status\n" + "\n".join(rows) + "\n"


def _plain(path: Path) -> SourceFile:
    """Return the file read as plain text (no column encoded), as ``read_source`` reads it otherwise."""
    frame = read_file(path, keep_case=True)
    return SourceFile(path.name, frame, path.stat().st_size, file_sha256(path))


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.astype({c: object for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])})


@pytest.mark.parametrize("status", [False, True])
def test_encoded_cells_are_checked_and_written_as_plain_text(demo_store_path, tmp_path, status):
    """Same issues (file, row, column, message), preview, coverage, accepted rows and stored rows either way."""
    stores = {}
    for kind in ("encoded", "plain"):
        stores[kind] = Store(tmp_path / f"{kind}.duckdb")
        shutil.copy(demo_store_path, stores[kind].path)
    path = tmp_path / "values.csv"
    text = _hostile_values(stores["plain"], status)
    path.write_text(text, encoding="utf-8")
    encoded = read_source(path)
    assert all(is_encoded(encoded.frame[c]) for c in ("indicator_id", "authority_code", "period"))
    plain = _plain(path)
    assert not any(is_encoded(plain.frame[c]) for c in plain.frame.columns)
    previews = {}
    for kind, source in (("encoded", encoded), ("plain", plain)):
        mapped = map_sources([source], store_context(stores[kind]))
        previews[kind] = preview_import(stores[kind], mapped)
        commit(stores[kind], mapped, {source.name: source.sha256}, skip_rejected=True, preview=previews[kind])
    first, second = previews["encoded"], previews["plain"]
    assert first.issues == second.issues and len(first.issues) > 10
    pd.testing.assert_frame_equal(first.summary, second.summary)
    pd.testing.assert_frame_equal(first.themes, second.themes)
    pd.testing.assert_frame_equal(first.authorities, second.authorities)
    for table, rows in second.checked.changes.items():
        pd.testing.assert_frame_equal(_as_text(first.checked.changes[table]), _as_text(rows))
    pd.testing.assert_frame_equal(stores["encoded"].values(), stores["plain"].values())
    no_indicator = next(row for row, line in enumerate(text.splitlines(), start=1) if line.startswith(","))
    repeated = [issue.message for issue in first.issues if issue.message.startswith("duplicate key")]
    assert repeated and not any(f"{no_indicator}," in m or f"{no_indicator} " in m for m in repeated)


@pytest.mark.parametrize("encoded", [False, True])
@pytest.mark.parametrize("has_value", [False, True])
def test_incoming_rows_are_counted_as_the_coverage_query_counts_them(encoded, has_value):
    """Coverage of the incoming rows alone, counted from their codes, equals the query over the same rows."""
    rng = np.random.default_rng(4)
    n = 5_000
    rows = pd.DataFrame(
        {
            "indicator_id": rng.choice(["A1", "A2", "B7", "C3"], n),
            "authority_code": rng.choice([f"E{i:08d}" for i in range(40)], n),
            "period": rng.choice(["2019/20", "2020/21", "2021/22"], n),
            "value": np.where(rng.random(n) < 0.3, np.nan, rng.random(n)),
        }
    )
    rows.loc[rows["period"].eq("2019/20") & rows["authority_code"].eq("E00000003"), "value"] = np.nan
    if not has_value:
        rows = rows.drop(columns="value")
    if encoded:
        rows = rows.astype(dict.fromkeys(("indicator_id", "authority_code", "period"), "category"))
    con = duckdb.connect()
    con.register("rows", pa.Table.from_pandas(rows.assign(_in_file=True), preserve_index=False))  # as the views
    held = rows["value"].notna().to_numpy() if has_value else np.ones(n, dtype=bool)
    valued = rows["value"].notna().to_numpy() if has_value else np.zeros(n, dtype=bool)
    condition = "value IS NOT NULL" if has_value else "FALSE"
    by_query = coverage._counted(con, "rows", "period", condition, condition if has_value else "TRUE")
    by_codes = coverage._counted_rows(rows, "period", valued, held)
    assert sorted(by_codes["labels"]) == sorted(by_query["labels"])
    for part in ("indicators", "present", "figures"):
        expected, found = (frame.astype(object) for frame in (by_query[part], by_codes[part]))
        expected, found = (frame.sort_values(list(frame)).reset_index(drop=True) for frame in (expected, found))
        pd.testing.assert_frame_equal(found, expected, check_dtype=False)
    assert len(by_codes["present"]) < 120 if has_value else len(by_codes["present"]) == 120


def test_a_counted_plan_agrees_with_the_plan_made_per_row(writable_store):
    """The preview's counts (added, replaced, unchanged, columns changed) are those of the per-row outcomes."""
    stored = writable_store.values().head(3)[["indicator_id", "authority_code", "period", "value", "status"]]
    rows = stored.copy().reset_index(drop=True)
    rows.loc[1, "value"] = rows.loc[1, "value"] + 1
    rows.loc[2, "period"] = "2001/02"
    assert list(writable_store.compare_rows("indicator_value", rows)) == ["unchanged", "replaced", "added"]
    counted = writable_store.plan_changes("indicator_value", rows)
    assert [counted.count(o) for o in ("added", "replaced", "unchanged")] == [1, 1, 1]
    assert counted.changed == {"value": 1}
    per_row = writable_store.plan_changes("indicator_value", rows, per_row=True)  # counted from the rows it fetched
    assert (per_row.matched_rows, per_row.replaced_rows, per_row.changed) == (2, 1, {"value": 1})


def test_a_catalogue_file_is_checked_as_plain_text(demo_store_path, tmp_path):
    """A basket file read with encoded columns (its id and name repeat) is checked as text: its stored basket's
    other name is reported, exactly as for the file read without encoding."""
    from benchmarking.ingest.importer import import_frames

    stores = {kind: Store(tmp_path / f"{kind}.duckdb") for kind in ("encoded", "plain")}
    for store in stores.values():
        shutil.copy(demo_store_path, store.path)
    ids = list(stores["plain"].indicators()["id"][:20])
    for store in stores.values():
        stored = pd.DataFrame({"basket_id": "core", "name": "Core set", "indicator_id": ids[:2], "weight": 1.0})
        import_frames(store, [("basket", stored, "core.csv")])
    path = tmp_path / "basket.csv"
    path.write_text(
        "basket_id,name,indicator_id\n" + "".join(f"core,Another name,{i}\n" for i in ids), encoding="utf-8"
    )
    encoded, plain = read_source(path), _plain(path)
    assert is_encoded(encoded.frame["basket_id"]) and is_encoded(encoded.frame["name"])
    issues = {}
    for kind, source in (("encoded", encoded), ("plain", plain)):
        mapped = map_sources([source], store_context(stores[kind]), table="basket")
        issues[kind] = preview_import(stores[kind], mapped).issues
    assert issues["encoded"] == issues["plain"]
    assert any("differs from the stored basket's name" in issue.message for issue in issues["plain"])
