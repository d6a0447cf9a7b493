"""Comparator groups rank their members only: a focus authority outside the group is shown
beside it, at the place it would take, marked ``in_group = False``, and the members' ranks
and positions are exactly those computed among the members alone.

The expected numbers are recomputed here with plain pandas (``Series.rank(method="min")``
over the members' values, polarity-aware), not with the engine's code.
"""

from __future__ import annotations

import subprocess
import sys
from argparse import Namespace
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from apptest_helpers import html_tables, open_page

from benchmarking.cli.exports import export_positions
from benchmarking.method import ranking
from benchmarking.method.beside import would_be_rank
from benchmarking.method.positions import positions
from benchmarking.service.benchmark import benchmark_for, benchmark_with_focus_ranked
from benchmarking.service.catalogue import load_catalogue
from benchmarking.service.context_views import quadrant_view
from benchmarking.service.overview import overview
from benchmarking.service.views import indicator_view, theme_quartiles, theme_table
from benchmarking.store import Store
from benchmarking.text.formatting import rank_by_size, rank_card_text
from benchmarking.text.narrative import overview_sentences

FOCUS, PERIOD = "E10000018", "2021/22"  # Leicestershire, a county council


@pytest.fixture(scope="module")
def catalogue(demo_store_path):
    """The demo store's catalogue, loaded once for the module."""
    return load_catalogue(Store(demo_store_path))


@pytest.fixture(scope="module")
def unitaries_bench(catalogue):
    """The county-unitaries benchmark around Leicestershire (not a member)."""
    return benchmark_for(catalogue, "county-unitaries", FOCUS)


def _unitary_codes(catalogue) -> set[str]:
    authorities = catalogue.authorities
    return set(authorities.loc[authorities["kind"] == "county unitary", "code"])


def _keys(frame: pd.DataFrame, indicators: pd.DataFrame) -> pd.Series:
    """Best-first keys by plain pandas: -value for high, value for low, distance for target."""
    meta = indicators.set_index("id")
    polarity = frame["indicator_id"].map(meta["polarity"])
    value = frame["value"].astype(float)
    key = value.where(polarity == "low", -value)
    if "target_midpoint" in meta:
        distance = (value - frame["indicator_id"].map(meta["target_midpoint"]).astype(float)).abs().round(10)
        key = key.where(polarity != "target", distance)
    return key.where(polarity.isin(["high", "low", "target"]))


def _expected_ranks(catalogue) -> pd.DataFrame:
    """Members' ranks and the focus's would-be ranks, every indicator and period, by pandas alone."""
    indicators = catalogue.indicators
    ranked_ids = set(indicators.loc[indicators["polarity"] != "none", "id"])
    values = catalogue.reporting_values
    values = values[values["indicator_id"].isin(ranked_ids)]
    members = values[values["authority_code"].isin(_unitary_codes(catalogue))].copy()
    members["key"] = _keys(members, indicators)
    members["rank"] = members.groupby(["indicator_id", "period"])["key"].rank(method="min")
    members["n_ranked"] = members.groupby(["indicator_id", "period"])["key"].transform("count")
    focus = values[values["authority_code"] == FOCUS].copy()
    focus["key"] = _keys(focus, indicators)
    pairs = focus[["indicator_id", "period", "key"]].merge(
        members[["indicator_id", "period", "key"]], on=["indicator_id", "period"], suffixes=("", "_member")
    )
    better = (pairs["key_member"] < pairs["key"]).groupby([pairs["indicator_id"], pairs["period"]]).sum()
    focus = focus.merge(better.rename("better").reset_index(), on=["indicator_id", "period"], how="left")
    focus = focus.merge(
        members[["indicator_id", "period", "n_ranked"]].drop_duplicates(), on=["indicator_id", "period"], how="left"
    )
    focus["rank"] = np.where(focus["key"].notna() & (focus["n_ranked"] > 0), 1 + focus["better"], np.nan)
    return pd.concat([members, focus], ignore_index=True)


@pytest.fixture(scope="module")
def expected_ranks(catalogue):
    """The independently computed ranks (members and the focus beside them)."""
    return _expected_ranks(catalogue)


