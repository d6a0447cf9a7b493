"""Saved comparator groups (``service.saved_groups`` and ``python -m benchmarking group``) on a copy of the demo store:
saved by codes or names, chosen as ``list:<id>``, replaced whole, refused whole, undone, exported and read back."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from benchmarking.cli.main import main
from benchmarking.errors import SavedGroupError
from benchmarking.ingest.importer import import_frames
from benchmarking.method.groups import available_groups
from benchmarking.service import saved_groups
from benchmarking.service.catalogue import load_catalogue

HOSTILE = "=cmd() **bold** <script>alert(1)</script>"


def _run(store, capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["--db", str(store.path), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def _authorities(store, n: int) -> pd.DataFrame:
    return store.authorities().sort_values("code").head(n)


def test_a_group_saved_by_names_and_codes_ranks_only_its_members(writable_store, capsys):
    chosen = _authorities(writable_store, 5)
    given = [*chosen["name"].iloc[:3].str.upper(), *chosen["code"].iloc[3:]]  # names in any case, and codes
    code, out, _ = _run(writable_store, capsys, "group", "save", "Shire peers", "--members", ", ".join(given))
    assert code == 0 and "list:shire-peers" in out and "5 authorities" in out
    catalogue = load_catalogue(writable_store.path)
    choices = available_groups(catalogue.authorities, catalogue.comparator_groups)
    assert ("list:shire-peers", "Shire peers", 5) in set(choices.itertuples(index=False, name=None))
    period = catalogue.period_labels[-1]
    argv = ("positions", "--group", "list:shire-peers", "--period", period, "--out", "-")
    code, out, _ = _run(writable_store, capsys, *argv)
    assert code == 0
    positions = pd.read_csv(io.StringIO(out))
    assert set(positions.loc[positions["in_group"], "authority_code"]) == set(chosen["code"])
    assert positions["n_positioned"].max() == 5


def test_saving_again_replaces_the_group_whole_and_undo_restores_it(writable_store, capsys):
    codes = list(_authorities(writable_store, 4)["code"])
    catalogue = load_catalogue(writable_store.path)
    saved_groups.save_group(writable_store, catalogue, "peers", "Peers", codes)
    result = saved_groups.save_group(writable_store, load_catalogue(writable_store.path), "peers", "Peers", codes[:2])
    assert result.counts["comparator_group"]["removed"] == 2
    members = saved_groups.saved_group_members(load_catalogue(writable_store.path), "peers")
    assert set(members["code"]) == set(codes[:2])
    writable_store.undo_last_import()
    members = saved_groups.saved_group_members(load_catalogue(writable_store.path), "peers")
    assert set(members["code"]) == set(codes)


@pytest.mark.parametrize(
    ("name", "members", "group_id", "said"),
    [
        ("Peers", ["E99999999", "Narnia County Council"], None, "not an authority in the store: 'E99999999'"),
        ("Peers", ["__first__"], None, "at least 2 authorities"),
        ("   ", ["__first__", "__second__"], None, "give the comparator group a name"),
        ("Peers", ["__first__", "__second__"], "__neighbours__", "published neighbour list"),
    ],
)
def test_a_group_that_cannot_be_saved_is_refused_and_nothing_is_written(writable_store, name, members, group_id, said):
    catalogue = load_catalogue(writable_store.path)
    first, second = _authorities(writable_store, 2)["code"]
    members = [{"__first__": first, "__second__": second}.get(m, m) for m in members]
    if group_id == "__neighbours__":  # a published neighbour list: one authority's nearest neighbours
        neighbours = pd.DataFrame({"group_id": ["nn"], "name": ["Neighbours"], "authority_code": [first]})
        import_frames(writable_store, [("comparator_group", neighbours.assign(member_code=second), "nn.csv")])
        catalogue, group_id = load_catalogue(writable_store.path), "nn"
    before = (len(writable_store.datasets()), len(catalogue.comparator_groups))
    with pytest.raises(SavedGroupError, match=said.replace("(", r"\(")):
        saved_groups.save_group(writable_store, catalogue, group_id or "peers", name, members)
    after = load_catalogue(writable_store.path)
    assert (len(writable_store.datasets()), len(after.comparator_groups)) == before


def test_the_cli_refuses_an_unknown_member_with_exit_2(writable_store, capsys):
    first = _authorities(writable_store, 1)["code"].iloc[0]
    code, out, err = _run(writable_store, capsys, "group", "save", "Peers", "--members", f"{first}, Atlantis")
    assert code == 2 and "'Atlantis'" in err and "Saved" not in out
    assert "peers" not in set(saved_groups.saved_group_table(load_catalogue(writable_store.path))["group_id"])


def test_export_delete_and_import_round_trip_a_hostile_name(writable_store, tmp_path, capsys):
    codes = list(_authorities(writable_store, 3)["code"])
    members_file = tmp_path / "members.txt"
    members_file.write_text("\n".join(codes) + "\n", encoding="utf-8")
    code, _, _ = _run(
        writable_store, capsys, "group", "save", HOSTILE, "--id", "hostile", "--members-file", str(members_file)
    )
    assert code == 0
    out_file = tmp_path / "hostile.csv"
    assert _run(writable_store, capsys, "group", "export", HOSTILE, "--out", str(out_file))[0] == 0
    written = pd.read_csv(out_file, dtype=str)
    assert list(written.columns) == list(saved_groups.FILE_COLUMNS)
    assert set(written["name"]) == {"'" + HOSTILE}  # a formula-like cell is marked for spreadsheets
    code, out, _ = _run(writable_store, capsys, "group", "delete", "list:hostile")
    assert code == 0 and "3 member rows removed" in out
    assert "hostile" not in set(saved_groups.saved_group_table(load_catalogue(writable_store.path))["group_id"])
    code, _, _ = _run(writable_store, capsys, "import", str(out_file), "--table", "comparator_group")
    assert code == 0
    catalogue = load_catalogue(writable_store.path)
    table = saved_groups.saved_group_table(catalogue).set_index("group_id")
    assert table.loc["hostile", "name"] == HOSTILE and table.loc["hostile", "members"] == 3
    code, out, _ = _run(writable_store, capsys, "group", "show", "HOSTILE")  # the id, in any case
    assert code == 0 and out.startswith(f"{HOSTILE} (choose as list:hostile): 3 authorities")


def test_an_unknown_group_names_the_saved_ones(writable_store, capsys):
    codes = list(_authorities(writable_store, 2)["code"])
    saved_groups.save_group(writable_store, load_catalogue(writable_store.path), "peers", "Peers", codes)
    code, _, err = _run(writable_store, capsys, "group", "show", "Pears")
    assert code == 2 and "no saved comparator group 'Pears'" in err and "peers (Peers)" in err


def test_a_group_no_period_holds_whole_is_counted_in_the_period_pages_open_on(shipped_store_path, tmp_path, capsys):
    """Northamptonshire and its successors (and Cumbria with Cumberland): `group list` and `group show` say the 7
    members and how many existed in the period the pages open on, naming the others, never 7 alone where no period
    has 7."""
    from reorganised_group import GROUP_ID, MEMBERS, existing_then, store_with_group

    store = store_with_group(shipped_store_path, tmp_path)
    catalogue = load_catalogue(store.path)
    assert all(len(existing_then(p)[0]) < len(MEMBERS) for p in catalogue.period_labels if p[4] == "/")
    period = catalogue.default_period
    alive, gone = existing_then(period)
    assert 0 < len(alive) < len(MEMBERS) and len(gone) == 2  # the recount: Cumberland and Northamptonshire
    counted = f"({len(alive)} in {period}; {gone[0]} and {gone[1]} did not exist then)"
    code, out, _ = _run(store, capsys, "group", "list")
    assert code == 0
    [line] = [line for line in out.splitlines() if f"list:{GROUP_ID}" in line]
    assert line.rstrip().endswith(f" {len(MEMBERS)} {counted}")
    code, out, _ = _run(store, capsys, "group", "show", GROUP_ID)
    assert code == 0 and f": {len(MEMBERS)} authorities {counted}" in out.splitlines()[0]
    row = saved_groups.saved_group_table(catalogue, "2020/21").iloc[0]  # another period: its own count
    assert (row["members"], row["in_period"], list(row["not_existing"])) == (
        len(MEMBERS),
        len(existing_then("2020/21")[0]),
        existing_then("2020/21")[1],
    )


@pytest.mark.parametrize(
    ("second", "said"), [([0, 1, 2], "0 rows removed, 1 row restored"), ([0, 1, 4], "1 row removed, 2 rows restored")]
)
def test_undo_after_saving_again_counts_what_it_did(writable_store, capsys, second, said):
    """Undoing a second save counts the rows it deleted (the members that save added) and the rows it put back
    (the members that save dropped), not '3 added rows removed, 0 replaced rows restored'."""
    codes = list(_authorities(writable_store, 5)["code"])
    assert _run(writable_store, capsys, "group", "save", "Peers", "--members", ", ".join(codes[:4]))[0] == 0
    assert (
        _run(writable_store, capsys, "group", "save", "Peers", "--members", ", ".join(codes[k] for k in second))[0] == 0
    )
    code, out, _ = _run(writable_store, capsys, "undo")
    members = saved_groups.saved_group_members(load_catalogue(writable_store.path), "peers")
    assert code == 0 and set(members["code"]) == set(codes[:4])
    assert said in out, out
