"""The catalogue: every table of the store a benchmark reads, loaded once, with the
reporting periods built from them and the default period and focus authority pages open on."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa

from benchmarking.errors import BadPeriodError, UnknownAuthorityError
from benchmarking.ingest.keys import one_edit_away
from benchmarking.ingest.names import resolve_authorities
from benchmarking.method import currency, sql
from benchmarking.method.baskets import basket_names, empty_baskets
from benchmarking.method.lifetimes import existed_when, existing_in
from benchmarking.method.periods import as_reported
from benchmarking.store import Store
from benchmarking.store.contents import StoreQueries
from benchmarking.text.formatting import counted

DEFAULT_FOCUS = "E10000018"
CURRENT_SHARE = 0.9
"""Share of indicators with figures of the period itself that makes a period the default."""


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
    baskets: pd.DataFrame = field(default_factory=empty_baskets)
    """The stored baskets (``method.baskets``): one row per basket and indicator."""
    published: pd.DataFrame | None = None
    """The distinct (indicator_id, source_period) pairs holding a value, when the values were left
    in the store (``values`` empty): the calendar and the vintages are worked out from them."""

    def basket_names(self) -> dict[str, str]:
        """Return basket id -> name: "All published" first, then the stored baskets A-Z."""
        return basket_names(self.baskets)

    @property
    def is_demo(self) -> bool:
        """True while every load in the store is the generated demo."""
        kinds = set(self.datasets["kind"]) if len(self.datasets) else set()
        return kinds == {"demo"}

    @property
    def dataset_label(self) -> str:
        """Return the name of what is loaded: the build's own label, with the imports made since (how many, the
        newest three names), else the newest three loads' names."""
        built = self.settings.get("dataset_label")
        if not built:
            return "; ".join(self.datasets["name"].head(3).astype(str))
        imports = (
            self.datasets.loc[self.datasets["kind"] == "imported", "name"].astype(str) if len(self.datasets) else []
        )
        if not len(imports):
            return built
        more = f" and {len(imports) - 3} more" if len(imports) > 3 else ""
        return f"{built}; with {counted(len(imports), 'import')} since: {', '.join(imports[:3])}{more}"

    @functools.cached_property
    def calendar(self) -> currency.ReportingCalendar:
        """The reporting periods (see ``currency``) built from every period with a value."""
        if self.published is not None:
            return currency.reporting_calendar(self.published["source_period"].unique())
        return currency.reporting_calendar(self.values.loc[self.values["value"].notna(), "period"].unique())

    @functools.cached_property
    def reporting_values(self) -> pd.DataFrame:
        """The values each reporting period uses, with ``source_period`` and ``years_older``."""
        return currency.reporting_values(self.values, self.calendar)

    @functools.cached_property
    def _current_shares(self) -> pd.Series:
        """Return per reporting period with a value of a ranked indicator, the share of those
        indicators whose figures are published for that period itself (``years_older`` 0).

        Periods that hold only context indicators (polarity 'none') are not in it. One DuckDB
        query over the reporting values (``currency.current_shares_sql``), no loop over rows.
        """
        ranked = self.indicators.loc[self.indicators["polarity"] != "none", "id"]
        values = self.reporting_values
        columns = ("indicator_id", "period", "value", "years_older")
        shares = sql.run(
            currency.current_shares_sql("reporting", "ranked"),
            {
                "reporting": sql.arrow_table({name: values[name] for name in columns}),
                "ranked": sql.arrow_table({"id": ranked.to_numpy(dtype=object)}),
            },
        )
        return period_shares(shares)

    @functools.cached_property
    def period_labels(self) -> list[str]:
        """Reporting periods with at least one value of a ranked indicator, oldest first.

        Periods that hold only context indicators (polarity 'none') give no position, so
        they are not offered.
        """
        return offered_periods(self.calendar, self._current_shares)

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
        current = self._current_shares
        good = [label for label in labels if current.get(label, 0.0) >= CURRENT_SHARE]
        return good[-1] if good else labels[-1]

    def default_period_for(self, focus: str | None) -> str | None:
        """Return the period to open on for ``focus``: ``default_period`` when the authority existed then
        (``lifetimes.existing_in``), else the period nearest it in which it existed (the first after its formation,
        the last before its abolition); ``default_period`` when it existed in none."""
        period = self.default_period
        if focus is None or period is None or existing_in([focus], period)[0]:
            return period
        labels = self.period_labels
        existed = [i for i, alive in enumerate(existed_when(focus, labels)) if alive]
        if not existed:
            return period
        at = labels.index(period)
        return labels[min(existed, key=lambda i: (abs(i - at), i))]

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

    def require_period(self, period: str | None) -> str:
        """Return ``period`` when the store has values for it; else raise BadPeriodError listing the periods."""
        return period_offered(period, self.period_labels)

    def resolve_focus(self, given: str | None) -> str:
        """Return the code of the focus authority a user gave: a code in any case, or a name as ``group save
        --members`` reads one (``ingest.names.resolve_authorities``); the default focus when None. Raise
        UnknownAuthorityError naming it, with the codes and names one edit away as what it may mean."""
        if given is None or not str(given).strip():
            return self.default_focus()
        authorities = self.authorities[["code", "name"]]
        resolved, _ = resolve_authorities([given], authorities)
        if code := resolved.get(str(given)):
            return code
        names = dict(zip(authorities["code"].astype(str), authorities["name"].astype(str)))
        near = [f"{code} ({names[code]})" for code in one_edit_away(given, names)]
        near += [f"{name} ({code})" for code, name in names.items() if name in one_edit_away(given, [name])]
        meant = f"; did you mean {' or '.join(near[:3])}?" if near else "."
        raise UnknownAuthorityError(
            f"no authority {given!r} in the store{meant} Give a code (E10000018) or a name as the Data page's "
            "authority table has it"
        )

    def default_focus(self) -> str:
        """Return the focus authority saved in the store, else Leicestershire, else the first."""
        for code in (self.settings.get("focus_authority"), DEFAULT_FOCUS):
            if code and code in set(self.authorities["code"]):
                return code
        return str(self.authorities["code"].iloc[0])


