"""The store and the engine's results, cached at the page edge: every page reads them through here.

Cached reads are keyed by the store path and its modification time (``stamp``), so an
import from another process or page refreshes them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import pandas as pd
import streamlit as st
from streamlit.runtime import Runtime

from benchmarking.errors import BenchmarkingError
from benchmarking.method.baskets import ALL_PUBLISHED, INDICATORS
from benchmarking.method.groups import needs_period
from benchmarking.paths import default_db_path
from benchmarking.service.benchmark import Benchmark, benchmark_for, benchmark_with_focus_ranked
from benchmarking.service.catalogue import Catalogue, load_catalogue
from benchmarking.service.data_admin import load_history, store_summary
from benchmarking.service.group_size import GroupSize, group_size
from benchmarking.service.overview import Overview, overview

if TYPE_CHECKING:
    from benchmarking.store import StoreContents
    from pages._selection import Selection

T = TypeVar("T")


def stamp() -> float:
    """Return the store file's modification time, used to key cached reads."""
    path = default_db_path()
    return path.stat().st_mtime if path.exists() else 0.0


def db_path() -> str:
    """Return the store path this session reads, as text (a cache key)."""
    return str(default_db_path())


@st.cache_data(show_spinner=False)
def summary(path: str, file_stamp: float) -> StoreContents:
    """Return the store's contents in counts; ``file_stamp`` (file mtime, part of the key) refreshes it after an
    import."""
    return store_summary(path)


@st.cache_resource(show_spinner=False, max_entries=4)
def datasets(path: str, file_stamp: float) -> pd.DataFrame:
    """Return the load history of the store (one object per store version: treat as read-only)."""
    return load_history(path)


@st.cache_resource(show_spinner="Reading the store ...", max_entries=4)
def _catalogue(path: str, file_stamp: float) -> Catalogue:
    return load_catalogue(path)


def catalogue() -> Catalogue:
    """Return the store's tables, cached until the file changes (treat as read-only)."""
    return _catalogue(db_path(), stamp())


def _method(selection: Selection) -> tuple[str, str]:
    """Return the selection's (basket id, balance): part of every cache key below."""
    return selection.basket, selection.balance


def _key(selection: Selection) -> tuple:
    """Return the cache key of the selection's benchmark: store, group, focus, scaling, basket, balance and the
    period its group depends on (``_group_period``)."""
    return (
        db_path(),
        stamp(),
        selection.group_id,
        selection.focus,
        selection.scaled,
        _method(selection),
        _group_period(selection.group_id, selection.period),
    )


def _group_period(group_id: str, period: str) -> str | None:
    """Return the period a group's members depend on (a similar group's are chosen among its authorities), else
    None: every other group shares one benchmark over every period."""
    return period if needs_period(group_id) else None


@st.cache_resource(show_spinner="Ranking every authority on every indicator ...", max_entries=16)
def _benchmark(
    path: str,
    file_stamp: float,
    group_id: str,
    focus_for_group: str | None,
    scaled: bool,
    method: tuple[str, str],
    group_period: str | None,
) -> Benchmark:
    basket, balance = method
    cat = _catalogue(path, file_stamp)
    return benchmark_for(
        cat, group_id, focus_for_group, scaled=scaled, basket=basket, balance=balance, period=group_period
    )


def benchmark(selection: Selection) -> Benchmark:
    """Return the engine's results for the selected group, basket and balance (cached per choice)."""
    # Only neighbour lists depend on the focus authority; other groups share one cache entry.
    # The focus authority is placed in or beside its group (service.benchmark.comparator_group): part of the key.
    return _benchmark(*_key(selection))


@st.cache_resource(show_spinner="Ranking the focus authority with the group ...", max_entries=4)
def _ranked_with_focus(
    path: str,
    file_stamp: float,
    group_id: str,
    focus: str,
    scaled: bool,
    method: tuple[str, str],
    group_period: str | None,
) -> Benchmark:
    basket, balance = method
    cat = _catalogue(path, file_stamp)
    return benchmark_with_focus_ranked(
        cat, group_id, focus, scaled=scaled, basket=basket, balance=balance, period=group_period
    )


def benchmark_with_focus(selection: Selection) -> Benchmark:
    """Return the engine's results with the focus ranked as a member (the group's own when it is one)."""
    return _ranked_with_focus(*_key(selection)) if selection.beside_note else benchmark(selection)


