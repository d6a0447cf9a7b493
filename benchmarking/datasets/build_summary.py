"""What the public build reports: per source the rows read, used and skipped (with reasons),
and what the built store holds; as text for people and as JSON for the store's
``public_build_summary`` setting."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from benchmarking.datasets.public_sources import IMD_EDITION

FUNDING_NOTE = (
    "Core spending power is not among the public files this store was built from "
    "(no published table by authority was available), so funding views have no figures. "
    "Net current expenditure per head (MHCLG revenue outturn / ONS population) is the "
    "closest measure loaded: use the Revenue (spend) comparator instead."
)


@dataclass
class SourceReport:
    """One source of the build: rows read per file, rows skipped and why, rows written."""

    name: str
    rows_read: dict[str, int]
    skipped: pd.DataFrame
    written: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def files(self) -> pd.DataFrame:
        """Return one row per file: source, file, read, used, skipped."""
        skipped = self.skipped.groupby("file")["rows"].sum() if len(self.skipped) else pd.Series(dtype="int64")
        rows = [
            (self.name, name, read, read - int(skipped.get(name, 0)), int(skipped.get(name, 0)))
            for name, read in self.rows_read.items()
        ]
        return pd.DataFrame(rows, columns=["source", "file", "read", "used", "skipped"])


@dataclass
class BuildSummary:
    """What ``build_public`` did: per-source reports and counts of what the store holds."""

    path: Path
    seconds: float
    sources: list[SourceReport]
    counts: dict[str, object]
    themes: pd.DataFrame

    def files(self) -> pd.DataFrame:
        """Return every file read: source, file, read, used, skipped."""
        return pd.concat([source.files() for source in self.sources], ignore_index=True)

    def skipped(self) -> pd.DataFrame:
        """Return every skip reason: source, file, reason, rows (most rows first within a file)."""
        frames = [source.skipped.assign(source=source.name) for source in self.sources if len(source.skipped)]
        if not frames:
            return pd.DataFrame(columns=["source", "file", "reason", "rows"])
        return pd.concat(frames, ignore_index=True)[["source", "file", "reason", "rows"]]

    def to_json(self) -> str:
        """Return the summary as compact JSON (kept in the store's ``public_build_summary`` setting)."""
        return json.dumps(
            {
                "seconds": round(self.seconds, 1),
                "counts": self.counts,
                "files": self.files().to_dict("records"),
                "skipped": self.skipped().to_dict("records"),
                "themes": self.themes.to_dict("records"),
                "notes": [note for source in self.sources for note in source.notes],
            },
            default=_json_default,
        )

    def text(self) -> str:
        """Return the summary people read after a build."""
        c = self.counts
        lines = [
            f"Public comparator store built at {self.path} in {self.seconds:.1f} s",
            f"Authorities: {c['authorities']} county areas ({c['county_councils']} county councils, "
            f"{c['county_unitaries']} county unitaries; {c['authorities_today']} exist today)",
            f"Indicators: {c['indicators']} ({c['ranked_indicators']} ranked, {c['context_indicators']} context only)",
            _indent(self.themes.to_string(index=False)),
            f"Periods: {c['periods']} labels with values, {c['first_period']} to {c['last_period']}",
            f"Values: {c['values']:,} loaded ({c['missing_values']:,} of them missing as published)",
            f"Spend per head: {c['spend_rows']:,} rows (services x authorities) for {', '.join(c['spend_periods'])}",
            f"Deprivation: {c['deprivation_rows']} authorities ({IMD_EDITION})",
            "Comparator groups: " + ", ".join(f"{g} ({n} authorities with a list)" for g, n in c["groups"].items()),
            (
                f"Funding: {c['funding_rows']} core spending power rows (authorities x years)."
                if c.get("funding_rows")
                else "Funding: none loaded. " + FUNDING_NOTE
            ),
            "",
            "Rows per file (read = used + skipped):",
            _indent(self.files().to_string(index=False)),
            "",
            "Skipped rows and why:",
            _indent(self.skipped().to_string(index=False, max_colwidth=90)),
        ]
        notes = [note for source in self.sources for note in source.notes]
        if notes:
            lines += ["", "Notes:"] + [f"  - {note}" for note in notes]
        lines += ["", f"Run the app on it: BENCHMARKING_DB={self.path} .venv/bin/streamlit run app.py"]
        return "\n".join(lines)


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())


def _json_default(value):
    if hasattr(value, "item"):
        return value.item()
    return str(value)
