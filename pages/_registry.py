"""The app's pages, declared once: app.py builds its navigation from this list, each page
takes its title from it (``page_header``), and the browser tests walk it.

Plain data, no Streamlit, so that tests can read it without running the app.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageEntry:
    """One page of the app: its file, title, navigation icon and what it draws."""

    key: str  # the file's stem under pages/, which is also its url path
    title: str  # shown in the navigation and as the page's title
    icon: str
    draws_chart: bool  # draws a chart when it opens on the demo store (the browser tests wait for it)
    default: bool = False  # the page at the root URL

    @property
    def file(self) -> str:
        """Return the page's script path relative to app.py ("pages/quadrant.py")."""
        return f"pages/{self.key}.py"

    @property
    def url_path(self) -> str:
        """Return the page's url path, which is its file's stem.

        A fresh server's first request is resolved from the file name (Streamlit's pages/
        folder mode, see pages/_navigation.py), so any other path would show "Page not found".
        The default page is served at the root URL; ``page_at`` opens it at its own path too.
        """
        return self.key


PAGES: tuple[PageEntry, ...] = (
    PageEntry("overview", "Overview", ":material/dashboard:", draws_chart=True, default=True),
    PageEntry("quadrant", "Performance against spend", ":material/scatter_plot:", draws_chart=True),
    PageEntry("themes", "Theme rankings", ":material/leaderboard:", draws_chart=True),
    PageEntry("indicator", "Indicator explorer", ":material/search:", draws_chart=True),
    PageEntry("quartiles", "Quartiles and lists", ":material/format_list_bulleted:", draws_chart=False),
    PageEntry("trend", "Trend", ":material/trending_up:", draws_chart=True),
    PageEntry("funding", "Funding", ":material/payments:", draws_chart=True),
    PageEntry("beyond_ranks", "Beyond ranks", ":material/query_stats:", draws_chart=True),
    PageEntry("presentation", "Presentation", ":material/slideshow:", draws_chart=False),
    PageEntry("data", "Data", ":material/database:", draws_chart=False),
    PageEntry("import_data", "Data import", ":material/upload_file:", draws_chart=False),
)

BY_KEY: dict[str, PageEntry] = {page.key: page for page in PAGES}
BY_PATH: dict[str, PageEntry] = {page.url_path.lower(): page for page in PAGES}


def title_of(key: str) -> str:
    """Return the title of the page whose file stem is ``key`` (KeyError for an unknown page)."""
    return BY_KEY[key].title


def page_at(path: str) -> PageEntry | None:
    """Return the page a typed URL path names ("/overview", "Quadrant/", "THEMES"), ignoring case and
    slashes; None for a path that names no page (the root URL is the default page's, served by Streamlit)."""
    return BY_PATH.get(path.strip("/").lower())
