"""Pilot tests of bookmarks, notes, export and the overview (agencies, money, budget, targets)."""

from __future__ import annotations

import json
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

import opencc
import pytest
from rich.cells import cell_len
from textual.widgets import ContentSwitcher, DataTable, Input, Static, TextArea

from hzpolicy.core.i18n import Locale
from hzpolicy.core.insights import agency_index, budget, figure_rows
from hzpolicy.core.present import domain_heading, yi_text
from hzpolicy.core.script import typeset
from hzpolicy.core.userdata import UserData
from hzpolicy.screens.dialogs import ExportScreen, NoteScreen
from hzpolicy.screens.insights import Column, InsightsScreen, clause_ranges, column_widths, wrap_list
from hzpolicy.widgets.choice import Choice
from hzpolicy.widgets.clause_tree import ClauseTree
from hzpolicy.widgets.clause_view import ClauseView

from .conftest import detail_text, make_app


async def test_bookmark_and_note_show_in_tree_and_pane_and_persist(doc, tmp_path):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("down", "down", "down", "m")  # the document, domain 一, clause (一), (二)
        await pilot.pause()
        tree = app.screen.query_one(ClauseTree)
        assert "*(二)" in str(tree.root.children[1].children[1].label)
        assert detail_text(app).startswith("* (二)")
        await pilot.press("f9")
        assert isinstance(app.screen, NoteScreen)
        app.screen.query_one(TextArea).text = "核對申報材料"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "我的筆記" in detail_text(app) and "核對申報材料" in detail_text(app)
        assert "*(二)+" in str(tree.root.children[1].children[1].label)
    user = UserData(tmp_path / "user.sqlite3")
    assert user.bookmarks() == [2] and user.notes() == {2: "核對申報材料"}
    again = make_app(doc, tmp_path)
    async with again.run_test(size=(100, 30)) as pilot:
        await pilot.press("down", "down", "down", "e")
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
        assert Path(path_input.value).name.startswith("hzpolicy-search-集成电路-")  # what, and when
        assert path_input.value.endswith(".json")
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
        assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
        text = raw.decode("utf-8-sig")
        assert text.startswith("條,規則,狀態,金額,金額(萬元),計入合計")  # the reader's headings, no codes
        assert "(三十六),首次入選" in text and "c36-key-software" not in text


# --- The overview ----------------------------------------------------------------------------


def cell_lines(table: DataTable, row: int) -> dict[str, list[str]]:
    """A row's cells by column key, each as its lines."""
    keys = [str(c.key.value) for c in table.ordered_columns]
    return {k: str(cell).split("\n") for k, cell in zip(keys, table.get_row_at(row), strict=True)}


def joined(lines: list[str]) -> str:
    return "".join(line.strip() for line in lines).replace(" ", "")


def no_number_split(lines: list[str]) -> bool:
    """No line ends inside a number (3 | .95%, 1 | ,000, 300 | 萬元)."""
    return not any(
        a and b and a[-1].isdigit() and (b[0].isdigit() or b[0] in ".,%萬万億亿元") for a, b in pairwise(lines)
    )


def check_table(table: DataTable) -> list[dict[str, list[str]]]:
    """Every cell's lines fit its column (so nothing is folded or cut when drawn), numbers are
    never split, and the first row is drawn as laid out. Returns the rows."""
    widths = {str(c.key.value): c.width for c in table.ordered_columns}
    rows = [cell_lines(table, i) for i in range(table.row_count)]
    for row in rows:
        for key, lines in row.items():
            assert all(cell_len(line) <= widths[key] for line in lines), (key, lines, widths[key])
            assert no_number_split(lines), lines
    drawn = [table.render_line(y).text for y in range(table.size.height)]
    first = rows[0]
    for k in range(max(len(lines) for lines in first.values())):
        line_drawn = drawn[table.header_height + k]
        for lines in first.values():
            if k < len(lines) and lines[k]:
                assert lines[k] in line_drawn, (lines[k], line_drawn)
    return rows


def labels(table: DataTable) -> list[str]:
    return [c.label.plain for c in table.ordered_columns]


def shown_words(screen: InsightsScreen) -> str:
    """Every word the overview shows: header, filter, tables (labels and cells), chart."""
    parts = [str(screen.query_one("#insights-tabs", Static).render())]
    parts.append(screen.query_one("#money-filter", Input).placeholder)
    for table in screen.query(DataTable):
        parts += [c.label.plain for c in table.ordered_columns]
        parts += [str(cell) for i in range(table.row_count) for cell in table.get_row_at(i)]
    parts.append(str(screen.query_one("#budget-chart", Static).render()))
    return "\n".join(parts)


