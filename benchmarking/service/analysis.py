"""One benchmark of the store for a comparator group: the numbers every page, export and
command reads, computed once over all periods.

``load_catalogue`` reads the store into frames; ``compute`` runs the engine
(ranks, positions, context ranks, direction of travel) for a group; the ``*_view``
functions shape those results for one page, one period and one focus authority.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from benchmarking.errors import UnknownAuthorityError, UnknownIndicatorError
from benchmarking.method import context, currency, ranking, similarity, travel
from benchmarking.method.groups import SIMILAR_PREFIX, ComparatorGroup, resolve_group
from benchmarking.method.positions import LA_CORE, OVERALL, position_of_average_rank, positions
from benchmarking.method.ranking import nullable_int
from benchmarking.store import Store

DEFAULT_FOCUS = "E10000018"
CURRENT_SHARE = 0.9
"""Share of indicators with figures of the period itself that makes a period the default."""
COMPARATOR_AXES = {"Revenue": "spend", "Deprivation": "deprivation", "Funding": "funding"}
"""The quadrant chart's comparator axes, as the Compendium names them, and the engine's word."""


@dataclass(frozen=True)
class Catalogue:
    """Everything read from the store once: the inputs of every benchmark."""

    authorities: pd.DataFrame
    indicators: pd.DataFrame
    values: pd.DataFrame
    spend: pd.DataFrame
    funding: pd.DataFrame
    deprivation: pd.DataFrame
    theme_service: pd.DataFrame
    comparator_groups: pd.DataFrame
    periods: pd.DataFrame
    settings: dict[str, str]
    datasets: pd.DataFrame
    notes: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["indicator_id", "authority_code", "period", "note", "added_by"])
    )

    @property
    def is_demo(self) -> bool:
        """True while every load in the store is the generated demo."""
        kinds = set(self.datasets["kind"]) if len(self.datasets) else set()
        return kinds == {"demo"}

    @functools.cached_property
    def calendar(self) -> currency.ReportingCalendar:
        """The reporting periods (see ``currency``) built from every period with a value."""
        return currency.reporting_calendar(self.values.loc[self.values["value"].notna(), "period"].unique())

    @functools.cached_property
    def reporting_values(self) -> pd.DataFrame:
        """The values each reporting period uses, with ``source_period`` and ``years_older``."""
        return currency.reporting_values(self.values, self.calendar)

    @functools.cached_property
    def period_labels(self) -> list[str]:
        """Reporting periods with at least one value of a ranked indicator, oldest first.

        Periods that hold only context indicators (polarity 'none') give no position, so
        they are not offered.
        """
        ranked = set(self.indicators.loc[self.indicators["polarity"] != "none", "id"])
        values = self.reporting_values
        values = values[values["indicator_id"].isin(ranked) & values["value"].notna()]
        present = set(values["period"])
        return [p for p in self.calendar.labels if p in present]

    @functools.cached_property
    def default_period(self) -> str | None:
        """Return the period pages open on: the latest in which at least ``CURRENT_SHARE`` of the
        ranked indicators with figures have figures published for that period itself (else the latest).

        The newest reporting year is often made mostly of older figures carried forward, because
        publishers release at different times; opening on it would headline a thin year.
        """
        labels = self.period_labels
        if not labels:
            return None
        ranked = set(self.indicators.loc[self.indicators["polarity"] != "none", "id"])
        values = self.reporting_values
        used = values[values["indicator_id"].isin(ranked) & values["value"].notna()]
        used = used.drop_duplicates(["indicator_id", "period"])
        current = (used["years_older"] == 0).groupby(used["period"]).mean()
        good = [label for label in labels if current.get(label, 0.0) >= CURRENT_SHARE]
        return good[-1] if good else labels[-1]

    @property
    def themes(self) -> list[str]:
        """Themes of ranked indicators, A-Z."""
        ranked = self.indicators[self.indicators["polarity"] != "none"]
        return sorted(ranked["theme"].dropna().unique())

    def authority_name(self, code: str) -> str:
        """Return an authority's name; raise UnknownAuthorityError if the store lacks it."""
        match = self.authorities.loc[self.authorities["code"] == code, "name"]
        if match.empty:
            raise UnknownAuthorityError(f"no authority with code {code!r} in the store")
        return str(match.iloc[0])

    def default_focus(self) -> str:
        """Return the focus authority saved in the store, else Leicestershire, else the first."""
        for code in (self.settings.get("focus_authority"), DEFAULT_FOCUS):
            if code and code in set(self.authorities["code"]):
                return code
        return str(self.authorities["code"].iloc[0])


