"""Briefing mode's HTML tables (pages._tables.briefing_styler): formats from the column settings,
thousands separators for a plain frame's figures, and a Styler's own cell labels kept."""

import pandas as pd
import streamlit as st

from pages._tables import briefing_styler


def test_a_plain_frame_gets_its_column_formats_and_thousands_separators():
    """A NumberColumn format and label apply; other figures get separators; missing cells are blank."""
    frame = pd.DataFrame({"Authority": ["Kent", "Devon"], "share": [0.25, None], "people": [1227000, 95]})
    html = briefing_styler(frame, {"share": st.column_config.NumberColumn("Share", format="percent")}).to_html()
    assert "Share" in html and "25%" in html and "1,227,000" in html
    assert "nan" not in html.lower() and "0.25" not in html


def test_a_styler_keeps_its_own_labels():
    """The league table's cells read "1st · top 25%", not the bare position under a number format."""
    frame = pd.DataFrame({"Authority": ["Kent", "Devon"], "Overall": [1, 12]})
    styled = frame.style.format(lambda p: f"{p}st · top 25%" if p == 1 else f"{p}th", subset=["Overall"])
    html = briefing_styler(styled, {}).to_html()
    assert "1st · top 25%" in html and "12th" in html
