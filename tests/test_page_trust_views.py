"""The trust views, driven through the pages: "Why this rank?" and the comparator-group
stability table on Theme rankings, context notes added on the Data page and shown on the
Indicator explorer, and the Data page's coverage of older, provisional and revised figures.
Each view is checked against the engine (``benchmarking.service.explain``, ``analysis``), not the page."""

from __future__ import annotations

import pandas as pd
import pytest
from apptest_helpers import (
    EARLIER,
    FOCUS,
    LATEST,
    blank_figures,
    catalogue,
    choose,
    counts,
    engine,
    html_tables,
    metrics,
    open_page,
    open_section,
    overview_figures,
    page_widget,
    position_words,
)

from benchmarking.ingest.importer import import_frames
from benchmarking.method.positions import OVERALL
from benchmarking.service.catalogue import load_catalogue
from benchmarking.service.explain import rank_stability, why_this_rank
from benchmarking.text.escaping import markdown

NEW = "2022/23"  # a reporting period after the demo's last
FOCUS_NAME = "Leicestershire"


# -- reading the Themes page -------------------------------------------------------------------


def why_table(at) -> pd.DataFrame:
    """Return the "Why this rank?" table (the one with a Published for column)."""
    tables = [frame.value for frame in at.dataframe if "Published for" in frame.value.columns]
    assert len(tables) == 1, "expected one 'Why this rank?' table on the page"
    return tables[0]


def stability_table(at) -> pd.DataFrame:
    """Open the section that ranks every comparator group (ranked only once opened), and return its table
    (the one with a Comparator group column)."""
    assert not [frame for frame in at.dataframe if "Comparator group" in frame.value.columns], "ranked before opened"
    at.session_state["themes_stability"] = True  # the expander opened (it reruns the page)
    at.run()
    assert not at.exception
    tables = [frame.value for frame in at.dataframe if "Comparator group" in frame.value.columns]
    assert len(tables) == 1, "expected one comparator-group stability table on the page"
    return tables[0]


def listed_ranks(frame: pd.DataFrame, name: str = "name", rank: str = "rank") -> list[tuple[str, float | None]]:
    """Return (indicator name, rank or None) pairs, sorted, from a page table or the engine's rows."""
    return sorted(
        ((str(n), None if pd.isna(r) or r == "" else float(r)) for n, r in zip(frame[name], frame[rank])),
        key=lambda pair: (pair[0], pair[1] is None, pair[1] or 0.0),
    )


def engine_position(store_path, theme: str, period: str = LATEST, focus: str = FOCUS) -> pd.Series:
    """Return the engine's positions row (position, n_positioned, average_rank) for the focus."""
    _, bench = engine(str(store_path))
    rows = bench.positions[
        (bench.positions["theme"] == theme)
        & (bench.positions["period"] == period)
        & (bench.positions["authority_code"] == focus)
    ]
    assert len(rows) == 1, f"expected one engine position for {theme} in {period}"
    return rows.iloc[0]


def why_heading(at, theme: str) -> list[str]:
    """Return the page's markdown lines that open the explanation of ``theme``'s position."""
    return [md.value for md in at.markdown if md.value.startswith(f"**{FOCUS_NAME}: {theme} ")]


# -- 1. Why this rank? -----------------------------------------------------------------------------


def test_why_this_rank_lists_the_engines_ranks_for_overall_and_chosen_themes(demo_store_path, monkeypatch):
    """For Overall (the default) and two themes chosen in ``why_theme``, the table lists the
    indicators and ranks ``why_this_rank`` gives, its Rank column averages to the engine's
    average rank, and the markdown states the engine's position."""
    at = open_page(demo_store_path, monkeypatch, "themes")
    assert not at.exception
    assert not [frame for frame in at.dataframe if "Published for" in frame.value.columns], "built before opened"
    assert not [box for box in at.selectbox if box.key == "why_theme"]
    open_section(at, "themes_why")
    assert page_widget(at, "why_theme").value == OVERALL
    cat, bench = engine(str(demo_store_path))
    seen = {}
    for theme in [OVERALL, "Education", "Housing"]:
        if theme != OVERALL:
            page_widget(at, "why_theme").set_value(theme)
            at.run()
            assert not at.exception
        table = why_table(at)
        rows, _ = why_this_rank(cat, bench, theme, LATEST, FOCUS)
        assert listed_ranks(table, "Indicator", "Rank") == listed_ranks(rows), theme
        engine_row = engine_position(demo_store_path, theme)
        assert table["Rank"].replace("", None).dropna().astype(float).mean() == pytest.approx(
            engine_row["average_rank"]
        ), theme
        words = position_words(int(engine_row["position"]), int(engine_row["n_positioned"]))
        assert why_heading(at, theme) and why_heading(at, theme)[0].startswith(f"**{FOCUS_NAME}: {theme} {words}**"), (
            theme
        )
        seen[theme] = len(table)
    # The widget really switched tables: Overall lists far more indicators than one theme.
    assert seen[OVERALL] > seen["Education"] and seen["Education"] != seen["Housing"]


