"""Group sizes on the shipped county-area store (44 authorities over the years, 37 in 2022/23): the
Overview, Quadrant and Theme rankings word every group size and "of N" by one rule
(``service.group_size``), agree with each other, and equal the engine's counts."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from apptest_helpers import catalogue, charts, engine, metrics, open_page

from benchmarking.method.lifetimes import load_county_areas
from benchmarking.method.membership import members_for_period
from benchmarking.method.positions import OVERALL
from benchmarking.service.group_size import group_size
from benchmarking.text.formatting import group_size_text, position_axis_title, position_text

FOCUS = "E10000018"  # Leicestershire


@pytest.fixture(scope="module")
def chosen(shipped_store_path) -> dict:
    """The period the store opens on, whose group lacks some of the store's authorities (abolished ones)."""
    cat = catalogue(str(shipped_store_path))
    period = cat.default_period
    existing = set(members_for_period(load_county_areas(), period)) & set(cat.authorities["code"])
    if len(existing) == len(cat.authorities):
        pytest.skip(f"every authority of the shipped store existed in {period}: nothing to tell apart")
    return {"period": period, "existing": existing}


def header_size(at) -> str:
    """Return the group size the page header's caption gives in brackets."""
    caption = next(c.value for c in at.caption if "comparator group:" in c.value)
    return re.search(r"comparator group: [^(]*\(([^)]*)\)", caption).group(1).replace("\\", "")


def test_the_counts_are_the_engines_and_the_lifetimes(shipped_store_path, chosen):
    """Members, those existing in the period (county-area lifetimes) and those with figures (the engine)."""
    cat, bench = engine(str(shipped_store_path), "all", FOCUS)
    counts = group_size(cat, bench, chosen["period"])
    rows = bench.positions[(bench.positions["period"] == chosen["period"]) & bench.positions["in_group"]]
    assert counts.members == len(cat.authorities) == bench.group.size
    assert counts.in_period == len(chosen["existing"])
    assert counts.with_figures == rows["authority_code"].nunique()
    names = dict(zip(cat.authorities["code"], cat.authorities["name"]))
    gone = sorted(names[c] for c in set(cat.authorities["code"]) - chosen["existing"])
    assert list(counts.not_existing) == gone  # the abolished councils, named as such, never "missing"
    assert f"{len(gone)} others abolished or not yet formed" in counts.text()


def test_overview_quadrant_and_themes_word_the_group_alike(shipped_store_path, monkeypatch, chosen):
    """The header and chart subtitles give one group size; each position is 'of' the engine's n positioned."""
    cat, bench = engine(str(shipped_store_path), "all", FOCUS)
    counts = group_size(cat, bench, chosen["period"])
    expected = group_size_text(counts.members, counts.in_period, counts.with_figures, chosen["period"])
    query = {"focus": FOCUS, "period": chosen["period"], "group": "all"}
    positions = bench.positions[(bench.positions["period"] == chosen["period"])]
    focus = positions[positions["authority_code"] == FOCUS].set_index("theme")
    overall = focus.loc[OVERALL]

    overview = open_page(shipped_store_path, monkeypatch, "overview", query)
    assert not overview.exception
    assert header_size(overview) == expected
    assert metrics(overview)["Overall performance"] == position_text(overall["position"], overall["n_positioned"])

    quadrant = open_page(shipped_store_path, monkeypatch, "quadrant", query)
    assert header_size(quadrant) == expected
    assert f"Comparator group: all authorities ({expected})" in charts(quadrant)[0].subtitle

    themes = open_page(shipped_store_path, monkeypatch, "themes", query)
    assert header_size(themes) == expected
    chart = charts(themes)[0]
    assert f"Comparator group: all authorities ({expected})" in chart.subtitle
    shown = chart.data_with("label").set_index("theme")["label"]
    for theme, label in shown.items():  # every dot says "Xth of N", N = the theme's own number positioned
        assert label == position_text(focus.loc[theme, "position"], focus.loc[theme, "n_positioned"]), theme
    assert shown[OVERALL] == metrics(overview)["Overall performance"]
    x_titles = {layer["encoding"]["x"].get("title") for layer in chart.spec["layer"] if "x" in layer["encoding"]}
    assert position_axis_title(focus["n_positioned"].dropna()) in x_titles
    assert not any(f"among {counts.members}" in str(title) for title in x_titles)
    assert pd.notna(overall["position"])


def test_the_cards_say_who_has_no_position(shipped_store_path, monkeypatch, chosen):
    """The header counts the authorities existing in the period; a card's 'of N' counts those positioned. Where
    they differ (Cumbria in 2022/23: values for under half of Overall's indicators) the cards say so beside them,
    not only the quadrant's subtitle."""
    cat, bench = engine(str(shipped_store_path), "all", FOCUS)
    period = chosen["period"]
    counts = group_size(cat, bench, period)
    rows = bench.positions[(bench.positions["period"] == period) & (bench.positions["theme"] == OVERALL)]
    unpositioned = rows.loc[rows["in_group"] & rows["position"].isna(), "authority_code"]
    n = int(rows["position"].notna().sum())
    assert len(unpositioned) and n < counts.in_period
    at = open_page(shipped_store_path, monkeypatch, "overview", {"focus": FOCUS, "period": period, "group": "all"})
    captions = [c.value.replace("\\", "") for c in at.caption]
    said = [c for c in captions if f"{n} of the {counts.in_period} positioned" in c]
    assert said, captions
    for code in unpositioned:
        assert cat.authority_name(code) in said[0], said[0]


def test_the_sidebar_says_the_stores_size_once(shipped_store_path, monkeypatch):
    """The comparator group box gives each group's size once: 'All authorities in the store (44)'."""
    at = open_page(shipped_store_path, monkeypatch, "overview")
    n = len(catalogue(str(shipped_store_path)).authorities)
    box = next(box for box in at.sidebar.selectbox if box.label == "Comparator group")
    assert box.options[0] == f"All authorities in the store ({n})", box.options[0]


def test_the_public_reports_chart_counts_the_group_of_its_period(shipped_store_path):
    """The public report's quadrant subtitle gives the group of the period by the one rule (group_size: 37 in
    2022/23), and how many are drawn, not the points drawn as the group's size."""
    from benchmarking.briefing.public_report import quadrant_chart
    from benchmarking.service.context_views import quadrant_view

    cat, bench = engine(str(shipped_store_path), "all", FOCUS)
    period = "2022/23"
    counts = group_size(cat, bench, period)
    view = quadrant_view(cat, bench, OVERALL, "Revenue", period, FOCUS)
    assert len(view) < counts.in_period
    subtitle = " ".join(quadrant_chart(cat, bench, view, period, FOCUS).to_dict()["title"]["subtitle"])
    assert f"existed in {period} ({counts.in_period})" in subtitle, subtitle
    assert f"{len(view)} of the {counts.in_period} drawn" in subtitle, subtitle
