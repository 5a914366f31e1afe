"""The detail pane: one clause in full, wrapped the way Chinese is read."""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

from ..core.models import DEFAULT_SCRIPT, Document, MoneyRecord, Script
from ..core.money import ROLE_WORDS, figure_spans
from ..core.script import say, typeset
from ..core.wrap import break_lines

FIGURE_STYLE = Style(bold=True, color="#d7875f")
MATCH_STYLE = Style(reverse=True)
CURRENT_STYLE = Style(reverse=True, bold=True, underline=True)
VALIDITY_TEXT = {
    "expired": "已失效",
    "in_force": "有效",
    "not_yet": "尚未生效",
    "unknown": "",
}


def _divide(text: Text, spans: list[tuple[int, int]]) -> list[Text]:
    """Cut styled text at the line starts computed by the line breaker."""
    lines = list(text.divide([s for s, _ in spans[1:]]))
    for line in lines:
        line.rstrip()
    return lines


class ClauseView(Widget, can_focus=True):
    """Shows ``clause``; search ``matches`` are marked, ``current_match`` most strongly."""

    DEFAULT_CSS = """
    ClauseView { height: auto; padding: 0 1; }
    """

    clause: reactive[int] = reactive(0, layout=True)
    script: reactive[Script] = reactive(DEFAULT_SCRIPT, layout=True)
    matches: reactive[tuple[tuple[int, int], ...]] = reactive((), layout=True)
    current_match: reactive[int] = reactive(-1, layout=True)
    bookmarked: reactive[bool] = reactive(False, layout=True)
    note: reactive[str] = reactive("", layout=True)

    def __init__(self, doc: Document, today: date, clause: int = 0, **kwargs: Any) -> None:
        super().__init__(**kwargs)  # Widget's own: name, id, classes, disabled
        self.set_reactive(ClauseView.clause, clause)
        self.doc = doc
        self.today = today
        self._cache: tuple[tuple[object, ...], list[Text]] | None = None  # (what the lines depend on, lines)
        self.body_first_line = 0  # where the body starts, for scrolling to a match
        self.match_lines: list[int] = []

    # -- content -----------------------------------------------------------------------------

    def _header(self, width: int) -> list[Text]:
        c = self.doc.clause(self.clause)
        if c is None:
            return [Text(say("從左邊的樹選一條政策, 或按 / 搜尋。", self.script), style="dim")]
        d = self.doc.domain_of(c)
        s = lambda t: say(t, self.script)  # noqa: E731 - a short local alias reads better here
        lines: list[Text] = []
        star = "* " if self.bookmarked else ""
        lines.extend(self._wrap_plain(f"{star}({c.numeral}) {c.title_in(self.script)}", width, Style(bold=True)))
        lines.extend(
            self._wrap_plain(
                f"{s('第')}{c.number}{s('條')} | {d.numeral}、{d.title_in(self.script)}",
                width,
                Style(dim=True),
            )
        )
        lead = "、".join(d.lead_agencies_in(self.script))
        if lead:
            lines.extend(self._wrap_plain(f"{s('牽頭單位')}: {lead}", width, None))
        status = self.doc.validity_status(self.today)
        if self.doc.valid_from:
            note = s(VALIDITY_TEXT[status])
            text = Text(f"{s('有效期')}: {self.doc.valid_from} ~ {self.doc.valid_to}  ")
            text.append(
                f"[{note}, {s('截至')} {self.today.isoformat()}]",
                style="bold red" if status != "in_force" else "bold green",
            )
            lines.extend(self._wrap_text(text, width))
        if self.note:
            lines.append(Text(""))
            lines.append(Text(s("我的筆記") + " (F9)", style="bold underline"))
            for para in self.note.splitlines() or [""]:
                lines.extend(self._wrap_plain(para, width, Style(italic=True)))
        lines.append(Text(""))
        lines.append(Text(s("責任單位"), style="bold underline"))
        units = c.units_in(self.script)
        for u in units:
            lines.extend(self._wrap_plain(f"- {u}", width, None))
        if c.money or c.percentages:
            lines.append(Text(""))
            lines.append(Text(s("金額與比例"), style="bold underline"))
            for m in c.money:
                lines.extend(self._figure_line(m["text"], m["role"], self._exact(m), width))
            for p in c.percentages:
                lines.extend(self._figure_line(p["text"], p["role"], "", width))
        lines.append(Text(""))
        return lines

    def _exact(self, m: MoneyRecord) -> str:
        """A money figure's exact amount, as " = 17,710,000,000元" (or in dollars)."""
        if "yuan" in m:
            yuan, unit = m["yuan"], say("元", self.script)
            return f" = {int(yuan):,}{unit}" if yuan.isdigit() else f" = {yuan}{unit}"
        if "usd" in m:
            return f" = USD {m['usd']}"
        return ""

    def _figure_line(self, text: str, role: str, exact: str, width: int) -> list[Text]:
        """One figure of the clause: its text, what it is, and its exact amount if money."""
        line = Text("- ")
        line.append(say(text, self.script), style=FIGURE_STYLE)
        line.append(f" [{say(ROLE_WORDS.get(role, role), self.script)}]{exact}", style="dim")
        return self._wrap_text(line, width)

    @staticmethod
    def _wrap_text(text: Text, width: int) -> list[Text]:
        return _divide(text, break_lines(text.plain, width))

    def _wrap_plain(self, plain: str, width: int, style: Style | None) -> list[Text]:
        return self._wrap_text(Text(plain, style=style or ""), width)

    def _body(self, width: int) -> tuple[list[Text], list[int]]:
        c = self.doc.clause(self.clause)
        if c is None:
            return [], []
        raw = c.body_in(self.script)
        body = typeset(raw)  # same length: spans from search still line up
        text = Text(body)
        for s, e in figure_spans(body):
            text.stylize(FIGURE_STYLE, s, e)
        for i, (s, e) in enumerate(self.matches):
            text.stylize(CURRENT_STYLE if i == self.current_match else MATCH_STYLE, s, e)
        spans = break_lines(body, width)
        lines = _divide(text, spans)
        match_lines: list[int] = []
        for s, _ in self.matches:
            for i, (ls, le) in enumerate(spans):
                if ls <= s < le or (i == len(spans) - 1 and s >= ls):
                    match_lines.append(i)
                    break
        return lines, match_lines

    def lines_for(self, width: int) -> list[Text]:
        key = (
            self.clause,
            self.script,
            self.matches,
            self.current_match,
            width,
            self.today,
            self.bookmarked,
            self.note,
        )
        if self._cache and self._cache[0] == key:
            return self._cache[1]
        width = max(width, 4)
        header = self._header(width)
        body, match_lines = self._body(width)
        self.body_first_line = len(header)
        self.match_lines = [len(header) + i for i in match_lines]
        lines = header + body
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

    def line_of_match(self, index: int) -> int | None:
        self.lines_for(self.content_region.width)
        if 0 <= index < len(self.match_lines):
            return self.match_lines[index]
        return None

    def plain_text(self) -> str:
        """The open clause for the clipboard: number, title, text and units."""
        c = self.doc.clause(self.clause)
        if c is None:
            return ""
        units = "、".join(c.units_in(self.script))
        body = typeset(c.body_in(self.script))
        return f"({c.numeral}) {c.title_in(self.script)}\n{body}\n({say('責任單位', self.script)}: {units})"
