"""Styled Chinese text wrapped by the line-breaking rules of core.wrap (not Rich's folding)."""

from __future__ import annotations

from rich.text import Text
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

from ..core.wrap import break_lines


def wrap_text(text: Text, width: int) -> list[Text]:
    """Lines of styled text, each paragraph broken by the 禁則 rules."""
    lines: list[Text] = []
    for para in text.split("\n", allow_blank=True):
        spans = break_lines(para.plain, max(width, 4))
        parts = list(para.divide([s for s, _ in spans[1:]]))
        for part in parts:
            part.rstrip()
        lines.extend(parts or [Text("")])
    return lines


class Prose(Widget):
    DEFAULT_CSS = "Prose { height: auto; }"

    text: reactive[Text] = reactive(Text(""), layout=True)

    def update(self, text: Text) -> None:
        self.text = text

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(wrap_text(self.text, width))

    def render(self) -> Text:
        out = Text("\n").join(wrap_text(self.text, self.content_region.width))
        out.no_wrap = True
        out.overflow = "crop"
        return out
