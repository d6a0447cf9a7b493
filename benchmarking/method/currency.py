"""Data currency: which published period each indicator's figures come from in a reporting year.

Publishers label their periods differently: financial years (``2022-23``, ``2022/23``),
calendar or academic years (``2022``), pooled spans (``2020-22``), months (``Mar 2022``).
A theme or Overall position compares authorities over many indicators at once, so it is
built for a *reporting period* from each indicator's latest published figures, and says
how many of them are older than the period it is labelled with.

Rules
-----
* **Reporting calendar.** When any indicator is published by single financial (or
  academic) year, the reporting periods are financial years and a published period
  belongs to the financial year that contains its *midpoint*, the rule ``membership`` uses
  to say which authority a row belongs to: ``2022-23``, ``2022/23`` and calendar ``2022``
  belong to ``2022/23``; the span ``2020-22`` (midpoint July 2021) and ``Mar 2022`` to
  ``2021/22``. Financial years are labelled as the store's publishers write them when
  they all write them one way (``2022-23``), else ``2022/23``. Without any financial-year label
  every published label is its own reporting period (oldest first by start date).
* **Vintage.** For each indicator and reporting period, the figures come from the
  indicator's latest published period that belongs to that reporting period or an earlier
  one, at most ``MAX_YEARS_OLDER`` reporting periods back (the one ending last when
  several fall in the same reporting period). Every authority is ranked on that one
  vintage: an authority without a value in it is not ranked, and a value is never taken
  from another period for one authority alone (no filling).
* **Older data** is a vintage from an earlier reporting period: ``years_older`` counts the
  reporting periods between (financial years, or steps in a label-only calendar).
* **Ceased authorities.** Older figures are carried into a reporting period only for
  authorities with at least one figure published for that period itself, so an authority
  that had ceased (Cumbria after March 2023) is not ranked in later periods: a published
  row belongs to an authority that existed at the row's midpoint.
* **Status** (final, provisional, revised) stays with each value.

Pure functions over DataFrames: ``reporting_calendar`` then ``reporting_values``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from benchmarking.method import sql
from benchmarking.method.periods import financial_year_label, midpoint_or_none, period_end, span_or_none

MAX_YEARS_OLDER = 2
"""How many reporting periods back an indicator's latest figures may be and still count."""

VINTAGE_COLUMNS = ("indicator_id", "period", "source_period", "years_older")


def _financial_year_of(day: dt.date) -> int:
    """Return the year in which the financial year containing ``day`` starts (April)."""
    return day.year if day.month >= 4 else day.year - 1


def _is_single_financial_year(label: str) -> bool:
    span = span_or_none(label)
    return span is not None and span[0].month == 4 and span[0].day == 1 and (span[1] - span[0]).days in (364, 365)


@dataclass(frozen=True)
class ReportingCalendar:
    """The reporting periods and the map from each published label to its reporting period."""

    financial: bool
    periods: pd.DataFrame
    """label, start_date (Timestamp), order (0 = oldest): the reporting periods, oldest first."""
    label_of: dict[str, str]
    """published label -> reporting period label, for every label the calendar was built from."""

    @property
    def labels(self) -> list[str]:
        """Return the reporting period labels, oldest first."""
        return list(self.periods["label"])

    def reporting_period(self, label: str) -> str | None:
        """Return the reporting period a published label belongs to (None if it cannot be placed)."""
        if label in self.label_of:
            return self.label_of[label]
        span = span_or_none(label)
        if span is None:
            return None
        if self.financial:
            year = _financial_year_of(midpoint_or_none(label))
            match = self.periods.loc[self.periods["year"] == year, "label"]
            return str(match.iloc[0]) if len(match) else financial_year_label(year)
        earlier = self.periods.loc[self.periods["start_date"] <= pd.Timestamp(span[0]), "label"]
        return str(earlier.iloc[-1]) if len(earlier) else None

    def order_of(self, label: str) -> float:
        """Return a sortable number for a published label's reporting period (NaN if unplaced).

        Financial calendars count years, so a gap of missing years still counts as years.
        """
        reporting = self.reporting_period(label)
        if reporting is None:
            return np.nan
        if self.financial:
            middle = midpoint_or_none(reporting)
            return float(_financial_year_of(middle)) if middle else np.nan
        match = self.periods.index[self.periods["label"] == reporting]
        return float(self.periods.loc[match[0], "order"]) if len(match) else np.nan


