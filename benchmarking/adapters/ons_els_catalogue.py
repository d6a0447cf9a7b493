"""The reviewed catalogue of the ONS Explore Local Statistics files, their metadata and period labels.

* ``load_catalogue`` reads ``data/ons_els_indicators.csv``: one row per (file, indicator
  as published) with the indicator's id, name, theme, polarity, unit, the reason for the
  polarity and whether it is kept. Ids are ``els:`` + ``indicator_slug`` of the published
  name.
* ``file_metadata`` reads the ``.json`` ONS publishes beside each file (title, subtitle,
  source, release date, whether it is official statistics in development).
* ``same_area_predecessors`` says which new unitary's back-cast figures are an old
  county's (the same area under a new code).
* ``period_label`` turns an ISO-8601 period (a start date and a duration in years, or a
  bare reference date) into the store's label (``benchmarking.method.periods``).

Used by ``adapters.ons_els``; nothing here reads the store.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pandas as pd

from benchmarking.errors import BuildError
from benchmarking.paths import PROJECT_ROOT

CATALOGUE_FILE = PROJECT_ROOT / "data" / "ons_els_indicators.csv"
CATALOGUE_COLUMNS = ("file", "indicator", "id", "name", "theme", "polarity", "unit", "polarity_reason", "kept", "note")
"""``note``: what a reader should know about the periods or the unit (may be empty)."""
POLARITIES = ("high", "low", "target", "none")

_ISO_PERIOD = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:/P(\d+)Y)?$")


def indicator_slug(name: str) -> str:
    """Return the id slug of a published indicator name: lower case, non-alphanumeric runs -> '-'."""
    return re.sub(r"[^a-z0-9]+", "-", str(name).lower()).strip("-")


def topic_of(file_name: str) -> str:
    """Return a file's topic in ``data/public_theme_map.csv``: its stem without a ``__commit_`` suffix."""
    return Path(file_name).stem.split("__")[0]


def load_catalogue(path: Path | str | None = None) -> pd.DataFrame:
    """Return the reviewed catalogue (columns ``CATALOGUE_COLUMNS``, ``kept`` as bool).

    Raises BuildError naming the row when a polarity is unknown, ``kept`` is not yes/no,
    an id is not ``els:`` + the slug of its indicator, or a (file, indicator) is repeated.
    """
    path = Path(path) if path is not None else CATALOGUE_FILE
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [column for column in CATALOGUE_COLUMNS if column not in frame.columns]
    if missing:
        raise BuildError(f"{path.name} lacks column(s) {missing}; it has {list(frame.columns)}")
    frame = frame[list(CATALOGUE_COLUMNS)].apply(lambda column: column.str.strip())
    problems = []
    for row in frame.itertuples(index=False):
        if row.polarity not in POLARITIES:
            problems.append(f"{row.file} / {row.indicator}: polarity {row.polarity!r} is not one of {POLARITIES}")
        if row.kept not in ("yes", "no"):
            problems.append(f"{row.file} / {row.indicator}: kept must be yes or no, got {row.kept!r}")
        if row.id != "els:" + indicator_slug(row.indicator):
            problems.append(
                f"{row.file} / {row.indicator}: id {row.id!r} should be els:{indicator_slug(row.indicator)}"
            )
    repeated = frame.duplicated(["file", "indicator"])
    problems += [f"{f} / {i} is listed twice" for f, i in frame.loc[repeated, ["file", "indicator"]].itertuples(False)]
    if problems:
        raise BuildError(f"{path.name}: " + "; ".join(problems))
    return frame.assign(kept=frame["kept"].eq("yes"))


def same_area_predecessors(areas: pd.DataFrame) -> dict[str, str]:
    """Return successor code -> predecessor code for county areas replaced by one authority with the same area.

    From ``county_areas.csv``: one successor and ``successors_cover_area`` true (Buckinghamshire,
    North Yorkshire and Somerset county councils). ONS publishes such areas on current
    boundaries under the successor's code for periods before it existed: those figures are
    the predecessor's area's, and are read as the predecessor's (its own code's row, when
    published too, is used instead).
    """
    single = areas["successors"].fillna("").str.strip().str.fullmatch(r"E\d{8}")
    covered = areas["successors_cover_area"].astype(str).str.strip().str.lower().eq("true")
    chosen = areas[single & covered]
    return dict(zip(chosen["successors"].str.strip(), chosen["code"]))


# ---------------------------------------------------------------------------------------
# Periods
# ---------------------------------------------------------------------------------------


