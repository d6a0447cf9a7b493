"""The Data page's comparator-group builder (AppTest): save a group picked by region under a hostile name, see it
listed and offered in the sidebar, refuse too few members, delete it; viewers see the list but no builder."""

from __future__ import annotations

from apptest_helpers import html_tables, open_page, open_section, sidebar_box

from benchmarking.service import saved_groups
from benchmarking.service.catalogue import load_catalogue
from benchmarking.text.escaping import markdown

HOSTILE = "<script>alert(1)</script> **bold** =cmd()"
BUILDER = "data_group_builder"


def _widget(widgets, key: str):
    found = [w for w in widgets if w.key == key]
    assert len(found) == 1, f"no widget with key {key!r}"
    return found[0]


def _drawn_text(at) -> str:
    return " ".join(str(e.value) for e in [*at.markdown, *at.caption, *at.success, *at.error, *at.info])


def _listed(at) -> dict[str, int]:
    tables = [table for table in html_tables(at) if "Group" in table.columns]
    return dict(zip(tables[0]["Group"], tables[0]["Authorities"].astype(int))) if tables else {}


def test_save_a_group_by_region_see_it_listed_and_choose_it(writable_store, monkeypatch):
    at = open_section(open_page(writable_store.path, monkeypatch, "data"), BUILDER)
    assert not at.exception
    authorities = load_catalogue(writable_store.path).authorities
    region = authorities["region"].value_counts().index[0]  # the region with most authorities
    members = set(authorities.loc[authorities["region"] == region, "code"])
    _widget(at.multiselect, "group-regions").set_value([region]).run()
    _widget(at.text_input, "group-name").set_value(HOSTILE)
    _widget(at.button, "group-save").click().run()
    assert not at.exception and not at.error
    group_id = saved_groups.group_id_for(HOSTILE)
    saved = saved_groups.saved_group_members(load_catalogue(writable_store.path), group_id)
    assert set(saved["code"]) == members
    assert _listed(at)[HOSTILE] == len(members)
    assert any(HOSTILE in str(option) for option in sidebar_box(at, "group").options)  # offered at once
    assert any(markdown(HOSTILE) in s.value for s in at.success)
    assert "<script>" not in _drawn_text(at) and "**bold**" not in _drawn_text(at)
    assert writable_store.datasets()["kind"].iloc[0] == "imported"  # undoable on the Data import page


def test_too_few_members_cannot_be_saved_and_delete_removes_a_group(writable_store, monkeypatch):
    codes = list(writable_store.authorities()["code"].iloc[:3])
    saved_groups.save_group(writable_store, load_catalogue(writable_store.path), "mine", "Mine", codes)
    at = open_section(open_page(writable_store.path, monkeypatch, "data"), BUILDER)
    (members,) = [m for m in at.multiselect if m.label.startswith("Authorities in the group")]
    members.set_value(codes[:1]).run()
    assert _widget(at.button, "group-save").disabled
    assert any("at least 2 authorities" in c.value for c in at.caption)
    _widget(at.selectbox, "group-delete-choice").set_value("mine")
    _widget(at.button, "group-delete").click().run()
    assert not at.exception and not at.error
    assert saved_groups.saved_group_table(load_catalogue(writable_store.path)).query("group_id == 'mine'").empty
    assert "Mine" not in _listed(at)


def test_viewers_see_the_groups_but_not_the_builder(writable_store, monkeypatch):
    codes = list(writable_store.authorities()["code"].iloc[:2])
    saved_groups.save_group(writable_store, load_catalogue(writable_store.path), "mine", HOSTILE, codes)
    monkeypatch.setenv("BENCHMARKING_READ_ONLY", "1")
    at = open_page(writable_store.path, monkeypatch, "data")
    assert not at.exception
    assert _listed(at)[HOSTILE] == 2
    assert not [w for w in at.button if w.key == "group-save"]


def test_the_list_counts_a_group_in_the_sidebars_period(shipped_store_path, tmp_path, monkeypatch):
    """A group no period holds whole (Northamptonshire and its successors): the Authorities column says its members
    and how many existed in the sidebar's period, naming the others, for each period chosen; the name stays text."""
    from reorganised_group import GROUP_NAME, MEMBERS, existing_then, store_with_group

    from benchmarking.text.formatting import names_text

    store = store_with_group(shipped_store_path, tmp_path)
    for period in ("2020/21", "2022/23"):
        at = open_page(store.path, monkeypatch, "data", {"period": period})
        assert not at.exception
        alive, gone = existing_then(period)
        assert len(alive) < len(MEMBERS)
        [table] = [table for table in html_tables(at) if "Group" in table.columns]
        said = dict(zip(table["Group"], table["Authorities"]))[GROUP_NAME]
        assert said == f"{len(MEMBERS)} ({len(alive)} in {period}; {names_text(gone)} did not exist then)"
        assert any(f"existed in {period}" in caption.value for caption in at.caption)
