"""Copy says what really happened (:mod:`hzpolicy.core.clipboard`): the system clipboard
(read back), tmux's paste buffer (a real private tmux server), or only the terminal (OSC 52),
which nothing confirms; each way within a time limit; and the app's words for each."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import uuid

import pytest

from hzpolicy.core.clipboard import ClipboardError, Copied, CopyOutcome, copy_text, system_clipboard, tmux_buffer

from .conftest import make_app, record_notifications

TEXT = "(十四) 更大力度實施企業研發投入補助政策\n研发 200万元\n"


def _no_system(text: str, timeout: float) -> str:
    raise ClipboardError("Pyperclip could not find a copy/paste mechanism for your system")


def _no_program(argv, data, timeout, env):  # a runner that must not be reached
    raise AssertionError(f"ran {argv}")


# --- core -----------------------------------------------------------------------------------------


def test_the_system_clipboard_first():
    seen = []

    def system(text: str, timeout: float) -> str:
        seen.append((text, timeout))
        return "xclip"

    copied = copy_text(TEXT, env={"TMUX": "/tmp/x,1,0"}, system=system, run=_no_program, timeout=1.5)
    assert copied == Copied(CopyOutcome.SYSTEM, "xclip") and seen == [(TEXT, 1.5)]


def test_outside_tmux_without_a_system_clipboard_it_is_the_terminal():
    copied = copy_text(TEXT, env={}, system=_no_system, run=_no_program)
    assert copied.outcome is CopyOutcome.TERMINAL and "copy/paste mechanism" in copied.detail


class _Pyperclip:
    """pyperclip's determine_clipboard(): a copy and a paste function."""

    def __init__(self, keeps: bool = True, hang: threading.Event | None = None) -> None:
        self.held = ""
        self.keeps = keeps
        self.hang = hang

    def determine_clipboard(self):
        def copy_fake(text):
            if self.hang is not None:
                self.hang.wait(10)
            if self.keeps:
                self.held = text

        def paste_fake():
            return self.held

        return copy_fake, paste_fake


def test_pyperclip_is_read_back_before_copied_is_said(monkeypatch):
    import pyperclip

    fake = _Pyperclip()
    monkeypatch.setattr(pyperclip, "determine_clipboard", fake.determine_clipboard)
    assert system_clipboard(TEXT) == "fake" and fake.held == TEXT
    monkeypatch.setattr(pyperclip, "determine_clipboard", _Pyperclip(keeps=False).determine_clipboard)
    with pytest.raises(ClipboardError, match="does not hold the text"):  # xclip with no X server: silent
        system_clipboard(TEXT)


def test_a_clipboard_program_that_hangs_is_given_up_on(monkeypatch):
    import pyperclip

    release = threading.Event()
    monkeypatch.setattr(pyperclip, "determine_clipboard", _Pyperclip(hang=release).determine_clipboard)
    try:
        with pytest.raises(ClipboardError, match=r"no answer within 0\.2 s"):
            system_clipboard(TEXT, timeout=0.2)
    finally:
        release.set()


def test_pyperclip_without_a_mechanism_is_a_clipboard_error(monkeypatch):
    import pyperclip

    def nothing():
        return pyperclip.init_no_clipboard()

    monkeypatch.setattr(pyperclip, "determine_clipboard", nothing)
    with pytest.raises(ClipboardError, match="could not find a copy/paste mechanism"):
        system_clipboard(TEXT)


def test_an_old_tmux_without_w_is_asked_without_it():
    calls = []

    def run(argv, data, timeout, env):
        calls.append(list(argv))
        return (1, "unknown flag -w") if "-w" in argv else (0, "")

    copied = copy_text(TEXT, env={"TMUX": "/tmp/s,1,0"}, system=_no_system, run=run)
    assert copied == Copied(CopyOutcome.TMUX, "tmux")
    assert calls == [["tmux", "load-buffer", "-w", "-"], ["tmux", "load-buffer", "-"]]


@pytest.mark.parametrize(
    ("error", "said"),
    [
        (subprocess.TimeoutExpired(["tmux"], 2.0), "tmux: no answer within 2 s"),
        (FileNotFoundError(2, "No such file or directory"), "tmux: No such file or directory"),
    ],
)
def test_a_tmux_that_hangs_or_is_missing_leaves_the_terminal(error, said):
    def run(argv, data, timeout, env):
        raise error

    copied = copy_text(TEXT, env={"TMUX": "/tmp/s,1,0"}, system=_no_system, run=run)
    assert copied.outcome is CopyOutcome.TERMINAL and said in copied.detail
    with pytest.raises(ClipboardError):
        tmux_buffer(TEXT, {"TMUX": "/tmp/s,1,0"}, run)


