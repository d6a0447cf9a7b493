"""The Trend chart and its words (review v8): a key naming every authority's line, on the page and in the
PNG; every line in words; the positions that rest on few indicators left out of the lines as the words and
the Overview leave them out; the position axis as long as the longest "of N" drawn, not the store's size."""

from __future__ import annotations

import pandas as pd
import pytest
from svg_text import text_boxes

from benchmarking import charts
from benchmarking.service.lists import thin_periods
from benchmarking.service.trend_lines import SHOWN, held_periods, left_out_text, trend_lines, trend_table

FOCUS, OTHERS = "E1", ["E2", "E3"]
NAMES = {"E1": "Leicestershire", "E2": "Wiltshire", "E3": "Cumbria"}
PERIODS = ["2014/15", "2015/16", "2016/17", "2017/18"]


def trend_frame(theme: str = "Adult Social Care") -> pd.DataFrame:
    """A trend as ``service.views.trend_view`` returns it: three authorities over four periods, the first
    period resting on 2 of up to 5 indicators for Leicestershire alone, each period "of" its own count."""
    rows = []
    for code, start in zip([FOCUS, *OTHERS], [30, 10, 20]):
        for i, period in enumerate(PERIODS):
            available = 2 if (code == FOCUS and i == 0) else 5
            rows.append(
                {
                    "period": period,
                    "period_start": pd.Timestamp(f"{2014 + i}-04-01"),
                    "theme": theme,
                    "authority_code": code,
                    "average_rank": float(start + i),
                    "n_available": available,
                    "position": float(start + i),
                    "n_positioned": 33 + i,
                    "in_group": True,
                    "name": NAMES[code],
                }
            )
    return pd.DataFrame(rows)


def _svg(chart) -> str:
    vlc = pytest.importorskip("vl_convert")
    return vlc.vegalite_to_svg(charts.vega_lite_json(chart))


@pytest.mark.parametrize("themes", [["Adult Social Care"], ["Overall", "Adult Social Care"]])
@pytest.mark.parametrize("style", [charts.NORMAL, charts.BRIEFING], ids=["normal", "briefing"])
def test_the_drawn_trend_names_every_authority_in_a_key(themes, style):
    """Rendered (as the PNG is), the chart names each of its three authorities: without a key, three lines
    told apart only by colour and dash could not be read."""
    trend = pd.concat([trend_frame(theme) for theme in themes], ignore_index=True)
    chart = charts.trend_chart(trend, "Leicestershire", "t", "s", style=style)
    drawn = {box.text for box in text_boxes(_svg(chart))}
    assert set(NAMES.values()) <= drawn
    key = [box for box in text_boxes(_svg(chart)) if box.text in NAMES.values()]
    assert min(box.size for box in key) >= style.label_size  # as large as the axis labels (a projector's)


def test_the_position_axis_reaches_the_longest_of_n_drawn():
    """Positions are "of" the authorities positioned in their theme and period (here at most 36): the axis ends
    there, whatever the group's size over every period."""
    chart = charts.trend_chart(trend_frame(), "Leicestershire", "t", "s")
    y = chart.to_dict(validate=False)["encoding"]["y"]
    assert y["scale"]["domain"] == [36.5, 0.5]
    assert max(y["axis"]["values"]) <= 36


def test_lines_leave_out_the_periods_that_rest_on_few_indicators():
    """Each line leaves out its own thin periods (``lists.thin_periods``, the words' and the Overview's rule):
    Leicestershire's 2014/15 rests on 2 of up to 5 indicators; the others' 2014/15 is drawn."""
    trend = trend_frame()
    lines = trend_lines(trend, FOCUS)
    drawn = set(zip(lines.drawn["authority_code"], lines.drawn["period"]))
    assert (FOCUS, "2014/15") not in drawn
    assert {(code, "2014/15") for code in OTHERS} <= drawn
    assert len(drawn) == len(trend) - 1
    [(name, thin)] = lines.left_out["Adult Social Care"]
    assert name == "Leicestershire" and thin == thin_periods(trend[trend["authority_code"] == FOCUS])[0]
    assert left_out_text("Adult Social Care", lines.left_out["Adult Social Care"], named=True) == (
        "Adult Social Care rests on few indicators in 2014/15 for Leicestershire (2 indicators, against up to 5 in "
        "other periods): left out of the lines and the words."
    )


