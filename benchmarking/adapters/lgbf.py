"""Scotland's Local Government Benchmarking Framework (LGBF) as import items.

Reads the files as re-published by Stirling Council's ``SC-TPP/LGBF`` repository
(``indicator_data_ranked.csv``, ``indicator_information.csv``, ``family_groups.csv``;
see ``shared/data/PROVENANCE.md`` section 1) and returns items for
``importer.import_frames``:

* ``authority``: the 32 Scottish councils, kind ``scottish council``, named as the LGBF
  names them. The code is the council's ONS GSS code (``S12...``) found by name in the
  mySociety lookup (``lookups/mysociety_uk_local_authorities.csv``, current Scottish
  councils only) with ``adapters.name_key``'s normalisation; a council the lookup does
  not give (or every council, when the lookup file is absent) gets the slug
  ``scot-<name>`` instead, with a warning.
* ``indicator``: the indicators that have values in the ranked file (99 of the 106 in
  the catalogue; the other 7 have no data here). ``id`` = ``Code_Sortable``,
  ``name`` = ``Title``, ``theme`` = ``ISCategory``, ``unit`` = ``MeasureType``,
  ``source`` = ``Source``; polarity from ``Ranking_Type`` (see ``RANKING_POLARITY``).
  ``target_midpoint`` is kept for Goldilocks indicators only: the catalogue also gives
  mid-points for two Ascending/Descending indicators (FINSUS 02, FINSUS 05), which the
  LGBF ranks ignore.
* ``indicator_value``: ``Real_Value`` per council x indicator x period, period as
  published (``2020-21``, or a multi-year aggregate such as ``2017-20``).
* ``comparator_group``: the two family-group schemes, 4 groups of 8 councils each, as
  saved lists (``authority_code = '*'``) with ids ``lgbf-family-<scheme>-<n>``;
  ``FAMILY_SCHEMES`` names the schemes. Which scheme ranks an indicator is its
  ``FamilyGrouping`` in ``indicator_information.csv`` (see ``family_scheme_of``).
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pandas as pd

from benchmarking.errors import BenchmarkingError
from benchmarking.ingest.importer import import_frames
from benchmarking.ingest.names import name_index, resolve_names, slug
from benchmarking.ingest.reading import file_sha256
from benchmarking.ingest.results import ImportResult
from benchmarking.method.membership import Loaded, no_skips
from benchmarking.store import Store

from . import invalid, read_published_csv
from .source import AS_PUBLISHED, Adapter, SourceContext

RANKED_FILE = "indicator_data_ranked.csv"
INDICATOR_FILE = "indicator_information.csv"
FAMILY_FILE = "family_groups.csv"
LOOKUP_FILE = Path("lookups") / "mysociety_uk_local_authorities.csv"

AUTHORITY_KIND = "scottish council"
RANKING_POLARITY = {"descending": "high", "ascending": "low", "goldilocks": "target"}
"""LGBF ``Ranking_Type`` (any case) -> polarity: Descending = higher is better, Ascending =
lower is better, Goldilocks = closest to ``Ranking_GoldilocksMidpoint`` is best."""

FAMILY_SCHEMES = {
    "Environmental, Culture & Leisure, Economic Development, Corporate and Property indicators": "density",
    "Children, Social Work and Housing indicators": "deprivation",
}
"""Family-group scheme (``Type`` / ``FamilyGrouping`` as published) -> short id. The first
groups councils by population density and rurality, the second by deprivation."""

DATASET_NAME = "Scotland LGBF indicators with published ranks (latest period withheld)"
SOURCE = (
    "Improvement Service (Scotland), Local Government Benchmarking Framework, April 2023 "
    "release; re-published by Stirling Council at github.com/SC-TPP/LGBF @ "
    "329fd6d4c646574dcb16558ff163b2b4765b788f (Data Files/Latest Values.csv, "
    "Indicator Information.csv, Family Groups.csv)"
)

_RANKED_COLUMNS = ("Code", "LocalAuthority", "Period", "Real_Value")
_INDICATOR_COLUMNS = (
    "Code_Sortable",
    "Title",
    "ISCategory",
    "MeasureType",
    "Source",
    "FamilyGrouping",
    "Ranking_Type",
    "Ranking_GoldilocksMidpoint",
)
_FAMILY_COLUMNS = ("Local_Authority", "Type", "Family_Group")
_FAMILY_GROUP = re.compile(r"^Family Group (\d+)$")


# ---------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------


def lgbf_items(folder: Path | str, lookup: Path | str | None = None) -> list[tuple[str, pd.DataFrame, str]]:
    """Return import items (authority, indicator, indicator_value, comparator_group) for LGBF.

    ``folder`` holds the three published files; ``lookup`` is the mySociety authority
    lookup (default ``<folder>/../lookups/mysociety_uk_local_authorities.csv``).
    """
    folder = Path(folder)
    ranked = read_published_csv(folder, RANKED_FILE, _RANKED_COLUMNS)
    information = read_published_csv(folder, INDICATOR_FILE, _INDICATOR_COLUMNS)
    families = read_published_csv(folder, FAMILY_FILE, _FAMILY_COLUMNS)

    names = list(dict.fromkeys(ranked["LocalAuthority"]).keys())
    names += [name for name in dict.fromkeys(families["Local_Authority"]) if name not in names]
    code_of = council_codes(names, Path(lookup) if lookup else folder.parent / LOOKUP_FILE)

    authorities = pd.DataFrame(
        {
            "code": [code_of[name] for name in names],
            "name": names,
            "kind": AUTHORITY_KIND,
        }
    )
    indicators = _indicators(information, set(ranked["Code"]))
    values = pd.DataFrame(
        {
            "indicator_id": ranked["Code"],
            "authority_code": ranked["LocalAuthority"].map(code_of),
            "period": ranked["Period"],
            "value": ranked["Real_Value"],
        }
    )
    groups = _family_groups(families, code_of)
    return [
        ("authority", authorities, RANKED_FILE),
        ("indicator", indicators, INDICATOR_FILE),
        ("indicator_value", values, RANKED_FILE),
        ("comparator_group", groups, FAMILY_FILE),
    ]


def load_lgbf(
    store: Store,
    folder: Path | str,
    lookup: Path | str | None = None,
    dataset_name: str = DATASET_NAME,
    source: str = SOURCE,
) -> ImportResult:
    """Load LGBF into ``store`` in one transaction; return the importer's ImportResult."""
    folder = Path(folder)
    items = lgbf_items(folder, lookup)
    files = (RANKED_FILE, INDICATOR_FILE, FAMILY_FILE)
    hashes = {name: file_sha256(folder / name) for name in files}
    return import_frames(store, items, dataset_name=dataset_name, source=source, file_hashes=hashes)


