"""Preview before commit: what would be added, replaced and rejected, and nothing written until commit."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from benchmarking.errors import ImportValidationError
from benchmarking.ingest.context import store_context
from benchmarking.ingest.preview import (
    SourceFile,
    commit,
    map_sources,
    preview_import,
    read_source,
    read_uploaded,
)
from benchmarking.text.escaping import markdown as markdown_text

# Leicestershire (E10000018) and Kent (E10000016) hold LCC078 in every demo period.
VALUES = """\
Local authority,Year,Indicator,Value
Leicestershire County Council,2021/22,LCC078,111
Kent,2021/22,LCC078,222
Leicestershire,2022/23,LCC078,333
Atlantis,2022/23,LCC078,444
Kent,2022/23,LCC078,lots
"""


def mapped_files(store, *files: tuple[str, str]):
    """Return (mapped files, sources) for (name, CSV text) pairs, mapped as the page maps them."""
    sources = [read_uploaded(name, text.encode("utf-8")) for name, text in files]
    return map_sources(sources, store_context(store)), sources


def test_preview_counts_added_replaced_and_rejected_and_writes_nothing(writable_store):
    """2 values replaced (2021/22 exists), 1 added (a new period), 2 rejected; the store is unchanged."""
    before = writable_store.checksums()
    mapped, _ = mapped_files(writable_store, ("values.csv", VALUES))
    preview = preview_import(writable_store, mapped)
    values = preview.summary.set_index("table").loc["indicator_value"]
    assert (values["rows"], values["added"], values["replaced"], values["rejected"]) == (5, 1, 2, 2)
    assert preview.summary.set_index("table").loc["period", "added"] == 1  # 2022/23 is a new period
    assert preview.unresolved == {"values.csv": ["Atlantis"]}
    assert writable_store.checksums() == before


def test_preview_lists_the_first_errors_with_file_row_and_column(writable_store):
    """Each problem names the file, its row (header = 1) and the file's own column name."""
    mapped, _ = mapped_files(writable_store, ("values.csv", VALUES))
    issues = preview_import(writable_store, mapped).issues_frame()
    located = set(zip(issues["row"], issues["column"]))
    assert (5, "Local authority") in located  # Atlantis
    assert (6, "Value") in located  # 'lots'
    assert set(issues["file"]) == {"values.csv"}
    assert any("must be a number, got 'lots'" in m for m in issues["message"])


def test_unchanged_rows_are_told_apart_from_replaced_ones(writable_store):
    """Re-importing values the store already holds counts them as unchanged."""
    current = writable_store.values(["2021/22"]).dropna(subset=["value"]).iloc[0]
    text = (
        f"authority_code,period,indicator_id,value\n{current['authority_code']},2021/22,"
        f"{current['indicator_id']},{float(current['value'])!r}\n"
    )
    mapped, _ = mapped_files(writable_store, ("same.csv", text))
    preview = preview_import(writable_store, mapped)
    assert (preview.added, preview.replaced, preview.unchanged) == (0, 0, 1)


def test_preview_shows_the_effect_on_coverage(writable_store):
    """A new indicator with values in one theme: indicators per theme and, for the new indicator, the authorities
    with a figure of it before and after (not those with figures of other indicators), and who is missing."""
    indicator = "id,name,theme,polarity\nNEW1,Brand new measure,Economy,high\n"
    values = "indicator_id,authority_code,period,value\nNEW1,E10000018,2021/22,5\nNEW1,E10000016,2021/22,6\n"
    mapped, _ = mapped_files(writable_store, ("values.csv", values), ("indicators.csv", indicator))
    preview = preview_import(writable_store, mapped)
    economy = preview.themes.set_index("theme").loc["Economy"]
    assert economy["indicators_after"] == economy["indicators_before"] + 1
    assert economy["values_after"] == economy["values_before"] + 2
    coverage = preview.authorities.set_index("period").loc["2021/22"]
    assert (coverage["indicators"], coverage["authorities_before"], coverage["authorities_after"]) == (1, 0, 2)
    assert coverage["missing_after"] == 30 and "Leicestershire" not in coverage["still_missing"]


def test_coverage_names_the_authorities_still_missing_in_a_new_period(writable_store):
    """A first value for a new period: one authority has data, the other 31 are listed as missing."""
    text = "indicator_id,authority_code,period,value\nLCC078,E10000018,2022/23,1\n"
    mapped, _ = mapped_files(writable_store, ("new.csv", text))
    coverage = preview_import(writable_store, mapped).authorities.set_index("period").loc["2022/23"]
    assert (coverage["authorities_before"], coverage["authorities_after"], coverage["missing_after"]) == (0, 1, 31)
    assert "Buckinghamshire" in coverage["still_missing"] and "Leicestershire" not in coverage["still_missing"]


