"""The reviewed polarity table: publishers' polarities overridden where a measure is context.

A publisher's polarity ("higher is better") is a starting point, not the last word: DfE
LAIT marks the share of children in low-income families "lower is better" and the share
of social work vacancies covered by agency staff "higher is better", yet neither is a
result of the council's work. ``data/polarity_review.csv`` records the project's judgement,
one row per indicator:

* ``indicator_id``: the id the source gives the indicator (``ChildPov``, ``BVPI84a``);
* ``polarity``: ``high``, ``low``, ``target`` or ``none`` (``none`` = context: stored and
  shown, never ranked);
* ``reason``: why, in a sentence a reader can check against the publisher's definition;
* ``judged_by``: whose judgement and on what evidence (``project review 2026-12: measure
  of need (DfE LAIT description)``).

``load_polarity_review`` reads and checks the table; ``apply_polarity_review`` overrides the
polarity of a source's ``indicator`` rows and says so in the indicator's description and
in a note; ``unused_review_ids`` lists reviewed ids that no source gave (a misspelt id, or
a measure a publisher dropped), so that the build can report them.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from benchmarking.domain import POLARITIES
from benchmarking.errors import PolarityReviewError
from benchmarking.method.membership import Loaded
from benchmarking.paths import PROJECT_ROOT

REVIEW_FILE = PROJECT_ROOT / "data" / "polarity_review.csv"
REVIEW_COLUMNS = ("indicator_id", "polarity", "reason", "judged_by")
_VERDICTS = {
    "high": "Ranked, higher is better",
    "low": "Ranked, lower is better",
    "target": "Ranked, nearest the target is best",
    "none": "Context, not ranked",
}


def load_polarity_review(path: Path | str | None = None) -> pd.DataFrame:
    """Return the reviewed polarities (``REVIEW_COLUMNS``, text stripped, polarity lower-cased).

    Raises PolarityReviewError naming the file (and row, counting the header as row 1) when
    the file is missing, a column is missing or unknown, a polarity is not one of
    ``POLARITIES``, an id is listed twice, or an id, reason or judged_by is empty.
    """
    path = Path(path) if path is not None else REVIEW_FILE
    if not path.is_file():
        raise PolarityReviewError(f"the polarity review {path} is missing; it ships in data/")
    try:
        review = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise PolarityReviewError(f"{path.name} cannot be read as a UTF-8 CSV file: {error}") from error
    review.columns = [str(column).strip() for column in review.columns]
    missing = [column for column in REVIEW_COLUMNS if column not in review.columns]
    unknown = [column for column in review.columns if column not in REVIEW_COLUMNS]
    if missing or unknown:
        raise PolarityReviewError(
            f"{path.name}: columns must be {', '.join(REVIEW_COLUMNS)}; "
            + "; ".join(part for part in (_listed("missing", missing), _listed("unknown", unknown)) if part)
        )
    review = review[list(REVIEW_COLUMNS)].apply(lambda column: column.str.strip())
    review["polarity"] = review["polarity"].str.lower()
    for row, record in enumerate(review.itertuples(index=False), start=2):
        for column in ("indicator_id", "reason", "judged_by"):
            if not getattr(record, column):
                raise PolarityReviewError(f"{path.name}, row {row}: {column} is empty; every review names it")
        if record.polarity not in POLARITIES:
            raise PolarityReviewError(
                f"{path.name}, row {row} ({record.indicator_id}): polarity {record.polarity!r}; "
                f"use one of {', '.join(POLARITIES)}"
            )
    repeated = review["indicator_id"].duplicated(keep=False)
    if repeated.any():
        first = review.loc[repeated, "indicator_id"].iloc[0]
        rows = [str(index + 2) for index in review.index[review["indicator_id"] == first]]
        raise PolarityReviewError(f"{path.name}: {first} is listed twice (rows {', '.join(rows)}); keep one judgement")
    return review.reset_index(drop=True)


def apply_polarity_review(loaded: Loaded, review: pd.DataFrame) -> Loaded:
    """Return ``loaded`` with its ``indicator`` rows' polarity overridden for the reviewed ids.

    Each overridden indicator's description ends with the review's reason and judge; a
    note says how many indicators the review set to context (and changed otherwise).
    Raises PolarityReviewError when the review makes an indicator ``target`` that has no
    ``target_midpoint``.
    """
    reviewed = review.set_index("indicator_id")
    items, to_context, changed = [], 0, 0
    for table, frame, file_name in loaded.items:
        if table == "indicator":
            frame = frame.copy()
            hit = frame["id"].isin(reviewed.index).to_numpy()
            new = frame.loc[hit, "id"].map(reviewed["polarity"])
            _require_target_midpoints(frame.loc[hit], new)
            moved = new.ne(frame.loc[hit, "polarity"])
            to_context += int((moved & new.eq("none")).sum())
            changed += int((moved & new.ne("none")).sum())
            frame.loc[hit, "polarity"] = new
            described = frame["description"] if "description" in frame.columns else pd.Series(None, index=frame.index)
            frame["description"] = described.astype(object)
            frame.loc[hit, "description"] = [
                _with_judgement(text, reviewed.loc[indicator_id])
                for text, indicator_id in zip(described[hit], frame.loc[hit, "id"])
            ]
        items.append((table, frame, file_name))
    notes = list(loaded.notes)
    if to_context:
        notes.append(f"{_indicators(to_context)} set to context by the polarity review ({REVIEW_FILE.name}).")
    if changed:
        notes.append(f"{_indicators(changed)} given another polarity by the polarity review ({REVIEW_FILE.name}).")
    return loaded._replace(items=items, notes=tuple(notes))


def unused_review_ids(review: pd.DataFrame, indicator_ids: Iterable[str]) -> list[str]:
    """Return the reviewed ids that none of ``indicator_ids`` is (sorted): reviews no source used."""
    given = {str(indicator_id) for indicator_id in indicator_ids}
    return sorted(set(review["indicator_id"]) - given)


def _with_judgement(description, judgement: pd.Series) -> str:
    """Return the description followed by the review's polarity, reason and judge."""
    verdict = _VERDICTS.get(judgement["polarity"], "Context, not ranked")
    text = f"{verdict} (polarity review): {judgement['reason']} [{judgement['judged_by']}]"
    return f"{description} {text}" if isinstance(description, str) and description.strip() else text


def _require_target_midpoints(frame: pd.DataFrame, polarity: pd.Series) -> None:
    target = polarity.eq("target").to_numpy()
    if not target.any():
        return
    midpoints = frame["target_midpoint"] if "target_midpoint" in frame.columns else pd.Series(None, index=frame.index)
    lacking = frame.loc[target & midpoints.isna().to_numpy(), "id"]
    if len(lacking):
        raise PolarityReviewError(
            f"{REVIEW_FILE.name} makes {', '.join(lacking)} 'target' but the source gives no target_midpoint"
        )


def _indicators(n: int) -> str:
    return f"{n} indicator" + ("" if n == 1 else "s")


def _listed(label: str, columns: list[str]) -> str:
    return f"{label}: {', '.join(columns)}" if columns else ""
