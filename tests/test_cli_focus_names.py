"""One rule resolves a focus for every command (review e1): ``--focus`` takes a code in any case or an authority's
name as ``group save --members`` reads it, and refuses anything else naming it, with what it may mean."""

from __future__ import annotations

import pandas as pd
import pytest

from benchmarking.cli.main import main
from benchmarking.errors import UnknownAuthorityError
from benchmarking.service.catalogue import load_catalogue

LEICS = "E10000018"


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("given", ["Leicestershire", "LEICESTERSHIRE", "e10000018", LEICS])
def test_positions_beside_a_group_take_the_focus_by_name_or_code(shipped_store_path, tmp_path, capsys, given):
    out = tmp_path / "p.csv"
    code, _, err = run(
        capsys, "--db", shipped_store_path, "positions", "--period", "2023/24", "--group", "county-unitaries",
        "--focus", given, "--out", out,
    )  # fmt: skip
    assert code == 0, err
    rows = pd.read_csv(out)
    beside = rows.loc[~rows["in_group"], "authority_code"]
    assert set(beside) == {LEICS}  # shown beside the unitaries, as a county council is


def test_a_neighbour_list_is_found_for_a_focus_given_by_name(shipped_store_path, tmp_path, capsys):
    out = tmp_path / "p.csv"
    code, _, err = run(
        capsys, "--db", shipped_store_path, "ranks", "--period", "2023/24", "--group", "neighbours:dfe-sn-2021",
        "--focus", "leicestershire", "--out", out,
    )  # fmt: skip
    assert code == 0, err
    assert LEICS in set(pd.read_csv(out)["authority_code"])


@pytest.mark.parametrize(
    "command, given, meant",
    [
        ("positions", "Leicestershre", "Leicestershire (E10000018)"),
        ("ranks", "E1000018", "E10000018 (Leicestershire)"),
        ("brief", "Leicestershre", "Leicestershire (E10000018)"),
    ],
)
def test_an_unknown_focus_is_refused_naming_it_and_what_it_may_mean(
    shipped_store_path, tmp_path, capsys, command, given, meant
):
    out = tmp_path / ("b.pdf" if command == "brief" else "x.csv")
    code, _, err = run(
        capsys, "--db", shipped_store_path, command, "--period", "2023/24", "--group", "neighbours:dfe-sn-2021",
        "--focus", given, "--out", out,
    )  # fmt: skip
    assert code == 2
    assert f"no authority {given!r}" in err and f"did you mean {meant}?" in err
    assert "comparator group" not in err  # the focus is blamed, not the group
    assert not out.exists()


def test_resolve_focus_is_the_default_focus_when_none_is_given(shipped_store_path):
    cat = load_catalogue(shipped_store_path, values=False)
    assert cat.resolve_focus(None) == cat.default_focus()
    with pytest.raises(UnknownAuthorityError, match="no authority 'Nowhere'"):
        cat.resolve_focus("Nowhere")
