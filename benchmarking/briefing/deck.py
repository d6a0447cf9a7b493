"""The Presentation page's deck: the briefing's slides cut to one idea and one screen each.

The pack (``briefing.pack``) holds what the PPTX and PDF print; a projected slide has less
room, so here the headline cards and their sentences go on separate slides, and a long
list (the bottom-quartile indicators) is split over several slides of at most ``MAX_ROWS``
rows instead of a scrolling table. Every row and sentence of the pack appears exactly once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import altair as alt
import pandas as pd

from benchmarking import charts
from benchmarking.briefing.bars import (
    BAR_AXIS_ROOM,
    MAX_BARS,
    band_rows,
    name_column,
    name_size,
    numbered,
    parts,
    split_bars,
    step_rows,
)
from benchmarking.briefing.pack import (
    Briefing,
    BriefingSetting,
    Slide,
    bottom_quartile_slide,
    funding_bars,
    funding_slide,
    has_funding,
    headline_slide,
    quadrant_slide,
    quadrant_themes,
    theme_slide,
    title_slide,
)
from benchmarking.briefing.screens import (
    KEY_BELOW_ROOM,
    SHORTEST_PLOT,
    Screen,
    SlideLines,
    column,
    fits,
    least_chart,
    plot_height,
    slide_heights,
    slide_lines,
    table_lines,
)
from benchmarking.errors import SlideNotFoundError
from benchmarking.text.narrative import overview_sentences

MAX_ROWS = 7
"""Rows of a table on one slide: seven two-line rows at 20 px or more fit a 1366x768 screen."""
MAX_SENTENCES = 4
"""Sentences on one slide of words."""
KEY_COLUMNS = 2
"""Names in each row of a key drawn under a slide's plot (beside the controls)."""
KEY_ROW = 26
"""Pixels each row of such a key adds after its first (``screens.KEY_BELOW_ROOM``: its title and first row)."""


@dataclass(frozen=True)
class DeckSlide:
    """One projected screen: a title and one of cards, a chart, a table or sentences."""

    title: str
    chart: alt.TopLevelMixin | None = None
    table: pd.DataFrame | None = None
    cards: list[tuple[str, str]] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    """Short lines in the slide's own large type."""
    small_print: list[str] = field(default_factory=list)
    """Lines under the slide in smaller type: what the positions rest on, the chart's subtitle."""
    warnings: list[str] = field(default_factory=list)
    least_plot: int = 0
    """The least height its chart's plot is built at (a quadrant's: ``screens.SHORTEST_PLOT``); 0: its chart is
    fitted to any room."""

    def lines(self, screen: Screen, briefing: bool = True) -> SlideLines:
        """Return the lines this slide's texts take on ``screen`` (``screens.slide_lines``), its table's rows too."""
        small_print = " · ".join(self.small_print)  # as the page draws it, one run of text
        lines = slide_lines(screen, self.title, self.sentences, small_print, self.warnings, briefing)
        if self.table is None:
            return lines
        rows = [[str(name) for name in self.table.columns]]
        rows += [["" if pd.isna(cell) else str(cell) for cell in row] for row in self.table.itertuples(index=False)]
        return replace(lines, table=table_lines(rows, column(screen, briefing)))

    def heights(self, screen: Screen, briefing: bool = True) -> dict[str, int]:
        """Return the height of each part of this slide on ``screen`` (``screens.slide_heights``), its chart's the
        room its words leave."""
        return slide_heights(screen, self.lines(screen, briefing), briefing)

    def fits(self, screen: Screen, briefing: bool = True) -> bool:
        """Return whether this slide fits ``screen``'s height in the projector's type, its chart (if any) no smaller
        than it is legible in (``screens.least_chart``): beside the controls on a small screen it may not."""
        chart = 0 if self.chart is None else least_chart(briefing, self.least_plot)
        return fits(screen, self.lines(screen, briefing), briefing, chart)


def _without_dataset(subtitle: str, label: str) -> list[str]:
    """Return the subtitle as small print without the dataset's name (the foot of every slide shows it)."""
    if label and subtitle.endswith(label):
        subtitle = subtitle[: -len(label)].rstrip(" .")
        subtitle = f"{subtitle}." if subtitle else ""
    return [subtitle] if subtitle else []


