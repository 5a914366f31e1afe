"""A small choice field: cycles through options with Space/Enter/arrows or a click.

Drawn in ASCII only (Select's arrows and RadioButton's dots are ambiguous-width in CJK
terminals). The first option is always "not provided": a missing fact is never a guess."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from ..core.i18n import N_


class Choice(Widget, can_focus=True):
    DEFAULT_CSS = """
    Choice { height: 1; width: auto; min-width: 12; padding: 0 1; background: $boost; }
    Choice:focus { background: $primary 40%; text-style: bold; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space,enter,right", "step(1)", N_("Next choice"), show=False),
        Binding("left", "step(-1)", N_("Previous choice"), show=False),
    ]

    index: reactive[int] = reactive(0)

    class Changed(Message):
        def __init__(self, choice: Choice, value: Any) -> None:
            self.choice = choice
            self.value = value
            super().__init__()

        @property
        def control(self) -> Choice:
            return self.choice

    def __init__(self, options: list[tuple[str, Any]], unset_label: str = "-", **kwargs: Any) -> None:
        super().__init__(**kwargs)  # Widget's own: name, id, classes, disabled
        self.options = [(unset_label, None), *options]

    @property
    def value(self) -> Any:
        return self.options[self.index][1]

    @value.setter
    def value(self, value: Any) -> None:
        for i, (_, v) in enumerate(self.options):
            if v == value and (v is not None or value is None):
                self.index = i
                return
        self.index = 0

    def relabel(self, labels: Sequence[str], unset_label: str) -> None:
        """New words for the same options, in the same order (another language or script);
        the choice made stays."""
        if len(labels) != len(self.options) - 1:
            raise ValueError(f"{len(labels)} labels for {len(self.options) - 1} options")
        values = [v for _, v in self.options[1:]]
        self.options = [(unset_label, None), *zip(labels, values, strict=True)]
        self.refresh(layout=True)  # its width follows its words

    def render(self) -> Text:
        label = self.options[self.index][0]
        return Text(f"< {label} >", style="dim" if self.index == 0 else "")

    def action_step(self, delta: int) -> None:
        self.index = (self.index + delta) % len(self.options)

    def on_click(self) -> None:
        self.focus()
        self.action_step(1)

    def watch_index(self, old: int, new: int) -> None:
        if old != new:
            self.post_message(self.Changed(self, self.value))
