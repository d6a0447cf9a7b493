"""The one workaround for Streamlit's legacy pages-folder mode (every use of it is here).

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
from collections.abc import Callable

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

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
