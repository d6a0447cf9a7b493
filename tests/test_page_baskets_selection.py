"""Choosing the basket and the balance in the sidebar (issue 17): the Overview's Overall card is the
engine's position over that basket and balance, the URL carries both, a link opens on them, an
unknown one gets a notice, and the pages say what a position rests on.

The basket used on the demo store holds every Housing and every Culture & Communities
indicator (8 + 18 in the demo's catalogue): Leicestershire's Overall over it differs from its
Overall over "All published", and weighing the two themes equally differs again (checked in
``test_the_three_choices_give_different_positions``, so the page tests below can tell them apart).
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from apptest_helpers import FOCUS, LATEST, charts, metrics, open_page, position_words

from benchmarking.method.baskets import ALL_PUBLISHED
from benchmarking.method.positions import LA_CORE, OVERALL
from benchmarking.service.benchmark import benchmark_for
from benchmarking.service.catalogue import load_catalogue
from benchmarking.service.rests_on import rests_on
from benchmarking.store import Store
from benchmarking.text.escaping import markdown

BASKET_ID = "two-themes"
BASKET_NAME = "Housing and culture"
BASKET_THEMES = ("Housing", "Culture & Communities")
HOSTILE_ID = "hostile"
HOSTILE_NAME = "<script>alert(1)</script> **bold** =cmd()"
FOCUS_NAME_IN_DEMO = "Leicestershire"
LABELS = {"basket": "Basket of indicators", "balance": "Overall and LA Core weigh"}


def _add_basket(store: Store, basket_id: str, name: str, indicator_ids: list[str]) -> None:
    """Write one basket (weight 1 for each indicator) through the store's one-transaction write."""
    rows = pd.DataFrame(
        {
            "basket_id": basket_id,
            "name": name,
            "indicator_id": indicator_ids,
            "weight": 1.0,
            "note": None,
            "version": "v1",
        }
    )
    store.write({"basket": rows}, {"name": f"basket {basket_id}", "kind": "imported", "file_name": "basket.csv"})


@pytest.fixture(scope="module")
def basket_store(demo_store_path, tmp_path_factory):
    """A copy of the demo store with the two-theme basket and a basket with a hostile name."""
    path = tmp_path_factory.mktemp("baskets") / "baskets.duckdb"
    shutil.copy(demo_store_path, path)
    store = Store(path)
    indicators = load_catalogue(store).indicators
    ids = list(indicators.loc[indicators["theme"].isin(BASKET_THEMES), "id"])
    _add_basket(store, BASKET_ID, BASKET_NAME, ids)
    _add_basket(store, HOSTILE_ID, HOSTILE_NAME, ids[:5])
    return path


@pytest.fixture(scope="module")
def basket_catalogue(basket_store):
    """The catalogue of the basket store, read once for the module."""
    return load_catalogue(Store(basket_store))


def engine_overall(cat, basket: str | None, balance: str | None, focus: str = FOCUS, period: str = LATEST) -> str:
    """Return the focus's Overall position in words, read from the engine's positions frame."""
    pos = benchmark_for(cat, "all", focus, basket=basket, balance=balance).positions
    row = pos[(pos["theme"] == OVERALL) & (pos["period"] == period) & (pos["authority_code"] == focus)]
    return position_words(int(row["position"].iloc[0]), int(row["n_positioned"].iloc[0]))


def box(at, key: str):
    """Return the sidebar selectbox for ``basket`` or ``balance``."""
    [found] = [b for b in at.sidebar.selectbox if b.label == LABELS[key]]
    return found


def test_the_three_choices_give_different_positions(basket_catalogue):
    """Precondition of the page tests: All published, the basket, and the basket theme-balanced differ."""
    shown = {
        engine_overall(basket_catalogue, None, None),
        engine_overall(basket_catalogue, BASKET_ID, "indicators"),
        engine_overall(basket_catalogue, BASKET_ID, "themes"),
    }
    assert len(shown) == 3, shown


