"""The Cabinet briefing: one ordered sequence of slides built from the current selection.

The same sequence feeds the PowerPoint deck (``export_pptx``), the printable PDF
(``export_pdf``) and the Presentation page, so the three always agree with each other
and with the screens they summarise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

import altair as alt
import pandas as pd

from benchmarking import charts
from benchmarking.briefing.bars import printed_slides
from benchmarking.datasets.public_build import sources_for_print
from benchmarking.method.baskets import balance_text
from benchmarking.method.positions import LA_CORE, OVERALL
from benchmarking.service.baskets import SOURCE as BASKET_SOURCE
from benchmarking.service.benchmark import Benchmark
from benchmarking.service.catalogue import Catalogue
from benchmarking.service.context_views import (
    axis_words,
    plotted_themes,
    position_title,
    quadrant_left_out,
    quadrant_view,
)
from benchmarking.service.funding_views import funding_left_out, funding_shown, funding_view
from benchmarking.service.group_size import group_size
from benchmarking.service.lists import BOTTOM, list_in_words, quartile_list
from benchmarking.service.overview import Overview, overview
from benchmarking.service.rests_on import RestsOn, rests_on
from benchmarking.text.escaping import CELL_LIMIT, one_line, shorten
from benchmarking.text.formatting import money, position_text, sentence_case
from benchmarking.text.narrative import context_card, overview_sentences, spend_card

HOW_TO_READ_QUADRANT = (
    "Each point is an authority. Up the chart is better performance: the position is the rank of "
    "the average of its indicator ranks (1st at the top). Across the chart, {measure} "
    "falls from left to right, so authorities that perform well and spend little sit in the "
    "top right, and those that perform less well and spend more in the bottom left. Dashed lines are "
    "the group medians. County councils are grey circles, county unitaries blue squares, and the "
    "focus authority is the orange diamond."
)
HOW_TO_READ_THEMES = (
    "Each dot is the focus authority's position in a theme: the rank of its average indicator rank "
    "among the comparator group (1st = best, on the left). Shading marks the quartiles."
)
HOW_TO_READ_FUNDING = (
    "Core spending power per head for the authorities in the group with a figure, best funded at the top; "
    "the dashed line is the group median and the focus authority is highlighted."
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
    group_size: str
    """The group's size in the period in words (``service.group_size``): "37 authorities in 2022/23; 7 others ..."."""
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


def describe_data(catalogue: Catalogue) -> str:
    """Return what the loaded data are, in a few words: the demo's warning, public county-area
    data, or (for a store with imported files) the dataset's own label."""
    if catalogue.is_demo:
        return sentence_case(DEMO_DATA)
    loads = catalogue.datasets
    data_loads = loads[loads["source"] != BASKET_SOURCE] if len(loads) else loads  # a basket changes no figure
    if set(data_loads["kind"]) == {"public"}:
        return sentence_case(PUBLIC_DATA)
    return f"Data loaded into the county benchmarking dashboard: {shorten(catalogue.dataset_label, CELL_LIMIT)}"


def _council_of(name: str, code: str) -> str:
    """Return the council's name for a title, from its area's name: as it is when it already names a council
    ('Buckinghamshire Council'), 'CC' written out ('North Yorkshire CC': 'North Yorkshire County Council'), else
    '<name> County Council' for a county council (ONS code E10) and '<name> Council' for any other authority (a
    unitary: its own name varies, 'Council' is never wrong)."""
    if name.lower().endswith("council"):
        return name
    if name.endswith(" CC"):
        return f"{name[:-3]} County Council"
    return f"{name} County Council" if code.upper().startswith("E10") else f"{name} Council"


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
    return label, sources_for_print(sources)


def _rests_on_lines(found: list[RestsOn]) -> dict:
    """Return a slide's ``rests_on`` and ``warnings`` fields for the positions it shows (warnings worded for a
    reader of the briefing: ``RestsOn.reader_warning``)."""
    return {
        "rests_on": [shorten(item.text(), 4 * CELL_LIMIT) for item in found],
        "warnings": [shorten(w, 4 * CELL_LIMIT) for item in found if (w := item.reader_warning())],
    }


@dataclass(frozen=True)
class BriefingSetting:
    """What every slide of one briefing shares: the selection, the focus authority's figures and the words
    naming the council, the group and the data."""

    catalogue: Catalogue
    bench: Benchmark
    period: str
    focus: str
    figures: Overview
    """The Overview's figures, the focus authority's name shortened for display."""
    council: str
    label: str
    """The dataset's label as a subtitle ends with it."""
    sources: str
    size: str
    """The group's size in the period in words (``service.group_size``)."""
    style: charts.ChartStyle = charts.BRIEFING
    labels: str = "ends3"

    @property
    def name(self) -> str:
        """Return the focus authority's name, shortened for display."""
        return self.figures.focus_name

    @property
    def group(self) -> str:
        """Return the comparator group in words with its size in the period."""
        return f"{one_line(self.bench.group.label)} ({self.size})"  # whole: it says whose neighbours

    @property
    def subtitle(self) -> str:
        """Return the subtitle of most slides: the comparator group and the dataset."""
        return self.subtitle_with(None)

    def subtitle_with(self, drawn: str | None) -> str:
        """Return the subtitle of a chart's slide: the comparator group, who the chart leaves out of it (``drawn``,
        from ``group_size.drawn_line``, its lines run on; None when it draws every member) and the dataset."""
        left_out = f"{sentence_case('; '.join(drawn.splitlines()))}. " if drawn else ""
        return f"Comparator group: {self.group}. {left_out}{self.label}"

    @property
    def basket_line(self) -> str:
        """Return which basket and balance the positions rest on, in words."""
        weighing = balance_text(self.bench.basket, self.bench.balance)
        return f"Positions rest on the basket '{shorten(self.bench.basket.label())}': {weighing}"


