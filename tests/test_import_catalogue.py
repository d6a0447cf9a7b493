"""Catalogue imports (the indicator and authority tables), review v9, each case as the user met it.

1. A theme spelt another way than a stored one (case, spaces, '&'/'and') is stored in the stored spelling and the
   preview says so; a theme no stored indicator has is named in the preview ("new theme: ...") before the commit.
2. A catalogue file of stored keys may give only some columns (``id,polarity``, ``code,region``): with the table
   chosen, those columns are updated and every other column kept; a new key still needs the required columns,
   refused at its row naming them. Without the table chosen, such a file is refused saying to choose it.
"""

from __future__ import annotations

import pandas as pd
from store_support import imported
from test_page_import import open_import_page, upload, widget

from benchmarking.ingest.preview import preview_import
from benchmarking.store import Store
from benchmarking.text.escaping import markdown as markdown_text

ROAD = "dft:rdc0120-a-roads"  # theme 'Transport & Highways', polarity low, no target midpoint
CYCLE = "els:cycle-to-work"  # theme 'Transport & Highways', polarity low
HEADER = "id,name,theme,polarity,unit,source\n"


def catalogue_rows(store: Store, table: str, key: str, keys: list[str]) -> pd.DataFrame:
    """Return the stored rows of ``keys`` in a catalogue table, every column, by key."""
    with store.reading() as con:
        return (
            con.execute(f"SELECT * FROM {table} WHERE {key} IN (SELECT unnest(?::VARCHAR[]))", [keys])
            .df()
            .set_index(key)
            .sort_index()
        )


def stored_themes(store: Store) -> set[str]:
    """Return the themes the stored indicators have."""
    with store.reading() as con:
        return {theme for (theme,) in con.execute("SELECT DISTINCT theme FROM indicator").fetchall()}


# -- 1. themes ------------------------------------------------------------------------------------------------------


def test_a_theme_spelt_another_way_is_stored_in_the_stored_spelling(shipped, tmp_path, capsys):
    """The review's file: 'Transport and highways' and 'transport & highways' are the stored 'Transport & Highways'
    (they were added as two themes of their own without a word); the preview says which spelling is stored."""
    themes = stored_themes(shipped)
    text = (
        HEADER + "LOC_NEW1,New one,Transport and highways,high,%,x\nLOC_NEW2,New two, transport &  highways ,low,,y\n"
    )
    status, shown = imported(shipped, tmp_path, text, capsys, "--table", "indicator")
    assert status == 0, shown
    assert stored_themes(shipped) == themes
    stored = catalogue_rows(shipped, "indicator", "id", ["LOC_NEW1", "LOC_NEW2"])
    assert stored["theme"].tolist() == ["Transport & Highways", "Transport & Highways"]
    assert "theme 'Transport and highways' (row 2) is stored as 'Transport & Highways'" in shown
    assert "theme 'transport &  highways' (row 3) is stored as 'Transport & Highways'" in shown
    assert "new theme" not in shown


def test_a_new_theme_is_named_in_the_preview_in_one_spelling(shipped, tmp_path, capsys):
    """A theme no stored indicator has is named before the commit, once however the file spells it; 'corporate' takes
    the spelling the store's theme list (theme_service) gives it, and a theme nobody knows the first row's."""
    text = (
        HEADER + "LOC_A,A,corporate,high,%,x\nLOC_B,B,Wellbeing,high,%,x\nLOC_C,C,wellbeing,low,%,x\n"
        "LOC_D,D,Education,low,%,x\n"
    )
    before = shipped.checksums()
    status, shown = imported(shipped, tmp_path, text, capsys, "--table", "indicator", "--dry-run")
    assert status == 0, shown
    assert "new theme: 'Corporate' (row 2)" in shown
    assert "new theme: 'Wellbeing' (rows 3, 4)" in shown
    assert "theme 'wellbeing' (row 4) is stored as 'Wellbeing'" in shown
    assert "new theme: 'Education'" not in shown
    assert shipped.checksums() == before
    status, shown = imported(shipped, tmp_path, text, capsys, "--table", "indicator")
    assert status == 0, shown
    stored = catalogue_rows(shipped, "indicator", "id", ["LOC_A", "LOC_B", "LOC_C"])
    assert stored["theme"].tolist() == ["Corporate", "Wellbeing", "Wellbeing"]


