"""Review p1: a theme's share and weight are said the same way everywhere: the Theme weights bars say what each
share is made of under the rule in use, a one-theme basket's warning says what Overall then is, the headline
shares name their base, and the Beyond ranks basket table wraps theme names between words."""

from __future__ import annotations

import pytest
from basket_example import CODES, PERIOD, example_store

from benchmarking.method.positions import LA_CORE, OVERALL
from benchmarking.service.benchmark import benchmark_for
from benchmarking.service.catalogue import load_catalogue
from benchmarking.service.rests_on import rests_on

FOCUS = CODES["A"]


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    path = tmp_path_factory.mktemp("shares") / "store.duckdb"
    example_store(path)
    return load_catalogue(path)


@pytest.mark.parametrize("balance", ["indicators", "themes"])
@pytest.mark.parametrize("theme", [OVERALL, LA_CORE])
def test_a_one_theme_basket_says_overall_is_that_themes_position(example, balance, theme):
    """The 'adults' basket holds the Adults theme alone: weighing every theme equally cannot help, so the warning
    says what the position is instead of advising it."""
    bench = benchmark_for(example, "all", FOCUS, basket="adults", balance=balance)
    said = rests_on(example, bench, FOCUS, PERIOD, theme)
    assert (
        said.warning()
        == said.reader_warning()
        == f"{theme} rests on one theme, Adults: {theme} is that theme's position."
    )
    assert "weigh every theme equally" not in said.warning()


def test_a_dominant_theme_among_several_still_gets_the_advice(example):
    """All published: Adults is 3 of 4 indicators; the warning names the share's base and still offers the way
    out."""
    said = rests_on(example, benchmark_for(example, "all", FOCUS), FOCUS, PERIOD)
    assert said.warning().startswith(
        f"Adults is 75% of the 4 indicators Overall {PERIOD} rests on: this position mostly measures Adults."
    )
    assert "weigh every theme equally" in said.warning()


def _bar_labels(catalogue, basket, balance):
    """The Theme weights chart's bar labels as Beyond ranks draws them (every theme weight 1)."""
    from benchmarking.charts import theme_weights_chart
    from benchmarking.service.beyond_ranks import theme_shares

    bench = benchmark_for(catalogue, "all", FOCUS, basket=basket, balance=balance)
    shares = theme_shares(bench, catalogue.indicators, PERIOD, {})
    spec = theme_weights_chart(shares, "title", "subtitle", balance=bench.balance).to_dict()
    return {row["theme"]: row["label"] for row in next(iter(spec["datasets"].values()))}


@pytest.mark.parametrize(
    "basket, balance, labels",
    [
        (None, "indicators", {"Adults": "75% (weight 1 × 3 indicators)", "Roads": "25% (weight 1 × 1 indicator)"}),
        (
            "weighted",  # a1 weight 2 (Adults), r1 weight 1 (Roads)
            "indicators",
            {
                "Adults": "67% (weight 1 × basket weights 2, 1 indicator)",
                "Roads": "33% (weight 1 × basket weights 1, 1 indicator)",
            },
        ),
        (
            None,
            "themes",
            {
                "Adults": "50% (weight 1; the theme counts once, 3 indicators)",
                "Roads": "50% (weight 1; the theme counts once, 1 indicator)",
            },
        ),
    ],
)
def test_theme_weight_bars_say_what_each_share_is_made_of(example, basket, balance, labels):
    """Under a weighted basket or theme balance the bars no longer say 'weight 1 × n indicators' beside a share
    that is not weight × indicators."""
    assert _bar_labels(example, basket, balance) == labels


def test_the_beyond_ranks_basket_table_wraps_between_words(demo_store_path, monkeypatch):
    """The basket table is drawn in the class whose cells wrap at spaces (the base CSS's rule for it), so a theme
    name is not broken mid-word ("Environmen t") at 1366 pixels; the other static tables keep theirs."""
    from apptest_helpers import open_page

    from pages._layout import BASE_CSS
    from pages._tables import WORDS_TABLE

    at = open_page(demo_store_path, monkeypatch, "beyond_ranks", query={"section": "baskets"})
    assert not at.exception, at.exception
    drawn = [node.value for node in at.get("html") if "Largest theme" in node.value]
    assert len(drawn) == 1 and drawn[0].startswith(f'<div class="{WORDS_TABLE}"><table')
    assert f".{WORDS_TABLE} table.static-table :is(th, td) {{overflow-wrap: break-word;}}" in BASE_CSS
