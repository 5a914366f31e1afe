"""Pilot tests: press keys as a reader would and check what the app shows."""

from __future__ import annotations

import pytest
from textual.widgets import Input, OptionList, Static

from hzpolicy.core.script import typeset
from hzpolicy.core.userdata import UserData
from hzpolicy.screens.help import HelpScreen
from hzpolicy.widgets.clause_tree import ClauseTree
from hzpolicy.widgets.clause_view import ClauseView

from .conftest import detail_text, make_app, record_notifications


async def test_opens_on_the_document_and_follows_the_tree(doc, tmp_path):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(ClauseView)
        assert view.target == ("document", 0)
        assert app.focused is app.screen.query_one(ClauseTree)
        text = detail_text(app)
        assert "前言" in text and "490億元" in text and "結語" in text  # the document page
        await pilot.press("down")
        await pilot.pause()
        assert view.target == ("domain", 1)
        assert "牽頭單位: 市發改委" in detail_text(app) and "177.1億元" in detail_text(app)
        await pilot.press("down", "down")
        await pilot.pause()
        assert view.clause == 2
        text = detail_text(app)
        assert "(二) 加大財政支援力度" in text
        assert "市財政局" in text and "177.1億元" in text
        assert "已失效" in text and "2024-12-31" in text  # validity, as of today


async def test_search_type_enter_step_escape(doc, tmp_path):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"研发 补助")
        await pilot.pause()
        results = app.screen.query_one("#results", OptionList)
        count = str(app.screen.query_one("#count", Static).render())
        assert results.display and results.option_count >= 3
        assert f"{results.option_count} 處符合" in count
        await pilot.press("enter")
        await pilot.pause()
        view = app.screen.query_one(ClauseView)
        assert view.clause == 14
        assert len(view.matches) >= 5 and view.current_match == 0
        await pilot.press("n")
        assert view.current_match == 1
        await pilot.press("f3")
        assert view.current_match == 2
        await pilot.press("N")
        await pilot.press("shift+f3")
        assert view.current_match == 0
        await pilot.press("escape")  # from the opened result back to the list, query kept
        await pilot.pause()
        assert results.display and app.focused is results
        assert app.screen.query_one("#search", Input).value == "研发 补助"
        await pilot.press("escape")  # and out of the search, to the tree
        await pilot.pause()
        assert not results.display
        assert app.screen.query_one(ClauseTree).display
        assert isinstance(app.focused, ClauseTree)
        assert app.screen.query_one("#search", Input).value == ""
        assert view.matches == ()
        await pilot.press("slash")  # brings the last query back
        await pilot.pause()
        assert app.screen.query_one("#search", Input).value == "研发 补助" and results.display


async def test_a_click_opens_a_result_and_a_tree_clause(doc, tmp_path):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash", *"集成电路")
        await pilot.pause()
        second = app.screen.results.hits[1]  # each result is three lines: title, snippet, why
        assert await pilot.click("#results", offset=(4, 3))
        await pilot.pause()
        assert app.screen.query_one(ClauseView).target == second.target
        await pilot.press("escape", "escape")
        await pilot.pause()
        tree = app.screen.query_one(ClauseTree)
        below = tree.get_node_at_line(tree.cursor_line + 1)  # the clause under the open one
        assert await pilot.click(ClauseTree, offset=(6, tree.cursor_line + 1 - round(tree.scroll_y)))
        await pilot.pause()
        assert ("clause", app.screen.query_one(ClauseView).clause) == below.data != second.target


async def test_search_by_clause_number_and_amount(doc, tmp_path):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+f", *"第十四條", "enter")
        await pilot.pause()
        assert app.screen.query_one(ClauseView).clause == 14
        await pilot.press("escape", "escape", "ctrl+f", *"0.1亿", "enter")
        await pilot.pause()
        view = app.screen.query_one(ClauseView)
        assert view.clause in (12, 15, 41)
        body = doc.clause(view.clause).body
        assert any(body[s:e] == "1000萬元" for s, e in view.matches)


