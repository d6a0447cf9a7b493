"""What the ingest layer hands around: the outcome of checks and imports, and the locator columns.

Frames that were reshaped on the way in (``mapping.apply_mapping``) carry where each
row came from in three kinds of locator columns, which the checks use for their messages
and which are never written: ``FILE_ROW`` (the row in the file),
``FILE_COLUMN + field`` (the file's column that gave the field, per row) and
``FILE_PERCENT + field`` (the workbook cell that gave the field was formatted as a percentage).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from benchmarking.errors import ValidationIssue
from benchmarking.text.formatting import counted

FILE_ROW = "_file_row"
"""Locator column: the row of the file (header = row 1) that a reshaped row came from."""
FILE_COLUMN = "_file_column:"
"""Prefix of locator columns: ``FILE_COLUMN + field`` names the file's column per row."""
FILE_PERCENT = "_file_percent:"
"""Prefix of locator columns: ``FILE_PERCENT + field`` is True where the workbook cell that gave the field was
formatted as a percentage and read as the number it shows (``percent_cells``); present only when one was."""


def file_rows(frame: pd.DataFrame) -> np.ndarray:
    """Return each row's row in its file (header = row 1): ``FILE_ROW`` when the frame carries it (a wide file's row
    gives a row per period or indicator column, and blank rows are skipped), else position + 2."""
    if FILE_ROW in frame.columns:
        return frame[FILE_ROW].to_numpy(dtype=np.int64)
    return np.arange(len(frame), dtype=np.int64) + 2


@dataclass(frozen=True)
class MoreRows(ValidationIssue):
    """A check's line that says how many more rows have the problem it listed: listed after ``after``, the last row
    the check listed (``in_file_order``)."""

    after: int = 0


def in_file_order(
    issues: list[ValidationIssue], files: Sequence[str], headers: Mapping[str, Sequence[object]]
) -> list[ValidationIssue]:
    """Return ``issues`` as a user reads the files: file by file (in the order of ``files``; a problem naming several
    files last), each file's problems with the whole file first, then by row and, within a row, by the column's place
    in its header (``headers``: file -> its columns; a column it lacks after those it has). A ``MoreRows`` line comes
    after every problem of the last row its check listed. Sorted, never dropped: the first problems shown are the
    first rows."""
    rank = {name: n for n, name in enumerate(dict.fromkeys(files))}
    places = {name: {str(c).strip(): n for n, c in enumerate(header)} for name, header in headers.items()}

    def key(issue: ValidationIssue) -> tuple[int, ...]:
        place = places.get(issue.file, {})
        row = issue.after if isinstance(issue, MoreRows) else issue.row
        if row is None:  # a problem with the whole file: first, in the order found
            return (rank.get(issue.file, len(rank)), 0, 0, 0, 0)
        column = place.get(str(issue.column).strip(), len(place))
        return (rank.get(issue.file, len(rank)), 1, row, int(isinstance(issue, MoreRows)), column)

    return sorted(issues, key=key)


def no_figure_text(rows: int) -> str:
    """Return how to say that ``rows`` rows hold no figure, as the preview and the import's result say it."""
    return f"{rows:,} with no figure (stored as missing, never ranked)"


@dataclass(frozen=True)
class Rejected:
    """The rejected part of an import, counted as the files' rows and as their figures: a long file's row is one
    figure, a wide file's row one per period or indicator column (a bad cell refuses its figure alone, an unknown
    authority every figure of its row). Every place that counts what is rejected words it from here."""

    rows: int = 0
    """The files' rows holding a refused figure."""
    figures: int = 0
    """The refused figures (checked rows), the figures leaving the rejected out leaves out."""
    total_rows: int = 0
    total_figures: int = 0
    others: int = 0
    """The figures of the rejected rows that pass every check: leaving the rejected out imports them."""

    @property
    def wide(self) -> bool:
        """True when the files' rows are not their figures (a wide file's row holds several)."""
        return self.total_rows != self.total_figures

    @property
    def unit(self) -> str:
        """Return what the import's counts of checked rows count: "figure" when the files are wide (a row holds
        several), else "row", as a long file's row is one figure."""
        return "figure" if self.wide else "row"

    def read_text(self) -> str:
        """Return how much was read, as the import's result ends its counts ("1 unchanged of 5 read"): "5 read", or
        for a wide file "15 figures read from 5 file rows"."""
        if not self.wide:
            return f"{self.total_figures:,} read"
        return f"{counted(self.total_figures, 'figure')} read from {counted(self.total_rows, 'file row')}"

    def words(self) -> str:
        """Return what is rejected: "3 file rows (7 figures)", or "3 rows" where a row is a figure."""
        if not self.wide:
            return counted(self.rows, "row")
        return f"{counted(self.rows, 'file row')} ({counted(self.figures, 'figure')})"

    def of_total(self) -> str:
        """Return what is rejected of the whole: "3 of 40 file rows (7 of 120 figures)", or "3 of 40 rows"."""
        rows = f"{self.rows:,} of {counted(self.total_rows, 'file row' if self.wide else 'row')}"
        return f"{rows} ({self.figures:,} of {counted(self.total_figures, 'figure')})" if self.wide else rows

    def metric(self) -> tuple[str, str]:
        """Return the preview's metric of what is rejected, label and value: "File rows rejected", "3 (7 figures)",
        or "Rows rejected", "3"."""
        if not self.wide:
            return "Rows rejected", f"{self.rows:,}"
        return "File rows rejected", f"{self.rows:,} ({counted(self.figures, 'figure')})"

    def left_out(self) -> str:
        """Return what leaving the rejected out leaves out: "7 rejected figures (in 3 file rows)", or "3 rejected
        rows" where a row is a figure."""
        if not self.wide:
            return counted(self.rows, "rejected row")
        return f"{counted(self.figures, 'rejected figure')} (in {counted(self.rows, 'file row')})"

    def others_text(self) -> str:
        """Return the figures of the rejected rows that leaving the rejected out imports: "the other 5 figures of
        those rows", "the other figure of those rows" ('' when there are none)."""
        if self.others < 2:
            return "the other figure of those rows" if self.others else ""
        return f"the other {self.others:,} figures of those rows"


