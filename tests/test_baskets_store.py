"""Baskets in the store (issue 17): saved, renamed, deleted, imported and exported like any import,
checked with file/row/column, atomic, undoable; and the built-in "Compendium 2022" basket."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from benchmarking.datasets.compendium_basket import (
    BASKET_ID,
    BASKET_NAME,
    MAP_FILE,
    VERSION,
    write_compendium_basket,
)
from benchmarking.datasets.demo import DEMO_BASKET
from benchmarking.errors import BasketError, ImportValidationError
from benchmarking.method.baskets import ALL_PUBLISHED, BASKET_COLUMNS
from benchmarking.service import baskets
from benchmarking.service.catalogue import load_catalogue
from benchmarking.store import Store
from benchmarking.text.escaping import spreadsheet_frame

HOSTILE = ["<script>alert(1)</script>", "**bold**", "=cmd()"]


def _ids(store: Store, theme_number: int = 0, n: int = 4) -> list[str]:
    indicators = store.indicators()
    theme = sorted(indicators["theme"].unique())[theme_number]
    return sorted(indicators.loc[indicators["theme"] == theme, "id"])[:n]


def _stored(store: Store, basket_id: str) -> pd.DataFrame:
    rows = store.baskets()
    return rows[rows["basket_id"] == basket_id].sort_values("indicator_id", ignore_index=True)


def _refused(store: Store, action) -> list:
    """Run ``action``, expect a refusal, check nothing changed; return the issues."""
    before = store.checksums()
    with pytest.raises(ImportValidationError) as refused:
        action()
    assert store.checksums() == before
    return refused.value.issues


def test_a_saved_basket_survives_a_restart(writable_store):
    """Saved through one Store, read back through a new Store and a new catalogue on the same file."""
    ids = _ids(writable_store)
    baskets.save_basket(writable_store, "mine", HOSTILE[0], ids, weights={ids[0]: 2.5}, version="v1")
    again = Store(writable_store.path)
    rows = _stored(again, "mine")
    assert list(rows["indicator_id"]) == ids
    assert list(rows["weight"]) == [2.5] + [1.0] * (len(ids) - 1)
    assert set(rows["name"]) == {HOSTILE[0]} and set(rows["version"]) == {"v1"}
    catalogue = load_catalogue(again.path)
    assert catalogue.basket_names()["mine"] == HOSTILE[0]
    assert next(iter(catalogue.basket_names())) == ALL_PUBLISHED
    shown = baskets.basket_table(catalogue).set_index("basket_id").loc["mine"]
    assert shown["indicators"] == len(ids) and shown["themes"] == 1 and shown["largest_share"] == 1.0


def test_saving_again_replaces_the_basket_and_undo_restores_it(writable_store):
    """A basket saved again under its id loses the indicators it no longer holds, in one undoable load."""
    ids = _ids(writable_store, n=5)
    baskets.save_basket(writable_store, "mine", "Mine", ids)
    first = _stored(writable_store, "mine")
    result = baskets.save_basket(writable_store, "mine", "Mine again", ids[:2] + _ids(writable_store, 1, 1))
    assert result.counts["basket"] == {"added": 1, "replaced": 2, "removed": 3}
    now = _stored(writable_store, "mine")
    assert list(now["indicator_id"]) == sorted(ids[:2] + _ids(writable_store, 1, 1))
    assert set(now["name"]) == {"Mine again"}
    writable_store.undo_last_import()
    pd.testing.assert_frame_equal(_stored(writable_store, "mine"), first)
    writable_store.undo_last_import()
    assert _stored(writable_store, "mine").empty


def test_rename_and_delete_are_undoable(writable_store):
    ids = _ids(writable_store)
    baskets.save_basket(writable_store, "mine", "Mine", ids)
    saved = _stored(writable_store, "mine")
    baskets.rename_basket(writable_store, "mine", HOSTILE[1])
    renamed = _stored(writable_store, "mine")
    assert set(renamed["name"]) == {HOSTILE[1]}
    pd.testing.assert_frame_equal(renamed.drop(columns="name"), saved.drop(columns="name"))
    writable_store.undo_last_import()
    pd.testing.assert_frame_equal(_stored(writable_store, "mine"), saved)
    assert baskets.delete_basket(writable_store, "mine") == len(ids)
    assert _stored(writable_store, "mine").empty
    assert writable_store.datasets()["name"].iloc[0] == f"basket 'Mine' deleted ({len(ids)} indicator rows removed)"
    writable_store.undo_last_import()
    pd.testing.assert_frame_equal(_stored(writable_store, "mine"), saved)


def test_all_published_cannot_be_saved_renamed_deleted_or_exported(writable_store):
    before = writable_store.checksums()
    ids = _ids(writable_store)
    for action in (
        lambda: baskets.save_basket(writable_store, ALL_PUBLISHED, "x", ids),
        lambda: baskets.rename_basket(writable_store, ALL_PUBLISHED, "x"),
        lambda: baskets.delete_basket(writable_store, ALL_PUBLISHED),
        lambda: baskets.export_basket(load_catalogue(writable_store.path), ALL_PUBLISHED),
        lambda: baskets.delete_basket(writable_store, "no-such-basket"),
    ):
        with pytest.raises(BasketError):
            action()
    issues = _refused(writable_store, lambda: baskets.save_basket(writable_store, "x", "All Published", ids))
    assert [(i.row, i.column) for i in issues] == [(r, "name") for r in range(2, 2 + len(ids))]
    assert writable_store.checksums() == before


def test_export_then_import_round_trips(writable_store, tmp_path):
    """Exported (as the spreadsheet-safe CSV the CLI and page write) and imported into another store: equal frames."""
    ids = _ids(writable_store, n=3)
    baskets.save_basket(writable_store, "hostile", HOSTILE[2], ids, weights=[0.5, 2, 1], notes=HOSTILE, version="=v(1)")
    exported = baskets.export_basket(load_catalogue(writable_store.path), "hostile")
    assert list(exported.columns) == list(BASKET_COLUMNS)
    path = tmp_path / "hostile.csv"
    spreadsheet_frame(exported).to_csv(path, index=False)
    assert "'=cmd()" in path.read_text()  # neutralised for a spreadsheet ...
    writable_store.undo_last_import()
    assert _stored(writable_store, "hostile").empty
    baskets.import_basket_file(writable_store, path)
    again = baskets.export_basket(load_catalogue(writable_store.path), "hostile")
    pd.testing.assert_frame_equal(again, exported)  # ... and read back as written
    assert list(again["note"]) == HOSTILE and list(again["weight"]) == [0.5, 2.0, 1.0]


def test_a_basket_file_replaces_the_stored_basket(writable_store, tmp_path):
    """An imported file is the whole basket: indicators it lacks leave, a new name is taken, undo restores."""
    ids = _ids(writable_store, n=4)
    baskets.save_basket(writable_store, "mine", "Mine", ids)
    path = tmp_path / "b.csv"
    pd.DataFrame({"basket_id": "MINE", "name": "Renamed", "indicator_id": [ids[0].lower()]}).to_csv(path, index=False)
    preview = baskets.preview_basket_file(writable_store, baskets.read_basket_file(path), path.name)
    assert preview.issues == []
    assert preview.baskets.to_dict("records") == [
        {"basket_id": "mine", "name": "Renamed", "indicators": 1, "stored": 4, "removed": 3}
    ]
    baskets.import_basket_file(writable_store, path)
    now = _stored(writable_store, "mine")
    assert list(now["indicator_id"]) == [ids[0]] and list(now["name"]) == ["Renamed"]  # ids in the store's spelling
    writable_store.undo_last_import()
    assert list(_stored(writable_store, "mine")["indicator_id"]) == ids


BAD_FILE = """basket_id,name,indicator_id,weight
bad,Bad basket,{a},1
bad,Bad basket,NOT-AN-INDICATOR,1
bad,Bad basket,{a},2
bad,Bad basket,{b},0
bad,Bad basket,{c},-1
bad,Bad basket,{d},heavy
bad,Another name,{e},
"""


def test_a_bad_basket_file_is_refused_with_file_row_and_column(writable_store, tmp_path):
    """Unknown indicator, a repeated indicator, weights 0 / -1 / heavy and two names for one id: each named
    at its file row (header = row 1) and column, and nothing changes."""
    a, b, c, d, e = _ids(writable_store, n=5)
    path = tmp_path / "bad_basket.csv"
    path.write_text(BAD_FILE.format(a=a, b=b, c=c, d=d, e=e))
    issues = _refused(writable_store, lambda: baskets.import_basket_file(writable_store, path))
    found = {(i.file, i.row, i.column) for i in issues}
    assert {
        ("bad_basket.csv", 3, "indicator_id"),
        ("bad_basket.csv", 2, "basket_id, indicator_id"),
        ("bad_basket.csv", 5, "weight"),
        ("bad_basket.csv", 6, "weight"),
        ("bad_basket.csv", 7, "weight"),
        ("bad_basket.csv", 8, "name"),
    } <= found
    texts = " ".join(i.message for i in issues)
    assert "NOT-AN-INDICATOR" in texts and "also on row(s) 4" in texts and "more than one name" in texts
    assert _stored(writable_store, "bad").empty


def test_a_name_that_differs_from_the_stored_basket_is_refused_in_a_merge_import(writable_store):
    """The Data import merges by key: a row naming a stored basket differently, or taking another basket's
    name, is refused (a rename goes through rename_basket, which replaces the basket whole)."""
    from benchmarking.ingest.importer import import_frames

    ids = _ids(writable_store, n=2)
    baskets.save_basket(writable_store, "mine", "Mine", ids[:1])
    frame = pd.DataFrame({"basket_id": ["mine", "other"], "name": ["Not mine", "Mine"], "indicator_id": ids})
    issues = _refused(writable_store, lambda: import_frames(writable_store, [("basket", frame, "merge.csv")]))
    assert [(i.row, i.column) for i in issues] == [(2, "name"), (3, "name")]


def test_pick_indicators_by_theme_source_and_search(demo_store):
    catalogue = load_catalogue(demo_store.path)
    indicators = catalogue.indicators
    theme = sorted(indicators["theme"].unique())[1]
    picked = baskets.pick_indicators(catalogue, themes=[theme])
    assert set(picked["id"]) == set(indicators.loc[indicators["theme"] == theme, "id"])
    word = indicators["name"].iloc[0].split()[0].upper()
    searched = baskets.pick_indicators(catalogue, search=word)
    expected = indicators[
        indicators["name"].str.lower().str.contains(word.lower(), regex=False)
        | indicators["id"].str.lower().str.contains(word.lower(), regex=False)
    ]
    assert set(searched["id"]) == set(expected["id"]) and len(searched) > 0
    source = indicators["source"].dropna().iloc[0]
    assert set(baskets.pick_indicators(catalogue, sources=[source])["id"]) == set(
        indicators.loc[indicators["source"] == source, "id"]
    )
    assert baskets.pick_indicators(catalogue, search="<script>").empty


def test_the_demo_has_the_la_core_basket(demo_store):
    """The demo's basket "LA Core services" holds exactly the indicators of its core themes."""
    catalogue = load_catalogue(demo_store.path)
    core = set(catalogue.theme_service.loc[catalogue.theme_service["is_core_theme"], "theme"])
    expected = set(catalogue.indicators.loc[catalogue.indicators["theme"].isin(core), "id"])
    assert set(baskets.basket_rows(catalogue, DEMO_BASKET)["indicator_id"]) == expected
    assert catalogue.basket_names()[DEMO_BASKET] == "LA Core services"