async def test_no_match_says_so(doc, tmp_path):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash", *"zzzz")
        await pilot.pause()
        said = str(app.screen.query_one("#count", Static).render())
        assert said == "沒有符合的結果\n文件中沒有: zzzz"  # and why
        assert not app.screen.query_one("#results", OptionList).display


async def test_words_run_together_say_how_they_were_found(doc, tmp_path):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash", *"研发补助")
        await pilot.pause()
        first = str(app.screen.query_one("#results", OptionList).get_option_at_index(0).prompt)
        assert first.splitlines()[-1] == "條文 | 研发 + 补助"  # where it is and why it matched
        await pilot.press("enter")
        await pilot.pause()
        view = app.screen.query_one(ClauseView)
        assert view.clause == 14
        body = doc.clause(14).body
        assert {body[s:e] for s, e in view.matches} == {"研發", "補助"}  # each piece is marked


async def test_script_switch_changes_everything_and_persists(doc, tmp_path):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("down", "down", "down")
        await pilot.press("s")
        await pilot.pause()
        text = detail_text(app)
        assert "加大财政支持力度" in text and "责任单位" in text
        tree = app.screen.query_one(ClauseTree)
        assert "关于进一步推动经济高质量发展的若干政策" in str(tree.root.children[0].label)
        assert "扩大有效投资政策" in str(tree.root.children[1].label)
        assert "关于进一步推动经济高质量发展的若干政策" in str(app.screen.query_one("#titlebar", Static).render())
    assert UserData(tmp_path / "user.sqlite3").script == "simplified"  # saved, not just shown
    again = make_app(doc, tmp_path)
    async with again.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert again.script == "simplified"
        # The first frame after a restart is Simplified everywhere, the pane too.
        assert "关于进一步推动经济高质量发展的若干政策" in detail_text(again) and "领域" in detail_text(again)
        await pilot.press("f4")
        assert again.script == "traditional"


async def test_copy_the_open_clause(doc, tmp_path):
    from hzpolicy.core.clipboard import Copied, CopyOutcome

    app = make_app(doc, tmp_path)
    seen = record_notifications(app)
    copied: list[str] = []

    def system_clipboard(text: str) -> Copied:  # a clipboard that takes it (tests/test_clipboard.py: the others)
        copied.append(text)
        return Copied(CopyOutcome.SYSTEM, "test")

    async with app.run_test(size=(100, 30)) as pilot:
        app.screen.copier = system_clipboard
        await pilot.press("down", "down", "c")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.clipboard.startswith("(一) 發揮省市重大建設項目帶動支撐作用\n")
        assert "責任單位: 市發改委" in app.clipboard and copied == [app.clipboard]
        assert any("已複製" in m for m, _ in seen)
        seen.clear()
        app.copy_to_clipboard("")
        await pilot.press("f5")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.clipboard.startswith("(一) 發揮省市重大建設項目帶動支撐作用\n")
        assert any("已複製" in m for m, _ in seen)


async def test_help_screen_lists_every_binding(doc, tmp_path):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        main = app.screen
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        from hzpolicy.screens.help import key_table

        rows = key_table(main)
        descriptions = {r[1] for r in rows}
        for binding in list(main.BINDINGS) + list(app.BINDINGS):
            assert binding.description in descriptions
        shown = {r[1] for r in key_table(main, app.locale)}
        assert {"搜尋", "書籤", "筆記", "匯出", "說明", "離開"} <= shown  # in the reader's words
        keys = " ".join(r[0] for r in rows)
        for key in ("F1", "F3", "F4", "F5", "F6"):
            assert key.lower() in keys.lower()
        await pilot.press("escape")
        assert app.screen is main
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)