def briefing_setting(
    catalogue: Catalogue,
    bench: Benchmark,
    period: str,
    focus: str,
    council: str | None = None,
    style: charts.ChartStyle = charts.BRIEFING,
    labels: str = "ends3",
    figures: Overview | None = None,
) -> BriefingSetting:
    """Return what every slide of the briefing shares (``figures``: the Overview's, when already computed)."""
    figures = figures or overview(catalogue, bench, period, focus)
    name = shorten(figures.focus_name)  # names are shortened for display; tables keep them whole
    council = shorten(council or catalogue.settings.get("council_name") or _council_of(name, focus))
    label, sources = _dataset_label(catalogue)
    label, sources = shorten(label, CELL_LIMIT), shorten(sources, 4 * CELL_LIMIT)
    return BriefingSetting(
        catalogue=catalogue,
        bench=bench,
        period=period,
        focus=focus,
        figures=replace(figures, focus_name=name),
        council=council,
        label=sentence_case(label),  # it follows a full stop in the subtitles
        sources=sources,
        size=group_size(catalogue, bench, period).text(),
        style=style,
        labels=labels,
    )


def title_slide(setting: BriefingSetting) -> Slide:
    """Return the title slide: who, for whom, and on what data."""
    return Slide(
        title=f"County benchmarking briefing, {setting.period}",
        subtitle=f"{setting.council} · comparator group: {setting.group}",
        bullets=[f"Dataset: {setting.label}", f"Sources: {setting.sources}", setting.basket_line],
        note="Title slide.",
    )


def headline_slide(setting: BriefingSetting) -> Slide:
    """Return the headline cards (positions, spend, context, quartile counts) with the narrative."""
    figures = setting.figures
    return Slide(
        title=f"{setting.name} at a glance, {setting.period}",
        subtitle=setting.subtitle,
        cards=[
            ("Overall performance", position_text(figures.overall.position, figures.overall.n)),
            ("LA Core performance", position_text(figures.core.position, figures.core.n)),
            spend_card(figures),
            context_card(figures),
            ("Top-quartile indicators", str(figures.quartile_counts.get(1, 0))),
            ("Bottom-quartile indicators", str(figures.quartile_counts.get(4, 0))),
        ],
        bullets=overview_sentences(figures),
        note="Headline positions: 1st = best performance; spend and funding rank 1st = highest per head.",
        **_rests_on_lines([figures.overall.rests_on, figures.core.rests_on]),
    )


def quadrant_themes(setting: BriefingSetting) -> list[str]:
    """Return the themes with a quadrant slide, in the briefing's order: Overall, LA Core, then the
    catalogue's themes that have an authority with both a performance position and a spend figure."""
    themes = [OVERALL, LA_CORE] + setting.catalogue.themes
    return plotted_themes(setting.catalogue, setting.bench, themes, "Revenue", setting.period)


def quadrant_slide(
    setting: BriefingSetting, theme: str, fit: Callable[[Slide], charts.ChartStyle] | None = None
) -> Slide:
    """Return the quadrant slide of ``theme`` (one of ``quadrant_themes``): performance against spend; its chart built
    at the sizes ``fit`` gives for the slide's words (the Presentation page's room for it), else the setting's."""
    catalogue, bench, period, focus = setting.catalogue, setting.bench, setting.period, setting.focus
    view = quadrant_view(catalogue, bench, theme, "Revenue", period, focus)
    view["context_text"] = view["context_value"].map(money)
    words = axis_words(bench, theme, "Revenue")  # a theme's spend is its service's: adult social care, not the total
    focus_row = view[view["is_focus"]]
    placement = (
        (
            f"{setting.name}: {focus_row['quadrant'].iloc[0]} (performance position "
            f"{focus_row['position_text'].iloc[0]}, "
            f"{words.rank_text(focus_row['context_rank'].iloc[0], focus_row['n'].iloc[0])})."
        )
        if len(focus_row)
        else ""
    )
    rested = {OVERALL: setting.figures.overall.rests_on, LA_CORE: setting.figures.core.rests_on}
    slide = Slide(
        title=f"{theme} performance against spend, {period}",
        subtitle=setting.subtitle_with(quadrant_left_out(catalogue, bench, view, theme, "Revenue", period)),
        table=view.drop(columns=["league_position", "league_n", "position_text"]),  # the PDF's table without a chart
        bullets=[placement] if placement else [],
        note=HOW_TO_READ_QUADRANT.format(measure=words.measure),
        **_rests_on_lines([rested.get(theme) or rests_on(catalogue, bench, focus, period, theme)]),
    )
    slide.chart = charts.quadrant_chart(
        view,
        "",
        "",
        words.x_title,
        words.comparator,
        context_title=words.value_title,
        style=fit(slide) if fit else setting.style,
        labelled=charts.labelled_codes(view, setting.labels),
        rank_title=words.rank_title,
        y_title=position_title(view, "Revenue"),
    )
    return slide


