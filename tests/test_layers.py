"""The layering contracts in pyproject.toml ([tool.importlinter]) hold, and they catch a wrong import.

`lint-imports` also runs in .ci/run; these tests show the contracts are live: a copy of the
package with one upward import (a method module importing Streamlit, or the store) fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

pytestmark = pytest.mark.skipif(
    not LINT_IMPORTS.exists(), reason="lint-imports is not installed (pip install -e '.[test]')"
)


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    """Return the finished `lint-imports` run on the tree at ``root`` (its own package first on the path)."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=root, env=env, capture_output=True, text=True, timeout=120
    )


def copy_of_tree(tmp_path: Path) -> Path:
    """Return a copy of the package, the pages and pyproject.toml under ``tmp_path``."""
    for name in ("benchmarking", "pages"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_tree_keeps_every_layering_contract():
    """The checked-in tree keeps every contract (nothing imports upwards)."""
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("method/periods.py", "import streamlit", "the method is pure"),
        ("method/ranking.py", "from benchmarking.store import Store", "the method is pure"),
        ("store/schema.py", "import benchmarking.cli", "nothing imports upwards"),
        (
            "service/views.py",
            "from benchmarking.adapters.dfe_neighbours import NEIGHBOUR_MODELS",
            "the service never imports the adapters",
        ),
    ],
)
def test_a_wrong_import_breaks_a_contract(tmp_path, module, line, contract):
    """One wrong import in a copy of the package makes lint-imports fail and name the contract."""
    tree = copy_of_tree(tmp_path)
    path = tree / "benchmarking" / module
    path.write_text(path.read_text() + f"\n{line}  # deliberately wrong\n")
    result = lint_imports(tree)
    assert result.returncode != 0
    assert contract in result.stdout
    assert module.replace("/", ".").removesuffix(".py") in result.stdout