def period_label(period: str) -> str | None:
    """Return the store's label of an ISO-8601 period, or None when it has none.

    ``2019-01-01/P1Y`` -> ``2019``; ``2011-01-01/P3Y`` -> ``2011-13``; ``2021-04-01/P1Y``
    -> ``2021-22`` (financial year); ``2019-08-01/P1Y`` (or ``-09-01``) -> ``2019/20``
    (academic year, which the store reads as April to March: the same reporting year as its
    true August-July span). A year starting on another day (Active Lives' 16 November to
    15 November) -> the calendar year holding its midpoint (and most of its days). A bare
    date is a reference date (ASHE's April pay period, the affordability ratio's April
    midpoint) -> the calendar year ONS names it by. Two-year spans (``2019-20`` would read as
    a financial year) and spans not starting on 1 January -> None.
    """
    match = _ISO_PERIOD.match(str(period).strip())
    if not match:
        return None
    year, month, day = (int(part) for part in match.group(1, 2, 3))
    try:
        start = dt.date(year, month, day)
    except ValueError:
        return None
    if match.group(4) is None:
        return str(year)
    years = int(match.group(4))
    if years == 1:
        if (month, day) == (1, 1):
            return str(year)
        if (month, day) == (4, 1):
            return f"{year}-{(year + 1) % 100:02d}"
        if (month, day) in ((8, 1), (9, 1)):
            return f"{year}/{(year + 1) % 100:02d}"
        end = dt.date(year + 1, month, day) - dt.timedelta(days=1)
        return str((start + (end - start) / 2).year)
    if years >= 3 and (month, day) == (1, 1):
        return f"{year}-{(year + years - 1) % 100:02d}"
    return None


# ---------------------------------------------------------------------------------------
# The metadata beside each file
# ---------------------------------------------------------------------------------------


def file_metadata(folder: Path, file_name: str, indicator: str) -> dict[str, str]:
    """Return ONS's metadata of one indicator (subtitle, sourceOrg, sourceDate, experimental), {} if none.

    The ``.json`` beside ``file_name`` holds ``ess-beta-metadata`` (flat, or a ``shared``
    part plus one part per indicator), or, for the older smokers file, a CSV-W ``title``
    and ``summary``. A missing or unreadable file gives {}: the metadata only adds words.
    """
    path = Path(folder) / (Path(file_name).stem + ".json")
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):
        return {}
    meta = document.get("ess-beta-metadata")
    if not isinstance(meta, dict):
        return {"subtitle": str(document.get("summary", "")), "sourceOrg": "Office for National Statistics"}
    merged = dict(meta.get("shared", {})) if isinstance(meta.get("shared"), dict) else {}
    if isinstance(meta.get(indicator), dict):
        merged.update(meta[indicator])
    merged.update({key: value for key, value in meta.items() if not isinstance(value, dict)})
    return {key: str(value) for key, value in merged.items() if value is not None}


def provenance(file_name: str, meta: dict[str, str], commit: str) -> str:
    """Return the source text of one file's indicators: ONS's file, its commit, the producer and release date."""
    producer = meta.get("sourceOrg", "").replace("|", " and ")
    released = meta.get("sourceDate", "").split("|")[0]
    text = f"Office for National Statistics, Explore Local Statistics file {file_name} "
    text += f"(ONSdigital/explore-local-statistics-data @ {commit})"
    if producer and producer != "Office for National Statistics":
        text += f"; data from {producer}"
    if released:
        text += f", released {released}"
    return text + "; OGL v3.0"


def indicator_description(
    entry: dict[str, str], meta: dict[str, str], measure: str, intervals: int, values: int
) -> str:
    """Return the stored description of a catalogue entry: what it measures, why its polarity, its caveats.

    ``entry`` holds the catalogue's ``file``, ``indicator``, ``name``, ``polarity``,
    ``polarity_reason`` and ``note``; ``intervals`` of the ``values`` county values carry a published interval.
    """
    what = meta.get("subtitle") or meta.get("longDescription") or entry["name"]
    direction = {"high": "higher is better", "low": "lower is better", "none": "context, not ranked"}
    parts = [
        f"{what.rstrip('.')}.",
        f"ONS Explore Local Statistics, indicator '{entry['indicator']}' ({entry['file']}); measure: {measure}.",
        f"Polarity: {direction.get(entry['polarity'], entry['polarity'])} ({entry['polarity_reason']}).",
    ]
    if entry.get("note"):
        parts.append(entry["note"])
    if meta.get("experimentalStatistic") == "T":
        parts.append("Official statistics in development.")
    if intervals:
        parts.append(
            f"ONS publishes a 95% confidence interval for {intervals} of its {values} county-area values; "
            "the store keeps the estimate only."
        )
    return " ".join(parts)
