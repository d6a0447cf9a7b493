"""Theme rankings page helpers: the league table shaded by quartile, and what the positions rest on."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from benchmarking.service.views import focus_positions, theme_quartiles, theme_table
from benchmarking.text.formatting import ordinal
from pages._cache import memo, selection_key
from pages._common import Selection, download_csv, escape, slug
from pages._tables import FOCUS_STYLE, grid_or_table

QUARTILE_FILL = {1: "#CDE8DE", 2: "#E6F2EC", 3: "#FBEFD6", 4: "#F4D6D1"}
QUARTILE_TEXT = {1: "Q1", 2: "Q2", 3: "Q3", 4: "Q4"}


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
    """Draw every authority's positions shaded by quartile, with its CSV; return the position columns."""
    table, theme_columns, styler = memo(
        "league-table", selection_key(selection), lambda: _league_table(cat, bench, selection)
    )
    st.subheader(f"League table, {escape(selection.period)}")
    st.caption(
        "Positions (1 = best) for Overall, LA Core and each theme. Cells are shaded by quartile and "
        "labelled Q1 (top 25%) to Q4; 'no position' = too few indicators. Click a column to sort. "
        f"{escape(selection.basis())}."
    )
    grid_or_table(styler, width="stretch", height=min(38 * (len(table) + 1), 1250))
    download_csv("Download league table (CSV)", table, f"theme-league-table-{slug(selection.period)}.csv")
    return theme_columns


def _league_table(cat, bench, selection: Selection):
    """Return the league table, its position columns and the table as shown (a Styler: shaded, labelled)."""
    table = theme_table(cat, bench, selection.period)
    theme_columns = [c for c in table.columns if c not in ("authority_code", "name", "kind", "in_group")]
    quartiles = theme_quartiles(table)  # NaN where a column positions too few authorities for quartiles
    display = table.assign(name=table["name"].where(table["in_group"], table["name"] + " (beside the group)"))
    display = display.rename(columns={"name": "Authority", "kind": "Type"}).drop(columns=["authority_code", "in_group"])
    css = _cell_styles(table, theme_columns, quartiles, display, selection)
    # Kept with the table: drawn once and replayed (pages._replay); briefing mode styles a copy of it.
    return table, theme_columns, _shaded(table, theme_columns, quartiles, display, css)


def _cell_styles(table, theme_columns: list[str], quartiles: pd.DataFrame, display: pd.DataFrame, selection):
    """Return each shown cell's CSS: its quartile's fill, then on the focus row bold with the focus fill and border."""
    css = pd.DataFrame("", index=display.index, columns=display.columns)
    for column in theme_columns:  # a loop over the few position columns
        fills = quartiles[column].map(lambda q: "" if pd.isna(q) else f"background-color: {QUARTILE_FILL[q]}")
        css[column] = fills.to_numpy()
    focus = (table["authority_code"] == selection.focus).to_numpy()
    focus_css = f"font-weight: bold; {FOCUS_STYLE}"
    css.loc[focus] = css.loc[focus].apply(lambda cells: [f"{c}; {focus_css}" if c else focus_css for c in cells])
    return css


def _shaded(table: pd.DataFrame, theme_columns: list[str], quartiles: pd.DataFrame, display: pd.DataFrame, css):
    """Return the shown table's Styler: cells shaded and labelled by quartile, the focus row marked (``css``)."""
    # Within a column the quartile follows from the position, so each cell's label can look it up.
    quartile_of = {column: dict(zip(table[column], quartiles[column])) for column in theme_columns}
    styler = display.style.apply(lambda _: css, axis=None)
    for column in theme_columns:
        styler = styler.format(
            lambda p, q=quartile_of[column]: " · ".join(filter(None, [ordinal(p), QUARTILE_TEXT.get(q.get(p))])),
            subset=[column],
            na_rep="no position",  # an empty display value would show the raw cell, "None"
        )
    return styler
