"""The command-line interface: build the demo, import files, export ranks and positions.

``import`` takes the same steps as the Data import page: read each file, recognise its
layout (or use the mapping remembered for its columns, or ``--map``/``--set``/``--layout``),
resolve authority names, preview what would change, then commit in one transaction
(``--dry-run`` stops after the preview). ``import-source`` loads a published dataset
through its adapter (``import-source --help`` lists the registry's names); ``undo [--id N]``
undoes the newest import.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarking.cli.command_help import COMMAND_HELP, COMPENDIUM_COMMANDS, PUBLIC_COMMANDS
from benchmarking.cli.output import dry_run_status, refuse_replacing, say
from benchmarking.errors import BenchmarkingError, ImportValidationError
from benchmarking.store import schema

if TYPE_CHECKING:  # the parser is built without loading DuckDB and pandas
    import duckdb

    from benchmarking.store import Store


def _store(args: argparse.Namespace) -> Store:
    from benchmarking.store import Store, default_db_path

    return Store(args.db or default_db_path())


def _cmd_demo(args: argparse.Namespace) -> int:
    from benchmarking.datasets.demo import DEMO_LABEL, build_demo_store
    from benchmarking.store import default_db_path

    path = Path(args.db or default_db_path())
    refuse_replacing(path, "demo", "--db", args.replace)
    store = build_demo_store(path, seed=args.seed, focus=args.focus)
    held = store.summary()
    say(
        f"Built {DEMO_LABEL} at {store.path}: {held.authorities} authorities, "
        f"{held.indicators} indicators, {held.values:,} values, "
        f"periods {held.periods[0]} to {held.periods[-1]}"
    )
    return 0


def _pairs(values: list[str] | None, option: str, example: str) -> dict[str, str]:
    """Return FIELD=TEXT arguments as a dict; BenchmarkingError naming the option when malformed."""
    pairs = {}
    for value in values or []:
        name, sep, text = value.partition("=")
        if not sep or not name.strip():
            raise BenchmarkingError(
                f"{option} takes FIELD={example.split('=')[1].upper()}, for example {option} {example}; got {value!r}"
            )
        pairs[name.strip()] = text.strip()
    return pairs


def _cmd_import(args: argparse.Namespace) -> int:
    from benchmarking.ingest.preview import commit

    store = _store(args)
    _require_store(store, args.create)
    sources = _read_sources(args)  # before the store is opened: a reader holds it only to map and preview
    with store.reading() if store.exists() else contextlib.nullcontext() as con:  # one read of the store
        mapped, preview = _map_and_preview(args, store, con, sources)
    _print_preview(preview)
    if args.dry_run:
        return _dry_run_status(preview)
    if preview.blocking or (preview.rejected and not args.skip_rejected):
        raise ImportValidationError(preview.issues)
    result = commit(
        store,
        mapped,
        {source.name: source.sha256 for source in sources},
        skip_rejected=args.skip_rejected,
        dataset_name=args.name,
        source=args.source,
        preview=preview,
        lifetimes=True,
    )
    left_out = f"; {result.left_out.left_out()} left out" if result.rejected else ""
    say(
        f"Imported {result.file_name} into '{result.table}' at {store.path} (import {result.load_id}): "
        f"{_added(result.added, result.no_figure, result.unit)}, {result.replaced:,} replaced, "
        f"{_unchanged(result):,} unchanged of {result.left_out.read_text()} ({_per_table(result.counts)}){left_out}"
    )
    return 0


def _read_sources(args: argparse.Namespace) -> list:
    """Return the command's files read (``preview.SourceFile``); every file's refusal is raised together."""
    from benchmarking.ingest.preview import read_source

    sources, issues = [], []
    for path in args.files:
        try:
            sources.append(read_source(path, sheet=args.sheet))
        except ImportValidationError as error:
            issues.extend(error.issues)
    if issues:
        raise ImportValidationError(issues)
    return sources


def _map_and_preview(args: argparse.Namespace, store: Store, con: duckdb.DuckDBPyConnection | None, sources) -> tuple:
    """Return the files mapped (each mapping printed) and their preview against the store, read on ``con`` (None
    for a new store)."""
    from benchmarking.ingest.context import store_context
    from benchmarking.ingest.layouts import adjust
    from benchmarking.ingest.preview import map_sources, preview_import
    from benchmarking.ingest.remembered import choose_mapping

    context = store_context(store, con)
    mappings = {}
    for source in sources:
        columns = [str(c) for c in source.frame.columns]
        mapping, origin = choose_mapping(columns, context, args.table, source.frame)
        mapping = adjust(
            mapping,
            columns,
            layout=args.layout,
            columns=_pairs(args.map, "--map", "period=column"),
            constants=_pairs(args.set, "--set", "edition=value"),
            indicators=context.indicators,
        )
        if blank := mapping.blank_constants():
            raise BenchmarkingError(_asks_again(source.name, origin, blank))
        mappings[source.name] = mapping
        if args.map or args.set or args.layout:
            origin = f"{origin} and adjusted"
        say(f"{source.name}: {len(source.frame):,} rows; {origin} mapping: {mapping.describe()}")
    mapped = map_sources(sources, context, mappings)
    return mapped, preview_import(store, mapped, con=con, lifetimes=True)


def _require_store(store: Store, create: bool) -> None:
    """Refuse an import into a path that holds no store, unless ``--create`` asks for a new one."""
    store.refuse_foreign()
    if not create and not store.path.exists():
        raise BenchmarkingError(
            f"no store at {store.path}: check the --db path, or add --create to start a new store there"
        )


def _unchanged(result) -> int:
    """Return how many rows read were already stored with the same values (neither added nor replaced)."""
    return max(result.rows - result.rejected - result.added - result.replaced, 0)


def _asks_again(file_name: str, origin: str, fields: list[str]) -> str:
    """Return the message for a remembered mapping whose one-value-for-every-row fields were not given again."""
    options = " ".join(f"--set {name}=VALUE" for name in fields)
    return (
        f"{file_name}: the {origin} mapping gave {', '.join(fields)} one value for every row; values are not "
        f"reused for another file (it may hold another period or indicator): give them again with {options}"
    )


def _added(added: int, no_figure: int, unit: str | None = None) -> str:
    """Return "N ``unit``s added" ("1 row added"; "N added" without a unit): those added with a figure, then those
    with none (``results.no_figure_text``)."""
    from benchmarking.ingest.results import no_figure_text
    from benchmarking.text.formatting import counted

    said = counted(added - no_figure, unit) if unit else f"{added - no_figure:,}"
    return f"{said} added" + (f", {no_figure_text(no_figure)}" if no_figure else "")


def _per_table(counts: dict[str, dict[str, int]]) -> str:
    parts = [
        f"{table}: {_added(c['added'], c.get('no_figure', 0))}, {c['replaced']:,} replaced"
        for table, c in counts.items()
        if table != "period"
    ]
    if counts.get("period", {}).get("added"):
        from benchmarking.text.formatting import counted

        parts.append(counted(counts["period"]["added"], "new period label"))
    return "; ".join(parts)


def _cmd_import_source(args: argparse.Namespace) -> int:
    from benchmarking.service.data_admin import commit_source, preview_source, source_named

    source = source_named(args.name)
    store = _store(args)
    checked = preview_source(store, source, args.source, args.add_authorities)
    say(f"{source.title}: {len(checked.items)} item(s) from {source.locate(args.source)}")
    if checked.held:
        say(checked.held)
    preview = checked.preview
    _print_preview(preview)
    if args.dry_run:
        return _dry_run_status(preview)
    if preview.blocking or (preview.rejected and not args.skip_rejected):
        raise ImportValidationError(preview.issues)
    result = commit_source(store, source, checked, args.skip_rejected, loaded_by=None, source_text=None)
    left_out = f"; {result.left_out.left_out()} left out" if result.rejected else ""
    say(
        f"Imported {result.rows:,} rows of {args.name} into {store.path}: "
        f"{_added(result.added, result.no_figure)}, {result.replaced:,} replaced "
        f"({_per_table(result.counts)}){left_out}"
    )
    return 0


def _dry_run_status(preview) -> int:
    """Return a dry run's exit status once its preview is printed: 2 when the import would be refused or would
    leave rows out (as the import itself exits), 0 when every row would be written."""
    skipped = ""
    if not preview.blocking:
        others = preview.refused.others_text()
        imported = f", {others} imported" if others else ""
        skipped = f" (with --skip-rejected, the {preview.refused.left_out()} left out{imported})"
    return dry_run_status(bool(preview.blocking or preview.rejected), preview.problem_count(), skipped)


def _cmd_undo(args: argparse.Namespace) -> int:
    from benchmarking.service.data_admin import undone_text

    store = _store(args)
    history = store.datasets()
    if history.empty:
        say("Nothing to undo: the store records no loads.")
        return 0
    latest = history.iloc[0]
    if args.id is None and latest["kind"] == "imported":  # else the store refuses, saying why
        say(f"Undoing the newest import: {int(latest['id'])} ({latest['name']})")
    undone = store.undo_last_import(dataset_id=int(latest["id"]) if args.id is None else args.id)
    say(
        f"Undid import {undone['id']} ({undone['name']}, loaded {undone['loaded_at']:%d %b %Y %H:%M} by "
        f"{undone['loaded_by']}): {undone_text(undone)}"
    )
    return 0


def _print_preview(preview) -> None:
    say("Preview (nothing written yet):")
    say(preview.summary_table().to_string(index=False))
    if preview.no_figure:
        say(preview.no_figure_note())
    if preview.vintage_shifts:
        from benchmarking.ingest.preview_report import VINTAGE_WARNING

        say(f"Warning: {VINTAGE_WARNING}")
        for period in preview.vintage_periods:
            say(f"  {period.text()}")
            for line in period.named():
                say(f"    {line}")
    if len(preview.changes):
        from benchmarking.ingest.changes import change_lines

        say(f"{preview.changes_title()} (stored -> new), in the files' order:")
        for line in change_lines(preview.changes, preview.changes_more):
            say(f"  {line}")
    for note in preview.notes:
        say(note)
    for file_name, names in preview.unresolved.items():
        shown = ", ".join(names[:20]) + (f" and {len(names) - 20} more" if len(names) > 20 else "")
        say(f"{file_name}: {len(names)} authority name(s) or code(s) not found in the store: {shown}")
    if preview.issues:
        say(f"{preview.problem_count()}; the first ones:")
        for issue in preview.issues[:10]:
            say(f"  - {issue}")
    if len(preview.themes):
        themes = preview.themes
        changed = themes[
            (themes["indicators_before"] != themes["indicators_after"])
            | (themes["values_before"] != themes["values_after"])
        ]
        if len(changed):
            say("Coverage by theme in the periods imported (themes that change):")
            say(changed.to_string(index=False))
        else:
            say("Coverage by theme in the periods imported: no change in indicators or values held")
    if len(preview.authorities):
        say(preview.authorities.drop(columns="still_missing").to_string(index=False))


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """Return the argument parser with every subcommand.

    ``command`` (the subcommand a command line names, "" for none) leaves out the arguments of
    ``import`` and ``import-source`` unless it is one of them: their choices come from the
    layouts and the adapters, which load pandas, so ``--help`` and the exports parse without it.
    """
    parser = argparse.ArgumentParser(
        prog="python -m benchmarking", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--db", type=Path, default=None, help="store file (default: $BENCHMARKING_DB or data/benchmarking.duckdb)"
    )
    commands = parser.add_subparsers(dest="command", required=True)

    demo = commands.add_parser("demo", help="build the illustrative demo store")
    demo.add_argument(
        "--seed",
        type=int,
        default=2022,
        help="the random seed the demo's figures are generated from: the same seed gives the same store (default 2022)",
    )
    demo.add_argument("--replace", action="store_true", help="replace the store at --db if there is one")
    demo.add_argument("--focus", default="E10000018", help="ONS code of the focus authority (default: Leicestershire)")
    demo.set_defaults(run=_cmd_demo)

    imp = commands.add_parser(
        "import", help="import CSV, XLSX or Parquet files (long or wide), with preview and one commit"
    )
    if command is None or command == "import":
        _add_import_arguments(imp)
    if command is None or command == "import-source":
        _add_import_source(commands)
    else:
        commands.add_parser("import-source", help="load a published dataset through its adapter")

    undo = commands.add_parser("undo", help="undo the newest import (restores the rows it replaced)")
    undo.add_argument(
        "--id",
        type=int,
        default=None,
        help="the import to undo (its id in the load history); refused if not the newest",
    )
    undo.set_defaults(run=_cmd_undo)

    _add_engine_commands(commands, command)
    return parser


def _add_import_arguments(imp: argparse.ArgumentParser) -> None:
    from benchmarking.ingest.layouts import LAYOUTS

    imp.add_argument("files", type=Path, nargs="+", metavar="FILE")
    imp.add_argument(
        "--table",
        default=None,
        choices=list(schema.COLUMNS),
        help="table the files fill (default: recognised from the header)",
    )
    imp.add_argument("--sheet", default=None, help="XLSX sheet name (default: the first sheet)")
    imp.add_argument(
        "--layout",
        default=None,
        choices=list(LAYOUTS),
        help="long, or wide with periods or indicators as columns (default: recognised)",
    )
    imp.add_argument(
        "--map",
        action="append",
        metavar="FIELD=COLUMN",
        help="take a field from a column, e.g. --map authority_name='Local authority'",
    )
    imp.add_argument(
        "--set",
        action="append",
        metavar="FIELD=VALUE",
        help="one value for every row, e.g. --set indicator_id=LCC001 or --set edition='IMD 2019'",
    )
    imp.add_argument("--dry-run", action="store_true", help="preview only: write nothing")
    _add_skip_rejected(imp)
    imp.add_argument(
        "--create", action="store_true", help="start a new store at --db when none is there (default: refuse)"
    )
    imp.add_argument("--source", default=None, help="where the data came from, kept with the import")
    imp.add_argument("--name", default=None, help="a name for this import in the load history")
    imp.set_defaults(run=_cmd_import)


def _add_import_source(commands) -> None:
    from benchmarking.adapters.registry import SOURCES

    src = commands.add_parser(
        "import-source",
        help="load a published dataset through its adapter",
        description="Sources: " + "; ".join(f"{name}: {adapter.title}" for name, adapter in SOURCES.items()),
    )
    src.add_argument("name", choices=list(SOURCES))
    src.add_argument(
        "--source",
        type=Path,
        required=True,
        metavar="DIR",
        help="folder holding the published files (or its parent, e.g. shared/data)",
    )
    src.add_argument(
        "--add-authorities",
        action="store_true",
        help="add the authorities the store lacks (default: leave their rows out); the store's own authorities "
        "always keep their names and kinds",
    )
    src.add_argument("--dry-run", action="store_true", help="preview only: write nothing")
    _add_skip_rejected(src)
    src.set_defaults(run=_cmd_import_source)


def _add_skip_rejected(command: argparse.ArgumentParser) -> None:
    """Add ``--skip-rejected``, worded once for ``import`` and ``import-source``."""
    command.add_argument(
        "--skip-rejected",
        action="store_true",
        help=(
            "leave out the rows (a wide file: the figures) that fail a check and import the rest (default: refuse "
            "the import)"
        ),
    )


_PUBLIC_COMMANDS = {name: COMMAND_HELP[name] for name in PUBLIC_COMMANDS}
_COMPENDIUM_COMMANDS = {name: COMMAND_HELP[name] for name in COMPENDIUM_COMMANDS}
"""Commands whose modules load the public build and the briefing (pandas and more): listed with
their help line (``cli.command_help``), so that another command's parser lists them without loading them."""


def _add_engine_commands(commands, command: str | None = None) -> None:
    from benchmarking.cli.baskets import add_commands as add_baskets
    from benchmarking.cli.brief import add_commands as add_brief
    from benchmarking.cli.exports import add_commands as add_exports
    from benchmarking.cli.groups import add_commands as add_groups

    add_exports(commands)
    add_brief(commands)
    for names, module in ((_PUBLIC_COMMANDS, "public"), (_COMPENDIUM_COMMANDS, "compendium")):
        if command is None or command in names:
            importlib.import_module(f"benchmarking.cli.{module}").add_commands(commands)
        else:
            for name, help_text in names.items():
                commands.add_parser(name, help=help_text)
    add_baskets(commands)
    add_groups(commands)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code (2 with a clear message on bad input)."""
    words = sys.argv[1:] if argv is None else argv
    named = [word for word in words if word in ("import", "import-source", *_PUBLIC_COMMANDS, *_COMPENDIUM_COMMANDS)]
    parser = build_parser(named[0] if named else "")
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except BenchmarkingError as error:
        say(f"error: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head` and closed early: not an error
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
