"""The Funding page: the core spending power league table and the 'better off if funded
like' figure equal sums made directly from the store's funding and authority tables."""

import pytest
from apptest_helpers import (
    EARLIER,
    FOCUS,
    LATEST,
    OTHER_FOCUS,
    catalogue,
    charts,
    choose,
    engine,
    metrics,
    open_page,
    open_section,
    page_widget,
    position_words,
    shows_demo_banner,
)

from benchmarking.briefing.pack import briefing_setting, funding_slide
from benchmarking.method.lifetimes import existing_in
from benchmarking.service.overview import overview
from benchmarking.text.escaping import markdown
from benchmarking.text.formatting import money, money_millions


def funding_per_head(store_path, period=LATEST, members=None) -> dict[str, float]:
    """Return authority code -> core spending power per head, straight from the funding table."""
    funding = catalogue(str(store_path)).funding
    rows = funding[funding["period"] == period]
    if members is not None:
        rows = rows[rows["authority_code"].isin(members)]
    return dict(zip(rows["authority_code"], rows["core_spending_power_per_head"]))


def population(store_path, code) -> float:
    """Return an authority's population from the authority table."""
    authorities = catalogue(str(store_path)).authorities
    return float(authorities.loc[authorities["code"] == code, "population"].iloc[0])


def test_funding_renders_with_titles_naming_period_and_group(demo_store_path, monkeypatch):
    """The page runs, shows the demo banner, and the chart title names the period and the group."""
    at = open_page(demo_store_path, monkeypatch, "funding")
    assert not at.exception
    assert shows_demo_banner(at)
    [chart] = charts(at)
    assert chart.title == f"Core spending power per head, {LATEST}"
    assert "Comparator group: all authorities (32 authorities)" in chart.subtitle


def test_bars_and_metric_match_the_funding_table(demo_store_path, monkeypatch):
    """The best-funded authority is ranked 1st; the focus metric and rank match the table."""
    at = open_page(demo_store_path, monkeypatch, "funding")
    per_head = funding_per_head(demo_store_path)
    bars = charts(at)[0].data_with("core_spending_power_per_head").set_index("authority_code")
    assert bars.loc[max(per_head, key=per_head.get), "rank"] == 1
    assert bars.loc[min(per_head, key=per_head.get), "rank"] == len(per_head)
    assert metrics(at)["Leicestershire: core spending power per head"] == money(per_head[FOCUS])
    rank = sorted(per_head.values(), reverse=True).index(per_head[FOCUS]) + 1
    assert any(c.value.startswith(f"Funding rank {position_words(rank, len(per_head))}") for c in at.caption)


def test_better_off_against_the_highest_funded(demo_store_path, monkeypatch):
    """'The highest-funded authority': the gap per head times the focus population, in £m."""
    at = open_page(demo_store_path, monkeypatch, "funding")
    page_widget(at, "funding_reference").set_value("highest").run()
    assert not at.exception
    per_head = funding_per_head(demo_store_path)
    highest = max(per_head, key=per_head.get)
    amount = (per_head[highest] - per_head[FOCUS]) * population(demo_store_path, FOCUS)
    [message] = at.success
    assert f"**{money_millions(amount)} a year better off**" in message.value
    assert markdown("(the highest funded)") in message.value  # the label holds a name: escaped


def test_better_funded_focus_is_told_so(demo_store_path, monkeypatch):
    """A focus funded above the reference is told how much more it gets, not 'better off'."""
    at = open_page(demo_store_path, monkeypatch, "funding")
    choose(at, "focus", OTHER_FOCUS)
    page_widget(at, "funding_reference").set_value(FOCUS).run()
    assert not at.exception
    per_head = funding_per_head(demo_store_path)
    assert per_head[OTHER_FOCUS] > per_head[FOCUS]
    assert not at.success
    assert at.info[0].value.startswith(
        f"Surrey is funded {money(per_head[OTHER_FOCUS] - per_head[FOCUS], 2)} per head more than Leicestershire"
    )


@pytest.mark.parametrize(
    "key, value, period, focus, group_id",
    [
        # another period
        ("period", EARLIER, EARLIER, FOCUS, "all"),
        # another focus authority
        ("focus", OTHER_FOCUS, LATEST, OTHER_FOCUS, "all"),
        # another comparator group
        ("group", "county-councils", LATEST, FOCUS, "county-councils"),
    ],
)
def test_changing_the_selection_shows_the_funding_for_it(
    demo_store_path, monkeypatch, key, value, period, focus, group_id
):
    """After a sidebar change the title, bars and metric are those of the new selection."""
    at = open_page(demo_store_path, monkeypatch, "funding")
    choose(at, key, value)
    assert not at.exception
    chart = charts(at)[0]
    assert chart.title == f"Core spending power per head, {period}"
    cat = catalogue(str(demo_store_path))
    members = None
    if group_id == "county-councils":
        members = set(cat.authorities.loc[cat.authorities["kind"] == "county council", "code"])
    per_head = funding_per_head(demo_store_path, period, members)
    bars = chart.data_with("core_spending_power_per_head")
    assert dict(zip(bars["authority_code"], bars["core_spending_power_per_head"])) == per_head
    name = "Surrey" if focus == OTHER_FOCUS else "Leicestershire"
    assert metrics(at)[f"{name}: core spending power per head"] == money(per_head[focus])


