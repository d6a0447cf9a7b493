"""Catalogue imports (the indicator and authority tables), review v9, each case as the user met it.

1. A theme spelt another way than a stored one (case, spaces, '&'/'and') is stored in the stored spelling and the
   preview says so; a theme no stored indicator has is named in the preview ("new theme: ...") before the commit.
"""

from __future__ import annotations

import pandas as pd
from store_support import imported

from benchmarking.store import Store

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
