"""Small modal dialogs: a clause's note, exporting to a file, and asking before a file is
replaced."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, NamedTuple, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import HorizontalGroup, Vertical
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static, TextArea
from textual.widgets.input import Selection

from ..core import export
from ..core.files import TargetExists, os_reason
from ..core.i18n import N_, Locale
from ..widgets.choice import Choice

if TYPE_CHECKING:
    from ..app import HzPolicyApp


def _locale(node: DOMNode) -> Locale:
    return cast("HzPolicyApp", node.app).locale


class ExportSource(NamedTuple):
    """What can be exported: its label in the dialog, how its text is made when it is
    chosen, and what the default file name says of it ("search-人才补贴", "clause-14",
    "bookmarks": see :func:`.core.export.default_name`).

    The text is made either from records (``build`` gives (records, title, meta), which
    :func:`.core.export.render` writes in any format) or, for a source that writes itself
    (the calculator's report: its own page, table and data), by ``render(fmt)``."""

    label: str
    build: Callable[[], tuple[list[export.Record], str, export.Record]] | None
    stem: str = "export"
    render: Callable[[str], str] | None = None

    def text(self, fmt: str, loc: Locale) -> str:
        """The file's text in ``fmt``."""
        if self.render is not None:
            return self.render(fmt)
        if self.build is None:
            raise ValueError(f"export source {self.label!r} has neither build nor render")
        records, title, meta = self.build()
        return export.render(records, fmt, title, meta, loc)


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


class ReplaceScreen(ModalScreen[bool]):
    """A file is there already: replace it? True replaces; No, Esc and Enter (No has the
    focus) keep it."""

    DEFAULT_CSS = """
    ReplaceScreen { align: center middle; }
    ReplaceScreen .dialog { max-width: 72; }
    ReplaceScreen HorizontalGroup { margin-top: 1; }
    ReplaceScreen Button { margin-right: 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", N_("Replace"), id="replace-yes", tooltip=N_("Replace the file")),
        Binding(
            "n", "answer(False)", N_("Keep it"), id="replace-no", tooltip=N_("Keep the file and choose another name")
        ),
        Binding("escape", "answer(False)", N_("Keep it"), show=False, id="replace-back", tooltip=N_("Keep the file")),
    ]

    def __init__(self, path: Path, *, question: str = "", why: str = "") -> None:
        """``path``: the file; or, for something else of that name (a saved profile), the
        ``question`` and ``why`` to ask instead, in the reader's words."""
        super().__init__()
        self.path = path
        self.question = question
        self.why = why

    def compose(self) -> ComposeResult:
        loc = _locale(self)
        folder = os.path.dirname(os.path.abspath(self.path))  # "." says nothing; no link resolved
        question = self.question or loc.tr("Replace {name}?").format(name=self.path.name)
        said = loc.tr("{folder} already has a file of this name. Replacing it loses what it holds now.")
        with Vertical(classes="dialog"):
            yield Static(Text(question, style="bold"))
            # Text, not markup: a [ in a name is no markup
            yield Static(Text(self.why or said.format(folder=folder)), id="replace-why")
            with HorizontalGroup():
                yield Button(loc.tr("Replace"), id="replace-yes", variant="error", compact=True)
                yield Button(loc.tr("Keep it"), id="replace-no", variant="primary", compact=True)
            yield Static(Text(loc.tr("y replaces it, n or Esc keeps it"), style="dim"))

    def on_mount(self) -> None:
        self.query_one("#replace-no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "replace-yes")

    def action_answer(self, replace: bool) -> None:
        self.dismiss(replace)


# The formats the dialog offers: (label, format).
EXPORT_FORMATS = [("Markdown", "md"), ("CSV (Excel)", "csv"), ("JSON", "json"), ("HTML", "html")]


class ExportScreen(ModalScreen[Path | None]):
    """Choose what and how to export, and where; says where it was written and returns the
    path. A file that is there already is replaced only after :class:`ReplaceScreen` says
    yes; every refusal is said in the dialog, which stays open."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel"), id="export-cancel", tooltip=N_("Close without exporting"))
    ]

    def __init__(
        self,
        sources: Mapping[str, ExportSource],
        folder: Path | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        """``sources``: key -> :class:`ExportSource` (a plain (label, build) tuple is taken
        too); ``folder``: where the default name is (the current folder); ``now``: the clock
        the default name is dated by."""
        super().__init__()
        self.sources = {key: ExportSource(*source) for key, source in sources.items()}
        self.folder = folder or Path.cwd()
        self.now = now or datetime.now
        self._suggested = ""  # the default path last put in the box, to tell it from one typed

    def compose(self) -> ComposeResult:
        loc = _locale(self)
        first = next(iter(self.sources))
        with Vertical(classes="dialog"):
            yield Static(Text(loc.tr("Export"), style="bold"))
            yield Static(loc.tr("What"), classes="field-label")
            what = Choice([(s.label, key) for key, s in self.sources.items()], unset_label="-", id="export-what")
            what.value = first
            yield what
            yield Static(loc.tr("Format"), classes="field-label")
            fmt = Choice(EXPORT_FORMATS, unset_label="-", id="export-format")
            fmt.value = self._last_format()  # the reader's last choice, this session
            yield fmt
            yield Static(loc.tr("File path (Enter exports)"), classes="field-label")
            self._suggested = self._default_path(first, str(fmt.value))
            yield Input(self._suggested, id="export-path")
            yield Static("", id="export-error")

    def _last_format(self) -> str:
        last = getattr(self.app, "export_format", "md")
        return last if last in export.FORMATS else "md"

    def _default_path(self, what: str, fmt: str) -> str:
        return str(export.default_path(self.folder, self.sources[what].stem, fmt, self.now()))

    def _chosen(self) -> tuple[str, str]:
        what = self.query_one("#export-what", Choice).value or next(iter(self.sources))
        fmt = self.query_one("#export-format", Choice).value or "md"
        return str(what), str(fmt)

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    @on(Choice.Changed)
    def _choice(self) -> None:
        """A new choice: a new default path, unless one was typed; then only its ending
        follows the format."""
        what, fmt = self._chosen()
        box = self.query_one("#export-path", Input)
        typed = box.value.strip()
        if typed == self._suggested or not typed:
            self._suggested = self._default_path(what, fmt)
            box.value = self._suggested
        else:
            path = Path(typed)
            if path.suffix.lstrip(".") in export.FORMATS:
                box.value = str(path.with_suffix(f".{fmt}"))
        self._say("")

    def _say(self, problem: str) -> None:
        self.query_one("#export-error", Static).update(Text(problem, style="bold red"))

    @on(Input.Submitted, "#export-path")
    def _export(self) -> None:
        what, fmt = self._chosen()
        raw = self.query_one("#export-path", Input).value.strip()
        if not raw:
            self._say(_locale(self).tr("Type a file path"))
            return
        text = self.sources[what].text(fmt, _locale(self))
        self._write(text, fmt, raw, replace=False)

    def _write(self, text: str, fmt: str, raw: str, *, replace: bool) -> None:
        path = Path(raw).expanduser()
        try:
            written = export.write(text, fmt, path, replace=replace)
        except TargetExists:

            def answered(yes: bool | None) -> None:
                if yes:
                    self._write(text, fmt, raw, replace=True)
                else:
                    self._edit_name()

            self.app.push_screen(ReplaceScreen(path), answered)
            return
        except OSError as exc:
            loc = _locale(self)
            self._say(loc.tr("cannot write {path}: {problem}").format(path=raw, problem=loc.say(os_reason(exc))))
            return
        cast("HzPolicyApp", self.app).export_format = fmt  # offered first next time
        loc = _locale(self)
        self.app.notify(loc.tr("Exported to {path}").format(path=written), title=loc.tr("Export"), timeout=6)
        self.dismiss(written)

    def _edit_name(self) -> None:
        """Back from "keep it": the file's name selected in the box, to type another."""
        box = self.query_one("#export-path", Input)
        box.focus()
        value = box.value
        name = Path(value).name
        start = len(value.rstrip()) - len(name) if value.rstrip().endswith(name) else 0
        end = start + len(Path(name).stem) if name else len(value)

        def select() -> None:  # after the focus, which would select all of it
            box.selection = Selection(start, end)

        self.call_after_refresh(select)

    def action_cancel(self) -> None:
        self.dismiss(None)
