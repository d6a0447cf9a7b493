"""Viewers and editors on the page: this session's edit rights, and the notice and login in their place.

The decision itself is ``benchmarking.access.edit_access``; this module feeds it Streamlit's
``st.user`` and the deployment's settings (the environment, then the ``[benchmarking]``
section of ``.streamlit/secrets.toml``), and draws what a viewer sees instead of the controls.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from benchmarking.access import (
    EditAccess,
    edit_access,
    editor_addresses,
    editors_setting,
    means_read_only,
    read_only_setting,
)


def deployment_settings() -> Mapping[str, object]:
    """Return the ``[benchmarking]`` section of ``.streamlit/secrets.toml`` (empty when there is none)."""
    if not st.secrets.load_if_toml_exists():
        return {}
    section = st.secrets.get("benchmarking")
    return section if isinstance(section, Mapping) else {}


def session_edit_access() -> EditAccess:
    """Return whether this session may edit the store (read-only setting, identity provider, editors)."""
    settings = deployment_settings()
    read_only = read_only_setting() or means_read_only(settings.get("read_only"))
    editors = editors_setting() | editor_addresses(settings.get("editors") or [])
    user = st.user.to_dict()
    return edit_access(user, read_only=read_only, editors=editors)


def _login_provider() -> str | None:
    """Return the provider name for ``st.login`` (``login_provider`` in ``[benchmarking]``), or None."""
    provider = deployment_settings().get("login_provider")
    return str(provider) if provider else None


def require_editor(key: str) -> EditAccess:
    """Return this session's access when it may edit (naming the signed-in editor, if any);
    otherwise draw why it cannot, with the login where signing in could help, and stop the page."""
    access = session_edit_access()
    if access.may_edit:
        if access.signed_in_as:
            left, right = st.columns([4, 1])
            left.caption(access.reason)
            if right.button("Log out", key=f"logout-{key}"):
                st.logout()
        return access
    st.info(access.reason, icon=":material/visibility:")
    if access.offer_login and st.button("Log in to edit", key=f"login-{key}"):
        st.login(_login_provider())
    elif access.signed_in_as and st.button("Log out", key=f"logout-{key}"):
        st.logout()
    st.stop()