def test_changing_basket_and_balance_changes_the_overall_card_and_the_url(basket_store, basket_catalogue, monkeypatch):
    """Each sidebar change shows the engine's Overall for it, and the URL carries basket and balance."""
    at = open_page(basket_store, monkeypatch, "overview")
    assert metrics(at)["Overall performance"] == engine_overall(basket_catalogue, None, None)
    assert "basket" not in at.query_params and "balance" not in at.query_params  # the defaults stay out of links
    stored = basket_catalogue.baskets.drop_duplicates("basket_id")
    names = stored["name"].tolist()
    assert BASKET_NAME in stored["name"].tolist() and HOSTILE_NAME in stored["name"].tolist()
    assert sorted(box(at, "basket").options[1:]) == sorted(names) and box(at, "basket").options[0] == "All published"

    box(at, "basket").set_value(BASKET_ID)
    at.run()
    assert not at.exception
    assert metrics(at)["Overall performance"] == engine_overall(basket_catalogue, BASKET_ID, "indicators")
    assert at.query_params["basket"] == BASKET_ID

    box(at, "balance").set_value("themes")
    at.run()
    assert not at.exception
    assert metrics(at)["Overall performance"] == engine_overall(basket_catalogue, BASKET_ID, "themes")
    assert (at.query_params["basket"], at.query_params["balance"]) == (BASKET_ID, "themes")
    assert "every theme counts once" in at.caption[0].value

    box(at, "basket").set_value(ALL_PUBLISHED)  # back to the default: it leaves the URL
    at.run()
    assert metrics(at)["Overall performance"] == engine_overall(basket_catalogue, None, "themes")
    assert "basket" not in at.query_params and at.query_params["balance"] == "themes"


def test_a_link_opens_on_its_basket_and_balance(basket_store, basket_catalogue, monkeypatch):
    """?basket=<id>&balance=themes selects both and shows their Overall; the header says so."""
    at = open_page(basket_store, monkeypatch, "overview", query={"basket": BASKET_ID, "balance": "themes"})
    assert not at.exception
    assert (box(at, "basket").value, box(at, "balance").value) == (BASKET_ID, "themes")
    assert metrics(at)["Overall performance"] == engine_overall(basket_catalogue, BASKET_ID, "themes")
    assert markdown(f"Positions over '{BASKET_NAME} (v1)', every theme counts once") in at.caption[0].value
    assert not any("does not have" in w.value for w in at.warning)


@pytest.mark.parametrize("key, value", [("basket", "nonsense"), ("balance", "sideways")])
def test_an_unknown_basket_or_balance_in_the_link_gets_a_notice(
    basket_store, basket_catalogue, monkeypatch, key, value
):
    """A value the store does not have is named in a notice and the default is shown, not silently."""
    at = open_page(basket_store, monkeypatch, "overview", query={key: value})
    assert not at.exception
    [notice] = [w.value for w in at.warning if "does not have" in w.value]
    assert f"'{value}'" in notice
    assert metrics(at)["Overall performance"] == engine_overall(basket_catalogue, None, None)
    assert key not in at.query_params


def test_the_rests_on_line_names_the_basket_and_the_indicators_ranked(basket_store, basket_catalogue, monkeypatch):
    """The Overall and LA Core cards say the basket and the count the engine ranks; a plain count agrees."""
    at = open_page(basket_store, monkeypatch, "overview", query={"basket": BASKET_ID})
    bench = benchmark_for(basket_catalogue, "all", FOCUS, basket=BASKET_ID)
    for theme in (OVERALL, LA_CORE):
        expected = rests_on(basket_catalogue, bench, FOCUS, LATEST, theme)
        line = f"{theme} {LATEST}: {expected.n_indicators:,} indicators ranked in '{BASKET_NAME} (v1)'"
        assert any(c.value.startswith(markdown(line)) for c in at.caption), line
    # Independently: the basket's ranked indicators (polarity not "none") with a value for the focus.
    ind = basket_catalogue.indicators
    ranked = set(ind.loc[ind["theme"].isin(BASKET_THEMES) & (ind["polarity"] != "none"), "id"])
    values = basket_catalogue.reporting_values
    mine = values[(values["authority_code"] == FOCUS) & (values["period"] == LATEST) & values["value"].notna()]
    n_plain = mine.loc[mine["indicator_id"].isin(ranked), "indicator_id"].nunique()
    assert rests_on(basket_catalogue, bench, FOCUS, LATEST).n_indicators == n_plain