@pytest.fixture
def tmux_server():
    """A private tmux server (``tmux -L``), as if the app ran inside it: its TMUX value."""
    if shutil.which("tmux") is None:
        if os.environ.get("HZPOLICY_REQUIRE_TMUX"):
            pytest.fail("tmux is required here and missing")
        pytest.skip("tmux is not installed")
    name = f"exptest-{uuid.uuid4().hex[:8]}"
    tmux = ["tmux", "-L", name, "-f", "/dev/null"]
    subprocess.run([*tmux, "new-session", "-d", "-s", name, "-x", "80", "-y", "24"], check=True, timeout=10)
    try:
        socket = subprocess.run(
            [*tmux, "display-message", "-p", "#{socket_path},#{pid},0"],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
        yield tmux, socket
    finally:
        subprocess.run([*tmux, "kill-server"], check=False, timeout=10)


def test_pyperclip_failing_in_tmux_fills_tmuxs_paste_buffer(tmux_server):
    tmux, socket = tmux_server
    env = {**os.environ, "TMUX": socket}
    copied = copy_text(TEXT, env=env, system=_no_system)  # the real tmux load-buffer
    assert copied == Copied(CopyOutcome.TMUX, "tmux")
    held = subprocess.run([*tmux, "show-buffer"], capture_output=True, check=True, timeout=10).stdout
    assert held.decode("utf-8") == TEXT


# --- the app's words ------------------------------------------------------------------------------

WORDS = {
    CopyOutcome.SYSTEM: ("已複製 (十四) 更大力度實施企業研發投入補助政策 到剪貼簿", "information"),
    CopyOutcome.TMUX: ("tmux 的貼上緩衝區 (前綴鍵 + ] 貼上)", "information"),
    CopyOutcome.TERMINAL: (
        "(OSC 52): 只有允許 OSC 52 的終端機會收下, 這裡無法確認是否成功。Ctrl+E 可存成檔案。",
        "warning",
    ),
}


async def _copy_with(app, pilot, copier) -> None:
    app.screen.copier = copier
    app.screen.open_clause(14)
    await pilot.pause()
    await pilot.press("c")
    await app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("outcome", list(CopyOutcome), ids=lambda o: o.value)
async def test_the_app_says_where_the_copy_went(doc, tmp_path, outcome):
    app = make_app(doc, tmp_path)
    seen = record_notifications(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await _copy_with(app, pilot, lambda text: Copied(outcome, "test"))
        assert app.clipboard.startswith("(十四) 更大力度實施企業研發投入補助政策\n")  # pasting in the app
    words, severity = WORDS[outcome]
    said = [(m, s) for m, s in seen if words in m]
    assert len(said) == 1 and said[0][1] == severity, seen
    if outcome is not CopyOutcome.SYSTEM:
        assert not any("剪貼簿" in m and "已複製" in m for m, _ in seen)  # never "copied" to it when it was not


async def test_the_app_in_english_without_any_clipboard(doc, tmp_path):
    app = make_app(doc, tmp_path)
    app.lang = "en"
    seen = record_notifications(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await _copy_with(app, pilot, lambda text: copy_text(text, env={}, system=_no_system, run=_no_program))
    (message,) = [m for m, _ in seen if "OSC 52" in m]
    assert message.startswith("Sent (十四) ") and "nothing here can confirm it. Ctrl+E saves it to a file." in message


async def test_copying_never_holds_up_the_keys(doc, tmp_path):
    """A clipboard program that takes its time runs in a thread: keys still work meanwhile."""
    release = threading.Event()
    started = threading.Event()

    def slow(text: str) -> Copied:
        started.set()
        release.wait(10)
        return Copied(CopyOutcome.SYSTEM, "slow")

    app = make_app(doc, tmp_path)
    seen = record_notifications(app)
    async with app.run_test(size=(100, 30)) as pilot:
        app.screen.copier = slow
        app.screen.open_clause(14)
        await pilot.pause()
        await pilot.press("c")
        assert started.wait(5)
        await pilot.press("f4")  # the script changes while the copy waits
        await pilot.pause()
        assert app.script == "simplified" and not any("复制" in m or "複製" in m for m, _ in seen)
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert any("已复制" in m for m, _ in seen)
