"""``python -m benchmarking group list|show NAME|save NAME --members ...|delete NAME|export NAME``: saved
comparator groups.

A saved group is a named list of authorities that ranks only its members; choose it with
``--group list:<id>`` (the ``ranks``, ``positions`` and ``brief`` commands) or in the app's sidebar.
NAME is the group's id, ``list:<id>`` or its exact name. ``save`` takes the members as codes or
names (``--members "Leicestershire, Derbyshire, E10000019"``, or ``--members-file`` with one per
line) and replaces a saved group with the same id whole; ``save`` and ``delete`` are undoable
imports (``python -m benchmarking undo``). ``export`` writes the file
(``group_id, name, authority_code, member_code``) that ``import --table comparator_group`` reads.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from benchmarking.cli.opening import existing_catalogue as _catalogue
from benchmarking.cli.opening import existing_store as _store
from benchmarking.cli.output import say, write_csv


def group_list(args: argparse.Namespace) -> int:
    """Print one line per saved group (id, how to choose it, name, members over every period and in the period pages
    open on, those that did not exist then named); return 0."""
    from benchmarking.service.saved_groups import saved_group_table

    table = saved_group_table(_catalogue(args))
    if not len(table):
        say("No saved comparator group yet: make one with `group save`.")
        return 0
    shown = table[["group_id", "choose_as", "name", "members_text"]].rename(columns={"members_text": "members"})
    say(shown.to_string(index=False))
    return 0


def group_show(args: argparse.Namespace) -> int:
    """Print a saved group's members (code, name, kind, region), counted as ``group list`` counts them; return 0."""
    from benchmarking.service.saved_groups import saved_group_id_of, saved_group_members, saved_group_table
    from benchmarking.text.formatting import members_text

    catalogue = _catalogue(args)
    group_id = saved_group_id_of(catalogue, args.name)
    about = saved_group_table(catalogue).set_index("group_id").loc[group_id]
    members = saved_group_members(catalogue, group_id)
    counted = members_text(about["members"], about["in_period"], about["period"], about["not_existing"], "authorities")
    say(f"{about['name']} (choose as list:{group_id}): {counted}")
    say(members.fillna("").to_string(index=False))
    return 0


def group_save(args: argparse.Namespace) -> int:
    """Save the group (replacing a saved one with its id whole) as one undoable import; return 0."""
    from benchmarking.service.catalogue import load_catalogue
    from benchmarking.service.saved_groups import group_id_for, resolve_members, save_group

    store = _store(args)
    catalogue = load_catalogue(store.path)
    given = [m.strip() for m in (args.members or "").split(",") if m.strip()]
    if args.members_file is not None:
        lines = args.members_file.read_text(encoding="utf-8-sig").splitlines()
        given += [line.strip() for line in lines if line.strip()]
    group_id = args.id or group_id_for(args.name)
    codes = resolve_members(catalogue, given)
    if args.dry_run:
        say(f"Would save {args.name!r} as list:{group_id} with {len(codes)} authorities: {', '.join(codes)}")
        say("Dry run: nothing was written.")
        return 0
    result = save_group(store, catalogue, group_id, args.name, codes)
    counts = result.counts.get("comparator_group", {})
    say(
        f"Saved {args.name!r} as list:{group_id} in {store.path}: {len(codes)} authorities "
        f"({counts.get('added', 0)} added, {counts.get('removed', 0)} removed; undo with: python -m benchmarking undo)"
    )
    return 0


def group_delete(args: argparse.Namespace) -> int:
    """Delete a saved group as one undoable import; return 0."""
    from benchmarking.service.catalogue import load_catalogue
    from benchmarking.service.saved_groups import delete_saved_group, saved_group_id_of

    store = _store(args)
    catalogue = load_catalogue(store.path)
    group_id = saved_group_id_of(catalogue, args.name)
    removed = delete_saved_group(store, catalogue, group_id)
    say(f"Deleted list:{group_id} ({removed} member rows removed; undo with: python -m benchmarking undo)")
    return 0


def group_export(args: argparse.Namespace) -> int:
    """Write a saved group's file to ``--out`` or standard output; return 0."""
    from benchmarking.service.saved_groups import export_saved_group, saved_group_id_of
    from benchmarking.text.escaping import spreadsheet_frame

    catalogue = _catalogue(args)
    frame = spreadsheet_frame(export_saved_group(catalogue, saved_group_id_of(catalogue, args.name)))
    write_csv(frame, args.out, "group")
    return 0


def add_commands(commands) -> None:
    """Add the ``group`` subcommand (list, show, save, delete, export) to the CLI's subparsers."""
    group = commands.add_parser(
        "group",
        help="list, show, save, delete or export saved comparator groups",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = group.add_subparsers(dest="action", required=True)
    actions.add_parser("list", help="one line per saved group").set_defaults(run=group_list)
    for action, run, words in (
        ("show", group_show, "a saved group's members"),
        ("delete", group_delete, "delete a saved group (undoable)"),
    ):
        parser = actions.add_parser(action, help=words)
        parser.add_argument("name", metavar="NAME", help="the group's id, list:<id> or exact name")
        parser.set_defaults(run=run)
    save = actions.add_parser("save", help="save a group of authorities (replaces a saved group with its id)")
    save.add_argument("name", metavar="NAME", help="the group's name, as the sidebar lists it")
    save.add_argument("--members", help="codes or names, separated by commas")
    save.add_argument("--members-file", type=Path, help="a text file with one code or name per line")
    save.add_argument("--id", help="the group's id (default: made from its name)")
    save.add_argument("--dry-run", action="store_true", help="resolve the members and say what would be saved")
    save.set_defaults(run=group_save)
    export = actions.add_parser("export", help="write a saved group's file (CSV)")
    export.add_argument("name", metavar="NAME", help="the group's id, list:<id> or exact name")
    export.add_argument("--out", type=Path, default=None, help="CSV file to write (default: standard output)")
    export.set_defaults(run=group_export)