def period_offered(period: str | None, labels: list[str]) -> str:
    """Return ``period`` when it is one of ``labels``; else raise BadPeriodError listing them, or saying how to
    write a publisher's year that is one ("2022-23": write the reporting period 2022/23, ``periods.as_reported``)."""
    if period not in labels:
        (written,) = as_reported([period], labels)
        if written in labels:
            raise BadPeriodError(f"period {period!r}: write the reporting period {written}")
        raise BadPeriodError(f"no values for period {period!r}; periods in the store: {', '.join(labels)}")
    return period


def period_shares(shares: pa.Table) -> pd.Series:
    """Return the result of ``currency.current_shares_sql`` as a Series: share by period label."""
    return pd.Series(sql.numbers(shares, "share"), index=pd.Index(shares.column("period").to_pylist(), name="period"))


def offered_periods(calendar: currency.ReportingCalendar, shares: pd.Series) -> list[str]:
    """Return the reporting periods of ``calendar`` that ``shares`` (``period_shares``) holds, oldest first."""
    present = set(shares.index)  # the few distinct labels
    return [p for p in calendar.labels if p in present]


def load_catalogue(store: Store | StoreQueries | Path | str, values: bool = True) -> Catalogue:
    """Return every table the benchmark needs, read from the store (or the store at a path, or an
    open ``Store.querying`` connection) in one connection.

    ``values=False`` leaves the values in the store (the catalogue's ``values`` is empty, and so
    are its periods): for the exports that run the method on the store's tables (``service.store_positions``).
    """
    if isinstance(store, StoreQueries):
        frames = store.catalogue_frames(values=values)
    else:
        frames = (store if isinstance(store, Store) else Store(store)).catalogue_frames(values=values)
    if frames.get("baskets") is None:
        frames["baskets"] = empty_baskets()
    return Catalogue(**frames)
