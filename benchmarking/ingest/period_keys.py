"""Period keys: a file's period labels in the store's spelling, and the period rules that refuse rows.

A period written another way than the store holds it (``2023/24`` for ``2023-24``, ``2021/22 (P)``) is put in
the label the indicator's figures for those days are stored under (``method.periods.written_as``), its marker
becoming the row's status; a label of another kind than an indicator's financial years, or provisional figures
over stored final ones, are refused at their rows (``refused_periods``).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from benchmarking.cells import distinct_cells, is_encoded
from benchmarking.domain import VALUE_STATUSES
from benchmarking.ingest.keys import distinct_rows, held_in, plain_text, replaced, stripped
from benchmarking.ingest.results import FILE_COLUMN
from benchmarking.method.periods import (
    financial_years_of,
    is_financial_year,
    period_alias,
    same_days,
    span_or_none,
    split_status,
    status_of_marker,
    written_as,
)
from benchmarking.store import schema


def stored_value_periods(con) -> pd.DataFrame:
    """Return the distinct (indicator_id, period, status) of the store's values, read on ``con`` (empty for None)."""
    if con is None:
        return pd.DataFrame({"indicator_id": [], "period": [], "status": []}, dtype=object)
    return con.execute("SELECT DISTINCT indicator_id, period, status FROM indicator_value").df()


def canonical_periods(
    frame: pd.DataFrame, stored: pd.DataFrame, table: str = "indicator_value"
) -> tuple[pd.DataFrame, pd.Series | None]:
    """Return the rows with each period in the store's label and its status apart, and per row why its marker is
    refused (None when no row's is): a status cell contradicts it, or ``table`` keeps no status for it.

    The rules are ``method.periods``'s (aliases): a marker such as ``(P)`` becomes the status of a row whose
    status cell is empty (its ``FILE_COLUMN`` locator then names the period's column, which gave it), a marker
    of another status than a non-empty status cell is refused naming both, and a label naming a stored period's
    days (``stored``: the stored values' distinct indicator, period and status) becomes its label. A table with no
    status column (spend, funding, dashboard_extra) keeps final figures: a final or revised marker is dropped, a
    provisional one refused (its figures would be stored as final).
    """
    if "period" not in frame or frame.empty:
        return frame, None
    labels = stripped(frame["period"])
    distinct = distinct_cells(labels)
    split = {label: split_status(label) for label in distinct}
    marked = {label: status_of_marker(marker) for label, (_, marker) in split.items() if marker}
    marked = {label: status for label, status in marked.items() if status}
    refused = None
    if marked and "status" not in schema.COLUMNS.get(table, {}):
        unkept = {label: _UNKEPT.format(label=label, table=table) for label, s in marked.items() if s == "provisional"}
        refused = labels.map(unkept).astype(object) if unkept else None
    elif marked:  # a values file: the marker is the figures' status
        given = (
            given_status(frame["status"])
            if "status" in frame.columns
            else pd.Series(None, index=frame.index, dtype=object)
        )
        refused = _contradicted(labels, given, marked)
        by_marker = given.isna().to_numpy() & held_in(labels, set(marked))
        frame = frame.assign(status=given.where(~by_marker, labels.map(marked)))
        if by_marker.any():
            frame[FILE_COLUMN + "status"] = _either(
                by_marker, _locator(frame, "period"), _locator(frame, "status"), len(frame)
            )
    if marked:
        labels = replaced(labels, {label: split[label][0] for label in marked})  # per distinct label
        distinct = dict.fromkeys(split[label][0] if label in marked else label for label in distinct)
    known = [str(label) for label in stored["period"].dropna().unique()]
    if "indicator_id" in frame.columns:
        labels = _as_held(frame["indicator_id"], labels, [str(label) for label in distinct], stored, known)
    else:
        aliases = {label: period_alias(label, known) for label in distinct if label not in known}
        labels = replaced(labels, {old: new for old, new in aliases.items() if new})
    return frame.assign(period=labels), refused


_UNKEPT = (
    "period {label!r} is marked provisional (figures that may still change), and table {table} keeps no status, "
    "so they would be stored as final: drop the marker once the figures are final, or leave the provisional "
    "figures out of the file"
)


