"""Sensitivity to the basket: the focus authority's Overall position under each basket and
balance, and what each position rests on, computed for every row at once.

"2nd overall" reads differently as "2nd on all published, 9th theme-balanced, 4th on the
Compendium basket". ``basket_sensitivity`` ranks the group once and recomputes Overall for
"All published" and every stored basket, each under both balances (``method.baskets``);
``rests_on_frame`` says, for every period, authority and position column at once, how many
indicators a position rests on and how much of it the largest theme makes up (the figures of
``service.rests_on``, vectorised for the CLI export and this table).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from benchmarking.errors import BadArgumentError
from benchmarking.method import ranking, sql
from benchmarking.method.baskets import (
    ALL,
    BALANCES,
    INDICATORS,
    Basket,
    balance_text,
    in_basket,
    resolve_basket,
    rests_on_sql,
    theme_shares_sql,
    weights_of,
)
from benchmarking.method.groups import ComparatorGroup
from benchmarking.method.positions import OVERALL, positions
from benchmarking.service.catalogue import Catalogue

REST_COLUMNS = ("period", "theme", "authority_code", "rests_on_indicators", "largest_theme", "largest_theme_share")
SENSITIVITY_COLUMNS = (
    "period",
    "basket_id",
    "basket",
    "balance",
    "weighing",
    "position",
    "n_positioned",
    "n_indicators",
    "largest_theme",
    "largest_share",
)


def basket_choice(catalogue: Catalogue, text: str | None) -> str | None:
    """Return the id of the basket named by ``text`` (its id, or its exact name); None for no choice.

    BadArgumentError lists the baskets to choose from when nothing, or more than one basket, matches.
    """
    if text is None:
        return None
    names = catalogue.basket_names()
    if text in names:
        return text
    matching = [basket_id for basket_id, name in names.items() if name == text]
    if len(matching) == 1:
        return matching[0]
    choices = "; ".join(f"{basket_id} ({name})" for basket_id, name in names.items())
    problem = "more than one basket is named" if matching else "no basket has the id or name"
    raise BadArgumentError(f"{problem} {text!r}; choose one of: {choices}")


def rests_on_frame(ranks: pd.DataFrame, indicators: pd.DataFrame, basket: Basket, balance: str) -> pd.DataFrame:
    """Return, per period x theme (Overall, LA Core, each theme) x authority with a ranked indicator,
    how many indicators the position rests on, its largest theme and that theme's share.

    Shares as ``service.rests_on``: the basket weights of the ranked indicators per theme, or
    every ranked theme equally under ``themes`` balance; a theme's own row is that theme, 100%.
    Under ``themes`` balance a position over several themes has no largest theme (None), as
    ``RestsOn.largest_theme``; otherwise ties go to the theme last in A-Z order. The rule is
    ``baskets.rests_on_sql``, run in DuckDB over the frames.
    """
    shares = theme_shares_sql("ranks", "indicators", None if basket.is_all else "weights", balance)
    query = rests_on_sql(shares, balance)
    return rests_table(
        sql.run(query + " ORDER BY period, theme, authority_code", _rank_tables(ranks, indicators, basket))
    )


def theme_shares_frame(ranks: pd.DataFrame, indicators: pd.DataFrame, basket: Basket, balance: str) -> pd.DataFrame:
    """Return every theme's share of each position the ranks give (``baskets.theme_shares_sql``, the one rule):
    period, theme, authority_code, part, n, share, in that order."""
    query = theme_shares_sql("ranks", "indicators", None if basket.is_all else "weights", balance)
    result = sql.run(query + " ORDER BY period, theme, authority_code, part", _rank_tables(ranks, indicators, basket))
    return result.to_pandas()[["period", "theme", "authority_code", "part", "n", "share"]]


def _rank_tables(ranks: pd.DataFrame, indicators: pd.DataFrame, basket: Basket) -> dict[str, pa.Table]:
    """Return the relations ``theme_shares_sql`` reads: the ranks, the indicators and the basket's weights."""
    tables = {
        "ranks": sql.arrow_table(
            {
                "indicator_id": ranks["indicator_id"],
                "authority_code": ranks["authority_code"],
                "period": ranks["period"],
                "ranked": ranks["rank"].notna().to_numpy(),
            }
        ),
        "indicators": sql.arrow_table(
            {
                "id": indicators["id"],
                "theme": indicators["theme"],
                "is_core": indicators["is_core"].fillna(False).astype(bool).to_numpy(),
            }
        ),
    }
    if not basket.is_all:
        tables["weights"] = sql.arrow_table(
            {"indicator_id": np.asarray(basket.weights.index, dtype=object), "weight": basket.weights.to_numpy(float)}
        )
    return tables