async def visit_every_view(pilot) -> InsightsScreen:
    """Open the overview and show each view once (each is laid out when first shown)."""
    await pilot.press("ctrl+g")
    for key in "2341":
        await pilot.press(key)
        await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, InsightsScreen)
    return screen


# Each size once, each script at least once (the widths decide what is cut, the script the words).
@pytest.mark.parametrize(
    ("size", "script"),
    [((80, 24), "simplified"), ((120, 36), "traditional"), ((200, 50), "simplified")],
    ids=["80x24-simplified", "120x36-traditional", "200x50-simplified"],
)
async def test_nothing_is_cut_at_any_width(doc, tmp_path, size, script):
    app = make_app(doc, tmp_path)
    app.script = script
    loc = Locale(script)
    width, _ = size
    async with app.run_test(size=size) as pilot:
        screen = await visit_every_view(pilot)
        header = str(screen.query_one("#insights-tabs", Static).render()).split("\n")
        assert all(cell_len(line) <= width for line in header), header

        await pilot.press("4")
        await pilot.pause()
        rows = check_table(screen.query_one("#targets", DataTable))
        shown = [joined(r["target"]) for r in rows]
        assert shown == [typeset(t).replace(" ", "") for d in doc.domains for t in d.targets_in(script)]
        assert any("3.95%" in line for r in rows for line in r["target"])  # whole, on one line
        headings = [joined(r["domain"]) for r in rows if joined(r["domain"])]
        assert headings == [domain_heading(d, loc).replace(" ", "") for d in doc.domains if d.targets]

        await pilot.press("1")
        await pilot.pause()
        rows = check_table(screen.query_one("#agencies", DataTable))
        agencies = agency_index(doc, doc.agency_aliases)
        assert [joined(r["name"]) for r in rows] == [loc.doc(a.name) for a in agencies]

        await pilot.press("2")
        await pilot.pause()
        rows = check_table(screen.query_one("#money-table", DataTable))
        figures = figure_rows(doc)
        assert sorted(joined(r["text"]) for r in rows) == sorted(loc.doc(f.text) for f in figures)
        assert all(joined(r["text"]) in joined(r["context"]) for r in rows)  # the phrase holds the figure

        await pilot.press("3")
        await pilot.pause()
        chart = screen.query_one("#budget-chart", Static)
        lines = str(chart.render()).split("\n")
        assert all(cell_len(line) <= chart.content_region.width for line in lines), max(lines, key=cell_len)
        assert no_number_split([line.strip() for line in lines])
        flat = "".join(lines).replace(" ", "")
        b = budget(doc)
        for d in b.domains:
            assert domain_heading(doc.domains[d.domain - 1], loc).replace(" ", "") in flat
            for part in d.lines:
                assert loc.doc(part.label).replace(" ", "") in flat
        assert yi_text(b.domains[0].yuan, loc) in flat


async def test_chart_bars_use_the_width(doc, tmp_path):
    """The largest bar and the longest label grow with the terminal (no fixed cuts)."""
    bars = {}
    for width in (80, 200):
        app = make_app(doc, tmp_path)
        async with app.run_test(size=(width, 40)) as pilot:
            await pilot.press("ctrl+g", "3")
            await pilot.pause()
            lines = str(app.screen.query_one("#budget-chart", Static).render()).split("\n")
            bar_line = next(line for line in lines if line.endswith("177.1億元 (第2條)"))
            bars[width] = len(bar_line) - len(bar_line.lstrip(" "))  # the bar is drawn with spaces
            longest = next(line for line in lines if "社會保障、醫療衛生" in line)
            if width == 200:  # the whole label on one line
                assert "困難群眾等群體的補助" in longest
    assert bars[200] > bars[80] + 100


