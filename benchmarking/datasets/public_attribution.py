"""The attribution of the shipped extract: which publisher, dataset, release and licence each file
the store was built from belongs to (``data/public_attribution.csv``, one row per published folder
of ``shared/data``, written from its ``PROVENANCE.md``), and ``ATTRIBUTION.md`` built from the
store's load history (``dataset``: name, source, file names and SHA-256)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from benchmarking.errors import ExtractError
from benchmarking.ingest.reading import file_sha256
from benchmarking.paths import DATA_DIR, PROJECT_ROOT

ATTRIBUTION_TABLE = DATA_DIR / "public_attribution.csv"
"""Per published folder: publisher, dataset, release, licence and where the copy came from."""
CODE_LOOKUPS = ("lookups", ("mysociety_uk_local_authorities.csv", "dfe_las.csv", "dfe_english_la_name_codes.csv"))
"""The code lists every load reads to match codes (``adapters.lookups.load_code_lookups``): load 0."""


def published_files(datasets: pd.DataFrame, source: Path | None) -> pd.DataFrame:
    """Return one row per file the loads name: load, folder (under ``source``, or ``data`` for the
    project's own files, or '' when not found), file, sha256; the code lookups every load reads
    (when ``source`` has them) come first, as load 0."""
    found: dict[str, list[Path]] = {}
    if source is not None and source.is_dir():
        for path in sorted(source.rglob("*")):
            if path.is_file():
                found.setdefault(path.name, []).append(path)
    rows = []
    folder, names = CODE_LOOKUPS
    if source is not None:
        rows += [(0, folder, n, file_sha256(source / folder / n)) for n in names if (source / folder / n).is_file()]
    for load in datasets.itertuples():
        names = [n for n in (stored_text(load.file_name) or "").split(", ") if n]
        hashes = (stored_text(load.file_sha256) or "").split(", ")
        for number, name in enumerate(names):
            sha = hashes[number] if number < len(hashes) else ""
            rows.append((int(load.id), _folder_of(name, sha, found, source), name, sha))
    return pd.DataFrame(rows, columns=["load", "folder", "file", "sha256"])


def _folder_of(name: str, sha: str, found: dict[str, list[Path]], source: Path | None) -> str:
    # A load may record a bare file name or a path inside its folder ("published_totals/x.csv").
    candidates = [path for path in found.get(Path(name).name, []) if path.as_posix().endswith(name)]
    if len(candidates) > 1:
        candidates = [path for path in candidates if file_sha256(path) == sha] or candidates
    if candidates and source is not None:
        return candidates[0].relative_to(source).parts[0]
    if (DATA_DIR / name).is_file():
        return "data"
    return ""


def load_attribution_table() -> pd.DataFrame:
    """Return ``data/public_attribution.csv``: folder, publisher, dataset, release, licence, obtained_from."""
    return pd.read_csv(ATTRIBUTION_TABLE, dtype=str, keep_default_na=False)


def attribution_text(datasets: pd.DataFrame, files: pd.DataFrame, built: date) -> str:
    """Return ``ATTRIBUTION.md``: every publisher and licence, then every load with its files and hashes.

    Raises ExtractError when a file comes from a published folder that
    ``data/public_attribution.csv`` does not describe.
    """
    table = load_attribution_table().set_index("folder")
    folders = sorted(set(files["folder"]) - {"", "data"})
    unknown = [f for f in folders if f not in table.index]
    if unknown:
        raise ExtractError(
            f"the published folder(s) {', '.join(unknown)} have no row in "
            f"{ATTRIBUTION_TABLE.relative_to(PROJECT_ROOT)}: "
            "add publisher, dataset, release and licence there (see the folder's section of PROVENANCE.md)"
        )
    licences = sorted({table.at[f, "licence"] for f in folders})
    lines = [
        "# Sources and licences of the county-area extract",
        "",
        "Written by `python -m benchmarking build-public --extract` "
        f"(extract of {built.day} {built:%B %Y}). The Parquet files beside this one hold the tables of the "
        "store that command built from the published files named below: figures matched to the English "
        "county areas, as published or divided by the ONS population. "
        "No published file is copied here; rebuild the extract from the published files to check it.",
        "",
    ]
    if any("Open Government Licence" in licence for licence in licences):
        lines += [
            "Contains public sector information licensed under the Open Government Licence v3.0 "
            "(https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/).",
            "",
        ]
    others = [f for f in folders if table.at[f, "licence"] != "Open Government Licence v3.0"]
    lines += [f"{table.at[f, 'publisher']} ({f}/): {table.at[f, 'licence']}." for f in others]
    lines += ["", "## Publishers", ""] if others else ["## Publishers", ""]
    header = ["Folder", "Publisher", "Dataset", "Release", "Licence", "Copy obtained from"]
    rows = [
        [f, *(table.at[f, c] for c in ("publisher", "dataset", "release", "licence", "obtained_from"))] for f in folders
    ]
    lines += _table(header, rows)
    lookups = files[files["load"] == 0]
    if len(lookups):
        lines += ["", "Every load matched codes with: " + _listed(lookups) + "."]
    lines += ["", "## Loads in the store", ""]
    rows = []
    for load in datasets.itertuples():
        own = files[files["load"] == load.id]
        rows.append([str(load.id), load.name, stored_text(load.source) or "", _listed(own)])
    lines += _table(["Load", "Dataset", "Source as recorded", "Files (SHA-256, first 12)"], rows)
    return "\n".join(lines) + "\n"


def _listed(files: pd.DataFrame) -> str:
    return "; ".join(
        f"{(row.folder + '/') if row.folder else ''}{row.file} ({row.sha256[:12]})" for row in files.itertuples()
    )


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    cell = lambda text: str(text).replace("|", "\\|").replace("\n", " ")  # noqa: E731
    return [
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
        *("| " + " | ".join(cell(c) for c in row) + " |" for row in rows),
    ]


def stored_text(value: object) -> str | None:
    """Return a stored text, or None when it is missing (pandas reads a missing text as NaN)."""
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
