"""The user's own data: settings now (script, theme). Never in the shipped store.

Lives in the platform's user data directory (``HZPOLICY_DATA_DIR`` overrides it, for
tests and portable installs), written atomically.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

from .store import open_user_db

APP_NAME = "hzpolicy-tui"
SCRIPTS = ("traditional", "simplified")


def data_dir() -> Path:
    override = os.environ.get("HZPOLICY_DATA_DIR")
    return Path(override) if override else Path(user_data_dir(APP_NAME, appauthor=False))


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

    @property
    def script(self) -> str:
        value = self.get("script", "traditional")
        return value if value in SCRIPTS else "traditional"
