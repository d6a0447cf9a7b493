"""The tables the Beyond ranks page draws: rank intervals, theme weights, value for money,
similar authorities and significant change, shaped from the method's results for one
selection (focus authority, period, comparator group, basket and balance). The page only draws them.

Every figure starts from the engine's own positions for the selection: the bootstrap, the theme
weights, leave-one-theme-out and the value-for-money scores take the benchmark's basket (its
indicators and weights), balance, scaling and coverage rule from the ``Benchmark`` itself
(``engine_rule``), never their own defaults."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from benchmarking.method import sensitivity, similarity, uncertainty, value_for_money
from benchmarking.method.baskets import INDICATORS, THEMES, WEIGHTED, balance_text
from benchmarking.method.positions import OVERALL
from benchmarking.service.benchmark import Benchmark
from benchmarking.service.catalogue import Catalogue
from benchmarking.service.context_views import context_ranks
from benchmarking.text.formatting import money, position_text

SIGNIFICANCE_COLUMNS = ["name", "theme", "assessment", "direction", "previous_period", "previous_value", "value"]


def focus_row(table: pd.DataFrame, focus: str) -> pd.Series | None:
    """Return the focus authority's first row of ``table``, or None when it has none."""
    mine = table[table["authority_code"] == focus]
    return mine.iloc[0] if len(mine) else None


def engine_rule(bench: Benchmark) -> dict:
    """Return how the benchmark's positions are averaged, as keyword arguments of the method's functions:
    ``scaled``, ``min_coverage``, ``basket`` and ``balance``."""
    return {
        "scaled": bool(bench.options.get("scaled", False)),
        "min_coverage": float(bench.options.get("min_coverage", 0.5)),
        "basket": bench.basket,
        "balance": bench.balance,
    }


# -- 1. rank uncertainty ------------------------------------------------------------------------


def bootstrap(bench: Benchmark, indicators: pd.DataFrame, period: str, n_replicates: int):
    """Return the bootstrap of the benchmark's positions in ``period`` (``uncertainty.BootstrapPositions``):
    its point positions are the engine's for the benchmark's basket and balance."""
    return uncertainty.bootstrap_positions(bench.ranks, indicators, period, n_replicates, **engine_rule(bench))


def named_intervals(intervals: pd.DataFrame, names: dict[str, str], focus: str) -> pd.DataFrame:
    """Return the bootstrap intervals with each authority's name (its code when unnamed) and a focus flag."""
    named = intervals.copy()
    named["name"] = named["authority_code"].map(names).fillna(named["authority_code"])
    named["is_focus"] = named["authority_code"] == focus
    return named


def focus_intervals(intervals: pd.DataFrame) -> pd.DataFrame:
    """Return the focus authority's interval rows of ``named_intervals``, indexed by theme."""
    return intervals[intervals["is_focus"]].set_index("theme")


def focus_interval_table(focus_rows: pd.DataFrame) -> pd.DataFrame:
    """Return one row per theme: the focus's position and interval in words, average rank and share positioned."""
    table = focus_rows.reset_index()
    table["position and interval"] = [
        uncertainty.interval_text(row.position, row.lower, row.upper, row.n_positioned, row.level)
        for row in table.itertuples()
    ]
    return table[["theme", "position and interval", "average_rank", "share_positioned"]]


def overlapping_shares(
    boot: uncertainty.BootstrapPositions, focus: str, theme: str, focus_rows: pd.DataFrame, names: dict[str, str]
) -> pd.DataFrame:
    """Return, for each authority whose interval overlaps the focus's, how often the focus is ahead, level or behind."""
    shares = uncertainty.ahead_shares(boot, focus, theme)
    low, high = focus_rows.loc[theme, "lower"], focus_rows.loc[theme, "upper"]
    near = shares[(shares["upper"] >= low) & (shares["lower"] <= high)].copy()
    near.insert(0, "authority", near["authority_code"].map(names))
    return near.drop(columns=["authority_code", "n_compared"])


# -- 2. theme weights -----------------------------------------------------------------------------


def theme_weighted(bench: Benchmark, indicators: pd.DataFrame, period: str, weights: dict) -> pd.DataFrame:
    """Return ``sensitivity.theme_weighted_positions`` of the benchmark: each theme weighted by ``weights``
    (1 when not named) over the basket's own weights and balance, beside the engine's position."""
    return sensitivity.theme_weighted_positions(bench.ranks, indicators, period, weights, **engine_rule(bench))


