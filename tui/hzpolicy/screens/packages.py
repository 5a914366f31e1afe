"""The package picker: every package of the reader's library (the shipped one first), each
with its title, number, validity and whether it is in force today, to open one in the
explorer.

A modal screen; it returns the chosen package with its document already read, through
``dismiss(PackageChosen(...))``, or None when closed (modal results, not shared state): a
package whose store cannot be read is said to be so here, with its path and the cure, and
the picker stays open with the package the reader has now still open behind it.

The library is read whenever the picker is shown: another window may have added or removed
a package meanwhile.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static

from ..core.i18n import N_, Locale
from ..core.library import LibraryError, Package
from ..core.present import Validity
from ..core.store import StoreError
from ..core.wrap import break_lines
from ..widgets.fitted_list import FittedList
from ..widgets.footer import LocalFooter
from ..widgets.labels import fit, fit_middle
from .base import OfTheApp

if TYPE_CHECKING:
    from datetime import date

    from ..core.models import Document

# Between the facts of a package's second line.
SEPARATOR = " | "
# The words of a package's status: present.VALIDITY_NAMES says in force / expired / ...
STATUS_STYLE = {"in_force": "bold green", "expired": "bold red", "not_yet": "bold yellow", "unknown": "dim"}


@dataclass(frozen=True)
class PackageChosen:
    """The picker's result: the package chosen, and its document, read."""

    package: Package
    doc: Document


def package_validity(package: Package, today: date) -> Validity:
    """A package's validity as of ``today``, in the words a document's page uses."""
    return Validity(package.status(today), package.valid_from, package.valid_to, today)


def period_text(package: Package, loc: Locale) -> str:
    """2024-01-01~2024-12-31; 2025-01-01~ when only the start is stated; else the words
    for a period not stated."""
    if not package.valid_from and not package.valid_to:
        return loc.tr("validity not stated")
    return f"{package.valid_from or ''}~{package.valid_to or ''}"


def package_facts(package: Package, loc: Locale) -> str:
    """A package's second line: 杭政函〔2024〕16號 | 2024-01-01~2024-12-31 | 8 個領域, 76 條 |
    計算器 | 唯讀."""
    return SEPARATOR.join(fact_parts(package, loc))


def fact_lines(parts: list[str], width: int) -> list[str]:
    """The facts laid in lines of ``width`` cells, a fact never split (a date range or 唯讀
    goes whole to the next line); a fact wider than a line alone is cut."""
    lines: list[str] = []
    line = ""
    for part in parts:
        joined = line + SEPARATOR + part if line else part
        if line and cell_len(joined) > width:
            lines.append(line)
            line = part
        else:
            line = joined
    lines.append(line)
    return [fit(text, width) for text in lines]


def fact_parts(package: Package, loc: Locale) -> list[str]:
    """The facts of a package's second line, each whole."""
    parts = []
    if package.number:
        parts.append(loc.doc(package.number))
    parts.append(period_text(package, loc))
    domains = loc.trn("{n} domain", "{n} domains", package.domains).format(n=package.domains)
    clauses = loc.trn("{n} clause", "{n} clauses", package.clauses).format(n=package.clauses)
    parts.append(loc.tr("{domains}, {clauses}").format(domains=domains, clauses=clauses))
    if package.rules:
        parts.append(loc.tr("calculator"))
    if package.shipped:
        parts.append(loc.tr("read-only"))
    return parts


