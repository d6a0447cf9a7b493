"""ONS Explore Local Statistics: 23 indicator files for the county areas (Health - Adult, Economy, Housing ...).

Reads the tidy CSVs of ``ons_els/`` as published (ONSdigital/explore-local-statistics-data;
``shared/data/PROVENANCE.md`` section 10): ``areacd, areanm, geography, indicator, period,
observation, measure, unit, lci_95, uci_95, status, notes``; the smokers file
(``cigarette-smokers__commit_fdece5df.csv``, an older commit: the current file has no county
rows) has the older header with its own ``Polarity`` column, read under the same names
(its ``Variable Name`` is the indicator, as in the current files). Which indicators are
kept, their ids, themes, polarity and units are the reviewed catalogue
``data/ons_els_indicators.csv`` (``adapters.ons_els_catalogue``); each file's topic has its
theme in ``data/public_theme_map.csv`` (source ``ONS ELS``), which the catalogue must agree with.

Rows and their reasons
----------------------
* Every geography is in the files. A row is kept when its code is a county area of
  ``data/county_areas.csv`` that existed at the period's midpoint (``resolve_codes``): E10
  county councils and the E06 county unitaries. Others are skipped, counted by
  ``unmatched_reason`` and the file's own geography (country/region totals, districts,
  non-county unitaries, ITL areas), or by whose lifetime the period falls outside.
* **Back-casts.** Most files are on 2023 boundaries: they publish Buckinghamshire, North
  Yorkshire and Somerset under the new unitary's code for every year, also years before
  it existed. Where the new authority's area is exactly its one predecessor's
  (``same_area_predecessors``: one successor, ``successors_cover_area`` true in
  ``county_areas.csv``), such a row is the predecessor's (Somerset CC's 2019 figure is
  published under E06000066); 717 values come this way, counted in the notes and each
  indicator's description. Areas split in two (Cumbria, Northamptonshire) or merged with
  other land (Dorset) are not back-cast: their old counties have only the rows published
  under their own codes.
* Where a county area answers to two codes in one period (Buckinghamshire's E10000002
  and E06000060, or a back-cast beside the old county's own row, equal where both are
  published), its own code's row is kept and the other skipped.
* **Periods** are ISO-8601 (``ons_els_catalogue.period_label``): ``2019-01-01/P1Y`` ->
  ``2019``; ``2011-01-01/P3Y`` -> ``2011-13``; ``2021-04-01/P1Y`` -> ``2021-22``;
  ``2019-08-01/P1Y`` -> ``2019/20``, an academic year (August to July), which the store
  reads as April to March: the same reporting year as its true span. Adult obesity's
  Active Lives years (16 November to 15 November) take the calendar year holding most of
  their days and their midpoint (``2015-11-16/P1Y`` -> ``2016``; OHID writes ``2015/16``,
  which the store would read as April 2015 to March 2016, a reporting year early).
  Bare dates are reference dates, labelled with the calendar year ONS names them by: pay
  (ASHE, the pay period including a day in April) and the affordability ratio (``2025-04-01``:
  April 2025 earnings and house prices in the year to September 2025, April in the middle).
  A period with no label (a two-year span, say) is skipped with its reason.
* **Status** ``x`` (not available) and ``u`` (low reliability) come with no observation in
  these files: such rows are skipped, the reason counted (``status x: not available``,
  ``status u: low reliability, no value published``); so is a blank observation. A ``u``
  row that carries a value keeps it, and the value gets a note (the ``note`` table)
  saying ONS marks it low reliability; so do values whose ``notes`` say the estimate is
  unreliable and values whose ``status`` is other text (``Value for Cornwall and Isles
  of Scilly combined``). Pay's 2025 figures are ``provisional`` and 2024's ``revised``
  (the file's metadata says so); every other value is ``final``.
* **Confidence intervals** (``lci_95``/``uci_95``): the store has no column for them; each
  indicator's description says for how many county values ONS publishes one, and the
  notes count them per file.

Healthy life expectancy is read from here (ONS's current method, 2011-13 to 2022-24);
the Fingertips copy of it is not loaded.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from benchmarking.errors import BuildError
from benchmarking.method.membership import NOT_A_COUNTY_AREA, Loaded, code_table, resolve_codes, skip_counts

from . import read_published_csv
from .lookups import UNKNOWN_CODE, unmatched_reason
from .ons_els_catalogue import (
    file_metadata,
    indicator_description,
    load_catalogue,
    period_label,
    provenance,
    same_area_predecessors,
    topic_of,
)
from .source import COUNTY_AREAS, Adapter, SourceContext

FOLDER = "ons_els"
SMOKERS_FILE = "cigarette-smokers__commit_fdece5df.csv"
FILES = (
    "adult-obesity-prevalence.csv",
    "apprenticeships.csv",
    "average-travel-time.csv",
    "business-demography.csv",
    "cancer-diagnosis-at-stage-1-and-2.csv",
    "children-in-relative-poverty.csv",
    SMOKERS_FILE,
    "claimant-count.csv",
    "employment-rate.csv",
    "first-time-buyer-mortgage-sales.csv",
    "further-education-and-skills-learner-achievements.csv",
    "further-education-and-skills-participation.csv",
    "greenhouse-gas-emissions.csv",
    "gross-disposable-household-income-per-head.csv",
    "gross-median-weekly-pay.csv",
    "healthy-life-expectancy.csv",
    "housing-affordability-ratio.csv",
    "motor-vehicle-flow.csv",
    "net-additions-to-the-housing-stock.csv",
    "personal-wellbeing-estimates.csv",
    "preventable-cardiovascular-mortality-england.csv",
    "qualifications-level-3-or-above.csv",
    "qualifications-none-gb.csv",
)
COMMIT = "4972c588"
COMMITS = {SMOKERS_FILE: "fdece5df"}
"""The commit of ONSdigital/explore-local-statistics-data each file comes from (PROVENANCE section 10)."""
THEME_SOURCE = "ONS ELS"
"""The ``source`` of these files' topics in ``data/public_theme_map.csv``."""
SOURCE_NAME = "ONS Explore Local Statistics"
SOURCE = (
    "Office for National Statistics, Explore Local Statistics indicator files "
    "(ONSdigital/explore-local-statistics-data @ 4972c588; cigarette smokers @ fdece5df); OGL v3.0"
)
COLUMNS = ("areacd", "areanm", "geography", "indicator", "period", "observation")
OPTIONAL_COLUMNS = ("measure", "unit", "lci_95", "uci_95", "status", "notes")
OLD_HEADER = {
    "AREACD": "areacd",
    "AREANM": "areanm",
    "Geography": "geography",
    "Variable Name": "indicator",
    "Indicator": "indicator_text",
    "Period": "period",
    "Observation": "observation",
    "Measure": "measure",
    "Unit": "unit",
    "Lower Confidence Interval (95%)": "lci_95",
    "Upper Confidence Interval (95%)": "uci_95",
    "Observation Status": "status",
    "Polarity": "publisher_polarity",
    "Notes": "notes",
}
"""The smokers file's older header -> the current names."""
STATUS_BY_PERIOD = {
    ("gross-median-weekly-pay.csv", "2025"): "provisional",
    ("gross-median-weekly-pay.csv", "2024"): "revised",
}
"""Figures the file's metadata calls provisional or revised (ASHE 2025 provisional, 2024 revised)."""
NOT_AVAILABLE = "status x: not available"
LOW_RELIABILITY_BLANK = "status u: low reliability, no value published"
BLANK = "no value published (blank observation)"
LOW_RELIABILITY_NOTE = "ONS marks this estimate low reliability (status u)."
COMBINED_AREAS = {"E67000002": ("E06000052", "ONS: value for Cornwall and Isles of Scilly combined (code E67000002).")}
"""Combined-area codes whose value stands for a county area (the Isles of Scilly add about 2,000
people to Cornwall's 570,000): code -> (county area's code, the note its values carry)."""


