"""Text boxes read from a chart rendered to SVG (vl-convert), measured independently of the
package's own width estimate: each <text> element's position (its groups' translations added
up), anchor, font size and weight, its width from Pillow with DejaVu Sans (the widest common
sans-serif, so a box is never smaller than the drawn text), its height from the font size; a
vertical axis title (rotated -90 degrees) as a tall box."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache
from pathlib import Path

FONTS = Path("/usr/share/fonts/truetype/dejavu")
_TRANSLATE = re.compile(r"translate\(([-0-9.e]+)[ ,]+([-0-9.e]+)\)")


@dataclass(frozen=True)
class TextBox:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float
    bold: bool

    def overlaps(self, other: TextBox) -> bool:
        """Return True when the two boxes share any area."""
        return self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1


@cache
def _font(size: float, bold: bool):
    from PIL import ImageFont

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(FONTS / name), size=max(1, round(size)))


def measured_width(text: str, size: float, bold: bool) -> float:
    """Return the text's advance width in pixels in DejaVu Sans at ``size``."""
    return float(_font(size, bold).getlength(text))


def text_boxes(svg: str) -> list[TextBox]:
    """Return a box for every <text> element of the SVG, in the SVG's pixel space."""
    root = ET.fromstring(svg)
    boxes: list[TextBox] = []

    def walk(element, dx: float, dy: float) -> None:
        match = _TRANSLATE.search(element.get("transform", ""))
        if match:
            dx, dy = dx + float(match.group(1)), dy + float(match.group(2))
        if element.tag.endswith("text") and (element.text or "").strip():
            size = float(element.get("font-size", "11px").rstrip("px"))
            bold = element.get("font-weight") in ("bold", "700")
            width = measured_width(element.text, size, bold)
            anchor = element.get("text-anchor", "start")
            along = width if anchor == "end" else width / 2 if anchor == "middle" else 0
            if "rotate(-90)" in element.get("transform", ""):  # a vertical axis title, read upwards
                boxes.append(
                    TextBox(element.text, dx - 0.8 * size, dy - width + along, dx + 0.2 * size, dy + along, size, bold)
                )
                return
            # Vega writes the alphabetic baseline: ascent above it, descent below.
            boxes.append(
                TextBox(element.text, dx - along, dy - 0.8 * size, dx - along + width, dy + 0.2 * size, size, bold)
            )
            return
        for child in element:
            walk(child, dx, dy)

    walk(root, 0.0, 0.0)
    return boxes
