"""The library in the app: the package picker lists every package with its status, switches
the explorer (tree, title bar, bookmarks, notes, calculator), the choice is kept for the next
start, a search can cover every package and opens a result in its own package, and a damaged
package is said to be so with its path while the open one stays."""

from __future__ import annotations

import json
import shutil

import pytest
from textual.widgets import Input, OptionList, Static

from hzpolicy.core.library import Library
from hzpolicy.core.paths import SHIPPED_PACKAGE
from hzpolicy.core.userdata import UserData, data_dir
from hzpolicy.screens.calculator import CalculatorScreen, NoRulesScreen
from hzpolicy.screens.packages import PackageList, PackagePickerScreen
from hzpolicy.widgets.clause_tree import ClauseTree
from hzpolicy.widgets.clause_view import ClauseView
from hzpolicy.widgets.prose import Prose

from .conftest import SOURCE, TODAY, detail_text, make_app, record_notifications
from .test_reading import screen_lines

OTHER = "hangzhou-2026"  # in force on TODAY (2026-11-26); the shipped one has expired
UNIQUE = "量子計算券"  # a word only the 2026 edition has, in its clause (一)


@pytest.fixture(scope="module")
def built_library(tmp_path_factory):
    """A library with a second package: the shipped text as a 2026 edition (its dates moved
    on, one sentence added). Built once for the module; each test gets its own copy."""
    folder = tmp_path_factory.mktemp("library-src")
    text = SOURCE.read_text(encoding="utf-8")
    edited = (
        text.replace("2024年", "2026年")
        .replace("2024-", "2026-")
        .replace("發揮省市重大建設項目帶動支撐作用。", f"發揮省市重大建設項目帶動支撐作用。試行{UNIQUE}。")
    )
    assert edited.count(UNIQUE) == 1
    source = folder / f"{OTHER}.txt"
    source.write_text(edited, encoding="utf-8")
    library = Library(folder / "library")
    package, added = library.add(source, name=OTHER)
    assert added and package.rules == 0
    return library.folder


@pytest.fixture
def library(built_library) -> Library:
    """The built library, copied where the app looks for it (the user data folder)."""
    target = data_dir() / "library"
    shutil.copytree(built_library, target)
    return Library(target)


def titlebar(app) -> str:
    return str(app.screen.query_one("#titlebar", Static).render())


async def open_picker(app, pilot) -> PackagePickerScreen:
    await pilot.press("ctrl+o")
    await pilot.pause()
    assert isinstance(app.screen, PackagePickerScreen)
    return app.screen


async def switch_to_other(app, pilot) -> None:
    """Choose the 2026 package in the picker and wait until the explorer shows it."""
    await open_picker(app, pilot)
    await pilot.press("down", "enter")
    await pilot.pause()
    await pilot.pause()
    assert app.package is not None and app.package.name == OTHER


async def test_picker_lists_every_package_with_its_status(doc, tmp_path, library):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        picker = await open_picker(app, pilot)
        listing = picker.query_one(PackageList)
        assert [p.name for p in listing.packages] == [SHIPPED_PACKAGE, OTHER]
        assert listing.chosen is not None and listing.chosen.name == SHIPPED_PACKAGE  # the open one
        text = "\n".join(screen_lines(app))
        assert "政策包 (2)" in text
        first, second = (str(listing.get_option_at_index(i).prompt) for i in range(2))
        assert first.startswith("* hangzhou-2024") and "已失效" in first and "唯讀" in first
        assert "可用計算器" in first and "8 個領域, 76 條" in first and "2024-01-01~2024-12-31" in first
        assert second.startswith("  hangzhou-2026") and "有效" in second and "已失效" not in second
        assert "唯讀" not in second and "可用計算器" not in second
        assert f"檔案: {library.packages()[0].path}" in text  # the highlighted package's file
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, PackagePickerScreen) and app.package is None
        await pilot.press("p")  # the letter twin of Ctrl+O
        await pilot.pause()
        assert isinstance(app.screen, PackagePickerScreen)
        await pilot.press("enter")  # the open package chosen again: nothing to switch
        await pilot.pause()
        assert not isinstance(app.screen, PackagePickerScreen) and app.package is None