def test_would_be_rank_by_hand():
    """Members 1, 2, 2, 4 (smaller = better): 2 would tie 2nd, 3 would be 4th, 0 first, 9 fifth;
    no key or no ranked member gives no rank."""
    member_key = np.array([1.0, 2.0, 2.0, 4.0, np.nan, np.nan])
    member_group = np.array([0, 0, 0, 0, 0, 1])
    outside_key = np.array([2.0, 3.0, 0.0, 9.0, np.nan, 5.0])
    outside_group = np.array([0, 0, 0, 0, 0, 1])
    rank, n = would_be_rank(member_key, member_group, outside_key, outside_group)
    np.testing.assert_array_equal(rank, [2, 4, 1, 5, np.nan, np.nan])
    np.testing.assert_array_equal(n, [4, 4, 4, 4, 4, 0])


def test_county_unitaries_rank_among_themselves_and_the_focus_is_beside(catalogue, unitaries_bench, expected_ranks):
    """Every unitary's rank equals pandas' min-rank among the unitaries alone; Leicestershire's
    row is marked in_group False with the rank it would have had (1 + unitaries strictly better)."""
    bench = unitaries_bench
    assert bench.group.beside == FOCUS and FOCUS not in bench.group.members
    assert set(bench.group.members) == _unitary_codes(catalogue) and bench.group.size == 8
    got = bench.ranks
    assert set(got.loc[got["in_group"], "authority_code"]) == _unitary_codes(catalogue)
    assert set(got.loc[~got["in_group"], "authority_code"]) == {FOCUS}
    merged = got.merge(expected_ranks, on=["indicator_id", "authority_code", "period"], suffixes=("", "_expected"))
    assert len(merged) == len(got) == len(expected_ranks)
    np.testing.assert_array_equal(
        merged["rank"].to_numpy(dtype=float, na_value=np.nan), merged["rank_expected"].to_numpy(dtype=float)
    )
    members = merged[merged["in_group"]]
    assert (members["n_ranked"] == members["n_ranked_expected"]).all()
    focus = merged[~merged["in_group"] & merged["rank"].notna()]
    assert len(focus) > 100  # Leicestershire has would-be ranks on most indicators
    assert (focus["n_ranked"] == focus["n_ranked_expected"]).all()  # "of N": N counts the members
    assert (focus["rank"] <= focus["n_ranked"] + 1).all()


def _expected_positions(catalogue, ranks: pd.DataFrame, min_coverage: float = 0.5) -> pd.DataFrame:
    """Average ranks, coverage and positions per period and Overall / LA Core / theme, by pandas:
    members' positions = min-rank of their rounded averages among eligible members; the focus's
    = 1 + eligible members with a strictly lower average."""
    meta = catalogue.indicators.set_index("id")
    rows = ranks.assign(theme=ranks["indicator_id"].map(meta["theme"]), core=ranks["indicator_id"].map(meta["is_core"]))
    columns = pd.concat(
        [rows.assign(column="Overall"), rows[rows["core"].fillna(False).astype(bool)].assign(column="LA Core")]
        + [rows.assign(column=rows["theme"])]
    )
    member_rows = columns[columns["authority_code"] != FOCUS]
    available = (
        member_rows[member_rows["n_ranked"] > 0].groupby(["period", "column"])["indicator_id"].nunique()
    ).rename("n_available")
    stats = columns.groupby(["period", "column", "authority_code"])["rank"].agg(average_rank="mean", n="count")
    stats = stats.reset_index().merge(available.reset_index(), on=["period", "column"])
    stats["eligible"] = (stats["n"] > 0) & (stats["n"] / stats["n_available"] >= min_coverage)
    stats["key"] = stats["average_rank"].round(9).where(stats["eligible"])
    members = stats[stats["authority_code"] != FOCUS].copy()
    members["position"] = members.groupby(["period", "column"])["key"].rank(method="min")
    focus = stats[stats["authority_code"] == FOCUS].copy()
    focus["position"] = [
        1 + int((members.loc[(members["period"] == p) & (members["column"] == c), "key"] < k).sum())
        if k == k
        else np.nan
        for p, c, k in zip(focus["period"], focus["column"], focus["key"])
    ]
    return pd.concat([members, focus], ignore_index=True).rename(columns={"column": "theme"})


