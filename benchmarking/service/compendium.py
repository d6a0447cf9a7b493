"""The Compendium mapped to public indicators: coverage per dashboard, and agreement with a store.

``data/compendium_map.csv`` maps each row of Leicestershire's 2021/22 performance dashboard
(``data/performance_dashboard_2021_22.csv``, the Compendium) to the public indicator that
measures the same thing (``match`` = ``same``), a near measure (``close``, the difference in
the note) or to none (``none``, with the source the Compendium used). ``row`` is the 1-based
data row of the dashboard file, and ``description`` is copied from it (checked on reading).

Indicator ids by public source (``ID_FORMS``): DfE LAIT's ``Measure_short``, Oflog's ``ASC``
codes, DEFRA's ``NI``/``BVPI`` ids, ``els:<slug>``, ``phof:<id>[-male|-female]``,
``dft:rdc0120-...``, ``mhclg:lt122-...``; the store's context tables as
``funding:core_spending_power_per_head`` and ``spend:<service>``.

**Agreement** (``agreement``) compares, for every ``same`` row, the Compendium's value for
2021/22 (and 2020/21) with the figure a store shows for Leicestershire in that reporting year:
the figure ``method.currency`` says counts in it (the catalogue's reporting calendar), or, when
the Compendium's value names its own period (``8.6 (2020/21)``), in that period's reporting year.
A figure *agrees* when the two differ by no more than half a unit of the last digit shown by
the less precise of them (the Compendium's ``45.2%`` agrees with 45.24 and with 45.15); it is
*close* when within ``CLOSE_SHARE`` of the Compendium's value (or within twice the rounding
allowance); else it *differs*.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarking.domain import SERVICES
from benchmarking.errors import CompendiumMapError
from benchmarking.method import currency
from benchmarking.method.periods import span_or_none
from benchmarking.paths import DATA_DIR
from benchmarking.service.catalogue import Catalogue

MAP_FILE = DATA_DIR / "compendium_map.csv"
DASHBOARD_FILE = DATA_DIR / "performance_dashboard_2021_22.csv"
MAP_COLUMNS = ("row", "dashboard", "description", "indicator_id", "match", "public_source", "compendium_source", "note")
MATCHES = ("same", "close", "none")
FOCUS = "E10000018"
"""Leicestershire, whose dashboard the Compendium is."""
COMPENDIUM_COLUMNS = {"value_2021_22": "2021/22", "value_2020_21": "2020/21"}
"""Dashboard value column -> the reporting year it is labelled with."""
CLOSE_SHARE = 0.05
"""A figure within this share of the Compendium's value (and not within rounding) is close."""
FUNDING_ID = "funding:core_spending_power_per_head"
SPEND_PREFIX = "spend:"

ID_FORMS: dict[str, re.Pattern[str]] = {
    "DfE LAIT": re.compile(r"^[^:\s](?:[^:]*[^:\s])?$"),
    "Oflog adult social care": re.compile(r"^ASC\d+$"),
    "DEFRA waste": re.compile(r"^(?:NI\d+|BVPI\d+[a-z]?)$"),
    "ONS Explore Local Statistics": re.compile(r"^els:[a-z0-9]+(?:-[a-z0-9]+)*$"),
    "Fingertips (PHOF)": re.compile(r"^phof:\d+(?:-male|-female)?$"),
    "DfT road condition": re.compile(r"^dft:rdc0120-(?:a|bc)-roads$"),
    "MHCLG Live Table 122": re.compile(r"^mhclg:lt122-net-additional-dwellings(?:-per-1000)?$"),
    "Core spending power": re.compile("^" + re.escape(FUNDING_ID) + "$"),
    "MHCLG revenue outturn (RSX)": re.compile(
        "^" + re.escape(SPEND_PREFIX) + "(?:" + "|".join(re.escape(s) for s in SERVICES) + ")$"
    ),
}
"""Public source (the map's ``public_source``) -> the form of its indicator ids."""

_BRACKET = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$")
_NUMBER = re.compile(
    r"^(?P<minus>-)?\s*£?\s*(?P<minus2>-)?\s*(?P<whole>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<decimals>\d+))?\s*"
    r"(?P<suffix>%|k|m|bn)?(?:\s+per\s+[\d,]+(?:\s.*)?)?$",
    re.IGNORECASE,
)
_MULTIPLIERS = {"k": 1e3, "m": 1e6, "bn": 1e9}


