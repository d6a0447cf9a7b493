"""Top- and bottom-quartile lists like the Compendium's (issue 18, point 9): every top/bottom-quartile
indicator of the focus authority with its value, rank of N, the group's median and best value; one
rule for "older figures" shared with the Overview; the CSV download holds the rows of the list.

The expected lists are computed here from ``bench.ranks`` with ``ranking.quartile`` and plain pandas,
not with the service's code."""

from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd
import pytest
from apptest_helpers import FOCUS, engine, open_page, position_words, shown_table
from hostile_text import hostile_store

from benchmarking.method import ranking
from benchmarking.method.positions import OVERALL
from benchmarking.service.lists import (
    BOTTOM,
    LIST_COLUMNS,
    TOP,
    list_for_download,
    list_in_words,
    quartile_list,
    value_text,
)
from benchmarking.service.overview import data_currency
from benchmarking.text import escaping
from pages._tables import html_table

HOSTILE = "<script>alert(1)</script> **bold** =cmd()"
BOTTOM_HEADING = "Lower comparative performing areas (bottom quartile)"
TOP_HEADING = "Higher comparative performing areas (top quartile)"


# -- hand-worked cases ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, unit, expected",
    [
        (61.84, "% achieving expected level", "61.8%"),  # a percentage unit: one decimal and %
        (1152.4, "£", "£1,152"),  # pounds: thousands separator, no pence over £100
        (12.5, "£", "£12.50"),
        (1227000.0, "Number", "1,227,000"),  # thousands separators
        (10.087, "Average Score", "10.09"),  # two decimals at most
        (-2.18, "Average Score", "-2.18"),
        (3.0, None, "3"),
        (np.nan, "%", "–"),
    ],
)
def test_values_are_written_as_people_read_them(value, unit, expected):
    assert value_text(value, unit) == expected


def _hand_list() -> pd.DataFrame:
    """Two listed indicators as ``quartile_list`` returns them; the second is named hostile text."""
    return pd.DataFrame(
        {
            "theme": ["Education", "Education"],
            "indicator_id": ["a", "b"],
            "name": ["Good level of development", HOSTILE],
            "unit": ["% achieving expected level", "Average Score"],
            "value": [40.9, -2.18],
            "rank": [13.0, 33.0],
            "n_ranked": [16, 36],
            "quartile": [4.0, 4.0],
            "group_median": [44.1, -0.44],
            "group_best": [64.7, 3.93],
            "source_period": ["2022/23", "2021-22"],
            "status": ["revised", "final"],
            "older": [False, True],
        }
    )


def test_a_list_in_words_says_value_rank_median_best_and_the_period_published_for():
    """13 of 16 -> '13th of 16'; % units show %; an older figure says 'earlier', a revised one 'revised'."""
    words = list_in_words(_hand_list())
    assert list(words.columns) == LIST_COLUMNS
    assert words.iloc[0].tolist() == [
        "Education",
        "Good level of development",
        "40.9%",
        "13th of 16",
        "44.1%",
        "64.7%",
        "% achieving expected level",
        "2022/23 (revised)",
    ]
    assert words.iloc[1].tolist()[2:] == ["-2.18", "33rd of 36", "-0.44", "3.93", "Average Score", "2021-22 (earlier)"]


def test_the_unit_column_shows_every_unit_as_stored():
    """A unit of '%' or '£' is shown in the Unit column like any other ('% achieving expected level'), not left
    blank as if the indicator had none (25 indicators of the real store have the unit '%'); no unit is blank."""
    units = ["%", "£", "% achieving expected level", None]
    listed = pd.concat([_hand_list()] * 2, ignore_index=True).assign(unit=units)
    assert list_in_words(listed)["Unit"].tolist() == ["%", "£", "% achieving expected level", ""]


