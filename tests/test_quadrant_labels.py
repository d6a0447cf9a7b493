"""Names on the quadrant: the focus and the chosen authorities are named, and no two names
overlap in the rendered chart (SVG from vl-convert, boxes measured with Pillow: tests/svg_text.py)."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from svg_text import measured_width, text_boxes

from benchmarking import charts
from benchmarking.charts.labels import LABEL_CHOICES, label_text, labelled_codes, place_labels, text_width

HOSTILE = ["<script>alert(1)</script>", "**bold**", "=cmd()"]
CORNERS = set(charts.quadrant_labels("spend").values())


def synthetic_view(n: int, seed: int = 7, focus: int = 3) -> pd.DataFrame:
    """A group of ``n`` authorities at random distinct positions and spend ranks; names of
    county length, three of them hostile strings."""
    rng = np.random.default_rng(seed)
    names = [f"Authority {i} County Council" if i % 3 else f"Northamptonshire {i}" for i in range(n)]
    names[:3] = HOSTILE
    return pd.DataFrame(
        {
            "authority_code": [f"E1{i:07d}" for i in range(n)],
            "name": names,
            "kind": ["county council" if i % 2 else "county unitary" for i in range(n)],
            "performance_position": rng.permutation(n) + 1.0,
            "context_rank": rng.permutation(n) + 1.0,
            "quadrant": "",
            "average_rank": 1.0,
            "context_value": 100.0,
            "n": n,
            "is_focus": [i == focus for i in range(n)],
            "in_group": True,
        }
    )


def named(chart) -> pd.DataFrame:
    """Return the names layer's data (the text layer carrying a weight per name)."""
    frames = [
        layer.data
        for layer in chart.layer
        if isinstance(layer.data, pd.DataFrame) and "weight" in layer.data and "anchor_x" not in layer.data
    ]
    assert len(frames) == 1
    return frames[0]


def test_the_focus_is_always_named_and_nothing_else_by_default():
    view = synthetic_view(34)
    names = named(charts.quadrant_chart(view, "t", "s", "Spend rank", "spend"))
    assert list(names["text"]) == [view.loc[3, "name"]]
    assert list(names["weight"]) == ["bold"]


def test_chosen_authorities_are_named_with_the_focus():
    view = synthetic_view(34)
    chosen = ["E10000000", "E10000001", "E10000002", "E10000020"]  # three hostile names and one more
    codes = labelled_codes(view, "chosen", chosen + ["E99999999"])  # an unknown code is dropped
    assert codes == ["E10000003", *chosen]
    names = named(charts.quadrant_chart(view, "t", "s", "Spend rank", "spend", labelled=codes))
    expected = {label_text(view.set_index("authority_code").loc[c, "name"]) for c in chosen}
    assert expected | {view.loc[3, "name"]} == set(names["text"])
    assert "<script>alert(1)</script>" in set(names["text"])  # drawn as text by Vega, never as markup


def test_ends_names_the_best_and_worst_few():
    """Positions 1, 2 (best) and 33, 34 (worst) found by hand from the frame, plus the focus."""
    view = synthetic_view(34)
    by_position = view.set_index("performance_position")["authority_code"]
    expected = [view.loc[3, "authority_code"]] + [by_position[p] for p in (1.0, 2.0, 33.0, 34.0)]
    assert labelled_codes(view, "ends2") == list(dict.fromkeys(expected))
    assert labelled_codes(view, "no-such-choice") == ["E10000003"]
    assert set(labelled_codes(view, "all")) == set(view["authority_code"])
    assert set(LABEL_CHOICES) >= {"focus", "ends3", "ends5", "chosen", "all"}


@pytest.mark.parametrize("n", [34, 150])
@pytest.mark.parametrize("style", [charts.NORMAL, charts.BRIEFING], ids=["normal", "briefing"])
def test_no_two_names_overlap_in_the_rendered_chart(n, style):
    """Every authority asked for; the names that fit are drawn, none over another or a corner name."""
    vlc = pytest.importorskip("vl_convert")
    view = synthetic_view(n)
    chart = charts.quadrant_chart(
        view, "t", "s", "Spend rank", "spend", style=style, labelled=labelled_codes(view, "all")
    )
    drawn = set(named(chart)["text"])
    boxes = [
        box for box in text_boxes(vlc.vegalite_to_svg(charts.vega_lite_json(chart))) if box.text in drawn | CORNERS
    ]
    names = [box for box in boxes if box.text in drawn]
    assert len(names) == len(drawn)
    assert view.loc[3, "name"] in {box.text for box in names}  # the focus is among them
    assert len(names) >= (20 if n == 34 else 30)  # a useful share fits
    clashes = [(a.text, b.text) for a, b in itertools.combinations(boxes, 2) if a.overlaps(b)]
    assert clashes == []