@st.cache_resource(show_spinner=False, max_entries=64)
def _overview(
    path: str,
    file_stamp: float,
    group_id: str,
    focus: str,
    scaled: bool,
    method: tuple[str, str],
    group_period: str | None,
    period: str,
) -> Overview:
    cat = _catalogue(path, file_stamp)
    return overview(cat, _benchmark(path, file_stamp, group_id, focus, scaled, method, group_period), period, focus)


def overview_figures(selection: Selection) -> Overview:
    """Return the Overview's headline figures for the selection (cached; treat as read-only)."""
    return _overview(*_key(selection), selection.period)


@st.cache_resource(show_spinner="Preparing the briefing ...", max_entries=8)
def _briefing(
    path: str, file_stamp: float, group_id: str, focus_for_group: str | None, method: tuple[str, str], period: str
):
    from benchmarking.briefing.pack import build_briefing

    cat = _catalogue(path, file_stamp)
    bench = _benchmark(path, file_stamp, group_id, focus_for_group, False, method, _group_period(group_id, period))
    return build_briefing(cat, bench, period, focus_for_group)


def group_counts(selection: Selection) -> GroupSize:
    """Return the selected group's counts in the selected period (members, existing then, with figures),
    once per selection (``service.group_size``: the one rule every group size on screen is worded by)."""
    return memo(
        "group-size", selection_key(selection), lambda: group_size(catalogue(), benchmark(selection), selection.period)
    )


def briefing(selection: Selection):
    """Return the Cabinet briefing for the selection, over its basket and balance (cached; treat as read-only)."""
    return _briefing(db_path(), stamp(), selection.group_id, selection.focus, _method(selection), selection.period)


def briefing_file(selection: Selection, kind: str) -> bytes:
    """Return the briefing as 'pptx' or 'pdf' bytes (built on demand, when the user clicks)."""
    from benchmarking.briefing.pack import chart_images

    built = briefing(selection)
    images = chart_images(built)
    if kind == "pptx":
        from benchmarking.briefing.pptx import to_pptx

        return to_pptx(built, images)
    from benchmarking.briefing.pdf import to_pdf

    return to_pdf(built, images)


def benchmark_key(selection: Selection) -> tuple:
    """Return the key the selection's benchmark is cached under: store version, group, focus, scaling,
    basket and balance (every period)."""
    return _key(selection)


def selection_key(selection: Selection) -> tuple:
    """Return the key every per-selection result is cached under: store version, group, focus,
    scaling, basket, balance and period."""
    return (*_key(selection), selection.period)


MEMO_ENTRIES = 512
"""Results kept for every page together. A walk through every page for two groups and three periods on the
demo store keeps 172 (measured: one entry per page result, selection and store version); the rest leaves
room for the pages' own choices (themes, axes, indicators) before the oldest is dropped."""


@st.cache_resource(show_spinner=False, max_entries=MEMO_ENTRIES)
def _memo(name: str, key: tuple, _compute: Callable[[], T]) -> T:
    return _compute()


def memo(name: str, key: tuple, compute: Callable[[], T]) -> T:
    """Return ``compute()``, computed once per ``name`` and ``key`` (include ``selection_key``, so an
    import, another basket or period computes afresh) and reused on every rerun (treat as read-only)."""
    return _memo(name, key, compute)


def warm_default_selection() -> None:
    """Start computing the default selection's Overview figures in the background, once per store version and
    server (a running server only, not AppTest), so that no later visitor waits for them. The whole briefing is
    not warmed: only the PPTX/PDF downloads build it, on a click (the Presentation page builds one slide)."""
    served = Runtime.exists() and type(Runtime.instance()) is Runtime  # AppTest's runtime is a MagicMock
    if served:
        _warming(db_path(), stamp())


@st.cache_resource(show_spinner=False, max_entries=4)
def _warming(path: str, file_stamp: float) -> threading.Thread:
    thread = threading.Thread(target=_warm, args=(path, file_stamp), name="warm-default-selection", daemon=True)
    thread.start()
    return thread


def _warm(path: str, file_stamp: float) -> None:
    """Compute the default selection's cached results (group 'all', the store's focus and period)."""
    try:
        cat = _catalogue(path, file_stamp)
        if not cat.period_labels:
            return
        focus, period = cat.default_focus(), cat.default_period or cat.period_labels[-1]
        method = (ALL_PUBLISHED, INDICATORS)
        _overview(path, file_stamp, "all", focus, False, method, None, period)
    except BenchmarkingError:  # a busy or damaged store: the pages say so when they read it
        return
