"""The effect of an import on coverage: which themes and authorities have data, before and after.

The preview shows it before anything is written (``preview.preview_import``).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from benchmarking.store import Store

_GROUP_COLUMN = {"indicator_value": "period", "spend": "period", "funding": "period", "deprivation": "edition"}
MISSING_NAMES_SHOWN = 12


def coverage_effect(store: Store, changes: Mapping[str, pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (themes, authorities): coverage before and after writing ``changes``, for the periods touched.

    ``themes``: per theme, indicators with at least one value and values held, before and
    after. ``authorities``: per table and period (or edition), how many authorities have
    data before and after, and the names of those still without.
    """
    exists = store.exists()
    authorities = store.authorities()[["code", "name"]] if exists else pd.DataFrame(columns=["code", "name"])
    if "authority" in changes:
        authorities = pd.concat([authorities, changes["authority"][["code", "name"]]]).drop_duplicates(
            "code", keep="last"
        )
    themes = pd.DataFrame(columns=["theme", "indicators_before", "indicators_after", "values_before", "values_after"])
    parts = []
    for table, group in _GROUP_COLUMN.items():
        if table not in changes or group not in changes[table]:
            continue
        incoming = changes[table]
        touched = sorted(incoming[group].dropna().unique())
        if table == "indicator_value":
            keys, measure = ["indicator_id", "authority_code", "period"], "value"
            before = store.values(touched).drop(columns="period_start") if exists else incoming.iloc[0:0]
        else:
            keys, measure = [c for c in ("authority_code", "period", "service", "edition") if c in incoming], None
            before = store.table(table) if exists else incoming.iloc[0:0]
            before = before[before[group].isin(touched)]
        after = _replace_by_key(before, incoming, keys)
        parts.append(_authority_coverage(table, group, before, after, authorities, measure))
        if table == "indicator_value":
            indicators = store.indicators()[["id", "theme"]] if exists else pd.DataFrame(columns=["id", "theme"])
            if "indicator" in changes:
                indicators = pd.concat([indicators, changes["indicator"][["id", "theme"]]]).drop_duplicates(
                    "id", keep="last"
                )
            themes = _theme_coverage(before, after, indicators)
    frame = (
        pd.concat(parts, ignore_index=True)
        if parts
        else pd.DataFrame(
            columns=["table", "period", "authorities_before", "authorities_after", "missing_after", "still_missing"]
        )
    )
    return themes, frame


def _replace_by_key(before: pd.DataFrame, incoming: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Return ``before`` with the rows whose key ``incoming`` holds replaced by ``incoming``'s rows."""
    kept = before[~_key_in(before, incoming, keys)]
    columns = [c for c in before.columns if c in incoming.columns]
    return pd.concat([kept[columns], incoming[columns]], ignore_index=True)


def _key_in(frame: pd.DataFrame, other: pd.DataFrame, keys: list[str]) -> np.ndarray:
    """Return, per row of ``frame``, whether ``other`` has a row with the same key."""
    both = pd.concat([frame[keys], other[keys]], ignore_index=True)
    code = np.zeros(len(both), dtype=np.int64)
    for column in keys:  # one small integer per distinct key, column by column
        codes, uniques = pd.factorize(both[column])
        code = pd.factorize(code * (len(uniques) + 1) + (codes + 1))[0]
    return np.isin(code[: len(frame)], code[len(frame) :])


def _theme_coverage(before: pd.DataFrame, after: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    theme_of = dict(zip(indicators["id"], indicators["theme"]))

    def count(values: pd.DataFrame, suffix: str) -> pd.DataFrame:
        per_indicator = values.loc[values["value"].notna(), "indicator_id"].value_counts()
        themes = per_indicator.index.map(lambda i: theme_of.get(i, "(no theme)"))
        grouped = per_indicator.groupby(themes)
        return pd.DataFrame({f"indicators_{suffix}": grouped.size(), f"values_{suffix}": grouped.sum()})

    table = count(before, "before").join(count(after, "after"), how="outer").fillna(0).astype(int)
    table = table[["indicators_before", "indicators_after", "values_before", "values_after"]]
    table.index.name = "theme"
    return table.reset_index().sort_values("theme", ignore_index=True)


def _authority_coverage(
    table: str, group: str, before: pd.DataFrame, after: pd.DataFrame, authorities: pd.DataFrame, measure: str | None
) -> pd.DataFrame:
    def present(frame: pd.DataFrame) -> dict[str, set[str]]:
        if measure is not None:
            frame = frame[frame[measure].notna()]
        pairs = frame[[group, "authority_code"]].drop_duplicates()
        return {label: set(codes) for label, codes in pairs.groupby(group)["authority_code"]}

    had, has = present(before), present(after)
    names = dict(zip(authorities["code"], authorities["name"]))
    rows = []
    for label in sorted(after[group].dropna().unique()):
        with_data = has.get(label, set())
        missing = sorted(names.get(code, code) for code in set(authorities["code"]) - with_data)
        shown = ", ".join(missing[:MISSING_NAMES_SHOWN]) + (
            f" and {len(missing) - MISSING_NAMES_SHOWN} more" if len(missing) > MISSING_NAMES_SHOWN else ""
        )
        rows.append(
            {
                "table": table,
                "period": label,
                "authorities_before": len(had.get(label, set())),
                "authorities_after": len(with_data),
                "missing_after": len(missing),
                "still_missing": shown,
            }
        )
    return pd.DataFrame(rows)
