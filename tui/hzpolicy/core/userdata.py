"""The user's own data: settings (script, theme), bookmarks, notes and calculator profiles.

Never in the shipped store. Lives in the platform's user data directory
(``HZPOLICY_DATA_DIR`` overrides it, for tests and portable installs). Every write is a
read-modify-write under a file lock, saved with :func:`.files.atomic_replace`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document as Row
from tinydb.table import Table

from .files import atomic_replace
from .models import Script, as_script
from .money import plain

try:
    import fcntl
except ImportError:  # Windows: atomic renames still keep the file whole
    fcntl = None  # type: ignore[assignment]

APP_NAME = "hzpolicy-tui"


def data_dir() -> Path:
    override = os.environ.get("HZPOLICY_DATA_DIR")
    return Path(override) if override else Path(user_data_dir(APP_NAME, appauthor=False))


class AtomicJSONStorage(Storage):
    """TinyDB storage that never leaves a half-written file: write a temp file, then rename."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def read(self) -> dict[str, dict[str, Any]] | None:
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        if not raw.strip():
            return None
        data = json.loads(raw)
        if not isinstance(data, dict):
            raise ValueError("top level is not a JSON object")
        return data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_replace(self.path) as tmp, open(tmp, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=1, sort_keys=True)

    def close(self) -> None:
        pass


def open_user_db(path: Path) -> tuple[TinyDB, str | None]:
    """Open the user's store; a corrupted one is moved aside (never emptied) with a message."""
    warning = None
    try:
        AtomicJSONStorage(path).read()
    except (json.JSONDecodeError, UnicodeDecodeError, ValueError) as exc:
        stamp = 1
        aside = path.with_name(f"{path.name}.corrupt-{stamp}")
        while aside.exists():
            stamp += 1
            aside = path.with_name(f"{path.name}.corrupt-{stamp}")
        os.replace(path, aside)
        warning = f"your data file {path} was damaged ({exc}); it was moved to {aside} and a new one started"
    return TinyDB(path, storage=AtomicJSONStorage), warning


def fresh_table(db: TinyDB, name: str) -> Table:
    """A table object that knows nothing from earlier reads. TinyDB caches the next document
    id per Table object; with two instances of the app writing one file (under a lock), a
    cached id collides with the other's insert, so every write starts from a fresh view."""
    return Table(db.storage, name, cache_size=0)


def _jsonable(value: object) -> object:
    if isinstance(value, Decimal):
        return plain(value)
    return value


class UserData:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or data_dir() / "user.json"
        self.warning: str | None = None
        self._db: TinyDB | None = None
        try:
            self._db, self.warning = open_user_db(self.path)
        except OSError as exc:
            # A read-only home still lets the app run; settings just are not kept.
            self.warning = f"cannot use {self.path} ({exc.strerror or exc}); settings will not be kept"

    # -- one way to read and one way to write every table ---------------------------------------

    def _rows(self, table: str) -> list[Row]:
        """A table's rows, read afresh; nothing (never an exception) when it cannot be read."""
        if self._db is None:
            return []
        try:
            return fresh_table(self._db, table).all()
        except (ValueError, OSError):
            return []

    def _put(
        self, table: str, field: str, value: object, record: dict[str, Any] | None, what: str
    ) -> tuple[int, str | None]:
        """Under the lock, in one write: drop the rows whose ``field`` is ``value`` and add
        ``record`` (if any). One write, so a kill or a full disk leaves either the old rows
        or the new ones, never neither. Returns (rows dropped, an error message or None)."""
        if self._db is None:
            return 0, self.warning
        storage = AtomicJSONStorage(self.path)
        with self._locked():
            try:
                data = storage.read() or {}
                rows = data.setdefault(table, {})
                dropped = [k for k, r in rows.items() if isinstance(r, dict) and r.get(field) == value]
                for k in dropped:
                    del rows[k]
                if record is not None:
                    next_id = max((int(k) for k in rows if k.isdigit()), default=0) + 1
                    rows[str(next_id)] = record
                storage.write(data)
            except (OSError, ValueError) as exc:
                return 0, f"could not save {what} to {self.path}: {exc}"
        return len(dropped), None

    # -- settings ---------------------------------------------------------------------------

    def get(self, key: str, default: object = None) -> object:
        for row in self._rows("settings"):
            if row.get("key") == key:
                return row.get("value", default)
        return default

    def set(self, key: str, value: object) -> str | None:
        """Save a setting; returns an error message instead of raising when it cannot."""
        return self._put("settings", "key", key, {"key": key, "value": value}, key)[1]

    # -- bookmarks and notes -------------------------------------------------------------------

    def bookmarks(self) -> list[int]:
        return sorted(r["clause"] for r in self._rows("bookmarks") if isinstance(r.get("clause"), int))

    def set_bookmark(self, clause: int, on: bool) -> str | None:
        return self._put("bookmarks", "clause", clause, {"clause": clause} if on else None, "the bookmark")[1]

    def notes(self) -> dict[int, str]:
        return {r["clause"]: r.get("text", "") for r in self._rows("notes") if r.get("text")}

    def set_note(self, clause: int, text: str) -> str | None:
        """Save a clause's note (an empty text deletes it)."""
        record = {"clause": clause, "text": text} if text.strip() else None
        return self._put("notes", "clause", clause, record, "the note")[1]

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """Serialise read-modify-write between two running instances (the write itself is
        an atomic rename, so a reader never sees half a file)."""
        lock_path = self.path.with_name(self.path.name + ".lock")
        try:
            lock_path.parent.mkdir(parents=True, exist_ok=True)
            handle = open(lock_path, "a+")  # noqa: SIM115 - held across the yield below
        except OSError:
            yield
            return
        with handle:
            if fcntl is not None:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                if fcntl is not None:
                    fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    # -- saved calculator profiles ------------------------------------------------------------

    def profile_names(self) -> list[str]:
        return sorted(r.get("name", "") for r in self._rows("profiles") if r.get("name"))

    def save_profile(self, name: str, facts: dict[str, Any]) -> str | None:
        """Save (or replace) a named profile; money is kept as exact decimal strings."""
        record = {"name": name, "facts": {k: _jsonable(v) for k, v in facts.items()}}
        return self._put("profiles", "name", name, record, "the profile")[1]

    def load_profile(self, name: str) -> dict[str, Any] | None:
        for r in self._rows("profiles"):
            if r.get("name") == name:
                return dict(r.get("facts", {}))
        return None

    def delete_profile(self, name: str) -> bool:
        dropped, _ = self._put("profiles", "name", name, None, "the profile")
        return dropped > 0

    @property
    def script(self) -> Script:
        return as_script(self.get("script"))