def read_els_file(folder: Path | str, file_name: str) -> pd.DataFrame:
    """Return one published file as text cells under the current column names (old header renamed)."""
    if file_name == SMOKERS_FILE:
        frame = read_published_csv(folder, file_name, list(OLD_HEADER))
        frame = frame.rename(columns=OLD_HEADER)
    else:
        frame = read_published_csv(folder, file_name, COLUMNS)
    for column in OPTIONAL_COLUMNS:
        if column not in frame.columns:
            frame[column] = ""
    return frame.apply(lambda column: column.str.strip())


def els_items(folder: Path | str, context: SourceContext, files: tuple[str, ...] = FILES) -> Loaded:
    """Return the ``indicator``, ``indicator_value`` (and ``note``) items of ``files`` for the county areas.

    Rows read per file, every skipped row counted with its reason, and a note per file
    (confidence intervals, low-reliability values) come with them.
    """
    folder = Path(folder)
    catalogue = load_catalogue()
    items, rows_read, skipped, notes = [], {}, [], []
    frames = {file_name: read_els_file(folder, file_name) for file_name in files}
    matches = _county_matches(frames, context)
    for file_name, frame in frames.items():
        rows_read[file_name] = len(frame)
        entries = catalogue[catalogue["file"] == file_name]
        theme = _theme(context, file_name, entries)
        reason, labels, authority = _row_reasons(frame, matches[file_name], entries, context)
        keep = reason.isna().to_numpy()
        back_cast = matches[file_name]["back_cast"].fillna(False).to_numpy(dtype=bool)
        kept = frame[keep].assign(authority_code=authority[keep], period_label=labels[keep], back_cast=back_cast[keep])
        skipped.append(skip_counts(file_name, reason))
        kept_entries = entries[entries["kept"]].set_index("indicator")
        values = pd.DataFrame(
            {
                "indicator_id": kept["indicator"].map(kept_entries["id"]).to_numpy(),
                "authority_code": kept["authority_code"].to_numpy(),
                "period": kept["period_label"].to_numpy(),
                "value": pd.to_numeric(kept["observation"]).astype(float).to_numpy(),
                "status": [STATUS_BY_PERIOD.get((file_name, p), "final") for p in kept["period_label"]],
            }
        )
        indicators = _indicators(folder, file_name, kept_entries, kept, theme, context)
        items += [("indicator", indicators, file_name), ("indicator_value", values, file_name)]
        value_notes = _value_notes(kept, kept_entries)
        if len(value_notes):
            items.append(("note", value_notes, file_name))
        notes.append(_file_note(file_name, kept, value_notes))
    return Loaded(items, rows_read, pd.concat(skipped, ignore_index=True), tuple(notes))


