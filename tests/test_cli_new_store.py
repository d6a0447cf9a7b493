"""Commands that build a new store (``demo``, ``load-extract``) never replace one without ``--replace``, and say
so in the same words."""

from __future__ import annotations

import pytest

from benchmarking.__main__ import main
from benchmarking.store import Store


def test_demo_refuses_to_replace_a_store_as_load_extract_does(writable_store: Store, capsys):
    """``demo`` over a store with imports (a saved group) exits 2 and leaves it whole; load-extract says the same."""
    assert main(["--db", str(writable_store.path), "group", "save", "mine", "--members", "E10000018, E10000019"]) == 0
    before = writable_store.checksums()
    capsys.readouterr()
    assert main(["--db", str(writable_store.path), "demo"]) == 2
    said = capsys.readouterr().err
    assert "exists: demo builds a new store, so it would replace it and every import in it" in said
    assert "Give another --db, or add --replace" in said
    assert writable_store.checksums() == before
    assert main(["--db", str(writable_store.path), "load-extract"]) == 2
    assert "exists: load-extract builds a new store, so it would replace it and every import in it" in (
        capsys.readouterr().err
    )


def test_demo_replaces_when_asked_and_says_what_seed_means(writable_store: Store, capsys):
    """``--replace`` rebuilds the demo; ``--seed`` has a help text."""
    assert main(["--db", str(writable_store.path), "demo", "--replace"]) == 0
    assert "Built" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["demo", "--help"])
    assert "--seed SEED the random seed" in " ".join(capsys.readouterr().out.split())
