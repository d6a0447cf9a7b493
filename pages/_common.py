"""Streamlit glue shared by every page: the store, cached engine results, the sidebar
selection (kept in session state and mirrored in the URL), briefing mode, the demo
banner and chart downloads. Pages stay thin: they read a Selection and draw.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import altair as alt
import pandas as pd
import streamlit as st

from benchmarking import charts
from benchmarking.datasets.demo import DEMO_LABEL, build_demo_store
from benchmarking.errors import BenchmarkingError
from benchmarking.method.groups import available_groups
from benchmarking.service.benchmark import Benchmark, benchmark_for, comparator_group
from benchmarking.service.catalogue import Catalogue, load_catalogue
from benchmarking.service.overview import Overview, overview
from benchmarking.store import DEFAULT_DB, Store, default_db_path
from pages._navigation import ensure_entry_run
from pages._registry import title_of

alt.data_transformers.disable_max_rows()  # trend charts of every authority pass 5,000 rows


# -- the store and cached results ------------------------------------------------------


def ensure_store() -> None:
    """Build the demo store on first run when no store exists at the default path."""
    path = default_db_path()
    if Store(path).exists():
        return
    if path != DEFAULT_DB and path.exists():
        st.error(f"The store at {path} (from BENCHMARKING_DB) holds no benchmarking tables.")
        st.stop()
    with st.spinner(f"First run: generating the {DEMO_LABEL} at {path} ..."):
        build_demo_store(path)


def stamp() -> float:
    """Return the store file's modification time, used to key cached reads."""
    path = default_db_path()
    return path.stat().st_mtime if path.exists() else 0.0


def db_path() -> str:
    """Return the store path this session reads, as text (a cache key)."""
    return str(default_db_path())


@st.cache_data(show_spinner=False)
def summary(path: str, _stamp: float) -> dict:
    """Return the store's counts; ``_stamp`` (file mtime) refreshes the cache after an import."""
    return Store(path).summary()


@st.cache_data(show_spinner=False)
def datasets(path: str, _stamp: float) -> pd.DataFrame:
    """Return the load history of the store."""
    return Store(path).datasets()


@st.cache_resource(show_spinner="Reading the store ...", max_entries=4)
def _catalogue(path: str, file_stamp: float) -> Catalogue:
    return load_catalogue(Store(path))


def catalogue() -> Catalogue:
    """Return the store's tables, cached until the file changes (treat as read-only)."""
    return _catalogue(db_path(), stamp())


@st.cache_resource(show_spinner="Ranking every authority on every indicator ...", max_entries=16)
def _benchmark(path: str, file_stamp: float, group_id: str, focus_for_group: str | None, scaled: bool) -> Benchmark:
    return benchmark_for(_catalogue(path, file_stamp), group_id, focus_for_group, scaled=scaled)


def benchmark(selection: Selection) -> Benchmark:
    """Return the engine's results for the selected group (cached per group and options)."""
    # Only neighbour lists depend on the focus authority; other groups share one cache entry.
    # The focus authority is always in its group (see service.benchmark.comparator_group): part of the key.
    return _benchmark(db_path(), stamp(), selection.group_id, selection.focus, selection.scaled)


@st.cache_resource(show_spinner=False, max_entries=64)
def _overview(
    path: str, file_stamp: float, group_id: str, focus_for_group: str | None, scaled: bool, period: str, focus: str
) -> Overview:
    cat = _catalogue(path, file_stamp)
    return overview(cat, _benchmark(path, file_stamp, group_id, focus_for_group, scaled), period, focus)


def overview_figures(selection: Selection) -> Overview:
    """Return the Overview's headline figures for the selection (cached; treat as read-only)."""
    return _overview(
        db_path(), stamp(), selection.group_id, selection.focus, selection.scaled, selection.period, selection.focus
    )


# -- the selection: sidebar widgets, session state and the URL -----------------------------


@dataclass(frozen=True)
class Selection:
    """What the user has chosen: focus authority, period, comparator group, display options."""

    focus: str
    focus_name: str
    period: str
    group_id: str
    group_label: str
    group_size: int
    briefing: bool
    scaled: bool = False

    def subtitle(self, extra: str = "") -> str:
        """Return a chart subtitle naming the group, its size and the dataset kind."""
        parts = [f"Comparator group: {self.group_label} ({self.group_size})"]
        if extra:
            parts.append(extra)
        return ". ".join(parts)


_PARAMS = ("focus", "period", "group", "briefing")
"""Selection keys; each is kept in session state as ``sel_<key>`` (which survives page
switches, unlike widget state) and mirrored in the URL query string as ``<key>``."""


def _initial(key: str, options: list[str], default: str) -> str:
    """Return the kept value, else the URL's value if valid, else the default."""
    kept = st.session_state.get(f"sel_{key}")
    if kept in options:
        return kept
    from_url = st.query_params.get(key)
    return from_url if from_url in options else default


def _keep(key: str, widget_key: str) -> None:
    """Widget callback: copy the widget's new value into the kept selection."""
    st.session_state[f"sel_{key}"] = st.session_state[widget_key]


