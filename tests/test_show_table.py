"""``pages._tables.show_table``: a number setting on a column the table shows as text (some cells blank, pandas 3's
``str`` columns as well as ``object``) is drawn as text, so a missing figure reads blank, never 'None'."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest


def _table_script(dtype: str) -> None:
    import pandas as pd
    import streamlit as st

    from pages._tables import show_table

    frame = pd.DataFrame({"authority": ["A", "B"], "spend": pd.Series(["1,366", ""], dtype=dtype)})
    show_table(frame, column_config={"spend": st.column_config.NumberColumn("Spend (£)", format="%d")})


@pytest.mark.parametrize("dtype", ["str", "object"])
def test_a_number_setting_on_a_text_column_draws_text(dtype):
    at = AppTest.from_function(_table_script, args=(dtype,), default_timeout=30).run()
    assert not at.exception
    spend = json.loads(at.dataframe[0].proto.columns)["Spend"]  # the header in words
    assert spend["type_config"]["type"] == "text" and spend["label"] == "Spend (£)"