def _split_table(slide: Slide, limit: int, label: str) -> list[DeckSlide]:
    table = slide.table.reset_index(drop=True)
    cuts = parts(len(table), limit)
    return [
        DeckSlide(
            title=numbered(slide.title, number, len(cuts)),
            table=table.iloc[cut].reset_index(drop=True),
            small_print=_without_dataset(slide.subtitle, label),
        )
        for number, cut in enumerate(cuts, start=1)
    ]


def _split_sentences(title: str, sentences: list[str], limit: int) -> list[DeckSlide]:
    cuts = parts(len(sentences), limit)
    return [
        DeckSlide(title=numbered(title, number, len(cuts)), sentences=sentences[cut])
        for number, cut in enumerate(cuts, start=1)
    ]


def _chart_slide(part: Slide, label: str) -> DeckSlide:
    """Return a projected slide of a chart of the pack (or of a part of it): the chart, its sentences, what its
    positions rest on and its subtitle as small print, its warnings."""
    small_print = [*part.rests_on, *_without_dataset(part.subtitle, label)]
    return DeckSlide(
        title=part.title, chart=part.chart, sentences=part.bullets, small_print=small_print, warnings=part.warnings
    )


def _cut(slide: Slide, words_title: str, label: str) -> list[DeckSlide]:
    """Return one slide of the pack as projected slides (``words_title`` heads the headline's sentences)."""
    if slide.cards:
        cards = DeckSlide(title=slide.title, cards=slide.cards, small_print=slide.rests_on, warnings=slide.warnings)
        return [cards, *(_split_sentences(words_title, slide.bullets, MAX_SENTENCES) if slide.bullets else [])]
    if slide.chart is not None:  # a chart of more than ``MAX_BARS`` bars runs over slides (``bars.split_bars``)
        return [_chart_slide(part, label) for part in split_bars(slide)]  # each part with the small print
    if slide.table is not None:
        return _split_table(slide, MAX_ROWS, label)
    return [DeckSlide(title=slide.title, sentences=[slide.subtitle, *slide.bullets])]  # the title slide


def _words_title(focus_name: str, period: str) -> str:
    return f"{focus_name} in words, {period}"


def deck_slides(briefing: Briefing) -> list[DeckSlide]:
    """Return the briefing as projected slides, in the pack's order: the title slide, the
    headline cards, their sentences, one chart per slide, and tables of at most ``MAX_ROWS`` rows."""
    words_title = _words_title(briefing.focus_name, briefing.period)
    return [part for slide in briefing.slides for part in _cut(slide, words_title, briefing.dataset_label)]


@dataclass(frozen=True)
class SlideRef:
    """Where a projected slide comes from: the pack's slide (``kind``, and ``theme`` for a quadrant) and
    which of the projected slides it is cut into (``piece``, 0-based)."""

    kind: str
    theme: str = ""
    piece: int = 0


def deck_plan(setting: BriefingSetting) -> list[SlideRef]:
    """Return the deck's slides in order, as ``deck_slides`` cuts the whole briefing, without building a chart
    or a table: the counts come from the Overview's figures."""
    figures = setting.figures
    sentences = len(overview_sentences(figures))  # the headline slide's bullets
    words = len(parts(sentences, MAX_SENTENCES)) if sentences else 0
    plan = [SlideRef("title"), *(SlideRef("headline", piece=piece) for piece in range(1 + words))]
    plan += [SlideRef("quadrant", theme) for theme in quadrant_themes(setting)]
    plan.append(SlideRef("themes"))
    bottom = figures.quartile_counts.get(4, 0)  # the bottom-quartile list's rows
    plan += [SlideRef("bottom", piece=piece) for piece in range(len(parts(bottom, MAX_ROWS)))]
    if has_funding(setting):  # its bars over as many slides as they need
        plan += [SlideRef("funding", piece=piece) for piece in range(len(parts(funding_bars(setting), MAX_BARS)))]
    return plan


