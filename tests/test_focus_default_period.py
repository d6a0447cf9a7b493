"""The period opened on is one the focus authority existed in (review e1): North Yorkshire Council, formed on
1 April 2023, opens on 2023/24 in the app and in ``brief``, not on the store's 2022/23 with "no position" on every
page; a period given before it existed is warned about on standard error."""

from __future__ import annotations

import pytest
from apptest_helpers import open_page, sidebar_box

from benchmarking.cli.main import main
from benchmarking.method.lifetimes import existing_in
from benchmarking.service.catalogue import load_catalogue

NORTH_YORKSHIRE, NORTHAMPTONSHIRE, LEICS = "E06000065", "E10000021", "E10000018"


@pytest.fixture(scope="module")
def real(shipped_store_path):
    return load_catalogue(shipped_store_path)


def test_the_store_default_is_before_the_new_unitaries(real):
    """The premise: the store opens on a period before North Yorkshire Council was formed."""
    assert not existing_in([NORTH_YORKSHIRE], real.default_period)[0]


def test_an_authority_that_existed_then_opens_on_the_store_default(real):
    assert real.default_period_for(LEICS) == real.default_period
    assert real.default_period_for(None) == real.default_period


@pytest.mark.parametrize("focus, after", [(NORTH_YORKSHIRE, True), (NORTHAMPTONSHIRE, False)])
def test_an_authority_formed_or_abolished_opens_on_the_nearest_period_it_existed_in(real, focus, after):
    labels = real.period_labels
    chosen = real.default_period_for(focus)
    assert existing_in([focus], chosen)[0]
    at, default = labels.index(chosen), labels.index(real.default_period)
    assert (at > default) if after else (at < default)
    between = labels[at + 1 : default] if not after else labels[default:at]
    assert not any(existing_in([focus], label)[0] for label in between)  # none nearer


def test_the_app_opens_north_yorkshire_on_a_period_it_existed_in(shipped_store_path, monkeypatch, real):
    at = open_page(shipped_store_path, monkeypatch, "overview", query={"focus": NORTH_YORKSHIRE})
    assert not at.exception
    assert sidebar_box(at, "period").value == real.default_period_for(NORTH_YORKSHIRE)
    assert not [w.value for w in at.warning if "The link asks for" in w.value]


def test_a_period_in_the_link_is_kept_even_before_the_focus_existed(shipped_store_path, monkeypatch, real):
    at = open_page(
        shipped_store_path, monkeypatch, "overview", query={"focus": NORTH_YORKSHIRE, "period": real.default_period}
    )
    assert sidebar_box(at, "period").value == real.default_period


def test_brief_without_a_period_uses_the_focus_period(shipped_store_path, tmp_path, capsys, real):
    out = tmp_path / "b.pdf"
    code = main(["--db", str(shipped_store_path), "brief", "--focus", NORTH_YORKSHIRE, "--out", str(out)])
    said = capsys.readouterr()
    assert code == 0, said.err
    assert f"North Yorkshire Council, {real.default_period_for(NORTH_YORKSHIRE)}," in said.out + said.err
    assert "not yet formed" not in said.err


def test_a_period_before_the_focus_existed_is_warned_about(shipped_store_path, tmp_path, capsys, real):
    out = tmp_path / "p.csv"
    args = ["--db", str(shipped_store_path), "positions", "--period", real.default_period, "--out", str(out)]
    assert main([*args, "--focus", NORTH_YORKSHIRE]) == 0
    err = capsys.readouterr().err
    assert f"warning: North Yorkshire Council was not yet formed in {real.default_period}" in err
    assert main([*args, "--focus", LEICS]) == 0
    assert "warning" not in capsys.readouterr().err
