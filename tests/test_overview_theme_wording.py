"""Overview, Theme rankings and Trend wording a reviewer found misleading, on the shipped county-area store: a
council that did not exist is said not to have existed (never failing the coverage test), strongest and weakest
themes are named only from positions that rest on enough indicators, themes with no positions are named, the
Trend's words start where its positions rest on enough indicators, and the spend card shows a stored figure."""

import re

import pytest
from apptest_helpers import charts, engine, metrics, open_page, overview_figures

from benchmarking.method.periods import as_reported
from benchmarking.method.positions import LA_CORE, OVERALL
from benchmarking.service.context_views import nearest_period
from benchmarking.service.explain import why_this_rank
from benchmarking.service.lists import thin_periods
from benchmarking.service.overview import MIN_THEME_INDICATORS
from benchmarking.service.views import trend_view
from benchmarking.text.formatting import money
from benchmarking.text.narrative import overview_sentences

NORTHANTS, CUMBRIA, CUMBERLAND, LEICESTERSHIRE = "E10000021", "E10000006", "E06000063", "E10000018"
ABOLISHED = "Northamptonshire was abolished on 1 April 2021"
SPEND_LABEL = "Spend per head (1st = highest)"


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def _texts(at) -> str:
    """Every caption, info and Markdown text on the page, unescaped."""
    elements = [*at.caption, *at.info, *at.markdown, *at.warning]
    return " ".join(element.value for element in elements).replace("\\", "")


@pytest.mark.parametrize("theme", [OVERALL, LA_CORE, "Housing"])
def test_an_abolished_council_has_no_position_because_it_was_abolished(shipped_store_path, theme):
    """Northamptonshire (abolished 1 April 2021) in 2022/23: the reason names the abolition from the county areas'
    lifetimes, never the coverage test it could not pass."""
    cat, bench = engine(str(shipped_store_path), "all", NORTHANTS)
    _, summary = why_this_rank(cat, bench, theme, "2022/23", NORTHANTS)
    assert summary["position"] is None
    assert ABOLISHED in summary["reason"]
    assert "below the" not in summary["reason"] and "%" not in summary["reason"]


def test_a_council_not_yet_formed_is_said_to_be_so(shipped_store_path):
    """Cumberland (formed 1 April 2023) in 2020/21 was not yet formed."""
    cat, bench = engine(str(shipped_store_path), "all", CUMBERLAND)
    _, summary = why_this_rank(cat, bench, OVERALL, "2020/21", CUMBERLAND)
    assert summary["position"] is None
    assert "Cumberland was not yet formed" in summary["reason"] and "1 April 2023" in summary["reason"]


def test_the_coverage_reason_names_what_it_is_for(shipped_store_path):
    """Cumbria 2022/23 fails the coverage test: the reason counts Overall's and LA Core's indicators by name."""
    cat, bench = engine(str(shipped_store_path), "all", CUMBRIA)
    for theme in (OVERALL, LA_CORE):
        _, summary = why_this_rank(cat, bench, theme, "2022/23", CUMBRIA)
        assert f"of {theme}'s {summary['n_available']} ranked indicators" in summary["reason"]
        assert "the theme's" not in summary["reason"]


def test_the_overview_of_an_abolished_council_says_so(shipped_store_path, monkeypatch_module):
    at = open_page(shipped_store_path, monkeypatch_module, "overview", {"focus": NORTHANTS, "period": "2022/23"})
    assert not at.exception
    text = _texts(at)
    assert ABOLISHED in text
    assert any(ABOLISHED in info.value for info in at.info)
    assert "below the 50% needed" not in text
    assert "Top-quartile indicators" not in metrics(at)  # no cards of zeros for a council that did not exist
    # Its spend and funding cards say it had none then, never "not in these data" (the store holds both) or "no rank".
    cards = metrics(at)
    spend, funding = cards[SPEND_LABEL], cards["Core spending power per head"]
    assert spend == funding == "none in 2022/23", cards
    helps = {metric.label: metric.help for metric in at.metric}
    assert ABOLISHED in helps[SPEND_LABEL] and ABOLISHED in helps["Core spending power per head"], helps


