"""Indicator explorer: one indicator's values across the group, and the focus authority's history."""

from __future__ import annotations

import streamlit as st

from benchmarking import charts
from benchmarking.method import currency
from benchmarking.method.notes import notes_for
from benchmarking.method.periods import as_reported
from benchmarking.service.views import best_in_words, indicator_series, indicator_view, polarity_text, target_of
from benchmarking.text.formatting import number, older_figures_text, position_text, published_for
from benchmarking.text.tables import glossary_line
from pages._cache import memo, selection_key
from pages._common import benchmark, catalogue, current_selection, escape, page_header, show_chart, style
from pages._indicator_choice import choose_indicator


def with_target(table):
    """Return a chart's table with the target mid-point as a column, for a target indicator (the CSV says it)."""
    return table if target is None else table.assign(target_midpoint=target)


selection = current_selection()
page_header("indicator", selection)
cat = catalogue()
bench = benchmark(selection)

ranks = bench.ranks  # the basket's indicators: the chooser opens on the first with figures in the period
current = memo(
    "indicator-current",
    selection_key(selection),
    lambda: set(ranks.loc[ranks["period"] == selection.period, "indicator_id"]),
)
indicator_id = choose_indicator(cat, current)
meta = cat.indicators.set_index("id").loc[indicator_id]
key = (selection_key(selection), indicator_id, selection.briefing)
view = memo("indicator-view", key, lambda: indicator_view(cat, bench, indicator_id, selection.period, selection.focus))
ranked = view.dropna(subset=["rank"])
focus = view[view["is_focus"]]
unit = meta["unit"] if isinstance(meta["unit"], str) else None
target = target_of(meta["polarity"], meta["target_midpoint"])  # a rule on the charts, a column in the CSVs
polarity = polarity_text(meta["polarity"], target, unit)

st.markdown(
    f"**{escape(meta['name'])}** · {escape(meta['theme'])} · unit: {escape(unit or 'n/a')} · "
    f"polarity: {escape(polarity)}"
)
if glossary := glossary_line([meta["name"], meta["description"] or ""]):  # abbreviations spelled out
    st.caption(escape(f"Abbreviations: {glossary}."))
if len(focus) and focus["rank"].notna().iloc[0]:
    st.metric(
        f"{escape(selection.focus_name)}, {escape(selection.period)}",
        number(focus["value"].iloc[0], unit),
        help="Rank among the authorities with a value",
    )
    st.caption(
        ("Would rank " if selection.beside_note else "Ranked ")
        + f"{position_text(focus['rank'].iloc[0], focus['n_ranked'].iloc[0])}"
        + (" (beside the group, not ranked in it)" if selection.beside_note else "")
        + (f", quartile {int(focus['quartile'].iloc[0])}" if focus["quartile"].notna().iloc[0] else "")
    )
else:
    st.info(f"{escape(selection.focus_name)} has no value for this indicator in {escape(selection.period)}.")

used = view.dropna(subset=["value"])
if len(used):
    # the publisher's 2021-22 written as the reporting period 2021/22 in the words and title (the CSV keeps it)
    source = as_reported([used["source_period"].mode().iloc[0]], bench.ranks["period"].unique())[0]
    years = int(used["years_older"].max())
    if years:
        st.warning(
            escape(older_figures_text("for this indicator are", source, years, selection.period)),
            icon=":material/history:",
        )
    flagged = used[used["status"].isin(["provisional", "revised"])]
    for status, group in flagged.groupby("status"):
        st.caption(f"**{escape(status.capitalize())}** figures ({escape(source)}): {escape(', '.join(group['name']))}.")
context_notes = notes_for(cat.notes, indicator_id=indicator_id, period=selection.period)
for record in context_notes.itertuples():
    who = "" if record.authority_code == "*" else f" ({escape(cat.authority_name(record.authority_code))})"
    st.info(f"**Note{who}:** {escape(record.note)}", icon=":material/sticky_note_2:")
if ranked.empty:
    published = (
        cat.values.loc[
            (cat.values["indicator_id"] == indicator_id) & cat.values["value"].notna(), ["period", "period_start"]
        ]
        .drop_duplicates()
        .sort_values("period_start")
    )
    gap = cat.calendar.order_of(selection.period) - published["period"].map(cat.calendar.order_of)
    too_old = published[gap > currency.MAX_YEARS_OLDER]
    st.info(
        f"No authority in the group has a value in {escape(selection.period)}."
        + (
            f" The latest figures published before it are for {escape(too_old['period'].iloc[-1])}, more than "
            f"{currency.MAX_YEARS_OLDER} periods earlier, so they are too old to rank here."
            if len(too_old) and not (gap.between(0, currency.MAX_YEARS_OLDER)).any()
            else ""
        )
    )
else:
    title = f"{meta['name']}, {selection.period}" + (  # a PNG says the year its figures are for, as the page does
        f": {published_for(source, older=True)} figures" if len(used) and years else ""
    )
    subtitle = selection.subtitle(f"Best at the top ({polarity}); {charts.FOCUS_MARK} = {selection.focus_name}")
    chart, table = memo(
        "indicator-bars",
        key,
        lambda: (
            charts.indicator_bar_chart(view, title, subtitle, unit, style=style(selection), target=target),
            with_target(view.drop(columns="is_focus")),
        ),
    )
    best = best_in_words(view, unit)  # every member ranked 1st: ties share the rank
    summary = (f"Best: {best}. " if best else "") + (
        f"{selection.focus_name}: {number(focus['value'].iloc[0], unit)}, ranked "
        f"{position_text(focus['rank'].iloc[0], focus['n_ranked'].iloc[0])}."
        if len(focus) and focus["rank"].notna().iloc[0]
        else f"{selection.focus_name} has no value."
    )
    show_chart(chart, table, title, key="indicator-bars", summary=summary)
    missing = view[view["value"].isna()]["name"].tolist()
    if missing:
        st.caption(f"No value (not ranked): {escape(', '.join(missing))}.")

series = memo("indicator-series", key, lambda: indicator_series(cat, bench, indicator_id, selection.focus))
if len(series) > 1:
    title = f"{meta['name']}: {selection.focus_name} against the group over time"
    subtitle = selection.subtitle("Shaded band: middle 50% of the group")
    chart = memo(
        "indicator-series-chart",
        key,
        lambda: charts.indicator_series_chart(
            series, selection.focus_name, title, subtitle, unit, style=style(selection), target=target
        ),
    )
    last = series.iloc[-1]
    summary = (
        f"In {last['period']}, {selection.focus_name}: {number(last['focus_value'], unit)}; group median "
        f"{number(last['median'], unit)} (middle half {number(last['lower_quartile'], unit)} to "
        f"{number(last['upper_quartile'], unit)})."
    )
    show_chart(chart, with_target(series), title, key="indicator-series", summary=summary)

with st.expander("Source and definition"):
    st.markdown(f"**Source:** {escape(meta['source'] or 'not recorded')}")
    st.markdown(f"**Definition:** {escape(meta['description'] or 'not recorded')}")
    if target is not None:
        st.markdown(f"**Target mid-point:** {escape(number(target, unit))} (the value closest to it ranks best)")
    st.markdown(f"**Counts towards LA Core:** {'yes' if meta['is_core'] else 'no'}")
