"""Findings of a new user's review of the import (v6) on the shipped store, each case as the user met it.

1. A figures file whose authority column is headed ``name`` fills indicator_value (not dashboard_extra, dropping
   the names and figures without a word); a recognised mapping never leaves a figures column unused silently.
2. A percentage written into an indicator measured as a share from 0 to 1 is refused with advice in its unit, and a
   figure far outside the indicator's stored range is refused at its row, naming the range.
3. ``import --dry-run`` exits 2 when rows would be refused (after printing the preview), 0 when clean.
4. An authority code one edit from a stored code is refused suggesting that code.
"""

from __future__ import annotations

import re

import pytest
from store_support import imported

from benchmarking.store import Store

SHARE = "NI192"  # household waste recycled: unit "share (0-1)"
HEADER = "indicator_id,authority_code,period,value,status"


def stored_figure(store: Store, indicator: str, code: str, period: str) -> float | None:
    """Return the stored figure of one key, None when there is none."""
    with store.reading() as con:
        row = con.execute(
            "SELECT value FROM indicator_value WHERE indicator_id = ? AND authority_code = ? AND period = ?",
            [indicator, code, period],
        ).fetchone()
    return None if row is None else row[0]


# -- 1. a `name` column of authorities, and columns no field takes -------------------------------------------------


def test_a_name_column_of_authorities_fills_the_values_table(shipped, tmp_path, capsys):
    """The review's one-row file ``indicator_id,name,period,value``: the names are the authority, the row is a figure
    of indicator_value (it went to dashboard_extra, the name and the figure dropped without a word)."""
    status, shown = imported(
        shipped, tmp_path, f"indicator_id,name,period,value\n{SHARE},Leicestershire,2023-24,0.45\n", capsys
    )
    assert status == 0, shown
    assert "table indicator_value" in shown and "authority_name <- 'name'" in shown
    assert stored_figure(shipped, SHARE, "E10000018", "2023-24") == 0.45
    with shipped.reading() as con:
        assert con.execute("SELECT count(*) FROM dashboard_extra WHERE period = '2023-24'").fetchone()[0] == 0


def test_a_mistyped_name_among_the_names_is_refused_at_its_row(shipped, tmp_path, capsys):
    """Six names, one mistyped: the file is still the values table's, the typo refused at its row (not 'duplicate key
    ... delete the repeated rows', the advice that fitted the wrong table)."""
    names = ["Leicestershre", "Leicestershire County Council", "County Durham", "Kent", "Essex", "Norfolk"]
    rows = "".join(f"{SHARE},{name},2022-23,0.4{i}\n" for i, name in enumerate(names))
    before = shipped.checksums()
    status, shown = imported(shipped, tmp_path, "indicator_id,name,period,value\n" + rows, capsys)
    assert status == 2 and "table indicator_value" in shown
    assert "row 2, column 'name': unknown authority 'Leicestershre'" in shown and "duplicate key" not in shown
    assert shipped.checksums() == before


def test_a_figures_column_no_field_takes_is_refused_naming_it(shipped, tmp_path, capsys):
    """``name`` cells that are no authority: the file fits dashboard_extra, which has no field for the figures in
    'value'; refused naming the column and the table that takes figures, nothing written."""
    before = shipped.checksums()
    status, shown = imported(
        shipped, tmp_path, f"indicator_id,name,period,value\n{SHARE},Recycling,2023-24,0.45\n", capsys
    )
    assert status == 2
    assert "column 'value'" in shown and "--table indicator_value" in shown and "'Table to fill'" in shown
    assert shipped.checksums() == before


def test_the_preview_names_the_columns_no_field_takes(shipped, tmp_path, capsys):
    """A values file with a comment column imports its figures and says the comment column is not used."""
    text = f"indicator_id,authority_code,period,value,comment\n{SHARE},E10000018,2022-23,0.45,checked\n"
    status, shown = imported(shipped, tmp_path, text, capsys)
    assert status == 0
    assert "not used" in shown and "'comment'" in shown
    assert stored_figure(shipped, SHARE, "E10000018", "2022-23") == 0.45


# -- 2. a percentage in a share from 0 to 1 ---------------------------------------------------------------------


def test_a_percent_sign_in_a_share_is_refused_saying_to_give_the_share(shipped, tmp_path, capsys):
    """NI192 is a share from 0 to 1: ``58.4%`` is refused saying to give 0.584 (not 58.4, which the advice said)."""
    status, shown = imported(shipped, tmp_path, f"{HEADER}\n{SHARE},E06000011,2022-23,58.4%,final\n", capsys)
    assert status == 2
    assert "got '58.4%'" in shown and "0.584" in shown and "such as 58.4" not in shown


def test_a_percent_sign_in_a_percentage_is_refused_saying_to_give_the_percentage(shipped, tmp_path, capsys):
    """An indicator measured in '%': the advice stays 'give the percentage as a number, such as 58.4'."""
    with shipped.reading() as con:
        percent = con.execute("SELECT id FROM indicator WHERE unit = '%' ORDER BY id LIMIT 1").fetchone()[0]
    status, shown = imported(shipped, tmp_path, f"{HEADER}\n{percent},E10000018,2022-23,58.4%,final\n", capsys)
    assert status == 2 and "such as 58.4" in shown


def test_a_percentage_stored_in_a_share_is_refused_naming_the_range_and_unit(shipped, tmp_path, capsys):
    """The review's 'fixed' file (58.4 for a share whose figures run 0 to 0.66) is refused at its row, naming the
    unit and what to write; nothing is written, so Cornwall's rank does not move."""
    before = shipped.checksums()
    status, shown = imported(shipped, tmp_path, f"{HEADER}\n{SHARE},E06000052,2022-23,58.4,final\n", capsys)
    assert status == 2
    assert "row 2, column 'value'" in shown and "'share (0-1)'" in shown and "0.584" in shown
    assert shipped.checksums() == before
    assert imported(shipped, tmp_path, f"{HEADER}\n{SHARE},E06000052,2022-23,0.584,final\n", capsys)[0] == 0


