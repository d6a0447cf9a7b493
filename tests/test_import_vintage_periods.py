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
import re
import shutil

import duckdb
import pandas as pd
import pytest
from apptest_helpers import html_tables, open_page, open_section
from hostile_text import HTML, LINK
from store_support import imported

from benchmarking.ingest.context import store_context
from benchmarking.ingest.preview import commit, map_sources, preview_import, read_uploaded
from benchmarking.ingest.vintage_periods import vintage_periods
from benchmarking.ingest.vintage_shift import VintageShift
from benchmarking.service.benchmark import benchmark_for
from benchmarking.service.catalogue import load_catalogue
from benchmarking.store import Store
from benchmarking.text.escaping import markdown as markdown_text

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


def test_the_command_line_says_one_line_for_the_period_then_names_the_first_indicators(new_year, tmp_path, capsys):
    """The dry run says 2026/27 once (how many indicators, on whose figures, against how many ranked now), names
    the first indicators one per line, then how many more; no line per indicator beyond those."""
    store, text, _, expected = new_year
    status, out = imported(store, tmp_path, text, capsys, "--table", "indicator_value", "--dry-run")
    assert status == 0, out
    lines = [line.strip() for line in out.splitlines()]
    said = [line for line in lines if line.startswith(f"{NEW_PERIOD} would be ranked")]
    assert said == [line for line in lines if re.match(r"\d{4}/\d{2} would be ranked", line)]  # one period
    assert len(said) == 1, out
    assert said[0].startswith(f"{NEW_PERIOD} would be ranked for the first time on 1 authority's figures"), said
    assert f"({len(expected)} indicators;" in said[0] and f"in {LATEST} now" in said[0], said
    assert f"the others have none for {NEW_PERIOD} yet" in said[0], said
    named = [line for line in lines if f" in {NEW_PERIOD} would be ranked" in line]
    assert len(named) == FIRST_NAMED, out
    assert {line.split(f" in {NEW_PERIOD} ")[0] for line in named} <= expected
    assert f"... and {len(expected) - FIRST_NAMED} more indicators" in lines, out


def page_warning(store: Store, monkeypatch, name: str, text: str):
    """Return the Data import page once it previews the file ``name`` holding ``text``, and its vintage warning."""
    at = open_page(store.path, monkeypatch, "import_data")
    at.file_uploader(key="import_files").set_value([(name, text.encode(), "text/csv")])
    at.run()
    at.button(key="upload_preview_button").click().run()
    assert not at.exception, at.exception
    return at, next(w.value for w in at.warning if "would be ranked" in w.value)


def vintage_table(at) -> pd.DataFrame:
    """Return the table of every indicator and period the warning counts, once its expander is opened."""
    at = open_section(at, "upload_vintage_each")
    return next(table for table in html_tables(at) if "would be ranked on" in table.columns)


def test_the_page_says_one_line_for_the_period_and_lists_each_indicator_when_asked(new_year, monkeypatch):
    """The page's warning holds one line for 2026/27; the expander lists every indicator with its name."""
    store, text, _, expected = new_year
    at, warning = page_warning(store, monkeypatch, "new-year.csv", text)
    bullets = [line for line in warning.splitlines() if line.startswith("- ")]
    assert len(bullets) == 1 and markdown_text(f"({len(expected)} indicators;") in bullets[0], bullets
    assert not [table for table in html_tables(at) if "would be ranked on" in table.columns]  # built when opened
    table = vintage_table(at)
    assert set(table["indicator"]) == expected and len(table) == len(expected)
    assert set(table["period"]) == {NEW_PERIOD}


HOSTILE_ID = f"ASC2 {LINK} *x*"
HOSTILE_NAME = f"Adult care {HTML} {LINK}"


def hostile_indicator(store: Store) -> None:
    """Give ASC2 a hostile id and name in every table that holds it (written with SQL, as stored text may be)."""
    con = duckdb.connect(str(store.path))
    try:
        tables = con.execute(
            "SELECT table_name FROM information_schema.columns WHERE column_name = 'indicator_id' "
            "AND table_schema = 'main' AND table_name IN (SELECT table_name FROM information_schema.tables "
            "WHERE table_type = 'BASE TABLE')"
        ).fetchall()
        for (table,) in tables:
            con.execute(f"UPDATE {table} SET indicator_id = ? WHERE indicator_id = 'ASC2'", [HOSTILE_ID])
        con.execute("UPDATE indicator SET id = ?, name = ? WHERE id = 'ASC2'", [HOSTILE_ID, HOSTILE_NAME])
    finally:
        con.close()


def test_a_hostile_indicator_id_and_name_are_shown_as_text(shipped, monkeypatch, tmp_path, capsys):
    """One Cornwall figure for an indicator whose id and name hold Markdown and HTML: the warning's line names the
    id escaped, the expander's table shows id and name as text."""
    hostile_indicator(shipped)
    text = f"{HEADER}{CORNWALL},{HOSTILE_ID},2024-25,0.5\n"
    status, out = imported(shipped, tmp_path, text, capsys, "--table", "indicator_value", "--dry-run")
    assert status == 0 and f"{HOSTILE_ID} in 2024/25 would be ranked on 1 authority's 2024-25 figure" in out, out
    at, warning = page_warning(shipped, monkeypatch, "hostile.csv", text)
    assert markdown_text(f"{HOSTILE_ID} in 2024/25 would be ranked on") in warning
    assert "](http" not in warning and "<img" not in warning, warning
    table = vintage_table(at)
    assert set(table["indicator"]) == {HOSTILE_ID} and set(table["name"]) == {HOSTILE_NAME}
    raw = next(node.value for node in at.get("html") if "would be ranked on" in node.value)
    assert "<img" not in raw and HTML not in raw


def test_a_period_line_says_ranges_where_its_indicators_differ():
    """Hand-worked: three indicators in 2024/25 ranked on fewer authorities than now, one of them on a figure of the
    period itself, and two first ranked in 2025/26 after different latest periods: one line per period and kind, the
    counts as ranges, the published period named only where it is one; an indicator alone keeps its own line."""
    shifts = [
        VintageShift("A", "2024/25", "2022-23", 34, "2024-25", 1),
        VintageShift("B", "2024/25", "2022-23", 30, "2024-25", 2),
        VintageShift("C", "2024/25", "2024/25", 20, "2024-25", 1),
        VintageShift("A", "2025/26", None, 0, "2024-25", 1, ("2024/25", 34)),
        VintageShift("D", "2025/26", None, 0, "2025-26", 1, ("2023/24", 12)),
        VintageShift("E", "2023/24", "2021-22", 9, "2023-24", 1),
    ]
    periods = vintage_periods(shifts)
    assert [(p.period, p.first, len(p.shifts)) for p in periods] == [
        ("2023/24", False, 1),
        ("2024/25", False, 3),
        ("2025/26", True, 2),
    ]
    assert [p.text() for p in periods] == [
        "E in 2023/24 would be ranked on 1 authority's 2023-24 figure instead of 9 authorities' 2021-22 figures "
        "(carried forward)",
        "2024/25 would be ranked on 1 to 2 authorities' 2024-25 figures instead of 20 to 34 authorities' figures, "
        "some carried forward (3 indicators)",
        "2025/26 would be ranked for the first time on 1 authority's figures (2 indicators; 12 to 34 authorities are "
        "ranked in their latest periods (2023/24 to 2024/25) now, the others have none for 2025/26 yet)",
    ]
    assert periods[0].named() == [] and periods[1].named(limit=2)[-1] == "... and 1 more indicator"
