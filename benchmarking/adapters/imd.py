"""English Indices of Deprivation 2019 (IMD) upper-tier summaries as import items.

Reads ``imd2019_utla_imd_summary.csv`` (the ``IMD`` sheet of MHCLG's File 11 saved as CSV;
see ``shared/data/PROVENANCE.md`` section 3) with the same reader and column mapping as
an uploaded file (``reading.read_file``, ``mapping.apply_mapping``; the mapping is
``MAPPING``), and returns items for ``importer.import_frames``:

* ``deprivation``: one row per authority (151 upper-tier authorities on 2019 boundaries),
  edition ``IMD 2019``; ``rank_of_average_rank`` = ``IMD - Rank of average rank`` and
  ``average_score`` = ``IMD - Average score``. In both, 1 / the highest score = most deprived.
* ``authority`` (only with ``add_authorities``): the file's authorities that the store
  lacks, named as in the file, kind from the code's prefix (``KIND_BY_PREFIX``). Existing
  authorities are never replaced: their kind, region and population stay as they are.

Without ``add_authorities``, rows of authorities the store does not hold are left out
(the deprivation table only serves authorities that are compared), and logged.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from benchmarking.errors import BenchmarkingError
from benchmarking.ingest.importer import import_frames
from benchmarking.ingest.layouts import LONG, ColumnMapping
from benchmarking.ingest.mapping import apply_mapping
from benchmarking.ingest.reading import file_rows, file_sha256, read_file
from benchmarking.ingest.results import ImportResult
from benchmarking.method.membership import NOT_A_COUNTY_AREA, Loaded, no_skips, resolve_codes, skip_counts
from benchmarking.store import Store

from . import invalid, published_file, read_published_csv, require_file_columns
from .lookups import unmatched_reason
from .source import AS_PUBLISHED, COUNTY_AREAS, Adapter, SourceContext

log = logging.getLogger(__name__)

DATA_FILE = "imd2019_utla_imd_summary.csv"
EDITION = "IMD 2019"
CODE_COLUMN = "utla19_code"
NAME_COLUMN = "utla19_name"
MAPPING = ColumnMapping(
    table="deprivation",
    layout=LONG,
    columns={
        "authority_code": CODE_COLUMN,
        "rank_of_average_rank": "IMD - Rank of average rank",
        "average_score": "IMD - Average score",
    },
    constants={"edition": EDITION},
)
"""How the published columns fill the deprivation table."""

KIND_BY_PREFIX = {
    "E10": "county council",
    "E06": "unitary",
    "E08": "metropolitan district",
    "E09": "london borough",
}
"""ONS code prefix -> authority kind, for authorities added from this file (as Oflog's kinds)."""

DATASET_NAME = "English Indices of Deprivation 2019: upper-tier authority summaries"
SOURCE = (
    "MHCLG, English Indices of Deprivation 2019, File 11 (upper-tier local authority summaries), "
    "IMD sheet; copy at github.com/ysjanonproject/data_visualisation_infant_mortalit @ "
    "e8bc7b500580266777d48c5e70ab32e139a95386 (Slough's code corrected to E06000039); OGL v3.0"
)


def imd_items(
    folder: Path | str,
    known_codes: Iterable[str] | None = None,
    add_authorities: bool = False,
) -> list[tuple[str, pd.DataFrame, str]]:
    """Return import items for the IMD 2019 summary in ``folder``.

    ``known_codes`` are the authorities the store holds (None: keep every row, and let
    the import report unknown codes). With ``add_authorities`` the missing authorities
    are added; otherwise their rows are left out.
    """
    path = published_file(folder, DATA_FILE)
    frame, rows = file_rows(read_file(path, keep_case=True))  # rows: as a spreadsheet numbers them, blank ones too
    require_file_columns(frame, [*MAPPING.columns.values(), NAME_COLUMN], DATA_FILE)
    deprivation = apply_mapping(frame, MAPPING, DATA_FILE, rows=rows).frame
    codes = deprivation["authority_code"]
    if known_codes is None:
        return [("deprivation", deprivation, DATA_FILE)]
    known = set(known_codes)
    missing = ~codes.isin(known)
    if add_authorities:
        authorities = _new_authorities(frame[missing.to_numpy()])
        items = [("authority", authorities, DATA_FILE)] if len(authorities) else []
        return items + [("deprivation", deprivation, DATA_FILE)]
    if missing.all():
        raise BenchmarkingError(
            f"none of the {len(codes)} authorities in {DATA_FILE} is in the store: load the "
            "authorities first (for example `import-source oflog --add-authorities`), or add them from this file "
            "with --add-authorities"
        )
    if missing.any():
        log.info(
            "%s: left out %d of %d rows, for authorities not in the store: %s",
            DATA_FILE,
            int(missing.sum()),
            len(codes),
            ", ".join(sorted(codes[missing])[:10]),
        )
    return [("deprivation", deprivation[~missing].reset_index(drop=True), DATA_FILE)]


def load_imd(
    store: Store,
    folder: Path | str,
    add_authorities: bool = False,
    dataset_name: str = DATASET_NAME,
    source: str = SOURCE,
) -> ImportResult:
    """Load the IMD 2019 summary into ``store`` in one transaction."""
    known = store.authorities()["code"] if store.exists() else []
    items = imd_items(folder, known_codes=known, add_authorities=add_authorities)
    hashes = {DATA_FILE: file_sha256(Path(folder) / DATA_FILE)}
    return import_frames(store, items, dataset_name=dataset_name, source=source, file_hashes=hashes)


def _new_authorities(rows: pd.DataFrame) -> pd.DataFrame:
    """Return authority rows for the file's authorities the store lacks (kind from the code)."""
    codes = rows[CODE_COLUMN].str.strip()
    kind = codes.str[:3].map(KIND_BY_PREFIX)
    if kind.isna().any():
        label = kind.index[kind.isna()][0]
        raise invalid(
            DATA_FILE,
            int(label) + 2,
            CODE_COLUMN,
            f"code {codes[label]!r} is not an English upper-tier code; expected one starting "
            f"{', '.join(KIND_BY_PREFIX)}",
        )
    return pd.DataFrame({"code": codes, "name": rows[NAME_COLUMN].str.strip(), "kind": kind}).reset_index(drop=True)


# ---------------------------------------------------------------------------------------
# The adapter: the store's authorities as published, or the county areas that existed then
# ---------------------------------------------------------------------------------------

PUBLISHED_ON = pd.Timestamp("2019-09-26")
"""Publication date of the English Indices of Deprivation 2019 (2019 boundaries)."""


def county_items(folder: Path, context: SourceContext) -> Loaded:
    """Return ``deprivation`` rows (IMD 2019, 2019 boundaries) for county areas that existed then."""
    frame = read_published_csv(folder, DATA_FILE, (CODE_COLUMN, NAME_COLUMN, *MAPPING.columns.values()))
    resolved = resolve_codes(context.areas, frame[CODE_COLUMN], PUBLISHED_ON.date(), scheme="gss")
    reason = resolved["reason"].copy()
    outside = reason.eq(NOT_A_COUNTY_AREA).to_numpy()
    reason[outside] = unmatched_reason(frame.loc[outside, CODE_COLUMN], "gss", context.lookups).to_numpy()
    keep = reason.isna().to_numpy()
    rows = pd.DataFrame(
        {
            "authority_code": resolved["authority_code"][keep].to_numpy(),
            "edition": EDITION,
            "rank_of_average_rank": frame.loc[keep, MAPPING.columns["rank_of_average_rank"]].to_numpy(),
            "average_score": frame.loc[keep, MAPPING.columns["average_score"]].to_numpy(),
        }
    )
    return Loaded([("deprivation", rows, DATA_FILE)], {DATA_FILE: len(frame)}, skip_counts(DATA_FILE, reason))


def _read(folder: Path, context: SourceContext) -> Loaded:
    if context.scope == AS_PUBLISHED:
        items = imd_items(folder, known_codes=context.known_codes, add_authorities=context.add_authorities)
        return Loaded(items, {}, no_skips())
    return county_items(folder, context)


ADAPTER = Adapter(
    name="imd",
    title="English Indices of Deprivation 2019, upper-tier summaries (deprivation)",
    folder="imd2019",
    files=(DATA_FILE,),
    provenance=SOURCE,
    read=_read,
    scopes=(COUNTY_AREAS, AS_PUBLISHED),
    dataset_name=DATASET_NAME,
    short_name="IMD 2019",
    publisher="Ministry of Housing, Communities and Local Government (MHCLG)",
    series="IMD 2019",
)