def _as_held(
    indicators: pd.Series, cells: pd.Series, distinct: list[str], stored: pd.DataFrame, known: list[str]
) -> pd.Series:
    """Return a values file's period cells with each label in the one its indicator's figures for those days are
    stored under (``method.periods.written_as``): the label the indicator holds, else the store's spelling; so the
    same key is never stored twice, and one written twice in a file is refused as a repeat. Worked out per
    distinct (indicator, label) of the labels that another label, stored or in the file, names the days of."""
    grouped = {label for same in same_days(list(dict.fromkeys([*distinct, *known]))) for label in same}
    rows = held_in(cells, grouped) if grouped else None
    if rows is None or not rows.any():
        return cells
    pairs = distinct_rows(pd.DataFrame({"indicator_id": indicators[rows], "period": cells[rows]}))
    in_groups = stored[stored["period"].isin(grouped)]
    held = in_groups.groupby("indicator_id")["period"].agg(frozenset) if len(in_groups) else pd.Series()
    given = pairs.groupby("indicator_id")["period"].agg(frozenset)
    changes = {}
    for indicator, label in pairs.itertuples(index=False):
        chosen = written_as(label, held.get(indicator, frozenset()), given[indicator], tuple(known))
        if chosen != label:
            changes[(indicator, label)] = chosen
    if not changes:
        return cells
    at = np.flatnonzero(rows)
    found = pd.MultiIndex.from_tuples(list(changes)).get_indexer(
        pd.MultiIndex.from_arrays([indicators.iloc[at].astype(object), cells.iloc[at].astype(object)])
    )
    relabelled = cells.astype(object).to_numpy(copy=True)
    relabelled[at[found >= 0]] = np.asarray(list(changes.values()), dtype=object)[found[found >= 0]]
    written = pd.Series(relabelled, index=cells.index, name=cells.name)
    return written.astype("category") if is_encoded(cells) else written.astype(cells.dtype)


def _contradicted(labels: pd.Series, given: pd.Series, marked: Mapping[str, str]) -> pd.Series | None:
    """Return per row why its label's marker (``marked``: label -> status) names another status than its status
    cell (``given``), missing where they agree or the cell is empty or no status; None when no row contradicts.
    Worked out per distinct (label, status) pair."""
    keyed = pd.DataFrame({"period": labels, "status": given.str.lower()})
    pairs = distinct_rows(keyed)
    by_pair = {
        (label, status): f"period {label!r} is marked {marked[label]} but its status is {status!r}: give one"
        for label, status in pairs.itertuples(index=False)
        if label in marked and status in VALUE_STATUSES and status != marked[label]
    }
    return _row_messages(by_pair, keyed) if by_pair else None


def _locator(frame: pd.DataFrame, column: str) -> pd.Series | str:
    """Return the file's column that gave ``column`` per row (``FILE_COLUMN`` locators), else ``column`` itself."""
    return frame[FILE_COLUMN + column] if FILE_COLUMN + column in frame.columns else column


def _either(choose: np.ndarray, chosen: pd.Series | str, other: pd.Series | str, rows: int) -> pd.Categorical:
    """Return per row ``chosen``'s label where ``choose`` is True, else ``other``'s, as encoded text (codes picked,
    no text copied per row)."""
    both = union_categoricals([_encoded(chosen, rows), _encoded(other, rows)], ignore_order=True)
    codes = both.codes
    return pd.Categorical.from_codes(np.where(choose, codes[:rows], codes[rows:]), categories=both.categories)


def _encoded(cells: pd.Series | str, rows: int) -> pd.Categorical:
    """Return a locator (per-row labels, or one label for every row) as a categorical of ``rows`` rows."""
    if isinstance(cells, str):
        return pd.Categorical.from_codes(np.zeros(rows, dtype=np.int8), categories=[cells])
    return pd.Categorical(cells.astype(object) if not is_encoded(cells) else cells)


def given_status(cells: pd.Series) -> pd.Series:
    """Return a status column as plain text, trimmed, with an empty cell missing: a figure's status as the checks
    read it (``file_checks.check``), before its case is folded."""
    text = stripped(plain_text(cells.to_frame())[cells.name]).astype("string")
    return text.mask(text.eq(""))


SETTLED = ("final", "revised")
"""Statuses of figures that provisional ones never replace (``refused_periods``)."""


