"""Generate the illustrative demo dataset, deterministically for a given seed.

Real: the 32 authorities' names, ONS codes, kinds and regions (``data/demo_authorities.csv``)
and the indicator catalogue and Leicestershire's 2020/21 and 2021/22 dashboard values,
targets and commentary (``data/performance_dashboard_2021_22.csv``, from Leicestershire
County Council's Performance Compendium 2022, Cabinet 25 November 2022).

Invented: every other authority's values, every value before 2020/21, spend, funding and
deprivation. They come from a latent model, so that they correlate plausibly: each
authority has a performance quality that drifts over time, a deprivation level and a
funding level; spend rises with funding and deprivation; performance falls with
deprivation and rises a little with spend. Pages label all of it "illustrative demo data".

Run ``python -m benchmarking demo [--seed N] [--focus CODE]`` (``--db FILE`` before ``demo``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from benchmarking.access import require_writable
from benchmarking.datasets.demo_indicators import (
    FUNDING_ROW,
    SERVICE_SPEND,
    SPEND_ROWS,
    build_indicators,
    parse_printed_value,
)
from benchmarking.errors import BadArgumentError
from benchmarking.method.periods import financial_year_label, period_start
from benchmarking.store import PROJECT_ROOT, Store, schema

DATA_DIR = PROJECT_ROOT / "data"
DEFAULT_SEED = 2022
DEFAULT_FOCUS = "E10000018"  # Leicestershire
FIRST_YEAR, LAST_YEAR = 2012, 2021  # 2012/13 to 2021/22
MISSING_SHARE = 0.03
DEMO_LABEL = "illustrative demo data"


def generate(seed: int = DEFAULT_SEED, focus: str = DEFAULT_FOCUS) -> dict[str, pd.DataFrame]:
    """Return every demo table as DataFrames keyed by table name (nothing is written)."""
    rng = np.random.default_rng(seed)
    authorities = pd.read_csv(DATA_DIR / "demo_authorities.csv")
    theme_service = pd.read_csv(DATA_DIR / "theme_services.csv")
    dashboard = pd.read_csv(DATA_DIR / "performance_dashboard_2021_22.csv", keep_default_na=False, na_values=[""])
    if focus not in set(authorities["code"]):
        raise BadArgumentError(f"focus authority {focus!r} is not one of the demo authorities")
    indicators, printed = build_indicators(dashboard)
    core_themes = set(theme_service.loc[theme_service["is_core_theme"], "theme"])
    indicators["is_core"] = indicators["theme"].isin(core_themes)

    n_auth, n_ind = len(authorities), len(indicators)
    years = np.arange(FIRST_YEAR, LAST_YEAR + 1)
    n_years = len(years)
    focus_ix = int(np.flatnonzero(authorities["code"].to_numpy() == focus)[0])

    # Latent context: deprivation and funding per authority (standardised).
    deprivation = rng.normal(size=n_auth)
    funding = 0.5 * deprivation + rng.normal(scale=0.85, size=n_auth)
    funding[focus_ix] = funding.min() - 0.3  # the focus authority is the lowest funded
    deprivation[focus_ix] = np.sort(deprivation)[3]  # and among the least deprived
    # Performance quality: a random walk over years, pulled down by deprivation.
    steps = rng.normal(scale=0.25, size=(n_years, n_auth))
    quality = rng.normal(size=n_auth) - 0.45 * deprivation + 0.2 * funding + np.cumsum(steps, axis=0)
    quality[:, focus_ix] = np.linspace(-0.6, 2.6, n_years)  # rising, as the Compendium tells it
    themes = indicators["theme"].unique()
    theme_ix = pd.Categorical(indicators["theme"], categories=themes).codes
    theme_effect = rng.normal(scale=0.6, size=(len(themes), n_auth))

    loading = rng.uniform(0.3, 0.8, size=n_ind)
    z = (
        loading[None, :, None] * quality[:, None, :]
        + theme_effect[theme_ix][None, :, :]
        + rng.normal(scale=0.6, size=(n_years, n_ind, n_auth))
    )  # shape: year x indicator x authority, higher = better

    sign = np.where(indicators["polarity"].eq("low"), -1.0, 1.0)
    anchor = printed["value_2021_22"].to_numpy(dtype=float)
    unit = indicators["unit"].to_numpy()
    default_centre = np.where(unit == "%", 60.0, 50.0)
    anchor = np.where(np.isnan(anchor), default_centre, anchor)
    scale = np.maximum(np.abs(anchor) * 0.12, np.where(unit == "%", 1.5, 0.5))
    # Centre each indicator so that the focus authority's 2021/22 value equals the printed one.
    centre = anchor - sign * scale * z[-1, :, focus_ix]
    # Gentle secular trend per indicator, so that series are not flat.
    trend = rng.normal(scale=0.02, size=n_ind) * scale
    values = (
        centre[None, :, None]
        + sign[None, :, None] * scale[None, :, None] * z
        + trend[None, :, None] * (years - LAST_YEAR)[:, None, None]
    )
    percent = unit == "%"
    values[:, percent, :] = np.clip(values[:, percent, :], 0.0, 100.0)
    nonnegative = np.array([u in ("rate", "£", "score") for u in unit])
    values[:, nonnegative, :] = np.maximum(values[:, nonnegative, :], 0.0)
    # Leicestershire's printed values for the two published years.
    values[-1, :, focus_ix] = anchor
    previous = printed["value_2020_21"].to_numpy(dtype=float)
    values[-2, :, focus_ix] = np.where(np.isnan(previous), values[-2, :, focus_ix], previous)
    values = np.round(values, 2)
    values[rng.random(values.shape) < MISSING_SHARE] = np.nan

    labels = [financial_year_label(y) for y in years]
    grid = pd.MultiIndex.from_product(
        [labels, indicators["id"], authorities["code"]], names=["period", "indicator_id", "authority_code"]
    ).to_frame(index=False)
    grid["value"] = values.reshape(-1)
    grid["status"] = "final"
    indicator_value = grid[["indicator_id", "authority_code", "period", "value", "status"]]

    # Spend per head by service, rising ~2% a year, with funding and deprivation.
    services = list(SERVICE_SPEND)
    base = np.array([SERVICE_SPEND[s] for s in services])
    level = np.exp(
        0.15 * (funding - funding.min())[None, :, None]
        + 0.05 * deprivation[None, :, None]
        + rng.normal(scale=0.08, size=(n_years, n_auth, len(services)))
    )
    growth = 1.02 ** (years - LAST_YEAR)
    service_spend = base[None, None, :] * level * growth[:, None, None]
    # Net expenditure per head excludes schools, as the Compendium's £515 does.
    total = service_spend[:, :, [s != "education" for s in services]].sum(axis=2) * 0.85
    spend_frames = []
    for k, service in enumerate(services + ["total"]):
        block = total if service == "total" else service_spend[:, :, k]
        frame = pd.MultiIndex.from_product([labels, authorities["code"]], names=["period", "authority_code"]).to_frame(
            index=False
        )
        frame["service"] = service
        frame["net_expenditure_per_head"] = np.round(block.reshape(-1), 2)
        spend_frames.append(frame)
    spend = pd.concat(spend_frames, ignore_index=True)
    # The focus authority's printed spend for the two published years.
    for prefix, service in SPEND_ROWS.items():
        row = dashboard[dashboard["description"].str.startswith(prefix)].iloc[0]
        for label, column in ((labels[-1], "value_2021_22"), (labels[-2], "value_2020_21")):
            mask = (spend["authority_code"] == focus) & (spend["period"] == label) & (spend["service"] == service)
            spend.loc[mask, "net_expenditure_per_head"] = parse_printed_value(row[column])

    # Core spending power per head: the focus authority (lowest latent funding) stays lowest.
    csp = (800.0 + 90.0 * (funding[None, :] - funding.min()) + rng.normal(scale=5.0, size=(n_years, n_auth))) * (
        1.025 ** (years - LAST_YEAR)
    )[:, None]
    funding_frame = pd.MultiIndex.from_product(
        [labels, authorities["code"]], names=["period", "authority_code"]
    ).to_frame(index=False)
    funding_frame["core_spending_power_per_head"] = np.round(csp.reshape(-1), 2)
    row = dashboard[dashboard["description"].str.startswith(FUNDING_ROW)].iloc[0]
    for label, column in ((labels[-1], "value_2021_22"), (labels[-2], "value_2020_21")):
        mask = (funding_frame["authority_code"] == focus) & (funding_frame["period"] == label)
        funding_frame.loc[mask, "core_spending_power_per_head"] = parse_printed_value(row[column])

    # IMD 2019: rank of average rank among 151 upper-tier areas, 1 = most deprived.
    imd_rank = np.sort(rng.choice(np.arange(30, 152), size=n_auth, replace=False))[::-1]
    order = np.argsort(deprivation)  # least deprived first -> highest rank number
    deprivation_frame = pd.DataFrame(
        {
            "authority_code": authorities["code"].to_numpy()[order],
            "edition": "IMD 2019",
            "rank_of_average_rank": imd_rank.astype(float),
            "average_score": np.round(10 + 3.5 * np.sort(deprivation) + 1.5, 2),
        }
    )
    deprivation_frame.loc[deprivation_frame["authority_code"] == focus, "rank_of_average_rank"] = 137.0

    dashboard_extra = printed.loc[
        printed["indicator_id"].str.startswith("LCC"), ["indicator_id", "target", "commentary", "strategic_plan"]
    ].copy()
    dashboard_extra.insert(1, "period", labels[-1])

    # The Compendium's own comparator notes, as notes on each indicator for 2021/22.
    comparator_notes = dashboard.loc[
        ~dashboard["description"].str.startswith(tuple(SPEND_ROWS) + (FUNDING_ROW,)), "comparator_note"
    ].reset_index(drop=True)
    note = pd.DataFrame(
        {
            "indicator_id": indicators["id"].iloc[: len(comparator_notes)].to_numpy(),
            "authority_code": "*",
            "period": labels[-1],
            "note": comparator_notes.to_numpy(),
            "added_by": "Performance Compendium 2022",
        }
    ).dropna(subset=["note"])
    period = pd.DataFrame({"label": labels, "start_date": [period_start(p) for p in labels]})
    groups = _demo_groups(authorities)
    return {
        "authority": authorities,
        "indicator": indicators[list(schema.COLUMNS["indicator"])],
        "period": period,
        "indicator_value": indicator_value,
        "spend": spend,
        "funding": funding_frame,
        "deprivation": deprivation_frame,
        "dashboard_extra": dashboard_extra,
        "theme_service": theme_service,
        "comparator_group": groups,
        "note": note,
        "basket": _demo_basket(indicators),
    }


def _demo_groups(authorities: pd.DataFrame) -> pd.DataFrame:
    """Return one saved custom list: the East Midlands and its neighbouring regions' counties."""
    members = authorities.loc[authorities["region"].isin(["East Midlands", "West Midlands", "East of England"]), "code"]
    return pd.DataFrame(
        {
            "group_id": "midlands-and-east",
            "name": "Midlands and East counties (saved list)",
            "authority_code": "*",
            "member_code": members.to_numpy(),
        }
    )