def test_hostile_names_are_text_on_the_page_and_inert_in_the_csv():
    """The page's HTML table escapes every cell, so a name is read as the text it is; the CSV neutralises a
    formula."""
    listed = _hand_list()
    markup = html_table(list_in_words(listed))
    assert "<script>" not in markup and "&lt;script&gt;" in markup
    assert shown_table(markup)["Indicator"].iloc[1] == HOSTILE
    hostile = listed.assign(name=["=cmd()", HOSTILE])
    csv = pd.read_csv(io.BytesIO(escaping.spreadsheet_csv(list_for_download(hostile))))
    assert csv["Indicator"].tolist() == ["'=cmd()", HOSTILE]
    assert csv["Value"].tolist() == [40.9, -2.18]  # numbers stay numbers (no ' before -2.18)


# -- the lists against the engine's ranks, on the demo and the real store ------------------------


@pytest.fixture(scope="module", params=["demo", "shipped"])
def store(request):
    """(name, path, catalogue, benchmark, period) for the demo store and the store built from the shipped extract."""
    path = request.getfixturevalue("demo_store_path" if request.param == "demo" else "shipped_store_path")
    cat, bench = engine(str(path))
    return request.param, path, cat, bench, cat.default_period


def _expected_ids(bench, period: str, quartile: int) -> list[str]:
    """The focus authority's indicators in ``quartile`` in ``period``, from rank and n_ranked alone."""
    ranks = bench.ranks
    mine = ranks[(ranks["authority_code"] == FOCUS) & (ranks["period"] == period)]
    quartiles = ranking.quartile(mine["rank"].to_numpy(), mine["n_ranked"].to_numpy())
    return sorted(mine.loc[quartiles == quartile, "indicator_id"])


@pytest.mark.parametrize("quartile", [TOP, BOTTOM])
def test_the_list_holds_every_indicator_of_the_quartile_with_the_groups_median_and_best(store, quartile):
    """Every indicator in the quartile is listed once; median and best are pandas over the group's ranked values."""
    name, _path, cat, bench, period = store
    listed = quartile_list(cat, bench, period, FOCUS, quartile)
    expected = _expected_ids(bench, period, quartile)
    assert expected, f"{name}: no indicator in quartile {quartile}, the test would prove nothing"
    assert sorted(listed["indicator_id"]) == expected
    assert listed["indicator_id"].is_unique
    themes = cat.indicators.set_index("id")["theme"]
    assert listed["theme"].tolist() == themes[listed["indicator_id"]].tolist()
    assert listed[["theme", "name"]].apply(tuple, axis=1).is_monotonic_increasing  # by theme, then name

    ranks, about = bench.ranks, cat.indicators.set_index("id")
    ranks = ranks[ranks["period"] == period]
    values = ranks[ranks["in_group"] & ranks["rank"].notna()].groupby("indicator_id")["value"]
    mine = ranks[ranks["authority_code"] == FOCUS].set_index("indicator_id")
    for row in listed.itertuples():
        group = values.get_group(row.indicator_id)
        assert row.group_median == pytest.approx(group.median()), row.indicator_id
        polarity = about.loc[row.indicator_id, "polarity"]
        if polarity == "high":
            assert row.group_best == pytest.approx(group.max()), row.indicator_id
        elif polarity == "low":
            assert row.group_best == pytest.approx(group.min()), row.indicator_id
        else:  # target: the value closest to the target's midpoint
            midpoint = about.loc[row.indicator_id, "target_midpoint"]
            assert abs(row.group_best - midpoint) == pytest.approx((group - midpoint).abs().min())
        focus = mine.loc[row.indicator_id]
        assert (row.value, row.rank, row.n_ranked) == (focus["value"], focus["rank"], focus["n_ranked"])


