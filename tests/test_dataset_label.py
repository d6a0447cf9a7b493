"""The dataset's name on screen says when the user's own imports were added to a built store."""

from __future__ import annotations

import shutil

from apptest_helpers import open_page

from benchmarking.ingest.preview import import_file
from benchmarking.service.catalogue import load_catalogue
from benchmarking.store import Store
from benchmarking.text.escaping import markdown


def test_a_built_store_with_imports_says_so_on_every_page(shipped_store_path, tmp_path, monkeypatch):
    """After an import into the public store, its label names the build and the imports since (file names as
    text), on the Overview's banner; the store as built says the build's label alone."""
    path = tmp_path / "public.duckdb"
    shutil.copy(shipped_store_path, path)
    store = Store(path)
    built = load_catalogue(store)
    assert built.dataset_label == built.settings["dataset_label"]
    with store.reading() as con:  # a stored figure, given again with another value
        indicator, authority, period, value = con.execute(
            "SELECT indicator_id, authority_code, period, value FROM indicator_value WHERE value IS NOT NULL LIMIT 1"
        ).fetchone()
    file = tmp_path / "our *figures* 2024.csv"
    file.write_text(f"indicator_id,authority_code,period,value\n{indicator},{authority},{period},{value + 1}\n")
    import_file(store, file, "indicator_value")
    label = load_catalogue(store).dataset_label
    assert label == f"{built.settings['dataset_label']}; with 1 import since: our *figures* 2024.csv"
    at = open_page(path, monkeypatch, "overview")
    captions = [caption.value for caption in at.caption]
    assert any(caption.startswith(f"**Data:** {markdown(label)}") for caption in captions), captions
    second = tmp_path / "more.csv"
    second.write_text(f"indicator_id,authority_code,period,value\n{indicator},{authority},{period},{value + 2}\n")
    import_file(store, second, "indicator_value")
    assert "; with 2 imports since: " in load_catalogue(store).dataset_label
