"""Indicator baskets and theme balance: what a theme, Overall or LA Core position is an average of.

A **basket** is a named set of indicators (with an optional weight and note each) that the
positions are computed over; the store keeps baskets in its ``basket`` table, one row per
basket and indicator. ``ALL_PUBLISHED`` is the basket of every indicator the store holds
(the Compendium's own arithmetic, and the default): it is never stored.

**Balance** says how Overall and LA Core weigh the themes:

* ``indicators`` (the Compendium's rule, the default): the mean of the authority's ranks on
  every indicator in the basket, so a theme counts as many times as it has indicators;
* ``themes``: the mean of the authority's theme average ranks, so every theme it is ranked
  on counts once, however many indicators it has.

Within a theme the average is the weighted mean of the ranks (weights from the basket,
1 by default), and under ``indicators`` balance so is Overall: ``balance_text`` says which, in
words, naming the weights. Pure functions over DataFrames.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from benchmarking.errors import BadArgumentError

ALL_PUBLISHED = "all-published"
ALL_PUBLISHED_NAME = "All published"
INDICATORS = "indicators"
THEMES = "themes"
BALANCES = {INDICATORS: "every indicator counts once (the Compendium's rule)", THEMES: "every theme counts once"}
"""Each balance in words, for a basket whose weights are all 1 (``balance_text`` words the others)."""
WEIGHTED = "indicators weighted as the basket says"
NAMED_WEIGHTS = 3
"""Weights other than 1 named in ``balance_text`` before "and N more"."""
BASKET_COLUMNS = ("basket_id", "name", "indicator_id", "weight", "note", "version")


@dataclass(frozen=True)
class Basket:
    """One basket: its id, name, version and the weight of each indicator (None = every indicator, weight 1)."""

    id: str
    name: str
    weights: pd.Series | None = None
    version: str | None = None

    @property
    def is_all(self) -> bool:
        """True for the basket of every indicator (no restriction)."""
        return self.weights is None

    @property
    def is_weighted(self) -> bool:
        """True when the basket's indicators do not all weigh the same (its means are weighted means)."""
        return not self.is_all and self.weights.nunique() > 1

    def label(self) -> str:
        """Return the basket's name as shown, with its version when it has one."""
        return f"{self.name} ({self.version})" if self.version else self.name


ALL = Basket(ALL_PUBLISHED, ALL_PUBLISHED_NAME)


def empty_baskets() -> pd.DataFrame:
    """Return an empty ``basket`` table (a store that predates baskets)."""
    return pd.DataFrame({column: pd.Series(dtype=object) for column in BASKET_COLUMNS})


def basket_names(baskets: pd.DataFrame) -> dict[str, str]:
    """Return basket id -> name for the choice of basket: "All published" first, then the stored ones A-Z."""
    stored = baskets.drop_duplicates("basket_id").sort_values("name") if len(baskets) else baskets
    return {ALL_PUBLISHED: ALL_PUBLISHED_NAME} | dict(zip(stored["basket_id"], stored["name"]))


def resolve_basket(baskets: pd.DataFrame, basket_id: str | None) -> Basket:
    """Return the basket with this id (``ALL`` for None or ``ALL_PUBLISHED``); BadArgumentError listing the ids."""
    if basket_id in (None, "", ALL_PUBLISHED):
        return ALL
    rows = baskets[baskets["basket_id"] == basket_id] if len(baskets) else baskets
    if rows.empty:
        raise BadArgumentError(f"unknown basket {basket_id!r}; choose one of {', '.join(basket_names(baskets))}")
    weight = pd.to_numeric(rows["weight"], errors="coerce").fillna(1.0).to_numpy(dtype=float)
    version = rows["version"].dropna().astype(str) if "version" in rows.columns else pd.Series(dtype=object)
    return Basket(
        str(basket_id),
        str(rows["name"].iloc[0]),
        pd.Series(weight, index=rows["indicator_id"].astype(str).to_numpy()),
        version.iloc[0] if len(version) else None,
    )


def require_balance(balance: str | None) -> str:
    """Return the balance (``indicators`` when None); BadArgumentError naming the choices when unknown."""
    balance = balance or INDICATORS
    if balance not in BALANCES:
        raise BadArgumentError(f"balance must be one of {', '.join(BALANCES)}, got {balance!r}")
    return balance


def balance_text(basket: Basket, balance: str, named: bool = True) -> str:
    """Return how a position over ``basket`` weighs its indicators, in words: ``BALANCES[balance]`` when every
    weight is the same (the means are then unweighted), else "indicators weighted as the basket says" and,
    when ``named``, the weights other than 1 ("(X weight 2, the others 1)")."""
    balance = require_balance(balance)
    if not basket.is_weighted:
        return BALANCES[balance]
    said = WEIGHTED
    if named:
        weights = basket.weights[basket.weights != 1.0]
        ordered = sorted(weights.items(), key=lambda pair: (-pair[1], pair[0]))
        listed = ", ".join(f"{indicator} weight {weight:g}" for indicator, weight in ordered[:NAMED_WEIGHTS])
        if len(ordered) > NAMED_WEIGHTS:
            listed += f" and {len(ordered) - NAMED_WEIGHTS} more"
        if len(weights) < len(basket.weights):
            listed += ", the others 1"
        said = f"{WEIGHTED} ({listed})"
    return f"{BALANCES[THEMES]}, its {said}" if balance == THEMES else said