async def test_command_palette_lists_clauses_and_actions(doc, tmp_path):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        from hzpolicy.commands import ActionCommands, ClauseCommands

        actions = ActionCommands(app.screen)
        titles = [str(hit.display) async for hit in actions.discover()]
        for wanted in ("搜尋", "繁/簡", "複製", "目錄樹", "說明", "下一處", "書籤", "匯出", "補助計算器"):
            assert wanted in titles
        for query in ("书签", "書籤", "bookmark", "导出", "export", "计算", "calc"):
            hits = [hit async for hit in actions.search(query)]
            assert hits, query

        provider = ClauseCommands(app.screen)
        found = [hit async for hit in provider.discover()]
        assert len(found) == 76
        hits = [hit async for hit in provider.search("集成电路")]
        assert hits and "(二十四)" in str(hits[0].match_display)
        assert "積體電路" in hits[0].help and "," not in hits[0].help  # typeset as the pane is
        hits[0].command()
        await pilot.pause()
        assert app.screen.query_one(ClauseView).clause == 24


async def test_tree_can_be_hidden_and_shown(doc, tmp_path):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        detail = app.screen.query_one("#detail-scroll")
        narrow_width = detail.size.width
        await pilot.press("f6")
        await pilot.pause()
        assert not app.screen.query_one("#sidebar").display
        assert detail.size.width >= 76 > narrow_width  # the clause takes the whole width
        await pilot.press("b")
        await pilot.pause()
        assert app.screen.query_one("#sidebar").display and detail.size.width == narrow_width


async def test_narrow_terminal_tree_and_clause_take_turns(doc, tmp_path):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        sidebar = app.screen.query_one("#sidebar")
        detail = app.screen.query_one("#detail-scroll")
        assert sidebar.outer_size.width == 40 and not detail.display
        await pilot.press("down", "down", "down", "enter")
        await pilot.pause()
        assert detail.display and detail.outer_size.width == 40 and not sidebar.display
        assert app.screen.query_one(ClauseView).clause == 2
        await pilot.press("escape")
        await pilot.pause()
        assert sidebar.display and not detail.display


async def test_a_terminal_too_small_says_so(doc, tmp_path):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(30, 8)) as pilot:
        await pilot.pause()
        notice = app.screen.query_one("#too-small")
        assert notice.display and "30x8" in str(notice.render()) and "40x12" in str(notice.render())
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        assert not app.screen.query_one("#too-small").display


@pytest.mark.parametrize("size", [(40, 12), (30, 8), (200, 60)])  # 80x24: every other test
async def test_any_size_works(doc, tmp_path, size):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=size) as pilot:
        main = app.screen
        await pilot.press("down", "down", "enter", "slash", *"高质量", "enter", "n", "f6", "f6", "s", "f1", "escape")
        await pilot.pause()
        # Every key did what it does at any size: the first result is open on its second
        # match, in Simplified, and Help is closed again.
        assert type(app.screen) is type(main) and app.script == "simplified"
        view = app.screen.query_one(ClauseView)
        first = app.index.search("高质量").hits[0]
        assert view.target == first.target
        text = view.match_block or typeset(doc.clause(view.clause).body_simplified)
        assert len(view.matches) >= 2 and view.current_match == 1
        assert {text[s:e] for s, e in view.matches} == {"高质量"}


async def test_theme_is_kept(doc, tmp_path):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = "nord"
        await pilot.pause()
    again = make_app(doc, tmp_path)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert again.theme == "nord"


async def test_damaged_settings_are_moved_aside_with_a_message(doc, tmp_path):
    (tmp_path / "user.sqlite3").write_bytes(b"{broken" * 200)
    app = make_app(doc, tmp_path)
    seen = record_notifications(app)  # before it runs: the warning is shown on mount
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
    assert (tmp_path / "user.sqlite3.damaged-1").read_bytes() == b"{broken" * 200
    assert [severity for m, severity in seen if "已移到" in m] == ["warning"]  # in the reader's words


