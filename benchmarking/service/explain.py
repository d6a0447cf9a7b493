"""Why this rank: the indicator ranks behind a theme, Overall or LA Core position, and how
the position holds up under every comparator group.

``why_this_rank`` lists the ranks a position is built from, with each indicator's
contribution (its rank minus the group's mean rank on that indicator, so negative pulls
the position up); the mean of the listed ranks is the engine's ``average_rank``.
``rank_stability`` recomputes the focus authority's positions under each comparator group.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from benchmarking.errors import UnknownGroupError
from benchmarking.method.baskets import ALL, INDICATORS, Basket
from benchmarking.method.lifetimes import not_existing_text
from benchmarking.method.positions import LA_CORE, OVERALL
from benchmarking.service.benchmark import Benchmark, comparator_group, compute, offered_groups
from benchmarking.service.catalogue import Catalogue
from benchmarking.service.views import focus_positions, theme_indicator_ids
from benchmarking.text.formatting import position_text


def why_this_rank(
    catalogue: Catalogue, bench: Benchmark, theme: str, period: str, focus: str
) -> tuple[pd.DataFrame, dict]:
    """Return (indicator rows, summary) behind the focus authority's position in a theme.

    Rows: indicator_id, name, theme, value, rank, n_ranked, group_mean_rank, contribution
    (rank - group_mean_rank; negative = better than the group's typical rank), source_period
    (the published period the value comes from), years_older (0 = the period's own), status;
    sorted best contribution first. Indicators the theme has but the authority lacks a value
    for are listed with rank NA ("not ranked: no value"), never filled in.
    Summary: position, n_positioned, average_rank (engine), mean_listed_rank, n_indicators,
    n_available, coverage, min_coverage, n_older / n_provisional / n_revised (ranked values from
    an earlier period / provisional / revised), reason (why there is no position, or None).
    """
    ids = theme_indicator_ids(catalogue.indicators, theme)
    ranks = bench.ranks[(bench.ranks["period"] == period) & bench.ranks["indicator_id"].isin(ids)]
    available = ranks[ranks["n_ranked"] > 0]
    members = available[available["in_group"]] if "in_group" in available else available  # not a row beside it
    group_mean = members.groupby("indicator_id")["rank"].mean().rename("group_mean_rank")
    rows = available[available["authority_code"] == focus].merge(group_mean, left_on="indicator_id", right_index=True)
    missing = sorted(set(available["indicator_id"]) - set(rows["indicator_id"]))
    if missing:
        rows = pd.concat([rows, pd.DataFrame({"indicator_id": missing})], ignore_index=True)
    rows = rows.merge(catalogue.indicators[["id", "name", "theme"]], left_on="indicator_id", right_on="id", how="left")
    values = catalogue.reporting_values
    status = values[(values["period"] == period) & (values["authority_code"] == focus)]
    rows = rows.merge(status[["indicator_id", "status", "source_period", "years_older"]], on="indicator_id", how="left")
    vintage = bench.vintages[bench.vintages["period"] == period].set_index("indicator_id")
    rows["source_period"] = rows["source_period"].fillna(rows["indicator_id"].map(vintage["source_period"]))
    rows["years_older"] = rows["years_older"].fillna(rows["indicator_id"].map(vintage["years_older"]))
    rows["rank"] = rows["rank"].astype("Float64")
    rows["contribution"] = rows["rank"] - rows["group_mean_rank"]
    rows = rows.sort_values(["contribution", "name"], na_position="last").reset_index(drop=True)
    columns = [
        "indicator_id",
        "name",
        "theme",
        "value",
        "rank",
        "n_ranked",
        "group_mean_rank",
        "contribution",
        "source_period",
        "years_older",
        "status",
    ]
    position = bench.positions[
        (bench.positions["period"] == period)
        & (bench.positions["theme"] == theme)
        & (bench.positions["authority_code"] == focus)
    ]
    row = position.iloc[0] if len(position) else None
    min_coverage = bench.options.get("min_coverage", 0.5)
    ranked = rows["rank"].notna()
    summary = {
        "theme": theme,
        "period": period,
        "position": None if row is None or pd.isna(row["position"]) else int(row["position"]),
        "n_positioned": None if row is None else int(row["n_positioned"]),
        "average_rank": None if row is None or pd.isna(row["average_rank"]) else float(row["average_rank"]),
        "mean_listed_rank": float(rows.loc[ranked, "rank"].mean()) if ranked.any() else None,
        "n_indicators": int(ranked.sum()),
        "n_available": len(rows),
        "coverage": float(ranked.sum() / len(rows)) if len(rows) else 0.0,
        "min_coverage": min_coverage,
        "n_older": int((rows.loc[ranked, "years_older"] > 0).sum()),
        "n_provisional": int((rows.loc[ranked, "status"] == "provisional").sum()),
        "n_revised": int((rows.loc[ranked, "status"] == "revised").sum()),
    }
    summary["reason"] = None
    if summary["position"] is None:
        absent = not_existing_text(focus, catalogue.authority_name(focus), period, has_figures=bool(ranked.any()))
        summary["reason"] = no_position_reason(
            summary["n_indicators"], summary["n_available"], min_coverage, theme=theme, absent=absent
        )
    return rows[columns], summary


def no_position_reason(
    n_indicators: int, n_available: int, min_coverage: float, theme: str, absent: str | None = None
) -> str:
    """Return why a position is missing: the authority did not exist then ("No position: Northamptonshire was
    abolished on 1 April 2021, before 2022/23.", from ``lifetimes.not_existing_text``), else the coverage rule ("No
    position: the authority has values for 162 of Overall's 325 ranked indicators (49.8%), below the 50% needed. ...").
    ``theme`` names whose indicators are counted (Overall, LA Core or a theme)."""
    if absent:
        return f"No position: {absent}."
    return f"No position: {coverage_reason(n_indicators, n_available, min_coverage, theme)}"


def coverage_reason(n_indicators: int, n_available: int, min_coverage: float, theme: str) -> str:
    """Return why the coverage rule gives no position: "the authority has values for 162 of Overall's 325 ranked
    indicators (49.8%), below the 50% needed. Missing values are never filled in." (``no_position_reason``)."""
    coverage = n_indicators / n_available if n_available else 0.0
    share = f"{coverage:.0%}"
    if coverage < min_coverage and round(coverage, 2) >= min_coverage:  # 49.8% is not "50%, below the 50%"
        share = f"{coverage:.1%}"
    whose = f"{theme}'s" if theme in (OVERALL, LA_CORE) else f"the {theme} theme's"
    return (
        f"the authority has values for {n_indicators} of {whose} {n_available} ranked indicators "
        f"({share}), below the {min_coverage:.0%} needed. Missing values are never filled in."
    )


def rank_stability(
    catalogue: Catalogue,
    period: str,
    focus: str,
    themes: list[str] | None = None,
    basket: Basket = ALL,
    balance: str = INDICATORS,
    progress: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """Return the focus authority's positions under every comparator group (over ``basket``, with ``balance``).

    Columns: group_id, group_label, group_size (members), theme, position, n_positioned,
    average_rank, in_group. In a group it is not a member of, the position is where it would
    stand beside the members (in_group False, and the label says "beside the group").
    ``progress(done, total)`` is called before each group is looked at (for a page's progress bar).
    """
    themes = themes or [OVERALL, LA_CORE] + catalogue.themes
    rows = []
    group_ids = list(offered_groups(catalogue, focus)["id"])
    for done, group_id in enumerate(group_ids):
        if progress is not None:
            progress(done, len(group_ids))
        try:
            group = comparator_group(catalogue, group_id, focus, period)
        except UnknownGroupError:  # fewer than two members in the period: nothing to rank among
            continue
        in_group = focus in group.members
        if not (in_group or group.beside == focus) or group.size < 2:
            continue
        bench = compute(catalogue, group, basket=basket, balance=balance)
        mine = focus_positions(bench, period, focus)
        mine = mine[mine["theme"].isin(themes)]
        label = group.label if in_group else f"{group.label} ({catalogue.authority_name(focus)} beside the group)"
        for record in mine.itertuples(index=False):
            rows.append(
                (
                    group_id,
                    label,
                    group.size,
                    record.theme,
                    None if pd.isna(record.position) else int(record.position),
                    int(record.n_positioned),
                    record.average_rank,
                    in_group,
                )
            )
    columns = ["group_id", "group_label", "group_size", "theme", "position", "n_positioned", "average_rank"]
    return pd.DataFrame(rows, columns=[*columns, "in_group"])


def stability_table(stability: pd.DataFrame) -> pd.DataFrame:
    """Return ``rank_stability``'s rows as one row per group: group_label, group_size, then
    Overall, LA Core and each theme A-Z as "3rd of 32" text, groups in the order listed."""
    table = stability.assign(
        position=[position_text(p, n) for p, n in zip(stability["position"], stability["n_positioned"])]
    )
    # Keyed by id so that two groups with the same label are never merged.
    wide = table.pivot_table(
        index=["group_id", "group_label", "group_size"], columns="theme", values="position", aggfunc="first"
    ).reset_index()
    listed = list(dict.fromkeys(stability["group_id"]))
    wide = wide.sort_values("group_id", key=lambda ids: ids.map(listed.index)).drop(columns="group_id")
    order = (
        ["group_label", "group_size"]
        + [c for c in [OVERALL, LA_CORE] if c in wide.columns]
        + sorted(c for c in wide.columns if c not in ("group_label", "group_size", OVERALL, LA_CORE))
    )
    return wide[order]