class PackageList(FittedList[Package]):
    """The packages, two lines or more each (name, title and status; number, period, counts,
    each fact whole): the name is whole where the width allows (the title is cut first), and
    a Simplified original is marked, so editions sharing a title read apart."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.current = ""
        self._today: date | None = None

    @property
    def packages(self) -> list[Package]:
        return self.items

    def show(self, packages: list[Package], current: str, loc: Locale, today: date, keep: str | None) -> None:
        """List ``packages``, marking the open one, highlighting the one named ``keep``
        (else the open one, else the first)."""
        self.current = current
        self._today = today
        names = [p.name for p in packages]
        at = next((names.index(wanted) for wanted in (keep, current) if wanted in names), 0)
        self.fill(packages, loc, at)

    def prompt(self, package: Package, width: int) -> Text:
        loc = self.loc
        width = max(width, 12)
        mark = "* " if package.name == self.current else "  "
        if package.problem is not None:
            status, style = loc.tr("cannot be opened"), "bold red"
        elif self._today is not None:
            validity = package_validity(package, self._today)
            status, style = validity.word(loc), STATUS_STYLE[validity.status]
        else:  # pragma: no cover - show() sets the date first
            status, style = "", ""
        name = fit_middle(package.name, max(width - cell_len(mark) - cell_len(status) - 3, 8))
        line = Text(mark + name, style="bold")
        original = " [" + loc.tr("Simplified original") + "]" if package.source_script == "simplified" else ""
        parts = fact_parts(package, loc) if package.problem is None else []
        room = width - line.cell_len - cell_len(original) - cell_len(status) - 3
        if original and room >= 8:
            line.append(original, style="bold")
        elif original:
            parts.insert(0, original.strip())
            room += cell_len(original)
        title = fit(package.title_in(loc.script), max(room, 1)) if room > 3 else ""
        line.append("  " + title)
        line.append(" " * max(width - line.cell_len - cell_len(status), 1))
        line.append(status, style=style)
        room = max(width - 4, 8)
        if package.problem is None:
            lines = fact_lines(parts, room)
        else:
            words = loc.say(package.problem)
            lines = [words[s:e] for s, e in break_lines(words, room)]
        for text in lines:
            line.append("\n    " + text, style="dim" if package.problem is None else "red")
        return line


class PackagePickerScreen(OfTheApp, ModalScreen[PackageChosen | None]):
    """Choose a package of the library to open in the explorer; returns it with its
    document, or None (Esc, or the package open now chosen again)."""

    AUTO_FOCUS = "#packages-list"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "open",
            N_("Open"),
            key_display="Enter",
            priority=True,
            id="packages-open",
            tooltip=N_("Open the highlighted package in the explorer"),
        ),
        Binding(
            "escape", "cancel", N_("Cancel"), id="packages-cancel", tooltip=N_("Close, keeping the package open now")
        ),
    ]
    DEFAULT_CSS = """
    PackagePickerScreen {
        align: center middle;
    }
    #packages {
        width: 90%;
        max-width: 110;
        height: auto;
        max-height: 90%;
        background: $panel;
        padding: 0 1;
    }
    #packages-title {
        margin: 1 0;
    }
    #packages-list {
        height: auto;
        max-height: 20;
        background: $panel;
        overflow-x: hidden;
    }
    #packages-path {
        height: auto;
        margin-top: 1;
        color: $text-muted;
    }
    #packages-message {
        display: none;
        height: auto;
        margin-bottom: 1;
        color: $error;
        text-style: bold;
    }
    """

    def __init__(self, current: str) -> None:
        super().__init__()
        self.current = current  # the package open now
        self.problem = ""  # what went wrong, in the reader's words, as the message shows it

    def compose(self) -> ComposeResult:
        with Vertical(id="packages"):
            yield Static(id="packages-title")
            yield PackageList(id="packages-list")
            yield Static(id="packages-path")
            yield Static(id="packages-message")
        yield LocalFooter(compact=True, show_command_palette=False)

    def on_screen_resume(self) -> None:
        self.reload()

    def apply_locale(self) -> None:
        """The app calls this when the reader switches the script or the language."""
        self.reload()

    def reload(self) -> None:
        """Read the library afresh and list its packages, keeping the highlight."""
        loc = self.loc
        listing = self.query_one(PackageList)
        keep = listing.chosen.name if listing.chosen is not None else None
        # Afresh (another window may have added or removed one); a damaged index gives the
        # shipped package alone, always there to open, and the damage is said.
        packages = self.hz.refresh_library()
        problem = self.hz.library_problem
        self._say(loc.say(problem) if problem is not None else "")
        listing.show(packages, self.current, loc, self.hz.today, keep)
        title = Text(loc.tr("Policy packages"), style="bold")
        title.append(f" ({len(packages)})", style="dim")
        self.query_one("#packages-title", Static).update(title)
        self._show_path()

    @on(OptionList.OptionHighlighted, "#packages-list")
    def _show_path(self) -> None:
        package = self.query_one(PackageList).chosen
        path = self.query_one("#packages-path", Static)
        path.update(Text(self.loc.tr("File: {path}").format(path=package.path)) if package is not None else "")

    def _say(self, problem: str) -> None:
        self.problem = problem
        message = self.query_one("#packages-message", Static)
        message.update(Text(problem))
        message.display = bool(problem)

    @on(OptionList.OptionSelected, "#packages-list")  # a click
    def action_open(self) -> None:
        package = self.query_one(PackageList).chosen
        if package is None:
            return
        if package.name == self.current:
            self.dismiss(None)  # it is open already
            return
        try:
            doc = self.hz.library.open(package)
        except (StoreError, LibraryError) as exc:
            problem = self.loc.say(exc.notice)
            self._say(problem)
            self.notify(problem, severity="error", timeout=10)
            return
        self.dismiss(PackageChosen(package, doc))

    def action_cancel(self) -> None:
        self.dismiss(None)
