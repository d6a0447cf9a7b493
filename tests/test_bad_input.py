"""Bad input through the upload path: every case gives a clear message and leaves the store unchanged.

Each file goes the way the Data import page and ``python -m benchmarking import`` send it:
read from bytes (``read_uploaded``), mapped (``map_sources``: recognised from its header),
committed (``commit``). The store's checksums are compared before and after. Files that
look odd but are valid (a byte-order mark, semicolons, an XLSX formula with a saved
result) import correctly: that is the clear behaviour for them.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile

import openpyxl
import pandas as pd
import pytest

from benchmarking.errors import BenchmarkingError
from benchmarking.ingest import limits
from benchmarking.ingest.context import store_context
from benchmarking.ingest.preview import commit, map_sources, read_uploaded

HEADER = "indicator_id,authority_code,period,value\n"
GOOD_ROW = "LCC078,E10000018,2021/22,12.5\n"


def run_import(store, name: str, data: bytes, sheet: str | None = None):
    """Import one uploaded file the way the page does: read, recognise, map, commit."""
    source = read_uploaded(name, data, sheet)
    mapped = map_sources([source], store_context(store))
    return commit(store, mapped, {source.name: source.sha256})


# -- builders of files that cannot be typed as text ---------------------------------------


def xlsx(
    rows: list[list], merge: str | None = None, formula_cached: dict[str, str] | None = None, sheet: str = "Data"
) -> bytes:
    """Return an XLSX workbook; ``formula_cached`` writes a saved result for formula cells (cell -> value)."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    if merge:
        ws.merge_cells(merge)
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    if not formula_cached:
        return data
    # openpyxl writes formulas without results (<v></v>); Excel saves the result: add it.
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                text = content.decode("utf-8")
                for cell, value in formula_cached.items():
                    empty_result = rf'(<c r="{cell}"[^>]*>\s*<f>[^<]*</f>)\s*<v\s*/?>(?:</v>)?'
                    text = re.sub(empty_result, rf"\1<v>{value}</v>", text)
                content = text.encode("utf-8")
            target.writestr(item, content)
    return out.getvalue()


