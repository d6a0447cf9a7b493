"""The rules an imported row must pass, and the checker that records where each one fails.

``RowChecker`` collects the problems of one frame, each located by the file's own row
(header = row 1) and column, and marks the rows that failed. The rules here are the
ones that know the domain: polarities, authority kinds, services, value statuses,
period labels, known authorities and indicators, baskets, and one row per key.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from benchmarking.cells import distinct_cells, is_encoded
from benchmarking.errors import BadPeriodError, ValidationIssue
from benchmarking.ingest.keys import (
    CONTROL,
    INVISIBLE,
    KEY_COLUMNS,
    MAX_NAME_LENGTH,
    MISTYPED_ONS_CODE,
    NAME_COLUMNS,
    canonical_codes,
    canonical_ids,
    describe_invisible,
    held_in,
    one_edit_away,
    repeated_keys,
)
from benchmarking.ingest.period_keys import refused_periods
from benchmarking.ingest.results import FILE_COLUMN, MoreRows, file_rows
from benchmarking.method.baskets import ALL_PUBLISHED, ALL_PUBLISHED_NAME
from benchmarking.method.periods import period_start
from benchmarking.store import schema

MAX_ISSUES_PER_CHECK = 20
POPULATION_RANGE = (100, 100_000_000)
"""An authority's population: more than a hundred people, fewer than the UK's 70 million with room to spare."""
LARGEST_RANK = 100_000
"""A deprivation rank is a whole number from 1 (most deprived); no IMD ranks more areas than this."""
_POLARITY_WORDS = {
    "high": "high",
    "higher": "high",
    "higher is better": "high",
    "descending": "high",
    "up": "high",
    "low": "low",
    "lower": "low",
    "lower is better": "low",
    "ascending": "low",
    "down": "low",
    "target": "target",
    "target band": "target",
    "goldilocks": "target",
    "none": "none",
    "n/a": "none",
    "context": "none",
}


class RowChecker:
    """Collects issues for one frame, located by file row (header = row 1) and file column."""

    def __init__(self, file_name: str, frame: pd.DataFrame):
        self.file_name = file_name
        self.frame = frame
        self.issues: list[ValidationIssue] = []
        self.rejected = np.zeros(len(frame), dtype=bool)
        self.blocking = False
        self.rows = file_rows(frame)

    def column_at(self, column: str, position: int) -> str:
        """Return the file's name for ``column`` at a row (a mapped file names its own columns)."""
        source = FILE_COLUMN + column
        if source in self.frame.columns:
            return str(self.frame[source].iloc[position])
        return column

    def block(self, column: str | None, message: str) -> None:
        """Add an issue about the whole file: none of its rows can be written."""
        self.issues.append(ValidationIssue(self.file_name, None, column, message))
        self.blocking = True
        self.rejected[:] = True

    def flag(self, mask: np.ndarray | pd.Series, column: str, message) -> None:
        """Add one issue per flagged row (up to a limit); ``message`` may be a function of the cell, or a Series of
        each row's message."""
        mask = as_bool(mask)
        self.rejected |= mask
        rows = np.flatnonzero(mask)
        for position in rows[:MAX_ISSUES_PER_CHECK]:
            if isinstance(message, pd.Series):
                text = message.iloc[position]
            elif callable(message):
                text = message(self.frame[column].iloc[position] if column in self.frame else None)
            else:
                text = message
            self.issues.append(
                ValidationIssue(self.file_name, int(self.rows[position]), self.column_at(column, position), text)
            )
        if len(rows) > MAX_ISSUES_PER_CHECK:
            self.issues.append(
                MoreRows(
                    self.file_name,
                    None,
                    self.column_at(column, rows[0]),
                    f"... {self._more_text(rows)} with the same problem",
                    after=int(self.rows[rows[MAX_ISSUES_PER_CHECK - 1]]),
                )
            )

    def _more_text(self, flagged: np.ndarray) -> str:
        """Return how many more of the file's rows have a flagged cell than the first ones listed ("18 more rows");
        a row of a wide file holds a cell per period or indicator column, so its cells are not counted as rows. When
        every such row is listed, how many more of their cells are flagged ("10 more cells of the rows listed")."""
        file_rows = self.rows[flagged]
        listed = set(file_rows[:MAX_ISSUES_PER_CHECK].tolist())
        more = len(set(file_rows[MAX_ISSUES_PER_CHECK:].tolist()) - listed)
        if more:
            return f"{more:,} more rows"
        return f"{len(flagged) - MAX_ISSUES_PER_CHECK:,} more cells of the rows listed"


