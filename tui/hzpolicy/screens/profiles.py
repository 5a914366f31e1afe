"""The profile picker: the saved calculator profiles, each with what it holds, to open one
or to rename or delete it.

A modal screen made with no arguments (``current`` pre-selects a profile by name). It returns
the chosen profile's name through ``dismiss(name)``, or None when closed (modal results, not
shared state); the caller loads the profile itself.

The focus stays in the filter box, so whatever is typed filters at once, with an input method
too; the list's keys (arrows, Home, End, the page keys, Enter, Delete, F2) are the screen's and
act over the box. Another window may save, rename or delete profiles at any moment: the list
is read afresh whenever the screen is shown, and a profile gone before Enter is said to be
gone rather than returned.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Static

from ..core.calculator import fact_words, say_words
from ..core.facts import FACTS, Fact, FactValue, ProfileError, validate_value
from ..core.i18n import N_, Locale
from ..core.script import search_key, without_controls
from ..widgets.fitted_list import FittedList
from ..widgets.footer import LocalFooter
from ..widgets.labels import fit
from .base import OfTheApp

if TYPE_CHECKING:
    from ..app import HzPolicyApp

# TRANSLATORS: between the figures of a profile's one-line summary ("研发投入 8000 万元; 营业收入 ...")
SEPARATOR = N_("; ")
# Curly quotes in the document's labels (“小巨人”) are ambiguous-width: one cell or two, by terminal.
_UNAMBIGUOUS = str.maketrans({"“": "「", "”": "」", "‘": "『", "’": "』"})
# A summary names amounts first (what a reader tells a client's profile by), then counts and
# choices, then what is so; within each, in the form's order.
_KIND_ORDER = {"wan": 0, "int": 1, "enum": 2, "enum_list": 3, "bool": 4}
_FORM_ORDER = {name: i for i, name in enumerate(FACTS)}


def _piece(fact: Fact, value: FactValue, loc: Locale) -> str:
    """One fact of a profile in a few words, as a report lists it (:func:`.core.calculator.
    fact_words`): a yes is its label alone; a no, or no choice, says little and is ''."""
    if value is False or value == []:
        return ""
    label, shown = fact_words(fact.name, value)
    name = say_words(label, loc).translate(_UNAMBIGUOUS)
    return name if value is True else f"{name} {say_words(shown, loc)}"


def profile_summary(facts: dict[str, Any], loc: Locale) -> tuple[int, str]:
    """How many facts a saved profile gives, and what they are in a line: 研发投入 8000 万元;
    营业收入 ... Values that are not (or no longer) valid are left out of both."""
    pieces: list[tuple[int, int, str]] = []
    count = 0
    for name, raw in facts.items():
        if raw is None:
            continue
        try:
            value = validate_value(name, raw)
        except ProfileError:
            continue
        count += 1
        fact = FACTS[name]
        piece = _piece(fact, value, loc)
        if piece:
            pieces.append((_KIND_ORDER.get(fact.type, len(_KIND_ORDER)), _FORM_ORDER[name], piece))
    pieces.sort()
    return count, loc.tr(SEPARATOR).join(piece for _, _, piece in pieces)


@dataclass(frozen=True)
class Entry:
    """A saved profile as the picker lists it."""

    name: str
    count: int  # facts it gives
    summary: str  # what they are, in the reader's words
    key: str  # the name's search key: either script, any case

    @classmethod
    def of(cls, name: str, facts: dict[str, Any], loc: Locale) -> Entry:
        count, summary = profile_summary(facts, loc)
        return cls(name, count, summary, search_key(name))


class ProfileList(FittedList[Entry], can_focus=False):
    """The profiles, two lines each (the name and how many facts; what they are), cut to the
    width with an ASCII '...'. It never takes the focus: the filter box keeps it, and the
    screen moves the highlight."""

    @property
    def entries(self) -> list[Entry]:
        return self.items

    def show(self, entries: list[Entry], loc: Locale, keep: str | None, fallback: int = 0) -> None:
        """List ``entries``, highlighting the one named ``keep``, else the one at ``fallback``
        (or the last, when there are fewer)."""
        at = next((i for i, entry in enumerate(entries) if entry.name == keep), min(fallback, len(entries) - 1))
        self.fill(entries, loc, at)

    def prompt(self, entry: Entry, width: int) -> Text:
        width = max(width, 1)
        count = self.loc.trn("{n} item", "{n} items", entry.count).format(n=entry.count)
        name = fit(without_controls(entry.name), max(width - cell_len(count) - 2, 1))
        line = Text(name, style="bold")
        line.append(" " * max(width - cell_len(name) - cell_len(count), 2))
        line.append(count, style="dim")
        summary = fit(entry.summary or "-", max(width - 2, 1))
        line.append("\n  " + summary, style="dim")
        return line


class ProfilePickerScreen(OfTheApp, ModalScreen[str | None]):
    """Choose a saved calculator profile; returns its name, or None (Esc)."""

    AUTO_FOCUS = "#picker-filter"
    # Priority: the filter box has the focus, and would take Enter, Home, End and Delete itself.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "open",
            N_("Open"),
            key_display="Enter",
            priority=True,
            id="profiles-open",
            tooltip=N_("Open the highlighted profile in the calculator"),
        ),
        Binding(
            "delete,ctrl+d",
            "delete",
            N_("Delete"),
            priority=True,
            id="profiles-delete",
            tooltip=N_("Delete the highlighted profile (asks first)"),
        ),
        Binding(
            "f2,ctrl+r",
            "rename",
            N_("Rename"),
            priority=True,
            id="profiles-rename",
            tooltip=N_("Rename the highlighted profile"),
        ),
        Binding("escape", "cancel", N_("Cancel"), id="profiles-cancel", tooltip=N_("Close without opening a profile")),
        Binding("up", "move('cursor_up')", N_("Previous profile"), show=False, priority=True, id="profiles-up"),
        Binding("down", "move('cursor_down')", N_("Next profile"), show=False, priority=True, id="profiles-down"),
        Binding("home", "move('first')", N_("First profile"), show=False, priority=True, id="profiles-first"),
        Binding("end", "move('last')", N_("Last profile"), show=False, priority=True, id="profiles-last"),
        Binding("pageup", "move('page_up')", N_("A page up"), show=False, priority=True, id="profiles-page-up"),
        Binding("pagedown", "move('page_down')", N_("A page down"), show=False, priority=True, id="profiles-page-down"),
    ]
    MOVES: ClassVar[dict[str, Callable[[OptionList], None]]] = {
        "cursor_up": OptionList.action_cursor_up,
        "cursor_down": OptionList.action_cursor_down,
        "first": OptionList.action_first,
        "last": OptionList.action_last,
        "page_up": OptionList.action_page_up,
        "page_down": OptionList.action_page_down,
    }
    DEFAULT_CSS = """
    ProfilePickerScreen {
        align: center middle;
    }
    #picker {
        width: 90%;
        max-width: 110;
        height: 90%;
        max-height: 34;
        background: $panel;
        padding: 0 1;
    }
    #picker-title {
        margin-top: 1;
    }
    #picker-filter {
        height: 1;
        border: none;
        padding: 0 1;
        margin: 1 0;
        background: $boost;
    }
    #picker-list {
        height: 1fr;
        background: $panel;
        scrollbar-gutter: stable;
    }
    /* The list never has the focus (the filter box has it), yet its highlight is the cursor. */
    #picker-list > .option-list--option-highlighted {
        color: $block-cursor-foreground;
        background: $block-cursor-background;
        text-style: $block-cursor-text-style;
    }
    #picker-message {
        height: auto;
        color: $text-muted;
    }
    """

    def __init__(self, current: str | None = None) -> None:
        super().__init__()
        self.current = current  # the profile to highlight when first shown
        self.entries: list[Entry] = []  # every saved profile, as last read
        self.shown_locale: Locale | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Static(id="picker-title")
            yield Input(id="picker-filter")
            yield ProfileList(id="picker-list")
            yield Static(id="picker-message")
        yield LocalFooter(compact=True, show_command_palette=False)

    # -- reading and showing ----------------------------------------------------------------

    def on_screen_resume(self) -> None:
        # Shown (first, or again after a dialog): another window may have changed the profiles.
        self.reload(keep=self._highlighted_name() or self.current)

    def apply_locale(self) -> None:
        """The app calls this when the reader switches the script or the language."""
        self.reload()

    def reload(self, keep: str | None = None) -> None:
        """Read the saved profiles afresh and show those the filter finds, highlighting
        ``keep`` (by default, the one highlighted now; if it is gone, the one in its place)."""
        loc = self.loc
        self.shown_locale = loc
        keep = keep if keep is not None else self._highlighted_name()
        fallback = self.query_one(ProfileList).highlighted or 0
        self.entries = [Entry.of(name, facts, loc) for name, facts in self.hz.user.profiles().items()]
        self.query_one("#picker-filter", Input).placeholder = loc.tr(
            "Type to filter by name (input methods work; either script)"
        )
        self._show(keep, fallback)

    def _show(self, keep: str | None, fallback: int = 0) -> None:
        loc = self.loc
        typed = self.query_one("#picker-filter", Input).value.strip()
        query = search_key(typed)
        shown = [entry for entry in self.entries if query in entry.key] if query else list(self.entries)
        profiles = self.query_one(ProfileList)
        profiles.show(shown, loc, keep, fallback)
        total = len(self.entries)
        title = Text(loc.tr("Saved profiles"), style="bold")
        count = loc.tr("{shown} of {n} match").format(shown=len(shown), n=total) if query else str(total)
        title.append(f" ({count})", style="dim")
        self.query_one("#picker-title", Static).update(title)
        message = ""
        if not self.entries:
            message = loc.tr(
                "No saved profiles yet. In the calculator, type a name in the profile box and "
                "press Ctrl+S to save the figures as a profile."
            )
        elif not shown:
            message = loc.tr('No profile name contains "{text}"').format(text=without_controls(typed))
        self.query_one("#picker-message", Static).update(message)
        profiles.display = bool(shown)
        self.query_one("#picker-message", Static).display = bool(message)
        self.refresh_bindings()

    def _highlighted_name(self) -> str | None:
        entry = self.query_one(ProfileList).chosen
        return entry.name if entry is not None else None

    @on(Input.Changed, "#picker-filter")
    def _filter(self) -> None:
        self._show(self._highlighted_name())  # kept while it matches, else the first match

    # -- keys --------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open", "delete", "rename"):
            return True if self.query_one(ProfileList).chosen is not None else None  # dimmed
        return True

    def action_move(self, how: str) -> None:
        move = self.MOVES.get(how)
        if move is not None:
            move(self.query_one(ProfileList))

    @on(OptionList.OptionSelected, "#picker-list")  # a click
    def action_open(self) -> None:
        entry = self.query_one(ProfileList).chosen
        if entry is None:
            return
        if entry.name not in self.hz.user.profile_names():
            self._gone(entry.name)
            return
        self.dismiss(entry.name)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def _gone(self, name: str) -> None:
        """The profile was deleted or renamed elsewhere since the list was read."""
        words = self.loc.tr('The profile "{name}" is no longer saved (deleted or renamed elsewhere)')
        self.notify(words.format(name=without_controls(name)), severity="warning")
        self.reload()

    def action_delete(self) -> None:
        entry = self.query_one(ProfileList).chosen
        if entry is None:
            return
        name = entry.name

        def done(confirmed: bool | None) -> None:
            if not confirmed:
                return
            loc, user = self.loc, self.hz.user
            warnings = len(user.warnings)
            if user.delete_profile(name):
                self.notify(loc.tr('Deleted profile "{name}"').format(name=without_controls(name)))
            elif len(user.warnings) > warnings:  # it could not be saved: the disk, a lock ...
                self.notify(loc.say(user.warnings[-1]), severity="error")
            else:
                self._gone(name)
                return
            self.reload()  # the highlight goes to the next profile (the one in its place)

        self.app.push_screen(DeleteProfileScreen(name), done)

    def action_rename(self) -> None:
        entry = self.query_one(ProfileList).chosen
        if entry is None:
            return
        old = entry.name

        def rename(new: str) -> str | None:
            problem = self.hz.user.rename_profile(old, new)
            return None if problem is None else self.loc.say(problem)

        def done(new: str | None) -> None:
            if new is None:
                return
            if new != old:
                words = self.loc.tr('Renamed profile "{old}" to "{new}"')
                self.notify(words.format(old=without_controls(old), new=without_controls(new)))
            self.reload(keep=new)

        self.app.push_screen(RenameProfileScreen(old, rename), done)


def _locale(screen: ModalScreen[Any]) -> Locale:
    return cast("HzPolicyApp", screen.app).locale


class RenameProfileScreen(ModalScreen[str | None]):
    """A new name for a saved profile, typed over the old one. ``rename(new)`` renames it and
    returns a problem in the reader's words, or None; on a problem the dialog stays open with
    what was typed. Returns the new name once renamed, None when cancelled."""

    AUTO_FOCUS = "#rename-name"
    DEFAULT_CSS = """
    RenameProfileScreen {
        align: center middle;
    }
    #rename-name {
        height: 1;
        border: none;
        padding: 0 1;
        margin: 1 0;
        background: $boost;
    }
    #rename-error {
        height: auto;
        color: $error;
        text-style: bold;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel"), id="rename-cancel", tooltip=N_("Keep the old name")),
    ]

    def __init__(self, old: str, rename: Callable[[str], str | None]) -> None:
        super().__init__()
        self.old = old
        self.rename = rename

    def compose(self) -> ComposeResult:
        loc = _locale(self)
        heading = loc.tr('Rename the profile "{name}"').format(name=without_controls(self.old))
        with Vertical(classes="dialog"):
            yield Static(Text(heading, style="bold"))
            yield Input(self.old, id="rename-name")
            yield Static("", id="rename-error")
            yield Static(Text(loc.tr("Enter renames it, Esc keeps the old name"), style="dim"))

    @on(Input.Submitted, "#rename-name")
    def _rename(self) -> None:
        new = self.query_one("#rename-name", Input).value.strip()
        problem = self.rename(new)
        if problem:
            self.query_one("#rename-error", Static).update(problem)
            return
        self.dismiss(new)

    def action_cancel(self) -> None:
        self.dismiss(None)


