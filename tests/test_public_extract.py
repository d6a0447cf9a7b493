"""The shipped extract: written from a store, rebuilt into an equal store, refused when damaged,
and (with ../shared/data) equal to a fresh build of the published files."""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

from benchmarking.cli.main import main
from benchmarking.datasets.public_extract import (
    ATTRIBUTION_FILE,
    MANIFEST_FILE,
    check_extract,
    store_from_extract,
    write_extract,
)
from benchmarking.errors import ExtractError
from benchmarking.paths import PUBLIC_EXTRACT_DIR
from benchmarking.store import Store, schema

BUILT = date(2026, 12, 2)
LABEL = "public data: a test build"


def _period(labels: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"label": labels, "start_date": [date(int(p[:4]), 4, 1) for p in labels]})


@pytest.fixture(scope="module")
def small_store(tmp_path_factory) -> Store:
    """A store of two loads, as a build writes it: the second replaces a value and adds settings (read-only)."""
    store = Store(tmp_path_factory.mktemp("small") / "small.duckdb")
    store.write(
        {
            "authority": pd.DataFrame(
                {
                    "code": ["E10000018", "E10000007"],
                    "name": ["Leicestershire", "Derbyshire"],
                    "kind": ["county council"] * 2,
                    "region": ["East Midlands", None],
                    "population": [712366, None],
                }
            ),
            "indicator": pd.DataFrame(
                {"id": ["x:rate"], "name": ["A rate"], "theme": ["Economy"], "polarity": ["high"], "is_core": [True]}
            ),
            "period": _period(["2021-22", "2022-23"]),
            "indicator_value": pd.DataFrame(
                {
                    "indicator_id": ["x:rate"] * 3,
                    "authority_code": ["E10000018", "E10000007", "E10000018"],
                    "period": ["2021-22", "2021-22", "2022-23"],
                    "value": [1.5, None, 2.5],
                    "status": ["final"] * 3,
                }
            ),
        },
        dataset={"name": "First source", "source": "Publisher A, OGL v3", "kind": "public", "file_name": "a.csv"},
        settings={"dataset_label": LABEL},
    )
    store.write(
        {
            "period": _period(["2023-24"]),
            "indicator_value": pd.DataFrame(
                {
                    "indicator_id": ["x:rate", "x:rate"],
                    "authority_code": ["E10000018", "E10000007"],
                    "period": ["2022-23", "2023-24"],
                    "value": [2.75, 3.0],
                    "status": ["revised", "provisional"],
                }
            ),
        },
        dataset={"name": "Second source", "source": "Publisher B", "kind": "imported", "file_name": "b.csv, c.csv"},
        settings={"public_build_summary": json.dumps({"seconds": 12.3, "counts": {"values": 4}})},
    )
    return store


@pytest.fixture(scope="module")
def small_extract(small_store, tmp_path_factory) -> Path:
    """The extract of ``small_store`` (built 2 December 2026), written once; copy it before changing it."""
    folder = tmp_path_factory.mktemp("small-extract") / "ex"
    write_extract(small_store.path, folder, built=BUILT)
    return folder


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- (a) a small store: written, rebuilt, refused when damaged --------------------------------------


def test_an_extract_rebuilds_a_store_with_equal_tables(small_store, small_extract, tmp_path):
    """Every keyed table comes back row for row; settings and the load history too (volatile parts fixed)."""
    manifest = check_extract(small_extract)
    rebuilt = store_from_extract(small_extract, tmp_path / "rebuilt.duckdb")
    for table in schema.KEYS:
        pd.testing.assert_frame_equal(rebuilt.table(table), small_store.table(table), check_dtype=False)
    assert rebuilt.settings() == {
        "dataset_label": f"{LABEL} (county-area extract of 2 December 2026)",
        "public_build_summary": json.dumps({"counts": {"values": 4}}),  # the build's running time dropped
    }
    columns = ["name", "source", "kind", "table_name", "file_name", "rows_added"]
    history = rebuilt.datasets().sort_values("id")
    assert history[columns].to_dict("records") == small_store.datasets().sort_values("id")[columns].to_dict("records")
    assert manifest["tables"]["indicator_value"]["rows"] == 4
    assert manifest["dataset_label"] == f"{LABEL} (county-area extract of 2 December 2026)"


