"""The installed app in a real terminal: tmux types (Chinese included) and reads the screen."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid

import pytest
from rich.cells import cell_len

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None and not os.environ.get("HZPOLICY_REQUIRE_TMUX"),
    reason="tmux is not installed (CI installs it and sets HZPOLICY_REQUIRE_TMUX)",
)


class Terminal:
    def __init__(self, command: list[str], env: dict[str, str], size=(100, 30)) -> None:
        self.name = f"hz{uuid.uuid4().hex[:8]}"
        # A server of its own: a tmux the user already runs keeps its own sizes and options.
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

    def screen(self) -> str:
        return subprocess.run(
            [*self.tmux, "capture-pane", "-t", self.name, "-p"], capture_output=True, text=True
        ).stdout

    def wait_for(self, *texts: str, timeout: float = 30.0) -> str:
        """The screen once every one of ``texts`` is on it at the same time.

        A frame can be captured half drawn, so whatever a step asserts is waited for."""
        return self.wait_until(lambda screen: all(text in screen for text in texts), repr(texts), timeout)

    def wait_until(self, check, what: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if check(screen):
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{what} never held; the screen was:\n{self.screen()}")

    def keys(self, *keys: str) -> None:
        subprocess.run([*self.tmux, "send-keys", "-t", self.name, *keys], check=True)

    def type(self, text: str) -> None:
        subprocess.run([*self.tmux, "send-keys", "-t", self.name, "-l", text], check=True)

    def alive(self) -> bool:
        return subprocess.run([*self.tmux, "has-session", "-t", self.name], capture_output=True).returncode == 0

    def close(self) -> None:
        subprocess.run([*self.tmux, "kill-server"], capture_output=True)


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


@pytest.fixture
def terminal(installed, tmp_path):
    assert shutil.which("tmux"), "tmux is required here (HZPOLICY_REQUIRE_TMUX is set)"
    env = {"HZPOLICY_DATA_DIR": str(tmp_path / "data"), "TERM": "xterm-256color", "LANG": "C.UTF-8"}
    term = Terminal([str(installed / "hzpolicy-tui")], env)
    yield term
    term.close()


def test_search_in_chinese_open_switch_script_and_quit(terminal):
    terminal.wait_for("關於進一步推動經濟高品質發展的若干政策")
    terminal.wait_for("(一) 發揮省市重大建設項目帶動支撐作用")
    # Keys sent while the app is still starting can be lost, as a person's would be: retry.
    for attempt in range(3):
        time.sleep(0.5)
        if attempt:
            terminal.keys("Escape")  # alone: ESC followed at once by "/" reads as Alt+/
            time.sleep(0.5)
        terminal.keys("/")
        terminal.type("集成电路")
        try:
            screen = terminal.wait_for("2 條符合", "積體電路", timeout=5 + 5 * attempt)
            break
        except AssertionError:
            if attempt == 2:
                raise
    assert "積體電路" in screen  # the snippet shows the document's own words
    terminal.keys("Enter")
    screen = terminal.wait_for("第24條", "(二十四) 落實稅收優惠政策")  # the pane, not the results
    assert "國家稅務總局杭州市稅務局" in screen and "(二十四) 落實稅收優惠政策" in screen
    terminal.keys("Escape")
    time.sleep(0.5)
    terminal.keys("s")

    # The pane read whole, not the tree beside it: Chinese may break inside a word.
    def simplified(screen: str) -> bool:
        pane = column(screen, "第24条") if "第24条" in screen else ""
        return "国家税务总局杭州市税务局" in pane and "集成电路" in pane

    screen = terminal.wait_until(simplified, "the Simplified clause 24")
    assert "积体电路" not in column(screen, "第24条")
    # The calculator, once: F2, then figures typed into the form.
    terminal.keys("F2")
    terminal.wait_for("补助计算器")
    time.sleep(0.5)
    terminal.keys("Space")  # the first fact has the focus: 经营规模符合…: 是
    time.sleep(0.3)
    terminal.keys("Tab")
    time.sleep(0.3)
    terminal.type("1234.56")
    time.sleep(0.3)
    terminal.keys("Tab")
    time.sleep(0.3)
    terminal.type("1000")
    screen = terminal.wait_for("11.728", "科技型中小企业规模: 研发投入新增额补助")
    assert "234.56 × 5% = 11.728" in screen, screen
    terminal.keys("Escape")
    terminal.wait_for("第24条")
    terminal.keys("C-q")
    deadline = time.monotonic() + 10
    while terminal.alive() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not terminal.alive(), "the app did not quit on Ctrl+Q"