def test_the_words_name_every_line_focus_first():
    """The words give each authority's line, the focus first, each from its first period that does not rest on
    few indicators."""
    words = trend_lines(trend_frame(), FOCUS).words
    assert words.startswith("Leicestershire's position (1 = best): Adult Social Care: 31 in 2015/16 to 33 in")
    assert words.index("Leicestershire") < words.index("Cumbria") < words.index("Wiltshire")
    assert "Wiltshire's position: Adult Social Care: 10 in 2014/15 to 13 in 2017/18." in words
    assert "Cumbria's position: Adult Social Care: 20 in 2014/15 to 23 in 2017/18." in words
    assert "33 in 2017/18 (left out: 2014/15, which rest on few indicators)." in words  # the periods named


def test_each_lines_thin_periods_are_found_once(monkeypatch):
    """``trend_lines`` finds each line's thin periods once and words the line from them (``trend_in_words``
    is handed them), so the line and its words cannot follow two findings; the words still name them."""
    from benchmarking.service import lists
    from benchmarking.service import trend_lines as module

    calls = []

    def counted(rows):
        calls.append(set(rows["authority_code"]))
        return thin_periods(rows)

    monkeypatch.setattr(module, "thin_periods", counted)
    monkeypatch.setattr(lists, "thin_periods", counted)
    lines = trend_lines(trend_frame(), FOCUS)
    assert calls == [{code} for code in [FOCUS, *sorted(OTHERS, key=NAMES.get)]]
    assert "(left out: 2014/15, which rest on few indicators)" in lines.words


def test_a_period_without_a_position_stays_on_the_axis_and_is_said():
    """Leicestershire has no position in 2016/17 (values for 2 of 5 indicators, under the coverage rule) and is
    drawn alone: the axis still runs 2014/15 to 2017/18 without a jump, and the page says why 2016/17 has no point."""
    trend = trend_frame()
    trend = trend[trend["authority_code"] == FOCUS].assign(n_indicators=5, n_available=5)
    gap = (trend["period"] == "2016/17").to_numpy()
    trend.loc[gap, ["position", "n_indicators"]] = [None, 2]
    lines = trend_lines(trend, FOCUS)
    assert lines.periods == PERIODS
    assert lines.unheld == [
        "Leicestershire has no Adult Social Care position in 2016/17: the authority has values for 2 of the Adult "
        "Social Care theme's 5 ranked indicators (40%), below the 50% needed. Missing values are never filled in."
    ]
    chart = charts.trend_chart(lines.drawn, "Leicestershire", "t", "s", periods=lines.periods)
    labels = [box.text for box in text_boxes(_svg(chart))]
    assert [p for p in labels if p in PERIODS] == PERIODS


def _lines(spec: dict) -> list[list[str]]:
    """The periods of each line Vega-Lite joins: rows sharing every field that splits a line mark into lines."""
    enc = spec["encoding"]
    keys = [enc[ch]["field"] for ch in ("color", "strokeDash", "detail") if "field" in enc.get(ch, {})]
    axis = enc["x"]["scale"]["domain"]
    rows = pd.DataFrame(next(iter(spec["datasets"].values())))
    rows = rows[rows["position"].notna()]
    return [sorted(group["period"], key=axis.index) for _, group in rows.groupby(keys)]


