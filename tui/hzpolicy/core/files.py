"""Writing a file so that it is either the old one or the new one, never half of each.

Every file the program writes (a built store, the user's data, an export) goes through
:func:`atomic_replace`: the new content is written to a temporary file beside the target,
flushed to disk, and renamed over the target in one step. A failure or a kill before the
rename leaves the old file as it was.
"""

from __future__ import annotations

import errno
import glob
import os
import stat
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from .i18n import N_, Notice


def _default_mode() -> int:
    """What a newly created file gets under this process's umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


class UnsafeTarget(OSError):
    """A path that must not be replaced by a written file. ``notice`` says why without naming
    the path (the reader's words through ``Locale.say``, as :func:`os_reason` gives it);
    ``str()`` is the English, the path first."""

    def __init__(self, path: Path | str, notice: Notice) -> None:
        super().__init__(f"{path}: {notice}")
        self.path = Path(path)
        self.notice = notice


class TargetExists(UnsafeTarget):
    """A file is there already. It is replaced only when the reader says so: the app asks,
    the command line needs ``--force``. Its own class, so that each can word that."""

    def __init__(self, path: Path | str) -> None:
        super().__init__(path, Notice("it exists already"))


# What the reader is told for the errors a file can meet, instead of the C library's English
# ("No space left on device"). Only the errno values a reader is likely to meet; any other
# keeps the system's own words.
_OS_WORDS: dict[int, str] = {
    errno.ENOENT: N_("no such file or folder"),
    errno.EACCES: N_("permission denied"),
    errno.EPERM: N_("the system does not permit it"),
    errno.ENOSPC: N_("the disk is full"),
    errno.EROFS: N_("the disk is read-only"),
    errno.EISDIR: N_("it is a folder"),
    errno.ENOTDIR: N_("a part of the path is not a folder"),
    errno.EEXIST: N_("it exists already"),
    errno.ENAMETOOLONG: N_("the name is too long"),
    errno.EIO: N_("the disk could not be read or written (input/output error)"),
}
if hasattr(errno, "EDQUOT"):  # not on every platform
    _OS_WORDS[errno.EDQUOT] = N_("the disk quota is used up")


def os_reason(exc: OSError) -> Notice:
    """Why a file operation failed, in the reader's words (through ``Locale.say``): for the
    common errno values a message of the catalogs; a refusal of ours (:class:`UnsafeTarget`)
    its own notice; anything else the operating system's own text."""
    if isinstance(exc, UnsafeTarget):
        return exc.notice
    words = _OS_WORDS.get(exc.errno) if exc.errno is not None else None
    if words is not None:
        return Notice(words)
    return Notice("{why}", why=exc.strerror or str(exc))


SQLITE_HEADER = b"SQLite format 3\x00"  # the first 16 bytes of every SQLite database
_WAL_HEADERS = (b"\x37\x7f\x06\x82", b"\x37\x7f\x06\x83")  # and of its write-ahead log


def file_head(path: Path) -> bytes:
    """The first 16 bytes of a file (fewer if it is shorter; none if it cannot be read)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(len(SQLITE_HEADER))
    except OSError:
        return b""


def check_target(target: Path) -> None:
    """Refuse to replace what is not an ordinary file of ours: a device (/dev/null as root
    would become a file), a pipe, a folder, a symbolic link (the rename would replace the
    link, not what it points to), or a database (the user's own data)."""
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        return
    except ValueError:  # the system refuses the name itself (a NUL character), not as an OSError
        raise UnsafeTarget(target, Notice("a file name cannot hold a NUL character")) from None
    if stat.S_ISLNK(info.st_mode):
        raise UnsafeTarget(target, Notice("it is a symbolic link: give the path of the file itself"))
    if not stat.S_ISREG(info.st_mode):
        raise UnsafeTarget(
            target, Notice("it is not a regular file (a folder, a device or a pipe): refusing to replace it")
        )
    head = file_head(target)
    if head == SQLITE_HEADER or head[:4] in _WAL_HEADERS:
        raise UnsafeTarget(
            target, Notice("it is a database (perhaps your own hzpolicy-tui data): refusing to replace it")
        )


def _read_only(target: Path, info: os.stat_result) -> bool:
    """A file this process may not or should not write: no write permission for us, or none
    for anyone (root may write anything; a file made read-only is still meant to stay)."""
    if not info.st_mode & 0o222:
        return True
    geteuid = getattr(os, "geteuid", None)  # not on Windows
    if geteuid is not None and info.st_uid == geteuid() and not info.st_mode & stat.S_IWUSR:
        return True
    return not os.access(target, os.W_OK)


def check_user_target(target: Path, *, replace: bool = False) -> None:
    """Refuse what a path the reader named to write (an export, ``build -o``) must not be: all
    that :func:`check_target` refuses, a read-only file, a file that exists unless ``replace``
    (:class:`TargetExists`), and a folder that is not there (nothing is created for a
    mistyped path) or is not a folder. Nothing is written or made here."""
    check_target(target)
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        info = None
    if info is not None:
        if _read_only(target, info):
            raise UnsafeTarget(target, Notice("the file is read-only: refusing to replace it"))
        if not replace:
            raise TargetExists(target)
        return
    folder = target.parent
    try:
        folder_info = os.stat(folder)
    except FileNotFoundError:
        raise UnsafeTarget(
            target, Notice("the folder {folder} does not exist (nothing was created)", folder=str(folder))
        ) from None
    if not stat.S_ISDIR(folder_info.st_mode):
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder))


