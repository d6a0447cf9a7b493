"""`python -m benchmarking ranks|positions` write the engine's numbers, for one period or all."""

import subprocess
import sys

import pandas as pd
import pytest

from benchmarking.method import positions as positions_module
from benchmarking.method import ranking


def _run(*args):
    return subprocess.run([sys.executable, "-m", "benchmarking", *args], capture_output=True, text=True)


def test_ranks_export_equals_a_direct_engine_run(demo_store, tmp_path):
    """The CSV's ranks are those of indicator_ranks on the store's values for that period."""
    out = tmp_path / "ranks.csv"
    run = _run("--db", str(demo_store.path), "ranks", "--period", "2021/22", "--out", str(out))
    assert run.returncode == 0, run.stderr
    exported = pd.read_csv(out)
    assert list(exported.columns) == [
        "indicator_id",
        "authority_code",
        "period",
        "value",
        "rank",
        "n_ranked",
        "quartile",
        "in_group",
        "source_period",
        "years_older",
        "basket",
        "balance",
    ]
    assert exported["in_group"].all()  # the default group, all authorities, holds the focus
    assert set(exported["period"]) == {"2021/22"}
    direct = ranking.indicator_ranks(demo_store.values(["2021/22"]), demo_store.indicators())
    merged = exported.merge(direct, on=["indicator_id", "authority_code"], suffixes=("", "_direct"))
    assert len(merged) == len(direct) == len(exported)
    assert (merged["rank"].fillna(-1) == merged["rank_direct"].astype(float).fillna(-1)).all()


def test_positions_export_for_a_group_and_all_periods(demo_store, tmp_path):
    """--group county-councils ranks among the 24 county councils; --all-periods covers every period."""
    out = tmp_path / "positions.csv"
    run = _run(
        "--db", str(demo_store.path), "positions", "--all-periods", "--group", "county-councils", "--out", str(out)
    )
    assert run.returncode == 0, run.stderr
    exported = pd.read_csv(out)
    assert exported["period"].nunique() == 10
    overall = exported[(exported["theme"] == "Overall") & (exported["period"] == "2021/22")]
    assert len(overall) == 24
    assert sorted(overall["position"]) == list(range(1, 25))
    councils = demo_store.authorities().query("kind == 'county council'")["code"]
    values = demo_store.values(["2021/22"])
    direct = positions_module.positions(
        ranking.indicator_ranks(values, demo_store.indicators(), authority_codes=councils), demo_store.indicators()
    )
    direct = direct[direct["theme"] == "Overall"].set_index("authority_code")["position"]
    assert overall.set_index("authority_code")["position"].to_dict() == direct.astype(int).to_dict()


@pytest.mark.parametrize(
    "args, message",
    [
        (["positions", "--period", "2030/31"], "no values for period '2030/31'"),
        (["positions"], "give --period"),
        (["ranks", "--period", "2021/22", "--group", "region:Atlantis"], "unknown or empty comparator group"),
    ],
)
def test_bad_arguments_give_a_message_and_exit_2(demo_store, args, message):
    run = _run("--db", str(demo_store.path), *args)
    assert run.returncode == 2
    assert message in run.stderr
    assert "Traceback" not in run.stderr


def test_a_place_below_all_of_the_group_is_said_in_the_positions_csv(shipped_store_path, tmp_path):
    """Cornwall beside the county councils stands below every positioned member in some periods (position 28 with
    27 positioned): the CSV says so in ``below_all`` and in the page's words ("below all 27"), and says every
    other place as the pages do ("3rd of 27"); the command's help names both columns."""
    from benchmarking.text.formatting import ordinal

    out = tmp_path / "positions.csv"
    args = ("positions", "--all-periods", "--group", "county-councils", "--focus", "E06000052", "--out", str(out))
    run = _run("--db", str(shipped_store_path), *args)
    assert run.returncode == 0, run.stderr
    exported = pd.read_csv(out, dtype=str, keep_default_na=False)  # the cells as written
    held = exported[exported["position"] != ""]
    position, n = held["position"].astype(int), held["n_positioned"].astype(int)
    below = held[position > n]
    assert len(below) and set(below["authority_code"]) == {"E06000052"}  # only the focus, beside the group
    assert below["below_all"].eq("True").all()
    assert list(below["position_text"]) == [f"below all {count}" for count in below["n_positioned"].astype(int)]
    within = held[position <= n]
    assert within["below_all"].eq("False").all()
    expected = [f"{ordinal(int(p))} of {int(c)}" for p, c in zip(within["position"], within["n_positioned"])]
    assert list(within["position_text"]) == expected
    unplaced = exported[exported["position"] == ""]
    assert unplaced["below_all"].eq("False").all() and unplaced["position_text"].eq("no position").all()
    helped = " ".join(_run("positions", "--help").stdout.split())
    assert "below_all" in helped and "position_text" in helped and "below all 24" in helped