def _widget(kind, label: str, key: str, widget_key: str | None = None, **kwargs):
    """Draw a widget whose value is the kept selection and that updates it when changed."""
    widget_key = widget_key or f"w_{key}"
    st.session_state[widget_key] = st.session_state[f"sel_{key}"]
    return kind(label, key=widget_key, on_change=_keep, args=(key, widget_key), **kwargs)


def sidebar() -> Selection:
    """Draw the shared controls (in app.py, so they persist across pages) and return the selection."""
    cat = catalogue()
    authorities = cat.authorities
    codes = list(authorities["code"])
    names = dict(zip(authorities["code"], authorities["name"]))
    periods = cat.period_labels
    if not periods:
        st.error("The store holds no indicator values yet: load some on the Data import page.")
        st.stop()

    if "sel_briefing" not in st.session_state:
        st.session_state["sel_briefing"] = st.query_params.get("briefing") == "1"
    st.session_state["sel_focus"] = _initial("focus", codes, cat.default_focus())
    st.session_state["sel_period"] = _initial("period", periods, cat.default_period or periods[-1])
    groups = available_groups(authorities, cat.comparator_groups, st.session_state["sel_focus"])
    group_labels = dict(zip(groups["id"], groups["label"] + " (" + groups["size"].astype(str) + ")"))
    st.session_state["sel_group"] = _initial("group", list(groups["id"]), "all")

    with st.sidebar:
        st.header("Compare")
        _widget(st.selectbox, "Focus authority", "focus", options=codes, format_func=lambda c: names.get(c, c))
        _widget(st.selectbox, "Period", "period", options=periods)
        _widget(
            st.selectbox, "Comparator group", "group", options=list(group_labels), format_func=lambda g: group_labels[g]
        )
        if not st.session_state["sel_briefing"]:  # in briefing mode the toggle moves to the page top
            _widget(
                st.toggle,
                "Briefing mode (for the projector)",
                "briefing",
                help="Hides these controls and enlarges titles and axis text; "
                "switch off with the toggle at the top of the page.",
            )
        st.caption(f"Data: {_dataset_line(cat)}")

    for key in _PARAMS:
        value = st.session_state[f"sel_{key}"]
        value = ("1" if value else "0") if key == "briefing" else value
        if st.query_params.get(key) != value:
            st.query_params[key] = value

    group_id = st.session_state["sel_group"]
    focus = st.session_state["sel_focus"]
    try:
        group = comparator_group(cat, group_id, focus)
    except BenchmarkingError as error:
        st.error(str(error))
        st.stop()
    return Selection(
        focus=focus,
        focus_name=names[focus],
        period=st.session_state["sel_period"],
        group_id=group_id,
        group_label=group.label,
        group_size=group.size,
        briefing=bool(st.session_state["sel_briefing"]),
    )


def current_selection() -> Selection:
    """Draw the shared sidebar and return the selection; every page starts with this call.

    The sidebar is drawn by the page rather than by app.py because Streamlit can run a page
    script on its own (its legacy ``pages/`` folder mode, see pages/_navigation.py); drawing
    it here keeps the controls identical either way. ``ensure_entry_run`` reruns through
    app.py when this run did not start there.
    """
    ensure_entry_run()
    return sidebar()  # app.py has already made sure the store exists, once per run


def _dataset_line(cat: Catalogue) -> str:
    if cat.is_demo:
        return f"{DEMO_LABEL} (generated)"
    if cat.settings.get("dataset_label"):  # a build names its whole dataset (build-public does)
        return cat.settings["dataset_label"]
    names = cat.datasets["name"].head(3).tolist()
    return "; ".join(map(str, names))


def apply_briefing_mode(selection: Selection) -> None:
    """In briefing mode: hide the sidebar, enlarge headings, and offer a way back."""
    if not selection.briefing:
        return
    st.markdown(
        """<style>
        [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"] {display: none;}
        .block-container {padding-top: 4rem; max-width: 1880px;}  /* clear of the 3.75rem app header */
        h1 {font-size: 2.6rem !important;}
        h2, h3 {font-size: 2rem !important;}
        [data-testid="stMetricValue"] {font-size: 3rem !important;}
        [data-testid="stMetricLabel"] p {font-size: 1.4rem !important;}
        .stMarkdown p, .stCaption p {font-size: 1.35rem !important;}
        </style>""",
        unsafe_allow_html=True,
    )
    _widget(
        st.toggle,
        "Briefing mode",
        "briefing",
        widget_key="w_briefing_main",
        help="Switch off to show the controls again.",
    )


