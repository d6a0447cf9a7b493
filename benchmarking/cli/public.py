"""The public-data commands: ``build-public`` (a store of the county areas from the published
files) and ``public-report`` (the Markdown report on such a store).

``python -m benchmarking build-public --source DIR [--out FILE]`` and
``python -m benchmarking public-report [--db FILE] [--out FILE] [--focus CODE]``;
``cli.main`` registers both with ``add_commands``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from benchmarking.briefing.public_report import DEFAULT_OUT as DEFAULT_REPORT
from benchmarking.briefing.public_report import run_report
from benchmarking.datasets.public_build import DEFAULT_OUT, build_public
from benchmarking.paths import PROJECT_ROOT


def run_build(args: argparse.Namespace) -> int:
    """Run ``build-public``: build the store, print the summary and return 0."""
    summary = build_public(args.source, args.out or getattr(args, "db", None) or DEFAULT_OUT)
    print(summary.text())
    return 0


def add_build_command(commands) -> None:
    """Add the ``build-public`` subcommand to the CLI's subparsers."""
    parser = commands.add_parser(
        "build-public",
        help="build a store of the English county areas from public files",
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
    parser.set_defaults(run=run_build)


def add_report_command(commands) -> None:
    """Add the ``public-report`` subcommand to the CLI's subparsers."""
    parser = commands.add_parser(
        "public-report",
        help="write docs/public-counties.md from a store built by build-public",
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
    parser.add_argument("--focus", default=None, help="focus authority code (default: the store's, Leicestershire)")
    parser.set_defaults(run=run_report)


def add_commands(commands) -> None:
    """Add ``build-public`` and ``public-report`` to the CLI's subparsers."""
    add_build_command(commands)
    add_report_command(commands)
