"""Importing a comparator group (review v9): members given by name resolve as authority names do in a values
file (``ingest.names.resolve_authorities``), and '*', the documented marker of a saved list (a list for every
authority), is taken as that marker, never reported as an authority "not found in the store"."""

from __future__ import annotations

import pandas as pd

from benchmarking.cli.main import main

HEADER = "group_id,name,authority_code,member_code\n"


def _import(store, tmp_path, capsys, text: str, *options: str) -> tuple[int, str]:
    path = tmp_path / "group.csv"
    path.write_text(HEADER + text, encoding="utf-8")
    code = main(["--db", str(store.path), "import", str(path), *options])
    out, err = capsys.readouterr()
    return code, out + err


def _group(store, group_id: str) -> pd.DataFrame:
    groups = store.comparator_groups()
    return groups[groups["group_id"] == group_id].sort_values("member_code", ignore_index=True)


def _name_of(store, code: str) -> str:
    authorities = store.authorities()
    return authorities.set_index("code").loc[code, "name"]


def test_members_by_name_resolve_and_the_saved_list_marker_is_accepted(writable_store, tmp_path, capsys):
    """A saved list with one member by code, one by its stored name and one by a publisher's spelling of it."""
    named, spelt = "E10000007", "E10000024"
    rows = (
        "peers,My peers,*,E10000018\n"
        f"peers,My peers,*,{_name_of(writable_store, named)}\n"
        f"peers,My peers,*,{_name_of(writable_store, spelt).upper()} County Council\n"
    )
    before = writable_store.checksums()
    code, shown = _import(writable_store, tmp_path, capsys, rows, "--dry-run")
    assert code == 0, shown
    assert "not found in the store" not in shown and "unknown authority" not in shown
    assert writable_store.checksums() == before
    code, shown = _import(writable_store, tmp_path, capsys, rows)
    assert code == 0, shown
    stored = _group(writable_store, "peers")
    assert stored["member_code"].tolist() == sorted(["E10000018", named, spelt])
    assert set(stored["authority_code"]) == {"*"}


def test_an_unknown_member_is_still_refused_at_its_row(writable_store, tmp_path, capsys):
    before = writable_store.checksums()
    code, shown = _import(writable_store, tmp_path, capsys, "peers,My peers,*,E10000018\npeers,My peers,*,Atlantis\n")
    assert code == 2
    assert "group.csv, row 3, column 'member_code': unknown authority 'Atlantis'" in shown
    assert "not found in the store: Atlantis" in shown and "not found in the store: *" not in shown
    assert writable_store.checksums() == before
