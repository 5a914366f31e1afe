"""The user's own data: settings (script, theme), bookmarks, notes and calculator profiles.

Never in the shipped store. Kept in an SQLite database in the platform's user data
directory (``HZPOLICY_DATA_DIR`` overrides it, for tests and portable installs):

- every change is one transaction (WAL journal, ``synchronous=FULL``), so a killed process
  or a full disk leaves either the old value or the new one, and a call that returned has
  reached the disk;
- several running instances share the file safely (SQLite's locking, with a busy timeout);
- a note remembers its version, so saving over a note that another instance changed since
  it was opened is refused with :class:`NoteConflict` instead of silently replacing it;
- a damaged database is moved aside, never emptied, and the user is told where it went;
- the JSON file of earlier versions (``user.json``) is imported once and kept aside.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir

from .files import SQLITE_HEADER, file_head, os_reason
from .i18n import N_, Lang, Locale, Notice, as_lang
from .models import Script, as_script
from .money import plain
from .paths import SHIPPED_PACKAGE

APP_NAME = "hzpolicy-tui"
DB_NAME = "user.sqlite3"
LEGACY_JSON = "user.json"
BUSY_TIMEOUT_S = 10.0  # how long a write waits for another instance's transaction
# 2: bookmarks and notes belong to a package of the library (the shipped one's name for
# those made before there was a library)
SCHEMA_VERSION = 2

_SETTINGS_AND_PROFILES = """
CREATE TABLE IF NOT EXISTS settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL                      -- JSON
) STRICT;
CREATE TABLE IF NOT EXISTS profiles (
    name TEXT PRIMARY KEY CHECK (length(name) > 0),
    facts TEXT NOT NULL                      -- JSON object, money as exact decimal strings
) STRICT;
"""
_BOOKMARKS_AND_NOTES = """
CREATE TABLE IF NOT EXISTS bookmarks (
    package TEXT NOT NULL CHECK (length(package) > 0),
    clause INTEGER NOT NULL CHECK (clause > 0),
    PRIMARY KEY (package, clause)
) STRICT;
CREATE TABLE IF NOT EXISTS notes (
    package TEXT NOT NULL CHECK (length(package) > 0),
    clause INTEGER NOT NULL CHECK (clause > 0),
    text TEXT NOT NULL,                      -- '' once deleted: the row keeps its version
    version INTEGER NOT NULL CHECK (version > 0),
    PRIMARY KEY (package, clause)
) STRICT;
"""
_SCHEMA = _SETTINGS_AND_PROFILES + _BOOKMARKS_AND_NOTES

# Version 1 -> 2: the bookmarks and notes of before are the shipped package's.
_MIGRATE_1_TO_2 = f"""
ALTER TABLE bookmarks RENAME TO bookmarks_v1;
ALTER TABLE notes RENAME TO notes_v1;
{_BOOKMARKS_AND_NOTES}
INSERT INTO bookmarks (package, clause) SELECT '{SHIPPED_PACKAGE}', clause FROM bookmarks_v1;
INSERT INTO notes (package, clause, text, version) SELECT '{SHIPPED_PACKAGE}', clause, text, version FROM notes_v1;
DROP TABLE bookmarks_v1;
DROP TABLE notes_v1;
"""


def data_dir() -> Path:
    override = os.environ.get("HZPOLICY_DATA_DIR")
    return Path(override) if override else Path(user_data_dir(APP_NAME, appauthor=False))


class UserDataError(RuntimeError):
    """The user's data cannot be read or written; the message names the file and why."""


@dataclass(frozen=True)
class Note:
    """A clause's note as stored: ``version`` 0 means it never had one."""

    clause: int
    text: str
    version: int


class NoteConflict(UserDataError):
    """The note changed in another instance since this one read it; nothing was saved."""

    def __init__(self, current: Note) -> None:
        self.current = current
        super().__init__(
            Notice("the note on clause {clause} was changed elsewhere since it was opened", clause=current.clause)
        )


def _jsonable(value: object) -> object:
    if isinstance(value, Decimal):
        return plain(value)
    return value