def test_compendium_basket_counts_the_map_independently(tmp_path):
    """A tiny build: a store holding the mapped indicators but one writes "Compendium 2022" with one row per
    indicator mapped same or close (not spend:/funding:), counted here from the map CSV with plain pandas."""
    mapped = pd.read_csv(MAP_FILE, dtype=str, keep_default_na=False)
    wanted = mapped[mapped["match"].isin(["same", "close"])]
    wanted = wanted[~wanted["indicator_id"].str.startswith(("spend:", "funding:"))]
    unique_ids = list(dict.fromkeys(wanted["indicator_id"]))
    held = unique_ids[1:] + ["unrelated-indicator"]  # the store lacks the first mapped indicator
    store = Store(tmp_path / "tiny.duckdb")
    indicator = pd.DataFrame({"id": held, "name": held, "theme": "T", "polarity": "high"})
    store.write({"indicator": indicator}, dataset={"name": "tiny", "kind": "public"})
    basket = write_compendium_basket(store, progress=io.StringIO())
    rows = _stored(store, BASKET_ID)
    assert len(rows) == len(unique_ids) - 1 == len(basket.rows)
    assert set(rows["indicator_id"]) == set(unique_ids[1:])
    assert set(rows["name"]) == {BASKET_NAME} and set(rows["version"]) == {VERSION} and set(rows["weight"]) == {1.0}
    first_description = wanted.drop_duplicates("indicator_id").set_index("indicator_id")["description"]
    assert dict(zip(rows["indicator_id"], rows["note"])) == first_description.loc[unique_ids[1:]].to_dict()
    assert basket.read == len(mapped) == len(basket.rows) + int(basket.skipped.sum())
    assert basket.skipped["indicator not in the store"] == 1
    assert basket.skipped["mapped to no public indicator (match none)"] == int((mapped["match"] == "none").sum())
    assert store.datasets()["kind"].iloc[0] == "public"


