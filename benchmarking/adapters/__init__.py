"""Adapters: turn a publisher's own files into import items for ``importer.import_frames``.

An adapter is one module that reads one publisher's files, as published, from a folder
named at run time (real data files are never copied into the repository), and defines
``ADAPTER``, an ``Adapter`` (``source.py``: name, title, files, provenance text and
``read(folder, context)`` returning the import items with every skipped row counted and
its reason). ``registry.py`` lists them: the command line's ``import-source``, the Data
import page and ``build-public`` all read it. The importer (or the build) then validates
every item and writes them in one transaction: an adapter only reshapes and names things,
never writing SQL of its own.

To add a source: write ``adapters/<name>.py`` with its ``ADAPTER`` and add one line to
``registry.ADAPTERS`` (README, "Adding a published source").

This module holds what the adapters share: reading a published CSV with clear errors.
Authority names resolve to codes with ``ingest.names`` (one rule for adapters and mapping).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from benchmarking.errors import BenchmarkingError, ImportValidationError, ValidationIssue

__all__ = [
    "invalid",
    "own_folder",
    "published_file",
    "read_published_csv",
    "require_file_columns",
]

# ---------------------------------------------------------------------------------------
# Reading published files
# ---------------------------------------------------------------------------------------


def read_published_csv(folder: Path | str, file_name: str, columns: Sequence[str]) -> pd.DataFrame:
    """Return a published CSV from ``folder`` as text cells (empty string = blank).

    Raises BenchmarkingError when the folder or file is missing or unreadable, and
    ImportValidationError naming the file when any of ``columns`` is absent.
    """
    path = published_file(folder, file_name)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise BenchmarkingError(f"{file_name} in {Path(folder)} cannot be read as a UTF-8 CSV file: {error}") from error
    frame.columns = [str(column).strip() for column in frame.columns]
    require_file_columns(frame, columns, file_name)
    return frame


def require_file_columns(frame: pd.DataFrame, columns: Sequence[str], file_name: str) -> None:
    """Raise ImportValidationError naming the file's missing columns and the ones it has."""
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise invalid(
            file_name,
            None,
            ", ".join(missing),
            f"missing column(s) {', '.join(missing)}; the file has {', '.join(frame.columns)}. "
            "Is this the published file, unchanged?",
        )


def published_file(folder: Path | str, file_name: str) -> Path:
    """Return ``folder / file_name``; BenchmarkingError naming both when either is missing."""
    folder = Path(folder)
    if not folder.is_dir():
        raise BenchmarkingError(f"folder {folder} not found: it should hold the published file {file_name}")
    path = folder / file_name
    if not path.is_file():
        present = sorted(p.name for p in folder.iterdir() if p.is_file())
        raise BenchmarkingError(
            f"{file_name} not found in {folder}; that folder holds: {', '.join(present) if present else 'no files'}"
        )
    return path


def invalid(file_name: str, row: int | None, column: str | None, message: str) -> ImportValidationError:
    """Return an ImportValidationError for one problem at a file's row (header = row 1)."""
    return ImportValidationError([ValidationIssue(file_name, row, column, message)])


def own_folder(folder: Path | str, usual_name: str, first_file: str) -> Path:
    """Return the folder holding a source's files: ``folder`` when it holds ``first_file``, else
    its sub-folder ``usual_name`` (the layout of ``shared/data``)."""
    folder = Path(folder)
    return folder if (folder / first_file).exists() else folder / usual_name