def reporting_calendar(labels: Iterable[str]) -> ReportingCalendar:
    """Return the reporting calendar for the published period labels of the ranked values."""
    labels = sorted(
        {str(label) for label in labels if span_or_none(str(label)) is not None},
        key=lambda label: (span_or_none(label)[1], span_or_none(label)[0], label),
    )
    financial = any(_is_single_financial_year(label) for label in labels)
    if not financial:
        periods = pd.DataFrame(
            {
                "label": labels,
                "start_date": pd.to_datetime([span_or_none(label)[0] for label in labels]),
            }
        )
        periods = periods.sort_values(["start_date", "label"], kind="stable").reset_index(drop=True)
        periods["order"] = np.arange(len(periods))
        periods["year"] = periods["start_date"].dt.year
        return ReportingCalendar(False, periods, {label: label for label in labels})
    year_of = {label: _financial_year_of(midpoint_or_none(label)) for label in labels}
    separators = {label[4] for label in labels if _is_single_financial_year(label) and len(label) == 7}
    names: dict[int, str] = {}
    for year in sorted(set(year_of.values())):
        own = sorted({label for label, y in year_of.items() if y == year and _is_single_financial_year(label)})
        names[year] = own[0] if len(own) == 1 and len(separators) == 1 else financial_year_label(year)
    years = sorted(names)
    periods = pd.DataFrame(
        {
            "label": [names[y] for y in years],
            "start_date": pd.to_datetime([dt.date(y, 4, 1) for y in years]),
            "order": np.arange(len(years)),
            "year": years,
        }
    )
    return ReportingCalendar(True, periods, {label: names[year_of[label]] for label in labels})


def vintage_table(
    published: pd.DataFrame, calendar: ReportingCalendar, max_years_older: int = MAX_YEARS_OLDER
) -> tuple[pd.DataFrame, bool]:
    """Return (vintage, moves): per indicator and reporting period the published label its values
    come from, and whether any value moves (False when every indicator is published once per
    reporting period under its label, so every value keeps its period).

    ``published``: the distinct (indicator_id, source_period) pairs that hold a value (a few
    per indicator). ``vintage`` columns: indicator_id, source_period, period, period_start,
    years_older. See the module rules.
    """
    labels = [str(label) for label in pd.unique(published["source_period"])]
    label_order = {label: calendar.order_of(label) for label in labels}
    end_of = {label: pd.Timestamp(period_end(label)) for label in labels}
    published = published.assign(order=published["source_period"].map(label_order))
    published = published[published["order"].notna()]
    published = published.assign(end=published["source_period"].map(end_of))
    # Fresh vintages: per indicator and reporting period, the published label ending last.
    published = published.sort_values(["indicator_id", "order", "end", "source_period"], kind="stable")
    fresh = published.drop_duplicates(["indicator_id", "order"], keep="last")

    periods = calendar.periods
    targets = periods["year"].to_numpy() if calendar.financial else periods["order"].to_numpy()
    ids = fresh["indicator_id"].unique()
    cross = pd.DataFrame(
        {
            "indicator_id": np.repeat(ids, len(periods)),
            "target": np.tile(targets.astype(float), len(ids)),
            "period": np.tile(periods["label"].to_numpy(), len(ids)),
            "period_start": np.tile(periods["start_date"].to_numpy(), len(ids)),
        }
    )
    vintage = pd.merge_asof(
        cross.sort_values("target"),
        fresh[["indicator_id", "source_period", "order"]]
        .rename(columns={"order": "source_order"})
        .sort_values("source_order"),
        left_on="target",
        right_on="source_order",
        by="indicator_id",
        direction="backward",
    ).dropna(subset=["source_period"])
    vintage["years_older"] = (vintage["target"] - vintage["source_order"]).astype(int)
    vintage = vintage[vintage["years_older"] <= max_years_older]
    still = (
        (vintage["years_older"] == 0).all()
        and (vintage["period"] == vintage["source_period"]).all()
        and len(vintage) == len(fresh)
        and len(published) == len(fresh)
    )
    vintage = vintage[["indicator_id", "source_period", "period", "period_start", "years_older"]]
    return vintage.reset_index(drop=True), not still


def reporting_values_sql(values: str, vintage: str, reporting: str, moves: bool, columns: list[str]) -> str:
    """Return the SQL of the values each reporting period uses (the rows of ``reporting_values``).

    ``values`` names the published rows (indicator_id, authority_code, period and ``columns``,
    the others to carry, ``value`` among them); ``vintage`` the rows of ``vintage_table``;
    ``reporting`` the reporting periods (label, start_date). When nothing ``moves`` every row of a
    reporting period keeps its label; otherwise each row joins its indicator's vintage, and older
    figures are carried only for authorities with a figure of the reporting period itself.
    Output: indicator_id, authority_code, period, period_start, ``columns``, source_period, years_older.
    """
    carried = "".join(f', v."{column}"' for column in columns)
    if not moves:
        return f"""
            SELECT v.indicator_id, v.authority_code, v.period, p.start_date AS period_start{carried},
                   v.period AS source_period, 0::BIGINT AS years_older
            FROM {values} v JOIN {reporting} p ON p.label = v.period"""
    return f"""
        WITH joined AS (
          SELECT v.indicator_id, v.authority_code, t.period, t.period_start{carried},
                 v.period AS source_period, t.years_older::BIGINT AS years_older
          FROM {values} v JOIN {vintage} t ON t.indicator_id = v.indicator_id AND t.source_period = v.period),
        current AS (
          SELECT DISTINCT authority_code, period FROM joined WHERE years_older = 0 AND value IS NOT NULL)
        SELECT * FROM joined WHERE years_older = 0
        UNION ALL
        SELECT j.* FROM joined j SEMI JOIN current c ON c.authority_code = j.authority_code AND c.period = j.period
        WHERE j.years_older > 0"""