async def test_keys_typed_ahead_in_the_tree_settle_on_the_last_page(doc, tmp_path):
    """Downs sent faster than the pane follows: the pane ends on the node the tree ends on,
    and the app goes quiet (it once moved the tree back to each queued page in turn, and the
    two chased each other without end, a core busy while the reader did nothing)."""
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        tree = screen.query_one(ClauseTree)
        chosen = []
        original = screen.show_target

        def counting(target, focus_detail=False):
            chosen.append(target)
            original(target, focus_detail)

        screen.show_target = counting
        for _ in range(14):
            tree.action_cursor_down()  # all queued before any is handled
        await pilot.pause()
        await pilot.pause()
        settled = len(chosen)
        await pilot.pause()
        await pilot.pause()
        assert len(chosen) == settled, "the tree and the pane are still chasing each other"
        assert screen.query_one(ClauseView).target == tree.cursor_node.data


async def test_ctrl_e_exports_from_the_search_box_too(doc, tmp_path):
    from hzpolicy.screens.dialogs import ExportScreen

    app = make_app(doc, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"研发")
        await pilot.pause()
        assert isinstance(app.focused, Input)
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        assert "search" in app.screen.sources  # the results are offered, typed in the box


async def test_a_query_that_finds_nothing_leaves_nothing_marked(doc, tmp_path):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"人才")
        await pilot.pause()
        view = app.screen.query_one(ClauseView)
        assert view.matches  # the first result is previewed, its matches marked
        await pilot.press("backspace", "backspace", *"鑫淼焱")  # nowhere in the document
        await pilot.pause()
        assert app.screen.results.total == 0
        assert view.matches == () and view.current_match == -1  # nothing shown as found


async def test_the_palette_finds_an_action_by_any_of_its_names(doc, tmp_path):
    from hzpolicy.commands import ActionCommands

    user = UserData(tmp_path / "user.sqlite3")
    assert user.set("script", "simplified") is None
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        actions = ActionCommands(app.screen)
        for query in ("导出", "導出", "匯出", "export"):
            hits = [str(hit.text) async for hit in actions.search(query)]
            assert any(h.startswith("导出") for h in hits), (query, hits)
            assert not any("匯出" in h for h in hits)  # never a Traditional name in Simplified
        hits = [str(hit.text) async for hit in actions.search("export")]
        assert any(h == "导出 (Export)" for h in hits), hits


async def test_a_result_opened_in_a_narrow_terminal_shows_its_heading_and_first_match(doc, tmp_path):
    """The pane is hidden (no width) while the result is previewed at 40 columns: when it is
    opened, the match is placed at the pane's real width, the heading kept in view."""
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.press("slash", *"研发机构", "enter")
        await pilot.pause()
        await pilot.pause()
        view = app.screen.query_one(ClauseView)
        scroll = app.screen.query_one("#detail-scroll")
        first = view.line_of_match(0)
        assert view.clause == 15 and first is not None
        assert first < scroll.scrollable_content_region.height  # on the first screen...
        assert scroll.scroll_y == 0  # ...so the heading stays in view


async def test_the_palette_opens_a_result_with_its_matches_marked(doc, tmp_path):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        from hzpolicy.commands import ClauseCommands

        provider = ClauseCommands(app.screen, None)
        hits = [hit async for hit in provider.search("490亿")]
        hits[0].command()  # the closing paragraph with the total
        await pilot.pause()
        view = app.screen.query_one(ClauseView)
        assert view.target == ("document", 0) and view.match_block.startswith("上述8個領域政策")
        assert [view.match_block[s:e] for s, e in view.matches] == ["490億元"]
        hits = [hit async for hit in provider.search("首台套")]
        hits[0].command()
        await pilot.pause()
        assert view.target == ("clause", 21) and view.matches and not view.match_block


async def test_a_note_added_in_another_window_is_searched(doc, tmp_path):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        UserData(tmp_path / "user.sqlite3").set_note(36, "老闆問養老護理")  # the other window
        await pilot.press("slash", *"老闆問")
        await pilot.pause()
        (hit,) = app.screen.results.hits
        assert (hit.place, hit.number) == ("note", 36)
        first = str(app.screen.query_one("#results", OptionList).get_option_at_index(0).prompt)
        assert first.splitlines()[1] == "老闆問養老護理" and first.splitlines()[2] == "筆記 | 老闆問"
