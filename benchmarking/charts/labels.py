"""Names beside points, placed in Python so that no two overlap: which authorities to name
(the focus always, then the top and bottom few, chosen ones, or all) and where each name goes.

A picture (PNG, PPTX, PDF) and a projector cannot show tooltips, so the names must be on the
chart. ``place_labels`` is a deterministic greedy placement: labels in priority order (the
focus first), each tried at candidate places around its point (right, left, above, below,
the diagonals), nearest first and then on wider rings with a leader line back to the point;
the first place clear of the plot's edges, the names already placed and the corner names is
taken, preferring places that cover no point. A name with no free place is left out (the
data table lists every authority). Text widths come from ``text_width``, a generous estimate
(DejaVu Sans, the widest common sans-serif), so names drawn in a narrower font only gain room.

Places are worked out in pixels for the narrowest plot the chart is drawn at, and returned in
data units: drawn wider (a wider screen, the PNG) points and names move apart together, so
names that were clear stay clear.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from benchmarking.text.escaping import shorten

LABEL_CHOICES = {
    "focus": "The focus authority only",
    "ends3": "Focus, top 3 and bottom 3",
    "ends5": "Focus, top 5 and bottom 5",
    "ends10": "Focus, top 10 and bottom 10",
    "chosen": "Focus and authorities I choose",
    "all": "Every authority (as many as fit)",
}
"""What the quadrant can name, by its key in the URL (``labels``)."""
NAME_LIMIT = 28
"""Characters of a name drawn beside its point before it is cut with '…'."""

# Advance widths in em for DejaVu Sans (regular); a character not listed counts as 0.7 em.
_NARROW = dict.fromkeys("iljI.,:;'|!", 0.32) | dict.fromkeys("ftr()-[] ", 0.4)
_WIDE = dict.fromkeys("mwMW", 0.95) | dict.fromkeys("ABCDEGHKNOQRUVXY&", 0.76)
_EM = {**dict.fromkeys("abcdeghknopqsuvxyz0123456789", 0.63), **_NARROW, **_WIDE}


TITLE_FONT = "Arial, Helvetica, 'Liberation Sans', sans-serif"
"""The font of chart titles and subtitles: Arial, or the fonts of its widths (Helvetica, Liberation Sans, which
Debian's Chromium brings), so that ``title_width`` measures the lines as they are drawn."""
# Advance widths in thousandths of an em for Arial (Liberation Sans has the same), regular and bold; a character not
# listed counts as 0.75 em.
_ARIAL = {
    False: {
        191: "'",
        222: "ijl",
        260: "|",
        278: " !,./:;I[\\]ft",
        333: "()-`r",
        334: "{}",
        355: '"',
        389: "*",
        469: "^",
        500: "Jcksvxyz",
        556: "#$0123456789?L_abdeghnopqu£–",
        584: "+<=>~",
        611: "FTZ",
        667: "&ABEKPSVXY",
        722: "CDHNRUw",
        778: "GOQ",
        833: "Mm",
        889: "%",
        944: "W",
        1015: "@",
    },
    True: {
        238: "'",
        278: " ,./I\\ijl",
        280: "|",
        333: "!()-:;[]`ft",
        389: "*r{}",
        474: '"',
        500: "z",
        556: "#$0123456789J_aceksvxy£–",
        584: "+<=>^~",
        611: "?FLTZbdghnopqu",
        667: "EPSVXY",
        722: "&ABCDHKNRU",
        778: "GOQw",
        833: "M",
        889: "%m",
        944: "W",
        975: "@",
    },
}
_ARIAL_EM = {
    bold: {ch: width / 1000 for width, chars in table.items() for ch in chars} for bold, table in _ARIAL.items()
}


def title_width(text: str, font_size: float, bold: bool = False) -> float:
    """Return the text's drawn width in pixels at ``font_size`` in ``TITLE_FONT`` (a character Arial's table lacks
    counted generously)."""
    widths = _ARIAL_EM[bold]
    return sum(widths.get(ch, 0.75) for ch in text) * font_size


def text_width(text: str, font_size: float, bold: bool = False) -> float:
    """Return a generous estimate of the text's drawn width in pixels at ``font_size``."""
    em = sum(_EM.get(ch, 0.7) for ch in text)
    return em * font_size * (1.1 if bold else 1.0)


def labelled_codes(view: pd.DataFrame, choice: str, chosen: list[str] | None = None) -> list[str]:
    """Return the authority codes to name, most important first: the focus, then the choice's.

    ``choice`` is a key of ``LABEL_CHOICES``; "ends<N>" names the N best and N worst by
    performance position; "chosen" names ``chosen`` (codes); "all" names every authority,
    best first. An unknown choice names the focus only.
    """
    codes = list(view.loc[view["is_focus"], "authority_code"])
    ordered = view.sort_values(["performance_position", "context_rank", "authority_code"], kind="stable")
    if choice.startswith("ends") and choice[4:].isdigit():
        count = int(choice[4:])
        extra = list(ordered["authority_code"].head(count)) + list(ordered["authority_code"].tail(count))
    elif choice == "chosen":
        extra = [code for code in (chosen or []) if code in set(view["authority_code"])]
    elif choice == "all":
        extra = list(ordered["authority_code"])
    else:
        extra = []
    return list(dict.fromkeys(codes + extra))


# Directions around a point: (unit x, unit y, align, baseline); y grows downwards as on screen.
_DIRECTIONS = [
    (1, 0, "left", "middle"),
    (-1, 0, "right", "middle"),
    (0, -1, "center", "bottom"),
    (0, 1, "center", "top"),
    (0.7, -0.7, "left", "bottom"),
    (-0.7, -0.7, "right", "bottom"),
    (0.7, 0.7, "left", "top"),
    (-0.7, 0.7, "right", "top"),
]
_RINGS = [0, 10, 24, 42, 64, 90, 120]  # pixels beyond the point's edge; past the first, a leader line


def place_labels(
    points: pd.DataFrame,
    width: float,
    height: float,
    radius: float,
    obstacles: list[tuple[float, float, float, float]] = (),
    gap: float = 3.0,
) -> pd.DataFrame:
    """Return a place for each label that fits: one row per placed label, in priority order.

    ``points`` has px, py (the point's pixel position in a ``width`` x ``height`` plot, y
    downwards), text, size (font size in pixels), bold, and every point to keep clear of (rows with an empty text are
    obstacles only); labels are placed in the row order. The result has the row's index as
    ``row``, the anchor (ax, ay) in pixels, align, baseline, the box (x0, y0, x1, y1) and
    ``leader`` (True when the name stands off its point).
    """
    boxes = np.array(obstacles, dtype=float).reshape(-1, 4) if len(obstacles) else np.empty((0, 4))
    dots = points[["px", "py"]].to_numpy(dtype=float)
    directions = np.array([(ux, uy) for ux, uy, _, _ in _DIRECTIONS] * len(_RINGS))
    ring = np.repeat(np.arange(len(_RINGS)), len(_DIRECTIONS))
    extra = np.array(_RINGS, dtype=float)[ring]
    # Where the box starts from its anchor, as a share of its width and height.
    share_x = np.array([{"left": 0.0, "right": -1.0, "center": -0.5}[a] for _, _, a, _ in _DIRECTIONS] * len(_RINGS))
    share_y = np.array([{"top": 0.0, "bottom": -1.0, "middle": -0.5}[b] for _, _, _, b in _DIRECTIONS] * len(_RINGS))
    placed = []
    labels = points[points["text"] != ""]
    for row, px, py, text, size, bold in zip(
        labels.index, labels["px"], labels["py"], labels["text"], labels["size"], labels["bold"]
    ):
        w, h = text_width(text, float(size), bool(bold)), float(size) * 1.25
        distance = radius + 4 + extra
        ax, ay = px + directions[:, 0] * distance, py + directions[:, 1] * distance
        x0, y0 = ax + share_x * w, ay + share_y * h
        x1, y1 = x0 + w, y0 + h
        fits = (x0 >= 0) & (y0 >= 0) & (x1 <= width) & (y1 <= height)
        if len(boxes):
            clash = (
                (x0[:, None] < boxes[None, :, 2] + gap)
                & (x1[:, None] > boxes[None, :, 0] - gap)
                & (y0[:, None] < boxes[None, :, 3] + gap)
                & (y1[:, None] > boxes[None, :, 1] - gap)
            ).any(axis=1)
            fits &= ~clash
        if not fits.any():
            continue
        covered = (
            (dots[None, :, 0] > x0[:, None] - radius)
            & (dots[None, :, 0] < x1[:, None] + radius)
            & (dots[None, :, 1] > y0[:, None] - radius)
            & (dots[None, :, 1] < y1[:, None] + radius)
        ).sum(axis=1)
        cost = np.where(fits, ring * 10 + covered * 25, np.inf)
        best = int(np.argmin(cost))  # the first of equals: nearest ring, then direction order
        _, _, align, baseline = _DIRECTIONS[best % len(_DIRECTIONS)]
        box = (x0[best], y0[best], x1[best], y1[best])
        boxes = np.vstack([boxes, box])
        placed.append((row, ax[best], ay[best], align, baseline, *box, bool(ring[best] > 0)))
    return pd.DataFrame(placed, columns=["row", "ax", "ay", "align", "baseline", "x0", "y0", "x1", "y1", "leader"])


def point_radius(size: float) -> float:
    """Return the radius in pixels of a point mark of area ``size`` (Vega's size is in px²)."""
    return math.sqrt(size) / 2


def label_text(name: str) -> str:
    """Return a name as drawn beside its point: on one line, cut to ``NAME_LIMIT`` characters."""
    return shorten(name, NAME_LIMIT)
