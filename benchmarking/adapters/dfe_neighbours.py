"""DfE statistical neighbours: the ten most similar local authorities for each, as comparator groups.

Reads the two unpivoted models of ``dfe_lait/`` (April 2021 and May 2025; see
``shared/data/PROVENANCE.md`` section 7) and returns ``comparator_group`` rows for the
county areas: each model's LA numbers are matched to the county area that existed on the
model's date; lists of other authorities and neighbours that are not county areas are
counted as skipped with the reason.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd

from benchmarking.method.groups import DFE_NEIGHBOUR_LISTS, DFE_NOT_HELD_SETTING
from benchmarking.method.membership import NOT_A_COUNTY_AREA, Loaded, no_skips, resolve_codes, skip_counts

from . import own_folder, read_published_csv
from .dfe_lait import FOLDER
from .lookups import CodeLookups, unmatched_reason
from .source import Adapter, SourceContext

NEIGHBOUR_SOURCE = (
    "Department for Education, children's services statistical neighbours (April 2021 and May 2025 "
    "models; sn_april_2021.xlsx, sn_may_2025.xlsx unpivoted); OGL v3.0"
)
_SN_2021, _SN_2025 = DFE_NEIGHBOUR_LISTS
NEIGHBOUR_MODELS = {
    _SN_2021: (
        "statistical_neighbours_april_2021_long.csv",
        dt.date(2021, 4, 1),
        "DfE statistical neighbours (2021 model)",
    ),
    _SN_2025: (
        "statistical_neighbours_may_2025_long.csv",
        dt.date(2025, 5, 1),
        "DfE statistical neighbours (2025 model)",
    ),
}
"""Group id (``groups.DFE_NEIGHBOUR_LISTS``) -> (file, the model's date for resolving LA numbers, group name)."""

_NEIGHBOUR_COLUMNS = ("la_number", "la_name", "neighbour_rank", "neighbour_la_number", "neighbour_la_name")


def statistical_neighbour_items(folder: Path | str, areas: pd.DataFrame, lookups: CodeLookups) -> Loaded:
    """Return ``comparator_group`` rows for the DfE statistical neighbour models, with accounting."""
    folder = own_folder(folder, FOLDER, next(iter(NEIGHBOUR_MODELS.values()))[0])
    groups, rows_read, skipped, not_held = [], {}, [no_skips()], {}
    for group_id, (file_name, model_date, group_name) in NEIGHBOUR_MODELS.items():
        frame = read_published_csv(folder, file_name, _NEIGHBOUR_COLUMNS)
        rows_read[file_name] = len(frame)
        focus = resolve_codes(areas, frame["la_number"], model_date, scheme="dfe")
        member = resolve_codes(areas, frame["neighbour_la_number"], model_date, scheme="dfe")
        reason = pd.Series(None, index=frame.index, dtype=object)
        no_neighbour = frame["neighbour_la_number"].str.strip().isin(["", "-"]).to_numpy()
        reason[no_neighbour] = "no neighbour listed"
        focus_out = reason.isna().to_numpy() & focus["reason"].notna().to_numpy()
        reason[focus_out] = [
            "authority " + text
            for text in _describe(focus["reason"][focus_out], frame.loc[focus_out, "la_number"], lookups)
        ]
        member_out = reason.isna().to_numpy() & member["reason"].notna().to_numpy()
        reason[member_out] = [
            "neighbour " + text
            for text in _describe(member["reason"][member_out], frame.loc[member_out, "neighbour_la_number"], lookups)
        ]
        keep = reason.isna().to_numpy()
        not_held[group_id] = _not_held(frame, focus["authority_code"], member_out)
        groups.append(
            pd.DataFrame(
                {
                    "group_id": group_id,
                    "name": group_name,
                    "authority_code": focus["authority_code"][keep].to_numpy(),
                    "member_code": member["authority_code"][keep].to_numpy(),
                }
            )
        )
        skipped.append(skip_counts(file_name, reason))
    groups = pd.concat(groups, ignore_index=True).drop_duplicates(["group_id", "authority_code", "member_code"])
    return Loaded(
        [("comparator_group", groups, ", ".join(rows_read))],
        rows_read,
        pd.concat(skipped, ignore_index=True),
        settings=((DFE_NOT_HELD_SETTING, json.dumps(not_held, sort_keys=True)),),
    )


def _not_held(frame: pd.DataFrame, focus_codes: pd.Series, member_out) -> dict[str, list[list]]:
    """Return, per county area's code, DfE's neighbours of it that are not county areas in the store: [[DfE's rank,
    name], ...] in DfE's order."""
    rows = frame.loc[member_out & focus_codes.notna().to_numpy(), ["neighbour_rank", "neighbour_la_name"]]
    rows = rows.assign(code=focus_codes[member_out & focus_codes.notna().to_numpy()].to_numpy())
    rows["neighbour_rank"] = rows["neighbour_rank"].astype(int)
    return {
        code: [
            [int(rank), str(name).strip()] for rank, name in part[["neighbour_rank", "neighbour_la_name"]].to_numpy()
        ]
        for code, part in rows.sort_values(["code", "neighbour_rank"]).groupby("code")
    }


def _read_neighbours(folder: Path, context: SourceContext) -> Loaded:
    return statistical_neighbour_items(folder, context.areas, context.lookups)


ADAPTER = Adapter(
    name="dfe-neighbours",
    title="DfE statistical neighbours (2021 and 2025 models)",
    folder=FOLDER,
    files=tuple(name for name, *_ in NEIGHBOUR_MODELS.values()),
    provenance=NEIGHBOUR_SOURCE,
    read=_read_neighbours,
    short_name="DfE statistical neighbours",
    publisher="Department for Education (DfE)",
    series="statistical neighbours",
    dataset_name="DfE statistical neighbours",
)


def _describe(reasons: pd.Series, numbers: pd.Series, lookups: CodeLookups) -> list[str]:
    """Return the reasons, with 'not a county area' refined through the shared lookups."""
    refined = unmatched_reason(numbers, "dfe", lookups).to_numpy(dtype=object)
    return [new if old == NOT_A_COUNTY_AREA else old for old, new in zip(reasons.to_numpy(dtype=object), refined)]
