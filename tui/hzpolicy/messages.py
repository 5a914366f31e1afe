"""Messages shared by several widgets: attributes go down, messages come up."""

from __future__ import annotations

from textual.message import Message


class ClauseChosen(Message):
    """A widget asks the screen to show a clause."""

    def __init__(self, number: int, focus_detail: bool = False) -> None:
        self.number = number
        self.focus_detail = focus_detail
        super().__init__()
