"""Review v10 #2: a DfE statistical-neighbour group says how many of DfE's ten neighbours the store holds, where it
is chosen (the sidebar's note) and described (its label: page header, chart subtitles, briefing), instead of
silently ranking the focus with 8 of them as if that were DfE's list."""

from __future__ import annotations

import json

import pytest
from apptest_helpers import open_page

from benchmarking.service.benchmark import comparator_group
from benchmarking.service.catalogue import load_catalogue
from benchmarking.service.group_size import existing_in
from benchmarking.text.escaping import markdown

FOCUS = "E10000018"  # Leicestershire: DfE's 2021 list has South Gloucestershire (1st) and North Somerset (8th)


@pytest.fixture(scope="module")
def real(shipped_store_path):
    return load_catalogue(shipped_store_path)


def test_the_group_label_says_how_many_of_dfes_ten_are_held(real):
    rows = real.comparator_groups
    held = rows[(rows["group_id"] == "dfe-sn-2021") & (rows["authority_code"] == FOCUS)]
    assert len(held) == 8  # the two unitaries are not county areas
    group = comparator_group(real, "neighbours:dfe-sn-2021", FOCUS)
    assert group.size == 9
    assert group.label == (
        "DfE statistical neighbours (2021 model) of Leicestershire without DfE's 1st (South Gloucestershire) "
        "and 8th (North Somerset): "
        "8 of DfE's 10 in this store"
    )


def test_the_sidebar_notes_the_neighbours_not_in_the_store(shipped_store_path, monkeypatch):
    query = {"focus": FOCUS, "period": "2022/23", "group": "neighbours:dfe-sn-2021"}
    at = open_page(shipped_store_path, monkeypatch, "overview", query=query)
    assert not at.exception, at.exception
    notes = [caption.value for caption in at.sidebar.caption if "DfE lists" in caption.value]
    assert notes == [
        markdown(
            "DfE lists 10 statistical neighbours of Leicestershire; 8 are county areas in this store. Not in it: South "
            "Gloucestershire (DfE's 1st), North Somerset (8th). The group is Leicestershire and the 8."
        )
    ]


@pytest.mark.shared_data
def test_the_adapter_keeps_dfes_neighbours_that_are_not_county_areas_in_dfes_order(shared_data):
    from benchmarking.adapters.dfe_neighbours import statistical_neighbour_items
    from benchmarking.datasets.public_sources import source_context
    from benchmarking.method.groups import DFE_NOT_HELD_SETTING as NOT_HELD_SETTING

    context = source_context(shared_data)
    loaded = statistical_neighbour_items(shared_data / "dfe_lait", context.areas, context.lookups)
    not_held = json.loads(dict(loaded.settings)[NOT_HELD_SETTING])
    assert not_held["dfe-sn-2021"][FOCUS] == [[1, "South Gloucestershire"], [8, "North Somerset"]]
    for model, lists in not_held.items():  # with the county areas held, each is DfE's ten
        rows = loaded.items[0][1]
        for code, missing in lists.items():
            held = rows[(rows["group_id"] == model) & (rows["authority_code"] == code)]
            assert len(held) + len(missing) == 10


@pytest.mark.parametrize("period, somerset", [("2022/23", "E10000027"), ("2023/24", "E06000066")])
def test_a_listed_council_is_the_one_that_held_its_dfe_number_in_the_period(real, period, somerset):
    """DfE's 2025 list names LA 933 Somerset: Somerset CC in 2022/23, Somerset Council (formed April 2023) after."""
    group = comparator_group(real, "neighbours:dfe-sn-2025", FOCUS, period)
    assert somerset in group.members and not {"E10000027", "E06000066"} - {somerset} & set(group.members)
    assert all(existing_in(list(group.members), period))


def test_the_page_header_reads_the_label_then_the_size(shipped_store_path, monkeypatch):
    """The header's group words end in words before the group's size: no "(8th)) (9 authorities)"."""
    query = {"focus": FOCUS, "period": "2022/23", "group": "neighbours:dfe-sn-2021"}
    at = open_page(shipped_store_path, monkeypatch, "overview", query=query)
    header = next(caption.value for caption in at.caption if "comparator group:" in caption.value)
    shown = header.replace("\\", "")  # the Markdown escapes taken off: the words as read
    assert "and 8th (North Somerset): 8 of DfE's 10 in this store (9 authorities)" in shown
    assert ")) (" not in shown


SN_COLUMNS = "la_number,la_name,neighbour_rank,neighbour_la_number,neighbour_la_name\n"


def _neighbour_files(folder):
    """Write both DfE models for Leicestershire (855): Warwickshire and Worcestershire, and South Gloucestershire
    (803, not a county area) 2nd in the 2021 model, 1st in the 2025 one."""
    folder.mkdir()
    rows = {
        "statistical_neighbours_april_2021_long.csv": [
            (1, 937, "Warwickshire"),
            (2, 803, "South Gloucestershire"),
            (3, 885, "Worcestershire"),
        ],
        "statistical_neighbours_may_2025_long.csv": [
            (1, 803, "South Gloucestershire"),
            (2, 885, "Worcestershire"),
            (3, 937, "Warwickshire"),
        ],
    }
    for name, listed in rows.items():
        lines = [f"855,Leicestershire,{rank},{number},{neighbour}\n" for rank, number, neighbour in listed]
        (folder / name).write_text(SN_COLUMNS + "".join(lines), encoding="utf-8")
    return folder


def test_import_source_writes_the_neighbours_not_held_as_the_public_build_does(tmp_path, shipped_store_path):
    """`import-source dfe-neighbours` and the Data import page (``preview_source`` then ``commit_source``) write the
    adapter's ``dfe_neighbours_not_held`` setting with its rows, so the group names whom it leaves out."""
    import shutil

    from benchmarking.method.groups import DFE_NOT_HELD_SETTING as NOT_HELD_SETTING
    from benchmarking.service.data_admin import commit_source, preview_source, source_named
    from benchmarking.store import Store

    path = tmp_path / "store.duckdb"
    shutil.copy(shipped_store_path, path)
    store, source = Store(path), source_named("dfe-neighbours")
    checked = preview_source(store, source, _neighbour_files(tmp_path / "dfe_lait"))
    commit_source(store, source, checked, False, "tester", None)
    not_held = json.loads(load_catalogue(path).settings[NOT_HELD_SETTING])
    assert not_held == {
        "dfe-sn-2021": {FOCUS: [[2, "South Gloucestershire"]]},
        "dfe-sn-2025": {FOCUS: [[1, "South Gloucestershire"]]},
    }
