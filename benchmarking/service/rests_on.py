"""What a position rests on: the basket, the balance, how many indicators were ranked for the
authority, and how much of the position the largest theme makes up.

Shown wherever a position is (Overview cards, quadrant caption, theme table, slides, PDF,
CLI exports): "Overall 2022/23: 315 indicators ranked in 'All published'; Education 67% of these 315", with a
warning when one theme is more than half of Overall or LA Core. A share's base is the indicators ranked for the
authority in the period, and the words say so: the basket list's share (``service.baskets``) is of every ranked
indicator in the basket, by the same rule (``method.baskets.theme_shares_sql``).
"""

from __future__ import annotations

from dataclasses import dataclass

from benchmarking.method.baskets import BALANCES, THEMES
from benchmarking.method.positions import LA_CORE, OVERALL
from benchmarking.service.basket_sensitivity import theme_shares_frame
from benchmarking.service.benchmark import Benchmark
from benchmarking.service.catalogue import Catalogue

DOMINANT_SHARE = 0.5
"""A theme that is more than this share of Overall or LA Core gets a warning."""


@dataclass(frozen=True)
class RestsOn:
    """What one authority's position in one period rests on."""

    theme: str
    period: str
    basket: str
    balance: str
    n_indicators: int
    shares: dict[str, float]
    """Theme -> its share of the position (weights of the ranked indicators, or equal under theme balance)."""
    weighted: bool = False
    """True when the basket's weights differ, so a share is of the indicators' weight, not of their count."""

    @property
    def largest_theme(self) -> str | None:
        """Return the theme with the largest share (None when nothing is ranked, or when every theme
        counts equally under theme balance: no theme is largest)."""
        if not self.shares or (self.balance == THEMES and len(self.shares) > 1):
            return None
        return max(self.shares, key=lambda theme: (self.shares[theme], theme))

    @property
    def largest_share(self) -> float:
        """Return the largest theme's share (0 when nothing is ranked)."""
        return max(self.shares.values()) if self.shares else 0.0

    @property
    def dominated(self) -> bool:
        """True when one theme is more than half of a combined position (Overall or LA Core)."""
        return self.theme in (OVERALL, LA_CORE) and self.largest_share > DOMINANT_SHARE

    def text(self) -> str:
        """Return the one line: "Overall 2022/23: 315 indicators ranked in 'All published'; Education 67% of these
        315" (the indicators ranked for the authority in the period: the share's base; "by weight" in a weighted
        basket)."""
        line = f"{self.theme} {self.period}: {self.n_indicators:,} indicator{'s' if self.n_indicators != 1 else ''}"
        line += f" ranked in '{self.basket}'"  # for this authority: the group may have figures for more
        if self.balance == THEMES:
            line += f", {len(self.shares)} themes weighted equally"
        elif self.theme in (OVERALL, LA_CORE) and self.largest_theme is not None:
            by_weight = " by weight" if self.weighted else ""
            line += f"; {self.largest_theme} {self.largest_share:.0%} of these {self.n_indicators:,}{by_weight}"
        return line

    def reader_warning(self) -> str | None:
        """Return the warning for a reader of the briefing (what the position measures, no app controls) when one
        theme outweighs the rest together ("Overall is X's position" when it is the only one), else None."""
        if not self.dominated:
            return None
        if len(self.shares) == 1:  # nothing to balance: weighing the themes equally cannot change it
            return f"{self.theme} rests on one theme, {self.largest_theme}: {self.theme} is that theme's position."
        base = f"the {self.n_indicators:,} indicators {self.theme} {self.period} rests on"
        by_weight = ", by the basket's weights" if self.weighted else ""
        return (
            f"{self.largest_theme} is {self.largest_share:.0%} of {base}{by_weight}: this position mostly measures "
            f"{self.largest_theme}."
        )

    def warning(self) -> str | None:
        """Return the warning on screen (``reader_warning`` and, when the position rests on several themes, what to
        change in the app), else None."""
        reader = self.reader_warning()
        if reader is None or len(self.shares) == 1:
            return reader
        return f"{reader} Choose a basket, or weigh every theme equally ({BALANCES[THEMES]})."


def rests_on(catalogue: Catalogue, bench: Benchmark, authority: str, period: str, theme: str = OVERALL) -> RestsOn:
    """Return what ``authority``'s ``theme`` position in ``period`` rests on (see ``RestsOn``): its indicators ranked
    then and each theme's share of them (``method.baskets.theme_shares_sql``, the rule the basket list counts by)."""
    ranks = bench.ranks
    rows = ranks[(ranks["authority_code"] == authority) & (ranks["period"] == period) & ranks["rank"].notna()]
    shares = theme_shares_frame(rows, catalogue.indicators, bench.basket, bench.balance)
    mine = shares[shares["theme"] == theme]
    return RestsOn(
        theme,
        period,
        bench.basket.label(),
        bench.balance,
        int(mine["n"].sum()),
        {str(part): float(share) for part, share in zip(mine["part"], mine["share"])},
        weighted=bench.basket.is_weighted and bench.balance != THEMES,
    )