def test_a_theme_service_row_spelt_another_way_updates_the_stored_theme(shipped, tmp_path, capsys):
    """The themes' spend services match themes by the same rule: 'transport and highways' updates the stored
    'Transport & Highways' row instead of adding a theme of its own."""
    with shipped.reading() as con:
        before = con.execute("SELECT count(*) FROM theme_service").fetchone()[0]
    status, shown = imported(shipped, tmp_path, "theme,service\ntransport and highways,total\n", capsys)
    assert status == 0, shown
    with shipped.reading() as con:
        assert con.execute("SELECT count(*) FROM theme_service").fetchone()[0] == before
        service = con.execute("SELECT service FROM theme_service WHERE theme = 'Transport & Highways'").fetchone()
    assert service == ("total",)


# -- 2. updates of some columns ---------------------------------------------------------------------------------------


def test_an_indicator_file_of_ids_and_polarities_updates_the_polarity_only(shipped, tmp_path, capsys):
    """``id,polarity`` with --table indicator: the polarity changes, every other column keeps its stored value."""
    before = catalogue_rows(shipped, "indicator", "id", [ROAD, CYCLE])
    status, shown = imported(
        shipped, tmp_path, f"id,polarity\n{ROAD},high\n{CYCLE.upper()},none\n", capsys, "--table", "indicator"
    )
    assert status == 0, shown
    after = catalogue_rows(shipped, "indicator", "id", [ROAD, CYCLE])
    assert after.loc[ROAD, "polarity"] == "high" and after.loc[CYCLE, "polarity"] == "none"
    kept = [c for c in before.columns if c != "polarity"]
    pd.testing.assert_frame_equal(after[kept], before[kept])
    status, shown = imported(shipped, tmp_path, f"id,polarity\n{ROAD},low\n", capsys)  # the same columns again
    assert status == 0 and "remembered" in shown, shown  # the table chosen for them before
    assert catalogue_rows(shipped, "indicator", "id", [ROAD]).loc[ROAD, "polarity"] == "low"


def test_an_authority_file_of_codes_and_regions_updates_the_region_only(shipped, tmp_path, capsys):
    """``code,region`` with --table authority: the region changes, name, kind and population are kept."""
    before = catalogue_rows(shipped, "authority", "code", ["E10000018"])
    status, shown = imported(shipped, tmp_path, "code,region\ne10000018,North East\n", capsys, "--table", "authority")
    assert status == 0, shown
    after = catalogue_rows(shipped, "authority", "code", ["E10000018"])
    assert after.loc["E10000018", "region"] == "North East"
    kept = [c for c in before.columns if c != "region"]
    pd.testing.assert_frame_equal(after[kept], before[kept])


def test_a_new_id_in_a_file_of_some_columns_is_refused_at_its_row_naming_them(shipped, tmp_path, capsys):
    """A new indicator needs its name and theme: refused at its row naming the columns the file lacks (and the
    stored id it may mean); nothing is written."""
    before = shipped.checksums()
    text = f"id,polarity\n{ROAD},high\nLOC_NEW,low\n{ROAD}x,low\n"
    status, shown = imported(shipped, tmp_path, text, capsys, "--table", "indicator")
    assert status == 2
    assert "row 3, column 'id': new indicator 'LOC_NEW'" in shown and "name, theme" in shown
    assert f"row 4, column 'id': new indicator '{ROAD}x'" in shown and f"did you mean {ROAD}" in shown
    assert "row 2" not in shown
    assert shipped.checksums() == before
    status, shown = imported(shipped, tmp_path, "code,region\nE10000999,North East\n", capsys, "--table", "authority")
    assert status == 2 and "row 2, column 'code': new authority 'E10000999'" in shown and "name, kind" in shown
    assert shipped.checksums() == before