def as_bool(mask) -> np.ndarray:
    """Return a mask as a numpy bool array (missing counts as False)."""
    if isinstance(mask, pd.Series):
        return mask.fillna(False).to_numpy(dtype=bool)
    return np.asarray(mask, dtype=bool)


def check_duplicate_keys(table: str, out: pd.DataFrame, check: RowChecker) -> None:
    """Flag rows whose key repeats in the file, each key once with the rows that repeat it (returns None)."""
    keys = list(schema.KEYS[table])
    if not all(k in out.columns for k in keys):
        return
    duplicated = pd.Series(repeated_keys(out, keys), index=out.index)
    if not duplicated.any():  # the usual file: the key columns' missing cells need not be looked at
        return
    duplicated &= out[keys].notna().all(axis=1)
    if not duplicated.any():
        return
    check.rejected |= duplicated.to_numpy()
    others = [c for c in out.columns if c not in keys]
    first_rows = out[duplicated].groupby(keys, dropna=False).head(1).index
    for key_row in first_rows[:MAX_ISSUES_PER_CHECK]:
        key = out.loc[key_row, keys]
        # a missing cell matches no key (else a row with no indicator would be listed as repeating the key)
        positions = np.flatnonzero((out[keys] == key.values).fillna(False).all(axis=1).to_numpy(dtype=bool))
        rows = check.rows[positions]
        same = len(out.iloc[positions][others].drop_duplicates()) == 1 if others else True
        advice = (
            "the same values repeated: delete the repeated rows"
            if same
            else "with different values: keep the right row and delete the others"
        )
        check.issues.append(
            ValidationIssue(
                check.file_name,
                int(rows[0]),
                ", ".join(keys),
                f"duplicate key {tuple(key.values)} also on row(s) {', '.join(map(str, rows[1:6]))}, "
                f"{advice} (each key may appear once)",
            )
        )
    if len(first_rows) > MAX_ISSUES_PER_CHECK:
        check.issues.append(
            MoreRows(
                check.file_name,
                None,
                ", ".join(keys),
                f"... {len(first_rows) - MAX_ISSUES_PER_CHECK:,} more duplicated keys",
                after=check.issues[-1].row,
            )
        )


def check_known(
    out: pd.DataFrame,
    column: str,
    known: set[str],
    check: RowChecker,
    what: str,
    advice: str,
    names: Mapping[str, str] | None = None,
) -> None:
    """Flag rows whose ``column`` holds a code or id not in ``known`` (returns None); with ``names`` (code -> name), a
    message names the known codes one edit from the cell (``keys.one_edit_away``) as what it may mean."""

    def message(cell: object) -> str:
        near = one_edit_away(cell, known) if names is not None else []
        if not near:
            return f"unknown {what} {cell!r}: not in the store; {advice}"
        meant = " or ".join(f"{code} ({names[code]})" if names.get(code) else code for code in near[:3])
        return f"unknown {what} {cell!r}: not in the store; did you mean {meant}? If not, {advice}"

    values = out[column]
    unknown = values.notna().to_numpy() & ~held_in(values, known)
    check.flag(unknown, column, message)


def _one_of(cells: pd.Series, allowed: tuple[str, ...], column: str, problem: str, check: RowChecker) -> pd.Series:
    """Return the cells in lower case, flagging those (not empty) outside ``allowed``."""
    lowered = cells.str.lower()
    check.flag(
        ~lowered.isin(allowed) & lowered.notna(),
        column,
        lambda cell: f"{problem} {cell!r}: use one of {', '.join(allowed)}",
    )
    return lowered


def check_domain(table: str, out: pd.DataFrame, check: RowChecker) -> None:
    """Flag and normalise the domain words in place: polarity, authority kind, service, value status (returns None)."""
    if table == "indicator" and "polarity" in out:
        mapped = out["polarity"].str.lower().map(_POLARITY_WORDS)
        check.flag(
            mapped.isna() & out["polarity"].notna(),
            "polarity",
            lambda cell: f"bad polarity {cell!r}: use one of {', '.join(schema.POLARITIES)}",
        )
        out["polarity"] = mapped  # a target's midpoint, given or stored: ``catalogue.check_target_midpoints``
    if table == "authority" and "kind" in out:
        out["kind"] = _one_of(out["kind"], schema.AUTHORITY_KINDS, "kind", "bad kind", check)
    if table in ("spend", "theme_service") and "service" in out:
        out["service"] = _one_of(out["service"], schema.SERVICES, "service", "unknown service", check)
    if table == "indicator_value":  # a period's status marker is the status already (``period_keys.canonical_periods``)
        if "status" not in out:  # the usual values file: every figure is final
            out["status"] = same_text("final", out.index)
            return
        status = _one_of(out["status"], schema.VALUE_STATUSES, "status", "bad status", check)
        out["status"] = status.fillna("final")


