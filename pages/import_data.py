"""Data import: upload files or load a published source, map columns, preview, commit, undo.

The steps are the command line's (``python -m benchmarking import`` / ``import-source``):
every step below is one call into ``benchmarking.ingest.preview`` or ``benchmarking.ingest.mapping``;
this page only draws widgets and results. Nothing is written until "Commit import".
"""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from benchmarking.adapters import SOURCES, published_source
from benchmarking.errors import BenchmarkingError, ImportValidationError
from benchmarking.ingest import importer
from benchmarking.ingest.mapping import (
    AUTHORITY_NAME,
    LAYOUTS,
    LONG,
    WIDE_INDICATORS,
    WIDE_PERIODS,
    ColumnMapping,
    choose_mapping,
    field_label,
    looks_like_period,
    recognise,
    required_fields,
    store_context,
    table_fields,
)
from benchmarking.ingest.preview import (
    SLOW_BYTES,
    commit,
    issues_frame,
    map_sources,
    markdown_text,
    preview_import,
    read_uploaded,
    result_summary,
)
from benchmarking.store import PROJECT_ROOT, Store, default_db_path, schema
from pages._common import current_selection, page_header

NOT_IN_FILE = "(not in this file)"
SAME_FOR_ALL = "(one value for every row)"
MAX_UPLOAD_MB = importer.MAX_FILE_BYTES // (1024 * 1024)
DEFAULT_SOURCES = Path(os.environ.get("BENCHMARKING_SOURCES") or PROJECT_ROOT.parent / "shared" / "data")

selection = current_selection()
page_header("import_data", selection)
store = Store(default_db_path())

st.markdown(
    "Load your own published data: upload CSV, XLSX or Parquet files (long tables, or wide "
    "tables with periods or indicators as columns), check how their columns map to the store, "
    "**preview** what would change, then **commit** it as one transaction. The last import can "
    "be undone at the bottom of the page."
)


# -- showing outcomes ---------------------------------------------------------------------


def show_error(error: BenchmarkingError) -> None:
    """Show a refused step: one line, and each problem's file, row and column in a table."""
    if isinstance(error, ImportValidationError):
        st.error(
            f"{len(error.issues)} problem(s) found; nothing was written. "
            "Each row below says where the problem is and what to do."
        )
        st.dataframe(issues_frame(error.issues), hide_index=True, width="stretch")
    else:
        st.error(markdown_text(error))


def show_preview(preview) -> None:
    """Show what committing would do: counts, problems, unresolved names, coverage."""
    cols = st.columns(4)
    cols[0].metric("Rows to add", f"{preview.added:,}")
    cols[1].metric("Rows to replace", f"{preview.replaced:,}")
    cols[2].metric("Unchanged", f"{preview.unchanged:,}", help="rows already in the store with the same values")
    cols[3].metric("Rows rejected", f"{preview.rejected:,}")
    if preview.new_periods:
        st.caption(f"The import also adds {preview.new_periods} new period label(s) to the period table.")
    st.dataframe(preview.summary, hide_index=True, width="stretch")
    for file_name, names in preview.unresolved.items():
        shown = ", ".join(names[:30]) + (f" and {len(names) - 30} more" if len(names) > 30 else "")
        st.warning(
            markdown_text(
                f"{file_name}: {len(names)} authority name(s) or code(s) match no authority in the store "
                f"(names are matched ignoring case and a 'County Council' suffix): {shown}. "
                "Correct them in the file, or import the authorities first."
            )
        )
    if preview.issues:
        st.error(f"{len(preview.issues):,} problem(s) found. The first ones, with file, row and column:")
        st.dataframe(preview.issues_frame(), hide_index=True, width="stretch")
    if len(preview.themes):
        st.caption("Indicators and values per theme in the periods this import touches, before and after")
        st.dataframe(preview.themes, hide_index=True, width="stretch")
    if len(preview.authorities):
        st.caption("Authorities with data per period (or edition), before and after, and who is still missing")
        st.dataframe(preview.authorities, hide_index=True, width="stretch")


def commit_controls(kind: str, run_commit) -> None:
    """Draw the commit step for a preview kept under ``kind``; ``run_commit(skip, by, source)`` writes."""
    preview = st.session_state[f"{kind}_preview"]["preview"]
    if preview.blocking:
        st.info("Fix the problems above (they concern whole files) and preview again; nothing can be written yet.")
        return
    skip = False
    if preview.rejected:
        skip = st.checkbox(f"Leave out the {preview.rejected:,} rejected rows and import the rest", key=f"{kind}_skip")
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
        st.session_state["import_message"] = markdown_text(f"Imported {result.file_name}: {result_summary(result)}.")
        del st.session_state[f"{kind}_preview"]
        st.rerun()


def _user() -> str:
    try:
        if st.user.is_logged_in:
            return str(st.user.get("email") or st.user.get("name") or "")
    except (AttributeError, KeyError, RuntimeError):
        pass
    return os.environ.get("USER") or os.environ.get("USERNAME") or ""


