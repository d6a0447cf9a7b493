"""Review v10 #4: with a basket chosen, the Indicator explorer opens on the basket's first indicator (in the
chooser's order) that has figures in the period, not on an indicator outside the basket or without figures."""

from __future__ import annotations

import pandas as pd
import pytest
from apptest_helpers import open_page

from benchmarking.service.benchmark import benchmark_for
from benchmarking.service.catalogue import load_catalogue

FOCUS = "E10000018"
PERIOD = "2022/23"


@pytest.fixture
def basket_store(shipped):
    """The shipped store with a basket of the last five ranked indicators that have figures in PERIOD (the first
    indicators of the chooser are not in it) and one with no figure then, listed first."""
    cat = load_catalogue(shipped.path)
    ranks = benchmark_for(cat, "all", FOCUS).ranks
    current = set(ranks.loc[ranks["period"] == PERIOD, "indicator_id"])
    ranked = cat.indicators[cat.indicators["polarity"] != "none"].sort_values(["theme", "name"])["id"]
    without = [i for i in ranked if i not in current][:1]
    ids = without + [i for i in ranked if i in current][-5:]
    rows = pd.DataFrame({"basket_id": "short", "name": "Short", "indicator_id": ids, "weight": 1.0, "version": "v1"})
    shipped.write({"basket": rows}, {"name": "basket short", "kind": "imported", "file_name": "basket.csv"})
    return shipped.path


@pytest.mark.parametrize("basket", ["short", None])
def test_the_explorer_opens_on_the_baskets_first_indicator_with_figures(basket_store, monkeypatch, basket):
    cat = load_catalogue(basket_store)
    query = {"focus": FOCUS, "period": PERIOD, **({"basket": basket} if basket else {})}
    at = open_page(basket_store, monkeypatch, "indicator", query=query)
    assert not at.exception, at.exception
    ranks = benchmark_for(cat, "all", FOCUS, basket=basket).ranks
    indicators = cat.indicators.set_index("id")
    ids = ranks.loc[ranks["period"] == PERIOD, "indicator_id"].unique()
    labels = {f"{indicators.loc[i, 'name']} ({indicators.loc[i, 'theme']})": i for i in ids}  # as the chooser says
    chooser = next(box for box in at.selectbox if box.key == "indicator_id")
    first = next(labels[option] for option in chooser.options if option in labels)
    assert chooser.value == first
