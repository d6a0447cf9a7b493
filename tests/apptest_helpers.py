"""Helpers shared by the per-page AppTest files: open a page, read its charts, and ask the
engine (independently of the page) what it should show."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pyarrow as pa
from streamlit.testing.v1 import AppTest

from benchmarking.method import ranking
from benchmarking.method.positions import OVERALL, positions
from benchmarking.service.benchmark import Benchmark, benchmark_for, comparator_group
from benchmarking.service.catalogue import Catalogue, load_catalogue
from benchmarking.service.overview import Overview, overview
from benchmarking.store import Store
from pages._briefing_screen import SCREEN_KEY
from pages._navigation import keep_navigation_mode

APP = str(Path(__file__).resolve().parents[1] / "app.py")
DEMO_BANNER = "Illustrative demo data"
FOCUS = "E10000018"  # Leicestershire, the demo's default focus
OTHER_FOCUS = "E10000030"  # Surrey
LATEST, EARLIER = "2021/22", "2019/20"


# -- driving the app -------------------------------------------------------------------


def use_navigation_mode(monkeypatch) -> None:
    """Make every AppTest run execute app.py (``st.navigation``), as a running server does.

    AppTest would otherwise run a page's reruns in Streamlit's legacy pages-folder mode
    (the page alone); the workaround and its reasons live in ``pages._navigation``.
    """
    keep_navigation_mode(monkeypatch.setattr)


WINDOW = (1366, 768)
"""The browser window a page is opened in: the Presentation page lays its slide out for it."""


def report_window(at: AppTest, window: tuple[int, int], sidebar: int | None = None) -> None:
    """Give the app the browser's report of its window's size (``pages._briefing_screen``), and of the width the
    sidebar takes beside the page when ``sidebar`` is given (0: closed), as a browser does on drawing the
    Presentation page."""
    size = {"width": window[0], "height": window[1]} | ({} if sidebar is None else {"sidebar": sidebar})
    at.session_state[SCREEN_KEY] = {"size": size}


def open_page(
    store_path: Path,
    monkeypatch,
    page: str,
    query: dict[str, str] | None = None,
    window: tuple[int, int] | None = WINDOW,
) -> AppTest:
    """Run app.py on the store, then switch to ``pages/<page>.py``; ``query`` pre-sets URL params; ``window`` is the
    size the browser reports (None: a browser that has not reported yet)."""
    monkeypatch.setenv("BENCHMARKING_DB", str(store_path))
    use_navigation_mode(monkeypatch)
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    if page != "overview":  # the entry point opens the Overview itself
        if window is not None:
            report_window(at, window)
        at.switch_page(f"pages/{page}.py").run()
    return at


SIDEBAR_LABELS = {"focus": "Focus authority", "period": "Period", "group": "Comparator group"}


def sidebar_box(at: AppTest, name: str):
    """Return the sidebar selectbox for ``focus``, ``period`` or ``group`` (found by its label)."""
    boxes = [box for box in at.sidebar.selectbox if box.label == SIDEBAR_LABELS[name]]
    assert len(boxes) == 1, f"expected one sidebar selectbox labelled {SIDEBAR_LABELS[name]!r}"
    return boxes[0]


def choose(at: AppTest, name: str, value) -> AppTest:
    """Set the sidebar's ``focus``, ``period`` or ``group`` to ``value`` and rerun."""
    sidebar_box(at, name).set_value(value)
    return at.run()


def briefing_toggles(at: AppTest, in_sidebar: bool) -> list:
    """Return the briefing-mode toggles in the sidebar or on the page itself."""
    toggles = at.sidebar.toggle if in_sidebar else at.main.toggle
    return [toggle for toggle in toggles if toggle.label.startswith("Briefing mode")]


def page_widget(at: AppTest, key: str):
    """Return the page's own widget with ``key`` (selectbox, radio, multiselect or toggle)."""
    for widget in [*at.selectbox, *at.radio, *at.multiselect, *at.toggle]:
        if widget.key == key:
            return widget
    raise AssertionError(f"no widget with key {key!r} on the page")


def open_section(at: AppTest, key: str) -> AppTest:
    """Open the page's section kept under ``key`` (``pages._layout.opened_section``: opening reruns the page)."""
    at.session_state[key] = True
    at.run()
    assert not at.exception, at.exception
    return at


def shown_table(body: str) -> pd.DataFrame:
    """Return an HTML table drawn with ``st.html`` (``pages._tables.html_table``) as the text a reader
    sees in each cell (entities decoded); row headers, when the table has them, become the index."""
    import lxml.html

    table = lxml.html.fromstring(body)
    table = table if table.tag == "table" else table.find(".//table")  # a table in a scrolled region
    header = [cell.text_content() for cell in table.xpath("./thead/tr/*")]
    rows = [[cell.text_content() for cell in row] for row in table.xpath("./tbody/tr")]
    frame = pd.DataFrame(rows, columns=header, dtype=object)
    if table.xpath("./tbody/tr/th"):
        frame = frame.set_index(header[0])
    return frame


def html_tables(at: AppTest) -> list[pd.DataFrame]:
    """Return every plain HTML table the page draws (``shown_table``), in page order."""
    return [shown_table(node.value) for node in at.get("html") if "<table" in node.value]


def problems(at: AppTest) -> pd.DataFrame:
    """Return the last table of problems the Data import page draws (file, row, column, message), as shown."""
    return [table for table in html_tables(at) if "message" in table.columns][-1]


def counts(table: pd.DataFrame) -> pd.DataFrame:
    """Return a shown table of counts ("1,234") as integers."""
    return table.apply(lambda column: column.str.replace(",", "").astype(int))


def metrics(at: AppTest) -> dict[str, str]:
    """Return the page's metrics as label -> shown value."""
    return {metric.label: metric.value for metric in at.metric}


