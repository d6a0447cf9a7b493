"""Overview: headline positions, context ranks, quartile and direction counts, and the narrative."""

from __future__ import annotations

import streamlit as st

from benchmarking import charts
from benchmarking.method.baskets import balance_text
from benchmarking.method.lifetimes import no_figures_text
from benchmarking.method.positions import OVERALL
from benchmarking.service.lists import axis_periods, without_thin_periods
from benchmarking.service.overview import mostly_earlier_periods
from benchmarking.service.views import trend_view
from benchmarking.text.formatting import (
    MOSTLY_EARLIER,
    currency_text,
    mostly_earlier_text,
    ordinal,
    position_text,
)
from benchmarking.text.narrative import (
    context_card,
    context_help,
    context_line,
    context_missing,
    overview_sentences,
    spend_card,
    spend_help,
    spend_note,
)
from pages._cache import benchmark_key, memo, selection_key
from pages._common import (
    benchmark,
    briefing_file,
    catalogue,
    current_selection,
    draw_still_chart,
    escape,
    overview_figures,
    page_header,
    slug,
)
from pages._downloads import BuiltFile, built_download

PPTX_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation"

selection = current_selection()
page_header("overview", selection)
cat = catalogue()
bench = benchmark(selection)
figures = overview_figures(selection)


def _delta(standing):
    """Places gained since the previous period: '+3 places' (up, better) or '-2 places' (down, worse)."""
    now, before = standing.position, standing.previous
    if now is None or before is None or now == before:
        return None
    gained = before - now
    return f"{gained:+d} place{'s' if abs(gained) > 1 else ''} since {escape(figures.previous_period)}"


def _then(standing) -> str | None:
    """The position in the previous period when the number positioned changed, so that places gained read against
    both ('2021/22: 2nd of 39'); None when it did not, or there is no move."""
    if _delta(standing) is None or standing.previous_n == standing.n:
        return None
    return f"{figures.previous_period}: {position_text(standing.previous, standing.previous_n)}"


def _trend():
    """Return the focus authority's Overall position over time without the periods that rest on few indicators,
    those periods (None when none), the sparkline (None when empty), the width it is drawn for and the periods
    shown that rest mostly on earlier figures."""
    whole = trend_view(cat, bench, [OVERALL], [selection.focus])
    trend, thin = without_thin_periods(whole)
    # The axis from the whole trend: a period with no position, or left out, between two drawn breaks the line.
    periods = axis_periods(whole, trend[trend["position"].notna()])
    mostly = mostly_earlier_periods(cat, bench, OVERALL)
    mostly = {period: counts for period, counts in mostly.items() if period in set(trend["period"])}
    style = charts.style_for(selection.briefing)
    # Scaled to the most authorities positioned in a period shown, not the group's size (which counts members
    # with no figures, such as councils since abolished): the scale's end is a position someone held.
    most = int(trend["n_positioned"].max()) if len(trend) else selection.group_size
    return trend, thin, charts.sparkline(trend, most, style, periods) if len(trend) else None, style.width, mostly


def show_trend() -> None:
    """Draw the focus authority's Overall position over time (the page's chart), with its values in words."""
    # Every period's positions: kept per benchmark, so a period change redraws the kept chart.
    trend, thin, chart, width, mostly = memo("overview-trend", (benchmark_key(selection), selection.briefing), _trend)
    held = trend[trend["position"].notna()]  # a period under the coverage rule has no position
    if len(held):  # the heading names the span drawn: from the first to the last period with a position
        st.subheader(
            f"Overall position over time, {escape(held['period'].iloc[0])} to {escape(held['period'].iloc[-1])}"
        )
        positions = [
            f"{p}: {ordinal(int(v))}{f' ({MOSTLY_EARLIER})' if p in mostly else ''}"
            for p, v in zip(held["period"], held["position"])
        ]
        # A still image: the first page a session opens loads no charting code (draw_still_chart).
        draw_still_chart(chart, width, f"Overall position over time (1 = best): {', '.join(positions)}")
        unheld = trend.loc[trend["position"].isna(), "period"]
        no_position = f". No position in {', '.join(unheld)}." if len(unheld) else ""
        st.caption("Position 1 (best) at the top. " + escape(", ".join(positions) + no_position))
        if mostly:
            st.caption(escape(mostly_earlier_text(mostly)))
        if thin is not None:
            st.caption(
                f"Left out: {escape(thin.named())}, where Overall rests on {thin.fewest}-{thin.most_of_thin} "
                f"indicators against up to {thin.most} in the periods shown. The Trend page shows every period."
            )


