"""Cells of a column read from a file: encoded text, and the distinct cells of a column.

A column of few distinct cells (codes, ids, periods) is read as encoded text: a pandas Categorical
that keeps each distinct cell once as a label and an integer code per row. Every layer that looks at
a column's distinct cells asks here, so that encoded text is read off its codes, never cell by cell.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def is_encoded(cells: pd.Series) -> bool:
    """Return True when ``cells`` are encoded text: each distinct cell once (a pandas Categorical of text) and a
    code per row, as ``reading.read_file(encoded=True)`` reads a column of few distinct cells."""
    return isinstance(cells.dtype, pd.CategoricalDtype) and cells.cat.categories.inferred_type in ("string", "empty")


def distinct_cells(cells: pd.Series) -> np.ndarray:
    """Return the distinct cells that are not missing, as an array in no set order.

    Encoded text's labels are counted by their codes (a label no row uses any more is left out), with no pass
    over the cells' text; other cells are found by pandas' ``unique``.
    """
    if is_encoded(cells):
        labels, codes = cells.cat.categories, cells.cat.codes.to_numpy()
        if codes.dtype.itemsize <= 2:  # read unsigned, a missing cell's code -1 is the largest: counted last, dropped
            used = np.bincount(codes.view(f"u{codes.dtype.itemsize}"), minlength=len(labels))[: len(labels)] > 0
        else:
            used = np.bincount(codes.astype(np.intp) + 1, minlength=len(labels) + 1)[1:] > 0
        return labels.to_numpy(dtype=object)[used]
    return np.asarray(cells.dropna().unique(), dtype=object)
