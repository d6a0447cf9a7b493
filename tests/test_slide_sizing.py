"""The sizing rule of a projected slide (``briefing.screens.slide_heights``): the step bar, title, sentences, small
print, warnings and foot line keep their type on every screen and the chart takes the rest, so the parts add up to
the screen's height; and the names of a bar chart follow the room its bars have (``briefing.bars.name_size``)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from apptest_helpers import FOCUS, LATEST, engine

from benchmarking.briefing.bars import BAR_AXIS_ROOM, BAR_SLIDE_ROOM, LARGEST_NAME, MAX_BARS, NAME_SHARE, name_size
from benchmarking.briefing.deck import deck_plan, deck_slide
from benchmarking.briefing.pack import briefing_setting
from benchmarking.briefing.screens import (
    KEY_BELOW_ROOM,
    MIN_CHART,
    SCREENS,
    SHORTEST_PLOT,
    SLIDE_STYLE,
    SMALLEST,
    X_AXIS_ROOM,
    Screen,
    SlideLines,
    column,
    fits,
    least_chart,
    screen_for,
    slide_heights,
    slide_lines,
    slide_style,
    table_height,
    table_lines,
)


def test_a_quadrant_slide_at_1366_by_hand():
    """A one-line title, one sentence, two lines of small print and a warning at 1366x768 in briefing mode: 12 px
    above the bar, the bar 44, the title 44 + 2 x 4, the sentence 35, the small print 2 x 27, the warning 27 + 2 x 7,
    the foot 27, six gaps of 9 (bar | slide | foot; title | chart | sentence | small print | warning) and 8 + 4 under
    the foot: 331 px, which leaves the chart 437."""
    heights = slide_heights(SMALLEST, SlideLines(sentences=(1,), small_print=2, warnings=(1,)))
    assert heights == {
        "top": 12,
        "step bar": 44,
        "title": 52,
        "sentences": 35,
        "small print": 54,
        "warnings": 41,
        "foot": 27,
        "gaps": 54,
        "bottom": 12,
        "chart": 437,
    }


@pytest.mark.parametrize("screen", SCREENS, ids=Screen.label)
@pytest.mark.parametrize("briefing", [True, False], ids=["briefing", "beside-the-controls"])
def test_more_words_take_room_from_the_chart_alone(screen, briefing):
    """Each line a slide's words add (a second title line, a sentence, a line of small print, a warning) comes off
    the chart's room, to the pixel; the parts always add up to the screen's height."""
    plain = SlideLines(small_print=1)
    wordier = [
        SlideLines(title=2, small_print=1),
        SlideLines(sentences=(2,), small_print=1),
        SlideLines(small_print=3),
        SlideLines(small_print=1, warnings=(1,)),
    ]
    base = slide_heights(screen, plain, briefing)
    assert sum(base.values()) == screen.height
    for lines in wordier:
        heights = slide_heights(screen, lines, briefing)
        assert sum(heights.values()) == screen.height
        taken = sum(heights[part] - base[part] for part in heights if part != "chart")
        assert base["chart"] - heights["chart"] == taken > 0


def test_lines_are_counted_across_the_slides_column():
    """A title that fills more than the 1302 px column at 1366 wide takes two lines there and one across the 1856 px
    at 1920; a sentence and a warning each start on a line of their own; the small print runs on as one text."""
    title = "Children's Social Care performance against spend, with a longer title than usual"
    assert column(SMALLEST) == 1302 and column(Screen(1920, 1080)) == 1856
    assert slide_lines(SMALLEST, title).title == 2
    assert slide_lines(Screen(1920, 1080), title).title == 1
    lines = slide_lines(SMALLEST, "Title", sentences=["One.", "Two."], small_print="A · B", warnings=["Careful."])
    assert lines == SlideLines(title=1, sentences=(1, 1), small_print=1, warnings=(1,))
    assert slide_lines(SMALLEST, "Title", small_print="").small_print == 0


@pytest.fixture(scope="module", params=["demo_store_path", "shipped_store_path"])
def setting(request):
    """The briefing of Leicestershire on the demo (latest period) and on the shipped county-area store (2022/23)."""
    cat, bench = engine(str(request.getfixturevalue(request.param)))
    return briefing_setting(cat, bench, LATEST if request.param == "demo_store_path" else "2022/23", FOCUS)


@pytest.mark.parametrize("screen", [SCREENS[0], SCREENS[-1]], ids=Screen.label)
def test_every_chart_slide_of_a_real_deck_fits_its_screen(setting, screen):
    """Every chart slide of the deck in briefing mode, with its own words: its parts add up to no more than the
    screen's height with the chart given more than the least it is ever given (``MIN_CHART``), and a quadrant's plot
    is built no taller than that room less its x axis."""
    drawn_as = replace(setting, style=slide_style(True, screen))
    for ref in deck_plan(setting):
        if ref.kind not in ("quadrant", "themes", "funding"):
            continue
        slide = deck_slide(drawn_as, ref, screen)
        heights = slide.heights(screen)
        assert sum(heights.values()) <= screen.height, (ref, heights)
        assert heights["chart"] > MIN_CHART, (ref, heights)
        if ref.kind == "quadrant":
            assert slide.chart.to_dict(validate=False)["height"] + X_AXIS_ROOM <= heights["chart"], ref


def test_names_follow_the_room_up_to_the_slides_sentence_size():
    """A bar's name is set at 0.9 of its step, at most the slide's sentences' 26 px (a few bars on a large screen)
    and at least 9 px; ``MAX_BARS`` bars on a 1366x768 bar slide are named at the charts' 20 px."""
    assert name_size(843, 3) == LARGEST_NAME
    assert name_size(BAR_AXIS_ROOM + 17 * 24, 17) == int(24 * NAME_SHARE)
    assert name_size(BAR_AXIS_ROOM + 100 * 5, 100) == 9
    assert name_size(BAR_SLIDE_ROOM, MAX_BARS) >= SLIDE_STYLE.label_size
    assert name_size(BAR_SLIDE_ROOM, MAX_BARS + 1) < SLIDE_STYLE.label_size  # one more would name them smaller


