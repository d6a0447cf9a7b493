"""What an import would do, as the preview reports it: the counts per file, the problems, the coverage.

``preview.preview_import`` fills a ``Preview``; the Data import page and ``import --dry-run`` draw it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from benchmarking.errors import ValidationIssue
from benchmarking.ingest.results import CheckedBatch, Rejected
from benchmarking.ingest.vintage_periods import VintagePeriod, vintage_frame, vintage_periods
from benchmarking.ingest.vintage_shift import VintageShift
from benchmarking.text.formatting import counted

FIRST_ISSUES = 50
"""How many problems a preview lists (the count says how many there are in all)."""
VINTAGE_WARNING = (
    "These ranks would rest on fewer authorities: each indicator is ranked, in each reporting period, on the figures "
    "of one published period, so the file's figures would replace the figures ranked now, and where they are carried "
    "forward into a period the indicator is not ranked in now, they would be the only ones ranked there. Import the "
    "other authorities' figures for that period too (now or in a later file), or go ahead if that is what you mean."
)
"""What the preview says above the changed vintages (``Preview.vintage_periods``)."""


SUMMARY_COLUMNS = (
    *("file", "table", "rows", "added", "no figure", "replaced", "unchanged", "rejected", "columns changed"),
    *("file rows", "rejected file rows"),
)
"""The preview's summary: one row per file and table. ``rows`` counts the checked rows (a wide file's figures: one
per period or indicator column), as ``added``, ``replaced``, ``unchanged``, ``rejected`` and the counts in ``columns
changed`` do; ``file rows`` and ``rejected file rows`` count the file's rows. ``added`` counts the rows with a
figure, ``no figure`` the other rows to add (an empty or marker cell where nothing is stored: stored as missing,
never ranked)."""
WIDE_SUMMARY_WORDS = {"rows": "figures", "rejected": "rejected figures"}
"""A wide file's summary headers that would call its figures rows (``Preview.summary_table``)."""
_WIDE_ORDER = (
    *("file", "table", "file rows", "figures", "added", "no figure", "replaced", "unchanged"),
    *("rejected file rows", "rejected figures", "columns changed"),
)


def columns_changed(planned, unit: str = "row") -> str:
    """Return the columns a commit would change in stored rows, and those it keeps, in words: "value (6 rows)", or
    with ``unit`` "figure" (a wide file's rows hold several) "value (6 figures)"."""
    if not planned.count("replaced"):
        return ""
    parts = [f"{column} ({counted(rows, unit)})" for column, rows in planned.changed.items()]
    kept = f"; keeps {', '.join(planned.kept)}" if planned.kept else ""
    return ", ".join(parts) + kept


class _Total:
    """A count of the preview: a summary column's total over the files' rows, or with ``labels`` over the period
    labels the import adds (counted apart from the files' rows)."""

    def __init__(self, column: str, doc: str, labels: bool = False):
        self.column, self.labels, self.__doc__ = column, labels, doc

    def __get__(self, preview: Preview | None, owner: type | None = None) -> int | _Total:
        if preview is None:  # read on the class: the descriptor itself (its docstring)
            return self
        summary = preview.summary
        if not len(summary):
            return 0
        return int(summary.loc[(summary["table"] == "period") == self.labels, self.column].sum())


