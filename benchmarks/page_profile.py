"""Where the browser's time goes on a fresh session's first page: Chromium's CPU profile of each page, by
the kind of element whose code ran (data grid, Vega chart, Markdown, st.table, widgets, React and styling).

For each page of ``pages/_registry.py`` (or ``--page``), on a store built as ``page_speed.py`` builds it, a
warm server is visited once per page, then each page is opened in a fresh browser context with the CPU
profiler on (``Profiler.start`` over Chrome DevTools Protocol) until it settles, as ``page_speed.py`` times
it. The sampled time is summed by the script file each sample ran in and that file's element kind
(``KINDS``: Streamlit's frontend is split into one file per element, loaded when the first such element
arrives), with the main thread's idle time (waiting for the server or for a script file) beside it.
Run ``python benchmarks/page_profile.py --store demo --page themes data``; figures go to stdout.
"""

from __future__ import annotations

import argparse
import collections
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from page_speed import build_store, wait_for_page  # noqa: E402

from pages._registry import PAGES  # noqa: E402

# element kind -> the start of the names of the frontend's script files that draw it
KINDS = {
    "data grid": ("DataFrame", "arrowFormatUtils", "reactJsonViewCompat", "numbro", "moment"),
    "Vega chart": ("embed", "vega", "ArrowVegaLiteChart", "loadVegaEmbed"),
    "Markdown": ("StreamlitMarkdown", "rehype", "katex", "hastscript", "purify"),
    "st.table": ("Table",),
    "widgets": (
        "Selectbox",
        "Autocomplete",
        "useCollection",
        "useSyncComboBox",
        "Input",
        "Radio",
        "Slider",
        "Multiselect",
        "Checkbox",
        "BaseButton",
        "DownloadButton",
        "Metric",
        "use",
    ),
    "Arrow data": ("recordbatch", "Quiver", "serialization"),
    "React and styling": ("react-dom", "emotion", "styled-components", "index", "utils", "protobuf"),
}


def kind_of(script: str) -> str:
    """Return the element kind whose code a script file holds ("other" when it is none of ``KINDS``)."""
    for kind, prefixes in KINDS.items():
        if script.startswith(prefixes):
            return kind
    return "other"


def profile_page(browser, server, entry, interval_us: int) -> tuple[float, collections.Counter]:
    """Open ``entry`` in a fresh context with the CPU profiler on; return the profile's ms and ms per kind."""
    from tests.browser_support import NORMAL_VIEWPORT

    context = browser.new_context(viewport=NORMAL_VIEWPORT)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Profiler.enable")
    cdp.send("Profiler.setSamplingInterval", {"interval": interval_us})
    cdp.send("Profiler.start")
    page.goto(server.page_url(entry.key))
    wait_for_page(page, entry.title, "chart" if entry.draws_chart else None)
    profile = cdp.send("Profiler.stop")["profile"]
    context.close()
    frames = {node["id"]: node["callFrame"] for node in profile["nodes"]}
    spent: collections.Counter = collections.Counter()
    for sample, delta in zip(profile["samples"][1:], profile["timeDeltas"][1:]):
        frame = frames[sample]
        script = frame["url"].rsplit("/", 1)[-1]
        name = frame["functionName"]
        kind = "idle" if name == "(idle)" else kind_of(script) if script else "browser (parse, layout, GC)"
        spent[kind] += delta / 1000
        if kind == "other":
            spent[f"other: {script}"] += delta / 1000
    return (profile["endTime"] - profile["startTime"]) / 1000, spent


def main(argv: list[str] | None = None) -> None:
    """Build the store, serve it and print each page's profile by element kind."""
    from playwright.sync_api import sync_playwright

    from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, Server

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", choices=[page.key for page in PAGES], nargs="*", default=[p.key for p in PAGES])
    parser.add_argument("--store", choices=["demo", "public"], default="demo")
    parser.add_argument("--interval", type=int, default=200, help="sampling interval, microseconds")
    parser.add_argument("--other", type=int, default=0, help="list this many script files of the 'other' kind")
    args = parser.parse_args(argv)
    chosen = [entry for entry in PAGES if entry.key in args.page]
    columns = ["idle", *KINDS, "browser (parse, layout, GC)", "other"]
    with tempfile.TemporaryDirectory() as folder:
        path = build_store(args.store, Path(folder))
        server = Server(path, Path(folder) / "server.log", args.store)
        try:
            server.wait_until_ready(600)
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                for entry in chosen:  # warm the server: every page once
                    profile_page(browser, server, entry, args.interval)
                print(f"\n{args.store} store: a fresh session's first page, profiled ms by what ran")
                print(f"{'page':<14} {'total':>6} " + " ".join(f"{c[:12]:>12}" for c in columns))
                for entry in chosen:
                    total, spent = profile_page(browser, server, entry, args.interval)
                    print(f"{entry.key:<14} {total:6.0f} " + " ".join(f"{spent[c]:12.0f}" for c in columns), flush=True)
                    if args.other:
                        files = [(k, ms) for k, ms in spent.most_common() if k.startswith("other: ")][: args.other]
                        print("    " + "; ".join(f"{k[7:]} {ms:.0f}" for k, ms in files))
                browser.close()
        finally:
            server.stop()


if __name__ == "__main__":
    main()
