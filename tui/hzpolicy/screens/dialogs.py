"""Small modal dialogs: a clause's note, and exporting to a file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Input, Static, TextArea

from ..core import export
from ..core.files import os_reason
from ..core.i18n import N_, Locale
from ..widgets.choice import Choice

if TYPE_CHECKING:
    from ..app import HzPolicyApp


def _locale(node: DOMNode) -> Locale:
    return cast("HzPolicyApp", node.app).locale


# What can be exported: a label, and a function giving (records, title, meta) when chosen.
ExportSource = tuple[str, Callable[[], tuple[list[export.Record], str, export.Record]]]


class NoteScreen(ModalScreen[str | None]):
    """Edit a clause's note; returns the text (empty deletes it) or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", N_("Save note"), id="note-save", tooltip=N_("Save the note")),
        Binding("escape", "cancel", N_("Cancel"), id="note-cancel", tooltip=N_("Close without saving")),
    ]

    def __init__(self, heading: str, text: str) -> None:
        super().__init__()
        self.heading = heading
        self.text = text

    def compose(self) -> ComposeResult:
        loc = _locale(self)
        with Vertical(classes="dialog"):
            yield Static(Text(self.heading, style="bold"))
            yield TextArea(self.text, id="note-text", soft_wrap=True, show_line_numbers=False)
            yield Static(Text(loc.tr("Ctrl+S saves (empty deletes the note), Esc cancels"), style="dim"))

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)  # to go on writing, not to write before the note

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)


class NoteConflictScreen(ModalScreen[bool | None]):
    """The note was changed in another window since it was opened: keep which? Returns True
    (keep mine), False (keep theirs) or None (Esc: back to editing mine, nothing lost)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m", "keep(True)", N_("Keep mine"), id="conflict-mine", tooltip=N_("Save my note over the other one")),
        Binding(
            "t", "keep(False)", N_("Keep theirs"), id="conflict-theirs", tooltip=N_("Keep the other window's note")
        ),
        Binding("escape", "keep(None)", N_("Back"), id="conflict-back", tooltip=N_("Back to editing my text")),
    ]

    def __init__(self, mine: str, theirs: str) -> None:
        super().__init__()
        self.mine = mine
        self.theirs = theirs

    def compose(self) -> ComposeResult:
        loc = _locale(self)
        with Vertical(classes="dialog"):
            yield Static(Text(loc.tr("This note was changed in another window"), style="bold"))
            yield Static(Text(loc.tr("The other window's:"), style="bold underline"))
            yield Static(self.theirs or loc.tr("(deleted)"), classes="conflict-text")
            yield Static(Text(loc.tr("Mine:"), style="bold underline"))
            yield Static(self.mine or loc.tr("(delete)"), classes="conflict-text")
            keys = loc.tr("m keep mine   t keep the other window's   Esc back to my text")
            yield Static(Text(keys, style="dim"))

    def action_keep(self, mine: bool | None) -> None:
        self.dismiss(mine)


class ExportScreen(ModalScreen[Path | None]):
    """Choose what and how to export, and where; returns the written path."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel"), id="export-cancel", tooltip=N_("Close without exporting"))
    ]

    def __init__(self, sources: dict[str, ExportSource], folder: Path | None = None) -> None:
        """``sources``: key -> (label, a function giving (records, title, meta))."""
        super().__init__()
        self.sources = sources
        self.folder = folder or Path.cwd()

    def compose(self) -> ComposeResult:
        loc = _locale(self)
        first = next(iter(self.sources))
        with Vertical(classes="dialog"):
            yield Static(Text(loc.tr("Export"), style="bold"))
            yield Static(loc.tr("What"), classes="field-label")
            what = Choice([(label, key) for key, (label, _) in self.sources.items()], unset_label="-", id="export-what")
            what.value = first
            yield what
            yield Static(loc.tr("Format"), classes="field-label")
            fmt = Choice(
                [("Markdown", "md"), ("CSV (Excel)", "csv"), ("JSON", "json")], unset_label="-", id="export-format"
            )
            fmt.value = "md"
            yield fmt
            yield Static(loc.tr("File path (Enter exports)"), classes="field-label")
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
            error.update(Text(_locale(self).tr("Type a file path"), style="bold red"))
            return
        records, title, meta = self.sources[what][1]()
        text = export.render(records, fmt, title, meta, _locale(self))
        try:
            path = export.write(text, fmt, Path(raw))
        except OSError as exc:
            loc = _locale(self)
            why = loc.tr("cannot write {path}: {problem}").format(path=raw, problem=loc.say(os_reason(exc)))
            error.update(Text(why, style="bold red"))
            return
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)
