"""What the public build gives every adapter beside its own files: the theme map, the core
themes, the code lookups, the county areas, the reviewed polarities and the ONS population.

``load_theme_map`` reads ``data/public_theme_map.csv`` (publisher topic -> project theme);
``source_context`` returns the ``SourceContext`` for a data folder in the layout of
``shared/data``, used by ``build-public`` and by ``import-source`` / the Data import page;
``read_source`` reads one source through its adapter and applies the reviewed polarities
(``data/polarity_review.csv``: measures of need or context are never ranked).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from benchmarking.adapters import imd, ons_population
from benchmarking.adapters.lookups import load_code_lookups
from benchmarking.adapters.polarity_review import apply_polarity_review, load_polarity_review
from benchmarking.adapters.source import AS_PUBLISHED, COUNTY_AREAS, Adapter, SourceContext
from benchmarking.errors import BuildError
from benchmarking.method.lifetimes import load_county_areas
from benchmarking.method.membership import Loaded
from benchmarking.paths import PROJECT_ROOT

THEME_MAP_FILE = PROJECT_ROOT / "data" / "public_theme_map.csv"
THEME_SERVICES_FILE = ons_population.THEME_SERVICES_FILE
IMD_EDITION = imd.EDITION


def load_theme_map(path: Path | str | None = None) -> pd.DataFrame:
    """Return ``data/public_theme_map.csv``: source, topic, theme (and note)."""
    path = Path(path) if path is not None else THEME_MAP_FILE
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in ("source", "topic", "theme") if c not in frame.columns]
    if missing:
        raise BuildError(f"{path.name} lacks column(s) {missing}; it has {list(frame.columns)}")
    frame = frame.apply(lambda column: column.str.strip())
    repeated = frame.duplicated(["source", "topic"])
    if repeated.any():
        raise BuildError(f"{path.name} maps {frame.loc[repeated, ['source', 'topic']].values.tolist()} twice")
    return frame


def theme_of_topics(theme_map: pd.DataFrame, source: str) -> dict[str, str]:
    """Return topic -> theme for one publisher's topics in the theme map (``SourceContext.themes``'s rule)."""
    return SourceContext(areas=pd.DataFrame(), theme_map=theme_map).themes(source)


def core_themes() -> frozenset[str]:
    """Return the themes ``data/theme_services.csv`` marks as core (they make up LA Core)."""
    frame = pd.read_csv(THEME_SERVICES_FILE, dtype=str, keep_default_na=False)
    return frozenset(frame.loc[frame["is_core_theme"].str.strip().str.lower().eq("true"), "theme"])


def source_context(
    root: Path | str,
    scope: str = COUNTY_AREAS,
    known_codes=None,
    add_authorities: bool = False,
) -> SourceContext:
    """Return the context adapters read with, for the data folder ``root`` (the layout of shared/data).

    The code lookups and the ONS population are read from ``root/lookups`` and
    ``root/ons_population`` when ``root`` holds them (a source that needs them and lacks them
    raises a clear error when it asks).
    """
    root = Path(root)
    lookups_folder = root / "lookups"
    lookups = load_code_lookups(lookups_folder) if lookups_folder.is_dir() else None
    context = SourceContext(
        areas=load_county_areas(),
        lookups=lookups,
        theme_map=load_theme_map(),
        core_themes=core_themes(),
        scope=scope,
        known_codes=None if known_codes is None else frozenset(known_codes),
        add_authorities=add_authorities,
        review=load_polarity_review(),
    )
    population_folder = root / ons_population.FOLDER
    if population_folder.is_dir():
        context.population_reader = lambda: ons_population.read_population(population_folder, context)
    return context


def import_context(
    adapter: Adapter, folder: Path | str, known_codes=None, add_authorities: bool = False
) -> SourceContext:
    """Return the context for importing one source from ``folder`` into a store holding ``known_codes``.

    A source that can give every authority as published does so; the others give the county
    areas. ``folder`` is the data folder or the source's own folder within it.
    """
    folder = Path(folder)
    root = folder if (folder / adapter.folder).is_dir() or not folder.parent.is_dir() else folder.parent
    scope = AS_PUBLISHED if AS_PUBLISHED in adapter.scopes else COUNTY_AREAS
    return source_context(root, scope=scope, known_codes=known_codes, add_authorities=add_authorities)


def read_source(adapter: Adapter, folder: Path | str, context: SourceContext) -> Loaded:
    """Return what ``adapter`` makes of its files in ``folder``, with the reviewed polarities applied
    (``data/polarity_review.csv``): the one way the build and imports read a source."""
    loaded = adapter.items(folder, context)
    return loaded if context.review is None else apply_polarity_review(loaded, context.review)
