"""The profile picker: saved calculator profiles listed with what they hold, opened with the
arrows and Enter, found by typing (Chinese in either script), renamed and deleted in the
reader's words, and safe while another window changes the same profiles."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

import pytest
from rich.cells import cell_len
from textual import events
from textual.widgets import Input, Static
from textual.widgets._footer import FooterKey  # Textual's footer key (no public name)

from hzpolicy.core.i18n import Locale
from hzpolicy.core.userdata import UserData
from hzpolicy.screens.profiles import (
    DeleteProfileScreen,
    ProfileList,
    ProfilePickerScreen,
    RenameProfileScreen,
    profile_summary,
)
from hzpolicy.widgets.footer import LocalFooter

from .conftest import make_app, record_notifications
from .test_reading import from_column, screen_lines

INTERFACES = [("traditional", "zh"), ("simplified", "zh"), ("traditional", "en")]
ACME = {"rd_spend": "8000", "revenue": "50000", "hitech_first": True}


def user_of(tmp_path) -> UserData:
    """Another handle on the app's user data (as another window has)."""
    return UserData(tmp_path / "user.sqlite3")


def start(doc, tmp_path, profiles: dict[str, dict], script: str = "traditional", lang: str = "zh"):
    user = user_of(tmp_path)
    assert user.set("script", script) is None and user.set("lang", lang) is None
    for name, facts in profiles.items():
        assert user.save_profile(name, facts) is None
    return make_app(doc, tmp_path)


async def open_picker(app, pilot, current: str | None = None) -> list[str | None]:
    """Push the picker as the calculator will; the returned list receives its result."""
    chosen: list[str | None] = []
    app.push_screen(ProfilePickerScreen(current=current), chosen.append)
    await pilot.pause()
    assert isinstance(app.screen, ProfilePickerScreen)
    return chosen


def listed(app) -> list[str]:
    return [entry.name for entry in app.screen.query_one(ProfileList).entries]


def highlighted(app) -> str | None:
    entry = app.screen.query_one(ProfileList).chosen
    return entry.name if entry is not None else None


def message(app) -> str:
    widget = app.screen.query_one("#picker-message", Static)
    return str(widget.render()) if widget.display else ""


# -- the summary (core words, no UI) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("loc", "facts", "count", "summary"),
    [
        (Locale("traditional", "zh"), ACME, 3, "年度研發投入額 8000 萬元；營業收入 50000 萬元；首次認定的高新技術企業"),
        (Locale("simplified", "zh"), ACME, 3, "年度研发投入额 8000 万元；营业收入 50000 万元；首次认定的高新技术企业"),
        (Locale("traditional", "en"), {"rd_spend": "1.5"}, 1, "年度研發投入額 15,000 yuan"),
        # a no is counted but says little; amounts come first, whatever the order saved
        (
            Locale("traditional", "zh"),
            {"hitech_first": False, "incubator_stars": 4},
            2,
            "市級科技企業孵化器年度績效評價星級 4",
        ),
        # curly quotes are ambiguous-width: shown as corner brackets
        (Locale("traditional", "zh"), {"little_giant_first": True}, 1, "首次認定的國家級專精特新「小巨人」企業"),
        (
            Locale("traditional", "zh"),
            {"concept_center": "recognized", "design_awards": ["if_gold"]},
            2,
            "概念驗證中心 經認定；獲得的工業設計獎項 iF金獎",
        ),
        # what is not (or no longer) a valid fact is left out of both
        (Locale("traditional", "zh"), {"no_such_fact": 1, "revenue": "-3", "rd_spend": None}, 0, ""),
    ],
)
def test_a_profile_is_summed_up_in_the_readers_words(loc, facts, count, summary):
    assert profile_summary(facts, loc) == (count, summary)


# -- the user data helpers -------------------------------------------------------------------


def test_profiles_are_read_with_their_facts_in_one_go(tmp_path):
    user = user_of(tmp_path)
    assert user.save_profile("b", {"revenue": Decimal("12.5")}) is None
    assert user.save_profile("a", {}) is None
    assert user._db is not None
    user._db.execute("INSERT INTO profiles (name, facts) VALUES ('c', 'not json')")
    assert user.profiles() == {"a": {}, "b": {"revenue": "12.5"}, "c": {}}


def test_a_rename_refuses_an_empty_name_and_keeps_the_same_one(tmp_path):
    user = user_of(tmp_path)
    assert user.save_profile("a", {"revenue": 1}) is None
    assert user.rename_profile("a", "  ") == "a profile needs a name"
    assert user.rename_profile("a", "a") is None
    assert user.rename_profile("gone", "gone") == "no profile named 'gone'"
    assert user.profile_names() == ["a"]