async def test_simplified_shows_no_traditional_and_english_no_chinese_words(doc, tmp_path):
    app = make_app(doc, tmp_path)
    app.script = "simplified"
    t2s = opencc.OpenCC("t2s")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await visit_every_view(pilot)
        words = shown_words(screen)
        assert "177.1亿元" in words and "億" not in words
        assert t2s.convert(words) == words, [c for c in words if t2s.convert(c) != c][:10]
        app.action_toggle_language()  # English, while the overview is shown
        await pilot.pause()
        header = str(screen.query_one("#insights-tabs", Static).render())
        assert header.isascii() and "1 Agencies" in header, header
        for key, table_id in (("1", "#agencies"), ("4", "#targets"), ("2", "#money-table")):
            await pilot.press(key)  # each view catches up when shown
            await pilot.pause()
            table = screen.query_one(table_id, DataTable)
            assert all(c.label.plain.isascii() for c in table.ordered_columns), table_id
        money = screen.query_one("#money-table", DataTable)
        assert str(money.get_row_at(0)[0]).endswith(" yuan") or str(money.get_row_at(0)[0]).endswith("%")
        assert screen.query_one("#money-filter", Input).placeholder.isascii()
        await pilot.press("3")
        await pilot.pause()
        chart = str(screen.query_one("#budget-chart", Static).render())
        assert chart.startswith("City budget 2024 by domain") and "17.71 billion yuan" in chart


async def test_kept_and_shown_again_in_the_new_script(doc, tmp_path):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+g", "4")
        await pilot.pause()
        first = app.screen
        assert isinstance(first, InsightsScreen)
        targets = first.query_one("#targets", DataTable)
        await pilot.press("down")
        assert targets.cursor_row == 1
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, InsightsScreen)
        app.toggle_script()
        await pilot.press("g")
        await pilot.pause()
        assert app.screen is first  # the same screen, not a new one
        assert targets.cursor_row == 1 and first.query_one(ContentSwitcher).current == "targets"
        words = shown_words(first)
        assert "目标" in words and "目標" not in words
        assert "全市研发投入强度争取达到3.95%" in "".join(
            str(c) for i in range(targets.row_count) for c in targets.get_row_at(i)
        ).replace("\n", "")
        await pilot.press("1")  # a view not shown since the switch catches up when shown
        await pilot.pause()
        agencies = first.query_one("#agencies", DataTable)
        assert str(agencies.get_row_at(0)[0]) == "市财政局"


async def test_resize_lays_the_tables_out_again(doc, tmp_path):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+g", "4")
        await pilot.pause()
        table = app.screen.query_one("#targets", DataTable)
        narrow = table.ordered_columns[1].width
        assert any(len(str(c).split("\n")) > 1 for i in range(table.row_count) for c in table.get_row_at(i))
        await pilot.resize_terminal(200, 50)
        await pilot.pause()
        assert table.ordered_columns[1].width > narrow
        assert all(len(str(c).split("\n")) == 1 for i in range(table.row_count) for c in table.get_row_at(i))


async def test_agencies_view_filters_the_tree(doc, tmp_path):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+g")
        screen = app.screen
        assert isinstance(screen, InsightsScreen)
        table = screen.query_one("#agencies", DataTable)
        assert table.row_count == 42
        assert str(table.get_row_at(0)[0]) == "市財政局" and str(table.get_row_at(0)[1]) == "47"
        await pilot.press("down", "down", "enter")  # 市科技局
        await pilot.pause()
        tree = app.screen.query_one(ClauseTree)
        assert "市科技局" in str(app.screen.query_one("#count").render())
        shown = tree_clauses(tree)
        assert shown == set(range(9, 23)) | {c.number for c in doc.clauses if "市科技局" in c.units}
        await pilot.press("escape")
        await pilot.pause()
        assert tree_clauses(tree) == set(range(1, 77))


def tree_clauses(tree: ClauseTree) -> set[int]:
    """The clause numbers the tree shows, at any depth."""
    found: set[int] = set()
    stack = list(tree.root.children)
    while stack:
        node = stack.pop()
        if isinstance(node.data, tuple) and node.data[0] == "clause":
            found.add(node.data[1])
        elif isinstance(node.data, int):
            found.add(node.data)
        stack.extend(node.children)
    return found


