"""The export dialog (Pilot): a default name that says what and when, in the current folder;
Enter on a file that is there asks first (No keeps it and selects its name to edit, Yes
replaces it keeping its permissions); every refusal said in the dialog, which stays open;
the four formats; the document's overview with its budget chart."""

from __future__ import annotations

import json
import os
import stat
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from textual.widgets import Button, Input, Static

from hzpolicy.screens.dialogs import ExportScreen, ExportSource, ReplaceScreen
from hzpolicy.widgets.choice import Choice

from .conftest import make_app, record_notifications

OLD = "the reader's own file\n"
POSIX = os.name == "posix"
WHEN = datetime(2026, 11, 28, 18, 5)


@pytest.fixture
def here(tmp_path, monkeypatch) -> Path:
    """The current folder, where the dialog proposes to write: the test's own."""
    folder = tmp_path / "here"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def _mine(folder: Path, name: str = "mine.md", mode: int = 0o600) -> Path:
    path = folder / name
    path.write_text(OLD, encoding="utf-8")
    path.chmod(mode)
    return path


async def _open_export(app, pilot, clause: int = 14) -> ExportScreen:
    app.screen.open_clause(clause)
    await pilot.pause()
    await pilot.press("ctrl+e")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, ExportScreen)
    return screen


def _box(screen: ExportScreen) -> Input:
    return screen.query_one("#export-path", Input)


def _error(screen: ExportScreen) -> str:
    return " ".join(str(screen.query_one("#export-error", Static).render()).split())


async def _submit(pilot, screen: ExportScreen, path: Path | str) -> None:
    box = _box(screen)
    box.value = str(path)
    box.focus()
    await pilot.press("enter")
    await pilot.pause()


async def test_the_default_path_is_here_and_says_what_and_when(doc, tmp_path, here):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open_export(app, pilot)
        path = Path(_box(screen).value)
        assert path.parent == here and path.name.startswith("hzpolicy-clause-14-") and path.suffix == ".md"
        stamp = path.stem.removeprefix("hzpolicy-clause-14-")
        assert datetime.strptime(stamp, "%Y%m%d-%H%M")  # the date and the time, to the minute
        screen.query_one("#export-format", Choice).value = "html"
        await pilot.pause()
        assert Path(_box(screen).value).suffix == ".html"
        formats = [value for _, value in screen.query_one("#export-format", Choice).options[1:]]
        assert formats == ["md", "csv", "json", "html"]
        # a path typed by the reader is theirs: only its ending follows the format
        _box(screen).value = str(here / "notes.html")
        screen.query_one("#export-format", Choice).value = "csv"
        await pilot.pause()
        assert _box(screen).value == str(here / "notes.csv")
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, ExportScreen)
        assert (here / "notes.csv").read_bytes().startswith(b"\xef\xbb\xbf")


async def test_two_exports_a_minute_apart_get_different_names(doc, tmp_path, here):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        main = app.screen
        names = []
        for when in (WHEN, WHEN + timedelta(minutes=1)):
            screen = ExportScreen(main.export_sources(), now=lambda when=when: when)
            await app.push_screen(screen)
            await pilot.pause()
            names.append(Path(_box(screen).value).name)
            await pilot.press("enter")
            await pilot.pause()
            assert not isinstance(app.screen, ExportScreen)
        assert names == ["hzpolicy-overview-20261128-1805.md", "hzpolicy-overview-20261128-1806.md"]
        assert sorted(p.name for p in here.iterdir()) == sorted(names)


async def test_an_existing_file_asks_and_no_keeps_it(doc, tmp_path, here):
    mine = _mine(here)
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open_export(app, pilot)
        await _submit(pilot, screen, mine)
        ask = app.screen
        assert isinstance(ask, ReplaceScreen)
        words = " ".join(str(s.render()) for s in ask.query(Static))
        assert "要取代 mine.md 嗎?" in words and str(here) in words
        assert app.focused is ask.query_one("#replace-no", Button)  # No is the default
        await pilot.press("enter")  # Enter presses No
        await pilot.pause()
        assert app.screen is screen and mine.read_text(encoding="utf-8") == OLD
        await pilot.pause()
        box = _box(screen)
        assert app.focused is box and box.selected_text == "mine"  # the name, to type another
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReplaceScreen)
        await pilot.press("escape")  # Esc is No too
        await pilot.pause()
        assert app.screen is screen and mine.read_text(encoding="utf-8") == OLD
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is screen and mine.read_text(encoding="utf-8") == OLD


@pytest.mark.parametrize("key", ["y", "button"])
async def test_an_existing_file_is_replaced_on_yes_keeping_its_permissions(doc, tmp_path, here, key):
    mine = _mine(here, "mine.json", 0o600)
    app = make_app(doc, tmp_path)
    seen = record_notifications(app)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open_export(app, pilot)
        screen.query_one("#export-format", Choice).value = "json"
        await pilot.pause()
        await _submit(pilot, screen, mine)
        assert isinstance(app.screen, ReplaceScreen)
        if key == "y":
            await pilot.press("y")
        else:
            await pilot.click("#replace-yes")
        await pilot.pause()
        assert not isinstance(app.screen, (ReplaceScreen, ExportScreen))
    assert json.loads(mine.read_text(encoding="utf-8"))["records"][0]["clause"] == 14
    if POSIX:
        assert stat.S_IMODE(mine.stat().st_mode) == 0o600
    assert any(m == f"已匯出到 {mine}" for m, _ in seen)


