"""The Cabinet briefing: one ordered sequence of slides built from the current selection.

The same sequence feeds the PowerPoint deck (``export_pptx``), the printable PDF
(``export_pdf``) and the Presentation page, so the three always agree with each other
and with the screens they summarise.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import altair as alt
import pandas as pd

from benchmarking import charts
from benchmarking.method import travel
from benchmarking.method.baskets import BALANCES
from benchmarking.method.positions import LA_CORE, OVERALL
from benchmarking.service.baskets import SOURCE as BASKET_SOURCE
from benchmarking.service.benchmark import Benchmark
from benchmarking.service.catalogue import Catalogue
from benchmarking.service.context_views import funding_view, quadrant_view
from benchmarking.service.overview import Overview, overview
from benchmarking.service.rests_on import RestsOn, rests_on
from benchmarking.text.escaping import CELL_LIMIT, shorten
from benchmarking.text.formatting import money, position_text
from benchmarking.text.narrative import context_card, overview_sentences, spend_card

HOW_TO_READ_QUADRANT = (
    "Each point is an authority. Up the chart is better performance: the position is the rank of "
    "the average of its indicator ranks (1st at the top). Across the chart, net revenue expenditure "
    "per head falls from left to right, so authorities that perform well and spend little sit in the "
    "top right, and those that perform less well and spend more in the bottom left. Dashed lines are "
    "the group medians. County councils are grey circles, county unitaries blue squares, and the "
    "focus authority is the orange diamond."
)
HOW_TO_READ_THEMES = (
    "Each dot is the focus authority's position in a theme: the rank of its average indicator rank "
    "among the comparator group (1st = best, on the left). Shading marks the quartiles."
)
HOW_TO_READ_FUNDING = (
    "Core spending power per head for every authority in the group, best funded at the top; the "
    "dashed line is the group median and the focus authority is highlighted."
)


@dataclass
class Slide:
    """One screen of the briefing: a title, and a chart, a table or bullet points, with a note."""

    title: str
    subtitle: str = ""
    chart: alt.TopLevelMixin | None = None
    table: pd.DataFrame | None = None
    bullets: list[str] = field(default_factory=list)
    cards: list[tuple[str, str]] = field(default_factory=list)
    note: str = ""
    rests_on: list[str] = field(default_factory=list)
    """What each position on the slide rests on, one line each (``service.rests_on``)."""
    warnings: list[str] = field(default_factory=list)
    """A warning for each combined position that one theme makes up more than half of."""


@dataclass
class Briefing:
    """The whole briefing: who it is for, what data, and its slides in order."""

    council: str
    focus_name: str
    period: str
    group_label: str
    group_size: int
    dataset_label: str
    sources: str
    is_demo: bool
    narrative: list[str]
    figures: Overview
    slides: list[Slide]
    basket: str = ""
    """Which basket and balance the positions rest on, in words."""
    data_description: str = ""
    """What the data are, for the document properties (``describe_data``)."""

    @property
    def title(self) -> str:
        """Return the briefing's title: council, subject and period."""
        return f"{self.council}: county benchmarking briefing, {self.period}"

    @property
    def document_title(self) -> str:
        """Return the title written into the file's properties; a demo's says it is a demo."""
        if self.is_demo:
            return f"Demo briefing for {self.focus_name}, {self.period}: {DEMO_DATA}"
        return self.title

    @property
    def document_author(self) -> str:
        """Return the author written into the file's properties: the council for real data, the
        dashboard for the generated demo (invented figures are no council's work)."""
        return "County benchmarking dashboard (generated demo)" if self.is_demo else self.council


DEMO_DATA = "illustrative demo data — not real figures"
PUBLIC_DATA = "public data for the English county areas"


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]  # str.capitalize would lower "English"


def describe_data(catalogue: Catalogue) -> str:
    """Return what the loaded data are, in a few words: the demo's warning, public county-area
    data, or (for a store with imported files) the dataset's own label."""
    if catalogue.is_demo:
        return _sentence_case(DEMO_DATA)
    loads = catalogue.datasets
    data_loads = loads[loads["source"] != BASKET_SOURCE] if len(loads) else loads  # a basket changes no figure
    if set(data_loads["kind"]) == {"public"}:
        return _sentence_case(PUBLIC_DATA)
    return f"Data loaded into the county benchmarking dashboard: {shorten(catalogue.dataset_label, CELL_LIMIT)}"


def _dataset_label(catalogue: Catalogue) -> tuple[str, str]:
    settings = catalogue.settings
    if catalogue.is_demo:
        return (
            "Illustrative demo data (generated; not real performance figures)",
            "Generated by the project's demo generator; indicator names and Leicestershire's "
            "2020/21-2021/22 values from the Leicestershire Performance Compendium 2022.",
        )
    label = catalogue.dataset_label
    sources = settings.get("sources") or "; ".join(catalogue.datasets["source"].dropna().astype(str).unique()[:5])
    return label, sources


def _rests_on_lines(found: list[RestsOn]) -> dict:
    """Return a slide's ``rests_on`` and ``warnings`` fields for the positions it shows."""
    return {
        "rests_on": [shorten(item.text(), 4 * CELL_LIMIT) for item in found],
        "warnings": [shorten(w, 4 * CELL_LIMIT) for item in found if (w := item.warning())],
    }


