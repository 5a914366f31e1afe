"""Pilot tests of the comparison screen: two packages chosen, the counts and the filter, a
row's two texts (side by side or one above the other) with their marks and money changes,
either side opened in the explorer, and the export.

The library holds, besides the shipped package, a 2025 edition made once for the module from
the shipped text (tests/editions.py): the year moved on, clause 14's threshold cut from
500萬元 to 300萬元, clause 7 dropped, clauses 12 and 13 merged, clause 22 moved to domain
三, a clause written anew, and the total restated."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.widgets import Input, OptionList, Static

from hzpolicy.core.compare import KIND_NAMES, Row
from hzpolicy.core.i18n import Locale
from hzpolicy.core.library import Library
from hzpolicy.screens.compare import FILTER_NAMES, CompareScreen, DiffSide, default_pair, side_pieces
from hzpolicy.screens.dialogs import ExportScreen
from hzpolicy.screens.main import MainScreen
from hzpolicy.widgets.choice import Choice
from hzpolicy.widgets.prose import Prose

from .conftest import detail_text, make_app, record_notifications
from .editions import WRITTEN, Edition, source_text

NEW = "hangzhou-2025"
LOC = Locale("traditional", "zh")  # the app's default words (the tests' user data is new)


def edit(e: Edition) -> None:
    e.new_year("2024", "2025")
    e.amount(14, "500萬元", "300萬元")
    e.drop(7)
    e.merge(12, 13)
    e.move(22, 3)
    e.insert(WRITTEN[1], after=28)
    e.total("490億元", "502億元")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    """User data with a library of two packages: the shipped one and its 2025 edition."""
    folder = tmp_path_factory.mktemp("compare-ui")
    e = Edition.read(source_text())
    edit(e)
    source = folder / f"{NEW}.txt"
    source.write_text(e.render(), encoding="utf-8")
    Library(folder / "library").add(source, name=NEW)
    return folder


@pytest.fixture
def library(data_dir, monkeypatch) -> Path:
    monkeypatch.setenv("HZPOLICY_DATA_DIR", str(data_dir))
    return data_dir


async def compared(app, pilot) -> CompareScreen:
    """Open the comparison (d), take the packages offered (Enter), wait for it."""
    await pilot.press("d")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, CompareScreen)
    await pilot.press("enter")
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert screen.shown is not None
    return screen


def row_of(screen: CompareScreen, old: tuple[int, ...]) -> int:
    """The list's index of the row with these old clauses (the document's row is 0)."""
    return next(i for i, r in enumerate(screen.rows) if r.old == old) + 1


def plain(widget) -> str:
    return widget.text().plain if isinstance(widget, DiffSide) else widget.content().plain


def marked(side: DiffSide) -> list[str]:
    return [text for text, on in side.pieces if on]


async def test_chooser_offers_the_newest_as_new_and_swaps(doc, tmp_path, library):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("d")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CompareScreen) and screen.has_class("-choosing")
        old_list = screen.query_one("#compare-old-list")
        new_list = screen.query_one("#compare-new-list")
        assert (old_list.chosen.name, new_list.chosen.name) == ("hangzhou-2024", NEW)
        await pilot.press("t")  # swapped in the lists
        assert (old_list.chosen.name, new_list.chosen.name) == (NEW, "hangzhou-2024")
        await pilot.press("t", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert (screen.shown.old, screen.shown.new) == ("hangzhou-2024", NEW)
        assert "hangzhou-2024" in str(screen.query_one("#compare-title", Static).render())
        await pilot.press("t")  # swapped in the comparison: 2025 -> 2024, the merge now a split
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert (screen.shown.old, screen.shown.new) == (NEW, "hangzhou-2024")
        assert screen.shown.cmp.counts()["split"] == 2 and screen.shown.cmp.counts()["merged"] == 0


@pytest.mark.parametrize(
    ("ops", "old", "new"),
    [
        # a figure a change touches is marked whole, with its unit
        (
            [("equal", "新增"), ("delete", "5"), ("insert", "3"), ("equal", "00萬元以上")],
            [("新增", False), ("500萬元", True), ("以上", False)],
            [("新增", False), ("300萬元", True), ("以上", False)],
        ),
        # words: only the characters that changed; each side only its own change
        (
            [("equal", "支援"), ("delete", "企業"), ("insert", "中小企業"), ("equal", "發展")],
            [("支援", False), ("企業", True), ("發展", False)],
            [("支援", False), ("中小企業", True), ("發展", False)],
        ),
        ([("equal", "相同")], [("相同", False)], [("相同", False)]),
        ([], [], []),
    ],
)
def test_side_pieces(ops, old, new):
    assert side_pieces(ops, "old") == old
    assert side_pieces(ops, "new") == new


def test_default_pair_takes_the_newest_as_new():
    from hzpolicy.core.library import shipped_package

    shipped = shipped_package()
    later = shipped.__class__(**{**shipped.__dict__, "name": "b-2025", "valid_from": "2025-01-01", "shipped": False})
    latest = shipped.__class__(**{**shipped.__dict__, "name": "a-2026", "valid_from": "2026-01-01", "shipped": False})
    packages = [shipped, later, latest]
    assert default_pair(packages, shipped.name) == (shipped.name, "a-2026")
    assert default_pair(packages, "a-2026") == ("b-2025", "a-2026")  # the open one is the newest
    assert default_pair([shipped], shipped.name) == (shipped.name, shipped.name)


async def test_counts_by_kind_and_the_filter(doc, tmp_path, library):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await compared(app, pilot)
        counts = screen.shown.cmp.counts()
        assert counts["merged"] == 1 and counts["removed"] == 1 and counts["new"] == 1 and counts["same"] > 60
        kinds = str(screen.query_one("#compare-kinds", Static).render())
        for kind, n in counts.items():
            assert f"{LOC.tr(KIND_NAMES[kind])} {n}" in kinds
        assert "·" not in kinds  # no ambiguous-width separator
        rows = screen.query_one("#compare-rows", OptionList)
        # by default every row but the unchanged ones (one that moved domain is a change),
        # after the document's row
        assert {r.kind for r in screen.rows} == {"new", "changed", "merged", "removed", "same"}
        assert [r.old for r in screen.rows if r.kind == "same"] == [(22,)]
        assert rows.option_count == 1 + 1 + sum(n for k, n in counts.items() if k != "same")
        assert f"{LOC.tr(FILTER_NAMES['changes'])} {rows.option_count - 1}" in kinds
        assert "490億元 -> 502億元" in str(rows.get_option_at_index(0).prompt)
        await pilot.press("4")  # merged
        assert [(r.old, r.kind) for r in screen.rows] == [((12, 13), "merged")]
        assert "12+13 -> 11" in str(rows.get_option_at_index(1).prompt)
        await pilot.press("7")  # unchanged
        assert len(screen.rows) == counts["same"] and {r.kind for r in screen.rows} == {"same"}
        await pilot.press("5")  # split: none here, said so
        assert screen.rows == [] and rows.get_option_at_index(1).disabled
        await pilot.press("f")  # the next filter: removed
        assert [r.kind for r in screen.rows] == ["removed"] and screen.filter == "removed"
        await pilot.press("8")
        assert len(screen.rows) == len(screen.shown.cmp.rows)
        # a tab is a button too: a click on it chooses it
        line = str(screen.query_one("#compare-kinds", Static).render()).splitlines()[0]
        at = cell_len(line[: line.index(" 4 ")]) + 2  # the padding, then the tab's space
        assert await pilot.click("#compare-kinds", offset=(at, 0))
        assert screen.filter == "merged" and [r.kind for r in screen.rows] == ["merged"]


async def test_a_row_side_by_side_at_120_and_stacked_at_80(doc, tmp_path, library):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await compared(app, pilot)
        rows = screen.query_one("#compare-rows", OptionList)
        rows.highlighted = row_of(screen, (14,))
        await pilot.pause()
        row: Row = screen.current
        assert row.old == (14,) and row.kind == "changed"
        head = plain(screen.query_one("#compare-head", Prose))
        assert "500萬元 -> 300萬元" in head and "門檻" in head
        old, new = screen.query_one("#compare-old-text", DiffSide), screen.query_one("#compare-new-text", DiffSide)
        assert plain(old).startswith(f"舊 hangzhou-2024: (十四) {doc.require(14).title}")
        assert plain(new).startswith(f"新 {NEW}: (十二)")
        assert "500萬元" in marked(old) and "300萬元" in marked(new)  # the figures marked whole
        # marks without colour too: struck out on the old side, underlined on the new
        deleted = [s for s in old.text().spans if s.start >= len(old.heading) + 1]
        inserted = [s for s in new.text().spans if s.start >= len(new.heading) + 1]
        assert deleted and all(span.style.strike for span in deleted)  # type: ignore[union-attr]
        assert inserted and all(span.style.underline for span in inserted)  # type: ignore[union-attr]
        assert not screen.query_one("#compare-sides").has_class("-stacked")
        assert old.region.y == new.region.y and old.region.right < new.region.x  # side by side
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert screen.query_one("#compare-sides").has_class("-stacked")
        assert old.region.x == new.region.x and old.region.bottom <= new.region.y  # old above new
        assert screen.current is row  # the same row, laid out again
        # the moved clause says where it went
        rows.highlighted = next(i for i, r in enumerate(screen.rows, 1) if r.moved)
        await pilot.pause()
        assert "二、科技創新政策 -> 三、" in plain(screen.query_one("#compare-head", Prose))


async def test_the_document_row_and_a_zoomed_row_and_back(doc, tmp_path, library):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await compared(app, pilot)
        rows = screen.query_one("#compare-rows", OptionList)
        rows.highlighted = 0
        await pilot.pause()
        assert screen.current is None
        page = plain(screen.query_one("#compare-head", Prose))
        assert "2024-01-01~2024-12-31 -> 2025-01-01~2025-12-31" in page
        assert "490億元 -> 502億元" in page and "76" in page and "領域" in page
        assert not screen.query_one("#compare-sides").display
        rows.highlighted = 1
        await pilot.press("enter")  # the row's texts take the screen
        assert screen.has_class("-zoom") and app.focused is screen.query_one("#compare-detail")
        assert not rows.display
        await pilot.press("escape")
        assert not screen.has_class("-zoom") and app.focused is rows
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_open_either_side_in_the_explorer(doc, tmp_path, library):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await compared(app, pilot)
        screen.query_one("#compare-rows", OptionList).highlighted = row_of(screen, (14,))
        await pilot.pause()
        new_number = screen.current.new
        await pilot.press("shift+f7")  # the new clause: its package opens in the explorer
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and app.package_name == NEW
        assert detail_text(app).startswith(f"({'十二'})") and new_number == 12
        await pilot.press("d")  # the comparison as it was left, the row still on it
        await pilot.pause()
        assert app.screen is screen and screen.current.old == (14,)
        await pilot.press("shift+f6")  # the old clause: back in the shipped package
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and app.package_name == "hangzhou-2024"
        assert detail_text(app).startswith("(十四)")
        seen = record_notifications(app)
        await pilot.press("d")
        await pilot.pause()
        screen.query_one("#compare-rows", OptionList).highlighted = 0
        await pilot.press("shift+f6")  # the document's row has no clause to open: said, nothing opens
        assert app.screen is screen and seen and seen[-1][1] == "warning"


async def test_export_writes_md_csv_and_json(doc, tmp_path, library):
    """JSON is compare --json's shape; CSV is in the reader's words; Markdown has the marks'
    legend and both editions in full; the rows listed (a filter) say which kinds they hold."""
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await compared(app, pilot)
        for what, fmt in (("comparison", "json"), ("comparison", "csv"), ("comparison", "md"), ("listed", "json")):
            await pilot.press("ctrl+e")
            dialog = app.screen
            assert isinstance(dialog, ExportScreen)
            assert list(dialog.sources) == ["listed", "comparison"]  # the rows listed, then all
            dialog.query_one("#export-what", Choice).value = what
            dialog.query_one("#export-format", Choice).value = fmt
            await pilot.pause()
            box = dialog.query_one("#export-path", Input)
            name = Path(box.value).name
            assert name.startswith(f"hzpolicy-compare-hangzhou-2024-{NEW}-2")  # no clipped kind in it
            box.value = str(tmp_path / f"{what}.{fmt}")
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, CompareScreen)
        cmp = screen.shown.cmp
    data = json.loads((tmp_path / "comparison.json").read_text(encoding="utf-8"))
    assert data == json.loads(json.dumps(cmp.to_json("traditional", "hangzhou-2024", NEW), ensure_ascii=False))
    row = next(r for r in data["clauses"] if r["old"] == [14])
    assert row["new"] == 12 and row["money_changes"][0]["from"] == "500萬元" and row["money_changes"][0]["to_yuan"]
    assert data["filter"] is None and any(r["kind"] == "removed" and r["old"] == [7] for r in data["clauses"])
    listed = json.loads((tmp_path / "listed.json").read_text(encoding="utf-8"))
    assert listed["filter"] == {"kinds": ["new", "changed", "merged", "split", "removed"], "moved": True}
    assert {r["kind"] for r in listed["clauses"]} >= {"changed", "removed"} and len(listed["clauses"]) < len(cmp.rows)
    with (tmp_path / "comparison.csv").open(encoding="utf-8-sig", newline="") as fh:
        table = list(csv.reader(fh))
    assert table[0][0] == "類別" and "kind" not in table[0]
    assert len([r for r in table[1:] if r[0] not in ("政策文件", "領域", "結語")]) == len(cmp.rows)
    markdown = (tmp_path / "comparison.md").read_text(encoding="utf-8")
    assert "[-...-] 刪去的文字, {+...+} 新增的文字" in markdown and "300萬元" in markdown
    assert f"新版: {NEW} | 關於進一步推動經濟高品質發展的若干政策 | 2025-01-01 ~ 2025-12-31" in markdown


async def test_simplified_and_english(doc, tmp_path, library):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await compared(app, pilot)
        screen.query_one("#compare-rows", OptionList).highlighted = row_of(screen, (14,))
        await pilot.pause()
        await pilot.press("f4")  # Simplified: the texts, the titles and the words follow
        await pilot.pause()
        assert "500万元 -> 300万元" in plain(screen.query_one("#compare-head", Prose))
        assert plain(screen.query_one("#compare-old-text", DiffSide)).startswith("旧 hangzhou-2024")
        await pilot.press("f12")  # English
        await pilot.pause()
        english = Locale("simplified", "en")
        assert f"{english.tr(KIND_NAMES['changed'])} " in str(screen.query_one("#compare-kinds", Static).render())
        assert plain(screen.query_one("#compare-old-text", DiffSide)).startswith("Old hangzhou-2024")


async def test_one_package_compared_with_itself(doc, tmp_path):
    """A library of the shipped package alone: the screen says how to add another, and the
    package compared with itself is all unchanged."""
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await compared(app, pilot)
        assert (screen.shown.old, screen.shown.new) == ("hangzhou-2024", "hangzhou-2024")
        assert screen.shown.cmp.counts()["same"] == len(doc.clauses)
        assert screen.rows == []  # nothing changed: no row listed, and the list says so
        words = LOC.tr("No rows of this kind: {kind}").format(kind=LOC.tr(FILTER_NAMES["changes"]))
        assert words in str(screen.query_one("#compare-rows", OptionList).get_option_at_index(1).prompt)
        await pilot.press("ctrl+o")  # back to the lists: the way to add another is said
        assert "hzpolicy-tui add" in str(screen.query_one("#compare-intro", Static).render())


async def test_a_damaged_package_is_said_and_nothing_else_changes(doc, tmp_path, data_dir, monkeypatch):
    import shutil

    copy = tmp_path / "data"
    shutil.copytree(data_dir / "library", copy / "library")
    store = copy / "library" / f"{NEW}.json"
    store.write_text(store.read_text(encoding="utf-8")[:-200], encoding="utf-8")  # cut short
    monkeypatch.setenv("HZPOLICY_DATA_DIR", str(copy))
    app = make_app(doc, tmp_path)
    seen = record_notifications(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("d")
        await pilot.pause()
        screen = app.screen
        assert (
            screen.query_one("#compare-new-list").chosen.name == "hangzhou-2024"
        )  # the damaged one is not offered first
        screen.query_one("#compare-new-list").highlighted = 1
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.shown is None and screen.has_class("-choosing")
        assert seen and seen[-1][1] == "error" and str(store) in seen[-1][0]


async def test_the_palette_opens_the_comparison(doc, tmp_path, library):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"比較")
        await pilot.pause()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)


def test_every_kind_has_a_tab_and_a_key():
    from hzpolicy.core.compare import KINDS
    from hzpolicy.screens.compare import FILTER_KEYS, FILTERS

    assert set(FILTERS) == {"changes", "all", *KINDS}
    keys = {b.key: b.action for b in CompareScreen.BINDINGS if b.action.startswith("filter(")}  # type: ignore[union-attr]
    assert keys == {FILTER_KEYS[name]: f"filter({name!r})" for name in FILTERS}


@pytest.fixture
def own_library(data_dir, tmp_path, monkeypatch) -> Library:
    """A copy of the module's library, for a test that removes or damages it."""
    import shutil

    copy = tmp_path / "own-data"
    shutil.copytree(data_dir / "library", copy / "library")
    monkeypatch.setenv("HZPOLICY_DATA_DIR", str(copy))
    return Library(copy / "library")


