"""Review v10 #2: a DfE statistical-neighbour group says how many of DfE's ten neighbours the store holds, where it
is chosen (the sidebar's note) and described (its label: page header, chart subtitles, briefing), instead of
silently ranking the focus with 8 of them as if that were DfE's list."""

from __future__ import annotations

import pytest
from apptest_helpers import open_page

from benchmarking.service.benchmark import comparator_group
from benchmarking.service.catalogue import load_catalogue

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
    assert "8 of DfE's 10 neighbours in this store" in group.label


def test_the_sidebar_notes_the_neighbours_not_in_the_store(shipped_store_path, monkeypatch):
    query = {"focus": FOCUS, "period": "2022/23", "group": "neighbours:dfe-sn-2021"}
    at = open_page(shipped_store_path, monkeypatch, "overview", query=query)
    assert not at.exception, at.exception
    notes = [caption.value for caption in at.sidebar.caption if "DfE lists" in caption.value]
    assert len(notes) == 1 and "10 statistical neighbours" in notes[0] and "8 are in this store" in notes[0]