def _targets(here: Path) -> dict[str, tuple[Path, str]]:
    """Refused paths, and what the dialog says of each (in Traditional, the default)."""
    cases = {"a missing folder": (here / "nonexistent" / "dir" / "x.md", "不存在 (不會自動建立)")}
    folder = here / "folder"
    folder.mkdir()
    cases["a folder"] = (folder, "它不是一般檔案")
    if POSIX:
        link = here / "link.md"
        link.symlink_to(_mine(here, "target.md"))
        cases["a link"] = (link, "它是符號連結")
        cases["a read-only file"] = (_mine(here, "ro.md", 0o444), "唯讀")
        pipe = here / "pipe"
        os.mkfifo(pipe)
        cases["a fifo"] = (pipe, "它不是一般檔案")
        cases["/dev/null"] = (Path("/dev/null"), "它不是一般檔案")
    return cases


async def test_every_refusal_is_said_in_the_dialog_and_nothing_changes(doc, tmp_path, here):
    cases = _targets(here)
    before = {p: os.lstat(p) for p, _ in cases.values() if os.path.lexists(p)}
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open_export(app, pilot)
        for name, (path, words) in cases.items():
            await _submit(pilot, screen, path)
            assert app.screen is screen, f"{name}: the dialog closed or asked"
            said = _error(screen)
            assert said.startswith(f"無法寫入 {path}: ") and words in said, (name, said)
    assert not (here / "nonexistent").exists()
    for path, info in before.items():
        after = os.lstat(path)
        assert (after.st_ino, after.st_mode) == (info.st_ino, info.st_mode), path
    assert (here / "target.md").read_text(encoding="utf-8") == OLD if POSIX else True


async def test_the_document_page_offers_its_overview_with_the_budget_chart(doc, tmp_path, here):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+e")  # the app opens on the document's page
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        assert next(iter(screen.sources)) == "overview"
        assert screen.sources["overview"].label == "政策文件概覽 (預算)"
        screen.query_one("#export-format", Choice).value = "html"
        await pilot.pause()
        path = Path(_box(screen).value)
        assert path.name.startswith("hzpolicy-overview-") and path.suffix == ".html"
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, ExportScreen)
    page = path.read_text(encoding="utf-8")
    assert '<figure class="chart">' in page and "各領域市級財政預算" in page
    assert page.count('<span class="bar"') == 8 and 'style="width: 100.0%"' in page  # 177.1億元, the largest


async def test_a_domain_and_the_search_give_their_own_names(doc, tmp_path, here):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        app.screen.open_target(("domain", 2))
        await pilot.pause()
        sources = app.screen.export_sources()
        assert list(sources) == ["domain", "bookmarks"] and sources["domain"].stem == "domain-2"
        assert sources["domain"].label == "這個領域 (二)" and sources["bookmarks"].stem == "bookmarks"
        records, _, _ = sources["domain"].build()
        assert records[0]["domain"] == 2 and records[0].page.target == ("domain", 2)
        await pilot.press("slash", *"集成电路")
        await pilot.pause()
        sources = app.screen.export_sources()  # in the search box: the results first, then the previewed clause
        assert [s.stem for s in sources.values()] == ["search-集成电路", "clause-24", "bookmarks"]
        await pilot.press("enter")  # the first result opened: reading its page, the page first
        await pilot.pause()
        sources = app.screen.export_sources()
        assert [s.stem for s in sources.values()] == ["clause-24", "search-集成电路", "bookmarks"]


async def test_a_plain_label_and_function_pair_is_still_a_source(doc, tmp_path, here):
    """What the calculator passed before ExportSource had a name for the file: still works."""
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        main = app.screen
        source = main.export_sources()["bookmarks"]
        screen = ExportScreen({"old": (source.label, source.build)}, now=lambda: WHEN)
        await app.push_screen(screen)
        await pilot.pause()
        assert screen.sources["old"] == ExportSource(source.label, source.build, "export")
        assert Path(_box(screen).value).name == "hzpolicy-export-20261128-1805.md"


async def test_the_format_last_used_is_offered_first_next_time(doc, tmp_path, here):
    app = make_app(doc, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_export(app, pilot)
        assert screen.query_one("#export-format", Choice).value == "md"
        screen.query_one("#export-format", Choice).value = "html"
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, ExportScreen)
        again = await _open_export(app, pilot)
        assert again.query_one("#export-format", Choice).value == "html"
        assert _box(again).value.endswith(".html")
        assert _box(again).region.width >= 70  # room for a dated name in a usual folder at 80 columns
