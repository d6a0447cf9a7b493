"""Every page on the public store (built from ../shared/data): it runs without an exception,
names the real sources instead of showing the demo banner, draws its chart or table, and
the Overview and Theme rankings show the engine's numbers for the sidebar's selection.

The pages are discovered from pages/, so a new page is run here without editing this file.
Period labels come from the store's catalogue, never from this file.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from apptest_helpers import (
    catalogue,
    charts,
    choose,
    engine,
    html_tables,
    metrics,
    open_page,
    overview_figures,
    position_words,
    shows_demo_banner,
    sidebar_box,
    still_charts,
)

from benchmarking.datasets.public_build import sources_for_print
from benchmarking.method.positions import LA_CORE, OVERALL
from benchmarking.service.lists import thin_periods
from benchmarking.text.escaping import markdown
from pages import _registry as registry

PAGES_DIR = Path(__file__).resolve().parents[1] / "pages"
PAGE_FILES = sorted(path.stem for path in PAGES_DIR.glob("*.py") if not path.stem.startswith("_"))

# Pages that draw no chart and no table when they open, on any store: Presentation opens on
# its title slide (cards only) and Data import waits for a file. Any other page must draw one.
DRAWS_NOTHING_ON_OPEN = {"presentation", "import_data"}


def test_the_pages_are_discovered():
    """Every page app.py navigates to is found in pages/, and the exceptions name real pages."""
    app_pages = {page.file for page in registry.PAGES}  # app.py navigates to the registry's pages
    assert len(PAGE_FILES) >= 11
    assert all(f"pages/{page}.py" in app_pages for page in PAGE_FILES)
    assert set(PAGE_FILES) >= DRAWS_NOTHING_ON_OPEN


def selection(at) -> dict[str, str]:
    """Return the sidebar's focus, period and group as the engine helpers take them."""
    return {
        "focus": sidebar_box(at, "focus").value,
        "period": sidebar_box(at, "period").value,
        "group_id": sidebar_box(at, "group").value,
    }


@pytest.mark.parametrize("page", PAGE_FILES)
def test_page_runs_on_the_public_store(public_store_path, monkeypatch, page):
    """No exception, no demo banner, the real sources named, a period of the store, and a chart or table."""
    at = open_page(public_store_path, monkeypatch, page)
    assert not at.exception, [error.value for error in at.exception]
    assert not shows_demo_banner(at)
    cat = catalogue(str(public_store_path))
    assert not cat.is_demo
    sources, label = cat.settings["sources"], cat.settings["dataset_label"]
    captions = [caption.value for caption in at.caption]  # stored text is drawn escaped (text.escaping)
    if page == "presentation":  # the title slide names the dataset and the sources as the printed briefing does
        slide = " ".join(element.value for element in at.markdown)
        assert markdown(f"Dataset: {label}").lower() in slide.lower()  # the slide's line starts with a capital
        assert markdown(f"Sources: {sources_for_print(sources)}") in slide
    else:
        assert f"**Data:** {markdown(label)}. Sources: {markdown(sources)}" in captions
    assert sidebar_box(at, "period").value in cat.period_labels
    drawn = len(at.get("vega_lite_chart")) + len(still_charts(at)) + len(at.dataframe) + len(at.table)
    drawn += len(html_tables(at))
    if page not in DRAWS_NOTHING_ON_OPEN:
        assert drawn >= 1, f"{page} drew no chart and no table on the public store"


def _other_period(store_path, chosen: dict) -> str:
    """Return the latest period before the chosen one in which the focus authority has an Overall position."""
    labels = catalogue(str(store_path)).period_labels
    for period in reversed(labels[: labels.index(chosen["period"])]):
        if overview_figures(store_path, **(chosen | {"period": period})).overall.position is not None:
            return period
    pytest.fail(f"no earlier period of {labels} gives the focus authority an Overall position")


def assert_overview_is_the_engines(at, store_path) -> None:
    """The Overall and LA Core metrics equal service.overview.overview for the sidebar's selection."""
    assert not at.exception
    figures = overview_figures(store_path, **selection(at))
    assert figures.overall.position is not None and figures.overall.n > 1
    shown = metrics(at)
    assert shown["Overall performance"] == position_words(figures.overall.position, figures.overall.n)
    if figures.core.position is not None:
        assert shown["LA Core performance"] == position_words(figures.core.position, figures.core.n)


def test_overview_shows_the_engines_positions(public_store_path, monkeypatch):
    """On the default focus and period, and after choosing an earlier period, Overview shows the engine's positions."""
    at = open_page(public_store_path, monkeypatch, "overview")
    assert sidebar_box(at, "focus").value == catalogue(str(public_store_path)).default_focus()
    assert_overview_is_the_engines(at, public_store_path)
    earlier = _other_period(public_store_path, selection(at))
    choose(at, "period", earlier)
    assert sidebar_box(at, "period").value == earlier
    assert_overview_is_the_engines(at, public_store_path)


def test_theme_chart_plots_the_engines_positions(public_store_path, monkeypatch):
    """Each dot on the Theme rankings chart is the focus authority's position in the engine's benchmark."""
    at = open_page(public_store_path, monkeypatch, "themes")
    chosen = selection(at)
    _, bench = engine(str(public_store_path), chosen["group_id"], chosen["focus"])
    table = bench.positions
    rows = table[(table["period"] == chosen["period"]) & (table["authority_code"] == chosen["focus"])]
    rows = rows.dropna(subset=["position"])
    expected = {theme: int(position) for theme, position in zip(rows["theme"], rows["position"])}
    dots = charts(at)[0].data_with("theme", "position").dropna(subset=["position"])
    plotted = {theme: int(position) for theme, position in zip(dots["theme"], dots["position"])}
    assert {OVERALL, LA_CORE} <= set(expected)
    assert len(expected) > 3  # the real data positions Leicestershire on several themes
    assert plotted == expected


def test_trend_names_the_periods_that_rest_on_few_indicators(public_store_path, monkeypatch):
    """On the public data Overall rests on 4-5 DEFRA indicators before 2015/16: the Trend page says so."""
    _, bench = engine(str(public_store_path))
    focus = "E10000018"  # Leicestershire, the page's default focus
    positions = bench.positions
    mine = positions[(positions["theme"] == OVERALL) & (positions["authority_code"] == focus)]
    (overall,) = thin_periods(mine.dropna(subset=["position"]).sort_values("period_start"))
    thin = overall.periods
    assert "2010/11" in thin and overall.fewest <= 5
    at = open_page(public_store_path, monkeypatch, "trend")
    assert not at.exception
    said = f"{OVERALL} rests on few indicators in {len(thin)} periods, {thin[0]} to {thin[-1]} "
    assert any(c.value.startswith(said) for c in at.caption), [c.value for c in at.caption]
