"""Opening the store a command reads or edits: refused, with what to do, when it is missing or not this tool's."""

from __future__ import annotations

import argparse


def existing_store(args: argparse.Namespace):
    """Return the ``--db`` store (or the default one); BenchmarkingError when it is not there or not a store."""
    from benchmarking.errors import BenchmarkingError
    from benchmarking.store import Store, default_db_path

    store = Store(args.db or default_db_path())
    store.refuse_foreign()
    if not store.exists():
        raise BenchmarkingError(f"no store at {store.path}: check the --db path, or build one first")
    return store


def existing_catalogue(args: argparse.Namespace):
    """Return the catalogue of the ``--db`` store (``existing_store``)."""
    from benchmarking.service.catalogue import load_catalogue

    return load_catalogue(existing_store(args).path)
