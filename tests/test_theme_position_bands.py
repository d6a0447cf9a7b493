"""The position-by-theme chart's quartile shading agrees with the quartile of every dot (review v8): each theme's
positions are "of" the authorities positioned in that theme, so its bands are its own (Leicestershire's Health -
Adult 28th of 37 is 4th quartile, not in a 3rd-quartile band drawn for the largest theme)."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest
from svg_text import text_boxes

from benchmarking import charts
from benchmarking.charts.style import QUARTILE_LABELS
from benchmarking.method import ranking

# (theme, position, n_positioned): the reviewer's two cases, themes of other sizes, a theme too small for
# quartiles, and a focus shown beside its group (one place below the last member).
POSITIONS = [
    ("Overall", 5, 36),
    ("Health - Adult", 28, 37),
    ("Transport & Highways", 25, 31),
    ("Community Safety", 19, 34),
    ("Economy", 17, 36),
    ("Housing", 10, 40),
    ("Tiny", 2, 3),
    ("Beside", 25, 24),
]


def _spec(style) -> dict:
    frame = pd.DataFrame(POSITIONS, columns=["theme", "position", "n_positioned"]).assign(average_rank=10.0)
    return charts.theme_position_chart(frame, "t", "s", style=style).to_dict(validate=True)


def _rows(spec: dict, layer: dict) -> list[dict]:
    data = layer.get("data", spec.get("data", {}))
    return spec["datasets"][data["name"]]


@pytest.mark.parametrize("style", [charts.NORMAL, charts.BRIEFING], ids=["normal", "briefing"])
def test_every_dot_lies_in_the_band_of_its_own_quartile(style):
    """Each dot stands in exactly one shaded band of its theme, the band of the quartile ``ranking.quartile``
    gives it (the quartile its colour and shape say); a theme too small for quartiles is not shaded."""
    spec = _spec(style)
    [bands] = [_rows(spec, layer) for layer in spec["layer"] if layer["mark"]["type"] == "rect"]
    for theme, position, n in POSITIONS:
        quartile = ranking.quartile([position], [n])[0]
        around = [
            band["quartile_label"]
            for band in bands
            if band.get("theme", theme) == theme and band["start"] < position < band["end"]
        ]
        if pd.isna(quartile):
            assert around == [], theme
        else:
            assert around == [QUARTILE_LABELS[int(quartile) - 1]], (theme, position, n, around)


def test_each_theme_is_shaded_from_first_to_last_place():
    """A theme's bands meet end to end from 0.5 to its last place + 0.5 (its own count, or the place of a focus
    beside the group), so no rank is left unshaded and none shaded twice."""
    spec = _spec(charts.NORMAL)
    [bands] = [_rows(spec, layer) for layer in spec["layer"] if layer["mark"]["type"] == "rect"]
    for theme, position, n in POSITIONS:
        if n < ranking.MIN_RANKED_FOR_QUARTILE:
            continue
        mine = sorted((band["start"], band["end"]) for band in bands if band.get("theme", theme) == theme)
        assert mine[0][0] == 0.5 and mine[-1][1] == max(n, position) + 0.5, theme
        assert all(a[1] == b[0] for a, b in itertools.pairwise(mine)), theme


@pytest.mark.parametrize("style", [charts.NORMAL, charts.BRIEFING], ids=["normal", "briefing"])
def test_the_chart_has_a_key_to_its_quartiles(style):
    """Rendered (as the PNG, the PDF and the slides are), the chart has a key naming the quartiles its colours and
    shapes stand for (hiding the bands' own key hid the dots' key too, since they share one)."""
    vlc = pytest.importorskip("vl_convert")
    frame = pd.DataFrame(POSITIONS, columns=["theme", "position", "n_positioned"]).assign(average_rank=10.0)
    chart = charts.theme_position_chart(frame, "t", "s", style=style)
    drawn = [box.text for box in text_boxes(vlc.vegalite_to_svg(charts.vega_lite_json(chart)))]
    assert set(QUARTILE_LABELS) <= set(drawn) and drawn.count("Quartile") == 1
    # One key for colour and shape: only the dots are coloured by quartile, and both channels ask for the same key
    # (the browser's Vega-Lite draws two keys otherwise, where vl-convert's draws one).
    coloured = [layer["encoding"] for layer in chart.to_dict()["layer"] if "color" in layer.get("encoding", {})]
    assert len(coloured) == 1 and coloured[0]["color"]["legend"] == coloured[0]["shape"]["legend"]
