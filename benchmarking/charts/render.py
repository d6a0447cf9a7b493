"""Charts to PNG and SVG: the vl-convert renderer (started early on a background thread), an
in-memory cache of rendered images keyed by specification and scale (or SVG), and the Vega-Lite
JSON a still image is rendered from."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import threading
from collections import OrderedDict

import altair as alt

MAX_PNG_SIDE = 6000
"""Pixels a rendered chart may measure on either side; a larger one is drawn again smaller."""
PNG_CACHE_SIZE = 64
"""Rendered charts kept in memory (a briefing has 16, about 0.3 MB each at scale 1)."""
_png_cache: OrderedDict[tuple[str, float | str], bytes | str] = OrderedDict()
_png_cache_lock = threading.Lock()
_renderer_start: threading.Thread | None = None


def start_renderer() -> None:
    """Start the PNG renderer on a background thread, once per process; return at once.

    vl-convert's JavaScript engine takes about a second to start, mostly without holding
    Python's lock, so started early it gets ready on the other core while the caller builds
    the charts, instead of delaying the first ``to_png``.
    """
    global _renderer_start
    try:
        import vl_convert as vlc  # here: an import on the background thread would hold the import lock
    except ImportError:
        return  # to_png reports it
    with _png_cache_lock:
        if _renderer_start is None:
            _renderer_start = threading.Thread(
                target=_start_renderer, args=(vlc,), name="vl-convert start-up", daemon=True
            )
            _renderer_start.start()


def _start_renderer(vlc) -> None:
    with contextlib.suppress(Exception):  # a broken renderer fails, with its message, in to_png
        vlc.vegalite_to_svg({"mark": "point", "data": {"values": []}})


def vega_lite_json(chart: alt.TopLevelMixin) -> str:
    """Return the chart's Vega-Lite specification for a still image as compact JSON text.

    Tooltips are left out (a picture cannot show them, and they cost the renderer a tenth of
    its time), and the specification is not checked against the schema again: the builders
    above only make valid ones (the page tests draw each), and the check costs more than
    rendering.
    """
    return json.dumps(_without_tooltips(chart.to_dict(validate=False)), separators=(",", ":"))


def _without_tooltips(spec):
    if isinstance(spec, dict):
        return {
            key: _without_tooltips(value)
            for key, value in spec.items()
            if not (key == "tooltip" and isinstance(value, (dict, list)))
        }
    if isinstance(spec, list):
        return [_without_tooltips(value) for value in spec]
    return spec


def png_size(png: bytes) -> tuple[int, int]:
    """Return a PNG's width and height in pixels, read from its header (no decoding)."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def _render_png(spec: str, scale: float) -> bytes:
    import vl_convert as vlc

    png = vlc.vegalite_to_png(spec, scale=scale)
    side = max(png_size(png))
    if side > MAX_PNG_SIDE:  # bounded before PIL or ReportLab decode it (no decompression bomb)
        png = vlc.vegalite_to_png(spec, scale=scale * MAX_PNG_SIDE / side * 0.99)
    return png


def png_from_spec(spec: str, scale: float = 2.0) -> bytes:
    """Return a Vega-Lite specification (JSON text) rendered to PNG bytes, from the cache if
    the same specification was rendered at the same scale before in this process."""
    return _cached(spec, float(scale), lambda: _render_png(spec, scale))


def svg_from_spec(spec: str) -> str:
    """Return a Vega-Lite specification (JSON text) rendered to SVG text (every label XML-escaped by the
    renderer), from the cache if the same specification was rendered before in this process."""
    import vl_convert as vlc

    return _cached(spec, "svg", lambda: vlc.vegalite_to_svg(spec))


def _cached(spec: str, kind: float | str, render):
    """Return ``render()``'s image of ``spec`` as ``kind`` (a PNG scale, or "svg"), rendered once per process."""
    key = (hashlib.sha256(spec.encode()).hexdigest(), kind)
    with _png_cache_lock:
        image = _png_cache.get(key)
        if image is not None:
            _png_cache.move_to_end(key)
            return image
    image = render()
    with _png_cache_lock:
        _png_cache[key] = image
        while len(_png_cache) > PNG_CACHE_SIZE:
            _png_cache.popitem(last=False)
    return image


def to_png(chart: alt.TopLevelMixin, scale: float = 2.0, footer: str = "") -> bytes:
    """Return the chart rendered to PNG bytes (vl-convert: no browser needed), with ``footer`` (a downloaded
    chart's dataset and sources) in small type below it when given (``with_footer``).

    The same chart at the same scale is rendered once per process: a second briefing of
    the same selection gets the cached bytes at once.
    """
    png = png_from_spec(vega_lite_json(chart), scale)
    return with_footer(png, footer, scale) if footer else png


FOOTER_SIZE = 11
"""A downloaded chart's footer type size in pixels at scale 1 (the on-screen charts' smallest labels are 13)."""
FOOTER_LINES = 4
"""Lines of footer at most; a longer text is cut with '…'."""


def with_footer(png: bytes, text: str, scale: float = 2.0) -> bytes:
    """Return the PNG with ``text`` below it in small grey type on white, wrapped to the picture's width (at
    most ``FOOTER_LINES`` lines), so a chart saved and pasted elsewhere still says what data it shows."""
    from PIL import Image, ImageDraw  # on a download only: no drawing library on a page's path

    from benchmarking.text import typesetting

    picture = Image.open(io.BytesIO(png))
    size = FOOTER_SIZE * scale
    font = typesetting.font(size)  # the font the lines are measured with (``typesetting.wrap``)
    margin = round(8 * scale)
    lines = typesetting.at_most(
        typesetting.wrap(" ".join(text.split()), picture.width - 2 * margin, size), FOOTER_LINES, size
    )
    leading = round(size * 1.35)
    framed = Image.new("RGB", (picture.width, picture.height + len(lines) * leading + margin), "white")
    framed.paste(picture.convert("RGBA"), (0, 0), picture.convert("RGBA"))
    draw = ImageDraw.Draw(framed)
    for number, line in enumerate(lines):
        draw.text((margin, picture.height + number * leading), line, fill="#444444", font=font)
    out = io.BytesIO()
    framed.save(out, format="PNG", optimize=False)
    return out.getvalue()


def to_svg(chart: alt.TopLevelMixin, width: int) -> str:
    """Return the chart drawn ``width`` pixels wide (its plot; axes add to it) as SVG text, for a page to show as
    a still image: the browser then loads no charting code for it. Rendered once per process."""
    return svg_from_spec(vega_lite_json(chart.properties(width=width)))


def clear_png_cache() -> None:
    """Forget every cached PNG and SVG (returns None); the next ``to_png`` or ``to_svg`` renders afresh."""
    with _png_cache_lock:
        _png_cache.clear()


_GRIDS = ("hconcat", "vconcat", "concat", "facet")


def for_screen(spec: dict) -> tuple[dict, bool]:
    """Return the specification as a page draws it, and whether it stretches to its container.

    A single or layered chart is fitted across its container (``autosize`` fit-x: the whole
    chart, axes and legend included, is as wide as the page column; its height stays the
    plot's height); a grid (concat or facet) cannot be fitted by Vega-Lite, so it keeps the
    panel widths its builder chose for the narrowest screen (``ChartStyle.narrowest``).
    """
    encoding = spec.get("encoding", {})
    if any(key in spec for key in _GRIDS) or any(key in encoding for key in ("row", "column", "facet")):
        return spec, False
    return {**spec, "width": "container", "autosize": {"type": "fit-x", "contains": "padding"}}, True