# -- choosing -------------------------------------------------------------------------------


async def test_the_arrows_and_enter_return_the_highlighted_name(doc, tmp_path):
    app = start(doc, tmp_path, {"丙公司": ACME, "乙公司": {}, "甲公司": {"revenue": "1"}})
    async with app.run_test(size=(100, 30)) as pilot:
        chosen = await open_picker(app, pilot)
        assert listed(app) == ["丙公司", "乙公司", "甲公司"] and highlighted(app) == "丙公司"
        await pilot.press("end")
        assert highlighted(app) == "甲公司"
        await pilot.press("home", "down")
        assert highlighted(app) == "乙公司"
        await pilot.press("enter")
        await pilot.pause()
        assert chosen == ["乙公司"] and not isinstance(app.screen, ProfilePickerScreen)


async def test_a_click_opens_a_profile(doc, tmp_path):
    app = start(doc, tmp_path, {"a": {}, "b": ACME})
    async with app.run_test(size=(100, 30)) as pilot:
        chosen = await open_picker(app, pilot)
        await pilot.click(ProfileList, offset=(3, 2))  # two lines an entry: the second one's name
        await pilot.pause()
        assert chosen == ["b"]


async def test_it_opens_on_the_current_profile_and_esc_returns_none(doc, tmp_path):
    app = start(doc, tmp_path, {"a": {}, "b": {}, "c": {}})
    async with app.run_test(size=(100, 30)) as pilot:
        chosen = await open_picker(app, pilot, current="b")
        assert highlighted(app) == "b"
        await pilot.press("escape")
        await pilot.pause()
        assert chosen == [None] and not isinstance(app.screen, ProfilePickerScreen)


async def test_each_profile_shows_its_count_and_summary(doc, tmp_path):
    app = start(doc, tmp_path, {"華東客戶": ACME}, script="simplified")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_picker(app, pilot)
        rows = "\n".join(screen_lines(app))
        assert "華東客戶" in rows and "3 项" in rows  # the name as saved; the words in Simplified
        assert "年度研发投入额 8000 万元；营业收入 50000 万元" in rows
        assert "已存方案 (1)" in rows


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        (["华", "东"], ["華東科技"]),  # Simplified typed, Traditional saved
        (["科", "技"], ["華東科技"]),
        (["a", "c", "m", "e"], ["ACME 客戶"]),  # any case
        (["客", "户"], ["ACME 客戶"]),
        (["z"], []),
    ],
)
async def test_typing_filters_by_name_in_either_script(doc, tmp_path, typed, found):
    app = start(doc, tmp_path, {"華東科技": ACME, "ACME 客戶": {}, "other": {}})
    async with app.run_test(size=(100, 30)) as pilot:
        chosen = await open_picker(app, pilot)
        await pilot.press(*typed)  # characters as an input method commits them
        await pilot.pause()
        assert app.screen.query_one("#picker-filter", Input).value == "".join(typed)
        assert listed(app) == found
        if not found:
            assert "z" in message(app) and "沒有" in message(app)
            await pilot.press("enter")  # nothing highlighted: nothing happens
            await pilot.pause()
            assert chosen == [] and isinstance(app.screen, ProfilePickerScreen)
        else:
            await pilot.press("enter")
            await pilot.pause()
            assert chosen == found[:1]


async def test_a_pasted_filter_works_too(doc, tmp_path):
    """Some input methods and terminals deliver committed text as a paste."""
    app = start(doc, tmp_path, {"華東科技": ACME, "其他": {}})
    async with app.run_test(size=(100, 30)) as pilot:
        await open_picker(app, pilot)
        app.screen.query_one("#picker-filter", Input).post_message(events.Paste("华东"))
        await pilot.pause()
        assert listed(app) == ["華東科技"]


