"""An input that keeps what fits: typing or pasting past ``max_length`` keeps the first part,
instead of refusing the whole paste (Textual's Input rings the bell and drops it)."""

from __future__ import annotations

from textual.widgets import Input


class BoundedInput(Input):
    def replace(self, text: str, start: int, end: int) -> None:
        if self.max_length:
            low, high = sorted((start, end))
            room = self.max_length - (len(self.value) - (high - low))
            text = text[: max(room, 0)]
        super().replace(text, start, end)
