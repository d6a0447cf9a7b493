"""Findings of a new user's review of the import (v9) on the shipped store, each case as the user met it.

1. A column headed like a period that the import cannot read (``FY2023``, ``FY22/23``, ``2022–23`` with an en dash,
   ``2022 to 2023``, ``22/23``) beside the period columns of a wide file is refused naming it and the label to write,
   never dropped with a note.
2. A figure for an authority in a period when it did not exist (Cumberland, formed in 2023, for 2021-22) is refused
   at its row, naming when it existed and whose figure to give; what the shipped store holds passes the same rule.
3. ``FY2022``, ``FYE 2023`` and ``2022–23`` are refused saying what to write; a period given for every row that
   cannot be read is one problem, and the count of problems says how many rows they refuse.
4. ``Leicestershire CC`` is Leicestershire: ``CC`` and ``County Council`` are one suffix; ``North Yorkshire County
   Council`` is the county council the store calls ``North Yorkshire CC``, not its successor North Yorkshire Council.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from apptest_helpers import problems as shown_problems
from store_support import imported

from benchmarking.errors import BadPeriodError
from benchmarking.method.periods import period_start
from benchmarking.store import Store

SHARE = "NI192"  # household waste recycled: unit "share (0-1)", stored by financial year as 2021-22
OTHER_SHARE = "NI193"
LEICESTERSHIRE, KENT = "E10000018", "E10000016"


def figures(store: Store, indicator: str = SHARE) -> pd.DataFrame:
    """Return an indicator's stored figures, sorted (authority_code, period, value)."""
    with store.reading() as con:
        return con.execute(
            "SELECT authority_code, period, value FROM indicator_value WHERE indicator_id = ? ORDER BY ALL",
            [indicator],
        ).df()


# -- 1. a period-like header beside the period columns ------------------------------------------------------------


@pytest.mark.parametrize("header", ["FY2023", "FY22/23", "2022–23", "2022 to 2023", "22/23", "FY 2022-23"])
def test_a_period_like_header_beside_period_columns_is_refused_naming_the_label_to_write(
    shipped, tmp_path, capsys, header
):
    """The review's wide file ``code,2021-22,FY2023,2023/24`` imported its two readable columns and dropped every
    FY2023 figure with a note; the file is refused, naming the column and 2022-23, and nothing is written."""
    before = figures(shipped)
    text = f"code,2021-22,{header},2023/24\n{LEICESTERSHIRE},0.41,0.42,0.43\n{KENT},0.44,0.45,0.46\n"
    status, out = imported(shipped, tmp_path, text, capsys, "--set", f"indicator_id={SHARE}")
    assert status == 2, out
    refusal = next(line for line in out.splitlines() if f"column '{header}'" in line)
    assert "2022-23" in refusal and "not used" not in refusal, out
    pd.testing.assert_frame_equal(figures(shipped), before)


def test_a_financial_year_header_says_both_years_it_may_mean(shipped, tmp_path, capsys):
    """``FY2023`` does not say which year it is: the refusal names the label for each reading, guessing none."""
    text = f"code,2021-22,FY2023\n{LEICESTERSHIRE},0.41,0.42\n"
    status, out = imported(shipped, tmp_path, text, capsys, "--set", f"indicator_id={SHARE}")
    assert status == 2, out
    refusal = next(line for line in out.splitlines() if "column 'FY2023'" in line)
    assert "2022-23" in refusal and "2023-24" in refusal and "ends" in refusal, refusal


def test_a_period_like_header_is_refused_in_a_long_file_too(shipped, tmp_path, capsys):
    """A file whose only figure columns are headed ``FY2022``, ``FY2023`` says what to write for each."""
    text = f"code,FY2022,FY2023\n{LEICESTERSHIRE},0.41,0.42\n"
    status, out = imported(shipped, tmp_path, text, capsys, "--set", f"indicator_id={SHARE}")
    assert status == 2, out
    assert "column 'FY2022'" in out and "2021-22" in out and "column 'FY2023'" in out, out


