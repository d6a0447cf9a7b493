"""Canonical keys: authority codes, indicator ids and names as the store compares them.

A key that differs from a stored one only by case or by characters nobody can see would
add a second authority or indicator beside the first. So, before any comparison:

- every cell has its surrounding spaces trimmed (``validation``);
- an authority code is matched to a stored code ignoring case (``e10000003`` is
  ``E10000003``); a new code that has the ONS shape (a letter and eight digits) is written
  in upper case, as ONS writes it;
- an indicator id is matched to a stored id ignoring case (``lcc001`` is ``LCC001``, kept
  in the store's spelling); a new id keeps the spelling the file gives;
- a key or a name holding a control or invisible character (NUL, a tab or line break, a
  zero-width space, a soft hyphen, a byte-order mark, a direction mark) is refused at its
  row and column: such a character cannot be seen in a table or a chart, so two keys that
  look the same would differ;
- any other text refuses NUL and the other control characters (tabs and line breaks
  are allowed in notes and descriptions);
- a name (authority, indicator, theme, comparator group, basket) longer than ``MAX_NAME_LENGTH``
  characters is refused: no published name is that long, and every chart, table and
  briefing shows names whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from benchmarking.cells import distinct_cells, is_encoded

ONS_CODE = re.compile(r"^[A-Za-z]\d{8}$")
MISTYPED_ONS_CODE = re.compile(r"^[A-Za-z](\d{7}|\d{9})$")
"""An ONS code with a digit missing or one too many (``E1000001``): an authority's code, mistyped."""
MAX_NAME_LENGTH = 200

KEY_COLUMNS: dict[str, dict[str, str]] = {
    "authority": {"code": "authority"},
    "indicator": {"id": "indicator"},
    "indicator_value": {"indicator_id": "indicator", "authority_code": "authority"},
    "spend": {"authority_code": "authority"},
    "funding": {"authority_code": "authority"},
    "deprivation": {"authority_code": "authority"},
    "dashboard_extra": {"indicator_id": "indicator"},
    "theme_service": {},
    "comparator_group": {"authority_code": "authority", "member_code": "authority"},
    "note": {"indicator_id": "indicator", "authority_code": "authority"},
    "basket": {"indicator_id": "indicator"},
}
"""Table -> its columns that hold an authority code or an indicator id, and which."""
EVERY_AUTHORITY = "*"
"""The ``authority_code`` that means every authority: a note on an indicator alone, a saved comparator list."""
EVERY_AUTHORITY_TABLES = ("note", "comparator_group")
"""Tables whose ``authority_code`` may be ``EVERY_AUTHORITY``."""

NAME_COLUMNS: dict[str, tuple[str, ...]] = {
    "authority": ("name",),
    "indicator": ("name", "theme"),
    "theme_service": ("theme",),
    "comparator_group": ("name", "group_id"),
    "basket": ("name", "basket_id"),
}
"""Table -> its columns that hold a name (no invisible characters, at most ``MAX_NAME_LENGTH``)."""

INVISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")
"""Control and format characters that no key or name may hold (Unicode Cc and the common Cf)."""
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""Control characters that no text may hold (tab, line feed and carriage return are allowed)."""


def describe_invisible(text: object) -> str:
    """Return the first invisible character in ``text`` as a code point (``U+200B``), '' if none."""
    found = INVISIBLE.search(str(text))
    return f"U+{ord(found.group()):04X}" if found else ""


_SAMPLE = 10_000
"""Cells looked at to tell a column of few distinct cells (codes, ids, periods) from one of figures."""


def plain_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with its encoded text columns as plain text, as a file is read without encoding."""
    encoded = [column for column in frame.columns if is_encoded(frame[column])]
    return frame.astype(dict.fromkeys(encoded, "str")) if encoded else frame


