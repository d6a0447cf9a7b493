"""`ranks`, `positions` and `brief` take --basket (id or exact name) and --balance: the exports
carry the engine's numbers for that basket and balance, and say what each position rests on;
an unknown basket or balance exits 2 with a message."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from basket_example import CODES, HOSTILE_NAME, POSITIONS_BY_THEMES, example_store
from pypdf import PdfReader

from benchmarking.cli.main import build_parser, main
from benchmarking.method.baskets import BALANCES
from benchmarking.method.positions import OVERALL
from benchmarking.service.benchmark import benchmark_for
from benchmarking.service.catalogue import load_catalogue
from benchmarking.store import Store

LETTER = {code: letter for letter, code in CODES.items()}


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "example.duckdb"
    example_store(path)
    return path


def _export(store_path, tmp_path, *args) -> pd.DataFrame:
    out = tmp_path / "out.csv"
    assert main(["--db", str(store_path), *args, "--period", "2021/22", "--out", str(out)]) == 0
    return pd.read_csv(out)


def test_basket_by_id_and_by_exact_name_give_the_engines_positions(store_path, tmp_path):
    """Basket 'weighted' (a1 weight 2, r1 weight 1), named by its id or by its hostile name."""
    by_id = _export(store_path, tmp_path, "positions", "--basket", "weighted")
    by_name = _export(store_path, tmp_path, "positions", "--basket", HOSTILE_NAME)
    pd.testing.assert_frame_equal(by_id, by_name)
    engine = benchmark_for(load_catalogue(Store(store_path)), "all", basket="weighted").positions
    overall = by_id[by_id["theme"] == OVERALL].set_index("authority_code")
    expected = engine[engine["theme"] == OVERALL].set_index("authority_code")
    assert overall["position"].to_dict() == expected["position"].astype(int).to_dict()
    assert overall["average_rank"].to_dict() == pytest.approx(expected["average_rank"].to_dict())
    # the basket's name is a text cell: never a spreadsheet formula
    assert set(by_id["basket"]) == {"'" + HOSTILE_NAME}
    assert set(by_id["balance"]) == {"indicators"}
    # rests on: 2 indicators ranked; Adults carries weight 2 of 3
    assert set(overall["rests_on_indicators"]) == {2}
    assert set(overall["largest_theme"]) == {"Adults"}
    assert overall["largest_theme_share"].tolist() == pytest.approx([2 / 3] * 4)
    assert (by_id["rests_on_indicators"] == by_id["n_indicators"]).all()


def test_balance_themes_changes_the_exported_order(store_path, tmp_path):
    """All published, theme-balanced: B 1st, C 2nd, A 3rd, D 4th (hand-worked in basket_example);
    every theme the same share, so no largest theme (blank), as rests_on says."""
    exported = _export(store_path, tmp_path, "positions", "--balance", "themes")
    overall = exported[exported["theme"] == OVERALL]
    assert {LETTER[c]: p for c, p in zip(overall["authority_code"], overall["position"])} == POSITIONS_BY_THEMES
    assert set(overall["basket"]) == {"All published"} and set(overall["balance"]) == {"themes"}
    assert overall["largest_theme"].isna().all()
    assert overall["largest_theme_share"].tolist() == pytest.approx([0.5] * 4)
    adults = exported[exported["theme"] == "Adults"]
    assert set(adults["largest_theme"]) == {"Adults"} and set(adults["largest_theme_share"]) == {1.0}
    assert set(adults["rests_on_indicators"]) == {3}


def test_ranks_export_keeps_the_baskets_indicators(store_path, tmp_path):
    exported = _export(store_path, tmp_path, "ranks", "--basket", "Adults only", "--balance", "themes")
    assert set(exported["indicator_id"]) == {"a1", "a2", "a3"}
    assert list(exported.columns[-2:]) == ["basket", "balance"]
    assert set(exported["basket"]) == {"Adults only"} and set(exported["balance"]) == {"themes"}
    default = _export(store_path, tmp_path, "ranks")
    assert set(default["indicator_id"]) == {"a1", "a2", "a3", "r1"} and set(default["basket"]) == {"All published"}


@pytest.mark.parametrize("command", ["ranks", "positions", "brief"])
def test_an_unknown_basket_exits_2_naming_the_choices(store_path, tmp_path, capsys, command):
    out = tmp_path / ("out.pdf" if command == "brief" else "out.csv")
    code = main(["--db", str(store_path), command, "--period", "2021/22", "--basket", "nope", "--out", str(out)])
    error = capsys.readouterr().err
    assert code == 2
    assert "no basket has the id or name 'nope'" in error
    assert "all-published (All published)" in error and "adults (Adults only)" in error
    assert "Traceback" not in error
    assert not out.exists()


@pytest.mark.parametrize("command", ["ranks", "positions", "brief"])
def test_an_unknown_balance_exits_2(store_path, capsys, command):
    with pytest.raises(SystemExit) as stopped:
        main(["--db", str(store_path), command, "--period", "2021/22", "--balance", "weights", "--out", "x.csv"])
    assert stopped.value.code == 2
    assert "invalid choice: 'weights'" in capsys.readouterr().err


def test_the_balance_choices_are_the_methods():
    """The parser lists the balances without importing the method: the two lists agree."""
    parser = build_parser()
    args = parser.parse_args(["positions", "--balance", "themes", "--period", "2021/22"])
    assert args.balance == "themes"
    commands = parser._subparsers._group_actions[0].choices
    for command in ("ranks", "positions", "brief"):
        balance = next(a for a in commands[command]._actions if a.dest == "balance")
        assert list(balance.choices) == list(BALANCES)


def test_brief_with_a_basket_and_balance_says_what_positions_rest_on(store_path, tmp_path):
    """The PDF names the basket and balance, and every page with a position carries its rests-on
    line; the hostile basket name is shown as text."""
    out = tmp_path / "brief.pdf"
    code = main(["--db", str(store_path), "brief", "--basket", "weighted", "--balance", "themes", "--out", str(out)])
    assert code == 0
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(out.read_bytes())).pages)
    flat = " ".join(text.split())
    line = f"Overall 2021/22: 2 indicators ranked in '{HOSTILE_NAME}', 2 themes weighted equally"
    assert flat.count(line) == 2  # the at-a-glance page and the themes page
    assert f"Positions rest on the basket '{HOSTILE_NAME}': every theme counts once" in flat
    assert "LA Core 2021/22: 2 indicators" in flat


def test_brief_with_a_weighted_basket_names_its_weights(store_path, tmp_path):
    """Under the Compendium's balance a weighted basket is no "every indicator counts once": the PDF names
    the weights (basket 'weighted': a1 weight 2, r1 weight 1)."""
    out = tmp_path / "brief.pdf"
    assert main(["--db", str(store_path), "brief", "--basket", "weighted", "--out", str(out)]) == 0
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(out.read_bytes())).pages).split())
    assert f"Positions rest on the basket '{HOSTILE_NAME}': indicators weighted as the basket says (a1 weight 2" in text
    assert "every indicator counts once" not in text
