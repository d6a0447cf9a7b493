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

Run ``python -m benchmarking.demo [--seed N] [--db FILE] [--focus CODE]``.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarking.errors import BadArgumentError
from benchmarking.method.periods import financial_year_label, period_start
from benchmarking.store import PROJECT_ROOT, Store, default_db_path

DATA_DIR = PROJECT_ROOT / "data"
DEFAULT_SEED = 2022
DEFAULT_FOCUS = "E10000018"  # Leicestershire
FIRST_YEAR, LAST_YEAR = 2012, 2021  # 2012/13 to 2021/22
MISSING_SHARE = 0.03
DEMO_LABEL = "illustrative demo data"

# Leicestershire's dashboards (as printed) mapped to the Compendium's benchmarking themes.
DASHBOARD_THEMES = {
    "Strong Economy - Growth & Investment": "Economy",
    "Strong Economy - Employment & Skills": "Economy",
    "Strong Economy - Housing": "Housing",
    "Improved Opportunities - Best Start in Life": "Health - Child",
    "Improved Opportunities: School & Academy Performance": "Education",
    "Strong Economy - Transport": "Transport & Highways",
    "Safe & Well - Hospital Discharge & Reablement": "Adult Social Care",
    "Safe & Well - Health & Care": "Adult Social Care",
    "Safe & Well - Public Health": "Health - Adult",
    "Safe & Well - Mental Health": "Health - Adult",
    "Improved Opportunities - Safeguarding Children & Families": "Children's Social Care",
    "Safe - Safer Communities": "Community Safety",
    "Safe - Police & Crime": "Community Safety",
    "Clean & Green - Environment & Waste": "Environment & Waste",
    "Great Communities": "Culture & Communities",
    "Enabling Services": "Corporate",
    "Fair Funding": "Corporate",
}
DASHBOARD_OUTCOMES = {
    "Strong Economy": "Strong Economy, Transport and Infrastructure",
    "Improved Opportunities": "Improved Opportunities",
    "Safe & Well": "Safe and Well",
    "Safe": "Safe and Well",
    "Clean & Green": "Clean and Green",
    "Great Communities": "Great Communities",
    "Enabling Services": "Enabling Services",
    "Fair Funding": "Enabling Services",
}
# Fair Funding rows that are spend or funding, not performance: description prefix -> service.
SPEND_ROWS = {
    "Net expenditure per head": "total",
    "Education - expenditure": "education",
    "Adult Social Care - expenditure": "adult social care",
    "Children's Social Care - expenditure": "children's social care",
    "Public Health - expenditure": "public health",
    "Highways & Transport - expenditure": "highways & transport",
    "Environment & Regulatory - expenditure": "environment & regulatory",
    "Culture - expenditure": "culture & leisure",
}
FUNDING_ROW = "Core Spending Power per head"
# Typical net spend per head by service in 2021/22 (£), the centre of the invented spread.
SERVICE_SPEND = {
    "adult social care": 330.0,
    "children's social care": 160.0,
    "education": 420.0,
    "public health": 55.0,
    "highways & transport": 65.0,
    "environment & regulatory": 55.0,
    "culture & leisure": 16.0,
}
# Invented indicators that round the basket out to about 240 (names are generic measures).
EXTRA_INDICATORS = [
    ("Economy", "Gross value added per head", "£", "high", 27000.0),
    ("Economy", "% of working-age population with NVQ4+", "%", "high", 40.0),
    ("Transport & Highways", "% of principal roads where maintenance should be considered", "%", "low", 3.0),
    ("Transport & Highways", "% of non-principal roads where maintenance should be considered", "%", "low", 6.0),
    (
        "Adult Social Care",
        "% of adult social care users who have as much social contact as they would like",
        "%",
        "high",
        45.0,
    ),
    ("Adult Social Care", "Carer-reported quality of life score", "score", "high", 7.5),
    ("Children's Social Care", "% of children in need with a repeat referral within 12 months", "%", "low", 22.0),
    ("Education", "% of pupils attending a good or outstanding secondary school", "%", "high", 78.0),
    ("Education", "% of 16-17 year olds not in education, employment or training", "%", "low", 5.0),
    ("Housing", "Net additional dwellings per 1,000 dwellings", "rate", "high", 9.0),
]

_NUMBER = re.compile(r"-?£?\s*-?[0-9][0-9,]*\.?[0-9]*")


def parse_printed_value(text: object) -> float | None:
    """Return the number in a printed dashboard cell (``£10.2m``, ``62.5%``, ``95 (2021)``), or None."""
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return None
    s = str(text).strip()
    m = _NUMBER.search(s)
    if not m:
        return None
    raw = m.group(0)
    negative = raw.startswith("-") or s.startswith("-")
    number = float(raw.replace("£", "").replace(",", "").replace("-", "").strip())
    rest = s[m.end() : m.end() + 2].lower()
    if rest.startswith("bn"):
        number *= 1000.0  # keep £m as the unit for money totals
    elif rest.startswith("k"):
        number *= 1000.0
    return -number if negative else number


