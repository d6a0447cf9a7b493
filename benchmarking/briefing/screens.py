"""The screens a projected slide is laid out for, and how the slide's height is shared on each.

A slide is laid out for the screen it is shown on (the largest of ``SCREENS`` the browser's window holds). Around
its chart a slide draws the step bar, its title, its sentences, a line or two of small print, its warnings and the
foot line naming the data, in the type of ``TYPE`` (the Presentation page writes those sizes into its CSS); the
chart takes every pixel they leave (``slide_heights``), so the slide, title to foot line, fits the window without
scrolling at 1366x768 as at 1920x1080. Across, the chart's names are placed for a plot wider by the extra width.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from benchmarking import charts
from benchmarking.charts.labels import title_width
from benchmarking.text.typesetting import wrap

SIDEBAR = 300
"""The width the app's sidebar takes when it is shown (Streamlit's own), until the browser reports it."""


@dataclass(frozen=True)
class Screen:
    """A screen size a slide is laid out for, in CSS pixels, and the width the sidebar takes on it (0: hidden)."""

    width: int
    height: int
    sidebar: int = SIDEBAR

    def label(self) -> str:
        """Return the size as written: "1920x1080"."""
        return f"{self.width}x{self.height}"


SCREENS = (Screen(1366, 768), Screen(1600, 900), Screen(1920, 1080))
"""The screen sizes slides are laid out for, smallest first: a projector or laptop at 1366x768, a 1600x900 laptop
or a full-HD screen in a browser window, a full-HD projector or screen shown full screen."""
SMALLEST = SCREENS[0]

SLIDE_STYLE = replace(charts.BRIEFING, height=414, narrowest=1000)
"""A projected slide's charts in briefing mode on the smallest screen: the projector's type, names placed for a plot
``narrowest`` wide (the slide's 1302 px less the vertical axis and the key on the right); the quadrant's plot
``height`` is set for each slide by what its text leaves (``slide_heights``)."""
BESIDE_CONTROLS = replace(SLIDE_STYLE, narrowest=840)
"""A slide's charts beside the sidebar (briefing mode off): names placed for the plot the page's 906 px at 1366
wide leave beside the vertical axis (the key goes under the plot: beside it, the four quadrants' names would
run into each other)."""


@dataclass(frozen=True)
class SlideType:
    """The type and spacing of a projected slide around its chart, in CSS pixels: the Presentation page sets its
    text in these sizes (``pages/_deck_draw.deck_css``) and ``slide_heights`` adds them up, so the two agree."""

    gap: int = 9
    """Between the step bar, the slide and the foot, and between the parts of the slide."""
    bar: int = 44
    """The step bar: its buttons, one line."""
    title: tuple[int, int] = (38, 44)
    """The slide's title: type size and line height (bold)."""
    title_padding: int = 4
    """Above and below the title."""
    sentence: tuple[int, int] = (26, 35)
    small_print: tuple[int, int] = (20, 27)
    """The small print, a warning's text and the foot line."""
    warning_padding: tuple[int, int] = (7, 15)
    """Inside a warning's box: above and below its text, and beside it."""
    card: tuple[int, int] = (22, 48)
    """A headline card: its label's type size and its value's."""
    table: tuple[int, int] = (21, 31)
    """A table's cells: type size and line height."""
    cell_padding: tuple[int, int] = (5, 10)
    """Inside a table's cell: above and below its text, and beside it."""
    spare: int = 4
    """Pixels left over below the foot line: browsers round the parts' heights."""


TYPE = SlideType()


@dataclass(frozen=True)
class Frame:
    """Where the slide sits on the page: the padding above and below it, and the page's width beside its column."""

    top: int
    bottom: int
    beside: int
    """The window's width less the slide's column and the sidebar: the page's side padding."""
    sidebar: bool
    """Whether the sidebar (``Screen.sidebar`` wide) can be shown beside the slide."""


FRAMES = {
    True: Frame(top=12, bottom=8, beside=64, sidebar=False),
    False: Frame(top=63, bottom=8, beside=160, sidebar=True),
}
"""The page around a slide in briefing mode (no sidebar, no app header; 2rem each side) and with the controls (under
the app's header, 5rem each side, beside the sidebar when it is open: a 906 px column at 1366 wide, 1206 px when it
is closed)."""
CELL_TEXT = 400
"""The widest a table cell's text is set (Streamlit's tables wrap it there)."""
MIN_CHART = 240
"""The least height a chart is given, however much text its slide has."""
X_AXIS_ROOM = 76
"""Pixels under a quadrant's plot that hold its x axis's labels and title (its plot is built this much shorter than
the chart's room)."""
KEY_BELOW_ROOM = 64
"""Pixels a key under the plot takes (beside the controls: no room for it on the right)."""
SHORTEST_PLOT = 340
"""The shortest plot a quadrant is built with, its points and names apart: a slide with more words than leave room
for it (beside the controls at 1366x768) does not ``fit``, and the Presentation page offers the full screen."""


@dataclass(frozen=True)
class SlideLines:
    """How many lines each text of a projected slide takes on screen (a sentence and a warning each)."""

    title: int = 1
    sentences: tuple[int, ...] = ()
    small_print: int = 0
    warnings: tuple[int, ...] = ()
    foot: bool = True
    table: tuple[int, ...] = ()
    """The lines each row of a table on the slide takes (its heading first); none: no table."""


def text_lines(text: str, width: float, size: float, bold: bool = False) -> int:
    """Return how many lines ``text`` takes in a column ``width`` pixels wide at ``size`` pixels: measured in Arial's
    widths, which are wider than the page's own font, so a line is never counted short."""
    return len(wrap(text, width, size, bold, measure=title_width)) if text else 0


def column(screen: Screen, briefing: bool = True) -> int:
    """Return the width of a slide's column on ``screen``, in briefing mode or with the controls (less the sidebar
    when it is open)."""
    frame = FRAMES[briefing]
    return screen.width - frame.beside - (screen.sidebar if frame.sidebar else 0)


def slide_lines(
    screen: Screen,
    title: str,
    sentences: list[str] | tuple[str, ...] = (),
    small_print: str = "",
    warnings: list[str] | tuple[str, ...] = (),
    briefing: bool = True,
) -> SlideLines:
    """Return the lines a slide's texts take across its column on ``screen`` (``small_print`` as drawn, on one run)."""
    width, kind = column(screen, briefing), TYPE
    inside = width - 2 * kind.warning_padding[1]
    return SlideLines(
        title=max(1, text_lines(title, width, kind.title[0], bold=True)),
        sentences=tuple(text_lines(line, width, kind.sentence[0]) for line in sentences),
        small_print=text_lines(small_print, width, kind.small_print[0]),
        warnings=tuple(text_lines(line, inside, kind.small_print[0]) for line in warnings),
    )


def slide_heights(screen: Screen, lines: SlideLines, briefing: bool = True) -> dict[str, int]:
    """Return the height in CSS pixels of each part of a projected slide on ``screen``, top to bottom: the page's
    padding, the step bar, the title, sentences, a table (if any), small print, warnings, foot line, the gaps
    between them, and the chart, which takes what the others leave (``MIN_CHART`` at least: only then do they add up
    to more than the screen's height)."""
    kind, frame = TYPE, FRAMES[briefing]
    beside_chart = len(lines.sentences) + (1 if lines.small_print else 0) + len(lines.warnings)
    heights = {
        "top": frame.top,
        "step bar": kind.bar,
        "title": lines.title * kind.title[1] + 2 * kind.title_padding,
        "sentences": sum(lines.sentences) * kind.sentence[1],
        "small print": lines.small_print * kind.small_print[1],
        "warnings": sum(lines.warnings) * kind.small_print[1] + len(lines.warnings) * 2 * kind.warning_padding[0],
        "table": table_height(lines.table),
        "foot": kind.small_print[1] if lines.foot else 0,
        # bar | slide | foot, and inside the slide: title | chart | each of the others
        "gaps": kind.gap * ((2 if lines.foot else 1) + 1 + beside_chart),
        "bottom": frame.bottom + kind.spare,
    }
    if not lines.table:
        del heights["table"]
    return heights | {"chart": max(MIN_CHART, screen.height - sum(heights.values()))}


def table_lines(rows: list[list[str]], width: float) -> tuple[int, ...]:
    """Return the lines each of a table's ``rows`` of cells (its heading first) takes across ``width`` pixels: as a
    browser sets a table out, each column but the one of the longest text as wide as its widest cell, and that one
    the rest, where its cells wrap (``CELL_TEXT`` wide at most)."""
    if not rows:
        return ()
    size, padding = TYPE.table[0], 2 * TYPE.cell_padding[1] + 1
    widths = [[min(CELL_TEXT, title_width(cell, size)) + padding for cell in row] for row in rows]
    columns = [max(cells) for cells in zip(*widths)]
    longest = max(range(len(columns)), key=lambda at: max(len(row[at]) for row in rows))
    rest = min(CELL_TEXT, width - 2 - sum(columns) + columns[longest] - padding)
    return tuple(max(1, text_lines(row[longest], rest, size)) for row in rows)


def table_height(lines: tuple[int, ...]) -> int:
    """Return the height of a table whose rows (its heading first) take ``lines`` each (0 for no table), borders
    included."""
    if not lines:
        return 0
    return sum(lines) * TYPE.table[1] + len(lines) * (2 * TYPE.cell_padding[0] + 1) + 2


def least_chart(briefing: bool = True, plot: int = 0) -> int:
    """Return the least height a slide's chart is legible in: a chart whose plot is built ``plot`` tall at least (a
    quadrant: ``SHORTEST_PLOT``) needs that, its x axis and, beside the controls, its key under it; any other chart
    (bars, fitted to their room) ``MIN_CHART``."""
    return plot + X_AXIS_ROOM + (0 if briefing else KEY_BELOW_ROOM) if plot else MIN_CHART


def fits(screen: Screen, lines: SlideLines, briefing: bool = True, chart: int = 0) -> bool:
    """Return whether a slide of ``lines`` and a chart of ``chart`` pixels at least (0: no chart) fits ``screen``'s
    height, title to foot line, in the type of ``TYPE``."""
    around = sum(height for part, height in slide_heights(screen, lines, briefing).items() if part != "chart")
    return around + chart <= screen.height


def screen_for(width: float, height: float, sidebar: float = SIDEBAR) -> Screen:
    """Return the largest of ``SCREENS`` that a window ``width`` x ``height`` holds (the smallest when none fits),
    with the ``sidebar`` the browser reports as open beside the page (0: closed or hidden)."""
    fitting = [screen for screen in SCREENS if screen.width <= width and screen.height <= height]
    return replace(fitting[-1] if fitting else SMALLEST, sidebar=max(0, round(sidebar)))


def slide_style(briefing: bool, screen: Screen = SMALLEST) -> charts.ChartStyle:
    """Return the sizes a slide's charts are built at on ``screen``: ``SLIDE_STYLE`` in briefing mode, else
    ``BESIDE_CONTROLS``, its plot wider by what the screen's column adds to the smallest's (beside an open sidebar)
    and its height, until a slide sets it from the room its text leaves, taller by what the screen adds."""
    style = SLIDE_STYLE if briefing else BESIDE_CONTROLS
    wider, taller = column(screen, briefing) - column(SMALLEST, briefing), screen.height - SMALLEST.height
    return replace(
        style,
        width=style.width + wider,
        height=style.height + taller,
        narrowest=style.narrowest + wider,
        column=style.column + wider,
    )


def plot_height(room: int, briefing: bool = True) -> int:
    """Return the plot height of a chart whose axes and key are drawn around its plot (a quadrant) in ``room``
    pixels: less its x axis, and in ``briefing`` mode off its key under it; ``SHORTEST_PLOT`` at least."""
    return max(SHORTEST_PLOT, room - X_AXIS_ROOM - (0 if briefing else KEY_BELOW_ROOM))
