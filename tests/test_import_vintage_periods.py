"""The vintage-shift warning says one line per reporting period, with each indicator a click (or a few lines) away.

On the shipped store the latest reporting period is 2025/26. A file of Leicestershire's figures for 2026-27 alone
opens 2026/27, and every indicator Leicestershire has recent figures for would be ranked there for the first time
on Leicestershire alone (its own 2026-27 figures, or its earlier ones carried forward: the other authorities have
no figures in 2026/27 to carry theirs). The preview used to say so in a line per indicator (hundreds, 20 shown);
it now says it once for the period, names the first indicators on the command line and lists them all, with
their names, in an expander on the page. What is counted is checked against the engine's ranks after the commit.
"""

from __future__ import annotations

import csv
import io
import shutil

import pandas as pd
import pytest

from benchmarking.ingest.context import store_context
from benchmarking.ingest.preview import commit, map_sources, preview_import, read_uploaded
from benchmarking.service.benchmark import benchmark_for
from benchmarking.service.catalogue import load_catalogue
from benchmarking.store import Store

LEICESTERSHIRE = "E10000018"
CORNWALL = "E06000052"
NEW_YEAR, NEW_PERIOD, LATEST = "2026-27", "2026/27", "2025/26"
HEADER = "authority_code,indicator_id,period,value\n"
FIRST_NAMED = 5
"""How many indicators the command line names under a period's line (then how many more)."""


def new_year_file(store: Store) -> str:
    """Return a values file of Leicestershire's figures for 2026-27: its latest financial-year figure again, for
    every indicator it has one for since 2023-24."""
    with store.reading() as con:
        rows = con.execute(
            "SELECT indicator_id, arg_max(value, period) FROM indicator_value "
            "WHERE authority_code = ? AND value IS NOT NULL AND regexp_matches(period, '^20[0-9][0-9]-[0-9][0-9]$') "
            "GROUP BY indicator_id HAVING max(period) >= '2023-24' ORDER BY indicator_id",
            [LEICESTERSHIRE],
        ).fetchall()
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows((LEICESTERSHIRE, i, NEW_YEAR, value) for i, value in rows)
    return HEADER + out.getvalue()


def ranked_counts(store: Store) -> pd.DataFrame:
    """Return (indicator, period) -> how many authorities the engine ranks (a rank, not a missing figure), over the
    whole group."""
    ranks = benchmark_for(load_catalogue(store), "all").ranks
    ranks = ranks[ranks["rank"].notna()]
    return ranks.groupby(["indicator_id", "period"]).size().rename("n").reset_index()


def first_ranked_on_few(before: pd.DataFrame, after: pd.DataFrame, period: str) -> set[str]:
    """Return the indicators the engine ranks in ``period`` after the commit and not before, on fewer than half the
    authorities it ranks them on in their latest period before: what the warning should name."""
    latest = before.sort_values("period").drop_duplicates("indicator_id", keep="last").set_index("indicator_id")["n"]
    now = after[after["period"] == period].set_index("indicator_id")["n"]
    was = set(before.loc[before["period"] == period, "indicator_id"])
    return {i for i, n in now.items() if i not in was and i in latest.index and n * 2 < latest[i]}


def previewed(store: Store, text: str):
    source = read_uploaded("new-year.csv", text.encode())
    return preview_import(store, map_sources([source], store_context(store), table="indicator_value"))


@pytest.fixture
def new_year(shipped):
    """The shipped store, the new-year file, its preview, and the indicators the engine ranks in 2026/27 on fewer
    than half the authorities it ranks in their latest period now, once the file is committed (to a copy)."""
    text = new_year_file(shipped)
    copy = Store(shutil.copy(shipped.path, shipped.path.with_name("committed.duckdb")))
    before = ranked_counts(copy)
    preview = previewed(copy, text)
    commit(
        copy, map_sources([read_uploaded("new-year.csv", text.encode())], store_context(copy), table="indicator_value")
    )
    return shipped, text, preview, first_ranked_on_few(before, ranked_counts(copy), NEW_PERIOD)


def test_the_warning_names_only_indicators_the_engine_ranks(new_year):
    """Indicators of no polarity are never ranked: a new year's figures change no rank of theirs, so the warning
    names exactly the indicators the engine then ranks in 2026/27 on fewer than half the authorities it ranks now."""
    _, _, preview, expected = new_year
    assert len(expected) > 100  # the case: a new year for hundreds of indicators
    assert {shift.indicator_id for shift in preview.vintage_shifts} == expected
    assert {shift.period for shift in preview.vintage_shifts} == {NEW_PERIOD}