def refused_periods(frame: pd.DataFrame, stored: pd.DataFrame) -> dict[str, pd.Series]:
    """Return, per rule that refuses some of the rows, each row's message (missing where the row passes).

    ``frame`` holds checked rows (``file_checks.check``: canonical periods and ids, the status in lower case) and
    ``stored`` the stored values' distinct indicator, period and status. Two rules: a label of another kind than
    an indicator's stored financial years is refused naming them (``other_kind``), and provisional figures over
    stored final or revised ones (``over_final``, ``SETTLED``). Worked out per distinct (indicator, period, status),
    not per row.
    """
    if "period" not in frame or "indicator_id" not in frame.columns or frame.empty or stored.empty:
        return {}
    labels = frame["period"]
    stored_labels = stored["period"].astype(object)
    yearly = stored_labels.map(_per_label(stored_labels, is_financial_year)).groupby(stored["indicator_id"]).all()
    # A revised figure is a final one corrected: provisional figures replace neither.
    settled = stored.loc[stored["status"].isin(SETTLED), ["indicator_id", "period", "status"]].astype(object)
    settled_as = (
        settled.sort_values("status")
        .drop_duplicates(["indicator_id", "period"])
        .set_index(["indicator_id", "period"])["status"]
    )  # 'final' before 'revised': a pair with both is named final
    finals = settled_as.index.to_frame(index=False)
    keyed = pd.DataFrame({"indicator_id": frame["indicator_id"], "period": labels})
    keyed["status"] = (
        frame["status"]
        if "status" in frame.columns
        else pd.Categorical.from_codes(np.zeros(len(frame), dtype=np.int8), categories=[""])
    )
    pairs = distinct_rows(keyed)  # the distinct (indicator, period, status) of millions of rows
    # Each rule over the distinct pairs at once, from per-label facts (a few labels) and per-indicator ones.
    not_yearly = ~pairs["period"].map(_per_label(pairs["period"], is_financial_year)).astype(bool)
    readable = pairs["period"].map(_per_label(pairs["period"], lambda label: span_or_none(str(label)) is not None))
    other_kind = pairs["indicator_id"].map(yearly).fillna(False).astype(bool) & not_yearly & readable.astype(bool)
    over_final = pairs["status"].eq("provisional") & pd.MultiIndex.from_frame(pairs[["indicator_id", "period"]]).isin(
        pd.MultiIndex.from_frame(finals)
    )
    messages: dict[str, dict[tuple[str, str, str], str]] = {"other_kind": {}, "over_final": {}}
    for indicator, label, status in pairs[other_kind].itertuples(index=False):  # refused pairs only
        held = sorted(set(stored_labels[stored["indicator_id"].eq(indicator).to_numpy()]))
        # Every year the label overlaps: a calendar year's figures may be either year's, or a year not held yet.
        years = [n if n in held else period_alias(n, held) or n for n in financial_years_of(label)]  # as held
        names = [f"{n!r} ({'held' if n in held else 'not held yet'})" for n in years]
        messages["other_kind"][(indicator, label, status)] = (
            f"period {label!r} is not a financial year, and {indicator}'s figures are by financial year "
            f"(the store holds {', '.join(repr(p) for p in held[-3:])}): give the financial year "
            f"it belongs to: {' or '.join(names)}"
        )
    for indicator, label, status in pairs[over_final & ~other_kind].itertuples(index=False):
        messages["over_final"][(indicator, label, status)] = (
            f"provisional figures for {indicator} in {label!r}, whose {settled_as[(indicator, label)]} figures are "
            "stored: provisional figures do not replace final ones (give status 'revised' if these correct them)"
        )
    return {rule: _row_messages(by_pair, keyed) for rule, by_pair in messages.items() if by_pair}


def _row_messages(by_key: Mapping[tuple, str], keyed: pd.DataFrame) -> pd.Series:
    """Return per row of ``keyed`` the message of its key (its cells, in ``by_key``), missing where it has none:
    the rows looked up once, as codes into the few distinct messages."""
    rows = pd.MultiIndex.from_frame(keyed.astype(object))
    texts = pd.Index(list(dict.fromkeys(by_key.values())))
    codes = texts.get_indexer(list(by_key.values()))
    found = pd.MultiIndex.from_tuples(list(by_key)).get_indexer(rows)
    row_codes = np.where(found >= 0, codes[np.maximum(found, 0)], -1)
    return pd.Series(pd.Categorical.from_codes(row_codes, categories=texts), index=keyed.index)


def _per_label(labels: pd.Series, rule) -> dict:
    """Return ``rule(label)`` for each distinct label (a handful), to map over many rows."""
    return {label: rule(label) for label in distinct_cells(labels)}
