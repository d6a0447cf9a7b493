"""``rests_on_frame`` (grouped by integer codes) against a plain count, row by row, of what each
position rests on: indicators ranked, the largest theme and its share."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd
import pytest

from benchmarking.method.baskets import ALL, INDICATORS, THEMES, Basket
from benchmarking.method.positions import LA_CORE, OVERALL
from benchmarking.service.basket_sensitivity import rests_on_frame


def _plain(ranks: pd.DataFrame, indicators: pd.DataFrame, weights: dict[str, float] | None, balance: str):
    """Return {(period, theme, authority): (n, largest theme, share)} counted row by row."""
    theme_of = dict(zip(indicators["id"], indicators["theme"]))
    core_of = dict(zip(indicators["id"], indicators["is_core"]))
    parts: dict[tuple, dict[str, list[float]]] = defaultdict(lambda: defaultdict(lambda: [0, 0.0]))
    for row in ranks.itertuples(index=False):
        if pd.isna(row.rank) or row.indicator_id not in theme_of:
            continue
        part = theme_of[row.indicator_id]
        weight = 1.0 if weights is None else weights.get(row.indicator_id, 0.0)
        positions = [OVERALL, part] + ([LA_CORE] if core_of[row.indicator_id] else [])
        for theme in positions:
            parts[(row.period, theme, row.authority_code)][part][0] += 1
            parts[(row.period, theme, row.authority_code)][part][1] += weight
    result = {}
    for key, by_part in parts.items():
        total_n = sum(n for n, _ in by_part.values())
        weight = {part: (1.0 if balance == THEMES else w) for part, (_, w) in by_part.items()}
        total = sum(weight.values())
        share, largest = max((w / total, part) for part, w in weight.items())
        if balance == THEMES and len(by_part) > 1:
            largest = None
        result[key] = (total_n, largest, share)
    return result


@pytest.mark.parametrize("balance", [INDICATORS, THEMES])
@pytest.mark.parametrize("seed", [1, 2])
def test_rests_on_frame_matches_a_plain_count(seed, balance):
    rng = np.random.default_rng(seed)
    ids = [f"i{n:02d}" for n in range(25)]
    themes = ["Economy", "Health", OVERALL, "Zoo"]  # a theme named like the Overall position counts with it
    indicators = pd.DataFrame(
        {"id": ids, "theme": rng.choice(themes, len(ids)), "is_core": rng.random(len(ids)) < 0.5, "polarity": "high"}
    )
    rows = [
        (i, a, p, float(rng.integers(1, 5)) if rng.random() < 0.8 else np.nan)
        for i in [*ids, "unknown"]
        for a in ("E1", "E2", "E3")
        for p in ("2020/21", "2021/22")
    ]
    ranks = pd.DataFrame(rows, columns=["indicator_id", "authority_code", "period", "rank"])
    ranks = ranks.sample(frac=1.0, random_state=seed).reset_index(drop=True)
    weights = {i: float(w) for i, w in zip(ids, rng.choice([0.5, 1.0, 2.0], len(ids)))}
    for basket, chosen in ((ALL, None), (Basket("b", "B", pd.Series(weights)), weights)):
        got = rests_on_frame(ranks, indicators, basket, balance)
        expected = _plain(ranks, indicators, chosen, balance)
        assert len(got) == len(expected)
        for row in got.itertuples(index=False):
            n, largest, share = expected[(row.period, row.theme, row.authority_code)]
            assert (row.rests_on_indicators, row.largest_theme) == (n, largest)
            assert row.largest_theme_share == pytest.approx(share)
