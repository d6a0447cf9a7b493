"""Tables and charts drawn once and replayed (pages/_replay.py): a rerun, another session and a run with
the caches emptied all show exactly the same elements, and another selection or an import shows its own."""

import re

import pytest
import streamlit as st
from apptest_helpers import open_page, sidebar_box

from pages._replay import per_object

GENERATED = re.compile(r'(\n\s*id: "[^"]*"|T_[0-9a-zA-Z_]+|uuid: "[^"]*"|deferred_file_id: "[^"]*")')
DRAWN = ("dataframe", "table", "html", "arrow_vega_lite_chart")


def drawn(at) -> list[str]:
    """Return the page's grids, tables and charts as their messages, without generated ids."""
    return [GENERATED.sub("<id>", str(element.proto)) for kind in DRAWN for element in at.get(kind)]


@pytest.mark.parametrize("page", ["themes", "quartiles", "data"])
def test_a_replayed_page_shows_what_a_fresh_build_shows(demo_store_path, monkeypatch, page):
    """The second run replays the first run's elements; they equal those of a new session and of a run
    with every cache emptied (built afresh from the store)."""
    at = open_page(demo_store_path, monkeypatch, page)
    first = drawn(at)
    assert first, "the page drew no table or chart"
    at.run()
    assert drawn(at) == first
    other_session = open_page(demo_store_path, monkeypatch, page)
    assert drawn(other_session) == first
    st.cache_resource.clear()
    st.cache_data.clear()
    fresh = open_page(demo_store_path, monkeypatch, page)
    assert drawn(fresh) == first


def test_another_period_draws_its_own_tables(demo_store_path, monkeypatch):
    """A replayed table belongs to its selection: another period shows other tables, and coming back
    shows the first ones again."""
    at = open_page(demo_store_path, monkeypatch, "themes")
    first = drawn(at)
    period = sidebar_box(at, "period")
    chosen = period.value
    period.set_value(next(p for p in period.options if p != chosen)).run()
    other = drawn(at)
    assert other != first
    sidebar_box(at, "period").set_value(chosen).run()
    assert drawn(at) == first


def test_per_object_is_kept_by_identity():
    """A value derived from an object is built once per object and options; an equal but distinct object
    (as a recomputed selection gives) is built afresh."""
    built = []
    held, twin = [1, 2], [1, 2]

    def build():
        built.append(1)
        return len(built)

    assert per_object("test", held, ("a",), build) == 1
    assert per_object("test", held, ("a",), build) == 1
    assert per_object("test", held, ("b",), build) == 2
    assert per_object("test", twin, ("a",), build) == 3
