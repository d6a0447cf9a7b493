"""The Overview's figures a new user found misleading, on the shipped county-area store: a card with no position
says why, the funding card shows the figure the Funding page shows (same rank, same count, its year named),
direction of travel counts only figures new in the period, a period of mostly earlier figures is marked, and
each count of indicators says what it counts."""

import re

import pytest
from apptest_helpers import engine, metrics, open_page, overview_figures

from benchmarking.method.positions import OVERALL
from benchmarking.service.explain import why_this_rank
from benchmarking.service.funding_views import funding_view
from benchmarking.service.overview import figures_used
from benchmarking.text.formatting import currency_text, ordinal, rank_card_text
from benchmarking.text.narrative import overview_sentences

CUMBRIA, LEICESTERSHIRE = "E10000006", "E10000018"
FUNDING_LABEL = "Core spending power per head (1st = highest)"


@pytest.fixture(scope="module")
def cumbria_page(shipped_store_path, monkeypatch_module):
    return open_page(shipped_store_path, monkeypatch_module, "overview", {"focus": CUMBRIA, "period": "2022/23"})


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_a_card_without_a_position_says_why(shipped_store_path, cumbria_page):
    """Cumbria 2022/23 has figures for fewer than half of Overall's indicators: the card says so, in the words of
    Why this rank, and the coverage is not rounded up to the threshold it misses."""
    at = cumbria_page
    assert not at.exception
    assert metrics(at)["Overall performance"] == "no position"
    cat, bench = engine(str(shipped_store_path), "all", CUMBRIA)
    _, summary = why_this_rank(cat, bench, OVERALL, "2022/23", CUMBRIA)
    assert summary["position"] is None and summary["coverage"] < summary["min_coverage"]
    captions = " ".join(c.value for c in at.caption).replace("\\", "")
    assert summary["reason"] in captions
    assert "(49.8%)" in summary["reason"]  # 162 of 325 is under 50%: never written as "50%, below the 50%"


def test_the_funding_card_shows_the_figure_the_funding_page_ranks(shipped_store_path, cumbria_page):
    """With no Overall position, the funding card still shows Cumbria's core spending power rank, the Funding
    page's, with the figure's year; never 'not in these data' when the data exist."""
    cat, bench = engine(str(shipped_store_path), "all", CUMBRIA)
    table = funding_view(cat, bench, "2022/23", CUMBRIA)
    row = table[table["is_focus"]].iloc[0]
    shown = metrics(cumbria_page)
    expected = f"{rank_card_text(row['rank'], row['n_ranked'])} ({row['period']})"
    assert shown[FUNDING_LABEL] == expected
    assert "not in these data" not in shown.values()


@pytest.mark.parametrize("period", ["2022/23", "2025/26"])
def test_the_funding_card_and_page_count_the_same_authorities(shipped_store_path, period):
    """The card and the Funding league table give one rank of one count for the same 2020-21 figure."""
    cat, bench = engine(str(shipped_store_path), "all", LEICESTERSHIRE)
    table = funding_view(cat, bench, period, LEICESTERSHIRE)
    row = table[table["is_focus"]].iloc[0]
    funding = overview_figures(shipped_store_path, period, LEICESTERSHIRE).funding
    assert (funding.rank, funding.n, funding.basis) == (int(row["rank"]), int(row["n_ranked"]), row["period"])
    assert funding.n == int(table["core_spending_power_per_head"].notna().sum())


def test_direction_of_travel_counts_only_figures_new_in_the_period(shipped_store_path):
    """2025/26 carries most figures forward from earlier periods: a carried figure cannot have changed since
    2024/25, so only indicators with the period's own figures count as improved, worsened or unchanged."""
    cat, bench = engine(str(shipped_store_path), "all", LEICESTERSHIRE)
    figures = overview_figures(shipped_store_path, "2025/26", LEICESTERSHIRE)
    used = figures_used(cat, bench, OVERALL, "2025/26")
    own = int((~used["older"]).sum())
    assert figures.currency.n_older > own  # the case the rule is for
    directions = figures.directions
    assert directions.improved + directions.worsened + directions.no_real_change <= own
    text = " ".join(overview_sentences(figures))
    assert f"{directions.improved} indicators improved" in text or f"{directions.improved} improved" in text
    assert "carried forward" in text or "earlier period" in text


def test_a_period_of_mostly_earlier_figures_is_marked_on_the_line(shipped_store_path, monkeypatch):
    """The Overview's position-over-time line names 2025/26 as resting mostly on earlier figures."""
    at = open_page(shipped_store_path, monkeypatch, "overview", {"focus": LEICESTERSHIRE, "period": "2025/26"})
    assert not at.exception
    captions = " ".join(c.value for c in at.caption).replace("\\", "")
    assert re.search(r"2025/26: 5th \(mostly earlier figures\)", captions)
    assert "mostly on figures published for earlier periods" in captions


