"""The catalogues' rules (indicator and authority tables): themes in the stored spelling.

A theme is matched to a stored one ignoring case, spaces and '&'/'and' (``theme_key``) and stored in the stored
spelling, so a file's 'Transport and highways' never makes a theme beside 'Transport & Highways'; the preview says
so, and names a theme no stored indicator has ("new theme: ...", ``theme_notes``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import duckdb
import pandas as pd

from benchmarking.cells import distinct_cells
from benchmarking.ingest.results import CheckedRows
from benchmarking.ingest.rules import RowChecker, as_bool

THEME_TABLES = {"indicator": "theme", "theme_service": "theme"}
"""The tables whose rows name a theme, and the column that does."""
_SHOWN_ROWS = 5


@dataclass(frozen=True)
class StoredCatalogue:
    """What the catalogue checks read from the store: its themes."""

    themes: tuple[str, ...] = ()
    """Every stored theme's spelling (indicators' themes, most indicators first, then the theme list's)."""
    used: frozenset[str] = frozenset()
    """The themes a stored indicator has (a theme outside them is new to the pages)."""

    def with_themes(self, themes: Iterable[object]) -> StoredCatalogue:
        """Return the catalogue with ``themes`` (an import's own indicators') counted as stored and used."""
        given = [t for t in themes if isinstance(t, str)]
        return replace(self, themes=(*self.themes, *given), used=self.used | set(given))


def stored_catalogue(con: duckdb.DuckDBPyConnection) -> StoredCatalogue:
    """Return the stored themes (indicators' and the theme list's)."""
    counted = con.execute(
        "SELECT theme, count(*) AS n FROM indicator GROUP BY theme "
        "UNION ALL SELECT theme, 0 FROM theme_service ORDER BY n DESC, theme"
    ).fetchall()
    return StoredCatalogue(tuple(theme for theme, _ in counted), frozenset(theme for theme, n in counted if n))


def theme_key(theme: object) -> str:
    """Return what a theme is matched on: case, spaces and '&' or 'and' aside ('Transport and highways' is
    'Transport & Highways')."""
    return re.sub(r"\s+", "", str(theme).casefold().replace("&", "and"))


def canonical_themes(cells: pd.Series, stored: Sequence[str]) -> pd.Series:
    """Return theme cells in the spelling of the stored theme each matches (``theme_key``), a new theme in the
    spelling of its first row (one new theme is one theme, however the file spells it); empty cells stay empty."""
    spelling: dict[str, str] = {}
    for theme in [*stored, *distinct_cells(cells.dropna())]:  # stored first; distinct cells in the file's order
        spelling.setdefault(theme_key(theme), theme)
    return cells.map(lambda cell: spelling[theme_key(cell)] if isinstance(cell, str) else cell)


def check_catalogue(table: str, out: pd.DataFrame, catalogue: StoredCatalogue) -> None:
    """Apply the catalogues' rules to checked rows in place: themes in the stored spelling (``canonical_themes``)
    (returns None)."""
    if THEME_TABLES.get(table) in out:
        out["theme"] = canonical_themes(out["theme"], catalogue.themes)


def theme_notes(
    file_name: str, frame: pd.DataFrame, outcome: CheckedRows, table: str, catalogue: StoredCatalogue
) -> list[str]:
    """Return the preview's notes on a file's themes: each stored in another spelling than the file's (with its
    rows), and, for indicators, each new theme (no stored indicator has it) with its rows; the accepted rows only."""
    column = THEME_TABLES.get(table)
    if outcome.blocking or column not in frame or column not in outcome.rows:
        return []
    given = frame[column].astype("string").str.strip().reset_index(drop=True)
    stored = outcome.rows[column]
    rows = pd.Series(RowChecker(file_name, frame).rows)
    accepted = ~outcome.rejected & stored.notna().to_numpy()
    notes = []
    respelt = accepted & as_bool(given.ne(stored))
    for (cell, theme), group in rows[respelt].groupby([given[respelt], stored[respelt]], sort=False):
        notes.append(
            f"{file_name}: theme {cell!r} ({_rows(group)}) is stored as {theme!r}: the same theme, spelt as the "
            "store spells it (case, spaces and '&' or 'and' aside)"
        )
    if table == "indicator":
        new = accepted & ~stored.isin(list(catalogue.used)).to_numpy()
        known = ", ".join(repr(t) for t in sorted(catalogue.used)[:20])
        for theme, group in rows[new].groupby(stored[new], sort=False):
            notes.append(
                f"{file_name}: new theme: {theme!r} ({_rows(group)}): no stored indicator has it, so the pages will "
                f"show it as a theme of its own; check its spelling before committing"
                + (f" (the stored themes are {known})" if known else "")
            )
    return notes


def _rows(rows: pd.Series) -> str:
    """Return a few file rows in words: 'row 3', 'rows 3, 4 and 2 more'."""
    shown = ", ".join(str(r) for r in rows.iloc[:_SHOWN_ROWS])
    more = f" and {len(rows) - _SHOWN_ROWS} more" if len(rows) > _SHOWN_ROWS else ""
    return f"row{'s' if len(rows) > 1 else ''} {shown}{more}"
