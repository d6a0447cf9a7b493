"""Positions computed where the values live: the method's SQL run on the store's own tables.

``store_positions`` returns the rows the CLI's positions export writes (those of ``benchmark_for``
with ``with_rests_on``) without reading the millions of values into Python: the reporting-year
vintages (``currency.vintage_table`` from the distinct published pairs, then
``currency.reporting_values_sql``), the comparator group and the basket, ranks
(``ranking.ranks_sql``), positions (``positions.positions_sql``), the authority beside the group
(``beside.ranks_beside_sql``, then ``beside.positions_beside`` on its few rows) and what each
position rests on (``baskets.rests_on_sql``) run in one read-only connection to the store
(``Store.querying``); only the position rows come back. ``store_ranks`` returns the ranks
export's rows the same way. The same SQL runs over frames registered in memory for the pages
(``service.benchmark.compute``), so both give the same numbers.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

import numpy as np
import pandas as pd
import pyarrow as pa

from benchmarking.method import currency, sql
from benchmarking.method.baskets import ALL, Basket, require_balance, rests_on_sql, theme_shares_sql
from benchmarking.method.beside import IN_GROUP, mark_members, positions_beside, ranks_beside_sql
from benchmarking.method.groups import ComparatorGroup
from benchmarking.method.positions import (
    LA_CORE,
    OVERALL,
    POSITION_ORDER,
    indicator_themes,
    label_order,
    named_positions,
    positions_sql,
)
from benchmarking.method.ranking import indicator_polarities, nullable_int, quartile, ranks_sql
from benchmarking.service.basket_sensitivity import add_rests_on, rests_table
from benchmarking.service.benchmark import positions_in_order, with_rows
from benchmarking.service.catalogue import Catalogue, offered_periods, period_shares
from benchmarking.store import Store
from benchmarking.store.contents import PUBLISHED_SQL, StoreQueries


def store_positions(
    store: Store | StoreQueries,
    catalogue: Catalogue,
    group: ComparatorGroup,
    scaled: bool = False,
    min_coverage: float = 0.5,
    basket: Basket = ALL,
    balance: str | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """Return (positions, periods): the group's position rows (members, then the authority beside
    it, in the engine's order) with ``in_group`` and the rests-on columns, and the reporting periods
    offered (``Catalogue.period_labels``), computed in the store.

    ``catalogue`` may be loaded without values (``load_catalogue(values=False)``): its tables
    resolve the indicators' polarity and themes. ``store`` may be an open ``Store.querying``
    connection (the CLI reads the catalogue on it too), else one is opened.
    """
    balance = require_balance(balance)
    with _querying(store) as queries:
        named, periods, ranks = _ranked_in_store(queries, catalogue, group, basket)
        # Every indicator weighs 1 in the whole basket: the millions of ranks skip the weights' join.
        weights = None if basket.is_all else "weights"
        rests = _rests_sql(f"({RESTS_ROWS_SQL})", weights, balance)
        # One statement: the ranks are taken once (a materialised CTE) and read by both the
        # positions and what each rests on, joined by period, theme and authority.
        members = queries.arrow(
            f"""WITH ranked AS MATERIALIZED ({ranks}), r AS ({_weighed_ranks_sql(weights)})
                SELECT p.*, coalesce(s.rests_on_indicators, 0) AS rests_on_indicators,
                       CASE WHEN s.rests_on_indicators IS NULL THEN -2 ELSE coalesce(s.largest_theme, -1) END
                         AS largest_theme, s.largest_theme_share
                FROM ({positions_sql(scaled, None, min_coverage, balance)}) p
                LEFT JOIN ({rests}) s USING (period, theme, authority_code)
                JOIN periods USING (period) JOIN authorities USING (authority_code)
                ORDER BY {POSITION_ORDER}"""
        )
        if group.beside is not None:
            placed = queries.arrow(f"SELECT * EXCLUDE (row, value) FROM ({OUTSIDE_RANKS_SQL}) ORDER BY row")
            queries.register({"outside_ranked": _ranked_rows(placed)})
            outside_rests = queries.arrow(_rests_sql("outside_ranked", weights, balance))
    # -1 (no largest theme) reads None, -2 (no ranked indicator) NaN, as ``add_rests_on`` leaves them.
    themes = np.asarray([*named["themes"], np.nan, None], dtype=object)
    positions = _named(members, named)
    result = mark_members(positions).assign(
        rests_on_indicators=sql.integers(members, "rests_on_indicators"),
        largest_theme=pd.Series(themes[sql.integers(members, "largest_theme")], dtype=object, index=positions.index),
        largest_theme_share=sql.numbers(members, "largest_theme_share"),
    )
    if group.beside is None:
        return result, periods
    outside = pd.DataFrame(
        {
            "indicator_id": named["indicators"][sql.integers(placed, "indicator_id")],
            "authority_code": named["authorities"][sql.integers(placed, "authority_code")],
            "period": named["periods"][sql.integers(placed, "period")],
            "rank": nullable_int(sql.numbers(placed, "rank")),
            "n_ranked": sql.integers(placed, "n_ranked"),
        }
    )
    extra = positions_beside(
        positions,
        outside,
        catalogue.indicators,
        scaled=scaled,
        min_coverage=min_coverage,
        basket=basket,
        balance=balance,
    )
    outside_rests = pa.table(
        {
            "period": named["periods"][sql.integers(outside_rests, "period")],
            "theme": themes[sql.integers(outside_rests, "theme")],
            "authority_code": named["authorities"][sql.integers(outside_rests, "authority_code")],
            "rests_on_indicators": outside_rests.column("rests_on_indicators"),
            "largest_theme": themes[outside_rests.column("largest_theme").fill_null(-1).to_numpy()],
            "largest_theme_share": outside_rests.column("largest_theme_share"),
        }
    )
    extra = add_rests_on(extra, rests_table(outside_rests))
    return positions_in_order(with_rows(result, extra)), periods


def store_ranks(
    store: Store | StoreQueries,
    catalogue: Catalogue,
    group: ComparatorGroup,
    basket: Basket = ALL,
    choose: Callable[[list[str]], list[str]] = list,
) -> pa.Table:
    """Return the group's indicator ranks (members, and the would-be ranks of the authority beside
    it) in the periods ``choose`` picks from those offered, computed in the store, as an Arrow
    table: ``RANK_COLUMNS``, ``in_group``, and ``source_period`` and ``years_older`` (the period the figures
    were published for, and how many reporting periods before the row's period: ``currency.vintage_table``, as the
    Indicator page's CSV says them), the labels as dictionary columns (each label held once), ordered by period,
    indicator, rank (unranked last), members first on a tie, authority code (the ranks export's order)."""
    with _querying(store) as queries:
        named, periods, ranks = _ranked_in_store(queries, catalogue, group, basket, keep_values=True)
        queries.register({"chosen_periods": sql.arrow_table({"code": np.asarray(choose(periods), dtype=object)})})
        outside = "" if group.beside is None else f"UNION ALL SELECT * EXCLUDE (row), FALSE FROM ({OUTSIDE_RANKS_SQL})"
        rows = queries.arrow(
            f"""WITH every_row AS (
                  SELECT indicator AS indicator_id, authority_code, period, value, rank, n_ranked, TRUE AS in_group
                  FROM ({ranks}) {outside})
                SELECT b.indicator_id, b.authority_code, b.period, b.value::DOUBLE AS value,
                       b.rank::BIGINT AS rank, b.n_ranked::BIGINT AS n_ranked, b.in_group,
                       t.source_period, t.years_older::BIGINT AS years_older
                FROM every_row b JOIN indicator_codes i ON i.indicator = b.indicator_id
                JOIN authorities a USING (authority_code) JOIN periods p USING (period)
                JOIN reporting_periods s ON s.label = p.code SEMI JOIN chosen_periods c ON c.code = p.code
                LEFT JOIN vintage t ON t.indicator_id = i.code AND t.period = p.code
                ORDER BY s.start_date, i.indicator_order, b.rank NULLS LAST, b.in_group DESC, a.authority_order"""
        )
    rank, n_ranked = sql.numbers(rows, "rank"), sql.integers(rows, "n_ranked")
    in_group = rows.column("in_group").to_numpy(zero_copy_only=False).astype(bool)
    # The authority beside the group takes a quartile among the n_ranked + 1 it would share.
    quartiles = pa.array(quartile(rank, n_ranked + ~in_group), from_pandas=True).cast(pa.int64())
    labelled = {name: _labelled(rows, name, named[kind]) for name, kind in LABELS.items()}
    return pa.table(
        labelled
        | {name: rows.column(name) for name in ("value", "rank", "n_ranked")}
        | {"quartile": quartiles, IN_GROUP: rows.column("in_group")}
        | {"source_period": rows.column("source_period").dictionary_encode(), "years_older": rows.column("years_older")}
    )


@contextlib.contextmanager
def _querying(store: Store | StoreQueries) -> Iterator[StoreQueries]:
    """Yield ``store`` when it is an open ``StoreQueries``, else one on a connection opened for the block."""
    if isinstance(store, StoreQueries):
        yield store
        return
    with store.querying() as queries:
        yield queries


LABELS = {"indicator_id": "indicators", "authority_code": "authorities", "period": "periods"}
"""The label columns of a ranks table and the labels (``_ranked_in_store``'s) their codes name."""


def _weighed_ranks_sql(weights: str | None) -> str:
    """Return the SQL of the members' ranks (``ranked``) with their basket weights (from the relation
    ``weights``; None: every indicator weighs 1): the relation ``r`` that ``positions_sql`` reads."""
    if weights is None:
        return "SELECT indicator, authority_code, period, rank, n_ranked, 1.0::DOUBLE AS weight FROM ranked"
    return f"""SELECT k.indicator, k.authority_code, k.period, k.rank, k.n_ranked, w.weight
        FROM ranked k JOIN {weights} w ON w.indicator_id = k.indicator"""


RESTS_ROWS_SQL = "SELECT indicator AS indicator_id, authority_code, period, rank IS NOT NULL AS ranked FROM ranked"
"""The members' ranks (``ranked``) as the rows ``theme_shares_sql`` reads."""

OUTSIDE_RANKS_SQL = f"""SELECT o.row, o.indicator_id, o.authority_code, o.period, o.value, b.rank, b.n_ranked
    FROM outside o JOIN ({ranks_beside_sql("member_values", "outside", "polarity")}) b USING (row)"""
"""The would-be ranks of the authority beside the group, by its value rows (``_ranked_in_store``'s relations)."""


def _ranked_in_store(
    queries: StoreQueries, catalogue: Catalogue, group: ComparatorGroup, basket: Basket, keep_values: bool = False
) -> tuple[dict[str, np.ndarray], list[str], str]:
    """Set up the method's relations on the store's connection; return (the labels of each code:
    indicators, authorities, periods, themes; the periods offered; the SQL of the members' ranks:
    indicator, authority_code, period, with the value when ``keep_values``, rank, n_ranked).

    Relations: ``reporting`` (the values each reporting period uses), ``member_values`` and
    ``outside`` (the members' and the beside authority's rows, labels as codes), and the small
    coded tables they join (``periods`` and ``authorities`` with their order).
    """
    indicators = catalogue.indicators
    polarity, midpoint = indicator_polarities(indicators)
    theme_names, theme_of, core_of = indicator_themes(indicators)
    # Labels become integer codes (rows of these small tables): the queries group, sort and
    # join millions of rows on numbers, and the few labels are named again at the end.
    ids = np.asarray(indicators["id"], dtype=object)
    codes = np.asarray(catalogue.authorities["code"], dtype=object)
    calendar = catalogue.calendar
    labels = np.asarray(calendar.periods["label"], dtype=object)
    weighted = not basket.is_all
    weight = basket.weights.reindex(ids).fillna(0.0).to_numpy(float) if weighted else np.ones(len(ids))
    published = catalogue.published
    if published is None:  # a catalogue with its values: the pairs are read from them
        published = queries.arrow(PUBLISHED_SQL).to_pandas()
    vintage, moves = currency.vintage_table(published, calendar)
    indicator = np.arange(len(ids))
    queries.register(
        {
            "vintage": sql.arrow_table({name: vintage[name] for name in vintage.columns}),
            "reporting_periods": sql.arrow_table({"label": labels, "start_date": calendar.periods["start_date"]}),
            "indicator_codes": sql.arrow_table(
                {"indicator": indicator, "code": ids, "indicator_order": label_order(ids)}
            ),
            "polarity": sql.arrow_table(
                {
                    "indicator": indicator,
                    "id": indicator,
                    "polarity": polarity.to_numpy(dtype=object),
                    "target_midpoint": midpoint.to_numpy(dtype=float),
                }
            ),
            "ranked_indicators": sql.arrow_table({"id": ids[(indicators["polarity"] != "none").to_numpy()]}),
            "indicators": sql.arrow_table({"indicator": indicator, "theme": theme_of + 2, "is_core": core_of}),
            "rest_indicators": sql.arrow_table({"id": indicator, "theme": theme_of + 2, "is_core": core_of}),
            "weights": sql.arrow_table({"indicator_id": indicator, "weight": weight}),
            "basket": sql.arrow_table({"indicator_id": np.asarray(basket.weights.index if weighted else [], object)}),
            "periods": sql.arrow_table(
                {"period": np.arange(len(labels)), "code": labels, "period_order": np.arange(len(labels))}
            ),
            "authorities": sql.arrow_table(
                {
                    "authority_code": np.arange(len(codes)),
                    "code": codes,
                    "authority_order": label_order(codes),
                    "member": np.isin(codes, np.asarray(group.members, dtype=object)),
                    "beside": codes == group.beside,
                }
            ),
        }
    )
    queries.view(
        "reporting", currency.reporting_values_sql("indicator_value", "vintage", "reporting_periods", moves, ["value"])
    )
    shares_rows = currency.shares_rows_sql("reporting", "vintage", moves)
    shares = period_shares(queries.arrow(currency.current_shares_sql(shares_rows, "ranked_indicators")))
    chosen = "SELECT * FROM reporting" + (" SEMI JOIN basket USING (indicator_id)" if weighted else "")
    coded = f"""SELECT i.indicator, i.indicator AS indicator_id, a.authority_code, p.period,
                       p.period * {len(ids)} + i.indicator AS indicator_period, c.value
                FROM ({chosen}) c JOIN indicator_codes i ON i.code = c.indicator_id
                JOIN authorities a ON a.code = c.authority_code JOIN periods p ON p.code = c.period"""
    queries.view("member_values", coded + " WHERE a.member")
    in_order = ", row_number() OVER (ORDER BY c.indicator_id, c.period_start) - 1 AS row"
    queries.view(
        "outside",
        coded.replace(", c.value", ", c.value" + in_order)
        + " JOIN polarity o ON o.indicator = i.indicator WHERE a.beside AND o.polarity <> 'none'",
    )
    columns = ["indicator", "authority_code", "period", *(["value"] if keep_values else [])]
    ranks = ranks_sql("member_values", "polarity", "indicator_period", columns)
    named = {"indicators": ids, "authorities": codes, "periods": labels, "themes": [OVERALL, LA_CORE, *theme_names]}
    return named, offered_periods(calendar, shares), ranks


def _named(result: pa.Table, named: dict[str, np.ndarray]) -> pd.DataFrame:
    """Return the rows of ``positions_sql`` over codes as the frame ``positions`` returns (labels named)."""
    return named_positions(result, named["periods"], named["themes"], named["authorities"])


def _labelled(rows: pa.Table, column: str, labels: np.ndarray) -> pa.DictionaryArray:
    """Return a column of codes as a dictionary column of their labels (each label held once)."""
    return pa.DictionaryArray.from_arrays(sql.integers(rows, column), pa.array(labels, pa.string()))


def _rests_sql(ranked: str, weights: str | None, balance: str) -> str:
    """Return what each position rests on (``baskets.rests_on_sql``) over the ``ranked`` rows and the
    ``rest_indicators`` relation, Overall and LA Core coded 0 and 1 as the positions' themes are."""
    return rests_on_sql(
        theme_shares_sql(ranked, "rest_indicators", weights, balance, overall="0", la_core="1"), balance
    )


def _ranked_rows(placed: pa.Table) -> pa.Table:
    """Return the rows ``theme_shares_sql`` reads (indicator_id, authority_code, period, ranked) of would-be ranks."""
    return pa.table(
        {
            "indicator_id": placed.column("indicator_id"),
            "authority_code": placed.column("authority_code"),
            "period": placed.column("period"),
            "ranked": placed.column("rank").is_valid(),
        }
    )
