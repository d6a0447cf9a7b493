"""Validated, atomic import of tidy long files (CSV, XLSX, Parquet) into the store.

Every check is vectorised over the whole file and every problem is reported with the
file, the row (as a spreadsheet shows it: the header is row 1) and the column. If
any problem is found nothing is written; otherwise the rows go in as one transaction
that replaces existing rows with the same key, so importing a file twice is harmless.
"""

from __future__ import annotations

import codecs
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import schema
from .errors import BadPeriodError, BenchmarkingError, ImportValidationError, ValidationIssue
from .periods import period_start, period_status
from .store import Store

MAX_ISSUES_PER_CHECK = 20
MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_COLUMNS = 500
LARGEST_VALUE = 1e15  # larger than any per-head figure or count a council publishes
_TRUE = {"true", "t", "yes", "y", "1", "*"}
_FALSE = {"false", "f", "no", "n", "0", ""}
_POLARITY_WORDS = {
    "high": "high", "higher": "high", "higher is better": "high", "descending": "high", "up": "high",
    "low": "low", "lower": "low", "lower is better": "low", "ascending": "low", "down": "low",
    "target": "target", "target band": "target", "goldilocks": "target",
    "none": "none", "n/a": "none", "context": "none",
}


@dataclass
class ImportResult:
    """What one import did: rows read, added and replaced per table, and the dataset id."""

    file_name: str
    table: str
    rows: int
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def added(self) -> int:
        return sum(c["added"] for c in self.counts.values())

    @property
    def replaced(self) -> int:
        return sum(c["replaced"] for c in self.counts.values())


# -- reading files ---------------------------------------------------------------


def read_file(path: Path | str, sheet: str | int | None = None) -> pd.DataFrame:
    """Return a file's cells as text (CSV, XLSX or Parquet); raise a clear error if unreadable."""
    path = Path(path)
    name = path.name
    if not path.exists():
        raise BenchmarkingError(f"{name}: file not found at {path}")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise BenchmarkingError(
            f"{name}: the file is {size / 1e6:,.0f} MB, over the {MAX_FILE_BYTES / 1e6:,.0f} MB "
            "limit; split it into smaller files"
        )
    if size == 0:
        raise _single_issue(name, "the file is empty")
    suffix = path.suffix.lower()
    try:
        if suffix in (".csv", ".txt"):
            frame = _read_csv(path)
        elif suffix in (".xlsx", ".xlsm"):
            # openpyxl reads the values Excel cached for formulas, never the formula text.
            frame = pd.read_excel(path, sheet_name=sheet or 0, dtype=str, engine="openpyxl")
        elif suffix == ".parquet":
            frame = pd.read_parquet(path)
        else:
            raise _single_issue(name, f"unsupported file type '{suffix}': use .csv, .xlsx or .parquet")
    except BenchmarkingError:
        raise
    except UnicodeDecodeError as error:
        raise _single_issue(name, f"the file is not UTF-8 text ({error.reason} at byte {error.start}); "
                                  "save it as CSV UTF-8") from error
    except Exception as error:  # noqa: BLE001 - any parser failure becomes one clear message
        kind = {".parquet": "Parquet", ".xlsx": "Excel", ".xlsm": "Excel"}.get(suffix, "CSV")
        raise _single_issue(name, f"cannot be read as a {kind} file: {type(error).__name__}: {error}") from error
    if frame.shape[1] > MAX_COLUMNS:
        raise _single_issue(name, f"the file has {frame.shape[1]:,} columns, over the limit of {MAX_COLUMNS}")
    frame.columns = [str(c).strip().lstrip("\ufeff").lower() for c in frame.columns]
    return frame


def _read_csv(path: Path) -> pd.DataFrame:
    with path.open("rb") as handle:
        head = handle.read(64 * 1024)
    codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)  # raises on non-UTF-8 text
    first_line = head.split(b"\n", 1)[0]
    sep = ";" if first_line.count(b";") > first_line.count(b",") else ","
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, sep=sep, encoding="utf-8-sig",
                        engine="pyarrow")
    return frame


def _single_issue(file_name: str, message: str, column: str | None = None) -> ImportValidationError:
    return ImportValidationError([ValidationIssue(file_name, None, column, message)])


