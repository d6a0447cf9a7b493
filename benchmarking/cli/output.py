"""The command line's messages to people, written so that no text from a file or a store can drive the terminal."""

from __future__ import annotations

import sys
from typing import TextIO

from benchmarking.errors import BadArgumentError
from benchmarking.text.escaping import terminal


def say(*parts: object, file: TextIO | None = None) -> None:
    """Print ``parts`` (as ``print`` does) with every control character shown as its escape (``text.terminal``)."""
    print(terminal(" ".join(str(part) for part in parts)), file=file or sys.stdout)


def refuse_replacing(path, command: str, option: str, replace: bool) -> None:
    """Return when ``command`` may build a new store at ``path`` (none there, or ``replace``); else raise
    BadArgumentError saying that it would replace the store and every import in it, and how not to."""
    if path.exists() and not replace:
        raise BadArgumentError(
            f"{path} exists: {command} builds a new store, so it would replace it and every import in it. "
            f"Give another {option}, or add --replace"
        )


def dry_run_status(refused: bool, problems: int | str, skipped: str = "") -> int:
    """Say that a dry run wrote nothing; return its exit status, as the import itself would exit: 2 when it would
    be ``refused`` (saying so on standard error, with ``problems``, a count or its words, and ``skipped``), else
    0."""
    say("Dry run: nothing was written.")
    if not refused:
        return 0
    counted = f"{problems} problem(s)" if isinstance(problems, int) else problems
    say(f"{counted}: the import would be refused{skipped}", file=sys.stderr)
    return 2


def write_csv(frame, out, what: str) -> None:
    """Write ``frame`` as CSV to the file ``out`` (saying how many ``what`` rows on standard error), or to standard
    output when ``out`` is None or '-'; figures as published (``method.figures.published_frame``)."""
    from benchmarking.method.figures import published_frame

    frame = published_frame(frame)
    if out is None or str(out) == "-":
        frame.to_csv(sys.stdout, index=False)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(out, index=False)
    say(f"Wrote {len(frame):,} {what} rows to {out}", file=sys.stderr)


def warn_not_existing(focus: str, name: str, period: str) -> None:
    """Warn on standard error when the focus authority did not exist in ``period`` (``lifetimes.not_existing_text``):
    it has no position then, so every page of a briefing or row of an export would say so."""
    from benchmarking.method.lifetimes import not_existing_text

    if reason := not_existing_text(focus, name, period):
        say(f"warning: {reason}: it has no position in {period}", file=sys.stderr)