def test_county_unitaries_positions_are_the_members_own(catalogue, unitaries_bench, expected_ranks):
    """Theme, Overall and LA Core positions of the unitaries equal those recomputed among the
    unitaries alone; Leicestershire's would-be position places its own average among theirs."""
    expected = _expected_positions(catalogue, expected_ranks)
    got = unitaries_bench.positions
    merged = got.merge(expected, on=["period", "theme", "authority_code"], suffixes=("", "_expected"))
    assert len(merged) == len(got) == len(expected)
    np.testing.assert_allclose(merged["average_rank"], merged["average_rank_expected"])
    np.testing.assert_array_equal(
        merged["position"].to_numpy(dtype=float, na_value=np.nan), merged["position_expected"].to_numpy(dtype=float)
    )
    focus = got[(got["authority_code"] == FOCUS) & (got["period"] == PERIOD)].set_index("theme")
    assert not focus["in_group"].any()
    assert pd.notna(focus.loc["Overall", "position"])
    members = got[got["in_group"] & (got["period"] == PERIOD) & (got["theme"] == "Overall")]
    assert focus.loc["Overall", "n_positioned"] == members["position"].notna().sum() == 8
    assert sorted(members["position"].astype(int)) == list(range(1, 9))


def test_scaled_positions_of_the_members_are_their_own(catalogue):
    """With ranks scaled to the group size, the members' positions are those of the engine run
    on the members alone, and Leicestershire's row is beside them with a would-be position."""
    bench = benchmark_for(catalogue, "county-unitaries", FOCUS, scaled=True)
    members = list(bench.group.members)
    alone = positions(
        ranking.indicator_ranks(catalogue.reporting_values, catalogue.indicators, authority_codes=members),
        catalogue.indicators,
        scaled=True,
    )
    got = bench.positions[bench.positions["in_group"]].drop(columns="in_group").reset_index(drop=True)
    pd.testing.assert_frame_equal(got, alone)
    mine = bench.positions[~bench.positions["in_group"]]
    assert set(mine["authority_code"]) == {FOCUS} and mine["position"].notna().any()


def test_a_group_containing_the_focus_is_unchanged(catalogue):
    """County councils around Leicestershire (a member): no row beside the group, and the ranks
    are the engine's ranks among the members, as before."""
    bench = benchmark_for(catalogue, "county-councils", FOCUS)
    assert bench.group.beside is None and FOCUS in bench.group.members
    for frame in (bench.ranks, bench.positions, bench.spend_ranks, bench.funding_ranks, bench.deprivation_ranks):
        assert frame["in_group"].all()
    direct = ranking.indicator_ranks(
        catalogue.reporting_values, catalogue.indicators, authority_codes=list(bench.group.members)
    )
    pd.testing.assert_frame_equal(bench.ranks.drop(columns="in_group"), direct)


def test_own_neighbour_lists_include_the_authority(catalogue):
    """A neighbour list (like DfE statistical neighbours or Oflog's, which exclude the authority
    itself) makes a group of the authority plus its neighbours: the authority is a member,
    nothing is beside it, and the ranks are those among the 1 + 3 authorities."""
    councils = catalogue.authorities.loc[catalogue.authorities["kind"] == "county council", "code"]
    neighbours = [code for code in councils if code != FOCUS][:3]
    listed = pd.DataFrame(
        {"group_id": "test-nn", "name": "Test neighbours", "authority_code": FOCUS, "member_code": neighbours}
    )
    with_list = replace(catalogue, comparator_groups=pd.concat([catalogue.comparator_groups, listed]))
    bench = benchmark_for(with_list, "neighbours:test-nn", FOCUS)
    assert bench.group.members == (FOCUS, *neighbours) and bench.group.beside is None
    assert bench.ranks["in_group"].all() and bench.positions["in_group"].all()
    overall = bench.positions[(bench.positions["period"] == PERIOD) & (bench.positions["theme"] == "Overall")]
    assert sorted(overall["authority_code"]) == sorted([FOCUS, *neighbours])