def weights_words(bench: Benchmark) -> tuple[str, str]:
    """Return (the section's Markdown introduction, the shares chart's rule) for how the benchmark's Overall
    weighs its themes: every indicator once, by the basket's weights, or every theme once."""
    ending = (
        "with every theme weight 1 the Overall position the other pages show comes back exactly. "
        "Set a theme to 0 to leave it out."
    )
    if bench.balance == THEMES:
        return (
            "Here **every theme counts once**: the Overall position averages the themes' average ranks. "
            f"A theme weight is that theme's weight in this average; {ending}",
            "Every theme counts once: share = theme weight ÷ the sum of the weights",
        )
    if balance_text(bench.basket, INDICATORS, named=False) == WEIGHTED:
        return (
            "The Overall position averages the ranks of **every** indicator in the basket, each by its basket "
            "weight, so a theme with more (or heavier) indicators counts for more. A theme weight multiplies the "
            f"weight of each of its indicators; {ending}",
            "Share = theme weight × its indicators' basket weights",
        )
    return (
        "The Overall position averages the ranks of **every** indicator, so a theme with more indicators counts "
        f"for more. A theme weight multiplies the weight of each of its indicators; {ending}",
        "Share = weight × indicators",
    )


def theme_shares(bench: Benchmark, indicators: pd.DataFrame, period: str, weights: dict) -> pd.DataFrame:
    """Return each theme's share of the benchmark's Overall with these theme weights
    (``sensitivity.effective_theme_shares`` over the basket's weights and balance)."""
    rule = engine_rule(bench)
    return sensitivity.effective_theme_shares(
        bench.ranks, indicators, period, weights, basket=rule["basket"], balance=rule["balance"]
    )


def left_out(bench: Benchmark, indicators: pd.DataFrame, period: str) -> pd.DataFrame:
    """Return ``sensitivity.leave_one_theme_out`` of the benchmark: its Overall with each theme left out in turn."""
    return sensitivity.leave_one_theme_out(bench.ranks, indicators, period, **engine_rule(bench))