def test_readable_period_columns_still_import_with_a_comment_column_beside_them(shipped, tmp_path, capsys):
    """A wide file with period columns and a notes column imports its figures; the notes column is named unused."""
    text = f"code,2021-22,notes\n{LEICESTERSHIRE},0.41,checked\n"
    status, out = imported(shipped, tmp_path, text, capsys, "--set", f"indicator_id={SHARE}")
    assert status == 0, out
    assert "'notes' not used" in out.replace("column(s) ", ""), out


# -- 2. an authority in a period when it did not exist ------------------------------------------------------------


def test_a_figure_before_an_authority_was_formed_is_refused_naming_its_predecessor(shipped, tmp_path, capsys):
    """Cumberland (formed 1 April 2023) given for 2021-22 was added, and 2021-22 then ranked 38 authorities."""
    before = figures(shipped)
    text = "indicator_id,authority,period,value\nNI192,Cumberland,2021-22,0.4\nNI192,Durham,2022-23,0.41\n"
    status, out = imported(shipped, tmp_path, text, capsys)
    assert status == 2, out
    refusal = next(line for line in out.splitlines() if "row 2" in line)
    assert "column 'authority'" in refusal, refusal
    assert "Cumberland was formed on 1 April 2023" in refusal, refusal
    assert "Cumbria" in refusal and "E10000006" in refusal, refusal
    assert not any("row 3" in line for line in out.splitlines()), out
    pd.testing.assert_frame_equal(figures(shipped), before)


def test_a_figure_after_an_authority_was_abolished_names_its_successors(shipped, tmp_path, capsys):
    """Cumbria (abolished 1 April 2023) given for 2023-24: the refusal names both councils that followed it."""
    text = "indicator_id,authority_code,period,value\nNI192,E10000006,2023-24,0.4\n"
    status, out = imported(shipped, tmp_path, text, capsys, "--dry-run")
    assert status == 2, out
    refusal = next(line for line in out.splitlines() if "row 2" in line)
    assert "Cumbria was abolished on 1 April 2023" in refusal, refusal
    assert "Cumberland" in refusal and "Westmorland and Furness" in refusal, refusal


def test_a_whole_wide_row_out_of_an_authority_s_lifetime_is_refused_per_period(shipped, tmp_path, capsys):
    """A wide file's row for North Northamptonshire (formed 2021): 2020-21 refused, 2021-22 imported with skip."""
    text = "code,2020-21,2021-22\nE06000061,0.4,0.41\n"
    status, out = imported(shipped, tmp_path, text, capsys, "--set", f"indicator_id={SHARE}", "--skip-rejected")
    assert status == 0, out
    held = figures(shipped).set_index(["authority_code", "period"])["value"]
    assert held.loc[("E06000061", "2021-22")] == 0.41
    assert ("E06000061", "2020-21") not in held.index


def test_the_shipped_store_holds_nothing_the_rule_refuses(shipped_store_path):
    """Every (authority, period) the shipped extract holds in a table of figures by period passes the rule."""
    from benchmarking.method.lifetimes import absent_in

    with Store(shipped_store_path).reading() as con:
        pairs = con.execute(
            "SELECT DISTINCT authority_code, period FROM ("
            "SELECT authority_code, period FROM indicator_value UNION ALL "
            "SELECT authority_code, period FROM spend UNION ALL SELECT authority_code, period FROM funding)"
        ).df()
    reasons = absent_in(list(pairs["authority_code"]), list(pairs["period"]))
    refused = [(c, p, r) for c, p, r in zip(pairs["authority_code"], pairs["period"], reasons) if r]
    assert len(pairs) > 500 and not refused, refused[:5]


def test_a_store_that_holds_figures_for_an_authority_then_takes_more(writable_store, tmp_path, capsys):
    """The demo holds Buckinghamshire Council for every year: an authority with figures in a period counts as
    existing then (the group-size rule), so a corrected figure for it is taken, not refused."""
    with writable_store.reading() as con:
        indicator, period = con.execute(
            "SELECT indicator_id, period FROM indicator_value WHERE authority_code = 'E06000060' "
            "AND period = '2015/16' LIMIT 1"
        ).fetchone()
    text = f"indicator_id,authority_code,period,value\n{indicator},E06000060,{period},12.5\n"
    status, out = imported(writable_store, tmp_path, text, capsys)
    assert status == 0, out


