"""Copying text, and saying truly where it went.

A terminal program has three ways to a clipboard, tried in this order by :func:`copy_text`:

1. the system's clipboard, through pyperclip (wl-copy, xclip, xsel, pbcopy, clip.exe...),
   read back afterwards, so "copied" is said only when the clipboard holds the text;
2. inside tmux, tmux's paste buffer (``tmux load-buffer -w -``: tmux also hands it to the
   outer terminal's clipboard where it is allowed to);
3. otherwise the terminal itself, by the OSC 52 escape sequence, which the caller sends (the
   app does it through Textual). Many terminals ignore it, and tmux drops it by default; no
   answer comes back, so nothing can confirm it.

The outcome is a :class:`Copied` (a :class:`CopyOutcome` and a detail); the screen words it.
Each way is injectable (``system``, ``run``, ``env``), so tests need no real clipboard, and
each has a time limit: a clipboard program that hangs never holds up the caller for long.
"""

from __future__ import annotations

import os
import queue
import subprocess
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import TypeVar, cast

TIMEOUT_S = 2.0  # for each way: a clipboard program answers in milliseconds, or not at all

T = TypeVar("T")


class CopyOutcome(Enum):
    SYSTEM = "system"  # the system clipboard holds the text (read back)
    TMUX = "tmux"  # tmux's paste buffer holds it (prefix + ] pastes it)
    TERMINAL = "terminal"  # neither: send it to the terminal (OSC 52), unconfirmed


@dataclass(frozen=True)
class Copied:
    """What became of a copy. ``detail``: for SYSTEM the way (xclip, wl...), for TMUX
    "tmux", for TERMINAL why the other ways failed (English, for a log, not the reader)."""

    outcome: CopyOutcome
    detail: str = ""


class ClipboardError(RuntimeError):
    """A way to the clipboard that did not work (no such program, it failed, it hung, or
    the clipboard did not hold the text afterwards)."""


# Puts text on the system clipboard within a time limit and returns the way's name; raises
# ClipboardError.
SystemCopier = Callable[[str, float], str]
# Runs a program with bytes on its standard input, within a time limit, in an environment;
# returns its exit status and what it wrote to standard error. May raise OSError or
# subprocess.TimeoutExpired.
Runner = Callable[[Sequence[str], bytes, float, Mapping[str, str]], tuple[int, str]]


def _within(timeout: float, fn: Callable[[], T]) -> T:
    """``fn()`` in a daemon thread, waited for at most ``timeout`` seconds (pyperclip's
    programs have no time limit of their own; a daemon thread left hanging does not keep the
    program from ending)."""
    answer: queue.Queue[tuple[bool, object]] = queue.Queue(maxsize=1)

    def run() -> None:
        try:
            answer.put((True, fn()))
        except (RuntimeError, OSError, ValueError) as exc:  # pyperclip's and ours, its programs', decoding
            answer.put((False, exc))

    threading.Thread(target=run, name="clipboard", daemon=True).start()
    try:
        ok, value = answer.get(timeout=timeout)
    except queue.Empty:
        raise ClipboardError(f"no answer within {timeout:g} s") from None
    if not ok:
        raise ClipboardError(str(value) or type(value).__name__)
    return cast("T", value)


def _same(a: str, b: str) -> bool:
    """The clipboard's text is ours (clipboards may change line ends or drop a final one)."""
    return a.replace("\r\n", "\n").rstrip("\n") == b.replace("\r\n", "\n").rstrip("\n")


def system_clipboard(text: str, timeout: float = TIMEOUT_S) -> str:
    """Copy through pyperclip's way for this system, then read it back (each step within
    ``timeout``: reading back can be slow, PowerShell's on WSL); the way's name."""
    import pyperclip  # only when copying: the app starts without it

    put, get = _within(timeout, pyperclip.determine_clipboard)
    way = str(getattr(put, "__name__", type(put).__name__)).removeprefix("copy_")
    _within(timeout, lambda: put(text))
    if not _same(str(_within(timeout, get)), text):
        raise ClipboardError(f"{way}: the clipboard does not hold the text afterwards")
    return way


def run_program(argv: Sequence[str], data: bytes, timeout: float, env: Mapping[str, str]) -> tuple[int, str]:
    """Run ``argv`` with ``data`` on its standard input; (exit status, standard error)."""
    done = subprocess.run(list(argv), input=data, capture_output=True, timeout=timeout, env=dict(env), check=False)
    return done.returncode, done.stderr.decode("utf-8", "replace").strip()


def tmux_buffer(text: str, env: Mapping[str, str], run: Runner = run_program, timeout: float = TIMEOUT_S) -> None:
    """Put ``text`` in tmux's paste buffer; ``-w`` (tmux 3.2 and later) also offers it to the
    outer terminal's clipboard. An older tmux that does not know ``-w`` is asked without."""
    data = text.encode("utf-8")
    problem = ""
    for argv in (["tmux", "load-buffer", "-w", "-"], ["tmux", "load-buffer", "-"]):
        try:
            code, problem = run(argv, data, timeout, env)
        except subprocess.TimeoutExpired:
            raise ClipboardError(f"tmux: no answer within {timeout:g} s") from None
        except OSError as exc:
            raise ClipboardError(f"tmux: {exc.strerror or exc}") from None
        if code == 0:
            return
    raise ClipboardError(f"tmux: {problem or 'load-buffer failed'}")


def copy_text(
    text: str,
    *,
    env: Mapping[str, str] | None = None,
    system: SystemCopier = system_clipboard,
    run: Runner = run_program,
    timeout: float = TIMEOUT_S,
) -> Copied:
    """Copy ``text`` the first way that works (see the module's notes) and say which. A
    TERMINAL outcome means the caller is to send it by OSC 52 itself, unconfirmed. Never
    raises for a clipboard that does not work; takes at most about ``timeout`` a way."""
    env = os.environ if env is None else env
    failed = []
    try:
        return Copied(CopyOutcome.SYSTEM, system(text, timeout))
    except ClipboardError as exc:
        failed.append(f"system clipboard: {exc}")
    if env.get("TMUX"):
        try:
            tmux_buffer(text, env, run, timeout)
            return Copied(CopyOutcome.TMUX, "tmux")
        except ClipboardError as exc:
            failed.append(str(exc))
    return Copied(CopyOutcome.TERMINAL, "; ".join(failed))
