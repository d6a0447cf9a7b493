"""Helpers the import tests share: a values file for a period the store lacks, a load's undo shadow counts, and
the command line's ``import`` of a CSV file's text."""

from __future__ import annotations

import numpy as np
import pandas as pd

from benchmarking.cli.main import main
from benchmarking.store import tables


def new_period_file(store, label: str, rows: int, low: float, high: float) -> pd.DataFrame:
    """Return a values file for a period the store lacks (every key new): ``rows`` keys, values low to high."""
    keys = store.values(["2021/22"])[["indicator_id", "authority_code"]].drop_duplicates().head(rows)
    values = np.round(np.linspace(low, high, len(keys)), 3)
    return keys.assign(period=label, value=values.astype(str)).reset_index(drop=True)


def undo_actions(store, dataset_id: int) -> dict[str, int]:
    """Return action -> how many rows the values table's undo shadow holds for load ``dataset_id``."""
    with store.reading() as con:
        return dict(
            con.execute(
                f"SELECT action, count(*) FROM {tables.UNDO_PREFIX}indicator_value WHERE dataset_id = ? "
                "GROUP BY action",
                [dataset_id],
            ).fetchall()
        )


def imported(store, tmp_path, text: str, capsys, *options: str) -> tuple[int, str]:
    """Return the exit status and the output of ``import`` of a CSV file (long.csv) holding ``text``."""
    path = tmp_path / "long.csv"
    path.write_text(text)
    capsys.readouterr()
    status = main(["--db", str(store.path), "import", str(path), *options])
    captured = capsys.readouterr()
    return status, captured.out + captured.err
