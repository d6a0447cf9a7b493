"""A previewed import is checked once: the commit reuses the preview's checks while the store is unchanged.

When anything was written (an import, an undo) between the preview and the commit, the
commit checks the items again against the store as it is inside the write transaction.
"""

from __future__ import annotations

import pytest

from benchmarking.errors import ImportValidationError
from benchmarking.ingest.context import store_context
from benchmarking.ingest.preview import commit, map_sources, preview_import, read_uploaded

VALUES = "authority_code,period,indicator_id,value\nE10000018,2022/23,LCC078,7\nE10000016,2022/23,LCC078,8\n"
INDICATOR = "id,name,theme,polarity\nNEW001,A new indicator,Economy,high\n"
NEW_VALUES = "authority_code,period,indicator_id,value\nE10000018,2022/23,NEW001,1\n"


def mapped(store, name: str, text: str):
    """Return the file mapped as the page and the command line map it."""
    return map_sources([read_uploaded(name, text.encode("utf-8"))], store_context(store))


def test_a_commit_after_its_preview_does_not_check_again(writable_store, counted_checks):
    """Same items, same store: the commit writes what the preview checked, without a second check."""
    files = mapped(writable_store, "v.csv", VALUES)
    preview = preview_import(writable_store, files)
    result = commit(writable_store, files, preview=preview)
    assert counted_checks == []
    assert (result.added, result.replaced) == (preview.added, preview.replaced) == (2, 0)
    stored = writable_store.values(["2022/23"]).set_index(["indicator_id", "authority_code"])["value"]
    assert (stored[("LCC078", "E10000018")], stored[("LCC078", "E10000016")]) == (7, 8)


def test_other_items_than_the_previewed_ones_are_checked(writable_store, counted_checks):
    """A preview of other frames (the same text mapped again) lends nothing."""
    preview = preview_import(writable_store, mapped(writable_store, "v.csv", VALUES))
    commit(writable_store, mapped(writable_store, "v.csv", VALUES), preview=preview)
    assert counted_checks == [1]


def test_a_write_between_preview_and_commit_makes_the_commit_check_again(writable_store, counted_checks):
    """The indicator the preview accepted is undone before the commit: the commit checks again and refuses."""
    commit(writable_store, mapped(writable_store, "indicators.csv", INDICATOR))
    files = mapped(writable_store, "new.csv", NEW_VALUES)
    preview = preview_import(writable_store, files)
    assert (preview.added, preview.rejected) == (1, 0)
    writable_store.undo_last_import()
    counted_checks.clear()
    before = writable_store.checksums()
    with pytest.raises(ImportValidationError, match="unknown indicator 'NEW001'"):
        commit(writable_store, files, preview=preview)
    assert counted_checks == [1]
    assert writable_store.checksums() == before


def test_a_published_source_is_checked_once_by_its_preview(writable_store, counted_checks):
    """``import-source`` and the Data page preview a source, then commit it: the commit lends the preview's checks."""
    from types import SimpleNamespace

    from benchmarking.service.data_admin import SourcePreview, commit_source

    items = [mapped_file.item for mapped_file in mapped(writable_store, "v.csv", VALUES)]
    checked = SourcePreview(items, {"v.csv": "0" * 64}, preview_import(writable_store, items))
    source = SimpleNamespace(record_name="A published source", source="Its publisher")
    result = commit_source(writable_store, source, checked, False, "tester", None)
    assert counted_checks == []
    assert (result.added, result.replaced) == (2, 0)
    stored = writable_store.values(["2022/23"]).set_index(["indicator_id", "authority_code"])["value"]
    assert (stored[("LCC078", "E10000018")], stored[("LCC078", "E10000016")]) == (7, 8)
    assert writable_store.datasets().iloc[0]["source"] == "Its publisher"