def shows_demo_banner(at: AppTest) -> bool:
    """True when the page carries the demo-data warning."""
    return any(DEMO_BANNER in warning.value for warning in at.warning)


# -- reading charts --------------------------------------------------------------------


@dataclass(frozen=True)
class Chart:
    """One vega-lite chart as the page sent it: its spec and its named datasets."""

    spec: dict
    datasets: dict[str, pd.DataFrame]

    @property
    def title(self) -> str:
        """Return the title as one line (a title too wide for the chart is drawn as several)."""
        title = self.spec.get("title", {})
        return _one_line(title.get("text", "") if isinstance(title, dict) else title)

    @property
    def subtitle(self) -> str:
        """Return the subtitle as one line (a subtitle too wide for the chart, or of several lines, is drawn as
        several)."""
        title = self.spec.get("title", {})
        return _one_line(title.get("subtitle", "") if isinstance(title, dict) else "")

    def data_with(self, *columns: str) -> pd.DataFrame:
        """Return the largest dataset that has all ``columns`` (the chart's main data)."""
        frames = [frame for frame in self.datasets.values() if set(columns) <= set(frame.columns)]
        assert frames, (
            f"no dataset with columns {columns!r}; columns: {[list(f.columns) for f in self.datasets.values()]}"
        )
        return max(frames, key=len)


def _one_line(text: str | list[str]) -> str:
    return " ".join(text) if isinstance(text, list) else str(text)


def charts(at: AppTest) -> list[Chart]:
    """Return every vega-lite chart on the page, in page order."""
    found = []
    for element in at.get("vega_lite_chart"):
        proto = element.proto
        frames = {dataset.name: pa.ipc.open_stream(dataset.data.data).read_pandas() for dataset in proto.datasets}
        found.append(Chart(json.loads(proto.spec), frames))
    return found


def still_charts(at: AppTest) -> list[str]:
    """Return the HTML of every chart drawn as a still image (``pages._charts.draw_still_chart``), in page order."""
    return [element.proto.body for element in at.get("html") if 'class="still-chart"' in element.proto.body]


def chart_titled(at: AppTest, words: str) -> Chart:
    """Return the one chart whose title contains ``words``."""
    matches = [chart for chart in charts(at) if words in chart.title]
    assert len(matches) == 1, f"expected one chart titled with {words!r}; titles: {[c.title for c in charts(at)]}"
    return matches[0]


# -- the engine, computed without the page ---------------------------------------------------


@lru_cache(maxsize=4)
def catalogue(store_path: str) -> Catalogue:
    """Return the store's catalogue (cached per path; treat as read-only)."""
    return load_catalogue(Store(store_path))


@lru_cache(maxsize=16)
def engine(store_path: str, group_id: str = "all", focus: str = FOCUS) -> tuple[Catalogue, Benchmark]:
    """Return the catalogue and the engine's benchmark for a comparator group."""
    cat = catalogue(store_path)
    return cat, benchmark_for(cat, group_id, focus)


def overview_figures(store_path, period: str, focus: str = FOCUS, group_id: str = "all") -> Overview:
    """Return the engine's Overview figures for a selection."""
    cat, bench = engine(str(store_path), group_id, focus)
    return overview(cat, bench, period, focus)


@lru_cache(maxsize=16)
def direct_ranks(store_path: str, group_id: str = "all", focus: str = FOCUS):
    """Return ranking.indicator_ranks among the group's members, bypassing the service."""
    cat = catalogue(str(store_path))
    members = comparator_group(cat, group_id, focus).members
    return ranking.indicator_ranks(cat.values, cat.indicators, authority_codes=members)


@lru_cache(maxsize=16)
def direct_positions(store_path: str, group_id: str = "all", focus: str = FOCUS) -> pd.DataFrame:
    """Return positions.positions over the group's ranks, bypassing the service."""
    cat = catalogue(str(store_path))
    return positions(direct_ranks(str(store_path), group_id, focus), cat.indicators)


def direct_position_map(
    store_path, theme: str, period: str, group_id: str = "all", focus: str = FOCUS
) -> dict[str, int]:
    """Return authority code -> position on a theme in a period (positioned authorities only)."""
    table = direct_positions(str(store_path), group_id, focus)
    rows = table[(table["theme"] == theme) & (table["period"] == period)].dropna(subset=["position"])
    return {code: int(position) for code, position in zip(rows["authority_code"], rows["position"])}


def direct_overall_position(store_path, period: str, focus: str = FOCUS, group_id: str = "all") -> tuple[int, int]:
    """Recompute (position, n_positioned) on Overall from ranks and positions, bypassing the service."""
    table = direct_positions(str(store_path), group_id, focus)
    row = table[(table["theme"] == OVERALL) & (table["period"] == period) & (table["authority_code"] == focus)]
    return int(row["position"].iloc[0]), int(row["n_positioned"].iloc[0])


def position_words(position: int, n: int) -> str:
    """Return "2nd of 32", written independently of ``formatting.position_text``."""
    suffix = "th" if 10 <= position % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(position % 10, "th")
    return f"{position}{suffix} of {n}"


def blank_figures(store, indicator_ids: list[str], authority: str, period: str) -> None:
    """Empty the stored figures of ``authority`` for these indicators in ``period``, in the store file itself: an
    import refuses to remove a stored figure (an empty cell or a marker never replaces one)."""
    import duckdb

    with duckdb.connect(str(store.path)) as con:
        con.execute(
            "UPDATE indicator_value SET value = NULL WHERE authority_code = ? AND period = ? "
            "AND indicator_id IN (SELECT unnest(?::VARCHAR[]))",
            [authority, period, indicator_ids],
        )