def test_in_words_names_the_year_of_the_figures(shipped_store_path, monkeypatch):
    """On the real data the latest core spending power for 2022/23 is that of 2020-21: the chart's words say the
    figures are for 2020-21, as its title does, rather than leave them to read as 2022/23's."""
    at = open_page(shipped_store_path, monkeypatch, "funding", {"period": "2022/23"})
    assert not at.exception
    funding = catalogue(str(shipped_store_path)).funding
    published = funding.loc[funding["period"].str[:4].astype(int) < 2022, "period"].max()  # "2020-21": by its start
    latest = published.replace("-", "/")  # written as its reporting period, 2020/21 (one spelling beside 2022/23)
    assert latest != published
    [chart] = charts(at)
    assert chart.title == f"Core spending power per head, {latest}"
    words = next(m.value for m in at.markdown if "In words" in m.value).replace("\\", "")
    assert f"core spending power per head in {latest}" in words, words


def test_the_table_draws_the_group_of_the_period_chosen(shipped_store_path, monkeypatch):
    """In 2025/26 the latest core spending power is 2020-21's, when Cumbria, North Yorkshire CC and Somerset CC
    existed; they are not in the 2025/26 group, so the table draws and ranks only the members that existed in
    2025/26 (lifetimes.existing_in): its bars, the rank's 'of N', the subtitle's 'N of the M drawn', the Overview's
    funding card and the briefing's slide all count the same authorities."""
    period = "2025/26"
    at = open_page(shipped_store_path, monkeypatch, "funding", {"period": period})
    assert not at.exception
    [chart] = charts(at)
    bars = chart.data_with("core_spending_power_per_head")
    codes = list(bars["authority_code"])
    assert all(existing_in(codes, period)), bars.loc[[not e for e in existing_in(codes, period)], "name"].tolist()
    n = len(bars)
    assert set(bars["n_ranked"]) == {n} and int(bars["rank"].max()) <= n
    assert f"{n} of the 38 drawn" in chart.subtitle, chart.subtitle
    caption = next(c.value for c in at.caption if c.value.startswith("Funding rank"))
    assert f"of {n} " in caption, caption
    cat, bench = engine(str(shipped_store_path))
    figures = overview(cat, bench, period, FOCUS)
    assert figures.funding.n == n
    slide = funding_slide(briefing_setting(cat, bench, period, FOCUS))
    assert len(slide.table) == n and f"{n} of the 38 drawn" in slide.subtitle


def test_a_focus_formed_after_the_funding_year_is_told_why_and_the_table_drawn(shipped_store_path, monkeypatch):
    """North Yorkshire Council (formed 2023) has no 2020-21 core spending power, the latest for 2023/24: the page
    draws the table and says in a notice, by name, why there is no 'better off' sum, not a red error with its
    code."""
    at = open_page(shipped_store_path, monkeypatch, "funding", {"period": "2023/24", "focus": "E06000065"})
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    [chart] = charts(at)
    assert len(chart.data_with("core_spending_power_per_head")) > 0
    notice = " ".join(i.value for i in at.info).replace("\\", "")  # read as shown: Markdown escapes dropped
    assert "North Yorkshire Council" in notice and "2020/21" in notice and "formed on 1 April 2023" in notice, notice
    assert "E06000065" not in notice


def test_an_older_funding_year_is_said_with_its_age_and_the_population_with_its_basis(shipped_store_path, monkeypatch):
    """For 2025/26 the core spending power is 2020-21's: the page warns how many reporting periods older it is (as
    the Indicator page's 'Older figures' does), the 'better off' sum names the year of the gap per head and says the
    population is the latest estimate held, and the data table's population column says so too."""
    period = "2025/26"
    at = open_page(shipped_store_path, monkeypatch, "funding", {"period": period})
    assert not at.exception
    cat = catalogue(str(shipped_store_path))
    basis = charts(at)[0].title.rsplit(", ", 1)[1]
    years = int(cat.calendar.order_of(period) - cat.calendar.order_of(basis))
    assert basis == "2020/21" and years == 5  # the publisher's 2020-21, written as its reporting period
    warning = " ".join(w.value for w in at.warning).replace("\\", "")
    assert f"Older figures: the latest published core spending power is for {basis}," in warning, warning
    assert f"{years} reporting periods before {period}" in warning, warning
    [message] = at.success
    said = message.value.replace("\\", "")
    assert f"per head in {basis}" in said and "latest population estimate held" in said, said
    # the per-head figure rests on its own year's population (the adapter divides 2020-21 by mid-2020), not the one
    # the total multiplies by: said beside the sum and in the table's (the CSV's) header
    assert f"the {basis} figures per head were worked out on {basis}'s own population (the ONS mid-2020" in said, said
    assert "approximate" in said
    open_section(at, "table-funding")
    headers = [column for frame in (d.value for d in at.dataframe) for column in frame.columns]
    assert "Population (latest estimate held; the per-head figures use their year's own)" in headers, headers