def in_basket(frame: pd.DataFrame, basket: Basket, column: str = "indicator_id") -> pd.DataFrame:
    """Return the rows of ``frame`` whose indicator is in the basket (every row for ``ALL``)."""
    if basket.is_all:
        return frame
    return frame[frame[column].astype(str).isin(basket.weights.index)].reset_index(drop=True)


def weights_of(indicator_ids: pd.Series, basket: Basket) -> np.ndarray:
    """Return each row's weight in the basket (1 for ``ALL``, 0 for an indicator outside it)."""
    if basket.is_all:
        return np.ones(len(indicator_ids))
    return indicator_ids.astype(str).map(basket.weights).fillna(0.0).to_numpy(dtype=float)


def theme_shares_sql(
    ranks: str,
    indicators: str,
    weights: str | None,
    balance: str,
    overall: str = "'Overall'",
    la_core: str = "'LA Core'",
) -> str:
    """Return the SQL of each theme's share of a position: the one rule for "a theme's share of Overall", per period x
    theme (Overall, LA Core, each theme) x authority with a ranked indicator x ``part`` (a theme it rests on): ``n``
    (its ranked indicators), ``share`` (0-1), ``total`` (the position's ranked indicators) and ``n_parts`` (themes).

    ``ranks`` names rows (indicator_id, authority_code, period, ranked); ``indicators`` rows
    (id, theme, is_core); ``weights`` rows (indicator_id, weight) of the basket, None for
    every indicator at weight 1 (an indicator outside the basket weighs 0). A theme's share is
    the summed weight of its ranked indicators over the summed weight of all of them (every ranked theme equally
    under ``themes`` balance). The base is the rows handed in: one authority's ranks in one period for its position
    (``service.rests_on``), or one row per ranked indicator of a basket for the basket as a whole
    (``service.basket_sensitivity.largest_theme``). An indicator without a theme (or not in ``indicators``) counts
    nowhere; a theme named like ``overall`` counts with it.
    """
    weight = "coalesce(w.weight, 0.0)" if weights else "1.0"
    join = f"LEFT JOIN {weights} w ON w.indicator_id = r.indicator_id" if weights else ""
    part_weight = "1.0" if require_balance(balance) == THEMES else "weight"
    return f"""
        WITH counted AS (
          SELECT r.period, r.authority_code, i.theme AS part, coalesce(i.is_core, FALSE) AS is_core,
                 count(*) AS n, fsum(({weight})::DOUBLE) AS weight
          FROM {ranks} r JOIN {indicators} i ON i.id = r.indicator_id {join}
          WHERE r.ranked AND i.theme IS NOT NULL AND r.period IS NOT NULL AND r.authority_code IS NOT NULL
          GROUP BY r.period, r.authority_code, i.theme, coalesce(i.is_core, FALSE)),
        parts AS (
          SELECT period, theme, authority_code, part, sum(n) AS n, fsum(weight) AS weight
          FROM (SELECT period, {overall} AS theme, authority_code, part, n, weight FROM counted
                UNION ALL SELECT period, {la_core}, authority_code, part, n, weight FROM counted WHERE is_core
                UNION ALL SELECT period, part, authority_code, part, n, weight FROM counted)
          GROUP BY period, theme, authority_code, part)
        SELECT period, theme, authority_code, part, n, {part_weight} / fsum({part_weight}) OVER cell AS share,
               sum(n) OVER cell AS total, count(*) OVER cell AS n_parts
        FROM parts WINDOW cell AS (PARTITION BY period, theme, authority_code)"""


def rests_on_sql(shares: str, balance: str) -> str:
    """Return the SQL of what each position rests on, per period x theme (Overall, LA Core, each
    theme) x authority with a ranked indicator: ``rests_on_indicators`` (indicators ranked),
    ``largest_theme`` and ``largest_theme_share``.

    ``shares`` is the SQL of the themes' shares (``theme_shares_sql``, under the same ``balance``); ties go to the
    theme last in A-Z order; under ``themes`` balance a position over several themes has no largest theme (NULL).
    """
    no_largest = "n_parts > 1" if require_balance(balance) == THEMES else "FALSE"
    return f"""
        WITH shared AS ({shares}),
        placed AS (
          SELECT *, row_number() OVER (PARTITION BY period, theme, authority_code ORDER BY share DESC, part DESC)
                    AS place
          FROM shared)
        SELECT period, theme, authority_code, total::BIGINT AS rests_on_indicators,
               CASE WHEN NOT ({no_largest}) THEN part END AS largest_theme, share AS largest_theme_share
        FROM placed WHERE place = 1"""