def test_each_row_keeps_the_load_that_added_it_so_an_undo_still_works(small_extract, tmp_path):
    """The rebuilt store's last load is the second source: undoing it leaves the first source's rows."""
    values = pq.read_table(small_extract / "indicator_value.parquet").to_pandas()
    assert values[["authority_code", "period", "load"]].values.tolist() == [
        ["E10000007", "2021-22", 1],
        ["E10000007", "2023-24", 2],
        ["E10000018", "2021-22", 1],
        ["E10000018", "2022-23", 1],  # added by load 1, replaced by load 2: written with load 1
    ]
    rebuilt = store_from_extract(small_extract, tmp_path / "rebuilt.duckdb")
    assert list(rebuilt.datasets()["name"]) == ["Second source", "First source"]
    rebuilt.undo_last_import()
    assert sorted(rebuilt.values()["period"]) == ["2021-22", "2021-22", "2022-23"]


def test_the_extract_is_sorted_compact_and_free_of_volatile_columns(small_extract):
    """Rows sorted by the table's key, zstd Parquet, no loaded_at or loaded_by, dataset ids from 1."""
    folder = small_extract
    values = pq.read_table(folder / "indicator_value.parquet").to_pandas()
    keys = list(schema.KEYS["indicator_value"])
    assert values[keys].equals(values.sort_values(keys).reset_index(drop=True)[keys])
    dataset = pq.read_table(folder / "dataset.parquet")
    assert "loaded_at" not in dataset.column_names and "loaded_by" not in dataset.column_names
    assert dataset.column("id").to_pylist() == [1, 2]
    meta = pq.ParquetFile(folder / "indicator_value.parquet").metadata
    assert meta.row_group(0).column(0).compression == "ZSTD"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [ATTRIBUTION_FILE, MANIFEST_FILE] + [f"{t}.parquet" for t in (*schema.KEYS, "setting", "dataset")]
    )


def test_two_extracts_of_the_same_store_are_byte_for_byte_equal(demo_store_path, tmp_path):
    """Extract, rebuild, extract again (the demo store, every table): the same bytes, file by file."""
    first = write_extract(demo_store_path, tmp_path / "one", built=BUILT)
    store_from_extract(tmp_path / "one", tmp_path / "back.duckdb")
    second = write_extract(tmp_path / "back.duckdb", tmp_path / "two", built=BUILT)
    assert {t: e["sha256"] for t, e in first["tables"].items()} == {t: e["sha256"] for t, e in second["tables"].items()}
    assert (tmp_path / "one" / ATTRIBUTION_FILE).read_bytes() == (tmp_path / "two" / ATTRIBUTION_FILE).read_bytes()
    assert first["tables"]["indicator_value"]["sha256"] == _sha(tmp_path / "one" / "indicator_value.parquet")


def _checksums(path: Path) -> tuple[str, ...]:
    return tuple(sorted(Store(path).checksums().items()))


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        ("flip a byte", "is damaged: indicator_value.parquet"),
        ("delete a table", "is incomplete: authority.parquet is missing"),
        ("edit the attribution", f"is damaged: {ATTRIBUTION_FILE}"),
        ("garble the manifest", "cannot be read"),
        ("delete the manifest", "manifest.json is missing"),
    ],
)
def test_a_damaged_extract_is_refused_and_nothing_changes(small_store, small_extract, tmp_path, damage, said):
    """A changed or missing file gives ExtractError naming it; the store at the target keeps its bytes."""
    folder = tmp_path / "ex"
    shutil.copytree(small_extract, folder)
    if damage == "flip a byte":
        path = folder / "indicator_value.parquet"
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0xFF
        path.write_bytes(bytes(data))
    elif damage == "delete a table":
        (folder / "authority.parquet").unlink()
    elif damage == "edit the attribution":
        with (folder / ATTRIBUTION_FILE).open("a") as handle:
            handle.write("one more line\n")
    elif damage == "garble the manifest":
        (folder / MANIFEST_FILE).write_text("{not json")
    else:
        (folder / MANIFEST_FILE).unlink()
    target = tmp_path / "existing.duckdb"
    target.write_bytes(small_store.path.read_bytes())
    before = (_sha(target), _checksums(target))
    with pytest.raises(ExtractError, match=said) as refused:
        store_from_extract(folder, target)
    if "manifest" not in damage:  # a changed or missing file: how to mend it
        assert "git checkout -- data/public" in str(refused.value) and "build-public" in str(refused.value)
    assert (_sha(target), _checksums(target)) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ex", "existing.duckdb"]  # nothing built beside


