"""The project's own exceptions; pages turn them into ``st.error`` messages."""

from __future__ import annotations

from dataclasses import dataclass


class BenchmarkingError(Exception):
    """Base class for every error this package raises on purpose."""


class UnknownAuthorityError(BenchmarkingError):
    """An authority code or name that the store does not hold."""


class UnknownIndicatorError(BenchmarkingError):
    """An indicator id that the store does not hold."""


class BadPolarityError(BenchmarkingError):
    """A polarity other than the ones the method knows."""


class BadPeriodError(BenchmarkingError):
    """A period label that cannot be read as a date, or lies in the future."""


class StoreBusyError(BenchmarkingError):
    """The store file is locked by another process for longer than we waited."""


class StoreMissingError(BenchmarkingError):
    """The store file does not exist or holds no tables."""


@dataclass(frozen=True)
class ValidationIssue:
    """One problem found in an input file, located by file, row and column."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


class ImportValidationError(BenchmarkingError):
    """An import was refused; ``issues`` lists every problem found (the store is unchanged)."""

    def __init__(self, issues: list[ValidationIssue], limit: int = 20):
        self.issues = list(issues)
        shown = "\n".join(f"  - {issue}" for issue in self.issues[:limit])
        more = len(self.issues) - limit
        tail = f"\n  ... and {more} more" if more > 0 else ""
        super().__init__(f"Import refused, nothing was written: {len(self.issues)} problem(s) found\n{shown}{tail}")


# Errors of the ranking engine (ranking, positions, context, travel): the frames handed in
# are wrong in shape, not in content the store could have caught.


class MissingColumnsError(BenchmarkingError):
    """A frame handed to the ranking engine lacks columns that the calculation needs."""


class DuplicateKeyError(BenchmarkingError):
    """A frame holds more than one row for a key that must be unique (e.g. one indicator id)."""


class EmptyGroupError(BenchmarkingError):
    """A comparator group with no authority codes in it."""


class UnknownThemeError(BenchmarkingError):
    """A theme name that no indicator in the catalogue carries (nor 'Overall' / 'LA Core')."""


class UnknownComparatorError(BenchmarkingError):
    """A context comparator other than 'spend', 'deprivation' or 'funding'."""
