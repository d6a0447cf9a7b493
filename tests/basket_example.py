"""The hand-worked basket example shared by the basket tests: four authorities, two themes.

Theme "Adults" has three indicators (a1, a2, a3), theme "Roads" one (r1). Every indicator has
'low' polarity and the values are the ranks themselves (1 = best), so the table reads as ranks:

    rank   a1  a2  a3 | r1   mean of 4 (indicators)   Adults  Roads  mean of themes
    A       1   1   2 |  4   8/4  = 2.00               4/3     4      8/3  = 2.667
    B       2   3   1 |  1   7/4  = 1.75               6/3=2   1      3/2  = 1.500
    C       3   2   3 |  2   10/4 = 2.50               8/3     2      7/3  = 2.333
    D       4   4   4 |  3   15/4 = 3.75               4       3      7/2  = 3.500

Overall by indicators (the Compendium's rule): B 1st, A 2nd, C 3rd, D 4th.
Overall theme-balanced:                       B 1st, C 2nd, A 3rd, D 4th (A and C swap).

Every indicator is LA Core, so LA Core follows the same two orders.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from benchmarking.store import Store

PERIOD = "2021/22"
RANKS = {
    "a1": {"A": 1, "B": 2, "C": 3, "D": 4},
    "a2": {"A": 1, "B": 3, "C": 2, "D": 4},
    "a3": {"A": 2, "B": 1, "C": 3, "D": 4},
    "r1": {"A": 4, "B": 1, "C": 2, "D": 3},
}
THEME = {"a1": "Adults", "a2": "Adults", "a3": "Adults", "r1": "Roads"}
CODES = {"A": "E10000002", "B": "E10000003", "C": "E10000006", "D": "E10000007"}
"""Store codes for the four authorities (county council codes; A is the focus)."""
BY_INDICATORS = {"A": 2.0, "B": 1.75, "C": 2.5, "D": 3.75}
BY_THEMES = {"A": 8 / 3, "B": 1.5, "C": 7 / 3, "D": 3.5}
POSITIONS_BY_INDICATORS = {"A": 2, "B": 1, "C": 3, "D": 4}
POSITIONS_BY_THEMES = {"A": 3, "B": 1, "C": 2, "D": 4}
HOSTILE_NAME = "=cmd() <script>alert(1)</script> **bold**"


def example_store(path) -> Store:
    """Return a store at ``path`` holding the example (A is the focus) and two baskets:
    ``adults`` (a1, a2, a3: the Adults theme) and ``weighted`` (a1 weight 2, r1 weight 1,
    with a hostile name)."""
    store = Store(path)
    store.write(
        {
            "authority": pd.DataFrame(
                {
                    "code": list(CODES.values()),
                    "name": [f"Authority {letter}" for letter in CODES],
                    "kind": ["county council"] * 4,
                    "region": ["East Midlands"] * 4,
                    "population": [100_000] * 4,
                }
            ),
            "indicator": pd.DataFrame(
                {
                    "id": list(THEME),
                    "name": [f"Indicator {i}" for i in THEME],
                    "theme": list(THEME.values()),
                    "polarity": ["low"] * 4,
                    "is_core": [True] * 4,
                }
            ),
            "period": pd.DataFrame({"label": [PERIOD], "start_date": [date(2021, 4, 1)]}),
            "indicator_value": pd.DataFrame(
                [
                    {"indicator_id": i, "authority_code": CODES[a], "period": PERIOD, "value": float(r)}
                    for i, by in RANKS.items()
                    for a, r in by.items()
                ]
            ).assign(status="final"),
            "basket": pd.DataFrame(
                {
                    "basket_id": ["adults"] * 3 + ["weighted"] * 2,
                    "name": ["Adults only"] * 3 + [HOSTILE_NAME] * 2,
                    "indicator_id": ["a1", "a2", "a3", "a1", "r1"],
                    "weight": [1.0, 1.0, 1.0, 2.0, 1.0],
                    "note": [None] * 5,
                    "version": [None] * 5,
                }
            ),
        },
        dataset={"name": "Basket example", "source": "hand-made", "kind": "public", "file_name": "example"},
        settings={"focus_authority": CODES["A"]},
    )
    return store
