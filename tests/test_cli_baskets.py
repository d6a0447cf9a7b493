"""``python -m benchmarking basket list|show|import|export`` on a copy of the demo store."""

from __future__ import annotations

import pandas as pd

from benchmarking.cli.main import main
from benchmarking.datasets.demo import DEMO_BASKET
from benchmarking.service import baskets
from benchmarking.service.catalogue import load_catalogue

HOSTILE = "=cmd() **bold** <script>alert(1)</script>"


def _run(store, capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["--db", str(store.path), "basket", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_list_and_show(writable_store, capsys):
    ids = sorted(writable_store.indicators()["id"])[:3]
    baskets.save_basket(writable_store, "hostile", HOSTILE, ids, weights=[2, 1, 1])
    code, out, _ = _run(writable_store, capsys, "list")
    assert code == 0
    lines = out.splitlines()
    # header, All published, two stored, what the share is of
    assert lines[1].split()[0] == "all-published" and len(lines) == 1 + 3 + 1
    assert lines[-1].startswith("largest_share_of_all_ranked: the largest theme's share of all the basket's ranked")
    core = int(load_catalogue(writable_store.path).indicators["is_core"].sum())  # the demo's LA Core indicators
    assert any(line.split()[0] == DEMO_BASKET and f" {core} " in line for line in lines)
    code, out, _ = _run(writable_store, capsys, "show", HOSTILE)  # by exact name
    assert code == 0
    assert out.startswith(f"{HOSTILE} (hostile): 3 indicators")
    assert all(i in out for i in ids)


def test_export_then_import_round_trips(writable_store, tmp_path, capsys):
    ids = sorted(writable_store.indicators()["id"])[:4]
    baskets.save_basket(writable_store, "hostile", HOSTILE, ids, notes=["=a", "+b", "-c", "@d"], version="v2")
    before = baskets.export_basket(load_catalogue(writable_store.path), "hostile")
    out_file = tmp_path / "out" / "hostile.csv"
    code, _, err = _run(writable_store, capsys, "export", "hostile", "--out", str(out_file))
    assert code == 0 and "Wrote 4 basket rows" in err
    assert pd.read_csv(out_file, dtype=str)["note"].str.startswith("'").all()  # safe in a spreadsheet
    baskets.delete_basket(writable_store, "hostile")
    checksums = writable_store.checksums()
    code, out, _ = _run(writable_store, capsys, "import", str(out_file), "--dry-run")
    assert code == 0 and "Dry run: nothing was written." in out and writable_store.checksums() == checksums
    code, out, _ = _run(writable_store, capsys, "import", str(out_file))
    assert code == 0 and "4 rows added, 0 replaced, 0 removed" in out
    pd.testing.assert_frame_equal(baskets.export_basket(load_catalogue(writable_store.path), "hostile"), before)


def test_bad_input_exits_2_and_changes_nothing(writable_store, tmp_path, capsys):
    checksums = writable_store.checksums()
    bad = tmp_path / "bad.csv"
    bad.write_text("basket_id,name,indicator_id,weight\nb,B,NOPE,1\n")
    code, out, err = _run(writable_store, capsys, "import", str(bad))
    assert code == 2
    assert "bad.csv, row 2, column 'indicator_id'" in out + err
    for argv in (("show", "no such basket"), ("export", "all-published"), ("import", str(tmp_path / "none.csv"))):
        code, _, err = _run(writable_store, capsys, *argv)
        assert code == 2 and err.startswith("error:")
    assert writable_store.checksums() == checksums
    code = main(["--db", str(tmp_path / "absent.duckdb"), "basket", "list"])
    assert code == 2 and "no store at" in capsys.readouterr().err


def test_a_dry_run_that_finds_problems_exits_2_as_import_does(writable_store, tmp_path, capsys):
    """`basket import --dry-run` prints its preview and problems, writes nothing, and exits 2 as `import --dry-run`
    does when the import would be refused; a clean dry run exits 0."""
    ids = sorted(writable_store.indicators()["id"])[:2]
    bad = tmp_path / "bad.csv"
    bad.write_text(f"basket_id,name,indicator_id,weight\nb,B,{ids[0]},2\nb,B,NOSUCH,1\n")
    checksums = writable_store.checksums()
    code, out, err = _run(writable_store, capsys, "import", "--dry-run", str(bad))
    assert code == 2
    assert "bad.csv, row 3, column 'indicator_id'" in out and "Dry run: nothing was written." in out
    assert "the import would be refused" in err
    assert writable_store.checksums() == checksums
    good = tmp_path / "good.csv"
    good.write_text(f"basket_id,name,indicator_id,weight\nb,B,{ids[0]},2\nb,B,{ids[1]},1\n")
    code, out, err = _run(writable_store, capsys, "import", "--dry-run", str(good))
    assert code == 0 and not err and writable_store.checksums() == checksums