@dataclass
class Preview:
    """What an import would do, computed without writing anything."""

    summary: pd.DataFrame
    """One row per file and table: rows, added, replaced, unchanged, rejected, and the columns changed
    (stored rows keep their values in the columns the file lacks). Computed by ``writes.plan``, as the
    commit writes."""
    issues: list[ValidationIssue]
    blocking: bool
    """A problem with a whole file: nothing can be imported until it is fixed."""
    unresolved: dict[str, list[str]] = field(default_factory=dict)
    """File -> authority names or codes that match no authority in the store or the import."""
    themes: pd.DataFrame = field(default_factory=pd.DataFrame)
    """Per theme, in the periods the import touches: indicators and values before and after."""
    authorities: pd.DataFrame = field(default_factory=pd.DataFrame)
    """Per table and period (or edition): authorities with data before and after, and who is missing."""
    checked: CheckedBatch | None = None
    """The checks as the preview made them, with the items they checked (``commit`` reuses them)."""
    items: list[tuple[str, pd.DataFrame, str]] = field(default_factory=list)
    notes: tuple[str, ...] = ()
    """How the files were read, in words, fixed when the preview is built: the columns no field takes, themes stored
    in the stored spelling and new themes, the workbook cells formatted as percentages read as they show."""
    changes: pd.DataFrame = field(default_factory=pd.DataFrame)
    """The first stored rows the import replaces, one line per column that changes, indexed by the row: which row,
    stored and new value (``changes.changes_frame``)."""
    vintage_shifts: list[VintageShift] = field(default_factory=list)
    """The indicators and reporting periods whose ranks would rest on another published period, on fewer
    authorities (``vintage_shift.vintage_shifts``)."""

    rows = _Total("rows", "How many rows were read from the files, over every file.")
    rejected = _Total("rejected", "How many rows failed a check, over every file.")
    added = _Total("added", "How many rows with a figure would be added, over every file (``no_figure`` the others).")
    no_figure = _Total(
        "no figure", "How many rows to add hold no figure (stored as missing), over every file; not among ``added``."
    )
    replaced = _Total("replaced", "How many rows would replace stored rows, over every file.")
    unchanged = _Total("unchanged", "How many rows are already stored with the same values, over every file.")
    new_periods = _Total("added", "How many period labels the import adds to the period table.", labels=True)

    @property
    def counts(self) -> str:
        """Return what the counts count, in words: "figures" when a file is wide (a row holds several), else
        "rows"."""
        return f"{self.refused.unit}s"

    def changes_title(self) -> str:
        """Return what the listing of replaced values is of: "Stored rows this import replaces", or "Stored figures
        ..." for a wide file (each listed line is one stored figure, never a row of the file)."""
        return f"Stored {self.counts} this import replaces"

    def summary_table(self) -> pd.DataFrame:
        """Return the summary as the page and the dry run show it: for a wide file the file rows beside the figures
        ("figures", "rejected figures" where the summary says rows); else one row per figure, as ``summary``
        without the file-row columns."""
        if not self.refused.wide:
            return self.summary.drop(columns=["file rows", "rejected file rows"], errors="ignore")
        return self.summary.rename(columns=WIDE_SUMMARY_WORDS)[[*_WIDE_ORDER]]

    @property
    def changes_more(self) -> int:
        """Return how many more rows are replaced than ``changes`` lists (a row listed once per column it changes)."""
        return self.replaced - self.changes.index.nunique()

    def no_figure_note(self) -> str:
        """Return what the preview says of the rows with no figure, or for a wide file the cells ('' when there are
        none)."""
        if not self.no_figure:
            return ""
        if self.refused.wide:  # a row holds several cells: the cells are counted, as the figures to add are
            have = "cell has" if self.no_figure == 1 else "cells have"
            return (
                f"{self.no_figure:,} {have} no figure (empty, or a marker such as '..', '[x]' or 'c') where the store "
                "holds none: they are stored as missing, as published, and never ranked; they are not among the "
                "figures to add."
            )
        have = "row has" if self.no_figure == 1 else "rows have"
        return (
            f"{self.no_figure:,} {have} no figure (an empty cell, or a marker such as '..', '[x]' or 'c') where "
            "the store holds none: they are stored as missing, as published, and never ranked; they are not among "
            "the rows to add."
        )

    @cached_property
    def vintage_periods(self) -> list[VintagePeriod]:
        """Return the changed vintages as the warning says them: one line per reporting period and kind, each with
        its indicators (none when no vintage changes so)."""
        return vintage_periods(self.vintage_shifts)

    def vintage_frame(self) -> pd.DataFrame:
        """Return every indicator and period whose vintage changes so, one row each, with the indicator's name."""
        return vintage_frame(self.vintage_shifts)

    @property
    def can_commit(self) -> bool:
        """True when some rows can be written (all of them, or the accepted ones if rejected are skipped)."""
        return not self.blocking and self.rows > self.rejected

    @cached_property
    def refused(self) -> Rejected:
        """Return what the checks reject, counted as the files' rows and, for a wide file, its figures: what the
        metric, the problem count and the 'leave out' choice all say (``Rejected``)."""
        if self.checked is not None:
            return self.checked.refused()
        return Rejected(self.rejected, self.rejected, self.rows, self.rows)

    def problem_count(self) -> str:
        """Return how many of the files' rows the problems refuse, of how many, and how many problems are listed
        ("37 of 37 rows refused (11 problem(s) listed)": a check lists its first rows and counts the others in one
        line); a wide file's row holds several figures, so those are counted too ("37 of 37 file rows (74 of 74
        figures) refused")."""
        listed = f"{len(self.issues):,} problem(s)"
        if self.blocking:
            return f"{listed}, at least one with a whole file: no row can be written"
        return f"{self.refused.of_total()} refused ({listed} listed)"

    def issues_frame(self, limit: int = FIRST_ISSUES) -> pd.DataFrame:
        """Return the first problems as a table: file, row, column, message."""
        return issues_frame(self.issues, limit)


def issues_frame(issues: list[ValidationIssue], limit: int = FIRST_ISSUES) -> pd.DataFrame:
    """Return problems as a table (file, row, column, message), the first ``limit`` of them."""
    return pd.DataFrame(
        [(i.file, i.row, i.column, i.message) for i in issues[:limit]],
        columns=["file", "row", "column", "message"],
    ).astype({"row": "Int64"})