def test_theme_rankings_of_an_abolished_council_draw_no_empty_chart(shipped_store_path, monkeypatch_module):
    at = open_page(shipped_store_path, monkeypatch_module, "themes", {"focus": NORTHANTS, "period": "2022/23"})
    assert not at.exception
    assert not [chart for chart in charts(at) if "position by theme" in chart.title]
    assert any(ABOLISHED in info.value for info in at.info)


def _focus_rows(shipped_store_path, period: str, focus: str):
    _, bench = engine(str(shipped_store_path), "all", focus)
    p = bench.positions
    return p[(p["period"] == period) & (p["authority_code"] == focus) & ~p["theme"].isin([OVERALL, LA_CORE])]


def test_strongest_and_weakest_themes_rest_on_enough_indicators(shipped_store_path):
    """2025/26: Community Safety's 2nd rests on 3 indicators; the narrative names strongest and weakest only among
    themes with at least MIN_THEME_INDICATORS ranked, and names the themes it leaves out."""
    rows = _focus_rows(shipped_store_path, "2025/26", LEICESTERSHIRE).dropna(subset=["position"])
    few = rows[rows["n_indicators"] < MIN_THEME_INDICATORS]
    assert "Community Safety" in set(few["theme"])  # the case the rule is for
    enough = rows[rows["n_indicators"] >= MIN_THEME_INDICATORS]
    standing = (enough["position"] - 1) / (enough["n_positioned"] - 1)  # each theme among its own positioned
    text = " ".join(overview_sentences(overview_figures(shipped_store_path, "2025/26", LEICESTERSHIRE)))
    found = re.search(r"Its strongest themes? (?:is|are) (.+?) and its weakest (?:is|are) (.+?)\.", text)
    assert found, text
    named = [re.findall(r"(?:^|, | and )([^,(]+?) \(", part) for part in found.groups()]
    assert named == [
        sorted(enough["theme"][standing == standing.min()]),
        sorted(enough["theme"][standing == standing.max()]),
    ]
    left_out = re.search(r"as their positions rest on fewer than \d+ indicators: ([^.]+)\.", text)
    assert left_out, text
    for theme in few["theme"]:
        assert theme in left_out.group(1)


def test_themes_without_positions_in_the_period_are_named(shipped_store_path, monkeypatch_module):
    """Adult Social Care has no positions in 2025/26: the Theme rankings page says so rather than drop it silently."""
    cat, bench = engine(str(shipped_store_path), "all", LEICESTERSHIRE)
    p = bench.positions
    held = set(p.loc[(p["period"] == "2025/26") & p["position"].notna(), "theme"])
    missing = [theme for theme in cat.themes if theme not in held]
    assert missing == ["Adult Social Care"]
    at = open_page(shipped_store_path, monkeypatch_module, "themes", {"focus": LEICESTERSHIRE, "period": "2025/26"})
    assert not at.exception
    assert "No positions in 2025/26 for Adult Social Care" in _texts(at)


def test_the_trend_in_words_starts_where_positions_rest_on_enough_indicators(shipped_store_path, monkeypatch_module):
    cat, bench = engine(str(shipped_store_path), "all", LEICESTERSHIRE)
    mine = trend_view(cat, bench, [OVERALL], [LEICESTERSHIRE]).dropna(subset=["position"]).sort_values("period_start")
    (thin,) = thin_periods(mine)
    first = mine[~mine["period"].isin(thin.periods)].iloc[0]
    at = open_page(shipped_store_path, monkeypatch_module, "trend", {"focus": LEICESTERSHIRE, "period": "2025/26"})
    assert not at.exception
    words = next(m.value for m in at.markdown if "In words" in m.value).replace("\\", "")
    assert f"Overall: {int(first['position'])} in {first['period']} to" in words
    assert f"{thin.periods[0]} to {thin.periods[-1]}, which rest on few indicators" in words


