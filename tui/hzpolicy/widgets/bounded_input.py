"""An input that keeps what fits: typing or pasting past ``max_length`` keeps the first part,
instead of refusing the whole paste (Textual's Input rings the bell and drops it)."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Input

from ..core.i18n import N_
from ..core.script import without_controls


class BoundedInput(Input):
    """Also drops what a paste may carry that nobody types: escape sequences and control
    characters (a line break becomes a space)."""

    def replace(self, text: str, start: int, end: int) -> None:
        text = without_controls(text)
        if self.max_length:
            low, high = sorted((start, end))
            room = self.max_length - (len(self.value) - (high - low))
            text = text[: max(room, 0)]
        super().replace(text, start, end)


class SearchBox(BoundedInput):
    """The explorer's search box: Ctrl+E exports (the results, the open clause) as it does
    everywhere in the explorer, instead of Input's "cursor to the end" (End does that)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+e", "screen.export", N_("Export"), id="search-export", tooltip=N_("Export to a file")),
    ]
