"""Where a user gives each choice of an import: the command line's option and the Data import page's control.

The ingest layer's messages are shown both by ``python -m benchmarking import`` and by the Data
import page, so a message that asks for a choice names both ways of making it, worded here once
(``how_to_give``). The options are the ``import`` command's (``cli/main.py``); the controls are the
page's (``pages/_import_upload.py``, ``pages/_import_mapping.py``), named by their labels.
``tests/test_import_wording.py`` checks that every option and every control named here exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from benchmarking.ingest.headers import field_label
from benchmarking.ingest.layouts import WIDE_INDICATORS, WIDE_PERIODS


@dataclass(frozen=True)
class Way:
    """One choice as the command line takes it (``option``) and as the page shows it (``control``).

    ``{field}``/``{label}`` are filled with a field and its label, ``{value}`` with each value offered.
    """

    option: str
    control: str
    placeholder: str = "VALUE"


SAME_FOR_ALL = "(one value for every row)"
"""The page's choice, in a field's list of columns, that gives the field one value for every row."""
WIDE_COLUMNS = "Columns whose headers are {what} and whose cells are values"
"""The page's choice of a wide file's value columns ({what}: ``WIDE_HEADERS`` of the layout)."""
WIDE_HEADERS = {WIDE_PERIODS: "periods", WIDE_INDICATORS: "indicators (ids or names)"}

WAYS: dict[str, Way] = {
    "table": Way("--table {value}", "the 'Table to fill' choice", "TABLE"),
    "layout": Way("--layout {value}", "the 'Layout' choice", "LAYOUT"),
    "sheet": Way("--sheet {value}", "the 'Sheet' choice", "NAME"),
    "column": Way("--map {field}={value}", "the '{label}' field", "COLUMN"),
    "value": Way("--set {field}={value}", f"'{SAME_FOR_ALL}' in the '{{label}}' field"),
    "column or value": Way(
        "--map {field}=COLUMN or --set {field}=VALUE",
        f"the '{{label}}' field (a column, or '{SAME_FOR_ALL}' and the value)",
    ),
    WIDE_PERIODS: Way(  # the option takes every period header: asked for when none is one, it says to rename them
        "headers that read as periods, such as 2021/22 or 2022 (no column's header reads as a period: rename the "
        "period columns' headers, and --layout wide-periods takes every one)",
        f"'{WIDE_COLUMNS.format(what=WIDE_HEADERS[WIDE_PERIODS])}'",
    ),
    WIDE_INDICATORS: Way(
        "--layout wide-indicators (every column that no field is mapped to)",
        f"'{WIDE_COLUMNS.format(what=WIDE_HEADERS[WIDE_INDICATORS])}'",
    ),
}
"""Each choice a message may ask for -> how the command line and the page take it."""


def how_to_give(choice: str, field: str = "", values: tuple[str, ...] = ()) -> str:
    """Return how to give ``choice`` both ways: '--table authority on the command line, or the 'Table to fill'
    choice on the page'.

    ``field`` names the store field a column or value is for; ``values`` are the values offered (one option each).
    """
    way = WAYS[choice]
    options = " or ".join(way.option.format(field=field, value=value) for value in values or (way.placeholder,))
    control = way.control.format(label=field_label(field) if field else "")
    return f"{options} on the command line, or {control} on the page"
