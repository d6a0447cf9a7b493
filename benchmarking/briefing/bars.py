"""A bar per authority on a slide: at most ``MAX_BARS`` bars, a longer chart split over slides on one scale.

The one rule for every form of the briefing: the Presentation page's deck (``deck``), the PPTX (``pptx``) and the
PDF (``pdf``) all split a chart of more than ``MAX_BARS`` bars into the fewest parts, '(1 of 2)', '(2 of 2)', every
authority once, in the chart's order, each part on the whole chart's £ scale with its median.
"""

from __future__ import annotations

import copy
import math
from dataclasses import replace

import altair as alt

from benchmarking.briefing.screens import SLIDE_STYLE, SMALLEST, TYPE, SlideLines, slide_heights
from benchmarking.charts.labels import text_width

BAR_AXIS_ROOM = 70
"""Pixels of a projected bar chart's height that hold no bars: the x axis's labels and title."""
NAME_SHARE = 0.9
"""A bar's name is set at this share of the bar's step (the bar and the gap under it), so names never touch."""
LARGEST_NAME = TYPE.sentence[0]
"""The largest type a bar's name is set in however much room its bars have: the slide's own sentences' (26 px),
read from the back of the room without a few bars' names outshouting the slide's title and words."""
BAR_SLIDE_ROOM = slide_heights(SMALLEST, SlideLines(small_print=2))["chart"]
"""The room a bar chart has on a 1366x768 slide in briefing mode: under its title, over two lines of small print."""
MAX_BARS = int((BAR_SLIDE_ROOM - BAR_AXIS_ROOM) * NAME_SHARE / SLIDE_STYLE.label_size)
"""Bars (one per authority) on one slide: as many as a 1366x768 slide draws with each name at the charts' label size
(20 px, read from the back of the room). A longer chart is split over slides of the fewest parts, on one scale,
every authority once, as a long table is: all 44 authorities would be named at 10 px on one slide."""


def parts(count: int, limit: int) -> list[slice]:
    """Return slices that cut ``count`` items into the fewest parts of at most ``limit``, sizes within one."""
    if count <= 0:
        return [slice(0, 0)]
    pieces = math.ceil(count / limit)
    size, extra = divmod(count, pieces)
    cuts, start = [], 0
    for piece in range(pieces):
        end = start + size + (1 if piece < extra else 0)
        cuts.append(slice(start, end))
        start = end
    return cuts


def numbered(title: str, piece: int, pieces: int) -> str:
    """Return a slide's title with which part it is, '(2 of 3)', when its content runs over ``pieces`` slides."""
    return title if pieces == 1 else f"{title} ({piece} of {pieces})"


def split_bars(slide):
    """Return a slide (``pack.Slide``) whose chart draws more than ``MAX_BARS`` bars as slides of its bars in turn,
    each titled with its part and drawn on the whole chart's scale (the first with the slide's bullets and warnings),
    else ``[slide]``."""
    spec = slide.chart.to_dict(validate=False) if slide.chart is not None else {}
    cuts = parts(band_rows(spec), MAX_BARS)
    if len(cuts) == 1:
        return [slide]
    tallest = max(cut.stop - cut.start for cut in cuts)
    return [
        replace(
            slide,
            title=numbered(slide.title, number, len(cuts)),
            chart=bars_part(spec, cut, tallest),
            table=slide.table if number == 1 else None,  # printed only where no chart could be drawn: once
            bullets=slide.bullets if number == 1 else [],
            warnings=slide.warnings if number == 1 else [],
        )
        for number, cut in enumerate(cuts, start=1)
    ]


def printed_slides(slides: list) -> list:
    """Return the briefing's slides as the PPTX and PDF print them (and ``pack.chart_images`` renders them): each
    chart of more than ``MAX_BARS`` bars split over slides (``split_bars``)."""
    return [part for slide in slides for part in split_bars(slide)]