async def test_choosing_a_package_switches_the_explorer_and_is_kept(doc, tmp_path, library):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert titlebar(app).startswith(" hangzhou-2024 | 關於進一步推動經濟高品質發展的若干政策")
        assert "[已失效 2024-01-01~2024-12-31]" in titlebar(app)
        await switch_to_other(app, pilot)
        assert titlebar(app).startswith(" hangzhou-2026 |") and "[有效 2026-01-01~2026-12-31]" in titlebar(app)
        assert app.doc.valid_from == "2026-01-01" and app.screen.query_one(ClauseTree).doc is app.doc
        await pilot.press("down", "down")  # the first domain, its first clause
        await pilot.pause()
        assert UNIQUE in detail_text(app).replace("\n", "")
    assert UserData(tmp_path / "user.sqlite3").get("package") == OTHER


async def test_the_title_bar_fits_80_columns(doc, tmp_path, library):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await switch_to_other(app, pilot)
        bar = screen_lines(app)[0]
        # The period's dates give way to the title; the name and the status are never cut.
        assert bar.startswith(" hangzhou-2026 | 關於進一步推動經濟高品質發展的若干政策"), bar
        assert bar.rstrip().endswith("[有效]"), bar


async def test_the_package_opened_last_opens_at_the_next_start(doc, library):
    from hzpolicy.__main__ import Reader, _app_document
    from hzpolicy.app import build_app

    user = UserData()  # the default user data, as the command line opens it
    assert user.set("package", OTHER) is None
    reader = Reader([])
    package, opened, warnings = _app_document(None, reader)
    assert package is not None and package.name == OTHER and warnings == []
    app = build_app(opened, user=reader.opened, today=TODAY, package=package)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert titlebar(app).startswith(" hangzhou-2026 |")
        await open_picker(app, pilot)
        listing = app.screen.query_one(PackageList)
        assert listing.current == OTHER and listing.chosen is not None and listing.chosen.name == OTHER


async def test_a_saved_package_that_is_gone_opens_the_shipped_one_and_says_so(doc, library):
    from hzpolicy.__main__ import Reader, _app_document
    from hzpolicy.app import build_app

    assert UserData().set("package", "hangzhou-2031") is None
    reader = Reader([])
    package, opened, warnings = _app_document(None, reader)
    assert package is not None and package.shipped and len(warnings) == 1 and "hangzhou-2031" in warnings[0]
    app = build_app(opened, user=reader.opened, today=TODAY, package=package, warnings=warnings)
    seen = record_notifications(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert titlebar(app).startswith(" hangzhou-2024 |")
        assert (warnings[0], "warning") in seen


async def test_bookmarks_and_notes_are_the_open_packages(doc, tmp_path, library):
    user = UserData(tmp_path / "user.sqlite3")
    assert user.set_bookmark(2, True) is None and user.set_note(2, "2024 的筆記") is None
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.bookmarks == {2} and app.notes == {2: "2024 的筆記"}
        await switch_to_other(app, pilot)
        assert app.bookmarks == set() and app.notes == {}
        tree = app.screen.query_one(ClauseTree)
        assert tree.bookmarks == set() and tree.noted == set()
        await pilot.press("down", "down")  # clause (一) of the 2026 edition
        await pilot.pause()
        await pilot.press("f7")
        await pilot.pause()
        assert app.bookmarks == {1}
        key = app.data_key  # an added package's: its name and its document
    assert key.startswith(OTHER + "@") and user.bookmarks(package=key) == [1]
    # The command line keys the package's bookmarks the same way (`bookmarks --store NAME`).
    from hzpolicy.core.library import Library, data_key

    assert data_key(Library().get(OTHER)) == key
    assert user.bookmarks(package=SHIPPED_PACKAGE) == [2] and user.notes(package=SHIPPED_PACKAGE) == {2: "2024 的筆記"}


async def test_search_all_packages_names_them_and_opens_in_the_other(doc, tmp_path, library):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *UNIQUE)
        await pilot.pause()
        count = app.screen.query_one("#count", Static)
        results = app.screen.query_one("#results", OptionList)
        assert "只搜本政策包 [Ctrl+T]" in str(count.render()) and not results.display  # not in 2024
        await pilot.press("ctrl+t")  # the whole library, the query kept
        await pilot.pause()
        assert app.search_all
        assert "全部 2 個政策包 [Ctrl+T]" in str(count.render())
        assert "1 處符合 (分屬 1 個政策包)" in str(count.render())
        assert results.option_count == 1
        row = str(results.get_option_at_index(0).prompt)
        assert "(一) 發揮省市重大建設項" in row and row.splitlines()[-1].startswith("hangzhou-2026 | ")
        await pilot.press("enter")  # opens in the 2026 package
        await pilot.pause()
        await pilot.pause()
        assert app.package is not None and app.package.name == OTHER
        view = app.screen.query_one(ClauseView)
        assert view.clause == 1 and view.matches and app.focused is app.screen.query_one("#detail-scroll")
        assert UNIQUE in detail_text(app).replace("\n", "")
        await pilot.press("escape")  # back to the list of every package's results
        await pilot.pause()
        results = app.screen.query_one("#results", OptionList)
        assert app.screen.query_one("#search", Input).value == UNIQUE
        assert results.display and results.option_count == 1 and app.focused is results


