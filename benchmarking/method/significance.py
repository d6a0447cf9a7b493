"""Significance of change: is a direction-of-travel arrow more than year-to-year noise?

Pure functions on the output of ``travel.direction_of_travel``. The Compendium's arrows
"do not necessarily represent statistically significant change": any move beyond 1% of
the previous value earns one. Here an arrow is marked significant only when the change is
larger than the indicator's own year-to-year variation across authorities suggests.

The test
--------
* **Noise scale per indicator.** For every authority and period with a previous value,
  take the change ``value - previous_value``. Within each indicator x period, subtract the
  median change of the group (so a national shift that moves everyone does not count as
  noise), then estimate the spread of what is left robustly:
  ``noise_sd = 1.4826 x median(|centred change|)`` pooled over every authority and period
  of the indicator (the scaled median absolute deviation, a standard deviation for normal
  noise that a few genuine large changes cannot inflate). When more than half the centred
  changes are exactly 0 (coarse, rounded indicators) the MAD is 0 and the ordinary
  standard deviation of the centred changes is used instead.
* **Test.** ``z = gain / noise_sd``, where ``gain`` is the change in the good direction
  (``travel``'s convention: a fall for ``low`` polarity, a move towards the midpoint for
  ``target``). The change is *significant* when ``|z| > z_crit``, two-sided at
  ``alpha`` (default 0.05, ``z_crit`` = 1.96); ``p_value = 2 x (1 - Phi(|z|))``.
  Significant changes are "significantly improved" or "significantly worsened"; other
  comparable changes are "within normal variation". Significance marks an arrow, so a
  change ``travel`` calls "no real change" (within its 1% tolerance) is never significant.
* **Not tested**: rows ``travel`` marks not comparable, and indicators with fewer than
  ``min_changes`` (default 10) changes to estimate the noise from, or no spread at all.
* **Caveats.** The test treats an authority's change as one draw from the indicator's
  typical authority-level fluctuation; it does not know sampling error of a particular
  survey or small counts. Across many indicators about ``alpha`` of unchanged ones will
  still be flagged by chance (1 in 20 at 5%); no multiple-testing correction is applied.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from benchmarking.errors import BadArgumentError
from benchmarking.method.ranking import indicator_polarities, require_columns
from benchmarking.method.travel import IMPROVED, NOT_COMPARABLE, WORSENED

MAD_TO_SD = 1.4826
DEFAULT_ALPHA = 0.05
DEFAULT_MIN_CHANGES = 10

SIGNIFICANTLY_IMPROVED = "significantly improved"
SIGNIFICANTLY_WORSENED = "significantly worsened"
WITHIN_VARIATION = "within normal variation"
NOT_TESTED = "not tested"
ASSESSMENTS = (SIGNIFICANTLY_IMPROVED, WITHIN_VARIATION, SIGNIFICANTLY_WORSENED, NOT_TESTED)

SIGNIFICANCE_COLUMNS = (
    "gain",
    "noise_sd",
    "n_changes",
    "z",
    "p_value",
    "significant",
    "assessment",
)
"""Columns ``significant_change`` adds to the travel frame."""


def noise_scale(travel: pd.DataFrame) -> pd.DataFrame:
    """Return each indicator's year-to-year noise scale across authorities.

    Columns: ``indicator_id``, ``noise_sd`` (NaN when the changes do not vary),
    ``n_changes`` (changes it was estimated from), ``method`` ('MAD' or 'SD').
    """
    require_columns(travel, ("indicator_id", "period", "change"), "travel")
    changes = travel.loc[travel["change"].notna(), ["indicator_id", "period", "change"]]
    # Integer codes for the groupings: grouping millions of rows by label is slow.
    indicator_code, indicator_ids = pd.factorize(changes["indicator_id"])
    period_code, periods = pd.factorize(changes["period"])
    change = changes["change"].to_numpy(dtype=float)
    pair = indicator_code.astype(np.int64) * max(len(periods), 1) + period_code
    median = pd.Series(change).groupby(pair).transform("median").to_numpy()
    centred = pd.Series(change - median)
    by_indicator = pd.Series(indicator_code)
    summary = pd.DataFrame(
        {
            "mad": centred.abs().groupby(by_indicator).median() * MAD_TO_SD,
            "sd": centred.groupby(by_indicator).std(ddof=1),
            "n_changes": centred.groupby(by_indicator).size(),
        }
    )
    labels = np.asarray(indicator_ids, dtype=object)[summary.index]
    summary.index = pd.Index(labels, name="indicator_id")
    summary = summary.sort_index()
    use_mad = summary["mad"] > 0
    summary["noise_sd"] = summary["mad"].where(use_mad, summary["sd"])
    summary.loc[~(summary["noise_sd"] > 0), "noise_sd"] = np.nan
    summary["method"] = np.where(use_mad, "MAD", "SD")
    return summary.reset_index()[["indicator_id", "noise_sd", "n_changes", "method"]]


def significant_change(
    travel: pd.DataFrame,
    indicators: pd.DataFrame,
    alpha: float = DEFAULT_ALPHA,
    min_changes: int = DEFAULT_MIN_CHANGES,
) -> pd.DataFrame:
    """Return ``travel`` with each change tested against its indicator's noise scale.

    Adds ``SIGNIFICANCE_COLUMNS``: ``gain`` (change in the good direction), ``noise_sd``,
    ``n_changes``, ``z``, ``p_value``, ``significant`` (bool), ``assessment`` (categorical:
    significantly improved / within normal variation / significantly worsened / not
    tested). Rows keep their order. See the module docstring for the test.
    """
    require_columns(
        travel, ("indicator_id", "authority_code", "period", "value", "previous_value", "change", "direction"), "travel"
    )
    if not 0 < alpha < 1:
        raise BadArgumentError(f"alpha must lie strictly between 0 and 1 (0.05 = 5%), got {alpha!r}")
    if int(min_changes) < 2:
        raise BadArgumentError(f"min_changes must be at least 2, got {min_changes!r}")
    polarity, midpoint = indicator_polarities(indicators)
    # Per-indicator figures are looked up once per indicator, then taken to rows by code.
    code, ids = pd.factorize(travel["indicator_id"])
    scale = noise_scale(travel).set_index("indicator_id").reindex(ids)
    noise_sd = scale["noise_sd"].to_numpy(dtype=float)[code]
    n_changes = scale["n_changes"].fillna(0).astype(np.int64).to_numpy()[code]
    noise_sd = np.where(n_changes >= int(min_changes), noise_sd, np.nan)

    value = travel["value"].to_numpy(dtype=float, na_value=np.nan)
    previous = travel["previous_value"].to_numpy(dtype=float, na_value=np.nan)
    kind = polarity.reindex(ids).to_numpy()[code]
    target = midpoint.reindex(ids).to_numpy(dtype=float)[code]
    gain = np.select(
        [kind == "high", kind == "low", kind == "target"],
        [value - previous, previous - value, np.abs(previous - target) - np.abs(value - target)],
        np.nan,
    )
    direction = travel["direction"]  # categorical from direction_of_travel: compared by code
    comparable = (direction != NOT_COMPARABLE).to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        z = np.where(comparable, gain / noise_sd, np.nan)
    tested = ~np.isnan(z)
    critical = stats.norm.ppf(1 - alpha / 2)
    has_arrow = direction.isin([IMPROVED, WORSENED]).to_numpy()
    significant = tested & has_arrow & (np.abs(np.nan_to_num(z)) > critical)
    p_value = np.where(tested, 2 * stats.norm.sf(np.abs(np.nan_to_num(z))), np.nan)
    codes = np.select([significant & (z > 0), significant & (z < 0), tested], [0, 2, 1], 3)

    result = travel.copy()
    result["gain"] = np.where(comparable, gain, np.nan)
    result["noise_sd"] = noise_sd
    result["n_changes"] = n_changes
    result["z"] = z
    result["p_value"] = p_value
    result["significant"] = significant
    result["assessment"] = pd.Categorical.from_codes(codes.astype(np.int8), categories=list(ASSESSMENTS))
    return result


def significance_counts(tested: pd.DataFrame) -> pd.DataFrame:
    """Return how many rows fall in each assessment beside each arrow (direction).

    Columns: ``direction``, ``assessment``, ``n_indicators`` (every pair listed).
    """
    require_columns(tested, ("direction", "assessment"), "tested")
    counts = tested.groupby(["direction", "assessment"], observed=False).size()
    return counts.rename("n_indicators").reset_index()