def load_catalogue(store: Store) -> Catalogue:
    """Return every table the benchmark needs, read from the store in one connection."""
    with store.reading() as con:
        read = lambda sql: con.execute(sql).df()  # noqa: E731
        tables = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        return Catalogue(
            authorities=read("SELECT * FROM authority ORDER BY name"),
            indicators=read("SELECT * FROM indicator ORDER BY theme, id"),
            values=read(
                "SELECT v.indicator_id, v.authority_code, v.period, v.value, v.status, "
                "CAST(p.start_date AS TIMESTAMP) AS period_start "
                "FROM indicator_value v JOIN period p ON p.label = v.period "
                "ORDER BY v.indicator_id, v.authority_code, p.start_date"  # the engine's fast path
            ),
            spend=read("SELECT * FROM spend"),
            funding=read("SELECT * FROM funding"),
            deprivation=read("SELECT * FROM deprivation"),
            theme_service=read("SELECT * FROM theme_service"),
            comparator_groups=read("SELECT * FROM comparator_group"),
            periods=read("SELECT label, CAST(start_date AS TIMESTAMP) AS start_date FROM period ORDER BY start_date"),
            settings=dict(con.execute("SELECT key, value FROM setting").fetchall()),
            datasets=read("SELECT * FROM dataset ORDER BY id DESC"),
            notes=read("SELECT * FROM note ORDER BY indicator_id, authority_code, period")
            if "note" in tables
            else None,
        )


@dataclass(frozen=True)
class Benchmark:
    """The engine's results for one comparator group, over every period."""

    group: ComparatorGroup
    ranks: pd.DataFrame
    positions: pd.DataFrame
    spend_ranks: pd.DataFrame
    funding_ranks: pd.DataFrame
    deprivation_ranks: pd.DataFrame
    travel: pd.DataFrame
    options: dict = field(default_factory=dict)
    vintages: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(
            columns=["indicator_id", "period", "source_period", "years_older", "n_values", "n_provisional", "n_revised"]
        )
    )
    """Per indicator and reporting period: the published period used and its status counts."""


def comparator_group(catalogue: Catalogue, group_id: str | None, focus: str | None = None) -> ComparatorGroup:
    """Return the resolved comparator group for an id (see ``groups``), always with the focus in it.

    ``similar:<k>`` groups are computed from the catalogue's context variables
    (``context_features``). A group the focus authority is not part of (county unitaries for
    a county council, another region) is benchmarked with the focus added, and its label
    says so, so that every view can place the focus authority.
    """
    features = context_features(catalogue) if (group_id or "").startswith(SIMILAR_PREFIX) else None
    group = resolve_group(group_id, catalogue.authorities, catalogue.comparator_groups, focus, features=features)
    if focus is not None and focus not in group.members and focus in set(catalogue.authorities["code"]):
        return ComparatorGroup(
            group.id, f"{group.label} plus {catalogue.authority_name(focus)}", group.members + (focus,)
        )
    return group


def context_features(catalogue: Catalogue, period: str | None = None) -> pd.DataFrame:
    """Return every authority's context variables for similarity (see ``similarity``):
    population, deprivation, spend and funding per head (latest up to ``period``), rurality."""
    calendar = catalogue.calendar
    spend, funding = catalogue.spend, catalogue.funding
    if period is not None:
        target = calendar.order_of(period)
        spend = spend[spend["period"].map(calendar.order_of) <= target]
        funding = funding[funding["period"].map(calendar.order_of) <= target]
    labels = set(spend["period"]) | set(funding["period"])
    order = sorted(labels, key=lambda label: (calendar.order_of(label), currency.period_end(label), label))
    return similarity.context_features(
        catalogue.authorities,
        spend,
        funding,
        catalogue.deprivation,
        period=None,
        period_order=order,
    )


