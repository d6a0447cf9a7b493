"""The Quartiles and lists page: the focus authority's quartile counts and bottom-quartile
list equal counts made directly from the engine's indicator ranks."""

import pytest
from apptest_helpers import (
    EARLIER,
    FOCUS,
    LATEST,
    OTHER_FOCUS,
    charts,
    choose,
    direct_ranks,
    metrics,
    open_page,
    shown_table,
    shows_demo_banner,
)

QUARTILE_LABELS = ["1st quartile", "2nd quartile", "3rd quartile", "4th quartile"]


def direct_quartile_counts(store_path, period=LATEST, focus=FOCUS, group_id="all") -> dict[str, str]:
    """Return '1st quartile' -> count of the focus authority's indicators there, from the ranks."""
    ranks = direct_ranks(str(store_path), group_id, focus)
    rows = ranks[(ranks["period"] == period) & (ranks["authority_code"] == focus)].dropna(subset=["quartile"])
    counts = rows["quartile"].astype(int).value_counts()
    return {label: str(int(counts.get(q, 0))) for q, label in enumerate(QUARTILE_LABELS, start=1)}


def test_quartiles_renders_with_the_demo_banner(demo_store_path, monkeypatch):
    """The page runs, shows the demo banner and names the focus and period; it draws no chart."""
    at = open_page(demo_store_path, monkeypatch, "quartiles")
    assert not at.exception
    assert shows_demo_banner(at)
    assert at.subheader[0].value == f"Quartile position of Leicestershire's indicators, {LATEST}"
    assert charts(at) == []


def test_quartile_metrics_are_counted_from_the_ranks(demo_store_path, monkeypatch):
    """The four Overall metrics equal the focus authority's quartiles counted from indicator ranks."""
    at = open_page(demo_store_path, monkeypatch, "quartiles")
    assert metrics(at) == direct_quartile_counts(demo_store_path)


def test_bottom_quartile_list_names_every_fourth_quartile_indicator(demo_store_path, monkeypatch):
    """The tables under the bottom-quartile heading hold exactly the indicators ranked in the 4th quartile."""
    at = open_page(demo_store_path, monkeypatch, "quartiles")
    bottom = direct_quartile_counts(demo_store_path)["4th quartile"]
    heading, listed = None, 0
    for node in at.main:
        if getattr(node, "type", None) == "subheader":
            heading = node.value
        elif getattr(node, "type", None) == "html" and heading and "(bottom quartile)" in heading:
            listed += len(shown_table(node.value)) if node.value.startswith("<table") else 0
    assert str(listed) == bottom
    assert any(
        caption.value.startswith(f"{bottom} indicators of Leicestershire in the lowest 25%") for caption in at.caption
    )


@pytest.mark.parametrize(
    "key, value, selection",
    [
        # another period
        ("period", EARLIER, dict(period=EARLIER)),
        # another focus authority
        ("focus", OTHER_FOCUS, dict(focus=OTHER_FOCUS)),
        # another comparator group
        ("group", "county-councils", dict(group_id="county-councils")),
    ],
)
def test_changing_the_selection_shows_the_counts_for_it(demo_store_path, monkeypatch, key, value, selection):
    """After a sidebar change the metrics are the counts for the new selection."""
    at = open_page(demo_store_path, monkeypatch, "quartiles")
    before = metrics(at)
    choose(at, key, value)
    assert not at.exception
    expected = direct_quartile_counts(demo_store_path, **selection)
    assert metrics(at) == expected
    assert expected != before


def test_an_authority_not_yet_formed_is_said_to_be_so(shipped_store_path, monkeypatch):
    """Cumberland (formed 1 April 2023) in 2012/13: the page says it was not yet formed, as the Overview does,
    not counts of 0 and "No indicator ... in the bottom quartile"."""
    at = open_page(shipped_store_path, monkeypatch, "quartiles", {"focus": "E06000063", "period": "2012/13"})
    assert not at.exception
    said = [box.value.replace("\\", "") for box in at.info]  # as read: without Markdown's escapes
    assert said == [
        "Cumberland was not yet formed in 2012/13 (formed on 1 April 2023): it has no figures, positions or ranks "
        "in this period."
    ]
    assert not metrics(at)


def test_a_quartile_list_spells_out_its_abbreviations_and_writes_each_year_one_way(shipped_store_path, monkeypatch):
    """The bottom-quartile list (real data, Leicestershire 2022/23) has an abbreviations line, as the Indicator
    and Theme pages have, for the abbreviations its indicator names use; and a figure published for the same
    days as a reporting period is said to be for it as that period is written (2022/23, never 2022-23 beside it)."""
    from apptest_helpers import engine

    from benchmarking.method.periods import span_or_none
    from benchmarking.service.lists import BOTTOM, TOP, quartile_lists
    from benchmarking.text.tables import glossary_line

    leicestershire = "E10000018"
    cat, bench = engine(str(shipped_store_path), "all", leicestershire)
    lists = quartile_lists(cat, bench, "2022/23", leicestershire, (BOTTOM, TOP))
    reporting = {span_or_none(p): p for p in bench.ranks["period"].unique() if span_or_none(p)}
    for listed in lists.values():
        for label in listed["source_period"].dropna():
            assert reporting.get(span_or_none(label), label) == label
    at = open_page(shipped_store_path, monkeypatch, "quartiles", {"focus": leicestershire, "period": "2022/23"})
    assert not at.exception
    glossary = glossary_line(lists[BOTTOM]["name"])
    assert glossary, "the bottom-quartile list was expected to name an abbreviation"
    assert f"Abbreviations: {glossary}." in [c.value.replace("\\", "") for c in at.caption]