def _theme(context: SourceContext, file_name: str, entries: pd.DataFrame) -> str:
    """Return the file's theme from the theme map; BuildError when the catalogue says otherwise."""
    theme = context.theme(THEME_SOURCE, topic_of(file_name))
    other = sorted(set(entries["theme"]) - {theme})
    if other:
        raise BuildError(
            f"data/ons_els_indicators.csv gives {file_name} theme(s) {other} but public_theme_map.csv "
            f"gives its topic {topic_of(file_name)!r} {theme!r}: make them agree"
        )
    return theme


def _county_matches(frames: dict[str, pd.DataFrame], context: SourceContext) -> dict[str, pd.DataFrame]:
    """Return per file, aligned with its rows: ``label``, ``county`` (a county area's code), and the
    ``authority_code`` and ``reason`` of ``resolve_codes`` (one call for the pairs of every file)."""
    known = set(code_table(context.areas, "gss")["source_code"])
    matches = {}
    for file_name, frame in frames.items():
        labels = frame["period"].map({period: period_label(period) for period in frame["period"].unique()})
        codes = frame["areacd"].map(lambda code: COMBINED_AREAS.get(code, (code,))[0])
        matches[file_name] = pd.DataFrame(
            {"code": codes, "label": labels, "key": labels.fillna(""), "county": codes.isin(known)}
        )
    pairs = pd.concat([match.loc[match["county"], ["code", "key"]] for match in matches.values()])
    pairs = pairs.drop_duplicates().reset_index(drop=True)
    resolved = resolve_codes(context.areas, pairs["code"], pairs["key"], scheme="gss")
    pairs = pairs.assign(authority_code=resolved["authority_code"].to_numpy(), reason=resolved["reason"].to_numpy())
    pairs["back_cast"] = False
    predecessor = same_area_predecessors(context.areas)
    early = pairs["authority_code"].isna() & pairs["code"].isin(set(predecessor)) & pairs["key"].ne("")
    if early.any():
        again = resolve_codes(context.areas, pairs.loc[early, "code"].map(predecessor), pairs.loc[early, "key"])
        found = again["authority_code"].notna().to_numpy()
        rows = pairs.index[early][found]
        pairs.loc[rows, "authority_code"] = again["authority_code"].to_numpy()[found]
        pairs.loc[rows, "reason"] = None
        pairs.loc[rows, "back_cast"] = True
    return {name: match.merge(pairs, on=["code", "key"], how="left") for name, match in matches.items()}