def compute(catalogue: Catalogue, group: ComparatorGroup, scaled: bool = False, min_coverage: float = 0.5) -> Benchmark:
    """Return ranks, positions, context ranks and direction of travel for the group, all periods."""
    members = list(group.members)
    reporting = catalogue.reporting_values
    ranks = ranking.indicator_ranks(reporting, catalogue.indicators, authority_codes=members)
    theme_positions = positions(ranks, catalogue.indicators, scaled=scaled, min_coverage=min_coverage)
    vintage = currency.vintages(ranking.restrict_to_group(reporting, members))
    travel_frame = _reporting_travel(
        travel.direction_of_travel(catalogue.values, catalogue.indicators, authority_codes=members),
        vintage,
        catalogue.calendar,
    )
    return Benchmark(
        group=group,
        ranks=ranks,
        positions=theme_positions,
        spend_ranks=context.spend_ranks(catalogue.spend, catalogue.theme_service, authority_codes=members),
        funding_ranks=context.funding_ranks(catalogue.funding, authority_codes=members),
        deprivation_ranks=context.deprivation_ranks(catalogue.deprivation, authority_codes=members),
        travel=travel_frame,
        options={"scaled": scaled, "min_coverage": min_coverage},
        vintages=vintage,
    )


def _reporting_travel(
    raw_travel: pd.DataFrame, vintage: pd.DataFrame, calendar: currency.ReportingCalendar
) -> pd.DataFrame:
    """Return direction of travel per reporting period: each indicator's change as published
    in the vintage that period uses (so older figures keep the change they were published with)."""
    if vintage["period"].eq(vintage["source_period"]).all():
        used = pd.MultiIndex.from_frame(vintage[["indicator_id", "period"]])
        keep = pd.MultiIndex.from_frame(raw_travel[["indicator_id", "period"]]).isin(used)
        return raw_travel[keep].reset_index(drop=True)
    rows = raw_travel.drop(columns=["period", "period_start"]).assign(source_period=raw_travel["period"].to_numpy())
    out = rows.merge(vintage[["indicator_id", "period", "source_period"]], on=["indicator_id", "source_period"])
    out = out.merge(
        calendar.periods[["label", "start_date"]].rename(columns={"label": "period", "start_date": "period_start"}),
        on="period",
    )
    columns = ["indicator_id", "authority_code", "period", "period_start"]
    return out[columns + [c for c in raw_travel.columns if c not in columns]].reset_index(drop=True)


# -- views ---------------------------------------------------------------------------


def _latest_edition(deprivation_ranks: pd.DataFrame) -> pd.DataFrame:
    if deprivation_ranks.empty:
        return deprivation_ranks
    edition = sorted(deprivation_ranks["edition"].unique())[-1]
    return deprivation_ranks[deprivation_ranks["edition"] == edition]


def nearest_period(frame: pd.DataFrame, period: str, calendar: currency.ReportingCalendar) -> str | None:
    """Return the latest of ``frame``'s published periods in reporting period ``period`` or
    before it (the one ending last when several qualify), or None."""
    available = set(frame["period"]) if "period" in frame else set()
    if period in available:
        return period
    target = calendar.order_of(period)
    candidates = [(calendar.order_of(label), currency.period_end(label), label) for label in available]
    candidates = [c for c in candidates if not np.isnan(c[0]) and c[0] <= target]
    return max(candidates)[2] if candidates else None


def context_ranks(catalogue: Catalogue, bench: Benchmark, theme: str, axis: str, period: str) -> pd.DataFrame:
    """Return authority_code, rank, n_ranked, value, basis (period or edition) for a comparator axis."""
    comparator = COMPARATOR_AXES[axis]
    if comparator == "spend":
        frame = bench.spend_ranks[bench.spend_ranks["theme"] == theme]
        basis = nearest_period(frame, period, catalogue.calendar)
        frame = frame[frame["period"] == basis]
    elif comparator == "funding":
        basis = nearest_period(bench.funding_ranks, period, catalogue.calendar)
        frame = bench.funding_ranks[bench.funding_ranks["period"] == basis]
    else:
        frame = _latest_edition(bench.deprivation_ranks)
        basis = frame["edition"].iloc[0] if len(frame) else None
    out = frame[["authority_code", "rank", "n_ranked", "value"]].copy()
    # Rank only the authorities that have a performance position in this period, so that
    # both axes count the same authorities (spend from an earlier year, or an IMD edition,
    # may include authorities that no longer exist or are not ranked this period).
    positioned = bench.positions[
        (bench.positions["period"] == period)
        & (bench.positions["theme"] == theme)
        & bench.positions["position"].notna()
    ]["authority_code"]
    if len(positioned):
        out = out[out["authority_code"].isin(set(positioned))].copy()
        highest_first = comparator in ("spend", "funding")
        out["rank"] = out["value"].rank(ascending=not highest_first, method="min").astype("Int64")
        out["n_ranked"] = int(out["value"].notna().sum())
    out["basis"] = basis
    return out.reset_index(drop=True)


