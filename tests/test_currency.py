"""Data currency: reporting periods across publishers' labels, older figures carried and flagged,
provisional and revised figures flagged, no filling, ceased authorities left out."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from apptest_helpers import html_tables, open_page, open_section, page_widget

from benchmarking.ingest.importer import import_frames
from benchmarking.method import currency, sql
from benchmarking.method.periods import span_or_none
from benchmarking.method.positions import OVERALL
from benchmarking.service.benchmark import comparator_group, compute
from benchmarking.service.catalogue import load_catalogue
from benchmarking.service.explain import why_this_rank
from benchmarking.service.overview import data_currency
from benchmarking.text.escaping import markdown
from benchmarking.text.formatting import currency_text

FOCUS, LAST, NEW = "E10000018", "2021/22", "2022/23"


# -- the reporting calendar -----------------------------------------------------------------


def test_mixed_labels_fall_into_financial_years_by_midpoint():
    calendar = currency.reporting_calendar(["2022-23", "2022/23", "2022", "2020-22", "Mar 2022", "2023"])
    assert calendar.financial
    assert [
        calendar.reporting_period(label) for label in ["2022-23", "2022/23", "2022", "2020-22", "Mar 2022", "2023"]
    ] == ["2022/23", "2022/23", "2022/23", "2021/22", "2021/22", "2023/24"]
    assert calendar.labels == ["2021/22", "2022/23", "2023/24"]


def test_one_publishers_style_of_label_is_kept():
    calendar = currency.reporting_calendar(["2021-22", "2022-23", "2022"])
    assert calendar.labels == ["2021-22", "2022-23"]


def test_without_financial_years_each_label_is_its_own_period():
    calendar = currency.reporting_calendar(["2021", "2019", "2020"])
    assert not calendar.financial and calendar.labels == ["2019", "2020", "2021"]
    assert calendar.reporting_period("2020") == "2020"


def _values(rows):
    frame = pd.DataFrame(rows, columns=["indicator_id", "authority_code", "period", "value", "status"])
    frame["period_start"] = pd.to_datetime(frame["period"].map(lambda p: span_or_none(p)[0]))
    return frame


def test_older_figures_are_carried_at_most_two_periods_and_never_filled_per_authority():
    values = _values(
        [
            ("fresh", "A", "2022/23", 1.0, "final"),
            ("fresh", "B", "2022/23", 2.0, "provisional"),
            ("late", "A", "2021/22", 3.0, "final"),
            ("late", "B", "2020/21", 4.0, "final"),
            ("stale", "A", "2019/20", 5.0, "final"),
            ("stale", "B", "2019/20", 6.0, "final"),
            ("fresh", "A", "2019/20", 7.0, "final"),
            ("fresh", "B", "2019/20", 8.0, "final"),
        ]
    )
    out = currency.reporting_values(values, currency.reporting_calendar(values["period"]))
    now = out[out["period"] == "2022/23"].set_index(["indicator_id", "authority_code"])
    assert now.loc[("late", "A"), "source_period"] == "2021/22" and now.loc[("late", "A"), "years_older"] == 1
    assert ("late", "B") not in now.index  # B's 2020/21 figure is not used to fill its gap in 2021/22
    assert "stale" not in now.index.get_level_values(0)  # three years older: not used
    assert now.loc[("fresh", "B"), "status"] == "provisional"
    assert set(out.loc[out["period"] == "2019/20", "years_older"]) == {0}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_shares_read_from_the_vintages_when_nothing_moves_are_those_of_the_values(seed):
    """``shares_rows_sql``: with every indicator published once per year under its label, the
    shares (and so the periods offered) read from the vintage table are those read from every value;
    when figures move it reads the values."""
    rng = np.random.default_rng(seed)
    labels = ["2019/20", "2020/21", "2021/22", "2022/23", "Mar 2021"]
    rows = [  # A0 has every figure; the others miss some, or hold a missing value
        (f"i{i}", f"A{a}", labels[p], None if a and rng.random() < 0.4 else float(rng.normal()), "final")
        for i in range(6)
        for a in range(3)
        for p in range(4)
        if a == 0 or rng.random() < 0.6
    ]
    values = _values(rows)
    calendar = currency.reporting_calendar(values.loc[values["value"].notna(), "period"])
    published = values.loc[values["value"].notna(), ["indicator_id", "period"]].drop_duplicates()
    vintage, moves = currency.vintage_table(published.rename(columns={"period": "source_period"}), calendar)
    reporting = currency.reporting_values(values, calendar)
    tables = {
        "reporting": sql.arrow_table({n: reporting[n] for n in ("indicator_id", "period", "value", "years_older")}),
        "vintage": sql.arrow_table({n: vintage[n] for n in vintage.columns}),
        "ranked": sql.arrow_table({"id": np.asarray(["i0", "i2", "i3", "i5"], dtype=object)}),
    }
    shares = [
        sql.run(currency.current_shares_sql(rows, "ranked") + " ORDER BY period", tables).to_pylist()
        for rows in ("reporting", currency.shares_rows_sql("reporting", "vintage", moves))
    ]
    assert not moves and shares[0] == shares[1] and shares[0]
    assert currency.shares_rows_sql("reporting", "vintage", True) == "reporting"
    moved = _values([*rows, ("i0", "A0", labels[4], 1.0, "final")])  # a March figure joins 2020/21
    moved_published = moved.loc[moved["value"].notna(), ["indicator_id", "period"]].drop_duplicates()
    assert currency.vintage_table(moved_published.rename(columns={"period": "source_period"}), calendar)[1]


def test_an_authority_without_figures_for_the_period_is_not_carried_into_it():
    values = _values(
        [
            ("x", "A", "2022/23", 1.0, "final"),
            ("y", "A", "2021/22", 1.0, "final"),
            ("x", "Gone", "2021/22", 2.0, "final"),
            ("y", "Gone", "2021/22", 2.0, "final"),
        ]
    )
    out = currency.reporting_values(values, currency.reporting_calendar(values["period"]))
    assert set(out.loc[out["period"] == "2022/23", "authority_code"]) == {"A"}


# -- on a store: engine, views, pages ---------------------------------------------------------


@pytest.fixture(scope="module")
def newer_store(demo_store_path, tmp_path_factory):
    """The demo plus 2022/23 figures for the Education indicators only (one provisional), for
    every authority but Surrey, which has no figures for 2022/23 at all."""
    import shutil

    from benchmarking.store import Store

    path = tmp_path_factory.mktemp("currency") / "store.duckdb"
    shutil.copy(demo_store_path, path)
    store = Store(path)
    values = store.values([LAST])
    education = set(store.indicators().query("theme == 'Education' and polarity != 'none'")["id"])
    rows = values[values["indicator_id"].isin(education) & (values["authority_code"] != "E10000030")].copy()
    rows["period"] = NEW
    rows["value"] = rows["value"] * 1.01
    rows["status"] = "final"
    provisional = sorted(education)[0]
    rows.loc[rows["indicator_id"] == provisional, "status"] = "provisional"
    import_frames(
        store,
        [
            (
                "indicator_value",
                rows[["indicator_id", "authority_code", "period", "value", "status"]],
                "education-2022-23.csv",
            )
        ],
    )
    catalogue = load_catalogue(store)
    bench = compute(catalogue, comparator_group(catalogue, "all", FOCUS))
    return path, catalogue, bench, education, provisional


def test_composite_states_how_many_indicators_use_older_figures(newer_store):
    _, catalogue, bench, education, _ = newer_store
    assert catalogue.period_labels[-1] == NEW
    ranked = set(catalogue.indicators.query("polarity != 'none'")["id"])
    with_last = set(catalogue.values.query("period == @LAST and value.notna()")["indicator_id"]) & ranked
    info = data_currency(catalogue, bench, OVERALL, NEW)
    assert info.n_indicators == len(with_last | education)
    assert info.n_older == len(with_last - education) and info.older_periods == {LAST: info.n_older}
    assert info.n_provisional == 1
    assert data_currency(catalogue, bench, "Education", NEW).n_older == 0
    text = currency_text(info)
    assert f"{info.n_older} of them use figures published for an earlier period ({LAST}: {info.n_older})" in text
    assert "1 include provisional figures" in text


def test_older_figures_rank_as_they_were_published_and_ceased_authorities_drop_out(newer_store):
    _, _catalogue, bench, _education, _ = newer_store
    carried = sorted(set(bench.vintages.query("period == @NEW and years_older == 1")["indicator_id"]))[0]
    ranks = bench.ranks[bench.ranks["indicator_id"] == carried].pivot_table(
        index="authority_code", columns="period", values="rank", aggfunc="first"
    )
    others = ranks.drop(index="E10000030")
    # Surrey has no 2022/23 figures, so it is not carried: the others' ranks are re-ranked without it.
    assert "E10000030" not in set(bench.ranks.query("period == @NEW")["authority_code"])
    assert others[NEW].notna().sum() == others[LAST].notna().sum()
    assert (others[NEW].rank(method="min") == others[LAST].rank(method="min")).all()


def test_why_this_rank_lists_the_published_period_and_status(newer_store):
    _, catalogue, bench, education, provisional = newer_store
    rows, summary = why_this_rank(catalogue, bench, OVERALL, NEW, FOCUS)
    listed = rows.dropna(subset=["rank"]).set_index("indicator_id")
    assert set(listed.loc[listed.index.isin(education), "source_period"]) == {NEW}
    assert set(listed.loc[~listed.index.isin(education), "source_period"]) == {LAST}
    assert summary["n_older"] == (listed["years_older"] > 0).sum() > 0
    assert listed.loc[provisional, "status"] == "provisional" and summary["n_provisional"] == 1


def test_demo_has_no_older_figures(demo_store_path):
    from benchmarking.store import Store

    catalogue = load_catalogue(Store(demo_store_path))
    assert (catalogue.reporting_values["years_older"] == 0).all()
    assert len(catalogue.reporting_values) == len(catalogue.values)
    assert catalogue.period_labels == sorted(set(catalogue.values["period"]))


def test_pages_flag_older_and_provisional_figures(newer_store, monkeypatch):
    path, catalogue, bench, _education, provisional = newer_store
    info = data_currency(catalogue, bench, OVERALL, NEW, FOCUS)  # the focus its position rests on
    at = open_page(path, monkeypatch, "overview", query={"period": NEW})
    assert not at.exception
    assert any(markdown(currency_text(info)) == caption.value for caption in at.caption)

    at = open_page(path, monkeypatch, "indicator", query={"period": NEW})
    carried = sorted(set(bench.vintages.query("period == @NEW and years_older == 1")["indicator_id"]))[0]
    theme = catalogue.indicators.set_index("id").loc[carried, "theme"]
    page_widget(at, "indicator_theme").set_value(theme).run()
    page_widget(at, "indicator_id").set_value(carried).run()
    assert not at.exception
    assert any("Older figures" in w.value and LAST in w.value for w in at.warning)

    page_widget(at, "indicator_theme").set_value("Education").run()
    page_widget(at, "indicator_id").set_value(provisional).run()
    assert not any("Older figures" in w.value for w in at.warning)
    assert any(c.value.startswith("**Provisional** figures") for c in at.caption)

    at = open_page(path, monkeypatch, "themes", query={"period": NEW})
    open_section(at, "themes_why")
    why = next(frame.value for frame in at.dataframe if "Published for" in frame.value.columns)
    assert {period for period in why["Published for"] if period} == {NEW, LAST}  # blank: no figure
    assert any(caption.value.startswith(markdown(currency_text(info))) for caption in at.caption)


def test_pages_open_on_the_latest_period_made_mostly_of_its_own_figures(newer_store, demo_store_path, monkeypatch):
    """2022/23 holds Education's figures only (the rest carried from 2021/22), so it is not the default."""
    from apptest_helpers import sidebar_box

    from benchmarking.store import Store

    path, catalogue, *_ = newer_store
    assert catalogue.period_labels[-1] == NEW and catalogue.default_period == LAST
    demo = load_catalogue(Store(demo_store_path))
    assert demo.default_period == demo.period_labels[-1]
    at = open_page(path, monkeypatch, "overview")
    assert sidebar_box(at, "period").value == LAST