def weighted_overall_table(weighted: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """Return every authority's Overall row of ``theme_weighted_positions``, named, without the theme column."""
    overall = weighted[weighted["theme"] == OVERALL].copy()
    overall.insert(1, "name", overall["authority_code"].map(names))
    return overall.drop(columns=["theme"])


def leave_one_out_table(left_out: pd.DataFrame, focus: str) -> pd.DataFrame:
    """Return the focus's Overall position with each theme left out in turn, as the page's table."""
    mine = left_out[left_out["authority_code"] == focus].copy()
    mine["position without it"] = [position_text(p, n) for p, n in zip(mine["position"], mine["n_positioned"])]
    return mine[["left_out", "position without it", "default_position", "change"]].rename(
        columns={"left_out": "theme left out", "default_position": "default position"}
    )


# -- 3. value for money ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ValueForMoney:
    """What the value-for-money section draws for one theme and period."""

    table: pd.DataFrame  # value_for_money_table's rows, named, with is_focus (empty: nothing to draw)
    regression: value_for_money.Regression | None
    frontier: pd.DataFrame | None  # the frontier's staircase (None when the table is empty)
    spend_basis: str  # what spend per head is ("–" when no spend is held)


def value_for_money_inputs(
    catalogue: Catalogue, bench: Benchmark, theme: str, period: str
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Return the group's performance scores over the benchmark's basket (by its weights and balance), their
    context (spend per head, deprivation) and the spend ranks."""
    rule = engine_rule(bench)
    scores = value_for_money.performance_scores(
        catalogue.reporting_values,
        catalogue.indicators,
        period,
        theme,
        authority_codes=bench.group.members,
        min_coverage=rule["min_coverage"],
        basket=rule["basket"],
        balance=rule["balance"],
    )
    spend = context_ranks(catalogue, bench, theme, "Revenue", period)
    deprivation = context_ranks(catalogue, bench, OVERALL, "Deprivation", period)
    context = spend[["authority_code", "value"]].rename(columns={"value": "spend_per_head"})
    imd = (
        catalogue.deprivation.loc[catalogue.deprivation["edition"] == deprivation["basis"].iloc[0]]
        if len(deprivation)
        else catalogue.deprivation.iloc[0:0]
    )
    context = context.merge(
        imd[["authority_code", "average_score"]].rename(columns={"average_score": "deprivation"}),
        on="authority_code",
        how="left",
    )
    return scores, context, spend


def value_for_money_view(
    catalogue: Catalogue, bench: Benchmark, theme: str, period: str, names: dict[str, str], focus: str
) -> ValueForMoney:
    """Return the value-for-money table, regression, frontier and spend basis for a theme and period."""
    scores, context, spend = value_for_money_inputs(catalogue, bench, theme, period)
    table, regression = value_for_money.value_for_money_table(scores, context)
    if table.empty:
        return ValueForMoney(table, regression, None, "–")
    table.insert(1, "name", table["authority_code"].map(names))
    table["is_focus"] = table["authority_code"] == focus
    spend_basis = spend["basis"].iloc[0] if len(spend) else "–"
    return ValueForMoney(table, regression, value_for_money.frontier_line(table), spend_basis)


VFM_LISTED = [
    "name",
    "performance_score",
    "spend_per_head",
    "deprivation",
    "on_frontier",
    "spend_gap",
    "residual",
    "verdict",
]
"""The value-for-money table's columns as listed on the page (every column is in the chart's download)."""
REGRESSION_TERMS = {
    "intercept": ("Intercept", 1),
    "spend_per_head": ("Spend per head (per £100)", 100),
    "deprivation": ("Deprivation (per IMD point)", 1),
}
"""Each regression term in words and the factor its coefficient is given per (a pound a head rounds to 0.00)."""


def value_for_money_listed(table: pd.DataFrame) -> pd.DataFrame:
    """Return the value-for-money table as the page lists it: ``VFM_LISTED``, pounds whole, deprivation to one
    decimal (the page's headers say £ and give the separators)."""
    listed = table[VFM_LISTED].copy()
    for column in ("spend_per_head", "spend_gap"):
        listed[column] = listed[column].round(0).astype("Int64")
    listed["deprivation"] = listed["deprivation"].round(1)
    return listed


def regression_table(regression: value_for_money.Regression) -> pd.DataFrame:
    """Return the regression's coefficients as the page shows them: term in words, estimate and standard
    error to two decimals (spend per £100 a head), p-value as text ("<0.001")."""
    rows = regression.coefficients
    words = [REGRESSION_TERMS.get(term, (term, 1)) for term in rows["term"]]
    factor = pd.Series([scale for _, scale in words], index=rows.index, dtype=float)
    return pd.DataFrame(
        {
            "term": [name for name, _ in words],
            "estimate": (rows["estimate"] * factor).round(2),
            "std_error": (rows["std_error"] * factor).round(2),
            "p_value": ["" if pd.isna(p) else "<0.001" if p < 0.001 else f"{p:.3f}" for p in rows["p_value"]],
        }
    )


def value_for_money_sentence(row: pd.Series, focus_name: str, names: dict[str, str], with_regression: bool) -> str:
    """Return the Markdown sentence placing the focus against the frontier (and the regression when fitted)."""
    if row["on_frontier"]:
        text = (
            f"{focus_name} is **on the efficiency frontier**: no authority in the group performs "
            f"at least as well for less ({money(row['spend_per_head'])} per head)."
        )
    else:
        text = (
            f"{focus_name} is **{money(row['spend_gap'])} per head** above the frontier: "
            f"{names.get(row['benchmark_code'], row['benchmark_code'])} performs at least as well on "
            f"{money(row['spend_per_head'] - row['spend_gap'])} per head."
        )
    if with_regression and pd.notna(row["residual"]):
        text += (
            f" Against its spend and deprivation it performs **{row['verdict']}** (residual "
            f"{row['residual']:+.2f}, {row['standardised_residual']:+.1f} residual standard deviations)."
        )
    return text


# -- 4. similar authorities ----------------------------------------------------------------------------


def similar_table(neighbours: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """Return the nearest neighbours, named, with population back from its log10 to thousands, pounds whole and
    deprivation to one decimal (missing figures stay missing: the page leaves them blank)."""
    table = neighbours.copy()
    table.insert(1, "name", table["authority_code"].map(names))
    if "population" in table:
        table["population"] = (10 ** table["population"]).round(-3).astype("Int64")
    for column in ("spend_per_head", "funding_per_head"):
        if column in table:
            table[column] = table[column].round(0).astype("Int64")
    if "deprivation" in table:
        table["deprivation"] = table["deprivation"].round(1)
    return table


def loaded_list_table(features: pd.DataFrame, focus: str, members: list[str], names: dict[str, str]) -> pd.DataFrame:
    """Return a loaded neighbour list's members with their computed distance to the focus, named."""
    listed = similarity.distances_to(features, focus, members)
    listed.insert(1, "name", listed["authority_code"].map(names))
    return listed.rename(columns={"neighbour_rank": "rank by computed distance"})


# -- 5. significance of change -------------------------------------------------------------------------


def focus_changes(tested: pd.DataFrame, indicators: pd.DataFrame, focus: str, period: str) -> pd.DataFrame:
    """Return the focus's tested changes in ``period``, with each indicator's name, theme and unit."""
    mine = tested[(tested["authority_code"] == focus) & (tested["period"] == period)].copy()
    return mine.merge(indicators[["id", "name", "theme", "unit"]], left_on="indicator_id", right_on="id", how="left")


def change_counts(changes: pd.DataFrame) -> tuple[dict[str, int], dict[str, int]]:
    """Return the number of changes per assessment and per arrow direction."""
    counts = {key: int(n) for key, n in changes.groupby("assessment", observed=False).size().items()}
    arrows = {key: int(n) for key, n in changes.groupby("direction", observed=False).size().items()}
    return counts, arrows


def change_table(changes: pd.DataFrame, only_significant: bool) -> pd.DataFrame:
    """Return the changes table (only the significant ones when asked), sorted by assessment, theme, name."""
    if only_significant:
        changes = changes[changes["significant"]]
    return changes[[*SIGNIFICANCE_COLUMNS, "z", "p_value"]].sort_values(["assessment", "theme", "name"])