# -- 2. No position: low coverage, nothing filled in --------------------------------------------------


def test_low_coverage_theme_shows_why_there_is_no_position(writable_store, monkeypatch):
    """With most of Education blanked for the focus, choosing Education warns that coverage is
    below 50% and values are never filled, and the blanked indicators are listed without a rank."""
    indicators = writable_store.indicators()
    education = indicators[(indicators["theme"] == "Education") & (indicators["polarity"] != "none")]
    blank = education.iloc[: int(len(education) * 0.6) + 1]
    blank_figures(writable_store, list(blank["id"]), FOCUS, LATEST)

    at = open_page(writable_store.path, monkeypatch, "themes", query={"why": "Education"})  # the link opens it
    at.run()
    assert not at.exception
    n_theme, n_left = len(education), len(education) - len(blank)
    warnings = [w.value for w in at.warning if w.value.startswith("No position")]
    assert len(warnings) == 1
    assert f"values for {n_left} of the Education theme's {n_theme} ranked indicators" in warnings[0]
    assert "below the 50% needed" in warnings[0] and "never filled in" in warnings[0]
    assert not why_heading(at, "Education")  # no position sentence
    table = why_table(at)
    unranked = table[table["Rank"] == ""]  # shown blank, never "None"
    assert set(unranked["Indicator"]) == set(blank["name"])
    assert (unranked["Value"] == "").all()
    assert (table["Rank"] != "").sum() == n_left


# -- 3. Does the message survive a change of comparator group? -----------------------------------------


def test_stability_table_matches_the_overview_and_lists_every_group(demo_store_path, monkeypatch):
    """The "all authorities" row shows the Overall position of the Overview page (and of
    ``service.overview.overview``), and there is one row per group holding the focus, each with the
    Overall position ``rank_stability`` gives."""
    at = open_page(demo_store_path, monkeypatch, "overview")
    overview_card = metrics(at)["Overall performance"]
    at.switch_page("pages/themes.py").run()
    assert not at.exception
    table = stability_table(at).set_index("Comparator group")

    figures = overview_figures(demo_store_path, LATEST)
    expected = position_words(figures.overall.position, figures.overall.n)
    assert overview_card == expected
    assert table.loc["all authorities", OVERALL] == expected
    assert table.loc["all authorities", "Authorities"] == 32

    stability = rank_stability(catalogue(str(demo_store_path)), LATEST, FOCUS, [OVERALL])
    assert len(table) == len(stability) == stability["group_id"].nunique() > 2
    by_label = stability.set_index("group_label")
    assert set(table.index) == set(by_label.index)
    for label, row in by_label.iterrows():
        assert table.loc[label, "Authorities"] == row["group_size"], label
        assert table.loc[label, OVERALL] == position_words(row["position"], row["n_positioned"]), label


# -- 4. Context notes: added on the Data page, shown on the Indicator explorer ----------------------


def note_form(at) -> dict:
    """Open the Data page's "Add a note" section and return its widgets by label, plus its Save note button."""
    if not at.session_state["data_add_note"]:
        open_section(at, "data_add_note")
    boxes = {box.label: box for box in at.main.selectbox if box.label in ("Indicator", "Authority", "Period")}
    assert set(boxes) == {"Indicator", "Authority", "Period"}, "the note form's selectboxes are missing"
    [text] = [box for box in at.text_input if box.label == "Note"]
    [save] = [button for button in at.button if button.label == "Save note"]
    return boxes | {"Note": text, "Save": save}


def note_rows(store) -> int:
    """Return how many rows the store's note table holds."""
    return len(store.table("note"))


def test_note_added_on_the_data_page_is_shown_on_the_indicator_page(writable_store, monkeypatch):
    """A note saved through the Data page's form is stored and shown on the Indicator explorer
    for that indicator and period (with the authority it concerns), not for another period."""
    ranked = catalogue(str(writable_store.path)).indicators.query("polarity != 'none'")
    indicator = ranked.sort_values(["theme", "name"]).iloc[-1]
    text = "Definition changed mid-year (AppTest note)"
    before = note_rows(writable_store)

    at = open_page(writable_store.path, monkeypatch, "data")
    form = note_form(at)
    form["Indicator"].set_value(indicator["id"])
    form["Authority"].set_value(FOCUS)
    form["Period"].set_value(EARLIER)
    form["Note"].input(text)
    form["Save"].click()
    at.run()
    assert not at.exception and not at.error
    stored = writable_store.table("note")
    assert note_rows(writable_store) == before + 1
    added = stored[stored["note"] == text]
    assert added[["indicator_id", "authority_code", "period"]].values.tolist() == [[indicator["id"], FOCUS, EARLIER]]

    at = open_page(writable_store.path, monkeypatch, "indicator", query={"period": EARLIER})
    assert page_widget(at, "indicator_theme").value == "All themes"  # every ranked indicator is offered
    page_widget(at, "indicator_id").set_value(indicator["id"]).run()
    assert not at.exception
    shown = markdown(text)  # stored text is drawn escaped (text.escaping)
    assert [box.value for box in at.info if shown in box.value] == [f"**Note ({FOCUS_NAME}):** {shown}"]
    choose(at, "period", LATEST)  # same indicator, another period: the note does not apply
    assert page_widget(at, "indicator_id").value == indicator["id"]
    assert not [box.value for box in at.info if shown in box.value]