def current_shares_sql(reporting: str, ranked: str) -> str:
    """Return the SQL of, per reporting period with a value of a ranked indicator, the share of
    those indicators whose figures are published for that period itself (``years_older`` 0).

    ``reporting`` names the rows of ``reporting_values``; ``ranked`` the ranked indicators (id).
    """
    return f"""SELECT period, avg(CASE WHEN years_older = 0 THEN 1.0 ELSE 0.0 END) AS share
        FROM (SELECT period, indicator_id, any_value(years_older) AS years_older
              FROM {reporting} WHERE value IS NOT NULL AND indicator_id IN (SELECT id FROM {ranked})
              GROUP BY period, indicator_id)
        GROUP BY period"""


def shares_rows_sql(reporting: str, vintage: str, moves: bool) -> str:
    """Return the relation ``current_shares_sql`` reads: ``reporting`` (the rows of
    ``reporting_values_sql``), or when nothing ``moves`` the rows of ``vintage`` (``vintage_table``).

    When nothing moves, every vintage row is a published pair that holds a value and keeps its
    label (``years_older`` 0), so it stands for the reporting rows with a value of that indicator
    and period: the same shares from a few thousand rows instead of every value.
    """
    if moves:
        return reporting
    return f"(SELECT indicator_id, period, years_older, 1.0 AS value FROM {vintage})"


def reporting_values(
    values: pd.DataFrame, calendar: ReportingCalendar, max_years_older: int = MAX_YEARS_OLDER
) -> pd.DataFrame:
    """Return the values each reporting period uses, one row per indicator x authority x period.

    Columns: those of ``values`` with ``period`` and ``period_start`` now the reporting
    period's, plus ``source_period`` (the published label the value comes from) and
    ``years_older`` (0 = published for the reporting period itself). See the module rules.
    Rows keep the order of ``values`` when nothing moves, else run by indicator, authority, period.
    """
    values = values.reset_index(drop=True)
    # The few distinct (indicator, label) pairs with a value, by integer codes (no string per row).
    label_code, labels = pd.factorize(values["period"])
    indicator_code, indicator_ids = pd.factorize(values["indicator_id"])
    has_value = values["value"].notna().to_numpy() & (label_code >= 0) & (indicator_code >= 0)
    pairs = np.unique(indicator_code[has_value].astype(np.int64) * (len(labels) + 1) + label_code[has_value])
    published = pd.DataFrame(
        {
            "indicator_id": np.asarray(indicator_ids, dtype=object)[pairs // (len(labels) + 1)],
            "source_period": np.asarray([str(label) for label in labels], dtype=object)[pairs % (len(labels) + 1)],
        }
    )
    vintage, moves = vintage_table(published, calendar, max_years_older)
    if not moves:
        # Every indicator is published once per reporting period under its label: nothing moves.
        reporting = set(calendar.periods["label"])
        keep_label = np.array([str(label) in reporting for label in labels] + [False])  # per distinct label
        keep = keep_label[label_code]  # code -1 (missing label) reads the trailing False
        out = values[keep] if not keep.all() else values
        columns = {name: out[name].array for name in out.columns}
        columns.update(source_period=out["period"].array, years_older=np.zeros(len(out), dtype=np.int64))
        return pd.DataFrame(columns, copy=False).reset_index(drop=True)
    carried = [c for c in values.columns if c not in ("indicator_id", "authority_code", "period", "period_start")]
    query = reporting_values_sql("v", "vintage", "reporting", moves, carried)
    tables = {
        "v": sql.arrow_table({name: values[name] for name in ("indicator_id", "authority_code", "period", *carried)}),
        "vintage": sql.arrow_table({name: vintage[name] for name in vintage.columns}),
        "reporting": sql.arrow_table(
            {"label": calendar.periods["label"], "start_date": calendar.periods["start_date"]}
        ),
    }
    out = sql.run(query + " ORDER BY indicator_id, authority_code, period_start", tables).to_pandas()
    return out.reset_index(drop=True)


def vintages(reporting: pd.DataFrame) -> pd.DataFrame:
    """Return per indicator and reporting period: source_period, years_older, n_values,
    n_provisional and n_revised (values of that status among the ones used)."""
    status = reporting["status"] if "status" in reporting else pd.Series("final", index=reporting.index)
    frame = pd.DataFrame(
        {
            "indicator_id": reporting["indicator_id"],
            "period": reporting["period"],
            "source_period": reporting["source_period"],
            "years_older": reporting["years_older"],
            "has_value": reporting["value"].notna(),
            "provisional": status.eq("provisional") & reporting["value"].notna(),
            "revised": status.eq("revised") & reporting["value"].notna(),
        }
    )
    return (
        frame.groupby(["indicator_id", "period"], sort=False)
        .agg(
            source_period=("source_period", "first"),
            years_older=("years_older", "first"),
            n_values=("has_value", "sum"),
            n_provisional=("provisional", "sum"),
            n_revised=("revised", "sum"),
        )
        .reset_index()
    )
