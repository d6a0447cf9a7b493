"""Period labels are read into sortable start dates; bad or future labels are refused."""

import datetime as dt

import pytest

from benchmarking.errors import BadPeriodError
from benchmarking.method.periods import financial_year_label, period_start, period_status

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


@pytest.mark.parametrize(
    "label, status",
    [("2024 (Rev)", "revised"), ("2023-24 (P)", "provisional"), ("2023 (provisional)", "provisional"), ("2023", None)],
)
def test_period_status_reads_markers(label, status):
    assert period_status(label) == status


def test_financial_year_label():
    assert financial_year_label(2021) == "2021/22"
    assert financial_year_label(1999) == "1999/00"
