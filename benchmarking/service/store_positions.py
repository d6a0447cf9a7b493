"""Positions computed where the values live: the method's SQL run on the store's own tables.

``store_positions`` returns the rows the CLI's positions export writes (those of ``benchmark_for``
with ``with_rests_on``) without reading the millions of values into Python: the reporting-year
vintages (``currency.vintage_table`` from the distinct published pairs, then
``currency.reporting_values_sql``), the comparator group and the basket, ranks
(``ranking.ranks_sql``), positions (``positions.positions_sql``), the authority beside the group
(``beside.ranks_beside_sql``, then ``beside.positions_beside`` on its few rows) and what each
position rests on (``baskets.rests_on_sql``) run in one read-only connection to the store
(``Store.querying``); only the position rows come back. The same SQL runs over frames registered
in memory for the pages (``service.benchmark.compute``), so both give the same numbers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from benchmarking.method import currency, sql
from benchmarking.method.baskets import Basket, require_balance, rests_on_sql
from benchmarking.method.beside import mark_members, positions_beside, ranks_beside_sql
from benchmarking.method.groups import ComparatorGroup
from benchmarking.method.positions import LA_CORE, OVERALL, indicator_themes, label_order, positions_sql
from benchmarking.method.ranking import indicator_polarities, nullable_int, ranks_sql
from benchmarking.service.basket_sensitivity import add_rests_on, rests_table
from benchmarking.service.benchmark import positions_in_order, with_rows
from benchmarking.service.catalogue import Catalogue, offered_periods, period_shares
from benchmarking.store import Store

PUBLISHED_SQL = (
    "SELECT DISTINCT indicator_id, period AS source_period FROM indicator_value "
    "WHERE value IS NOT NULL AND indicator_id IS NOT NULL AND period IS NOT NULL"
)
"""The distinct (indicator, published label) pairs that hold a value: what the vintages are worked out from."""


def store_positions(
    store: Store,
    catalogue: Catalogue,
    group: ComparatorGroup,
    scaled: bool = False,
    min_coverage: float = 0.5,
    basket: Basket | None = None,
    balance: str | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """Return (positions, periods): the group's position rows (members, then the authority beside
    it, in the engine's order) with ``in_group`` and the rests-on columns, and the reporting periods
    offered (``Catalogue.period_labels``), computed in the store.

    ``catalogue`` may be loaded without values (``load_catalogue(values=False)``): its tables
    resolve the indicators' polarity and themes.
    """
    balance = require_balance(balance)
    indicators = catalogue.indicators
    polarity, midpoint = indicator_polarities(indicators)
    theme_names, theme_of, core_of = indicator_themes(indicators)
    ids = np.asarray(indicators["id"], dtype=object)
    codes = np.asarray(catalogue.authorities["code"], dtype=object)
    weighted = basket is not None and not basket.is_all
    with store.querying() as queries:
        published = queries.arrow(PUBLISHED_SQL).to_pandas()
        calendar = catalogue.calendar
        vintage, moves = currency.vintage_table(published, calendar)
        tables = {
            "vintage": sql.arrow_table({name: vintage[name] for name in vintage.columns}),
            "reporting_periods": sql.arrow_table(
                {"label": calendar.periods["label"], "start_date": calendar.periods["start_date"]}
            ),
            "members": sql.arrow_table({"code": np.asarray(group.members, dtype=object)}),
            "beside": sql.arrow_table({"code": np.asarray([group.beside] if group.beside else [], dtype=object)}),
            "polarity": sql.arrow_table(
                {
                    "indicator": np.asarray(polarity.index, dtype=object),
                    "id": np.asarray(polarity.index, dtype=object),
                    "polarity": polarity.to_numpy(dtype=object),
                    "target_midpoint": midpoint.to_numpy(dtype=float),
                }
            ),
            "ranked_indicators": sql.arrow_table({"id": ids[(indicators["polarity"] != "none").to_numpy()]}),
            "indicators": sql.arrow_table({"indicator": ids, "theme": theme_of + 2, "is_core": core_of}),
            "rest_indicators": sql.arrow_table({"id": ids, "theme": indicators["theme"], "is_core": core_of}),
            "periods": sql.arrow_table(
                {"period": calendar.periods["label"], "period_order": np.arange(len(calendar.periods))}
            ),
            "authorities": sql.arrow_table({"authority_code": codes, "authority_order": label_order(codes)}),
        }
        if weighted:
            tables["weights"] = sql.arrow_table(
                {"indicator_id": np.asarray(basket.weights.index, dtype=object), "weight": basket.weights.to_numpy()}
            )
        queries.register(tables)
        queries.view(
            "reporting",
            currency.reporting_values_sql("indicator_value", "vintage", "reporting_periods", moves, ["value"]),
        )
        shares = period_shares(queries.arrow(currency.current_shares_sql("reporting", "ranked_indicators")))
        chosen = "SELECT * FROM reporting" + (" SEMI JOIN weights USING (indicator_id)" if weighted else "")
        queries.view("chosen", chosen)
        member_rows = "(SELECT indicator_id AS indicator, * FROM chosen SEMI JOIN members ON code = authority_code)"
        columns = ["indicator_id", "authority_code", "period", "value"]
        queries.keep("ranked", ranks_sql(member_rows, "polarity", "indicator, period", columns))
        weight = "coalesce(w.weight, 0.0)" if weighted else "1.0"
        queries.view(
            "r",
            f"""SELECT k.indicator_id AS indicator, k.authority_code, k.period, k.rank, k.n_ranked,
                       ({weight})::DOUBLE AS weight
                FROM ranked k {"LEFT JOIN weights w USING (indicator_id)" if weighted else ""}""",
        )
        members = _positions_frame(
            queries.arrow(positions_sql(scaled, None, min_coverage, balance)), [OVERALL, LA_CORE, *theme_names]
        )
        outside = None
        rest_rows = "SELECT indicator_id, authority_code, period, rank IS NOT NULL AS ranked FROM ranked"
        if group.beside is not None:
            queries.view(
                "outside",
                """SELECT row_number() OVER (ORDER BY c.indicator_id, c.period_start) - 1 AS row,
                          c.indicator_id, c.authority_code, c.period, c.value
                   FROM chosen c SEMI JOIN beside b ON b.code = c.authority_code
                   JOIN polarity p ON p.id = c.indicator_id WHERE p.polarity <> 'none'""",
            )
            placed = queries.arrow(
                f"""SELECT o.indicator_id, o.authority_code, o.period, b.rank, b.n_ranked
                    FROM outside o JOIN ({ranks_beside_sql("ranked", "outside", "polarity")}) b USING (row)
                    ORDER BY o.row"""
            )
            outside = pd.DataFrame(
                {
                    "indicator_id": placed.column("indicator_id").to_numpy(zero_copy_only=False),
                    "authority_code": placed.column("authority_code").to_numpy(zero_copy_only=False),
                    "period": placed.column("period").to_numpy(zero_copy_only=False),
                    "rank": nullable_int(sql.numbers(placed, "rank")),
                    "n_ranked": sql.integers(placed, "n_ranked"),
                }
            )
            queries.register({"outside_ranked": _ranked_rows(outside)})
            rest_rows += " UNION ALL SELECT * FROM outside_ranked"
        rests = rests_table(
            queries.arrow(rests_on_sql(f"({rest_rows})", "rest_indicators", "weights" if weighted else None, balance))
        )
    result = mark_members(members)
    if outside is not None:
        extra = positions_beside(
            members,
            outside,
            indicators,
            scaled=scaled,
            min_coverage=min_coverage,
            basket=basket,
            balance=balance,
        )
        result = positions_in_order(with_rows(result, extra))
    return add_rests_on(result, rests), offered_periods(calendar, shares)


def _positions_frame(result: pa.Table, theme_names: list[str]) -> pd.DataFrame:
    """Return the rows of ``positions_sql`` as the frame ``positions`` returns (theme codes named)."""
    return pd.DataFrame(
        {
            "period": result.column("period").to_numpy(zero_copy_only=False),
            "theme": np.array(theme_names, dtype=object)[sql.integers(result, "theme")],
            "authority_code": result.column("authority_code").to_numpy(zero_copy_only=False),
            "average_rank": sql.numbers(result, "average_rank"),
            "n_indicators": sql.integers(result, "n_indicators"),
            "n_available": sql.integers(result, "n_available"),
            "coverage": sql.numbers(result, "coverage"),
            "position": nullable_int(sql.numbers(result, "position")),
            "n_positioned": sql.integers(result, "n_positioned"),
        }
    )


def _ranked_rows(ranks: pd.DataFrame) -> pa.Table:
    """Return the rows ``rests_on_sql`` reads (indicator_id, authority_code, period, ranked) of a ranks frame."""
    return sql.arrow_table(
        {
            "indicator_id": ranks["indicator_id"],
            "authority_code": ranks["authority_code"],
            "period": ranks["period"],
            "ranked": ranks["rank"].notna().to_numpy(),
        }
    )