def test_the_trend_page_marks_a_period_of_mostly_earlier_figures(shipped_store_path, monkeypatch):
    """The Trend page says which periods rest mostly on figures published for earlier periods."""
    at = open_page(shipped_store_path, monkeypatch, "trend", {"focus": LEICESTERSHIRE, "period": "2025/26"})
    assert not at.exception
    captions = " ".join(c.value for c in at.caption).replace("\\", "")
    assert "2025/26" in captions and "mostly on figures published for earlier periods" in captions


def test_each_count_of_indicators_says_what_it_counts(shipped_store_path):
    """'In brief' names the indicators the position rests on with the card's count (ranked for the authority),
    and the group's count of indicators with figures as such."""
    figures = overview_figures(shipped_store_path, "2022/23", LEICESTERSHIRE)
    ranked, with_figures = figures.overall.rests_on.n_indicators, figures.currency.n_indicators
    assert ranked < with_figures  # 324 of 325: the case that read as a contradiction
    assert f"{ranked} indicators ranked" in figures.overall.rests_on.text()
    brief = " ".join(overview_sentences(overview_figures(shipped_store_path, "2025/26", LEICESTERSHIRE)))
    later = overview_figures(shipped_store_path, "2025/26", LEICESTERSHIRE)
    assert f"rests on {later.overall.rests_on.n_indicators} indicators" in brief
    assert f"rests on {later.currency.n_indicators} indicators" not in brief


@pytest.mark.parametrize("period", ["2022/23", "2025/26"])
def test_the_context_cards_write_their_years_as_the_periods_are_written(shipped_store_path, period):
    """Spend (published for '2022-23') and core spending power ('2020-21') name their year as the reporting period
    of the same days ('2022/23', '2020/21'), on the cards, their help and In brief: one spelling beside the periods,
    made where the basis is (context_views), so the briefing packs and the CLI get it too."""
    from benchmarking.service.context_views import context_ranks, nearest_period
    from benchmarking.text.narrative import context_card, context_help, spend_card, spend_help

    cat, bench = engine(str(shipped_store_path), "all", LEICESTERSHIRE)
    figures = overview_figures(shipped_store_path, period, LEICESTERSHIRE)
    spend = bench.spend_ranks[bench.spend_ranks["theme"] == OVERALL]
    published = {
        nearest_period(spend, period, cat.calendar),
        nearest_period(bench.funding_ranks, period, cat.calendar),
    }
    assert any("-" in label for label in published)  # the case the rule is for: the publishers write 2022-23
    reporting = set(bench.ranks["period"])
    assert {figures.spend.basis, figures.funding.basis} <= reporting
    for axis in ("Revenue", "Funding"):
        assert set(context_ranks(cat, bench, OVERALL, axis, period)["basis"]) <= reporting
    said = [spend_card(figures)[1], context_card(figures)[1], spend_help(figures), context_help(figures)]
    said += overview_sentences(figures)
    text = " ".join(said)
    assert figures.spend.basis in spend_card(figures)[1]
    for label in published - reporting:
        assert label not in text, label


def test_the_overview_page_shows_the_spend_year_as_the_period_is_written(shipped_store_path, monkeypatch):
    """Leicestershire 2022/23: the spend card reads '(2022/23)', as the funding card's '(2020/21)' and the header."""
    at = open_page(shipped_store_path, monkeypatch, "overview", {"focus": LEICESTERSHIRE, "period": "2022/23"})
    assert not at.exception
    shown = metrics(at)
    assert shown["Spend per head (1st = highest)"].endswith("(2022/23)")
    assert shown[FUNDING_LABEL].endswith("(2020/21)")