def largest_theme(indicators: pd.DataFrame, basket: Basket) -> tuple[str | None, float | None]:
    """Return the theme that makes up most of an Overall resting on every ranked indicator of ``basket``, and its
    share (0-1), counted as positions count it (``rests_on_frame``: ranked indicators by their weights, a context
    indicator not at all); (None, None) when the basket holds no ranked indicator."""
    ranked = indicators.loc[indicators["polarity"].fillna("none").ne("none").to_numpy(), ["id"]]
    ranks = in_basket(ranked.rename(columns={"id": "indicator_id"}), basket)
    rests = rests_on_frame(ranks.assign(authority_code="", period="", rank=1.0), indicators, basket, INDICATORS)
    overall = rests[rests["theme"] == OVERALL]
    if overall.empty:
        return None, None
    return overall["largest_theme"].iloc[0], float(overall["largest_theme_share"].iloc[0])


def rests_table(result: pa.Table) -> pd.DataFrame:
    """Return the rows of ``baskets.rests_on_sql`` as the frame ``rests_on_frame`` returns (``REST_COLUMNS``)."""
    frame = result.to_pandas()
    frame["rests_on_indicators"] = frame["rests_on_indicators"].astype("int64")
    frame["largest_theme"] = frame["largest_theme"].astype(object).where(frame["largest_theme"].notna(), None)
    return frame[list(REST_COLUMNS)]


def with_rests_on(frame: pd.DataFrame, ranks: pd.DataFrame, indicators: pd.DataFrame, basket: Basket, balance: str):
    """Return position rows with ``rests_on_indicators`` (0 when none ranked), ``largest_theme`` and
    ``largest_theme_share`` added from ``rests_on_frame``, in the rows' order."""
    return add_rests_on(frame, rests_on_frame(ranks, indicators, basket, balance))


def add_rests_on(frame: pd.DataFrame, rests: pd.DataFrame) -> pd.DataFrame:
    """Return position rows with the columns of ``rests`` (``rests_table``) added, 0 indicators when
    none ranked, in the rows' order."""
    merged = frame.merge(rests, on=["period", "theme", "authority_code"], how="left", validate="many_to_one")
    merged["rests_on_indicators"] = merged["rests_on_indicators"].fillna(0).astype("int64")
    merged.index = frame.index
    return merged


def basket_sensitivity(
    catalogue: Catalogue,
    group: ComparatorGroup,
    focus: str,
    scaled: bool = False,
    min_coverage: float = 0.5,
) -> pd.DataFrame:
    """Return the focus authority's Overall under "All published" and each stored basket, each
    under both balances, per period: ``SENSITIVITY_COLUMNS`` (position NA when not positioned; ``weighing``
    how the position weighs the basket's indicators in words, ``baskets.balance_text``).

    The group's members are ranked once (with the focus ranked among them when it stands beside
    the group: a what-if, as on the Beyond ranks page); every basket takes its indicators' ranks.
    """
    codes = list(group.members) + ([group.beside] if group.beside and group.beside not in group.members else [])
    if focus not in codes:
        raise BadArgumentError(f"{focus!r} is neither in the comparator group nor shown beside it")
    indicators = catalogue.indicators
    ranks = ranking.indicator_ranks(catalogue.reporting_values, indicators, authority_codes=codes)
    baskets = [ALL] + [resolve_basket(catalogue.baskets, b) for b in catalogue.basket_names() if b != ALL.id]
    tables = []
    for basket in baskets:
        chosen = in_basket(ranks, basket)
        weights = None if basket.is_all else weights_of(chosen["indicator_id"], basket)
        for balance in BALANCES:
            result = positions(
                chosen, indicators, scaled=scaled, min_coverage=min_coverage, weights=weights, balance=balance
            )
            overall = result[(result["theme"] == OVERALL) & (result["authority_code"] == focus)]
            overall = with_rests_on(overall, chosen, indicators, basket, balance)
            tables.append(
                overall.assign(
                    basket_id=basket.id, basket=basket.label(), balance=balance, weighing=balance_text(basket, balance)
                )
            )
    if not tables or not any(len(t) for t in tables):
        return pd.DataFrame(columns=list(SENSITIVITY_COLUMNS))
    table = pd.concat(tables, ignore_index=True).rename(columns={"largest_theme_share": "largest_share"})
    return table[list(SENSITIVITY_COLUMNS)].reset_index(drop=True)


def sensitivity_for_period(table: pd.DataFrame, period: str) -> pd.DataFrame:
    """Return the rows of ``basket_sensitivity`` for one period, "All published" first, by indicators first."""
    rows = table[table["period"] == period]
    order = rows["basket_id"].ne(ALL.id).astype(int) * 2 + rows["balance"].ne(INDICATORS).astype(int)
    return rows.assign(_order=order.to_numpy()).sort_values(["_order", "basket"]).drop(columns="_order")
