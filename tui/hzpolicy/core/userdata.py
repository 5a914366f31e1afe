"""The user's own data: settings now (script, theme). Never in the shipped store.

Lives in the platform's user data directory (``HZPOLICY_DATA_DIR`` overrides it, for
tests and portable installs), written atomically.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

from decimal import Decimal

from .money import plain
from .store import open_user_db

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

    def get(self, key: str, default=None):
        if self._db is None:
            return default
        try:
            rows = self._db.table("settings").all()
        except (ValueError, OSError):
            return default
        for row in rows:
            if row.get("key") == key:
                return row.get("value", default)
        return default

    def set(self, key: str, value) -> str | None:
        """Save a setting; returns an error message instead of raising when it cannot."""
        if self._db is None:
            return self.warning
        table = self._db.table("settings")
        try:
            ids = [r.doc_id for r in table.all() if r.get("key") == key]
            if ids:
                table.update({"value": value}, doc_ids=ids)
            else:
                table.insert({"key": key, "value": value})
        except (OSError, ValueError) as exc:
            return f"could not save {key} to {self.path}: {exc}"
        return None

    # -- saved calculator profiles ------------------------------------------------------------

    def _profiles(self):
        return None if self._db is None else self._db.table("profiles")

    def profile_names(self) -> list[str]:
        table = self._profiles()
        if table is None:
            return []
        try:
            return sorted(r.get("name", "") for r in table.all() if r.get("name"))
        except (ValueError, OSError):
            return []

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
