"""Stored and uploaded text is text: one escaping rule per place it is drawn.

Names, sources, notes and file names come from files anyone can import, so each is
escaped at the point it is drawn, with the rule of that place:

- ``markdown``: Streamlit Markdown (``st.markdown``, captions, labels, alerts): no image,
  link, heading, list, KaTeX (``$``), colour (``:red[...]``) or HTML survives.
- ``reportlab``: the mini-markup of ReportLab paragraphs (``<img>``, ``<a>``, ``<font>``).
- ``spreadsheet_cell``: CSV and XLSX cells a spreadsheet would run as a formula (OWASP); ``spreadsheet_read``
  and ``spreadsheet_read_column`` read such a cell back as a spreadsheet does, without its ``'`` (imports).
- ``generated_markdown``: the Markdown files the package writes (``public-report``).
- ``terminal``: the command line's messages: no escape sequence, carriage return or bell reaches the terminal.

``shorten`` cuts a long name for display (charts, slides, the PDF); the full name stays in
the chart tooltip and the data tables.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # loaded by the functions that need them: the command line's messages need neither
    import pandas as pd
    import pyarrow as pa

DISPLAY_LIMIT = 60
"""Characters of a name shown in charts, slides and the PDF before it is cut with '…'."""

CELL_LIMIT = 120
"""Characters of a table cell shown in slides and the PDF before it is cut with '…'."""

_LINE_BREAKS = re.compile(r"[\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029]+")
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_MARKDOWN = {c: "\\" + c for c in "\\`*_{}[]()#+-.!|~$:"} | _HTML
"""Marks that make Markdown in Streamlit (emphasis, code, links, images, headings, lists
such as ``1.`` and ``1)``, tables, strike-through, KaTeX ``$``, ``:colour[...]``, ``:emoji:``)
get a backslash; ``, ; ? / ' " % = ^ @`` make nothing once those are escaped, so they stay
as written."""
_GENERATED = {c: "\\" + c for c in "\\`*_[]!|#$~:"} | _HTML
WORD_JOINER = "\u2060"
"""An invisible character put inside ``://``, ``www.`` and after ``@``: GitHub-flavoured
Markdown turns bare URLs and e-mail addresses into links after backslash escapes are read,
so only a changed character stops it."""
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\.)|(?<=@)", re.IGNORECASE)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


_TERMINAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
"""Control characters but line feed and tab, and the invisible or direction-changing marks of Unicode."""


def terminal(text: object) -> str:
    """Return the text for a terminal: control characters (escape sequences, carriage returns, bells) and
    invisible or direction-changing marks written as their escapes (``\\x1b``, ``\\u202e``); lines and tabs kept."""
    return _TERMINAL.sub(lambda found: found.group().encode("unicode_escape").decode("ascii"), str(text))


def one_line(text: object) -> str:
    """Return the text as one line: every line break (CR, LF, Unicode separators) becomes a space."""
    return _LINE_BREAKS.sub(" ", "" if text is None else str(text))


def markdown(text: object) -> str:
    """Return text that Streamlit's Markdown shows literally, on one line.

    Every mark that makes Markdown is backslash-escaped (so no image, link, emphasis, heading,
    list, table, ``$`` maths, ``:colour[...]`` or ``:emoji:``), ``&``, ``<`` and ``>`` become
    HTML entities, line breaks spaces, and a bare ``http://``, ``www.`` or e-mail address gets
    an invisible word joiner so that it is not made a link.
    """
    unlinked = _AUTOLINK.sub(WORD_JOINER, one_line(text))
    return "".join(_MARKDOWN.get(c, c) for c in unlinked)


def generated_markdown(text: object) -> str:
    """Return stored text for a Markdown file the package writes (the public report), on one line.

    The file is read as source too, so only the marks that make markup are escaped: HTML
    (``<script>``, ``<img>``) as entities, and with a backslash the marks of links, images,
    emphasis, code, tables, headings and maths; slashes, dots and brackets stay readable.
    """
    return "".join(_GENERATED.get(c, c) for c in one_line(text))


def reportlab(text: object) -> str:
    """Return text that a ReportLab ``Paragraph`` shows literally: its markup characters as entities."""
    return "".join(_HTML.get(c, c) for c in one_line(text)).replace('"', "&quot;")


def spreadsheet_cell(value: object) -> object:
    """Return a cell value a spreadsheet will not run: text starting ``= + - @``, tab or CR gets a ``'``.

    Anything but text (numbers, dates, missing values) is returned unchanged, so -1.5 in a
    numeric column stays a number.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def spreadsheet_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of the table whose text cells are safe in a spreadsheet (``spreadsheet_cell``).

    Only text columns are touched; the column names are treated as cells too.
    """
    import pandas as pd

    safe = frame.rename(columns=lambda c: spreadsheet_cell(c) if isinstance(c, str) else c)
    for column in safe.columns[[not pd.api.types.is_numeric_dtype(t) for t in safe.dtypes]]:
        safe[column] = _spreadsheet_column(safe[column])
    return safe


def spreadsheet_table(table: pa.Table) -> pa.Table:
    """Return the Arrow table with its text safe in a spreadsheet, as ``spreadsheet_frame`` makes a
    frame's: a dictionary column's labels get ``spreadsheet_cell`` once per label (not per row),
    plain text columns every cell, and the column names are treated as cells too."""
    import pyarrow as pa

    columns = []
    for column in table.columns:
        if pa.types.is_dictionary(column.type) and pa.types.is_string(column.type.value_type):
            column = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
            labels = pa.array([spreadsheet_cell(label) for label in column.dictionary.to_pylist()], pa.string())
            column = pa.DictionaryArray.from_arrays(column.indices, labels)
        elif pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            column = _spreadsheet_text(column)
        columns.append(column)
    return pa.table(columns, names=[spreadsheet_cell(name) for name in table.column_names])


def _spreadsheet_text(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """Return an Arrow text column with ``spreadsheet_cell``'s rule applied to every cell at once."""
    import pyarrow.compute as pc

    runs = pc.starts_with(column, _FORMULA_START[0])
    for start in _FORMULA_START[1:]:
        runs = pc.or_(runs, pc.starts_with(column, start))
    runs = runs.fill_null(False)
    if not pc.any(runs).as_py():
        return column
    return pc.if_else(runs, pc.binary_join_element_wise("'", column, ""), column)