# -- deleting -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("keys", "deleted"),
    [
        (["delete", "enter"], False),  # No is the default
        (["delete", "escape"], False),
        (["ctrl+d", "n"], False),
        (["delete", "right", "enter"], True),
        (["ctrl+d", "y"], True),
    ],
)
async def test_delete_asks_first_and_no_keeps_it(doc, tmp_path, keys, deleted):
    app = start(doc, tmp_path, {"a": {}, "b": {}, "c": {}})
    seen = record_notifications(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_picker(app, pilot, current="b")
        await pilot.press(keys[0])
        await pilot.pause()
        assert isinstance(app.screen, DeleteProfileScreen)
        question = " ".join(str(s.render()) for s in app.screen.query(Static))
        assert "刪除方案「b」" in question
        await pilot.press(*keys[1:])
        await pilot.pause()
        assert isinstance(app.screen, ProfilePickerScreen)
        if deleted:
            assert listed(app) == ["a", "c"] and highlighted(app) == "c"
            assert user_of(tmp_path).profile_names() == ["a", "c"]
            assert any("已刪除方案「b」" in m for m, _ in seen)
        else:
            assert listed(app) == ["a", "b", "c"] and highlighted(app) == "b"
            assert user_of(tmp_path).profile_names() == ["a", "b", "c"]


async def test_after_the_last_in_the_list_is_deleted_the_one_before_is_highlighted(doc, tmp_path):
    app = start(doc, tmp_path, {"a": {}, "b": {}, "c": {}})
    async with app.run_test(size=(100, 30)) as pilot:
        await open_picker(app, pilot, current="c")
        await pilot.press("delete", "y")
        await pilot.pause()
        assert listed(app) == ["a", "b"] and highlighted(app) == "b"


async def test_deleting_the_last_one_shows_the_empty_library(doc, tmp_path):
    app = start(doc, tmp_path, {"only": {}})
    async with app.run_test(size=(100, 30)) as pilot:
        await open_picker(app, pilot)
        await pilot.press("delete", "y")
        await pilot.pause()
        assert listed(app) == [] and "Ctrl+S" in message(app)


# -- renaming -------------------------------------------------------------------------------


async def test_f2_renames_the_highlighted_profile(doc, tmp_path):
    app = start(doc, tmp_path, {"a": ACME, "b": {}})
    seen = record_notifications(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_picker(app, pilot)
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, RenameProfileScreen)
        box = app.screen.query_one("#rename-name", Input)
        assert box.value == "a"  # the old name, to edit
        box.value = "甲公司"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ProfilePickerScreen)
        assert listed(app) == ["b", "甲公司"] and highlighted(app) == "甲公司"
        assert user_of(tmp_path).load_profile("甲公司") == ACME
        assert any("甲公司" in m for m, _ in seen)


@pytest.mark.parametrize(("typed", "said"), [("b", "已有名為 'b' 的方案"), ("   ", "方案需要名稱")])
async def test_a_rename_to_a_name_in_use_or_none_is_refused(doc, tmp_path, typed, said):
    app = start(doc, tmp_path, {"a": ACME, "b": {}})
    async with app.run_test(size=(100, 30)) as pilot:
        await open_picker(app, pilot)
        await pilot.press("ctrl+r")
        await pilot.pause()
        app.screen.query_one("#rename-name", Input).value = typed
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RenameProfileScreen), "the dialog stays, with what was typed"
        assert said in str(app.screen.query_one("#rename-error", Static).render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ProfilePickerScreen) and listed(app) == ["a", "b"]
    assert user_of(tmp_path).profiles() == {"a": ACME, "b": {}}


# -- the empty library, and another window -----------------------------------------------------


