"""Simplified output never leaks Traditional: every surface a Simplified reader is shown, run
through OpenCC's t2s, comes back unchanged.

The document's own Simplified text is made by the same conversion, so it passes; a failure is
either an interface word (a catalog entry) or a piece of the document shown without going
through the reader's script (``loc.doc``, ``title_in``...). The message names the characters
and where they sit, to tell which."""

from __future__ import annotations

import difflib
import json
import re

import opencc
import pytest
from textual.widgets import Input, OptionList, Static

from hzpolicy.__main__ import run
from hzpolicy.core.userdata import UserData
from hzpolicy.screens.help import HelpScreen
from hzpolicy.widgets.clause_tree import ClauseTree
from hzpolicy.widgets.clause_view import ClauseView

from .conftest import make_app, record_notifications
from .test_reading import screen_lines

T2S = opencc.OpenCC("t2s")
HAN = re.compile(r"[\u4e00-\u9fff]")


def traditional_in(text: str) -> list[str]:
    """Each piece of ``text`` that t2s changes, as 'piece -> converted' with a few characters
    around it; empty when the text is Simplified throughout."""
    converted = T2S.convert(text)
    if converted == text:
        return []
    out = []
    matcher = difflib.SequenceMatcher(None, text, converted, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            around = text[max(i1 - 8, 0) : i2 + 8].replace("\n", " ")
            out.append(f"{text[i1:i2]!r} -> {converted[j1:j2]!r} in ...{around}...")
    return out


def assert_simplified(text: str, where: str) -> None:
    assert HAN.search(text), f"{where}: no Chinese at all, so nothing was checked:\n{text[:300]}"
    leaks = traditional_in(text)
    assert not leaks, f"Traditional in the Simplified {where}:\n  " + "\n  ".join(leaks)


def test_the_check_catches_traditional():
    """The check itself: it flags a Traditional-only character, the document's 産 included,
    and passes the mainland words the Simplified view uses."""
    assert traditional_in("关于进一步推动经济高质量发展的若干政策") == []
    assert traditional_in("五大产业生态圈 集成电路 软件 支持") == []
    assert traditional_in("五大産业")  # U+7523, as the source writes 产业
    assert traditional_in("研發投入补助")[0].startswith("'發' -> '发'")


# --- the explorer -------------------------------------------------------------------------------


def simplified_app(doc, tmp_path):
    user = UserData(tmp_path / "user.sqlite3")
    assert user.set("script", "simplified") is None
    return make_app(doc, tmp_path)


def pane_text(app) -> str:
    view = app.screen.query_one(ClauseView)
    return "\n".join(line.plain for line in view.lines_for(view.content_region.width))


def screen_text(app) -> str:
    return "\n".join(screen_lines(app))


@pytest.mark.parametrize("size", [(80, 24)], ids=lambda s: f"{s[0]}x{s[1]}")  # the laptop's; 120x36 in test_reading
async def test_the_explorer_in_simplified_shows_no_traditional(doc, tmp_path, size):
    app = simplified_app(doc, tmp_path)
    seen = record_notifications(app)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = app.screen
        # The document page as the reader first sees it: title bar, tree, pane and footer.
        assert screen.query_one(ClauseView).target == ("document", 0)
        assert_simplified(screen_text(app), "first screen (document page)")
        assert_simplified(pane_text(app), "document page")
        # Every node of the tree, not only those on screen.
        tree = screen.query_one(ClauseTree)
        labels = [str(tree.root.children[0].label)]
        for domain in tree.root.children[1:]:
            labels.append(str(domain.label))
            labels += [str(leaf.label) for leaf in domain.children]
        assert len(labels) == 1 + len(doc.domains) + len(doc.clauses)
        assert_simplified("\n".join(labels), "tree")
        # Every domain's page and every clause's page (their lines, laid out at the pane's
        # width; one frame is drawn at the end, not one for each).
        for d in doc.domains:
            screen.show_target(("domain", d.number))
            assert_simplified(pane_text(app), f"page of domain {d.number}")
        for c in doc.clauses:
            screen.show_clause(c.number)
            assert_simplified(pane_text(app), f"page of clause {c.number}")
        await pilot.pause()
        assert_simplified(screen_text(app), "screen of the last clause")

        # Search: the count, every result (not only those on screen), the preview.
        await pilot.press("slash", *"研发 补助")
        await pilot.pause()
        results = screen.query_one("#results", OptionList)
        assert results.option_count >= 3
        shown = [str(screen.query_one("#count", Static).render())]
        shown += [str(results.get_option_at_index(i).prompt) for i in range(results.option_count)]
        assert_simplified("\n".join(shown), "search results")
        assert_simplified(screen_text(app), "screen with search results")
        # Words run together, found piece by piece: its own message.
        search = screen.query_one("#search", Input)
        search.value = "研发补助集成电路"
        await pilot.pause()
        assert_simplified(str(screen.query_one("#count", Static).render()), "relaxed search count")
        search.value = "没有这个词语"
        await pilot.pause()
        assert_simplified(screen_text(app), "screen of a search with no result")
        await pilot.press("escape")
        await pilot.pause()

        # A clause's keys: bookmark, copy, the note and export dialogs, and their messages.
        screen.open_clause(14)
        await pilot.pause()
        await pilot.press("f7", "f5")
        await pilot.pause()
        assert_simplified(pane_text(app), "bookmarked clause 14")
        await pilot.press("f9")
        await pilot.pause()
        assert_simplified(screen_text(app), "note dialog")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert_simplified(screen_text(app), "export dialog")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        help_text = "\n".join(str(s.render()) for s in app.screen.query(Static))
        assert_simplified(help_text, "help screen (all of it)")
        assert_simplified(screen_text(app), "help screen")
        await pilot.press("escape")
        await pilot.pause()
        assert seen, "no message was shown: bookmarking and copying should say so"
        assert_simplified("\n".join(message for message, _ in seen), "notifications")


# --- the command line ---------------------------------------------------------------------------

COMMANDS = [
    ["list"],
    ["list", "--json"],
    ["show", "1"],
    ["show", "14"],
    ["show", "二十四"],
    ["show", "76"],
    ["search", "研发 补助"],
    ["search", "研发补助集成电路"],
    ["search", "没有这个词语"],
    ["search", "研发", "--json"],
    ["agencies"],
    ["agencies", "--json"],
    ["overview"],
    ["overview", "--json"],
    ["export", "clause", "14"],
    ["export", "clause", "14", "--format", "csv"],
    ["export", "clause", "14", "--format", "json"],
    ["export", "search", "研发"],
    ["export", "search", "研发", "--format", "csv"],
    ["export", "search", "研发", "--format", "json"],
    ["export", "bookmarks"],
    ["export", "bookmarks", "--format", "json"],
    ["--help"],
    ["show", "--help"],
]


def cli(argv: list[str]) -> int:
    """The command line's exit status (``--help`` ends through argparse's SystemExit)."""
    try:
        return run(argv)
    except SystemExit as exit:
        return int(exit.code or 0)


@pytest.mark.parametrize("argv", COMMANDS, ids=" ".join)
def test_the_command_line_in_simplified_prints_no_traditional(argv, capsys):
    assert run(["bookmarks", "add", "14", "--script", "simplified"]) == 0  # something to export
    assert run(["notes", "set", "14", "核对研发投入台账", "--script", "simplified"]) == 0
    capsys.readouterr()
    code = cli([*argv, "--script", "simplified"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert_simplified(out + err, " ".join(argv))


def test_show_json_gives_the_reader_s_script_under_shown(capsys):
    """``show --json`` gives the stored fields in both scripts on purpose; what the reader's
    script shows is under ``shown``."""
    assert run(["show", "14", "--json", "--script", "simplified"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert_simplified(json.dumps(record["shown"], ensure_ascii=False), "show --json: shown")


@pytest.mark.parametrize(
    "argv", [["show", "99"], ["search", "研发", "--limit", "0"], ["export", "clause"]], ids=" ".join
)
def test_the_command_line_s_errors_in_simplified(argv, capsys):
    code = cli([*argv, "--script", "simplified"])
    out, err = capsys.readouterr()
    assert code == 2, (out, err)
    assert_simplified(err, "error of " + " ".join(argv))