def test_the_import_page_refuses_it_at_its_row(shipped, monkeypatch, tmp_path):
    """The Data import page's preview lists the refusal with its row and column."""
    from test_page_import import open_import_page, upload

    values = b"indicator_id,authority,period,value\nNI192,Cumberland,2021-22,0.4\n"
    at = upload(open_import_page(shipped.path, monkeypatch, tmp_path), ("cumb.csv", values))
    at.button(key="upload_preview_button").click().run()
    assert not at.exception, [e.value for e in at.exception]
    problems = shown_problems(at)
    assert problems["row"].tolist() == ["2"], problems
    assert "Cumberland was formed on 1 April 2023" in problems["message"].iloc[0]
    assert any("1 of 1 row refused" in e.value for e in at.error), [e.value for e in at.error]


# -- 3. what to write for a period the import cannot read ---------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "advice"),
    [
        ("FY2022", ["2021-22", "2022-23"]),
        ("FY2024", ["2023-24", "2024-25"]),
        ("FYE 2023", ["2022-23"]),
        ("2022–23", ["2022-23"]),
        ("22/23", ["2022-23"]),
        ("2022 to 2023", ["2022-23"]),
        ("FY22/23", ["2022-23"]),
    ],
)
def test_a_period_written_another_way_is_refused_saying_what_to_write(label, advice):
    """The message names the label to write (both readings where the label does not say which year it is)."""
    with pytest.raises(BadPeriodError) as raised:
        period_start(label)
    message = str(raised.value)
    assert "write " in message and all(written in message for written in advice), message


def test_a_single_year_financial_label_says_which_reading_each_label_means():
    """``FY2022``: 2021-22 when the year ends in March 2022, 2022-23 when it starts in April 2022."""
    with pytest.raises(BadPeriodError) as raised:
        period_start("FY2022")
    message = str(raised.value)
    assert re.search(r"2021-22[^.;]*ends[^.;]*2022", message), message
    assert re.search(r"2022-23[^.;]*starts[^.;]*2022", message), message


def wide_names_file(shipped: Store, columns: tuple[str, ...], cell: str) -> str:
    """Return a wide file of every authority that existed in 2021-22 (37 rows), one column per indicator."""
    with shipped.reading() as con:
        names = [
            row[0]
            for row in con.execute(
                "SELECT DISTINCT a.name FROM indicator_value AS v JOIN authority AS a ON a.code = v.authority_code "
                "WHERE v.indicator_id = ? AND v.period = '2021-22' ORDER BY 1",
                [SHARE],
            ).fetchall()
        ]
    assert len(names) == 37
    return "Authority," + ",".join(columns) + "\n" + "".join(f"{n},{','.join([cell] * len(columns))}\n" for n in names)


def test_a_period_given_for_every_row_that_cannot_be_read_is_one_problem(shipped, tmp_path, capsys):
    """``--set period=FY2022`` on a 37-row wide file said "11 problem(s)" (rows 2-11, each twice) while 74 values
    were refused: it is one problem, naming the value and what to write."""
    text = wide_names_file(shipped, (SHARE, OTHER_SHARE), "0.4")
    status, out = imported(shipped, tmp_path, text, capsys, "--set", "period=FY2022", "--dry-run")
    assert status == 2, out
    mentions = [line for line in out.splitlines() if "FY2022" in line and "2021-22" in line]
    assert len(mentions) == 1, out
    assert "1 problem(s)" in out and "row 2" not in out, out


