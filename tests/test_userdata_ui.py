"""Two windows on one user database: a note edited in both is never overwritten silently,
and each window shows what the other saved when asked (Ctrl+R) or when it regains focus."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import TextArea

from hzpolicy.core.userdata import UserData
from hzpolicy.screens.dialogs import NoteConflictScreen, NoteScreen
from hzpolicy.widgets.clause_tree import ClauseTree

from .conftest import detail_text, make_app, record_notifications

MINE, THEIRS = "我的版本", "另一個視窗的版本"


@pytest.mark.parametrize(("keys", "kept"), [(["m"], MINE), (["t"], THEIRS), (["escape", "escape"], THEIRS)])
async def test_a_note_changed_in_another_window_asks_which_to_keep(doc, tmp_path, keys, kept):
    app = make_app(doc, tmp_path)
    other = UserData(tmp_path / "user.sqlite3")  # the other window, writing the same file
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("down", "down", "down", "e")  # clause (二): the editor opens on its note as saved now
        assert isinstance(app.screen, NoteScreen)
        assert other.set_note(2, THEIRS) is None  # saved while this editor is open
        app.screen.query_one(TextArea).text = MINE
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, NoteConflictScreen), "saved over the other window's note"
        shown = " ".join(str(s.render()) for s in app.screen.query("Static"))
        assert "另一個視窗的版本" in shown and "我的版本" in shown
        await pilot.press(keys[0])
        await pilot.pause()
        assert not isinstance(app.screen, NoteConflictScreen)
        if keys[0] == "escape":  # back to editing: my text is still there, nothing lost
            assert isinstance(app.screen, NoteScreen) and app.screen.query_one(TextArea).text == MINE
            await pilot.press(*keys[1:])  # and leaving the editor keeps theirs
            await pilot.pause()
        assert kept in detail_text(app)
    assert UserData(tmp_path / "user.sqlite3").notes() == {2: kept}


async def test_the_editor_opens_on_the_note_as_saved_now(doc, tmp_path):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("down", "down", "down")
        assert UserData(tmp_path / "user.sqlite3").set_note(2, "剛在別處寫的") is None
        await pilot.press("e")
        assert app.screen.query_one(TextArea).text == "剛在別處寫的"  # not the note loaded at start-up


async def test_ctrl_r_and_regaining_focus_show_the_other_windows_changes(doc, tmp_path):
    app = make_app(doc, tmp_path)
    other = UserData(tmp_path / "user.sqlite3")
    seen = record_notifications(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("down", "down", "down")
        tree = app.screen.query_one(ClauseTree)
        assert other.set_bookmark(2, True) is None and other.set_note(2, "另一個視窗") is None
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert "*(二)+" in str(tree.root.children[1].children[1].label)
        assert "另一個視窗" in detail_text(app)
        assert any("重新讀取" in m for m, _ in seen)
        assert other.set_bookmark(2, False) is None and other.set_note(2, "") is None
        app.post_message(events.AppFocus())
        await pilot.pause()
        assert "*(二)" not in str(tree.root.children[1].children[1].label)
        assert "另一個視窗" not in detail_text(app)


async def test_a_bookmark_key_does_what_the_reader_sees(doc, tmp_path):
    """The star shown decides: starred elsewhere meanwhile (no star shown here), m stars it
    (it stays starred, and the star appears) rather than silently unstarring it."""
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("down", "down", "down")
        assert UserData(tmp_path / "user.sqlite3").set_bookmark(2, True) is None
        assert not detail_text(app).startswith("*")
        await pilot.press("m")
        await pilot.pause()
        assert detail_text(app).startswith("* (二)")
    assert UserData(tmp_path / "user.sqlite3").bookmarks() == [2]


async def test_a_huge_paste_into_search_keeps_what_fits_and_searches_at_once(doc, tmp_path):
    from textual.widgets import Input

    from hzpolicy.core.script import MAX_QUERY_CHARS

    app = make_app(doc, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("/")
        box = app.screen.query_one("#search", Input)
        box.post_message(events.Paste("研發" * 5000))  # 10,000 characters at once
        await pilot.pause()
        assert box.value == ("研發" * 5000)[:MAX_QUERY_CHARS]
        assert app.screen.results is not None and app.screen.results.query == box.value


async def test_the_note_editor_opens_with_the_cursor_after_the_note(doc, tmp_path):
    assert UserData(tmp_path / "user.sqlite3").set_note(2, "第一行\n第二行") is None
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("down", "down", "down", "e")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"再加")
        assert app.screen.query_one(TextArea).text == "第一行\n第二行再加"


async def test_a_paste_into_search_drops_escape_sequences_and_control_characters(doc, tmp_path):
    from textual.widgets import Input

    app = make_app(doc, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("/")
        box = app.screen.query_one("#search", Input)
        box.post_message(events.Paste("研\x01\x1b[31m发\x07"))
        await pilot.pause()
        assert box.value == "研发"
        assert app.screen.results is not None and app.screen.results.total > 0
