"""The user's own data: settings now (script, theme). Never in the shipped store.

Lives in the platform's user data directory (``HZPOLICY_DATA_DIR`` overrides it, for
tests and portable installs), written atomically.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

from contextlib import contextmanager
from decimal import Decimal

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


def _serialised(method):
    """Run a read-modify-write under the user store's lock."""

    def wrapper(self, *args, **kwargs):
        with self._locked():
            return method(self, *args, **kwargs)

    wrapper.__name__ = method.__name__
    wrapper.__doc__ = method.__doc__
    return wrapper


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

    def get(self, key: str, default=None):
        if self._db is None:
            return default
        try:
            rows = fresh_table(self._db, "settings").all()
        except (ValueError, OSError):
            return default
        for row in rows:
            if row.get("key") == key:
                return row.get("value", default)
        return default

    @_serialised
    def set(self, key: str, value) -> str | None:
        """Save a setting; returns an error message instead of raising when it cannot."""
        if self._db is None:
            return self.warning
        table = fresh_table(self._db, "settings")
        try:
            ids = [r.doc_id for r in table.all() if r.get("key") == key]
            if ids:
                table.update({"value": value}, doc_ids=ids)
            else:
                table.insert({"key": key, "value": value})
        except (OSError, ValueError) as exc:
            return f"could not save {key} to {self.path}: {exc}"
        return None

    # -- bookmarks and notes -------------------------------------------------------------------

    def bookmarks(self) -> list[int]:
        if self._db is None:
            return []
        try:
            return sorted(r["clause"] for r in fresh_table(self._db, "bookmarks").all() if isinstance(r.get("clause"), int))
        except (ValueError, OSError):
            return []

    def set_bookmark(self, clause: int, on: bool) -> str | None:
        if self._db is None:
            return self.warning
        with self._locked():
            table = fresh_table(self._db, "bookmarks")
            try:
                ids = [r.doc_id for r in table.all() if r.get("clause") == clause]
                if on and not ids:
                    table.insert({"clause": clause})
                elif not on and ids:
                    table.remove(doc_ids=ids)
            except (OSError, ValueError) as exc:
                return f"could not save the bookmark to {self.path}: {exc}"
        return None

    def notes(self) -> dict[int, str]:
        if self._db is None:
            return {}
        try:
            return {r["clause"]: r.get("text", "") for r in fresh_table(self._db, "notes").all() if r.get("text")}
        except (ValueError, OSError):
            return {}

    def set_note(self, clause: int, text: str) -> str | None:
        """Save a clause's note (an empty text deletes it)."""
        if self._db is None:
            return self.warning
        with self._locked():
            table = fresh_table(self._db, "notes")
            try:
                ids = [r.doc_id for r in table.all() if r.get("clause") == clause]
                if ids:
                    table.remove(doc_ids=ids)
                if text.strip():
                    table.insert({"clause": clause, "text": text})
            except (OSError, ValueError) as exc:
                return f"could not save the note to {self.path}: {exc}"
        return None

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

    def _profiles(self):
        return None if self._db is None else fresh_table(self._db, "profiles")

    def profile_names(self) -> list[str]:
        table = self._profiles()
        if table is None:
            return []
        try:
            return sorted(r.get("name", "") for r in table.all() if r.get("name"))
        except (ValueError, OSError):
            return []

    @_serialised
    def save_profile(self, name: str, facts: dict) -> str | None:
        """Save (or replace) a named profile; money is kept as exact decimal strings."""
        table = self._profiles()
        if table is None:
            return self.warning
        record = {"name": name, "facts": {k: _jsonable(v) for k, v in facts.items()}}
        try:
            ids = [r.doc_id for r in table.all() if r.get("name") == name]
            if ids:
                table.update(record, doc_ids=ids)
            else:
                table.insert(record)
        except (OSError, ValueError) as exc:
            return f"could not save the profile to {self.path}: {exc}"
        return None

    def load_profile(self, name: str) -> dict | None:
        table = self._profiles()
        if table is None:
            return None
        for r in table.all():
            if r.get("name") == name:
                return dict(r.get("facts", {}))
        return None

    @_serialised
    def delete_profile(self, name: str) -> bool:
        table = self._profiles()
        if table is None:
            return False
        ids = [r.doc_id for r in table.all() if r.get("name") == name]
        if ids:
            table.remove(doc_ids=ids)
        return bool(ids)

    @property
    def script(self) -> str:
        value = self.get("script", "traditional")
        return value if value in SCRIPTS else "traditional"