async def test_opening_a_side_of_a_package_removed_meanwhile_says_so(doc, tmp_path, own_library):
    """Another window removed the new package after the comparison was made: Shift+F7 says
    it is gone (no crash), the comparison stays; the old side still opens."""
    app = make_app(doc, tmp_path)
    seen = record_notifications(app)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await compared(app, pilot)
        screen.query_one("#compare-rows", OptionList).highlighted = row_of(screen, (14,))
        await pilot.pause()
        own_library.remove(NEW)
        await pilot.press("shift+f7")
        await pilot.pause()
        assert app.screen is screen and app.is_running
        assert seen[-1][1] == "error" and NEW in seen[-1][0] and "移除" in seen[-1][0]
        await pilot.press("shift+f6")  # the shipped package is still there
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and detail_text(app).startswith("(十四)")


async def test_shift_f7_pressed_twice_does_not_bookmark(doc, tmp_path, library):
    """The keys that open a side do nothing in the explorer: pressed once more by habit,
    they bookmark nothing (F7 would) and keep the tree (F6 would hide it)."""
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await compared(app, pilot)
        screen.query_one("#compare-rows", OptionList).highlighted = row_of(screen, (14,))
        await pilot.pause()
        await pilot.press("shift+f6")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        await pilot.press("shift+f6", "shift+f7")
        await pilot.pause()
        assert app.bookmarks == set() and not app.screen.has_class("-no-sidebar")


