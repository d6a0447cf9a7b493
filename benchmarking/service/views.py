"""Views of positions and indicators for one page: the theme league table and its quartiles,
the focus authority's positions, one indicator's table and series, positions over time."""

from __future__ import annotations

import numpy as np
import pandas as pd

from benchmarking.errors import UnknownIndicatorError
from benchmarking.method.beside import IN_GROUP
from benchmarking.method.positions import LA_CORE, OVERALL
from benchmarking.method.ranking import quartile
from benchmarking.service.benchmark import Benchmark
from benchmarking.service.catalogue import Catalogue
from benchmarking.text.formatting import names_text, number


def theme_table(catalogue: Catalogue, bench: Benchmark, period: str) -> pd.DataFrame:
    """Return authorities as rows and Overall, LA Core and each theme as columns of positions.

    Columns: authority_code, name, kind, in_group (False for the focus authority shown beside
    a group it is not a member of, at the positions it would take), then one Int64 position
    column per theme; best Overall first.
    """
    pos = bench.positions[bench.positions["period"] == period]
    wide = pos.pivot_table(index="authority_code", columns="theme", values="position", aggfunc="first")
    order = [c for c in [OVERALL, LA_CORE] if c in wide.columns] + sorted(
        c for c in wide.columns if c not in (OVERALL, LA_CORE)
    )
    wide = wide[order].astype("Int64")
    names = catalogue.authorities.set_index("code")[["name", "kind"]]
    out = (
        names.join(wide, how="inner")
        .reset_index()
        .rename(columns={"index": "authority_code", "code": "authority_code"})
    )
    out.insert(3, IN_GROUP, out["authority_code"].isin(set(bench.group.members)))
    if OVERALL in out:
        out = out.sort_values(OVERALL, na_position="last", kind="stable")
    return out.reset_index(drop=True)


THEME_TABLE_KEYS = ("authority_code", "name", "kind", IN_GROUP)
"""The columns of a ``theme_table`` before its position columns."""


def position_columns(table: pd.DataFrame) -> list[str]:
    """Return the position columns of a ``theme_table`` (Overall, LA Core, then the themes), in its order."""
    return [column for column in table.columns if column not in THEME_TABLE_KEYS]


def theme_quartiles(table: pd.DataFrame) -> pd.DataFrame:
    """Return the quartile (1.0-4.0, NaN when none) of every position in a ``theme_table``:
    same rows, one column per theme, counting the members positioned in each column (a row
    beside the group, ``in_group`` False, gets the quartile it would have had it been included)."""
    themes = position_columns(table)
    members = table[IN_GROUP].to_numpy(dtype=bool) if IN_GROUP in table else np.ones(len(table), dtype=bool)
    columns = {}
    for theme in themes:
        position = table[theme].to_numpy(dtype=float, na_value=np.nan)
        n = int((~np.isnan(position) & members).sum())
        columns[theme] = np.where(members, quartile(position, n), quartile(position, n + 1))
    return pd.DataFrame(columns, index=table.index)


def focus_positions(bench: Benchmark, period: str, focus: str) -> pd.DataFrame:
    """Return the focus authority's rows of ``positions`` for the period (one per theme)."""
    pos = bench.positions
    return pos[(pos["period"] == period) & (pos["authority_code"] == focus)].reset_index(drop=True)


def theme_indicator_ids(indicators: pd.DataFrame, theme: str) -> set[str]:
    """Return the ids of the ranked indicators a theme, Overall or LA Core position is built from."""
    ranked = (indicators["polarity"] != "none").to_numpy(dtype=bool, na_value=True)  # masks: no frame is copied
    if theme == LA_CORE:
        ranked = ranked & indicators["is_core"].fillna(False).astype(bool).to_numpy()
    elif theme != OVERALL:
        ranked = ranked & (indicators["theme"] == theme).to_numpy(dtype=bool, na_value=False)
    return set(indicators["id"].array[ranked])