async def test_money_keys_filter_sort_and_open_at_the_figure(doc, tmp_path):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.press("g", "2")
        screen = app.screen
        table = screen.query_one("#money-table", DataTable)
        flt = screen.query_one("#money-filter", Input)
        header = screen.query_one("#insights-tabs", Static)
        assert app.focused is table and table.row_count == 131  # the table, not the filter
        assert "/ 篩選" in str(header.render()) and "o 排序" in str(header.render())
        await pilot.press("3")  # a digit switches views: the filter does not have focus
        assert screen.query_one(ContentSwitcher).current == "budget"
        await pilot.press("2", "slash")
        assert app.focused is flt
        assert "Esc 清除篩選" in str(header.render()) and "1-4" not in str(header.render())
        await pilot.press(*"上限", "3")  # in the filter a digit is typed
        await pilot.pause()
        assert flt.value == "上限3" and screen.query_one(ContentSwitcher).current == "money"
        await pilot.press("backspace")
        await pilot.pause()
        kinds = {str(table.get_row_at(i)[1]) for i in range(table.row_count)}
        assert 0 < table.row_count < 131 and kinds <= {"上限", "調整前"}  # 200萬元 was the old 上限
        await pilot.press("escape")  # clears the filter, back to the table; the overview stays
        await pilot.pause()
        assert isinstance(app.screen, InsightsScreen) and flt.value == "" and app.focused is table
        assert table.row_count == 131
        await pilot.press("slash", *"上限", "enter")  # Enter leaves the filter, kept
        await pilot.pause()
        assert app.focused is table and 0 < table.row_count < 131
        await pilot.press("slash", "down")
        assert app.focused is table

        assert labels(table)[2] == "條 (小到大)" and labels(table)[0] == "金額"
        await pilot.press("ctrl+o")  # by clause -> by amount, largest first
        await pilot.pause()
        assert labels(table)[0] == "金額 (大到小)" and labels(table)[2] == "條"
        amounts = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        yuan = [Decimal(a.removesuffix("元").replace(",", "")) for a in amounts if a.endswith("元")]
        assert yuan == sorted(yuan, reverse=True) and yuan[0] == 10_000_000
        assert amounts.index(next(a for a in amounts if a.endswith("%"))) > len(yuan) - 1  # rates after money
        assert str(table.get_row_at(0)[3]) == "1000萬元"
        await pilot.click(table, offset=(2, 0))  # the amount header again: smallest first
        await pilot.pause()
        assert labels(table)[0] == "金額 (小到大)"
        yuan = [Decimal(str(table.get_row_at(i)[0]).removesuffix("元").replace(",", "")) for i in range(3)]
        assert yuan == sorted(yuan)
        await pilot.press("o")  # by kind
        await pilot.pause()
        assert labels(table)[1] == "類別 (分組)" and labels(table)[0] == "金額"
        await pilot.press("o", "o")  # by clause, then by amount again
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        view = app.screen.query_one(ClauseView)
        assert view.clause in (12, 41)
        ((start, end),) = view.matches
        assert doc.clause(view.clause).body[start:end] == "1000萬元"


async def test_budget_chart(doc, tmp_path):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.press("ctrl+g", "3")
        chart = str(app.screen.query_one("#budget-chart").render())
        assert chart.index("177.1億元") < chart.index("148.7億元") < chart.index("6億元")
        assert "市財政2024年預算安排" in chart and "8 個領域合計: 569億元" in chart
        assert "490億元" in chart and "差額 79億元" in chart and "除交叉重疊部分外" in chart
        await pilot.press("escape")
        assert not isinstance(app.screen, InsightsScreen)


async def test_budget_chart_in_english_counts_in_billions(doc, tmp_path):
    app = make_app(doc, tmp_path)
    app.lang = "en"
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.press("ctrl+g", "3")
        await pilot.pause()
        chart = str(app.screen.query_one("#budget-chart").render())
        flat = " ".join(chart.split())
        assert chart.index("17.71 billion yuan") < chart.index("14.87 billion yuan") < chart.index("0.6 billion yuan")
        assert "8 domains together: 56.9 billion yuan" in flat
        assert "Total stated in the document: 49 billion yuan" in flat and "Difference 7.9 billion yuan" in flat
        ours = chart[: chart.index("「")]  # the document's own explanation follows, quoted
        assert "100M" not in chart and "億" not in ours and "490億元" in chart[len(ours) :]


@pytest.mark.parametrize(
    ("yuan", "traditional", "simplified", "english"),
    [
        ("600000000", "6億元", "6亿元", "0.6 billion yuan"),
        ("49000000000", "490億元", "490亿元", "49 billion yuan"),
        ("17710000000", "177.1億元", "177.1亿元", "17.71 billion yuan"),
        ("123456", "0.00123456億元", "0.00123456亿元", "0.000123456 billion yuan"),
    ],
)
def test_yi_text_in_each_interface(yuan, traditional, simplified, english):
    from decimal import Decimal

    amount = Decimal(yuan)
    assert yi_text(amount, Locale("traditional")) == traditional
    assert yi_text(amount, Locale("simplified")) == simplified
    assert yi_text(amount, Locale("traditional", "en")) == english
    assert yi_text(amount, Locale("simplified", "en")) == english


