"""A copied link's names: every name a page reads is known (``pages._link_names``), and a name no page reads
(``?fcus=``, a misspelling) is said once and left out of the link, never dropped silently."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from apptest_helpers import open_page, sidebar_box

from benchmarking.text.escaping import markdown
from pages._link_names import LINK_NAMES, PAGE_NAMES

PAGES = Path(__file__).resolve().parent.parent / "pages"
HOSTILE = "<b>x</b>**y**"


def _names_read_by_view_choices() -> set[str]:
    """Return the URL names the pages' ``url_choice``/``url_toggle`` calls read (their ``param`` argument)."""
    names = set()
    for path in PAGES.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            called = getattr(node.func, "id", getattr(node.func, "attr", None))
            position = {"url_choice": 2, "url_toggle": 1}.get(called)
            if position is not None and len(node.args) > position:
                names.add(ast.literal_eval(node.args[position]))
    return names


def test_every_name_a_page_reads_is_a_known_link_name():
    """The page names are the names the view-choice calls read (the quadrant's names among them: one rule reads a
    link's names), and the Presentation page's slide, which it reads itself."""
    read = _names_read_by_view_choices()
    assert len(read) > 10  # the parse found the pages' calls
    assert {"labels", "named"} <= read  # the quadrant's names-on-the-chart choice
    assert set(PAGE_NAMES) == read | {"slide"}, sorted(set(PAGE_NAMES) ^ (read | {"slide"}))


def _notices(at) -> list[str]:
    return [warning.value for warning in at.warning if "which no page reads" in warning.value]


@pytest.mark.parametrize("name", ["fcus", "peroid", HOSTILE])
def test_a_misspelt_name_is_said_once_and_left_out(demo_store_path, monkeypatch, name):
    at = open_page(demo_store_path, monkeypatch, "overview", query={name: "E10000018", "period": "2014/15"})
    assert not at.exception
    [notice] = _notices(at)
    assert markdown(f"'{name}'") in notice and "left out" in notice
    assert name not in at.query_params  # the link is mended ...
    assert sidebar_box(at, "period").value == "2014/15"  # ... and the names it spells right still count
    assert not _notices(at.run())  # said once, for the link


def test_a_link_of_known_names_gets_no_such_notice(demo_store_path, monkeypatch):
    query = {"period": "2014/15", "briefing": "0", "theme": "Overall"}
    assert set(query) <= LINK_NAMES
    at = open_page(demo_store_path, monkeypatch, "quadrant", query=query)
    assert not at.exception and not _notices(at)
