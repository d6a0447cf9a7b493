"""Where an import changes the published period a reporting period's ranks use, and ranks fewer authorities.

Every authority is ranked on one vintage per indicator and reporting period (``method.currency``: the latest
published period, carried forward at most two years, only for authorities with figures then). One early figure
can become that vintage: a single 2024-25 figure replaces every authority's carried-forward 2022-23 figures, and
the period is ranked "1 of 1". The same figure, carried forward, can also be the first vintage of a reporting
period the indicator was not ranked in (its carried-forward figures had run out): that period is warned of when it
would rank fewer than ``FIRST_RANKED_SHARE`` of the authorities ranked in the indicator's latest ranked period now,
so a new year that most authorities have is not (nor a new indicator: nothing is ranked on it yet; nor a context
indicator, of no polarity: it is never ranked). The preview
says so per indicator and period (a warning, not a refusal: a first file of several does it too). The vintages
before and after are worked out by the one rule, from the distinct (indicator, published period) pairs; the
authorities counted by its SQL (``currency.reporting_values_sql``) over the stored values of those periods alone,
beside the incoming rows.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from benchmarking.ingest.keys import cell_codes
from benchmarking.method import currency
from benchmarking.method.ranking import UNRANKED_POLARITY
from benchmarking.store.contents import PUBLISHED_SQL
from benchmarking.text.formatting import counted

_KEYS = ("indicator_id", "authority_code", "period")
FIRST_RANKED_SHARE = 0.5
"""A reporting period an indicator would be ranked in for the first time is warned of when it ranks fewer than this
share of the authorities ranked in the indicator's latest ranked period now (half: a normal new year's figures, from
most authorities, are not)."""
_INCOMING = "vintage_incoming"


@dataclass(frozen=True)
class VintageShift:
    """One indicator and reporting period whose ranks would rest on another published period, on fewer
    authorities."""

    indicator_id: str
    period: str
    """The reporting period (its label on the pages)."""
    source_before: str | None
    """The published period ranked now; None when the indicator is not ranked in the period now."""
    authorities_before: int
    source_after: str
    authorities_after: int
    latest: tuple[str, int] | None = None
    """For a period first ranked: the indicator's latest ranked period now and how many authorities it ranks."""
    name: str = ""
    """The indicator's stored name."""

    @property
    def carried(self) -> bool:
        """True when the figures ranked now are an earlier period's, carried forward."""
        return self.source_before is not None and self.source_before != self.period

    def after_text(self) -> str:
        """Return what the period would be ranked on: "1 authority's 2024-25 figure"."""
        return f"{figures_of(self.authorities_after)} {self.source_after} {noun(self.authorities_after, 'figure')}"

    def now_text(self) -> str:
        """Return what the period is ranked on now: "34 authorities' 2022-23 figures (carried forward)", or for a
        period not ranked now the indicator's latest ranked period: "34 authorities are ranked in 2024/25"."""
        if self.source_before is None:
            latest, ranked = self.latest or ("", 0)
            return f"{counted(ranked, 'authority', 'authorities')} {are(ranked)} ranked in {latest}"
        before = self.authorities_before
        carried = " (carried forward)" if self.carried else ""
        return f"{figures_of(before)} {self.source_before} {noun(before, 'figure')}{carried}"

    def text(self) -> str:
        """Return the warning in words: "ASC2 in 2024/25 would be ranked on 1 authority's 2024-25 figure instead of
        34 authorities' 2022-23 figures (carried forward)", or for a period first ranked "ASC2 in 2025/26 would be
        ranked for the first time, on 1 authority's 2024-25 figure (34 authorities are ranked in 2024/25 now)"."""
        if self.source_before is None:
            return (
                f"{self.indicator_id} in {self.period} would be ranked for the first time, on {self.after_text()} "
                f"({self.now_text()} now)"
            )
        return (
            f"{self.indicator_id} in {self.period} would be ranked on {self.after_text()} instead of {self.now_text()}"
        )


def noun(count: int, word: str, plural: str | None = None) -> str:
    """Return ``word`` for one, else its plural."""
    return word if count == 1 else plural or word + "s"