def test_views_mark_the_row_beside_the_group(catalogue, unitaries_bench):
    """The league table, its quartiles, the indicator table and the quadrant mark Leicestershire
    in_group False, count only the members, and keep the members' ranks."""
    table = theme_table(catalogue, unitaries_bench, PERIOD)
    assert not table.set_index("authority_code").loc[FOCUS, "in_group"]
    assert table["in_group"].sum() == 8
    quartiles = theme_quartiles(table)
    members = table["in_group"]
    assert sorted(quartiles.loc[members, "Overall"]) == [1, 1, 2, 2, 3, 3, 4, 4]  # 8 members: 2 per quartile
    indicator = unitaries_bench.ranks.loc[unitaries_bench.ranks["rank"].notna(), "indicator_id"].iloc[0]
    view = indicator_view(catalogue, unitaries_bench, indicator, PERIOD, FOCUS)
    assert view.loc[view["is_focus"], "in_group"].tolist() == [False]
    quads = quadrant_view(catalogue, unitaries_bench, "Overall", "Revenue", PERIOD, FOCUS)
    assert quads.loc[quads["is_focus"], "in_group"].tolist() == [False]
    assert set(quads["n"]) == {int(quads["in_group"].sum())}
    inside = quads[quads["in_group"]]
    assert sorted(inside["context_rank"].astype(int)) == list(range(1, len(inside) + 1))
    mine = quads[quads["is_focus"]].iloc[0]  # spend rank 1 = highest: 1 + members spending more
    assert mine["context_rank"] == 1 + (inside["context_value"] > mine["context_value"]).sum()
    assert mine["performance_position"] == 1 + (inside["average_rank"].round(9) < round(mine["average_rank"], 9)).sum()
    figures = overview(catalogue, unitaries_bench, PERIOD, FOCUS)
    assert not figures.in_group and "not in the comparator group" in figures.beside_note
    assert figures.overall.n == 8
    sentences = overview_sentences(figures)
    assert sentences[0] == figures.beside_note and "would rank" in sentences[1]
    assert not any("0th" in sentence for sentence in sentences)


def test_a_rank_below_every_member_reads_in_words():
    """Beside a group of 8 the focus can stand 9th: 'Lowest, below all 8', never '0th lowest'."""
    assert rank_by_size(9, 8) == rank_card_text(9, 8) == "Lowest, below all 8"
    assert rank_by_size(8, 8) == "Lowest of 8" and rank_by_size(3, 8) == "3rd highest of 8"


def test_csv_exports_carry_in_group(demo_store_path, tmp_path):
    """`ranks --group county-unitaries` writes in_group, False on Leicestershire's rows only;
    `positions` returns the same column (called directly: the CLI writes what it returns)."""
    out = tmp_path / "ranks.csv"
    run = subprocess.run(
        [sys.executable, "-m", "benchmarking", "--db", str(demo_store_path), "ranks", "--period", PERIOD]
        + ["--group", "county-unitaries", "--focus", FOCUS, "--out", str(out)],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    args = Namespace(
        db=str(demo_store_path),
        group="county-unitaries",
        focus=FOCUS,
        scaled=False,
        min_coverage=0.5,
        all_periods=False,
        period=PERIOD,
    )
    for exported in (pd.read_csv(out), export_positions(args).to_pandas()):
        assert "in_group" in exported.columns
        assert set(exported.loc[~exported["in_group"].astype(bool), "authority_code"]) == {FOCUS}
        assert exported.loc[exported["authority_code"] == FOCUS, "in_group"].eq(False).all()
        assert exported["in_group"].sum() > 0


def test_pages_mark_the_focus_beside_the_group(demo_store_path, monkeypatch):
    """With the county unitaries chosen for Leicestershire, the page says it is shown beside the
    group, and the Theme rankings league table labels its row so among the 8 members."""
    at = open_page(demo_store_path, monkeypatch, "overview", {"focus": FOCUS, "group": "county-unitaries"})
    assert not at.exception
    notes = [box.value for box in at.info]
    assert any("Leicestershire is not in the comparator group" in note for note in notes), notes
    at.switch_page("pages/themes.py").run()
    assert not at.exception
    assert any("Leicestershire is not in the comparator group" in box.value for box in at.info)
    tables = [table for table in html_tables(at) if "Authority" in table.columns]
    names = list(tables[0]["Authority"])
    assert "Leicestershire (beside the group)" in names
    assert len(names) == 9


def test_beyond_ranks_ranks_the_focus_with_the_group_as_a_what_if(catalogue, demo_store_path, monkeypatch):
    """Beyond ranks needs the focus inside the ranking: there it is ranked with the members, and
    the page says so; the group's own benchmark is left unchanged."""
    bench = benchmark_with_focus_ranked(catalogue, "county-unitaries", FOCUS)
    assert FOCUS in bench.group.members and bench.group.size == 9 and bench.ranks["in_group"].all()
    assert "ranked in it" in bench.group.label
    at = open_page(demo_store_path, monkeypatch, "beyond_ranks", {"focus": FOCUS, "group": "county-unitaries"})
    assert not at.exception
    assert any("as if it were one of them" in box.value for box in at.info)
