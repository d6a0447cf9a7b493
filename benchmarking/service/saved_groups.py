"""Saved comparator groups: list, show, save, delete and export them.

A saved group is a named list of authorities, stored as ``comparator_group`` rows whose
``authority_code`` is ``'*'`` (it applies whatever the focus authority), and chosen in the
sidebar or a link as ``list:<group_id>`` (``method.groups``). Saving a group is an import like
any other: checked by the importer's rules (every member an authority in the store, one name per
group), written in one transaction and undone by ``undo``. Saving again under the same id
replaces the whole group: members it no longer holds are removed in the same transaction
(``Store.write(replacing=...)``), kept for undo. Nearest-neighbour lists (one per authority)
are published data, never edited here.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from benchmarking.errors import SavedGroupError
from benchmarking.ingest.importer import import_frames
from benchmarking.ingest.names import resolve_authorities, slug
from benchmarking.ingest.results import ImportResult
from benchmarking.method.groups import LIST_PREFIX
from benchmarking.service.catalogue import Catalogue
from benchmarking.service.group_size import figures_in, members_in_period
from benchmarking.store import Store
from benchmarking.text.formatting import members_text

TABLE = "comparator_group"
EVERY = "*"
SOURCE = "benchmarking saved group"
FILE_COLUMNS = ("group_id", "name", "authority_code", "member_code")
"""The columns of a saved group's file, as ``import --table comparator_group`` reads it."""
MIN_MEMBERS = 2
TABLE_COLUMNS = ("group_id", "choose_as", "name", "members", "period", "in_period", "not_existing", "members_text")
"""The columns of ``saved_group_table``."""


def saved_group_table(catalogue: Catalogue, period: str | None = None) -> pd.DataFrame:
    """Return one row per saved group: group_id, choose_as (``list:<id>``), name, members (over every period),
    period (``period``, else the period pages open on), in_period (the members that existed then, by
    ``group_size.members_in_period``), not_existing (the others' names, A-Z) and members_text, the counts in words
    ("7 (5 in 2022/23; Cumberland and Northamptonshire did not exist then)")."""
    saved = _saved(catalogue)
    period = period or catalogue.default_period
    present = figures_in(catalogue, period) if period is not None else set()
    rows = []
    for (group_id, name), codes in saved.groupby(["group_id", "name"], sort=False)["member_code"]:
        members = list(codes.drop_duplicates())
        existing, gone = members_in_period(catalogue, members, period, present) if period else (members, ())
        rows.append(
            {
                "group_id": group_id,
                "choose_as": LIST_PREFIX + str(group_id),
                "name": name,
                "members": len(members),
                "period": period,
                "in_period": len(existing),
                "not_existing": gone,
                "members_text": members_text(len(members), len(existing), period, gone),
            }
        )
    table = pd.DataFrame(rows, columns=list(TABLE_COLUMNS))
    return table.sort_values("name", key=lambda names: names.astype("string").str.casefold(), ignore_index=True)


def saved_group_names(catalogue: Catalogue) -> dict[str, str]:
    """Return each saved group's name by its id, A-Z by name (any case)."""
    saved = _saved(catalogue).drop_duplicates("group_id")
    pairs = sorted(zip(saved["group_id"].astype(str), saved["name"].astype(str)), key=lambda p: p[1].casefold())
    return dict(pairs)


def saved_group_id_of(catalogue: Catalogue, name_or_id: str) -> str:
    """Return the id of the saved group named ``name_or_id`` (its id, ``list:<id>`` or its exact name, any case);
    SavedGroupError naming the saved groups otherwise."""
    names = saved_group_names(catalogue)
    wanted = name_or_id.strip().removeprefix(LIST_PREFIX).casefold()
    for group_id, name in names.items():
        if wanted in (str(group_id).casefold(), str(name).casefold()):
            return str(group_id)
    held = ", ".join(f"{i} ({n})" for i, n in names.items()) or "none yet"
    raise SavedGroupError(f"no saved comparator group {name_or_id!r}; saved groups: {held}")


