"""The installed app in a real terminal: tmux types (Chinese included) and reads the screen."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid

import pytest

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None and not os.environ.get("HZPOLICY_REQUIRE_TMUX"),
    reason="tmux is not installed (CI installs it and sets HZPOLICY_REQUIRE_TMUX)",
)


class Terminal:
    def __init__(self, command: list[str], env: dict[str, str], size=(100, 30)) -> None:
        self.name = f"hz{uuid.uuid4().hex[:8]}"
        env_args = [f"{k}={v}" for k, v in env.items()]
        subprocess.run(
            ["tmux", "new-session", "-d", "-s", self.name, "-x", str(size[0]), "-y", str(size[1]),
             "env", *env_args, *command],
            check=True,
        )

    def screen(self) -> str:
        return subprocess.run(["tmux", "capture-pane", "-t", self.name, "-p"], capture_output=True,
                              text=True).stdout

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{self.screen()}")

    def keys(self, *keys: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True)

    def type(self, text: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, "-l", text], check=True)

    def alive(self) -> bool:
        return subprocess.run(["tmux", "has-session", "-t", self.name], capture_output=True).returncode == 0

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


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
            screen = terminal.wait_for("2 條符合", timeout=5 + 5 * attempt)
            break
        except AssertionError:
            if attempt == 2:
                raise
    assert "積體電路" in screen  # the snippet shows the document's own words
    terminal.keys("Enter")
    screen = terminal.wait_for("第24條")  # the detail pane, not the result list
    assert "國家稅務總局杭州市稅務局" in screen and "(二十四) 落實稅收優惠政策" in screen
    terminal.keys("Escape")
    time.sleep(0.5)
    terminal.keys("s")
    screen = terminal.wait_for("第24条")
    assert "集成电路" in screen and "积体电路" not in screen
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
    screen = terminal.wait_for("11.728")
    assert "科技型中小企业规模: 研发投入新增额补助" in screen
    terminal.keys("Escape")
    terminal.wait_for("第24条")
    terminal.keys("C-q")
    deadline = time.monotonic() + 10
    while terminal.alive() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not terminal.alive(), "the app did not quit on Ctrl+Q"
