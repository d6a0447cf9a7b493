"""The preview warns when an import changes which published period a reporting period's ranks use (the vintage,
``method.currency``) and fewer authorities would be ranked on it (review v9).

On the shipped store the latest Adult Social Care figures (ASC2) are for 2022-23 and are carried forward into
2023/24 and 2024/25 for every authority with figures then. One Cornwall figure for 2024-25 makes 2024-25 the
vintage of 2024/25: Cornwall is ranked "1 of 1" and the others' carried-forward figures drop out. The preview
(``import --dry-run`` and the Data import page) says so per indicator and period, before anything is written; it
is a warning, not a refusal (a first file of several may do this).
"""

from __future__ import annotations

import pandas as pd
import pytest
from apptest_helpers import open_page
from store_support import imported

from benchmarking.service.benchmark import benchmark_for
from benchmarking.service.catalogue import load_catalogue
from benchmarking.store import Store
from benchmarking.text.escaping import markdown as markdown_text

INDICATOR = "ASC2"  # published by financial year to 2022-23 in the shipped extract
CORNWALL = "E06000052"
HEADER = "authority_code,indicator_id,period,value\n"


def ranked(store: Store, indicator: str = INDICATOR) -> pd.Series:
    """Return reporting period -> how many authorities the engine ranks on ``indicator`` (the whole group)."""
    ranks = benchmark_for(load_catalogue(store), "all").ranks
    return ranks[ranks["indicator_id"] == indicator].groupby("period").size()


def shift_lines(out: str) -> list[str]:
    """Return the preview's lines that say the vintage of a period changes."""
    return [line.strip() for line in out.splitlines() if "would be ranked " in line]


def test_one_early_figure_warns_that_the_period_would_be_ranked_on_it_alone(shipped, tmp_path, capsys):
    """The review's case: the dry run names ASC2 in 2024/25, the one authority its 2024-25 figure covers and the
    authorities whose 2022-23 figures are ranked now; the commit then ranks exactly as the warning said."""
    before = ranked(shipped)
    text = f"{HEADER}{CORNWALL},{INDICATOR},2024-25,0.5\n"
    status, out = imported(shipped, tmp_path, text, capsys, "--table", "indicator_value", "--dry-run")
    assert status == 0, out
    lines = shift_lines(out)
    expected = (
        f"{INDICATOR} in 2024/25 would be ranked on 1 authority's 2024-25 figure instead of "
        f"{before['2024/25']} authorities' 2022-23 figures"
    )
    assert any(line.startswith(expected) for line in lines), out
    assert not [line for line in lines if "2023/24" in line], out  # 2023/24 keeps its vintage: not named
    status, out = imported(shipped, tmp_path, text, capsys, "--table", "indicator_value")
    assert status == 0, out
    after = ranked(shipped)
    assert after["2024/25"] == 1 and after["2023/24"] == before["2023/24"]


def test_an_earlier_year_names_every_period_whose_vintage_it_changes(shipped, tmp_path, capsys):
    """A 2023-24 figure becomes the vintage of 2023/24 and of 2024/25 (carried forward): both are named."""
    before = ranked(shipped)
    text = f"{HEADER}{CORNWALL},{INDICATOR},2023-24,0.5\n"
    status, out = imported(shipped, tmp_path, text, capsys, "--table", "indicator_value", "--dry-run")
    assert status == 0, out
    lines = shift_lines(out)
    for period in ("2023/24", "2024/25"):
        said = f"{INDICATOR} in {period} would be ranked on 1 authority's 2023-24 figure instead of "
        assert any(line.startswith(said + f"{before[period]} authorities' 2022-23") for line in lines), out