def are(count: int) -> str:
    """Return "is" for one, else "are"."""
    return "is" if count == 1 else "are"


def figures_of(count: int) -> str:
    """Return "1 authority's" or "34 authorities'"."""
    return f"{count:,} authority's" if count == 1 else f"{count:,} authorities'"


def vintage_shifts(con: duckdb.DuckDBPyConnection | None, incoming: pd.DataFrame | None) -> list[VintageShift]:
    """Return the indicators and reporting periods whose vintage writing ``incoming`` (checked values rows) would
    change to one that ranks fewer authorities, in indicator and period order; ``con`` reads the store (none
    without a store: nothing is ranked yet).

    An import never removes a stored figure (``validation.check_batch``), so the published periods that hold
    figures afterwards are those that do now and the file's: only a file that brings a new (indicator, published
    period) pair to a store that holds figures can change a vintage, and only then are rows read or registered.
    """
    if con is None or incoming is None or not len(incoming) or "value" not in incoming:
        return []
    before = con.sql(PUBLISHED_SQL).to_arrow_table().to_pandas()  # text as the catalogue reads it, as ``_brought``
    brought = _brought(incoming)
    new = brought[~pd.MultiIndex.from_frame(brought).isin(pd.MultiIndex.from_frame(before))]
    if not len(before) or not len(new):
        return []  # nothing ranked yet, or the same published periods hold figures: every vintage stays
    after = pd.concat([before, new], ignore_index=True)
    sides = []
    for published in (before, after):
        calendar = currency.reporting_calendar(published["source_period"].unique())
        sides.append((calendar, *currency.vintage_table(published, calendar)))
    keys = ["indicator_id", "period"]
    changed = sides[1][1].merge(sides[0][1], on=keys, how="left", suffixes=("_after", "_before"))
    changed = changed[changed["source_period_before"].ne(changed["source_period_after"])]  # a new pair too
    changed = changed[changed["indicator_id"].isin(_ranked_indicators(con))]  # a context indicator has no ranks
    if not len(changed):
        return []
    latest = _latest_ranked(sides[0][1], changed["indicator_id"])
    periods = sorted(set(changed["period"]) | set(latest.values()))
    used = set(sides[1][1].loc[sides[1][1]["period"].isin(periods), "source_period"]) | set(periods)
    con.register(_INCOMING, _rows_in(incoming, used))
    try:
        counts = [
            _ranked(con, values, calendar, vintage, moves, periods)
            for values, (calendar, vintage, moves) in zip(("indicator_value", _after_values()), sides)
        ]
    finally:
        con.unregister(_INCOMING)
    shifts = []
    for row in changed.sort_values(keys).itertuples(index=False):
        was, will = (count.get((row.indicator_id, row.period), 0) for count in counts)
        if was and will < was:
            shifts.append(
                VintageShift(row.indicator_id, row.period, row.source_period_before, was, row.source_period_after, will)
            )
        elif not was and will and row.indicator_id in latest:
            period = latest[row.indicator_id]
            now = counts[0].get((row.indicator_id, period), 0)
            if will < FIRST_RANKED_SHARE * now:
                shifts.append(
                    VintageShift(row.indicator_id, row.period, None, 0, row.source_period_after, will, (period, now))
                )
    return _named(con, shifts)


def _named(con: duckdb.DuckDBPyConnection, shifts: list[VintageShift]) -> list[VintageShift]:
    """Return ``shifts`` with their indicators' stored names."""
    ids = sorted({shift.indicator_id for shift in shifts})
    names = (
        dict(con.execute("SELECT id, name FROM indicator WHERE list_contains(?, id)", [ids]).fetchall()) if ids else {}
    )
    return [replace(shift, name=names.get(shift.indicator_id) or "") for shift in shifts]


