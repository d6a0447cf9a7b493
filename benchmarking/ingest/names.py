"""Authority names to codes: the one rule for matching the ways publishers spell a council.

Publishers spell council names differently: "Argyll & Bute" and "Argyll and Bute
Council", "Edinburgh City" and "City of Edinburgh Council", "Highland" and "The
Highland Council". ``name_key`` reduces a name to a key on which such spellings agree;
``name_index`` builds key -> code from a lookup; ``resolve_names`` applies it (the
adapters), and ``resolve_authorities`` resolves a file's cells against the store's
authorities (the column mapping).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

import pandas as pd

from benchmarking.errors import BenchmarkingError

NAME_COLUMNS = ("official-name", "nice-name")
"""Columns of the mySociety lookup that hold an authority's main names."""

_SUFFIXES = ("county council", "borough council", "district council", "city council", "council", "c c", "cc")
"""The suffixes a name's key drops (``CC``, written ``C.C.`` too, is "County Council")."""
_SUFFIX_KEEP = {"city council": "city"}  # "Glasgow City Council" -> "glasgow city"
_COUNTY_COUNCIL = ("county council", "c c", "cc")


def name_key(name: str) -> str:
    """Return the matching key of an authority name (case-, '&'- and suffix-insensitive).

    Steps: fold accents and case; '&' -> 'and'; punctuation -> space; drop a leading
    'the'; drop a trailing 'county council' (or 'CC'), 'borough council', 'district council' or
    'council' ('city council' keeps 'city'); 'city of X' and 'X, city of' -> 'X city';
    collapse spaces. 'Argyll & Bute', 'Argyll and Bute Council' -> 'argyll and bute';
    'Edinburgh City', 'City of Edinburgh Council' -> 'edinburgh city'; 'Leicestershire CC' -> 'leicestershire'.
    """
    text = _plain(name)
    for suffix in _SUFFIXES:
        if text.endswith(" " + suffix):
            kept = _SUFFIX_KEEP.get(suffix, "")
            text = f"{text[: -len(suffix)].strip()} {kept}"
            break
    if text.startswith("city of "):
        text = text[len("city of ") :] + " city"
    elif text.endswith(" city of"):
        text = text[: -len(" city of")] + " city"
    return re.sub(r"\s+", " ", text).strip()


def _plain(name: object) -> str:
    """Return a name folded to lower-case ASCII words, '&' as 'and', without a leading 'the'."""
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    text = text.lower().replace("&", " and ")
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    return re.sub(r"^the ", "", text)


def is_county_council(name: object) -> bool:
    """Return True when a name says it is a county council ('Leicestershire County Council', 'North Yorkshire CC')."""
    return _plain(name).endswith(tuple(" " + suffix for suffix in _COUNTY_COUNCIL))


def name_index(
    lookup: pd.DataFrame,
    code_column: str,
    name_columns: Sequence[str] = NAME_COLUMNS,
    alt_names_column: str | None = "alt-names",
) -> tuple[dict[str, str], dict[str, str]]:
    """Return ``(main, alternative)`` dicts of name key -> code built from a lookup table.

    ``main`` uses ``name_columns``; ``alternative`` the comma-separated ``alt_names_column``.
    A key that points to more than one code is left out of its dict (ambiguous).
    """
    main = _unambiguous(
        (name_key(name), code)
        for column in name_columns
        for name, code in zip(lookup[column], lookup[code_column])
        if isinstance(name, str) and name.strip()
    )
    alternative: dict[str, str] = {}
    if alt_names_column and alt_names_column in lookup.columns:
        alternative = _unambiguous(
            (name_key(alt), code)
            for names, code in zip(lookup[alt_names_column], lookup[code_column])
            if isinstance(names, str)
            for alt in names.split(",")
            if len(alt.strip()) > 3
        )
    return main, alternative


def resolve_names(
    names: Iterable[str], main: dict[str, str], alternative: dict[str, str] | None = None
) -> tuple[dict[str, str], list[str]]:
    """Return ``(name -> code, unresolved names)``; main names are tried before alternatives."""
    resolved: dict[str, str] = {}
    unresolved: list[str] = []
    for name in dict.fromkeys(names):
        key = name_key(name)
        code = main.get(key) or (alternative or {}).get(key)
        if code is None:
            unresolved.append(name)
        else:
            resolved[name] = code
    codes = pd.Series(resolved, dtype=object)
    clash = codes[codes.duplicated(keep=False)]
    if len(clash):
        raise BenchmarkingError(
            f"names {sorted(clash.index)} all resolve to code(s) {sorted(set(clash))}; "
            "each authority must have one name in the file"
        )
    return resolved, unresolved


def slug(text: str) -> str:
    """Return a lower-case ASCII slug of ``text`` ('Argyll & Bute' -> 'argyll-and-bute')."""
    return name_key(text).replace(" ", "-")


def _unambiguous(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    seen: dict[str, set[str]] = {}
    for key, code in pairs:
        if key:
            seen.setdefault(key, set()).add(code)
    return {key: next(iter(codes)) for key, codes in seen.items() if len(codes) == 1}


def resolve_authorities(names: Iterable[object], authorities: pd.DataFrame) -> tuple[dict[str, str], list[str]]:
    """Return ``(name -> code, unresolved names)`` against the store's authorities (code, name).

    A cell that already is a code (any case) resolves to it. Names match on
    ``name_key`` (case, '&', punctuation and a 'County Council', 'CC' or 'Council'
    suffix ignored), then with a leading 'County' dropped ('County Durham' = 'Durham'). Where two stored
    authorities share a key, the suffix tells them apart: 'North Yorkshire County Council' (or 'CC') is the one the
    store names a county council ('North Yorkshire CC'), 'North Yorkshire' and 'North Yorkshire Council' the other.
    """
    codes = {str(code).upper(): str(code) for code in authorities["code"]}
    exact: dict[str, list[tuple[str, bool]]] = {}  # key -> (code, named a county council) of each stored authority
    loose: dict[str, list[tuple[str, bool]]] = {}
    for code, stored in zip(authorities["code"], authorities["name"]):
        if isinstance(stored, str) and stored.strip():
            entry = (str(code), is_county_council(stored))
            exact.setdefault(name_key(stored), []).append(entry)
            loose.setdefault(_loose_key(name_key(stored)), []).append(entry)
    resolved: dict[str, str] = {}
    unresolved: list[str] = []
    for name in dict.fromkeys(str(n) for n in names if isinstance(n, str) and n.strip()):
        text = name.strip()
        key, county = name_key(text), is_county_council(text)
        code = (
            codes.get(text.upper())
            or _one_of(exact.get(key, []), county)
            or _one_of(loose.get(_loose_key(key), []), county)
        )
        if code is None:
            unresolved.append(name)
        else:
            resolved[name] = code
    return resolved, unresolved


def _one_of(candidates: list[tuple[str, bool]], county_council: bool) -> str | None:
    """Return the one code among ``candidates`` (code, named a county council), else the one whose name says as the
    file's does whether it is a county council, else None."""
    if len(candidates) == 1:
        return candidates[0][0]
    same = [code for code, named in candidates if named == county_council]
    return same[0] if len(same) == 1 else None


def _loose_key(key: str) -> str:
    return re.sub(r"^county |\bcounty$", "", key).strip()
