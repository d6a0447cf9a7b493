"""Data import page: drawing outcomes (refusals, previews) and the commit step."""

from __future__ import annotations

import os

import streamlit as st

from benchmarking.errors import BenchmarkingError, ImportValidationError
from benchmarking.ingest import preview as preview_module
from benchmarking.ingest.changes import more_text
from benchmarking.ingest.preview import result_summary
from benchmarking.ingest.preview_report import VINTAGE_WARNING, issues_frame
from pages._layout import opened_section
from pages._tables import html_table
from pages._text import escape


def show_error(error: BenchmarkingError) -> None:
    """Show a refused step: one line, and each problem's file, row and column in a table."""
    if isinstance(error, ImportValidationError):
        st.error(
            f"{len(error.issues)} problem(s) found; nothing was written. "
            "Each row below says where the problem is and what to do."
        )
        show_problems(issues_frame(error.issues))
    else:
        st.error(escape(error))


def show_problems(problems) -> None:
    """Draw problems (file, row, column, message) as a table whose messages wrap, read whole at any width: blank
    where a problem has no row or column (a whole file's), the user's cells shown as text (``html_table``)."""
    _table(problems, formats={"row": "{}"})


def _table(frame, formats: dict[str, str] | None = None) -> None:
    """Draw a table of the import as plain HTML (``html_table``: text escaped, blanks for missing cells) whose text
    wraps between words, read whole at any width."""
    st.html(f'<div class="import-table">{html_table(frame, formats=formats)}</div>')


def show_preview(preview, kind: str) -> None:
    """Show what committing would do: counts, problems, unresolved names, coverage (``kind`` keeps its sections'
    state apart from another preview's)."""
    cols = st.columns(4)
    counts = preview.counts  # "figures" for a wide file, whose rows hold several
    cols[0].metric(f"{counts.capitalize()} to add", f"{preview.added:,}")
    cols[1].metric(f"{counts.capitalize()} to replace", f"{preview.replaced:,}")
    cols[2].metric("Unchanged", f"{preview.unchanged:,}", help=f"{counts} already in the store with the same values")
    cols[3].metric(*preview.refused.metric())
    if preview.vintage_shifts:
        lines = [f"- {escape(period.text())}" for period in preview.vintage_periods]
        st.warning("\n".join([escape(VINTAGE_WARNING), "", *lines]))
        opened_section(
            f"Each indicator and period the warning counts ({len(preview.vintage_shifts):,}), with its name",
            f"{kind}_vintage_each",
            lambda: _table(preview.vintage_frame()),
        )
    if preview.no_figure:
        st.info(escape(preview.no_figure_note()))
    if preview.new_periods:
        st.caption(f"The import also adds {preview.new_periods} new period label(s) to the period table.")
    st.dataframe(preview.summary_table(), hide_index=True, width="stretch")
    if len(preview.changes):
        st.caption(f"{preview.changes_title()}, in the files' order: the value stored now and the new one")
        _table(preview.changes)
        if preview.changes_more:
            st.caption(more_text(preview.changes_more))
    for note in preview.notes:
        st.info(escape(note))
    for file_name, names in preview.unresolved.items():
        shown = ", ".join(names[:30]) + (f" and {len(names) - 30} more" if len(names) > 30 else "")
        st.warning(
            escape(
                f"{file_name}: {len(names)} authority name(s) or code(s) match no authority in the store "
                f"(names are matched ignoring case and a 'County Council' suffix): {shown}. "
                "Correct them in the file, or import the authorities first."
            )
        )
    if preview.issues:
        st.error(f"{preview.problem_count()}. The first ones, with file, row and column:")
        show_problems(preview.issues_frame())
    if len(preview.themes):
        st.caption("Indicators and values per theme in the periods this import touches, before and after")
        st.dataframe(preview.themes, hide_index=True, width="stretch")
    if len(preview.authorities):
        st.caption(
            "Authorities with data per period (or edition), before and after: for values, a figure of each of the "
            "indicators the import brings in that period; still_missing names those without among the authorities "
            "that existed then (not_existing: abolished or not yet formed)"
        )
        _table(preview.authorities)  # the names still missing wrap, read whole


def commit_controls(kind: str, run_commit) -> None:
    """Draw the commit step for a preview kept under ``kind``; ``run_commit(skip, by, source)`` writes."""
    preview = st.session_state[f"{kind}_preview"]["preview"]
    if preview.blocking:
        st.info("Fix the problems above (they concern whole files) and preview again; nothing can be written yet.")
        return
    skip = False
    if preview.rejected:
        others = preview.refused.others_text()
        label = f"Leave out the {preview.refused.left_out()} and import the rest" + (
            f", {others} too" if others else ""
        )
        skip = st.checkbox(label, key=f"{kind}_skip")
    left, right = st.columns(2)
    loaded_by = left.text_input("Loaded by (kept in the load history)", value=_user(), key=f"{kind}_by")
    source = right.text_input("Source (where the data came from)", key=f"{kind}_source")
    ready = preview.can_commit and (skip or not preview.rejected)
    if st.button("Commit import", type="primary", disabled=not ready, key=f"{kind}_commit"):
        try:
            with st.spinner("Writing in one transaction ..."):
                result = run_commit(skip, loaded_by.strip() or None, source.strip() or None)
        except BenchmarkingError as error:
            show_error(error)
            return
        st.session_state["import_message"] = escape(f"Imported {result.file_name}: {result_summary(result)}.")
        del st.session_state[f"{kind}_preview"]
        st.rerun()


def show_kept_preview(kind: str, run_commit) -> None:
    """Draw the preview kept under ``kind`` (if any) and its commit step."""
    if f"{kind}_preview" in st.session_state:
        st.subheader("Preview: nothing has been written yet")
        show_preview(st.session_state[f"{kind}_preview"]["preview"], kind)
        commit_controls(kind, run_commit)


def _user() -> str:
    try:
        if st.user.is_logged_in:
            return str(st.user.get("email") or st.user.get("name") or "")
    except (AttributeError, KeyError, RuntimeError):
        pass
    return os.environ.get("USER") or os.environ.get("USERNAME") or ""


def progress_bar(total_bytes: int):
    """Return a progress callback: a bar for large files (over a second's work), else nothing."""
    if total_bytes < preview_module.SLOW_BYTES:  # read when called: tests lower the threshold
        return None
    bar = st.progress(0.0, text="Starting ...")
    return lambda fraction, text: bar.progress(min(max(fraction, 0.0), 1.0), text=text)