async def test_the_chooser_offers_two_different_packages_once_there_are_two(doc, tmp_path, data_dir, monkeypatch):
    """First shown with the shipped package alone (both sides the same); once another is in
    the library, the chooser offers two different ones."""
    import shutil

    folder = tmp_path / "later"
    monkeypatch.setenv("HZPOLICY_DATA_DIR", str(folder))
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("d")
        await pilot.pause()
        screen = app.screen
        old_list, new_list = screen.query_one("#compare-old-list"), screen.query_one("#compare-new-list")
        assert old_list.chosen.name == new_list.chosen.name == "hangzhou-2024"
        await pilot.press("escape")
        shutil.copytree(data_dir / "library", folder / "library")  # added from another window
        await pilot.press("d")
        await pilot.pause()
        assert (old_list.chosen.name, new_list.chosen.name) == ("hangzhou-2024", NEW)


async def test_a_damaged_index_is_named_in_the_chooser(doc, tmp_path, own_library):
    own_library.index.write_bytes(b"not a database at all")
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("d")
        await pilot.pause()
        intro = "".join(str(app.screen.query_one("#compare-intro", Static).render()).split())
        assert str(own_library.index) in intro and "hzpolicy-tuilibrary--repair" in intro
        assert "hzpolicy-tuiadd" not in intro  # not "add another": the others are there


