"""Comparator groups: which authorities a ranking is taken among.

A group is named by a short id that fits in a URL:

* ``all``: every authority in the store (the default);
* ``county-councils`` / ``county-unitaries``: one kind only;
* ``region:<region>``: the authorities of one region;
* ``list:<group_id>``: a saved custom list (``comparator_group`` rows with ``authority_code = '*'``);
* ``neighbours:<group_id>``: a nearest-neighbour list, which belongs to one authority:
  the focus authority and its listed neighbours;
* ``similar:<k>``: computed similar authorities, also the focus authority's own: the focus
  and the ``k`` authorities nearest it on standardised context variables (population,
  deprivation, spend and funding per head, rurality where held; see ``similarity``).
  Resolving it needs those variables: pass ``features`` (``service.benchmark.comparator_group``
  does). The k are chosen among the authorities that existed in the period on screen
  (``among``; ``needs_period``), so the group never holds one abolished before it.

``neighbours:`` and ``similar:`` groups depend on the focus authority (``needs_focus``).
They are the focus authority's own, so it is a member of them (a published neighbour list
such as DfE statistical neighbours or Oflog nearest neighbours excludes the authority
itself; the group is the authority plus its neighbours). Any other group ranks its members
only: a focus authority outside it is shown beside it (``ComparatorGroup.beside``, placed by
``method.beside``), never ranked in it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import pandas as pd

from benchmarking.errors import UnknownGroupError
from benchmarking.method.similarity import FEATURE_LABELS, nearest_neighbours

DEFAULT_GROUP = "all"
SIMILAR_PREFIX = "similar:"
LIST_PREFIX = "list:"
"""The prefix of a saved group's id where it is chosen (``list:<group_id>``)."""
SIMILAR_SIZES = (5, 10, 15)
"""The computed similar-authority groups offered for a focus authority (k neighbours each)."""
DFE_NEIGHBOUR_LISTS = ("dfe-sn-2021", "dfe-sn-2025")
"""The group ids of DfE's statistical-neighbour lists (the 2021 and 2025 models; read by
``adapters.dfe_neighbours``), chosen as ``neighbours:<id>``."""
DFE_NEIGHBOURS_LISTED = 10
"""Every DfE model lists ten statistical neighbours for each authority (county areas or not); a group holds those
that are county areas in the store, and says so (``service.benchmark.neighbour_list_note``)."""
DFE_NOT_HELD_SETTING = "dfe_neighbours_not_held"
"""The store setting that names, per model and authority, DfE's neighbours that are not county areas in the store
(JSON: {group id: {authority code: [[DfE's rank, name], ...]}}): a group says whom it leaves out."""


@dataclass(frozen=True)
class ComparatorGroup:
    """A resolved comparator group: its id, a label for titles, its member codes (the
    authorities it ranks) and, when the focus authority is not a member, its code in
    ``beside``: shown beside the group at the place it would take, never ranked in it."""

    id: str
    label: str
    members: tuple[str, ...]
    beside: str | None = None

    @property
    def size(self) -> int:
        """Return the number of authorities in the group (its members; "of N" counts them)."""
        return len(self.members)

    @property
    def shown(self) -> tuple[str, ...]:
        """Return the codes a view shows: the members, then the authority beside the group (if any)."""
        return self.members + ((self.beside,) if self.beside else ())


