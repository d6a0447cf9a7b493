"""A theme's share of Overall on two bases, each said (review q2): the basket list (the Data page, ``basket list``)
counts every ranked indicator of the basket, in no period and for no authority; the Overview counts the indicators
ranked for the focus authority in its period. On a store where the two differ each place's number equals a recount
from the store's own rows, and its words name its base, so the two are never read as one figure.

The store is the hand-made basket example (``basket_example``: Adults a1-a3, Roads r1, every authority ranked on
each) with one more Roads indicator, r2, that the focus authority A has no figure for: the basket holds 5 ranked
indicators (Adults 3 of 5), A's Overall rests on 4 (Adults 3 of 4)."""

from __future__ import annotations

import pandas as pd
import pytest
from apptest_helpers import html_tables, open_page
from basket_example import CODES, PERIOD, example_store

from benchmarking.cli.main import main
from benchmarking.service.catalogue import load_catalogue
from benchmarking.text.escaping import markdown

FOCUS = CODES["A"]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("bases") / "store.duckdb"
    store = example_store(path)
    r2 = {"B": 1.0, "C": 2.0, "D": 3.0}  # no figure for the focus, A
    store.write(
        {
            "indicator": pd.DataFrame(
                {"id": ["r2"], "name": ["Indicator r2"], "theme": ["Roads"], "polarity": ["low"], "is_core": [True]}
            ),
            "indicator_value": pd.DataFrame(
                {
                    "indicator_id": "r2",
                    "authority_code": [CODES[a] for a in r2],
                    "period": PERIOD,
                    "value": list(r2.values()),
                }
            ).assign(status="final"),
        },
        dataset={"name": "r2", "source": "hand-made", "kind": "imported", "file_name": "r2"},
    )
    return store


def _recounts(store) -> tuple[tuple[str, float, int], tuple[str, float, int]]:
    """Return (largest theme, its share, indicators counted) for the basket as a whole (every ranked indicator) and
    for A's Overall in the period (the ranked indicators A has a figure for), counted from the store's rows."""
    catalogue = load_catalogue(store.path)
    indicators = catalogue.indicators
    theme_of = indicators.set_index("id")["theme"]
    ranked = list(indicators.loc[indicators["polarity"] != "none", "id"])
    values = catalogue.values
    mine = values[(values["authority_code"] == FOCUS) & (values["period"] == PERIOD) & values["value"].notna()]
    counted = []
    for ids in (ranked, sorted(set(mine["indicator_id"]) & set(ranked))):
        themes = theme_of[ids].value_counts()
        counted.append((str(themes.index[0]), float(themes.iloc[0] / themes.sum()), len(ids)))
    return counted[0], counted[1]


def test_the_store_gives_two_different_bases(store):
    whole, focus = _recounts(store)
    assert whole[0] == focus[0] == "Adults"
    assert (whole[2], focus[2]) == (5, 4) and round(whole[1], 2) != round(focus[1], 2)  # 60% against 75%


def test_basket_list_says_its_share_is_of_every_ranked_indicator(store, capsys):
    (theme, share, base), _ = _recounts(store)
    assert main(["--db", str(store.path), "basket", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    header, row = lines[0].split(), next(line for line in lines if line.lstrip().startswith("all-published")).split()
    assert header[-1] == "largest_share_of_all_ranked"
    assert row[-2:] == [theme, f"{share:.0%}"] and row[-4] == str(base)  # ranked, themes, theme, share
    assert any("of all the basket's ranked indicators" in line and "for no one authority" in line for line in lines)
    assert main(["--db", str(store.path), "basket", "show", "all-published"]) == 0
    assert f"largest {theme}, {share:.0%} of all {base} ranked" in capsys.readouterr().out


def test_the_data_page_says_its_share_is_of_every_ranked_indicator(store, monkeypatch):
    (theme, share, _), _ = _recounts(store)
    at = open_page(store.path, monkeypatch, "data")
    assert not at.exception
    [table] = [t for t in html_tables(at) if "Basket" in t.columns]
    row = table.set_index("Basket").loc["All published"]
    assert (row["Largest theme"], int(row["Largest theme (% of all its ranked indicators)"])) == (
        theme,
        round(share * 100),
    )
    assert any("share of all the basket's ranked indicators" in c.value for c in at.caption)


def test_the_overview_says_its_share_is_of_the_indicators_ranked_for_the_focus_in_the_period(store, monkeypatch):
    _, (theme, share, base) = _recounts(store)
    at = open_page(store.path, monkeypatch, "overview", {"focus": FOCUS, "period": PERIOD})
    assert not at.exception
    line = f"Overall {PERIOD}: {base} indicators ranked in 'All published'; {theme} {share:.0%} of these {base}"
    assert any(c.value == markdown(line) for c in at.caption), [c.value for c in at.caption]
    warning = f"{theme} is {share:.0%} of the {base} indicators Overall {PERIOD} rests on"
    assert any(markdown(warning) in w.value for w in at.warning), [w.value for w in at.warning]


def test_a_weighted_baskets_share_says_it_is_by_weight(store):
    """The 'weighted' basket (a1 weight 2, r1 weight 1): A's Overall rests on 2 indicators and Adults is 2/3 of their
    weight, not half of them; the line and the warning say "by weight"."""
    from benchmarking.service.benchmark import benchmark_for
    from benchmarking.service.rests_on import rests_on

    catalogue = load_catalogue(store.path)
    rows = catalogue.baskets[catalogue.baskets["basket_id"] == "weighted"]
    weights = dict(zip(rows["indicator_id"], rows["weight"].astype(float)))
    theme_of = catalogue.indicators.set_index("id")["theme"]
    adults = sum(w for i, w in weights.items() if theme_of[i] == "Adults") / sum(weights.values())
    said = rests_on(catalogue, benchmark_for(catalogue, "all", FOCUS, basket="weighted"), FOCUS, PERIOD)
    assert said.text().endswith(f"; Adults {adults:.0%} of these {len(weights)} by weight")
    assert said.warning().startswith(
        f"Adults is {adults:.0%} of the {len(weights)} indicators Overall {PERIOD} rests on, by the basket's weights:"
    )
