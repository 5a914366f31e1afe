from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SOURCE = DATA / "hangzhou-2024-policies.zh-Hant.txt"
STORE = DATA / "hangzhou-2024.json"
TODAY = date(2026, 11, 26)  # fixed, so snapshots and validity messages do not drift


@pytest.fixture(scope="session")
def source_bytes() -> bytes:
    return SOURCE.read_bytes()


@pytest.fixture(scope="session")
def source_text(source_bytes) -> str:
    return source_bytes.decode("utf-8")


@pytest.fixture(scope="session")
def doc():
    from hzpolicy.core.store import load_store

    return load_store(STORE)


@pytest.fixture(scope="session")
def index(doc):
    from hzpolicy.core.search import SearchIndex

    return SearchIndex(doc)


def make_app(doc, tmp_path, today=TODAY):
    """The app on the shipped store, with its own user data and a fixed date."""
    from hzpolicy.app import build_app
    from hzpolicy.core.userdata import UserData

    return build_app(doc, user=UserData(tmp_path / "user.sqlite3"), today=today)


def detail_text(app) -> str:
    """What the clause pane shows, as plain lines."""
    from hzpolicy.widgets.clause_view import ClauseView

    view = app.screen.query_one(ClauseView)
    return "\n".join(line.plain for line in view.lines_for(view.content_region.width))


def record_notifications(app) -> list[tuple[str, str]]:
    """Every notification the app shows, as (message, severity), recorded through its public
    ``notify`` (wrapped on this instance; the original still shows it)."""
    seen: list[tuple[str, str]] = []
    original = app.notify

    def notify(message, *args, **kwargs):
        seen.append((str(message), kwargs.get("severity", "information")))
        return original(message, *args, **kwargs)

    app.notify = notify
    return seen


@pytest.fixture(autouse=True)
def _user_data(tmp_path, monkeypatch):
    """Never touch the real user's settings."""
    monkeypatch.setenv("HZPOLICY_DATA_DIR", str(tmp_path / "userdata"))
    yield


def pytest_configure(config):
    os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")


def pytest_xdist_auto_num_workers(config):
    """``-n auto``: one worker more than there are cores. The install and terminal tests spend
    much of their time waiting for a child process (a wheel being built, the app drawing in
    tmux); the extra worker runs other tests meanwhile."""
    return (os.cpu_count() or 1) + 1


@contextmanager
def _exclusive(lock: Path):
    """Hold an exclusive lock on ``lock`` (POSIX); elsewhere, no lock."""
    try:
        import fcntl
    except ImportError:  # Windows: each worker builds in its own directory below
        yield
        return
    with open(lock, "a") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def installed(tmp_path_factory) -> Path:
    """Build the wheel and install it into a fresh virtual environment: what a user gets.

    Returns the environment's bin directory (with the installed ``hzpolicy-tui``). Built once
    a run: under xdist every worker that needs it takes a lock in the run's own temporary
    directory (shared by its workers); the first builds, the others wait and reuse it."""
    import subprocess
    import sys

    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER") and sys.platform != "win32":
        root = root.parent  # the run's own directory, shared by its workers
    work = root / "installed-wheel"
    bin_dir = work / "venv" / ("Scripts" if sys.platform == "win32" else "bin")
    with _exclusive(root / "installed-wheel.lock"):
        if (work / "ready").exists():
            return bin_dir
        shutil.rmtree(work, ignore_errors=True)  # a build that failed half way
        subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work / "dist"), str(ROOT)],
            check=True,
        )
        wheels = list((work / "dist").glob("hzpolicy_tui-*.whl"))
        assert len(wheels) == 1, wheels
        subprocess.run([sys.executable, "-m", "venv", str(work / "venv")], check=True)
        subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "-q", str(wheels[0])], check=True)
        (work / "ready").write_text(str(wheels[0].name), encoding="utf-8")
    return bin_dir