def test_a_line_breaks_where_a_period_has_no_position():
    """Leicestershire has no position in 2016/17: its line stops at 2015/16 and starts again at 2017/18, never
    joined straight across the gap as if 2016/17 had a position between them (review: Cumbria, 2022/23)."""
    trend = trend_frame()
    gap = (trend["authority_code"] == FOCUS) & (trend["period"] == "2016/17")
    trend.loc[gap, "position"] = None
    chart = charts.trend_chart(trend, "Leicestershire", "t", "s", periods=PERIODS)
    lines = _lines(chart.to_dict())
    for periods in lines:  # each line joins neighbouring periods of the axis only
        indices = [PERIODS.index(p) for p in periods]
        assert indices == list(range(indices[0], indices[0] + len(indices)))
    assert sorted(lines) == sorted([PERIODS[:2], PERIODS[3:], PERIODS, PERIODS])


@pytest.mark.parametrize("periods", [None, PERIODS], ids=["its own periods", "the axis given"])
def test_the_overview_sparkline_breaks_where_a_period_has_no_position(periods):
    """The Overview's sparkline of Leicestershire, with no position in 2016/17: the period stays on its axis and the
    line stops at 2015/16 and starts again at 2017/18, as the Trend chart's does (it used to drop the period from the
    axis and join 2015/16 to 2017/18 straight across)."""
    trend = trend_frame()
    trend = trend[trend["authority_code"] == FOCUS].reset_index(drop=True)
    trend.loc[trend["period"] == "2016/17", "position"] = None
    spec = charts.sparkline(trend, 36, periods=periods).to_dict()
    assert spec["encoding"]["x"].get("scale", {}).get("domain") == PERIODS
    assert sorted(_lines(spec)) == sorted([PERIODS[:2], PERIODS[3:]])


def test_the_overview_sparkline_breaks_at_a_period_left_out_as_resting_on_few_indicators():
    """A period left out of the Overview's trend (it rests on few indicators) between two drawn ones breaks the
    sparkline when the Overview gives the axis from the whole trend (``lists.axis_periods``), as on the Trend page."""
    from benchmarking.service.lists import axis_periods, without_thin_periods

    whole = trend_frame()
    whole = whole[whole["authority_code"] == FOCUS].reset_index(drop=True).assign(n_available=5)
    whole.loc[whole["period"] == "2016/17", "n_available"] = 1
    shown, thin = without_thin_periods(whole)
    assert thin is not None and thin.periods == ["2016/17"] and "2016/17" not in set(shown["period"])
    axis = axis_periods(whole, shown[shown["position"].notna()])
    assert axis == PERIODS == trend_lines(whole, FOCUS).periods  # one rule for both charts
    spec = charts.sparkline(shown, 36, periods=axis).to_dict()
    assert sorted(_lines(spec)) == sorted([PERIODS[:2], PERIODS[3:]])


def test_the_table_holds_every_period_and_says_which_the_chart_leaves_out():
    """The Trend's table (and CSV) keeps Leicestershire's thin 2014/15 with why the chart leaves it out, marks every
    drawn row as shown, and names the range it holds (from 2014/15), wider than the chart's (from 2015/16)."""
    trend = trend_frame()
    lines = trend_lines(trend, FOCUS)
    table = trend_table(trend, lines)
    assert len(table) == len(trend)
    said = dict(zip(zip(table["authority_code"], table["period"]), table["on_the_chart"]))
    assert said[(FOCUS, "2014/15")] == "left out: rests on 2 indicators (up to 5 in other periods)"
    drawn = set(zip(lines.drawn["authority_code"], lines.drawn["period"]))
    assert {key for key, words in said.items() if words == SHOWN} == drawn
    assert held_periods(trend) == ["2014/15", "2017/18"] and lines.periods[0] == "2014/15"  # the others draw it
    alone = trend[trend["authority_code"] == FOCUS]
    assert held_periods(alone) == ["2014/15", "2017/18"] and trend_lines(alone, FOCUS).periods[0] == "2015/16"
    gap = trend.assign(position=trend["position"].where(trend["period"] != "2016/17"), n_indicators=5)
    assert set(trend_table(gap, trend_lines(gap, FOCUS)).query("period == '2016/17'")["on_the_chart"]) == {
        "no position"
    }
