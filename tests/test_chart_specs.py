"""Every chart builder gives a Vega-Lite spec that passes Altair's schema validation.

Pages draw charts without validating them on each rerun (``pages._common.draw_chart``), so
the schema check lives here, on the demo benchmark, with the reading each chart promises.
"""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from benchmarking import charts
from benchmarking.method.positions import OVERALL
from benchmarking.service.benchmark import comparator_group, compute
from benchmarking.service.catalogue import load_catalogue
from benchmarking.service.context_views import quadrant_view
from benchmarking.service.funding_views import funding_view
from benchmarking.service.overview import overview
from benchmarking.service.views import indicator_series, indicator_view, trend_view

FOCUS = "E10000018"


@pytest.fixture(scope="module")
def demo(demo_store_path):
    from benchmarking.store import Store

    cat = load_catalogue(Store(demo_store_path))
    return cat, compute(cat, comparator_group(cat, "all", FOCUS)), cat.period_labels[-1]


def _layers(spec: dict) -> list[dict]:
    found = [spec]
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for child in spec.get(key, []):
            found += _layers(child)
    return found


@pytest.mark.parametrize("style", [charts.NORMAL, charts.BRIEFING])
def test_quadrant_chart_is_valid_with_best_at_top_and_low_spend_right(demo, style):
    cat, bench, period = demo
    view = quadrant_view(cat, bench, OVERALL, "Revenue", period, FOCUS)
    spec = charts.quadrant_chart(view, "t", "s", "Spend rank", "spend", style=style).to_dict(validate=True)
    encodings = [layer["encoding"] for layer in _layers(spec) if "encoding" in layer and "y" in layer["encoding"]]
    y_domain = encodings[0]["y"]["scale"]["domain"]
    x_domain = encodings[0]["x"]["scale"]["domain"]
    assert y_domain[0] > y_domain[1]  # position 1 at the top
    assert x_domain[0] < x_domain[1]  # spend rank 1 (highest spend) on the left, low spend right


def test_every_other_page_chart_is_valid(demo):
    cat, bench, period = demo
    n = bench.group.size
    positions = overview(cat, bench, period, FOCUS).theme_positions
    indicator = cat.indicators.loc[cat.indicators["polarity"] != "none", "id"].iloc[0]
    trend = trend_view(cat, bench, [OVERALL], list(bench.group.members))
    views = {theme: quadrant_view(cat, bench, theme, "Revenue", period, FOCUS) for theme in [OVERALL] + cat.themes[:2]}
    built = {
        "themes": charts.theme_position_chart(positions, "t", "s"),
        "bars": charts.indicator_bar_chart(indicator_view(cat, bench, indicator, period, FOCUS), "t", "s", None),
        "series": charts.indicator_series_chart(
            indicator_series(cat, bench, indicator, FOCUS), "Leicestershire", "t", "s", None
        ),
        "trend": charts.trend_chart(trend, "Leicestershire", "t", "s"),
        "sparkline": charts.sparkline(trend[trend["authority_code"] == FOCUS], n),
        "funding": charts.funding_chart(funding_view(cat, bench, period, FOCUS), "t", "s"),
        "multiples": charts.quadrant_small_multiples(views, "t", "s", "spend"),
    }
    for name, chart in built.items():
        spec = chart.to_dict(validate=True)
        assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/"), name
    multiples = built["multiples"].to_dict(validate=True)
    assert sum(len(row["hconcat"]) for row in multiples["vconcat"]) == len(views)


def test_trend_panels_follow_the_chosen_theme_order(demo):
    """Overall first when chosen first, although 'LA Core' sorts before it A-Z."""
    cat, bench, _ = demo
    trend = trend_view(cat, bench, [OVERALL, "LA Core"], [FOCUS])
    spec = charts.trend_chart(trend, "Leicestershire", "t", "s").to_dict(validate=True)
    assert spec["facet"]["sort"] == [OVERALL, "LA Core"]
    assert list(dict.fromkeys(trend["theme"])) == [OVERALL, "LA Core"]