async def test_search_all_merges_both_packages(doc, tmp_path, library):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("ctrl+t")  # before typing: the placeholder says what is searched
        await pilot.pause()
        assert app.screen.query_one("#search", Input).placeholder == "搜尋全部政策包 (/ 或 Ctrl+F)"
        await pilot.press("slash", *"研发补助")
        await pilot.pause()
        rows = app.screen.rows
        assert {r.package for r in rows} == {SHIPPED_PACKAGE, OTHER}
        assert {(r.package, r.hit.number) for r in rows[:2]} == {(SHIPPED_PACKAGE, 14), (OTHER, 14)}
        await pilot.press("ctrl+t")  # back to the open package alone
        await pilot.pause()
        assert {r.package for r in app.screen.rows} == {SHIPPED_PACKAGE}


async def test_search_all_with_one_package_says_there_is_no_other(doc, tmp_path):
    app = make_app(doc, tmp_path)
    seen = record_notifications(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"研发")
        await pilot.pause()
        assert "[Ctrl+T]" not in str(app.screen.query_one("#count", Static).render())  # nothing to choose
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert not app.search_all
        assert any("政策庫中只有這個政策包" in message for message, _ in seen)


async def test_the_calculator_says_plainly_a_package_has_no_rules(doc, tmp_path, library):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")  # the shipped package's calculator, built and kept
        await pilot.pause()
        assert isinstance(app.screen, CalculatorScreen)
        await pilot.press("escape")
        await pilot.pause()
        await switch_to_other(app, pilot)
        assert not app.is_screen_installed("calculator")  # the 2024 rules are not kept for 2026
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, NoRulesScreen)
        text = app.screen.query_one("#norules-message", Prose).content().plain
        assert "政策包 hangzhou-2026 沒有計算規則" in text and "有計算規則的政策包: hangzhou-2024" in text
        shown = "".join(line.strip() for line in screen_lines(app))
        assert "沒有計算規則" in shown
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, NoRulesScreen) and not app.is_screen_installed("calculator")


