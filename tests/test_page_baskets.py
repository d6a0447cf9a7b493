"""The Data page's basket builder (AppTest): save a basket picked by theme under a hostile name, see it listed,
rename and delete it; viewers of a read-only deployment see the list but no builder."""

from __future__ import annotations

from apptest_helpers import html_tables, open_page, open_section

from benchmarking.service import baskets
from benchmarking.service.catalogue import load_catalogue
from benchmarking.text.escaping import markdown

HOSTILE = "<script>alert(1)</script> **bold** =cmd()"
BUILDER = "data_basket_builder"  # the builder's section, drawn once opened


def _widget(widgets, key: str):
    found = [w for w in widgets if w.key == key]
    assert len(found) == 1, f"no widget with key {key!r}"
    return found[0]


def _button(at, key: str):
    return _widget(at.button, key)


def _drawn_text(at) -> str:
    return " ".join(str(e.value) for e in [*at.markdown, *at.caption, *at.success, *at.error, *at.info])


def _listed_names(at) -> list[str]:
    tables = [table for table in html_tables(at) if "Basket" in table.columns]
    assert len(tables) == 1
    return list(tables[0]["Basket"])


def test_save_a_basket_from_a_theme_and_see_it_listed(writable_store, monkeypatch):
    at = open_page(writable_store.path, monkeypatch, "data")
    assert not at.exception
    assert _listed_names(at) == ["All published", "LA Core services"]
    open_section(at, BUILDER)
    catalogue = load_catalogue(writable_store.path)
    theme = sorted(catalogue.indicators["theme"].unique())[2]
    _widget(at.multiselect, "basket-themes").set_value([theme]).run()
    _widget(at.text_input, "basket-name").set_value(HOSTILE)
    _button(at, "basket-save").click().run()
    assert not at.exception and not at.error
    expected = set(catalogue.indicators.loc[catalogue.indicators["theme"] == theme, "id"])
    stored = writable_store.baskets()
    saved = stored[stored["name"] == HOSTILE]
    assert set(saved["indicator_id"]) == expected and set(saved["weight"]) == {1.0}
    assert set(saved["basket_id"]) == {baskets.basket_id_for(HOSTILE)}
    assert sorted(_listed_names(at)) == sorted(["All published", "LA Core services", HOSTILE])
    assert any(markdown(HOSTILE) in s.value for s in at.success)  # drawn escaped ...
    assert "<script>" not in _drawn_text(at) and "**bold**" not in _drawn_text(at)  # ... never as markup
    assert writable_store.datasets()["kind"].iloc[0] == "imported"  # undoable on the Data import page
    before = writable_store.checksums()
    _widget(at.text_input, "basket-name").set_value("LA Core services")  # a new basket under a taken id
    _button(at, "basket-save").click().run()
    assert any("exists" in e.value for e in at.error)
    assert writable_store.checksums() == before


def test_rename_and_delete_on_the_page(writable_store, monkeypatch):
    ids = sorted(writable_store.indicators()["id"])[:2]
    baskets.save_basket(writable_store, "mine", "Mine", ids)
    at = open_section(open_page(writable_store.path, monkeypatch, "data"), BUILDER)
    _widget(at.selectbox, "basket-rename-choice").set_value("mine")
    _widget(at.text_input, "basket-new-name").set_value(HOSTILE).run()  # the button waits for a name
    _button(at, "basket-rename").click().run()
    assert not at.exception and not at.error
    assert set(writable_store.baskets().query("basket_id == 'mine'")["name"]) == {HOSTILE}
    _widget(at.selectbox, "basket-delete-choice").set_value("mine")
    _button(at, "basket-delete").click().run()
    assert not at.exception and not at.error
    assert "mine" not in set(writable_store.baskets()["basket_id"])
    assert "<script>" not in _drawn_text(at)


def test_viewers_see_the_list_but_not_the_builder(writable_store, monkeypatch):
    monkeypatch.setenv("BENCHMARKING_READ_ONLY", "1")
    at = open_page(writable_store.path, monkeypatch, "data")
    assert not at.exception
    assert _listed_names(at) == ["All published", "LA Core services"]
    open_section(at, BUILDER)  # even asked for, the builder is not drawn for a viewer
    assert not [b for b in at.button if b.key == "basket-save"]