def indicator_view(catalogue: Catalogue, bench: Benchmark, indicator_id: str, period: str, focus: str) -> pd.DataFrame:
    """Return every group authority's value, rank and quartile on one indicator in one period.

    Columns: authority_code, name, kind, value, rank, n_ranked, quartile, is_focus, in_group
    (False for the focus authority shown beside a group it is not in: its rank is the one it
    would have had, ``n_ranked`` counts the members), source_period (the published period
    the value comes from), years_older, status; best first.
    """
    if indicator_id not in set(catalogue.indicators["id"]):
        raise UnknownIndicatorError(f"no indicator with id {indicator_id!r} in the store")
    rows = bench.ranks[(bench.ranks["indicator_id"] == indicator_id) & (bench.ranks["period"] == period)]
    rows = rows.merge(catalogue.authorities[["code", "name", "kind"]], left_on="authority_code", right_on="code")
    values = catalogue.reporting_values
    used = values[(values["indicator_id"] == indicator_id) & (values["period"] == period)]
    rows = rows.merge(
        used[["authority_code", "source_period", "years_older", "status"]], on="authority_code", how="left"
    )
    rows["is_focus"] = rows["authority_code"] == focus
    columns = [
        "authority_code",
        "name",
        "kind",
        "value",
        "rank",
        "n_ranked",
        "quartile",
        "is_focus",
        IN_GROUP,
        "source_period",
        "years_older",
        "status",
    ]
    # A member and the authority beside the group on the same rank: the member first.
    rows = rows.assign(beside_last=~rows[IN_GROUP])
    rows = rows.sort_values(["rank", "beside_last", "name"], na_position="last")
    return rows[columns].reset_index(drop=True)


def indicator_series(catalogue: Catalogue, bench: Benchmark, indicator_id: str, focus: str) -> pd.DataFrame:
    """Return per published period of the indicator: the focus authority's value and the
    group's median and quartiles (the publisher's own periods, so no year is shown twice).
    The median and quartiles are the members'; a focus beside the group adds only its line.

    Columns: period, period_start, focus_value, median, lower_quartile, upper_quartile, n.
    """
    values = catalogue.values
    rows = values[(values["indicator_id"] == indicator_id) & values["authority_code"].isin(set(bench.group.shown))]
    stats = (
        rows[rows["authority_code"].isin(set(bench.group.members))]
        .groupby(["period", "period_start"])["value"]
        .agg(
            median="median",
            lower_quartile=lambda v: v.quantile(0.25),
            upper_quartile=lambda v: v.quantile(0.75),
            n="count",
        )
        .reset_index()
    )
    focus_rows = rows[rows["authority_code"] == focus][["period", "value"]].rename(columns={"value": "focus_value"})
    return stats.merge(focus_rows, on="period", how="left").sort_values("period_start").reset_index(drop=True)


def trend_view(catalogue: Catalogue, bench: Benchmark, themes: list[str], codes: list[str]) -> pd.DataFrame:
    """Return positions over every period for the given themes and authorities, with names;
    themes in the order given, then authorities A-Z, then periods oldest first."""
    pos = bench.positions[bench.positions["theme"].isin(themes) & bench.positions["authority_code"].isin(codes)]
    pos = pos.merge(catalogue.authorities[["code", "name"]], left_on="authority_code", right_on="code")
    order = {theme: i for i, theme in enumerate(themes)}
    pos = pos.assign(theme_order=pos["theme"].map(order))
    return (
        pos.drop(columns="code")
        .sort_values(["theme_order", "name", "period_start"])
        .drop(columns="theme_order")
        .reset_index(drop=True)
    )


def best_in_words(view: pd.DataFrame, unit: str | None) -> str:
    """Return the group's best on one indicator (``indicator_view``) in words: every member ranked 1st (ties share
    the rank) and the value, "County Durham and Northumberland (8.2)"; "" when no member is ranked."""
    members = view[IN_GROUP].to_numpy(dtype=bool) if IN_GROUP in view else np.ones(len(view), dtype=bool)
    best = view[members & (view["rank"] == 1).to_numpy(dtype=bool, na_value=False)]
    if best.empty:
        return ""
    return f"{names_text(best['name'])} ({number(best['value'].iloc[0], unit)})"


POLARITY_WORDS = {
    "high": "higher is better",
    "low": "lower is better",
    "target": "closest to the target mid-point is best",
    "none": "context only (not ranked)",
}
"""Each polarity in words (``polarity_text`` names a target's mid-point)."""


def target_of(polarity: str, midpoint) -> float | None:
    """Return the target mid-point an indicator is ranked against (``polarity`` target), else None."""
    return float(midpoint) if polarity == "target" and midpoint is not None and not pd.isna(midpoint) else None


def polarity_text(polarity: str, midpoint=None, unit: str | None = None) -> str:
    """Return the polarity in words, a target's mid-point with its unit: "closest to the target mid-point (22) is
    best", "higher is better"."""
    target = target_of(polarity, midpoint)
    if target is not None:
        return f"closest to the target mid-point ({number(target, unit)}) is best"
    return POLARITY_WORDS.get(polarity, str(polarity))