def _aside(path: Path, why: str) -> Path:
    """Move a damaged file out of the way (never delete it); return where it went."""
    n = 1
    while (aside := path.with_name(f"{path.name}.{why}-{n}")).exists():
        n += 1
    os.replace(path, aside)
    for suffix in ("-wal", "-shm"):  # SQLite's companions belong to the damaged file
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            os.replace(companion, aside.with_name(aside.name + suffix))
    return aside


class UserData:
    """The user's data in ``path`` (default: ``user.sqlite3`` in :func:`data_dir`).

    Reads never raise: what cannot be read is empty, and :attr:`warning` says why. Writes
    return ``None`` when saved, or a message naming the file and the problem (a
    :class:`.i18n.Notice`: English as a str, in the reader's words through ``Locale.say``)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path is not None else data_dir() / DB_NAME
        self.warnings: list[Notice] = []
        # The package whose bookmarks and notes a call means when it names none (the command
        # line sets it to the package --store names).
        self.package: str = SHIPPED_PACKAGE
        # Why the data can be read but not written (a read-only folder, a full disk): said
        # by each write, not as a warning (a command that only reads has nothing to be told).
        self.read_only: Notice | None = None
        # Why what is there could not be read: a list read from it is not the truth.
        self.unreadable: Notice | None = None
        self._db: sqlite3.Connection | None = None
        try:
            self._db = self._open()
        except (OSError, sqlite3.Error, UserDataError) as exc:
            self._db = self._open_read_only(exc)
            if self._db is None:
                # A read-only home still lets the app run: nothing is kept, and the user is told.
                self.warnings.append(
                    Notice(
                        "cannot use {path} ({why}); your changes will not be kept",
                        path=self.path,
                        why=_why(exc, self.path),
                    )
                )
                if self.path.is_file():
                    self.unreadable = self.warnings[-1]
        if self._db is not None:
            self._import_legacy_json()

    @property
    def warning(self) -> str | None:
        return "; ".join(self.warnings) if self.warnings else None

    def warning_in(self, loc: Locale) -> str | None:
        """The warnings in the reader's words."""
        return "; ".join(loc.say(w) for w in self.warnings) if self.warnings else None

    # -- opening ---------------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        # A firm's figures and a reader's notes are theirs: the folder made for them is private
        # (one that exists keeps what its owner gave it).
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
        try:
            _use_wal(db)
            db.execute("PRAGMA synchronous=FULL")
            db.execute("PRAGMA foreign_keys=ON")
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise UserDataError(
                    Notice(
                        "{path} was written by a newer hzpolicy-tui (data version {version}); "
                        "upgrade hzpolicy-tui to use it",
                        path=self.path,
                        version=version,
                    )
                )
            quick = db.execute("PRAGMA quick_check").fetchone()[0]
            if quick != "ok":
                raise _Damaged(f"its integrity check failed: {quick}")
            if version < SCHEMA_VERSION:  # a new file, or an older one: create or migrate
                _migrate(db)
        except BaseException:
            db.close()
            raise
        return db

    def _open(self) -> sqlite3.Connection:
        if self.path.exists() and not self.path.is_file():
            raise UserDataError(Notice("{path} is not a regular file", path=self.path))
        if _not_a_database(self.path):
            # Moved aside before SQLite opens it: closing a failed connection would delete
            # the WAL beside it, and with it changes not yet copied into the file.
            aside = _aside(self.path, "damaged")
            self.warnings.append(
                Notice(
                    "your data file {path} was damaged (it is not an SQLite database); it was moved to {aside} "
                    "and a new one started",
                    path=self.path,
                    aside=aside,
                )
            )
        try:
            return self._connect()
        except (sqlite3.DatabaseError, _Damaged) as exc:
            if not self.path.exists() or not _is_damage(exc):
                raise
            aside = _aside(self.path, "damaged")
            self.warnings.append(
                Notice(
                    "your data file {path} was damaged ({why}); it was moved to {aside} and a new one started",
                    path=self.path,
                    why=exc,
                    aside=aside,
                )
            )
            return self._connect()

    def _open_read_only(self, why: BaseException) -> sqlite3.Connection | None:
        """The data file, read-only, when it is there but cannot be opened for writing (its
        folder or the file is read-only, the disk is full); None when it cannot be read
        either. Writes then say ``why``."""
        if isinstance(why, _Damaged) or _is_damage(why) or not self.path.is_file() or _not_a_database(self.path):
            return None
        db = read_only_connection(self.path, check=SCHEMA_VERSION)
        if db is not None:
            self.read_only = _why(why, self.path)
        return db

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    # -- one way to read and one way to write ---------------------------------------------------

    def _read(self, sql: str, args: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        if self._db is None:
            return []
        try:
            return self._db.execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            self.unreadable = Notice("cannot read {path}: {why}", path=self.path, why=sqlite_reason(exc, self.path))
            self.warnings.append(self.unreadable)
            return []

    @contextmanager
    def _write(self, what: Notice) -> Iterator[sqlite3.Connection]:
        """One transaction (taking the write lock at once, so a read-modify-write in it is not
        interleaved with another instance's); :class:`UserDataError` names what was not saved."""
        if self._db is None:
            raise UserDataError(self.warnings[0] if self.warnings else Notice("cannot use {path}", path=self.path))
        if self.read_only is not None:
            raise UserDataError(
                Notice("could not save {what} to {path}: {why}", what=what, path=self.path, why=self.read_only)
            )
        try:
            with _transaction(self._db):
                yield self._db
        except (sqlite3.Error, OSError) as exc:
            raise UserDataError(
                Notice("could not save {what} to {path}: {why}", what=what, path=self.path, why=_why(exc, self.path))
            ) from None

    def _save(self, what: Notice, sql: str, args: tuple[object, ...]) -> str | None:
        try:
            with self._write(what) as db:
                db.execute(sql, args)
        except UserDataError as exc:
            return _notice(exc)
        return None

    # -- settings ---------------------------------------------------------------------------

    def get(self, key: str, default: object = None) -> object:
        rows = self._read("SELECT value FROM settings WHERE key = ?", (key,))
        if not rows:
            return default
        try:
            value: object = json.loads(rows[0][0])
        except ValueError:
            return default
        return value

    def set(self, key: str, value: object) -> str | None:
        """Save a setting; returns an error message instead of raising when it cannot."""
        text = json.dumps(value, ensure_ascii=False)
        upsert = (
            "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"
        )
        return self._save(Notice("the setting {key}", key=key), upsert, (key, text))

    @property
    def script(self) -> Script:
        return as_script(self.get("script"))

    @property
    def lang(self) -> Lang:
        """The interface's language: Chinese (in the script) unless English was chosen."""
        return as_lang(self.get("lang"))

    # -- bookmarks ------------------------------------------------------------------------------

    # Each package of the library has its own, keyed by its name: ``package``, else
    # :attr:`package` (the shipped one's unless set).

    def bookmarks(self, package: str | None = None) -> list[int]:
        query = "SELECT clause FROM bookmarks WHERE package = ? ORDER BY clause"
        return [r[0] for r in self._read(query, (package or self.package,))]

    def set_bookmark(self, clause: int, on: bool, package: str | None = None) -> str | None:
        if on:
            insert = "INSERT OR IGNORE INTO bookmarks (package, clause) VALUES (?, ?)"
            return self._save(Notice("the bookmark"), insert, (package or self.package, clause))
        delete = "DELETE FROM bookmarks WHERE package = ? AND clause = ?"
        return self._save(Notice("the bookmark"), delete, (package or self.package, clause))

    def counts(self, package: str) -> tuple[int, int]:
        """How many bookmarks and notes ``package`` has."""
        marks = self._read("SELECT count(*) FROM bookmarks WHERE package = ?", (package,))
        notes = self._read("SELECT count(*) FROM notes WHERE package = ? AND text != ''", (package,))
        return (marks[0][0] if marks else 0, notes[0][0] if notes else 0)

    # -- notes ----------------------------------------------------------------------------------

    def notes(self, package: str | None = None) -> dict[int, str]:
        query = "SELECT clause, text FROM notes WHERE package = ? AND text != '' ORDER BY clause"
        return dict(self._read(query, (package or self.package,)))

    def note(self, clause: int, package: str | None = None) -> Note:
        """The note as it is now (read afresh), with the version to save against."""
        query = "SELECT text, version FROM notes WHERE package = ? AND clause = ?"
        rows = self._read(query, (package or self.package, clause))
        return Note(clause, rows[0][0], rows[0][1]) if rows else Note(clause, "", 0)

    def set_note(self, clause: int, text: str, based_on: int | None = None, package: str | None = None) -> str | None:
        """Save a clause's note (an empty text deletes it). With ``based_on`` (the version the
        editor started from), a note changed elsewhere since then raises :class:`NoteConflict`
        and nothing is saved; without it, the note is replaced."""
        text = text if text.strip() else ""
        package = package or self.package
        try:
            with self._write(Notice("the note")) as db:
                query = "SELECT text, version FROM notes WHERE package = ? AND clause = ?"
                row = db.execute(query, (package, clause)).fetchone()
                current = Note(clause, row[0], row[1]) if row else Note(clause, "", 0)
                if based_on is not None and current.version != based_on:
                    raise NoteConflict(current)
                if current.text == text:
                    return None
                db.execute(
                    "INSERT INTO notes (package, clause, text, version) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (package, clause) DO UPDATE SET text = excluded.text, version = excluded.version",
                    (package, clause, text, current.version + 1),
                )
        except NoteConflict:
            raise
        except UserDataError as exc:
            return str(exc)
        return None

    # -- saved calculator profiles ------------------------------------------------------------

    def profile_names(self) -> list[str]:
        return [r[0] for r in self._read("SELECT name FROM profiles ORDER BY name")]

    def profiles(self) -> dict[str, dict[str, Any]]:
        """Every saved profile with its facts, in name order, in one read (so a list made from
        it is one moment's, even while another instance saves); facts that cannot be read are
        empty."""
        out: dict[str, dict[str, Any]] = {}
        for name, text in self._read("SELECT name, facts FROM profiles ORDER BY name"):
            try:
                facts = json.loads(text)
            except ValueError:
                facts = None
            out[name] = facts if isinstance(facts, dict) else {}
        return out

    def save_profile(self, name: str, facts: dict[str, Any]) -> str | None:
        """Save (or replace) a named profile; money is kept as exact decimal strings."""
        text = json.dumps({k: _jsonable(v) for k, v in facts.items()}, ensure_ascii=False, sort_keys=True)
        return self._save(
            Notice("the profile"),
            "INSERT INTO profiles (name, facts) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET facts = excluded.facts",
            (name, text),
        )

    def load_profile(self, name: str) -> dict[str, Any] | None:
        rows = self._read("SELECT facts FROM profiles WHERE name = ?", (name,))
        if not rows:
            return None
        try:
            facts = json.loads(rows[0][0])
        except ValueError:
            return None
        return facts if isinstance(facts, dict) else None

    def delete_profile(self, name: str) -> bool:
        try:
            with self._write(Notice("the profile")) as db:
                return db.execute("DELETE FROM profiles WHERE name = ?", (name,)).rowcount > 0
        except UserDataError as exc:
            self.warnings.append(_notice(exc))
            return False

    def rename_profile(self, old: str, new: str) -> str | None:
        """Rename a saved profile; refuses an empty name, and to replace another profile of the
        new name (the same name is no change)."""
        if not new.strip():
            return Notice("a profile needs a name")
        try:
            with self._write(Notice("the profile")) as db:
                if new == old and db.execute("SELECT 1 FROM profiles WHERE name = ?", (old,)).fetchone():
                    return None
                if db.execute("SELECT 1 FROM profiles WHERE name = ?", (new,)).fetchone():
                    return Notice("a profile named {name} exists already", name=repr(new))
                if db.execute("UPDATE profiles SET name = ? WHERE name = ?", (new, old)).rowcount == 0:
                    return Notice("no profile named {name}", name=repr(old))
        except UserDataError as exc:
            return _notice(exc)
        return None

    # -- the JSON file of earlier versions -------------------------------------------------------

    def _import_legacy_json(self) -> None:
        """Import ``user.json`` beside the database once, then keep it aside as
        ``user.json.imported-N``. Records that are not what they should be are left out and
        counted in a warning; what the database already holds is kept (an old file that
        reappears never replaces newer notes); the file itself is kept, so nothing is lost."""
        legacy = self.path.with_name(LEGACY_JSON)
        if legacy == self.path or not legacy.is_file() or self._db is None:
            return
        try:
            data = json.loads(legacy.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError) as exc:
            aside = _aside(legacy, "damaged")
            self.warnings.append(
                Notice(
                    "{path} could not be read ({why}); it was moved to {aside}, nothing imported",
                    path=legacy,
                    why=_why(exc),
                    aside=aside,
                )
            )
            return
        tables = data if isinstance(data, dict) else {}
        skipped = 0 if isinstance(data, dict) else 1
        try:
            with self._write(Notice("the imported data")) as db:
                for table, rows in tables.items():
                    if not isinstance(rows, dict):
                        skipped += 1
                        continue
                    skipped += sum(not _import_row_safely(db, table, row) for row in rows.values())
        except UserDataError as exc:
            self.warnings.append(Notice("{path} was not imported: {why}", path=legacy, why=_notice(exc)))
            return
        aside = _aside(legacy, "imported")
        if skipped:
            self.warnings.append(
                Notice(
                    "{count} damaged record(s) in {path} were not imported; the file is kept at {aside}",
                    count=skipped,
                    path=legacy,
                    aside=aside,
                )
            )


MAX_CLAUSE = 100_000  # no package has more clauses; a larger number is damage


def _import_row_safely(db: sqlite3.Connection, table: str, row: object) -> bool:
    """:func:`_import_row`, with any value SQLite cannot store counted as damage."""
    try:
        return _import_row(db, table, row)
    except (OverflowError, UnicodeError, ValueError, TypeError, RecursionError, sqlite3.IntegrityError):
        return False


def _import_row(db: sqlite3.Connection, table: str, row: object) -> bool:
    """Import one record of the old JSON file; False when it is not a record of its table."""
    if not isinstance(row, dict):
        return False
    clause = row.get("clause")
    valid_clause = isinstance(clause, int) and not isinstance(clause, bool) and 0 < clause <= MAX_CLAUSE
    if table == "settings" and isinstance(row.get("key"), str):
        db.execute(
            "INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)",
            (row["key"], json.dumps(row.get("value"), ensure_ascii=False)),
        )
    elif table == "bookmarks" and valid_clause:
        db.execute("INSERT OR IGNORE INTO bookmarks (package, clause) VALUES (?, ?)", (SHIPPED_PACKAGE, clause))
    elif table == "notes" and valid_clause and isinstance(row.get("text"), str):
        row["text"].encode("utf-8")  # a lone surrogate cannot be stored: damage
        db.execute(
            "INSERT OR IGNORE INTO notes (package, clause, text, version) VALUES (?, ?, ?, 1)",
            (SHIPPED_PACKAGE, clause, row["text"]),
        )
    elif (
        table == "profiles" and isinstance(row.get("name"), str) and row["name"] and isinstance(row.get("facts"), dict)
    ):
        db.execute(
            "INSERT OR IGNORE INTO profiles (name, facts) VALUES (?, ?)",
            (row["name"], json.dumps(row["facts"], ensure_ascii=False, sort_keys=True)),
        )
    else:
        return False
    return True


def _not_a_database(path: Path) -> bool:
    """A non-empty file that does not start as every SQLite database does."""
    head = file_head(path)
    return bool(head) and head != SQLITE_HEADER


def _use_wal(db: sqlite3.Connection) -> None:
    """Put the file in WAL mode. Switching a file that is not yet in it (one another program
    made) needs it to itself, and SQLite answers "locked" at once, without waiting, while
    another instance has it open: try again until the busy timeout."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _migrate(db: sqlite3.Connection) -> None:
    """Create the tables of a new file, or bring an older one to this version, in one
    transaction. The version is read again under the write lock: another instance may have
    just done it."""
    with _transaction(db):
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version >= SCHEMA_VERSION:
            return
        script = _SCHEMA if version == 0 else _SETTINGS_AND_PROFILES + _MIGRATE_1_TO_2
        for statement in script.split(";"):
            if statement.strip():
                db.execute(statement)
        db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")


@contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    """BEGIN IMMEDIATE … COMMIT, rolled back on any exception."""
    if db.in_transaction:  # executescript manages its own
        yield
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        with suppress(sqlite3.Error):
            db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


class _Damaged(Exception):
    """The database opened, but its content fails SQLite's integrity check."""


def _is_damage(exc: BaseException) -> bool:
    """The file's content is broken (move it aside), as opposed to the disk, a lock or
    permissions (leave the file alone and say so)."""
    if isinstance(exc, _Damaged):
        return True
    code = getattr(exc, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT)


def _notice(exc: UserDataError) -> Notice:
    """What a :class:`UserDataError` says, as a notice (it is always raised with one)."""
    said = exc.args[0] if exc.args else ""
    return said if isinstance(said, Notice) else Notice("{why}", why=str(said))


def _why(exc: BaseException, path: Path | None = None) -> Notice:
    """Why the data could not be used or saved, as a notice where it can be one (so it is in
    the reader's words): an OSError by :func:`.files.os_reason`, our own error's notice,
    SQLite's by :func:`sqlite_reason`."""
    if isinstance(exc, OSError):
        return os_reason(exc)
    if isinstance(exc, UserDataError):
        return _notice(exc)
    if isinstance(exc, sqlite3.Error):
        return sqlite_reason(exc, path)
    return Notice("{why}", why=str(exc))


# SQLite's own English ("attempt to write a readonly database") never reaches the reader:
# the common result codes in the reader's words.
_SQLITE_WORDS: dict[int, str] = {
    sqlite3.SQLITE_READONLY: N_("the file or its folder cannot be written"),
    sqlite3.SQLITE_FULL: N_("the disk is full"),
    sqlite3.SQLITE_CORRUPT: N_("its content is damaged"),
    sqlite3.SQLITE_NOTADB: N_("it is not an SQLite database"),
    sqlite3.SQLITE_BUSY: N_("another hzpolicy-tui is changing it; try again in a moment"),
    sqlite3.SQLITE_LOCKED: N_("another hzpolicy-tui is changing it; try again in a moment"),
    sqlite3.SQLITE_CANTOPEN: N_("it cannot be opened (its folder is missing or cannot be written)"),
    sqlite3.SQLITE_PERM: N_("permission denied"),
    sqlite3.SQLITE_IOERR: N_("the disk could not be read or written (input/output error)"),
}


def sqlite_reason(exc: BaseException, path: Path | None = None) -> Notice:
    """Why an SQLite call failed, in the reader's words (through ``Locale.say``). An I/O
    error where the disk holding ``path`` has no space left is a full disk (SQLite says
    "disk I/O error" when it cannot grow its shared-memory file)."""
    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    if code == sqlite3.SQLITE_IOERR and path is not None and disk_full(path):
        code = sqlite3.SQLITE_FULL
    words = _SQLITE_WORDS.get(code)
    if words is not None:
        return Notice(words)
    if "no such table" in str(exc):
        return Notice("a table it needs is missing")
    return Notice("{why}", why=str(exc))


def disk_full(path: Path) -> bool:
    """Whether the disk holding ``path`` (or its nearest existing folder) has no space left."""
    folder = Path(path)
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        info = os.statvfs(folder)
    except (OSError, AttributeError):  # no statvfs on Windows
        return False
    return info.f_bavail * info.f_frsize < 64 * 1024


def read_only_connection(path: Path, check: int | None = None) -> sqlite3.Connection | None:
    """``path`` opened read-only, for a folder or a disk that cannot be written; None when it
    cannot be read. SQLite in WAL mode needs to write its shared-memory file even to read:
    where it cannot, the file is read as it is on disk (``immutable``), unless a write-ahead
    log holds changes not yet in it (reading without them would show an older state).
    ``check``: the ``user_version`` it must have."""
    uri = Path(path).resolve().as_uri()
    wal = Path(f"{path}-wal")
    attempts = [f"{uri}?mode=ro"]
    if not (wal.exists() and wal.stat().st_size > 0):
        attempts.append(f"{uri}?mode=ro&immutable=1")
    for attempt in attempts:
        try:
            db = sqlite3.connect(
                attempt, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error:
            continue
        try:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.Error:
            db.close()
            continue
        if check is not None and version != check:
            db.close()
            return None
        return db
    return None


__all__ = [
    "Note",
    "NoteConflict",
    "UserData",
    "UserDataError",
    "data_dir",
    "disk_full",
    "read_only_connection",
    "sqlite_reason",
]