@pytest.mark.parametrize("style", [charts.NORMAL, charts.BRIEFING])
def test_an_axis_of_names_never_cuts_a_name_it_has_room_for(demo, style):
    """The bar, funding and interval charts give their axis of authority names room for the widest name at the
    style's label size (Vega-Lite's default cuts at 180 px: 'East Riding of York…' on a projector)."""
    import pandas as pd

    from benchmarking.charts.labels import text_width

    cat, bench, period = demo
    indicator = cat.indicators.loc[cat.indicators["polarity"] != "none", "id"].iloc[0]
    long_name = "East Riding of Yorkshire Council"
    intervals = pd.DataFrame(
        {"name": [long_name, "Kent"], "position": [1, 2], "lower": [1, 1], "upper": [2, 2], "is_focus": [True, False]}
    )
    bars = indicator_view(cat, bench, indicator, period, FOCUS).assign(name=long_name)
    for chart in (
        charts.indicator_bar_chart(bars, "t", "s", None, style=style),
        charts.funding_chart(funding_view(cat, bench, period, FOCUS).assign(name=long_name), "t", "s", style=style),
        charts.interval_chart(intervals, 2, "t", "s", style=style),
    ):
        axes = [
            layer["encoding"]["y"].get("axis", {})
            for layer in _layers(chart.to_dict(validate=True))
            if "encoding" in layer and layer["encoding"].get("y", {}).get("field") == "display_name"
        ]
        assert axes and all(
            axis.get("labelLimit", 180) >= text_width(f"{long_name}  {charts.FOCUS_MARK}", style.label_size)
            for axis in axes
        )


def _drawn_label(text: str):
    """The label ``text`` drawn by the PNG renderer, left-aligned, as a greyscale picture."""
    import io

    import altair as alt
    import pandas as pd
    from PIL import Image

    chart = (
        alt.Chart(pd.DataFrame({"label": [text]}))
        .mark_text(align="left", baseline="middle", fontSize=20, x=5, y=20)
        .encode(text="label:N")
        .properties(width=300, height=40)
    )
    return Image.open(io.BytesIO(charts.to_png(chart, scale=1))).convert("L")


def test_the_focus_mark_is_drawn_in_the_labels_own_font():
    """The focus authority's marked name ("Leicestershire ♦" on the funding chart) is drawn in the chart's font:
    its name looks exactly as without the mark. A mark the font lacks made the renderer draw the whole label in
    a serif fallback font (the PPTX's funding slide)."""
    from PIL import ImageChops

    name = "Leicestershire"
    marked = charts.style.display_names(pd.Series([name]), pd.Series([True]))[0]
    assert marked != name
    plain, other = _drawn_label(name), _drawn_label(marked)
    box = ImageChops.invert(plain).getbbox()  # where the name's ink is
    assert ImageChops.difference(plain.crop(box), other.crop(box)).getbbox() is None


@pytest.mark.parametrize("n", [38, 36, 12])
def test_the_position_sparkline_labels_more_than_its_ends(n):
    """The Overview's position-over-time line labels 1, n and evenly spaced ranks between (was only 1 and n), each
    label at least a line and a half of text from the next."""
    trend = pd.DataFrame(
        {"period": ["2020/21", "2021/22", "2022/23"], "period_start": [2020, 2021, 2022], "position": [2, 5, n]}
    )
    spec = charts.sparkline(trend, n).to_dict()
    ticks = spec["encoding"]["y"]["axis"]["values"]
    assert ticks[0] == 1 and ticks[-1] == n and len(ticks) >= 3
    assert ticks == sorted(set(ticks))
    per_rank = spec["height"] / n
    assert min(b - a for a, b in itertools.pairwise(ticks)) * per_rank >= charts.NORMAL.label_size * 1.5