async def test_a_damaged_package_is_named_with_its_path_and_the_open_one_stays(doc, tmp_path, library):
    store = library.get(OTHER).path
    store.write_text(json.dumps({"not": "a store"}), encoding="utf-8")
    app = make_app(doc, tmp_path)
    seen = record_notifications(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        picker = await open_picker(app, pilot)
        second = str(picker.query_one(PackageList).get_option_at_index(1).prompt)
        assert "無法打開" in second  # marked in the list already
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.screen is picker  # the picker stays, saying why
        message = str(picker.query_one("#packages-message", Static).render())
        assert str(store) in message and "hzpolicy-tui remove hangzhou-2026" in message
        assert any(str(store) in m and severity == "error" for m, severity in seen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.package is None and app.doc is doc and titlebar(app).startswith(" hangzhou-2024 |")


async def test_the_palette_opens_a_package_by_name(doc, tmp_path, library):
    from hzpolicy.commands import PackageCommands

    app = make_app(doc, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        provider = PackageCommands(app.screen)
        hits = [hit async for hit in provider.search("2026")]
        assert len(hits) == 1 and "hangzhou-2026" in str(hits[0].text)
        hits[0].command()
        await pilot.pause()
        await pilot.pause()
        assert app.package is not None and app.package.name == OTHER


def test_cli_search_all_names_each_results_package(library, capsys):
    from hzpolicy.__main__ import run

    assert run(["search", UNIQUE, "--all", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [r["package"] for r in out["results"]] == [OTHER] and out["results"][0]["clause"] == 1
    assert [p["name"] for p in out["packages"]] == [SHIPPED_PACKAGE, OTHER]
    assert run(["search", "研发补助", "--all"]) == 0
    text = capsys.readouterr().out
    assert "[hangzhou-2024]" in text and "[hangzhou-2026]" in text


def test_cli_calc_on_a_package_without_rules_says_so(library, tmp_path, capsys):
    from hzpolicy.__main__ import run

    profile = tmp_path / "acme.json"
    profile.write_text(json.dumps({"rd_spend": "8000"}), encoding="utf-8")
    assert run(["calc", str(profile), "--store", OTHER]) == 2
    err = capsys.readouterr().err
    assert "政策包 hangzhou-2026 沒有計算規則" in err and "有計算規則的政策包: hangzhou-2024" in err


async def test_a_damaged_library_index_is_named_and_the_shipped_package_stays(doc, tmp_path, library):
    library.index.write_bytes(b"not a database at all")
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        picker = await open_picker(app, pilot)
        assert [p.name for p in picker.query_one(PackageList).packages] == [SHIPPED_PACKAGE]
        message = str(picker.query_one("#packages-message", Static).render())
        assert str(library.index) in message and "hzpolicy-tui library --repair" in message


def long_named(package, name: str, **changes):
    """The package under another (longer) name: what the title bar and the lists are given."""
    from dataclasses import replace

    return replace(package, name=name, **changes)


async def test_the_title_bar_keeps_a_long_name_whole(doc, tmp_path, library):
    """hangzhou-2026 and hangzhou-2026-simplified must read apart: the name is whole at 120
    and at 80 columns (the title is cut instead), cut in its middle only when narrower."""
    name = "hangzhou-2026-simplified"
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        app.package = long_named(library.packages()[0], name)
        main = app.screen
        main.refresh_chrome()
        assert titlebar(app).startswith(f" {name} | 關於進一步推動經濟高品質發展的若干政策")
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        bar = titlebar(app)
        assert bar.startswith(f" {name} | 關於") and bar.rstrip().endswith("[已失效]"), bar
        await pilot.resize_terminal(40, 12)
        await pilot.pause()
        bar = titlebar(app)
        assert bar.startswith(" hangzhou-20") and bar.split("|")[0].strip().endswith("simplified"), bar


def test_the_picker_marks_a_simplified_original_and_keeps_facts_whole(library):
    from hzpolicy.core.i18n import Locale

    shipped = library.packages()[0]
    original = long_named(shipped, "hangzhou-2024-simplified", source_script="simplified", shipped=False)
    listing = PackageList()
    listing.show([shipped, original], SHIPPED_PACKAGE, Locale("simplified", "zh"), TODAY, None)
    row = listing.prompt(original, 70).plain
    assert row.splitlines()[0].startswith("  hangzhou-2024-simplified [简体原文]"), row
    assert "[简体原文]" not in listing.prompt(shipped, 70).plain
    for width in (40, 56, 70):  # at 60 columns the picker's rows are about 56 wide
        lines = listing.prompt(shipped, width).plain.splitlines()
        facts = [line.strip() for line in lines[1:]]
        assert "..." not in "".join(facts), lines
        assert any("2024-01-01~2024-12-31" in f for f in facts) and any(f.endswith("只读") for f in facts), lines
        assert all(len(line) <= width for line in lines)


async def test_search_all_previews_a_result_of_another_package_without_switching(doc, tmp_path, library):
    app = make_app(doc, tmp_path)
    seen = record_notifications(app)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("ctrl+t", "slash", *UNIQUE)  # found only in the 2026 edition
        await pilot.pause()
        await pilot.press("down")  # into the list: the one result highlighted
        await pilot.pause()
        main = app.screen
        view = main.query_one(ClauseView)
        label = main.query_one("#preview-label", Static)
        assert main.previewing == OTHER and view.doc is not app.doc and app.package is None
        assert label.display and OTHER in str(label.render())
        assert UNIQUE in detail_text(app).replace("\n", "") and view.clause == 1 and view.matches
        await pilot.press("m")  # no bookmark from a preview: it is not the open package's page
        await pilot.pause()
        assert app.bookmarks == set() and seen[-1][1] == "warning" and OTHER in seen[-1][0]
        await pilot.press("escape", "escape")  # the search left: the open package's page again
        await pilot.pause()
        assert main.previewing is None and view.doc is app.doc and not label.display
        assert UNIQUE not in detail_text(app).replace("\n", "")


async def test_search_all_with_a_damaged_index_says_so(doc, tmp_path, library):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.search_all
        library.index.write_bytes(b"not a database at all")  # damaged meanwhile
        await pilot.press("slash", *"研发补助")
        await pilot.pause()
        count = "".join(str(app.screen.query_one("#count", Static).render()).split())
        assert str(library.index) in count and "hzpolicy-tuilibrary--repair" in count


async def test_the_open_package_removed_elsewhere_is_said_and_not_written_to(doc, tmp_path, library):
    from textual import events

    app = make_app(doc, tmp_path)
    seen = record_notifications(app)
    async with app.run_test(size=(120, 36)) as pilot:
        await switch_to_other(app, pilot)
        await pilot.press("down", "down")  # clause (一)
        await pilot.pause()
        library.remove(OTHER)  # from another window
        app.post_message(events.AppFocus())  # back in this one
        await pilot.pause()
        assert app.package_removed and "已從政策庫移除" in titlebar(app)
        assert any(OTHER in m and severity == "warning" for m, severity in seen)
        assert UNIQUE in detail_text(app).replace("\n", "")  # the document stays on the screen
        await pilot.press("f7")
        await pilot.pause()
        assert app.bookmarks == set() and seen[-1][1] == "error"
    assert UserData(tmp_path / "user.sqlite3").bookmarks(package=OTHER) == []


async def test_an_old_result_of_a_removed_package_is_not_opened(doc, tmp_path, library):
    app = make_app(doc, tmp_path)
    seen = record_notifications(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+t", "slash", *UNIQUE)
        await pilot.pause()
        assert [r.package for r in app.screen.rows] == [OTHER]
        library.remove(OTHER)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert app.package is None and app.doc is doc
        assert seen[-1][1] == "error" and OTHER in seen[-1][0]
        await pilot.press("ctrl+o")  # the picker reads the library afresh: it is not listed
        await pilot.pause()
        assert [p.name for p in app.screen.query_one(PackageList).packages] == [SHIPPED_PACKAGE]
