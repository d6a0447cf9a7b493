"""Issue 15, the write path: imports merge and never blank, the store is checked inside the write
transaction, undo names its import, and a file that is not a store (or is damaged) is refused.

Each case goes through the command line (``main([...])``, exit code 2 and the message) or the
package, and proves the store unchanged with ``Store.checksums()`` or shows the merged result.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sqlite3
import subprocess
import threading

import duckdb
import pandas as pd
import pytest

from benchmarking.cli.main import main
from benchmarking.errors import ImportValidationError, StoreBusyError, StoreWriteError
from benchmarking.ingest.context import store_context
from benchmarking.ingest.importer import import_frames
from benchmarking.ingest.preview import commit, map_sources, preview_import, read_source
from benchmarking.store import Store, database


def run(capsys, *argv) -> tuple[int, str, str]:
    """Return (exit code, stdout, stderr) of ``python -m benchmarking ARGV``."""
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def write_csv(folder, name: str, text: str):
    """Return the path of a CSV file holding ``text``."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def file_hash(path) -> str:
    """Return the SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- defect 1: a file with fewer columns than the table updates only its columns -----------------


def test_an_authority_file_without_region_and_population_keeps_them(writable_store, tmp_path, capsys):
    """`code,name,kind` for Leicestershire renames it; region and population stay; undo restores the row."""
    before = writable_store.checksums()
    stored = writable_store.authorities().set_index("code").loc["E10000018"]
    path = write_csv(tmp_path, "authority.csv", "code,name,kind\nE10000018,Leicestershire CC,county council\n")
    code, out, _ = run(capsys, "--db", writable_store.path, "import", path, "--dry-run")
    assert code == 0
    assert "name (1 row); keeps region, population" in out  # the preview names what changes and what stays
    code, out, _ = run(capsys, "--db", writable_store.path, "import", path)
    assert code == 0 and "0 rows added, 1 replaced" in out
    after = writable_store.authorities().set_index("code").loc["E10000018"]
    assert after["name"] == "Leicestershire CC"
    assert (after["region"], after["population"]) == (stored["region"], stored["population"])
    assert run(capsys, "--db", writable_store.path, "undo")[0] == 0
    assert writable_store.checksums() == before  # the undo shadow restored exactly the old row


def test_an_indicator_file_with_four_columns_keeps_unit_source_description_and_is_core(writable_store, tmp_path):
    """`id,name,theme,polarity` for a core indicator keeps unit, outcome, source, description and is_core."""
    stored = writable_store.indicators().set_index("id").loc["DEMO005"]
    assert stored["is_core"]
    path = write_csv(tmp_path, "ind.csv", "id,name,theme,polarity\nDEMO005,Renamed,Adult Social Care,high\n")
    source = read_source(path)
    commit(writable_store, map_sources([source], store_context(writable_store)))
    after = writable_store.indicators().set_index("id").loc["DEMO005"]
    assert after["name"] == "Renamed"
    for column in ["unit", "outcome", "source", "description", "is_core", "target_midpoint"]:
        assert after[column] == stored[column] or (pd.isna(after[column]) and pd.isna(stored[column])), column


@pytest.mark.parametrize(
    ("name", "text", "column"),
    [
        (
            "spend.csv",
            "authority_code,period,service\nE10000018,2021/22,adult social care\n",
            "net_expenditure_per_head",
        ),
        ("values.csv", "indicator_id,authority_code,period\nDEMO005,E10000018,2021/22\n", "value"),
    ],
)
def test_a_value_file_without_its_value_column_is_refused(writable_store, tmp_path, capsys, name, text, column):
    """A spend (or values) file without its figures is refused by name, not written as NULL (no KeyError)."""
    before = writable_store.checksums()
    path = write_csv(tmp_path, name, text)
    code, _, err = run(capsys, "--db", writable_store.path, "import", path)
    assert code == 2
    assert f"'{column}'" in err and "figures" in err and "Traceback" not in err
    assert writable_store.checksums() == before


def test_unchanged_in_the_preview_means_the_commit_changes_nothing(writable_store):
    """Rows already stored with the same values: the preview says unchanged, and the commit writes no row."""
    values = writable_store.values(["2021/22"]).head(5)[["indicator_id", "authority_code", "period", "value"]]
    before = writable_store.checksums()
    items = [("indicator_value", values, "same.csv")]
    preview = preview_import(writable_store, items)
    assert (preview.added, preview.replaced, preview.unchanged) == (0, 0, 5)
    result = import_frames(writable_store, items)
    assert (result.added, result.replaced) == (0, 0)
    after = writable_store.checksums()
    assert {t: after[t] for t in after if t != "dataset"} == {t: before[t] for t in before if t != "dataset"}


def test_the_preview_counts_are_the_commit_counts(writable_store):
    """One plan computes both: per table, added and replaced in the preview equal what the commit wrote."""
    values = writable_store.values(["2021/22"]).head(6)[["indicator_id", "authority_code", "period", "value"]]
    values.loc[values.index[:2], "value"] = -1.0  # two changed, four the same
    extra = values.head(1).assign(period="2023/24")  # one new row in a new period
    frame = pd.concat([values, extra], ignore_index=True)
    preview = preview_import(writable_store, [("indicator_value", frame, "mixed.csv")])
    result = import_frames(writable_store, [("indicator_value", frame, "mixed.csv")])
    assert (preview.added, preview.replaced, preview.unchanged) == (1, 2, 4)
    assert (result.added, result.replaced, result.new_periods) == (1, 2, 1)
    assert "value (2 rows)" in preview.summary.set_index("table").loc["indicator_value", "columns changed"]


# -- defect 4: one transaction from check to write ------------------------------------------------


def test_an_undo_racing_a_values_import_leaves_no_values_for_a_missing_authority(writable_store, tmp_path, monkeypatch):
    """The authority import is undone after the values file was checked, before it is written: refused."""
    before = writable_store.checksums()
    authority = write_csv(tmp_path, "new.csv", "code,name,kind\nE99999999,Newshire,county council\n")
    commit(writable_store, map_sources([read_source(authority)], store_context(writable_store)))
    values = write_csv(
        tmp_path, "values.csv", "indicator_id,authority_code,period,value\nDEMO005,E99999999,2021/22,5\n"
    )
    mapped = map_sources([read_source(values)], store_context(writable_store))
    assert preview_import(writable_store, mapped).can_commit  # checked while Newshire exists
    original = database.Store.write
    other_session = Store(writable_store.path)

    def undo_first(self, *args, **kwargs):
        other_session.undo_last_import()  # the other session's undo lands between the check and the write
        return original(self, *args, **kwargs)

    monkeypatch.setattr(database.Store, "write", undo_first)
    with pytest.raises(ImportValidationError, match="unknown authority 'E99999999'"):
        commit(writable_store, mapped)
    monkeypatch.setattr(database.Store, "write", original)
    assert writable_store.checksums() == before  # Newshire undone, and no value written for it
    assert not (writable_store.values()["authority_code"] == "E99999999").any()


def test_a_write_conflict_with_another_session_is_a_busy_message(writable_store):
    """Another connection adds the same authority during the import's transaction: busy, not TransactionException."""
    before = writable_store.checksums()
    rows = pd.DataFrame({"code": ["E99999999"], "name": ["Newshire"], "kind": ["county council"]})
    original = database.writes.upsert

    def other_session_adds_it_too(con, table, frame, dataset_id):
        counts = original(con, table, frame, dataset_id)
        # another connection to the same database instance (MVCC, not a file lock) commits the same key first
        other = duckdb.connect(str(writable_store.path), config={"autoload_known_extensions": False})
        try:
            other.execute("INSERT INTO authority (code, name, kind) VALUES ('E99999999', 'Other', 'county council')")
        finally:
            other.close()
        return counts

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(database.writes, "upsert", other_session_adds_it_too)
        with pytest.raises(StoreBusyError, match=r"another session changed the store at .* at the same moment"):
            import_frames(writable_store, [("authority", rows, "new.csv")])
    after = writable_store.checksums()
    assert {t: after[t] for t in after if t != "authority"} == {t: before[t] for t in before if t != "authority"}
    assert writable_store.authorities().set_index("code").loc["E99999999", "name"] == "Other"  # theirs, not ours


