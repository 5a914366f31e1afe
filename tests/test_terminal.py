"""The installed app in a real terminal: tmux types (Chinese included) and reads the screen.

Every step waits for what the previous key did to show before the next key is sent. Textual
hands a key to the widget that has the focus when the app takes the key from its queue, while
a key that moves the focus (``/``, Tab) only moves it when it is itself handled a moment
later: a key sent before that lands on the old widget and is lost. And Esc followed at once by
another key reads as Alt+that key. So the test never sends a key on a timer, only once the
screen shows the previous one took effect."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.cells import cell_len

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None and not os.environ.get("HZPOLICY_REQUIRE_TMUX"),
    reason="tmux is not installed (CI installs it and sets HZPOLICY_REQUIRE_TMUX)",
)

POLL = 0.05  # seconds between two looks at the screen


def wait_until(check: Callable[[], object], what: str, timeout: float, describe: Callable[[], str]) -> None:
    """Poll ``check`` until it is true; past ``timeout`` seconds, fail saying what never held."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} never held within {timeout}s; {describe()}")
        time.sleep(POLL)


class Terminal:
    def __init__(self, command: list[str], env: dict[str, str], size=(100, 30)) -> None:
        self.name = f"hz{uuid.uuid4().hex[:8]}"
        # A server of its own (-L): a tmux the user already runs keeps its own sizes and options.
        self.tmux = ["tmux", "-L", self.name, "-f", "/dev/null"]
        env_args = [f"{k}={v}" for k, v in env.items()]
        # COLUMNS and LINES would override the terminal's real size, and a test process can
        # carry them without os.environ showing it (GNU readline exports them): drop both.
        subprocess.run(
            [
                *self.tmux,
                "new-session",
                "-d",
                "-s",
                self.name,
                "-x",
                str(size[0]),
                "-y",
                str(size[1]),
                "env",
                "-u",
                "COLUMNS",
                "-u",
                "LINES",
                *env_args,
                *command,
            ],
            check=True,
        )
        self.socket = subprocess.run(
            [*self.tmux, "display-message", "-p", "#{socket_path}"], capture_output=True, text=True, check=True
        ).stdout.strip()

    def screen(self, styled: bool = False) -> str:
        """The pane's text; ``styled`` keeps the colours and styles (as escape sequences)."""
        return subprocess.run(
            [*self.tmux, "capture-pane", "-t", self.name, "-p", *(["-e"] if styled else [])],
            capture_output=True,
            text=True,
        ).stdout

    def wait_for(self, *texts: str, timeout: float = 30.0) -> str:
        """The screen once every one of ``texts`` is on it at the same time.

        A frame can be captured half drawn, so whatever a step asserts is waited for."""
        return self.wait_until(lambda screen: all(text in screen for text in texts), repr(texts), timeout)

    def wait_until(self, check: Callable[[str], bool], what: str, timeout: float = 30.0) -> str:
        """The screen once ``check(screen)`` holds."""
        seen: list[str] = [""]

        def holds() -> bool:
            seen[0] = self.screen()
            return check(seen[0])

        wait_until(holds, what, timeout, lambda: f"the screen was:\n{self.screen()}")
        return seen[0]

    def row_starting(self, label: str, after: int = -1) -> int:
        """The first row below ``after`` whose text (after its indent) starts with ``label``."""
        rows = self.screen().splitlines()
        for i in range(after + 1, len(rows)):
            if rows[i].lstrip().startswith(label):
                return i
        raise AssertionError(f"no row starts with {label!r}; the screen was:\n" + "\n".join(rows))

    def field_row(self, label: str) -> int:
        """The row of the empty box below the form label ``label``."""
        return self.row_starting("未填", after=self.row_starting(label))

    def looks(self, row: int, marker: str) -> str:
        """How ``row`` is drawn (its text with colours and styles) up to ``marker``: what a
        field looks like, leaving out whatever else shares the row further right."""
        line = self.screen(styled=True).splitlines()[row]
        return line[: line.index(marker)]

    def focus_with(self, key: str, row: int, marker: str, what: str) -> None:
        """Press ``key`` and wait until the field on ``row`` (drawn up to ``marker``) is drawn
        differently: the focused style. Nothing else restyles a field that is not typed in."""
        before = self.looks(row, marker)
        self.keys(key)
        wait_until(
            lambda: self.looks(row, marker) != before,
            f"{what} taking the focus after {key}",
            10,
            lambda: f"the row is still drawn as {before!r}; the screen was:\n{self.screen()}",
        )

    def keys(self, *keys: str) -> None:
        subprocess.run([*self.tmux, "send-keys", "-t", self.name, *keys], check=True)

    def type(self, text: str) -> None:
        subprocess.run([*self.tmux, "send-keys", "-t", self.name, "-l", text], check=True)

    def alive(self) -> bool:
        return subprocess.run([*self.tmux, "has-session", "-t", self.name], capture_output=True).returncode == 0

    def close(self) -> None:
        subprocess.run([*self.tmux, "kill-server"], capture_output=True)
        if self.socket:  # tmux leaves the socket file of a killed server behind
            Path(self.socket).unlink(missing_ok=True)


