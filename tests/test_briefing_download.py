"""The Overview's briefing downloads: built when asked, in the page run, so a failure is shown on the page."""

from apptest_helpers import open_page

from benchmarking.briefing import pack
from benchmarking.errors import EmptyGroupError

PREPARE = {"pptx": "download-pptx-go", "pdf": "download-pdf-go"}


def downloads(at) -> list[str]:
    """Return the keys of the download buttons the page draws."""
    return [element.proto.id for element in at.get("download_button")]


def test_a_briefing_that_cannot_be_built_says_so_on_the_page(writable_store, monkeypatch):
    """The builder raises: the page shows an error naming the file and what to do, and offers no download."""

    def refuse(*args, **kwargs):
        raise EmptyGroupError("the comparator group has no members with figures in this period")

    monkeypatch.setattr(pack, "build_briefing", refuse)
    at = open_page(writable_store.path, monkeypatch, "overview")
    at.button(key=PREPARE["pptx"]).click().run()
    assert not at.exception
    errors = [error.value for error in at.error]
    assert len(errors) == 1, errors
    assert "slides (PPTX) could not be built" in errors[0]
    assert "no members with figures" in errors[0] and "prepare it again" in errors[0]
    assert not downloads(at)
    at.button(key=PREPARE["pptx"]).click().run()  # asked again: tried again, and said again
    assert len(at.error) == 1


def test_the_briefing_is_built_once_when_asked_and_kept_over_reruns(writable_store, monkeypatch):
    """Opening the page builds nothing; Prepare builds the file once; later reruns draw its download from it."""
    import pages._common

    built = []

    def build(selection, kind):
        built.append(kind)
        return b"%PDF-1.4 briefing"

    monkeypatch.setattr(pages._common, "briefing_file", build)
    at = open_page(writable_store.path, monkeypatch, "overview")
    assert built == [] and not downloads(at)
    at.button(key=PREPARE["pdf"]).click().run()
    assert built == ["pdf"] and not at.error and not at.exception
    assert len(downloads(at)) == 1
    at.run()
    assert built == ["pdf"] and len(downloads(at)) == 1
