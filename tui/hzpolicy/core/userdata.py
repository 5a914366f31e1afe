"""The user's own data: settings now (script, theme). Never in the shipped store.

Lives in the platform's user data directory (``HZPOLICY_DATA_DIR`` overrides it, for
tests and portable installs), written atomically.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

from platformdirs import user_data_dir

try:
    import fcntl
except ImportError:  # Windows: atomic renames still keep the file whole
    fcntl = None

from .money import plain
from .store import fresh_table, open_user_db

APP_NAME = "hzpolicy-tui"
SCRIPTS = ("traditional", "simplified")


def data_dir() -> Path:
    override = os.environ.get("HZPOLICY_DATA_DIR")
    return Path(override) if override else Path(user_data_dir(APP_NAME, appauthor=False))


def _jsonable(value):
    if isinstance(value, Decimal):
        return plain(value)
    return value


class UserData:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or data_dir() / "user.json"
        self.warning: str | None = None
        self._db = None
        try:
            self._db, self.warning = open_user_db(self.path)
        except OSError as exc:
            # A read-only home still lets the app run; settings just are not kept.
            self.warning = f"cannot use {self.path} ({exc.strerror or exc}); settings will not be kept"

    # -- one way to read and one way to write every table ---------------------------------------

    def _rows(self, table: str) -> list:
        """A table's rows, read afresh; nothing (never an exception) when it cannot be read."""
        if self._db is None:
            return []
        try:
            return fresh_table(self._db, table).all()
        except (ValueError, OSError):
            return []

    def _put(self, table: str, field: str, value, record: dict | None, what: str) -> tuple[int, str | None]:
        """Under the lock: drop the rows whose ``field`` is ``value``, then add ``record`` (if
        any). Returns (rows dropped, an error message or None)."""
        if self._db is None:
            return 0, self.warning
        with self._locked():
            rows = fresh_table(self._db, table)
            try:
                ids = [r.doc_id for r in rows.all() if r.get(field) == value]
                if ids:
                    rows.remove(doc_ids=ids)
                if record is not None:
                    rows.insert(record)
            except (OSError, ValueError) as exc:
                return 0, f"could not save {what} to {self.path}: {exc}"
        return len(ids), None

    # -- settings ---------------------------------------------------------------------------

    def get(self, key: str, default=None):
        for row in self._rows("settings"):
            if row.get("key") == key:
                return row.get("value", default)
        return default

    def set(self, key: str, value) -> str | None:
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
    def _locked(self):
        """Serialise read-modify-write between two running instances (the write itself is
        an atomic rename, so a reader never sees half a file)."""
        lock_path = self.path.with_name(self.path.name + ".lock")
        try:
            lock_path.parent.mkdir(parents=True, exist_ok=True)
            handle = open(lock_path, "a+")
        except OSError:
            yield
            return
        try:
            if fcntl is not None:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
            handle.close()

    # -- saved calculator profiles ------------------------------------------------------------

    def profile_names(self) -> list[str]:
        return sorted(r.get("name", "") for r in self._rows("profiles") if r.get("name"))

    def save_profile(self, name: str, facts: dict) -> str | None:
        """Save (or replace) a named profile; money is kept as exact decimal strings."""
        record = {"name": name, "facts": {k: _jsonable(v) for k, v in facts.items()}}
        return self._put("profiles", "name", name, record, "the profile")[1]

    def load_profile(self, name: str) -> dict | None:
        for r in self._rows("profiles"):
            if r.get("name") == name:
                return dict(r.get("facts", {}))
        return None

    def delete_profile(self, name: str) -> bool:
        dropped, _ = self._put("profiles", "name", name, None, "the profile")
        return dropped > 0

    @property
    def script(self) -> str:
        value = self.get("script", "traditional")
        return value if value in SCRIPTS else "traditional"
