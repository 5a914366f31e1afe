"""Errors that are a user's mistake: printed as one line, exit status 2, never a traceback."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .core.i18n import Notice

if TYPE_CHECKING:
    from .core.i18n import Locale


class UsageError(Exception):
    """A user's mistake on the command line.

    It carries a message of the catalogs (an English msgid with ``{name}`` placeholders, the
    error's code) and the values to fill in, as a :class:`~.core.i18n.Notice` (or a notice
    of core's, such as the user data's "could not save ..."), not finished prose:
    :meth:`text` puts it in the reader's words where it is printed; ``str()`` is English.
    A message without values that is not in the catalogs is printed as it is.
    """

    def __init__(self, message: str, **values: object) -> None:
        # Only a message with values is a template: a finished one may hold braces.
        self.message: str = Notice(message, **values) if values else message
        super().__init__(str(self.message))

    def text(self, loc: Locale) -> str:
        """The message in the reader's language and script."""
        if isinstance(self.message, Notice):
            return loc.say(self.message)
        return loc.tr(self.message) if self.message else ""
