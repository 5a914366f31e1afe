"""Snapshots of the screens a reader sees, at fixed sizes (Textual and Rich are pinned).

Review a changed snapshot before accepting it: `pytest --snapshot-update`."""

from __future__ import annotations

from hzpolicy.app import build_app
from hzpolicy.core.userdata import UserData

from .conftest import TODAY


def _app(doc, tmp_path):
    return build_app(doc, user=UserData(tmp_path / "user.sqlite3"), today=TODAY)


def test_main_screen(snap_compare, doc, tmp_path):
    assert snap_compare(_app(doc, tmp_path), terminal_size=(80, 24), press=["down", "down"])


def test_search(snap_compare, doc, tmp_path):
    assert snap_compare(_app(doc, tmp_path), terminal_size=(80, 24), press=["slash", *"高质量 发展"])


def test_search_opened_clause(snap_compare, doc, tmp_path):
    assert snap_compare(_app(doc, tmp_path), terminal_size=(80, 24), press=["slash", *"研发 补助", "enter", "n"])


def test_simplified_view(snap_compare, doc, tmp_path):
    assert snap_compare(_app(doc, tmp_path), terminal_size=(80, 24), press=["down", "s"])


def test_narrow_terminal(snap_compare, doc, tmp_path):
    assert snap_compare(_app(doc, tmp_path), terminal_size=(40, 12), press=["f6"])


def test_calculator_results(snap_compare, doc, tmp_path):
    from datetime import date

    from hzpolicy.widgets.choice import Choice

    app = build_app(doc, user=UserData(tmp_path / "user.sqlite3"), today=date(2024, 6, 30))

    async def fill(pilot):
        await pilot.press("f2")
        await pilot.pause()
        screen = app.screen
        screen.query_one("#f-tech_sme_scale", Choice).value = True
        screen.query_one("#f-rd_spend").value = "1234.56"
        screen.query_one("#f-rd_spend_prev").value = "1000"
        screen.query_one("#f-key_software_first", Choice).value = True
        await pilot.pause()
        screen.query_one("#calc-table").focus()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(120, 36), run_before=fill)


def test_overview_agencies(snap_compare, doc, tmp_path):
    assert snap_compare(_app(doc, tmp_path), terminal_size=(100, 30), press=["ctrl+g"])


def test_overview_money(snap_compare, doc, tmp_path):
    assert snap_compare(_app(doc, tmp_path), terminal_size=(100, 30), press=["ctrl+g", "2", *"上限"])


def test_overview_budget(snap_compare, doc, tmp_path):
    assert snap_compare(_app(doc, tmp_path), terminal_size=(100, 40), press=["ctrl+g", "3"])


def test_bookmarked_clause_with_note(snap_compare, doc, tmp_path):
    user = UserData(tmp_path / "user.sqlite3")
    user.set_bookmark(14, True)
    user.set_note(14, "申報前核對研發投入台賬")
    app = build_app(doc, user=user, today=TODAY)
    assert snap_compare(app, terminal_size=(80, 24), press=["slash", *"14", "enter"])


def test_overview_targets(snap_compare, doc, tmp_path):
    assert snap_compare(_app(doc, tmp_path), terminal_size=(100, 30), press=["ctrl+g", "4"])