def stripped(cells: pd.Series) -> pd.Series:
    """Return the cells as text with surrounding whitespace removed (missing stays missing).

    Encoded text (``is_encoded``) is trimmed label by label and stays encoded. A column of few distinct cells is
    trimmed only when one of its distinct cells needs it (a file read again after mapping is trimmed once); any
    other column is trimmed cell by cell.
    """
    if is_encoded(cells):
        labels = cells.cat.categories
        return replaced(cells, dict(zip(labels, labels.str.strip(), strict=True)))
    text = cells.astype("string")
    head = text.iloc[:_SAMPLE]
    if head.nunique() * 10 <= len(head):  # codes, ids or periods: look at the distinct cells only
        distinct = pd.Series(text.dropna().unique(), dtype="string")
        if distinct.str.strip().eq(distinct).all():
            return text
    return text.str.strip()


def replaced(cells: pd.Series, changes: Mapping[str, str]) -> pd.Series:
    """Return ``cells`` with those that are keys of ``changes`` replaced by their values; the rest unchanged.

    Encoded text (``is_encoded``) is replaced label by label (labels that become the same are merged) and stays
    encoded: no cell is looked at twice.
    """
    changes = {old: new for old, new in changes.items() if old != new}
    if not changes:
        return cells
    if not is_encoded(cells):
        return cells.replace(changes)
    labels, codes = cells.cat.categories, cells.cat.codes.to_numpy()
    relabelled, distinct = pd.factorize(pd.Index([changes.get(label, label) for label in labels], dtype=object))
    merged = np.where(codes >= 0, relabelled[np.maximum(codes, 0)], -1)
    return pd.Series(
        pd.Categorical.from_codes(merged, categories=distinct.astype(labels.dtype)), index=cells.index, name=cells.name
    )


def repeated_keys(frame: pd.DataFrame, keys: list[str]) -> np.ndarray:
    """Return per row whether its key (the ``keys`` columns, a missing cell counting as a value) repeats in
    ``frame``: each column's cells as integer codes, one int64 per row, counted (no hash of strings per row)."""
    combined = combined_codes(frame, keys)
    if combined is None:  # too many combinations to count
        return frame.duplicated(keys, keep=False).to_numpy()
    code, size, _ = combined
    counts = np.bincount(code, minlength=size)
    return counts[code] > 1 if counts.max(initial=0) > 1 else np.zeros(len(frame), dtype=bool)


def combined_codes(frame: pd.DataFrame, columns: list[str]) -> tuple[np.ndarray, int, list[pd.Index]] | None:
    """Return one int64 per row numbering its cells in ``columns`` together (a missing cell is a value: code 0 of
    its column, then one per distinct cell), how many numbers there can be, and each column's distinct cells;
    None when there are too many combinations to count (over four per row and a million)."""
    code, size, labels_of = np.zeros(len(frame), dtype=np.int64), 1, []
    for column in columns:
        codes, labels = cell_codes(frame[column])
        if not countable(size * (len(labels) + 1), len(frame)):
            return None
        code *= len(labels) + 1  # in place: no array of millions made per column
        code += codes  # widened as it is added (no int64 copy of a column's codes)
        code += 1
        size *= len(labels) + 1
        labels_of.append(labels)
    return code, size, labels_of


def countable(size: int, rows: int) -> bool:
    """Return True when ``size`` possible codes of ``rows`` rows are few enough to count with one array (at most
    four per row and a million); else they are sorted or hashed."""
    return size <= 4 * rows + 1_000_000


def labels_by_code(labels: pd.Index) -> np.ndarray:
    """Return the labels as objects with None after them: indexed by a code of ``cell_codes``, -1 (a missing cell)
    gives None."""
    return np.append(np.asarray(labels, dtype=object), None)


