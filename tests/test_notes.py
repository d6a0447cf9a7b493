"""Context notes: kept in the store, matched to what they concern, and round-tripped through CSV."""

import pandas as pd

from benchmarking.ingest.importer import import_frames
from benchmarking.ingest.preview import import_file
from benchmarking.method.notes import notes_for


def test_note_survives_export_and_reimport(writable_store, tmp_path):
    """A note exported to CSV and imported into a store without it comes back identical."""
    import_frames(
        writable_store,
        [
            (
                "note",
                pd.DataFrame(
                    {
                        "indicator_id": ["LCC010"],
                        "authority_code": ["E10000018"],
                        "period": ["2021/22"],
                        "note": ["Service not delivered <b>here</b>"],
                        "added_by": ["analyst"],
                    }
                ),
                "n.csv",
            )
        ],
    )
    exported = writable_store.table("note")
    path = tmp_path / "notes.csv"
    exported.to_csv(path, index=False)
    before = writable_store.checksums()["note"]
    from benchmarking.store import connect

    with connect(writable_store.path, read_only=False) as con:
        con.execute("DELETE FROM note")
    assert writable_store.table("note").empty
    import_file(writable_store, path, "note")
    assert writable_store.checksums()["note"] == before
    assert "Service not delivered <b>here</b>" in set(writable_store.table("note")["note"])


def test_wildcard_notes_apply_to_every_authority_or_indicator():
    """'*' matches any indicator, authority or period; specific notes only their own."""
    notes = pd.DataFrame(
        {
            "indicator_id": ["A", "*", "B"],
            "authority_code": ["*", "X", "Y"],
            "period": ["2021/22", "*", "*"],
            "note": ["definition changed", "boundary change", "not delivered"],
            "added_by": [None] * 3,
        }
    )
    assert list(notes_for(notes, "A", "X", "2021/22")["note"]) == ["definition changed", "boundary change"]
    assert list(notes_for(notes, "A", "Y", "2020/21")["note"]) == []
    assert list(notes_for(notes, "B", "Y", "2020/21")["note"]) == ["not delivered"]
    assert "all authorities" in notes_for(notes, "A")["applies_to"].iloc[0]


def test_a_note_on_an_unknown_indicator_is_refused(writable_store):
    """Only '*' or a known id may be used."""
    import pytest

    from benchmarking.errors import ImportValidationError

    before = writable_store.checksums()
    with pytest.raises(ImportValidationError, match="unknown indicator 'NOPE'"):
        import_frames(
            writable_store,
            [
                (
                    "note",
                    pd.DataFrame({"indicator_id": ["NOPE"], "authority_code": ["*"], "period": ["*"], "note": ["x"]}),
                    "n.csv",
                )
            ],
        )
    assert writable_store.checksums() == before
