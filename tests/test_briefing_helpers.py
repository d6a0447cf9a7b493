"""The presenter's helpers without a browser: the page order the arrow keys follow, whether a
run is in briefing mode, and the focus row of a table (filled and bordered, not bold alone)."""

from __future__ import annotations

import pandas as pd
from hostile_text import FOCUS_NAME, OTHER_NAMES

from pages import _registry as registry
from pages._briefing_nav import PAGES_WITH_OWN_KEYS, link_path, navigation_position, neighbours
from pages._tables import FOCUS_FILL, focus_styler, is_focus_row


def test_neighbours_follow_the_registry_order():
    """The arrow keys step through the pages in the registry's order and stop at either end."""
    keys = [page.key for page in registry.PAGES]
    assert neighbours(keys[0]) == (None, keys[1])
    assert neighbours(keys[3]) == (keys[2], keys[4])
    assert neighbours(keys[-1]) == (keys[-2], None)
    assert "presentation" in PAGES_WITH_OWN_KEYS  # its arrow keys step through its slides


def test_links_point_at_the_root_for_the_default_page():
    """The default page lives at the root URL, every other page at its key."""
    default = next(page.key for page in registry.PAGES if page.default)
    assert link_path(default) == "/"
    assert link_path("quadrant") == "/quadrant"
    assert navigation_position(True) == "top" and navigation_position(False) == "sidebar"


def test_the_focus_row_is_filled_and_only_it():
    """Rows naming the focus (alone or with a note after its name) get the fill; a name that only
    begins like it ("Kent County" for focus "Ken") and every other row do not."""
    frame = pd.DataFrame({"Authority": ["Surrey", "Leicestershire ◆ (focus)", "Kent", None], "Rank": [1, 2, 3, 4]})
    assert list(is_focus_row(frame["Authority"], "Leicestershire")) == [False, True, False, False]
    assert list(is_focus_row(frame["Authority"], "Ken")) == [False, False, False, False]
    html = focus_styler(frame, "Leicestershire").to_html()
    assert html.count(FOCUS_FILL) == 1  # one CSS rule shared by the row's cells
    styles = focus_styler(frame, "Leicestershire")._compute().ctx  # (row, column) -> [(property, value)]
    filled = {cell for cell, rules in styles.items() if ("background-color", FOCUS_FILL) in rules}
    assert filled == {(1, 0), (1, 1)}


def test_hostile_names_are_matched_as_text():
    """A name with markup or formula characters matches itself only (no pattern is built from it)."""
    hostile = [FOCUS_NAME, *OTHER_NAMES, "<script>alert(1)</script>", "**bold**", "=cmd()"]
    names = pd.Series(hostile + ["Leicestershire"])
    for name in hostile:
        assert is_focus_row(names, name).sum() >= 1
        assert not is_focus_row(names, name).iloc[-1]