def test_a_figure_fifty_times_beyond_the_stored_range_is_refused(shipped, tmp_path, capsys):
    """A figure over 50 times the largest stored for its indicator (a unit or decimal point slip) is refused naming
    the stored range; one a few times beyond it is accepted."""
    with shipped.reading() as con:
        indicator, largest = con.execute(
            "SELECT indicator_id, max(value) FROM indicator_value v JOIN indicator i ON i.id = v.indicator_id "
            "WHERE i.unit = 'kg per person' GROUP BY 1"
        ).fetchone()
    text = f"{HEADER}\n{indicator},E10000018,2022-23,{largest * 100:g},final\n"
    status, shown = imported(shipped, tmp_path, text, capsys)
    assert status == 2 and f"{largest:g}" in shown and "row 2, column 'value'" in shown
    assert (
        imported(shipped, tmp_path, f"{HEADER}\n{indicator},E10000018,2022-23,{largest * 3:g},final\n", capsys)[0] == 0
    )


# -- 3. a dry run with problems exits 2 ---------------------------------------------------------------------------


def test_a_dry_run_with_refused_rows_prints_the_preview_and_exits_2(shipped, tmp_path, capsys):
    """The review's file with an unknown code: the dry run lists the problem, writes nothing and exits 2, as the
    import itself would; the same file without that row is clean and exits 0."""
    good = f"{SHARE},E10000018,2022-23,0.45,final"
    before = shipped.checksums()
    status, shown = imported(
        shipped, tmp_path, f"{HEADER}\n{good}\n{SHARE},E99999999,2022-23,0.4,final\n", capsys, "--dry-run"
    )
    assert status == 2
    assert "Preview (nothing written yet)" in shown and "Dry run: nothing was written." in shown
    assert "row 3, column 'authority_code': unknown authority 'E99999999'" in shown
    assert shipped.checksums() == before
    assert imported(shipped, tmp_path, f"{HEADER}\n{good}\n", capsys, "--dry-run")[0] == 0
    assert shipped.checksums() == before


# -- 4. a code one edit from a stored code ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("E1000018", "E10000018"),  # a digit missing
        ("E100000018", "E10000018"),  # a digit too many
        ("E10000118", "E10000018"),  # a digit wrong
        ("e10000081", "E10000018"),  # two digits swapped, any case
    ],
)
def test_a_code_one_edit_from_a_stored_code_is_refused_suggesting_it(shipped, tmp_path, capsys, typed, meant):
    """The review's ``E1000018``: 'unknown authority' now names the stored codes one edit away with their names (one
    of them the code meant; E100000018 is one edit from Devon's E10000008 too)."""
    status, shown = imported(shipped, tmp_path, f"{HEADER}\n{SHARE},{typed},2022-23,0.4,final\n", capsys)
    assert status == 2
    assert f"unknown authority '{typed}'" in shown
    suggested = re.search(r"did you mean (.*)\? If not, import the authority table first", shown)
    assert suggested and f"{meant} (Leicestershire)" in suggested.group(1).split(" or ")


def test_a_code_far_from_every_stored_code_suggests_none(shipped, tmp_path, capsys):
    """E99999999 is no one's mistyped code: the message says to import the authority or correct the code."""
    status, shown = imported(shipped, tmp_path, f"{HEADER}\n{SHARE},E99999999,2022-23,0.4,final\n", capsys)
    assert status == 2 and "unknown authority 'E99999999'" in shown and "did you mean" not in shown


def test_the_range_check_reads_each_indicator_once_not_each_row(writable_store, monkeypatch):
    """The plausibility rules are worked out per stored indicator and taken per row (issue 19: no Python pass over
    the rows): 3,200 rows of 2 indicators ask each unit rule about the 2 indicators, not about 3,200 rows; and a
    figure 100 times the stored ones is still refused among them."""
    from benchmarking.ingest import plausible
    from benchmarking.ingest.context import store_context
    from benchmarking.ingest.preview import map_sources, preview_import, read_uploaded

    asked = []
    real = plausible.is_share_unit
    monkeypatch.setattr(plausible, "is_share_unit", lambda unit: asked.append(unit) or real(unit))
    stored = writable_store.values()
    indicators = sorted(stored["indicator_id"].unique())[:2]
    authorities = sorted(stored["authority_code"].unique())
    periods = [f"{1960 + n}/{(61 + n) % 100:02d}" for n in range(len(authorities) and 3200 // (2 * len(authorities)))]
    figure = {i: float(stored.loc[stored["indicator_id"].eq(i), "value"].abs().max()) for i in indicators}
    lines = ["indicator_id,authority_code,period,value"] + [
        f"{i},{a},{p},{figure[i]}" for i in indicators for a in authorities for p in periods
    ]
    lines[1] = lines[1].rsplit(",", 1)[0] + f",{figure[indicators[0]] * 100}"  # one figure 100 times too large
    files = map_sources([read_uploaded("many.csv", "\n".join(lines).encode())], store_context(writable_store))
    preview = preview_import(writable_store, files)
    assert len(lines) - 1 >= 3000
    assert len(asked) <= len(indicators), f"the unit rule was asked {len(asked)} times for {len(lines) - 1} rows"
    assert [issue.row for issue in preview.issues if "50 times" in issue.message] == [2], preview.issues[:3]