def test_a_basket_may_name_an_indicator_of_the_same_import(writable_store):
    """A new indicator and a basket holding it, imported together, pass; the basket alone would not."""
    from benchmarking.ingest.importer import import_frames

    indicator = pd.DataFrame({"id": ["NEW1"], "name": ["New"], "theme": ["T"], "polarity": ["high"]})
    basket = pd.DataFrame({"basket_id": ["b"], "name": ["B"], "indicator_id": ["new1"]})
    issues = _refused(writable_store, lambda: import_frames(writable_store, [("basket", basket, "b.csv")]))
    assert [(i.file, i.row, i.column) for i in issues] == [("b.csv", 2, "indicator_id")]
    import_frames(writable_store, [("basket", basket, "b.csv"), ("indicator", indicator, "i.csv")])
    assert list(_stored(writable_store, "b")["indicator_id"]) == ["NEW1"]  # in the import's spelling


def test_build_public_writes_the_compendium_basket(public_store_path):
    """The real build (the session's, from ../shared/data; skipped without it) holds "Compendium 2022": the
    indicators the map gives same or close that the store holds, counted here from the CSV and the store."""
    store = Store(public_store_path)
    held = set(store.indicators()["id"])
    mapped = pd.read_csv(MAP_FILE, dtype=str, keep_default_na=False)
    wanted = mapped[mapped["match"].isin(["same", "close"]) & mapped["indicator_id"].isin(held)]
    rows = _stored(store, BASKET_ID)
    assert len(rows) == wanted["indicator_id"].nunique() and set(rows["indicator_id"]) == set(wanted["indicator_id"])
    assert store.datasets().set_index("name")["kind"].filter(like=BASKET_NAME).tolist() == ["public"]
