"""Write ``docs/public-counties.md``: how every county area compares on the public data.

``python -m benchmarking public-report --db FILE --out docs/public-counties.md`` reads a
store built by ``build-public`` and writes a Markdown report beside a quadrant chart
(``public-counties-quadrant.png``, rendered with ``charts.to_png``):

* the **latest common period**: the latest reporting year (see ``currency``), no later than
  the one the pages open on, in which every theme has ranked figures
  (``latest_common_period``), with each county area's
  Overall, LA Core and theme positions, the focus authority's summary and the quadrant
  of Overall performance against net expenditure per head;
* the **richest period**: the reporting year with the most ranked indicators;
* the data sources (the ``dataset`` table and the ``sources`` setting) and what the build
  left out and why (the ``public_build_summary`` setting).

The report is generated, never edited by hand: run the command again after a rebuild.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pandas as pd

from benchmarking.briefing.public_currency import currency_lines, publisher_of
from benchmarking.errors import BenchmarkingError
from benchmarking.method.positions import LA_CORE, OVERALL
from benchmarking.service.benchmark import Benchmark, benchmark_for
from benchmarking.service.catalogue import Catalogue, load_catalogue
from benchmarking.service.context_views import quadrant_left_out, quadrant_view
from benchmarking.service.group_size import group_size
from benchmarking.service.overview import overview
from benchmarking.service.views import position_columns, theme_table
from benchmarking.store import PROJECT_ROOT, Store, default_db_path
from benchmarking.text.escaping import generated_markdown as md
from benchmarking.text.escaping import markdown_table
from benchmarking.text.formatting import currency_text, money, ordinal

DEFAULT_OUT = PROJECT_ROOT / "docs" / "public-counties.md"
CHART_SUFFIX = "-quadrant.png"
GROUP = "all"
COMMAND = "python -m benchmarking public-report --db FILE --out docs/public-counties.md"


# ---------------------------------------------------------------------------------------
# Choosing the periods
# ---------------------------------------------------------------------------------------


def publishers(indicators: pd.DataFrame) -> pd.Series:
    """Return each indicator's publisher (``public_currency.publisher_of`` its source), indexed by id."""
    source = publisher_of(indicators["source"])
    return pd.Series(source.to_numpy(), index=indicators["id"].to_numpy())


def period_coverage(catalogue: Catalogue, bench: Benchmark) -> pd.DataFrame:
    """Return per reporting period: publishers, ranked indicators and authorities ranked, counting
    only figures published for the period itself (not older ones carried forward), oldest first."""
    ranked = bench.ranks[bench.ranks["rank"].notna()]
    fresh = bench.vintages.loc[bench.vintages["years_older"] == 0, ["indicator_id", "period"]]
    ranked = ranked.merge(fresh, on=["indicator_id", "period"])
    frame = ranked.assign(publisher=ranked["indicator_id"].map(publishers(catalogue.indicators)))
    coverage = frame.groupby("period").agg(
        publishers=("publisher", "nunique"),
        indicators=("indicator_id", "nunique"),
        authorities=("authority_code", "nunique"),
    )
    order = [label for label in catalogue.calendar.labels if label in coverage.index]
    return coverage.loc[order].reset_index()


def latest_common_period(catalogue: Catalogue, bench: Benchmark) -> str:
    """Return the latest reporting year, no later than the one the pages open on, in which every
    theme with ranked indicators has ranked figures (older figures carried forward as positions are).

    A publisher whose series ended years ago (Fingertips' extracts end in 2017/18) does not
    hold the report back, as long as its themes have figures from another publisher.
    """
    ranked = bench.ranks[bench.ranks["rank"].notna()]
    if ranked.empty:
        raise BenchmarkingError("the store has no ranked values: build it with build-public first")
    theme_of = catalogue.indicators.set_index("id")["theme"]
    themes = ranked.assign(theme=ranked["indicator_id"].map(theme_of)).groupby("period")["theme"].nunique()
    labels = [label for label in catalogue.calendar.labels if label in themes.index]
    opening = catalogue.default_period
    if opening in labels:
        labels = labels[: labels.index(opening) + 1]
    complete = [label for label in labels if themes[label] == themes.max()]
    return complete[-1] if complete else labels[-1]


def richest_period(catalogue: Catalogue, bench: Benchmark) -> str:
    """Return the period with the most ranked indicators (the latest of equals)."""
    coverage = period_coverage(catalogue, bench)
    best = coverage[coverage["indicators"] == coverage["indicators"].max()]
    return str(best["period"].iloc[-1])


# ---------------------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------------------


def write_report(store: Store, out: Path | str = DEFAULT_OUT, focus: str | None = None) -> tuple[Path, Path]:
    """Write the Markdown report and its quadrant PNG; return both paths."""
    from benchmarking import charts  # here: the CLI's parser is built without loading Altair

    out = Path(out)
    chart_path = out.with_name(out.stem + CHART_SUFFIX)
    catalogue = load_catalogue(store)
    focus = catalogue.resolve_focus(focus)
    bench = benchmark_for(catalogue, GROUP, focus)
    period = latest_common_period(catalogue, bench)
    view = quadrant_view(catalogue, bench, OVERALL, "Revenue", period, focus)
    text = report_markdown(catalogue, bench, focus, period, chart_path.name, view)
    chart = quadrant_chart(catalogue, bench, view, period, focus)
    out.parent.mkdir(parents=True, exist_ok=True)
    chart_path.write_bytes(charts.to_png(chart))
    out.write_text(text, encoding="utf-8")
    return out, chart_path


