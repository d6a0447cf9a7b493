"""A comparator group never quietly shrinks to the focus alone (review e1): on the real store the four 2023
unitaries have no context figures, so no similar group is offered or built around them, and a neighbour list a
focus does not have is refused with the reason, in the app and on the command line (exit 2)."""

from __future__ import annotations

import pytest
from apptest_helpers import open_page, sidebar_box

from benchmarking.cli.main import main
from benchmarking.errors import UnknownGroupError
from benchmarking.service.benchmark import comparator_group, context_features, offered_groups
from benchmarking.service.catalogue import load_catalogue

CUMBERLAND = "E06000063"
NEW_UNITARIES = ("E06000063", "E06000064", "E06000065", "E06000066")


def run(capsys, *argv) -> tuple[int, str, str]:
    """Return (exit code, stdout, stderr) of ``python -m benchmarking ARGV``."""
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def real(shipped_store_path):
    return load_catalogue(shipped_store_path)


def test_the_new_unitaries_have_no_context_figures_in_the_real_store(real):
    """The premise: without it the tests below would not test the refusal."""
    features = context_features(real).set_index("authority_code")
    assert features.loc[list(NEW_UNITARIES)].isna().all(axis=None)


@pytest.mark.parametrize("focus", NEW_UNITARIES)
def test_no_similar_group_is_offered_or_built_for_an_authority_without_context(real, focus):
    offered = set(offered_groups(real, focus)["id"])
    assert not any(group_id.startswith("similar:") for group_id in offered)
    with pytest.raises(UnknownGroupError, match="none of the context figures"):
        comparator_group(real, "similar:10", focus, "2023/24")


def test_similar_groups_are_still_offered_and_hold_k_others_for_a_county(real):
    assert {"similar:5", "similar:10", "similar:15"} <= set(offered_groups(real, "E10000018")["id"])
    group = comparator_group(real, "similar:10", "E10000018", "2023/24")
    assert group.size == 11 and group.members[0] == "E10000018"


def test_a_link_to_a_similar_group_for_cumberland_says_why_it_is_not_shown(shipped_store_path, monkeypatch):
    at = open_page(
        shipped_store_path,
        monkeypatch,
        "overview",
        query={"focus": CUMBERLAND, "period": "2023/24", "group": "similar:10"},
    )
    assert not at.exception
    assert sidebar_box(at, "group").value == "all"
    notices = [w.value for w in at.warning if "The link asks for" in w.value]
    assert len(notices) == 1 and "Cumberland has none of the context figures" in notices[0]
    assert "most similar to Cumberland" not in " ".join(m.value for m in at.markdown)


def test_the_cli_refuses_a_similar_group_for_cumberland(shipped_store_path, tmp_path, capsys):
    out = tmp_path / "p.csv"
    code, _, err = run(
        capsys, "--db", shipped_store_path, "positions", "--group", "similar:10", "--focus", CUMBERLAND,
        "--period", "2023/24", "--out", out,
    )  # fmt: skip
    assert code == 2 and "Cumberland has none of the context figures" in err
    assert not out.exists()