def test_a_new_extract_replaces_the_folder_whole(small_store, tmp_path):
    """Files of an older extract that the new one does not write are gone; no staging folder is left."""
    folder = tmp_path / "ex"
    folder.mkdir()
    (folder / "stale.parquet").write_bytes(b"old")
    write_extract(small_store.path, folder, built=BUILT)
    assert not (folder / "stale.parquet").exists()
    assert check_extract(folder)["built"] == "2026-12-02"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ex"]


def test_the_attribution_names_each_publisher_and_refuses_an_unknown_folder(tmp_path):
    """Files found in a published folder get that folder's publisher and licence; an undescribed folder is refused."""
    source = tmp_path / "shared"
    (source / "defra_waste").mkdir(parents=True)
    (source / "defra_waste" / "table3.csv").write_text("a,b\n1,2\n")
    (source / "mystery").mkdir()
    (source / "mystery" / "m.csv").write_text("a\n1\n")
    store = Store(tmp_path / "s.duckdb")
    sha = _sha(source / "defra_waste" / "table3.csv")
    store.write({}, dataset={"name": "Waste", "source": "DEFRA", "kind": "public", "file_name": "table3.csv",
                             "file_sha256": sha})  # fmt: skip
    manifest = write_extract(store.path, tmp_path / "ex", built=BUILT, source=source)
    text = (tmp_path / "ex" / ATTRIBUTION_FILE).read_text()
    assert "Department for Environment, Food & Rural Affairs (DEFRA)" in text
    assert "Open Government Licence v3.0" in text and f"defra_waste/table3.csv ({sha[:12]})" in text
    assert manifest["source_files"] == [{"folder": "defra_waste", "file": "table3.csv", "sha256": sha}]
    store.write({}, dataset={"name": "Mystery", "kind": "public", "file_name": "m.csv"})
    with pytest.raises(ExtractError, match=r"mystery have no row in data/public_attribution.csv"):
        write_extract(store.path, tmp_path / "ex2", built=BUILT, source=source)
    assert not (tmp_path / "ex2").exists() and not (tmp_path / "ex2.writing").exists()


def test_load_extract_builds_a_store_and_will_not_replace_one_unasked(small_extract, tmp_path, capsys):
    """``load-extract`` builds the store; over an existing file it refuses (exit 2) unless --replace."""
    out = tmp_path / "loaded.duckdb"
    assert main(["load-extract", "--extract", str(small_extract), "--out", str(out)]) == 0
    assert "2 authorities" in capsys.readouterr().out
    assert main(["load-extract", "--extract", str(small_extract), "--out", str(out)]) == 2
    assert "add --replace" in capsys.readouterr().err


def test_build_public_writes_the_extract_when_asked(demo_store_path, tmp_path, monkeypatch, capsys):
    """``build-public --extract FOLDER --built DATE`` extracts the store it built, recording the command."""
    import benchmarking.cli.public as public

    class Built:
        path = demo_store_path

        def text(self) -> str:
            return "built"

    monkeypatch.setattr(public, "build_public", lambda source, out, progress=None: Built())
    code = main(["build-public", "--source", str(tmp_path), "--extract", str(tmp_path / "ex"), "--built", "2026-12-02"])
    assert code == 0
    manifest = check_extract(tmp_path / "ex")
    assert manifest["built"] == "2026-12-02" and "--built 2026-12-02" in manifest["command"]
    assert "Extract written to" in capsys.readouterr().out