DEMO_BASKET = "la-core-services"


def _demo_basket(indicators: pd.DataFrame) -> pd.DataFrame:
    """Return one saved basket: "LA Core services", the indicators of the core themes, weight 1 each."""
    core = indicators.loc[indicators["is_core"], "id"]
    return pd.DataFrame(
        {
            "basket_id": DEMO_BASKET,
            "name": "LA Core services",
            "indicator_id": core.to_numpy(),
            "weight": 1.0,
            "note": None,
            "version": "demo",
        }
    )


def build_demo_store(path: Path | str | None = None, seed: int = DEFAULT_SEED, focus: str = DEFAULT_FOCUS) -> Store:
    """Generate the demo dataset and write it into a new store at ``path``; return the store."""
    store = Store(path)
    require_writable(store.path)  # refused before the old file is removed, not after
    if store.path.exists():
        store.path.unlink()
    wal = store.path.with_suffix(store.path.suffix + ".wal")
    if wal.exists():
        wal.unlink()
    tables = generate(seed=seed, focus=focus)
    store.write(
        tables,
        dataset={
            "name": f"Demo county comparators ({DEMO_LABEL}, seed {seed})",
            "source": "generated by benchmarking.demo; indicator names and Leicestershire's "
            "2020/21-2021/22 values from the Performance Compendium 2022",
            "kind": "demo",
        },
        settings={"focus_authority": focus, "dataset_label": DEMO_LABEL, "demo_seed": str(seed)},
    )
    return store