@dataclass(frozen=True)
class CompendiumValue:
    """A value as the Compendium prints it, read as a number where it is one."""

    text: str
    value: float | None
    half_unit: float | None
    """Half a unit of the last digit shown (in the value's own scale: ``£10.2m`` -> 50,000)."""
    percent: bool
    period: str | None
    """The period the value names in brackets (``8.6 (2020/21)`` -> ``2020/21``), if any."""
    problem: str | None
    """Why there is no number (``no value``, ``not a number: 'N/A'``), else None."""


def parse_value(text: object) -> CompendiumValue:
    """Return the Compendium's printed value read as a number: ``£789`` -> 789, ``45.2%`` -> 45.2,
    ``1,234`` -> 1234, ``12.3 per 1,000`` -> 12.3, ``562k`` -> 562,000; ``n/a`` has a problem instead."""
    raw = "" if text is None or (isinstance(text, float) and np.isnan(text)) else str(text).strip()
    if not raw:
        return CompendiumValue(raw, None, None, False, None, "no value")
    body, period = raw, None
    if (bracket := _BRACKET.match(raw)) and span_or_none(bracket.group(2).strip()) is not None:
        body, period = bracket.group(1), bracket.group(2).strip()
    match = _NUMBER.match(body.replace("\u2212", "-").strip())
    if match is None or (match["minus"] and match["minus2"]):
        return CompendiumValue(raw, None, None, False, period, f"not a number: {raw!r}")
    decimals = match["decimals"] or ""
    suffix = (match["suffix"] or "").lower()
    scale = _MULTIPLIERS.get(suffix, 1.0)
    number = float(match["whole"].replace(",", "") + ("." + decimals if decimals else "")) * scale
    if match["minus"] or match["minus2"]:
        number = -number
    half_unit = 0.5 * 10.0 ** -len(decimals) * scale
    return CompendiumValue(raw, number, half_unit, suffix == "%", period, None)


# ---------------------------------------------------------------------------------------
# The map and the dashboard
# ---------------------------------------------------------------------------------------


