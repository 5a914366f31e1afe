"""Pilot tests of bookmarks, notes, export and the overview (agencies, money, budget, targets)."""

from __future__ import annotations

import json

from textual.widgets import DataTable, Input, TextArea

from hzpolicy.core.userdata import UserData
from hzpolicy.screens.dialogs import ExportScreen, NoteScreen
from hzpolicy.screens.insights import InsightsScreen
from hzpolicy.widgets.choice import Choice
from hzpolicy.widgets.clause_tree import ClauseTree
from hzpolicy.widgets.clause_view import ClauseView

from .conftest import detail_text, make_app


async def test_bookmark_and_note_show_in_tree_and_pane_and_persist(doc, tmp_path):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("down", "m")
        await pilot.pause()
        tree = app.screen.query_one(ClauseTree)
        assert "*(二)" in str(tree.root.children[0].children[1].label)
        assert detail_text(app).startswith("* (二)")
        await pilot.press("f9")
        assert isinstance(app.screen, NoteScreen)
        app.screen.query_one(TextArea).text = "核對申報材料"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "我的筆記" in detail_text(app) and "核對申報材料" in detail_text(app)
        assert "*(二)+" in str(tree.root.children[0].children[1].label)
    user = UserData(tmp_path / "user.sqlite3")
    assert user.bookmarks() == [2] and user.notes() == {2: "核對申報材料"}
    again = make_app(doc, tmp_path)
    async with again.run_test(size=(100, 30)) as pilot:
        await pilot.press("down", "e")
        app2 = again.screen
        assert app2.query_one(TextArea).text == "核對申報材料"
        app2.query_one(TextArea).text = ""
        await pilot.press("ctrl+s", "m")  # an empty note deletes it; m unstars
        await pilot.pause()
    user = UserData(tmp_path / "user.sqlite3")
    assert user.bookmarks() == [] and user.notes() == {}


async def test_export_from_the_explorer(doc, tmp_path):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash", *"集成电路", "enter")
        await pilot.pause()
        await pilot.press("ctrl+e")
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        screen.query_one("#export-what", Choice).value = "search"
        screen.query_one("#export-format", Choice).value = "json"
        await pilot.pause()
        path_input = screen.query_one("#export-path", Input)
        assert path_input.value.endswith("hzpolicy-search.json")
        path_input.value = str(tmp_path / "found.json")
        path_input.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, ExportScreen)
        data = json.loads((tmp_path / "found.json").read_text(encoding="utf-8"))
        assert [r["clause"] for r in data["records"]] == [24, 33]


async def test_export_to_an_unwritable_place_says_so_and_stays(doc, tmp_path):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("x")
        screen = app.screen
        blocker = tmp_path / "file"
        blocker.write_text("x", encoding="utf-8")
        screen.query_one("#export-path", Input).value = str(blocker / "out.md")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        assert str(blocker) in str(screen.query_one("#export-error").render())


async def test_calculator_result_export(doc, tmp_path):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f2")
        app.screen.query_one("#f-key_software_first", Choice).value = True
        await pilot.pause()
        await pilot.press("ctrl+e")
        screen = app.screen
        screen.query_one("#export-format", Choice).value = "csv"
        await pilot.pause()
        screen.query_one("#export-path", Input).value = str(tmp_path / "calc.csv")
        await pilot.press("enter")
        await pilot.pause()
        raw = (tmp_path / "calc.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") and b"c36-key-software" in raw


async def test_agencies_view_filters_the_tree(doc, tmp_path):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+g")
        screen = app.screen
        assert isinstance(screen, InsightsScreen)
        table = screen.query_one("#agencies", DataTable)
        assert table.row_count == 42
        assert str(table.get_row_at(0)[0]) == "市財政局" and table.get_row_at(0)[1] == 47
        await pilot.press("down", "down", "enter")  # 市科技局
        await pilot.pause()
        tree = app.screen.query_one(ClauseTree)
        shown = {node.data for d in tree.root.children for node in d.children}
        assert shown == set(range(9, 23)) | {c.number for c in doc.clauses if "市科技局" in c.units}
        assert "市科技局" in str(app.screen.query_one("#count").render())
        await pilot.press("escape")
        await pilot.pause()
        assert sum(len(d.children) for d in tree.root.children) == 76


async def test_money_view_filter_sort_and_open_at_the_figure(doc, tmp_path):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.press("g", "2")
        screen = app.screen
        table = screen.query_one("#money-table", DataTable)
        assert table.row_count == 127
        await pilot.press(*"上限")
        await pilot.pause()
        assert 0 < table.row_count < 127 and all(str(table.get_row_at(i)[1]) == "上限" for i in range(table.row_count))
        await pilot.press("ctrl+o")  # by clause -> by amount, largest first
        await pilot.pause()
        amounts = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        yuan = [int(a.split()[0].replace(",", "")) for a in amounts if a.endswith("元")]
        assert yuan == sorted(yuan, reverse=True) and yuan[0] == 10_000_000
        assert amounts.index(next(a for a in amounts if a.endswith("%"))) > len(yuan) - 1  # rates after money
        assert str(table.get_row_at(0)[3]) == "1000萬元"
        await pilot.press("down", "enter")
        await pilot.pause()
        view = app.screen.query_one(ClauseView)
        assert view.clause in (12, 41)
        ((start, end),) = view.matches
        assert doc.clause(view.clause).body[start:end] == "1000萬元"


async def test_budget_and_targets_views(doc, tmp_path):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.press("ctrl+g", "3")
        chart = str(app.screen.query_one("#budget-chart").render())
        assert chart.index("177.1億元") < chart.index("148.7億元") < chart.index("6億元")
        assert "市財政2024年預算安排" in chart and "8 個領域合計: 569億元" in chart
        assert "569億元" in chart and "490億元" in chart and "79億元" in chart and "除交叉重疊部分外" in chart
        await pilot.press("4")
        targets = app.screen.query_one("#targets", DataTable)
        assert targets.row_count == len([t for d in doc.domains for t in d.targets])
        await pilot.press("escape")
        assert not isinstance(app.screen, InsightsScreen)