def _unit(description: str, printed: object) -> str:
    s = f"{printed}"
    if "%" in s or description.strip().startswith("%"):
        return "%"
    if "£" in s:
        return "£m" if re.search(r"£[0-9.]+\s*(m|bn)", s) else "£"
    if "per 1" in description.lower() or "rate" in description.lower():
        return "rate"
    return "number"


def build_indicators(dashboard: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (indicator catalogue, Leicestershire's printed values) from the dashboard rows."""
    rows = dashboard[~dashboard["description"].str.startswith(tuple(SPEND_ROWS) + (FUNDING_ROW,))]
    rows = rows.reset_index(drop=True)
    polarity = rows["polarity"].fillna("N/A").str.lower().map({"high": "high", "low": "low"}).fillna("none")
    prefix = rows["dashboard"].str.split(r" - |: ", regex=True).str[0]
    catalogue = pd.DataFrame(
        {
            "id": [f"LCC{n:03d}" for n in range(1, len(rows) + 1)],
            "name": rows["description"].str.strip(),
            "theme": rows["dashboard"].map(DASHBOARD_THEMES),
            "outcome": prefix.map(DASHBOARD_OUTCOMES),
            "polarity": polarity,
            "target_midpoint": np.nan,
            "unit": [_unit(d, v) for d, v in zip(rows["description"], rows["value_2021_22"])],
            "source": "Leicestershire County Council Performance Compendium 2022 (indicator definition); "
            "values for other authorities invented",
            "description": rows["section"].fillna("").radd(rows["dashboard"] + " / ").str.rstrip(" /"),
        }
    )
    printed = pd.DataFrame(
        {
            "indicator_id": catalogue["id"],
            "value_2021_22": rows["value_2021_22"].map(parse_printed_value),
            "value_2020_21": rows["value_2020_21"].map(parse_printed_value),
            "target": rows["target"],
            "commentary": rows["commentary"],
            "strategic_plan": rows["strategic_plan"].astype(str).str.lower().eq("true"),
        }
    )
    extra = pd.DataFrame(EXTRA_INDICATORS, columns=["theme", "name", "unit", "polarity", "centre"])
    extra_catalogue = pd.DataFrame(
        {
            "id": [f"DEMO{n:03d}" for n in range(1, len(extra) + 1)],
            "name": extra["name"],
            "theme": extra["theme"],
            "outcome": None,
            "polarity": extra["polarity"],
            "target_midpoint": np.nan,
            "unit": extra["unit"],
            "source": "invented for the demo dataset",
            "description": "Invented demo indicator",
        }
    )
    extra_printed = pd.DataFrame(
        {
            "indicator_id": extra_catalogue["id"],
            "value_2021_22": extra["centre"],
            "value_2020_21": np.nan,
            "target": None,
            "commentary": None,
            "strategic_plan": False,
        }
    )
    return (
        pd.concat([catalogue, extra_catalogue], ignore_index=True),
        pd.concat([printed, extra_printed], ignore_index=True),
    )


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
        "indicator": indicators[
            [
                "id",
                "name",
                "theme",
                "outcome",
                "polarity",
                "target_midpoint",
                "unit",
                "source",
                "is_core",
                "description",
            ]
        ],
        "period": period,
        "indicator_value": indicator_value,
        "spend": spend,
        "funding": funding_frame,
        "deprivation": deprivation_frame,
        "dashboard_extra": dashboard_extra,
        "theme_service": theme_service,
        "comparator_group": groups,
        "note": note,
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


def build_demo_store(path: Path | str | None = None, seed: int = DEFAULT_SEED, focus: str = DEFAULT_FOCUS) -> Store:
    """Generate the demo dataset and write it into a new store at ``path``; return the store."""
    store = Store(path)
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


def main(argv: list[str] | None = None) -> int:
    """Command line: build the demo store."""
    parser = argparse.ArgumentParser(prog="python -m benchmarking.demo", description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--db", type=Path, default=None, help="store file (default: $BENCHMARKING_DB or data/benchmarking.duckdb)"
    )
    parser.add_argument("--focus", default=DEFAULT_FOCUS, help="ONS code of the focus authority")
    args = parser.parse_args(argv)
    store = build_demo_store(args.db or default_db_path(), seed=args.seed, focus=args.focus)
    summary = store.summary()
    print(
        f"Built {DEMO_LABEL} at {store.path}: {summary.authorities} authorities, "
        f"{summary.indicators} indicators, {summary.values:,} values, "
        f"periods {summary.periods[0]} to {summary.periods[-1]}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