BASE_CSS = """<style>
/* Captions and widget help in Streamlit's default grey (#828180) fall short of WCAG's 4.5:1. */
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] *, .stCaption, .stCaption *,
[data-testid="stWidgetLabel"] p, [data-testid="stMetricLabel"] p {color: #4A4A4A !important; opacity: 1 !important;}
/* Keyboard focus always visible (WCAG 2.4.7): Streamlit shows only a faint tint on page links and
   list options, nothing on the main area, and drops a selectbox's frame after a choice. */
[data-testid="stSidebarNavLink"]:focus-visible, [data-testid="stMain"]:focus-visible, a:focus-visible,
button:focus-visible {outline: 3px solid #1F4E79 !important; outline-offset: -3px !important;}
[role="option"][data-focused="true"] {outline: 3px solid #1F4E79 !important; outline-offset: -3px !important;}
[data-testid="stSelectbox"]:focus-within, [data-testid="stMultiSelect"]:focus-within
    {outline: 3px solid #1F4E79 !important; outline-offset: 3px !important; border-radius: 4px;}
</style>"""


def page_header(page: str, selection: Selection) -> None:
    """Draw the registered title of ``page`` (its file stem), the selection in words, and the demo banner."""
    apply_briefing_mode(selection)
    st.title(title_of(page))
    # Positions hold a row for every group member with figures that period (ranked or not).
    positions = benchmark(selection).positions
    present = set(positions.loc[positions["period"] == selection.period, "authority_code"])
    existed = f"; {len(present)} with figures for {selection.period}" if 0 < len(present) < selection.group_size else ""
    st.caption(
        f"**{selection.focus_name}** · {selection.period} · comparator group: "
        f"{selection.group_label} ({selection.group_size} authorities{existed})"
    )
    demo_banner()


def demo_banner() -> None:
    """Say plainly what data is on screen: the illustrative demo, or the named real sources."""
    cat = catalogue()
    if not cat.is_demo:
        label = cat.settings.get("dataset_label") or _dataset_line(cat)
        sources = cat.settings.get("sources")
        st.caption(f"**Data:** {escape(label)}" + (f". Sources: {escape(sources)}" if sources else ""))
        return
    if cat.is_demo:
        st.warning(
            f"**{DEMO_LABEL.capitalize()}.** The values are invented by the project's own generator "
            "(except Leicestershire's published 2020/21 and 2021/22 dashboard values); "
            "they are not real performance figures.",
            icon=":material/science:",
        )


@st.cache_resource(show_spinner="Preparing the briefing ...", max_entries=8)
def _briefing(path: str, file_stamp: float, group_id: str, focus_for_group: str | None, focus: str, period: str):
    from benchmarking.briefing.pack import build_briefing

    cat = _catalogue(path, file_stamp)
    bench = _benchmark(path, file_stamp, group_id, focus_for_group, False)
    return build_briefing(cat, bench, period, focus)


def briefing(selection: Selection):
    """Return the Cabinet briefing for the selection (cached; treat as read-only)."""
    return _briefing(db_path(), stamp(), selection.group_id, selection.focus, selection.focus, selection.period)


def briefing_file(selection: Selection, kind: str) -> bytes:
    """Return the briefing as 'pptx' or 'pdf' bytes (built on demand, when the user clicks)."""
    from benchmarking.briefing.pack import chart_images

    built = briefing(selection)
    images = chart_images(built)
    if kind == "pptx":
        from benchmarking.briefing.pptx import to_pptx

        return to_pptx(built, images)
    from benchmarking.briefing.pdf import to_pdf

    return to_pdf(built, images)


# -- charts and downloads ---------------------------------------------------------------------


def slug(text: str) -> str:
    """Return a file-name-safe version of a title."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80] or "chart"


def draw_chart(chart: alt.TopLevelMixin, width: str = "content") -> None:
    """Draw an Altair chart with our own sizes and palette (not the app theme).

    The spec is built without Altair's schema validation (st.altair_chart validates on
    every rerun, ~0.1 s a chart); the chart builders' specs are validated in the tests.
    """
    st.vega_lite_chart(chart.to_dict(validate=False), width=width, theme=None)


def show_chart(chart: alt.TopLevelMixin, data: pd.DataFrame, name: str, key: str, summary: str | None = None) -> None:
    """Draw a chart with its text summary, a data-table alternative, and PNG and CSV downloads.

    The summary (the chart's main message in words) and the table make the chart usable
    without seeing it (WCAG 1.1.1); both are built from the same data as the chart.
    """
    if summary:
        st.markdown(f"**In words:** {escape(summary)}")
    draw_chart(chart)
    left, middle, _right = st.columns([1, 1, 1])
    # Rendered only when the PNG is asked for (charts.to_png caches it per spec).
    left.download_button(
        "Download chart (PNG)",
        data=lambda: charts.to_png(chart),
        file_name=f"{slug(name)}.png",
        mime="image/png",
        key=f"png-{key}",
        on_click="ignore",
    )
    middle.download_button(
        "Download data (CSV)",
        data=data.to_csv(index=False).encode("utf-8"),
        file_name=f"{slug(name)}.csv",
        mime="text/csv",
        key=f"csv-{key}",
        on_click="ignore",
    )
    with st.expander(f"Data table: {name}"):
        st.dataframe(data, hide_index=True, width="stretch")


def style(selection: Selection) -> charts.ChartStyle:
    """Return the chart sizes for the current display mode."""
    return charts.style_for(selection.briefing)


def escape(text: object) -> str:
    """Return text safe to put inside Markdown/HTML (user data is never markup)."""
    return html.escape(str(text))