row = st.columns(4)
row[0].metric(
    "Overall performance",
    position_text(figures.overall.position, figures.overall.n),
    delta=_delta(figures.overall),
    help=f"Rank of the average rank over the basket's indicators, {escape(balance_text(bench.basket, bench.balance))}; "
    f"previous period {escape(figures.previous_period)}",
)
row[1].metric(
    "LA Core performance",
    position_text(figures.core.position, figures.core.n),
    delta=_delta(figures.core),
    help="Rank of the average rank over the basket's indicators of county council functions",
)
cards = row
row[2].metric(*spend_card(figures), help=escape(spend_help(figures)))  # fixed label, figure in words
row[3].metric(*context_card(figures), help=escape(context_help(figures)))
if selection.briefing:  # the chart on the first screen; what the positions rest on below it
    show_trend()
if spend_note(figures):  # a stored figure without a rank: say why
    cards[2].caption(escape(spend_note(figures)))
for column, missing in zip(cards[2:], context_missing(figures)):  # no figure in the year used: why, in words
    if missing:
        column.caption(escape(missing))
for column, line in zip(cards[2:], (figures.spend.left_out, context_line(figures))):  # the context cards' "of N"
    if line:
        column.caption(escape(line))
for column, standing in zip(cards, (figures.overall, figures.core)):  # what each position rests on
    if then := _then(standing):  # the badge is one short line: the position it moved from, beneath
        column.caption(escape(then))
    column.caption(escape(standing.rests_on.text()))
    if standing.reason:  # no position: say why, in Why this rank's words
        column.caption(escape(standing.reason))
    if standing.left_out:  # the card's "of N" is fewer than the header's group: who has no position, and why
        column.caption(escape(standing.left_out))
overall_on, core_on = figures.overall.rests_on, figures.core.rests_on
# One theme over half of Overall or LA Core; LA Core's only when it is another theme (its share is on its card).
repeats = overall_on.dominated and core_on.largest_theme == overall_on.largest_theme
warnings = [overall_on.warning(), None if repeats else core_on.warning()]
if any(warnings):
    st.warning(escape(" ".join(filter(None, warnings))), icon=":material/balance:")
st.caption(escape(currency_text(figures.currency)))


def show_counts() -> None:
    """Draw the quartile and direction-of-travel cards for Overall."""
    counts, directions = figures.quartile_counts, figures.directions
    row = st.columns(4)
    row[0].metric(
        "Top-quartile indicators", f"{counts.get(1, 0)}", help="Indicators ranked in the top 25% of the group"
    )
    row[1].metric("Bottom-quartile indicators", f"{counts.get(4, 0)}", help="Indicators ranked in the bottom 25%")
    if figures.new_since_previous:  # nothing to compare with: never cards of zeros
        row[2].metric(f"Improved since {escape(figures.previous_period)}", "—")
        row[3].metric("Worsened", "—")
        row[2].caption(escape(f"{figures.new_since_previous}: no figures of its own to compare with."))
        return
    compared = (
        f"Only figures new in {escape(figures.period)} are compared: {directions.carried_forward} indicators carry "
        "figures published for an earlier period forward, unchanged"
    )
    row[2].metric(
        f"Improved since {escape(figures.previous_period or 'previous period')}",
        f"{directions.improved}",
        help=compared if directions.carried_forward else None,
    )
    row[3].metric(
        "Worsened",
        f"{directions.worsened}",
        help=f"{directions.no_real_change} showed no real change; {directions.not_comparable} not comparable"
        + (f". {compared}" if directions.carried_forward else ""),
    )


if figures.absent:  # no figures because it did not exist then: say so, never cards of zeros
    st.info(escape(no_figures_text(figures.absent)))
else:
    show_counts()

st.subheader("In brief")
st.markdown(escape(" ".join(overview_sentences(figures))))

if not selection.briefing:
    show_trend()

st.subheader("Briefing pack")
st.caption(
    "The same content as the Presentation page: title, headline cards, the Overall and theme quadrant "
    "charts, theme positions, the bottom-quartile list and the funding league table. Each file is built when "
    "you prepare it (a few seconds), then downloaded."
)
name = slug(f"{selection.focus_name} briefing {selection.period} {selection.group_label}")
left, right, _ = st.columns([1, 1, 3])
kept_under = selection_key(selection)
slides = BuiltFile("slides (PPTX)", f"{name}.pptx", PPTX_TYPE, "download-pptx")
built_download(slides, kept_under, lambda: briefing_file(selection, "pptx"), left)
report = BuiltFile("report (PDF)", f"{name}.pdf", "application/pdf", "download-pdf")
built_download(report, kept_under, lambda: briefing_file(selection, "pdf"), right)