def parquet(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


def good_parquet_truncated() -> bytes:
    data = parquet(
        pd.DataFrame(
            {
                "indicator_id": ["LCC078"] * 50,
                "authority_code": ["E10000018"] * 50,
                "period": [f"{2000 + i}" for i in range(50)],
                "value": range(50),
            }
        )
    )
    return data[: len(data) // 2]


def wide_header(n: int) -> bytes:
    return (",".join(f"column {i}" for i in range(n)) + "\n" + ",".join("1" for _ in range(n)) + "\n").encode()


def text(body: str, encoding: str = "utf-8") -> bytes:
    return body.encode(encoding)


# name, bytes, message the user sees, row, column (None = about the whole file)
BAD_INPUTS = [
    # files that are not what they claim, or cannot be read
    ("empty.csv", b"", "the file is empty", None, None),
    ("header_only.csv", text(HEADER), "the file has a header but no data rows", None, None),
    ("header_only_no_newline.csv", text(HEADER.strip()), "the file has a header but no data rows", None, None),
    (
        "cp1252.csv",
        text("Local authority,Year,Indicator,Value\nSaint-Étienne,2021/22,LCC078,1\n", "cp1252"),
        "the file is not UTF-8 text",
        None,
        None,
    ),
    ("binary.csv", bytes(range(128, 256)) * 40, "the file is not UTF-8 text", None, None),
    (
        "truncated.parquet",
        good_parquet_truncated(),
        "cannot be read as a Parquet file (is the file complete",
        None,
        None,
    ),
    ("csv_in_disguise.parquet", text(HEADER + GOOD_ROW), "cannot be read as a Parquet file", None, None),
    ("csv_in_disguise.xlsx", text(HEADER + GOOD_ROW), "cannot be read as an Excel file", None, None),
    ("notes.json", text('{"a": 1}'), "unsupported file type '.json'", None, None),
    (
        "ragged.csv",
        text(HEADER + GOOD_ROW + "LCC078,E10000016,2021/22,1,extra\n"),
        "row 3 has 5 cell(s) where the header has 4",
        3,
        None,
    ),
    ("short.csv", text(HEADER + "\n" + GOOD_ROW + "X,E10000018\n"), "row 4 has 2 cell(s) where the header", 4, None),
    ("blank_lines.csv", text("\n \r\n\t\n"), "the file is empty (blank lines only", None, None),
    ("ten_thousand_columns.csv", wide_header(10_000), "the file has 10,000 columns, over the limit of 500", None, None),
    (
        "twice.csv",
        text("indicator_id,authority_code,period,value,Value\nLCC078,E10000018,2021/22,1,2\n"),
        "the header names column 'Value' twice",
        1,
        "Value",
    ),
    (
        "blank_header.csv",
        text("indicator_id,authority_code,period,,value\nLCC078,E10000018,2021/22,x,1\n"),
        "column 4 has no name in the header row",
        1,
        None,
    ),
    # spreadsheets
    (
        "merged.xlsx",
        xlsx(
            [
                ["Local authority", "Year", "Indicator", "Value"],
                ["Kent", "2021/22", "LCC078", 1],
                ["Leicestershire", "2021/22", "LCC078", 2],
                [None, "2021/22", "LCC078", 3],
            ],
            merge="A3:A4",
        ),
        "has merged cells (A3:A4)",
        None,
        None,
    ),
    (
        "uncached_formula.xlsx",
        xlsx([["authority_code", "period", "indicator_id", "value"], ["E10000018", "2021/22", "LCC078", "=2*3"]]),
        "formulas with no saved result (cells D2)",
        None,
        None,
    ),
    # values
    (
        "text_value.csv",
        text(HEADER + GOOD_ROW + "LCC078,E10000016,2021/22,twelve\n"),
        "'value' must be a number, got 'twelve'",
        3,
        "value",
    ),
    ("huge_value.csv", text(HEADER + "LCC078,E10000018,2021/22,1e300\n"), "is implausibly large", 2, "value"),
    (
        "negative_population.csv",
        text("code,name,kind,population\nE10000099,Newshire,county council,-5\n"),
        "'population' cannot be negative, got -5",
        2,
        "population",
    ),
    (
        "bad_polarity.csv",
        text("id,name,theme,polarity\nX1,Thing,Economy,sideways\n"),
        "bad polarity 'sideways'",
        2,
        "polarity",
    ),
    # keys
    (
        "duplicate_keys.csv",
        text(HEADER + GOOD_ROW + "LCC078,E10000018,2021/22,99\n"),
        "with different values: keep the right row and delete the others",
        2,
        "indicator_id, authority_code, period",
    ),
    (
        "unknown_authority_name.csv",
        text("Local authority,Year,Indicator,Value\nAtlantis County Council,2021/22,LCC078,1\n"),
        "unknown authority 'Atlantis County Council'",
        2,
        "Local authority",
    ),
    (
        "unknown_authority_code.csv",
        text(HEADER + "LCC078,E99999999,2021/22,1\n"),
        "unknown authority 'E99999999'",
        2,
        "authority_code",
    ),
    (
        "unknown_indicator.csv",
        text(HEADER + "NOPE,E10000018,2021/22,1\n"),
        "unknown indicator 'NOPE'",
        2,
        "indicator_id",
    ),
    (
        "missing_period.csv",
        text("Area code,Indicator,Value\nE10000018,LCC078,1\n"),
        "no column gives 'period'",
        None,
        None,
    ),
    # periods
    ("future.csv", text(HEADER + "LCC078,E10000018,2099/00,1\n"), "which is in the future", 2, "period"),
    (
        "future_column.csv",
        text("Area code,Indicator,2020/21,2099/00\nE10000018,LCC078,1,2\n"),
        "which is in the future",
        2,
        "2099/00",
    ),
    ("sometime.csv", text(HEADER + "LCC078,E10000018,sometime,1\n"), "unrecognised period 'sometime'", 2, "period"),
]


@pytest.mark.parametrize("name, data, message, row, column", BAD_INPUTS, ids=[case[0] for case in BAD_INPUTS])
def test_bad_input_gives_a_clear_message_and_leaves_the_store_unchanged(
    writable_store, name, data, message, row, column
):
    """The refusal names the problem (and its row and column when it has one); no table changes."""
    before = writable_store.checksums()
    with pytest.raises(BenchmarkingError) as caught:
        run_import(writable_store, name, data)
    issues = getattr(caught.value, "issues", [])
    matching = [i for i in issues if message in i.message]
    assert matching, f"no issue says {message!r}: {caught.value}"
    assert (matching[0].file, matching[0].row, matching[0].column) == (name, row, column)
    assert "nothing was written" in str(caught.value)
    assert writable_store.checksums() == before


def test_a_file_over_the_upload_limit_is_refused_before_it_is_read(writable_store, monkeypatch):
    """The size limit says how big the file is, the limit, and what to do."""
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 1024)
    before = writable_store.checksums()
    with pytest.raises(BenchmarkingError, match=r"the file is [0-9.]+ kB, over the 1\.0 kB upload limit: split it"):
        run_import(writable_store, "big.csv", text(HEADER + GOOD_ROW * 90))
    assert writable_store.checksums() == before


def test_an_unknown_sheet_lists_the_sheets_there_are(writable_store):
    """Choosing a sheet the workbook lacks names the sheets it has."""
    with pytest.raises(BenchmarkingError, match="no sheet named 'Values'; the workbook's sheets are 'Data'"):
        run_import(writable_store, "book.xlsx", xlsx([["a"], [1]]), sheet="Values")


# -- odd but valid: these import, and correctly ---------------------------------------------


def stored_value(store, authority: str = "E10000018", period: str = "2021/22") -> float:
    values = store.values([period]).set_index(["indicator_id", "authority_code"])["value"]
    return values.loc[("LCC078", authority)]


@pytest.mark.parametrize(
    "name, data",
    [
        ("bom.csv", text("\ufeff" + HEADER + GOOD_ROW)),
        ("semicolons.csv", text(HEADER.replace(",", ";") + GOOD_ROW.replace(",", ";"))),
        ("windows_lines.csv", text((HEADER + GOOD_ROW).replace("\n", "\r\n"))),
        (
            "names_and_case.csv",
            text("LOCAL AUTHORITY,Financial Year,Measure,Value\nleicestershire county council,2021/22,LCC078,12.5\n"),
        ),
        (
            "values.parquet",
            parquet(
                pd.DataFrame(
                    {
                        "indicator_id": ["LCC078"],
                        "authority_code": ["E10000018"],
                        "period": ["2021/22"],
                        "value": [12.5],
                    }
                )
            ),
        ),
        (
            "values.xlsx",
            xlsx([["indicator_id", "authority_code", "period", "value"], ["LCC078", "E10000018", "2021/22", 12.5]]),
        ),
    ],
)
def test_files_that_look_odd_but_are_valid_import_correctly(writable_store, name, data):
    """A byte-order mark, semicolons, CRLF, names instead of codes, Parquet and XLSX all load the value."""
    result = run_import(writable_store, name, data)
    assert result.counts["indicator_value"] == {"added": 0, "replaced": 1}
    assert stored_value(writable_store) == 12.5


def test_an_xlsx_formula_imports_its_saved_result_not_its_text(writable_store):
    """A formula cell (=B2*5 saved as 62.5) imports as 62.5."""
    data = xlsx(
        [
            ["authority_code", "value_input", "period", "indicator_id", "value"],
            ["E10000018", 12.5, "2021/22", "LCC078", "=B2*5"],
        ],
        formula_cached={"E2": "62.5"},
    )
    result = run_import(writable_store, "formula.xlsx", data)
    assert result.counts["indicator_value"]["replaced"] == 1
    assert stored_value(writable_store) == 62.5


def test_the_command_line_reports_a_bad_file_without_a_traceback(writable_store, tmp_path):
    """A truncated Parquet file: exit status 2 and one located message, never a traceback."""
    path = tmp_path / "values.parquet"
    path.write_bytes(good_parquet_truncated())
    run = subprocess.run(
        [sys.executable, "-m", "benchmarking", "--db", str(writable_store.path), "import", str(path)],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 2
    assert "values.parquet: cannot be read as a Parquet file" in run.stderr
    assert "Traceback" not in run.stderr
