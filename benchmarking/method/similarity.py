"""Similar authorities: the k nearest authorities on standardised context variables.

Pure functions. "Who is genuinely like us?" is answered the way statistical-neighbour
models (CIPFA, the DfE's, Oflog's) answer it: describe every authority by a few context
variables, put them on one scale and measure distance.

Conventions
-----------
* **Context variables** (``context_features``): ``population`` (log10 of the resident
  population, as size effects are proportional), ``deprivation`` (IMD average score of
  the latest edition: higher = more deprived), ``spend_per_head`` (total net revenue
  expenditure per head, £), ``funding_per_head`` (core spending power per head, £), and
  ``rurality`` when the authority table carries such a column (e.g. the share of the
  population in rural areas). Spend and funding come from the latest period with data up
  to ``period`` (the latest overall when ``period`` is None), so a computed group does not
  shift with the period on screen unless asked.
* **Standardising.** Each variable becomes a z-score across the authorities described
  (mean 0, population standard deviation 1); a variable that does not vary is dropped.
* **Distance** between two authorities = root mean square difference of their z-scores
  over the variables both have: ``sqrt(mean_j (z_aj - z_bj)^2)``. It is symmetric, 0 for
  an authority and itself, and on the scale of one standard deviation per variable, so
  it reads the same however many variables are available. Pairs sharing no variable are
  infinitely far apart.
* **Nearest neighbours** of an authority: the ``k`` others with the smallest distance,
  ties broken by authority code; the authority itself is never its own neighbour. They are
  chosen among the authorities that existed in the period on screen (``among``, by the one
  existence rule of ``service.group_size``): never an authority abolished before it or formed
  after it.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import pandas as pd

from benchmarking.errors import BadArgumentError, DuplicateKeyError, UnknownAuthorityError
from benchmarking.method.ranking import require_columns

TOTAL_SERVICE = "total"
FEATURE_LABELS = {
    "population": "Population (log10)",
    "deprivation": "Deprivation (IMD average score)",
    "spend_per_head": "Net revenue expenditure per head (£)",
    "funding_per_head": "Core spending power per head (£)",
    "rurality": "Rurality",
}
"""Context variables and how to name them for people, in the order they are used."""

NEIGHBOUR_COLUMNS = ("authority_code", "distance", "neighbour_rank")
"""Leading columns of ``nearest_neighbours`` (the raw feature values follow)."""


# ---------------------------------------------------------------------------------------
# Context variables
# ---------------------------------------------------------------------------------------


def context_features(
    authorities: pd.DataFrame,
    spend: pd.DataFrame | None = None,
    funding: pd.DataFrame | None = None,
    deprivation: pd.DataFrame | None = None,
    period: str | None = None,
    period_order: list[str] | None = None,
) -> pd.DataFrame:
    """Return one row per authority with its context variables (raw values, NaN = missing).

    Columns: ``authority_code`` then those of ``FEATURE_LABELS`` that have data.
    ``period_order`` lists period labels oldest first (``Catalogue.periods['label']``);
    without it labels are sorted as text. Spend and funding use the latest period up to
    ``period`` with data for the authority.
    """
    require_columns(authorities, ("code",), "authorities")
    result = pd.DataFrame({"authority_code": authorities["code"].astype(str).to_numpy()})
    if "population" in authorities.columns:
        population = pd.to_numeric(authorities["population"], errors="coerce").to_numpy(dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            result["population"] = np.where(population > 0, np.log10(population), np.nan)
    if deprivation is not None and len(deprivation):
        require_columns(deprivation, ("authority_code", "edition", "average_score"), "deprivation")
        latest = sorted(deprivation["edition"].dropna().unique())[-1]
        rows = deprivation.loc[deprivation["edition"] == latest]
        result["deprivation"] = result["authority_code"].map(rows.groupby("authority_code")["average_score"].first())
    if spend is not None and len(spend):
        require_columns(spend, ("authority_code", "period", "service", "net_expenditure_per_head"), "spend")
        total = spend.loc[spend["service"] == TOTAL_SERVICE]
        result["spend_per_head"] = result["authority_code"].map(
            _latest_value(total, "net_expenditure_per_head", period, period_order)
        )
    if funding is not None and len(funding):
        require_columns(funding, ("authority_code", "period", "core_spending_power_per_head"), "funding")
        result["funding_per_head"] = result["authority_code"].map(
            _latest_value(funding, "core_spending_power_per_head", period, period_order)
        )
    if "rurality" in authorities.columns:
        result["rurality"] = pd.to_numeric(authorities["rurality"], errors="coerce").to_numpy()
    features = [name for name in FEATURE_LABELS if name in result.columns]
    for name in features:
        result[name] = result[name].astype(float)
    keep = [name for name in features if result[name].notna().any()]
    return result[["authority_code", *keep]]


def standardise(features: pd.DataFrame) -> pd.DataFrame:
    """Return the features as z-scores (mean 0, population SD 1); constant ones are dropped."""
    require_columns(features, ("authority_code",), "features")
    values = features.drop(columns="authority_code").astype(float)
    mean, sd = values.mean(), values.std(ddof=0)
    varying = sd[sd > 0].index
    z = (values[varying] - mean[varying]) / sd[varying]
    return pd.concat([features[["authority_code"]].reset_index(drop=True), z.reset_index(drop=True)], axis=1)


# ---------------------------------------------------------------------------------------
# Distances and neighbours
# ---------------------------------------------------------------------------------------


def distance_matrix(features: pd.DataFrame) -> pd.DataFrame:
    """Return the authority x authority distance matrix on standardised features.

    Symmetric with a zero diagonal; index and columns are the authority codes. Distance =
    root mean square z-score difference over the variables both authorities have.
    """
    z = standardise(features)
    codes = z["authority_code"].to_numpy()
    if codes.size != len(set(codes)):
        raise DuplicateKeyError("features lists an authority more than once; keep one row each")
    values = z.drop(columns="authority_code").to_numpy(dtype=float)
    present = ~np.isnan(values)
    filled = np.where(present, values, 0.0)
    # sum_j (x_aj - x_bj)^2 over shared j, from three matrix products over the masks.
    squares = (filled**2) @ present.T.astype(float)
    shared = present.astype(float) @ present.T.astype(float)
    total = squares + squares.T - 2 * filled @ filled.T
    with np.errstate(invalid="ignore", divide="ignore"):
        distance = np.sqrt(np.clip(total, 0, None) / shared)
    distance[shared == 0] = np.inf
    distance = (distance + distance.T) / 2  # exact symmetry despite rounding
    np.fill_diagonal(distance, 0.0)
    return pd.DataFrame(distance, index=codes, columns=codes)


def nearest_neighbours(
    features: pd.DataFrame, authority_code: str, k: int, among: Collection[str] | None = None
) -> pd.DataFrame:
    """Return the ``k`` authorities nearest ``authority_code`` on the context variables.

    Columns: ``authority_code``, ``distance``, ``neighbour_rank`` (1 = nearest), then each
    context variable's raw value. The authority itself is never listed; fewer than ``k``
    rows when fewer others exist. ``among``: the authorities it may be compared with (those
    that existed in the period on screen), standardised among themselves; default every
    authority described. Raises UnknownAuthorityError and BadArgumentError (k < 1).
    """
    if int(k) < 1:
        raise BadArgumentError(f"k must be a positive number of neighbours, got {k!r}")
    if among is not None:
        features = features.loc[features["authority_code"].isin({*among, authority_code})]
    distances = distance_matrix(features)
    if authority_code not in distances.index:
        raise UnknownAuthorityError(
            f"authority {authority_code!r} has no context variables; it is not among the "
            f"{len(distances)} authorities described. Check the code."
        )
    row = distances.loc[authority_code].drop(authority_code)
    row = row[np.isfinite(row.to_numpy())]
    ranked = pd.DataFrame({"authority_code": row.index.astype(str), "distance": row.to_numpy()})
    ranked = ranked.sort_values(["distance", "authority_code"], kind="stable").head(int(k))
    ranked["neighbour_rank"] = np.arange(1, len(ranked) + 1)
    raw = features.set_index("authority_code")
    return ranked.join(raw, on="authority_code").reset_index(drop=True)


def distances_to(features: pd.DataFrame, authority_code: str, others: list[str] | None = None) -> pd.DataFrame:
    """Return the distance from ``authority_code`` to ``others`` (default every authority).

    Columns: ``authority_code``, ``distance``, ``neighbour_rank`` (its place among all
    authorities by distance, 1 = nearest), sorted by distance. Useful to show how close a
    published neighbour list is on these variables.
    """
    all_neighbours = nearest_neighbours(features, authority_code, max(len(features) - 1, 1))
    if others is None:
        return all_neighbours[list(NEIGHBOUR_COLUMNS)]
    wanted = all_neighbours.loc[all_neighbours["authority_code"].isin(list(others))]
    return wanted[list(NEIGHBOUR_COLUMNS)].reset_index(drop=True)


# ---------------------------------------------------------------------------------------
# Private helpers
# ---------------------------------------------------------------------------------------


def _latest_value(frame: pd.DataFrame, column: str, period: str | None, period_order: list[str] | None) -> pd.Series:
    """Return each authority's ``column`` in its latest period with a value, up to ``period``."""
    order = list(period_order) if period_order is not None else sorted(map(str, frame["period"].unique()))
    position = {label: i for i, label in enumerate(order)}
    rows = frame.loc[frame[column].notna(), ["authority_code", "period", column]].copy()
    rows["order"] = rows["period"].map(position)
    rows = rows.dropna(subset=["order"])
    if period is not None and period in position:
        rows = rows.loc[rows["order"] <= position[period]]
    latest = rows.sort_values("order").drop_duplicates("authority_code", keep="last")
    return latest.set_index("authority_code")[column]
