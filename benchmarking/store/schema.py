"""The store's tables: DDL, key columns and the columns an import must supply.

Periods are kept exactly as published (``2020/21``, ``2021``, ``Mar 2022``) in every
table; the ``period`` table maps each label to a sortable start date.
"""

from __future__ import annotations

from benchmarking.domain import (  # noqa: F401 (re-exported for the store's readers)
    AUTHORITY_KINDS,
    COMPARATOR_KINDS,
    DATASET_KINDS,
    POLARITIES,
    SERVICES,
    VALUE_STATUSES,
)

DDL = """
CREATE TABLE IF NOT EXISTS authority (
    code        VARCHAR PRIMARY KEY,
    name        VARCHAR NOT NULL,
    kind        VARCHAR NOT NULL,
    region      VARCHAR,
    population  BIGINT
);
CREATE TABLE IF NOT EXISTS indicator (
    id              VARCHAR PRIMARY KEY,
    name            VARCHAR NOT NULL,
    theme           VARCHAR NOT NULL,
    outcome         VARCHAR,
    polarity        VARCHAR NOT NULL,
    target_midpoint DOUBLE,
    unit            VARCHAR,
    source          VARCHAR,
    is_core         BOOLEAN NOT NULL DEFAULT FALSE,
    description     VARCHAR
);
CREATE TABLE IF NOT EXISTS period (
    label       VARCHAR PRIMARY KEY,
    start_date  DATE NOT NULL
);
CREATE TABLE IF NOT EXISTS indicator_value (
    indicator_id    VARCHAR NOT NULL,
    authority_code  VARCHAR NOT NULL,
    period          VARCHAR NOT NULL,
    value           DOUBLE,
    status          VARCHAR NOT NULL DEFAULT 'final'
    -- Key (indicator_id, authority_code, period) is kept by the store's only write path
    -- (Store.write replaces by key; imports refuse duplicate keys). It is not declared:
    -- DuckDB's key index makes bulk loads of millions of values about ten times slower.
);
CREATE TABLE IF NOT EXISTS spend (
    authority_code              VARCHAR NOT NULL,
    period                      VARCHAR NOT NULL,
    service                     VARCHAR NOT NULL,
    net_expenditure_per_head    DOUBLE,
    PRIMARY KEY (authority_code, period, service)
);
CREATE TABLE IF NOT EXISTS funding (
    authority_code                  VARCHAR NOT NULL,
    period                          VARCHAR NOT NULL,
    core_spending_power_per_head    DOUBLE,
    PRIMARY KEY (authority_code, period)
);
CREATE TABLE IF NOT EXISTS deprivation (
    authority_code          VARCHAR NOT NULL,
    edition                 VARCHAR NOT NULL,
    rank_of_average_rank    DOUBLE,
    average_score           DOUBLE,
    PRIMARY KEY (authority_code, edition)
);
CREATE TABLE IF NOT EXISTS dashboard_extra (
    indicator_id    VARCHAR NOT NULL,
    period          VARCHAR NOT NULL,
    target          VARCHAR,
    commentary      VARCHAR,
    strategic_plan  BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (indicator_id, period)
);
CREATE TABLE IF NOT EXISTS theme_service (
    theme           VARCHAR PRIMARY KEY,
    service         VARCHAR NOT NULL,
    is_core_theme   BOOLEAN NOT NULL DEFAULT TRUE
);
CREATE TABLE IF NOT EXISTS comparator_group (
    group_id        VARCHAR NOT NULL,
    name            VARCHAR NOT NULL,
    authority_code  VARCHAR NOT NULL,
    member_code     VARCHAR NOT NULL,
    PRIMARY KEY (group_id, authority_code, member_code)
);
CREATE TABLE IF NOT EXISTS basket (
    basket_id       VARCHAR NOT NULL,
    name            VARCHAR NOT NULL,
    indicator_id    VARCHAR NOT NULL,
    weight          DOUBLE NOT NULL DEFAULT 1,
    note            VARCHAR,
    version         VARCHAR,
    PRIMARY KEY (basket_id, indicator_id)
);
CREATE TABLE IF NOT EXISTS note (
    indicator_id    VARCHAR NOT NULL,   -- '*' = any indicator (a note on an authority)
    authority_code  VARCHAR NOT NULL,   -- '*' = any authority (a note on an indicator)
    period          VARCHAR NOT NULL,   -- '*' = every period
    note            VARCHAR NOT NULL,
    added_by        VARCHAR,
    PRIMARY KEY (indicator_id, authority_code, period, note)
);
CREATE TABLE IF NOT EXISTS setting (
    key     VARCHAR PRIMARY KEY,
    value   VARCHAR
);
CREATE SEQUENCE IF NOT EXISTS dataset_id_seq;
CREATE TABLE IF NOT EXISTS dataset (
    id              INTEGER PRIMARY KEY DEFAULT nextval('dataset_id_seq'),
    name            VARCHAR NOT NULL,
    source          VARCHAR,
    kind            VARCHAR NOT NULL,
    loaded_at       TIMESTAMP NOT NULL DEFAULT current_timestamp,
    loaded_by       VARCHAR,
    table_name      VARCHAR,
    file_name       VARCHAR,
    file_sha256     VARCHAR,
    rows_added      BIGINT DEFAULT 0,
    rows_replaced   BIGINT DEFAULT 0
);
"""

