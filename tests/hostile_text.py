"""A store whose stored text is hostile (issue 15, defects 3 and 8): Markdown images, links,
headings, KaTeX, ``:red[]``, HTML and ReportLab markup in names, themes, sources, notes and
dataset names. The image host cannot resolve, so a browser that fetched it would show a
failed request to ``injection.invalid``."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

HOST = "injection.invalid"
IMAGE = f"![x](http://{HOST}/x.png)"
LINK = f"[click](http://{HOST}/link)"
HEADING = "Nowhere\n# Heading"
KATEX = "$x^2$"
RED = ":red[alarm]"
HTML = "<img src=x onerror=alert(1)>"
FOCUS = "E10000018"
FOCUS_NAME = f"Leics {IMAGE} {KATEX}"
"""The focus authority's name: short enough (< 60 characters) to be drawn whole everywhere."""
OTHER_NAMES = [LINK, HEADING, RED, HTML, f'<a href="http://{HOST}/a">a</a>']
THEME_SUFFIX = f" {RED}"
INDICATOR_SUFFIX = f" {HTML} ![i](http://{HOST}/i.png)"
SOURCE = f"[source](http://{HOST}/source)"
NOTE = f"Note {IMAGE} {LINK}"
DATASET_SUFFIX = f" [d](http://{HOST}/d)"
DATASET_LABEL = f"Data {LINK}"
RAW_MARKUP = ["![", "](http", "$x^2$", ":red[", "<img", "<a href", "\n#"]
"""Pieces of the hostile text that must never reach a Markdown element unescaped."""


def hostile_store(demo_store_path: Path, path: Path) -> Path:
    """Return ``path``: a copy of the demo store with hostile text in every kind of stored name.

    The text is written with SQL, not imported: this is what the pages must survive whatever
    the import checks let through.
    """
    shutil.copy(demo_store_path, path)
    con = duckdb.connect(str(path))
    try:
        con.execute("UPDATE authority SET name = ? WHERE code = ?", [FOCUS_NAME, FOCUS])
        others = [
            r[0] for r in con.execute("SELECT code FROM authority WHERE code <> ? ORDER BY code", [FOCUS]).fetchall()
        ]
        for code, name in zip(others, OTHER_NAMES):
            con.execute("UPDATE authority SET name = ? WHERE code = ?", [name, code])
        con.execute(
            "UPDATE indicator SET name = name || ?, theme = theme || ?, source = ?",
            [INDICATOR_SUFFIX, THEME_SUFFIX, SOURCE],
        )
        con.execute("UPDATE theme_service SET theme = theme || ?", [THEME_SUFFIX])
        con.execute("INSERT INTO note VALUES ('*', '*', '*', ?, NULL)", [NOTE])
        con.execute("UPDATE dataset SET name = name || ?, source = ?", [DATASET_SUFFIX, SOURCE])
        con.execute("INSERT OR REPLACE INTO setting VALUES ('dataset_label', ?)", [DATASET_LABEL])
    finally:
        con.close()
    return path