def _ranked_indicators(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Return the stored indicators the engine ranks (a polarity other than ``UNRANKED_POLARITY``)."""
    held = con.execute("SELECT id FROM indicator WHERE polarity <> ?", [UNRANKED_POLARITY]).fetchall()
    return [indicator for (indicator,) in held]


def _latest_ranked(vintage: pd.DataFrame, indicators: pd.Series) -> dict[str, str]:
    """Return indicator -> its latest reporting period in ``vintage`` (the vintages now), for ``indicators`` (a new
    indicator has none: nothing is ranked on it to compare with)."""
    rows = vintage[vintage["indicator_id"].isin(set(indicators))].sort_values("period_start")
    return dict(rows.drop_duplicates("indicator_id", keep="last")[["indicator_id", "period"]].itertuples(index=False))


def _brought(incoming: pd.DataFrame) -> pd.DataFrame:
    """Return the distinct (indicator_id, source_period) pairs of the incoming rows with a figure, found from the
    columns' integer codes (no text per row)."""
    period_codes, labels = cell_codes(incoming["period"])
    id_codes, ids = cell_codes(incoming["indicator_id"])
    held = incoming["value"].notna().to_numpy() & (period_codes >= 0) & (id_codes >= 0)
    width = len(labels)
    pairs = np.unique(id_codes[held].astype(np.int64) * width + period_codes[held].astype(np.int64))
    return pd.DataFrame(
        {
            "indicator_id": np.asarray(ids, dtype=object)[pairs // width],
            "source_period": np.asarray(labels, dtype=object)[pairs % width],
        }
    )


def _rows_in(incoming: pd.DataFrame, labels: set[str]) -> pa.Table:
    """Return the incoming rows of the published periods ``labels`` (those the counts read) as an Arrow table."""
    period_codes, periods = cell_codes(incoming["period"])
    wanted = np.append(np.isin(np.asarray(periods, dtype=object), list(labels)), False)  # code -1 reads False
    rows = incoming.loc[wanted[period_codes], [*_KEYS, "value"]]
    columns = {name: pa.array(rows[name].astype(object), pa.string()) for name in _KEYS}
    return pa.table(columns | {"value": pa.array(pd.to_numeric(rows["value"]), pa.float64(), from_pandas=True)})


def _after_values() -> str:
    """Return the SQL of the values rows once written: the stored rows the import does not replace and the incoming
    rows registered (the same key replaces)."""
    match = " AND ".join(f"s.{key} = i.{key}" for key in _KEYS)
    return (
        f"(SELECT s.indicator_id, s.authority_code, s.period, s.value FROM indicator_value s "
        f"ANTI JOIN {_INCOMING} i ON {match} "
        f"UNION ALL SELECT indicator_id, authority_code, period, value FROM {_INCOMING})"
    )


def _ranked(
    con: duckdb.DuckDBPyConnection,
    values: str,
    calendar: currency.ReportingCalendar,
    vintage: pd.DataFrame,
    moves: bool,
    periods: list[str],
) -> dict[tuple[str, str], int]:
    """Return (indicator, reporting period) -> how many authorities have a figure in its vintage, in ``periods``,
    by the rule the ranks use (``reporting_values_sql``), reading only the published periods those use."""
    vintage = vintage[vintage["period"].isin(periods)]
    reporting = calendar.periods[calendar.periods["label"].isin(periods)]
    used = sorted(set(vintage["source_period"]) | set(periods))
    con.register("vintage_rule", pa.Table.from_pandas(vintage, preserve_index=False))
    con.register("vintage_reporting", pa.table({"label": reporting["label"], "start_date": reporting["start_date"]}))
    con.register("vintage_used", pa.table({"period": pa.array(used, pa.string())}))
    try:
        rows = f"(SELECT * FROM {values} WHERE period IN (SELECT period FROM vintage_used))"
        query = currency.reporting_values_sql(rows, "vintage_rule", "vintage_reporting", moves, ["value"])
        counted = con.sql(
            f"SELECT indicator_id, period, count(DISTINCT authority_code) FILTER (WHERE value IS NOT NULL) "
            f"FROM ({query}) GROUP BY ALL"
        ).fetchall()
    finally:
        for name in ("vintage_rule", "vintage_reporting", "vintage_used"):
            con.unregister(name)
    return {(indicator, period): n for indicator, period, n in counted}