def _row_reasons(frame: pd.DataFrame, match: pd.DataFrame, entries: pd.DataFrame, context: SourceContext):
    """Return (reason per row, None = used; period label per row; county area code per row)."""
    labels = pd.Series(match["label"].to_numpy(dtype=object), index=frame.index)
    county = match["county"].to_numpy(dtype=bool)
    reason = pd.Series(None, index=frame.index, dtype=object)
    reason[county] = match.loc[county, "reason"].to_numpy(dtype=object)
    reason = reason.where(reason.notna(), None)
    authority = match["authority_code"].to_numpy(dtype=object)
    authority = np.where(pd.isna(authority), None, authority)
    outside = ~county
    pairs = frame.loc[outside, ["areacd", "geography"]].drop_duplicates()
    if context.lookups is not None:
        which = unmatched_reason(pairs["areacd"], "gss", context.lookups).to_numpy()
    else:
        which = np.full(len(pairs), NOT_A_COUNTY_AREA, dtype=object)
    pairs["reason"] = [
        f"not a county area: {g} (code not in the lookups)" if str(w).startswith(UNKNOWN_CODE) else f"{w} ({g})"
        for w, g in zip(which, pairs["geography"])
    ]
    reason[outside] = frame.loc[outside, ["areacd", "geography"]].merge(pairs, how="left")["reason"].to_numpy()
    no_label = labels.isna().to_numpy() & county
    reason[no_label] = [f"period {p!r} has no label in the store" for p in frame.loc[no_label, "period"]]
    listed = set(entries["indicator"])
    dropped = set(entries.loc[~entries["kept"], "indicator"])
    unknown = (~frame["indicator"].isin(listed) & reason.isna()).to_numpy()
    reason[unknown] = [f"indicator {i!r} not in data/ons_els_indicators.csv" for i in frame.loc[unknown, "indicator"]]
    not_kept = (frame["indicator"].isin(dropped) & reason.isna()).to_numpy()
    reason[not_kept] = "indicator not kept (data/ons_els_indicators.csv)"
    reason = _value_reasons(frame, reason)
    reason = _second_codes(frame, reason, authority, labels)
    return reason, labels.to_numpy(dtype=object), authority


def _value_reasons(frame: pd.DataFrame, reason: pd.Series) -> pd.Series:
    """Return ``reason`` with the rows that carry no number given why."""
    status = frame["status"].str.lower()
    blank = frame["observation"].eq("")
    number = pd.to_numeric(frame["observation"], errors="coerce")
    open_rows = reason.isna()
    reason[(open_rows & status.eq("x")).to_numpy()] = NOT_AVAILABLE
    reason[(open_rows & status.eq("u") & blank).to_numpy()] = LOW_RELIABILITY_BLANK
    reason[(reason.isna() & blank).to_numpy()] = BLANK
    bad = (reason.isna() & number.isna()).to_numpy()
    reason[bad] = [f"observation {v!r} is not a number" for v in frame.loc[bad, "observation"]]
    return reason