KEYS: dict[str, tuple[str, ...]] = {
    "authority": ("code",),
    "indicator": ("id",),
    "period": ("label",),
    "indicator_value": ("indicator_id", "authority_code", "period"),
    "spend": ("authority_code", "period", "service"),
    "funding": ("authority_code", "period"),
    "deprivation": ("authority_code", "edition"),
    "dashboard_extra": ("indicator_id", "period"),
    "theme_service": ("theme",),
    "comparator_group": ("group_id", "authority_code", "member_code"),
    "basket": ("basket_id", "indicator_id"),
    "note": ("indicator_id", "authority_code", "period", "note"),
}
"""Key of every table that an import can write (declared in the DDL except for
``indicator_value``, whose key the write path keeps; see :data:`UNDECLARED_KEYS`)."""

UNDECLARED_KEYS = ("indicator_value",)

COLUMNS: dict[str, dict[str, str]] = {
    "authority": {
        "code": "text",
        "name": "text",
        "kind": "text",
        "region": "text?",
        "population": "int?",
    },
    "indicator": {
        "id": "text",
        "name": "text",
        "theme": "text",
        "outcome": "text?",
        "polarity": "text",
        "target_midpoint": "float?",
        "unit": "text?",
        "source": "text?",
        "is_core": "bool?",
        "description": "text?",
    },
    "indicator_value": {
        "indicator_id": "text",
        "authority_code": "text",
        "period": "period",
        "value": "float?",
        "status": "text?",
    },
    "spend": {
        "authority_code": "text",
        "period": "period",
        "service": "text",
        "net_expenditure_per_head": "float?",
    },
    "funding": {
        "authority_code": "text",
        "period": "period",
        "core_spending_power_per_head": "float?",
    },
    "deprivation": {
        "authority_code": "text",
        "edition": "text",
        "rank_of_average_rank": "float?",
        "average_score": "float?",
    },
    "dashboard_extra": {
        "indicator_id": "text",
        "period": "period",
        "target": "text?",
        "commentary": "text?",
        "strategic_plan": "bool?",
    },
    "theme_service": {"theme": "text", "service": "text", "is_core_theme": "bool?"},
    "comparator_group": {
        "group_id": "text",
        "name": "text",
        "authority_code": "text",
        "member_code": "text",
    },
    "basket": {
        "basket_id": "text",
        "name": "text",
        "indicator_id": "text",
        "weight": "float?",
        "note": "text?",
        "version": "text?",
    },
    "note": {"indicator_id": "text", "authority_code": "text", "period": "text", "note": "text", "added_by": "text?"},
}
"""Importable columns per table and their type; a trailing ``?`` means optional."""

VALUE_COLUMNS: dict[str, tuple[str, ...]] = {
    "indicator_value": ("value",),
    "spend": ("net_expenditure_per_head",),
    "funding": ("core_spending_power_per_head",),
    "deprivation": ("rank_of_average_rank", "average_score"),
}
"""The figures of each value table: a file for the table must hold at least one of them."""

DATA_TABLES = tuple(COLUMNS) + ("period", "dataset", "setting")
