"""Viewers and editors (issue 15, item 8): a read-only deployment writes nothing, through the
package, the command line or the pages; where people sign in, only the named editors edit."""

from __future__ import annotations

import hashlib
from types import MappingProxyType

import pandas as pd
import pytest
from apptest_helpers import APP, open_page, use_navigation_mode
from streamlit.testing.v1 import AppTest

from benchmarking.access import (
    EDITORS_VARIABLE,
    READ_ONLY_VARIABLE,
    EditAccess,
    edit_access,
    editors_setting,
    read_only_setting,
    require_writable,
    session_access,
)
from benchmarking.errors import ReadOnlyError
from pages._text import escape

NOTE = pd.DataFrame({"indicator_id": ["LCC078"], "authority_code": ["*"], "period": ["*"], "note": ["Changed"]})
ENABLE = "To enable editing, unset BENCHMARKING_READ_ONLY"


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- through the package and the command line ------------------------------------------------


def test_every_write_through_the_package_is_refused_in_a_read_only_deployment(writable_store, monkeypatch):
    """Store.write, a note (an import), undo and the demo build over the store raise ReadOnlyError
    saying how to enable editing; the tables and the file are unchanged, reads still work."""
    from benchmarking.datasets.demo import build_demo_store
    from benchmarking.service.data_admin import save_note

    save_note(writable_store.path, "LCC078", "*", "*", "kept")  # an import that undo could remove
    before, digest = writable_store.checksums(), _digest(writable_store.path)
    monkeypatch.setenv(READ_ONLY_VARIABLE, "1")
    with pytest.raises(ReadOnlyError, match=ENABLE):
        writable_store.write({"note": NOTE}, {"name": "note"})
    with pytest.raises(ReadOnlyError, match=ENABLE):
        save_note(writable_store.path, "LCC078", "*", "*", "Definition changed")
    with pytest.raises(ReadOnlyError, match=ENABLE):
        writable_store.undo_last_import()
    with pytest.raises(ReadOnlyError, match=ENABLE):
        writable_store.initialise()
    with pytest.raises(ReadOnlyError, match=ENABLE):  # before: the old file was deleted first, then the write refused
        build_demo_store(writable_store.path)
    assert writable_store.checksums() == before
    assert _digest(writable_store.path) == digest
    assert len(writable_store.authorities()) == 32


def test_a_new_store_is_not_created_in_a_read_only_deployment(tmp_path, monkeypatch):
    """Store.initialise on a new path raises ReadOnlyError and creates neither the file nor its folder."""
    from benchmarking.store import Store

    monkeypatch.setenv(READ_ONLY_VARIABLE, "true")
    path = tmp_path / "new" / "store.duckdb"
    with pytest.raises(ReadOnlyError, match=str(path)):
        Store(path).initialise()
    assert not path.parent.exists()


