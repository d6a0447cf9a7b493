"""Sensitivity to the basket: the focus's Overall under every basket and balance, what each
position rests on (computed for every row at once), and the briefing's rests-on line and
warning on the real county store."""

from __future__ import annotations

import io
import shutil

import pandas as pd
import pytest
from basket_example import CODES, HOSTILE_NAME, example_store
from PIL import Image
from pptx import Presentation
from pypdf import PdfReader

from benchmarking.briefing.bars import printed_slides
from benchmarking.briefing.pack import build_briefing
from benchmarking.briefing.pdf import to_pdf
from benchmarking.briefing.pptx import to_pptx
from benchmarking.briefing.public_report import latest_common_period
from benchmarking.method.positions import LA_CORE, OVERALL
from benchmarking.paths import DATA_DIR
from benchmarking.service.basket_sensitivity import (
    SENSITIVITY_COLUMNS,
    basket_sensitivity,
    rests_on_frame,
    sensitivity_for_period,
)
from benchmarking.service.benchmark import benchmark_for
from benchmarking.service.catalogue import load_catalogue
from benchmarking.service.rests_on import rests_on
from benchmarking.store import Store

FOCUS = "E10000018"


def _engine_overall(catalogue, group, focus, basket_id, balance) -> pd.DataFrame:
    """The focus's Overall rows from benchmark_for itself, indexed by period."""
    positions = benchmark_for(catalogue, group, focus, basket=basket_id, balance=balance).positions
    return positions[(positions["theme"] == OVERALL) & (positions["authority_code"] == focus)].set_index("period")


def _agrees_with_the_engine(catalogue, table, group, focus) -> None:
    for (basket_id, balance), rows in table.groupby(["basket_id", "balance"]):
        engine = _engine_overall(catalogue, group, focus, basket_id, balance)
        mine = rows.set_index("period")
        assert mine["position"].equals(engine["position"].reindex(mine.index)), (basket_id, balance)
        assert (mine["n_positioned"] == engine["n_positioned"].reindex(mine.index)).all()
        assert (mine["n_indicators"] == engine["n_indicators"].reindex(mine.index)).all()


def test_the_hand_worked_example_under_every_basket(tmp_path):
    """Focus A of ``basket_example``, by hand:

    * All published, indicators: 2nd of 4; 4 indicators, Adults 3 of 4 = 75%;
    * All published, themes: 3rd; Adults and Roads 50% each (no largest theme under theme balance);
    * 'Adults only' (a1-a3): Adults averages A 4/3, B 2, C 8/3, D 4 -> A 1st (either balance), 100% Adults;
    * 'weighted' (a1 x2, r1): indicators A (2+4)/3 = 2 -> 2nd, Adults 2/3; themes A (1+4)/2 = 2.5,
      level with C -> 2nd, each theme 50% (no largest theme).
    """
    catalogue = load_catalogue(example_store(tmp_path / "example.duckdb"))
    focus = CODES["A"]
    bench = benchmark_for(catalogue, "all", focus)
    table = basket_sensitivity(catalogue, bench.group, focus)
    assert list(table.columns) == list(SENSITIVITY_COLUMNS)
    rows = sensitivity_for_period(table, "2021/22")
    got = {
        (r.basket_id, r.balance): (
            int(r.position),
            r.n_positioned,
            r.n_indicators,
            r.largest_theme if isinstance(r.largest_theme, str) else None,
            r.largest_share,
        )
        for r in rows.itertuples()
    }
    assert got == {
        ("all-published", "indicators"): (2, 4, 4, "Adults", pytest.approx(0.75)),
        ("all-published", "themes"): (3, 4, 4, None, pytest.approx(0.5)),
        ("adults", "indicators"): (1, 4, 3, "Adults", pytest.approx(1.0)),
        ("adults", "themes"): (1, 4, 3, "Adults", pytest.approx(1.0)),
        ("weighted", "indicators"): (2, 4, 2, "Adults", pytest.approx(2 / 3)),
        ("weighted", "themes"): (2, 4, 2, None, pytest.approx(0.5)),
    }
    assert rows["basket_id"].iloc[:2].tolist() == ["all-published"] * 2  # All published first
    assert set(rows["basket"]) == {"All published", "Adults only", HOSTILE_NAME}
    _agrees_with_the_engine(catalogue, table, "all", focus)


