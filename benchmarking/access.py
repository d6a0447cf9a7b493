"""Who may change the store: read-only deployments, and editors named for a sign-in deployment.

Two settings, read from the environment (the app can add the same ones from ``secrets.toml``):

- ``BENCHMARKING_READ_ONLY=1``: nothing writes to the store, neither the app nor the command
  line; every write through ``Store`` raises :class:`~benchmarking.errors.ReadOnlyError`.
- ``BENCHMARKING_EDITORS=alice@example.org,bob@example.org``: where the app signs people in
  through an identity provider (Streamlit's ``[auth]`` in ``secrets.toml``), only these may
  edit; everyone else sees the pages read-only.

:func:`edit_access` is the one decision ("may this session edit?"); the app hands its answer
to :func:`session_access` for the length of a page run, and :func:`require_writable` (called
by every write in ``Store``) refuses writes that the decision does not allow. This module sits
at the bottom of the layers (beside ``errors`` and ``paths``) so that the store can reach it.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from benchmarking.errors import ReadOnlyError

READ_ONLY_VARIABLE = "BENCHMARKING_READ_ONLY"
EDITORS_VARIABLE = "BENCHMARKING_EDITORS"
_FALSE = {"", "0", "false", "no", "off"}

HOW_TO_EDIT_READ_ONLY = (
    f"To enable editing, unset {READ_ONLY_VARIABLE} (or set it to 0), and remove "
    "`read_only = true` from the [benchmarking] section of .streamlit/secrets.toml if it is there, "
    "then restart the app (or run the command again)."
)


def read_only_setting(environ: Mapping[str, str] | None = None) -> bool:
    """Return True when ``BENCHMARKING_READ_ONLY`` asks for a read-only deployment (see :func:`means_read_only`)."""
    return means_read_only((os.environ if environ is None else environ).get(READ_ONLY_VARIABLE))


def means_read_only(value: object) -> bool:
    """Return True for a read-only setting of ``value``: True, 1, "true", "yes", "on" or anything unreadable.

    Only None, False, 0 and the words "", "0", "false", "no", "off" leave editing on: a typo
    in the setting errs on the safe side.
    """
    if value is None or isinstance(value, bool | int):
        return bool(value)
    return str(value).strip().lower() not in _FALSE


def editors_setting(environ: Mapping[str, str] | None = None) -> frozenset[str]:
    """Return the editors' e-mail addresses named in ``BENCHMARKING_EDITORS``."""
    return editor_addresses((os.environ if environ is None else environ).get(EDITORS_VARIABLE, ""))


def editor_addresses(named: str | Iterable[object]) -> frozenset[str]:
    """Return the addresses in ``named`` (text split at commas, semicolons or spaces, or a list),
    trimmed and lower-cased, blanks dropped: addresses compare case-blind."""
    items = re.split(r"[,;\s]+", named) if isinstance(named, str) else named
    return frozenset(str(item).strip().lower() for item in items if str(item or "").strip())


@dataclass(frozen=True)
class EditAccess:
    """Whether this session may change the store, why not, and what the page should offer."""

    may_edit: bool
    reason: str
    """One or two sentences for the page: why it is read-only, or who is editing."""
    offer_login: bool = False
    """True when signing in could make this session an editor (draw "Log in to edit")."""
    signed_in_as: str | None = None
    """The signed-in user's e-mail (or name), when an identity provider is configured."""


def edit_access(user: Mapping[str, object], *, read_only: bool, editors: Iterable[str]) -> EditAccess:
    """Return whether the session of ``user`` (``st.user`` as a dict) may edit, and why.

    - ``read_only``: nobody edits, whoever is signed in.
    - No identity provider (``user`` has no ``is_logged_in`` key, as ``st.user`` has none
      without ``[auth]`` in secrets.toml): everyone edits, unless editors are named, which
      needs a provider to tell who is who (then nobody edits).
    - An identity provider: only a signed-in user whose e-mail is among ``editors`` (and not
      marked unverified by the provider) edits; others read, and may be offered the login.
    """
    editors = editor_addresses(editors)
    if read_only:
        return EditAccess(False, f"This deployment is read-only: viewing only. {HOW_TO_EDIT_READ_ONLY}")
    if "is_logged_in" not in user:
        if editors:
            return EditAccess(
                False,
                f"Editors are named ({EDITORS_VARIABLE}) but no identity provider is configured, so no one "
                "can sign in as an editor: viewing only. Add an [auth] section to .streamlit/secrets.toml "
                f"(see the README), or clear {EDITORS_VARIABLE} to let everyone edit.",
            )
        return EditAccess(True, "Editing is open to everyone who can open the app.")
    if not user.get("is_logged_in"):
        return EditAccess(False, "You are viewing the data read-only. Log in to edit.", offer_login=True)
    email = str(user.get("email") or "").strip().lower()
    shown = email or str(user.get("name") or "an account without an e-mail address")
    if email and email in editors and user.get("email_verified") is not False:
        return EditAccess(True, f"Signed in as {shown}, an editor.", signed_in_as=shown)
    if email and email in editors:
        why = "the identity provider has not verified that e-mail address"
    elif editors:
        why = "who is not one of the editors this deployment names"
    else:
        why = f"but this deployment names no editors yet ({EDITORS_VARIABLE})"
    return EditAccess(
        False,
        f"Signed in as {shown}, {why}: viewing only. Ask the administrator to add your address to "
        f"{EDITORS_VARIABLE} (or `editors` in the [benchmarking] section of .streamlit/secrets.toml).",
        signed_in_as=shown,
    )


_SESSION_ACCESS: ContextVar[EditAccess | None] = ContextVar("benchmarking_session_access", default=None)


@contextlib.contextmanager
def session_access(access: EditAccess) -> Iterator[EditAccess]:
    """Hold ``access`` for the code run inside (one page run): writes then follow its decision."""
    token = _SESSION_ACCESS.set(access)
    try:
        yield access
    finally:
        _SESSION_ACCESS.reset(token)


def require_writable(path: Path | str) -> None:
    """Return None when the store at ``path`` may be written; else raise ReadOnlyError saying how to edit."""
    if read_only_setting():
        raise ReadOnlyError(
            f"Nothing was written: the store at {path} is read-only in this deployment "
            f"({READ_ONLY_VARIABLE} is set). {HOW_TO_EDIT_READ_ONLY}"
        )
    access = _SESSION_ACCESS.get()
    if access is not None and not access.may_edit:
        raise ReadOnlyError(f"Nothing was written to the store at {path}. {access.reason}")