def read_dashboard(path: Path | str = DASHBOARD_FILE) -> pd.DataFrame:
    """Return the Compendium's dashboard rows as text, with ``row`` = the 1-based data row."""
    frame = pd.read_csv(_existing(path), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame.insert(0, "row", np.arange(1, len(frame) + 1))
    return frame


def read_map(path: Path | str = MAP_FILE) -> pd.DataFrame:
    """Return the Compendium map as text (``row`` as int); CompendiumMapError listing every bad row."""
    frame = pd.read_csv(_existing(path), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    missing = [c for c in MAP_COLUMNS if c not in frame.columns]
    if missing:
        raise CompendiumMapError(f"{Path(path).name} lacks column(s) {', '.join(missing)}")
    problems = []
    rows = pd.to_numeric(frame["row"], errors="coerce")
    problems += [f"row {r!r} is not a row number" for r in frame.loc[rows.isna(), "row"]]
    for item in frame.itertuples():
        where = f"row {item.row}"
        problems += [f"{where}: {p}" for p in map_row_problems(item.indicator_id, item.match, item.public_source)]
    if problems:
        raise CompendiumMapError(f"{Path(path).name}: " + "; ".join(problems))
    frame["row"] = rows.astype(int)
    return frame[list(MAP_COLUMNS)]


def _existing(path: Path | str) -> Path:
    """Return the path of a file that exists; CompendiumMapError naming it otherwise."""
    if not Path(path).is_file():
        raise CompendiumMapError(f"{path} not found")
    return Path(path)


def map_row_problems(indicator_id: str, match: str, public_source: str) -> list[str]:
    """Return what is wrong with one map row's id, match and public source (empty when nothing)."""
    if match not in MATCHES:
        return [f"match {match!r} is not one of {', '.join(MATCHES)}"]
    if match == "none":
        return [] if not indicator_id and not public_source else ["a 'none' row names no indicator or public source"]
    if public_source not in ID_FORMS:
        return [f"public source {public_source!r} is not one of {', '.join(ID_FORMS)}"]
    if not ID_FORMS[public_source].match(indicator_id):
        return [f"indicator id {indicator_id!r} is not of the form {public_source} ids take"]
    return []


def compendium(map_path: Path | str = MAP_FILE, dashboard_path: Path | str = DASHBOARD_FILE) -> pd.DataFrame:
    """Return the map joined with the dashboard's values (one row per dashboard row);
    CompendiumMapError when a dashboard row has no map row, or one more, or another description."""
    mapping, dashboard = read_map(map_path), read_dashboard(dashboard_path)
    problems = []
    counts = mapping["row"].value_counts()
    problems += [f"row {r} is mapped {n} times" for r, n in counts[counts > 1].items()]
    problems += [f"row {r} is not in the dashboard" for r in sorted(set(mapping["row"]) - set(dashboard["row"]))]
    problems += [f"row {r} is not mapped" for r in sorted(set(dashboard["row"]) - set(mapping["row"]))]
    joined = mapping.merge(dashboard, on="row", how="inner", suffixes=("", "_dashboard"))
    for column in ("dashboard", "description"):
        differ = joined[joined[column] != joined[column + "_dashboard"]]
        problems += [f"row {r}: {column} differs from the dashboard's" for r in differ["row"]]
    if problems:
        raise CompendiumMapError("compendium map and dashboard disagree: " + "; ".join(problems))
    return joined[[*MAP_COLUMNS, *COMPENDIUM_COLUMNS]].sort_values("row").reset_index(drop=True)


def coverage(frame: pd.DataFrame) -> pd.DataFrame:
    """Return per dashboard (in the dashboard's order) then ``All dashboards``: rows, same, close,
    none, and the shares (%) mapped ``same`` and ``same`` or ``close``."""
    counts = pd.crosstab(frame["dashboard"], frame["match"]).reindex(columns=list(MATCHES), fill_value=0)
    order = list(dict.fromkeys(frame["dashboard"]))
    table = counts.loc[order]
    table.loc["All dashboards"] = table.sum()
    table.insert(0, "rows", table.sum(axis=1))
    table["same_pct"] = 100.0 * table["same"] / table["rows"]
    table["mapped_pct"] = 100.0 * (table["same"] + table["close"]) / table["rows"]
    return table.rename_axis("dashboard").reset_index().rename_axis(None, axis=1)


def unmapped(frame: pd.DataFrame) -> pd.DataFrame:
    """Return the rows with no public source: row, dashboard, description, compendium_source, note."""
    return frame.loc[frame["match"] == "none", ["row", "dashboard", "description", "compendium_source", "note"]]


def is_local(frame: pd.DataFrame) -> pd.Series:
    """Return, per map row, whether the Compendium's source is the council's own data or survey
    (the map writes ``(local`` in ``compendium_source``), as opposed to a publisher's."""
    return frame["compendium_source"].str.contains("(local", regex=False, case=False)


# ---------------------------------------------------------------------------------------
# Agreement with a store
# ---------------------------------------------------------------------------------------

AGREEMENT_COLUMNS = (
    "row",
    "dashboard",
    "description",
    "indicator_id",
    "public_source",
    "column",
    "compendium",
    "reporting_period",
    "public_period",
    "public_value",
    "difference",
    "verdict",
    "detail",
)
VERDICTS = ("agrees", "close", "differs", "not compared")


def agreement(frame: pd.DataFrame, catalogue: Catalogue, focus: str = FOCUS) -> pd.DataFrame:
    """Return one comparison per ``same`` row and Compendium column (``AGREEMENT_COLUMNS``):
    the Compendium's value, the store's figure for ``focus`` in that reporting year, the
    difference and the verdict (``VERDICTS``), with why when not compared."""
    same = frame[frame["match"] == "same"]
    figures = _focus_figures(catalogue, set(same["indicator_id"]), focus)
    units = dict(zip(catalogue.indicators["id"], catalogue.indicators["unit"].fillna("").astype(str)))
    known = set(catalogue.indicators["id"]) | set(figures["indicator_id"])
    names = dict(zip(catalogue.authorities["code"], catalogue.authorities["name"]))
    name = names.get(focus, focus)
    rows = []
    for item in same.itertuples():
        for column, label in COMPENDIUM_COLUMNS.items():
            parsed = parse_value(getattr(item, column))
            base = [item.row, item.dashboard, item.description, item.indicator_id, item.public_source, label]
            base.append(parsed.text)
            rows.append(base + _compare(parsed, label, item.indicator_id, figures, units, known, catalogue, name))
    return pd.DataFrame(rows, columns=list(AGREEMENT_COLUMNS))


def agreement_counts(table: pd.DataFrame) -> dict[str, int]:
    """Return the number of comparisons per verdict (every verdict named, zero included)."""
    return {verdict: int((table["verdict"] == verdict).sum()) for verdict in VERDICTS}


def _focus_figures(catalogue: Catalogue, ids: set[str], focus: str) -> pd.DataFrame:
    """Return the focus authority's figures of ``ids``: indicator_id, published period,
    reporting_period (the one the figure counts in, by ``currency``) and value."""
    calendar = catalogue.calendar
    values = catalogue.values[catalogue.values["indicator_id"].isin(ids)]
    parts = []
    if len(values):
        counted = currency.reporting_values(values, calendar)
        counted = counted[(counted["authority_code"] == focus) & counted["value"].notna()]
        parts.append(
            pd.DataFrame(
                {
                    "indicator_id": counted["indicator_id"].to_numpy(),
                    "period": counted["source_period"].to_numpy(),
                    "reporting_period": counted["period"].to_numpy(),
                    "value": counted["value"].to_numpy(dtype=float),
                    "counted": True,
                }
            )
        )
        published = values[(values["authority_code"] == focus) & values["value"].notna()]
        parts.append(
            pd.DataFrame(
                {
                    "indicator_id": published["indicator_id"].to_numpy(),
                    "period": published["period"].to_numpy(),
                    "reporting_period": None,
                    "value": published["value"].to_numpy(dtype=float),
                    "counted": False,
                }
            )
        )
    funding = catalogue.funding[catalogue.funding["authority_code"] == focus]
    parts.append(_context(FUNDING_ID, funding["period"], funding["core_spending_power_per_head"], calendar))
    spend = catalogue.spend[catalogue.spend["authority_code"] == focus]
    for service, rows in spend.groupby("service"):
        parts.append(_context(SPEND_PREFIX + service, rows["period"], rows["net_expenditure_per_head"], calendar))
    parts = [part for part in parts if len(part)]
    columns = ["indicator_id", "period", "reporting_period", "value", "counted"]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)


def _context(indicator_id: str, periods: pd.Series, values: pd.Series, calendar) -> pd.DataFrame:
    """Return a context table's figures as counted figures (each in its own reporting year) and published ones."""
    keep = values.notna()
    periods, values = periods[keep].astype(str), values[keep].astype(float)
    reporting = [calendar.reporting_period(p) for p in periods]
    counted = pd.DataFrame(
        {
            "indicator_id": indicator_id,
            "period": periods,
            "reporting_period": reporting,
            "value": values,
            "counted": True,
        }
    )
    return pd.concat([counted, counted.assign(reporting_period=None, counted=False)], ignore_index=True)


def _compare(parsed, label, indicator_id, figures, units, known, catalogue, name) -> list:
    """Return [reporting_period, public_period, public_value, difference, verdict, detail] for one value."""
    if parsed.problem is not None:
        return [None, None, None, None, "not compared", f"Compendium value: {parsed.problem}"]
    if indicator_id not in known:
        return [None, None, None, None, "not compared", "indicator not in the store"]
    wanted = parsed.period or label
    reporting = catalogue.calendar.reporting_period(wanted)
    mine = figures[figures["indicator_id"] == indicator_id]
    scale = 100.0 if parsed.percent and "(0-1)" in units.get(indicator_id, "") else 1.0
    hit = mine[mine["counted"] & (mine["reporting_period"] == reporting)]
    if hit.empty:
        return [reporting, None, None, None, "not compared", f"no figure for {name} in {reporting or wanted}"]
    period, public = str(hit["period"].iloc[0]), float(hit["value"].iloc[0]) * scale
    tolerance = max(parsed.half_unit, _half_unit(public)) + 1e-9
    difference = public - parsed.value
    if abs(difference) <= tolerance:
        return [reporting, period, public, difference, "agrees", ""]
    verdict = "close" if abs(difference) <= max(CLOSE_SHARE * abs(parsed.value), 2 * tolerance) else "differs"
    published = mine[~mine["counted"]]
    equal = [
        str(p)
        for p, v in zip(published["period"], published["value"])
        if abs(v * scale - parsed.value) <= max(parsed.half_unit, _half_unit(v * scale)) + 1e-9
    ]
    detail = f"the Compendium's figure equals the public figure for {', '.join(equal)}" if equal else ""
    return [reporting, period, public, difference, verdict, detail]


def _half_unit(value: float) -> float:
    """Return half a unit of the last decimal a stored figure carries (0.5 for whole numbers; at most 6 places)."""
    for places in range(7):
        if abs(round(value, places) - value) <= 1e-9 * max(1.0, abs(value)):
            return 0.5 * 10.0**-places
    return 0.5e-6
