"""Adapters: turn a publisher's own files into import items for ``importer.import_frames``.

An adapter reads one publisher's files, as published, from a folder named at run time
(real data files are never copied into the repository), and returns
``[(table, frame, file_name), ...]`` with columns named as in ``schema.COLUMNS``. The
importer then validates every item and writes them in one transaction: an adapter's
``*_items`` function only reshapes and names things, and its ``load_*`` function hands
the items to ``import_frames`` (never writing SQL of its own).

This module holds what the adapters share: reading a published CSV with clear errors.
Authority names resolve to codes with ``ingest.names`` (one rule for adapters and mapping).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from benchmarking.errors import BenchmarkingError, ImportValidationError, ValidationIssue

__all__ = [
    "SOURCES",
    "PublishedSource",
    "invalid",
    "published_file",
    "published_source",
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


# ---------------------------------------------------------------------------------------
# The published sources the command line and the Data import page offer
#
# Each entry names an adapter module and the files it reads; ``items`` returns the
# adapter's import items for a folder, which then go through the same preview and commit
# as an uploaded file (``preview.preview_import``, ``importer.import_frames``).
# Modules are imported when used: they import this module's helpers.
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublishedSource:
    """A publisher's dataset that one adapter reads, as published, from a folder."""

    name: str
    title: str
    folder: str
    """The folder's usual name (its name under ``shared/data``)."""
    files: tuple[str, ...]
    module: str

    def adapter(self):
        """Return the adapter module."""
        return importlib.import_module(self.module)

    @property
    def dataset_name(self) -> str:
        """Return the name the load is recorded under in the store's dataset table."""
        return self.adapter().DATASET_NAME

    @property
    def source(self) -> str:
        """Return the publisher's name and release, as recorded with every value."""
        return self.adapter().SOURCE

    def locate(self, folder: Path | str) -> Path:
        """Return the folder holding the files: ``folder`` itself, or its sub-folder of the usual name."""
        folder = Path(folder)
        if not (folder / self.files[0]).is_file() and (folder / self.folder / self.files[0]).is_file():
            return folder / self.folder
        return folder

    def items(
        self, folder: Path | str, known_codes: Iterable[str] | None = None, add_authorities: bool = False
    ) -> list[tuple[str, pd.DataFrame, str]]:
        """Return the adapter's import items for ``folder``.

        ``known_codes`` (the store's authorities) and ``add_authorities`` only matter to
        sources that add values to authorities loaded by another source (IMD).
        """
        folder = self.locate(folder)
        module = self.adapter()
        if self.name == "lgbf":
            return module.lgbf_items(folder)
        if self.name == "oflog":
            return module.oflog_items(folder)
        return module.imd_items(folder, known_codes=known_codes, add_authorities=add_authorities)

    def file_hashes(self, folder: Path | str) -> dict[str, str]:
        """Return file name -> SHA-256 of the source's files in ``folder``, recorded with the import."""
        from benchmarking.ingest.reading import file_sha256

        folder = self.locate(folder)
        return {name: file_sha256(published_file(folder, name)) for name in self.files}


SOURCES: dict[str, PublishedSource] = {
    "lgbf": PublishedSource(
        "lgbf",
        "Scotland's Local Government Benchmarking Framework (indicators, catalogue, family groups)",
        "lgbf",
        ("indicator_data_ranked.csv", "indicator_information.csv", "family_groups.csv"),
        "benchmarking.adapters.lgbf",
    ),
    "oflog": PublishedSource(
        "oflog",
        "Oflog adult social care metrics and nearest-neighbour lists (England)",
        "oflog",
        ("ASC_data.csv", "NN.json"),
        "benchmarking.adapters.oflog",
    ),
    "imd": PublishedSource(
        "imd",
        "English Indices of Deprivation 2019, upper-tier summaries (deprivation)",
        "imd2019",
        ("imd2019_utla_imd_summary.csv",),
        "benchmarking.adapters.imd",
    ),
}
"""The published sources an adapter covers, by the name the command line uses."""


def published_source(name: str) -> PublishedSource:
    """Return a published source by name; BenchmarkingError listing the names when unknown."""
    try:
        return SOURCES[name]
    except KeyError:
        raise BenchmarkingError(f"unknown source {name!r}; choose one of {', '.join(SOURCES)}") from None