def test_the_context_cards_say_whom_their_of_n_leaves_out_and_why(shipped_store_path, monkeypatch):
    """Leicestershire 2022/23: 'Lowest of 36' spend and 'Lowest of 33' funding beside a group of 37 each say, under
    the card as the performance cards do, who is not ranked and why: no Overall position (spend is ranked beside
    one), not yet formed in the funding year, or no figure for it."""
    from benchmarking.method.lifetimes import existing_in
    from benchmarking.service.group_size import group_size

    cat, bench = engine(str(shipped_store_path), "all", LEICESTERSHIRE)
    figures = overview_figures(shipped_store_path, "2022/23", LEICESTERSHIRE)
    in_period = group_size(cat, bench, "2022/23").in_period
    table = funding_view(cat, bench, "2022/23", LEICESTERSHIRE)
    members = table[table["in_group"]]
    existing = set(bench.positions.loc[bench.positions["period"] == "2022/23", "authority_code"])
    unfunded = sorted(
        code
        for code in bench.group.members
        if code in existing and code not in set(members.loc[members["rank"].notna(), "authority_code"])
    )
    assert figures.funding.n < in_period and unfunded  # the case: fewer ranked than the group in the period
    line = figures.funding.left_out
    assert line.startswith(f"{figures.funding.n} of the {in_period} ranked; ")
    year = figures.funding.basis
    for code, formed in zip(unfunded, existing_in(unfunded, year)):
        reason = f"no {year} figure" if formed else f"not yet formed in {year}"
        assert re.search(rf"{re.escape(reason)}: [^;]*{re.escape(cat.authority_name(code))}", line), (code, line)
    assert "not yet formed" in line  # North and West Northamptonshire, formed in 2021
    spend = figures.spend.left_out
    assert spend == f"{figures.spend.n} of the {in_period} ranked; no Overall position: {cat.authority_name(CUMBRIA)}"
    at = open_page(shipped_store_path, monkeypatch, "overview", {"focus": LEICESTERSHIRE, "period": "2022/23"})
    assert not at.exception
    captions = [c.value.replace("\\", "") for c in at.caption]
    assert spend in captions and line in captions


@pytest.mark.parametrize("period", ["2021/22", "2022/23", "2025/26"])
def test_the_indicators_with_figures_and_those_ranked_meet_in_one_count(shipped_store_path, monkeypatch, period):
    """Leicestershire's Overall card rests on the indicators ranked for it (324 in 2022/23); the currency line counts
    the group's indicators with figures (325). The line says how the two meet: how many of them are ranked for
    Leicestershire, the same count as the card's, and why the others are not (it has no figure for them)."""
    cat, bench = engine(str(shipped_store_path), "all", LEICESTERSHIRE)
    figures = overview_figures(shipped_store_path, period, LEICESTERSHIRE)
    currency, card = figures.currency, figures.overall.rests_on
    assert currency.n_ranked == card.n_indicators < currency.n_indicators  # one rule; the case it is for
    listed = [name for names in currency.not_ranked.values() for name in names]
    assert len(listed) == currency.n_indicators - currency.n_ranked
    used = figures_used(cat, bench, OVERALL, period)
    ranks = bench.ranks
    mine = ranks[(ranks["authority_code"] == LEICESTERSHIRE) & (ranks["period"] == period)]
    figured = set(mine.loc[mine["value"].notna(), "indicator_id"])
    missing = set(used["indicator_id"]) - figured
    names = cat.indicators.set_index("id")["name"]
    assert sorted(currency.not_ranked.get("Leicestershire has no figure", ())) == sorted(names[list(missing)])
    text = currency_text(currency)
    assert (
        f"built from {currency.n_indicators} indicators with figures in the group, of which {card.n_indicators} "
        "are ranked for Leicestershire" in text
    )
    assert "not ranked because Leicestershire has no figure" in text
    if period == "2022/23":
        at = open_page(shipped_store_path, monkeypatch, "overview", {"focus": LEICESTERSHIRE, "period": period})
        assert not at.exception
        captions = [c.value.replace("\\", "") for c in at.caption]
        assert text in captions and card.text() in captions


def test_the_currency_line_is_as_before_when_every_indicator_is_ranked_for_the_focus():
    """Counts that meet need no words: one sentence, 'N of them use figures published for an earlier period'."""
    from benchmarking.service.overview import DataCurrency

    base = DataCurrency("2022/23", OVERALL, 10, 2, {"2021-22": 2}, 0, 0, 1)
    meeting = DataCurrency("2022/23", OVERALL, 10, 2, {"2021-22": 2}, 0, 0, 1, "Kent", 10, {})
    assert currency_text(meeting) == currency_text(base)
    assert currency_text(base).startswith(
        "Overall 2022/23 is built from 10 indicators with figures in the group; 2 of them"
    )
    apart = DataCurrency("2022/23", OVERALL, 10, 2, {"2021-22": 2}, 0, 0, 1, "Kent", 9, {"Kent has no figure": ("A",)})
    assert (
        "of which 9 are ranked for Kent; 1 not ranked because Kent has no figure (A). 2 of the 10 use"
        in currency_text(apart)
    )