def theme_slide(setting: BriefingSetting) -> Slide:
    """Return the focus authority's position in every theme."""
    positions = setting.figures.theme_positions
    return Slide(
        title=f"{setting.name}: position by theme, {setting.period}",
        subtitle=setting.subtitle,
        chart=charts.theme_position_chart(positions, "", "", style=setting.style),
        table=positions,
        note=HOW_TO_READ_THEMES,
        **_rests_on_lines([setting.figures.overall.rests_on]),
    )


def bottom_quartile_slide(setting: BriefingSetting) -> Slide:
    """Return the list of the focus authority's bottom-quartile indicators, by theme (as many rows as the
    headline's bottom-quartile count)."""
    period = setting.period
    bottom = quartile_list(setting.catalogue, setting.bench, period, setting.focus, BOTTOM)
    in_words = list_in_words(bottom)  # the Quartiles page's list: "2021-22 (earlier)" for a figure carried forward
    bottom_table = pd.DataFrame(
        {
            "Theme": in_words["Theme"],
            "Indicator": in_words["Indicator"],
            "Rank": bottom["rank"],
            "Of": bottom["n_ranked"],
            "Published for": in_words["Published for"],
        }
    )
    return Slide(
        title=f"Lower comparative performing areas (bottom quartile), {period}",
        subtitle=f"{len(bottom)} indicators in the bottom 25% of the group. {setting.label}",
        table=bottom_table,
        note=(
            "Indicators where the focus authority ranks in the bottom quarter of the comparator group, by theme; "
            "'earlier' marks figures published for an earlier period, carried forward as no newer ones exist."
        ),
    )


def has_funding(setting: BriefingSetting) -> bool:
    """Return whether the briefing has a funding slide: the store has core spending power for the period or before."""
    return len(funding_view(setting.catalogue, setting.bench, setting.period, setting.focus)) > 0


def funding_bars(setting: BriefingSetting) -> int:
    """Return how many authorities the funding slide's chart draws: those with a core spending power figure."""
    funding = funding_view(setting.catalogue, setting.bench, setting.period, setting.focus)
    return int(funding["core_spending_power_per_head"].notna().sum()) if len(funding) else 0


def funding_slide(setting: BriefingSetting) -> Slide | None:
    """Return the core spending power league table, or None when the store has no funding figure for the period."""
    funding = funding_view(setting.catalogue, setting.bench, setting.period, setting.focus)
    if not len(funding):
        return None
    return Slide(
        title=f"Core spending power per head, {funding['period'].iloc[0]}",
        subtitle=setting.subtitle_with(funding_left_out(setting.catalogue, setting.bench, setting.period, funding)),
        chart=charts.funding_chart(funding, "", "", style=setting.style),
        table=funding_shown(funding),
        note=HOW_TO_READ_FUNDING,
    )


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
    setting = briefing_setting(catalogue, bench, period, focus, council, style, labels)
    slides = [title_slide(setting), headline_slide(setting)]
    slides += [quadrant_slide(setting, theme) for theme in quadrant_themes(setting)]
    slides += [theme_slide(setting), bottom_quartile_slide(setting)]
    slides += [funding for funding in [funding_slide(setting)] if funding is not None]
    return Briefing(
        council=setting.council,
        focus_name=setting.name,
        period=period,
        group_label=one_line(bench.group.label),
        group_size=setting.size,
        dataset_label=setting.label,
        sources=setting.sources,
        is_demo=catalogue.is_demo,
        narrative=slides[1].bullets,
        figures=setting.figures,
        slides=slides,
        basket=setting.basket_line,
        data_description=describe_data(catalogue),
    )


def chart_images(briefing: Briefing, scale: float = 1.0) -> list[bytes | None]:
    """Return each printed slide's chart rendered to PNG (None for slides without a chart), in the order of
    ``bars.printed_slides`` (a long bar chart split over slides), as ``to_pptx`` and ``to_pdf`` take them.

    Briefing charts are drawn at projector size (1400 px plot width), so at scale 1 a 16:9
    slide on a 1920 x 1080 screen shows each at 0.9 to 1.1 times its pixel size: sharp.
    More pixels barely slow the renderer but make the files, and the PDF's image
    compression, bigger. Renders are cached by ``charts.to_png``, so the same selection's
    briefing again takes no rendering.
    """
    slides = printed_slides(briefing.slides)
    return [charts.to_png(slide.chart, scale=scale) if slide.chart is not None else None for slide in slides]