@pytest.mark.parametrize(("script", "lang"), INTERFACES)
async def test_an_empty_library_says_how_to_save_one(doc, tmp_path, script, lang):
    app = start(doc, tmp_path, {}, script=script, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        chosen = await open_picker(app, pilot)
        said = message(app)
        assert "Ctrl+S" in said
        assert ("profile" in said) if lang == "en" else ("方案" in said)
        for key in ("enter", "delete", "f2"):  # nothing to act on: nothing happens
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, ProfilePickerScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert chosen == [None]


async def test_a_profile_deleted_elsewhere_before_enter_is_said_to_be_gone(doc, tmp_path):
    app = start(doc, tmp_path, {"a": {}, "b": {}})
    seen = record_notifications(app)
    async with app.run_test(size=(100, 30)) as pilot:
        chosen = await open_picker(app, pilot)
        assert user_of(tmp_path).delete_profile("a")  # the other window
        await pilot.press("enter")
        await pilot.pause()
        assert chosen == [] and isinstance(app.screen, ProfilePickerScreen)
        assert any("「a」" in m and "不存在" in m and sev == "warning" for m, sev in seen)
        assert listed(app) == ["b"] and highlighted(app) == "b"  # and the list caught up


async def test_a_profile_deleted_elsewhere_before_delete_is_said_to_be_gone(doc, tmp_path):
    app = start(doc, tmp_path, {"a": {}, "b": {}})
    seen = record_notifications(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_picker(app, pilot)
        assert user_of(tmp_path).delete_profile("a")
        await pilot.press("delete", "y")
        await pilot.pause()
        assert any("不存在" in m for m, _ in seen) and listed(app) == ["b"]


async def test_the_list_is_read_afresh_when_shown_again(doc, tmp_path):
    app = start(doc, tmp_path, {"a": {}})
    async with app.run_test(size=(100, 30)) as pilot:
        await open_picker(app, pilot)
        assert user_of(tmp_path).save_profile("新客戶", ACME) is None  # the other window
        await pilot.press("f2", "escape")  # a dialog over it and back: shown again
        await pilot.pause()
        assert listed(app) == ["a", "新客戶"]


async def test_the_words_follow_a_language_switch(doc, tmp_path):
    app = start(doc, tmp_path, {"a": ACME})
    async with app.run_test(size=(100, 30)) as pilot:
        await open_picker(app, pilot)
        app.action_toggle_language()  # what F12 does (app keys do not reach a modal screen)
        await pilot.pause()
        assert isinstance(app.screen, ProfilePickerScreen) and app.lang == "en"
        assert "80,000,000 yuan" in "\n".join(screen_lines(app))
        shown = {key.description for key in app.screen.query_one(LocalFooter).query(FooterKey)}
        assert {"Open", "Delete", "Rename", "Cancel"} <= shown


# -- fitting the terminal -------------------------------------------------------------------

LONG_NAME = (
    "一號 杭州某某新材料科技股份有限公司 2024 年度研發費用加計扣除與高新技術企業認定申報方案"
    " (第二版, 含各子公司與分支機構的合併報表口徑)"
)
FULL = {
    "rd_spend": "123456.78",
    "rd_spend_prev": "100000",
    "revenue": "9876543",
    "national_task_funds": "2500",
    "hitech_first": True,
    "little_giant_first": True,
    "design_awards": ["if_gold", "red_dot_best_of_best"],
}


def _ambiguous(text: str) -> set[str]:
    return {ch for ch in text if unicodedata.east_asian_width(ch) == "A"}


@pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize(("script", "lang"), INTERFACES)
async def test_it_fits_the_terminal(doc, tmp_path, size, script, lang):
    width, height = size
    profiles = {LONG_NAME: FULL, **{f"客戶 {n:02d}": {"revenue": str(n)} for n in range(30)}}
    app = start(doc, tmp_path, profiles, script=script, lang=lang)
    async with app.run_test(size=size) as pilot:
        await open_picker(app, pilot, current=LONG_NAME)
        await pilot.pause()
        screen = app.screen
        box = screen.query_one("#picker").region
        assert box.right <= width and box.bottom <= height - 1, "the dialog leaves the footer its row"
        rows = screen_lines(app)
        inside = [from_column(row, box.x, box.width) for row in rows[box.y : box.bottom]]
        profiles_list = screen.query_one(ProfileList)
        top = profiles_list.region.y - box.y
        # The long profile, highlighted and first: its name and its summary each cut with "..."
        name_row, summary_row = inside[top], inside[top + 1]
        assert name_row.strip().startswith("一號 杭州某某") and "..." in name_row
        assert ("7 項" if lang == "zh" and script == "traditional" else "7 ") in name_row
        assert summary_row.rstrip().endswith("...")
        # Every line of every entry within the list's width; nothing ambiguous-width drawn.
        text_width = profiles_list.scrollable_content_region.width
        for option in profiles_list.options:
            for line in str(option.prompt).split("\n"):
                assert cell_len(line) <= text_width, line
                assert not _ambiguous(line), line
        # (Textual's scrollbar glyphs are ambiguous-width too: the app's everywhere, not checked here.)
        footer = rows[-1]
        assert not _ambiguous("\n".join([*inside[:top], footer])), "the title, the filter or the footer"
        # The footer: each key whole, within the width.
        keys = [key for key in screen.query_one(LocalFooter).query(FooterKey) if key.display]
        for key in keys:
            words = f"{key.key_display} {key.description}"
            assert key.region.right <= width and words in footer, (words, footer)
        assert {key.key_display for key in keys} >= {"Enter", "Del", "F2", "Esc"}
        # Moving to the end shows the last profile (the list scrolls).
        await pilot.press("end")
        await pilot.pause()
        assert highlighted(app) == "客戶 29"
        assert "客戶 29" in "\n".join(screen_lines(app))