def test_commit_refuses_rejected_rows_unless_asked_to_leave_them_out(writable_store):
    """Strict by default: nothing written; with skip_rejected the good rows go in and the rest are reported."""
    mapped, sources = mapped_files(writable_store, ("values.csv", VALUES))
    before = writable_store.checksums()
    with pytest.raises(ImportValidationError, match="nothing was written"):
        commit(writable_store, mapped)
    assert writable_store.checksums() == before
    result = commit(
        writable_store,
        mapped,
        {s.name: s.sha256 for s in sources},
        skip_rejected=True,
        loaded_by="analyst@example.org",
        source="LG Inform",
    )
    assert (result.counts["indicator_value"]["added"], result.counts["indicator_value"]["replaced"]) == (1, 2)
    assert result.rejected == 2 and len(result.issues) == 2
    values = writable_store.values(["2021/22", "2022/23"]).set_index(["indicator_id", "authority_code", "period"])
    assert values.loc[("LCC078", "E10000018", "2021/22"), "value"] == 111
    assert values.loc[("LCC078", "E10000018", "2022/23"), "value"] == 333


def test_commit_records_who_when_which_file_and_counts(writable_store, tmp_path):
    """The dataset row holds the file name, its SHA-256, who loaded it and the row counts."""
    path = tmp_path / "good.csv"
    path.write_text("authority_code,period,indicator_id,value\nE10000018,2022/23,LCC078,1\n", encoding="utf-8")
    source = read_source(path)
    mapped = map_sources([source], store_context(writable_store))
    commit(writable_store, mapped, {source.name: source.sha256}, loaded_by="analyst")
    row = writable_store.datasets().iloc[0]
    assert row["file_name"] == "good.csv" and row["loaded_by"] == "analyst" and row["kind"] == "imported"
    assert row["file_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (row["rows_added"], row["rows_replaced"]) == (1, 0)  # the value (its new period label is not counted)
    assert pd.notna(row["loaded_at"])


def test_undo_after_commit_restores_the_store(writable_store):
    """Commit then undo gives back exactly the store before the import."""
    before = writable_store.checksums()
    mapped, _ = mapped_files(writable_store, ("values.csv", VALUES))
    commit(writable_store, mapped, skip_rejected=True, remember=False)
    assert writable_store.checksums() != before
    writable_store.undo_last_import()
    assert writable_store.checksums() == before


def test_compare_rows_tells_added_replaced_and_unchanged(demo_store):
    """Store.compare_rows matches rows by key and compares the columns given."""
    authorities = demo_store.authorities().head(3)[["code", "name", "kind"]].copy()
    authorities.loc[authorities.index[1], "name"] = "Renamed"
    authorities = pd.concat([authorities, pd.DataFrame({"code": ["E06000999"], "name": ["New"], "kind": ["unitary"]})])
    assert list(demo_store.compare_rows("authority", authorities)) == ["unchanged", "replaced", "unchanged", "added"]


def test_a_preview_of_nothing_new_can_still_be_committed_idempotently(writable_store):
    """Importing the same mapped file twice: the second preview is all unchanged."""
    text = "authority_code,period,indicator_id,value\nE10000018,2022/23,LCC078,7\n"
    mapped, _ = mapped_files(writable_store, ("v.csv", text))
    commit(writable_store, mapped)
    again = preview_import(writable_store, mapped)
    assert (again.added, again.replaced, again.unchanged, again.rejected) == (0, 0, 1, 0)


def test_progress_is_reported_from_start_to_finish(writable_store):
    """The progress callback gets increasing fractions ending at 1."""
    mapped, _ = mapped_files(writable_store, ("values.csv", VALUES))
    seen = []
    preview_import(writable_store, mapped, progress=lambda fraction, text: seen.append(fraction))
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) >= 4


@pytest.mark.parametrize(
    "text, shown",
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert\\(1\\)&lt;/script&gt;"),
        ("**bold** [link](http://x)", "\\*\\*bold\\*\\* \\[link\\]\\(http\\:\u2060//x\\)"),
        ("plain words", "plain words"),
    ],
)
def test_markdown_text_shows_user_text_as_written(text, shown):
    """Names and cells from files are never read as Markdown or HTML."""
    assert markdown_text(text) == shown