def quadrant_view(
    catalogue: Catalogue, bench: Benchmark, theme: str, axis: str, period: str, focus: str
) -> pd.DataFrame:
    """Return one row per authority for the quadrant chart.

    Columns: authority_code, name, kind, performance_position, context_rank, quadrant,
    average_rank, context_value (spend or funding per head in £, or IMD rank), n (authorities
    plotted), is_focus. Positions are ranked among the authorities plotted (those with both).
    """
    pos = bench.positions[(bench.positions["theme"] == theme) & (bench.positions["period"] == period)]
    ctx = context_ranks(catalogue, bench, theme, axis, period)
    # Both axes rank the same authorities: when some positioned authorities have no context
    # figure (no spend published), performance is re-ranked among those plotted, as the
    # context ranks already are among the positioned ones.
    plotted = pos[
        pos["position"].notna() & pos["authority_code"].isin(set(ctx.dropna(subset=["rank"])["authority_code"]))
    ]
    if len(plotted) < int(pos["position"].notna().sum()):
        pos = plotted.assign(position=nullable_int(position_of_average_rank(plotted["average_rank"])))
    quads = context.quadrants(
        pos[["authority_code", "position"]], ctx[["authority_code", "rank"]], comparator=COMPARATOR_AXES[axis]
    )
    out = quads.merge(pos[["authority_code", "average_rank", "coverage"]], on="authority_code", how="left")
    out = out.merge(
        ctx[["authority_code", "value"]].rename(columns={"value": "context_value"}), on="authority_code", how="left"
    )
    out = out.merge(
        catalogue.authorities[["code", "name", "kind"]], left_on="authority_code", right_on="code", how="left"
    ).drop(columns="code")
    out["n"] = len(out)
    out["is_focus"] = out["authority_code"] == focus
    out["performance_position"] = out["performance_position"].astype(float)
    out["context_rank"] = out["context_rank"].astype(float)
    return out


def theme_table(catalogue: Catalogue, bench: Benchmark, period: str) -> pd.DataFrame:
    """Return authorities as rows and Overall, LA Core and each theme as columns of positions.

    Columns: authority_code, name, kind, then one Int64 position column per theme.
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
    if OVERALL in out:
        out = out.sort_values(OVERALL, na_position="last", kind="stable")
    return out.reset_index(drop=True)


def focus_positions(bench: Benchmark, period: str, focus: str) -> pd.DataFrame:
    """Return the focus authority's rows of ``positions`` for the period (one per theme)."""
    pos = bench.positions
    return pos[(pos["period"] == period) & (pos["authority_code"] == focus)].reset_index(drop=True)


def theme_indicator_ids(indicators: pd.DataFrame, theme: str) -> set[str]:
    """Return the ids of the ranked indicators a theme, Overall or LA Core position is built from."""
    ranked = indicators[indicators["polarity"] != "none"]
    if theme == OVERALL:
        return set(ranked["id"])
    if theme == LA_CORE:
        return set(ranked.loc[ranked["is_core"].fillna(False).astype(bool), "id"])
    return set(ranked.loc[ranked["theme"] == theme, "id"])


def data_currency(catalogue: Catalogue, bench: Benchmark, theme: str, period: str) -> dict:
    """Return how current the figures behind a theme (or Overall, LA Core) position are in a period.

    Keys: period, theme, n_indicators (ranked indicators with figures that period), n_older
    (of them, from an earlier published period), older_periods ({published label: count},
    newest first), n_provisional and n_revised (indicators with at least one value of that
    status among those used), max_years_older.
    """
    ids = theme_indicator_ids(catalogue.indicators, theme)
    rows = bench.vintages[
        (bench.vintages["period"] == period)
        & bench.vintages["indicator_id"].isin(ids)
        & (bench.vintages["n_values"] > 0)
    ]
    older = rows[rows["years_older"] > 0]
    counts = older.groupby("source_period").size()
    order = sorted(counts.index, key=lambda label: currency.period_end(label), reverse=True)
    return {
        "period": period,
        "theme": theme,
        "n_indicators": len(rows),
        "n_older": len(older),
        "older_periods": {label: int(counts[label]) for label in order},
        "n_provisional": int((rows["n_provisional"] > 0).sum()),
        "n_revised": int((rows["n_revised"] > 0).sum()),
        "max_years_older": int(rows["years_older"].max()) if len(rows) else 0,
    }


