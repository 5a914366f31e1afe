"""The detail pane: the page of what the tree points at (the document, a domain or a clause),
drawn from core's presentation layer and wrapped the way Chinese is read."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from ..core.i18n import Locale
from ..core.models import DOCUMENT, Target
from ..core.present import Block, Page, clause_page, document_page, domain_page
from ..core.wrap import break_lines

# How each kind of line and each mark reads: component classes, so the theme colours them.
TONE_CLASS = {
    "figure": "clause-view--figure",
    "good": "clause-view--good",
    "bad": "clause-view--bad",
    "dim": "clause-view--dim",
    "strong": "clause-view--title",
}
KIND_CLASS = {"title": "clause-view--title", "section": "clause-view--section", "text": "", "item": ""}
ITEM_INDENT = 2  # an item's lines after the first start under its text, not under the dash


def _divide(text: Text, spans: list[tuple[int, int]]) -> list[Text]:
    """Cut styled text at the line starts computed by the line breaker."""
    lines = list(text.divide([s for s, _ in spans[1:]]))
    for line in lines:
        line.rstrip()
    return lines


class ClauseView(Widget, can_focus=True):
    """Shows the page of ``target``; on a clause, search ``matches`` (spans of its text) are
    marked, ``current_match`` most strongly."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "clause-view--figure",
        "clause-view--good",
        "clause-view--bad",
        "clause-view--dim",
        "clause-view--title",
        "clause-view--section",
        "clause-view--match",
        "clause-view--current",
    }
    DEFAULT_CSS = """
    ClauseView { height: auto; padding: 0 1; }
    ClauseView > .clause-view--figure { color: $warning; text-style: bold; }
    ClauseView > .clause-view--good { color: $success; text-style: bold; }
    ClauseView > .clause-view--bad { color: $error; text-style: bold; }
    ClauseView > .clause-view--dim { color: $text-muted; }
    ClauseView > .clause-view--title { text-style: bold; }
    ClauseView > .clause-view--section { text-style: bold underline; color: $accent; }
    ClauseView > .clause-view--match { text-style: reverse; }
    ClauseView > .clause-view--current { text-style: reverse bold underline; }
    """

    target: reactive[Target] = reactive(DOCUMENT, layout=True)
    locale: reactive[Locale] = reactive(Locale(), layout=True)
    matches: reactive[tuple[tuple[int, int], ...]] = reactive((), layout=True)
    # The text of the block the matches are spans of: "" for a clause's own text; a paragraph
    # of a domain's or the document's page, or a line of the note, for a match found there.
    match_block: reactive[str] = reactive("", layout=True)
    current_match: reactive[int] = reactive(-1, layout=True)
    bookmarked: reactive[bool] = reactive(False, layout=True)
    note: reactive[str] = reactive("", layout=True)

    class LinkClicked(Message):
        """A line that leads somewhere was clicked: open its target (and move the tree to it)."""

        def __init__(self, target: Target) -> None:
            self.target = target
            super().__init__()

    class Resized(Message):
        """The pane's width changed (shown again in a narrow terminal, a resize): lines and
        a marked match are placed anew."""

    def on_resize(self, event: events.Resize) -> None:
        self.post_message(self.Resized())

    def __init__(self, doc: Any, today: date, locale: Locale, target: Target = DOCUMENT, **kwargs: Any) -> None:
        super().__init__(**kwargs)  # Widget's own: name, id, classes, disabled
        # The first frame already in the reader's script: set before the first render.
        self.set_reactive(ClauseView.target, target)
        self.set_reactive(ClauseView.locale, locale)
        self.doc = doc
        self.today = today
        self._cache: tuple[tuple[object, ...], list[Text]] | None = None  # (what the lines depend on, lines)
        self.body_first_line = 0  # where a clause's text starts, for scrolling to a match
        self.match_lines: list[int] = []
        self.line_targets: dict[int, Target] = {}  # lines that open a clause or a domain

    @property
    def clause(self) -> int:
        """The clause shown, or 0 when the page is the document's or a domain's."""
        kind, number = self.target
        return number if kind == "clause" else 0

    def page(self) -> Page:
        kind, number = self.target
        if kind == "clause":
            return clause_page(self.doc, number, self.locale, self.today, self.note, self.bookmarked)
        if kind == "domain":
            return domain_page(self.doc, number, self.locale)
        return document_page(self.doc, self.locale, self.today)

    # -- drawing -----------------------------------------------------------------------------

    def _style(self, name: str) -> Style:
        # Unmounted (laid out on its own, as the wrapping tests do), it has no stylesheet.
        return self.get_component_rich_style(name, partial=True) if name and self.is_mounted else Style()

    def _block_text(self, block: Block) -> Text:
        text = Text(block.text, style=self._style(KIND_CLASS.get(block.kind, "")))
        for mark in block.marks:
            text.stylize(self._style(TONE_CLASS[mark.tone]), mark.start, mark.end)
        if self._marked_here(block):
            for i, (s, e) in enumerate(self.matches):
                name = "clause-view--current" if i == self.current_match else "clause-view--match"
                text.stylize(self._style(name), s, e)
        return text

    def _block_lines(self, block: Block, width: int) -> list[Text]:
        if block.kind == "blank":
            return [Text("")]
        text = self._block_text(block)
        if block.kind != "item":
            return _divide(text, break_lines(text.plain, width, block.keep))
        lines = _divide(text, break_lines(text.plain, max(width - ITEM_INDENT, 4), block.keep))
        return [Text("- ") + lines[0], *(Text(" " * ITEM_INDENT) + line for line in lines[1:])]

    def _marked_here(self, block: Block) -> bool:
        if self.match_block:
            return block.kind == "text" and block.text == self.match_block
        return block.kind == "body"

    def _body_match_lines(self, block: Block, width: int, first: int) -> list[int]:
        spans = break_lines(block.text, width)
        out = []
        for s, _ in self.matches:
            for i, (ls, le) in enumerate(spans):
                if ls <= s < le or (i == len(spans) - 1 and s >= ls):
                    out.append(first + i)
                    break
        return out

    def lines_for(self, width: int) -> list[Text]:
        key: tuple[object, ...] = (self.target, self.locale, self.matches, self.match_block, self.current_match, width)
        key += (self.today, id(self.doc))  # the doc: another package's page may be previewed
        key += (self.bookmarked, self.note, self.app.theme if self.is_mounted else "")
        if self._cache and self._cache[0] == key:
            return self._cache[1]
        width = max(width, 4)
        lines: list[Text] = []
        self.match_lines = []
        self.line_targets = {}
        self.body_first_line = 0
        for block in self.page().blocks:
            drawn = self._block_lines(block, width)
            if block.kind == "body":
                self.body_first_line = len(lines)
            if self._marked_here(block) and not self.match_lines:
                self.match_lines = self._body_match_lines(block, width, len(lines))
            if block.opens is not None:
                self.line_targets.update(dict.fromkeys(range(len(lines), len(lines) + len(drawn)), block.opens))
            lines.extend(drawn)
        self._cache = (key, lines)
        return lines

    # -- Textual -----------------------------------------------------------------------------

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines_for(width))

    def render(self) -> Text:
        lines = self.lines_for(self.content_region.width)
        out = Text("\n").join(lines)
        out.no_wrap = True
        out.overflow = "crop"
        return out

    def on_click(self, event: events.Click) -> None:
        """A click on a line that leads somewhere (a clause on a domain page) opens it."""
        target = self.line_targets.get(event.y)
        if target is not None:
            self.post_message(self.LinkClicked(target))

    def line_of_match(self, index: int) -> int | None:
        self.lines_for(self.content_region.width)
        if 0 <= index < len(self.match_lines):
            return self.match_lines[index]
        return None

    def plain_text(self) -> str:
        """The page for the clipboard, as the command line prints it (without the reader's
        own note and star: what is copied is the document's)."""
        kind, number = self.target
        if kind == "clause":
            return clause_page(self.doc, number, self.locale, self.today).text()
        return self.page().text()
