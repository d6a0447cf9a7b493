"""IMD 2019 upper-tier summaries through the adapter: deprivation rows, edition 'IMD 2019'.

Small hand-made files in ``tmp_path`` pin down the mapping, the authorities left out or
added, and the errors; the real file (skipped when ../shared/data is absent) is checked
against PROVENANCE section 3.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from benchmarking.adapters.imd import DATA_FILE, EDITION, imd_items, load_imd
from benchmarking.adapters.registry import published_source
from benchmarking.errors import BenchmarkingError, ImportValidationError
from benchmarking.store import Store

HEADER = (
    "utla19_code,utla19_name,IMD - Average rank,IMD - Rank of average rank,IMD - Average score,"
    "IMD - Rank of average score\n"
)
ROWS = [
    "E10000018,Leicestershire,11500.5,130,12.9,134\n",
    "E06000001,Hartlepool,22581.98,21,35.037,9\n",
    "E09000001,City of London,14000.2,90,14.7,120\n",
]


def imd_folder(tmp_path: Path, rows: list[str] = ROWS, header: str = HEADER) -> Path:
    folder = tmp_path / "imd2019"
    folder.mkdir(exist_ok=True)
    (folder / DATA_FILE).write_text(header + "".join(rows), encoding="utf-8")
    return folder


def test_imd_rows_are_mapped_to_the_deprivation_table(tmp_path):
    """Code, rank of average rank and average score, with the edition given for every row."""
    items = imd_items(imd_folder(tmp_path))
    assert [table for table, _, _ in items] == ["deprivation"]
    rows = items[0][1]
    assert list(rows["authority_code"]) == ["E10000018", "E06000001", "E09000001"]
    assert set(rows["edition"]) == {EDITION}
    assert list(rows["rank_of_average_rank"]) == ["130", "21", "90"]
    assert list(rows["average_score"]) == ["12.9", "35.037", "14.7"]


def test_authorities_the_store_lacks_are_left_out(writable_store, tmp_path):
    """In the demo store only Leicestershire is known: its row loads, the other two are left out."""
    result = load_imd(writable_store, imd_folder(tmp_path))
    assert result.counts["deprivation"] == {"added": 0, "replaced": 1}
    stored = writable_store.deprivation().set_index(["authority_code", "edition"])
    assert stored.loc[("E10000018", EDITION), "rank_of_average_rank"] == 130
    assert ("E06000001", EDITION) not in stored.index


def test_missing_authorities_can_be_added_without_touching_existing_ones(writable_store, tmp_path):
    """With add_authorities: Hartlepool (unitary) and the City of London (london borough) are added;
    Leicestershire keeps its kind, region and population."""
    before = writable_store.authorities().set_index("code").loc["E10000018"]
    result = load_imd(writable_store, imd_folder(tmp_path), add_authorities=True)
    assert result.counts["authority"] == {"added": 2, "replaced": 0}
    authorities = writable_store.authorities().set_index("code")
    assert authorities.loc["E06000001", "kind"] == "unitary"
    assert authorities.loc["E09000001", "kind"] == "london borough"
    assert authorities.loc["E10000018"].equals(before)
    assert len(writable_store.deprivation().query("edition == @EDITION")) >= 3


def test_a_store_without_any_of_the_authorities_says_what_to_load_first(tmp_path):
    """An empty store: the message says to load authorities first or add them from this file."""
    store = Store(tmp_path / "empty.duckdb")
    store.initialise()
    with pytest.raises(BenchmarkingError, match=r"none of the 3 authorities .* is in the store"):
        load_imd(store, imd_folder(tmp_path))


def test_a_changed_file_names_its_missing_columns(tmp_path):
    """A file without 'IMD - Average score' is refused with the columns it does have."""
    header = HEADER.replace("IMD - Average score,", "Score,")
    with pytest.raises(ImportValidationError, match=r"missing column.*IMD - Average score.*Is this the published"):
        imd_items(imd_folder(tmp_path, header=header))


def test_a_code_that_is_not_an_english_upper_tier_code_is_refused_when_adding(writable_store, tmp_path):
    """Adding authorities needs a kind: a Welsh code has none here, and the message names the row."""
    folder = imd_folder(tmp_path, ROWS + ["W06000001,Isle of Anglesey,1,1,1,1\n"])
    with pytest.raises(ImportValidationError, match=r"row 5, column 'utla19_code'.*not an English upper-tier code"):
        imd_items(folder, known_codes=writable_store.authorities()["code"], add_authorities=True)


def test_the_command_line_loads_imd_and_a_dry_run_writes_nothing(writable_store, tmp_path):
    """`import-source imd --source DIR`: --dry-run previews only; then the load commits."""
    folder = imd_folder(tmp_path)
    before = writable_store.checksums()
    command = [
        sys.executable,
        "-m",
        "benchmarking",
        "--db",
        str(writable_store.path),
        "import-source",
        "imd",
        "--source",
        str(tmp_path),
    ]
    run = subprocess.run(command + ["--dry-run"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "Dry run: nothing was written." in run.stdout
    assert writable_store.checksums() == before
    run = subprocess.run(command, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "deprivation: 0 added, 1 replaced" in run.stdout
    assert published_source("imd").locate(tmp_path) == folder
    assert writable_store.datasets().iloc[0]["file_name"] == DATA_FILE


# ---------------------------------------------------------------------------------------
# The real file (PROVENANCE section 3)
# ---------------------------------------------------------------------------------------


@pytest.mark.shared_data
def test_the_published_imd_summary_loads_151_authorities(shared_data, tmp_path):
    """151 rows: 26 county councils, 56 unitaries, 36 metropolitan districts, 33 London boroughs;
    ranks of average rank run 1..151 (1 = most deprived)."""
    store = Store(tmp_path / "imd.duckdb")
    store.initialise()
    result = load_imd(store, shared_data / "imd2019", add_authorities=True)
    assert result.counts["deprivation"]["added"] == 151
    deprivation = store.deprivation()
    assert len(deprivation) == 151 and set(deprivation["edition"]) == {"IMD 2019"}
    assert sorted(deprivation["rank_of_average_rank"]) == list(range(1, 152))
    kinds = store.authorities()["kind"].value_counts().to_dict()
    assert kinds == {"county council": 26, "unitary": 56, "metropolitan district": 36, "london borough": 33}
    assert "E06000039" in set(deprivation["authority_code"])  # Slough, corrected in the CSV
    raw = pd.read_csv(shared_data / "imd2019" / DATA_FILE)
    most = raw.loc[raw["IMD - Rank of average rank"] == 1, "utla19_code"].iloc[0]
    assert (
        deprivation.set_index("authority_code").loc[most, "average_score"]
        == raw.set_index("utla19_code").loc[most, "IMD - Average score"]
    )


def test_a_problem_after_a_blank_line_is_named_at_its_spreadsheet_row(writable_store, tmp_path):
    """A blank line counts as a row, as a spreadsheet shows the file: the bad rank below it is on row 3, not 2."""
    folder = imd_folder(tmp_path, rows=["\n", "E10000018,Leicestershire,11500.5,0,12.9,134\n"])
    with pytest.raises(ImportValidationError) as refused:
        load_imd(writable_store, folder)
    assert [(issue.row, issue.column) for issue in refused.value.issues] == [(3, "IMD - Rank of average rank")]
