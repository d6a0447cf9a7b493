"""Every real dataset the adapters cover loads through the import path, with PROVENANCE's row counts,
and the engine runs on the loaded store.

One store per module is built the way ``python -m benchmarking import-source NAME --source DIR --add-authorities``
builds it (an empty store: the authorities are added as asked): each published source's items are previewed
(nothing written) and then committed
through ``importer.import_frames``. The same published files also go through the generic
upload path (read, recognise, map, preview) and are recognised as what is already loaded.
Skipped with a reason when ../shared/data is absent.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from benchmarking.adapters.registry import published_source
from benchmarking.ingest.context import store_context
from benchmarking.ingest.importer import import_frames
from benchmarking.ingest.layouts import LONG
from benchmarking.ingest.preview import map_sources, preview_import, read_source
from benchmarking.service.benchmark import comparator_group, compute
from benchmarking.service.catalogue import load_catalogue
from benchmarking.service.data_admin import source_items
from benchmarking.store import Store

pytestmark = pytest.mark.shared_data

# Row counts from shared/data/PROVENANCE.md
LGBF_VALUES, LGBF_INDICATORS, LGBF_COUNCILS, LGBF_FAMILY_ROWS = 6_232, 99, 32, 64
OFLOG_VALUES, OFLOG_AUTHORITIES, OFLOG_MEASURES = 6_376, 157, 7
IMD_ROWS = 151


@pytest.fixture(scope="module")
def _cache() -> dict:
    return {}


@pytest.fixture
def loaded(shared_data: Path, tmp_path_factory, _cache: dict) -> dict:
    """A fresh store with LGBF, Oflog and IMD loaded in turn, and each source's preview."""
    if "store" not in _cache:
        store = Store(tmp_path_factory.mktemp("real") / "real.duckdb")
        store.initialise()
        previews, results = {}, {}
        for name in ("lgbf", "oflog", "imd"):
            source = published_source(name)
            items = source_items(store, source, shared_data, add_authorities=True)  # an empty store: asked
            previews[name] = preview_import(store, items)
            results[name] = import_frames(
                store,
                items,
                dataset_name=source.record_name,
                source=source.source,
                file_hashes=source.file_hashes(shared_data),
            )
        _cache.update(store=store, previews=previews, results=results, folder=shared_data)
    return _cache


def test_each_source_loads_with_provenance_row_counts(loaded):
    """LGBF 6,232 values of 99 indicators for 32 councils, 64 family-group rows; Oflog 6,376 values
    for 157 authorities and 7 measures; IMD 151 authorities (all in Oflog's list)."""
    counts = {name: result.counts for name, result in loaded["results"].items()}
    assert counts["lgbf"]["indicator_value"]["added"] == LGBF_VALUES
    assert counts["lgbf"]["indicator"]["added"] == LGBF_INDICATORS
    assert counts["lgbf"]["authority"]["added"] == LGBF_COUNCILS
    assert counts["lgbf"]["comparator_group"]["added"] == LGBF_FAMILY_ROWS
    assert counts["oflog"]["indicator_value"]["added"] == OFLOG_VALUES
    assert counts["oflog"]["authority"]["added"] == OFLOG_AUTHORITIES
    assert counts["oflog"]["indicator"]["added"] == OFLOG_MEASURES
    assert counts["imd"]["deprivation"]["added"] == IMD_ROWS
    store = loaded["store"]
    assert len(store.values()) == LGBF_VALUES + OFLOG_VALUES
    assert len(store.authorities()) == LGBF_COUNCILS + OFLOG_AUTHORITIES
    assert len(store.deprivation()) == IMD_ROWS


def test_each_preview_foretold_its_commit(loaded):
    """Into a store without them, every row previews as added (or as having no figure) and none as rejected."""
    for name, preview in loaded["previews"].items():
        result = loaded["results"][name]
        assert preview.rejected == 0 and not preview.issues, name
        stored = sum(c["added"] for t, c in result.counts.items() if t != "period")
        assert preview.added + preview.no_figure == stored, name  # rows with no figure are stored as missing
        assert preview.replaced == 0, name


def test_each_import_is_recorded_with_its_files_and_their_hashes(loaded):
    """Three dataset rows, newest first, naming the files read and one SHA-256 per file."""
    history = loaded["store"].datasets()
    assert list(history["file_name"]) == [
        "imd2019_utla_imd_summary.csv",
        "ASC_data.csv, NN.json",
        "indicator_data_ranked.csv, indicator_information.csv, family_groups.csv",
    ]
    for files, hashes in zip(history["file_name"], history["file_sha256"]):
        assert len(hashes.split(", ")) == len(files.split(", "))
        assert all(len(h) == 64 for h in hashes.split(", "))


def test_the_engine_runs_on_the_loaded_store(loaded):
    """Ranks and positions for the English county councils (Oflog) and a Scottish family group (LGBF),
    and deprivation ranks from IMD 2019 for the counties."""
    catalogue = load_catalogue(loaded["store"])
    counties = compute(catalogue, comparator_group(catalogue, "county-councils"))
    assert counties.group.size == 27
    ranked = counties.ranks.dropna(subset=["rank"])
    assert set(ranked["indicator_id"]) == {"ASC1", "ASC2", "ASC3", "ASC4", "ASC5"}  # ASC6-7: context only
    assert ranked["rank"].between(1, ranked["n_ranked"]).all() and ranked["n_ranked"].max() <= 27
    assert len(counties.positions) > 0
    assert counties.deprivation_ranks["authority_code"].nunique() == 26  # IMD 2019's county councils
    family = compute(catalogue, comparator_group(catalogue, "list:lgbf-family-density-1"))
    assert family.group.size == 8
    assert family.ranks["n_ranked"].max() <= 8 and len(family.positions) > 0


def test_the_published_files_are_recognised_by_the_upload_path(loaded):
    """ASC_data.csv and the LGBF ranked file, uploaded as they are: layout and columns recognised,
    council names resolved to codes, every row already in the store (unchanged)."""
    store, folder = loaded["store"], loaded["folder"]
    sources = [
        read_source(folder / "oflog" / "ASC_data.csv"),
        read_source(folder / "lgbf" / "indicator_data_ranked.csv"),
    ]
    mapped = map_sources(sources, store_context(store))
    assert [(m.mapping.table, m.mapping.layout) for m in mapped] == [("indicator_value", LONG)] * 2
    assert mapped[1].mapping.columns["authority_name"] == "LocalAuthority" and not mapped[1].unresolved
    preview = preview_import(store, mapped)
    assert preview.rejected == 0 and not preview.issues
    assert preview.unchanged == OFLOG_VALUES + LGBF_VALUES
    assert preview.added == preview.replaced == 0


def test_the_command_line_previews_a_source_without_writing(loaded):
    """`import-source oflog --source DIR --dry-run` on the loaded store: every row unchanged, nothing written."""
    store = loaded["store"]
    before = store.checksums()
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarking",
            "--db",
            str(store.path),
            "import-source",
            "oflog",
            "--source",
            str(loaded["folder"]),
            "--dry-run",
        ],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert "Dry run: nothing was written." in run.stdout
    assert "6376" in run.stdout.replace(",", "")
    assert store.checksums() == before