def _progress(total_bytes: int):
    """Return a progress callback: a bar for large files (over a second's work), else nothing."""
    if total_bytes < SLOW_BYTES:
        return None
    bar = st.progress(0.0, text="Starting ...")
    return lambda fraction, text: bar.progress(min(max(fraction, 0.0), 1.0), text=text)


# -- step 1: upload, step 2: map ----------------------------------------------------------


def mapping_widgets(source, default: ColumnMapping, origin: str, indicators) -> ColumnMapping:
    """Draw the mapping controls for one file and return the mapping they describe."""
    name = source.name if source.sheet is None else f"{source.name}[{source.sheet}]"  # widget keys per sheet
    columns = [str(c) for c in source.frame.columns]
    tables = list(schema.COLUMNS)
    table = st.selectbox("Table to fill", tables, index=tables.index(default.table), key=f"table:{name}")
    if table != default.table:
        default = recognise(columns, table, indicators)
    layout = default.layout
    if table == "indicator_value":
        layouts = list(LAYOUTS)
        layout = st.radio(
            "Layout",
            layouts,
            index=layouts.index(default.layout),
            format_func=LAYOUTS.get,
            horizontal=True,
            key=f"layout:{name}:{table}",
        )
    prefix = f"map:{name}:{table}:{layout}"
    wide: tuple[str, ...] = ()
    if layout != LONG:
        if layout == default.layout:
            suggested = list(default.wide_columns)
        elif layout == WIDE_PERIODS:
            suggested = [c for c in columns if looks_like_period(c)]
        else:
            suggested = [c for c in columns if c not in default.columns.values()]
        what = "periods" if layout == WIDE_PERIODS else "indicators (ids or names)"
        wide = tuple(
            st.multiselect(
                f"Columns whose headers are {what} and whose cells are values",
                columns,
                default=suggested,
                key=f"{prefix}:wide",
            )
        )
    header_fields = {WIDE_PERIODS: {"period", "value"}, WIDE_INDICATORS: {"indicator_id", "value"}}.get(layout, set())
    fields = [f for f in table_fields(table) if f not in header_fields]
    needed = set(required_fields(table))
    chosen: dict[str, str] = {}
    constants: dict[str, str] = {}
    options = [NOT_IN_FILE, SAME_FOR_ALL] + [c for c in columns if c not in wide]
    grid = st.columns(3)
    for position, field_name in enumerate(fields):
        if field_name in default.columns and default.columns[field_name] in options:
            index = options.index(default.columns[field_name])
        elif field_name in default.constants:
            index = 1
        else:
            index = 0
        mark = " *" if field_name in needed or (field_name == AUTHORITY_NAME and "authority_code" in needed) else ""
        cell = grid[position % 3]
        picked = cell.selectbox(f"{field_label(field_name)}{mark}", options, index=index, key=f"{prefix}:{field_name}")
        if picked == SAME_FOR_ALL:
            constants[field_name] = cell.text_input(
                f"{field_label(field_name)}: value for every row",
                value=default.constants.get(field_name, ""),
                key=f"{prefix}:{field_name}:value",
            )
        elif picked != NOT_IN_FILE:
            chosen[field_name] = picked
    mapping = ColumnMapping(table, layout, chosen, {k: v for k, v in constants.items() if v.strip()}, wide)
    st.caption(
        f"{origin.capitalize()} mapping. * = needed (an authority code or name). "
        f"Now: {markdown_text(mapping.describe())}"
    )
    return mapping


def upload_step() -> None:
    files = st.file_uploader(
        f"Files to import: CSV, XLSX or Parquet, up to {MAX_UPLOAD_MB} MB each",
        type=["csv", "xlsx", "parquet"],
        accept_multiple_files=True,
        key="import_files",
        max_upload_size=MAX_UPLOAD_MB,
    )
    if not files:
        st.info("Choose one or more files. The first row of each must be its header.")
        return
    context = store_context(store)
    sources, mappings, signature = [], {}, []
    for upload in files:
        data = upload.getvalue()
        with st.expander(f"{upload.name} ({len(data) / 1024:,.0f} kB)", expanded=True):
            try:
                sheet = None
                if upload.name.lower().endswith(".xlsx"):
                    sheets = importer.upload_sheet_names(upload.name, data)
                    sheet = st.selectbox("Sheet", sheets, key=f"sheet:{upload.name}")
                source = _read(upload.file_id, upload.name, data, sheet)
            except BenchmarkingError as error:
                show_error(error)
                continue
            st.caption(f"{len(source.frame):,} rows, {source.frame.shape[1]} columns. First rows as read:")
            st.dataframe(source.frame.head(5), hide_index=True, width="stretch")
            default, origin = choose_mapping([str(c) for c in source.frame.columns], context)
            mapping = mapping_widgets(source, default, origin, context.indicators)
        sources.append(source)
        mappings[source.name] = mapping
        signature.append((upload.file_id, sheet, mapping.to_json()))
    if not sources:
        return
    kept = st.session_state.get("upload_preview")
    if kept and kept["signature"] != signature:
        del st.session_state["upload_preview"]  # the files or the mapping changed since the preview
    if st.button("Preview import", key="upload_preview_button"):
        try:
            progress = _progress(sum(s.size for s in sources))
            mapped = map_sources(sources, context, mappings)
            with st.spinner("Checking every row ..."):
                preview = preview_import(store, mapped, progress=progress)
        except BenchmarkingError as error:
            show_error(error)
            return
        st.session_state["upload_preview"] = {
            "signature": signature,
            "preview": preview,
            "mapped": mapped,
            "hashes": {s.name: s.sha256 for s in sources},
        }
    if "upload_preview" in st.session_state:
        kept = st.session_state["upload_preview"]
        st.subheader("Preview: nothing has been written yet")
        show_preview(kept["preview"])
        commit_controls(
            "upload",
            lambda skip, by, source: commit(
                store, kept["mapped"], kept["hashes"], skip_rejected=skip, loaded_by=by, source=source
            ),
        )


