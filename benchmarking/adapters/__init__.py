"""Adapters: turn a publisher's own files into import items for ``importer.import_frames``.

An adapter reads one publisher's files, as published, from a folder named at run time
(real data files are never copied into the repository), and returns
``[(table, frame, file_name), ...]`` with columns named as in ``schema.COLUMNS``. The
importer then validates every item and writes them in one transaction: an adapter's
``*_items`` function only reshapes and names things, and its ``load_*`` function hands
the items to ``import_frames`` (never writing SQL of its own).

This module holds what the adapters share: reading a published CSV with clear errors,
and resolving authority names to codes.
"""

from __future__ import annotations

import importlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from benchmarking.errors import BenchmarkingError, ImportValidationError, ValidationIssue

__all__ = [
    "NAME_COLUMNS",
    "SOURCES",
    "PublishedSource",
    "invalid",
    "name_index",
    "name_key",
    "published_file",
    "published_source",
    "read_published_csv",
    "require_file_columns",
    "resolve_names",
    "slug",
]

NAME_COLUMNS = ("official-name", "nice-name")
"""Columns of the mySociety lookup that hold an authority's main names."""

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
# Authority names to codes
#
# Publishers spell council names differently: "Argyll & Bute" and "Argyll and Bute
# Council", "Edinburgh City" and "City of Edinburgh Council", "Highland" and "The
# Highland Council". ``name_key`` reduces a name to a key on which such spellings agree;
# ``name_index`` builds key -> code from a lookup; ``resolve_names`` applies it.
# ---------------------------------------------------------------------------------------

_SUFFIXES = ("county council", "borough council", "district council", "city council", "council")
_SUFFIX_KEEP = {"city council": "city"}  # "Glasgow City Council" -> "glasgow city"


def name_key(name: str) -> str:
    """Return the matching key of an authority name (case-, '&'- and suffix-insensitive).

    Steps: fold accents and case; '&' -> 'and'; punctuation -> space; drop a leading
    'the'; drop a trailing 'county council', 'borough council', 'district council' or
    'council' ('city council' keeps 'city'); 'city of X' and 'X, city of' -> 'X city';
    collapse spaces. 'Argyll & Bute', 'Argyll and Bute Council' -> 'argyll and bute';
    'Edinburgh City', 'City of Edinburgh Council' -> 'edinburgh city'.
    """
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    text = text.lower().replace("&", " and ")
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    text = re.sub(r"^the ", "", text)
    for suffix in _SUFFIXES:
        if text.endswith(" " + suffix):
            kept = _SUFFIX_KEEP.get(suffix, "")
            text = f"{text[: -len(suffix)].strip()} {kept}"
            break
    if text.startswith("city of "):
        text = text[len("city of ") :] + " city"
    elif text.endswith(" city of"):
        text = text[: -len(" city of")] + " city"
    return re.sub(r"\s+", " ", text).strip()


def name_index(
    lookup: pd.DataFrame,
    code_column: str,
    name_columns: Sequence[str] = NAME_COLUMNS,
    alt_names_column: str | None = "alt-names",
) -> tuple[dict[str, str], dict[str, str]]:
    """Return ``(main, alternative)`` dicts of name key -> code built from a lookup table.

    ``main`` uses ``name_columns``; ``alternative`` the comma-separated ``alt_names_column``.
    A key that points to more than one code is left out of its dict (ambiguous).
    """
    main = _unambiguous(
        (name_key(name), code)
        for column in name_columns
        for name, code in zip(lookup[column], lookup[code_column])
        if isinstance(name, str) and name.strip()
    )
    alternative: dict[str, str] = {}
    if alt_names_column and alt_names_column in lookup.columns:
        alternative = _unambiguous(
            (name_key(alt), code)
            for names, code in zip(lookup[alt_names_column], lookup[code_column])
            if isinstance(names, str)
            for alt in names.split(",")
            if len(alt.strip()) > 3
        )
    return main, alternative


def resolve_names(
    names: Iterable[str], main: dict[str, str], alternative: dict[str, str] | None = None
) -> tuple[dict[str, str], list[str]]:
    """Return ``(name -> code, unresolved names)``; main names are tried before alternatives."""
    resolved: dict[str, str] = {}
    unresolved: list[str] = []
    for name in dict.fromkeys(names):
        key = name_key(name)
        code = main.get(key) or (alternative or {}).get(key)
        if code is None:
            unresolved.append(name)
        else:
            resolved[name] = code
    codes = pd.Series(resolved, dtype=object)
    clash = codes[codes.duplicated(keep=False)]
    if len(clash):
        raise BenchmarkingError(
            f"names {sorted(clash.index)} all resolve to code(s) {sorted(set(clash))}; "
            "each authority must have one name in the file"
        )
    return resolved, unresolved


def slug(text: str) -> str:
    """Return a lower-case ASCII slug of ``text`` ('Argyll & Bute' -> 'argyll-and-bute')."""
    return name_key(text).replace(" ", "-")


def _unambiguous(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    seen: dict[str, set[str]] = {}
    for key, code in pairs:
        if key:
            seen.setdefault(key, set()).add(code)
    return {key: next(iter(codes)) for key, codes in seen.items() if len(codes) == 1}


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
        return self.adapter().DATASET_NAME

    @property
    def source(self) -> str:
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
        from benchmarking.ingest.importer import file_sha256

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
