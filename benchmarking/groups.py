"""Comparator groups: which authorities a ranking is taken among.

A group is named by a short id that fits in a URL:

* ``all``: every authority in the store (the default);
* ``county-councils`` / ``county-unitaries``: one kind only;
* ``region:<region>``: the authorities of one region;
* ``list:<group_id>``: a saved custom list (``comparator_group`` rows with ``authority_code = '*'``);
* ``neighbours:<group_id>``: a nearest-neighbour list, which belongs to one authority:
  the focus authority and its listed neighbours.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .errors import BenchmarkingError

DEFAULT_GROUP = "all"


class UnknownGroupError(BenchmarkingError):
    """A comparator group id that the store does not define."""


@dataclass(frozen=True)
class ComparatorGroup:
    """A resolved comparator group: its id, a label for titles, and its member codes."""

    id: str
    label: str
    members: tuple[str, ...]

    @property
    def size(self) -> int:
        return len(self.members)


def available_groups(
    authorities: pd.DataFrame, comparator_groups: pd.DataFrame, focus: str | None = None
) -> pd.DataFrame:
    """Return the groups a user can choose: columns id, label, size (for the focus authority)."""
    rows = [(DEFAULT_GROUP, f"All {len(authorities)} authorities in the store", len(authorities))]
    for kind, group_id, label in (
        ("county council", "county-councils", "County councils only"),
        ("county unitary", "county-unitaries", "County unitaries only"),
    ):
        n = int((authorities["kind"] == kind).sum())
        if 0 < n < len(authorities):
            rows.append((group_id, label, n))
    for region, n in authorities["region"].dropna().value_counts().sort_index().items():
        if n >= 2:
            rows.append((f"region:{region}", f"{region} region", int(n)))
    saved = comparator_groups[comparator_groups["authority_code"] == "*"]
    for (group_id, name), members in saved.groupby(["group_id", "name"])["member_code"]:
        rows.append((f"list:{group_id}", str(name), int(members.nunique())))
    if focus is not None:
        own = comparator_groups[comparator_groups["authority_code"] == focus]
        for (group_id, name), members in own.groupby(["group_id", "name"])["member_code"]:
            rows.append((f"neighbours:{group_id}", f"{name} of the focus authority", int(members.nunique()) + 1))
    return pd.DataFrame(rows, columns=["id", "label", "size"])


def resolve_group(
    group_id: str | None,
    authorities: pd.DataFrame,
    comparator_groups: pd.DataFrame,
    focus: str | None = None,
) -> ComparatorGroup:
    """Return the group's label and member codes; raise UnknownGroupError for an unknown id."""
    group_id = group_id or DEFAULT_GROUP
    codes = authorities["code"]
    if group_id == DEFAULT_GROUP:
        members, label = codes, "all authorities"
    elif group_id == "county-councils":
        members, label = codes[authorities["kind"] == "county council"], "county councils"
    elif group_id == "county-unitaries":
        members, label = codes[authorities["kind"] == "county unitary"], "county unitaries"
    elif group_id.startswith("region:"):
        region = group_id.split(":", 1)[1]
        members, label = codes[authorities["region"] == region], f"{region} region"
    elif group_id.startswith("list:"):
        name = group_id.split(":", 1)[1]
        rows = comparator_groups[(comparator_groups["group_id"] == name) & (comparator_groups["authority_code"] == "*")]
        members = rows["member_code"]
        label = str(rows["name"].iloc[0]) if len(rows) else name
    elif group_id.startswith("neighbours:"):
        name = group_id.split(":", 1)[1]
        if focus is None:
            raise UnknownGroupError(f"group {group_id!r} is a neighbour list and needs a focus authority")
        rows = comparator_groups[(comparator_groups["group_id"] == name) & (comparator_groups["authority_code"] == focus)]
        members = pd.concat([pd.Series([focus]), rows["member_code"]])
        label = f"{rows['name'].iloc[0]} of {_name(authorities, focus)}" if len(rows) else name
    else:
        members = pd.Series([], dtype=object)
        label = group_id
    members = [code for code in dict.fromkeys(members) if code in set(codes)]
    if not members:
        choices = ", ".join(available_groups(authorities, comparator_groups, focus)["id"])
        raise UnknownGroupError(f"unknown or empty comparator group {group_id!r}; choose one of: {choices}")
    return ComparatorGroup(group_id, label, tuple(members))


def _name(authorities: pd.DataFrame, code: str) -> str:
    match = authorities.loc[authorities["code"] == code, "name"]
    return str(match.iloc[0]) if len(match) else code