def test_a_target_polarity_needs_a_midpoint_stored_or_given(shipped, tmp_path, capsys):
    """'target' without a midpoint is refused; given in the same file it goes in, and a later ``id,polarity`` file
    that keeps 'target' keeps the stored midpoint."""
    before = shipped.checksums()
    status, shown = imported(shipped, tmp_path, f"id,polarity\n{ROAD},target\n", capsys, "--table", "indicator")
    assert status == 2 and "row 2, column 'polarity': polarity 'target' needs a target_midpoint" in shown
    assert shipped.checksums() == before
    text = f"id,polarity,target_midpoint\n{ROAD},target,50\n"
    assert imported(shipped, tmp_path, text, capsys, "--table", "indicator")[0] == 0
    status, shown = imported(shipped, tmp_path, f"id,polarity\n{ROAD},Target\n", capsys, "--table", "indicator")
    assert status == 0, shown
    stored = catalogue_rows(shipped, "indicator", "id", [ROAD])
    assert stored.loc[ROAD, "polarity"] == "target" and stored.loc[ROAD, "target_midpoint"] == 50


def test_without_the_table_a_file_of_some_catalogue_columns_asks_for_it(shipped, tmp_path, capsys):
    """``id,polarity`` and ``code,region`` were taken as value files and refused with three messages about value,
    indicator and period; now one message says to choose the catalogue's table."""
    before = shipped.checksums()
    for text, table in [
        (f"id,polarity\n{ROAD},high\n", "indicator"),
        ("code,region\nE10000018,North East\n", "authority"),
    ]:
        status, shown = imported(shipped, tmp_path, text, capsys)
        assert status == 2
        assert f"--table {table} on the command line, or the 'Table to fill' choice on the page" in shown
        assert "no column gives" not in shown
    assert shipped.checksums() == before


def test_the_data_import_page_updates_some_columns_once_the_table_is_chosen(writable_store, monkeypatch, tmp_path):
    """On the page ``id,polarity`` asks for the table; with 'indicator' chosen the preview and commit update the
    polarity alone."""
    with writable_store.reading() as con:
        indicator, polarity = con.execute("SELECT id, polarity FROM indicator ORDER BY id LIMIT 1").fetchone()
    before = catalogue_rows(writable_store, "indicator", "id", [indicator])
    wanted = "low" if polarity != "low" else "high"
    at = upload(
        open_import_page(writable_store.path, monkeypatch, tmp_path),
        ("pol.csv", f"id,polarity\n{indicator},{wanted}\n".encode()),
    )
    assert not at.exception, at.exception
    assert widget(at, "table:pol.csv").value is None
    asked = markdown_text("--table indicator on the command line, or the 'Table to fill' choice on the page")
    assert any(asked in w.value for w in at.warning), [w.value for w in at.warning]
    widget(at, "table:pol.csv").set_value("indicator").run()
    at.button(key="upload_preview_button").click().run()
    assert not at.exception, at.exception
    at.button(key="upload_commit").click().run()
    assert not at.exception, at.exception
    after = catalogue_rows(writable_store, "indicator", "id", [indicator])
    assert after.loc[indicator, "polarity"] == wanted
    kept = [c for c in before.columns if c != "polarity"]
    pd.testing.assert_frame_equal(after[kept], before[kept])


def test_a_file_of_some_indicator_columns_previews_beside_a_values_file(shipped):
    """Several files at once (the page): polarities of stored indicators beside their figures preview whole (the
    coverage of the figures' themes reads the stored themes)."""
    polarity = pd.DataFrame({"id": [ROAD], "polarity": ["high"]})
    values = pd.DataFrame(
        {"indicator_id": [ROAD], "authority_code": ["E10000018"], "period": ["2023-24"], "value": ["9"]}
    )
    preview = preview_import(shipped, [("indicator", polarity, "p.csv"), ("indicator_value", values, "v.csv")])
    assert not preview.issues, preview.issues
    assert preview.summary.set_index("table").loc["indicator", "replaced"] == 1
    assert "Transport & Highways" in set(preview.themes["theme"])