def column(screen: str, marker: str) -> str:
    """The text of the screen's column that starts where ``marker`` does, lines joined.

    Chinese may break between any two characters, so a word can run over a line end; reading
    the pane as one string checks what it says whatever its width."""
    lines = screen.splitlines()
    start = next(cell_len(line[: line.index(marker)]) for line in lines if marker in line)
    out = []
    for line in lines:
        cells = 0
        for i, ch in enumerate(line):
            if cells >= start:
                out.append(line[i:].strip())
                break
            cells += cell_len(ch)
    return "".join(out)


def left_of(screen: str, marker: str) -> str:
    """The screen's rows (below the title bar, above the footer) up to the column where
    ``marker`` starts: the sidebar beside the pane."""
    lines = screen.splitlines()
    end = next(cell_len(line[: line.index(marker)]) for line in lines if marker in line)
    out = []
    for line in lines[1:-1]:
        cells, kept = 0, ""
        for ch in line:
            cells += cell_len(ch)
            if cells > end:
                break
            kept += ch
        out.append(kept.rstrip())
    return "\n".join(out)


@pytest.fixture
def terminal(installed, tmp_path):
    assert shutil.which("tmux"), "tmux is required here (HZPOLICY_REQUIRE_TMUX is set)"
    env = {"HZPOLICY_DATA_DIR": str(tmp_path / "data"), "TERM": "xterm-256color", "LANG": "C.UTF-8"}
    term = Terminal([str(installed / "hzpolicy-tui")], env)
    yield term
    term.close()


def test_search_in_chinese_open_switch_script_and_quit(terminal):
    # The tree fits long titles to its width ("..."): its first clause, by its first words.
    terminal.wait_for("關於進一步推動經濟高品質發展的若干政策", "(一) 發揮省市重大建設項")
    # "/" focuses the search box on its turn in the queue: type only once it has the focus.
    terminal.focus_with("/", terminal.row_starting("| 搜尋 (/"), "搜", "the search box")
    terminal.type("集成电路")
    screen = terminal.wait_for("2 處符合", "積體電路")
    assert "積體電路" in screen  # the snippet shows the document's own words
    terminal.keys("Enter")

    # The pane, not the results; read whole, as an agency's name may break over a line end.
    def opened(screen: str) -> bool:
        pane = column(screen, "第24條") if "第24條" in screen else ""
        return "(二十四) 落實稅收優惠政策" in screen and "國家稅務總局杭州市稅務局" in pane

    terminal.wait_until(opened, "clause 24 opened in the pane")
    # Esc goes back from the opened result to the list, the query kept: the focus bar moves
    # from the pane's left edge to the sidebar's (the first column). Only then the next Esc,
    # or the two would read as one Alt+Esc.
    terminal.keys("Escape")

    def back_in_the_list(screen: str) -> bool:
        rows = screen.splitlines()
        return len(rows) > 1 and rows[1].startswith("|") and "2 處符合" in screen and "集成电路" in rows[1]

    terminal.wait_until(back_in_the_list, "the focus back in the results, the query kept")
    # Esc again leaves the search: the count goes. Only then "s", or Esc+s would read as Alt+S.
    terminal.keys("Escape")
    terminal.wait_until(lambda screen: "處符合" not in screen and "第24條" in screen, "the search closed")
    terminal.keys("s")

    # The pane read whole, not the tree beside it: Chinese may break inside a word.
    def simplified(screen: str) -> bool:
        pane = column(screen, "第24条") if "第24条" in screen else ""
        return "国家税务总局杭州市税务局" in pane and "集成电路" in pane

    screen = terminal.wait_until(simplified, "the Simplified clause 24")
    assert "积体电路" not in column(screen, "第24条")
    # The calculator, once: F2, then figures typed into the form. The first figure's box has
    # the focus from the first frame on (the screen's AUTO_FOCUS is set before it is drawn).
    terminal.keys("F2")
    terminal.wait_for("补助计算器", "年度研发投入额", "经营规模符合")
    spend = terminal.field_row("年度研发投入额")
    terminal.type("1234.56")
    terminal.wait_until(lambda screen: "1234.56" in screen.splitlines()[spend], "1234.56 in its box")
    # the yes/no above it (经营规模符合…: 是), then on to the next figure. Tab moves the focus
    # on its turn too: each is typed once its field has it.
    scale = terminal.row_starting("< 未填 >", after=terminal.row_starting("经营规模符合"))
    terminal.focus_with("BTab", scale, "未", "经营规模符合")
    terminal.keys("Space")
    terminal.wait_for("< 是 >")
    terminal.focus_with("Tab", spend, "1234.56", "年度研发投入额")
    previous = terminal.field_row("上一年度研发投入额")
    terminal.focus_with("Tab", previous, "未", "上一年度研发投入额")
    terminal.type("1000")
    screen = terminal.wait_for("11.728", "科技型中小企业规模: 研发投入新增额补助")
    assert "1000" in screen.splitlines()[previous]
    terminal.keys("Escape")
    terminal.wait_for("第24条")
    terminal.keys("C-q")
    wait_until(lambda: not terminal.alive(), "the app quitting on Ctrl+Q", 10, terminal.screen)