def previous_period(catalogue: Catalogue, period: str) -> str | None:
    """Return the period before ``period`` among periods with values, or None."""
    labels = catalogue.period_labels
    if period not in labels:
        return None
    i = labels.index(period)
    return labels[i - 1] if i > 0 else None


def overview(catalogue: Catalogue, bench: Benchmark, period: str, focus: str) -> dict:
    """Return the Overview's headline figures for the focus authority as a dict of plain values."""
    pos = focus_positions(bench, period, focus).set_index("theme")
    prev = previous_period(catalogue, period)
    prev_pos = focus_positions(bench, prev, focus).set_index("theme") if prev else pd.DataFrame()

    def position_of(frame: pd.DataFrame, theme: str):
        if theme not in frame.index or pd.isna(frame.loc[theme, "position"]):
            return None, None
        return int(frame.loc[theme, "position"]), int(frame.loc[theme, "n_positioned"])

    overall, n_overall = position_of(pos, OVERALL)
    core, n_core = position_of(pos, LA_CORE)
    prev_overall, _ = position_of(prev_pos, OVERALL) if prev else (None, None)
    prev_core, _ = position_of(prev_pos, LA_CORE) if prev else (None, None)
    spend = context_ranks(catalogue, bench, OVERALL, "Revenue", period)
    funding = context_ranks(catalogue, bench, OVERALL, "Funding", period)
    deprivation = context_ranks(catalogue, bench, OVERALL, "Deprivation", period)

    def context_of(frame: pd.DataFrame):
        row = frame[frame["authority_code"] == focus]
        if row.empty or pd.isna(row["rank"].iloc[0]):
            return None, None, None, None
        return int(row["rank"].iloc[0]), int(row["n_ranked"].iloc[0]), float(row["value"].iloc[0]), row["basis"].iloc[0]

    quartiles = travel.quartile_counts(bench.ranks, catalogue.indicators, focus, period=period)
    overall_quartiles = quartiles[quartiles["theme"] == OVERALL].set_index("quartile")["n_indicators"]
    directions = travel.direction_counts(bench.travel, catalogue.indicators, focus, period=period)
    overall_directions = directions[directions["theme"] == OVERALL].set_index("direction")["n_indicators"]
    quadrant = None
    try:
        quads = quadrant_view(catalogue, bench, OVERALL, "Revenue", period, focus)
        row = quads[quads["is_focus"]]
        quadrant = row["quadrant"].iloc[0] if len(row) else None
    except Exception:
        quadrant = None
    spend_rank, spend_n, spend_value, spend_basis = context_of(spend)
    funding_rank, funding_n, funding_value, funding_basis = context_of(funding)
    deprivation_rank, deprivation_n, deprivation_value, deprivation_basis = context_of(deprivation)
    return {
        "focus": focus,
        "focus_name": catalogue.authority_name(focus),
        "period": period,
        "previous_period": prev,
        "group_label": bench.group.label,
        "group_size": bench.group.size,
        "overall_position": overall,
        "overall_n": n_overall,
        "previous_overall_position": prev_overall,
        "core_position": core,
        "core_n": n_core,
        "previous_core_position": prev_core,
        "spend_rank": spend_rank,
        "spend_n": spend_n,
        "spend_per_head": spend_value,
        "spend_period": spend_basis,
        "funding_rank": funding_rank,
        "funding_n": funding_n,
        "core_spending_power_per_head": funding_value,
        "funding_period": funding_basis,
        "deprivation_rank": deprivation_rank,
        "deprivation_n": deprivation_n,
        "imd_rank": deprivation_value,
        "deprivation_edition": deprivation_basis,
        "quartile_counts": {int(q): int(n) for q, n in overall_quartiles.items()},
        "improved": int(overall_directions.get("improved", 0)),
        "worsened": int(overall_directions.get("worsened", 0)),
        "no_real_change": int(overall_directions.get("no real change", 0)),
        "not_comparable": int(overall_directions.get("not comparable", 0)),
        "quadrant": quadrant,
        "currency": data_currency(catalogue, bench, OVERALL, period),
        "theme_positions": pos.reset_index()[["theme", "position", "n_positioned", "average_rank"]],
    }


