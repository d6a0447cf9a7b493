"""Figures for an authority in a period when it did not exist: refused at their rows.

A period's group is the authorities that existed at its middle, by the county areas' lifetimes, or that have
figures then (``service.group_size``). A file's figure for one that did not exist (Cumberland, formed in 2023, for
2021-22) would make it one more authority of that period and move the ranks of every other, so the row is refused
at its authority's column, naming when the authority was formed or abolished and whose figure to give instead (the
published sources' adapters leave such rows out by the same rule, ``method.membership``).

The lifetimes and the words are the method's (``method.lifetimes.absent_in``, from ``data/county_areas.csv``). An
authority the list does not know, and a period that cannot be read (refused for that), are never refused here.
"""

from __future__ import annotations

import contextlib

import duckdb
import numpy as np
import pandas as pd

from benchmarking.cells import distinct_cells
from benchmarking.ingest.keys import cell_codes
from benchmarking.ingest.results import CheckedRows
from benchmarking.ingest.rules import RowChecker
from benchmarking.method.lifetimes import absent_in
from benchmarking.store import Store

TABLES = ("indicator_value", "spend", "funding")
"""The tables of figures by authority and period, whose groups are ranked."""


def check_existed(
    store: Store,
    con: duckdb.DuckDBPyConnection | None,
    table: str,
    frame: pd.DataFrame,
    file_name: str,
    outcome: CheckedRows,
) -> CheckedRows:
    """Return ``outcome`` with the rows refused whose authority did not exist in their period (the module's rule),
    each at its row and the authority's column. The rule is asked about the file's distinct authorities and periods
    (a few hundred pairs), and the store about the pairs it refuses only."""
    rows = outcome.rows
    if table not in TABLES or outcome.blocking or not {"authority_code", "period"} <= set(rows.columns):
        return outcome
    codes, periods = distinct_cells(rows["authority_code"]), distinct_cells(rows["period"])
    pairs = pd.MultiIndex.from_product([codes, periods])
    reasons = absent_in(list(pairs.get_level_values(0)), list(pairs.get_level_values(1)))
    asked = [pair for pair, reason in zip(pairs, reasons) if reason]
    if not asked:  # the usual file: every authority existed in every period it gives
        return outcome
    held = _pairs_with_figures(store, con, table, asked)
    reasons = absent_in([code for code, _ in asked], [period for _, period in asked], held)
    refused = {pair: reason for pair, reason in zip(asked, reasons) if reason}
    if not refused:
        return outcome
    code_of, code_labels = cell_codes(rows["authority_code"])
    period_of, period_labels = cell_codes(rows["period"])
    mask = np.zeros(len(rows), dtype=bool)
    messages = pd.Series(None, index=rows.index, dtype=object)
    for (code, period), reason in refused.items():
        here = (code_of == code_labels.get_loc(code)) & (period_of == period_labels.get_loc(period))
        mask |= here
        messages[here] = reason
    check = RowChecker(file_name, frame)
    check.flag(mask, "authority_code", messages)
    return CheckedRows(rows, [*outcome.issues, *check.issues], outcome.rejected | check.rejected, outcome.blocking)


def _pairs_with_figures(
    store: Store, con: duckdb.DuckDBPyConnection | None, table: str, pairs: list[tuple[str, str]]
) -> set[tuple[str, str]]:
    """Return the (authority, period) pairs among ``pairs`` for which ``table`` holds a row."""
    if con is None and not store.exists():
        return set()
    asked = pd.DataFrame(pairs, columns=["authority_code", "period"], dtype=object)
    with contextlib.nullcontext(con) if con is not None else store.reading() as reading:
        reading.register("existence_asked", asked)
        try:
            found = reading.execute(
                f"SELECT DISTINCT authority_code, period FROM {table} "
                "JOIN existence_asked USING (authority_code, period)"
            ).fetchall()
        finally:
            reading.unregister("existence_asked")
    return set(found)