def same_text(text: str, index: pd.Index) -> pd.Series:
    """Return ``text`` in every row as encoded text (``cells.is_encoded``): the one label and a code per row."""
    return pd.Series(pd.Categorical.from_codes(np.zeros(len(index), dtype=np.int8), categories=[text]), index=index)


def check_periods(out: pd.DataFrame, check: RowChecker, allowed: set[str] = frozenset()) -> None:
    """Flag rows whose period label cannot be read or lies in the future; ``allowed`` labels pass (returns None)."""
    labels = [label for label in distinct_cells(out["period"]) if label not in allowed]
    problems: dict[str, str] = {}
    for label in labels:  # unique labels only: a handful per file
        try:
            period_start(label)
        except BadPeriodError as error:
            problems[label] = str(error)
    if problems:
        bad = out["period"].isin(list(problems))
        check.flag(bad, "period", lambda cell: problems.get(cell, "unrecognised period"))


def check_stored_periods(out: pd.DataFrame, check: RowChecker, stored: pd.DataFrame, markers: pd.Series | None) -> None:
    """Flag the rows whose period marker is refused (``markers``: ``period_keys.canonical_periods``'s messages: a status
    cell contradicts it, or the table keeps no status), then those the stored values' periods refuse
    (``period_keys.refused_periods``), each rule a check of its own: a label of another kind at the period's column,
    provisional figures over final ones at the column that made them provisional (the status's, or the period's for
    a marker) (returns None)."""
    clear = np.ones(len(out), dtype=bool)  # a row refused for its marker is not refused again
    if markers is not None:
        clear = markers.isna().to_numpy()
        check.flag(~clear, "period", markers)
    for rule, messages in refused_periods(out, stored).items():
        check.flag(messages.notna().to_numpy() & clear, "status" if rule == "over_final" else "period", messages)


def check_text(table: str, out: pd.DataFrame, check: RowChecker, authorities: set[str], indicators: set[str]) -> None:
    """Refuse control and invisible characters and over-long names; put keys in canonical form, in place.

    The rules are ``keys``'s: codes and ids matched to the store's spelling ignoring case,
    new ONS codes upper-cased, no invisible character in a key or a name (returns None).
    """
    keys = KEY_COLUMNS.get(table, {})
    strict = set(keys) | set(NAME_COLUMNS.get(table, ()))
    distinct: dict[str, np.ndarray] = {}  # per text column, found once: the key rules below reuse them
    for column in out.columns:
        cells = out[column]
        if not (pd.api.types.is_object_dtype(cells) or pd.api.types.is_string_dtype(cells) or is_encoded(cells)):
            continue
        pattern = INVISIBLE if column in strict else CONTROL
        distinct[column] = distinct_cells(cells)
        bad = [cell for cell in distinct[column] if pattern.search(str(cell))]  # few distinct cells
        if not bad:
            continue
        if column in strict:
            check.flag(
                cells.isin(bad),
                column,
                lambda cell: (
                    f"holds an invisible or control character ({describe_invisible(cell)}), "
                    "which would make a key or name that looks like another: delete it and type the text again"
                ),
            )
        else:
            check.flag(
                cells.isin(bad),
                column,
                lambda cell: f"holds a control character ({describe_invisible(cell)}): delete it",
            )
    for column in NAME_COLUMNS.get(table, ()):
        if column in out:
            check.flag(
                out[column].astype("string").str.len().gt(MAX_NAME_LENGTH).fillna(False),
                column,
                lambda cell: (
                    f"the name is {len(str(cell)):,} characters long, over the limit of {MAX_NAME_LENGTH}: shorten it"
                ),
            )
    for column, kind in keys.items():
        if column in out:
            if kind == "authority":
                out[column] = canonical_codes(out[column], authorities, distinct.get(column))
            else:
                out[column] = canonical_ids(out[column], indicators, distinct.get(column))
    if (
        table == "authority" and "code" in out
    ):  # a new authority's code may have any shape, but not an ONS code's mistyped
        mistyped = [c for c in distinct_cells(out["code"]) if c not in authorities and MISTYPED_ONS_CODE.match(str(c))]
        check.flag(
            out["code"].isin(mistyped),
            "code",
            lambda cell: (
                f"code {cell!r} has {len(str(cell)) - 1} digits after its letter where an ONS code has 8 "
                "(E10000018): correct it"
            ),
        )