def cell_codes(cells: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Return an integer code per cell (-1 for a missing cell) and the distinct cells the codes number: encoded
    text's own codes and labels (no pass over the cells), else pandas' ``factorize``.

    The codes keep their own integer type (encoded text's may be 8 or 16 bits): widen them before arithmetic.
    """
    if is_encoded(cells):
        return cells.cat.codes.to_numpy(), cells.cat.categories
    codes, labels = pd.factorize(cells)
    return codes, pd.Index(labels)


def distinct_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Return the distinct rows of ``frame`` that have no missing cell, as objects, in no set order: found from each
    column's integer codes (``combined_codes``), one int64 per row counted, so no row of text is hashed."""
    combined = combined_codes(frame, list(frame.columns))
    if combined is None:  # too many combinations to count
        return frame.dropna().drop_duplicates().astype(object).reset_index(drop=True)
    code, size, labels_of = combined
    found = np.flatnonzero(np.bincount(code, minlength=size))
    cells, complete = {}, np.ones(len(found), dtype=bool)
    for name, labels in reversed(list(zip(frame.columns, labels_of, strict=True))):
        found, position = np.divmod(found, len(labels) + 1)
        complete &= position > 0  # code 0 is a missing cell
        cells[name] = labels_by_code(labels)[position - 1]
    return pd.DataFrame({name: cells[name][complete] for name in frame.columns}, dtype=object)


def held_in(cells: pd.Series, known: Iterable[str]) -> np.ndarray:
    """Return per cell whether it is one of ``known`` (a missing cell is not); encoded text is looked up per label."""
    if is_encoded(cells):
        known = known if isinstance(known, set | frozenset) else set(known)
        labels = cells.cat.categories  # a few labels, each looked up once (pandas' isin hashes them all again)
        found = np.fromiter((label in known for label in labels), dtype=bool, count=len(labels))
        return np.append(found, False)[cells.cat.codes.to_numpy()]  # a missing cell's code -1 is the last
    return cells.isin(known).to_numpy(dtype=bool) & cells.notna().to_numpy()


def canonical_codes(cells: pd.Series, known: Iterable[str], distinct: Iterable | None = None) -> pd.Series:
    """Return authority codes in the store's spelling (matched ignoring case); new ONS-shaped codes upper-cased.

    ``distinct``, when given, is the cells' distinct values (found once by the caller).
    """
    return _canonical(cells, known, upper_ons=True, distinct=distinct)


def canonical_ids(cells: pd.Series, known: Iterable[str], distinct: Iterable | None = None) -> pd.Series:
    """Return indicator ids in the store's spelling when they match a stored id ignoring case; others unchanged."""
    return _canonical(cells, known, upper_ons=False, distinct=distinct)


def _canonical(cells: pd.Series, known: Iterable[str], upper_ons: bool, distinct: Iterable | None) -> pd.Series:
    stored = {str(k).casefold(): str(k) for k in known if isinstance(k, str)}
    changes: dict[str, str] = {}
    for cell in distinct_cells(cells) if distinct is None else distinct:
        text = str(cell)
        fixed = stored.get(text.casefold())
        if fixed is None and upper_ons and ONS_CODE.match(text):
            fixed = text.upper()
        if fixed is not None and fixed != text:
            changes[text] = fixed
    return replaced(cells, changes)


def one_edit_away(code: object, known: Iterable[str]) -> list[str]:
    """Return the ``known`` codes one edit from ``code``, sorted: a character missing, one too many, one wrong, or
    two side by side swapped (case ignored); [] when none is (a typed code's likely meaning, for a message)."""
    typed = str(code).strip().casefold()
    return sorted(k for k in known if isinstance(k, str) and _one_edit(typed, k.casefold()))


def _one_edit(typed: str, stored: str) -> bool:
    """Return True when two different texts are one edit apart (``one_edit_away``)."""
    if typed == stored or abs(len(typed) - len(stored)) > 1:
        return False
    if len(typed) == len(stored):
        wrong = [i for i, (a, b) in enumerate(zip(typed, stored, strict=True)) if a != b]
        swapped = len(wrong) == 2 and wrong[1] == wrong[0] + 1 and typed[wrong[0]] == stored[wrong[1]]
        return len(wrong) == 1 or (swapped and typed[wrong[1]] == stored[wrong[0]])
    short, long = sorted((typed, stored), key=len)
    first = next((i for i, (a, b) in enumerate(zip(short, long, strict=False)) if a != b), len(short))
    return short[first:] == long[first + 1 :]
