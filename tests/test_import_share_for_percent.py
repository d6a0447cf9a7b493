"""A share given for a percentage (0.584 where the stored figures run 40 to 70) is refused at its row and column,
saying to give the percentage: the mirror of the rule that refuses a percentage given for a share (``plausible``).

It is refused only where that is safe: the indicator's unit is a percentage, it holds enough stored figures, all of
them 1 or more, and the figure is over 0 and under 1 with its hundredfold inside the stored range. Zero, a figure
whose hundredfold is outside the range, and every figure of an indicator with a stored figure under 1 stay allowed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from store_support import imported

from benchmarking.ingest.plausible import SHARE_EVIDENCE, check_plausible
from benchmarking.ingest.results import CheckedRows
from benchmarking.store import Store

HEADER = "indicator_id,authority_code,period,value,status"
PERCENT = "ASC3"  # adult social care: unit '%', its stored figures 47.2 to 83.1 in the shipped extract


def stored_range(store: Store, indicator: str) -> tuple[float, float]:
    """Return the lowest and highest stored figure of an indicator."""
    with store.reading() as con:
        return con.execute(
            "SELECT min(value), max(value) FROM indicator_value WHERE indicator_id = ?", [indicator]
        ).fetchone()


def test_a_share_given_for_a_percentage_is_refused_at_its_row(shipped, tmp_path, capsys):
    """The review's case on real figures: 0.584 for a '%' indicator whose figures run 47 to 83 is refused at its row
    and column, saying what to write; nothing is written. The percentage itself goes in."""
    low, high = stored_range(shipped, PERCENT)
    assert 1 <= low < 58.4 < high
    before = shipped.checksums()
    text = f"{HEADER}\n{PERCENT},E10000018,2022-23,61.2,final\n{PERCENT},E06000052,2022-23,0.584,final\n"
    status, shown = imported(shipped, tmp_path, text, capsys)
    assert status == 2
    assert "row 3, column 'value'" in shown and "give the percentage, such as 58.4 for 0.584" in shown
    assert "row 2," not in shown
    assert shipped.checksums() == before
    text = f"{HEADER}\n{PERCENT},E10000018,2022-23,61.2,final\n{PERCENT},E06000052,2022-23,58.4,final\n"
    assert imported(shipped, tmp_path, text, capsys)[0] == 0


def test_zero_and_a_small_percentage_outside_the_range_go_in(shipped, tmp_path, capsys):
    """Zero is a percentage; 0.3 of a '%' indicator whose figures run from 47 is not a share of its range (30 is
    outside it): both are imported."""
    text = f"{HEADER}\n{PERCENT},E10000018,2022-23,0,final\n{PERCENT},E06000052,2022-23,0.3,final\n"
    status, shown = imported(shipped, tmp_path, text, capsys)
    assert status == 0, shown


def checked(unit: str, low: float, high: float, figures: int, value: float) -> CheckedRows:
    """Return the plausibility check of one figure of an indicator with this unit and stored range."""
    rows = pd.DataFrame({"indicator_id": ["P1"], "authority_code": ["E10000018"], "period": ["2022/23"]})
    rows["value"] = [value]
    ranges = pd.DataFrame({"unit": [unit], "low": [low], "high": [high], "figures": [figures]}, index=["P1"])
    outcome = CheckedRows(rows, [], np.zeros(1, dtype=bool))
    return check_plausible(rows, "p.csv", outcome, ranges.rename_axis("id"))


@pytest.mark.parametrize(
    ("unit", "low", "high", "figures", "value", "refused"),
    [
        ("%", 40, 70, SHARE_EVIDENCE, 0.584, True),
        ("% of pupils", 40, 70, SHARE_EVIDENCE, 0.7, True),  # 70: the top of the range
        ("percentage of adults", 40, 70, SHARE_EVIDENCE, 0.4, True),  # 40: the bottom
        ("%", 57, 70, SHARE_EVIDENCE, 0.57, True),  # 57, the bottom, though 0.57 * 100 is 56.99999999999999
        ("%", 40, 70, SHARE_EVIDENCE - 1, 0.584, False),  # too few stored figures to judge by
        ("%", 0.5, 70, SHARE_EVIDENCE, 0.584, False),  # a stored figure under 1: small figures happen
        ("%", 40, 70, SHARE_EVIDENCE, 0.0, False),  # zero stays allowed
        ("%", 40, 70, SHARE_EVIDENCE, 0.3, False),  # 30 is outside the range
        ("%", 40, 70, SHARE_EVIDENCE, 0.71, False),  # 71 too
        ("%", 40, 70, SHARE_EVIDENCE, -0.5, False),
        ("%", 40, 70, SHARE_EVIDENCE, 1.0, False),
        ("number", 40, 70, SHARE_EVIDENCE, 0.584, False),  # not a percentage
        ("share (0-1)", 0.4, 0.7, SHARE_EVIDENCE, 0.584, False),
    ],
)
def test_a_share_for_a_percentage_is_refused_only_where_safe(unit, low, high, figures, value, refused):
    """The rule's bounds, one figure at a time: refused at row 2, column 'value', saying what to write."""
    outcome = checked(unit, low, high, figures, value)
    assert bool(outcome.rejected[0]) is refused
    if refused:
        (issue,) = outcome.issues
        assert (issue.row, issue.column) == (2, "value")
        assert f"give the percentage, such as {value * 100:g} for {value:g}" in issue.message
        assert f"{low:g} to {high:g}" in issue.message and repr(unit) in issue.message


def test_the_share_rule_reads_each_indicator_once_not_each_row(writable_store, monkeypatch):
    """Worked out per stored indicator and taken per row (no Python pass over the rows): 3,200 rows of 2 percentage
    indicators ask the unit rule about the 2 indicators, not about 3,200 rows; and a share among them is refused."""
    from benchmarking.ingest import plausible
    from benchmarking.ingest.context import store_context
    from benchmarking.ingest.preview import map_sources, preview_import, read_uploaded

    asked = []
    real = plausible.is_percent_unit
    monkeypatch.setattr(plausible, "is_percent_unit", lambda unit: asked.append(unit) or real(unit))
    with writable_store.reading() as con:
        ranges = con.execute(
            "SELECT indicator_id, min(value), max(value) FROM indicator_value v "
            "JOIN indicator i ON i.id = v.indicator_id WHERE i.unit = '%' GROUP BY 1 "
            "HAVING min(value) >= 1 AND count(*) >= ? ORDER BY 1 LIMIT 2",
            [SHARE_EVIDENCE],
        ).fetchall()
    indicators = [indicator for indicator, _, _ in ranges]
    authorities = sorted(writable_store.authorities()["code"])
    periods = [f"{1960 + n}/{(61 + n) % 100:02d}" for n in range(3200 // (2 * len(authorities)))]
    middle = {indicator: (low + high) / 2 for indicator, low, high in ranges}
    lines = ["indicator_id,authority_code,period,value"] + [
        f"{i},{a},{p},{middle[i]:.2f}" for i in indicators for a in authorities for p in periods
    ]
    lines[1] = lines[1].rsplit(",", 1)[0] + f",{middle[indicators[0]] / 100:.4f}"  # one given as a share
    files = map_sources([read_uploaded("many.csv", "\n".join(lines).encode())], store_context(writable_store))
    preview = preview_import(writable_store, files)
    assert len(lines) - 1 >= 3000
    assert len(asked) <= len(indicators), f"the unit rule was asked {len(asked)} times for {len(lines) - 1} rows"
    assert [issue.row for issue in preview.issues if "give the percentage" in issue.message] == [2], preview.issues[:3]