@dataclass
class ImportResult:
    """What one import did: rows read, added and replaced per table, and rows left out."""

    file_name: str
    table: str
    rows: int
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    left_out: Rejected = field(default_factory=Rejected)
    """The rows and figures left out because they failed a check (only with ``skip_rejected``; none without), and
    the files' rows and figures read (``Rejected.total_rows``, ``total_figures``)."""
    issues: list[ValidationIssue] = field(default_factory=list)
    """Why those rows were left out."""
    load_id: int | None = None
    """The id of the load written (its row in the load history, which an undo names)."""

    @property
    def rejected(self) -> int:
        """Return how many checked rows (figures) were left out because they failed a check."""
        return self.left_out.figures

    @property
    def unit(self) -> str:
        """Return what the counts count: "figure" for a wide file (a row holds several), else "row"."""
        return self.left_out.unit

    @property
    def added(self) -> int:
        """Return how many rows were added, over every table (new period labels not counted)."""
        return sum(c["added"] for table, c in self.counts.items() if table != "period")

    @property
    def replaced(self) -> int:
        """Return how many stored rows were replaced, over every table (period labels not counted)."""
        return sum(c["replaced"] for table, c in self.counts.items() if table != "period")

    @property
    def no_figure(self) -> int:
        """Return how many of the added rows hold no figure (an empty or marker cell, stored as missing)."""
        return sum(c.get("no_figure", 0) for table, c in self.counts.items() if table != "period")

    @property
    def new_periods(self) -> int:
        """Return how many period labels the import added to the period table."""
        return self.counts.get("period", {}).get("added", 0)


@dataclass
class CheckedRows:
    """One frame after the checks: typed rows, the issues found, and which rows failed."""

    rows: pd.DataFrame
    issues: list[ValidationIssue]
    rejected: np.ndarray
    blocking: bool = False
    """True for a problem with the whole file (no data rows, a missing column): no row is usable."""
    file_rows: np.ndarray | None = None
    """Each row's row in its file (``file_rows``), set by ``validation.check_batch``; None: a row per file row."""

    def file_row_counts(self) -> tuple[int, int]:
        """Return how many of the file's rows were checked and how many hold a refused figure (a wide file's row
        gives a checked row, a figure, per period or indicator column)."""
        rejected = np.asarray(self.rejected, dtype=bool)
        if self.file_rows is None:  # a checked row per file row
            return len(rejected), int(rejected.sum())
        # Counted by hashing: numpy's sorting unique takes seconds on 3 M rows, pandas' hash under 0.1 s.
        refused = len(pd.unique(self.file_rows[rejected])) if rejected.any() else 0
        return len(pd.unique(self.file_rows)), refused

    @property
    def accepted(self) -> pd.DataFrame:
        """Return the rows that passed every check."""
        if self.blocking:
            return self.rows.iloc[0:0]
        return self.rows[~self.rejected].reset_index(drop=True)


@dataclass
class CheckedBatch:
    """Several (table, frame, file) items checked together: the changes to write and what failed."""

    changes: dict[str, pd.DataFrame]
    """Rows that passed, per table (plus the ``period`` rows their labels need)."""
    outcomes: list[tuple[str, str, CheckedRows]]
    """(table, file name, outcome) per item, in the order they were checked."""
    issues: list[ValidationIssue]
    blocking: bool
    """True when a problem concerns a whole file: nothing can be written until it is fixed."""
    version: tuple | None = None
    """The store's version the checks read (``tables.store_version``; None when there was no store):
    a commit of the same items reuses the checks while the store is still at this version."""
    notes: list[str] = field(default_factory=list)
    """What the checks changed that the preview says, in words (a theme stored in the stored spelling, a new
    theme: ``catalogue.theme_notes``)."""

    @property
    def rejected(self) -> int:
        """Return how many rows failed a check."""
        return int(sum(outcome.rejected.sum() for _, _, outcome in self.outcomes))

    @property
    def rows(self) -> int:
        """Return how many rows were checked."""
        return sum(len(outcome.rejected) for _, _, outcome in self.outcomes)

    def refused(self) -> Rejected:
        """Return what the checks reject, counted as the files' rows and their figures: a wide file's row (a checked
        row per period or indicator column) counts once, as the '... N more rows' line counts it."""
        rows = total = others = 0
        for _, _, outcome in self.outcomes:
            checked, refused = outcome.file_row_counts()
            rows, total = rows + refused, total + checked
            rejected = np.asarray(outcome.rejected, dtype=bool)
            if outcome.file_rows is not None and rejected.any():
                refused_rows = pd.unique(outcome.file_rows[rejected])
                others += int((pd.Series(outcome.file_rows).isin(refused_rows).to_numpy() & ~rejected).sum())
        return Rejected(rows, self.rejected, total, self.rows, others)
