"""The one contract every published source meets, and what an adapter is given beside its files.

An adapter is one module under ``benchmarking/adapters/`` that defines ``ADAPTER``, an
:class:`Adapter`: its name (the command line's choice), title, the folder and files it
reads, the provenance text recorded with every row it gives, and ``read(folder, context)``
returning a :class:`~benchmarking.method.membership.Loaded`: the import items, rows read
per file, and every row skipped counted with its reason (plus notes). ``registry`` lists
the adapters; the command line, the Data import page and ``build-public`` all read it.

``folder`` is the adapter's own folder (``Adapter.locate`` accepts the folder itself or
the data folder holding it under its usual name, as ``shared/data`` does).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from benchmarking.adapters.lookups import CodeLookups
from benchmarking.errors import BuildError
from benchmarking.method.membership import Loaded, no_skips

COUNTY_AREAS = "county areas"
"""Scope: rows of the county areas of ``data/county_areas.csv``, matched by code and period."""
AS_PUBLISHED = "as published"
"""Scope: every authority the publisher covers (adding the authorities it names)."""


@dataclass
class SourceContext:
    """What an adapter may use beside its own files: the county areas, the code lookups, the
    theme map, the core themes, the store's authorities and ONS population estimates.

    ``population`` is called at most once (it reads the ONS files): the spend and funding
    sources divide by it.
    """

    areas: pd.DataFrame
    lookups: CodeLookups | None = None
    theme_map: pd.DataFrame | None = None
    core_themes: frozenset[str] = frozenset()
    scope: str = COUNTY_AREAS
    known_codes: frozenset[str] | None = None
    add_authorities: bool = False
    population_reader: Callable[[], Loaded | pd.DataFrame] | None = None
    """Reads the ONS estimates: a Loaded whose ``items`` hold one ``("population", frame, file)``,
    or the estimates frame alone (tests)."""
    review: pd.DataFrame | None = None
    """The reviewed polarity table (``data/polarity_review.csv``), applied to every source's indicators."""
    extra: dict[str, object] = field(default_factory=dict)

    @cached_property
    def population_loaded(self) -> Loaded:
        """Return the ONS population read once: estimates, rows read and skipped, notes."""
        if self.population_reader is None:
            raise BuildError("this source divides by population, but no ONS population folder was given")
        read = self.population_reader()
        if isinstance(read, pd.DataFrame):
            return Loaded([("population", read, "")], {}, no_skips())
        return read

    @property
    def population(self) -> pd.DataFrame:
        """Return the ONS mid-year estimates (authority_code, year, population, basis)."""
        return self.population_loaded.items[0][1]

    def themes(self, source: str) -> dict[str, str]:
        """Return topic -> theme for one publisher's topics in the theme map."""
        if self.theme_map is None:
            return {}
        rows = self.theme_map[self.theme_map["source"] == source]
        return dict(zip(rows["topic"], rows["theme"]))

    def theme(self, source: str, topic: str) -> str:
        """Return the theme of one publisher topic; BuildError naming the map when it has none."""
        theme = self.themes(source).get(topic)
        if theme is None:
            raise BuildError(f"public_theme_map.csv has no theme for {source} / {topic}")
        return theme


@dataclass(frozen=True)
class Adapter:
    """A publisher's dataset that one adapter module reads, as published, from a folder."""

    name: str
    """The command line's name for it (``ons-els``)."""
    title: str
    folder: str
    """The folder's usual name (its name under ``shared/data``)."""
    files: tuple[str, ...]
    provenance: str
    """Publisher, release and licence: recorded as the source of everything it gives."""
    read: Callable[[Path, SourceContext], Loaded]
    scopes: tuple[str, ...] = (COUNTY_AREAS,)
    """``COUNTY_AREAS`` when ``build-public`` uses it; ``AS_PUBLISHED`` when it can also load
    every authority the publisher covers (``import-source`` uses that scope when offered)."""
    dataset_name: str = ""
    """The name its load is recorded under in the store's dataset table (default: title)."""
    short_name: str = ""
    """A few words for progress lines and the dataset label (default: title)."""
    publisher: str = ""
    """The publisher's name, with its short form in brackets ("Department for Education (DfE)")."""
    series: str = ""
    """The publisher's dataset in a few words ("LAIT"), for the one-line sources."""

    def locate(self, folder: Path | str) -> Path:
        """Return the folder holding the files: ``folder`` itself, or its sub-folder of the usual name."""
        from benchmarking.adapters import own_folder

        folder = Path(folder)
        if not self.files or not (folder / self.folder).is_dir():
            return folder
        return own_folder(folder, self.folder, self.files[0])

    def items(self, folder: Path | str, context: SourceContext) -> Loaded:
        """Return the adapter's Loaded (items, rows read, rows skipped, notes) for ``folder``."""
        return self.read(self.locate(folder), context)

    def file_hashes(self, folder: Path | str) -> dict[str, str]:
        """Return file name -> SHA-256 of the source's files in ``folder``, recorded with the import."""
        from benchmarking.adapters import published_file
        from benchmarking.ingest.reading import file_sha256

        folder = self.locate(folder)
        return {name: file_sha256(published_file(folder, name)) for name in self.files}

    def file_paths(self, folder: Path | str) -> list[Path]:
        """Return the paths of the source's files in ``folder``."""
        folder = self.locate(folder)
        return [folder / name for name in self.files]

    @property
    def label(self) -> str:
        """Return the short name, else the title."""
        return self.short_name or self.title

    @property
    def record_name(self) -> str:
        """Return the dataset-table name of a load of this source."""
        return self.dataset_name or self.title

    @property
    def source(self) -> str:
        """Return the provenance text (kept for callers that call it the source)."""
        return self.provenance


def names_of(adapters: Iterable[Adapter]) -> list[str]:
    """Return the adapters' command-line names, in order."""
    return [adapter.name for adapter in adapters]