def _spreadsheet_column(column: pd.Series) -> pd.Series:
    """Return the column with ``spreadsheet_cell``'s rule applied to every cell: at once when
    every cell is text or missing (millions of rows in an export), else cell by cell."""
    import pandas as pd

    if pd.api.types.infer_dtype(column, skipna=True) != "string":
        return column.map(spreadsheet_cell)  # mixed cells, categories or no text at all
    runs = column.str.startswith(_FORMULA_START, na=False).to_numpy(dtype=bool)
    if not runs.any():
        return column
    safe = column.copy()
    safe[runs] = "'" + column[runs]
    return safe


_QUOTED_FORMULA = r"^'([=+\-@\t\r])"
"""A cell ``spreadsheet_cell`` wrote: a ``'`` before one of ``_FORMULA_START``."""


def spreadsheet_read(value: object) -> object:
    """Return a cell as a spreadsheet reads it: text ``spreadsheet_cell`` wrote (``'=SUM(A1)``) without its ``'``;
    any other value (``'Tis``, a number) unchanged."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(_FORMULA_START):
        return value[1:]
    return value


def spreadsheet_read_column(column: pd.Series) -> pd.Series:
    """Return a column of text cells read as ``spreadsheet_read`` reads one: encoded text label by label, other
    text at once; a column with no cell starting ``'`` is returned as it is, after one look."""
    import pandas as pd

    if isinstance(column.dtype, pd.CategoricalDtype):
        labels = column.cat.categories
        read = pd.Index([spreadsheet_read(label) for label in labels])
        if read.equals(labels):
            return column
        if read.is_unique:
            return column.cat.rename_categories(read)
        return pd.Series(pd.Categorical(column.astype(object).map(spreadsheet_read)), index=column.index)
    if column.dtype != object and not pd.api.types.is_string_dtype(column):
        return column  # numbers (a Parquet column)
    try:
        quoted = column.str.startswith("'", na=False).to_numpy(dtype=bool)
    except AttributeError:  # an object column with no text
        return column
    return column.str.replace(_QUOTED_FORMULA, r"\1", regex=True) if quoted.any() else column


def spreadsheet_csv(frame: pd.DataFrame) -> bytes:
    """Return the table as UTF-8 CSV bytes for a download, its text cells safe in a spreadsheet."""
    return spreadsheet_frame(frame).to_csv(index=False).encode("utf-8")


def shorten(text: object, limit: int = DISPLAY_LIMIT) -> str:
    """Return the text on one line, cut to ``limit`` characters with '…' at the end if longer."""
    line = one_line(text)
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def markdown_table(header: list[str], rows: list[list[object]]) -> str:
    """Return a Markdown table of ``rows`` under ``header``, every cell escaped as ``generated_markdown``."""
    lines = [
        "| " + " | ".join(generated_markdown(h) for h in header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
    ]
    lines += ["| " + " | ".join(generated_markdown(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)
