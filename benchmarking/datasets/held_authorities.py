"""The one rule for what a published source may do to the store's authorities when it is imported.

An import of a published source (``import-source``, the Data import page) never changes an authority the
store holds: another publisher's name and kind for it (Oflog's "Buckinghamshire", kind ``unitary``) are left
out, and the store's stay. Authorities the store lacks are added only when asked (``--add-authorities``, the
page's checkbox); otherwise the source's rows about them are left out and counted. ``build-public`` builds
a store from nothing and does not go through this rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from benchmarking.errors import BenchmarkingError
from benchmarking.method.membership import Loaded
from benchmarking.text.formatting import counted, sentence_case

AUTHORITY_COLUMNS = ("authority_code", "member_code")
"""Columns of the import tables that name an authority by code."""
ANY_AUTHORITY = "*"
"""A code that stands for any authority (a family group's or a note's), never left out."""


@dataclass(frozen=True)
class HeldAuthorities:
    """A source's items kept to the store's authorities, and what was left out."""

    loaded: Loaded
    kept: int
    """Authorities the source names that the store holds: their stored names and kinds kept."""
    added: int
    """Authorities the store lacks that the import adds (``--add-authorities``)."""
    left_out_rows: int
    """Rows about authorities the store neither holds nor adds."""
    left_out_authorities: int

    def words(self) -> str:
        """Return what the rule did, in a sentence ('' when it did nothing)."""
        parts = []
        if self.kept:
            parts.append(f"the store's names and kinds of {counted(self.kept, 'authority', 'authorities')} kept")
        if self.added:
            parts.append(f"{counted(self.added, 'authority', 'authorities')} added")
        if self.left_out_rows:
            about = counted(self.left_out_authorities, "authority", "authorities")
            parts.append(
                f"{counted(self.left_out_rows, 'row')} about {about} the store does not hold left out "
                "(--add-authorities adds them)"
            )
        return sentence_case("; ".join(parts))


def keep_to_store(loaded: Loaded, known_codes: Iterable[str], add_authorities: bool, source: str) -> HeldAuthorities:
    """Return ``loaded`` with no authority row for a code the store holds (``known_codes``) and, unless
    ``add_authorities``, no row about an authority it lacks; BenchmarkingError when no row about one is left."""
    known = set(known_codes)
    offered = set().union(*(set(frame["code"]) for table, frame, _ in loaded.items if table == "authority"))
    new = offered - known if add_authorities else set()
    allowed = known | new | {ANY_AUTHORITY}
    items, left_out, kept_rows, outside = [], 0, 0, set()
    for table, frame, file_name in loaded.items:
        if table == "authority":
            frame = frame[frame["code"].isin(new)].reset_index(drop=True)
        else:
            keep = pd.Series(True, index=frame.index)
            for column in (c for c in AUTHORITY_COLUMNS if c in frame.columns):
                keep &= frame[column].isin(allowed)
                outside |= set(frame.loc[~frame[column].isin(allowed), column].dropna())
            left_out += int((~keep).sum())
            kept_rows += int(keep.sum()) if any(c in frame.columns for c in AUTHORITY_COLUMNS) else 0
            frame = frame[keep].reset_index(drop=True)
        if len(frame):
            items.append((table, frame, file_name))
    if left_out and not kept_rows and not new:
        raise BenchmarkingError(
            f"none of the authorities in {source} is in the store, so nothing would be imported: add them with "
            "--add-authorities (the Data import page: 'Add the authorities the store lacks')"
        )
    return HeldAuthorities(loaded._replace(items=items), len(offered & known), len(new), left_out, len(outside))