def quadrant_chart(catalogue: Catalogue, bench: Benchmark, view: pd.DataFrame, period: str, focus: str):
    """Return the Overall-against-spend quadrant chart of the report: its subtitle gives the group in ``period``
    (``group_size``) and who of it is not drawn (``quadrant_left_out``)."""
    from benchmarking import charts

    view = view.assign(context_text=view["context_value"].map(money))
    title = f"Overall performance against spend per head, {period}"
    existed = group_size(catalogue, bench, period).in_period
    left_out = quadrant_left_out(catalogue, bench, view, OVERALL, "Revenue", period)
    subtitle = [
        f"English county areas that existed in {period} ({existed}); focus "
        f"{catalogue.authority_name(focus)}; {catalogue.settings.get('dataset_label', 'public data')}",
        *(left_out or "").splitlines(),
    ]
    return charts.quadrant_chart(
        view, title, subtitle, "Spend rank (1 = highest net revenue expenditure per head)", "spend"
    )


def report_markdown(
    catalogue: Catalogue,
    bench: Benchmark,
    focus: str,
    period: str,
    chart_file: str,
    view: pd.DataFrame,
) -> str:
    """Return the report's Markdown for the latest common ``period`` (pure: no I/O)."""
    settings = {key: md(value) for key, value in catalogue.settings.items()}  # stored text: never markup
    focus_name, period_text = md(catalogue.authority_name(focus)), md(period)
    coverage = period_coverage(catalogue, bench).set_index("period")
    richest = richest_period(catalogue, bench)
    summary = overview_lines(catalogue, bench, period, focus)
    lines = [
        "# The English county areas on public data",
        "",
        f"Generated by `{COMMAND}` from a store built by "
        "`python -m benchmarking build-public --source DIR`. Do not edit by hand: rebuild and "
        "run the command again.",
        "",
        f"**Dataset:** {settings.get('dataset_label', 'public data')}. **Comparator set:** the English "
        "county councils and county unitaries of `data/county_areas.csv`; in each period only the "
        "authorities that existed at its midpoint are ranked. Positions are the rank of the average "
        "of an authority's indicator ranks (1 = best), as in the Performance Compendium.",
        "",
        f"## {focus_name}, {period_text}",
        "",
        f"{period_text} is the **latest common period**: the latest reporting year, no later than the one the "
        "pages open on, in which every theme has ranked figures (figures published for the year itself: "
        f"{int(coverage.loc[period, 'publishers'])} publishers, {int(coverage.loc[period, 'indicators'])} "
        f"ranked indicators, {int(coverage.loc[period, 'authorities'])} county areas; older figures are "
        "carried forward up to two years, as the data currency line says).",
        "",
        *summary,
        "",
        f"![Overall performance against spend per head, {period_text}]({chart_file})",
        "",
        f"*Overall position against the rank of net current expenditure per head, {period_text}: high "
        "performance with low spend is the top right.*",
        "",
        f"## Every county area, {period_text}",
        "",
        positions_table(catalogue, bench, period),
        "",
        _indicator_list(catalogue, bench, period),
        "",
        *(
            []
            if richest == period
            else [
                f"## Every county area, {md(richest)} (the reporting year with the most indicators)",
                "",
                f"Publishers label years differently (DfE LAIT `2023`, Oflog, DEFRA and MHCLG `2022-23`); "
                f"each published period counts in the financial year that holds its midpoint. {md(richest)} has "
                f"the most ranked indicators ({int(coverage.loc[richest, 'indicators'])}, from "
                f"{int(coverage.loc[richest, 'publishers'])} publisher(s)).",
                "",
                *overview_lines(catalogue, bench, richest, focus),
                "",
                positions_table(catalogue, bench, richest),
                "",
            ]
        ),
        "## Data sources",
        "",
        settings.get("sources", ""),
        "",
        _sources_table(catalogue.datasets),
        "",
        "**Funding.** " + settings.get("funding_note", "No core spending power figures are loaded."),
        "",
        *currency_lines(catalogue, period),
        *_skipped_section(catalogue.settings.get("public_build_summary")),
    ]
    return "\n".join(lines).rstrip() + "\n"


