"""A saved group that no period holds whole, shared by the saved-group tests of the command line and the Data page:
Northamptonshire (abolished 1 April 2021) with its two successors, Cumbria (abolished 1 April 2023) with
Cumberland, and two councils that never changed; saved on a copy of the shipped county-area store. The members
that existed in a period are recounted here from ``data/county_areas.csv`` itself, not by the app's rule."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from benchmarking.paths import PROJECT_ROOT
from benchmarking.service import saved_groups
from benchmarking.service.catalogue import load_catalogue
from benchmarking.store import Store

GROUP_ID, GROUP_NAME = "reorganised", "Reorganised & <b>neighbours</b>"
MEMBERS = ("E10000021", "E06000061", "E06000062", "E10000006", "E06000063", "E10000018", "E10000007")
"""Northamptonshire, North and West Northamptonshire, Cumbria, Cumberland, Leicestershire, Derbyshire."""


def store_with_group(shipped_store_path: Path, tmp_path: Path) -> Store:
    """Return a copy of the shipped store holding the group (saved as the Data page and ``group save`` save it)."""
    path = tmp_path / "store.duckdb"
    shutil.copy(shipped_store_path, path)
    store = Store(path)
    saved_groups.save_group(store, load_catalogue(path), GROUP_ID, GROUP_NAME, list(MEMBERS))
    return store


def existing_then(period: str) -> tuple[list[str], list[str]]:
    """Return the members alive on 1 October of a financial year "YYYY/YY" (its middle) by the dates in
    ``data/county_areas.csv``, and the names of the others, A-Z."""
    areas = pd.read_csv(PROJECT_ROOT / "data" / "county_areas.csv", dtype=str).set_index("code")
    middle = pd.Timestamp(int(period[:4]), 10, 1)
    alive = [
        code
        for code in MEMBERS
        if pd.Timestamp(areas.loc[code, "start_date"]) <= middle
        and (pd.isna(areas.loc[code, "end_date"]) or middle <= pd.Timestamp(areas.loc[code, "end_date"]))
    ]
    return alive, sorted(areas.loc[code, "name"] for code in MEMBERS if code not in alive)
