"""The Quartiles and lists page's tables (quartile counts, top- and bottom-quartile lists, direction of
travel) and the Trend page's warning about thin periods and its positions in words.

Each function shapes the engine's results for one page, so that the page only draws.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from benchmarking.domain import is_percent_unit
from benchmarking.errors import BadArgumentError
from benchmarking.method import focus_lists, travel
from benchmarking.method.lifetimes import not_existing_text
from benchmarking.method.periods import as_reported
from benchmarking.method.positions import OVERALL
from benchmarking.service.benchmark import Benchmark
from benchmarking.service.catalogue import Catalogue
from benchmarking.service.overview import figures_used
from benchmarking.text.formatting import names_text, number, ordinal, position_text, published_for

FEW_INDICATORS_SHARE = 0.5
"""A period rests on few indicators when its theme has fewer than this share of the most it has."""


def _overall_first(themes) -> list[str]:
    """Return the themes with Overall first, then A-Z."""
    themes = list(themes)
    return ([OVERALL] if OVERALL in themes else []) + sorted(t for t in themes if t != OVERALL)


def quartile_table(
    catalogue: Catalogue, bench: Benchmark, period: str, focus: str, current: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Return the focus authority's indicators per theme (rows, Overall first) and quartile
    (columns '1st quartile' .. '4th quartile'), as counts; themes with none in any quartile are left out.
    ``current``: the focus authority's rows of the period (``focus_lists.focus_rows``), when the caller has them."""
    counts = focus_lists.quartile_counts(bench.ranks, catalogue.indicators, focus, period=period, current=current)
    return _by_theme(
        counts, focus_lists.QUARTILES, [f"{ordinal(q)} quartile" for q in focus_lists.QUARTILES], ranked_only=True
    )


def _by_theme(counts: pd.DataFrame, categories: tuple, names: list[str], ranked_only: bool) -> pd.DataFrame:
    """Return counts (``focus_lists.theme_counts``: every theme x category, in that order) as a table of themes (rows,
    Overall first, then A-Z) by category (columns ``names``); with ``ranked_only``, only themes counted at all."""
    counted = counts["n_indicators"].to_numpy().reshape(-1, len(categories))
    themes = counts["theme"].iloc[:: len(categories)]
    kept = (counted.sum(axis=1) > 0) | (themes == OVERALL).to_numpy() if ranked_only else slice(None)
    table = pd.DataFrame(counted[kept], index=pd.Index(themes[kept], name="Theme"), columns=names)
    return table.loc[_overall_first(table.index)]


TOP, BOTTOM = 1, 4
"""The quartiles the Quartiles page lists: the top 25% and the bottom 25% of the group."""

LIST_COLUMNS = ["Theme", "Indicator", "Value", "Rank", "Group median", "Best in group", "Unit", "Published for"]
"""The columns of a quartile list in words, as the page shows it (``list_in_words``)."""

DOWNLOAD_COLUMNS = {
    "theme": "Theme",
    "name": "Indicator",
    "value": "Value",
    "rank": "Rank",
    "n_ranked": "Of",
    "group_median": "Group median",
    "group_best": "Best in group",
    "unit": "Unit",
    "source_period": "Published for",
    "older": "Published for an earlier period",
    "status": "Status",
}
"""The columns of a quartile list's CSV download: the same rows as the page, numbers as numbers."""


def quartile_list(catalogue: Catalogue, bench: Benchmark, period: str, focus: str, quartile: int) -> pd.DataFrame:
    """Return the focus authority's indicators in ``quartile`` (1 = top 25%, 4 = bottom 25%) in ``period``,
    sorted by theme then name, one row each.

    Columns: theme, indicator_id, name, unit, value, rank, n_ranked, quartile, group_median and
    group_best (the median and the best value among the group's members ranked that period: the
    value ranked 1st, so the highest, the lowest or the closest to the target as the polarity has
    it), source_period and status of the focus authority's figure, and older (the figures were
    published for an earlier period: ``overview.figures_used``, the Overview's rule).
    """
    return quartile_lists(catalogue, bench, period, focus, (quartile,))[quartile]


