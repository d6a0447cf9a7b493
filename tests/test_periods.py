"""Period labels are read into sortable start dates; bad or future labels are refused."""

import datetime as dt
import itertools

import pytest

from benchmarking.errors import BadPeriodError
from benchmarking.method.periods import (
    financial_year_label,
    financial_years_of,
    is_financial_year,
    midpoint_or_none,
    period_alias,
    period_end,
    period_span,
    period_start,
    pooled_years_label,
    same_days,
    span_or_none,
    spelt_as,
    split_status,
    status_of_marker,
)

TODAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize(
    "label, start",
    [
        # financial and academic years start in April
        ("2020/21", dt.date(2020, 4, 1)),
        ("2020-21", dt.date(2020, 4, 1)),
        ("2020/2021", dt.date(2020, 4, 1)),
        ("1999/00", dt.date(1999, 4, 1)),
        # multi-year spans start in January of the first year
        ("2014-16", dt.date(2014, 1, 1)),
        ("2018-21", dt.date(2018, 1, 1)),
        # calendar years, months, quarters, ISO dates
        ("2021", dt.date(2021, 1, 1)),
        ("Mar 2022", dt.date(2022, 3, 1)),
        ("March 2022", dt.date(2022, 3, 1)),
        ("Q3 2021/22", dt.date(2021, 10, 1)),
        ("Q4 2021/22", dt.date(2022, 1, 1)),
        ("2022-03-31", dt.date(2022, 3, 31)),
        # status markers are ignored for the date
        ("2024 (Rev)", dt.date(2024, 1, 1)),
        ("2023-24 (P)", dt.date(2023, 4, 1)),
    ],
)
def test_period_start_reads_published_labels(label, start):
    """Each published label form gives its first day."""
    assert period_start(label, today=TODAY) == start


@pytest.mark.parametrize("label", ["", "last year", "2021/19", "13/2022", "Foo 2021", "2022-02-30", "0021"])
def test_period_start_refuses_unreadable_labels(label):
    """Unreadable labels raise BadPeriodError naming the label."""
    with pytest.raises(BadPeriodError, match="unrecognised period"):
        period_start(label, today=TODAY)


def test_period_start_refuses_future_periods():
    """A period that starts after today is refused."""
    with pytest.raises(BadPeriodError, match="in the future"):
        period_start("2027/28", today=TODAY)
    assert period_start("2026/27", today=TODAY) == dt.date(2026, 4, 1)


def test_financial_year_label():
    assert financial_year_label(2021) == "2021/22"
    assert financial_year_label(1999) == "1999/00"


@pytest.mark.parametrize(
    "label, text, marker",
    [
        ("2024 (Rev)", "2024", "Rev"),
        (" 2023-24 (OT) ", "2023-24", "OT"),
        ("2020/21(p)", "2020/21", "p"),
        ("2024 (est)", "2024", "est"),
        ("2023-24", "2023-24", None),
    ],
)
def test_split_status_takes_off_a_trailing_marker(label, text, marker):
    """The bracketed marker at the end of a label is split from the period, whatever it says."""
    assert split_status(label) == (text, marker)


@pytest.mark.parametrize(
    "marker, status",
    [("Rev", "revised"), ("r", "revised"), ("PROV", "provisional"), ("Final", "final"), ("OT", "final"), ("est", None)],
)
def test_status_of_marker_is_one_rule(marker, status):
    """One vocabulary of status markers, read without regard to case."""
    assert status_of_marker(marker) == status


def test_a_marker_that_names_no_status_makes_the_label_unreadable():
    """Only status markers are ignored: other bracketed text is not a period."""
    with pytest.raises(BadPeriodError, match="unrecognised period"):
        period_start("2024 (est)", today=TODAY)


@pytest.mark.parametrize(
    "label, expected",
    [
        ("2013/14-15/16", "2013/14-2015/16"),
        ("2013/14-2015/16", "2013/14-2015/16"),
        ("1998/99-00/01", "1998/99-2000/01"),
        ("2015/16-13/14", None),
        ("2013/15-15/16", None),
        ("2013-16", None),
        ("2021/22", None),
    ],
)
def test_pooled_years_label_names_the_first_and_last_financial_years(label, expected):
    """A span of financial years is labelled with the first and the last financial year it pools (review r4: it was
    ``2013-16``, which reads as the calendar years January 2013 to December 2016)."""
    assert pooled_years_label(label) == expected