def council_codes(names: list[str], lookup: Path) -> dict[str, str]:
    """Return council name -> GSS code (``S12...``) from the mySociety lookup, else a slug.

    Only current Scottish councils in the lookup are matched (``nation`` Scotland, no
    ``end-date``). Names that do not resolve, or all names when the lookup is missing,
    get ``scot-<slug>`` and a warning.
    """
    if not lookup.is_file():
        warnings.warn(
            f"authority lookup {lookup} not found: Scottish councils get slug codes (scot-<name>) instead of GSS codes",
            stacklevel=2,
        )
        return {name: f"scot-{slug(name)}" for name in names}
    table = pd.read_csv(lookup, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    scottish = table[table["nation"].eq("Scotland") & table["end-date"].eq("")]
    main, alternative = name_index(scottish, "gss-code")
    resolved, unresolved = resolve_names(names, main, alternative)
    if unresolved:
        warnings.warn(
            f"{len(unresolved)} council name(s) not found in {lookup.name}: {unresolved}; "
            "they get slug codes (scot-<name>)",
            stacklevel=2,
        )
    return {name: resolved.get(name) or f"scot-{slug(name)}" for name in names}


def family_group_id(scheme_type: str, family_group: str) -> str:
    """Return the comparator group id (``lgbf-family-<scheme>-<n>``) of a published family group."""
    match = _FAMILY_GROUP.match(family_group.strip())
    if scheme_type not in FAMILY_SCHEMES or not match:
        raise BenchmarkingError(
            f"unknown LGBF family group {family_group!r} of scheme {scheme_type!r}; "
            f"expected 'Family Group <n>' of one of {list(FAMILY_SCHEMES)}"
        )
    return f"lgbf-family-{FAMILY_SCHEMES[scheme_type]}-{match.group(1)}"


def family_scheme_of(folder: Path | str) -> dict[str, str]:
    """Return indicator id -> family scheme id (``density``/``deprivation``) from the catalogue."""
    information = read_published_csv(folder, INDICATOR_FILE, ("Code_Sortable", "FamilyGrouping"))
    _check_schemes(information["FamilyGrouping"], INDICATOR_FILE, "FamilyGrouping")
    schemes = information["FamilyGrouping"].map(FAMILY_SCHEMES)
    return dict(zip(information["Code_Sortable"], schemes))


# ---------------------------------------------------------------------------------------
# Private helpers
# ---------------------------------------------------------------------------------------


def _indicators(information: pd.DataFrame, with_values: set[str]) -> pd.DataFrame:
    """Return indicator rows for the catalogue entries that have values."""
    missing = sorted(with_values - set(information["Code_Sortable"]))
    if missing:
        raise invalid(
            RANKED_FILE,
            None,
            "Code",
            f"indicator code(s) {missing[:5]} have values but no row in {INDICATOR_FILE}",
        )
    rows = information[information["Code_Sortable"].isin(with_values)]
    polarity = rows["Ranking_Type"].str.strip().str.lower().map(RANKING_POLARITY)
    if polarity.isna().any():
        position = int(polarity.index[polarity.isna()][0])
        raise invalid(
            INDICATOR_FILE,
            position + 2,
            "Ranking_Type",
            f"unknown Ranking_Type {rows.loc[position, 'Ranking_Type']!r} for "
            f"{rows.loc[position, 'Code_Sortable']}; "
            "expected one of Ascending, Descending, Goldilocks",
        )
    _check_schemes(rows["FamilyGrouping"], INDICATOR_FILE, "FamilyGrouping")
    midpoint = rows["Ranking_GoldilocksMidpoint"].where(polarity.eq("target"), "")
    return pd.DataFrame(
        {
            "id": rows["Code_Sortable"],
            "name": rows["Title"],
            "theme": rows["ISCategory"],
            "polarity": polarity,
            "target_midpoint": midpoint,
            "unit": rows["MeasureType"],
            "source": rows["Source"].str.strip(),
        }
    ).reset_index(drop=True)


def _family_groups(families: pd.DataFrame, code_of: dict[str, str]) -> pd.DataFrame:
    """Return comparator_group rows: one saved list per scheme x family group."""
    _check_schemes(families["Type"], FAMILY_FILE, "Type")
    bad = ~families["Family_Group"].str.strip().str.match(_FAMILY_GROUP)
    if bad.any():
        position = int(bad.to_numpy().nonzero()[0][0])
        raise invalid(
            FAMILY_FILE,
            position + 2,
            "Family_Group",
            f"unexpected family group {families['Family_Group'].iloc[position]!r}; expected 'Family Group <n>'",
        )
    group_id = [family_group_id(t, g) for t, g in zip(families["Type"], families["Family_Group"])]
    return pd.DataFrame(
        {
            "group_id": group_id,
            "name": [f"LGBF {g} ({t})" for t, g in zip(families["Type"], families["Family_Group"])],
            "authority_code": "*",
            "member_code": families["Local_Authority"].map(code_of),
        }
    )


def _check_schemes(column: pd.Series, file_name: str, column_name: str) -> None:
    unknown = ~column.isin(FAMILY_SCHEMES)
    if unknown.any():
        label = column.index[unknown][0]  # the file's row index: header is row 1
        raise invalid(
            file_name,
            int(label) + 2,
            column_name,
            f"unknown family-group scheme {column[label]!r}; expected one of {list(FAMILY_SCHEMES)}",
        )


def _read(folder: Path, context: SourceContext) -> Loaded:
    return Loaded(lgbf_items(folder), {}, no_skips())


ADAPTER = Adapter(
    name="lgbf",
    title="Scotland's Local Government Benchmarking Framework (indicators, catalogue, family groups)",
    folder="lgbf",
    files=(RANKED_FILE, INDICATOR_FILE, FAMILY_FILE),
    provenance=SOURCE,
    read=_read,
    scopes=(AS_PUBLISHED,),
    dataset_name=DATASET_NAME,
    short_name="LGBF",
    publisher="Improvement Service (Scotland)",
    series="LGBF",
)
