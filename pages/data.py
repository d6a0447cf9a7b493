"""Data: the dataset in use, its provenance and coverage, and CSV downloads of the tables."""

from __future__ import annotations

import streamlit as st

from benchmarking.service.data_admin import period_coverage
from benchmarking.text.formatting import counted
from pages._access import require_editor
from pages._baskets import basket_builder, basket_list
from pages._cache import catalogue, datasets, db_path, memo, stamp, summary
from pages._common import current_selection, download_csv, escape, page_header
from pages._groups import group_builder, group_list
from pages._layout import opened_section
from pages._notes_section import add_note_form, draw_notes
from pages._replay import element, per_object
from pages._tables import static_table

selection = current_selection()
page_header("data", selection)
path = db_path()
info = summary(path, stamp())
history = datasets(path, stamp())
cat = catalogue()

st.markdown(
    "How do we perform against the other English county areas, and what do we spend to get "
    "there? Every indicator is ranked across the comparator group (1 = best), ranks are "
    "averaged by theme, and performance is set against spend per head."
)
st.subheader("Dataset in use")
loads = history[history["kind"] != "settings"] if "kind" in history else history
if cat.settings.get("dataset_label"):
    st.markdown(
        f"**{escape(cat.dataset_label)}**"
        + (f", built {loads.iloc[0]['loaded_at']:%d %b %Y %H:%M}" if len(loads) else "")
    )
elif len(loads):
    latest = loads.iloc[0]
    st.markdown(f"**{escape(latest['name'])}** ({escape(latest['kind'])}), loaded {latest['loaded_at']:%d %b %Y %H:%M}")
    if latest["source"]:
        st.caption(f"Source: {escape(latest['source'])}")
published = info.periods
periods = cat.period_labels
cols = st.columns(4)
cols[0].metric("Authorities", f"{info.authorities:,}")
cols[1].metric("Indicators", f"{info.indicators:,}", help=f"in {len(info.themes)} themes")
cols[2].metric(
    "Values",
    f"{info.values:,}",
    help=f"Figures held; {info.missing_values:,} more are missing (the Indicator values CSV lists them too)",
)
cols[3].metric(
    "Reporting periods", f"{len(periods)}", help=f"{escape(periods[0])} to {escape(periods[-1])}" if periods else "none"
)
if periods:
    st.caption(
        f"Reporting periods {escape(periods[0])} to {escape(periods[-1])}"
        + (
            f", made of {len(published)} periods as the publishers label them (see the method in the "
            "README: data currency)"
            if len(published) != len(periods)
            else ""
        )
        + f". Store: {escape(path)}"
    )

st.subheader(f"Coverage in {escape(selection.period)}")
coverage_of = lambda: period_coverage(cat.reporting_values, cat.indicators, cat.authorities, selection.period)  # noqa: E731
coverage = memo("data-coverage", (path, stamp(), selection.period), coverage_of)  # the group does not change it
st.caption(
    f"Each indicator's figures for {escape(selection.period)} are its latest published for that period or up to "
    "two periods before (Older figures counts those); Provisional and Revised count indicators with "
    "figures of that status."
)
COVERAGE_WORDS = {"indicators": "Indicators", "with_values": "With values", "values": "Values"}
COVERAGE_WORDS |= {"older": "Older figures", "provisional": "Provisional", "revised": "Revised"}
by_theme = per_object(
    "coverage-words",
    coverage.by_theme,
    (),
    lambda: coverage.by_theme.rename(columns=COVERAGE_WORDS).rename_axis("Theme"),
)
static_table(by_theme, index=True)  # a few rows read whole: plain HTML, kept per period and replayed
# The page's other tables and its editing forms are drawn when their section is opened: each grid and form
# costs the browser its code, layout and first paint (the page was among the slowest to appear).


def _missing() -> None:
    left, right = st.columns(2)
    left.caption("Missing values per authority")
    element("dataframe", coverage.missing_by_authority, left, hide_index=True, width="stretch", height=300)
    right.caption("Missing values per indicator")
    element("dataframe", coverage.missing_by_indicator, right, hide_index=True, width="stretch", height=300)


opened_section("Missing values per authority and per indicator", "data_missing", _missing)

st.subheader("Download the tables")
cols = st.columns(4)
for col, (label, frame) in zip(
    cols * 2,
    [
        ("authorities", cat.authorities),
        ("indicators", cat.indicators),
        ("indicator values", cat.values.drop(columns="period_start")),
        ("spend", cat.spend),
        ("funding", cat.funding),
        ("deprivation", cat.deprivation),
    ],
):
    download_csv(f"{label.capitalize()} (CSV)", frame, f"{label.replace(' ', '_')}.csv", f"download-{label}", col)
held = int(cat.values["value"].notna().sum())
st.caption(
    f"Indicator values (CSV): {counted(len(cat.values), 'row')}, the {held:,} figures held and the "
    f"{len(cat.values) - held:,} missing, each with an empty value."
)
opened_section("Load history", "data_history", lambda: element("dataframe", history, hide_index=True))

basket_list(cat)
group_list(cat, selection.period)
draw_notes(cat, path)
require_editor("data")  # viewers see the notes; the form that adds one is for editors
opened_section("Add a note", "data_add_note", lambda: add_note_form(cat, path))
opened_section("Build, rename, delete or import a basket", "data_basket_builder", lambda: basket_builder(cat))
opened_section("Build or delete a comparator group", "data_group_builder", lambda: group_builder(cat))