STALE_AFTER_S = 600  # a temporary file this old was left by a killed writer (a write takes seconds)


def clean_stale_temporaries(target: Path) -> list[Path]:
    """Remove what killed writers of ``target`` left behind (``.NAME.*.tmp`` beside it, older
    than :data:`STALE_AFTER_S`); a younger one may be another process writing right now."""
    removed = []
    now = time.time()
    for tmp in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
        try:
            if now - tmp.stat().st_mtime > STALE_AFTER_S:
                tmp.unlink()
                removed.append(tmp)
        except OSError:
            continue  # gone already, or not ours to remove
    return removed


@contextmanager
def atomic_replace(target: Path, *, mode: int | None = None, replace: bool = True) -> Iterator[Path]:
    """Yield a temporary path beside ``target`` to write; on a normal exit, sync it and rename
    it over ``target``; on any exception (or a kill), leave ``target`` untouched.

    The new file gets ``mode`` if given, else the permissions (and, where the system lets us
    give a file away, the owner) of the file it replaces, else what a new file gets under the
    umask (``mkstemp`` alone would make it private). ``replace=False``: a file that appears at
    ``target`` meanwhile is never replaced (:class:`TargetExists`)."""
    target = Path(target)
    check_target(target)
    if not replace and os.path.lexists(target):
        raise TargetExists(target)
    clean_stale_temporaries(target)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        try:
            old = target.stat()
        except FileNotFoundError:
            old = None
        if mode is None:
            mode = stat.S_IMODE(old.st_mode) if old is not None else _default_mode()
        os.chmod(tmp, mode)
        if old is not None:
            _same_owner(tmp, old)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        if replace:
            os.replace(tmp, target)
        else:
            _rename_new(tmp, target)
        _sync_dir(target.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _same_owner(path: Path, old: os.stat_result) -> None:
    """Give the new file the old one's owner and group, as far as this process may: root can;
    anyone else keeps the file as theirs (the permissions are kept all the same)."""
    chown = getattr(os, "chown", None)  # not on Windows
    new = os.stat(path)
    if chown is None or (new.st_uid, new.st_gid) == (old.st_uid, old.st_gid):
        return
    try:
        chown(path, old.st_uid, old.st_gid)
    except PermissionError:
        with suppress(PermissionError):  # not ours to give away; the group may still be ours
            chown(path, -1, old.st_gid)


# What os.link raises on a file system without hard links (FAT, some network shares).
_NO_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS, errno.EMLINK, errno.EXDEV}


def _rename_new(tmp: Path, target: Path) -> None:
    """Put ``tmp`` at ``target`` only if nothing is there: a hard link fails rather than
    replace (a rename would not), then the temporary name goes."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise TargetExists(target) from None
    except OSError as exc:
        if exc.errno not in _NO_LINKS:
            raise
        if os.path.lexists(target):  # as close as such a file system allows
            raise TargetExists(target) from None
        os.replace(tmp, target)
        return
    tmp.unlink()


def _sync_dir(folder: Path) -> None:
    """Make the rename itself durable (where the platform lets a folder be synced)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # e.g. Windows: a folder cannot be opened; the rename is still atomic
    try:
        with suppress(OSError):  # some file systems refuse to sync a folder; the data is synced
            os.fsync(fd)
    finally:
        os.close(fd)


def write_text_atomic(
    target: Path, text: str, *, encoding: str = "utf-8", mode: int | None = None, replace: bool = True
) -> None:
    """Write ``text`` to ``target`` through :func:`atomic_replace` (newlines as given)."""
    with atomic_replace(target, mode=mode, replace=replace) as tmp, open(tmp, "w", encoding=encoding, newline="") as fh:
        fh.write(text)
