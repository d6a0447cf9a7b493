"""Chart PNGs: rendered once per specification and scale, then served from memory."""

from __future__ import annotations

import altair as alt
import pandas as pd
import pytest

from benchmarking import charts
from benchmarking.charts import render


def _view(focus_rank: float = 3.0) -> pd.DataFrame:
    n = 5
    return pd.DataFrame(
        {
            "authority_code": [f"E{i}" for i in range(n)],
            "name": [f"Authority {i}" for i in range(n)],
            "kind": ["county council", "county unitary"] * 2 + ["county council"],
            "performance_position": [1.0, 2.0, focus_rank, 4.0, 5.0],
            "context_rank": [5.0, 4.0, 3.0, 2.0, 1.0],
            "quadrant": ["q"] * n,
            "average_rank": [1.5, 2.5, 3.5, 4.5, 5.5],
            "context_value": [100.0, 200.0, 300.0, 400.0, 500.0],
            "n": [n] * n,
            "is_focus": [False, False, True, False, False],
        }
    )


def _chart(focus_rank: float = 3.0):
    return charts.quadrant_chart(
        _view(focus_rank), "Overall performance against spend", "sub", "Spend rank", "spend", style=charts.BRIEFING
    )


@pytest.fixture
def renders(monkeypatch):
    """Replace the renderer with a recorder; return the list of (spec, scale) it was asked for."""
    calls = []

    def fake(spec: str, scale: float) -> bytes:
        calls.append((spec, scale))
        return f"png {len(calls)}".encode()

    charts.clear_png_cache()
    monkeypatch.setattr(render, "_render_png", fake)
    yield calls
    charts.clear_png_cache()


def test_the_same_chart_again_is_served_without_rendering(renders):
    """A rebuilt but identical chart at the same scale returns the same bytes, rendered once."""
    first = charts.to_png(_chart(), scale=1.0)
    again = charts.to_png(_chart(), scale=1.0)
    assert again == first
    assert len(renders) == 1


def test_a_different_chart_scale_or_cleared_cache_renders_again(renders):
    """Different data, a different scale, or a cleared cache each need a new render."""
    base = charts.to_png(_chart(), scale=1.0)
    other = charts.to_png(_chart(focus_rank=2.5), scale=1.0)
    larger = charts.to_png(_chart(), scale=2.0)
    assert len({base, other, larger}) == 3
    assert [scale for _, scale in renders] == [1.0, 1.0, 2.0]
    charts.clear_png_cache()
    charts.to_png(_chart(), scale=1.0)
    assert len(renders) == 4


def test_the_cache_keeps_only_the_most_recently_used(renders, monkeypatch):
    """Past PNG_CACHE_SIZE entries the least recently used is dropped and rendered again."""
    monkeypatch.setattr(render, "PNG_CACHE_SIZE", 2)
    a, b, c = (_chart(rank) for rank in (2.5, 3.0, 3.5))
    charts.to_png(a, scale=1.0)
    charts.to_png(b, scale=1.0)
    charts.to_png(a, scale=1.0)  # a is now the most recent; b the least
    charts.to_png(c, scale=1.0)  # evicts b
    assert len(renders) == 3
    charts.to_png(a, scale=1.0)
    assert len(renders) == 3
    charts.to_png(b, scale=1.0)
    assert len(renders) == 4


def test_the_picture_leaves_out_tooltips_but_the_chart_keeps_them():
    """Tooltips cost render time and cannot show in a PNG; the interactive chart still has them."""
    chart = _chart()
    assert "tooltip" in chart.to_json()
    assert '"tooltip"' not in charts.vega_lite_json(chart)


def test_a_real_render_is_a_png_and_repeats_from_the_cache():
    """vl-convert draws the chart; the second call returns the very same bytes object."""
    charts.clear_png_cache()
    png = charts.to_png(_chart(), scale=1.0)
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000
    assert charts.to_png(_chart(), scale=1.0) is png


def test_the_renderer_is_started_once_in_the_background():
    """start_renderer returns at once and, called again, starts no second thread."""
    import threading

    charts.start_renderer()
    charts.start_renderer()
    starting = [t for t in threading.enumerate() if t.name == "vl-convert start-up"]
    assert len(starting) <= 1
    for thread in starting:
        thread.join(timeout=60)
    assert charts.to_png(_chart(focus_rank=1.5), scale=1.0).startswith(b"\x89PNG")


def test_a_downloaded_chart_says_its_data_and_sources_below_it():
    """``to_png(footer=...)`` adds the dataset and sources in small type on a white strip below the chart, wrapped
    to the picture's width; the chart itself (its pixels above the strip) is unchanged."""
    import io

    from PIL import Image, ImageChops

    chart = alt.Chart(pd.DataFrame({"x": [1, 2, 3], "y": [3, 1, 2]})).mark_bar().encode(x="x:O", y="y:Q")
    footer = "Data: public data: the English county areas. Sources: " + "; ".join(f"Publisher {n}" for n in range(40))
    plain = Image.open(io.BytesIO(charts.to_png(chart, scale=1))).convert("RGB")
    framed = Image.open(io.BytesIO(charts.to_png(chart, scale=1, footer=footer))).convert("RGB")
    assert framed.width == plain.width and framed.height > plain.height + 2 * 11  # two lines or more
    assert ImageChops.difference(framed.crop((0, 0, *plain.size)), plain).getbbox() is None
    strip = ImageChops.invert(framed.crop((0, plain.height, framed.width, framed.height)).convert("L"))
    left, _top, right, _bottom = strip.getbbox()  # the footer's ink
    assert left > 0 and right < framed.width  # within the picture: wrapped, not cut at its edge
    assert charts.to_png(chart, scale=1) == charts.to_png(chart, scale=1, footer="")  # no footer: as before
