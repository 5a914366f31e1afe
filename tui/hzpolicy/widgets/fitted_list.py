"""A list of items drawn as prompts cut to the list's width (an ASCII '...'), drawn again
when the width changes: the package picker's and the profile picker's lists."""

from __future__ import annotations

from typing import Generic, TypeVar

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ..core.i18n import Locale

Item = TypeVar("Item")


class FittedList(OptionList, Generic[Item]):
    """Subclasses say how an item is drawn at a width (:meth:`prompt`)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, compact=True)
        self.items: list[Item] = []
        self.loc = Locale()
        self._width = 0  # the width the prompts were cut for

    def fill(self, items: list[Item], loc: Locale, highlight: int | None) -> None:
        """List ``items``, highlighting the one at ``highlight`` (None: none)."""
        self.items = items
        self.loc = loc
        self._width = self.scrollable_content_region.width
        self.set_options(Option(self.prompt(item, self._width)) for item in items)
        self.highlighted = highlight if items else None

    @property
    def chosen(self) -> Item | None:
        at = self.highlighted
        return self.items[at] if at is not None and 0 <= at < len(self.items) else None

    def on_resize(self) -> None:
        width = self.scrollable_content_region.width
        if width != self._width:
            self._width = width
            for i, item in enumerate(self.items):
                self.replace_option_prompt_at_index(i, self.prompt(item, width))

    def prompt(self, item: Item, width: int) -> Text:
        raise NotImplementedError
