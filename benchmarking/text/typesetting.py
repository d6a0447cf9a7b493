"""Text that fits its box on a slide: measured with the font's own metrics, wrapped, shrunk.

The deck names Arial, which PowerPoint has everywhere and LibreOffice replaces with Liberation
Sans, a font made to the same widths; the text is measured with Liberation Sans (Pillow's
``ImageFont``), found on the machine. Without it DejaVu Sans is used: it is wider than Arial,
so text that fits when measured with it fits in Arial too. Line height is fixed at
``LINE_SPACING`` x the size (the deck writes it as exact spacing), so the same arithmetic
holds in PowerPoint, LibreOffice and the tests.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

FONT_NAME = "Arial"
LINE_SPACING = 1.2
"""Line height as a multiple of the font size (written into each paragraph as exact spacing)."""
INSET_X, INSET_Y = 7.2, 3.6
"""A text frame's inner margins in points (PowerPoint's defaults: 0.1 inch and 0.05 inch)."""
SAFETY = 1.03
"""Measured widths are taken 3% wider: renderers differ slightly in kerning and hinting."""
FONT_FOLDERS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts")
CANDIDATES = {
    False: ("LiberationSans-Regular.ttf", "Arial.ttf", "arial.ttf", "DejaVuSans.ttf"),
    True: ("LiberationSans-Bold.ttf", "Arial Bold.ttf", "arialbd.ttf", "DejaVuSans-Bold.ttf"),
}
MEASURE_SIZE = 200
"""Fonts are loaded at this pixel size and widths scaled to the size in points: precise to 0.5%."""


@functools.cache
def font_file(bold: bool = False) -> Path | None:
    """Return the TrueType file the text is measured with (Liberation Sans first), or None if none is found."""
    for name in CANDIDATES[bold]:
        for folder in FONT_FOLDERS:
            if folder.is_dir():
                found = next(iter(sorted(folder.rglob(name))), None)
                if found is not None:
                    return found
    return None


@functools.cache
def _font(bold: bool):
    from PIL import ImageFont  # when text is measured: a chart wrapped with its own measure loads no PIL

    path = font_file(bold)
    return ImageFont.truetype(str(path), MEASURE_SIZE) if path else ImageFont.load_default(MEASURE_SIZE)


def font(size: float, bold: bool = False):
    """Return the measured font (``font_file``) at ``size`` pixels, for drawing text its lines were wrapped for."""
    from PIL import ImageFont

    path = font_file(bold)
    return ImageFont.truetype(str(path), round(size)) if path else ImageFont.load_default(round(size))


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Return the width in points of ``text`` set on one line at ``size`` points (with the safety margin)."""
    return _font(bold).getlength(text) * size / MEASURE_SIZE * SAFETY


Measure = Callable[[str, float, bool], float]
"""A text's width on one line at a size (``text_width``, or a chart's estimate of its screen font)."""


def wrap(text: str, width: float, size: float, bold: bool = False, measure: Measure = text_width) -> list[str]:
    """Return ``text`` broken into lines no wider than ``width`` points, at spaces (inside a word
    longer than a line, between characters), as PowerPoint wraps; each paragraph (newline) starts a line.
    ``measure`` gives widths (``text_width``: the font the deck is set in)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            trial = f"{line} {word}" if line else word
            if measure(trial, size, bold) <= width:
                line = trial
                continue
            if line:
                lines.append(line)
            line = ""
            for char in word:  # a word wider than the line is broken where it must be
                if line and measure(line + char, size, bold) > width:
                    lines.append(line)
                    line = ""
                line += char
        lines.append(line)
    return lines


def at_most(lines: list[str], count: int, size: float, bold: bool = False, measure: Measure = text_width) -> list[str]:
    """Return the first ``count`` lines, the last ending with '…' when lines are left over (no wider than it was)."""
    if len(lines) <= count:
        return lines
    last = lines[count - 1]
    width = measure(last, size, bold)
    while last and measure(last + " …", size, bold) > width:
        last = last[:-1]
    return [*lines[: count - 1], last.rstrip() + " …"]


def text_height(lines: int, size: float) -> float:
    """Return the height in points of ``lines`` lines at ``size`` points, with the frame's insets."""
    return lines * size * LINE_SPACING + 2 * INSET_Y


@dataclass(frozen=True)
class Fit:
    """How a text is set in its frame: the size in points and the lines it wraps to."""

    size: float
    lines: list[str]

    @property
    def height(self) -> float:
        """Return the height the text takes in its frame, insets included, in points."""
        return text_height(len(self.lines), self.size)


def fit(text: str, width: float, height: float, sizes: tuple[float, ...], bold: bool = False) -> Fit:
    """Return the largest of ``sizes`` (largest first) at which ``text``, wrapped to a frame ``width``
    points wide, fits its ``height``; the smallest size when none does (the caller makes room)."""
    inner = width - 2 * INSET_X
    for size in sizes:
        lines = wrap(text, inner, size, bold)
        if text_height(len(lines), size) <= height:
            return Fit(size, lines)
    return Fit(sizes[-1], wrap(text, inner, sizes[-1], bold))


def fits(text: str, width: float, height: float, size: float, bold: bool = False) -> bool:
    """Return True when ``text`` at ``size`` points, wrapped to ``width``, fits ``height`` (points)."""
    return text_height(len(wrap(text, width - 2 * INSET_X, size, bold)), size) <= height + 0.01
