"""The line a screen shows when the terminal is smaller than it can be read in."""

from __future__ import annotations

from rich.text import Text
from textual.geometry import Size
from textual.widgets import Static

from ..core.i18n import Locale


class TooSmall(Static):
    """Docked at the top (app.tcss, ``TooSmall``), shown only below a screen's minimum size."""

    def check(self, size: Size, minimum: tuple[int, int], loc: Locale) -> bool:
        """Show or hide the notice for a screen of ``size``; whether it is too small."""
        width, height = size
        small = width < minimum[0] or height < minimum[1]
        words = loc.tr("Terminal too small ({width}x{height}): make it at least {min_width}x{min_height}")
        self.update(Text(words.format(width=width, height=height, min_width=minimum[0], min_height=minimum[1])))
        self.display = small
        return small