# Queries a reader may type in the money filter, by kind (in any interface's words) or text
# (in either script): each finds the same rows whatever the interface.
FILTER_QUERIES = ["上限", "ceiling", "Ceiling", "門檻", "门槛", "threshold", "補貼", "补贴", "預算", "budget", "定額"]


async def test_the_money_filter_finds_the_same_rows_in_every_interface(doc, tmp_path):
    from hzpolicy.core.script import search_key

    app = make_app(doc, tmp_path)
    found: dict[tuple[str, str], dict[str, set[str]]] = {}
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.press("ctrl+g", "2")
        await pilot.pause()
        screen = app.screen
        table = screen.query_one("#money-table", DataTable)
        flt = screen.query_one("#money-filter", Input)
        for _ in range(3):  # Traditional, then (F4) Simplified, then (F12) English
            for query in FILTER_QUERIES:
                flt.value = query
                await pilot.pause()
                found.setdefault((app.script, app.lang), {})[query] = {str(k.value) for k in table.rows}
            rows_before = {str(k.value) for k in table.rows}
            if app.script == "traditional":
                app.toggle_script()
            else:
                app.action_toggle_language()
            await pilot.pause()
            # a switch keeps the filter and what it finds
            assert flt.value == FILTER_QUERIES[-1] and {str(k.value) for k in table.rows} == rows_before
        assert (app.script, app.lang) == ("simplified", "zh")  # English, then back to Chinese
        assert set(found) == {("traditional", "zh"), ("simplified", "zh"), ("simplified", "en")}
        rows, phrases = screen.rows, screen.phrases

    def expected(role: str, word: str) -> set[str]:
        return {str(i) for i, r in enumerate(rows) if r.role == role or search_key(word) in search_key(phrases[i])}

    english = found["simplified", "en"]
    for interface, by_query in found.items():
        assert by_query == english, interface
    assert english["上限"] == expected("ceiling", "上限") and len(english["上限"]) > 30
    assert english["ceiling"] == english["Ceiling"] == expected("ceiling", "ceiling")
    assert english["門檻"] == english["门槛"] == expected("threshold", "門檻") and english["threshold"]
    assert english["補貼"] == english["补贴"] and english["補貼"]
    assert english["預算"] == expected("budget_line", "預算") and english["budget"] == expected("budget_line", "budget")
    assert english["定額"] == expected("fixed_award", "定額")


async def test_targets_row_opens_its_domain(doc, tmp_path):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.press("ctrl+g", "4")
        targets = app.screen.query_one("#targets", DataTable)
        assert targets.row_count == len([t for d in doc.domains for t in d.targets])
        assert "Enter 打開此領域" in str(app.screen.query_one("#insights-tabs", Static).render())
        second_domain = next(i for i, d in enumerate(doc.domains) if d.number == 2)
        row = sum(len(d.targets) for d in doc.domains[:second_domain])
        await pilot.press(*["down"] * row, "enter")
        await pilot.pause()
        assert not isinstance(app.screen, InsightsScreen)
        assert app.screen.query_one(ClauseView).target == ("domain", 2)


@pytest.mark.parametrize(
    ("numbers", "expected"),
    [
        ([], []),
        ([5], ["5"]),
        ([1, 2], ["1", "2"]),
        ([1, 2, 3], ["1-3"]),
        ([2, 3, 8, 9, 10, 11, 21, 23], ["2", "3", "8-11", "21", "23"]),
    ],
)
def test_clause_ranges(numbers, expected):
    assert clause_ranges(numbers) == expected


@pytest.mark.parametrize(
    ("items", "width", "expected"),
    [
        (["1", "2", "3-9"], 20, ["1, 2, 3-9"]),
        (["1", "2", "3-9"], 6, ["1, 2,", "3-9"]),
        (["10-21", "24"], 3, ["10-21,", "24"]),  # an item is never split, even when too wide
    ],
)
def test_wrap_list(items, width, expected):
    assert wrap_list(items, width) == expected


def test_column_widths_narrow_the_widest_wrapping_column_first():
    columns = [Column("a", "A"), Column("b", "B", wraps=True), Column("c", "C", wraps=True)]
    rows = [["12345", "x" * 40, "y" * 20]]
    assert column_widths(columns, rows, 100) == [5, 40, 20]  # room enough: as wide as the cells
    assert column_widths(columns, rows, 45) == [5, 20, 20]
    assert column_widths(columns, rows, 35) == [5, 16, 16]  # never below NARROWEST
    assert column_widths([Column("n", "Clause count")], [["47"]], 6) == [6]  # the label breaks at its space