def quartile_lists(
    catalogue: Catalogue,
    bench: Benchmark,
    period: str,
    focus: str,
    quartiles: tuple[int, ...] = (BOTTOM, TOP),
    current: pd.DataFrame | None = None,
) -> dict[int, pd.DataFrame]:
    """Return ``quartile_list`` for each of ``quartiles``, reading the period's ranks and figures once
    (``current``: the focus authority's rows of the period, ``focus_lists.focus_rows``, when the caller has them)."""
    for quartile in quartiles:
        if quartile not in focus_lists.QUARTILES:
            raise BadArgumentError(f"quartile must be one of {focus_lists.QUARTILES}, got {quartile!r}")
    if current is None:
        current = focus_lists.focus_rows(bench.ranks, catalogue.indicators, focus, period)
    listed = current[current["quartile"].isin(quartiles).to_numpy(dtype=bool, na_value=False)]
    group = _group_figures(bench.ranks, period, listed["indicator_id"])
    vintage = figures_used(catalogue, bench, OVERALL, period)
    values = catalogue.reporting_values
    own = np.flatnonzero((values["authority_code"] == focus).to_numpy() & (values["period"] == period).to_numpy())
    used = pd.DataFrame({c: values[c].array.take(own) for c in ("indicator_id", "status")})
    used = used.drop_duplicates("indicator_id")
    found = listed.assign(
        group_median=_looked_up(group, "group_median", listed),
        group_best=_looked_up(group, "group_best", listed),
        source_period=as_reported(_looked_up(vintage, "source_period", listed), bench.ranks["period"].unique()),
        status=_looked_up(used, "status", listed),
        older=pd.Series(_looked_up(vintage, "older", listed), index=listed.index).fillna(False).astype(bool),
    )
    columns = ["theme", "indicator_id", "name", "unit", "value", "rank", "n_ranked", "quartile"]
    columns += ["group_median", "group_best", "source_period", "status", "older"]
    found = found[columns].sort_values(["theme", "name"], ignore_index=True)
    return {q: found[(found["quartile"] == q).to_numpy()].reset_index(drop=True) for q in quartiles}


def _group_figures(ranks: pd.DataFrame, period: str, indicator_ids: pd.Series) -> pd.DataFrame:
    """Return, per indicator of ``indicator_ids``, the median and the best value (ranked 1st; the lowest such
    value on a tie) among the group's members ranked in ``period``: indicator_id, group_median, group_best."""
    ranked = ranks["in_group"].to_numpy(dtype=bool) & ranks["rank"].notna().to_numpy()
    rows = np.flatnonzero(ranked & (ranks["period"] == period).to_numpy())
    ids = ranks["indicator_id"].array.take(rows)
    listed = pd.Index(indicator_ids).get_indexer(ids) >= 0
    rows = rows[listed]
    codes, ids = pd.factorize(ids[listed])
    value = ranks["value"].to_numpy(dtype=float, na_value=np.nan)[rows]
    order = np.lexsort((value, ranks["rank"].to_numpy(dtype=float, na_value=np.nan)[rows], codes))  # stable
    first = order[np.r_[True, codes[order][1:] != codes[order][:-1]]] if len(order) else order
    return pd.DataFrame(
        {
            "indicator_id": ids,
            "group_median": pd.Series(value).groupby(codes).median().to_numpy(),
            "group_best": value[first],
        }
    )


def _looked_up(frame: pd.DataFrame, column: str, rows: pd.DataFrame):
    """Return ``frame[column]`` at each of ``rows``' indicators (missing where ``frame`` has no row of it; its
    indicator ids are unique), as an array in the column's type."""
    at = pd.Index(frame["indicator_id"]).get_indexer(rows["indicator_id"])
    return frame[column].array.take(at, allow_fill=True)


