"""``python -m benchmarking brief``: write the Cabinet briefing as PPTX or PDF from the command line."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from benchmarking.cli.exports import add_basket_options
from benchmarking.cli.output import say, warn_not_existing
from benchmarking.errors import BenchmarkingError


def run(args) -> int:
    """Build the briefing for --period/--group/--focus/--basket/--balance and write it to --out
    (.pptx or .pdf); return the exit code (0)."""
    # Imported here so that building the CLI's parser (``--help``, other commands) does
    # not load pandas, DuckDB and Altair.
    from benchmarking import charts
    from benchmarking.briefing.pack import build_briefing, chart_images
    from benchmarking.service.basket_sensitivity import basket_choice
    from benchmarking.service.benchmark import benchmark_for
    from benchmarking.service.catalogue import load_catalogue
    from benchmarking.store import Store, default_db_path

    out = Path(args.out)
    if out.suffix.lower() not in (".pptx", ".pdf"):
        raise BenchmarkingError(f"--out must end in .pptx or .pdf, got {out.name!r}")
    charts.start_renderer()  # gets ready while the store is read and the engine runs
    started = time.perf_counter()
    catalogue = load_catalogue(Store(args.db or default_db_path()))
    focus = catalogue.resolve_focus(args.focus)  # an unknown focus stops here, before the engine runs
    name = catalogue.authority_name(focus)
    period = catalogue.require_period(args.period or catalogue.default_period_for(focus))
    warn_not_existing(focus, name, period)
    bench = benchmark_for(
        catalogue, args.group, focus, basket=basket_choice(catalogue, args.basket), balance=args.balance, period=period
    )
    say(
        f"Building the briefing for {name}, {period}, {bench.group.label}, basket {bench.basket.label()!r} "
        f"({bench.balance}) ...",
        file=sys.stderr,
    )
    briefing = build_briefing(catalogue, bench, period, focus, council=args.council)
    images = chart_images(briefing)
    if out.suffix.lower() == ".pptx":
        from benchmarking.briefing.pptx import to_pptx

        data = to_pptx(briefing, images)
    else:
        from benchmarking.briefing.pdf import to_pdf

        data = to_pdf(briefing, images)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    say(
        f"Wrote {out} ({len(data) / 1e6:.1f} MB, {len(briefing.slides)} sections) in "
        f"{time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    return 0


def add_commands(commands) -> None:
    """Add the ``brief`` subcommand."""
    parser = commands.add_parser("brief", help="write the Cabinet briefing (slides or printable report)")
    parser.add_argument(
        "--period",
        default=None,
        help="reporting period label (default: the latest in which 90%% of indicators have figures of their own)",
    )
    parser.add_argument("--group", default="all", help="comparator group id (default: all)")
    parser.add_argument(
        "--focus", default=None, help="focus authority: a code or exact name, any case (default: the store's focus)"
    )
    parser.add_argument("--council", default=None, help="council name for the title slide")
    add_basket_options(parser)
    parser.add_argument("--out", required=True, help="output file: briefing.pptx or briefing.pdf")
    parser.set_defaults(run=run)