def test_the_width_estimate_is_never_narrower_than_the_drawn_text():
    """The placement's estimate covers DejaVu Sans (measured with Pillow) for names as drawn."""
    pytest.importorskip("PIL")
    for text in ["Leicestershire", "Windsor and Maidenhead", "WWW MMM", "<script>alert(1)</script>", "illi"]:
        for size, bold in [(13, False), (17, True), (20, False), (24, True)]:
            assert text_width(text, size, bold) >= measured_width(text, size, bold) - 0.5, (text, size, bold)


def test_a_name_with_no_free_place_is_left_out():
    """Two points at the same spot in a plot with room for one name (left of them): one name only."""
    points = pd.DataFrame(
        {"px": [50.0, 50.0], "py": [10.0, 10.0], "text": ["Alpha", "Bravo"], "size": 13, "bold": False}
    )
    placed = place_labels(points, width=60, height=20, radius=2)
    assert len(placed) == 1
    assert placed["row"].tolist() == [0]  # the first (most important) wins


# -- on the page: the choice and the URL -----------------------------------------------------------


def _page_names(at) -> set[str]:
    from apptest_helpers import charts as page_charts

    frames = [f for f in page_charts(at)[0].datasets.values() if "weight" in f.columns and "anchor_x" not in f.columns]
    return set(frames[0]["text"]) if frames else set()


def test_the_page_reads_the_names_choice_from_the_url_and_writes_it_back(demo_store_path, monkeypatch):
    """labels=ends3 in the link names the focus and the three best and worst performance positions
    (read from the chart's own points); choosing 'all' puts labels=all in the URL."""
    from apptest_helpers import charts as page_charts
    from apptest_helpers import open_page, page_widget

    at = open_page(demo_store_path, monkeypatch, "quadrant", query={"labels": "ends3"})
    assert not at.exception
    assert page_widget(at, "quadrant_labels").value == "ends3"
    points = page_charts(at)[0].data_with("performance_position").sort_values("performance_position")
    expected = set(points["name"].head(3)) | set(points["name"].tail(3)) | {"Leicestershire"}
    assert _page_names(at) == expected
    page_widget(at, "quadrant_labels").set_value("all").run()
    assert at.query_params["labels"] in ("all", ["all"])
    assert len(_page_names(at)) > 7


def test_an_unknown_names_choice_in_the_url_is_reported(demo_store_path, monkeypatch):
    """An unknown ``labels`` value is said as every page's own choice is (``url_choice``), hostile text as text."""
    from apptest_helpers import open_page, page_widget

    at = open_page(demo_store_path, monkeypatch, "quadrant", query={"labels": "<script>alert(1)</script>"})
    assert not at.exception
    [notice] = [w.value for w in at.warning if "The link asks" in w.value]
    assert "names on the chart" in notice and "which this page does not offer" in notice
    assert "<script>" not in notice  # escaped where it is drawn
    assert page_widget(at, "quadrant_labels").value == "focus"
    assert _page_names(at) == {"Leicestershire"}


def test_codes_the_chart_does_not_draw_in_a_chosen_names_link_are_named(demo_store_path, monkeypatch):
    """labels=chosen&named=<a drawn code>&named=<a mistyped one> names the drawn one and says which code it left out
    and what it names instead (the "not drawn" notice, worded by ``url_choice``), never dropping it silently; a link
    of drawn codes alone gets no notice, and the codes stay in the link as the reader changes them."""
    from apptest_helpers import charts as page_charts
    from apptest_helpers import open_page, page_widget

    from benchmarking.text.escaping import markdown

    at = open_page(demo_store_path, monkeypatch, "quadrant")
    points = page_charts(at)[0].data_with("performance_position")
    others = points.loc[points["name"] != "Leicestershire"].sort_values("name")
    other, third = others.iloc[0], others.iloc[1]
    query = {"labels": "chosen", "named": [other["authority_code"], "E1000XXXX"]}
    at = open_page(demo_store_path, monkeypatch, "quadrant", query=query)
    assert not at.exception
    assert page_widget(at, "quadrant_labels").value == "chosen"
    assert _page_names(at) == {"Leicestershire", other["name"]}
    expected = (
        f"The link asks for names of 'E1000XXXX', which this chart does not draw: showing '{other['name']}' instead."
    )
    assert [w.value for w in at.warning if "The link asks" in w.value] == [markdown(expected)]
    page_widget(at, "quadrant_label_codes").set_value([other["authority_code"], third["authority_code"]]).run()
    assert at.query_params["named"] == [other["authority_code"], third["authority_code"]]
    assert not [w.value for w in at.warning if "The link asks" in w.value]  # the reader chose: the notice went
    assert _page_names(at) == {"Leicestershire", other["name"], third["name"]}
    page_widget(at, "quadrant_labels").set_value("ends3").run()
    assert "named" not in at.query_params  # a choice no longer drawn leaves the link
    query = {"labels": "chosen", "named": other["authority_code"]}
    at = open_page(demo_store_path, monkeypatch, "quadrant", query=query)
    assert not [w.value for w in at.warning if "The link asks" in w.value]
    assert _page_names(at) == {"Leicestershire", other["name"]}
