"""The demo dataset: deterministic for a seed, complete, and plausibly correlated."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from benchmarking.datasets.demo import build_demo_store, generate, parse_printed_value

DATA_TABLES = [
    "authority",
    "indicator",
    "period",
    "indicator_value",
    "spend",
    "funding",
    "deprivation",
    "dashboard_extra",
    "theme_service",
    "comparator_group",
    "note",
]


def _data_checksums(store):
    sums = store.checksums()
    return {t: sums[t] for t in DATA_TABLES}


def test_same_seed_gives_identical_tables(demo_store, tmp_path):
    """Rebuilding with the default seed reproduces every data table's checksum."""
    again = build_demo_store(tmp_path / "again.duckdb")
    assert _data_checksums(again) == _data_checksums(demo_store)


def test_another_seed_differs(demo_store, tmp_path):
    """A different seed changes the invented values but not the real facts."""
    other = build_demo_store(tmp_path / "other.duckdb", seed=7)
    a, b = _data_checksums(demo_store), _data_checksums(other)
    assert a["indicator_value"] != b["indicator_value"]
    assert a["spend"] != b["spend"]
    assert a["authority"] == b["authority"]
    assert a["indicator"] == b["indicator"]


def test_demo_has_32_real_comparators(demo_store):
    """32 county councils and county unitaries with ONS codes; Leicestershire is the focus."""
    authorities = demo_store.authorities()
    assert len(authorities) == 32
    assert set(authorities["kind"]) == {"county council", "county unitary"}
    assert authorities["code"].str.fullmatch(r"E(10|06)\d{6}").all()
    counties = authorities[authorities["kind"] == "county council"]
    assert counties["code"].str.startswith("E10").all()
    assert authorities.set_index("code").loc["E10000018", "name"] == "Leicestershire"
    assert demo_store.settings()["focus_authority"] == "E10000018"


def test_demo_indicators_cover_the_compendium_themes(demo_store):
    """About 240 indicators over the Compendium's themes, some core, with valid polarity."""
    indicators = demo_store.indicators()
    assert 230 <= len(indicators) <= 260
    for theme in [
        "Economy",
        "Transport & Highways",
        "Adult Social Care",
        "Health - Child",
        "Health - Adult",
        "Children's Social Care",
        "Environment & Waste",
    ]:
        assert (indicators["theme"] == theme).sum() >= 5, theme
    assert indicators["is_core"].any() and not indicators["is_core"].all()
    assert set(indicators["polarity"]) <= {"high", "low", "target", "none"}


def test_demo_values_span_ten_periods_with_some_missing(demo_store):
    """10 periods 2012/13 to 2021/22, about 3% missing."""
    periods = demo_store.periods()["label"].tolist()
    assert periods[0] == "2012/13" and periods[-1] == "2021/22" and len(periods) == 10
    summary = demo_store.summary()
    missing = summary.missing_values / (summary.values + summary.missing_values)
    assert 0.02 < missing < 0.04


def test_focus_authority_keeps_its_published_values(demo_store):
    """Leicestershire's 2021/22 values are the ones printed in the Compendium's dashboards."""
    dashboard = pd.read_csv("data/performance_dashboard_2021_22.csv")
    values = demo_store.values(["2021/22", "2020/21"])
    focus = values[values["authority_code"] == "E10000018"].set_index(["indicator_id", "period"])["value"]
    row = dashboard[dashboard["description"].str.strip() == "Unemployment rate"].iloc[0]
    unemployment = demo_store.indicators().query("name == 'Unemployment rate'")["id"].iloc[0]
    printed = parse_printed_value(row["value_2021_22"])
    if not np.isnan(focus.loc[(unemployment, "2021/22")]):
        assert focus.loc[(unemployment, "2021/22")] == pytest.approx(printed)
    spend = demo_store.spend().query("authority_code == 'E10000018' and period == '2021/22' and service == 'total'")
    assert spend["net_expenditure_per_head"].iloc[0] == 515.0
    funding = demo_store.funding().query("period == '2021/22'").sort_values("core_spending_power_per_head")
    assert funding["authority_code"].iloc[0] == "E10000018"  # lowest funded, as in the Compendium


def test_spend_rises_with_funding(demo_store):
    """The latent model makes total spend and core spending power per head correlate positively."""
    spend = demo_store.spend().query("period == '2021/22' and service == 'total'").set_index("authority_code")
    funding = demo_store.funding().query("period == '2021/22'").set_index("authority_code")
    joined = spend[["net_expenditure_per_head"]].join(funding[["core_spending_power_per_head"]])
    rho, _ = stats.spearmanr(joined["net_expenditure_per_head"], joined["core_spending_power_per_head"])
    assert rho > 0.3


@pytest.mark.parametrize(
    "printed, number",
    [
        ("£789", 789.0),
        ("62.5%", 62.5),
        ("£10.2m", 10.2),
        ("-£2.3m", -2.3),
        ("95 (2021)", 95.0),
        ("1,234", 1234.0),
        ("12k", 12000.0),
        ("N/A", None),
        ("-", None),
        (None, None),
    ],
)
def test_parse_printed_value(printed, number):
    assert parse_printed_value(printed) == number


def test_generate_refuses_an_unknown_focus():
    with pytest.raises(ValueError, match="not one of the demo authorities"):
        generate(focus="E99999999")