def _second_codes(frame: pd.DataFrame, reason: pd.Series, authority: np.ndarray, labels: pd.Series) -> pd.Series:
    """Return ``reason`` with rows skipped where another code of the same county area has the period."""
    used = reason.isna().to_numpy()
    keys = pd.DataFrame({"indicator": frame["indicator"], "code": authority, "period": labels})[used]
    keys["own"] = frame["areacd"].to_numpy()[used] == authority[used]
    repeated = keys.duplicated(["indicator", "code", "period"], keep=False)
    if not repeated.any():
        return reason
    index = ["indicator", "code", "period"]
    has_own = keys[repeated & keys["own"]].set_index(index).index
    drop = keys[repeated & ~keys["own"]]
    if not drop.set_index(index).index.isin(has_own).all():
        raise BuildError("two codes of one county area carry the same period and neither is its own code")
    reason[drop.index] = [f"second code of {code} in this period (its own code's row is used)" for code in drop["code"]]
    return reason


def _indicators(folder, file_name, kept_entries, kept, theme, context) -> pd.DataFrame:
    """Return the indicator rows of one file's kept catalogue entries."""
    rows = []
    for indicator, entry in kept_entries.iterrows():
        mine = kept[kept["indicator"] == indicator]
        meta = file_metadata(folder, file_name, indicator)
        measures = "; ".join(sorted(set(mine["measure"]) - {""})) or "(not given)"
        described = {**entry.to_dict(), "indicator": indicator}
        description = indicator_description(described, meta, measures, int(mine["lci_95"].ne("").sum()), len(mine))
        if mine["back_cast"].any():
            names = dict(zip(context.areas["code"], context.areas["name"]))
            which = ", ".join(sorted({names[code] for code in mine.loc[mine["back_cast"], "authority_code"]}))
            count = int(mine["back_cast"].sum())
            description += (
                f" {count} value{'s' if count != 1 else ''} of {which} before their reorganisation "
                f"{'are' if count != 1 else 'is'} ONS's figures for the same area, "
                "published under the successor's code."
            )
        source = provenance(file_name, meta, COMMITS.get(file_name, COMMIT))
        rows.append(
            {
                "id": entry["id"],
                "name": entry["name"],
                "theme": theme,
                "polarity": entry["polarity"],
                "unit": entry["unit"],
                "source": source,
                "is_core": theme in context.core_themes,
                "description": description,
            }
        )
    return pd.DataFrame(rows, columns=["id", "name", "theme", "polarity", "unit", "source", "is_core", "description"])


def _value_notes(kept: pd.DataFrame, kept_entries: pd.DataFrame) -> pd.DataFrame:
    """Return ``note`` rows for kept values of a combined area or that ONS marks as low reliability."""
    status = kept["status"]
    combined = kept["areacd"].map(lambda code: COMBINED_AREAS.get(code, (None, ""))[1])
    unreliable = kept["notes"].str.contains("unreliable", case=False)
    text = np.select(
        [combined.ne(""), status.str.lower().eq("u"), status.ne(""), unreliable],
        [combined, LOW_RELIABILITY_NOTE, "ONS: " + status, "ONS: " + kept["notes"]],
        default="",
    )
    chosen = text != ""
    return pd.DataFrame(
        {
            "indicator_id": kept.loc[chosen, "indicator"].map(kept_entries["id"]).to_numpy(),
            "authority_code": kept.loc[chosen, "authority_code"].to_numpy(),
            "period": kept.loc[chosen, "period_label"].to_numpy(),
            "note": text[chosen],
            "added_by": SOURCE_NAME,
        }
    )


def _file_note(file_name: str, kept: pd.DataFrame, value_notes: pd.DataFrame) -> str:
    """Return the sentence saying what the file's kept values carry beside the estimate."""
    intervals = int(kept["lci_95"].ne("").sum())
    return (
        f"{file_name}: {len(kept)} county-area values, {intervals} with a published 95% confidence "
        f"interval (not stored), {len(value_notes)} with an ONS reliability or coverage note, "
        f"{int(kept['back_cast'].sum())} read from a same-area successor's code before it existed."
    )


def _read(folder: Path, context: SourceContext) -> Loaded:
    return els_items(folder, context)


ADAPTER = Adapter(
    name="ons-els",
    title="ONS Explore Local Statistics",
    folder=FOLDER,
    files=FILES,
    provenance=SOURCE,
    read=_read,
    scopes=(COUNTY_AREAS,),
    short_name="ONS local statistics",
    publisher="Office for National Statistics (ONS)",
    series="Explore Local Statistics",
)
