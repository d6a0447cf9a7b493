"""A published source imported into a store never changes the store's authorities, and adds none unless asked.

The README's Oflog command on the shipped store (a copy of the store built from ``data/public/``) added 117
authorities that are not county areas, made 13 county unitaries Oflog's ``unitary`` and named two
authorities "Buckinghamshire"; now it leaves the store as it was, and ``--add-authorities`` (one option for
every adapter) adds the others without touching the store's own.
"""

from __future__ import annotations

import pytest

from benchmarking.__main__ import main
from benchmarking.errors import BenchmarkingError
from benchmarking.service.data_admin import preview_source, source_named
from benchmarking.store import Store

pytestmark = pytest.mark.shared_data


def _authorities(store: Store):
    return store.authorities()[["code", "name", "kind"]].sort_values("code").reset_index(drop=True)


def test_oflog_on_the_shipped_store_changes_no_authority(shipped: Store, shared_data, capsys):
    """The README's command: every stored authority keeps its name and kind, none is added, and the county
    unitaries group still ranks the county unitaries."""
    before, checksums = _authorities(shipped), shipped.checksums()
    assert main(["--db", str(shipped.path), "import-source", "oflog", "--source", str(shared_data)]) == 0
    said = capsys.readouterr().out
    assert "117 authorities the store does not hold left out (--add-authorities adds them)" in said
    assert _authorities(shipped).equals(before)
    assert not shipped.authorities()["name"].duplicated().any()
    after = shipped.checksums()
    assert [after[t] for t in ("authority", "indicator_value", "comparator_group")] == [
        checksums[t] for t in ("authority", "indicator_value", "comparator_group")
    ]


def test_add_authorities_adds_only_the_missing_ones(shipped: Store, shared_data):
    """``--add-authorities``: Oflog's other authorities are added; the store's own keep their names and kinds."""
    before = _authorities(shipped)
    checked = preview_source(shipped, source_named("oflog"), shared_data, add_authorities=True)
    added = {table: frame for table, frame, _ in checked.items}["authority"]
    assert len(added) == 117 and not added["code"].isin(before["code"]).any()
    assert "117 authorities added" in checked.held


def test_a_store_without_the_sources_authorities_is_told_how_to_add_them(tmp_path, shared_data):
    """An empty store and no --add-authorities: refused with the option that adds them, nothing written."""
    store = Store(tmp_path / "empty.duckdb")
    store.initialise()
    with pytest.raises(BenchmarkingError, match="--add-authorities"):
        preview_source(store, source_named("lgbf"), shared_data)


def test_an_empty_group_result_says_so(shipped: Store, capsys):
    """The store the old import left: four county unitaries, all formed in 2023 (the others made Oflog's
    ``unitary``). ``positions --group county-unitaries --period 2022/23`` printed only a header; it now says why."""
    import duckdb

    with duckdb.connect(str(shipped.path)) as con:
        con.execute(
            "UPDATE authority SET kind = 'unitary' WHERE kind = 'county unitary' "
            "AND code NOT IN ('E06000063', 'E06000064', 'E06000065', 'E06000066')"
        )
    command = ["--db", str(shipped.path), "positions", "--group", "county-unitaries", "--period", "2022/23"]
    assert main(command) == 0
    said = capsys.readouterr()
    assert said.out.count("\n") == 1  # the header
    assert "No position rows: no authority of the group has figures in the period asked for" in said.err
