"""The workarounds for Streamlit's page routing (every use of its internals is here): its legacy
pages-folder mode, and typed URL paths it does not match (``open_typed_page``).

Streamlit keeps a process-wide flag, ``PagesManager.uses_pages_directory``
(streamlit/runtime/pages_manager.py): a new PagesManager sets it to True when it is unset
and a ``pages/`` folder sits next to the entry script, and ``st.navigation`` sets it to
False. While it is True the script runner runs the requested page through ``_mpa_v1``
(streamlit/runtime/scriptrunner/script_runner.py): the page file alone, without app.py,
with the folder's files as the navigation. Our pages live in ``pages/`` next to app.py, so

- a fresh server's first request for a deep link (``/quadrant``) runs pages/quadrant.py
  alone: ``ensure_entry_run`` (every page calls it first, through ``current_selection``)
  sets the flag to False and reruns, so that app.py runs with its configuration and
  navigation for the same URL;
- AppTest unsets the flag before every run (streamlit/testing/v1/app_test.py), so every
  rerun on a page would run the page alone: ``keep_navigation_mode`` (used by the test
  helpers) sets it to False after each PagesManager is made, as a running server keeps it.

tests/test_navigation.py fails once Streamlit no longer does either: then remove this module.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

import streamlit as st
from streamlit.navigation.page import StreamlitPage
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import get_script_run_ctx

from pages._registry import page_at

_RUN = threading.local()
"""Per script thread (one per session): whether app.py started the current run."""


def mark_entry_run() -> None:
    """Record that app.py (st.navigation) is running this session's script now (returns None)."""
    _RUN.via_app = True


def ensure_entry_run() -> None:
    """Return when app.py started this run; otherwise leave legacy mode and rerun (never returns)."""
    via_app, _RUN.via_app = getattr(_RUN, "via_app", False), False
    if PagesManager.uses_pages_directory or not via_app:
        # Legacy mode ran this page without app.py: switch to st.navigation and run again. The
        # per-thread mark catches a session that started in legacy mode while another session
        # had already reset the server-wide flag (several tabs on a fresh server).
        PagesManager.uses_pages_directory = False
        st.rerun()


def keep_navigation_mode(set_attribute: Callable[[object, str, object], None] = setattr) -> None:
    """Make every later PagesManager leave the flag False, so each AppTest run goes through app.py.

    ``set_attribute`` installs the patch: pytest's ``monkeypatch.setattr`` (undone after the
    test) or the builtin ``setattr`` (for the rest of the process). Returns None.
    """
    original_init = PagesManager.__init__

    def init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    set_attribute(PagesManager, "__init__", init)


def open_typed_page(pages: Sequence[StreamlitPage]) -> None:
    """Make a URL path typed by hand open the page it names (returns None; call before ``st.navigation``).

    Streamlit matches a typed path to a page's ``url_path`` exactly, and serves the default page at
    the root only: ``/overview`` (the default page's own path) and ``/Quadrant`` would show "Page not
    found". When the path names a page by ``_registry.page_at`` (any case) but not as Streamlit
    matches it, the run asks for that page by its hash instead, as a click on its link does.
    """
    ctx = get_script_run_ctx()
    manager = ctx.pages_manager if ctx is not None else None
    typed = manager.intended_page_name if manager is not None else None
    if not typed or manager.intended_page_script_hash or typed in {page.url_path for page in pages}:
        return  # a click (by hash), the root URL, or a path Streamlit finds itself
    entry = page_at(typed)
    wanted = next((page for page in pages if entry is not None and page._url_path == entry.url_path), None)
    if wanted is not None:
        manager.set_script_intent(wanted._script_hash, "")
