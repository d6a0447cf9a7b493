"""Context notes ("service not delivered", "definition changed in 2021") and where they apply."""

from __future__ import annotations

import pandas as pd

ANY = "*"


def notes_for(
    notes: pd.DataFrame | None,
    indicator_id: str | None = None,
    authority_code: str | None = None,
    period: str | None = None,
) -> pd.DataFrame:
    """Return the notes that apply to an indicator, an authority and a period ('*' rows match any).

    A note on an authority alone (indicator '*') applies to every indicator; a note on an
    indicator alone (authority '*') to every authority; period '*' to every period.
    Columns: indicator_id, authority_code, period, note, added_by, applies_to (in words).
    """
    if notes is None or notes.empty:
        return pd.DataFrame(columns=["indicator_id", "authority_code", "period", "note", "added_by", "applies_to"])
    mask = pd.Series(True, index=notes.index)
    for column, wanted in (("indicator_id", indicator_id), ("authority_code", authority_code), ("period", period)):
        if wanted is not None:
            mask &= notes[column].isin([wanted, ANY])
    out = notes[mask].copy()
    out["applies_to"] = [
        ", ".join(
            part
            for part in (
                "all indicators" if i == ANY else f"indicator {i}",
                "all authorities" if a == ANY else f"authority {a}",
                "all periods" if p == ANY else f"period {p}",
            )
        )
        for i, a, p in zip(out["indicator_id"], out["authority_code"], out["period"])
    ]
    return out.reset_index(drop=True)
