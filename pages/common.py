"""Streamlit glue shared by every page: the store, cached reads and the demo banner."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from benchmarking.demo import DEMO_LABEL, build_demo_store
from benchmarking.store import DEFAULT_DB, Store, default_db_path


def ensure_store() -> None:
    """Build the demo store on first run when no store exists at the default path."""
    path = default_db_path()
    if Store(path).exists():
        return
    if path != DEFAULT_DB and path.exists():
        st.error(f"The store at {path} (from BENCHMARKING_DB) holds no benchmarking tables.")
        st.stop()
    with st.spinner(f"First run: generating the {DEMO_LABEL} at {path} ..."):
        build_demo_store(path)


@st.cache_resource
def get_store(path: str) -> Store:
    """Return the store for a path (one object per path per server)."""
    return Store(path)


def store() -> Store:
    """Return the store this session reads."""
    return get_store(str(default_db_path()))


@st.cache_data(show_spinner=False)
def summary(path: str, _stamp: float) -> dict:
    """Return the store's counts; ``_stamp`` (file mtime) refreshes the cache after an import."""
    return Store(path).summary()


@st.cache_data(show_spinner=False)
def datasets(path: str, _stamp: float) -> pd.DataFrame:
    """Return the load history of the store."""
    return Store(path).datasets()


@st.cache_data(show_spinner=False)
def settings(path: str, _stamp: float) -> dict[str, str]:
    """Return the store's settings."""
    return Store(path).settings()


def stamp() -> float:
    """Return the store file's modification time, used to key cached reads."""
    path = default_db_path()
    return path.stat().st_mtime if path.exists() else 0.0


def demo_banner() -> None:
    """Say plainly when the data on screen is the illustrative demo dataset."""
    info = summary(str(default_db_path()), stamp())
    if info["is_demo"]:
        st.warning(
            f"**{DEMO_LABEL.capitalize()}.** The values are invented by the project's own generator "
            "(except Leicestershire's published 2020/21 and 2021/22 dashboard values); "
            "they are not real performance figures.",
            icon=":material/science:",
        )
