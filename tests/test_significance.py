"""Significance of change: an arrow counts as significant only beyond the indicator's usual movement."""

from __future__ import annotations

import numpy as np
import pytest
from engine_frames import indicators_frame, values_over_periods
from scipy import stats

from benchmarking.errors import BadArgumentError
from benchmarking.method.significance import (
    MAD_TO_SD,
    NOT_TESTED,
    SIGNIFICANTLY_IMPROVED,
    SIGNIFICANTLY_WORSENED,
    WITHIN_VARIATION,
    noise_scale,
    significance_counts,
    significant_change,
)
from benchmarking.method.travel import direction_of_travel
from benchmarking.service.benchmark import comparator_group, compute
from benchmarking.service.catalogue import load_catalogue
from benchmarking.store import Store

BEFORE, AFTER = "2020/21", "2021/22"
# Twelve authorities; their changes from BEFORE to AFTER (value 100 before):
#   A0..A10 move by -2.5 .. +2.5 in steps of 0.5 (usual movement), A11 jumps by +20.
#   Median change 0 (A5); |centred| = 2.5, 2, ..., 0, ..., 2.5, 20 -> median 1.5 -> noise_sd 1.5 x 1.4826 = 2.22
USUAL = [-2.5, -2.0, -1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 2.5]
CHANGES = dict(zip([f"A{i}" for i in range(12)], USUAL + [20.0]))


def frames(polarity: str = "high", changes: dict | None = None, shift: float = 0.0, **overrides):
    """Return (values, indicators) for one indicator moving by ``changes`` (+ ``shift`` for all)."""
    changes = CHANGES if changes is None else changes
    indicators = indicators_frame({"I1": {"polarity": polarity, **overrides}})
    values = values_over_periods(
        {
            BEFORE: {"I1": dict.fromkeys(changes, 100.0)},
            AFTER: {"I1": {code: 100.0 + change + shift for code, change in changes.items()}},
        }
    )
    return values, indicators


def rows_after(values, indicators, **options):
    """Return the AFTER rows of the tested travel frame, by authority."""
    travel = direction_of_travel(values, indicators)
    result = significant_change(travel, indicators, **options)
    return result[result["period"] == AFTER].set_index("authority_code")


def test_noise_scale_is_the_scaled_median_absolute_deviation():
    """The noise SD is 1.4826 x the median absolute deviation of the centred changes."""
    values, indicators = frames()
    scale = noise_scale(direction_of_travel(values, indicators)).iloc[0]
    assert scale["noise_sd"] == pytest.approx(MAD_TO_SD * 1.5)
    assert (scale["n_changes"], scale["method"]) == (12, "MAD")


@pytest.mark.parametrize(
    "polarity, code, assessment",
    [
        # a jump of 20 against noise of 2.2: z = 9
        ("high", "A11", SIGNIFICANTLY_IMPROVED),
        ("low", "A11", SIGNIFICANTLY_WORSENED),
        # +2.5 passes the 1% arrow threshold but is within the usual movement (z = 1.12)
        ("high", "A10", WITHIN_VARIATION),
        ("low", "A0", WITHIN_VARIATION),
    ],
)
def test_changes_are_judged_against_the_indicators_noise(polarity, code, assessment):
    """Only the change beyond the usual movement is significant, in the polarity's direction."""
    rows = rows_after(*frames(polarity))
    assert rows.loc[code, "assessment"] == assessment
    assert rows.loc[code, "direction"] in ("improved", "worsened")


def test_z_and_p_value_follow_the_normal_test():
    """z = gain / noise_sd and p = 2(1 - Phi(|z|)); significance at 5% is |z| > 1.96."""
    rows = rows_after(*frames("high"))
    noise = MAD_TO_SD * 1.5
    assert rows.loc["A10", "z"] == pytest.approx(2.5 / noise)
    assert rows.loc["A10", "p_value"] == pytest.approx(2 * stats.norm.sf(2.5 / noise))
    assert rows["significant"].sum() == 1
    loose = rows_after(*frames("high"), alpha=0.3)
    assert loose.loc["A10", "significant"]


def test_a_shift_that_moves_everyone_is_not_counted_as_noise():
    """When every authority rises by 30 the noise scale is unchanged and each rise is significant."""
    rows = rows_after(*frames("high", shift=30.0))
    assert rows["noise_sd"].iloc[0] == pytest.approx(MAD_TO_SD * 1.5)
    assert (rows["assessment"] == SIGNIFICANTLY_IMPROVED).all()


def test_target_polarity_judges_the_move_towards_the_midpoint():
    """For a target of 120, the jump from 100 to 120 is a significant improvement."""
    rows = rows_after(*frames("target", target_midpoint=120.0))
    assert rows.loc["A11", "gain"] == pytest.approx(20.0)
    assert rows.loc["A11", "assessment"] == SIGNIFICANTLY_IMPROVED


def test_rows_without_a_comparison_or_enough_changes_are_not_tested():
    """A first period, or an indicator with fewer changes than min_changes, gets 'not tested'."""
    values, indicators = frames()
    travel = direction_of_travel(values, indicators)
    result = significant_change(travel, indicators)
    assert (result.loc[result["period"] == BEFORE, "assessment"] == NOT_TESTED).all()
    few = rows_after(values, indicators, min_changes=13)
    assert (few["assessment"] == NOT_TESTED).all() and not few["significant"].any()


def test_coarse_indicators_fall_back_to_the_standard_deviation():
    """When most centred changes are 0 (MAD = 0) the ordinary SD of the centred changes is used."""
    changes = {f"A{i}": 0.0 for i in range(11)} | {"A11": 6.0}
    values, indicators = frames(changes=changes)
    scale = noise_scale(direction_of_travel(values, indicators)).iloc[0]
    assert scale["method"] == "SD"
    assert scale["noise_sd"] == pytest.approx(np.std([0.0] * 11 + [6.0], ddof=1))


def test_bad_alpha_is_refused():
    """alpha outside (0, 1) raises BadArgumentError naming it."""
    values, indicators = frames()
    with pytest.raises(BadArgumentError, match="alpha"):
        significant_change(direction_of_travel(values, indicators), indicators, alpha=5)


def test_demo_flags_fewer_changes_than_the_arrows(demo_store_path):
    """On the demo, significant changes are a subset of the arrows and far fewer than them."""
    catalogue = load_catalogue(Store(demo_store_path))
    bench = compute(catalogue, comparator_group(catalogue, "all"))
    result = significant_change(bench.travel, catalogue.indicators)
    arrows = result["direction"].isin(["improved", "worsened"])
    assert not (result["significant"] & ~arrows).any()
    assert result["significant"].sum() < 0.5 * arrows.sum()
    assert len(result) == len(bench.travel)
    counts = significance_counts(result)
    assert counts["n_indicators"].sum() == len(result)
