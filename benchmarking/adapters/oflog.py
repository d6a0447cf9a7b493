"""Oflog adult social care metrics and nearest-neighbour lists as import items.

Reads ``ASC_data.csv`` and ``NN.json`` as published in ``communitiesuk/oflog-automated-text``
(see ``shared/data/PROVENANCE.md`` section 2) and returns items for
``importer.import_frames``:

* ``authority``: every authority in ``ASC_data.csv`` (157, all English upper-tier types),
  with ``kind`` from ``Entity_Name`` (``AUTHORITY_KINDS``) and ``region`` from ``Region``.
  Oflog's "Unitary Authorities" all become ``unitary``: which unitaries count as
  ``county unitary`` (the county comparator set) is this project's decision, not Oflog's,
  and is made elsewhere.
* ``indicator``: ASC1..ASC7, theme ``Adult Social Care``, name = ``Measure`` as published.
  Polarity from ``rank_order``: ``desc`` = higher is better (``high``), ``asc`` = lower is
  better (``low``), any case. A measure takes the polarity its rows give in any year (it
  is missing in some years only for a few rows); a measure with no polarity in any row
  (ASC6 requests resulting in a service, ASC7 workforce turnover: ``rank_order`` is blank
  or ``None``) gets ``none``, so it is shown as context and never ranked.
* ``indicator_value``: ``Value`` per authority x measure x ``Financial year`` (period as
  published, ``2015-16``); a blank value is kept as a missing value.
* ``comparator_group``: ``NN.json``'s list for each authority, group ``oflog-nn``, one
  row per neighbour. The list includes the authority itself; that entry is left out
  because a neighbour group always adds its focus authority. Lists of authorities not in
  ``ASC_data.csv``, and neighbours not in it, are dropped (they could not be ranked and
  the store refuses unknown codes); ``oflog_neighbours`` reports the counts.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from benchmarking.errors import BenchmarkingError
from benchmarking.ingest.importer import import_frames
from benchmarking.ingest.reading import file_sha256
from benchmarking.ingest.results import ImportResult
from benchmarking.method.membership import NOT_A_COUNTY_AREA, Loaded, no_skips, resolve_codes, skip_counts
from benchmarking.store import Store

from . import invalid, published_file, read_published_csv
from .lookups import unmatched_reason
from .source import AS_PUBLISHED, COUNTY_AREAS, Adapter, SourceContext

log = logging.getLogger(__name__)

DATA_FILE = "ASC_data.csv"
NEIGHBOUR_FILE = "NN.json"
THEME = "Adult Social Care"
NEIGHBOUR_GROUP = "oflog-nn"
NEIGHBOUR_GROUP_NAME = "Oflog nearest neighbours"

AUTHORITY_KINDS = {
    "Counties": "county council",
    "Unitary Authorities": "unitary",
    "Metropolitan Districts": "metropolitan district",
    "London Boroughs": "london borough",
}
"""Oflog ``Entity_Name`` -> authority kind."""

RANK_ORDER_POLARITY = {"desc": "high", "asc": "low"}
"""Oflog ``rank_order`` (lower-cased) -> polarity; blank and ``None`` mean not given."""

UNITS = {
    "ASC1": "score (out of 12)",
    "ASC2": "score (0-1)",
    "ASC3": "%",
    "ASC4": "%",
    "ASC5": "%",
    "ASC6": "rate",
    "ASC7": "%",
}
"""Units of the measures, from PROVENANCE section 2 (the file gives none)."""

DATASET_NAME = "Oflog adult social care metrics with nearest neighbours"
SOURCE = (
    "Office for Local Government (Oflog, MHCLG), adult social care metrics from NHS England "
    "ASCOF/SALT/ASCS/SACE and Skills for Care; github.com/communitiesuk/oflog-automated-text "
    "@ 16628da1e26909e5d88de993585959d7633f7df1 (src/lib/ASC_data.csv, src/lib/NN.json); OGL v3.0"
)

_DATA_COLUMNS = (
    "Financial year",
    "Local authority code",
    "Local authority name",
    "Entity_Name",
    "Region",
    "Measure",
    "Code",
    "Value",
    "rank_order",
)
_NOT_GIVEN = {"", "none", "null", "na", "n/a"}


@dataclass(frozen=True)
class NeighbourCounts:
    """What became of ``NN.json``: lists and entries kept, and what was left out and why."""

    lists: int
    lists_kept: int
    lists_dropped: int
    entries_kept: int
    self_entries: int
    neighbours_dropped: int


# ---------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------


def oflog_items(folder: Path | str) -> list[tuple[str, pd.DataFrame, str]]:
    """Return import items (authority, indicator, indicator_value, comparator_group) for Oflog."""
    folder = Path(folder)
    data = read_published_csv(folder, DATA_FILE, _DATA_COLUMNS)
    authorities = _authorities(data)
    neighbours, counts = oflog_neighbours(folder, authorities["code"])
    log.info(
        "%s: kept %d of %d lists (%d rows); dropped %d lists of authorities without ASC data "
        "and %d neighbour entries not in ASC data; left out %d self entries",
        NEIGHBOUR_FILE,
        counts.lists_kept,
        counts.lists,
        counts.entries_kept,
        counts.lists_dropped,
        counts.neighbours_dropped,
        counts.self_entries,
    )
    values = pd.DataFrame(
        {
            "indicator_id": data["Code"],
            "authority_code": data["Local authority code"],
            "period": data["Financial year"],
            "value": data["Value"],
        }
    )
    return [
        ("authority", authorities, DATA_FILE),
        ("indicator", _indicators(data), DATA_FILE),
        ("indicator_value", values, DATA_FILE),
        ("comparator_group", neighbours, NEIGHBOUR_FILE),
    ]


def load_oflog(
    store: Store,
    folder: Path | str,
    dataset_name: str = DATASET_NAME,
    source: str = SOURCE,
) -> ImportResult:
    """Load the Oflog ASC metrics and neighbour lists into ``store`` in one transaction."""
    folder = Path(folder)
    items = oflog_items(folder)
    hashes = {name: file_sha256(folder / name) for name in (DATA_FILE, NEIGHBOUR_FILE)}
    return import_frames(store, items, dataset_name=dataset_name, source=source, file_hashes=hashes)


def oflog_neighbours(folder: Path | str, authority_codes: Iterable[str]) -> tuple[pd.DataFrame, NeighbourCounts]:
    """Return (comparator_group rows for ``NN.json``'s lists among ``authority_codes``, counts)."""
    path = published_file(folder, NEIGHBOUR_FILE)
    try:
        lists = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BenchmarkingError(f"{NEIGHBOUR_FILE} in {Path(folder)} is not valid JSON: {error}") from error
    if not isinstance(lists, dict) or not all(
        isinstance(members, list) and all(isinstance(code, str) for code in members) for members in lists.values()
    ):
        raise invalid(
            NEIGHBOUR_FILE,
            None,
            None,
            "expected an object mapping each authority code to a list of authority codes",
        )
    known = set(authority_codes)
    rows: list[tuple[str, str]] = []
    self_entries = neighbours_dropped = lists_kept = 0
    for authority, members in lists.items():
        if authority not in known:
            continue
        lists_kept += 1
        for member in dict.fromkeys(members):
            if member == authority:
                self_entries += 1
            elif member in known:
                rows.append((authority, member))
            else:
                neighbours_dropped += 1
    frame = pd.DataFrame(rows, columns=["authority_code", "member_code"])
    frame.insert(0, "name", NEIGHBOUR_GROUP_NAME)
    frame.insert(0, "group_id", NEIGHBOUR_GROUP)
    counts = NeighbourCounts(
        lists=len(lists),
        lists_kept=lists_kept,
        lists_dropped=len(lists) - lists_kept,
        entries_kept=len(rows),
        self_entries=self_entries,
        neighbours_dropped=neighbours_dropped,
    )
    return frame, counts


# ---------------------------------------------------------------------------------------
# Private helpers
# ---------------------------------------------------------------------------------------


def _authorities(data: pd.DataFrame) -> pd.DataFrame:
    """Return one authority row per code, checking that name, type and region agree."""
    columns = {
        "Local authority code": "code",
        "Local authority name": "name",
        "Entity_Name": "kind",
        "Region": "region",
    }
    rows = data[list(columns)].rename(columns=columns).drop_duplicates()
    repeated = rows["code"].duplicated(keep=False)
    if repeated.any():
        code = rows.loc[repeated, "code"].iloc[0]
        variants = rows.loc[rows["code"] == code, ["name", "kind", "region"]].to_dict("records")
        raise invalid(
            DATA_FILE, None, "Local authority code", f"code {code} has more than one name, type or region: {variants}"
        )
    kind = rows["kind"].map(AUTHORITY_KINDS)
    if kind.isna().any():
        label = kind.index[kind.isna()][0]
        raise invalid(
            DATA_FILE,
            int(label) + 2,
            "Entity_Name",
            f"unknown authority type {rows.loc[label, 'kind']!r}; expected one of {list(AUTHORITY_KINDS)}",
        )
    return rows.assign(kind=kind).sort_values("code").reset_index(drop=True)


def _indicators(data: pd.DataFrame) -> pd.DataFrame:
    """Return ASC1..ASC7 with polarity taken from whichever rows give ``rank_order``."""
    rows = []
    for code, measure in data.groupby("Code", sort=True):
        names = measure["Measure"].unique()
        if len(names) != 1:
            raise invalid(DATA_FILE, None, "Measure", f"{code} has more than one name: {list(names)}")
        given = measure["rank_order"].str.strip().str.lower()
        given = given[~given.isin(_NOT_GIVEN)]
        polarities = set(given.map(RANK_ORDER_POLARITY).fillna("?"))
        if "?" in polarities:
            bad = sorted(set(given[~given.isin(RANK_ORDER_POLARITY)]))
            raise invalid(
                DATA_FILE,
                None,
                "rank_order",
                f"{code}: unknown rank_order {bad}; expected desc or asc (any case) or blank",
            )
        if len(polarities) > 1:
            raise invalid(DATA_FILE, None, "rank_order", f"{code}: rank_order is desc in some rows and asc in others")
        rows.append(
            {
                "id": code,
                "name": names[0],
                "theme": THEME,
                "polarity": polarities.pop() if polarities else "none",
                "unit": UNITS.get(code),
                "source": "Oflog adult social care metrics",
            }
        )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------
# The adapter: every authority as published, or the county areas only
# ---------------------------------------------------------------------------------------

THEME_SOURCE, THEME_TOPIC = "Oflog", "Adult social care"
"""The (source, topic) of these measures in ``data/public_theme_map.csv``."""


def county_items(folder: Path, context: SourceContext) -> Loaded:
    """Return Oflog's ASC indicators, values and nearest neighbours for the county areas, with accounting."""
    items = {table: frame for table, frame, _ in oflog_items(folder)}
    theme = context.theme(THEME_SOURCE, THEME_TOPIC)
    indicators = items["indicator"].assign(theme=theme, is_core=theme in context.core_themes)
    values = items["indicator_value"]
    resolved = resolve_codes(context.areas, values["authority_code"], values["period"], scheme="gss")
    reason = resolved["reason"].copy()
    outside = reason.eq(NOT_A_COUNTY_AREA).to_numpy()
    reason[outside] = unmatched_reason(values.loc[outside, "authority_code"], "gss", context.lookups).to_numpy()
    keep = reason.isna().to_numpy()
    values = values[keep].assign(authority_code=resolved["authority_code"][keep].to_numpy())
    neighbours, counts = oflog_neighbours(folder, context.areas["code"])
    lists_dropped = pd.DataFrame(
        {
            "file": [NEIGHBOUR_FILE],
            "reason": ["list of an authority that is not a county area"],
            "rows": [counts.lists_dropped],
        }
    )
    skipped = pd.concat([skip_counts(DATA_FILE, reason), lists_dropped], ignore_index=True)
    note = (
        f"{NEIGHBOUR_FILE}: {counts.lists_kept} county-area lists kept with {counts.entries_kept} "
        f"neighbours; {counts.neighbours_dropped} neighbour entries that are not county areas and "
        f"{counts.self_entries} self entries left out"
    )
    return Loaded(
        [
            ("indicator", indicators, DATA_FILE),
            ("indicator_value", values, DATA_FILE),
            ("comparator_group", neighbours, NEIGHBOUR_FILE),
        ],
        {DATA_FILE: len(keep), NEIGHBOUR_FILE: counts.lists},
        skipped[skipped["rows"] > 0].reset_index(drop=True),
        (note,),
    )


def _read(folder: Path, context: SourceContext) -> Loaded:
    if context.scope == AS_PUBLISHED:
        return Loaded(oflog_items(folder), {}, no_skips())
    return county_items(folder, context)


ADAPTER = Adapter(
    name="oflog",
    title="Oflog adult social care metrics and nearest-neighbour lists (England)",
    folder="oflog",
    files=(DATA_FILE, NEIGHBOUR_FILE),
    provenance=SOURCE,
    read=_read,
    scopes=(COUNTY_AREAS, AS_PUBLISHED),
    dataset_name=DATASET_NAME,
    short_name="Oflog adult social care",
    publisher="Office for Local Government (Oflog)",
    series="adult social care metrics",
)
