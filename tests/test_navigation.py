"""The page registry, and the workaround for Streamlit's legacy pages-folder mode.

The workaround (pages/_navigation.py) exists because Streamlit runs a page file alone,
without app.py, while ``PagesManager.uses_pages_directory`` is True. The first tests run a
tiny app laid out like ours (app.py beside pages/) and FAIL once Streamlit stops doing so,
which is when the workaround can go.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from apptest_helpers import APP, open_page
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from pages import _registry as registry
from pages._navigation import keep_navigation_mode

ROOT = Path(APP).parent
REMOVE_IT = "Streamlit no longer needs the workaround in pages/_navigation.py: remove it"
ENTRY_MARK, PAGE_MARK = "the entry script ran", "page two ran"

ENTRY = f"""
import streamlit as st
st.markdown({ENTRY_MARK!r})
st.navigation([st.Page("pages/one.py", default=True, url_path="one"), st.Page("pages/two.py", url_path="two")]).run()
"""


@pytest.fixture
def tiny_app(tmp_path) -> Path:
    """An entry script with st.navigation beside a pages/ folder of two pages, as app.py is."""
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "one.py").write_text('import streamlit as st\nst.markdown("page one ran")\n')
    (tmp_path / "pages" / "two.py").write_text(f"import streamlit as st\nst.markdown({PAGE_MARK!r})\n")
    (tmp_path / "app.py").write_text(ENTRY)
    return tmp_path / "app.py"


def shown(at: AppTest) -> list[str]:
    return [block.value for block in at.markdown]


# -- Streamlit's behaviour that the workaround answers ----------------------------------------------


def test_a_pages_folder_beside_the_entry_script_turns_on_legacy_mode():
    """A new PagesManager for app.py sets the flag to True, because pages/ sits beside it."""
    saved = PagesManager.uses_pages_directory
    try:
        PagesManager.uses_pages_directory = None
        PagesManager(APP)
        assert PagesManager.uses_pages_directory is True, REMOVE_IT
    finally:
        PagesManager.uses_pages_directory = saved


def test_a_deep_link_on_a_fresh_server_runs_the_page_without_the_entry_script(tiny_app):
    """The first run, asked for pages/two.py, runs that file alone (what /quadrant does on a fresh server)."""
    at = AppTest.from_file(str(tiny_app), default_timeout=10)
    at.switch_page("pages/two.py").run()
    assert not at.exception
    assert PAGE_MARK in shown(at)
    assert ENTRY_MARK not in shown(at), REMOVE_IT


def test_apptest_runs_a_page_alone_again_after_the_entry_script_called_st_navigation(tiny_app):
    """AppTest unsets the flag before each run, so switching page runs the page without the entry script."""
    at = AppTest.from_file(str(tiny_app), default_timeout=10).run()
    assert shown(at) == [ENTRY_MARK, "page one ran"]
    at.switch_page("pages/two.py").run()
    assert PAGE_MARK in shown(at)
    assert ENTRY_MARK not in shown(at), REMOVE_IT


# -- the workaround ------------------------------------------------------------------------------------


def test_keep_navigation_mode_runs_the_entry_script_on_every_run(tiny_app, monkeypatch):
    """With the test helpers' patch, a deep link and a page switch both go through the entry script."""
    keep_navigation_mode(monkeypatch.setattr)
    at = AppTest.from_file(str(tiny_app), default_timeout=10).run()
    at.switch_page("pages/two.py").run()
    assert shown(at) == [ENTRY_MARK, PAGE_MARK]


def test_a_page_run_alone_reruns_through_app_py(demo_store_path, monkeypatch):
    """Without the test patch, pages/data.py asked for first still runs app.py (its CSS) and draws its title."""
    monkeypatch.setenv("BENCHMARKING_DB", str(demo_store_path))
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("pages/data.py").run()
    assert not at.exception
    assert at.title[0].value == "Data"
    assert any("stSidebarNavLink" in block.proto.body for block in at.get("html"))  # app.py's BASE_CSS


# -- the registry --------------------------------------------------------------------------------------


def test_every_page_file_is_registered_once_and_its_url_path_is_its_stem():
    """The registry and pages/ agree: one entry per page file, url path = file stem, one default page."""
    files = sorted(path.stem for path in (ROOT / "pages").glob("*.py") if not path.stem.startswith("_"))
    assert sorted(page.key for page in registry.PAGES) == files
    assert all((ROOT / page.file).is_file() and page.url_path == Path(page.file).stem for page in registry.PAGES)
    assert [page.key for page in registry.PAGES if page.default] == ["overview"]
    assert len({page.title for page in registry.PAGES}) == len(registry.PAGES)


DECKS = {"presentation"}
"""Pages drawn as a deck of full-screen slides: each slide carries its own title, so no page header."""


def test_each_page_draws_its_registered_title(demo_store_path, monkeypatch):
    """Every page but a deck passes its own key to page_header; the quadrant page's title is the registry's."""
    for page in registry.PAGES:
        calls = [
            node
            for node in ast.walk(ast.parse((ROOT / page.file).read_text()))
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "page_header"
        ]
        assert [call.args[0].value for call in calls] == ([] if page.key in DECKS else [page.key]), page.file
    assert registry.title_of("quadrant") == "Performance against spend"
    at = open_page(demo_store_path, monkeypatch, "quadrant")
    assert at.title[0].value == "Performance against spend"


def test_title_of_an_unknown_page_is_an_error():
    with pytest.raises(KeyError):
        registry.title_of("no_such_page")


@pytest.mark.parametrize("typed", ["overview", "/overview", "Quadrant", "THEMES/", "beyond_RANKS"])
def test_a_typed_path_names_its_page_in_any_case(typed):
    """``page_at`` finds the page a hand-typed path names, ignoring case and slashes (app.py opens it)."""
    assert registry.page_at(typed) is registry.BY_KEY[typed.strip("/").lower()]


@pytest.mark.parametrize("typed", ["", "/", "nosuchpage", "overview/extra"])
def test_a_path_that_names_no_page_is_none(typed):
    """The root and unknown paths name no page (Streamlit serves the default page, or says it is not found)."""
    assert registry.page_at(typed) is None
