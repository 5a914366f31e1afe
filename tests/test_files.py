"""Why a file could not be written or read is said in the reader's words: the refusals of
:func:`hzpolicy.core.files.check_target` and of an export, and the common errors of the
operating system (:func:`hzpolicy.core.files.os_reason`), never the C library's English inside
a Chinese line."""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path

import pytest

from hzpolicy.core import export
from hzpolicy.core.files import UnsafeTarget, check_target, os_reason, write_text_atomic
from hzpolicy.core.i18n import Locale
from hzpolicy.core.userdata import UserData, data_dir

HANT = Locale("traditional", "zh")
HANS = Locale("simplified", "zh")
EN = Locale("traditional", "en")
CJK = re.compile(r"[\u3400-\u9fff]")

# errno -> (Traditional, Simplified, English) the reader is told
REASONS = {
    errno.ENOENT: ("找不到這個檔案或資料夾", "找不到该文件或文件夹", "no such file or folder"),
    errno.EACCES: ("沒有權限", "没有权限", "permission denied"),
    errno.EPERM: ("系統不允許這項操作", "系统不允许此操作", "the system does not permit it"),
    errno.ENOSPC: ("磁碟空間已滿", "磁盘空间已满", "the disk is full"),
    errno.EROFS: ("磁碟是唯讀的", "磁盘是只读的", "the disk is read-only"),
    errno.EISDIR: ("它是資料夾", "它是文件夹", "it is a folder"),
    errno.ENOTDIR: ("路徑中有一段不是資料夾", "路径中有一段不是文件夹", "a part of the path is not a folder"),
    errno.EEXIST: ("已經存在", "已经存在", "it exists already"),
    errno.ENAMETOOLONG: ("名稱太長", "名称太长", "the name is too long"),
    errno.EDQUOT: ("磁碟配額已用完", "磁盘配额已用完", "the disk quota is used up"),
    errno.EIO: ("磁碟讀寫失敗 (I/O 錯誤)", "磁盘读写失败 (I/O 错误)", "the disk could not be read or written"),
}


@pytest.mark.parametrize("code", list(REASONS), ids=[errno.errorcode[c] for c in REASONS])
def test_each_common_os_error_is_said_in_the_readers_words(code):
    exc = OSError(code, os.strerror(code), "/some/file")
    reason = os_reason(exc)
    hant, hans, english = REASONS[code]
    assert HANT.say(reason) == hant
    assert HANS.say(reason) == hans
    assert EN.say(reason).startswith(english) and not CJK.search(EN.say(reason))
    assert os.strerror(code) not in HANT.say(reason)  # not the C library's English


def test_another_os_error_keeps_the_systems_own_words():
    exc = OSError(errno.EXDEV, "Invalid cross-device link")
    assert HANT.say(os_reason(exc)) == "Invalid cross-device link"
    assert HANT.say(os_reason(OSError("no errno at all"))) == "no errno at all"


def _refusal(target: Path) -> UnsafeTarget:
    with pytest.raises(UnsafeTarget) as err:
        check_target(target)
    return err.value


def test_a_refused_target_says_why_in_the_readers_words_without_repeating_the_path(tmp_path):
    folder = _refusal(tmp_path)
    assert HANT.say(os_reason(folder)) == "它不是一般檔案 (而是資料夾、裝置或管道): 不會取代它"
    assert HANS.say(os_reason(folder)) == "它不是普通文件 (而是文件夹、设备或管道): 不会替换它"
    assert str(folder) == f"{tmp_path}: it is not a regular file (a folder, a device or a pipe): refusing to replace it"
    assert str(tmp_path) not in EN.say(os_reason(folder))
    link = tmp_path / "link.md"
    link.symlink_to(tmp_path / "elsewhere.md")
    assert HANT.say(os_reason(_refusal(link))) == "它是符號連結: 請給出檔案本身的路徑"
    user = UserData(tmp_path / "user.sqlite3")
    assert user.set_bookmark(3, True) is None
    assert HANS.say(os_reason(_refusal(user.path))).startswith("它是数据库 (也许是你自己的 hzpolicy-tui 数据)")


def test_an_export_into_the_users_data_folder_is_refused_in_the_readers_words():
    target = data_dir() / "out.md"
    data_dir().mkdir(parents=True, exist_ok=True)
    with pytest.raises(UnsafeTarget) as err:
        export.write("x", "md", target)
    assert HANT.say(os_reason(err.value)) == "它在你自己的 hzpolicy-tui 資料所在的資料夾裡: 請選別的資料夾"
    assert not target.exists()


def test_an_export_to_a_link_that_loops_is_refused_not_a_crash(tmp_path):
    loop = tmp_path / "loop.md"
    loop.symlink_to(loop)
    with pytest.raises(UnsafeTarget) as err:  # Path.resolve() would raise RuntimeError
        export.write("x", "md", loop)
    assert "符號連結" in HANT.say(os_reason(err.value))


def test_a_write_that_fails_says_the_errno_in_the_readers_words(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(OSError) as err:
        write_text_atomic(blocker / "out.md", "x")
    assert HANT.say(os_reason(err.value)) == "路徑中有一段不是資料夾"


def test_the_users_data_says_why_it_cannot_be_used_in_the_readers_words(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    user = UserData(blocker / "user.sqlite3")  # its folder cannot be made: a file is in the way
    said = user.warning_in(HANT) or ""
    assert "路徑中有一段不是資料夾" in said or "已經存在" in said, said
    assert "Not a directory" not in said and "File exists" not in said
    folder = tmp_path / "folder.sqlite3"
    folder.mkdir()
    said = UserData(folder).warning_in(HANT) or ""
    assert "不是一般檔案" in said and "not a regular file" not in said, said


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh", "無法寫入 {path}: 它不是一般檔案 (而是資料夾、裝置或管道): 不會取代它"),
        ("en", "cannot write {path}: it is not a regular file (a folder, a device or a pipe): refusing to replace it"),
    ],
)
async def test_the_export_dialog_says_why_in_the_readers_words(doc, tmp_path, lang, said):
    from textual.widgets import Input

    from hzpolicy.screens.dialogs import ExportScreen

    from .conftest import make_app

    app = make_app(doc, tmp_path)
    app.lang = lang
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("x")
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        screen.query_one("#export-path", Input).value = str(tmp_path)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        shown = " ".join(str(screen.query_one("#export-error").render()).split())
        assert shown == said.format(path=tmp_path)


def test_a_name_with_a_nul_character_is_refused_as_an_os_error_not_a_value_error(tmp_path):
    with pytest.raises(UnsafeTarget) as err:  # the export dialog catches OSError
        export.write("x", "md", tmp_path / "a\x00b.md")
    assert HANS.say(os_reason(err.value)) == "文件名不能含有 NUL 字符"
