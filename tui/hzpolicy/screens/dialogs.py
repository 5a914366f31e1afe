"""Small modal dialogs: a clause's note, and exporting to a file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static, TextArea

from ..core import export
from ..core.models import Script
from ..core.script import say
from ..widgets.choice import Choice

# What can be exported: a label, and a function giving (records, title, meta) when chosen.
ExportSource = tuple[str, Callable[[], tuple[list[export.Record], str, export.Record]]]


class NoteScreen(ModalScreen[str | None]):
    """Edit a clause's note; returns the text (empty deletes it) or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save note", id="note-save", tooltip="Save the note"),
        Binding("escape", "cancel", "Cancel", id="note-cancel", tooltip="Close without saving"),
    ]

    def __init__(self, heading: str, text: str, script: Script) -> None:
        super().__init__()
        self.heading = heading
        self.text = text
        self.script = script

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.heading, style="bold"))
            yield TextArea(self.text, id="note-text", soft_wrap=True, show_line_numbers=False)
            yield Static(Text(say("Ctrl+S 儲存 (清空即刪除), Esc 取消", self.script), style="dim"))

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)


class NoteConflictScreen(ModalScreen[bool | None]):
    """The note was changed in another window since it was opened: keep which? Returns True
    (keep mine), False (keep theirs) or None (Esc: back to editing mine, nothing lost)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m", "keep(True)", "Keep mine", id="conflict-mine", tooltip="Save my note over the other one"),
        Binding("t", "keep(False)", "Keep theirs", id="conflict-theirs", tooltip="Keep the other window's note"),
        Binding("escape", "keep(None)", "Back", id="conflict-back", tooltip="Back to editing my text"),
    ]

    def __init__(self, mine: str, theirs: str, script: Script) -> None:
        super().__init__()
        self.mine = mine
        self.theirs = theirs
        self.script = script

    def compose(self) -> ComposeResult:
        s = self.script
        with Vertical(classes="dialog"):
            yield Static(Text(say("這條筆記在另一個視窗裡改過了", s), style="bold"))
            yield Static(Text(say("另一個視窗的:", s), style="bold underline"))
            yield Static(self.theirs or say("(已刪除)", s), classes="conflict-text")
            yield Static(Text(say("我的:", s), style="bold underline"))
            yield Static(self.mine or say("(刪除)", s), classes="conflict-text")
            yield Static(Text(say("m 保留我的   t 保留另一個視窗的   Esc 回到我的文字", s), style="dim"))

    def action_keep(self, mine: bool | None) -> None:
        self.dismiss(mine)


class ExportScreen(ModalScreen[Path | None]):
    """Choose what and how to export, and where; returns the written path."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="export-cancel", tooltip="Close without exporting")
    ]

    def __init__(
        self,
        sources: dict[str, ExportSource],
        script: Script,
        folder: Path | None = None,
    ) -> None:
        """``sources``: key -> (label, a function giving (records, title, meta))."""
        super().__init__()
        self.sources = sources
        self.script = script
        self.folder = folder or Path.cwd()

    def compose(self) -> ComposeResult:
        s = lambda t: say(t, self.script)  # noqa: E731
        first = next(iter(self.sources))
        with Vertical(classes="dialog"):
            yield Static(Text(s("匯出"), style="bold"))
            yield Static(s("內容"), classes="field-label")
            what = Choice([(label, key) for key, (label, _) in self.sources.items()], unset_label="-", id="export-what")
            what.value = first
            yield what
            yield Static(s("格式"), classes="field-label")
            fmt = Choice(
                [("Markdown", "md"), ("CSV (Excel)", "csv"), ("JSON", "json")], unset_label="-", id="export-format"
            )
            fmt.value = "md"
            yield fmt
            yield Static(s("檔案路徑 (Enter 匯出)"), classes="field-label")
            yield Input(self._default_path(first, "md"), id="export-path")
            yield Static("", id="export-error")

    def _default_path(self, what: str, fmt: str) -> str:
        return str(self.folder / f"hzpolicy-{what}.{fmt}")

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    @on(Choice.Changed)
    def _choice(self) -> None:
        what = self.query_one("#export-what", Choice).value or next(iter(self.sources))
        fmt = self.query_one("#export-format", Choice).value or "md"
        self.query_one("#export-path", Input).value = self._default_path(what, fmt)

    @on(Input.Submitted, "#export-path")
    def _export(self) -> None:
        what = self.query_one("#export-what", Choice).value or next(iter(self.sources))
        fmt = self.query_one("#export-format", Choice).value or "md"
        raw = self.query_one("#export-path", Input).value.strip()
        error = self.query_one("#export-error", Static)
        if not raw:
            error.update(Text(say("請輸入檔案路徑", self.script), style="bold red"))
            return
        records, title, meta = self.sources[what][1]()
        text = export.render(records, fmt, title, meta)
        try:
            path = export.write(text, fmt, Path(raw))
        except OSError as exc:
            error.update(Text(f"{raw}: {exc.strerror or exc}", style="bold red"))
            return
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)
