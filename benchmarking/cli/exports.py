"""Command-line exports of the engine's numbers: the same ranks and positions the pages show.

``python -m benchmarking ranks --period P [--group G] [--focus CODE] --out FILE.csv``
writes indicator ranks; ``positions`` writes theme, Overall and LA Core positions with
their average ranks. ``--all-periods`` exports every period instead of one.

Both carry ``in_group``: True for the comparator group's members, ranked among themselves;
False for the focus authority when it is not a member (``--group county-unitaries`` for a
county council), whose row shows where it would stand beside the members without changing
their ranks (``n_ranked`` and ``n_positioned`` count the members; see ``method.beside``).
Positions also carry ``below_all`` and ``position_text`` (``POSITIONS_HELP``): beside a group of 24 the focus
can stand 25th, which the pages say as "below all 24".

A rank's row says which period its figures were published for: ``source_period`` and ``years_older`` (0 for
the period itself; figures carried forward from an earlier period, as no newer ones exist, count the reporting
periods back), the columns of the Indicator page's CSV.

``--basket NAME`` (a stored basket's id or exact name; default "All published") limits the
ranks and positions to its indicators, weighted; ``--balance themes`` weighs every theme
equally in Overall and LA Core (default ``indicators``, the Compendium's rule). Both exports
end with the columns ``basket`` and ``balance``; positions also say what each position rests
on: ``rests_on_indicators``, ``largest_theme`` and ``largest_theme_share``.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarking.cli.output import say, warn_not_existing
from benchmarking.errors import BadPeriodError

if TYPE_CHECKING:  # the CLI's parser is built without loading pandas, DuckDB or the engine
    import pandas as pd
    import pyarrow as pa


@contextlib.contextmanager
def _in_store(args: argparse.Namespace) -> Iterator[tuple]:
    """Yield (queries on one read-only connection to the store, catalogue without values read on
    it, group, basket, balance) the command names; the connection closes after the block.

    The store's published pairs are read (DuckDB, in a thread) while pandas and the engine load.
    """
    from benchmarking.store import default_db_path
    from benchmarking.store.connection import connect
    from benchmarking.store.contents import published_in_background

    with connect(Path(args.db or default_db_path()), read_only=True) as con:
        scan = published_in_background(con)
        try:  # the engine loads while DuckDB reads
            from benchmarking.method.baskets import require_balance, resolve_basket
            from benchmarking.service.basket_sensitivity import basket_choice
            from benchmarking.service.benchmark import comparator_group
            from benchmarking.service.catalogue import load_catalogue
            from benchmarking.service.store_positions import store_positions  # noqa: F401
            from benchmarking.store.contents import StoreQueries
        finally:
            scan.join()  # the connection is the thread's until it ends
        if scan.error is not None:
            raise scan.error
        queries = StoreQueries(con, published=scan.result)
        catalogue = load_catalogue(queries, values=False)
        focus = catalogue.resolve_focus(args.focus)
        if not args.all_periods and args.period in catalogue.calendar.labels:  # a period not held is refused later
            warn_not_existing(focus, catalogue.authority_name(focus), args.period)
        group = comparator_group(catalogue, args.group, focus, getattr(args, "period", None))
        basket = resolve_basket(catalogue.baskets, basket_choice(catalogue, getattr(args, "basket", None)))
        yield queries, catalogue, group, basket, require_balance(getattr(args, "balance", None))


POSITIONS_HELP = (
    "Columns: period, theme, authority_code, average_rank, n_indicators, n_available, coverage, position, "
    "n_positioned, in_group, below_all, position_text, basket, balance, rests_on_indicators, largest_theme, "
    "largest_theme_share. in_group is False for a focus authority outside the --group: it is placed beside the "
    "group without changing the members' positions, and n_positioned counts the members, so it can stand after "
    "the last of them (position 25 with n_positioned 24). below_all is True for such a place, and position_text "
    "says every position as the pages do: '3rd of 24', 'below all 24', or 'no position'."
)
"""The positions command's description: its columns, and what a place beside the group says."""


def export_ranks(args: argparse.Namespace) -> pa.Table:
    """Return the indicator ranks the command writes (one period or all) as an Arrow table, in the
    engine's rank columns, ``in_group``, ``source_period``, ``years_older``, ``basket`` and ``balance``
    (labels as dictionary columns).

    Computed in the store (``service.store_positions.store_ranks``), already in the export's order.
    """
    import numpy as np
    import pyarrow as pa

    from benchmarking.method.beside import IN_GROUP
    from benchmarking.method.ranking import RANK_COLUMNS
    from benchmarking.service.store_positions import store_ranks

    with _in_store(args) as (queries, catalogue, group, basket, balance):
        ranks = store_ranks(queries, catalogue, group, basket, choose=lambda periods: _chosen_periods(args, periods))
    ranks = ranks.select([*RANK_COLUMNS, IN_GROUP, "source_period", "years_older"])
    every_row = np.zeros(ranks.num_rows, dtype=np.int32)  # one label, held once
    for name, label in (("basket", basket.label()), ("balance", balance)):
        ranks = ranks.append_column(name, pa.DictionaryArray.from_arrays(every_row, pa.array([label], pa.string())))
    return ranks


