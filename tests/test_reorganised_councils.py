"""Every page opens for the councils that local government reorganisation left with gaps.

On the real store some authorities have no Overall position in some periods (Cumbria in 2022/23, under
the coverage rule) and some were abolished before the default period (Northamptonshire, 2021). Both stay
in the focus list. A sweep of every page for all 44 authorities found two pages that raised for them (the
Overview and Theme rankings); this keeps every page opening for one authority of each kind.
"""

from __future__ import annotations

import pytest
from apptest_helpers import engine, open_page, sidebar_box

from benchmarking.method.positions import OVERALL
from benchmarking.service.views import theme_table, trend_view
from pages._registry import PAGES

KINDS = ("absent", "gapped")


@pytest.fixture(scope="module")
def reorganised(shipped_store_path) -> dict[str, str]:
    """Return kind -> an authority of the shipped store: 'absent' (no row in the default period's league table)
    and 'gapped' (a period with no Overall position after one with a position)."""
    with pytest.MonkeyPatch.context() as patch:
        at = open_page(shipped_store_path, patch, "overview")
        period, focus = sidebar_box(at, "period").value, sidebar_box(at, "focus").value
    cat, bench = engine(str(shipped_store_path), "all", focus)
    codes = list(cat.authorities["code"])
    trend = trend_view(cat, bench, [OVERALL], codes)
    held = set(trend.loc[trend["position"].notna(), "authority_code"])
    gapped = trend.loc[trend["position"].isna() & trend["authority_code"].isin(held), "authority_code"]
    listed = set(theme_table(cat, bench, period)["authority_code"])
    kinds = {"absent": next((c for c in codes if c not in listed), None), "gapped": next(iter(gapped), None)}
    missing = [kind for kind, code in kinds.items() if code is None]
    assert not missing, f"the shipped store was expected to hold an authority of each kind; none is {missing}"
    return kinds


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("page", [page.key for page in PAGES])
def test_every_page_opens_for_a_reorganised_council(shipped_store_path, reorganised, monkeypatch, page, kind):
    """The page draws for the authority, chosen in the sidebar, and raises nothing."""
    code = reorganised[kind]
    at = open_page(shipped_store_path, monkeypatch, page, query={"focus": code})
    assert not at.exception, f"{page} for {code} ({kind}): {at.exception}"
    assert sidebar_box(at, "focus").value == code