def test_the_deprivation_card_standing_in_for_funding_says_whom_it_leaves_out(shipped_store_path):
    """2018/19 has no core spending power: the fourth card ranks IMD 2019 among the 35 with an Overall position, and
    its line says so ('35 of the 36 ranked; no Overall position: Dorset CC'); no spend is held, so no spend line."""
    from benchmarking.service.group_size import group_size
    from benchmarking.text.narrative import context_card, context_line

    cat, bench = engine(str(shipped_store_path), "all", LEICESTERSHIRE)
    figures = overview_figures(shipped_store_path, "2018/19", LEICESTERSHIRE)
    assert figures.funding.rank is None and context_card(figures)[0].startswith(figures.deprivation.basis)
    in_period = group_size(cat, bench, "2018/19").in_period
    line = context_line(figures)
    assert line == figures.deprivation.left_out and line.startswith(f"{figures.deprivation.n} of the {in_period} ")
    assert re.search(r"no Overall position: \w", line)
    assert figures.spend.value is None and figures.spend.left_out is None


NORTH_YORKSHIRE, BUCKINGHAMSHIRE = "E06000065", "E06000060"


def test_a_new_unitary_s_cards_say_it_was_not_yet_formed_in_the_years_their_figures_are_for(
    shipped_store_path, monkeypatch
):
    """North Yorkshire Council (formed April 2023) in 2023/24: the spend figures are for 2022/23 and core spending
    power for 2020/21, both before it existed. The cards say "none in" that year and why (not "not in these data",
    which the store contradicts), and direction of travel since 2022/23 shows no zeros for a council that had no
    figures then."""
    at = open_page(shipped_store_path, monkeypatch, "overview", {"focus": NORTH_YORKSHIRE, "period": "2023/24"})
    assert not at.exception
    shown = metrics(at)
    assert shown["Spend per head (1st = highest)"] == "none in 2022/23"
    assert shown["Core spending power per head"] == "none in 2020/21"
    assert shown["Improved since 2022/23"] == shown["Worsened"] == "—"
    captions = " ".join(c.value for c in at.caption).replace("\\", "")
    for year in ("2022/23", "2020/21"):
        assert f"North Yorkshire Council was not yet formed in {year} (formed on 1 April 2023)" in captions
    assert "no figures of its own to compare with" in captions
    help_texts = {m.label: m.help or "" for m in at.metric}
    assert "not in this store" not in help_texts["Core spending power per head"]
    assert "The latest core spending power figures are for 2020/21" in help_texts["Core spending power per head"]


def test_a_member_without_a_published_figure_is_told_apart_from_one_not_yet_formed(shipped_store_path):
    """Buckinghamshire Council existed in 2020/21 but the published core spending power file holds no figure for it:
    the card says it has no 2020/21 figure, never that it was not yet formed."""
    figures = overview_figures(shipped_store_path, "2022/23", BUCKINGHAMSHIRE)
    assert figures.funding.rank is None and figures.funding.basis == "2020/21"
    assert figures.funding.missing == "Buckinghamshire Council has no 2020/21 figure"
    assert figures.new_since_previous is None  # it existed in 2021/22: its directions are counted
    leicestershire = overview_figures(shipped_store_path, "2022/23", LEICESTERSHIRE)
    assert leicestershire.funding.missing is None and leicestershire.spend.missing is None


def test_places_gained_name_the_position_then_when_the_number_positioned_changed(shipped_store_path, monkeypatch):
    """Four unitaries formed in 2023 join the positions in 2023/24 (38 against 36): a focus's places gained are
    written with its position then beneath the card, so '+1 place' reads beside '4th of 36' and '3rd of 38'."""
    _, bench = engine(str(shipped_store_path), "all", LEICESTERSHIRE)
    overall = bench.positions[(bench.positions["theme"] == OVERALL) & bench.positions["position"].notna()]
    now = overall[overall["period"] == "2023/24"].set_index("authority_code")
    then = overall[overall["period"] == "2022/23"].set_index("authority_code")
    moved = [
        code for code in now.index.intersection(then.index) if now.at[code, "position"] != then.at[code, "position"]
    ]
    focus = moved[0]
    assert now.at[focus, "n_positioned"] != then.at[focus, "n_positioned"]  # the case the words are for
    at = open_page(shipped_store_path, monkeypatch, "overview", {"focus": focus, "period": "2023/24"})
    assert not at.exception
    delta = next(m.delta for m in at.metric if m.label == "Overall performance")
    gained = int(then.at[focus, "position"] - now.at[focus, "position"])
    said_then = f"2022/23: {ordinal(int(then.at[focus, 'position']))} of {int(then.at[focus, 'n_positioned'])}"
    assert delta.replace("\\", "") == f"{gained:+d} place{'s' if abs(gained) > 1 else ''} since 2022/23", delta
    captions = [c.value.replace("\\", "") for c in at.caption]
    assert said_then in captions, captions  # beneath the card: the badge is one short line