# -- the real files (../shared/data) -----------------------------------------------------------------


@pytest.fixture(scope="module")
def real_extract(public_store_path, shared_data, tmp_path_factory) -> Path:
    """The extract of the session's public build, written once for this module."""
    folder = tmp_path_factory.mktemp("real-extract") / "public"
    write_extract(public_store_path, folder, built=BUILT, source=shared_data)
    return folder


def test_the_extract_of_the_public_build_is_small_and_names_every_file(real_extract, public_store_path, shared_data):
    """A few MB at most; row counts equal the store's; every file the loads name is hashed as it is on disk."""
    manifest = check_extract(real_extract)
    assert sum(entry["bytes"] for entry in manifest["tables"].values()) < 5_000_000
    with duckdb.connect(str(public_store_path), read_only=True) as con:
        for table, entry in manifest["tables"].items():
            assert entry["rows"] == con.execute(f"SELECT count(*) FROM {table}").fetchone()[0], table
    published = [entry for entry in manifest["source_files"] if entry["folder"] not in ("", "data")]
    assert {entry["folder"] for entry in published} >= {"dfe_lait", "defra_waste", "oflog", "ons_population"}
    for entry in published:  # a file may sit deeper in its folder (core_spending_power/published_totals/...)
        on_disk = [p for p in (shared_data / entry["folder"]).rglob(Path(entry["file"]).name) if p.is_file()]
        assert entry["sha256"] in {_sha(path) for path in on_disk}, entry["file"]
    text = (real_extract / ATTRIBUTION_FILE).read_text()
    for publisher in ("Department for Education (DfE)", "Office for National Statistics (ONS)", "(DEFRA)", "(Oflog)"):
        assert publisher in text
    assert "Every load matched codes with: lookups/mysociety_uk_local_authorities.csv" in text
    assert "CC BY 4.0 (mySociety)" in text


def test_a_store_from_the_real_extract_equals_the_built_store(real_extract, public_store_path, tmp_path):
    """Every data table's content hash equals the built store's; the label names public data and the date."""
    rebuilt = store_from_extract(real_extract, tmp_path / "first-run.duckdb")
    built = Store(public_store_path).checksums()
    again = rebuilt.checksums()
    assert {t: again[t] for t in schema.KEYS} == {t: built[t] for t in schema.KEYS}
    label = rebuilt.settings()["dataset_label"]
    assert label.startswith("public data") and label.endswith("(county-area extract of 2 December 2026)")
    assert list(rebuilt.datasets()["name"]) == list(Store(public_store_path).datasets()["name"])


def test_shipped_extract_equals_a_fresh_build(tmp_path):
    """``build-public --extract`` from ../shared/data gives the shipped data/public/: each table's content and
    ATTRIBUTION.md (the same --built date as the shipped manifest)."""
    shipped = PUBLIC_EXTRACT_DIR
    if not (shipped / MANIFEST_FILE).is_file():
        pytest.skip(f"no extract shipped yet ({shipped / MANIFEST_FILE} does not exist)")
    from conftest import SHARED_DATA

    if not SHARED_DATA.is_dir():
        pytest.skip(f"real public datasets not found at {SHARED_DATA} (they live beside the repo, not in it)")
    manifest = check_extract(shipped)
    fresh = tmp_path / "ex"
    argv = ["build-public", "--source", str(SHARED_DATA), "--out", str(tmp_path / "p.duckdb")]
    assert main([*argv, "--extract", str(fresh), "--built", manifest["built"]]) == 0
    again = check_extract(fresh)
    assert sorted(again["tables"]) == sorted(manifest["tables"])
    for table, entry in manifest["tables"].items():
        expected = pq.read_table(shipped / entry["file"])
        got = pq.read_table(fresh / again["tables"][table]["file"])
        assert got.equals(expected), f"{table}: the shipped extract differs from a fresh build"
    assert (fresh / ATTRIBUTION_FILE).read_text() == (shipped / ATTRIBUTION_FILE).read_text()
