"""The command-line interface: build the demo, import files, export ranks and positions."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import schema
from .errors import BenchmarkingError
from .store import Store, default_db_path


def _store(args: argparse.Namespace) -> Store:
    return Store(args.db or default_db_path())


def _cmd_demo(args: argparse.Namespace) -> int:
    from .demo import main as demo_main

    argv = ["--seed", str(args.seed)] + (["--db", str(args.db)] if args.db else [])
    return demo_main(argv)


def _cmd_import(args: argparse.Namespace) -> int:
    from .importer import import_file

    store = _store(args)
    result = import_file(store, args.file, args.table, sheet=args.sheet, source=args.source)
    print(
        f"Imported {result.rows:,} rows from {result.file_name} into '{args.table}' at {store.path}: "
        f"{result.added:,} added, {result.replaced:,} replaced"
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every subcommand."""
    parser = argparse.ArgumentParser(prog="python -m benchmarking", description=__doc__)
    parser.add_argument("--db", type=Path, default=None,
                        help="store file (default: $BENCHMARKING_DB or data/benchmarking.duckdb)")
    commands = parser.add_subparsers(dest="command", required=True)

    demo = commands.add_parser("demo", help="build the illustrative demo store")
    demo.add_argument("--seed", type=int, default=2022)
    demo.set_defaults(run=_cmd_demo)

    imp = commands.add_parser("import", help="import a tidy long CSV, XLSX or Parquet file into one table")
    imp.add_argument("file", type=Path)
    imp.add_argument("--table", required=True, choices=list(schema.COLUMNS))
    imp.add_argument("--sheet", default=None, help="XLSX sheet name (default: the first sheet)")
    imp.add_argument("--source", default=None, help="where the data came from, kept with the import")
    imp.set_defaults(run=_cmd_import)

    _add_engine_commands(commands)
    return parser


def _add_engine_commands(commands) -> None:
    from .brief_command import add_commands as add_brief
    from .exports import add_commands as add_exports

    add_exports(commands)
    add_brief(commands)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code (2 with a clear message on bad input)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except BenchmarkingError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head` and closed early: not an error
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
