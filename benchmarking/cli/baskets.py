"""``python -m benchmarking basket list|show NAME|import FILE|export NAME``: the store's indicator baskets.

NAME is a basket's id or its exact name. ``import`` shows what the file would do (the baskets
in it, the rows each replaces and removes, every problem with its file, row and column),
then writes it as one undoable import (``--dry-run`` stops after the preview); each basket
in the file replaces the stored basket with its id whole. ``export`` writes the basket file
(``basket_id, name, indicator_id, weight, note, version``) that ``import`` reads back,
its text cells safe in a spreadsheet.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from benchmarking.cli.opening import existing_catalogue as _catalogue
from benchmarking.cli.opening import existing_store as _store
from benchmarking.cli.output import dry_run_status, say, write_csv


def _percent(share) -> str:
    return "" if share is None or share != share else f"{share:.0%}"


SHARE_COLUMN = "largest_share_of_all_ranked"
SHARE_NOTE = (
    f"{SHARE_COLUMN}: the largest theme's share of all the basket's ranked indicators (by its weights), in no one "
    "period and for no one authority; a position's own share (the Overview, the positions export) is of the "
    "indicators ranked for its authority in its period, so it can differ."
)


def basket_list(args: argparse.Namespace) -> int:
    """Print one line per basket (id, name, version, indicators, those ranked, themes, largest theme and its share
    of all the basket's ranked indicators, as the positions count it), then what that share is of; return 0."""
    from benchmarking.service.baskets import basket_table

    table = basket_table(_catalogue(args))
    table["largest_share"] = table["largest_share"].map(_percent)
    say(table.fillna("").rename(columns={"largest_share": SHARE_COLUMN}).to_string(index=False))
    say(SHARE_NOTE)
    return 0


def basket_show(args: argparse.Namespace) -> int:
    """Print the basket's indicators with their theme, weight and note; return 0."""
    from benchmarking.service.baskets import basket_id_of, basket_rows, basket_table

    catalogue = _catalogue(args)
    basket_id = basket_id_of(catalogue, args.name)
    about = basket_table(catalogue).set_index("basket_id").loc[basket_id]
    version = f", version {about['version']}" if isinstance(about["version"], str) else ""
    largest = (
        f"largest {about['largest_theme']}, {_percent(about['largest_share'])} of all {about['ranked']} ranked"
        if isinstance(about["largest_theme"], str)
        else "no ranked indicator"
    )
    say(
        f"{about['name']} ({basket_id}{version}): {about['indicators']} indicators ({about['ranked']} ranked) "
        f"in {about['themes']} themes; {largest}"
    )
    say(basket_rows(catalogue, basket_id).fillna("").to_string(index=False))
    return 0


def basket_import(args: argparse.Namespace) -> int:
    """Preview a basket file, then import it as one undoable load (not with ``--dry-run``); return 0, or 2 for a dry
    run that finds problems (as ``import --dry-run``)."""
    from benchmarking.errors import ImportValidationError
    from benchmarking.ingest.reading import file_sha256
    from benchmarking.service.baskets import import_basket_frame, preview_basket_file, read_basket_file

    store = _store(args)
    path = Path(args.file)
    frame = read_basket_file(path)
    preview = preview_basket_file(store, frame, path.name)
    say("Preview (nothing written yet):")
    if len(preview.baskets):
        say(preview.baskets.to_string(index=False))
    if preview.issues:
        say(f"{len(preview.issues)} problem(s); the first ones:")
        for issue in preview.issues[:10]:
            say(f"  - {issue}")
    if args.dry_run:
        return dry_run_status(bool(preview.issues), len(preview.issues))
    if preview.issues:
        raise ImportValidationError(preview.issues)
    result = import_basket_frame(store, frame, path.name, sha256=file_sha256(path))
    counts = result.counts.get("basket", {})
    say(
        f"Imported {path.name} into {store.path} (import {int(store.datasets()['id'].iloc[0])}): "
        f"{counts.get('added', 0)} rows added, {counts.get('replaced', 0)} replaced, "
        f"{counts.get('removed', 0)} removed (undo with: python -m benchmarking undo)"
    )
    return 0


def basket_export(args: argparse.Namespace) -> int:
    """Write the basket file to ``--out`` or standard output; return 0."""
    from benchmarking.service.baskets import basket_id_of, export_basket
    from benchmarking.text.escaping import spreadsheet_frame

    catalogue = _catalogue(args)
    frame = spreadsheet_frame(export_basket(catalogue, basket_id_of(catalogue, args.name)))
    write_csv(frame, args.out, "basket")
    return 0


def add_commands(commands) -> None:
    """Add the ``basket`` subcommand (list, show, import, export) to the CLI's subparsers."""
    basket = commands.add_parser(
        "basket",
        help="list, show, import or export the indicator baskets positions are computed over",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = basket.add_subparsers(dest="action", required=True)
    actions.add_parser("list", help="one line per basket").set_defaults(run=basket_list)
    show = actions.add_parser("show", help="a basket's indicators")
    show.add_argument("name", metavar="NAME", help="basket id or exact name")
    show.set_defaults(run=basket_show)
    imp = actions.add_parser("import", help="import a basket file (preview, then one undoable import)")
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.add_argument("--dry-run", action="store_true", help="preview only: write nothing")
    imp.set_defaults(run=basket_import)
    export = actions.add_parser("export", help="write a basket file (CSV)")
    export.add_argument("name", metavar="NAME", help="basket id or exact name")
    export.add_argument("--out", type=Path, default=None, help="CSV file to write (default: standard output)")
    export.set_defaults(run=basket_export)