@pytest.fixture(scope="module")
def demo_catalogue(demo_store_path):
    return load_catalogue(Store(demo_store_path))


def test_rests_on_frame_agrees_with_rests_on_for_every_authority(demo_catalogue):
    """The vectorised figures equal service.rests_on's, authority by authority, for Overall, LA Core
    and a theme, under both balances (demo store, 2021/22)."""
    theme = demo_catalogue.themes[0]
    for balance in ("indicators", "themes"):
        bench = benchmark_for(demo_catalogue, "county-councils", FOCUS, balance=balance)
        frame = rests_on_frame(bench.ranks, demo_catalogue.indicators, bench.basket, bench.balance)
        frame = frame[frame["period"] == "2021/22"].set_index(["theme", "authority_code"])
        for code in bench.group.members:
            for column in (OVERALL, LA_CORE, theme):
                one = rests_on(demo_catalogue, bench, code, "2021/22", column)
                row = frame.loc[(column, code)]
                assert (row["rests_on_indicators"], row["largest_theme"]) == (one.n_indicators, one.largest_theme)
                assert row["largest_theme_share"] == pytest.approx(one.largest_share)


def test_a_focus_beside_the_group_is_ranked_in_it_as_a_what_if(demo_catalogue):
    """Leicestershire beside the county unitaries: ranked among them (n_positioned = members + 1)."""
    bench = benchmark_for(demo_catalogue, "county-unitaries", FOCUS)
    table = basket_sensitivity(demo_catalogue, bench.group, FOCUS)
    rows = sensitivity_for_period(table, "2021/22")
    assert set(rows["n_positioned"]) == {bench.group.size + 1}
    assert set(rows["basket_id"]) == set(demo_catalogue.basket_names())


# -- the real county store ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def real(shipped_store_path, tmp_path_factory):
    """A copy of the shipped store with a 'Compendium 2022' basket built here from
    data/compendium_map.csv: the mapped indicators ('same' or 'close') the store holds."""
    path = tmp_path_factory.mktemp("real") / "real.duckdb"
    shutil.copy(shipped_store_path, path)
    store = Store(path)
    held = set(store.indicators()["id"])
    mapped = pd.read_csv(DATA_DIR / "compendium_map.csv")
    ids = mapped.loc[mapped["match"].isin(["same", "close"]) & mapped["indicator_id"].isin(held), "indicator_id"]
    ids = ids.drop_duplicates()
    if "compendium-2022" not in set(load_catalogue(store).basket_names()):
        store.write(
            {
                "basket": pd.DataFrame(
                    {"basket_id": "compendium-test", "name": "Compendium (test)", "indicator_id": ids}
                )
            },
            dataset={"name": "compendium basket", "source": "test", "kind": "basket", "file_name": "map.csv"},
        )
    catalogue = load_catalogue(store)
    bench = benchmark_for(catalogue, "all", FOCUS)
    return catalogue, bench, latest_common_period(catalogue, bench), len(ids)


