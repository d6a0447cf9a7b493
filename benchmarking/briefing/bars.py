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

from benchmarking.briefing.screens import SLIDE_STYLE, SMALLEST, SlideLines, slide_heights

BAR_AXIS_ROOM = 70
"""Pixels of a projected bar chart's height that hold no bars: the x axis's labels and title."""
BAR_SLIDE_ROOM = slide_heights(SMALLEST, SlideLines(small_print=2))["chart"]
"""The room a bar chart has on a 1366x768 slide in briefing mode: under its title, over two lines of small print."""
MAX_BARS = int((BAR_SLIDE_ROOM - BAR_AXIS_ROOM) * 0.9 / SLIDE_STYLE.label_size)
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
    return [
        replace(
            slide,
            title=numbered(slide.title, number, len(cuts)),
            chart=bars_part(spec, cut),
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


def bars_part(spec: dict, cut: slice) -> alt.TopLevelMixin:
    """Return a chart of bars (one per authority, in the order of its y axis) drawing only the bars ``cut``, on the
    whole chart's x scale (its other layers, a median line, drawn whole), its height cut in proportion."""
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
    kind = alt.LayerChart if "layer" in spec else alt.Chart
    return kind.from_dict(spec, validate=False)


def band_rows(spec: dict) -> int:
    """Return how many bars a chart with a nominal y axis (one bar per authority) draws (those its y order lists,
    when it lists them), or 0 for other charts."""
    axes = [
        layer["encoding"]["y"]
        for layer in spec.get("layer", [spec])
        if layer.get("encoding", {}).get("y", {}).get("type") == "nominal" and layer["encoding"]["y"].get("field")
    ]
    if not axes:
        return 0
    fields = {y["field"] for y in axes}
    values = {row.get(name) for rows in spec.get("datasets", {}).values() for row in rows for name in fields} - {None}
    orders = [set(y["sort"]) for y in axes if isinstance(y.get("sort"), list)]
    return len(values.intersection(*orders))  # a part of the bars (``bars_part``) draws those its order lists