def deck_slide(
    setting: BriefingSetting, ref: SlideRef, screen: Screen | None = None, briefing: bool = True
) -> DeckSlide:
    """Return the projected slide ``ref`` of ``deck_plan``, building only the pack's slide it is cut from; given the
    ``screen`` it is shown on (in ``briefing`` mode or beside the controls), a quadrant's plot is built as tall as
    the room its slide's words leave (a bar chart is fitted to its room when drawn: ``projected_spec``)."""

    def fit(slide: Slide):  # the quadrant's sizes, from the words around it on the slide
        room = _chart_slide(slide, setting.label).heights(screen, briefing)["chart"]
        return replace(setting.style, height=plot_height(room, briefing))

    builders = {
        "title": title_slide,
        "headline": headline_slide,
        "quadrant": lambda s: quadrant_slide(s, ref.theme, fit=fit if screen is not None else None),
        "themes": theme_slide,
        "bottom": bottom_quartile_slide,
        "funding": funding_slide,
    }
    slide = builders[ref.kind](setting)
    cut = _cut(slide, _words_title(setting.name, setting.period), setting.label)[ref.piece]
    return replace(cut, least_plot=SHORTEST_PLOT) if ref.kind == "quadrant" else cut


def slide_index(raw: str | None, count: int) -> int:
    """Return the 0-based index of slide ``raw`` (a 1-based number as written in a link; None = the first).

    Raises ``SlideNotFoundError`` naming the deck's length when ``raw`` is not a whole number from 1 to ``count``.
    """
    if raw is None:
        return 0
    text = str(raw).strip()
    if text.isascii() and text.isdigit() and 1 <= int(text) <= count:
        return int(text) - 1
    shown = text if len(text) <= 20 else text[:20] + "…"
    raise SlideNotFoundError(f"There is no slide '{shown}' in this presentation: it has slides 1 to {count}.")


def key_below_room(spec: dict) -> int:
    """Return the pixels a chart's key takes under its plot: its title and a row for each ``KEY_COLUMNS`` of the
    names of its colour key (the first layer's that has one; two names when none is found)."""
    layers = spec.get("layer", [spec])
    domains = [layer.get("encoding", {}).get("color", {}).get("scale", {}).get("domain") for layer in layers]
    names = next((len(domain) for domain in domains if isinstance(domain, list)), 2)
    return KEY_BELOW_ROOM + KEY_ROW * (math.ceil(names / KEY_COLUMNS) - 1)


def projected_spec(chart: alt.TopLevelMixin, height: int, key_beside: bool = True) -> dict:
    """Return the chart's Vega-Lite spec for a slide: its title removed (the slide shows it once), its key beside
    the plot on the right (``key_beside``, the room a projected slide has to spare) or under it in rows of
    ``KEY_COLUMNS``, and as wide as its container.

    A chart of bars (one per authority: ``band_rows``) is fitted to ``height`` pixels, axes included, its names as
    tall as its bars allow up to a largest size (``bars.name_size``), in a column as wide as its widest name; a part
    of a chart split over slides draws its bars at the step of the longest part, so every part's bars and names are
    the same size and start at the same place. Any other chart keeps the plot height it was built for (``deck_slide``):
    the names placed on a quadrant stay clear of each other and of its corners only at the size they were placed for.
    """
    spec = chart.to_dict(validate=False)
    spec.pop("title", None)
    config = spec.setdefault("config", {})
    if key_beside:
        config["legend"] = {**config.get("legend", {}), "orient": "right", "direction": "vertical"}
    else:  # under the plot, its names in rows of two: in one row the quartiles' four ran past a 906 px slide
        config["legend"] = {**config.get("legend", {}), "columns": KEY_COLUMNS}
    rows = band_rows(spec)
    if not rows:
        return charts.for_screen(spec)[0]
    tallest = step_rows(spec)
    key = 0 if key_beside else key_below_room(spec)  # a key under the plot takes its height from the bars
    size = name_size(height - key, tallest)
    config["axisY"] = {"labelFontSize": size}
    # the £ axis's last label centred on its tick, as the others: set flush with the plot's end it ran into the
    # one before ("£900£1,000" at 1366 wide), which the browser's check for touching labels let through
    config["axisX"] = {"labelFlush": False}
    name_column(spec, size)
    spec["width"] = "container"
    # a shorter part: its bars' share
    spec["height"] = round(key + BAR_AXIS_ROOM + (height - key - BAR_AXIS_ROOM) * rows / tallest)
    spec["autosize"] = {"type": "fit", "contains": "padding"}
    return spec
