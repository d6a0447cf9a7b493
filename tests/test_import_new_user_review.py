"""Wrong figures a new user's review of the import found on the shipped store, each case as a user meets it.

1. A label naming the same days as the label the store holds for that indicator is that period
   (``2023/24`` is the stored ``2023-24`` of ``16-17 NEET``), even where other indicators hold ``2023/24``.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from benchmarking.cli.main import main
from benchmarking.ingest.keys import canonical_periods, refused_periods
from benchmarking.store import Store

NEET = "16-17 NEET"
KENT = "E10000016"


@pytest.fixture
def shipped(shipped_store_path, tmp_path) -> Store:
    """A private copy of the store built from the shipped extract (real public data), to import into."""
    path = tmp_path / "s.duckdb"
    shutil.copy(shipped_store_path, path)
    return Store(path)


def imported(store: Store, tmp_path, text: str, capsys, *options: str) -> tuple[int, str]:
    """Return the exit status and the output of ``import`` of a CSV file holding ``text``."""
    path = tmp_path / "long.csv"
    path.write_text(text)
    capsys.readouterr()
    status = main(["--db", str(store.path), "import", str(path), *options])
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def figures(store: Store, indicator: str) -> pd.DataFrame:
    """Return an indicator's stored figures (authority_code, period, value)."""
    with store.reading() as con:
        return con.execute(
            "SELECT authority_code, period, value FROM indicator_value WHERE indicator_id = ?", [indicator]
        ).df()


# -- 1. the same year spelt differently ---------------------------------------------------------------------------


def test_a_label_is_written_as_the_label_its_indicator_holds_for_the_same_days():
    """Each indicator's rows take the label it holds for those days; an indicator holding none keeps the store's."""
    held = pd.DataFrame({"indicator_id": ["A", "B"], "period": ["2023-24", "2023/24"], "status": "final"})
    rows = pd.DataFrame(
        {
            "indicator_id": ["A", "B", "C", "A", "B"],
            "authority_code": ["E1", "E1", "E1", "E2", "E2"],
            "period": ["2023/24", "2023-24", "2023/24", "2023/2024", "2023/24"],
        }
    )
    assert canonical_periods(rows, held)[0]["period"].tolist() == [
        "2023-24",
        "2023/24",
        "2023/24",
        "2023-24",
        "2023/24",
    ]


def test_two_authorities_under_another_spelling_replace_the_stored_figures(shipped, tmp_path, capsys):
    """The review's file: ``2023/24`` for ``16-17 NEET`` (stored under ``2023-24``, while other indicators hold
    ``2023/24``) replaces Leicestershire's and Kent's figures; no second set of figures under ``2023/24``."""
    before = figures(shipped, NEET)
    assert set(before["period"]) >= {"2023-24"} and "2023/24" not in set(before["period"])
    text = "authority,indicator,period,value\nLeicestershire,16-17 NEET,2023/24,4.1\nKent,16-17 NEET,2023/24,5.2\n"
    status, out = imported(shipped, tmp_path, text, capsys)
    assert status == 0, out
    preview = next(line for line in out.splitlines() if line.startswith("long.csv "))
    assert preview.split()[3:6] == ["0", "2", "0"], out  # added, replaced, unchanged
    after = figures(shipped, NEET)
    assert len(after) == len(before) and set(after["period"]) == set(before["period"])
    kent = after[after["authority_code"].eq(KENT) & after["period"].eq("2023-24")]
    assert kent["value"].tolist() == [5.2]


def test_a_bare_year_is_refused_naming_the_label_the_indicator_holds():
    """`2023` for an indicator holding `2023-24`: the refusal names `2023-24` as held, not `2023/24` as not held."""
    held = pd.DataFrame(
        {"indicator_id": ["A", "A", "B"], "period": ["2022-23", "2023-24", "2023/24"], "status": "final"}
    )
    rows = pd.DataFrame({"indicator_id": ["A"], "authority_code": ["E1"], "period": ["2023"]})
    message = refused_periods(canonical_periods(rows, held)[0], held)["other_kind"].iloc[0]
    assert "'2022-23' (held) or '2023-24' (held)" in message, message
    assert "2023/24" not in message
