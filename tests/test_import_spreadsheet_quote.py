"""A name our CSV downloads write with a leading ``'`` (so that a spreadsheet does not run ``=SUM(A1)`` as a formula)
reads back without it, as a spreadsheet reads it: exporting a store and importing the file again renames nothing.
A name that starts with ``'`` followed by other text is a name, kept as written."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from benchmarking.ingest.preview import import_file, read_uploaded
from benchmarking.service.catalogue import load_catalogue
from benchmarking.store import Store
from benchmarking.text.escaping import spreadsheet_csv

HOSTILE = {"E10000018": "=SUM(A1)", "E10000016": "+cmd|' /C calc'!A0", "E10000019": "-2+3", "E10000020": "@here"}
"""Authority code -> a name a spreadsheet would run, each formula start once."""
GENUINE = "'Tis a county"


@pytest.fixture
def hostile(demo_store_path, tmp_path) -> Store:
    """A copy of the demo store whose authority and indicator names start as formulas do (and one with a quote)."""
    path = tmp_path / "hostile.duckdb"
    shutil.copy(demo_store_path, path)
    with duckdb.connect(str(path)) as con:
        for code, name in HOSTILE.items():
            con.execute("UPDATE authority SET name = ? WHERE code = ?", [name, code])
        con.execute("UPDATE authority SET name = ? WHERE code = (SELECT max(code) FROM authority)", [GENUINE])
        ids = [row[0] for row in con.execute("SELECT id FROM indicator ORDER BY id LIMIT 2").fetchall()]
        con.execute("UPDATE indicator SET name = '=HYPERLINK(\"x\")' WHERE id = ?", [ids[0]])
        con.execute("UPDATE indicator SET name = ? WHERE id = ?", [GENUINE, ids[1]])
    return Store(path)


def contents(store: Store) -> dict[str, str]:
    """Return the store's tables' checksums but the load history's (an import records itself, even of no change)."""
    return {table: checksum for table, checksum in store.checksums().items() if table != "dataset"}


@pytest.mark.parametrize(("table", "label"), [("authority", "authorities"), ("indicator", "indicators")])
def test_the_data_pages_download_imports_back_unchanged(hostile, tmp_path, table, label):
    """The Data page's CSV of authorities or indicators (``spreadsheet_csv`` of the catalogue's table) imported
    back adds and replaces nothing: every name, hostile or quoted, is the stored name."""
    frame = getattr(load_catalogue(hostile), label)
    assert GENUINE in set(frame["name"]) and any(name.startswith("=") for name in frame["name"])
    path = tmp_path / f"{label}.csv"
    path.write_bytes(spreadsheet_csv(frame))
    assert "'=" in path.read_text()  # the download did guard the names
    before = contents(hostile)
    result = import_file(hostile, path, table)
    assert (result.added, result.replaced) == (0, 0)
    assert contents(hostile) == before
    assert getattr(load_catalogue(hostile), label)["name"].tolist() == frame["name"].tolist()


def test_a_quoted_formula_reads_without_its_quote_and_other_quotes_stay():
    """``'=x``, ``'+x``, ``'-5`` and ``'@x`` read as a spreadsheet reads them; ``'Tis`` and ``x'`` as written."""
    text = "code,name\nA,'=SUM(A1)\nB,'+1\nC,'-5\nD,'@x\nE,'Tis\nF,it's\nG,''=x\n"
    names = read_uploaded("n.csv", text.encode()).frame["name"].tolist()
    assert names == ["=SUM(A1)", "+1", "-5", "@x", "'Tis", "it's", "''=x"]
