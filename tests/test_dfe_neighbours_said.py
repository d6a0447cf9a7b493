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
    assert group.label.endswith(
        "(8 of DfE's 10 neighbours in this store; not in it: South Gloucestershire (DfE's 1st), North Somerset (8th))"
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
    from benchmarking.adapters.dfe_neighbours import NOT_HELD_SETTING, statistical_neighbour_items
    from benchmarking.datasets.public_sources import source_context

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
