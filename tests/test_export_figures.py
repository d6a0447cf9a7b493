"""Exports write figures as published (``method.figures.published``): a stored 96.60000000000001 is written 96.6,
an average rank keeps the digits that tell it from another, and ranks and positions are written as computed."""

import csv
import subprocess
import sys

import numpy as np
import pandas as pd

from benchmarking.method.figures import SIGNIFICANT_FIGURES, published, published_frame
from benchmarking.store import Store


def _run(*args):
    return subprocess.run([sys.executable, "-m", "benchmarking", *args], capture_output=True, text=True)


def _digits(text: str) -> int:
    """Return the significant digits a number is written with (96.60000000000001: 16)."""
    mantissa = text.lower().split("e")[0].replace("-", "").replace(".", "")
    return len(mantissa.lstrip("0").rstrip("0") if "." in text else mantissa.lstrip("0"))


def _cells(path, column: str) -> list[str]:
    with open(path, newline="", encoding="utf-8") as file:
        return [row[column] for row in csv.DictReader(file)]


def test_a_noisy_stored_value_exports_as_published(shipped_store_path, tmp_path):
    """DfE's files carry float noise (98.60000000000001); the ranks CSV writes each stored value as published,
    the same number to 12 significant figures, and the ranks as the engine computed them."""
    stored = Store(shipped_store_path).values(["2022/23"])["value"].dropna().to_numpy(dtype=float)
    noisy = [v for v in stored if _digits(repr(float(v))) > SIGNIFICANT_FIGURES]
    assert noisy, "the shipped extract no longer holds a noisy value for 2022/23"
    out = tmp_path / "ranks.csv"
    run = _run("--db", str(shipped_store_path), "ranks", "--period", "2022/23", "--out", str(out))
    assert run.returncode == 0, run.stderr
    written = [cell for cell in _cells(out, "value") if cell]
    assert all(_digits(cell) <= SIGNIFICANT_FIGURES for cell in written)
    assert {repr(float(published(np.array([v]))[0])) for v in noisy} <= set(written)
    exported = pd.read_csv(out)
    assert exported["rank"].dropna().apply(float.is_integer).all()  # ranks are whole numbers, untouched


def test_average_ranks_keep_the_digits_that_tell_positions_apart(shipped_store_path, tmp_path):
    """In the positions CSV two authorities with different positions never share a written average rank, and
    each average keeps 12 significant figures (16.3725490196), not the ten that would write 123456789.12 as
    123456789.1."""
    out = tmp_path / "positions.csv"
    run = _run("--db", str(shipped_store_path), "positions", "--all-periods", "--out", str(out))
    assert run.returncode == 0, run.stderr
    assert all(_digits(cell) <= SIGNIFICANT_FIGURES for cell in _cells(out, "average_rank") if cell)
    exported = pd.read_csv(out).dropna(subset=["position"])
    per_average = exported.groupby(["period", "theme", "average_rank"])["position"].nunique()
    assert (per_average == 1).all()
    frame = published_frame(pd.DataFrame({"average_rank": [835 / 51, np.nan], "value": [123456789.12, 96.6 + 1e-14]}))
    assert frame["average_rank"].iloc[0] == 16.3725490196 and np.isnan(frame["average_rank"].iloc[1])
    assert frame["value"].tolist() == [123456789.12, 96.6]
