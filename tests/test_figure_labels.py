"""Figures say what they are once they leave the page (review v8): the service a theme's spend axis
measures, the year carried-forward figures are for, a position re-ranked among the authorities plotted,
counts beside a group, who a chart leaves out, and the council's name in a briefing's title."""

from __future__ import annotations

import re
import subprocess
import sys

import pandas as pd
import pytest
from apptest_helpers import FOCUS, chart_titled, charts, open_page

from benchmarking.briefing.pack import bottom_quartile_slide, briefing_setting, funding_slide, quadrant_slide
from benchmarking.method.lifetimes import existing_in
from benchmarking.method.periods import span_or_none
from benchmarking.method.positions import OVERALL
from benchmarking.service.benchmark import benchmark_for, beside_note
from benchmarking.service.catalogue import load_catalogue
from benchmarking.service.context_views import quadrant_view
from benchmarking.service.funding_views import funding_view
from benchmarking.service.group_size import group_size
from benchmarking.service.lists import BOTTOM, list_in_words, quartile_list
from benchmarking.service.views import indicator_view
from benchmarking.store import Store
from benchmarking.text.formatting import drawn_text

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


# -- 1. a theme's spend axis names its service ------------------------------------------------


def test_the_theme_quadrant_names_the_service_its_spend_measures(shipped_store_path, monkeypatch, real):
    """Adult Social Care against spend: the axis, the tooltip, the In words and How to read name adult social
    care spend, not net revenue expenditure per head unqualified (which reads as the total)."""
    catalogue, _ = real
    service = service_of(catalogue, THEME)
    at = open_page(shipped_store_path, monkeypatch, "quadrant", {"focus": FOCUS, "period": PERIOD, "theme": THEME})
    assert not at.exception
    titles = encoding_titles(chart_titled(at, f"{THEME} performance against").spec)
    [x_title] = {t for t in titles if t.startswith("x: ")}
    assert service in x_title.lower(), x_title
    assert any(service in t.lower() and "per head" in t.lower() for t in titles if not t.startswith("x: ")), titles
    words = next(m.value for m in at.markdown if "In words" in m.value or "quadrant" in m.value)
    assert service in words.lower(), words
    how_to_read = next(m.value for m in at.markdown if "How to read" in m.value)
    assert service in how_to_read.lower(), how_to_read


def test_the_overall_quadrant_says_its_spend_is_the_total(real):
    """Overall is ranked on total spend: its axis says so."""
    catalogue, bench = real
    setting = briefing_setting(catalogue, bench, PERIOD, FOCUS)
    slide = quadrant_slide(setting, OVERALL)
    [x_title] = {t for t in encoding_titles(slide.chart.to_dict()) if t.startswith("x: ")}
    assert "total" in x_title.lower(), x_title


def test_the_theme_quadrant_slide_names_the_service(real):
    """The briefing's Adult Social Care slide: axis, the focus's line and the reading guide name the service."""
    catalogue, bench = real
    service = service_of(catalogue, THEME)
    setting = briefing_setting(catalogue, bench, PERIOD, FOCUS)
    slide = quadrant_slide(setting, THEME)
    [x_title] = {t for t in encoding_titles(slide.chart.to_dict()) if t.startswith("x: ")}
    assert service in x_title.lower(), x_title
    assert service in slide.note.lower(), slide.note
    assert any(service in bullet.lower() for bullet in slide.bullets), slide.bullets


# -- 2. figures carried forward say the year they are for ---------------------------------------


def latest_published(catalogue, indicator_id: str) -> str:
    """Return the latest period an indicator is published for (read from the stored values)."""
    values = catalogue.values
    labels = values.loc[values["indicator_id"] == indicator_id, "period"].unique()
    return max(labels, key=catalogue.calendar.order_of)


def test_a_carried_forward_indicators_chart_title_says_its_year(shipped_store_path, monkeypatch, real):
    """ASC1 has no 2022-23 figures: the bar chart (the PNG's title) says 2021/22 (the publisher's 2021-22 written as
    its reporting period, as the quartile lists write it), as the page's warning does."""
    catalogue, _ = real
    published = latest_published(catalogue, "ASC1")
    assert catalogue.calendar.order_of(published) < catalogue.calendar.order_of(PERIOD)
    at = open_page(
        shipped_store_path,
        monkeypatch,
        "indicator",
        {"focus": FOCUS, "period": PERIOD, "theme": THEME, "indicator": "ASC1"},
    )
    assert not at.exception
    title, written = charts(at)[0].title, catalogue.calendar.reporting_period(published)
    assert written != published and span_or_none(written) == span_or_none(published)
    assert written in title and published not in title and "earlier" in title, title
    assert all(written in w.value and published not in w.value for w in at.warning), [w.value for w in at.warning]