def saved_group_members(catalogue: Catalogue, group_id: str) -> pd.DataFrame:
    """Return a saved group's members: code, name, kind, region, sorted by name."""
    saved = _saved(catalogue)
    codes = saved.loc[saved["group_id"] == group_id, "member_code"].unique()
    members = catalogue.authorities[catalogue.authorities["code"].isin(codes)]
    return members[["code", "name", "kind", "region"]].sort_values("name", ignore_index=True)


def export_saved_group(catalogue: Catalogue, group_id: str) -> pd.DataFrame:
    """Return a saved group as the file ``import --table comparator_group`` reads back (``FILE_COLUMNS``)."""
    saved = _saved(catalogue)
    rows = saved[saved["group_id"] == group_id]
    return rows[list(FILE_COLUMNS)].sort_values("member_code", ignore_index=True)


def resolve_members(catalogue: Catalogue, given: Sequence[str]) -> list[str]:
    """Return the authority codes of ``given`` (codes or names, as the importer resolves names), in their order and
    without repeats; SavedGroupError naming every one that is not an authority in the store."""
    resolved, unresolved = resolve_authorities(given, catalogue.authorities[["code", "name"]])
    if unresolved:
        raise SavedGroupError(
            f"not an authority in the store: {', '.join(repr(name) for name in unresolved)}; give codes "
            "(E10000018) or names as the Data page's authority table has them"
        )
    return list(dict.fromkeys(resolved[str(name)] for name in given if str(name).strip()))


def group_id_for(name: str) -> str:
    """Return an id made from a group's name: lower-case words joined by '-' (``group`` if none)."""
    return slug(name)[:60].strip("-") or "group"


def save_group(
    store: Store,
    catalogue: Catalogue,
    group_id: str,
    name: str,
    members: Sequence[str],
    loaded_by: str | None = None,
) -> ImportResult:
    """Write the saved group (replacing a stored one with the same id whole) as one undoable import; return what it
    did. SavedGroupError, changing nothing, for a blank name, an id a neighbour list uses, or fewer than two
    members; ImportValidationError for a member not in the store."""
    name, group_id = name.strip(), group_id.strip().removeprefix(LIST_PREFIX)
    if not name:
        raise SavedGroupError("give the comparator group a name")
    if not group_id:
        raise SavedGroupError("give the comparator group an id (letters, digits and '-')")
    published = catalogue.comparator_groups
    if (published["group_id"].eq(group_id) & published["authority_code"].ne(EVERY)).any():
        raise SavedGroupError(f"{group_id!r} is the id of a published neighbour list: give the saved group another id")
    codes = resolve_members(catalogue, members)
    if len(codes) < MIN_MEMBERS:
        raise SavedGroupError(
            f"a comparator group needs at least {MIN_MEMBERS} authorities to rank among; {len(codes)} given"
        )
    frame = pd.DataFrame({"group_id": group_id, "name": name, "authority_code": EVERY, "member_code": codes})
    return import_frames(
        store,
        [(TABLE, frame, f"comparator group {name!r}")],
        dataset_name=f"comparator group {name!r} saved ({len(codes)} authorities)",
        source=SOURCE,
        loaded_by=loaded_by,
        replacing=_whole(group_id),
    )


def delete_saved_group(store: Store, catalogue: Catalogue, group_id: str, loaded_by: str | None = None) -> int:
    """Remove a saved group as one undoable import; return how many member rows were removed."""
    name = saved_group_names(catalogue).get(group_id)
    if name is None:
        raise SavedGroupError(f"no saved comparator group {group_id!r}")
    written = store.write(
        {},
        dataset={"name": f"comparator group {name!r} deleted", "source": SOURCE, "loaded_by": loaded_by},
        replacing=_whole(group_id),
    )
    return written[TABLE]["removed"]


def _whole(group_id: str) -> dict[str, pd.DataFrame]:
    """Return the ``replacing`` sets of one saved group: its id, for every authority."""
    return {TABLE: pd.DataFrame({"group_id": [group_id], "authority_code": [EVERY]})}


def _saved(catalogue: Catalogue) -> pd.DataFrame:
    groups = catalogue.comparator_groups
    return groups[groups["authority_code"] == EVERY]
