"""A basket with weights says so (review v9): the header, the Overview card, the sidebar's balance
choice, the Beyond ranks table and the briefing name the weights instead of "every indicator counts
once", and `basket list` / `basket show` give the largest theme's share as the positions count it
(ranked indicators by their weights; a context indicator is not ranked).

The basket on the demo store mirrors the reviewer's: one Transport & Highways indicator at weight 2,
two ranked Environment & Waste indicators and that theme's context indicator (not ranked), one
Corporate and one Housing indicator, each weight 1.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from apptest_helpers import LATEST, html_tables, open_page

from benchmarking.cli.main import main
from benchmarking.method.positions import OVERALL
from benchmarking.service import baskets
from benchmarking.service.catalogue import load_catalogue
from benchmarking.store import Store
from benchmarking.text.escaping import markdown

BASKET_ID = "local"
BASKET_NAME = "Local <b>priorities</b>"
ONCE = "every indicator counts once"


def _first(indicators: pd.DataFrame, theme: str, ranked: bool = True, n: int = 1) -> list[str]:
    rows = indicators[(indicators["theme"] == theme) & ((indicators["polarity"] != "none") == ranked)]
    return sorted(rows["id"])[:n]


@pytest.fixture(scope="module")
def weighted(demo_store_path, tmp_path_factory):
    """A copy of the demo store with the weighted basket; returns (path, the indicator at weight 2, context id)."""
    path = tmp_path_factory.mktemp("weighted") / "store.duckdb"
    shutil.copy(demo_store_path, path)
    store = Store(path)
    indicators = store.indicators()
    [heavy] = _first(indicators, "Transport & Highways")
    [context] = _first(indicators, "Environment & Waste", ranked=False)
    ids = [
        heavy,
        *_first(indicators, "Environment & Waste", n=2),
        context,
        *_first(indicators, "Corporate"),
        *_first(indicators, "Housing"),
    ]
    weights = {heavy: 2.0}
    baskets.save_basket(store, BASKET_ID, BASKET_NAME, ids, weights=weights, version="v1")
    return path, heavy, context


def test_the_header_and_the_sidebar_say_the_basket_weighs_its_indicators(weighted, monkeypatch):
    """Every page's header names the weights; neither it nor the balance choice says 'counts once'."""
    path, heavy, _ = weighted
    at = open_page(path, monkeypatch, "overview", query={"basket": BASKET_ID})
    assert not at.exception
    header = at.caption[0].value
    assert markdown(f"indicators weighted as the basket says ({heavy} weight 2, the others 1)") in header, header
    assert ONCE not in header
    [balance] = [box for box in at.sidebar.selectbox if box.label == "Overall and LA Core weigh"]
    assert not any(ONCE in option.lower() for option in balance.options), balance.options
    at = open_page(path, monkeypatch, "themes", query={"basket": BASKET_ID, "balance": "themes"})
    header = at.caption[0].value
    assert markdown(f"every theme counts once, its indicators weighted as the basket says ({heavy} weight 2") in header


def test_the_overview_card_help_names_the_weights(weighted, monkeypatch):
    path, heavy, _ = weighted
    at = open_page(path, monkeypatch, "overview", query={"basket": BASKET_ID})
    [card] = [metric for metric in at.metric if metric.label == "Overall performance"]
    assert f"{heavy} weight 2" in card.help and ONCE not in card.help


def test_the_beyond_ranks_table_says_how_each_basket_weighs(weighted, monkeypatch):
    """The weighted basket's rows say it is weighted; All published keeps the Compendium's rule."""
    path, heavy, _ = weighted
    at = open_page(path, monkeypatch, "beyond_ranks", query={"section": "baskets"})
    assert not at.exception
    shown = next(frame for frame in html_tables(at) if "Overall position" in frame.columns)  # drawn as HTML (n1)
    mine = shown[shown["Basket"] == f"{BASKET_NAME} (v1)"]
    assert len(mine) == 2
    assert all(f"{heavy} weight 2" in text and ONCE not in text for text in mine["Balance"]), mine["Balance"]
    assert shown.loc[shown["Basket"] == "All published", "Balance"].str.startswith(ONCE).any()


def test_basket_show_gives_the_largest_theme_as_the_positions_count_it(weighted, tmp_path, capsys):
    """`basket show` and `basket list` give the share the positions export gives an authority with a figure
    on every ranked indicator of the basket: weights counted, the context indicator not."""
    path, heavy, context = weighted
    out = tmp_path / "positions.csv"
    assert main(["--db", str(path), "positions", "--basket", BASKET_ID, "--period", LATEST, "--out", str(out)]) == 0
    positions = pd.read_csv(out)
    catalogue = load_catalogue(path)
    indicators = catalogue.indicators.set_index("id")
    basket = catalogue.baskets[catalogue.baskets["basket_id"] == BASKET_ID]
    ranked = [i for i in basket["indicator_id"] if indicators.loc[i, "polarity"] != "none"]
    assert context not in ranked and heavy in ranked
    full = positions[(positions["theme"] == OVERALL) & (positions["rests_on_indicators"] == len(ranked))]
    assert len(full), "no authority has a figure on every ranked indicator of the basket"
    [expected] = {f"{theme} {share:.0%}" for theme, share in zip(full["largest_theme"], full["largest_theme_share"])}
    capsys.readouterr()
    assert main(["--db", str(path), "basket", "show", BASKET_ID]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    theme, share = expected.rsplit(" ", 1)
    assert first.endswith(f"largest {theme}, {share} of all {len(ranked)} ranked"), (first, expected)
    assert main(["--db", str(path), "basket", "list"]) == 0
    [line] = [line for line in capsys.readouterr().out.splitlines() if line.split()[0] == BASKET_ID]
    assert line.endswith(expected.split()[-1]) and expected.rsplit(" ", 1)[0] in line, (line, expected)