def test_the_briefings_bottom_quartile_list_marks_earlier_figures(real):
    """The PDF/PPTX list says the year each figure is for, '(earlier)' marked, as the Quartiles page does."""
    catalogue, bench = real
    table = bottom_quartile_slide(briefing_setting(catalogue, bench, PERIOD, FOCUS)).table
    page = list_in_words(quartile_list(catalogue, bench, PERIOD, FOCUS, BOTTOM))
    assert list(table["Indicator"]) == list(page["Indicator"])
    assert list(table["Published for"]) == list(page["Published for"])
    marked = table[table["Published for"].str.contains("(earlier)", regex=False)]
    assert len(marked), "the real store's bottom quartile has figures from 2021-22 (ASC4)"
    ids = catalogue.indicators.set_index("name")["id"]
    for name, published in zip(marked["Indicator"], marked["Published for"]):  # the same days, written as the
        said = published.removesuffix(" (earlier)")  # reporting periods are (2021/22 for the publisher's 2021-22)
        assert span_or_none(said) == span_or_none(latest_published(catalogue, ids[name])), published


def test_the_ranks_export_says_which_period_its_figures_were_published_for(shipped_store_path, tmp_path, real):
    """`ranks` writes source_period and years_older, the columns of the app's indicator CSV, with the same values."""
    catalogue, bench = real
    out = tmp_path / "ranks.csv"
    run = subprocess.run(
        [
            *[sys.executable, "-m", "benchmarking", "--db", str(shipped_store_path)],
            *["ranks", "--period", PERIOD, "--out", str(out)],
        ],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    exported = pd.read_csv(out, dtype={"source_period": str})
    asc1 = exported[exported["indicator_id"] == "ASC1"].set_index("authority_code")
    view = indicator_view(catalogue, bench, "ASC1", PERIOD, FOCUS).set_index("authority_code")
    assert set(asc1["source_period"]) == {latest_published(catalogue, "ASC1")}
    shared = asc1.index.intersection(view.dropna(subset=["value"]).index)
    assert len(shared) > 30
    assert (asc1.loc[shared, "source_period"] == view.loc[shared, "source_period"]).all()
    assert (asc1.loc[shared, "years_older"] == view.loc[shared, "years_older"]).all()
    current = exported[exported["years_older"] == 0]
    assert len(current) and (current["source_period"].map(catalogue.calendar.reporting_period) == PERIOD).all()


# -- 3. a re-ranked position says so on the chart ----------------------------------------------


def test_the_funding_quadrant_says_its_positions_are_re_ranked(shipped_store_path, monkeypatch, real):
    """Funding figures are missing for some: positions are re-ranked among those plotted, and the tooltip and the
    y axis say among how many, with the league table's position beside it."""
    catalogue, bench = real
    view = quadrant_view(catalogue, bench, OVERALL, "Funding", PERIOD, FOCUS)
    league = bench.positions[
        (bench.positions["theme"] == OVERALL) & (bench.positions["period"] == PERIOD) & bench.positions["in_group"]
    ]
    positioned = int(league["position"].notna().sum())
    plotted = int(view["in_group"].sum())
    assert plotted < positioned  # the case: some positioned authorities have no funding figure
    focus = view[view["is_focus"]].iloc[0]
    in_league = league[league["authority_code"] == FOCUS].iloc[0]
    at = open_page(shipped_store_path, monkeypatch, "quadrant", {"focus": FOCUS, "period": PERIOD, "axis": "Funding"})
    assert not at.exception
    chart = chart_titled(at, "performance against funding")
    data = chart.data_with("authority_code").set_index("authority_code")
    shown = data.loc[FOCUS, "position_text"]
    assert re.search(rf"\b{int(focus['performance_position'])}\w\w of the {plotted} with funding figures", shown), shown
    assert f"{int(in_league['position'])}" in shown and f"of {positioned}" in shown, shown
    titles = encoding_titles(chart.spec)
    assert any(f"{plotted} with funding figures" in t for t in titles), titles
    said = " ".join(c.value for c in at.caption)
    assert f"{positioned - plotted} of the {positioned} authorities positioned on {OVERALL} have no funding" in said
    assert "with a Overall" not in said


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


# -- 5. charts name who they leave out -----------------------------------------------------------


def existing_members(catalogue, bench, period: str) -> set[str]:
    """Return the group's members that existed in ``period`` (the header's count)."""
    members = list(bench.group.members)
    return {code for code, alive in zip(members, existing_in(members, period)) if alive}


def test_the_overall_quadrant_names_who_it_leaves_out(shipped_store_path, monkeypatch, real):
    """The Overall quadrant draws fewer than the subtitle's authorities (Cumbria has no Overall position): it says
    how many it draws and names the others."""
    catalogue, bench = real
    view = quadrant_view(catalogue, bench, OVERALL, "Revenue", PERIOD, FOCUS)
    missing = existing_members(catalogue, bench, PERIOD) - set(view["authority_code"])
    assert missing
    at = open_page(shipped_store_path, monkeypatch, "quadrant", {"focus": FOCUS, "period": PERIOD})
    subtitle = chart_titled(at, f"{OVERALL} performance against spend").subtitle
    assert f"{len(view)} of the {group_size(catalogue, bench, PERIOD).in_period}" in subtitle, subtitle
    for code in missing:
        assert catalogue.authority_name(code) in subtitle, subtitle
    slide = quadrant_slide(briefing_setting(catalogue, bench, PERIOD, FOCUS), OVERALL)
    assert all(catalogue.authority_name(code) in slide.subtitle for code in missing), slide.subtitle


def test_the_funding_chart_names_who_it_leaves_out(shipped_store_path, monkeypatch, real):
    """Core spending power (2020-21) for 33 of the 37: the page's chart and the slide say so, naming the others."""
    catalogue, bench = real
    funding = funding_view(catalogue, bench, PERIOD, FOCUS)
    missing = existing_members(catalogue, bench, PERIOD) - set(funding["authority_code"])
    assert missing
    names = [catalogue.authority_name(code) for code in missing]
    at = open_page(shipped_store_path, monkeypatch, "funding", {"focus": FOCUS, "period": PERIOD})
    subtitle = chart_titled(at, "Core spending power per head").subtitle
    assert f"{len(funding)} of the {group_size(catalogue, bench, PERIOD).in_period}" in subtitle, subtitle
    assert all(name in subtitle for name in names), subtitle
    slide = funding_slide(briefing_setting(catalogue, bench, PERIOD, FOCUS))
    assert "every authority" not in slide.note, slide.note
    assert f"{len(funding)} of the {group_size(catalogue, bench, PERIOD).in_period}" in slide.subtitle, slide.subtitle
    assert all(name in slide.subtitle for name in names), slide.subtitle


def test_a_long_left_out_line_breaks_between_reasons_not_inside_them():
    """Reasons that would run past a subtitle line's width start a new line; a reason's names stay together."""
    left_out = {"no 2020-21 figure": ["Buckinghamshire Council", "Dorset Council"], "no Overall position": ["Cumbria"]}
    left_out["not yet formed"] = ["North Northamptonshire", "West Northamptonshire"]
    lines = drawn_text(32, 37, left_out, width=130).split("\n")
    assert lines[0].startswith("32 of the 37 drawn; ") and len(lines) == 2
    assert all(len(line) <= 130 for line in lines)
    for reason, names in left_out.items():
        assert sum(f"{reason}: {', '.join(names)}" in line for line in lines) == 1


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


def test_the_funding_chart_says_by_when_an_authority_was_not_yet_formed(real):
    """In 2023/24 the funding figures are of an earlier year (2020/21): Cumberland was formed since, so the line
    says "not yet formed in 2020/21", never a bare "not yet formed" that reads as not formed in 2023/24."""
    from benchmarking.service.funding_views import funding_left_out

    catalogue, bench = real
    period = "2023/24"
    funding = funding_view(catalogue, bench, period, FOCUS)
    basis = str(funding["period"].iloc[0])
    reported = basis.replace("-", "/")
    assert span_or_none(reported) == span_or_none(basis)
    line = funding_left_out(catalogue, bench, period, funding)
    assert f"not yet formed in {reported}: " in line and "Cumberland" in line, line
    assert "not yet formed:" not in line and basis not in line.replace(reported, ""), line


def test_an_older_figure_s_year_is_written_as_its_reporting_period(real):
    """The Indicator page's older-figures warning and chart title and the Funding page write a published "2021-22"
    as the reporting period of the same days, "2021/22", as the quartile lists do: one year, one spelling."""
    catalogue, bench = real
    reporting = {span_or_none(p): p for p in bench.ranks["period"].unique()}
    values = catalogue.reporting_values
    older = values[(values["period"] == PERIOD) & (values["years_older"] > 0) & values["value"].notna()]
    older = older[[reporting.get(span_or_none(str(s)), s) != s for s in older["source_period"]]]
    assert len(older), "the store has an older figure published as '2021-22'"
    funding = funding_view(catalogue, bench, PERIOD, FOCUS)
    assert set(funding["period"]) <= set(reporting.values()), set(funding["period"])
