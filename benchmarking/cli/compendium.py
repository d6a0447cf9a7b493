"""The ``compendium-coverage`` command: write docs/compendium-coverage.md from the Compendium map.

``python -m benchmarking compendium-coverage [--db FILE] --out docs/compendium-coverage.md``;
with a store (``--db``, or the global ``--db``) the page also compares Leicestershire's values
in the Compendium with the store's figures. ``cli.main`` registers it with ``add_commands``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from benchmarking.briefing.compendium import DEFAULT_OUT, write_coverage
from benchmarking.cli.command_help import COMMAND_HELP
from benchmarking.cli.output import say
from benchmarking.errors import StoreMissingError
from benchmarking.paths import PROJECT_ROOT
from benchmarking.service.compendium import DASHBOARD_FILE, MAP_FILE, compendium


def run_coverage(args: argparse.Namespace) -> int:
    """Run ``compendium-coverage``: write the page, print where and return 0."""
    from benchmarking.service.catalogue import load_catalogue
    from benchmarking.store import Store, default_db_path

    frame = compendium(args.map, args.dashboard)
    db = args.compendium_db or getattr(args, "db", None) or default_db_path()
    store = Store(db)
    if not store.exists():
        raise StoreMissingError(
            f"no store at {db}: the page's agreement section reads one; build it with python -m benchmarking "
            "build-public (or load-extract), or give --db"
        )
    out = write_coverage(frame, args.out, load_catalogue(store))
    say(f"Wrote {out} (agreement with {db})")
    return 0


def add_commands(commands) -> None:
    """Add ``compendium-coverage`` to the CLI's subparsers."""
    parser = commands.add_parser(
        "compendium-coverage",
        help=COMMAND_HELP["compendium-coverage"],
        description="Write the coverage of the Compendium by public indicators per dashboard, the rows "
        "with no public source, and (given a store) the agreement of the Compendium's values with it.",
    )
    parser.add_argument(
        "--db",
        dest="compendium_db",
        type=Path,
        default=None,
        metavar="FILE",
        help="store to compare with, e.g. one built by build-public (default: the global --db, which is "
        "$BENCHMARKING_DB or data/benchmarking.duckdb)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        metavar="FILE",
        help=f"Markdown file to write (default: {DEFAULT_OUT.relative_to(PROJECT_ROOT)})",
    )
    parser.add_argument("--map", type=Path, default=MAP_FILE, help=argparse.SUPPRESS)
    parser.add_argument("--dashboard", type=Path, default=DASHBOARD_FILE, help=argparse.SUPPRESS)
    parser.set_defaults(run=run_coverage)