def build_briefing(
    catalogue: Catalogue,
    bench: Benchmark,
    period: str,
    focus: str,
    council: str | None = None,
    style: charts.ChartStyle = charts.BRIEFING,
    labels: str = "ends3",
) -> Briefing:
    """Return the briefing for a focus authority, period and benchmarked group (charts at ``style``;
    the quadrants name the focus and the authorities ``labels`` asks for, ``charts.LABEL_CHOICES``).

    Also starts the PNG renderer in the background (``charts.start_renderer``): a briefing's
    charts are usually rendered for the PPTX or PDF next.
    """
    charts.start_renderer()
    figures = overview(catalogue, bench, period, focus)
    name = shorten(figures.focus_name)  # names are shortened for display; tables keep them whole
    figures = replace(figures, focus_name=name)
    council = shorten(council or catalogue.settings.get("council_name") or f"{name} County Council")
    label, sources = _dataset_label(catalogue)
    label, sources = shorten(label, CELL_LIMIT), shorten(sources, 4 * CELL_LIMIT)
    label = _sentence_case(label)  # it follows a full stop in the subtitles
    group = f"{shorten(bench.group.label)} ({bench.group.size})"
    subtitle = f"Comparator group: {group}. {label}"
    narrative = overview_sentences(figures)
    rested = {theme: rests_on(catalogue, bench, focus, period, theme) for theme in [OVERALL, LA_CORE]}
    basket_line = f"Positions rest on the basket '{shorten(bench.basket.label())}': {BALANCES[bench.balance]}"
    slides: list[Slide] = [
        Slide(
            title=f"County benchmarking briefing, {period}",
            subtitle=f"{council} · comparator group: {group}",
            bullets=[f"Dataset: {label}", f"Sources: {sources}", basket_line],
            note="Title slide.",
        ),
        Slide(
            title=f"{name} at a glance, {period}",
            subtitle=subtitle,
            cards=[
                ("Overall performance", position_text(figures.overall.position, figures.overall.n)),
                ("LA Core performance", position_text(figures.core.position, figures.core.n)),
                spend_card(figures),
                context_card(figures),
                ("Top-quartile indicators", str(figures.quartile_counts.get(1, 0))),
                ("Bottom-quartile indicators", str(figures.quartile_counts.get(4, 0))),
            ],
            bullets=narrative,
            note="Headline positions: 1st = best performance; spend and funding rank 1st = highest per head.",
            **_rests_on_lines(list(rested.values())),
        ),
    ]
    for theme in [OVERALL, LA_CORE] + catalogue.themes:
        view = quadrant_view(catalogue, bench, theme, "Revenue", period, focus)
        if view.empty:
            continue
        view["context_text"] = view["context_value"].map(money)
        title = f"{theme} performance against spend, {period}"
        chart = charts.quadrant_chart(
            view,
            "",
            "",
            "Spend rank (1 = highest net revenue expenditure per head)",
            "spend",
            style=style,
            labelled=charts.labelled_codes(view, labels),
        )
        focus_row = view[view["is_focus"]]
        placement = (
            (
                f"{name}: {focus_row['quadrant'].iloc[0]} (performance position "
                f"{int(focus_row['performance_position'].iloc[0])} of {int(focus_row['n'].iloc[0])}, spend rank "
                f"{int(focus_row['context_rank'].iloc[0])})."
            )
            if len(focus_row)
            else ""
        )
        slides.append(
            Slide(
                title=title,
                subtitle=subtitle,
                chart=chart,
                table=view,
                bullets=[placement] if placement else [],
                note=HOW_TO_READ_QUADRANT,
                **_rests_on_lines([rested.get(theme) or rests_on(catalogue, bench, focus, period, theme)]),
            )
        )
    positions = figures.theme_positions
    slides.append(
        Slide(
            title=f"{name}: position by theme, {period}",
            subtitle=subtitle,
            chart=charts.theme_position_chart(positions, bench.group.size, "", "", style=style),
            table=positions,
            note=HOW_TO_READ_THEMES,
            **_rests_on_lines([rested[OVERALL]]),
        )
    )
    bottom = travel.bottom_quartile(bench.ranks, catalogue.indicators, focus, period=period)
    bottom_table = bottom[["theme", "name", "rank", "n_ranked"]].rename(
        columns={"theme": "Theme", "name": "Indicator", "rank": "Rank", "n_ranked": "Of"}
    )
    slides.append(
        Slide(
            title=f"Lower comparative performing areas (bottom quartile), {period}",
            subtitle=f"{len(bottom)} indicators in the bottom 25% of the group. {label}",
            table=bottom_table,
            note="Indicators where the focus authority ranks in the bottom quarter of the comparator group, by theme.",
        )
    )
    funding = funding_view(catalogue, bench, period, focus)
    if len(funding):
        basis = funding["period"].iloc[0]
        slides.append(
            Slide(
                title=f"Core spending power per head, {basis}",
                subtitle=subtitle,
                chart=charts.funding_chart(funding, "", "", style=style),
                table=funding.drop(columns="is_focus"),
                note=HOW_TO_READ_FUNDING,
            )
        )
    return Briefing(
        council=council,
        focus_name=name,
        period=period,
        group_label=shorten(bench.group.label),
        group_size=bench.group.size,
        dataset_label=label,
        sources=sources,
        is_demo=catalogue.is_demo,
        narrative=narrative,
        figures=figures,
        slides=slides,
        basket=basket_line,
        data_description=describe_data(catalogue),
    )


def chart_images(briefing: Briefing, scale: float = 1.0) -> list[bytes | None]:
    """Return each slide's chart rendered to PNG (None for slides without a chart), in order.

    Briefing charts are drawn at projector size (1400 px plot width), so at scale 1 a 16:9
    slide on a 1920 x 1080 screen shows each at 0.9 to 1.1 times its pixel size: sharp.
    More pixels barely slow the renderer but make the files, and the PDF's image
    compression, bigger. Renders are cached by ``charts.to_png``, so the same selection's
    briefing again takes no rendering.
    """
    return [charts.to_png(slide.chart, scale=scale) if slide.chart is not None else None for slide in briefing.slides]