def test_the_spend_card_shows_a_stored_figure_without_an_overall_position(shipped_store_path, monkeypatch_module):
    """Cumbria 2022/23 has spend stored but no Overall position: the card shows the figure and its year, and says
    why it has no rank (spend is ranked among authorities with an Overall position, the quadrant's rule)."""
    cat, bench = engine(str(shipped_store_path), "all", CUMBRIA)
    spend = bench.spend_ranks[bench.spend_ranks["theme"] == OVERALL]
    basis = nearest_period(spend, "2022/23", cat.calendar)
    value = spend.loc[(spend["period"] == basis) & (spend["authority_code"] == CUMBRIA), "value"].iloc[0]
    at = open_page(shipped_store_path, monkeypatch_module, "overview", {"focus": CUMBRIA, "period": "2022/23"})
    assert not at.exception
    card = metrics(at)[SPEND_LABEL]
    assert money(value) in card and as_reported([basis], bench.ranks["period"].unique())[0] in card
    assert "no rank" in card
    assert "no Overall position" in _texts(at)


def test_the_spend_card_names_its_year(shipped_store_path):
    figures = overview_figures(shipped_store_path, "2022/23", LEICESTERSHIRE)
    assert figures.spend.rank is not None
    from benchmarking.text.narrative import spend_card

    assert spend_card(figures)[1].endswith(f"({figures.spend.basis})")


@pytest.mark.parametrize(
    "focus, spend_words, context_words",
    [
        (LEICESTERSHIRE, "ranked from the highest spender", "ranked from the best funded"),
        (CUMBRIA, "not ranked", "ranked from the best funded"),  # spend stored, no Overall position
        (NORTHANTS, ABOLISHED, ABOLISHED),  # abolished before 2022/23
    ],
)
def test_the_spend_and_funding_cards_help_is_the_packages(
    shipped_store_path, monkeypatch_module, focus, spend_words, context_words
):
    """The help of the Overview's spend and context cards is chosen in one place, beside the cards' own words
    (text/narrative.spend_help, context_help), and drawn by the page as it is written there."""
    from benchmarking.text.escaping import markdown
    from benchmarking.text.narrative import context_card, context_help, spend_help

    figures = overview_figures(shipped_store_path, "2022/23", focus)
    spend, context = spend_help(figures), context_help(figures)
    assert spend_words in spend and context_words in context
    if figures.spend.value is not None:  # the figure and the year it is for
        assert f"{money(figures.spend.value)} ({figures.spend.basis})" in spend
    at = open_page(shipped_store_path, monkeypatch_module, "overview", {"focus": focus, "period": "2022/23"})
    assert not at.exception
    helps = {metric.label: metric.help for metric in at.metric}
    assert helps[SPEND_LABEL] == markdown(spend)
    assert helps[context_card(figures)[0]] == markdown(context)


def test_the_context_cards_help_says_what_it_shows_without_funding(shipped_store_path):
    """Without a funding rank the fourth card shows deprivation and its help says why; without either, that neither
    measure is stored; the card and its help make the same choice."""
    from dataclasses import replace

    from benchmarking.service.overview import ContextRank
    from benchmarking.text.narrative import context_card, context_help

    figures = overview_figures(shipped_store_path, "2022/23", LEICESTERSHIRE)
    assert figures.deprivation.rank is not None
    no_funding = replace(figures, funding=ContextRank(None, None, None, None))
    assert "(1st = most deprived)" in context_card(no_funding)[0]
    assert context_help(no_funding).startswith("Core spending power is not in this store, so deprivation is shown")
    assert f"rank {figures.deprivation.value:.0f} of 151" in context_help(no_funding)
    neither = replace(no_funding, deprivation=ContextRank(None, None, None, None))
    assert context_card(neither)[1] == "not in these data"
    assert context_help(neither) == "Neither core spending power nor deprivation is in this store"
