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


@pytest.mark.parametrize(
    "command, group, focus, named",
    [
        (
            "positions",
            "neighbours:dfe-sn-2021",
            "E06000065",
            "North Yorkshire Council has no DfE statistical neighbours",
        ),
        ("ranks", "neighbours:dfe-sn-2021", "E06000065", "North Yorkshire Council has no DfE statistical neighbours"),
        ("brief", "neighbours:dfe-sn-2021", "E06000065", "North Yorkshire Council has no DfE statistical neighbours"),
        ("positions", "neighbours:oflog-nn", "E06000066", "Somerset Council has no Oflog nearest neighbours"),
    ],
)
def test_the_cli_refuses_a_neighbour_list_the_focus_does_not_have(
    shipped_store_path, tmp_path, capsys, command, group, focus, named
):
    """Refused with exit 2, the reason and the groups the focus can choose, before anything is written."""
    out = tmp_path / ("b.pdf" if command == "brief" else "x.csv")
    code, _, err = run(
        capsys, "--db", shipped_store_path, command, "--period", "2023/24", "--group", group, "--focus", focus,
        "--out", out,
    )  # fmt: skip
    assert code == 2 and named in err and "choose one of:" in err
    assert not out.exists()
    choices = err.split("choose one of:", 1)[1]
    assert group not in choices and "similar:" not in choices  # no context figures either: not offered


def test_a_neighbour_list_the_focus_has_still_ranks_it_among_its_neighbours(shipped_store_path, tmp_path, capsys):
    out = tmp_path / "p.csv"
    code, _, err = run(
        capsys, "--db", shipped_store_path, "positions", "--period", "2023/24", "--group", "neighbours:dfe-sn-2021",
        "--focus", "E10000018", "--out", out,
    )  # fmt: skip
    assert code == 0, err
    import pandas as pd

    assert (pd.read_csv(out)["n_positioned"].dropna() > 1).all()


def test_a_group_of_one_is_refused_whatever_the_group(real):
    """A saved list holding one authority is neither offered nor ranked as '1st of 1'."""
    import pandas as pd

    from benchmarking.method.groups import available_groups, resolve_group

    one = pd.DataFrame(
        {"group_id": ["solo"], "name": ["Solo"], "authority_code": ["*"], "member_code": ["E10000018"]}
    ).reindex(columns=real.comparator_groups.columns)
    assert "list:solo" not in set(available_groups(real.authorities, one, "E10000018")["id"])
    with pytest.raises(UnknownGroupError, match="holds one authority only"):
        resolve_group("list:solo", real.authorities, one, "E10000018")


def test_beyond_ranks_says_no_similar_authorities_can_be_computed_for_cumberland(shipped_store_path, monkeypatch):
    at = open_page(shipped_store_path, monkeypatch, "beyond_ranks", query={"focus": CUMBERLAND, "section": "similar"})
    assert not at.exception
    said = " ".join(i.value for i in at.info)
    assert "No similar authorities can be computed: Cumberland has none of the context figures" in said
    assert "can be chosen as the comparator group" not in said
    assert not [f for f in at.dataframe if "Neighbour rank" in f.value.columns]  # no similar-authorities table
