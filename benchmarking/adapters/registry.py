"""The registry of published sources: one entry per adapter, in the order ``build-public`` reads them.

The command line's ``import-source`` choices, the Data import page's list and the
``build-public`` steps all come from ``ADAPTERS``. To add a source, write its module (with
an ``ADAPTER``, see ``source.py``) and add it here: the build then reads it from its folder
under the data folder, and the page and the command line offer it.

Order matters only where a source needs another's output: the county areas come first
(every other source's rows are matched to them, and spend and funding divide by their
population).
"""

from __future__ import annotations

from benchmarking.adapters import (
    core_spending_power,
    defra,
    dfe_lait,
    dfe_neighbours,
    dft_roads,
    fingertips,
    imd,
    lgbf,
    mhclg,
    mhclg_housing,
    oflog,
    ons_els,
    ons_population,
)
from benchmarking.adapters.source import COUNTY_AREAS, Adapter
from benchmarking.errors import BenchmarkingError

ADAPTERS: tuple[Adapter, ...] = (
    ons_population.ADAPTER,
    mhclg.ADAPTER,
    core_spending_power.ADAPTER,
    dfe_lait.ADAPTER,
    dfe_neighbours.ADAPTER,
    oflog.ADAPTER,
    defra.ADAPTER,
    ons_els.ADAPTER,
    fingertips.ADAPTER,
    dft_roads.ADAPTER,
    mhclg_housing.ADAPTER,
    imd.ADAPTER,
    lgbf.ADAPTER,
)
"""Every published source an adapter reads, in build order."""

SOURCES: dict[str, Adapter] = {adapter.name: adapter for adapter in ADAPTERS}
"""The published sources by the name the command line uses."""


def published_source(name: str) -> Adapter:
    """Return a published source by name; BenchmarkingError listing the names when unknown."""
    try:
        return SOURCES[name]
    except KeyError:
        raise BenchmarkingError(f"unknown source {name!r}; choose one of {', '.join(SOURCES)}") from None


def build_sources() -> list[Adapter]:
    """Return the sources ``build-public`` reads (those that can give the county areas' rows), in order."""
    return [adapter for adapter in ADAPTERS if COUNTY_AREAS in adapter.scopes]
