"""A link's sidebar values the store does not have (review v9): ``?focus=``, ``?period=`` and ``?group=`` open on
the default with a notice naming what the link asked for and what is shown instead, as a missing basket does;
the value comes from the URL, so the notice draws it as text."""

from __future__ import annotations

import pytest
from apptest_helpers import open_page, sidebar_box

from benchmarking.method.groups import available_groups
from benchmarking.service.catalogue import load_catalogue
from benchmarking.text.escaping import markdown

HOSTILE = "<b>x</b> **bold** [link](http://x)"


def _notices(at) -> list[str]:
    return [warning.value for warning in at.warning if "The link asks for" in warning.value]


def _shown(cat, key: str) -> str:
    """Return the label the sidebar shows for the default of ``key``, worked out from the catalogue."""
    focus = cat.default_focus()
    if key == "focus":
        return cat.authorities.set_index("code").loc[focus, "name"]
    if key == "period":
        return cat.default_period
    groups = available_groups(cat.authorities, cat.comparator_groups, focus).set_index("id")
    return f"{groups.loc['all', 'label']} ({groups.loc['all', 'size']})"


@pytest.mark.parametrize(
    "key, value, what",
    [
        ("group", "list:nothere", "comparator group"),
        ("period", "2030/31", "period"),
        ("focus", "E99999999", "focus authority"),
        ("group", HOSTILE, "comparator group"),
    ],
)
def test_a_value_the_store_does_not_have_gets_a_notice(demo_store_path, monkeypatch, key, value, what):
    cat = load_catalogue(demo_store_path)
    at = open_page(demo_store_path, monkeypatch, "overview", query={key: value})
    assert not at.exception
    defaults = {"focus": cat.default_focus(), "period": cat.default_period, "group": "all"}
    assert sidebar_box(at, key).value == defaults[key]
    expected = (
        f"The link asks for the {what} {value!r}, which this store does not have: showing '{_shown(cat, key)}' instead."
    )
    assert _notices(at) == [markdown(expected)]
    assert "<b>" not in _notices(at)[0] and "**bold**" not in _notices(at)[0]
    assert at.query_params[key] == defaults[key]  # the link is mended


def test_valid_values_and_later_runs_get_no_notice(demo_store_path, monkeypatch):
    cat = load_catalogue(demo_store_path)
    periods = cat.period_labels
    at = open_page(demo_store_path, monkeypatch, "overview", query={"period": periods[0], "group": "county-councils"})
    assert not at.exception and not _notices(at)
    at = open_page(demo_store_path, monkeypatch, "overview", query={"period": "1066/67"})
    assert len(_notices(at)) == 1
    at.switch_page("pages/themes.py").run()  # the link was read once; the page opened next says nothing
    assert not _notices(at)


@pytest.mark.parametrize("value", ["yes", "true", HOSTILE])
def test_a_briefing_value_that_is_not_1_or_0_gets_a_notice(demo_store_path, monkeypatch, value):
    """?briefing=yes (not 1 or 0) opens out of briefing mode, as before, and says so: what the link asked for and
    what is shown instead, in the words a page's own toggle uses; the link is mended to 0."""
    at = open_page(demo_store_path, monkeypatch, "overview", query={"briefing": value})
    assert not at.exception
    expected = f"The link asks for briefing mode {value!r}, which is neither 1 (on) nor 0 (off): showing it off."
    assert _notices(at) == [markdown(expected)]
    assert at.query_params["briefing"] == "0"
    assert not _notices(at.run())  # said once, for the link; the mended link says nothing


def test_a_neighbour_list_the_focus_has_not_says_so_not_that_the_store_lacks_it(shipped_store_path, monkeypatch):
    """Review v10 #3: County Durham has no DfE statistical-neighbour list (the store holds one for 36 other
    authorities): the link's notice says the authority has none and what is shown instead, not that the store
    lacks the group."""
    query = {"focus": "E06000047", "group": "neighbours:dfe-sn-2021"}
    at = open_page(shipped_store_path, monkeypatch, "overview", query=query)
    assert not at.exception
    assert sidebar_box(at, "group").value == "all"
    [notice] = _notices(at)
    assert "this store does not have" not in notice
    assert "County Durham has no DfE statistical neighbours \\(2021 model\\)" in notice
    assert "36 other authorities have one" in notice and "showing 'All " in notice