def export_positions(args: argparse.Namespace) -> pa.Table:
    """Return the theme, Overall and LA Core positions the command writes, in the engine's
    position columns, ``in_group``, ``basket``, ``balance`` and what each rests on, as an Arrow
    table (labels as dictionary columns, written as the frame's CSV: ``csv_export.labelled_table``).

    Computed in the store (``service.store_positions``): the values never leave DuckDB.
    """
    from benchmarking.method.beside import IN_GROUP
    from benchmarking.method.positions import POSITION_COLUMNS
    from benchmarking.service.basket_sensitivity import REST_COLUMNS
    from benchmarking.service.store_positions import store_positions
    from benchmarking.store.csv_export import labelled_table

    with _in_store(args) as (queries, catalogue, group, basket, balance):
        positions, periods = store_positions(
            queries,
            catalogue,
            group,
            scaled=args.scaled,
            min_coverage=args.min_coverage,
            basket=basket,
            balance=balance,
        )
    positions = positions[positions["period"].isin(_chosen_periods(args, periods))]
    columns = [*POSITION_COLUMNS, IN_GROUP, "below_all", "position_text"]
    positions = _placed_in_words(positions[[*POSITION_COLUMNS, IN_GROUP, *REST_COLUMNS[3:]]])
    positions = positions.assign(basket=basket.label(), balance=balance)
    return labelled_table(positions[[*columns, "basket", "balance", *REST_COLUMNS[3:]]])


def _placed_in_words(positions: pd.DataFrame) -> pd.DataFrame:
    """Return the positions with ``below_all`` (a place after the last of ``n_positioned``, beside the group) and
    ``position_text`` (the pages' words: "3rd of 24", "below all 24", "no position"), worded once per distinct
    position and count."""
    from benchmarking.text.formatting import below_all, position_text

    pairs = positions[["position", "n_positioned"]].drop_duplicates()
    pairs = pairs.assign(
        below_all=[below_all(p, n) for p, n in zip(pairs["position"], pairs["n_positioned"])],
        position_text=[position_text(p, n) for p, n in zip(pairs["position"], pairs["n_positioned"])],
    )
    return positions.merge(pairs, on=["position", "n_positioned"], how="left", validate="many_to_one")


def _chosen_periods(args: argparse.Namespace, periods: list[str]) -> list[str]:
    """Return the periods the command exports: every one with ``--all-periods``, else ``--period``
    (BadPeriodError when it is missing or the store has no values for it)."""
    if args.all_periods:
        return periods
    if args.period is None:
        raise BadPeriodError("give --period (one of: " + ", ".join(periods) + ") or --all-periods")
    from benchmarking.service.catalogue import period_offered

    return [period_offered(args.period, periods)]


def _write(frame: pd.DataFrame | pa.Table, out: Path | None, what: str) -> int:
    """Write the rows as CSV to ``out`` (standard output when None or ``-``), their text cells
    never starting a spreadsheet formula; return the exit code 0."""
    import pyarrow as pa

    from benchmarking.method.figures import published_frame, published_table
    from benchmarking.store.csv_export import write_csv, write_table
    from benchmarking.text.escaping import spreadsheet_frame, spreadsheet_table

    # Figures as published (96.6, not the stored 96.60000000000001); ranks and positions are whole numbers.
    if isinstance(frame, pa.Table):  # labels held once: the rule applies to the labels, not the rows
        frame, write = spreadsheet_table(published_table(frame)), write_table
    else:
        frame, write = spreadsheet_frame(published_frame(frame)), write_csv
    to_file = out is not None and str(out) != "-"
    if to_file:
        out.parent.mkdir(parents=True, exist_ok=True)
    write(frame, out if to_file else None)
    if to_file:
        say(f"Wrote {len(frame):,} {what} rows to {out}", file=sys.stderr)
    if not len(frame):
        say(
            f"No {what} rows: no authority of the group has figures in the period asked for (choose another --group "
            "or --period)",
            file=sys.stderr,
        )
    return 0


def add_basket_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--basket NAME`` and ``--balance themes|indicators`` to a command that shows positions."""
    parser.add_argument(
        "--basket",
        default=None,
        metavar="NAME",
        help="the indicators positions are computed over: a stored basket's id or exact name "
        "(default: all-published, every indicator the store holds)",
    )
    parser.add_argument(
        "--balance",
        default=None,
        choices=["indicators", "themes"],
        help="how Overall and LA Core weigh the themes: indicators (every indicator counts once, the "
        "Compendium's rule, or as the basket weighs it; default) or themes (every theme counts once)",
    )


def add_commands(commands) -> None:
    """Add the ``ranks`` and ``positions`` subcommands to the CLI's subparsers."""
    for name, function, what, help_text in (
        ("ranks", export_ranks, "indicator rank", "write indicator ranks (rank 1 = best) as CSV"),
        ("positions", export_positions, "position", "write theme, Overall and LA Core positions as CSV"),
    ):
        described = {"description": POSITIONS_HELP} if name == "positions" else {}
        parser = commands.add_parser(name, help=help_text, **described)
        parser.add_argument(
            "--period",
            help="reporting period label, e.g. 2021/22 (publishers' labels are grouped into financial years: "
            "see benchmarking/method/currency.py)",
        )
        parser.add_argument("--all-periods", action="store_true", help="every period instead of one")
        parser.add_argument(
            "--group",
            default="all",
            help="comparator group id: all, county-councils, county-unitaries, region:<name>, "
            "list:<id>, neighbours:<id> (default: all)",
        )
        parser.add_argument(
            "--focus",
            default=None,
            help="focus authority: a code or exact name, any case (for neighbour groups; outside the group it is "
            "shown beside it, in_group False)",
        )
        parser.add_argument("--scaled", action="store_true", help="scale ranks to the group size before averaging")
        parser.add_argument(
            "--min-coverage",
            type=float,
            default=0.5,
            help="share of a theme's indicators needed for a position (default 0.5)",
        )
        add_basket_options(parser)
        parser.add_argument("--out", type=Path, default=None, help="CSV file to write (default: standard output)")
        parser.set_defaults(run=lambda args, f=function, w=what: _write(f(args), args.out, w))