def test_the_command_line_refuses_imports_and_undo_with_exit_code_2(writable_store, tmp_path, monkeypatch, capsys):
    """`import` and `undo` exit with 2 and the read-only message; a preview and an export still run."""
    from benchmarking.cli import main

    db = str(writable_store.path)
    file = tmp_path / "values.csv"
    file.write_text("indicator_id,authority_code,period,value\nLCC001,E10000018,2021/22,12.5\n", encoding="utf-8")
    assert main(["--db", db, "import", str(file)]) == 0
    before = writable_store.checksums()
    monkeypatch.setenv(READ_ONLY_VARIABLE, "1")
    capsys.readouterr()
    assert main(["--db", db, "undo"]) == 2
    assert "read-only" in capsys.readouterr().err
    assert main(["--db", db, "import", str(file), "--table", "indicator_value"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and ENABLE in err
    assert main(["--db", db, "import", str(file), "--dry-run"]) == 0
    assert main(["--db", db, "ranks", "--period", "2021/22", "--out", str(tmp_path / "ranks.csv")]) == 0
    assert writable_store.checksums() == before


@pytest.mark.parametrize(
    ("value", "read_only"),
    [
        ("", False),
        ("0", False),
        ("false", False),
        ("no", False),
        ("1", True),
        ("TRUE", True),
        ("yes", True),
        ("1x", True),
    ],
)
def test_the_read_only_setting(value, read_only):
    """Empty, 0, false, no and off mean editable; 1, true, yes, on and anything unreadable mean read-only."""
    assert read_only_setting({READ_ONLY_VARIABLE: value}) is read_only


def test_the_editors_setting_splits_and_lowers_addresses():
    """Commas, semicolons and spaces separate addresses; case and blanks do not count."""
    named = {EDITORS_VARIABLE: " Alice@Example.org, bob@example.org;;carol@example.org  "}
    assert editors_setting(named) == {"alice@example.org", "bob@example.org", "carol@example.org"}
    assert editors_setting({}) == frozenset()


# -- the edit decision, with fake users ------------------------------------------------------

EDITORS = ["alice@example.org", "bob@example.org"]
NO_PROVIDER = {"email": "test@example.com"}  # what st.user holds without [auth] (AppTest's default too)
SIGNED_OUT = {"is_logged_in": False}
ALICE = {"is_logged_in": True, "email": "Alice@Example.org", "name": "Alice"}
MALLORY = {"is_logged_in": True, "email": "mallory@example.org"}
ALICE_UNVERIFIED = {"is_logged_in": True, "email": "alice@example.org", "email_verified": False}


@pytest.mark.parametrize(
    ("user", "read_only", "editors", "may_edit", "offer_login", "words"),
    [
        (NO_PROVIDER, False, [], True, False, "open to everyone"),
        ({}, False, [], True, False, "open to everyone"),
        (NO_PROVIDER, True, [], False, False, ENABLE),
        (NO_PROVIDER, False, EDITORS, False, False, "no identity provider is configured"),
        (SIGNED_OUT, False, EDITORS, False, True, "Log in to edit"),
        (ALICE, False, EDITORS, True, False, "Signed in as alice@example.org, an editor"),
        (ALICE, True, EDITORS, False, False, ENABLE),
        (MALLORY, False, EDITORS, False, False, "not one of the editors"),
        (ALICE_UNVERIFIED, False, EDITORS, False, False, "not verified"),
        (ALICE, False, [], False, False, "names no editors"),
        ({"is_logged_in": True}, False, EDITORS, False, False, "without an e-mail"),
    ],
)
def test_who_may_edit(user, read_only, editors, may_edit, offer_login, words):
    """One function decides: read-only beats everything; without a provider everyone edits unless
    editors are named; with one, only a signed-in, verified editor edits (addresses case-blind)."""
    access = edit_access(MappingProxyType(user), read_only=read_only, editors=editors)
    assert (access.may_edit, access.offer_login) == (may_edit, offer_login)
    assert words in access.reason


def test_a_viewers_session_cannot_write_even_if_a_page_offered_the_control(writable_store):
    """Inside a viewer's session_access, Store.write raises ReadOnlyError with the viewer's reason."""
    before = writable_store.checksums()
    viewer = edit_access(MALLORY, read_only=False, editors=EDITORS)
    with session_access(viewer), pytest.raises(ReadOnlyError, match="not one of the editors"):
        writable_store.write({"note": NOTE}, {"name": "note"})
    assert writable_store.checksums() == before
    with session_access(EditAccess(True, "editor")):
        require_writable(writable_store.path)  # an editor's session writes
    writable_store.write({"note": NOTE}, {"name": "note"})  # outside any session: the package as before
    assert writable_store.checksums() != before


# -- through the pages (AppTest) -------------------------------------------------------------


def _undo_buttons(at) -> list[str]:
    """Return the labels of the page's Undo buttons ("Undo import N")."""
    return [label for label in _labels(at) if label.startswith("Undo")]


def _labels(at) -> set[str]:
    return {button.label for button in at.button}


def test_read_only_pages_show_no_note_import_or_undo_controls(writable_store, monkeypatch):
    """With BENCHMARKING_READ_ONLY=1 the Data page has no note form and the Data import page no
    upload, source, commit or undo controls; both say why and how to enable editing."""
    from benchmarking.service.data_admin import save_note

    save_note(writable_store.path, "LCC078", "*", "*", "an import to undo")
    monkeypatch.setenv(READ_ONLY_VARIABLE, "1")
    at = open_page(writable_store.path, monkeypatch, "data")
    assert not at.exception
    at.session_state["data_add_note"] = True  # even asked for, the note form is not drawn for a viewer
    at.run()
    assert not at.exception
    assert "Save note" not in _labels(at) and not at.text_input
    assert any(ENABLE in info.value for info in at.info)
    assert any(d.label == "Notes (CSV)" for d in at.get("download_button"))  # reading is unchanged
    at.switch_page("pages/import_data.py").run()
    assert not at.exception
    assert not at.get("file_uploader") and not at.tabs
    assert not _undo_buttons(at)
    assert any(ENABLE in info.value for info in at.info)


def test_viewers_are_offered_the_login_and_editors_get_the_controls(writable_store, monkeypatch):
    """With an identity provider: signed out, the Data import page offers "Log in to edit" and no
    controls; signed in as a named editor, the upload and undo controls are back."""
    from benchmarking.service.data_admin import save_note

    save_note(writable_store.path, "LCC078", "*", "*", "an import to undo")
    monkeypatch.setenv(EDITORS_VARIABLE, "alice@example.org")
    monkeypatch.delenv(READ_ONLY_VARIABLE, raising=False)
    monkeypatch.setenv("BENCHMARKING_DB", str(writable_store.path))
    use_navigation_mode(monkeypatch)
    at = AppTest.from_file(APP, default_timeout=60)
    at.user = dict(SIGNED_OUT)
    at.run().switch_page("pages/import_data.py").run()
    assert not at.exception
    assert "Log in to edit" in _labels(at) and not _undo_buttons(at) and not at.tabs
    at.user = dict(ALICE)
    at.run()
    assert not at.exception
    assert _undo_buttons(at) and "Log out" in _labels(at) and at.tabs
    assert any("Signed in as alice@example.org" in caption.value for caption in at.caption)


def test_no_demo_is_built_in_a_read_only_deployment_without_a_store(tmp_path, monkeypatch):
    """A read-only app with no store says so (st.error naming the path) and creates no file."""
    path = tmp_path / "data" / "benchmarking.duckdb"
    monkeypatch.setenv("BENCHMARKING_DB", str(path))
    monkeypatch.setenv(READ_ONLY_VARIABLE, "1")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert any(escape(path) in error.value and "not generated" in error.value for error in at.error)
    assert not path.exists()


@pytest.mark.parametrize(
    ("value", "read_only"), [(True, True), ("true", True), (1, True), (False, False), (None, False)]
)
def test_the_secrets_read_only_value(value, read_only):
    """`read_only` under [benchmarking] in secrets.toml reads like the environment variable."""
    from benchmarking.access import means_read_only

    assert means_read_only(value) is read_only


def test_secrets_make_the_app_read_only(writable_store, monkeypatch):
    """`read_only = true` under [benchmarking] in secrets.toml: the Data import page shows no controls."""
    monkeypatch.setenv("BENCHMARKING_DB", str(writable_store.path))
    monkeypatch.delenv(READ_ONLY_VARIABLE, raising=False)
    use_navigation_mode(monkeypatch)
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["benchmarking"] = {"read_only": True}
    at.run().switch_page("pages/import_data.py").run()
    assert not at.exception
    assert not at.tabs and not _undo_buttons(at)
    assert any("read-only" in info.value for info in at.info)