def test_indicator_page_says_when_the_latest_figures_are_too_old_to_rank(writable_store, monkeypatch):
    """Figures three periods older than the chosen one are not ranked, and the page says so."""
    values = writable_store.values([LAST])
    first, second = sorted(writable_store.indicators().query("theme == 'Education' and polarity != 'none'")["id"])[:2]
    rows = values[values["indicator_id"] == first].assign(period="2024/25")
    import_frames(
        writable_store,
        [("indicator_value", rows[["indicator_id", "authority_code", "period", "value"]], "one-indicator-2024-25.csv")],
    )
    at = open_page(writable_store.path, monkeypatch, "indicator", query={"period": "2024/25"})
    page_widget(at, "indicator_theme").set_value("Education").run()
    page_widget(at, "indicator_id").set_value(second).run()
    assert not at.exception
    assert any(
        f"latest figures published before it are for {LAST}" in box.value and "too old" in box.value for box in at.info
    )


def test_bottom_quartile_list_names_each_figures_period(newer_store, monkeypatch):
    """Carried-forward indicators in the quartile lists say they were published for 2021/22, marked
    earlier; the caption counts them, and the page's sentence on older figures is the Overview's."""
    path, catalogue, bench, _education, _ = newer_store
    at = open_page(path, monkeypatch, "quartiles", query={"period": NEW})
    assert not at.exception
    listed = [table for table in html_tables(at) if "Published for" in table.columns]
    assert listed
    shown = set().union(*(set(frame["Published for"]) for frame in listed))
    earlier = f"{LAST} (earlier)"
    assert shown <= {NEW, f"{NEW} (provisional)", earlier} and earlier in shown
    counts = [int((frame["Published for"] == earlier).sum()) for frame in listed]
    assert sum(counts) > 0
    assert any("of them rest on figures published for an earlier period" in c.value for c in at.caption)
    n_older = data_currency(catalogue, bench, OVERALL, NEW).n_older
    older = re.compile(rf"\b{n_older} of (them|the \d+) use figures published for an earlier period")
    assert any(older.search(c.value) for c in at.caption)