def test_a_hostile_basket_name_is_drawn_as_text(basket_store, monkeypatch):
    """A basket name with HTML, Markdown and a formula is escaped wherever the page draws it."""
    at = open_page(basket_store, monkeypatch, "overview", query={"basket": HOSTILE_ID})
    assert not at.exception
    assert box(at, "basket").value == HOSTILE_ID
    drawn = [e.value for e in [*at.caption, *at.markdown, *at.warning, *at.info]]
    assert any(markdown(HOSTILE_NAME) in text for text in drawn)
    assert not any("<script>" in text or "**bold**" in text for text in drawn)


def test_quadrant_and_themes_say_what_the_positions_rest_on(basket_store, basket_catalogue, monkeypatch):
    """The quadrant caption and the theme page name the basket; the theme table counts indicators per theme."""
    query = {"basket": BASKET_ID, "balance": "themes"}
    at = open_page(basket_store, monkeypatch, "quadrant", query=query)
    assert not at.exception
    bench = benchmark_for(basket_catalogue, "all", FOCUS, basket=BASKET_ID, balance="themes")
    line = rests_on(basket_catalogue, bench, FOCUS, LATEST).text()
    assert any(markdown(line) in c.value for c in at.caption), line
    # The chart's subtitle (so its PNG) names the basket and the balance too.
    assert f"Positions over '{BASKET_NAME} (v1)', every theme counts once" in charts(at)[0].subtitle

    at.switch_page("pages/themes.py").run()
    assert not at.exception
    pos = bench.positions
    mine = pos[(pos["authority_code"] == FOCUS) & (pos["period"] == LATEST) & pos["theme"].isin(BASKET_THEMES)]
    counts = "; ".join(f"{t} {n}" for t, n in zip(mine["theme"], mine["n_indicators"]))
    assert any(f"Indicators ranked for {FOCUS_NAME_IN_DEMO} in {LATEST}" in c.value for c in at.caption)
    assert any(markdown(counts) in c.value for c in at.caption), counts
    # Stability across groups is over the same basket and balance: its "all" row is the Overall card's figure.
    at.session_state["themes_stability"] = True  # the section ranks every group once opened
    at.run()
    [stability] = [d.value for d in at.dataframe if "Comparator group" in d.value.columns]
    expected = engine_overall(basket_catalogue, BASKET_ID, "themes")
    assert stability.loc[stability["Comparator group"].str.lower() == "all authorities", OVERALL].tolist() == [expected]


@pytest.fixture(scope="module")
def shipped_catalogue(shipped_store_path):
    """The shipped real county store's catalogue, read once for the module."""
    return load_catalogue(Store(shipped_store_path))


def test_real_store_warns_when_one_theme_is_over_half(shipped_store_path, shipped_catalogue, monkeypatch):
    """On the real store Education is over half of Overall: the Overview warns, and not under theme balance."""
    at = open_page(shipped_store_path, monkeypatch, "overview", query={"focus": FOCUS})
    assert not at.exception
    period = at.query_params["period"]
    expected = rests_on(shipped_catalogue, benchmark_for(shipped_catalogue, "all", FOCUS), FOCUS, period)
    assert expected.largest_theme == "Education" and expected.largest_share > 0.5
    assert any(c.value.startswith(markdown(expected.text())) for c in at.caption), expected.text()
    assert f"{expected.n_indicators:,} indicators ranked in 'All published'" in expected.text()
    assert any(markdown(expected.warning()) in w.value for w in at.warning)

    box(at, "balance").set_value("themes")
    at.run()
    assert not at.exception
    assert not any("mostly measures" in w.value for w in at.warning)
    themed = benchmark_for(shipped_catalogue, "all", FOCUS, balance="themes")
    assert metrics(at)["Overall performance"] == engine_overall(shipped_catalogue, None, "themes", FOCUS, period)
    assert any(
        c.value.startswith(markdown(rests_on(shipped_catalogue, themed, FOCUS, period).text())) for c in at.caption
    )