def file_sha256(path: Path | str) -> str:
    """Return the SHA-256 of a file's bytes, recorded with each import."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# -- validation ------------------------------------------------------------------


class _Checker:
    """Collects issues for one frame, with spreadsheet row numbers (header = row 1)."""

    def __init__(self, file_name: str, frame: pd.DataFrame):
        self.file_name = file_name
        self.frame = frame
        self.issues: list[ValidationIssue] = []

    def flag(self, mask: np.ndarray | pd.Series, column: str, message) -> None:
        """Add one issue per flagged row (up to a limit); ``message`` may be a function of the cell."""
        rows = np.flatnonzero(np.asarray(mask))
        for position in rows[:MAX_ISSUES_PER_CHECK]:
            cell = self.frame[column].iloc[position] if column in self.frame else None
            text = message(cell) if callable(message) else message
            self.issues.append(ValidationIssue(self.file_name, int(position) + 2, column, text))
        if len(rows) > MAX_ISSUES_PER_CHECK:
            self.issues.append(ValidationIssue(
                self.file_name, None, column,
                f"... {len(rows) - MAX_ISSUES_PER_CHECK:,} more rows with the same problem",
            ))


def _to_float(raw: pd.Series, text: pd.Series) -> pd.Series:
    """Return the column as float64 with NaN where a cell is empty or not a number."""
    if pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw):
        return raw.astype("float64")
    try:  # fast path: Arrow's C++ cast reads a clean column of numbers in one pass
        cells = pa.array(text.to_numpy(dtype=object), type=pa.string()) if not isinstance(
            text.array, pd.arrays.ArrowStringArray) else pa.chunked_array(text.array._pa_array)
        cells = pc.if_else(pc.equal(cells, ""), pa.scalar(None, pa.string()), cells)
        numbers = pc.cast(cells, pa.float64()).to_numpy(zero_copy_only=False)
        return pd.Series(numbers, index=raw.index, dtype="float64")
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, TypeError):
        return pd.Series(pd.to_numeric(text, errors="coerce"), index=raw.index, dtype="float64")


def _text(series: pd.Series) -> pd.Series:
    return series.astype("string").fillna("").str.strip()


def validate(
    table: str,
    frame: pd.DataFrame,
    file_name: str,
    known_authorities: Iterable[str],
    known_indicators: Iterable[str],
) -> tuple[pd.DataFrame, list[ValidationIssue]]:
    """Return (typed rows ready to write, issues); rows are only usable when issues is empty."""
    if table not in schema.COLUMNS:
        raise BenchmarkingError(
            f"unknown table {table!r}; importable tables are {', '.join(schema.COLUMNS)}"
        )
    spec = schema.COLUMNS[table]
    check = _Checker(file_name, frame)
    if frame.shape[0] == 0:
        check.issues.append(ValidationIssue(file_name, None, None, "the file has a header but no data rows"))
        return frame, check.issues
    required = [c for c, kind in spec.items() if not kind.endswith("?")]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        check.issues.append(ValidationIssue(
            file_name, None, ", ".join(missing),
            f"missing required column(s) {', '.join(missing)} for table '{table}'; "
            f"found {', '.join(map(str, frame.columns)) or 'none'}",
        ))
        return frame, check.issues

    out = pd.DataFrame(index=frame.index)
    for column, kind in spec.items():
        optional = kind.endswith("?")
        kind = kind.rstrip("?")
        if column not in frame.columns:
            continue
        raw = frame[column]
        if kind in ("float", "int") and pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw):
            text = None  # a typed column (Parquet) needs no text parsing
            empty = raw.isna()
        else:
            text = _text(raw)
            empty = text.eq("")
        if not optional:
            check.flag(empty, column, f"'{column}' is required but empty")
        if kind in ("text", "period"):
            out[column] = text.where(~empty, None)
        elif kind in ("float", "int"):
            numbers = _to_float(raw, text)
            bad = numbers.isna() & ~empty
            if text is not None:
                bad &= ~text.str.lower().isin(["na", "n/a", "null", "nan", "-", ".."])
            check.flag(bad, column, lambda cell, c=column: f"'{c}' must be a number, got {str(cell)[:40]!r}")
            huge = numbers.abs() > LARGEST_VALUE
            check.flag(huge, column, lambda cell, c=column: f"'{c}' value {cell} is implausibly large (over 1e15)")
            infinite = np.isinf(numbers)
            check.flag(infinite & ~huge, column, f"'{column}' must be finite")
            if kind == "int":
                check.flag(numbers < 0, column, lambda cell, c=column: f"'{c}' cannot be negative, got {cell}")
                check.flag(numbers.notna() & (numbers % 1 != 0), column, f"'{column}' must be a whole number")
            out[column] = numbers
        elif kind == "bool":
            lowered = text.str.lower()
            check.flag(~lowered.isin(_TRUE | _FALSE), column,
                       lambda cell, c=column: f"'{c}' must be true or false, got {str(cell)[:40]!r}")
            out[column] = lowered.isin(_TRUE)

    _check_domain(table, out, check)
    if "period" in out.columns:
        _check_periods(out, check)
    if "authority_code" in out.columns and table != "comparator_group":
        _check_known(out, "authority_code", set(known_authorities), check, "authority",
                     "import the authority table first, or correct the code")
    if table == "comparator_group":
        known = set(known_authorities)
        _check_known(out, "member_code", known, check, "authority", "add the authority first")
        code = out["authority_code"].fillna("")
        check.flag(~(code.eq("*") | code.isin(known)), "authority_code",
                   lambda cell: f"unknown authority code {cell!r} (use '*' for a list that applies to every authority)")
    if "indicator_id" in out.columns:
        _check_known(out, "indicator_id", set(known_indicators), check, "indicator",
                     "import the indicator table first, or correct the id")
    keys = list(schema.KEYS[table])
    if all(k in out.columns for k in keys):
        duplicated = out.duplicated(keys, keep=False) & out[keys].notna().all(axis=1)
        if duplicated.any():
            first_rows = out[duplicated].groupby(keys, dropna=False).head(1).index
            for key_row in first_rows[:MAX_ISSUES_PER_CHECK]:
                key = out.loc[key_row, keys]
                rows = out.index[(out[keys] == key.values).all(axis=1)] + 2
                check.issues.append(ValidationIssue(
                    file_name, int(rows[0]), ", ".join(keys),
                    f"duplicate key {tuple(key.values)} also on row(s) {', '.join(map(str, rows[1:6]))}: "
                    "each key may appear once",
                ))
    return out.reset_index(drop=True), check.issues


def _check_known(out: pd.DataFrame, column: str, known: set[str], check: _Checker,
                 what: str, advice: str) -> None:
    values = out[column]
    unknown = values.notna() & ~values.isin(known)
    check.flag(unknown, column, lambda cell: f"unknown {what} {cell!r}: not in the store; {advice}")


def _check_domain(table: str, out: pd.DataFrame, check: _Checker) -> None:
    if table == "indicator" and "polarity" in out:
        mapped = out["polarity"].str.lower().map(_POLARITY_WORDS)
        check.flag(mapped.isna() & out["polarity"].notna(), "polarity",
                   lambda cell: f"bad polarity {cell!r}: use one of {', '.join(schema.POLARITIES)}")
        out["polarity"] = mapped
        if "target_midpoint" in out:
            no_mid = mapped.eq("target") & out["target_midpoint"].isna()
        else:
            no_mid = mapped.eq("target")
        check.flag(no_mid, "polarity", "polarity 'target' needs a target_midpoint")
    if table == "authority" and "kind" in out:
        kind = out["kind"].str.lower()
        check.flag(~kind.isin(schema.AUTHORITY_KINDS) & kind.notna(), "kind",
                   lambda cell: f"bad kind {cell!r}: use one of {', '.join(schema.AUTHORITY_KINDS)}")
        out["kind"] = kind
    if table == "spend" and "service" in out:
        service = out["service"].str.lower()
        check.flag(~service.isin(schema.SERVICES) & service.notna(), "service",
                   lambda cell: f"unknown service {cell!r}: use one of {', '.join(schema.SERVICES)}")
        out["service"] = service
    if table == "indicator_value":
        status = out["status"].str.lower() if "status" in out else pd.Series(None, index=out.index, dtype="object")
        check.flag(~status.isin(schema.VALUE_STATUSES) & status.notna(), "status",
                   lambda cell: f"bad status {cell!r}: use one of {', '.join(schema.VALUE_STATUSES)}")
        if "period" in out:
            marked = {label: _status_from_label(label) for label in out["period"].dropna().unique()}
            marked = {label: status for label, status in marked.items() if status}
            if marked:  # only labels such as '2024 (Rev)' carry a status of their own
                status = status.fillna(out["period"].map(marked))
        out["status"] = status.fillna("final")


def _status_from_label(label: object) -> str | None:
    return period_status(label) if isinstance(label, str) else None


def _check_periods(out: pd.DataFrame, check: _Checker) -> None:
    labels = out["period"].dropna().unique()
    problems: dict[str, str] = {}
    for label in labels:  # unique labels only: a handful per file
        try:
            period_start(label)
        except BadPeriodError as error:
            problems[label] = str(error)
    if problems:
        bad = out["period"].isin(list(problems))
        check.flag(bad, "period", lambda cell: problems.get(cell, "unrecognised period"))


def period_rows(labels: Iterable[str]) -> pd.DataFrame:
    """Return period table rows (label, start_date) for the given labels."""
    unique = sorted(label for label in pd.Series(labels).dropna().unique() if isinstance(label, str))
    return pd.DataFrame({"label": unique, "start_date": [period_start(label) for label in unique]})


# -- the import itself -----------------------------------------------------------


def prepare(
    store: Store, table: str, frame: pd.DataFrame, file_name: str,
    extra_authorities: Iterable[str] = (), extra_indicators: Iterable[str] = (),
) -> dict[str, pd.DataFrame]:
    """Validate a frame against the store; return the changes to write or raise ImportValidationError."""
    authorities, indicators = set(extra_authorities), set(extra_indicators)
    if store.exists():
        with store.reading() as con:
            authorities |= {r[0] for r in con.execute("SELECT code FROM authority").fetchall()}
            indicators |= {r[0] for r in con.execute("SELECT id FROM indicator").fetchall()}
    rows, issues = validate(table, frame, file_name, authorities, indicators)
    if issues:
        raise ImportValidationError(issues)
    changes = {table: rows}
    if "period" in rows.columns:
        changes = {"period": period_rows(rows["period"]), table: rows}
    return changes


def import_frames(
    store: Store,
    items: list[tuple[str, pd.DataFrame, str]],
    dataset_name: str | None = None,
    source: str | None = None,
    file_hashes: Mapping[str, str] | None = None,
) -> ImportResult:
    """Validate several (table, frame, file_name) items together and write them in one transaction.

    Authorities and indicators in the same batch count as known, so a whole dataset
    (catalogue plus values) can be loaded at once. Raises ImportValidationError,
    with every issue from every file, before anything is written.
    """
    order = {name: i for i, name in enumerate(schema.COLUMNS)}
    items = sorted(items, key=lambda item: order.get(item[0], 99))
    batch_authorities = [
        code for table, frame, _ in items if table == "authority" and "code" in frame
        for code in _text(frame["code"])
    ]
    batch_indicators = [
        code for table, frame, _ in items if table == "indicator" and "id" in frame
        for code in _text(frame["id"])
    ]
    changes: dict[str, pd.DataFrame] = {}
    issues: list[ValidationIssue] = []
    for table, frame, file_name in items:
        try:
            prepared = prepare(store, table, frame, file_name, batch_authorities, batch_indicators)
        except ImportValidationError as error:
            issues.extend(error.issues)
            continue
        for name, rows in prepared.items():
            changes[name] = pd.concat([changes[name], rows], ignore_index=True) if name in changes else rows
    if issues:
        raise ImportValidationError(issues)
    if "period" in changes:
        changes["period"] = changes["period"].drop_duplicates("label")
    for name, rows in changes.items():
        keys = list(schema.KEYS[name])
        if name != "period" and rows.duplicated(keys).any():
            raise ImportValidationError([ValidationIssue(
                ", ".join(f for t, _, f in items if t == name), None, ", ".join(keys),
                f"the same {name} key appears in more than one of the files",
            )])
    files = [file_name for _, _, file_name in items]
    counts = store.write(
        changes,
        dataset={
            "name": dataset_name or ", ".join(files),
            "source": source,
            "kind": "imported",
            "file_name": ", ".join(files),
            "file_sha256": ", ".join((file_hashes or {}).get(f, "") for f in files) or None,
        },
    )
    total_rows = sum(len(frame) for _, frame, _ in items)
    return ImportResult(", ".join(files), ",".join(t for t, _, _ in items), total_rows, counts)


def import_file(
    store: Store, path: Path | str, table: str, sheet: str | int | None = None,
    dataset_name: str | None = None, source: str | None = None,
) -> ImportResult:
    """Read, validate and write one tidy long file into ``table``, as one transaction."""
    path = Path(path)
    frame = read_file(path, sheet=sheet)
    return import_frames(
        store, [(table, frame, path.name)], dataset_name=dataset_name, source=source,
        file_hashes={path.name: file_sha256(path)},
    )