TRADITIONAL_TITLE = "關於進一步推動經濟高品質發展的若干政策"
SIMPLIFIED_TITLE = "关于进一步推动经济高质量发展的若干政策"


def test_a_restart_shows_the_saved_simplified_from_the_first_screen(installed, tmp_path):
    """F4, quit, start again in the same data folder at 80x24: the first screen is Simplified
    in the title bar, the tree and the pane (the document's page), with no Traditional title
    on any screen seen while it came up."""
    from .test_simplified_output import traditional_in

    env = {"HZPOLICY_DATA_DIR": str(tmp_path / "data"), "TERM": "xterm-256color", "LANG": "C.UTF-8"}
    command = [str(installed / "hzpolicy-tui")]
    first = Terminal(command, env, size=(80, 24))
    try:
        first.wait_for(TRADITIONAL_TITLE, "前言")
        first.keys("F4")
        first.wait_for(SIMPLIFIED_TITLE, "前言", "搜索")
        first.keys("C-q")
        wait_until(lambda: not first.alive(), "the app quitting on Ctrl+Q", 10, first.screen)
    finally:
        first.close()

    again = Terminal(command, env, size=(80, 24))
    try:
        seen: list[str] = []  # every screen captured from the start: none may be Traditional

        def ready(screen: str) -> bool:
            seen.append(screen)
            rows = screen.splitlines()
            return (
                bool(rows)
                and SIMPLIFIED_TITLE in rows[0]
                and "前言" in screen
                and "一、扩大有效投资政策" in screen
                and "F4 繁/简" in screen
            )

        screen = again.wait_until(ready, "the Simplified first screen")
        rows = screen.splitlines()
        assert SIMPLIFIED_TITLE in rows[0]  # the title bar
        tree = left_of(screen, "前言")  # the sidebar, left of the pane (which starts where 前言 does)
        assert "《关于进一步推动经济高质量" in tree and "一、扩大有效投资政策" in tree, tree
        assert "(一) 发挥省市重大建设项" in tree, tree
        pane = column(screen, "前言")
        assert SIMPLIFIED_TITLE in pane and "推动高质量发展" in pane, pane
        for before in seen:
            assert TRADITIONAL_TITLE not in before and "《關於" not in before, f"a Traditional screen:\n{before}"
            # A frame is written from the top: once the pane is there, so is the title bar.
            top = before.splitlines()[0] if before.strip() else ""
            assert "前言" not in before or SIMPLIFIED_TITLE in top, f"a frame without its title bar:\n{before}"
        leaks = traditional_in(screen)
        assert not leaks, "Traditional on the first Simplified screen:\n" + "\n".join(leaks)
    finally:
        again.close()