def check_bounds(table: str, out: pd.DataFrame, check: RowChecker) -> None:
    """Refuse populations and deprivation ranks outside their sensible range (returns None)."""
    if table == "authority" and "population" in out:
        low, high = POPULATION_RANGE
        population = out["population"]
        check.flag(
            population.between(0, 1e15) & ((population < low) | (population > high)),  # else flagged already
            "population",
            lambda cell: (
                f"population {cell} is not plausible for an authority: give a number of people from {low:,} to {high:,}"
            ),
        )
    if table == "deprivation" and "rank_of_average_rank" in out:
        rank = out["rank_of_average_rank"]
        check.flag(
            rank.between(-1e15, 1e15) & ((rank < 1) | (rank > LARGEST_RANK) | (rank % 1 != 0)),
            "rank_of_average_rank",
            lambda cell: f"rank {cell} is not a rank: give a whole number from 1 (most deprived) to {LARGEST_RANK:,}",
        )
    if table == "comparator_group" and {"group_id", "name"} <= set(out.columns):
        names = out.dropna(subset=["group_id", "name"]).groupby("group_id")["name"].unique()
        for group_id, spelled in names[names.map(len) > 1].head(MAX_ISSUES_PER_CHECK).items():
            shown = " and ".join(repr(name) for name in spelled[:3])
            check.flag(
                out["group_id"].eq(group_id),
                "name",
                f"comparator group {group_id!r} has more than one name ({shown}): one group id, one name; "
                "give each list its own id",
            )


def check_basket(out: pd.DataFrame, check: RowChecker, stored_names: Mapping[str, str]) -> None:
    """Check a ``basket`` file in place: ids in the store's spelling, weights, one name per basket (returns None).

    A basket id is matched to a stored one ignoring case; "All published" (every indicator)
    is never stored, so neither its id nor its name may be used; a weight must be a
    positive number (an empty cell means 1); a basket id has one name in the file and the
    same name as the stored basket (``stored_names``: id -> name of the baskets the import
    does not replace whole), and no other stored basket's name.
    """
    if "basket_id" in out:
        out["basket_id"] = canonical_ids(out["basket_id"], stored_names)
        check.flag(
            out["basket_id"].str.casefold().eq(ALL_PUBLISHED).fillna(False),
            "basket_id",
            f"basket id {ALL_PUBLISHED!r} is 'All published', every indicator the store holds: it cannot be "
            "stored; give the basket its own id",
        )
    if "name" in out:
        check.flag(
            out["name"].str.casefold().eq(ALL_PUBLISHED_NAME.casefold()).fillna(False),
            "name",
            f"the name {ALL_PUBLISHED_NAME!r} is the basket of every indicator: give the basket another name",
        )
    if "weight" in out:
        weight = out["weight"]
        check.flag(
            weight.notna() & (weight <= 0),
            "weight",
            lambda cell: f"weight {cell} is not a positive number: give a weight above 0 (an empty cell means 1)",
        )
        out["weight"] = weight.fillna(1.0)
    if not {"basket_id", "name"} <= set(out.columns):
        return
    named = out.dropna(subset=["basket_id", "name"])
    names = named.groupby("basket_id")["name"].unique()
    for basket_id, spelled in names[names.map(len) > 1].head(MAX_ISSUES_PER_CHECK).items():
        shown = " and ".join(repr(name) for name in spelled[:3])
        check.flag(
            out["basket_id"].eq(basket_id),
            "name",
            f"basket {basket_id!r} has more than one name ({shown}): one basket id, one name",
        )
    stored = named["basket_id"].map(stored_names)
    differs = stored.notna() & stored.ne(named["name"])
    check.flag(
        out.index.isin(named.index[differs.to_numpy()]),
        "name",
        lambda cell: (
            f"the name {cell!r} differs from the stored basket's name: rename the basket (basket rename, or the "
            "Data page), or give this one its own basket_id"
        ),
    )
    taken = {name.casefold(): basket_id for basket_id, name in stored_names.items() if isinstance(name, str)}
    owner = named["name"].str.casefold().map(taken)
    clash = owner.notna() & owner.ne(named["basket_id"])
    check.flag(
        out.index.isin(named.index[clash.to_numpy()]),
        "name",
        lambda cell: (
            f"another stored basket ({taken.get(str(cell).casefold())!r}) is already named {cell!r}: "
            "give each basket its own name"
        ),
    )
