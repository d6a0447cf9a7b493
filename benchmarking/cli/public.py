"""The public-data commands: ``build-public`` (a store of the county areas from the published
files, and optionally its extract), ``load-extract`` (a store from an extract) and
``public-report`` (the Markdown report on such a store).

``python -m benchmarking build-public --source DIR [--out FILE] [--extract [FOLDER]] [--built DATE]``,
``python -m benchmarking load-extract [--extract FOLDER] [--out FILE] [--replace]`` and
``python -m benchmarking public-report [--db FILE] [--out FILE] [--focus CODE]``;
``cli.main`` registers them with ``add_commands``.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from benchmarking.briefing.public_report import DEFAULT_OUT as DEFAULT_REPORT
from benchmarking.briefing.public_report import run_report
from benchmarking.cli.command_help import COMMAND_HELP
from benchmarking.cli.output import refuse_replacing, say
from benchmarking.datasets.public_build import DEFAULT_OUT, build_public
from benchmarking.datasets.public_extract import store_from_extract, write_extract
from benchmarking.paths import PROJECT_ROOT, PUBLIC_EXTRACT_DIR, default_db_path


def run_build(args: argparse.Namespace) -> int:
    """Run ``build-public``: build the store (and with ``--extract`` its extract), print the summary, return 0."""
    summary = build_public(args.source, args.out or getattr(args, "db", None) or DEFAULT_OUT, progress=sys.stderr)
    say(summary.text())
    if args.extract is not None:
        command = f"python -m benchmarking build-public --source {_shown(args.source)} --extract {_shown(args.extract)}"
        manifest = write_extract(
            summary.path, args.extract, built=args.built, source=args.source, command=command + f" --built {args.built}"
        )
        tables = manifest["tables"]
        size = sum(entry["bytes"] for entry in tables.values()) / 1e6
        say(
            f"\nExtract written to {args.extract} ({size:.1f} MB of Parquet, {len(tables)} tables, "
            f"{tables['indicator_value']['rows']:,} values; built {args.built}), with ATTRIBUTION.md and manifest.json"
        )
    return 0


def run_load_extract(args: argparse.Namespace) -> int:
    """Run ``load-extract``: build a store from an extract (refusing to replace a store unless asked); return 0."""
    out = Path(args.out or getattr(args, "db", None) or default_db_path())
    refuse_replacing(out, "load-extract", "--out", args.replace)
    store = store_from_extract(args.extract, out)
    held = store.summary()
    say(
        f"Built the store at {store.path} from the extract in {args.extract}: {held.authorities} authorities, "
        f"{held.indicators} indicators, {held.values:,} values"
    )
    return 0


def _shown(path: Path) -> str:
    """Return a path as the manifest records it: relative to the project when it can be (no home folders)."""
    return os.path.relpath(Path(path).resolve(), PROJECT_ROOT)


def _build_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--built takes a date as YYYY-MM-DD, got {text!r}") from None


def add_build_command(commands) -> None:
    """Add the ``build-public`` subcommand to the CLI's subparsers."""
    parser = commands.add_parser(
        "build-public",
        help=COMMAND_HELP["build-public"],
        description="Build a complete comparator store from the published files in DIR "
        "(the layout of shared/data) and print what was loaded and skipped.",
    )
    parser.add_argument(
        "--source",
        type=Path,
        required=True,
        metavar="DIR",
        help="folder of published files (dfe_lait/, oflog/, defra_waste/, ...)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="FILE",
        help=f"store to write (default: --db, else {DEFAULT_OUT.relative_to(PROJECT_ROOT)})",
    )
    parser.add_argument(
        "--extract",
        type=Path,
        nargs="?",
        const=PUBLIC_EXTRACT_DIR,
        default=None,
        metavar="FOLDER",
        help="also write the store's extract (Parquet, ATTRIBUTION.md, manifest.json) into FOLDER "
        f"(default: {PUBLIC_EXTRACT_DIR.relative_to(PROJECT_ROOT)}, the one the app starts from)",
    )
    parser.add_argument(
        "--built",
        type=_build_date,
        default=datetime.now(UTC).date(),
        metavar="DATE",
        help="the extract's date (YYYY-MM-DD; default today): the dataset label and attribution name it, "
        "so two builds from the same files with the same date give equal extracts",
    )
    parser.set_defaults(run=run_build)


def add_load_extract_command(commands) -> None:
    """Add the ``load-extract`` subcommand to the CLI's subparsers."""
    parser = commands.add_parser(
        "load-extract",
        help=COMMAND_HELP["load-extract"],
        description="Check the extract's hashes against its manifest, then build a new store from it "
        "(what the app does on a first run).",
    )
    parser.add_argument(
        "--extract",
        type=Path,
        default=PUBLIC_EXTRACT_DIR,
        metavar="FOLDER",
        help=f"the extract (default: {PUBLIC_EXTRACT_DIR.relative_to(PROJECT_ROOT)})",
    )
    parser.add_argument(
        "--out", type=Path, default=None, metavar="FILE", help="store to build (default: the global --db)"
    )
    parser.add_argument("--replace", action="store_true", help="replace the store at FILE if there is one")
    parser.set_defaults(run=run_load_extract)


def add_report_command(commands) -> None:
    """Add the ``public-report`` subcommand to the CLI's subparsers."""
    parser = commands.add_parser(
        "public-report",
        help=COMMAND_HELP["public-report"],
        description="Write the county areas' Overall and theme positions on the public data, "
        "with the quadrant chart and the data sources, as Markdown.",
    )
    parser.add_argument(
        "--db",
        dest="report_db",
        type=Path,
        default=None,
        metavar="FILE",
        help="store built by build-public (default: the global --db, else $BENCHMARKING_DB)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_REPORT,
        metavar="FILE",
        help="Markdown file to write; the chart goes beside it (default: docs/public-counties.md)",
    )
    parser.add_argument(
        "--focus",
        default=None,
        help="focus authority: a code or exact name, any case (default: the store's, Leicestershire)",
    )
    parser.set_defaults(run=run_report)


def add_commands(commands) -> None:
    """Add ``build-public``, ``load-extract`` and ``public-report`` to the CLI's subparsers."""
    add_build_command(commands)
    add_load_extract_command(commands)
    add_report_command(commands)