def _read(file_id: str, name: str, data: bytes, sheet: str | None):
    """Return the uploaded file read as text, once per file and sheet (kept for this session)."""
    cache = st.session_state.setdefault("import_reads", {})
    key = (file_id, sheet)
    if key not in cache:
        if len(cache) >= 8:  # keep a few files' cells, not every file ever uploaded
            cache.clear()
        progress = _progress(len(data))
        with st.spinner(f"Reading {name} ..."):
            cache[key] = read_uploaded(name, data, sheet, progress=progress)
    return cache[key]


# -- published sources --------------------------------------------------------------------


def source_step() -> None:
    names = list(SOURCES)
    name = st.selectbox("Published dataset", names, format_func=lambda n: f"{n}: {SOURCES[n].title}", key="source_name")
    source = published_source(name)
    folder = st.text_input(
        "Folder holding the published files (or its parent folder)", value=str(DEFAULT_SOURCES), key="source_folder"
    )
    st.caption(f"Files read: {', '.join(source.files)}")
    add = False
    if name == "imd":
        add = st.checkbox("Add the authorities the store lacks (otherwise their rows are left out)", key="source_add")
    signature = (name, folder, add)
    kept = st.session_state.get("source_preview")
    if kept and kept["signature"] != signature:
        del st.session_state["source_preview"]
    if st.button("Preview import", key="source_preview_button"):
        try:
            progress = _progress(SLOW_BYTES)  # published files are large: always show progress
            progress(0.0, f"Reading {', '.join(source.files)} ...")
            known = list(store.authorities()["code"]) if store.exists() else []
            items = source.items(folder, known_codes=known, add_authorities=add)
            hashes = source.file_hashes(folder)
            preview = preview_import(store, items, progress=progress)
        except BenchmarkingError as error:
            show_error(error)
            return
        st.session_state["source_preview"] = {
            "signature": signature,
            "preview": preview,
            "items": items,
            "hashes": hashes,
        }
    if "source_preview" in st.session_state:
        kept = st.session_state["source_preview"]
        st.subheader("Preview: nothing has been written yet")
        show_preview(kept["preview"])
        commit_controls(
            "source",
            lambda skip, by, text: importer.import_frames(
                store,
                kept["items"],
                dataset_name=source.dataset_name,
                source=text or source.source,
                file_hashes=kept["hashes"],
                skip_rejected=skip,
                loaded_by=by,
            ),
        )


# -- the page -------------------------------------------------------------------------------

if "import_message" in st.session_state:
    st.success(st.session_state.pop("import_message"))  # made with markdown_text: file text shows as text

upload_tab, source_tab = st.tabs(["Upload files", "Published sources"])
with upload_tab:
    upload_step()
with source_tab:
    source_step()

st.subheader("Undo the last import")
history = store.datasets() if store.exists() else None
if history is None or history.empty or history.iloc[0]["kind"] != "imported":
    st.caption("There is no import to undo (the store holds only the data it was built with).")
else:
    last = history.iloc[0]
    st.markdown(
        markdown_text(
            f"Last import: {last['name']}, loaded {last['loaded_at']:%d %b %Y %H:%M} by {last['loaded_by']}: "
            f"{int(last['rows_added']):,} rows added, {int(last['rows_replaced']):,} replaced."
        )
    )
    if st.button("Undo last import", key="undo_button"):
        try:
            undone = store.undo_last_import()
        except BenchmarkingError as error:
            show_error(error)
        else:
            st.session_state["import_message"] = markdown_text(
                f"Undid the import of {undone['name']}: its {int(undone['rows_added']):,} added rows are gone and "
                f"the {int(undone['rows_replaced']):,} rows it replaced are back."
            )
            st.rerun()
