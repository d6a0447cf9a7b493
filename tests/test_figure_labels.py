"""Figures say what they are once they leave the page (review v8): the service a theme's spend axis
measures, the year carried-forward figures are for, a position re-ranked among the authorities plotted,
counts beside a group, who a chart leaves out, and the council's name in a briefing's title."""

from __future__ import annotations

import re

import pytest
from apptest_helpers import FOCUS, chart_titled, open_page

from benchmarking.briefing.pack import briefing_setting
from benchmarking.service.benchmark import benchmark_for, beside_note
from benchmarking.service.catalogue import load_catalogue
from benchmarking.service.group_size import group_size
from benchmarking.store import Store

PERIOD = "2022/23"
THEME = "Adult Social Care"
WILTSHIRE = "E06000054"


@pytest.fixture(scope="module")
def real(shipped_store_path):
    """The catalogue and the all-authorities benchmark of the store built from the shipped extract."""
    catalogue = load_catalogue(Store(shipped_store_path))
    return catalogue, benchmark_for(catalogue, "all", FOCUS)


def encoding_titles(spec) -> list[str]:
    """Return every axis and tooltip title of a Vega-Lite spec (any layer, any panel)."""
    found = []
    if isinstance(spec, dict):
        for channel, encoding in (spec.get("encoding") or {}).items():
            for item in encoding if isinstance(encoding, list) else [encoding]:
                if isinstance(item, dict) and isinstance(item.get("title"), str):
                    found.append(item["title"] if channel != "x" else "x: " + item["title"])
        for key, value in spec.items():
            if key != "encoding":
                found += encoding_titles(value)
    elif isinstance(spec, list):
        for item in spec:
            found += encoding_titles(item)
    return found


def service_of(catalogue, theme: str) -> str:
    """Return the spend service the store maps ``theme`` to (read from its table, not the view)."""
    mapping = catalogue.theme_service
    return str(mapping.loc[mapping["theme"] == theme, "service"].iloc[0])


def texts(at) -> str:
    """Return the page's text elements (Markdown, captions, notices) as one string."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [e.value for e in [*at.info, *at.warning]]
    return "\n".join(parts)


# -- 4. counts beside a group ------------------------------------------------------------------


def test_a_focus_beside_the_group_is_never_placed_beyond_its_count(shipped_store_path, monkeypatch):
    """Wiltshire beside the county councils: no 'Nth of M' with N > M, and the note states no count that
    disagrees with the header's."""
    at = open_page(
        shipped_store_path, monkeypatch, "themes", {"focus": WILTSHIRE, "period": PERIOD, "group": "county-councils"}
    )
    assert not at.exception
    chart = chart_titled(at, "position by theme")
    drawn = " ".join(chart.data_with("label")["label"]) + " " + texts(at)
    for place, of in re.findall(r"\b(\d+)(?:st|nd|rd|th) of (\d+)\b", drawn):
        assert int(place) <= int(of), f"{place} of {of}"
    catalogue = load_catalogue(Store(shipped_store_path))
    bench = benchmark_for(catalogue, "county-councils", WILTSHIRE)
    size = group_size(catalogue, bench, PERIOD)
    note = beside_note(catalogue, bench.group)
    assert size.members != size.in_period  # the case: some members did not exist in the period
    assert str(size.members) not in re.findall(r"\d+", note), note


# -- 6. the council's name in a briefing's title --------------------------------------------------


@pytest.mark.parametrize("code", ["E10000023", "E10000027"])  # North Yorkshire CC, Somerset CC
def test_a_name_that_says_cc_is_not_given_county_council_again(real, code):
    """'North Yorkshire CC' is titled 'North Yorkshire County Council', not 'North Yorkshire CC County Council'."""
    catalogue, _ = real
    name = catalogue.authority_name(code)
    assert name.endswith(" CC")
    bench = benchmark_for(catalogue, "all", code)
    council = briefing_setting(catalogue, bench, PERIOD, code).council
    assert council == name.removesuffix(" CC") + " County Council"
