"""Theme rankings page helpers: the league table shaded by quartile, and what the positions rest on."""

from __future__ import annotations

from html import escape as escape_html

import pandas as pd
import streamlit as st

from benchmarking.service.views import focus_positions, position_columns, theme_quartiles, theme_table
from benchmarking.text.formatting import ordinal
from pages._cache import memo, selection_key
from pages._common import Selection, download_csv, escape, slug
from pages._replay import element, per_object
from pages._tables import FOCUS_STYLE, html_table
from pages._view_params import url_choice

QUARTILE_FILL = {1: "#CDE8DE", 2: "#E6F2EC", 3: "#FBEFD6", 4: "#F4D6D1"}
QUARTILE_TEXT = {1: "Q1", 2: "Q2", 3: "Q3", 4: "Q4"}
AUTHORITY = "Authority"


def with_indicator_counts(positions: pd.DataFrame, bench, selection: Selection) -> pd.DataFrame:
    """Return the focus authority's theme positions with ``n_indicators``: its indicators ranked in the basket."""
    counts = focus_positions(bench, selection.period, selection.focus)[["theme", "n_indicators"]]
    return positions.merge(counts, on="theme", how="left")


def draw_basis(positions: pd.DataFrame, selection: Selection) -> None:
    """Draw the basket and balance the positions are over, and the indicators each theme rests on."""
    counts = positions.dropna(subset=["n_indicators"])
    per_theme = "; ".join(f"{row.theme} {int(row.n_indicators):,}" for row in counts.itertuples())
    st.caption(
        f"{escape(selection.basis())}. Indicators ranked for {escape(selection.focus_name)} in "
        f"{escape(selection.period)}: {escape(per_theme) or 'none'}."
    )


def draw_league_table(cat, bench, selection: Selection) -> list[str]:
    """Draw every authority's positions shaded by quartile, sorted by the column the reader chooses (kept in
    the URL), with its CSV; return the position columns."""
    table, theme_columns, shown, styles = memo(
        "league-table", selection_key(selection), lambda: _league_table(cat, bench, selection)
    )
    st.subheader(f"League table, {escape(selection.period)}")
    st.caption(
        "Positions (1 = best) for Overall, LA Core and each theme. Cells are shaded by quartile and "
        "labelled Q1 (top 25%) to Q4; 'no position' = too few indicators. "
        f"{escape(selection.basis())}."
    )
    order = url_choice(
        "selectbox",
        "Sort the league table by",
        "sort",
        [*theme_columns, AUTHORITY],
        key="league_sort",
        help="Positions best first, authorities without a position last; Authority sorts by name, A to Z.",
    )
    # Plain HTML, not a data grid: a first page pays a grid's code, layout and canvas (~0.2-0.5 s of browser
    # time). Built once per kept table and sort order, then replayed (pages._replay).
    markup = per_object("league-html", shown, (order,), lambda: _league_html(table, shown, styles, order))
    element("html", markup)
    download_csv("Download league table (CSV)", table, f"theme-league-table-{slug(selection.period)}.csv")
    return theme_columns


def _league_table(cat, bench, selection: Selection):
    """Return the league table, its position columns, the table as shown (positions in words, labelled by
    quartile) and each shown cell's CSS (shaded by quartile, the focus row marked)."""
    table = theme_table(cat, bench, selection.period)
    theme_columns = position_columns(table)
    quartiles = theme_quartiles(table)  # NaN where a column positions too few authorities for quartiles
    display = table.assign(name=table["name"].where(table["in_group"], table["name"] + " (beside the group)"))
    display = display.rename(columns={"name": AUTHORITY, "kind": "Type"}).drop(columns=["authority_code", "in_group"])
    for column in theme_columns:
        display[column] = [_cell_text(p, q) for p, q in zip(table[column], quartiles[column])]
    return table, theme_columns, display, _cell_styles(table, theme_columns, quartiles, display, selection)


def _cell_text(position, quartile) -> str:
    """Return a position as the table shows it: "3rd · Q1", or "no position"."""
    if pd.isna(position):
        return "no position"
    return " · ".join(filter(None, [ordinal(position), None if pd.isna(quartile) else QUARTILE_TEXT[quartile]]))


def _cell_styles(table, theme_columns: list[str], quartiles: pd.DataFrame, display: pd.DataFrame, selection):
    """Return each shown cell's CSS: its quartile's fill, then on the focus row bold with the focus fill and border."""
    css = pd.DataFrame("", index=display.index, columns=display.columns)
    for column in theme_columns:  # a loop over the few position columns
        fills = quartiles[column].map(lambda q: "" if pd.isna(q) else f"background-color: {QUARTILE_FILL[q]}")
        css[column] = fills.to_numpy()
    focus = (table["authority_code"] == selection.focus).to_numpy()
    focus_css = f"font-weight: bold; {FOCUS_STYLE}"
    # Cell by cell (DataFrame.map): a focus with no row in the period (a council abolished before it) marks none.
    css.loc[focus] = css.loc[focus].map(lambda cell: f"{cell}; {focus_css}" if cell else focus_css)
    return css


def _league_html(table: pd.DataFrame, shown: pd.DataFrame, styles: pd.DataFrame, order: str) -> str:
    """Return the shown league table sorted by ``order`` (a position column best first, ties in Overall order,
    or Authority A-Z) as HTML, in a region the keyboard can focus and scroll."""
    if order == AUTHORITY:
        rows = shown[AUTHORITY].str.casefold().sort_values(kind="stable").index
    else:
        rows = table[order].sort_values(na_position="last", kind="stable").index
    markup = html_table(shown.loc[rows], styles=styles.loc[rows])
    label = escape_html(f"League table, sorted by {order}")
    return f'<div class="league-table" role="region" aria-label="{label}" tabindex="0">{markup}</div>'
