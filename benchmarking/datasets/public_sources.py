"""What the public build reads beside the publishers' adapters: the theme map, Oflog's items
restricted to the county areas, and IMD 2019 deprivation.

``load_theme_map`` reads ``data/public_theme_map.csv`` (publisher topic -> project theme);
``oflog_county_items`` and ``imd_items`` return ``Loaded`` items with every row read either
used or counted as skipped with its reason (``membership``'s rules).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from benchmarking.adapters import oflog, read_published_csv
from benchmarking.adapters.lookups import CodeLookups, unmatched_reason
from benchmarking.errors import BuildError
from benchmarking.method.membership import NOT_A_COUNTY_AREA, Loaded, resolve_codes, skip_counts
from benchmarking.paths import PROJECT_ROOT

THEME_MAP_FILE = PROJECT_ROOT / "data" / "public_theme_map.csv"

IMD_FOLDER = "imd2019"
IMD_FILE = "imd2019_utla_imd_summary.csv"
IMD_EDITION = "IMD 2019"
IMD_DATE = pd.Timestamp("2019-09-26")
"""Publication date of the English Indices of Deprivation 2019 (2019 boundaries)."""
IMD_SOURCE = (
    "MHCLG, English Indices of Deprivation 2019, File 11 upper-tier local authority "
    "summaries (IMD rank of average rank, average score); OGL v3.0"
)
_IMD_COLUMNS = ("utla19_code", "utla19_name", "IMD - Rank of average rank", "IMD - Average score")


def load_theme_map(path: Path | str | None = None) -> pd.DataFrame:
    """Return ``data/public_theme_map.csv``: source, topic, theme (and note)."""
    path = Path(path) if path is not None else THEME_MAP_FILE
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in ("source", "topic", "theme") if c not in frame.columns]
    if missing:
        raise BuildError(f"{path.name} lacks column(s) {missing}; it has {list(frame.columns)}")
    frame = frame.apply(lambda column: column.str.strip())
    repeated = frame.duplicated(["source", "topic"])
    if repeated.any():
        raise BuildError(f"{path.name} maps {frame.loc[repeated, ['source', 'topic']].values.tolist()} twice")
    return frame


def theme_of_topics(theme_map: pd.DataFrame, source: str) -> dict[str, str]:
    """Return topic -> theme for one publisher's topics in the theme map."""
    rows = theme_map[theme_map["source"] == source]
    return dict(zip(rows["topic"], rows["theme"]))


def oflog_county_items(
    folder: Path, areas: pd.DataFrame, theme_map: pd.DataFrame, core_themes: set[str], lookups: CodeLookups
) -> tuple[Loaded, list[str]]:
    """Return Oflog's ASC indicators, values and nearest neighbours for the county areas."""
    items = {table: frame for table, frame, _ in oflog.oflog_items(folder)}
    theme = theme_of_topics(theme_map, "Oflog").get("Adult social care")
    if theme is None:
        raise BuildError(f"{THEME_MAP_FILE.name} has no theme for Oflog / Adult social care")
    indicators = items["indicator"].assign(theme=theme, is_core=theme in core_themes)
    values = items["indicator_value"]
    resolved = resolve_codes(areas, values["authority_code"], values["period"], scheme="gss")
    reason = resolved["reason"].copy()
    outside = reason.eq(NOT_A_COUNTY_AREA).to_numpy()
    reason[outside] = unmatched_reason(values.loc[outside, "authority_code"], "gss", lookups).to_numpy()
    keep = reason.isna().to_numpy()
    values = values[keep].assign(authority_code=resolved["authority_code"][keep].to_numpy())
    neighbours, counts = oflog.oflog_neighbours(folder, areas["code"])
    skipped = pd.concat(
        [
            skip_counts(oflog.DATA_FILE, reason),
            pd.DataFrame(
                {
                    "file": [oflog.NEIGHBOUR_FILE],
                    "reason": ["list of an authority that is not a county area"],
                    "rows": [counts.lists_dropped],
                }
            ),
        ],
        ignore_index=True,
    )
    notes = [
        f"{oflog.NEIGHBOUR_FILE}: {counts.lists_kept} county-area lists kept with {counts.entries_kept} "
        f"neighbours; {counts.neighbours_dropped} neighbour entries that are not county areas and "
        f"{counts.self_entries} self entries left out"
    ]
    loaded = Loaded(
        [
            ("indicator", indicators, oflog.DATA_FILE),
            ("indicator_value", values, oflog.DATA_FILE),
            ("comparator_group", neighbours, oflog.NEIGHBOUR_FILE),
        ],
        {oflog.DATA_FILE: len(keep), oflog.NEIGHBOUR_FILE: counts.lists},
        skipped[skipped["rows"] > 0].reset_index(drop=True),
    )
    return loaded, notes


def imd_items(folder: Path, areas: pd.DataFrame, lookups: CodeLookups) -> Loaded:
    """Return ``deprivation`` rows (IMD 2019, 2019 boundaries) for county areas that existed then."""
    frame = read_published_csv(folder, IMD_FILE, _IMD_COLUMNS)
    resolved = resolve_codes(areas, frame["utla19_code"], IMD_DATE.date(), scheme="gss")
    reason = resolved["reason"].copy()
    outside = reason.eq(NOT_A_COUNTY_AREA).to_numpy()
    reason[outside] = unmatched_reason(frame.loc[outside, "utla19_code"], "gss", lookups).to_numpy()
    keep = reason.isna().to_numpy()
    rows = pd.DataFrame(
        {
            "authority_code": resolved["authority_code"][keep].to_numpy(),
            "edition": IMD_EDITION,
            "rank_of_average_rank": frame.loc[keep, "IMD - Rank of average rank"].to_numpy(),
            "average_score": frame.loc[keep, "IMD - Average score"].to_numpy(),
        }
    )
    return Loaded([("deprivation", rows, IMD_FILE)], {IMD_FILE: len(frame)}, skip_counts(IMD_FILE, reason))