def overview_lines(catalogue: Catalogue, bench: Benchmark, period: str, focus: str) -> list[str]:
    """Return Markdown bullet lines with the focus authority's positions in ``period``."""
    facts = overview(catalogue, bench, period, focus)
    name, period = md(facts.focus_name), md(period)
    lines = []
    if facts.overall.position is not None:
        lines.append(
            f"- **Overall:** {name} is {ordinal(facts.overall.position)} of {facts.overall.n}"
            + (
                f"; LA Core {ordinal(facts.core.position)} of {facts.core.n}."
                if facts.core.position is not None
                else "."
            )
        )
    else:
        lines.append(f"- **Overall:** {name} has no Overall position in {period}.")
    lines.append(f"- **Data currency:** {md(currency_text(facts.currency))}")
    themes = facts.theme_positions
    themes = themes[~themes["theme"].isin([OVERALL, LA_CORE]) & themes["position"].notna()]
    if len(themes):
        lines.append(
            "- **Themes:** "
            + "; ".join(
                f"{md(row.theme)} {ordinal(row.position)} of {int(row.n_positioned)}" for row in themes.itertuples()
            )
            + "."
        )
    if facts.spend.rank is not None:
        rank, n = facts.spend.rank, facts.spend.n
        place = "the highest" if rank == 1 else "the lowest" if rank == n else f"{ordinal(rank)} highest"
        lines.append(
            f"- **Spend:** net current expenditure {money(facts.spend.value, 2)} per head in "
            f"{md(facts.spend.basis)}, {place} of {n}."
        )
    if facts.deprivation.rank is not None:
        lines.append(
            f"- **Deprivation:** {ordinal(facts.deprivation.rank)} most deprived of "
            f"{facts.deprivation.n} county areas with an {md(facts.deprivation.basis)} summary "
            f"(national rank of average rank {facts.deprivation.value:.0f} of 151)."
        )
    if facts.quadrant:
        lines.append(f"- **Quadrant (Overall against spend):** {facts.quadrant}.")
    return lines


def positions_table(catalogue: Catalogue, bench: Benchmark, period: str) -> str:
    """Return a Markdown table: each county area's Overall, LA Core and theme positions in ``period``."""
    table = theme_table(catalogue, bench, period)
    positioned = bench.positions[bench.positions["period"] == period]
    counts = positioned.groupby("theme")["n_positioned"].max()
    themes = position_columns(table)
    header = ["Authority", "Kind"] + [f"{theme} (of {int(counts.get(theme, 0))})" for theme in themes]
    rows = [
        [row["name"], row["kind"]] + ["–" if pd.isna(row[theme]) else str(int(row[theme])) for theme in themes]
        for _, row in table.iterrows()
    ]
    return markdown_table(header, rows)


# ---------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------


def run_report(args: argparse.Namespace) -> int:
    """Run ``public-report``: write the Markdown report and its chart."""
    db = args.report_db or getattr(args, "db", None) or default_db_path()
    out, chart = write_report(Store(db), args.out, focus=args.focus)
    print(f"Wrote {out} and {chart}")
    return 0


# ---------------------------------------------------------------------------------------
# Private helpers
# ---------------------------------------------------------------------------------------


def _indicator_list(catalogue: Catalogue, bench: Benchmark, period: str) -> str:
    ranked = bench.ranks[(bench.ranks["period"] == period) & bench.ranks["rank"].notna()]
    used = catalogue.indicators[catalogue.indicators["id"].isin(set(ranked["indicator_id"]))]
    if len(used) > 40:
        per_theme = used.groupby("theme")["id"].count()
        return "Ranked indicators per theme: " + "; ".join(f"{md(t)} {n}" for t, n in per_theme.items()) + "."
    rows = [
        [row.theme, row.name, row.polarity, publishers(used).get(row.id, "")]
        for row in used.sort_values(["theme", "name"]).itertuples()
    ]
    return f"Indicators ranked in {md(period)}:\n\n" + markdown_table(
        ["Theme", "Indicator", "Better when", "Source"], rows
    )


def _sources_table(datasets: pd.DataFrame) -> str:
    frame = datasets.sort_values("id")
    frame = frame[frame["table_name"].fillna("").ne("")]
    rows = [
        [
            row["name"],
            row["source"] or "",
            row["file_name"] or "",
            ", ".join(sha[:12] for sha in str(row["file_sha256"] or "").split(", ") if sha),
            f"{int(row['rows_added']):,}",
        ]
        for _, row in frame.iterrows()
    ]
    return markdown_table(["Dataset", "Publisher and licence", "Files", "SHA-256 (first 12)", "Rows"], rows)


def _skipped_section(summary_json: str | None) -> list[str]:
    if not summary_json:
        return []
    summary = json.loads(summary_json)
    files = [
        [f["source"], f["file"], f"{f['read']:,}", f"{f['used']:,}", f"{f['skipped']:,}"]
        for f in summary.get("files", [])
    ]
    skipped = [[s["file"], s["reason"], f"{s['rows']:,}"] for s in summary.get("skipped", [])]
    lines = [
        "## What the build read and left out",
        "",
        "Every row read is either used or counted here with its reason; none is dropped silently.",
        "",
        markdown_table(["Source", "File", "Rows read", "Used", "Skipped"], files),
        "",
        markdown_table(["File", "Reason", "Rows"], skipped),
    ]
    notes = summary.get("notes", [])
    if notes:
        lines += ["", *[f"- {md(note)}" for note in notes]]
    return lines