def test_the_column_beside_the_controls_follows_the_sidebar_the_browser_reports():
    """With the controls, a slide's column is the window less the page's padding and the sidebar, as wide as the
    browser reports it (906 px at 1366 with Streamlit's 300 px sidebar, 1206 px with it closed); its charts' names
    are placed for the wider plot; in briefing mode the sidebar is hidden and takes nothing."""
    open_, closed = screen_for(1366, 768, 300), screen_for(1366, 768, 0)
    assert (open_.sidebar, closed.sidebar) == (300, 0)
    assert column(open_, False) == 906 and column(closed, False) == 1206
    assert column(open_) == column(closed) == 1302
    assert slide_style(False, closed).narrowest == slide_style(False, open_).narrowest + 300
    assert slide_style(True, closed) == slide_style(True, open_)
    title = "Children's Social Care performance against spend, 2022/23"
    assert [slide_lines(screen, title, briefing=False).title for screen in (closed, open_)] == [1, 2]


def test_a_table_counts_its_rows_lines_and_fits_only_where_they_leave_room():
    """A table's long column wraps in what the other columns leave (at most ``CELL_TEXT``); a slide fits the height
    its parts and its chart's least room add up to."""
    rows = [["Theme", "Indicator", "Rank"], ["Adults", "A long indicator name " * 4, "35"], ["Adults", "Short", "3"]]
    wide, narrow = table_lines(rows, 1302), table_lines(rows, 300)
    assert wide[0] == 1 and wide[2] == 1 and narrow[1] > wide[1] > 1
    assert table_height(wide) < table_height(narrow) and table_height(()) == 0
    lines = SlideLines(sentences=(1,), small_print=2, warnings=(1,))
    room = slide_heights(SMALLEST, lines)["chart"]
    assert fits(SMALLEST, lines, chart=room) and not fits(SMALLEST, lines, chart=room + 1)
    assert least_chart(False, SHORTEST_PLOT) == least_chart(True, SHORTEST_PLOT) + KEY_BELOW_ROOM