def indicator_view(catalogue: Catalogue, bench: Benchmark, indicator_id: str, period: str, focus: str) -> pd.DataFrame:
    """Return every group authority's value, rank and quartile on one indicator in one period.

    Columns: authority_code, name, kind, value, rank, n_ranked, quartile, is_focus, source_period
    (the published period the value comes from), years_older, status; best first.
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
        "source_period",
        "years_older",
        "status",
    ]
    return rows[columns].sort_values(["rank", "name"], na_position="last").reset_index(drop=True)


def indicator_series(catalogue: Catalogue, bench: Benchmark, indicator_id: str, focus: str) -> pd.DataFrame:
    """Return per published period of the indicator: the focus authority's value and the
    group's median and quartiles (the publisher's own periods, so no year is shown twice).

    Columns: period, period_start, focus_value, median, lower_quartile, upper_quartile, n.
    """
    values = catalogue.values
    rows = values[(values["indicator_id"] == indicator_id) & values["authority_code"].isin(set(bench.group.members))]
    stats = (
        rows.groupby(["period", "period_start"])["value"]
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


def funding_view(catalogue: Catalogue, bench: Benchmark, period: str, focus: str) -> pd.DataFrame:
    """Return the core spending power league table for the period (1 = best funded).

    Columns: authority_code, name, kind, population, core_spending_power_per_head, rank, n_ranked,
    is_focus, period (the funding period used: ``period`` or the latest before it).
    """
    basis = nearest_period(bench.funding_ranks, period, catalogue.calendar)
    frame = bench.funding_ranks[bench.funding_ranks["period"] == basis]
    frame = frame.merge(
        catalogue.authorities[["code", "name", "kind", "population"]], left_on="authority_code", right_on="code"
    ).drop(columns="code")
    frame = frame.rename(columns={"value": "core_spending_power_per_head"})
    frame["is_focus"] = frame["authority_code"] == focus
    return frame.sort_values("rank").reset_index(drop=True)[
        [
            "authority_code",
            "name",
            "kind",
            "population",
            "core_spending_power_per_head",
            "rank",
            "n_ranked",
            "is_focus",
            "period",
        ]
    ]


def better_off(funding_table: pd.DataFrame, focus: str, reference: str) -> dict:
    """Return how much more (in £) the focus authority would have if funded per head like ``reference``.

    ``reference`` is 'median', 'highest' or an authority code. Returns a dict with
    reference_label, reference_per_head, focus_per_head, difference_per_head, population
    and amount (population x difference per head; negative when the focus is better funded).
    """
    table = funding_table.dropna(subset=["core_spending_power_per_head"])
    focus_row = table[table["authority_code"] == focus]
    if focus_row.empty:
        raise UnknownAuthorityError(f"no funding figure for the focus authority {focus!r} in that period")
    if reference == "median":
        per_head, label = float(table["core_spending_power_per_head"].median()), "the group median"
    elif reference == "highest":
        top = table.sort_values("core_spending_power_per_head").iloc[-1]
        per_head, label = float(top["core_spending_power_per_head"]), f"{top['name']} (the highest funded)"
    else:
        row = table[table["authority_code"] == reference]
        if row.empty:
            raise UnknownAuthorityError(f"no funding figure for authority {reference!r} in that period")
        per_head, label = float(row["core_spending_power_per_head"].iloc[0]), str(row["name"].iloc[0])
    focus_per_head = float(focus_row["core_spending_power_per_head"].iloc[0])
    population = focus_row["population"].iloc[0]
    population = float(population) if pd.notna(population) else np.nan
    difference = per_head - focus_per_head
    return {
        "reference_label": label,
        "reference_per_head": per_head,
        "focus_per_head": focus_per_head,
        "difference_per_head": difference,
        "population": population,
        "amount": difference * population,
    }
