"""Messages shared by several widgets: attributes go down, messages come up."""

from __future__ import annotations

from textual.message import Message

from .core.models import Target


class TargetChosen(Message):
    """A widget asks the screen to show a page: the document, a domain or a clause."""

    def __init__(self, target: Target, focus_detail: bool = False) -> None:
        self.target = target
        self.focus_detail = focus_detail
        super().__init__()