def bars_part(spec: dict, cut: slice, tallest: int | None = None) -> alt.TopLevelMixin:
    """Return a chart of bars (one per authority, in the order of its y axis) drawing only the bars ``cut``, on the
    whole chart's x scale (its other layers, a median line, drawn whole), its height cut in proportion, its names in
    the whole chart's column (``name_column``); ``tallest``, the bars of the longest part, is kept in its ``usermeta``
    for ``step_rows``."""
    spec = copy.deepcopy(spec)
    values = [
        row.get(layer["encoding"]["x"]["field"])
        for layer in spec.get("layer", [spec])
        if layer.get("encoding", {}).get("x", {}).get("type") == "quantitative"
        for rows in spec.get("datasets", {}).values()
        for row in rows
    ]
    numbers = [float(value) for value in values if isinstance(value, (int, float))]
    whole = band_rows(spec)
    for layer in spec.get("layer", [spec]):
        y = layer.get("encoding", {}).get("y", {})
        if y.get("type") != "nominal" or not isinstance(y.get("sort"), list):
            continue
        kept = y["sort"][cut]
        y["sort"] = kept
        layer["transform"] = [*layer.get("transform", []), {"filter": {"field": y["field"], "oneOf": kept}}]
        if numbers:
            scale = layer["encoding"]["x"].setdefault("scale", {})
            scale["domain"] = [min(0.0, *numbers), max(0.0, *numbers)]
    drawn = band_rows(spec)
    if isinstance(spec.get("height"), (int, float)) and whole:  # a printed part's bars as tall as the whole's
        spec["height"] = max(SLIDE_STYLE.height, round(spec["height"] * drawn / whole))
    name_column(spec, spec.get("config", {}).get("axis", {}).get("labelFontSize", SLIDE_STYLE.label_size))
    spec["usermeta"] = {**spec.get("usermeta", {}), "tallest_part": tallest or drawn}
    kind = alt.LayerChart if "layer" in spec else alt.Chart
    return kind.from_dict(spec, validate=False)


def _name_axes(spec: dict) -> list[dict]:
    """Return the encodings of a chart's nominal y axes (its names, one per bar)."""
    return [
        layer["encoding"]["y"]
        for layer in spec.get("layer", [spec])
        if layer.get("encoding", {}).get("y", {}).get("type") == "nominal" and layer["encoding"]["y"].get("field")
    ]


def step_rows(spec: dict) -> int:
    """Return the bars a chart's step is worked out for: those of the longest part of the chart it is a part of (so
    that every part draws its bars and names at one size), else the bars it draws."""
    return max(band_rows(spec), int(spec.get("usermeta", {}).get("tallest_part", 0)))


def name_size(room: float, rows: int) -> int:
    """Return the type size of a bar chart's names when ``rows`` bars share ``room`` pixels (axis included): a share
    of a bar's step (``NAME_SHARE``), no larger than ``LARGEST_NAME`` and no smaller than 9 px."""
    step = (room - BAR_AXIS_ROOM) / max(rows, 1)
    return max(9, min(LARGEST_NAME, int(step * NAME_SHARE)))


def name_column(spec: dict, size: float) -> None:
    """Set the column of a bar chart's names (in place) as wide as the widest name of the whole chart at ``size``
    px, whichever bars it draws: every part of a chart split over slides starts its bars at the same place, so its £
    axis is as long on each. Names are measured generously (``labels.text_width``, bold as the focus is drawn)."""
    axes = _name_axes(spec)
    fields = {y["field"] for y in axes}
    names = {
        str(row[name]) for rows in spec.get("datasets", {}).values() for row in rows for name in fields if row.get(name)
    }
    limit = int(max((text_width(name, size, bold=True) for name in names), default=0.0)) + 8
    for y in axes:
        if y.get("axis", {}) is None:  # an axis drawn without names
            continue
        y["axis"] = {**y.get("axis", {}), "labelLimit": limit, "minExtent": limit + 10, "maxExtent": limit + 10}


def band_rows(spec: dict) -> int:
    """Return how many bars a chart with a nominal y axis (one bar per authority) draws (those its y order lists,
    when it lists them), or 0 for other charts."""
    axes = _name_axes(spec)
    if not axes:
        return 0
    fields = {y["field"] for y in axes}
    values = {row.get(name) for rows in spec.get("datasets", {}).values() for row in rows for name in fields} - {None}
    orders = [set(y["sort"]) for y in axes if isinstance(y.get("sort"), list)]
    return len(values.intersection(*orders))  # a part of the bars (``bars_part``) draws those its order lists
