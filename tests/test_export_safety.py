"""Exports never destroy a file: on the command line (``export -o``, ``build -o``) and in
:func:`hzpolicy.core.export.write`. An existing file is replaced only with ``--force`` (the
app asks: tests/test_export_dialog.py) and keeps its permissions; a folder that is not there
is an error and nothing is created; what is not a regular file, and a read-only file, are
refused even with ``--force``. Default names say what was exported and when."""

from __future__ import annotations

import os
import stat
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from hzpolicy.__main__ import run
from hzpolicy.core import export
from hzpolicy.core.files import TargetExists, UnsafeTarget, atomic_replace, check_user_target, os_reason
from hzpolicy.core.i18n import Locale

from .conftest import SOURCE

OLD = "the reader's own file\n"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
POSIX = os.name == "posix"


def _cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = run(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _one_line(err: str) -> str:
    """A refusal is one line on standard error, no traceback."""
    assert err.endswith("\n") and err.count("\n") == 1 and "Traceback" not in err, err
    return err.rstrip("\n")


def _mine(tmp_path: Path, name: str = "mine.md", mode: int = 0o600) -> Path:
    path = tmp_path / name
    path.write_text(OLD, encoding="utf-8")
    path.chmod(mode)
    return path


# --- export -o ------------------------------------------------------------------------------------


def test_an_existing_file_is_not_replaced_without_force(capsys, tmp_path):
    mine = _mine(tmp_path)
    code, out, err = _cli(capsys, "export", "clause", "14", "-o", str(mine), "--lang", "en")
    assert code == 2 and out == ""
    assert _one_line(err) == f"hzpolicy-tui: error: {mine} exists already: add --force to replace it"
    assert mine.read_text(encoding="utf-8") == OLD
    code, _, err = _cli(capsys, "export", "clause", "14", "-o", str(mine), "--script", "simplified")
    assert code == 2 and _one_line(err) == f"hzpolicy-tui: 错误: {mine} 已经存在: 加上 --force 才会替换它"
    assert mine.read_text(encoding="utf-8") == OLD


@pytest.mark.skipif(not POSIX, reason="POSIX permissions")
@pytest.mark.parametrize("fmt", ["md", "csv", "html"])
def test_force_replaces_the_file_and_keeps_its_permissions(capsys, tmp_path, fmt):
    mine = _mine(tmp_path, f"mine.{fmt}", 0o600)
    code, _, err = _cli(capsys, "export", "clause", "14", "--format", fmt, "-o", str(mine), "--force", "--lang", "en")
    assert code == 0, err
    assert err == f"wrote {mine} (1 record, {fmt})\n"
    assert "更大力度實施企業研發投入補助政策" in mine.read_text(encoding="utf-8-sig")
    assert stat.S_IMODE(mine.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == [mine.name]  # no temporary left beside it


def test_a_new_file_gets_what_new_files_get(capsys, tmp_path):
    target = tmp_path / "new.md"
    umask = os.umask(0o022)
    try:
        code, _, err = _cli(capsys, "export", "clause", "14", "-o", str(target))
    finally:
        os.umask(umask)
    assert code == 0, err
    if POSIX:
        assert stat.S_IMODE(target.stat().st_mode) == 0o644  # not mkstemp's private 0600


def test_a_missing_folder_is_an_error_and_nothing_is_created(capsys, tmp_path):
    target = tmp_path / "nonexistent" / "dir" / "x.md"
    code, _, err = _cli(capsys, "export", "clause", "14", "-o", str(target), "--force", "--lang", "en")
    assert code == 2
    folder = tmp_path / "nonexistent" / "dir"
    assert _one_line(err) == (
        f"hzpolicy-tui: error: cannot write {target}: the folder {folder} does not exist (nothing was created)"
    )
    assert not (tmp_path / "nonexistent").exists()
    code, _, err = _cli(capsys, "export", "clause", "14", "-o", str(target))
    assert code == 2 and "資料夾" in err and "不存在" in err and not (tmp_path / "nonexistent").exists()


@pytest.mark.skipif(not POSIX, reason="symbolic links and fifos")
def test_a_link_is_refused_even_with_force_and_what_it_points_to_is_untouched(capsys, tmp_path):
    mine = _mine(tmp_path)
    link = tmp_path / "link.md"
    link.symlink_to(mine)
    code, _, err = _cli(capsys, "export", "clause", "14", "-o", str(link), "--force", "--lang", "en")
    assert code == 2 and "symbolic link" in _one_line(err) and str(link) in err
    assert link.is_symlink() and mine.read_text(encoding="utf-8") == OLD
    dangling = tmp_path / "dangling.md"
    dangling.symlink_to(tmp_path / "nowhere.md")
    code, _, err = _cli(capsys, "export", "clause", "14", "-o", str(dangling), "--force")
    assert code == 2 and "符號連結" in _one_line(err) and not (tmp_path / "nowhere.md").exists()


@pytest.mark.skipif(not POSIX, reason="POSIX permissions")
def test_a_read_only_file_is_refused_even_with_force(capsys, tmp_path):
    mine = _mine(tmp_path, mode=0o444)
    code, _, err = _cli(capsys, "export", "clause", "14", "-o", str(mine), "--force", "--lang", "en")
    assert code == 2
    assert _one_line(err) == f"hzpolicy-tui: error: cannot write {mine}: the file is read-only: refusing to replace it"
    assert mine.read_text(encoding="utf-8") == OLD and stat.S_IMODE(mine.stat().st_mode) == 0o444
    code, _, err = _cli(capsys, "export", "clause", "14", "-o", str(mine), "--script", "simplified")
    assert code == 2 and "它是只读文件: 不会替换它" in _one_line(err)


@pytest.mark.skipif(not POSIX, reason="devices and fifos")
@pytest.mark.parametrize("kind", ["/dev/null", "/dev/full", "fifo", "folder"])
def test_what_is_not_a_regular_file_is_refused_even_with_force(capsys, tmp_path, kind):
    if kind == "fifo":
        target = tmp_path / "pipe"
        os.mkfifo(target)
    elif kind == "folder":
        target = tmp_path / "folder"
        target.mkdir()
    else:
        target = Path(kind)
        if not target.exists():
            pytest.skip(f"no {kind} here")
    before = os.lstat(target)
    code, _, err = _cli(capsys, "export", "clause", "14", "-o", str(target), "--force", "--lang", "en")
    assert code == 2
    assert _one_line(err) == (
        f"hzpolicy-tui: error: cannot write {target}: "
        "it is not a regular file (a folder, a device or a pipe): refusing to replace it"
    )
    after = os.lstat(target)
    assert stat.S_IFMT(after.st_mode) == stat.S_IFMT(before.st_mode) and after.st_ino == before.st_ino


def test_standard_output_needs_no_force(capsys):
    code, out, _ = _cli(capsys, "export", "clause", "14", "--format", "html")
    assert code == 0 and out.startswith("<!DOCTYPE html>")


# --- build -o -------------------------------------------------------------------------------------


def test_build_refuses_to_replace_a_file_without_force(capsys, tmp_path):
    mine = _mine(tmp_path, "store.json")
    code, out, err = _cli(capsys, "build", str(SOURCE), "-o", str(mine), "--lang", "en")
    assert code == 2 and out == ""
    assert _one_line(err) == f"hzpolicy-tui: error: {mine} exists already: add --force to replace it"
    assert mine.read_text(encoding="utf-8") == OLD


@pytest.mark.skipif(not POSIX, reason="symbolic links and permissions")
def test_build_refuses_what_an_export_refuses_even_with_force(capsys, tmp_path):
    mine = _mine(tmp_path, "store.json", 0o444)
    link = tmp_path / "link.json"
    link.symlink_to(tmp_path / "elsewhere.json")
    missing = tmp_path / "nonexistent" / "store.json"
    for target, words in [
        (mine, "read-only"),
        (link, "symbolic link"),
        (tmp_path, "not a regular file"),
        (missing, "does not exist (nothing was created)"),
    ]:
        code, _, err = _cli(capsys, "build", str(SOURCE), "-o", str(target), "--force", "--lang", "en")
        assert code == 2 and words in _one_line(err) and "Traceback" not in err, err
    assert mine.read_text(encoding="utf-8") == OLD and link.is_symlink() and not (tmp_path / "elsewhere.json").exists()
    assert not missing.parent.exists()


@pytest.mark.parametrize("mode", [0o644, 0o600])
def test_build_with_force_replaces_the_file_keeping_its_permissions(capsys, tmp_path, mode):
    mine = _mine(tmp_path, "store.json", mode)
    code, out, err = _cli(capsys, "build", str(SOURCE), "-o", str(mine), "--force", "--lang", "en")
    assert code == 0, err
    assert out.startswith(f"wrote {mine}: 8 domains, 76 clauses")
    assert mine.read_text(encoding="utf-8").startswith("{")
    assert stat.S_IMODE(mine.stat().st_mode) == mode
    new = tmp_path / "new.json"  # a new store is for everyone to read
    assert _cli(capsys, "build", str(SOURCE), "-o", str(new), "--lang", "en")[0] == 0
    assert stat.S_IMODE(new.stat().st_mode) == 0o644


def test_build_to_its_default_name_keeps_working(capsys, tmp_path, monkeypatch):
    """The store written without -o is the program's own file in the current folder: a
    second build replaces it as before (only a path the reader names needs --force)."""
    monkeypatch.chdir(tmp_path)
    src = tmp_path / "other.txt"
    src.write_text(SOURCE.read_text(encoding="utf-8"), encoding="utf-8")
    for _ in range(2):
        code, _, err = _cli(capsys, "build", str(src), "--lang", "en")
        assert code == 0, err
    assert (tmp_path / "other.json").is_file()


# --- core -----------------------------------------------------------------------------------------


def test_write_refuses_an_existing_file_unless_told_to_replace_it(tmp_path):
    mine = _mine(tmp_path, mode=0o640)
    with pytest.raises(TargetExists) as err:
        export.write("new", "md", mine)
    assert Locale("traditional", "zh").say(os_reason(err.value)) == "已經存在"
    assert mine.read_text(encoding="utf-8") == OLD
    assert export.write("new", "md", mine, replace=True) == mine
    assert mine.read_text(encoding="utf-8") == "new"
    if POSIX:
        assert stat.S_IMODE(mine.stat().st_mode) == 0o640


def test_a_file_that_appears_while_the_export_is_written_is_not_replaced(tmp_path):
    """Checked before and made sure at the end: the new file is linked in, which fails where
    a rename would replace whatever another program put there meanwhile."""
    target = tmp_path / "out.md"
    with pytest.raises(TargetExists), atomic_replace(target, replace=False) as tmp:
        tmp.write_text("ours", encoding="utf-8")
        target.write_text("theirs", encoding="utf-8")  # another program, just now
    assert target.read_text(encoding="utf-8") == "theirs"
    assert [p.name for p in tmp_path.iterdir()] == ["out.md"]


def test_check_user_target_creates_nothing(tmp_path):
    target = tmp_path / "a" / "b" / "c.md"
    with pytest.raises(UnsafeTarget) as err:
        check_user_target(target, replace=True)
    assert "does not exist" in str(err.value) and not (tmp_path / "a").exists()
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(NotADirectoryError):
        check_user_target(blocker / "c.md")
    check_user_target(tmp_path / "new.md")  # a new file in a folder that is there: fine


@pytest.mark.skipif(not IS_ROOT, reason="only root can give a file to another user")
def test_a_file_replaced_by_root_keeps_its_owner(tmp_path):
    mine = _mine(tmp_path, mode=0o664)
    os.chown(mine, 65534, 65534)
    export.write("new", "md", mine, replace=True)
    info = mine.stat()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (65534, 65534, 0o664)


# --- default names ----------------------------------------------------------------------------------

WHEN = datetime(2026, 11, 28, 18, 5, 42)


@pytest.mark.parametrize(
    ("stem", "name"),
    [
        ("search-人才补贴", "hzpolicy-search-人才补贴-20261128-1805.md"),
        ("clause-14", "hzpolicy-clause-14-20261128-1805.md"),
        ("search-人才 補貼", "hzpolicy-search-人才-補貼-20261128-1805.md"),  # both scripts kept, a space a dash
        ("search-../../etc/passwd", "hzpolicy-search-..-..-etc-passwd-20261128-1805.md"),  # no separator left
        ('search-a\\b:c*d?e"f<g>h|i', "hzpolicy-search-a-b-c-d-e-f-g-h-i-20261128-1805.md"),
        ("search-\x1b[31mred\x07\u200b", "hzpolicy-search-[31mred-20261128-1805.md"),  # no control characters
        ("", "hzpolicy-export-20261128-1805.md"),
        ("..", "hzpolicy-export-20261128-1805.md"),
    ],
)
def test_default_names_say_what_and_when_and_are_safe(stem, name):
    assert export.default_name(stem, "md", WHEN) == name


def test_a_long_default_name_is_cut_within_what_file_systems_allow():
    name = export.default_name("search-" + "研發補助" * 100, "html", WHEN)
    assert name.startswith("hzpolicy-search-研發補助") and name.endswith("-20261128-1805.html")
    assert len(name.encode("utf-8")) < 255 and len(export.safe_stem("search-" + "研發補助" * 100)) <= export.NAME_CHARS


def test_default_names_a_minute_apart_differ_and_one_minute_gets_a_free_name(tmp_path):
    first = export.default_path(tmp_path, "bookmarks", "md", WHEN)
    later = export.default_path(tmp_path, "bookmarks", "md", WHEN + timedelta(minutes=1))
    assert first != later and first.parent == later.parent == tmp_path
    first.write_text("x", encoding="utf-8")
    again = export.default_path(tmp_path, "bookmarks", "md", WHEN + timedelta(seconds=10))
    assert again.name == "hzpolicy-bookmarks-20261128-1805-2.md"
