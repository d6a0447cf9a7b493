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


def reporting_values(
    values: pd.DataFrame, calendar: ReportingCalendar, max_years_older: int = MAX_YEARS_OLDER
) -> pd.DataFrame:
    """Return the values each reporting period uses, one row per indicator x authority x period.

    Columns: those of ``values`` with ``period`` and ``period_start`` now the reporting
    period's, plus ``source_period`` (the published label the value comes from) and
    ``years_older`` (0 = published for the reporting period itself). See the module rules.
    """
    values = values.reset_index(drop=True)
    # Work on integer codes: a handful of labels and a few thousand indicators, millions of rows.
    label_code, labels = pd.factorize(values["period"])
    labels = [str(label) for label in labels]
    label_order = np.array([calendar.order_of(label) for label in labels] + [np.nan], dtype=float)
    reporting_order = label_order[label_code]  # code -1 (missing label) reads the trailing NaN
    has_value = values["value"].notna().to_numpy() & ~np.isnan(reporting_order)
    indicator_code, indicator_ids = pd.factorize(values["indicator_id"])
    pairs = np.unique(indicator_code[has_value].astype(np.int64) * (len(labels) + 1) + label_code[has_value])
    end_of = {label: pd.Timestamp(period_end(label)) for label in labels}

    # Fresh vintages: per indicator and reporting period, the published label ending last.
    published = pd.DataFrame(
        {
            "indicator_id": np.asarray(indicator_ids, dtype=object)[pairs // (len(labels) + 1)],
            "source_period": np.asarray(labels, dtype=object)[pairs % (len(labels) + 1)],
        }
    )
    published["order"] = published["source_period"].map(dict(zip(labels, label_order)))
    published["end"] = published["source_period"].map(end_of)
    published = published.sort_values(["indicator_id", "order", "end", "source_period"], kind="stable")
    fresh = published.drop_duplicates(["indicator_id", "order"], keep="last")

    periods = calendar.periods
    targets = periods["year"].to_numpy() if calendar.financial else periods["order"].to_numpy()
    cross = pd.DataFrame(
        {
            "indicator_id": np.repeat(fresh["indicator_id"].unique(), len(periods)),
            "target": np.tile(targets.astype(float), fresh["indicator_id"].nunique()),
            "period": np.tile(periods["label"].to_numpy(), fresh["indicator_id"].nunique()),
            "period_start": np.tile(periods["start_date"].to_numpy(), fresh["indicator_id"].nunique()),
        }
    )
    vintage = pd.merge_asof(
        cross.sort_values("target"),
        fresh.rename(columns={"order": "source_order"}).sort_values("source_order"),
        left_on="target",
        right_on="source_order",
        by="indicator_id",
        direction="backward",
    ).dropna(subset=["source_period"])
    vintage["years_older"] = (vintage["target"] - vintage["source_order"]).astype(int)
    vintage = vintage[vintage["years_older"] <= max_years_older]

    if (
        (vintage["years_older"] == 0).all()
        and (vintage["period"] == vintage["source_period"]).all()
        and len(vintage) == len(fresh)
        and len(published) == len(fresh)
    ):
        # Every indicator is published once per reporting period under its label: nothing moves.
        reporting = set(periods["label"])
        keep_label = np.array([label in reporting for label in labels] + [False])  # per distinct label
        keep = keep_label[label_code]  # code -1 (missing label) reads the trailing False
        out = values[keep] if not keep.all() else values
        columns = {name: out[name].array for name in out.columns}
        columns.update(source_period=out["period"].array, years_older=np.zeros(len(out), dtype=np.int64))
        return pd.DataFrame(columns, copy=False).reset_index(drop=True)

    # The published label stays the Arrow column it is (no Python string per row): the vintage join reads it.
    rows = values.drop(columns=["period", "period_start"], errors="ignore").assign(source_period=values["period"].array)
    out = rows.merge(
        vintage[["indicator_id", "source_period", "period", "period_start", "years_older"]],
        on=["indicator_id", "source_period"],
        how="inner",
    )
    # Carry older figures only for authorities that have figures of the reporting period itself.
    current = out.loc[(out["years_older"] == 0) & out["value"].notna(), ["authority_code", "period"]].drop_duplicates()
    older = out[out["years_older"] > 0].merge(current, on=["authority_code", "period"], how="inner")
    out = pd.concat([out[out["years_older"] == 0], older], ignore_index=True)
    columns = [c for c in values.columns if c not in ("period", "period_start")]
    out = out[
        [
            "indicator_id",
            "authority_code",
            "period",
            "period_start",
            *[c for c in columns if c not in ("indicator_id", "authority_code")],
            "source_period",
            "years_older",
        ]
    ]
    out["years_older"] = out["years_older"].astype(int)
    return out.sort_values(["indicator_id", "authority_code", "period_start"], kind="stable").reset_index(drop=True)


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
