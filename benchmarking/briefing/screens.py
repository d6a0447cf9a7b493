"""The screens a projected slide is laid out for, and the sizes of its charts on each.

A slide is laid out for the smallest screen it must fit, 1366x768 (``SLIDE_STYLE``, ``CHART_HEIGHT``); on a
larger screen the furniture around the chart (the step bar, the slide's title, a sentence, the small print, the
foot) keeps its size, so every pixel the screen adds goes to the chart: taller by the extra height, its names
placed for a plot wider by the extra width. The Presentation page learns the window's size in the browser and
lays the slide out for the largest of ``SCREENS`` the window holds.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from benchmarking import charts


@dataclass(frozen=True)
class Screen:
    """A screen size a slide is laid out for, in CSS pixels."""

    width: int
    height: int

    def label(self) -> str:
        """Return the size as written: "1920x1080"."""
        return f"{self.width}x{self.height}"


SCREENS = (Screen(1366, 768), Screen(1600, 900), Screen(1920, 1080))
"""The screen sizes slides are laid out for, smallest first: a projector or laptop at 1366x768, a 1600x900 laptop
or a full-HD screen in a browser window, a full-HD projector or screen shown full screen."""
SMALLEST = SCREENS[0]

SLIDE_STYLE = replace(charts.BRIEFING, height=414, narrowest=1000)
"""A projected slide's charts in briefing mode on the smallest screen: the projector's type, a plot ``height`` that
leaves a 1366x768 screen room for the slide's title, one sentence, two lines of small print and the foot (the x axis
adds about 64 px), and names placed for a plot ``narrowest`` wide (the slide's 1302 px less the vertical axis and
the key on the right)."""
BESIDE_CONTROLS = replace(SLIDE_STYLE, narrowest=840)
"""A slide's charts beside the sidebar (briefing mode off): names placed for the plot the page's 906 px at 1366
wide leave beside the vertical axis (the key goes under the plot: beside it, the four quadrants' names would
run into each other)."""
CHART_HEIGHT = 480
"""A chart's height on a slide of the smallest screen, axes and key included: it leaves room for the step bar, the
slide title, one sentence, two lines of small print, a warning and the foot. A bar chart is fitted to it; a
quadrant is built to stay within it (``SLIDE_STYLE``)."""
TALL_CHART_HEIGHT = 590
"""A bar-per-authority chart's height on the smallest screen: it leaves room for the step bar, the slide title,
one line of small print and the foot."""


def screen_for(width: float, height: float) -> Screen:
    """Return the largest of ``SCREENS`` that a window ``width`` x ``height`` holds (the smallest when none fits)."""
    fitting = [screen for screen in SCREENS if screen.width <= width and screen.height <= height]
    return fitting[-1] if fitting else SMALLEST


def slide_style(briefing: bool, screen: Screen = SMALLEST) -> charts.ChartStyle:
    """Return the sizes a slide's charts are built at on ``screen``: ``SLIDE_STYLE`` in briefing mode, else
    ``BESIDE_CONTROLS``, its plot taller and wider by what the screen adds to the smallest."""
    style = SLIDE_STYLE if briefing else BESIDE_CONTROLS
    wider, taller = screen.width - SMALLEST.width, screen.height - SMALLEST.height
    return replace(
        style,
        width=style.width + wider,
        height=style.height + taller,
        narrowest=style.narrowest + wider,
        column=style.column + wider,
    )


def chart_height(screen: Screen = SMALLEST, tall: bool = False) -> int:
    """Return a chart's height on a slide of ``screen``, axes and key included (``tall``: a bar per authority)."""
    return (TALL_CHART_HEIGHT if tall else CHART_HEIGHT) + screen.height - SMALLEST.height