def test_older_figures_are_the_overviews_not_a_text_comparison_of_labels(store):
    """A row is 'earlier' exactly when the focus authority's figure is from an earlier published period
    (years_older > 0); on the real store some figures for 2022/23 are labelled '2022-23' or '2022' and are
    not older, which comparing the labels as text counted as older (the issue's "34" against "12")."""
    name, _path, cat, bench, period = store
    used = cat.reporting_values
    used = used[(used["authority_code"] == FOCUS) & (used["period"] == period)].set_index("indicator_id")
    both = pd.concat([quartile_list(cat, bench, period, FOCUS, q) for q in (TOP, BOTTOM)], ignore_index=True)
    assert both["older"].tolist() == (used.loc[both["indicator_id"], "years_older"] > 0).tolist()
    if name == "shipped":
        labelled_otherwise = both[(both["source_period"] != period) & ~both["older"]]
        assert len(labelled_otherwise) > 0
        assert both["older"].sum() < (both["source_period"] != period).sum()


def test_the_csv_holds_the_rows_of_the_list(store):
    """The download's rows are the list's rows, in order: same indicators, and its numbers written as
    the page writes them give the page's cells."""
    _name, _path, cat, bench, period = store
    listed = quartile_list(cat, bench, period, FOCUS, BOTTOM)
    words = list_in_words(listed)
    csv = pd.read_csv(io.BytesIO(escaping.spreadsheet_csv(list_for_download(listed))), keep_default_na=False)
    assert len(csv) == len(words) > 0
    assert csv["Theme"].tolist() == words["Theme"].tolist()
    assert csv["Indicator"].tolist() == [escaping.spreadsheet_cell(n) for n in words["Indicator"]]
    units = csv["Unit"].replace("", None)
    assert [value_text(v, u) for v, u in zip(csv["Value"], units)] == words["Value"].tolist()
    assert [value_text(v, u) for v, u in zip(csv["Group median"], units)] == words["Group median"].tolist()
    assert [position_words(int(r), int(n)) for r, n in zip(csv["Rank"], csv["Of"])] == words["Rank"].tolist()


# -- the page, on both stores ----------------------------------------------------------------------


def _sections(at) -> dict[str, dict]:
    """Return, per subheader in page order, the tables, markdown and captions drawn under it."""
    sections: dict[str, dict] = {}
    current = None
    for node in at.main:
        kind = getattr(node, "type", None)
        if kind == "subheader":
            current = sections.setdefault(node.value, {"tables": [], "markdown": [], "captions": []})
        elif current is not None and kind == "html" and node.value.startswith("<table"):
            current["tables"].append(shown_table(node.value))
        elif current is not None and kind == "markdown":
            current["markdown"].append(node.value)
        elif current is not None and kind == "caption":
            current["captions"].append(node.value)
    return sections


@pytest.fixture(scope="module")
def pages(store):
    """The Quartiles page (its bottom-quartile list, then its top-quartile list) and the Overview, each run once."""
    _name, path, _cat, _bench, _period = store
    with pytest.MonkeyPatch.context() as monkeypatch:
        quartiles = open_page(path, monkeypatch, "quartiles")
        bottom = _sections(quartiles)
        [chooser] = [radio for radio in quartiles.radio if radio.key == "quartiles_list"]
        chooser.set_value("top").run()
        top = _sections(quartiles)
        overview = open_page(path, monkeypatch, "overview")
    return quartiles, overview, {BOTTOM: bottom, TOP: top}