async def test_help_lists_enter_and_says_what_the_screen_is(doc, tmp_path, library):
    from hzpolicy.screens.help import HelpScreen, key_table

    app = make_app(doc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await compared(app, pilot)
        rows = {keys: what for keys, what, _ in key_table(screen, LOC)}
        assert rows.get("Enter") == LOC.tr("Full screen")
        assert rows.get("Shift+F6 o") == LOC.tr("Old") and rows.get("Shift+F7 n") == LOC.tr("New")
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        intro = str(app.screen.query(Static).first().render())
        assert LOC.tr(CompareScreen.HELP_INTRO)[:10] in intro and "補貼" not in intro
        await pilot.press("escape", "enter")  # Enter: the row's texts take the screen
        await pilot.pause()
        assert screen.has_class("-zoom")


async def test_too_small_a_terminal_is_said(doc, tmp_path, library):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await compared(app, pilot)
        notice = screen.query_one("#compare-too-small", Static)
        assert not notice.display
        await pilot.resize_terminal(30, 8)
        await pilot.pause()
        assert notice.display and "30x8" in str(notice.render())
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not notice.display


async def test_the_legend_is_never_split(doc, tmp_path, library):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await compared(app, pilot)
        screen.query_one("#compare-rows", OptionList).highlighted = row_of(screen, (14,))
        await pilot.pause()
        old = screen.query_one("#compare-old-text", DiffSide)
        legend = old.legend
        heading = old.heading + "  " + legend
        assert legend == "刪去的文字"
        # every width at which the heading's line must break somewhere
        for width in range(cell_len(heading) - cell_len(legend) + 1, cell_len(heading)):
            lines = [line.plain for line in old.lines(width)]
            assert any(legend in line for line in lines), (width, lines)