def test_the_problem_count_says_how_many_rows_are_refused(shipped, tmp_path, capsys):
    """74 values refused from a 37-row wide file (two indicator columns): the lines that count the problems say the
    file's 37 rows are refused, as the '... N more rows' line counts them, and the 74 figures apart."""
    text = wide_names_file(shipped, (SHARE, OTHER_SHARE), "lots")
    status, out = imported(shipped, tmp_path, text, capsys, "--set", "period=2021-22", "--dry-run")
    assert status == 2, out
    counted = [line for line in out.splitlines() if "problem(s)" in line]
    assert counted and all("37 of 37 file rows (74 of 74 figures) refused" in line for line in counted), counted
    lines = text.splitlines()  # the first 19 rows read whole, the other 18 one of their two figures
    text = "\n".join([lines[0], *(line.replace("lots", "0.4") for line in lines[1:20]), *lines[20:]]) + "\n"
    text = text.replace(",lots,", ",0.4,")
    status, out = imported(shipped, tmp_path, text, capsys, "--set", "period=2021-22", "--dry-run")
    counted = [line for line in out.splitlines() if "problem(s)" in line]
    assert counted and all("18 of 37 file rows (18 of 74 figures) refused" in line for line in counted), counted


# -- 4. authority names with CC, County Council, Council ----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Leicestershire CC", LEICESTERSHIRE),
        ("Leicestershire County Council", LEICESTERSHIRE),
        ("Leicestershire Council", LEICESTERSHIRE),
        ("leicestershire c.c.", LEICESTERSHIRE),
        ("North Yorkshire CC", "E10000023"),
        ("North Yorkshire County Council", "E10000023"),
        ("North Yorkshire Council", "E06000065"),
        ("Buckinghamshire County Council", "E10000002"),
        ("Durham County Council", "E06000047"),
    ],
)
def test_an_authority_name_with_its_usual_suffix_resolves_one_way(shipped, name, code):
    """``CC`` is ``County Council``; a name with it is the stored name with it, else the stored name with none."""
    from benchmarking.ingest.context import store_context
    from benchmarking.ingest.names import resolve_authorities

    resolved, unresolved = resolve_authorities([name], store_context(shipped).authorities)
    assert resolved == {name: code} and not unresolved


def test_the_review_s_file_with_leicestershire_cc_imports(shipped, tmp_path, capsys):
    """``Leicestershire CC`` in the review's file is no longer an unknown authority."""
    text = "indicator_id,authority,period,value\nNI192,Leicestershire CC,2022-23,0.4\n"
    status, out = imported(shipped, tmp_path, text, capsys)
    assert status == 0, out
    held = figures(shipped).set_index(["authority_code", "period"])["value"]
    assert held.loc[(LEICESTERSHIRE, "2022-23")] == 0.4


def test_the_ingest_layer_applies_the_lifetimes_itself_when_asked(shipped):
    """The existence rule is the ingest layer's own call (``method.lifetimes``), no callable handed in:
    ``check_batch``, ``preview_import`` and ``import_file``'s ``commit`` asked for the lifetimes (as every user import
    asks) refuse Cumberland's 2021-22 figure at its row, and the preview's coverage counts Cumberland as not existing
    then, never as missing."""
    from benchmarking.errors import ImportValidationError
    from benchmarking.ingest.preview import commit, preview_import
    from benchmarking.ingest.validation import check_batch

    frame = pd.DataFrame(
        {"indicator_id": ["NI192"], "authority_code": ["E06000063"], "period": ["2021-22"], "value": [0.4]}
    )
    items = [("indicator_value", frame, "cumb.csv")]
    batch = check_batch(shipped, items, lifetimes=True)
    assert [issue.row for issue in batch.issues] == [2]
    assert "Cumberland was formed on 1 April 2023" in batch.issues[0].message
    preview = preview_import(shipped, items, lifetimes=True)
    assert "Cumberland was formed on 1 April 2023" in " ".join(issue.message for issue in preview.issues)
    before = figures(shipped)
    with pytest.raises(ImportValidationError, match="Cumberland was formed on 1 April 2023"):
        commit(shipped, items, lifetimes=True)
    pd.testing.assert_frame_equal(figures(shipped), before)
    fine = [("indicator_value", frame.assign(authority_code="E10000006"), "cumbria.csv")]  # Cumbria then
    coverage = preview_import(shipped, fine, lifetimes=True).authorities
    assert "Cumberland" not in " ".join(str(name) for name in coverage["still_missing"])
    assert int(coverage["not_existing"].sum()) > 0
