"""The Compendium map (data/compendium_map.csv): one row per dashboard row, ids of known forms
that exist in the raw files, coverage counts, the value parser, agreement verdicts, escaping."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from benchmarking.briefing.compendium import coverage_markdown
from benchmarking.cli.main import main
from benchmarking.errors import CompendiumMapError
from benchmarking.paths import DATA_DIR, PROJECT_ROOT
from benchmarking.service import compendium as comp
from benchmarking.service.catalogue import Catalogue

MAP = DATA_DIR / "compendium_map.csv"
DASHBOARD = DATA_DIR / "performance_dashboard_2021_22.csv"

# The id forms, written out here independently of the module's ID_FORMS.
FORMS = {
    "DfE LAIT": r"[^:]+",
    "Oflog adult social care": r"ASC\d+",
    "DEFRA waste": r"NI19[123]|BVPI84a",
    "ONS Explore Local Statistics": r"els:[a-z0-9]+(-[a-z0-9]+)*",
    "Fingertips (PHOF)": r"phof:\d+(-male|-female)?",
    "DfT road condition": r"dft:rdc0120-a-roads|dft:rdc0120-bc-roads",
    "MHCLG Live Table 122": r"mhclg:lt122-net-additional-dwellings(-per-1000)?",
    "Core spending power": r"funding:core_spending_power_per_head",
    "MHCLG revenue outturn (RSX)": r"spend:(total|adult social care|children's social care|education|public health"
    r"|highways & transport|environment & regulatory|culture & leisure)",
}


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def map_rows():
    return _rows(MAP)


def _by_source(map_rows, source):
    return {r["indicator_id"] for r in map_rows if r["public_source"] == source}


def test_every_dashboard_row_has_exactly_one_map_row_with_its_description(map_rows):
    dashboard = _rows(DASHBOARD)
    assert len(dashboard) == 243
    numbers = Counter(int(r["row"]) for r in map_rows)
    assert sorted(numbers) == list(range(1, len(dashboard) + 1))
    assert set(numbers.values()) == {1}
    for r in map_rows:
        source = dashboard[int(r["row"]) - 1]
        assert (r["dashboard"], r["description"]) == (source["dashboard"], source["description"]), r["row"]
    assert len(comp.compendium()) == len(dashboard)  # the module's own check agrees


def test_ids_have_known_forms_and_none_rows_name_no_indicator(map_rows):
    for r in map_rows:
        assert r["match"] in {"same", "close", "none"}, r["row"]
        assert r["compendium_source"].strip(), f"row {r['row']} names no Compendium source"
        if r["match"] == "none":
            assert r["indicator_id"] == "" and r["public_source"] == "", r["row"]
        else:
            assert re.fullmatch(FORMS[r["public_source"]], r["indicator_id"]), r["row"]
            assert r["indicator_id"] == r["indicator_id"].strip()
        if r["match"] == "close":
            assert r["note"].strip(), f"row {r['row']}: a close match must say the difference"


def test_map_reader_refuses_bad_rows(tmp_path):
    bad = tmp_path / "map.csv"
    frame = pd.read_csv(MAP, dtype=str, keep_default_na=False)
    frame.loc[0, "match"] = "similar"
    frame.loc[1, "indicator_id"] = "els:Not A Slug"
    frame.loc[1, "public_source"] = "ONS Explore Local Statistics"
    frame.to_csv(bad, index=False)
    with pytest.raises(CompendiumMapError) as error:
        comp.read_map(bad)
    assert "row 1: match 'similar'" in str(error.value) and "row 2: indicator id 'els:Not A Slug'" in str(error.value)
    frame = pd.read_csv(MAP, dtype=str, keep_default_na=False)
    frame.loc[4, "description"] = "Something else"
    frame.to_csv(bad, index=False)
    with pytest.raises(CompendiumMapError, match="row 5: description differs"):
        comp.compendium(bad)


@pytest.mark.shared_data
def test_every_id_exists_in_the_raw_files(map_rows, shared_data):
    dictionary = pd.read_csv(
        shared_data / "dfe_lait" / "lait_data_dictionary.csv", dtype=str, encoding_errors="replace"
    )
    assert _by_source(map_rows, "DfE LAIT") <= set(dictionary["Measure_short"])
    oflog = pd.read_csv(shared_data / "oflog" / "ASC_data.csv", usecols=["Code"], dtype=str)
    assert _by_source(map_rows, "Oflog adult social care") <= set(oflog["Code"])
    from benchmarking.adapters.defra import DATA_FILE, MEASURES

    header = next(csv.reader((shared_data / "defra_waste" / DATA_FILE).open(encoding="utf-8-sig")))
    defra = _by_source(map_rows, "DEFRA waste")
    assert defra <= set(MEASURES) and {MEASURES[i][0] for i in defra} <= {h.strip() for h in header}
    catalogue = pd.read_csv(PROJECT_ROOT / "data" / "ons_els_indicators.csv", dtype=str, keep_default_na=False)
    raw = set()
    for path in (shared_data / "ons_els").glob("*.csv"):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        column = next(c for c in ("indicator", "Variable Name", "Indicator") if c in frame.columns)
        raw |= {(path.name, name) for name in frame[column]}
    assert set(zip(catalogue["file"], catalogue["indicator"])) == raw
    assert _by_source(map_rows, "ONS Explore Local Statistics") <= set(catalogue["id"])
    scripts = " ".join(p.read_text(encoding="utf-8") for p in (shared_data / "fingertips").glob("*.R"))
    numbers = {int(n) for n in re.findall(r"IndicatorID\s*=\s*(\d+)", scripts)}
    assert {int(i.split(":")[1].split("-")[0]) for i in _by_source(map_rows, "Fingertips (PHOF)")} <= numbers
    assert (shared_data / "dft_road_condition" / "road-condition-data__RDC0120_A_Roads_and_Motorways.csv").is_file()
    assert (shared_data / "dft_road_condition" / "road-condition-data__RDC0120_B_and_C_Roads.csv").is_file()
    assert (shared_data / "mhclg_housing" / "housing-data__LT_122.csv").is_file()


def test_coverage_counts_equal_counts_of_the_map(map_rows):
    table = comp.coverage(comp.compendium()).set_index("dashboard")
    per = Counter((r["dashboard"], r["match"]) for r in map_rows)
    dashboards = list(dict.fromkeys(r["dashboard"] for r in map_rows))
    assert list(table.index) == [*dashboards, "All dashboards"] and len(dashboards) == 17
    for name in dashboards:
        counts = [per[(name, m)] for m in ("same", "close", "none")]
        assert list(table.loc[name, ["same", "close", "none"]]) == counts
        assert table.loc[name, "rows"] == sum(counts)
        assert table.loc[name, "mapped_pct"] == pytest.approx(100 * (counts[0] + counts[1]) / sum(counts))
    total = Counter(r["match"] for r in map_rows)
    assert list(table.loc["All dashboards", ["rows", "same", "close", "none"]]) == [
        243,
        total["same"],
        total["close"],
        total["none"],
    ]
    assert table.loc["All dashboards", "same_pct"] == pytest.approx(100 * total["same"] / 243)
    local = sum(1 for r in map_rows if r["match"] == "none" and "(local" in r["compendium_source"].lower())
    text = coverage_markdown(comp.compendium())
    assert f"{local} of the {total['none']} rest on the council's own records" in text
    assert f"| All dashboards | 243 | {total['same']} | {total['close']} | {total['none']} |" in text


@pytest.mark.parametrize(
    ("text", "value", "half_unit", "percent", "period"),
    [
        ("£789", 789.0, 0.5, False, None),
        ("45.2%", 45.2, 0.05, True, None),
        ("1,234", 1234.0, 0.5, False, None),
        ("12.3 per 1,000", 12.3, 0.05, False, None),
        ("-£2.3m", -2_300_000.0, 50_000.0, False, None),
        ("£27.0bn", 27e9, 0.05e9, False, None),
        ("562k", 562_000.0, 500.0, False, None),
        ("8.6 (2020/21)", 8.6, 0.05, False, "2020/21"),
        ("14.3% (2020/21)", 14.3, 0.05, True, "2020/21"),
        ("17.40", 17.4, 0.005, False, None),
        ("£23,733", 23733.0, 0.5, False, None),
    ],
)
def test_compendium_values_are_read_as_printed(text, value, half_unit, percent, period):
    parsed = comp.parse_value(text)
    assert parsed.problem is None
    assert parsed.value == pytest.approx(value)
    assert parsed.half_unit == pytest.approx(half_unit)
    assert (parsed.percent, parsed.period) == (percent, period)


@pytest.mark.parametrize("text", ["n/a", "N/A", "-", "N/a", "Fair Funding", "12.3 (est)", "1.2.3"])
def test_unparseable_values_say_so(text):
    parsed = comp.parse_value(text)
    assert parsed.value is None and parsed.problem.startswith("not a number")


def test_empty_value_is_no_value():
    assert comp.parse_value("").problem == "no value" and comp.parse_value(None).problem == "no value"


def _catalogue(values: list[tuple[str, str, float]], units: dict[str, str], spend=(), funding=()) -> Catalogue:
    """A catalogue of hand-made figures: (indicator, period, value) for Leicestershire and one other county."""
    from benchmarking.method.periods import period_start

    rows = [
        (i, code, p, v if code == comp.FOCUS else v + 1) for i, p, v in values for code in (comp.FOCUS, "E10000019")
    ]
    frame = pd.DataFrame(rows, columns=["indicator_id", "authority_code", "period", "value"])
    frame["status"] = "final"
    frame["period_start"] = pd.to_datetime([period_start(p) for p in frame["period"]])
    indicators = pd.DataFrame({"id": list(units), "unit": list(units.values()), "polarity": "high", "theme": "T"})
    empty = pd.DataFrame()
    return Catalogue(
        authorities=pd.DataFrame({"code": [comp.FOCUS], "name": ["Leicestershire"]}),
        indicators=indicators,
        values=frame,
        spend=pd.DataFrame(list(spend), columns=["authority_code", "period", "service", "net_expenditure_per_head"]),
        funding=pd.DataFrame(list(funding), columns=["authority_code", "period", "core_spending_power_per_head"]),
        deprivation=empty,
        theme_service=empty,
        comparator_groups=empty,
        periods=empty,
        settings={"dataset_label": "hand-made"},
        datasets=pd.DataFrame({"name": ["hand-made"], "kind": ["public"]}),
    )


def _map_frame(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    """Map rows (indicator_id, match, value_2021_22, value_2020_21) as ``compendium`` returns them."""
    return pd.DataFrame(
        [
            (n, "D", f"measure {n}", i, m, "x" if i else "", "source", "", v1, v0)
            for n, (i, m, v1, v0) in enumerate(rows, start=1)
        ],
        columns=[*comp.MAP_COLUMNS, *comp.COMPENDIUM_COLUMNS],
    )


def test_agreement_verdicts_on_hand_made_figures():
    catalogue = _catalogue(
        [
            ("A", "2021-22", 45.24),  # agrees with 45.2% (within half of 0.1)
            ("A", "2020-21", 40.0),  # differs from 45.0%, which equals the 2019-20 figure
            ("A", "2019-20", 45.0),
            ("S", "2021-22", 0.434),  # a 0-1 share against 43.4%
            ("C", "2020", 8.9),  # calendar 2020 counts in 2020/21: close to "8.6 (2020/21)" (3.5%)
            ("W", "2021", 84.0),  # whole numbers: 83.9 agrees with 84
        ],
        {"A": "%", "S": "share (0-1)", "C": "rate", "W": "%"},
        spend=[(comp.FOCUS, "2021-22", "education", 379.6458)],
    )
    frame = _map_frame(
        [
            ("A", "same", "45.2%", "45.0%"),
            ("S", "same", "43.4%", ""),
            ("C", "same", "8.6 (2020/21)", "n/a"),
            ("W", "same", "83.9", "84"),
            ("spend:education", "same", "£380", "£348"),
            ("Z", "same", "1", "2"),
            ("A", "close", "99", "99"),  # close rows are never compared
        ]
    )
    table = comp.agreement(frame, catalogue)
    verdict = {(r.row, r.column): (r.verdict, r.detail) for r in table.itertuples()}
    assert len(table) == 12
    assert verdict[(1, "2021/22")] == ("agrees", "")
    assert verdict[(1, "2020/21")] == ("differs", "the Compendium's figure equals the public figure for 2019-20")
    assert verdict[(2, "2021/22")] == ("agrees", "")
    assert verdict[(2, "2020/21")] == ("not compared", "Compendium value: no value")
    assert verdict[(3, "2021/22")][0] == "close"
    assert verdict[(3, "2020/21")] == ("not compared", "Compendium value: not a number: 'n/a'")
    assert verdict[(4, "2021/22")] == ("agrees", "")
    assert verdict[(5, "2021/22")] == ("agrees", "")
    assert verdict[(5, "2020/21")][0] == "not compared" and verdict[(5, "2020/21")][1].startswith("no figure")
    assert verdict[(6, "2021/22")] == ("not compared", "indicator not in the store")
    assert comp.agreement_counts(table) == {"agrees": 4, "close": 1, "differs": 1, "not compared": 6}
    row3 = table[(table["row"] == 3) & (table["column"] == "2021/22")].iloc[0]
    assert (row3["public_period"], row3["public_value"]) == ("2020", 8.9)


def test_generated_markdown_escapes_hostile_text_from_the_csv_files():
    hostile = "<script>alert(1)</script> ![x](http://injection.invalid/x.png) | # $x^2$"
    frame = _map_frame([("", "none", "1", "2"), ("A", "same", hostile, "45.0%")])
    frame.loc[0, "description"] = hostile
    frame.loc[0, "compendium_source"] = hostile
    frame.loc[1, "dashboard"] = hostile
    catalogue = _catalogue([("A", "2021-22", 45.0)], {"A": "%"})
    text = coverage_markdown(frame, catalogue)
    for raw in ("<script>", "![x](", "| # $x^2$"):
        assert raw not in text
    assert "&lt;script&gt;" in text and "\\!\\[x\\](http" in text and "\\| \\# \\$x^2\\$" in text


def test_command_reads_the_default_store_and_refuses_a_missing_one(tmp_path, shipped_store_path, monkeypatch, capsys):
    """Without --db the command reads the global default store ($BENCHMARKING_DB), as its help says, so the page
    keeps its agreement section; a missing store is refused (exit 2), the page left as it was."""
    out = tmp_path / "coverage.md"
    monkeypatch.setenv("BENCHMARKING_DB", str(shipped_store_path))
    assert main(["compendium-coverage", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "| All dashboards | 243 |" in text and "## Agreement" in text
    assert f"agreement with {shipped_store_path}" in capsys.readouterr().out
    monkeypatch.setenv("BENCHMARKING_DB", str(tmp_path / "none.duckdb"))
    assert main(["compendium-coverage", "--out", str(out)]) == 2
    assert "no store at" in capsys.readouterr().err and out.read_text(encoding="utf-8") == text


@pytest.mark.shared_data
def test_agreement_on_the_public_store_for_published_figures(public_store_path):
    """DEFRA and Oflog rows checked by hand against the raw files (oflog/ASC_data.csv, DEFRA Table 3)."""
    from benchmarking.service.catalogue import load_catalogue

    table = comp.agreement(comp.compendium(), load_catalogue(public_store_path))
    agreed = table[table["row"].isin([90, 91, 96, 108, 189, 191])]
    assert len(agreed) == 12 and set(agreed["verdict"]) == {"agrees"}
    # The Compendium's 2020/21 column holds the latest survey before it: 2019-20 and 2018-19.
    periods = dict(zip(zip(agreed["row"], agreed["column"]), agreed["public_period"]))
    assert periods[(90, "2020/21")] == "2019-20" and periods[(91, "2020/21")] == "2018-19"
