"""Similar authorities are chosen among the authorities that exist in the period on screen (review v10 #1): the
'10 most similar' to Leicestershire in 2022/23 are ten authorities of 2022/23, never Buckinghamshire CC (abolished
2020) or Northamptonshire (2021), on the sidebar's group and on Beyond ranks' table alike."""

from __future__ import annotations

import pytest
from apptest_helpers import html_tables, open_page

from benchmarking.service.benchmark import benchmark_for
from benchmarking.service.catalogue import load_catalogue
from benchmarking.service.group_size import existing_in, group_size

FOCUS = "E10000018"  # Leicestershire


@pytest.fixture(scope="module")
def real(shipped_store_path):
    return load_catalogue(shipped_store_path)


@pytest.mark.parametrize("period", ["2019/20", "2022/23", "2023/24"])
def test_the_k_most_similar_all_exist_in_the_period(real, period):
    bench = benchmark_for(real, "similar:10", FOCUS, period=period)
    counts = group_size(real, bench, period)
    assert (counts.members, counts.in_period, counts.not_existing) == (11, 11, ())
    assert all(existing_in(list(bench.group.members), period))


def test_the_sidebar_group_and_the_similar_table_name_the_same_existing_authorities(shipped_store_path, monkeypatch):
    real = load_catalogue(shipped_store_path)
    query = {"focus": FOCUS, "period": "2022/23", "group": "similar:10", "section": "similar"}
    at = open_page(shipped_store_path, monkeypatch, "beyond_ranks", query=query)
    assert not at.exception, at.exception
    header = next(caption.value for caption in at.caption if "comparator group:" in caption.value)
    assert "(11 authorities" in header and "abolished" not in header
    shown = [frame.value for frame in at.dataframe] + html_tables(at)
    table = next(frame for frame in shown if "Neighbour rank" in frame.columns)
    members = benchmark_for(real, "similar:10", FOCUS, period="2022/23").group.members
    assert list(table["Code"]) == list(members[1:])