def test_the_page_draws_both_lists_whole_by_theme(store, pages):
    """Each list, chosen by the radio (one drawn at a time), is under its heading as one table per theme, whose
    rows are the list's rows in words; no expander; the other list's heading is not drawn with it."""
    _name, _path, cat, bench, period = store
    at, _overview, drawn = pages
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.expander) == 0
    for heading, quartile, other in [(BOTTOM_HEADING, BOTTOM, TOP_HEADING), (TOP_HEADING, TOP, BOTTOM_HEADING)]:
        sections = drawn[quartile]
        assert other not in sections
        words = list_in_words(quartile_list(cat, bench, period, FOCUS, quartile))
        if words.empty:
            continue
        shown = sections[heading]["tables"]
        assert len(shown) == words["Theme"].nunique()
        expected = words.drop(columns=["Theme"]).astype(object).fillna("")
        together = pd.concat(shown, ignore_index=True)
        assert list(together.columns) == list(expected.columns)
        assert together.to_numpy().tolist() == expected.to_numpy().tolist()
        headings = [m for m in sections[heading]["markdown"] if m.startswith("#### ")]
        themes = [re.sub(r" \(\d+\)$", "", m.removeprefix("#### ")) for m in headings]
        assert themes == [escaping.markdown(t) for t in sorted(words["Theme"].unique())]
    labels = [button.label for button in at.get("download_button")]
    assert "Download the top quartile list (CSV)" in labels
    [chooser] = [radio for radio in at.radio if radio.key == "quartiles_list"]
    assert at.query_params.get("list") == "top"
    assert list(chooser.options) == [
        f"Bottom quartile ({len(quartile_list(cat, bench, period, FOCUS, BOTTOM))})",
        f"Top quartile ({len(quartile_list(cat, bench, period, FOCUS, TOP))})",
    ]


def test_the_quartile_table_shows_every_theme(store, pages):
    """The quartile-by-theme table is drawn whole: Overall and every theme with a ranked indicator."""
    _name, _path, cat, bench, period = store
    _at, _overview, drawn = pages
    table = drawn[BOTTOM][next(h for h in drawn[BOTTOM] if h.startswith("Quartile position"))]["tables"][0]
    ranks = bench.ranks
    mine = ranks[(ranks["authority_code"] == FOCUS) & (ranks["period"] == period) & ranks["quartile"].notna()]
    themes = {OVERALL, *cat.indicators.set_index("id").loc[mine["indicator_id"], "theme"]}
    assert set(table.index) >= themes
    assert table.loc[OVERALL].str.replace(",", "").astype(int).sum() == len(mine)


def test_the_older_figures_count_is_the_overviews(store, pages):
    """The Quartiles page and the Overview say the same sentence about older figures, with the Overview's count."""
    _name, _path, cat, bench, period = store
    quartiles, overview, _drawn = pages
    currency = data_currency(cat, bench, OVERALL, period)
    start = f"Overall {escaping.markdown(period)} is built from"

    def sentence(at) -> str:
        (found,) = [c.value for c in at.caption if c.value.startswith(start)]
        return found

    assert sentence(quartiles) == sentence(overview)
    said = re.search(r"[;.] (\d+) of (?:them|the \d+) use figures published for an earlier period", sentence(quartiles))
    assert (int(said.group(1)) if said else 0) == currency.n_older


def test_hostile_names_in_the_store_reach_the_tables_as_text(demo_store_path, tmp_path, monkeypatch):
    """Indicator and theme names with Markdown, HTML and links are drawn escaped in every table."""
    path = hostile_store(demo_store_path, tmp_path / "hostile.duckdb")
    at = open_page(path, monkeypatch, "quartiles")
    assert not at.exception, [e.value for e in at.exception]

    def tables(at) -> tuple[str, str]:
        """Return the page's HTML tables as sent, and as the text a reader sees."""
        bodies = [node.value for node in at.get("html") if node.value.startswith("<table")]
        shown = [shown_table(body) for body in bodies]
        return " ".join(bodies), " ".join(t.to_string() + " " + " ".join(map(str, t.index)) for t in shown)

    sent, cells = tables(at)
    [chooser] = [radio for radio in at.radio if radio.key == "quartiles_list"]
    chooser.set_value("top").run()  # the other list (one is drawn at a time)
    sent_top, cells_top = tables(at)
    sent, cells = sent + sent_top, cells + cells_top
    assert "<img" not in sent and "<a href" not in sent and "&lt;img" in sent  # HTML in names is escaped
    assert "![i](http" in cells  # the hostile indicator suffix is there, as text