def improvement_list(
    catalogue: Catalogue, bench: Benchmark, period: str, focus: str, current: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Return, in words, the focus authority's indicators that were bottom quartile in their previous ranked
    period and are in a better quartile in ``period`` with a figure that improved (direction of travel;
    ``focus_lists.improvement_since_previous``), by theme; both ranks "12th of 34"."""
    improved = focus_lists.improvement_since_previous(
        bench.ranks, bench.travel, catalogue.indicators, focus, period=period, current=current
    )
    return pd.DataFrame(
        {
            "Theme": improved["theme"].astype(str),
            "Indicator": improved["name"].astype(str),
            "Previous period": improved["previous_period"].astype(str),
            "Rank then": [
                position_text(r, n) for r, n in zip(improved["previous_rank"], improved["previous_n_ranked"])
            ],
            "Rank now": [position_text(r, n) for r, n in zip(improved["rank"], improved["n_ranked"])],
            "Quartile now": [ordinal(q) for q in improved["quartile"]],
            "Places gained": [f"{int(p):,}" for p in improved["places_gained"]],
        }
    )


def value_text(value, unit) -> str:
    """Return a value as people read it: 61.8% for a percentage unit, £1,152 for pounds, 0.237 for a share from 0 to
    1 (``number``), else 1,227 or 3.45."""
    unit = "" if _missing_text(unit) else str(unit)
    if is_percent_unit(unit):
        return number(value, "%")
    if unit.startswith("£"):
        return number(value, unit if unit in ("£", "£m") else "£")
    return number(value, unit)


def list_in_words(listed: pd.DataFrame) -> pd.DataFrame:
    """Return a quartile list (``quartile_list``) as the page shows it: ``LIST_COLUMNS``, every cell in words
    (values with their unit, "3rd of 34", the published period with "earlier" or its status; the unit as stored,
    '%' and '£' too, blank only for an indicator without one)."""
    return pd.DataFrame(
        {
            "Theme": listed["theme"].astype(str),
            "Indicator": listed["name"].astype(str),
            "Value": [value_text(v, u) for v, u in zip(listed["value"], listed["unit"])],
            "Rank": [position_text(r, n) for r, n in zip(listed["rank"], listed["n_ranked"])],
            "Group median": [value_text(v, u) for v, u in zip(listed["group_median"], listed["unit"])],
            "Best in group": [value_text(v, u) for v, u in zip(listed["group_best"], listed["unit"])],
            "Unit": ["" if _missing_text(u) else str(u) for u in listed["unit"]],
            "Published for": [
                published_for(p, s, o) for p, s, o in zip(listed["source_period"], listed["status"], listed["older"])
            ],
        },
        columns=LIST_COLUMNS,
    )


def list_for_download(listed: pd.DataFrame) -> pd.DataFrame:
    """Return a quartile list (``quartile_list``) for its CSV download: the page's rows in the same order,
    with the columns of ``DOWNLOAD_COLUMNS`` and the numbers as numbers."""
    return listed[list(DOWNLOAD_COLUMNS)].rename(columns=DOWNLOAD_COLUMNS).reset_index(drop=True)


def _missing_text(value) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value)) or str(value).strip() == ""


def direction_table(catalogue: Catalogue, bench: Benchmark, period: str, focus: str) -> pd.DataFrame:
    """Return the focus authority's indicators per theme (rows, Overall first) by direction of travel
    (columns Improved, No real change, Worsened, Not comparable), as counts."""
    directions = focus_lists.direction_counts(bench.travel, catalogue.indicators, focus, period=period)
    names = [direction.capitalize() for direction in travel.DIRECTIONS]
    return _by_theme(directions, travel.DIRECTIONS, names, ranked_only=False)


@dataclass(frozen=True)
class QuartileTables:
    """The Quartiles page's tables for one focus authority and period (``quartile_tables``)."""

    counts: pd.DataFrame
    """``quartile_table``: indicators per theme and quartile."""
    lists: dict[int, pd.DataFrame]
    """``quartile_lists`` of the bottom and the top quartile."""
    improved: pd.DataFrame
    """``improvement_list``."""
    directions: pd.DataFrame
    """``direction_table``."""
    absent: str | None = None
    """Why the focus authority has no figures when it did not exist in the period (``lifetimes.not_existing_text``);
    None when it existed."""


def quartile_tables(catalogue: Catalogue, bench: Benchmark, period: str, focus: str) -> QuartileTables:
    """Return the Quartiles page's tables for ``focus`` in ``period``, deriving the focus authority's rows of the
    period (``focus_lists.focus_rows``) once for the counts, the lists and the improvement list."""
    current = focus_lists.focus_rows(bench.ranks, catalogue.indicators, focus, period)
    return QuartileTables(
        counts=quartile_table(catalogue, bench, period, focus, current=current),
        lists=quartile_lists(catalogue, bench, period, focus, (BOTTOM, TOP), current=current),
        improved=improvement_list(catalogue, bench, period, focus, current=current),
        directions=direction_table(catalogue, bench, period, focus),
        absent=not_existing_text(focus, catalogue.authority_name(focus), period, has_figures=not current.empty),
    )


@dataclass(frozen=True)
class ThinPeriods:
    """The periods in which a theme's positions rest on few indicators."""

    theme: str
    periods: list[str]
    fewest: int
    """The fewest indicators available in those periods."""
    most_of_thin: int
    """The most indicators available in those periods."""
    most: int
    """The most indicators the theme has in any period shown."""
    runs: tuple[tuple[str, ...], ...] = ()
    """``periods`` split into runs of periods next to each other in the rows (one run when not given)."""

    def named(self) -> str:
        """Return the periods in words: "2001/02, 2002/03" (three or fewer), else "14 periods, 2001/02 to 2014/15",
        each run of periods next to each other named apart: "6 periods, 2005/06 to 2009/10 and 2025/26"."""
        periods = self.periods
        if len(periods) <= 3:
            return ", ".join(periods)
        runs = self.runs or (tuple(periods),)
        named = [run[0] if len(run) == 1 else f"{run[0]} to {run[-1]}" for run in runs]
        return f"{len(periods)} periods, {names_text(named, limit=len(named))}"


def thin_periods(positions: pd.DataFrame) -> list[ThinPeriods]:
    """Return, per theme (in order of appearance), the periods of ``positions`` whose theme had fewer
    than ``FEW_INDICATORS_SHARE`` of its most indicators available (``n_available``); themes without any are left out.

    ``positions``: one authority's rows of positions (theme, period, n_available; position), oldest first; with a
    position column only the rows that hold a position count, so every page names the same periods.
    """
    found = []
    for theme, rows in _held(positions).groupby("theme", sort=False):
        is_thin = _few(rows, rows["n_available"].max())
        thin = rows[is_thin]
        if len(thin):
            starts = np.cumsum(np.r_[is_thin[:1], is_thin[1:] & ~is_thin[:-1]])[is_thin]  # the run each is in
            found.append(
                ThinPeriods(
                    theme=str(theme),
                    periods=[str(p) for p in thin["period"]],
                    fewest=int(thin["n_available"].min()),
                    most_of_thin=int(thin["n_available"].max()),
                    most=int(rows["n_available"].max()),
                    runs=tuple(tuple(str(p) for p in thin["period"][starts == run]) for run in np.unique(starts)),
                )
            )
    return found


def _held(positions: pd.DataFrame) -> pd.DataFrame:
    """Return the rows of ``positions`` that hold a position (every row without a position column)."""
    return positions[positions["position"].notna().to_numpy()] if "position" in positions else positions


def _few(rows: pd.DataFrame, most) -> np.ndarray:
    """Return, per row, whether it has fewer than ``FEW_INDICATORS_SHARE`` of ``most`` indicators available."""
    return (rows["n_available"] < most * FEW_INDICATORS_SHARE).to_numpy(dtype=bool, na_value=False)


def without_thin_periods(positions: pd.DataFrame) -> tuple[pd.DataFrame, ThinPeriods | None]:
    """Return one authority's positions in one theme without the periods that rest on few indicators
    (``thin_periods``) and without the periods with no position that rest on as few, and the thin periods (None when
    there are none): a line over them would set a position from one indicator beside positions from hundreds."""
    found = thin_periods(positions)
    return positions[~rests_on_few(positions)].reset_index(drop=True), (found[0] if found else None)


def axis_periods(trend: pd.DataFrame, drawn: pd.DataFrame) -> list[str]:
    """Return the periods a line of positions over time is drawn on: every period of ``trend`` (period,
    period_start), oldest first, from the first to the last that ``drawn`` holds. A period between them where a
    line has no position (under the coverage rule, or left out as resting on few indicators) stays on the axis, so
    the line breaks there rather than joining its neighbours (the Trend chart's and the Overview's rule)."""
    periods = list(dict.fromkeys(trend.sort_values("period_start", kind="stable")["period"]))
    ends = [periods.index(p) for p in drawn["period"]]
    return periods[min(ends) : max(ends) + 1] if ends else []


def rests_on_few(positions: pd.DataFrame) -> np.ndarray:
    """Return, per row of one authority's positions in one theme (with or without a position), whether it has fewer
    than ``FEW_INDICATORS_SHARE`` of the most indicators available in a period that holds a position."""
    held = _held(positions)
    return _few(positions, held["n_available"].max()) if len(held) else np.zeros(len(positions), dtype=bool)


def trend_in_words(positions: pd.DataFrame, found: list[ThinPeriods] | None = None) -> str | None:
    """Return positions over time in words, per theme from the first to the last period that does not rest on few
    indicators (``thin_periods``, the Overview's rule): "Overall: 16 in 2015/16 to 5 in 2025/26 (left out: 18
    periods, 1997/98 to 2014/15, which rest on few indicators)"; None without positions.

    ``positions``: one authority's rows with a position (theme, period, position, n_available), oldest first;
    ``found``: their ``thin_periods`` when the caller has them already (found here when None).
    """
    thin = {each.theme: each for each in (thin_periods(positions) if found is None else found)}
    parts = []
    for theme, rows in positions.groupby("theme", sort=False):
        left_out = thin.get(str(theme))
        shown = rows[~rows["period"].isin(left_out.periods)] if left_out else rows
        first, last = shown.iloc[0], shown.iloc[-1]
        text = f"{theme}: {int(first['position'])} in {first['period']} to {int(last['position'])} in {last['period']}"
        parts.append(f"{text} (left out: {left_out.named()}, which rest on few indicators)" if left_out else text)
    return "; ".join(parts) or None
