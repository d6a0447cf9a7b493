"""Numbers are written as people read them."""

import math

import pytest

from benchmarking.text.formatting import (
    money,
    money_millions,
    number,
    ordinal,
    percent,
    position_text,
    rank_by_size,
    rank_card_text,
)


@pytest.mark.parametrize(
    "n, text",
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (32, "32nd"),
        (101, "101st"),
        (111, "111th"),
        (None, "–"),
        (math.nan, "–"),
    ],
)
def test_ordinal(n, text):
    assert ordinal(n) == text


@pytest.mark.parametrize(
    "call, text",
    [
        (lambda: position_text(3, 32), "3rd of 32"),
        (lambda: position_text(None, 32), "no position"),
        (lambda: position_text(25, 24), "below all 24"),  # beside a group of 24, below every member
        (lambda: position_text(24, 24), "24th of 24"),
        (lambda: money(1234.4), "£1,234"),
        (lambda: money(-12), "-£12"),
        (lambda: money_millions(41_234_000), "£41.2m"),
        (lambda: money_millions(1_234_000_000), "£1.23bn"),
        (lambda: percent(12.345), "12.3%"),
        (lambda: number(62.5, "%"), "62.5%"),
        (lambda: number(789, "£"), "£789"),
        (lambda: number(12345.6, "rate"), "12,346"),
        (lambda: number(7.50, "score"), "7.5"),
        (lambda: number(None, "%"), "–"),
    ],
)
def test_formats(call, text):
    assert call() == text


@pytest.mark.parametrize(
    "rank, n, text",
    [
        (1, 34, "Highest of 34"),
        (34, 34, "Lowest of 34"),
        (3, 34, "3rd highest of 34"),
        (33, 34, "2nd lowest of 34"),
        (17, 34, "17th highest of 34"),
        (18, 34, "17th lowest of 34"),
        (None, 34, "no rank"),
    ],
)
def test_rank_by_size_reads_from_the_nearer_end(rank, n, text):
    assert rank_by_size(rank, n) == text


@pytest.mark.parametrize(
    "rank, n, text",
    [
        (1, 34, "Highest of 34"),
        (34, 34, "Lowest of 34"),
        (3, 34, "3rd of 34"),
        (None, 34, "no rank"),
    ],
)
def test_rank_card_text_names_the_ends(rank, n, text):
    assert rank_card_text(rank, n) == text


def test_a_share_from_0_to_1_is_written_as_its_unit_says():
    """A share (0-1) of 0.237, 0.044 and 0.001 reads 0.237, 0.044 and 0.001 in a quartile list (value, group median,
    best in group), never 0.24, 0.04 and "0", which would say the best authority sends nothing to landfill."""
    from benchmarking.service.lists import value_text

    assert [value_text(v, "share (0-1)") for v in (0.237, 0.044, 0.001)] == ["0.237", "0.044", "0.001"]
    assert value_text(3.45, "score") == "3.45" and value_text(61.8, "% of referrals") == "61.8%"
