"""Built once per kept object: what a page draws from a table or chart it keeps (``_cache.memo``) is worked
out the first time and reused on every rerun, keyed by the object's identity (a kept object is the same
object on every rerun while its selection's cache entry lives; an import or another selection computes
new objects). Each entry holds its object, so an id is never reused while the entry exists.

* ``per_object``: a value derived from the object (a table in words, a Styler, a chart's screen spec);
* ``element``: the element drawn from it (a data grid, an HTML table, a chart). The first time it is
  turned into its message; later runs send the same message again (Streamlit's replay of the elements a
  cached function drew) instead of converting the frame, the styled cells or the spec on every rerun,
  which was most of a warm rerun's time on the pages with large tables. Only elements, never widgets.
"""

from __future__ import annotations

import contextlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

import streamlit as st

T = TypeVar("T")

_KEPT: OrderedDict[tuple, tuple[object, object]] = OrderedDict()
_KEPT_LOCK = threading.Lock()
KEPT_ENTRIES = 512


def per_object(name: str, held: object, options: tuple, build: Callable[[], T]) -> T:
    """Return ``build()``, built once per ``name``, object ``held`` (by identity) and ``options``."""
    key = (name, id(held), options)
    with _KEPT_LOCK:
        kept = _KEPT.get(key)
        if kept is not None and kept[0] is held:  # the object is held here, so its id is not reused
            _KEPT.move_to_end(key)
            return kept[1]  # type: ignore[return-value]
    value = build()
    with _KEPT_LOCK:
        _KEPT[key] = (held, value)
        while len(_KEPT) > KEPT_ENTRIES:
            _KEPT.popitem(last=False)
    return value


@st.cache_resource(show_spinner=False, max_entries=512)
def _replayed(kind: str, key: tuple, _draw: Callable[[], None], _held: object) -> object:
    _draw()
    return _held


def element(kind: str, held: object, where=st, **kwargs) -> None:
    """Draw ``st.<kind>(held, **kwargs)`` in ``where`` (the page, a column or a container): built once per
    object and options, then replayed. Returns None."""
    with contextlib.nullcontext() if where is st else where:
        _replayed(kind, (id(held), repr(sorted(kwargs.items()))), lambda: getattr(st, kind)(held, **kwargs), held)