@pytest.mark.parametrize("label", ["2013/14-2015/16", "2013/14-15/16"])
def test_a_span_of_financial_years_runs_from_april_to_march(label):
    """Three financial years pooled: 1 April 2013 to 31 March 2016, the three years' days and no others."""
    assert period_span(label) == (dt.date(2013, 4, 1), dt.date(2016, 3, 31))
    assert financial_years_of(label) == ["2013/14", "2014/15", "2015/16"]
    assert period_span(pooled_years_label(label)) == period_span(label)


def test_tolerant_span_midpoint_and_end():
    """The tolerant readers give None (or 1 Jan 1900 for the end) where the label is unreadable."""
    assert span_or_none("2022-23") == (dt.date(2022, 4, 1), dt.date(2023, 3, 31))
    assert span_or_none("0") is None
    assert midpoint_or_none("2022-23") == dt.date(2022, 9, 30)
    assert midpoint_or_none(dt.date(2021, 4, 1)) == dt.date(2021, 4, 1)
    assert midpoint_or_none("soon") is None
    assert period_end("Jun 2021") == dt.date(2021, 6, 30)
    assert period_end("soon") == dt.date(1900, 1, 1)


@pytest.mark.parametrize(
    "label, years",
    [
        ("Mar 2022", ["2021/22"]),
        ("2021", ["2020/21", "2021/22"]),
        ("2022-03-31", ["2021/22"]),
        ("2021/22", ["2021/22"]),
        ("2020-2022", ["2019/20", "2020/21", "2021/22", "2022/23"]),
        ("2014-16", ["2013/14", "2014/15", "2015/16", "2016/17"]),
    ],
)
def test_the_financial_years_a_period_falls_in(label, years):
    """A month, a calendar year or a day names the financial years it overlaps (for the refusal message)."""
    assert financial_years_of(label) == years


@pytest.mark.parametrize("label", ["2020-2022", "2020-22", "2014-16", "2021", "Mar 2022", "2022-03-31"])
def test_the_financial_years_named_are_exactly_those_whose_days_overlap_the_period(label):
    """Issue 19 review: ``2020-2022`` is three calendar years, 1 Jan 2020 to 31 Dec 2022, so it overlaps four
    financial years (Jan-Mar 2020 is 2019/20's, Apr-Dec 2022 is 2022/23's); the years just outside do not."""
    start, end = period_span(label)
    years = financial_years_of(label)
    for year in years:
        first, last = period_span(year)
        assert first <= end and start <= last
    before, after = period_span(years[0])[0] - dt.timedelta(days=1), period_span(years[-1])[1] + dt.timedelta(days=1)
    assert before < start and after > end
    assert all(period_span(b)[0] - period_span(a)[1] == dt.timedelta(days=1) for a, b in itertools.pairwise(years))


def test_an_alias_is_the_stored_label_with_the_same_days():
    """`2021-22`, `2021/2022` and `2021/22 (P)` mean the stored `2021/22`; `2021` and `Mar 2022` do not."""
    stored = ["2020/21", "2021/22"]
    assert [period_alias(label, stored) for label in ["2021-22", "2021/2022", "2021/22 (P)"]] == ["2021/22"] * 3
    assert period_alias("2021", stored) is None and period_alias("Mar 2022", stored) is None
    assert is_financial_year("2021-22 (P)") and not is_financial_year("2014-16") and not is_financial_year("2021")


def test_labels_naming_the_same_days_are_grouped_and_spelt_as_the_store_spells_them():
    """'2010/11', '2010-11' and '2010/2011' name one financial year; '2011/12' and a label of no days stand alone."""
    groups = same_days(["2010/11", "2011/12", "2010-11", "2010/2011", "someday"])
    assert [sorted(group) for group in groups] == [["2010-11", "2010/11", "2010/2011"]]
    assert spelt_as(groups[0], ["2020/21", "2021/22", "2022-23"]) == "2010/11"
    assert spelt_as(groups[0], ["2020-21"]) == "2010-11"
    assert spelt_as(groups[0], []) == min(groups[0])