def test_leicestershire_under_every_basket_on_the_real_store(real, capsys):
    """Each row is benchmark_for's own Overall for that basket and balance; All published rests
    mostly on one theme (share computed here with plain pandas from the ranks)."""
    catalogue, bench, period, n_compendium = real
    table = basket_sensitivity(catalogue, bench.group, FOCUS)
    _agrees_with_the_engine(catalogue, table[table["period"] == period], "all", FOCUS)
    rows = sensitivity_for_period(table, period)
    ranked = bench.ranks[(bench.ranks["authority_code"] == FOCUS) & (bench.ranks["period"] == period)]
    ranked = ranked[ranked["rank"].notna()]
    themes = ranked["indicator_id"].map(catalogue.indicators.set_index("id")["theme"]).value_counts()
    first = rows.iloc[0]
    assert (first["basket_id"], first["balance"]) == ("all-published", "indicators")
    assert first["n_indicators"] == len(ranked)
    assert (first["largest_theme"], first["largest_share"]) == (
        themes.index[0],
        pytest.approx(themes.iloc[0] / len(ranked)),
    )
    assert first["largest_share"] > 0.5
    balanced = rows[(rows["basket_id"] == "all-published") & (rows["balance"] == "themes")].iloc[0]
    assert balanced["largest_share"] == pytest.approx(1 / len(themes))
    with capsys.disabled():
        print(f"\nLeicestershire Overall, {period} (Compendium basket of {n_compendium} mapped indicators):")
        for r in rows.itertuples():
            print(
                f"  {r.basket} / {r.balance}: {r.position} of {r.n_positioned}; {r.n_indicators} indicators; "
                f"{r.largest_theme} {r.largest_share:.0%}"
            )


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (400, 200), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def test_briefing_on_the_real_store_says_what_positions_rest_on_and_warns(real):
    """The PPTX and PDF carry the Overall rests-on line and the warning (Education is over half of
    Overall on All published). Charts are stood in for by a blank picture: only text is checked."""
    catalogue, bench, period, _ = real
    briefing = build_briefing(catalogue, bench, period, FOCUS)
    images = [_png() if slide.chart is not None else None for slide in printed_slides(briefing.slides)]
    line = rests_on(catalogue, bench, FOCUS, period).text()
    warning = rests_on(catalogue, bench, FOCUS, period).reader_warning()  # a reader's words: no app controls
    assert warning is not None and line.startswith(f"Overall {period}: ")
    deck = Presentation(io.BytesIO(to_pptx(briefing, images)))
    slide_text = [
        " ".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame) for slide in deck.slides
    ]
    assert sum(line in text for text in slide_text) >= 3  # at a glance, Overall against spend, themes
    assert sum(warning in text for text in slide_text) >= 2
    pdf_text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(to_pdf(briefing, images))).pages
    )
    assert pdf_text.count(line) >= 3
    assert " ".join(warning.split()) in pdf_text
    assert "Positions rest on the basket 'All published'" in pdf_text
    assert "Choose a basket" not in pdf_text and not any("Choose a basket" in text for text in slide_text)


# -- the Beyond ranks page ------------------------------------------------------------------------


def test_beyond_ranks_shows_the_overall_under_every_basket(demo_store_path, tmp_path, monkeypatch):
    """On the demo store with two saved baskets (one with a hostile name), the page's table is
    basket_sensitivity's for the period, in words, and marks the basket and balance in use."""
    from apptest_helpers import FOCUS as PAGE_FOCUS
    from apptest_helpers import LATEST, html_tables, open_page

    path = tmp_path / "store.duckdb"
    shutil.copy(demo_store_path, path)
    store = Store(path)
    indicators = store.indicators()
    core = indicators.loc[indicators["is_core"].astype(bool), "id"]
    store.write(
        {
            "basket": pd.DataFrame(
                {
                    "basket_id": ["core"] * len(core) + ["two", "two"],
                    "name": ["Core only"] * len(core) + [HOSTILE_NAME] * 2,
                    "indicator_id": [*core, *indicators["id"].iloc[:2]],
                }
            )
        },
        dataset={"name": "baskets", "source": "test", "kind": "basket", "file_name": "baskets.csv"},
    )
    at = open_page(path, monkeypatch, "beyond_ranks", query={"section": "baskets"})
    assert not at.exception
    assert "How much does the basket of indicators matter?" in [header.value for header in at.header]
    shown = next(frame for frame in html_tables(at) if "Overall position" in frame.columns)  # drawn whole, wrapping
    catalogue = load_catalogue(store)
    bench = benchmark_for(catalogue, "all", PAGE_FOCUS)
    expected = sensitivity_for_period(basket_sensitivity(catalogue, bench.group, PAGE_FOCUS), LATEST)
    assert len(shown) == 2 * len(catalogue.basket_names()) and shown["Basket"].tolist() == expected["basket"].tolist()
    assert HOSTILE_NAME in set(shown["Basket"])
    words = [
        f"{p}{'st' if p == 1 else 'nd' if p == 2 else 'rd' if p == 3 else 'th'} of {n}"
        for p, n in zip(expected["position"], expected["n_positioned"])
    ]
    assert all(p < 21 for p in expected["position"])  # the suffixes above hold below 21
    assert shown["Overall position"].tolist() == words
    assert shown["Indicators ranked"].tolist() == [f"{n:,}" for n in expected["n_indicators"]]
    assert shown["In use"].tolist() == ["yes"] + ["no"] * (len(shown) - 1)