def test_empty_note_is_refused_and_nothing_is_stored(writable_store, monkeypatch):
    """Saving the note form with blank text shows "Write the note first." and stores no row."""
    before = note_rows(writable_store)
    at = open_page(writable_store.path, monkeypatch, "data")
    form = note_form(at)
    form["Note"].input("   ")
    form["Save"].click()
    at.run()
    assert not at.exception
    assert [error.value for error in at.error] == ["Write the note first."]
    assert note_rows(writable_store) == before


def test_note_for_every_period_can_be_saved(writable_store, monkeypatch):
    """The form's default period, "Every period" ('*'), saves a note that applies in any period."""
    before = note_rows(writable_store)
    at = open_page(writable_store.path, monkeypatch, "data")
    form = note_form(at)
    assert form["Period"].value == "*"
    form["Note"].input("Applies in every period (AppTest note)")
    form["Save"].click()
    at.run()
    assert not at.exception and not at.error
    assert note_rows(writable_store) == before + 1


# -- 5. Coverage: older, provisional and revised figures ------------------------------------------------


def coverage_table(at) -> pd.DataFrame:
    """Return the Data page's coverage table, indexed by theme, its counts as numbers."""
    tables = [table for table in html_tables(at) if "With values" in table.columns]
    assert len(tables) == 1, "expected one coverage table on the Data page"
    return counts(tables[0])


def test_demo_coverage_has_no_older_provisional_or_revised_figures(demo_store_path, monkeypatch):
    """On the demo store every figure is published for its own period and final: the coverage
    table's Older figures, Provisional and Revised columns are all 0, in every period."""
    at = open_page(demo_store_path, monkeypatch, "data")
    for period in [LATEST, EARLIER]:
        if period != LATEST:
            choose(at, "period", period)
        assert not at.exception
        table = coverage_table(at)
        assert {"Older figures", "Provisional", "Revised"} <= set(table.columns)
        assert (table[["Older figures", "Provisional", "Revised"]] == 0).all().all(), period
        assert (table["With values"] > 0).all()


def test_coverage_counts_older_and_provisional_figures_in_a_later_period(writable_store, monkeypatch):
    """After importing a few provisional 2022/23 values for one indicator, choosing 2022/23 shows
    Provisional 1 for that indicator's theme, and in every other theme each indicator with values
    uses older figures (Older figures = With values > 0)."""
    authorities = [FOCUS, "E10000016", "E10000030"]
    values = writable_store.values([LATEST])
    values = values[values["authority_code"].isin(authorities) & values["value"].notna()]
    ranked = writable_store.indicators().query("polarity != 'none'").set_index("id")
    complete = values.groupby("indicator_id")["authority_code"].nunique().loc[lambda n: n == 3].index
    indicator = ranked.loc[sorted(set(complete) & set(ranked.index))[0]]
    rows = values[values["indicator_id"] == indicator.name].copy()
    rows["period"], rows["value"], rows["status"] = NEW, rows["value"] * 1.01, "provisional"
    import_frames(
        writable_store,
        [
            (
                "indicator_value",
                rows[["indicator_id", "authority_code", "period", "value", "status"]],
                "provisional-2022-23.csv",
            )
        ],
    )

    at = open_page(writable_store.path, monkeypatch, "data")
    choose(at, "period", NEW)
    assert not at.exception
    assert f"Coverage in {NEW}" in [subheader.value for subheader in at.subheader]
    table = coverage_table(at)
    theme = indicator["theme"]
    assert table.loc[theme, "Provisional"] == 1
    assert (table.drop(index=theme)["Provisional"] == 0).all() and (table["Revised"] == 0).all()
    others = table.drop(index=theme)
    assert (others["Older figures"] > 0).all()
    assert (others["Older figures"] == others["With values"]).all()
    # In the indicator's own theme every other indicator with values is carried from 2021/22.
    assert table.loc[theme, "Older figures"] == table.loc[theme, "With values"] - 1

    # The same counts from the engine's reporting values, read without the page.
    cat = load_catalogue(writable_store)
    used = cat.reporting_values.query("period == @NEW and value.notna()")
    older = used[used["years_older"] > 0].merge(cat.indicators, left_on="indicator_id", right_on="id")
    assert (
        table["Older figures"].to_dict()
        == older.groupby("theme")["indicator_id"].nunique().reindex(table.index, fill_value=0).to_dict()
    )
