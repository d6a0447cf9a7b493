"""The ingest layer's messages name both ways of giving a choice: the command-line option and the page's control.

``ingest/controls.how_to_give`` words them once; these tests check that every option it names is an
option of ``python -m benchmarking import`` and every control a widget of the Data import page, and
that the command line and the page show the messages so worded.
"""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from apptest_helpers import problems
from test_page_import import open_import_page, upload, widget

from benchmarking.cli.main import build_parser, main
from benchmarking.ingest.controls import WAYS, how_to_give
from benchmarking.ingest.layouts import LONG, WIDE_INDICATORS, WIDE_PERIODS

VALID = {"table": ("indicator_value",), "layout": (LONG,)}
"""A value the command line accepts, for the options that take one of a list."""


def command_line_options(choice: str) -> list[list[str]]:
    """Return the command-line options ``how_to_give`` names for ``choice``, each as its words (option, value);
    an option may sit in advice ('rename the headers, and --layout wide-periods takes every one')."""
    text = how_to_give(choice, "period", VALID.get(choice, ())).split(" on the command line, or ")[0]
    return [list(words) for words in re.findall(r"(--[a-z-]+) ([^\s,;()]+)", text)]


def page_controls(choice: str, field: str) -> list[str]:
    """Return the page's labels that ``how_to_give`` names for ``choice`` (quoted in its text)."""
    return re.findall(r"'([^']+)'", how_to_give(choice, field).split(" on the command line, or ")[1])


@pytest.mark.parametrize("choice", list(WAYS))
def test_every_option_a_message_names_is_an_option_of_the_import_command(choice):
    """Each option parses as ``import``'s (an option that does not exist, or a value it refuses, exits)."""
    parser = build_parser("import")
    assert command_line_options(choice)
    for words in command_line_options(choice):
        assert words[0].startswith("--")
        args = parser.parse_args(["import", "f.csv", *words])
        assert getattr(args, words[0].removeprefix("--")) not in (None, [])


def workbook(*rows: list) -> bytes:
    """Return an XLSX file whose one sheet holds ``rows``."""
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def main_labels(at) -> set[str]:
    """Return the labels and options of the page's own widgets (not the sidebar's), a needed field's '*' dropped."""
    found = [*at.main.selectbox, *at.main.radio, *at.main.multiselect, *at.main.text_input]
    labels = {w.label.removesuffix(" *") for w in found}
    return labels | {option for w in found if hasattr(w, "options") for option in w.options}


def test_every_control_a_message_names_is_on_the_import_page(writable_store, monkeypatch, tmp_path):
    """Each label the messages name is a widget (or a choice in one) of the Data import page."""
    data = workbook(["Area code", "2020/21", "2021/22"], ["E10000018", 1.5, 2.5])
    at = upload(open_import_page(writable_store.path, monkeypatch, tmp_path), ("wide.xlsx", data))
    assert not at.exception
    labels = main_labels(at)
    widget(at, "layout:wide.xlsx[Sheet]:indicator_value").set_value(WIDE_INDICATORS).run()
    labels |= main_labels(at)
    for choice in WAYS:
        for control in page_controls(choice, "authority_code"):
            assert control in labels, (choice, control, sorted(labels))


def test_the_command_line_names_the_options_and_the_page_controls(writable_store, tmp_path, capsys):
    """A file without a period column: the refusal names --map/--set and the page's Period field."""
    path = tmp_path / "v.csv"
    path.write_text("indicator_id,authority_code,value\nLCC078,E10000018,1\n", encoding="utf-8")
    assert main(["--db", str(writable_store.path), "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert "--map period=COLUMN or --set period=VALUE on the command line, or the 'Period' field" in err
    empty = tmp_path / "book.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    book.save(empty)
    assert main(["--db", str(writable_store.path), "import", str(empty), "--sheet", "Notes"]) == 2
    assert "--sheet NAME on the command line, or the 'Sheet' choice on the page" in capsys.readouterr().err


def test_the_page_shows_the_same_wording(writable_store, monkeypatch, tmp_path):
    """The same refusal on the Data import page names the command line's options and the page's Period field."""
    data = b"indicator_id,authority_code,value\nLCC078,E10000018,1\n"
    at = upload(open_import_page(writable_store.path, monkeypatch, tmp_path), ("v.csv", data))
    at.button(key="upload_preview_button").click().run()
    assert not at.exception
    messages = " ".join(problems(at)["message"])
    assert "--map period=COLUMN or --set period=VALUE on the command line" in messages
    assert "the 'Period' field (a column, or '(one value for every row)' and the value) on the page" in messages
    assert "Period *" in [box.label for box in at.main.selectbox]


def test_wide_periods_with_no_period_header_is_not_told_to_give_the_option_it_gave(writable_store, tmp_path, capsys):
    """--layout wide-periods on a file whose headers read as no period (review r2): the refusal says none reads as a
    period and how to make them, not 'choose them (--layout wide-periods ...)', the option already given."""
    path = tmp_path / "wp.csv"
    path.write_text("indicator_id,authority_code,FY 21,FY 22\nLCC078,E10000018,1,2\n", encoding="utf-8")
    assert main(["--db", str(writable_store.path), "import", str(path), "--layout", "wide-periods", "--dry-run"]) == 2
    err = capsys.readouterr().err
    assert "no column's header reads as a period" in err
    assert how_to_give(WIDE_PERIODS) in err  # worded once, by how_to_give, as every other choice
    assert "'Columns whose headers are periods and whose cells are values'" in err  # the page's way
    assert "--layout long" in err
    assert "choose them (--layout wide-periods" not in err