def test_two_sessions_in_threads_both_end_with_a_result_or_busy(writable_store):
    """Threads of one app process queue for the store: both commit (or one says busy), nothing raw."""
    rows = writable_store.values(["2021/22"]).head(3)[["indicator_id", "authority_code", "period", "value"]]
    outcomes = []

    def session(value: float) -> None:
        try:
            outcomes.append(
                import_frames(Store(writable_store.path), [("indicator_value", rows.assign(value=value), "x")])
            )
        except StoreBusyError as error:
            outcomes.append(error)

    threads = [threading.Thread(target=session, args=(v,)) for v in (1.0, 2.0)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert len(outcomes) == 2
    assert all(not isinstance(o, Exception) or isinstance(o, StoreBusyError) for o in outcomes)


# -- undo names the import it undoes -----------------------------------------------------------


def test_undo_by_id_refuses_an_import_that_is_not_the_newest(writable_store, tmp_path, capsys):
    """`undo --id N` when a later import exists: exit 2, names the newest, changes nothing; plain undo says which."""
    first = write_csv(tmp_path, "a.csv", "indicator_id,authority_code,period,value\nDEMO005,E10000018,2021/22,1\n")
    second = write_csv(tmp_path, "b.csv", "indicator_id,authority_code,period,value\nDEMO006,E10000018,2021/22,2\n")
    assert run(capsys, "--db", writable_store.path, "import", first)[0] == 0
    first_id = int(writable_store.datasets()["id"].iloc[0])
    assert run(capsys, "--db", writable_store.path, "import", second)[0] == 0
    second_id = first_id + 1
    before = writable_store.checksums()
    code, _, err = run(capsys, "--db", writable_store.path, "undo", "--id", first_id)
    assert code == 2
    assert f"import {first_id} is no longer the newest: import {second_id} (b.csv)" in err
    assert writable_store.checksums() == before
    code, out, _ = run(capsys, "--db", writable_store.path, "undo")
    assert code == 0 and f"Undoing the newest import: {second_id} (b.csv)" in out
    code, out, _ = run(capsys, "--db", writable_store.path, "undo", "--id", first_id)
    assert code == 0 and f"Undid import {first_id} (a.csv" in out


def test_undo_forgets_the_mapping_the_import_remembered(writable_store, tmp_path, capsys):
    """The mapping saved with an import goes with its undo (and a mapping it replaced comes back)."""
    path = write_csv(tmp_path, "odd.csv", "Place,When,What,Number\nKent,2021/22,DEMO005,5\n")
    before = writable_store.settings()
    argv = ["--db", writable_store.path, "import", path, "--map", "authority_name=Place", "--map", "period=When"]
    argv += ["--map", "indicator_id=What", "--map", "value=Number"]
    assert run(capsys, *argv)[0] == 0
    assert len(writable_store.settings()) == len(before) + 1
    assert run(capsys, "--db", writable_store.path, "undo")[0] == 0
    assert writable_store.settings() == before


def test_undo_refuses_the_dataset_the_store_was_built_with(writable_store, capsys):
    """The demo load is not an import: `undo` says so (exit 2) and changes nothing."""
    before = writable_store.checksums()
    code, _, err = run(capsys, "--db", writable_store.path, "undo")
    assert code == 2 and "is the demo dataset, not an import" in err
    assert "python -m benchmarking --db FILE demo" in err
    assert writable_store.checksums() == before


def test_undo_on_the_public_store_never_advises_the_demo(shipped_store_path, tmp_path, capsys):
    """On the store built from the public extract, `undo` with no import left names the public rebuild
    (load-extract), never the demo command, which would put invented figures where the real ones were."""
    import shutil

    from benchmarking.store import Store

    path = tmp_path / "public.duckdb"
    shutil.copy(shipped_store_path, path)
    before = Store(path).checksums()
    code, out, err = run(capsys, "--db", path, "undo")
    assert code == 2 and "is the public dataset, not an import" in err
    assert "load-extract --out FILE --replace" in err and "demo" not in err
    assert "Undoing" not in out  # it undoes nothing, so it never says it does
    assert Store(path).checksums() == before


# -- store-side failures as clear errors ------------------------------------------------------


class _FailingCommit:
    """A connection whose COMMIT fails as on a folder that cannot be written, and whose ROLLBACK then fails too."""

    def __init__(self, con):
        self._con = con

    def execute(self, sql, *args):
        if sql == "COMMIT":
            raise duckdb.IOException('IO Error: Cannot open file "store.duckdb.wal": Permission denied')
        if sql == "ROLLBACK":
            raise duckdb.TransactionException("TransactionContext Error: cannot rollback - no transaction is active")
        return self._con.execute(sql, *args)

    def __getattr__(self, name):
        return getattr(self._con, name)


def test_a_commit_the_file_system_refuses_names_the_real_cause(writable_store, tmp_path, capsys, monkeypatch):
    """The write fails at COMMIT: the message is the permission error, not "cannot rollback"; nothing written."""
    real_connect = database.connect

    @contextlib.contextmanager
    def failing(path, read_only=True, wait_seconds=15.0):
        with real_connect(path, read_only=read_only, wait_seconds=wait_seconds) as con:
            yield con if read_only else _FailingCommit(con)

    before = writable_store.checksums()
    path = write_csv(tmp_path, "v.csv", "indicator_id,authority_code,period,value\nDEMO005,E10000018,2021/22,1\n")
    monkeypatch.setattr(database, "connect", failing)
    with pytest.raises(StoreWriteError, match="Permission denied"):
        import_frames(writable_store, [("indicator_value", pd.read_csv(path, dtype=str), "v.csv")])
    code, _, err = run(capsys, "--db", writable_store.path, "import", path)
    monkeypatch.undo()
    assert code == 2 and "could not be written" in err and "Permission denied" in err
    assert "cannot rollback" not in err
    assert writable_store.checksums() == before


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_commit_in_a_folder_that_cannot_be_written_names_the_real_cause(writable_store, tmp_path, capsys):
    """The store's folder is read-only (its WAL cannot be made): exit 2 with the file system's reason."""
    folder = writable_store.path.parent
    before = writable_store.checksums()
    path = write_csv(
        tmp_path / "..", "ro.csv", "indicator_id,authority_code,period,value\nDEMO005,E10000018,2021/22,1\n"
    )
    folder.chmod(0o555)
    try:
        code, _, err = run(capsys, "--db", writable_store.path, "import", path)
    finally:
        folder.chmod(0o755)
    assert code == 2 and "cannot rollback" not in err and "Traceback" not in err
    assert writable_store.checksums() == before


@contextlib.contextmanager
def small_disk(folder, size: int):
    """Mount a tmpfs of ``size`` bytes on ``folder`` for the block (skips where mounting is not allowed)."""
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small file system here (needs root)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def test_a_commit_on_a_full_disk_names_the_real_cause(writable_store, tmp_path, capsys):
    """The disk fills while the import commits: "No space left on device", not "cannot rollback"; store unchanged."""
    values = writable_store.values()[["indicator_id", "authority_code", "period", "value"]]
    path = tmp_path / "all.csv"
    values.assign(value=values["value"] * 1.01 + 3).to_csv(path, index=False)  # every value changes
    before = writable_store.checksums()
    size = writable_store.path.stat().st_size
    with small_disk(tmp_path / "disk", size + 200_000) as disk:
        store = disk / "store.duckdb"
        shutil.copy(writable_store.path, store)
        (disk / "fill").write_bytes(bytes(150_000))  # leaves less room than the commit needs
        code, _, err = run(capsys, "--db", store, "import", path)
        assert code == 2
        assert "could not be written" in err and "No space left on device" in err
        assert "cannot rollback" not in err
        (disk / "fill").unlink()
        assert Store(store).checksums() == before


@pytest.mark.parametrize("damage", ["truncated", "bit-flipped"])
def test_a_damaged_store_file_is_refused_with_a_clear_message(writable_store, tmp_path, capsys, damage):
    """Half the file, or flipped bytes throughout: import and ranks exit 2 saying the store is damaged."""
    data = bytearray(writable_store.path.read_bytes())
    if damage == "truncated":
        data = data[: len(data) // 2]
    else:
        for at in range(300_000, len(data), 4096):
            data[at] ^= 0xFF
    broken = tmp_path / "broken.duckdb"
    broken.write_bytes(bytes(data))
    digest = file_hash(broken)
    path = write_csv(tmp_path, "v.csv", "indicator_id,authority_code,period,value\nDEMO005,E10000018,2021/22,1\n")
    for argv in (["import", path], ["ranks", "--period", "2021/22"]):
        code, _, err = run(capsys, "--db", broken, *argv)
        assert code == 2, argv
        assert "is damaged and cannot be read" in err and "Traceback" not in err
    assert file_hash(broken) == digest


def test_a_foreign_duckdb_file_is_refused_and_never_written(tmp_path, capsys):
    """A DuckDB file of other tables: refused by name; no store table is created in it."""
    foreign = tmp_path / "other.duckdb"
    with contextlib.closing(duckdb.connect(str(foreign))) as con:
        con.execute("CREATE TABLE orders (id INTEGER)")
    path = write_csv(tmp_path, "a.csv", "code,name,kind\nE99999999,Newshire,county council\n")
    for argv in (["import", path], ["import", path, "--create"]):
        code, _, err = run(capsys, "--db", foreign, *argv)
        assert code == 2 and "is a DuckDB file but not a benchmarking store (it holds orders)" in err
    with pytest.raises(Exception, match="not a benchmarking store"):
        import_frames(Store(foreign), [("authority", pd.read_csv(path, dtype=str), "a.csv")])
    with contextlib.closing(duckdb.connect(str(foreign), read_only=True)) as con:
        assert [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()] == ["orders"]


def test_a_sqlite_file_is_refused_before_duckdb_opens_it(tmp_path, capsys, monkeypatch):
    """A SQLite database as --db: refused as SQLite; DuckDB never opens it (so fetches no extension)."""
    lite = tmp_path / "store.db"
    with contextlib.closing(sqlite3.connect(lite)) as con:
        con.execute("CREATE TABLE t (a)")
        con.commit()
    digest = file_hash(lite)

    def no_duckdb(*args, **kwargs):
        raise AssertionError("DuckDB was asked to open a SQLite file")

    monkeypatch.setattr(duckdb, "connect", no_duckdb)
    path = write_csv(tmp_path, "a.csv", "code,name,kind\nE99999999,Newshire,county council\n")
    for argv in (["import", path], ["undo"], ["ranks", "--period", "2021/22"]):
        code, _, err = run(capsys, "--db", lite, *argv)
        assert code == 2, argv
        assert "is a SQLite database, not a benchmarking store" in err
    assert file_hash(lite) == digest


def test_import_into_a_mistyped_path_needs_create(writable_store, tmp_path, capsys):
    """A --db path that holds nothing: refused (no file made) unless --create asks for a new store."""
    mistyped = tmp_path / "stroe.duckdb"
    path = write_csv(tmp_path, "a.csv", "code,name,kind\nE99999999,Newshire,county council\n")
    code, _, err = run(capsys, "--db", mistyped, "import", path)
    assert code == 2 and f"no store at {mistyped}" in err and "--create" in err
    assert not mistyped.exists()
    code, out, _ = run(capsys, "--db", mistyped, "import", path, "--create")
    assert code == 0 and "1 row added" in out
    assert list(Store(mistyped).authorities()["code"]) == ["E99999999"]


def test_result_counts_leave_out_period_labels(writable_store, tmp_path, capsys):
    """One value in a new period: "1 row added" and one new period label, not "2 added"."""
    path = write_csv(tmp_path, "v.csv", "indicator_id,authority_code,period,value\nDEMO005,E10000018,2024/25,1\n")
    code, out, _ = run(capsys, "--db", writable_store.path, "import", path)
    assert code == 0
    assert "1 row added, 0 replaced, 0 unchanged of 1 read" in out and "1 new period label" in out
    assert "2 added" not in out
    assert int(writable_store.datasets()["rows_added"].iloc[0]) == 1


def test_a_copy_of_the_store_is_still_a_store(writable_store, tmp_path, capsys):
    """The checks refuse only what is not a store: a copied store imports as before."""
    copy = tmp_path / "copy.duckdb"
    shutil.copy(writable_store.path, copy)
    path = write_csv(tmp_path, "v.csv", "indicator_id,authority_code,period,value\nDEMO005,E10000018,2021/22,1\n")
    assert run(capsys, "--db", copy, "import", path)[0] == 0


def test_a_refused_file_is_not_hashed_first(tmp_path, monkeypatch):
    """The SHA-256 is read beside the file (a thread), but only for a file the read can accept: an empty file
    is refused at once however long its hash would take (found by a review: a 20 GB sparse file waited 42 s)."""
    import sys
    import time

    preview = sys.modules[read_source.__module__]
    monkeypatch.setattr(preview, "file_sha256", lambda path: time.sleep(5) or "0" * 64)
    empty = tmp_path / "values.csv"
    empty.write_bytes(b"")
    started = time.monotonic()
    with pytest.raises(ImportValidationError, match="empty"):
        read_source(empty)
    assert time.monotonic() - started < 2


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs a named pipe")
def test_a_pipe_named_like_a_csv_is_refused_not_waited_on(tmp_path):
    """A named pipe (like a link to a device) has no size: the command refuses it as empty instead of waiting to
    hash it for ever with the store's read connection open."""
    import sys

    pipe = tmp_path / "values.csv"
    os.mkfifo(pipe)
    command = [
        sys.executable,
        "-m",
        "benchmarking",
        "--db",
        str(tmp_path / "s.duckdb"),
        "import",
        str(pipe),
        "--create",
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("the import waited on a named pipe instead of refusing it")
    assert done.returncode == 2 and "empty" in done.stderr


def test_the_command_line_never_prints_a_control_character_from_a_file(writable_store, tmp_path, capsys):
    """Names from a file reach the terminal as text: an escape sequence, a carriage return or a bell is shown as
    its escape (``\\x1b``), so a file cannot recolour the terminal, set its title or overwrite a line."""
    hostile = "\x1b[31mRED\x1b]0;pwned\x07"
    path = tmp_path / "ansi.csv"
    rows = [f"LCC001,{hostile},2021/22,1", 'LCC001,"Cumbria\rImported OK",2021/22,1']
    path.write_text("indicator_id,authority_name,period,value\n" + "\n".join(rows) + "\n")
    code = main(["--db", str(writable_store.path), "import", str(path), "--dry-run"])
    shown = capsys.readouterr()
    assert code == 2  # a dry run: the unknown names are reported (exit 2), nothing is written
    for text in (shown.out, shown.err):
        assert not any(ord(c) < 32 and c not in "\n\t" for c in text)
    assert "\\x1b[31mRED" in shown.out and "Cumbria\\rImported OK" in shown.out


def test_a_store_path_under_a_file_is_refused_with_a_message(tmp_path, capsys):
    """``--create`` at a path whose folder is a file says so (exit 2) instead of a FileExistsError traceback."""
    (tmp_path / "afile").write_text("not a folder")
    path = tmp_path / "authorities.csv"
    path.write_text("code,name,kind\nE10000099,Testshire,county council\n")
    code = main(["--db", str(tmp_path / "afile" / "x.duckdb"), "import", str(path), "--table", "authority", "--create"])
    assert code == 2
    assert "cannot make the folder" in capsys.readouterr().err