class DeleteProfileScreen(ModalScreen[bool]):
    """Asks before a profile is deleted; No unless the reader chooses Yes. Returns True to
    delete it."""

    AUTO_FOCUS = "#delete-no"
    DEFAULT_CSS = """
    DeleteProfileScreen {
        align: center middle;
    }
    #delete-buttons {
        height: auto;
        margin: 1 0;
    }
    #delete-buttons Button {
        margin-right: 2;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", N_("Delete"), show=False, id="delete-yes", tooltip=N_("Delete the profile")),
        Binding("n,escape", "answer(False)", N_("Keep"), id="delete-no", tooltip=N_("Keep the profile")),
        Binding("left", "app.focus_previous", N_("Other button"), show=False, id="delete-left"),
        Binding("right", "app.focus_next", N_("Other button"), show=False, id="delete-right"),
    ]

    def __init__(self, name: str) -> None:
        super().__init__()
        self.profile = name

    def compose(self) -> ComposeResult:
        loc = _locale(self)
        question = loc.tr('Delete the profile "{name}"? This cannot be undone.')
        with Vertical(classes="dialog"):
            yield Static(Text(question.format(name=without_controls(self.profile)), style="bold"))
            with Horizontal(id="delete-buttons"):
                yield Button(loc.tr("Keep"), id="delete-no", compact=True)
                yield Button(loc.tr("Delete"), id="delete-yes", variant="error", compact=True)
            yield Static(Text(loc.tr("Enter chooses the button in focus; Y deletes, N or Esc keeps it"), style="dim"))

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "delete-yes")

    def action_answer(self, delete: bool) -> None:
        self.dismiss(delete)