def test_figures_for_the_latest_year_or_for_every_authority_warn_of_nothing(shipped, tmp_path, capsys):
    """A figure replacing one of the vintage in use changes no vintage; a new year's figures for every authority
    ranked now change it without ranking fewer: neither is warned of."""
    text = f"{HEADER}{CORNWALL},{INDICATOR},2022-23,0.5\n"
    status, out = imported(shipped, tmp_path, text, capsys, "--table", "indicator_value", "--dry-run")
    assert status == 0 and not shift_lines(out), out
    ranks = benchmark_for(load_catalogue(shipped), "all").ranks
    codes = ranks.loc[(ranks["indicator_id"] == INDICATOR) & (ranks["period"] == "2024/25"), "authority_code"]
    text = HEADER + "".join(f"{code},{INDICATOR},2024-25,0.5\n" for code in codes)
    status, out = imported(shipped, tmp_path, text, capsys, "--table", "indicator_value", "--dry-run")
    assert status == 0 and not shift_lines(out), out


def test_the_data_import_page_shows_the_warning(shipped, monkeypatch):
    """The Data import page's preview shows the same words as a warning, beside the counts."""
    before = ranked(shipped)
    at = open_page(shipped.path, monkeypatch, "import_data")
    data = f"{HEADER}{CORNWALL},{INDICATOR},2024-25,0.5\n".encode()
    at.file_uploader(key="import_files").set_value([("cornwall.csv", data, "text/csv")])
    at.run()
    at.button(key="upload_preview_button").click().run()
    assert not at.exception
    said = (
        f"{INDICATOR} in 2024/25 would be ranked on 1 authority's 2024-25 figure instead of "
        f"{before['2024/25']} authorities' 2022-23 figures"
    )
    assert any(markdown_text(said) in warning.value for warning in at.warning), [w.value for w in at.warning]


def test_a_period_first_ranked_on_one_authority_is_warned_of(shipped, tmp_path, capsys):
    """ASC2's 2022-23 figures are carried forward to 2024/25 at most, so ASC2 is not ranked in 2025/26 (a reporting
    period of other indicators). One Cornwall figure for 2024-25 is carried into 2025/26 too: the period would be
    ranked for the first time, on Cornwall alone, and the dry run says so before the commit does it."""
    before = ranked(shipped)
    assert "2025/26" not in before.index
    text = f"{HEADER}{CORNWALL},{INDICATOR},2024-25,0.5\n"
    status, out = imported(shipped, tmp_path, text, capsys, "--table", "indicator_value", "--dry-run")
    assert status == 0, out
    said = f"{INDICATOR} in 2025/26 would be ranked for the first time, on 1 authority's 2024-25 figure"
    assert any(line.startswith(said) for line in shift_lines(out)), out
    status, out = imported(shipped, tmp_path, text, capsys, "--table", "indicator_value")
    assert status == 0, out
    assert ranked(shipped)["2025/26"] == 1


@pytest.mark.parametrize("share", [0.25, 0.75])
def test_a_period_first_ranked_is_warned_of_when_it_ranks_fewer_than_half(shipped, tmp_path, capsys, share):
    """A new year's figures from most of the authorities ranked in the indicator's latest period rank the period
    after it for the first time too (carried forward): warned of only when that ranks fewer than half of them, as the
    engine then ranks it."""
    before = ranked(shipped)
    ranks = benchmark_for(load_catalogue(shipped), "all").ranks
    codes = sorted(ranks.loc[(ranks["indicator_id"] == INDICATOR) & (ranks["period"] == "2024/25"), "authority_code"])
    text = HEADER + "".join(f"{code},{INDICATOR},2024-25,0.5\n" for code in codes[: round(len(codes) * share)])
    status, out = imported(shipped, tmp_path, text, capsys, "--table", "indicator_value", "--dry-run")
    assert status == 0, out
    warned = [line for line in shift_lines(out) if line.startswith(f"{INDICATOR} in 2025/26")]
    status, out = imported(shipped, tmp_path, text, capsys, "--table", "indicator_value")
    assert status == 0, out
    after = ranked(shipped)["2025/26"]
    assert bool(warned) == (after * 2 < before["2024/25"]), (warned, after, before["2024/25"])
    assert all(
        line.startswith(f"{INDICATOR} in 2025/26 would be ranked for the first time, on {after} ") for line in warned
    )
