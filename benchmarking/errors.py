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


# Errors moved here from the method and the public build, and the ones that replace bare
# ValueErrors (issue 14). BadArgumentError is also a ValueError, as the method raised before.


class UnknownGroupError(BenchmarkingError):
    """A comparator group id that the store does not define."""


class SavedGroupError(BenchmarkingError):
    """A saved comparator group that cannot be found, or cannot be saved as given."""


class TooFewAuthoritiesError(BenchmarkingError):
    """Too few authorities with performance, spend and deprivation to fit the regression."""


class CountyAreasError(BenchmarkingError):
    """``county_areas.csv`` breaks one of its own rules (dates, kinds, overlapping codes)."""


class BuildError(BenchmarkingError):
    """The public build cannot run: the source folder or one of its files is missing or changed."""


class BadArgumentError(BenchmarkingError, ValueError):
    """An argument outside the values a calculation accepts (a level, tolerance, count or share)."""


class BadWeightsError(BadArgumentError):
    """Weights that are negative, not finite, all zero, or not one per indicator."""


class UnknownComparatorError(BadArgumentError):
    """A context comparator other than 'spend', 'deprivation' or 'funding'."""


class UnknownCodeSchemeError(BadArgumentError):
    """A code scheme other than the ones ``county_areas.csv`` holds (gss, dfe, ecode)."""


class ReadOnlyError(BenchmarkingError):
    """A write to the store in a read-only deployment or by a viewer; the message says how to enable editing."""


# Errors of the store's files and writes (issue 15).


class NotAStoreError(BenchmarkingError):
    """A file given as the store that is not a benchmarking store (another DuckDB file, SQLite, text)."""


class StoreDamagedError(BenchmarkingError):
    """A store file that DuckDB cannot read: truncated, or with damaged bytes."""


class StoreWriteError(BenchmarkingError):
    """A write that the file system refused (a folder that cannot be written, a full disk); nothing was written."""


class StaleUndoError(BenchmarkingError):
    """An undo of an import that is no longer the newest one (another import came after it)."""


class PolarityReviewError(BuildError):
    """``data/polarity_review.csv`` breaks its rules (columns, polarity, a duplicate id, an empty
    reason); the message names the file and row."""


class CompendiumMapError(BenchmarkingError):
    """data/compendium_map.csv is malformed or does not match the Compendium's dashboard rows."""


# Errors of the shipped extract (issue 16).


class ExtractError(BenchmarkingError):
    """An extract of the county-area store that cannot be written or used (missing, incomplete or changed files)."""


# Errors of indicator baskets (issue 17).


class BasketError(BenchmarkingError, ValueError):
    """A basket that cannot be found, saved, renamed or deleted ('All published' is never stored)."""


# Errors of the Presentation deck (issue 18).


class SlideNotFoundError(BenchmarkingError, ValueError):
    """A slide number (from a link's ``?slide=``) that is not a whole number between 1 and the deck's length."""
