"""Styled Chinese text wrapped by the line-breaking rules of core.wrap (not Rich's folding).

Shows either a Rich ``Text`` or lines described by core (:class:`~hzpolicy.core.present.Block`
s with marks): those are styled when drawn, with the theme's colours (component classes), so
a change of theme recolours them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

from ..core.present import Block
from ..core.wrap import break_lines

TONE_CLASS = {
    "figure": "prose--figure",
    "good": "prose--good",
    "bad": "prose--bad",
    "dim": "prose--dim",
    "strong": "prose--strong",
}
KIND_CLASS = {"title": "prose--title", "section": "prose--title"}


def wrap_text(text: Text, width: int, keep: tuple[tuple[int, int], ...] = ()) -> list[Text]:
    """Lines of styled text, each paragraph broken by the 禁則 rules (``keep``: spans of a
    one-paragraph text that are never split, such as 最高可得 200 万元)."""
    lines: list[Text] = []
    for para in text.split("\n", allow_blank=True):
        spans = break_lines(para.plain, max(width, 4), keep if "\n" not in text.plain else ())
        parts = list(para.divide([s for s, _ in spans[1:]]))
        for part in parts:
            part.rstrip()
        lines.extend(parts or [Text("")])
    return lines


class Prose(Widget):
    COMPONENT_CLASSES: ClassVar[set[str]] = {*TONE_CLASS.values(), *KIND_CLASS.values()}
    DEFAULT_CSS = """
    Prose { height: auto; }
    Prose > .prose--title { text-style: bold; }
    Prose > .prose--figure { color: $warning; text-style: bold; }
    Prose > .prose--good { color: $success; text-style: bold; }
    Prose > .prose--bad { color: $error; text-style: bold; }
    Prose > .prose--dim { color: $text-muted; }
    Prose > .prose--strong { text-style: bold; }
    """

    # Not reactive: a change lays the screen out again only when it changes the height (a
    # layout pass over a form of a hundred widgets is what a keystroke would otherwise cost).
    text: Text
    blocks: tuple[Block, ...]

    def __init__(self, text: Text | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)  # Widget's own: name, id, classes, disabled
        self.text = text or Text("")
        self.blocks = ()

    def update(self, text: Text) -> None:
        """Show styled text."""
        self._change(text, ())

    def show(self, blocks: Iterable[Block]) -> None:
        """Show lines described by core, one a block."""
        self._change(Text(""), tuple(blocks))

    def _change(self, text: Text, blocks: tuple[Block, ...]) -> None:
        width = self.content_region.width
        before = len(self._wrapped(width)) if width else -1
        self.text, self.blocks = text, blocks
        after = len(self._wrapped(width)) if width else -2
        self.refresh(layout=before != after)

    def _wrapped(self, width: int) -> list[Text]:
        """The lines shown at ``width``: each block wrapped alone, keeping its unbroken spans."""
        if not self.blocks:
            return wrap_text(self.text, width)
        return [line for b in self.blocks for line in wrap_text(self._block_text(b), width, b.keep)]

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(name, partial=True)

    def _block_text(self, block: Block) -> Text:
        kind = KIND_CLASS.get(block.kind)
        text = Text(block.text, style=self._style(kind) if kind else "")
        for mark in block.marks:
            text.stylize(self._style(TONE_CLASS[mark.tone]), mark.start, mark.end)
        return text

    def content(self) -> Text:
        """What is shown, before wrapping."""
        if not self.blocks:
            return self.text
        return Text("\n").join(self._block_text(b) for b in self.blocks)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._wrapped(width))

    def render(self) -> Text:
        out = Text("\n").join(self._wrapped(self.content_region.width))
        out.no_wrap = True
        out.overflow = "crop"
        return out