def test_two_files_with_one_name_are_refused():
    """Uploading two files of the same name would mix their rows up: a clear refusal."""
    one = SourceFile("v.csv", pd.DataFrame({"a": ["1"]}), 1, "x")
    with pytest.raises(ImportValidationError, match="two files have this name"):
        map_sources([one, one], store_context(None))


@pytest.mark.parametrize(
    "data",
    [
        b"a,b\n1,2\n",
        "\ufeffa;b\r\n1;2\r\n".encode(),
        b'a,b\n"x, y",""\n',
        b"a,b\n",
        b"a,b",
        b"code,value\n" + b"E10000018,1.5\n" * 30_000,
        b"a,b\n\n1,2\n\n",
        b"\r\na,b\r\n1,2\r\n\r\n3,4\r\n",
        b"code,value\n" + b"E10000018,1.5\n\n" * 30_000,
    ],
)
def test_reading_with_progress_gives_the_same_cells(tmp_path, data):
    """The block-by-block read that reports progress gives exactly the one-call read's frame and row numbers."""
    path = tmp_path / "file.csv"
    path.write_bytes(data)
    seen = []
    plain = read_source(path)
    watched = read_source(path, progress=lambda fraction, text: seen.append(fraction))
    pd.testing.assert_frame_equal(plain.frame, watched.frame)
    assert (plain.rows is None and watched.rows is None) or list(plain.rows) == list(watched.rows)
    plain = plain.frame
    if len(plain):
        assert seen[-1] == 1.0


def test_the_command_line_maps_previews_commits_and_undoes(writable_store, tmp_path, capsys):
    """`import FILE --set ... --dry-run` writes nothing; without --dry-run it commits; `undo` restores."""
    from benchmarking.cli import main

    path = tmp_path / "wide.csv"
    path.write_text(
        "Area code,Area name,2019/20,2020/21\nE10000018,Leicestershire,1,2\ne10000016,Kent,3,\n", encoding="utf-8"
    )
    before = writable_store.checksums()
    command = ["--db", str(writable_store.path), "import", str(path), "--set", "indicator_id=LCC078"]
    assert main(command + ["--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "recognised and adjusted mapping" in out and "period <- headers of '2019/20', '2020/21'" in out
    assert "Dry run: nothing was written." in out
    assert writable_store.checksums() == before
    assert main(command) == 0
    assert "indicator_value: 0 added, 3 replaced" in capsys.readouterr().out
    values = writable_store.values(["2019/20"]).set_index(["indicator_id", "authority_code"])["value"]
    assert values.loc[("LCC078", "E10000016")] == 3
    assert main(["--db", str(writable_store.path), "import", str(path), "--dry-run"]) == 2
    assert "--set indicator_id=VALUE" in capsys.readouterr().err  # the indicator is asked for again
    assert main(command + ["--dry-run"]) == 0
    assert "remembered (saved " in capsys.readouterr().out
    assert main(["--db", str(writable_store.path), "undo"]) == 0
    assert "Undid import" in capsys.readouterr().out
    after = writable_store.checksums()
    assert {t: after[t] for t in after if t != "setting"} == {t: before[t] for t in before if t != "setting"}


def test_the_command_line_refuses_to_undo_the_data_the_store_was_built_with(writable_store, capsys):
    """`undo` on a store holding only the demo says so and exits 2, changing nothing."""
    from benchmarking.cli import main

    before = writable_store.checksums()
    assert main(["--db", str(writable_store.path), "undo"]) == 2
    assert "is the demo dataset, not an import" in capsys.readouterr().err
    assert writable_store.checksums() == before


def test_the_command_line_takes_field_to_column_choices(writable_store, tmp_path, capsys):
    """--map names the columns a header does not give away."""
    from benchmarking.cli import main

    path = tmp_path / "odd.csv"
    path.write_text("Place,When,What,Number\nKent,2021/22,LCC078,5\n", encoding="utf-8")
    command = [
        "--db",
        str(writable_store.path),
        "import",
        str(path),
        "--map",
        "authority_name=Place",
        "--map",
        "period=When",
        "--map",
        "indicator_id=What",
        "--map",
        "value=Number",
    ]
    assert main(command) == 0
    assert "indicator_value: 0 added, 1 replaced" in capsys.readouterr().out
    assert main(["--db", str(writable_store.path), "import", str(path), "--map", "period"]) == 2
    assert "--map takes FIELD=COLUMN, for example --map period=column; got 'period'" in capsys.readouterr().err