def available_groups(
    authorities: pd.DataFrame,
    comparator_groups: pd.DataFrame,
    focus: str | None = None,
    similar_sizes: tuple[int, ...] = SIMILAR_SIZES,
    features: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Return the groups a user can choose: columns id, label, size (for the focus authority).

    With a focus authority the computed ``similar:<k>`` groups are listed for each k in
    ``similar_sizes`` smaller than the number of authorities; given its context ``features``,
    only when the focus has one to compare on (``similar_not_possible_text``).
    """
    rows = [(DEFAULT_GROUP, "All authorities in the store", len(authorities))]
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
        rows.append((f"{LIST_PREFIX}{group_id}", str(name), int(members.nunique())))
    if focus is not None:
        own = comparator_groups[comparator_groups["authority_code"] == focus]
        for (group_id, name), members in own.groupby(["group_id", "name"])["member_code"]:
            rows.append((f"neighbours:{group_id}", f"{name} of the focus authority", int(members.nunique()) + 1))
        comparable = features is None or similar_not_possible_text(features, focus, focus) is None
        for k in similar_sizes if comparable else ():
            if 0 < k < len(authorities):
                rows.append((f"{SIMILAR_PREFIX}{k}", f"{k} most similar authorities (computed from context)", k + 1))
    groups = pd.DataFrame(rows, columns=["id", "label", "size"])
    # A group of one is refused (``resolve_group``); "all" stays, so that a one-authority store says why.
    return groups[(groups["size"] >= 2) | (groups["id"] == DEFAULT_GROUP)].reset_index(drop=True)


def list_not_held_text(group_id: str, comparator_groups: pd.DataFrame, focus: str, focus_name: str) -> str | None:
    """Return why a ``neighbours:`` list is not offered for the focus when the store holds it for other authorities:
    "County Durham has no DfE statistical neighbours (2021 model) in this store (36 other authorities have one)";
    None for any other group (the store does not have it at all)."""
    if not group_id.startswith("neighbours:"):
        return None
    rows = comparator_groups[comparator_groups["group_id"] == group_id.split(":", 1)[1]]
    holders = set(rows["authority_code"]) - {"*", focus}
    if rows.empty or focus in set(rows["authority_code"]):
        return None
    return f"{focus_name} has no {rows['name'].iloc[0]} in this store ({len(holders)} other authorities have one)"


def similar_not_possible_text(features: pd.DataFrame, focus: str, focus_name: str) -> str | None:
    """Return why no similar group can be computed around the focus: "Cumberland has no population, deprivation,
    spend or funding figures in this store to compare on"; None when it has at least one context variable."""
    row = features.loc[features["authority_code"] == focus].drop(columns="authority_code")
    if len(row) and row.notna().to_numpy().any():
        return None
    described = ", ".join(FEATURE_LABELS[name].split(" (")[0].lower() for name in features.columns[1:])
    return f"{focus_name} has none of the context figures similarity compares on in this store ({described})"


def needs_period(group_id: str | None) -> bool:
    """True when the group's members depend on the period: similar groups are chosen among the authorities then,
    and a neighbour list's council is the one that existed then (``service.benchmark.comparator_group``)."""
    return needs_focus(group_id)


def needs_focus(group_id: str | None) -> bool:
    """True when the group's members depend on the focus authority (neighbour and similar groups)."""
    return bool(group_id) and group_id.startswith(("neighbours:", SIMILAR_PREFIX))


def similar_group_size(group_id: str) -> int:
    """Return k of a ``similar:<k>`` group id; raise UnknownGroupError when k is not a positive whole number."""
    text = group_id[len(SIMILAR_PREFIX) :]
    if not text.isdigit() or int(text) < 1:
        raise UnknownGroupError(
            f"group {group_id!r}: the number of similar authorities must be a positive whole number, "
            f"as in '{SIMILAR_PREFIX}10'"
        )
    return int(text)


def resolve_group(
    group_id: str | None,
    authorities: pd.DataFrame,
    comparator_groups: pd.DataFrame,
    focus: str | None = None,
    features: pd.DataFrame | None = None,
    among: Collection[str] | None = None,
) -> ComparatorGroup:
    """Return the group's label and member codes; raise UnknownGroupError for an unknown id.

    ``features`` (from ``similarity.context_features``) is needed for ``similar:<k>`` groups
    only; ``among``: the authorities their k nearest are chosen from (those that existed in the
    period, ``service.benchmark.existing_authorities``; default every authority described).
    """
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
    elif group_id.startswith(LIST_PREFIX):
        name = group_id.split(":", 1)[1]
        rows = comparator_groups[(comparator_groups["group_id"] == name) & (comparator_groups["authority_code"] == "*")]
        members = rows["member_code"]
        label = str(rows["name"].iloc[0]) if len(rows) else name
    elif group_id.startswith("neighbours:"):
        name = group_id.split(":", 1)[1]
        if focus is None:
            raise UnknownGroupError(f"group {group_id!r} is a neighbour list and needs a focus authority")
        rows = comparator_groups[
            (comparator_groups["group_id"] == name) & (comparator_groups["authority_code"] == focus)
        ]
        members = pd.concat([pd.Series([focus]), rows["member_code"]])
        label = f"{rows['name'].iloc[0]} of {_name(authorities, focus)}" if len(rows) else name
    elif group_id.startswith(SIMILAR_PREFIX):
        members, label = _similar_members(group_id, authorities, focus, features, among)
    else:
        members = pd.Series([], dtype=object)
        label = group_id
    known = set(codes)  # once: built per member, it made resolving a national group quadratic
    members = [code for code in dict.fromkeys(members) if code in known]
    if len(members) < 2:  # a "group" of one ranks it 1st of 1: refused, whatever the group
        offered = available_groups(authorities, comparator_groups, focus, features=features)
        raise UnknownGroupError(
            f"{_too_small_text(group_id, members, authorities, comparator_groups, focus)}; "
            f"choose one of: {', '.join(offered['id'])}"
        )
    return ComparatorGroup(group_id, label, tuple(members))


def _too_small_text(
    group_id: str, members: list[str], authorities: pd.DataFrame, comparator_groups: pd.DataFrame, focus: str | None
) -> str:
    """Return why a group of fewer than two authorities is refused."""
    if group_id.startswith("neighbours:") and focus is not None:
        name = _name(authorities, focus)
        held = list_not_held_text(group_id, comparator_groups, focus, name)
        reason = held or f"the store holds no neighbour list {group_id.split(':', 1)[1]!r} for {name}"
        return f"comparator group {group_id!r} cannot be built: {reason}"
    if members:
        return f"comparator group {group_id!r} holds one authority only, nothing to rank it among"
    return f"unknown or empty comparator group {group_id!r}"


def _similar_members(
    group_id: str,
    authorities: pd.DataFrame,
    focus: str | None,
    features: pd.DataFrame | None,
    among: Collection[str] | None,
) -> tuple[list[str], str]:
    """Return (focus + its k nearest authorities, label) for a ``similar:<k>`` group."""
    k = similar_group_size(group_id)
    if focus is None:
        raise UnknownGroupError(f"group {group_id!r} is computed around a focus authority and needs one")
    if features is None:
        raise UnknownGroupError(
            f"group {group_id!r} is computed from context variables: pass features "
            "(similarity.context_features), as service.benchmark.comparator_group does"
        )
    if reason := similar_not_possible_text(features, focus, _name(authorities, focus)):
        raise UnknownGroupError(f"group {group_id!r} cannot be built: {reason}; choose another comparator group")
    neighbours = nearest_neighbours(features, focus, k, among)
    if neighbours.empty:
        raise UnknownGroupError(
            f"group {group_id!r} cannot be built: no other authority of the period shares a context variable with "
            f"{_name(authorities, focus)}; choose another comparator group"
        )
    label = f"{len(neighbours)} authorities most similar to {_name(authorities, focus)} (computed from context)"
    return [focus, *neighbours["authority_code"]], label


def _name(authorities: pd.DataFrame, code: str) -> str:
    match = authorities.loc[authorities["code"] == code, "name"]
    return str(match.iloc[0]) if len(match) else code
