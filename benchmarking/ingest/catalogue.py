"""The catalogues' rules (indicator and authority tables): themes in the stored spelling, updates of some columns.

A theme is matched to a stored one ignoring case, spaces and '&'/'and' (``theme_key``) and stored in the stored
spelling, so a file's 'Transport and highways' never makes a theme beside 'Transport & Highways'; the preview says
so, and names a theme no stored indicator has ("new theme: ...", ``theme_notes``). A catalogue file whose keys are
stored may give only some columns: those are updated, the others keep their stored values (``store.writes.upsert``);
a row whose key is new needs every required column (``check_new_keys``). A target polarity needs a midpoint, given
in the file or stored (``check_target_midpoints``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

import duckdb
import numpy as np
import pandas as pd

from benchmarking.cells import distinct_cells
from benchmarking.ingest.headers import required_fields
from benchmarking.ingest.keys import one_edit_away
from benchmarking.ingest.layouts import CATALOGUES
from benchmarking.ingest.results import CheckedRows
from benchmarking.ingest.rules import RowChecker, as_bool

THEME_TABLES = {"indicator": "theme", "theme_service": "theme"}
"""The tables whose rows name a theme, and the column that does."""
_SHOWN_ROWS = 5


@dataclass(frozen=True)
class StoredCatalogue:
    """What the catalogue checks read from the store: its themes and the indicators' target midpoints."""

    themes: tuple[str, ...] = ()
    """Every stored theme's spelling (indicators' themes, most indicators first, then the theme list's)."""
    used: frozenset[str] = frozenset()
    """The themes a stored indicator has (a theme outside them is new to the pages)."""
    targets: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["polarity", "target_midpoint"]))
    """Indexed by id, the stored indicators with a target polarity or a midpoint (any other is neither)."""

    def with_themes(self, themes: Iterable[object]) -> StoredCatalogue:
        """Return the catalogue with ``themes`` (an import's own indicators') counted as stored and used."""
        given = [t for t in themes if isinstance(t, str)]
        return replace(self, themes=(*self.themes, *given), used=self.used | set(given))


def stored_catalogue(con: duckdb.DuckDBPyConnection) -> StoredCatalogue:
    """Return the stored themes (indicators' and the theme list's) and the indicators' target midpoints."""
    counted = con.execute(
        "SELECT theme, count(*) AS n FROM indicator GROUP BY theme "
        "UNION ALL SELECT theme, 0 FROM theme_service ORDER BY n DESC, theme"
    ).fetchall()
    targets = con.execute(
        "SELECT id, polarity, target_midpoint FROM indicator WHERE polarity = 'target' OR target_midpoint IS NOT NULL"
    ).df()
    return StoredCatalogue(
        tuple(theme for theme, _ in counted),
        frozenset(theme for theme, n in counted if n),
        targets.set_index("id"),
    )


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


def check_catalogue(
    table: str, out: pd.DataFrame, check: RowChecker, catalogue: StoredCatalogue, known: set[str], columns: list[str]
) -> None:
    """Apply the catalogues' rules to checked rows in place: themes in the stored spelling (``canonical_themes``), a
    target polarity's midpoint (``check_target_midpoints``), and a new key's columns in a file of some columns
    (``check_new_keys``: ``known`` are the keys stored, ``columns`` the file's) (returns None)."""
    if THEME_TABLES.get(table) in out:
        out["theme"] = canonical_themes(out["theme"], catalogue.themes)
    if table == "indicator":
        check_target_midpoints(out, check, catalogue)
    check_new_keys(table, out, check, known, columns)


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


def check_new_keys(table: str, out: pd.DataFrame, check: RowChecker, known: set[str], columns: Iterable[str]) -> None:
    """Flag the rows of a catalogue file of some columns whose key is not stored: a new authority or indicator
    needs every required column, and the message names those the file lacks and a stored key one edit away
    (returns None)."""
    if table not in CATALOGUES:
        return
    key, what = CATALOGUES[table][0], table
    present = set(columns)
    lacking = [c for c in required_fields(table) if c not in present]
    if not lacking or key not in out:
        return

    def message(cell: object) -> str:
        near = one_edit_away(cell, known)
        meant = f"; did you mean {' or '.join(near[:3])}?" if near else ""
        return (
            f"new {what} {cell!r}: not in the store, and a new {what} needs {', '.join(lacking)}, which the file "
            f"does not give (a file of some columns updates stored {what} rows only): add the column(s), or correct "
            f"the {key}{meant}"
        )

    codes = out[key]
    check.flag(codes.notna().to_numpy() & ~codes.isin(list(known)).to_numpy(), key, message)


def check_target_midpoints(out: pd.DataFrame, check: RowChecker, catalogue: StoredCatalogue) -> None:
    """Flag indicator rows whose polarity is 'target' with no midpoint: the file's polarity (else the stored one)
    with the file's midpoint (else the stored one) (returns None)."""
    if "polarity" not in out and "target_midpoint" not in out:
        return
    stored = catalogue.targets.reindex(out["id"]) if "id" in out else catalogue.targets.iloc[0:0]
    polarity = out["polarity"] if "polarity" in out else pd.Series(stored["polarity"].to_numpy(), index=out.index)
    if "target_midpoint" in out:
        midpoint = out["target_midpoint"]
    else:
        midpoint = pd.Series(stored["target_midpoint"].to_numpy(dtype="float64"), index=out.index)
    no_midpoint = polarity.eq("target").to_numpy() & np.isnan(midpoint.to_numpy(dtype="float64"))
    column = "polarity" if "polarity" in out else "target_midpoint"  # a stored target's midpoint left empty
    check.flag(no_midpoint, column, "polarity 'target' needs a target_midpoint")
