"""What changed from one edition of a package to another: choose two packages of the library,
then read the comparison (:mod:`.core.compare`) row by row.

- The counts by kind are the filter's tabs (1 all changes, 2 new ... 8 all), each with its
  key (a click chooses one too); the rows of the kind chosen are listed (old clause numbers -> new, kind, title, how
  many figures changed), the document's own row first (its total, validity and domains).
- The row under the cursor is shown below the list: the money and rate changes, a move to
  another domain, and both texts, side by side at 100 columns or more and one above the
  other below that, with the characters deleted and inserted marked (by colour, and by
  strike-through and underline for a terminal without colour).
- Either side opens in the explorer (the app switches to its package); the comparison is
  exported through the export dialog (md, csv, json, html).

Returns through ``dismiss`` a :class:`CompareOpen` (a package, its document and a clause to
open in the explorer), or None.

The app builds this screen once and shows the same one again (``App.install_screen``): the
packages chosen, the filter and the row stay as they were left; the library is read again
each time the screen is shown.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from rich.style import Style
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Vertical, VerticalScroll
from textual.geometry import Size
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from ..core.compare import (
    KIND_NAMES,
    KINDS,
    Comparison,
    DomainChange,
    Row,
    budget_text,
    change_text,
    compare,
    domain_lines,
    moved_text,
    passage_lines,
    relation_note,
    total_words,
)
from ..core.i18n import N_, Locale
from ..core.library import LibraryError, Package
from ..core.present import BLANK, Block, Mark, domain_heading
from ..core.script import typeset
from ..core.store import StoreError
from ..core.wrap import cell_width
from ..widgets.footer import LocalFooter
from ..widgets.labels import fit
from ..widgets.prose import Prose, wrap_text
from ..widgets.too_small import TooSmall
from .base import OfTheApp
from .packages import PackageList, package_validity

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..core.models import Document
    from .dialogs import ExportSource

Side = Literal["old", "new"]

# The filters and their keys (1-8): every change, each kind, all; the tabs in this order.
ALL_CHANGES = "changes"
ALL_ROWS = "all"
FILTER_KEYS: dict[str, str] = {
    ALL_CHANGES: "1",
    "new": "2",
    "changed": "3",
    "merged": "4",
    "split": "5",
    "removed": "6",
    "same": "7",
    ALL_ROWS: "8",
}
FILTERS: tuple[str, ...] = tuple(sorted(FILTER_KEYS, key=FILTER_KEYS.__getitem__))
FILTER_NAMES: dict[str, str] = {
    # TRANSLATORS: the comparison's filter showing every row but the unchanged ones.
    ALL_CHANGES: N_("all changes"),
    # TRANSLATORS: the comparison's filter showing every row, unchanged ones too.
    ALL_ROWS: N_("all rows"),
}
# Each row's kind word is styled by the theme (component classes of the screen).
KIND_CLASS = {
    "new": "compare--new",
    "changed": "compare--changed",
    "merged": "compare--merged",
    "split": "compare--merged",
    "removed": "compare--removed",
    "same": "compare--same",
}
# A figure with its unit, in either script: marked whole when a change touches it.
FIGURE = re.compile(
    r"\d+(?:[.,]\d+)*(?:萬億元|万亿元|億美元|亿美元|萬美元|万美元|美元|億元|亿元|萬元|万元|元|%|％|倍|萬|万|億|亿)?"
)
SIDE_BY_SIDE = 100  # at this many columns or more the two texts are side by side
DOCUMENT_ROW = "doc"
NO_ROWS = "none"


def numbers_text(numbers: Sequence[int]) -> str:
    """Clause numbers of a row's side, as the list shows them: 14, 14+15, or - for none."""
    return "+".join(str(n) for n in numbers) or "-"


def changed(row: Row) -> bool:
    """Whether a row is a change: any kind but unchanged, and an unchanged clause that went
    to another domain."""
    return row.kind != "same" or row.moved is not None


def side_pieces(ops: Sequence[tuple[str, str]], side: Side) -> list[tuple[str, bool]]:
    """A side's text from a diff, as (text, marked) runs: the old side is what was kept and
    deleted, the new side what was kept and inserted; a run is marked when it changed. A
    figure a change touches is marked whole, with its unit (500萬元 -> 300萬元 reads as two
    amounts, not as a 5 struck out and a 3 put in)."""
    own = "delete" if side == "old" else "insert"
    runs = [(text, op == own) for op, text in ops if op in ("equal", own) and text]
    text = "".join(run for run, _ in runs)
    mask = [on for run, on in runs for _ in run]
    for figure in FIGURE.finditer(text):
        if any(mask[figure.start() : figure.end()]):
            mask[figure.start() : figure.end()] = [True] * (figure.end() - figure.start())
    out: list[tuple[str, bool]] = []
    for i, ch in enumerate(text):
        if out and out[-1][1] == mask[i]:
            out[-1] = (out[-1][0] + ch, mask[i])
        else:
            out.append((ch, mask[i]))
    return out


def period_of(doc: Document) -> str:
    if not doc.valid_from and not doc.valid_to:
        return "-"
    return f"{doc.valid_from or ''}~{doc.valid_to or ''}"


def _pair(before: str, after: str) -> str:
    """old -> new, or the one value when it did not change."""
    return before if before == after else f"{before} -> {after}"


@dataclass(frozen=True)
class CompareOpen:
    """The screen's result: open ``clause`` of ``package`` (its document read already) in the
    explorer."""

    package: Package
    doc: Document
    clause: int


@dataclass
class _Chosen:
    """The comparison shown: the packages' names and what compare() made of them."""

    old: str
    new: str
    cmp: Comparison


# --- The two texts ------------------------------------------------------------------------------


class DiffSide(Widget):
    """One side of a row: a heading, then the text with the characters that changed marked
    (deleted on the old side, inserted on the new), wrapped the Chinese way. The marks come
    from the theme; strike-through and underline keep them visible without colour."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "diff-side--heading",
        "diff-side--delete",
        "diff-side--insert",
        "diff-side--none",
    }
    DEFAULT_CSS = """
    DiffSide { height: auto; width: 1fr; }
    DiffSide > .diff-side--heading { text-style: bold; }
    DiffSide > .diff-side--delete { color: $text-error; background: $error-muted; text-style: strike; }
    DiffSide > .diff-side--insert { color: $text-success; background: $success-muted; text-style: underline; }
    DiffSide > .diff-side--none { color: $text-muted; }
    """

    def __init__(self, side: Side, **kwargs: Any) -> None:
        super().__init__(**kwargs)  # Widget's own: name, id, classes, disabled
        self.side: Side = side
        self.heading = ""
        self.legend = ""  # what a mark means, shown after the heading in the mark's own style
        self.pieces: tuple[tuple[str, bool], ...] = ()
        self.empty = ""  # said instead of a text when the side has none (a new or removed clause)

    def show(self, heading: str, pieces: Sequence[tuple[str, bool]], legend: str = "", empty: str = "") -> None:
        self.heading, self.pieces, self.legend, self.empty = heading, tuple(pieces), legend, empty
        self.refresh(layout=True)

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(name, partial=True)

    def text(self) -> Text:
        """What the side shows, before wrapping (typeset: full-width punctuation in Chinese)."""
        mark = self._style("diff-side--delete" if self.side == "old" else "diff-side--insert")
        out = Text(self.heading, style=self._style("diff-side--heading"))
        if self.legend and any(marked for _, marked in self.pieces):
            out.append("  ")
            out.append(self.legend, style=mark)
        out.append("\n")
        if not self.pieces:
            out.append(self.empty, style=self._style("diff-side--none"))
            return out
        plain = typeset("".join(text for text, _ in self.pieces))  # same length: runs keep their places
        at = 0
        for text, marked in self.pieces:
            out.append(plain[at : at + len(text)], style=mark if marked else "")
            at += len(text)
        return out

    def lines(self, width: int) -> list[Text]:
        """The side's lines at ``width``: the heading's line broken so that the legend (删去的
        文字) is never split; then the text, wrapped the Chinese way."""
        text = self.text()
        head, _, _ = text.plain.partition("\n")
        first = text[: len(head)]
        keep = ((len(head) - len(self.legend), len(head)),) if self.legend and head.endswith(self.legend) else ()
        return wrap_text(first, width, keep) + wrap_text(text[len(head) + 1 :], width)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))

    def render(self) -> Text:
        out = Text("\n").join(self.lines(self.content_region.width))
        out.no_wrap = True
        out.overflow = "crop"
        return out


# --- The screen -----------------------------------------------------------------------------


class CompareScreen(OfTheApp, Screen[CompareOpen | None]):
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "compare--new",
        "compare--changed",
        "compare--merged",
        "compare--removed",
        "compare--same",
        "compare--tab",
        "compare--tab-current",
    }
    DEFAULT_CSS = """
    CompareScreen > .compare--new { color: $success; text-style: bold; }
    CompareScreen > .compare--changed { color: $warning; text-style: bold; }
    CompareScreen > .compare--merged { color: $accent; text-style: bold; }
    CompareScreen > .compare--removed { color: $error; text-style: bold; }
    CompareScreen > .compare--same { color: $text-muted; }
    CompareScreen > .compare--tab { color: $text-muted; }
    CompareScreen > .compare--tab-current { text-style: bold reverse; }
    #compare-title { dock: top; height: 1; background: $primary-background; color: $text; }
    #compare-choose, #compare-result { height: 1fr; }
    #compare-intro { height: auto; padding: 0 1; margin-bottom: 1; }
    #compare-lists { layout: horizontal; height: 1fr; }
    #compare-lists > Vertical { width: 1fr; height: 1fr; }
    #compare-old-pane { margin-right: 2; }
    .compare-list-label { height: 1; padding: 0 1; text-style: bold; }
    #compare-old-list, #compare-new-list { height: 1fr; border: none; }
    #compare-kinds { height: auto; padding: 0 1; }
    #compare-rows { height: 1fr; max-height: 40%; border: none; scrollbar-size-vertical: 1; }
    #compare-detail { height: 2fr; padding: 0 1; scrollbar-size-vertical: 1; border-left: blank; }
    #compare-detail:focus { border-left: ascii $accent; background: $boost; }
    #compare-head { margin-bottom: 1; }
    #compare-sides { layout: horizontal; height: auto; }
    #compare-old-text { margin-right: 2; }
    #compare-sides.-stacked { layout: vertical; }
    #compare-sides.-stacked #compare-old-text { margin-right: 0; margin-bottom: 1; }
    CompareScreen.-choosing #compare-result { display: none; }
    CompareScreen #compare-choose { display: none; }
    CompareScreen.-choosing #compare-choose { display: block; }
    CompareScreen.-zoom #compare-rows { display: none; }
    CompareScreen.-zoom #compare-kinds { display: none; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "back",
            N_("Back"),
            id="compare-back",
            tooltip=N_("Back: from a row's texts to the list, from the list to the explorer"),
        ),
        Binding(
            "ctrl+o",
            "choose",
            N_("Packages"),
            id="compare-choose",
            tooltip=N_("Choose the two packages to compare"),
        ),
        Binding(
            "p",
            "choose",
            N_("Packages"),
            show=False,
            id="compare-choose-p",
            tooltip=N_("Choose the two packages to compare"),
        ),
        Binding(
            "t,ctrl+t",
            "swap",
            N_("Swap"),
            show=False,
            id="compare-swap",
            tooltip=N_("Swap the old and the new package"),
        ),
        Binding(
            "f,ctrl+f",
            "next_filter",
            N_("Kind"),
            show=False,
            id="compare-filter",
            tooltip=N_("Show the next kind of row (the tabs 1-8 choose one)"),
        ),
        Binding(
            FILTER_KEYS[ALL_CHANGES],
            "filter('changes')",
            N_("All changes"),
            show=False,
            id="compare-filter-1",
            tooltip=N_("Every row that changed"),
        ),
        Binding(
            FILTER_KEYS["new"],
            "filter('new')",
            N_("New clauses"),
            show=False,
            id="compare-filter-2",
            tooltip=N_("Clauses only the new package has"),
        ),
        Binding(
            FILTER_KEYS["changed"],
            "filter('changed')",
            N_("Changed clauses"),
            show=False,
            id="compare-filter-3",
            tooltip=N_("Clauses whose text changed"),
        ),
        Binding(
            FILTER_KEYS["merged"],
            "filter('merged')",
            N_("Merged clauses"),
            show=False,
            id="compare-filter-4",
            tooltip=N_("Several old clauses made into one"),
        ),
        Binding(
            FILTER_KEYS["split"],
            "filter('split')",
            N_("Split clauses"),
            show=False,
            id="compare-filter-5",
            tooltip=N_("One old clause made into several"),
        ),
        Binding(
            FILTER_KEYS["removed"],
            "filter('removed')",
            N_("Removed clauses"),
            show=False,
            id="compare-filter-6",
            tooltip=N_("Clauses only the old package has"),
        ),
        Binding(
            FILTER_KEYS["same"],
            "filter('same')",
            N_("Unchanged clauses"),
            show=False,
            id="compare-filter-7",
            tooltip=N_("Clauses the same in both (but for the year)"),
        ),
        Binding(
            FILTER_KEYS[ALL_ROWS],
            "filter('all')",
            N_("All rows"),
            show=False,
            id="compare-filter-8",
            tooltip=N_("Every row, unchanged ones too"),
        ),
        # Shift+F6 and Shift+F7, not F6 and F7: pressed once more in the explorer they open,
        # they do nothing there (F6 hides the tree, F7 bookmarks).
        Binding(
            "shift+f6",
            "open_side('old')",
            N_("Old"),
            id="compare-open-old",
            tooltip=N_("Open the old clause in the explorer (its package opens)"),
        ),
        Binding(
            "o",
            "open_side('old')",
            N_("Old"),
            show=False,
            id="compare-open-old-o",
            tooltip=N_("Open the old clause in the explorer"),
        ),
        Binding(
            "shift+f7",
            "open_side('new')",
            N_("New"),
            id="compare-open-new",
            tooltip=N_("Open the new clause in the explorer (its package opens)"),
        ),
        Binding(
            "n",
            "open_side('new')",
            N_("New"),
            show=False,
            id="compare-open-new-n",
            tooltip=N_("Open the new clause in the explorer"),
        ),
        Binding(
            "enter",
            "zoom",
            N_("Full screen"),
            key_display="Enter",
            show=False,
            id="compare-zoom",
            tooltip=N_("The highlighted row's two texts take the whole screen (Esc gives the list back)"),
        ),
        # The app's calculator key, kept working but out of this footer: at 80 columns its room
        # goes to the keys of the comparison (Shift+F6 and Shift+F7 are long).
        Binding(
            "f2",
            "app.calculator",
            N_("Calculator"),
            show=False,
            id="compare-calculator",
            tooltip=N_("Which clauses apply to an enterprise, and the most each gives"),
        ),
        Binding(
            "ctrl+e",
            "export",
            N_("Export"),
            id="compare-export",
            tooltip=N_("Export the comparison (md, csv, json, html)"),
        ),
        Binding("x", "export", N_("Export"), show=False, id="compare-export-x", tooltip=N_("Export the comparison")),
        Binding(
            "f4",
            "toggle_script",
            N_("Script"),
            show=False,
            id="compare-script",
            tooltip=N_("Switch between Traditional and Simplified"),
        ),
        Binding(
            "s",
            "toggle_script",
            N_("Script"),
            show=False,
            id="compare-script-s",
            tooltip=N_("Switch between Traditional and Simplified"),
        ),
    ]
    # Keys that mean something only with a comparison on the screen (not while choosing).
    RESULT_ACTIONS = frozenset({"next_filter", "filter", "open_side", "export", "zoom"})
    # What help (F1) says above the key table of this screen.
    HELP_INTRO = N_(
        "The comparison of two packages: the counts by kind are the tabs (1-8, f steps through "
        "them); the highlighted row's old and new texts are shown below the list, deleted text "
        "struck through and inserted text underlined, with the money and rates that changed. "
        "Enter gives the two texts the whole screen, Esc gives the list back."
    )
    MINIMUM = (40, 12)  # the explorer's: below it the screen asks for a bigger terminal

    def __init__(self) -> None:
        super().__init__()
        self.packages: list[Package] = []
        self.shown: _Chosen | None = None  # the comparison on the screen
        self.filter = ALL_CHANGES
        self.rows: list[Row] = []  # the rows listed, under the filter
        self.current: Row | None = None  # the row whose texts are shown (None: the document's)
        self._made: dict[tuple[str, str, str, str], Comparison] = {}  # comparisons made (see _key)
        self._laid_out: tuple[Locale, int, str] | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="compare-title")
        yield TooSmall(id="compare-too-small")
        with Vertical(id="compare-choose"):
            yield Static(id="compare-intro")
            with Container(id="compare-lists"):
                with Vertical(id="compare-old-pane"):
                    yield Static(id="compare-old-label", classes="compare-list-label")
                    yield PackageList(id="compare-old-list")
                with Vertical():
                    yield Static(id="compare-new-label", classes="compare-list-label")
                    yield PackageList(id="compare-new-list")
        with Vertical(id="compare-result"):
            yield Static(id="compare-kinds")
            yield OptionList(id="compare-rows")
            with VerticalScroll(id="compare-detail"):
                yield Prose(id="compare-head")
                with Container(id="compare-sides"):
                    yield DiffSide("old", id="compare-old-text")
                    yield DiffSide("new", id="compare-new-text")
        yield LocalFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.add_class("-choosing")
        self.query_one("#compare-old-list").focus()
        # The lists are filled when the screen is shown (on_screen_resume), each time.

    # -- the library and the packages chosen ------------------------------------------------------

    def _open_name(self) -> str:
        """The package open in the explorer."""
        return self.hz.package_name

    def _read_library(self) -> None:
        """The packages, read afresh (another window may have added one), in both lists; the
        choice made stays, else: the newest as new, the one open (else the one before the
        newest) as old."""
        packages = self.hz.refresh_library()
        problem = self.hz.library_problem
        if problem is not None and self.packages != packages:  # said once, not each time shown
            self.notify(self.loc.say(problem), severity="error", timeout=10)
        self.packages = packages
        old_list = self.query_one("#compare-old-list", PackageList)
        new_list = self.query_one("#compare-new-list", PackageList)
        if self.shown is not None:
            old, new = self.shown.old, self.shown.new
        elif old_list.chosen is not None and new_list.chosen is not None:
            old, new = old_list.chosen.name, new_list.chosen.name
        else:
            old, new = "", ""
        names = {p.name for p in packages if p.problem is None}
        if old not in names or new not in names or (old == new and len(names) > 1):
            # first shown, a package gone, or one package compared with itself while the
            # library now holds another (it held one when last shown): two different ones
            old, new = default_pair(packages, self._open_name())
        current, loc, today = self._open_name(), self.loc, self.hz.today
        old_list.show(packages, current, loc, today, old)
        new_list.show(packages, current, loc, today, new)
        self._show_intro()

    def _show_intro(self) -> None:
        loc = self.loc
        words = loc.tr(
            "Choose the old package on the left and the new one on the right. Enter compares, "
            "t swaps them, Tab moves between the lists, Esc goes back."
        )
        text = Text(words)
        usable = [p for p in self.packages if p.problem is None]
        problem = self.hz.library_problem
        if problem is not None:  # the other packages are there, the index cannot say which
            text.append("\n")
            text.append(loc.say(problem), style="bold")
        elif len(usable) < 2:
            text.append("\n")
            text.append(
                loc.tr(
                    "Your library has one package: add another edition with `hzpolicy-tui add FILE` to compare them."
                ),
                style="bold",
            )
        self.query_one("#compare-intro", Static).update(text)
        self.query_one("#compare-old-label", Static).update(loc.tr("Old package (before)"))
        self.query_one("#compare-new-label", Static).update(loc.tr("New package (after)"))

    def action_choose(self) -> None:
        """Back to the two lists, the packages compared highlighted."""
        self.remove_class("-zoom")
        self.add_class("-choosing")
        self._read_library()
        self._show_title()
        self.query_one("#compare-old-list").focus()
        self.refresh_bindings()

    def action_swap(self) -> None:
        if self.has_class("-choosing"):
            old_list = self.query_one("#compare-old-list", PackageList)
            new_list = self.query_one("#compare-new-list", PackageList)
            old_list.highlighted, new_list.highlighted = new_list.highlighted, old_list.highlighted
            return
        if self.shown is not None:
            self._start(self.shown.new, self.shown.old)

    @on(OptionList.OptionSelected, "#compare-old-list")
    @on(OptionList.OptionSelected, "#compare-new-list")
    def _packages_chosen(self) -> None:
        old = self.query_one("#compare-old-list", PackageList).chosen
        new = self.query_one("#compare-new-list", PackageList).chosen
        if old is None or new is None:
            return
        for package in (old, new):
            if package.problem is not None:
                self.notify(self.loc.say(package.problem), severity="error", timeout=10)
                return
        self._start(old.name, new.name)

    def _start(self, old: str, new: str) -> None:
        try:
            packages = self._package(old), self._package(new)
        except LibraryError as exc:
            self._failed(exc.notice)
            return
        made = self._made.get(self._key(*packages))
        if made is not None:
            self._show_comparison(_Chosen(old, new, made))
            return
        self.query_one("#compare-title", Static).update(
            Text(" " + self.loc.tr("Comparing {old} and {new}...").format(old=old, new=new), style="bold")
        )
        self._compare(*packages)

    @staticmethod
    def _key(old: Package, new: Package) -> tuple[str, str, str, str]:
        """A comparison made is kept by its packages' names and documents (a package removed
        and added again under its name is another document)."""
        return old.name, old.source_sha256, new.name, new.source_sha256

    def _package(self, name: str) -> Package:
        package = next((p for p in self.packages if p.name == name), None)
        return package if package is not None else self.hz.library.get(name)

    @work(thread=True, exclusive=True, group="compare")
    def _compare(self, old: Package, new: Package) -> None:
        """Read both packages (the app keeps each it read; the open one is read already) and
        compare them, away from the keys; a package that cannot be read is said, with its
        path and the cure."""
        try:
            docs = [self.hz.document_of(package) for package in (old, new)]
        except (LibraryError, StoreError) as exc:
            self.app.call_from_thread(self._failed, exc.notice)
            return
        made = compare(docs[0], docs[1])
        if not get_current_worker().is_cancelled:  # another pair was chosen meanwhile
            self.app.call_from_thread(self._compared, old, new, made)

    def _failed(self, notice: str) -> None:
        self.notify(self.loc.say(notice), severity="error", timeout=10)
        self._show_title()

    def _compared(self, old: Package, new: Package, made: Comparison) -> None:
        self._made[self._key(old, new)] = made
        self._show_comparison(_Chosen(old.name, new.name, made))

    def _show_comparison(self, chosen: _Chosen) -> None:
        keep = self.current if self.shown is not None and self.shown.cmp is chosen.cmp else None
        self.shown = chosen
        self.remove_class("-choosing")
        self._show_title()
        self._show_kinds()
        self._fill_rows(keep)
        self.query_one("#compare-rows").focus()
        self.refresh_bindings()

    # -- keeping up with the width and the words ---------------------------------------------------

    def _catch_up(self, force: bool = False) -> None:
        self.query_one(TooSmall).check(self.app.size, self.MINIMUM, self.loc)
        stamp = (self.loc, self.app.size.width, self.app.theme)
        if stamp == self._laid_out and not force:
            return
        self._laid_out = stamp
        self.query_one("#compare-sides").set_class(self.app.size.width < SIDE_BY_SIDE, "-stacked")
        self._show_title()
        self._show_intro()
        if self.shown is not None:
            self._show_kinds()
            self._fill_rows(self.current)

    def apply_locale(self) -> None:
        """The app's script or language changed (the app calls this on every screen shown)."""
        self._catch_up()
        self._read_library()
        self.refresh_bindings()

    def on_screen_resume(self) -> None:
        # Shown again: the library, the words or the terminal may have changed meanwhile.
        self._read_library()
        self._catch_up()

    def on_resize(self, event: events.Resize) -> None:
        self._catch_up()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        choosing = self.shown is None or self.has_class("-choosing")
        return not (action in self.RESULT_ACTIONS and choosing)

    # -- the title and the counts ---------------------------------------------------------------------

    def _status(self, name: str) -> str:
        package = next((p for p in self.packages if p.name == name), None)
        if package is None:
            return ""
        return package_validity(package, self.hz.today).word(self.loc)

    def _show_title(self) -> None:
        loc = self.loc
        width = max(self.app.size.width, 10)
        if self.shown is None or self.has_class("-choosing"):
            text = Text(" " + loc.tr("Compare two packages"), style="bold")
        else:
            old, new = self.shown.old, self.shown.new
            words = loc.tr("Compare: old {old} ({old_status}) -> new {new} ({new_status})")
            text = Text(
                " " + words.format(old=old, old_status=self._status(old), new=new, new_status=self._status(new)),
                style="bold",
            )
        self.query_one("#compare-title", Static).update(Text(fit(text.plain, width), style="bold"))

    def kind_name(self, kind: str) -> str:
        """A kind's or a filter's name in the reader's words."""
        return self.loc.tr(KIND_NAMES[kind] if kind in KIND_NAMES else FILTER_NAMES[kind])

    def _show_kinds(self) -> None:
        """The counts by kind, as the filter's tabs (the current one marked), laid in the
        width: a tab is never split."""
        if self.shown is None:
            return
        counts = self.shown.cmp.counts()
        total = sum(counts.values())
        sizes: dict[str, int] = {ALL_CHANGES: sum(1 for r in self.shown.cmp.rows if changed(r)), ALL_ROWS: total}
        sizes.update((kind, n) for kind, n in counts.items())
        width = max(self.app.size.width - 2, 10)
        tab = self.get_component_rich_style("compare--tab", partial=True)
        current = self.get_component_rich_style("compare--tab-current", partial=True)
        out = Text()
        used = 0
        for name in FILTERS:
            piece = f" {FILTER_KEYS[name]} {self.kind_name(name)} {sizes.get(name, 0)} "
            w = cell_width(piece)
            if used and used + 1 + w > width:
                out.append("\n")
                used = 0
            elif used:
                out.append(" ")
                used += 1
            style = current if name == self.filter else tab
            if name != self.filter and name in KIND_CLASS and sizes.get(name, 0):
                style = self.get_component_rich_style(KIND_CLASS[name], partial=True)
            # a click on a tab chooses it, as its key does
            out.append(piece, style=style + Style.from_meta({"@click": f"screen.filter({name!r})"}))
            used += w
        self.query_one("#compare-kinds", Static).update(out)

    def action_filter(self, name: str) -> None:
        if name not in FILTERS or self.shown is None:
            return
        self.filter = name
        self._show_kinds()
        self._fill_rows(self.current)
        self.remove_class("-zoom")
        self.query_one("#compare-rows").focus()

    def action_next_filter(self) -> None:
        self.action_filter(FILTERS[(FILTERS.index(self.filter) + 1) % len(FILTERS)])

    # -- the rows -----------------------------------------------------------------------------------

    def _listed(self, row: Row) -> bool:
        if self.filter == ALL_ROWS:
            return True
        if self.filter == ALL_CHANGES:
            return changed(row)
        return row.kind == self.filter

    def _fill_rows(self, keep: Row | None) -> None:
        """The document's row, then the rows of the filter's kind; the row shown stays
        highlighted when it is still listed."""
        if self.shown is None:
            return
        cmp = self.shown.cmp
        self.rows = [r for r in cmp.rows if self._listed(r)]
        rows_list = self.query_one("#compare-rows", OptionList)
        width = max(self.app.size.width - rows_list.styles.scrollbar_size_vertical - 2, 20)
        options = [Option(self._document_label(width), id=DOCUMENT_ROW)]
        olds = [numbers_text(r.old) for r in self.rows]
        news = [numbers_text([r.new] if r.new is not None else []) for r in self.rows]
        old_w = max((cell_width(s) for s in olds), default=1)
        new_w = max((cell_width(s) for s in news), default=1)
        kind_w = max(cell_width(self.kind_name(k)) for k in KINDS)
        for i, row in enumerate(self.rows):
            options.append(Option(self._row_label(row, olds[i], news[i], (old_w, new_w, kind_w), width), id=f"r{i}"))
        if not self.rows:
            words = self.loc.tr("No rows of this kind: {kind}").format(kind=self.kind_name(self.filter))
            options.append(Option(Text(fit(words, width), style="dim"), id=NO_ROWS, disabled=True))
        rows_list.set_options(options)
        at = self.rows.index(keep) + 1 if keep is not None and keep in self.rows else (1 if self.rows else 0)
        rows_list.highlighted = at
        self._show_row(self.rows[at - 1] if at else None)

    def _row_label(self, row: Row, old: str, new: str, widths: tuple[int, int, int], width: int) -> Text:
        loc = self.loc
        old_w, new_w, kind_w = widths
        kind = self.kind_name(row.kind)
        head = Text(" " * (old_w - cell_width(old)) + old + " -> " + new + " " * (new_w - cell_width(new)) + "  ")
        head.append(kind, style=self.get_component_rich_style(KIND_CLASS[row.kind], partial=True))
        head.append(" " * (kind_w - cell_width(kind)) + "  ")
        tail = []
        if row.changes:
            tail.append(loc.trn("{n} figure", "{n} figures", len(row.changes)).format(n=len(row.changes)))
        if row.moved:
            tail.append(loc.tr("moved"))
        tail_text = ("  " + " ".join(tail)) if tail else ""
        room = max(width - head.cell_len - cell_width(tail_text), 4)
        head.append(fit(self._row_title(row), room))
        if tail_text:
            head.append(" " * max(width - head.cell_len - cell_width(tail_text), 0))
            head.append(tail_text, style="bold")
        return head

    def _row_title(self, row: Row) -> str:
        cmp, script = self._cmp(), self.loc.script
        if row.new is not None:
            return cmp.new.require(row.new).title_in(script)
        return " / ".join(cmp.old.require(n).title_in(script) for n in row.old)

    def _document_label(self, width: int) -> Text:
        loc = self.loc
        cmp = self._cmp()
        parts = [loc.tr("The document")]
        total = cmp.total
        if total is not None:
            parts.append(loc.tr("total {change}").format(change=budget_text(total, loc)))
        parts.append(loc.tr("valid {period}").format(period=_pair(period_of(cmp.old), period_of(cmp.new))))
        changed = sum(1 for d in cmp.domains if d.changed)
        if changed:
            parts.append(loc.trn("{n} domain changed", "{n} domains changed", changed).format(n=changed))
        # each part whole or left out (the row's page below says all): never a date cut short
        line = parts[0]
        for part in parts[1:]:
            if cell_width(line + " | " + part) <= width:
                line += " | " + part
        return Text(fit(line, width), style="bold")

    def _cmp(self) -> Comparison:
        if self.shown is None:  # pragma: no cover - the rows exist only with a comparison
            raise LookupError("no comparison shown")
        return self.shown.cmp

    @on(OptionList.OptionHighlighted, "#compare-rows")
    def _row_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        option_id = event.option.id
        if option_id == DOCUMENT_ROW:
            self._show_row(None)
        elif option_id and option_id.startswith("r"):
            index = int(option_id[1:])
            if index < len(self.rows) and self.rows[index] is not self.current:
                self._show_row(self.rows[index])

    @on(OptionList.OptionSelected, "#compare-rows")
    def _row_selected(self) -> None:
        """Enter on a row: its texts take the whole screen (Esc gives the list back)."""
        self.action_zoom()

    def action_zoom(self) -> None:
        self.add_class("-zoom")
        self.query_one("#compare-detail").focus()

    # -- a row's detail --------------------------------------------------------------------------------

    def _show_row(self, row: Row | None) -> None:
        self.current = row
        head = self.query_one("#compare-head", Prose)
        sides = self.query_one("#compare-sides")
        if row is None:
            head.show(self._document_blocks())
            sides.display = False
        else:
            head.show(self._row_blocks(row))
            sides.display = True
            self._show_sides(row)
        self.query_one("#compare-detail", VerticalScroll).scroll_home(animate=False)

    def _clause_labels(self, doc: Document, numbers: Sequence[int]) -> str:
        return "".join(doc.require(n).label for n in numbers) or "-"

    def _row_blocks(self, row: Row) -> list[Block]:
        loc, cmp = self.loc, self._cmp()
        kind = self.kind_name(row.kind)
        numbers = loc.tr("{old} -> {new}").format(
            old=self._clause_labels(cmp.old, row.old),
            new=self._clause_labels(cmp.new, [row.new] if row.new is not None else []),
        )
        title = f"{kind}  {numbers}"
        blocks = [Block("title", title)]
        if row.old and row.new is not None and row.kind != "same":
            words = loc.tr("similarity {percent}%").format(percent=round(row.similarity * 100))
            blocks.append(Block("meta", words, (Mark(0, len(words), "dim"),)))
        moved = moved_text(cmp, row, loc)
        if moved:
            blocks.append(Block("meta", moved, (Mark(0, len(moved), "strong"),)))
        if row.changes:
            blocks.append(Block("section", loc.tr("Money and rates that changed")))
            for change in row.changes:
                text = change_text(change, loc)
                blocks.append(Block("item", "- " + text, (Mark(2, len(text) + 2, "figure"),)))
        elif row.kind in ("changed", "merged", "split"):
            words = loc.tr("No money figure or rate changed.")
            blocks.append(Block("meta", words, (Mark(0, len(words), "dim"),)))
        return blocks

    def _show_sides(self, row: Row) -> None:
        loc, cmp, script = self.loc, self._cmp(), self.loc.script
        assert self.shown is not None
        if row.old and row.new is not None:
            ops = cmp.diff(row, script)
        else:  # a new or removed clause: its text as it is, nothing to mark
            ops = [("equal", cmp.old_text(row, script) if row.old else cmp.new_text(row, script))]
        old_titles = "; ".join(f"{cmp.old.require(n).label} {cmp.old.require(n).title_in(script)}" for n in row.old)
        old_heading = loc.tr("Old {package}: {clauses}").format(package=self.shown.old, clauses=old_titles or "-")
        new_clause = cmp.new.require(row.new) if row.new is not None else None
        new_titles = f"{new_clause.label} {new_clause.title_in(script)}" if new_clause else "-"
        new_heading = loc.tr("New {package}: {clauses}").format(package=self.shown.new, clauses=new_titles)
        self.query_one("#compare-old-text", DiffSide).show(
            old_heading,
            side_pieces(ops, "old") if row.old else [],
            legend=loc.tr("deleted text"),
            empty=loc.tr("Not in {package}.").format(package=self.shown.old),
        )
        self.query_one("#compare-new-text", DiffSide).show(
            new_heading,
            side_pieces(ops, "new") if row.new is not None else [],
            legend=loc.tr("inserted text"),
            empty=loc.tr("Not in {package}.").format(package=self.shown.new),
        )

    def _document_blocks(self) -> list[Block]:
        """The document's row: both titles, numbers, validity and totals, then each domain's
        title, budget and leads old -> new."""
        loc, cmp = self.loc, self._cmp()
        assert self.shown is not None
        old, new, script = cmp.old, cmp.new, loc.script
        heading = loc.tr("The document: {old} -> {new}").format(old=self.shown.old, new=self.shown.new)
        blocks = [Block("title", heading)]
        note = relation_note(cmp, loc)
        if note:
            blocks.append(Block("item", note, (Mark(0, len(note), "bad"),)))

        def line(label: str, before: str, after: str) -> None:
            value = _pair(before, after)
            text = loc.tr("{label}: {value}").format(label=label, value=value)
            marks = (Mark(len(text) - len(value), len(text), "figure"),) if before != after else ()
            blocks.append(Block("item", text, marks))

        line(loc.tr("Title"), old.title_in(script), new.title_in(script))
        line(loc.tr("Document number"), loc.doc(old.number or "-"), loc.doc(new.number or "-"))
        line(loc.tr("Issued by"), loc.doc(old.issuer or "-"), loc.doc(new.issuer or "-"))
        line(loc.tr("Valid"), period_of(old), period_of(new))
        total = cmp.total
        if total is not None:
            amounts = budget_text(total, loc)
            text = total_words(new, loc).format(amount=amounts)
            blocks.append(Block("item", text, (Mark(len(text) - len(amounts), len(text), "figure"),)))
        elif old.total_budget:
            same = loc.doc(old.total_budget["text"])
            blocks.append(Block("item", total_words(new, loc).format(amount=same)))
        sizes = loc.tr("{domains} domains, {clauses} clauses")
        line(
            loc.tr("Size"),
            sizes.format(domains=len(old.domains), clauses=len(old.clauses)),
            sizes.format(domains=len(new.domains), clauses=len(new.clauses)),
        )
        blocks += [BLANK, Block("section", loc.tr("Domains"))]
        for domain in cmp.domains:
            blocks.extend(self._domain_blocks(domain))
        closing = [line for passage in cmp.closing for line in passage_lines(passage, loc)]
        if closing:
            blocks += [BLANK, Block("section", loc.tr("Closing paragraphs"))]
            blocks.extend(Block("text", "  " + line, (Mark(2, len(line) + 2, "figure"),)) for line in closing)
        return blocks

    def _domain_blocks(self, change: DomainChange) -> list[Block]:
        """A domain: its heading (strong when something changed), then what changed."""
        loc = self.loc
        domain = change.new or change.old
        head = domain_heading(domain, loc) if domain is not None else "-"
        if not change.changed:
            return [Block("item", head, (Mark(0, len(head), "dim"),))]
        blocks = [Block("item", head, (Mark(0, len(head), "strong"),))]
        blocks.extend(
            Block("text", "  " + line, (Mark(2, len(line) + 2, "figure"),)) for line in domain_lines(change, loc)
        )
        return blocks

    # -- leaving, opening, exporting ----------------------------------------------------------------

    def action_back(self) -> None:
        """One step back: the texts give the list back; the lists of packages give the
        comparison back; the comparison goes back to the explorer."""
        if self.has_class("-zoom"):
            self.remove_class("-zoom")
            self.query_one("#compare-rows").focus()
        elif self.has_class("-choosing") and self.shown is not None:
            self.remove_class("-choosing")
            self._show_title()
            self.query_one("#compare-rows").focus()
            self.refresh_bindings()
        else:
            self.dismiss(None)

    def action_open_side(self, side: Side) -> None:
        """Open the row's old clause (the first, for a merge) or its new one in the explorer:
        the app opens that package there."""
        if self.shown is None:
            return
        loc = self.loc
        row = self.current
        if row is None:
            self.notify(loc.tr("Choose a clause's row first (this is the document's row)"), severity="warning")
            return
        if side == "old":
            if not row.old:
                self.notify(
                    loc.tr("This clause is not in {package}").format(package=self.shown.old), severity="warning"
                )
                return
            self._open(self.shown.old, self._cmp().old, row.old[0])
        else:
            if row.new is None:
                self.notify(
                    loc.tr("This clause is not in {package}").format(package=self.shown.new), severity="warning"
                )
                return
            self._open(self.shown.new, self._cmp().new, row.new)

    def _open(self, name: str, doc: Document, clause: int) -> None:
        """Open ``clause`` of the package ``name`` in the explorer, if the library still
        holds that package as it was compared: one removed meanwhile (from another window)
        is said to be gone, and the comparison stays on the screen."""
        package = self.hz.package_now(name)  # says why when it is gone
        if package is None:
            return
        if package.source_sha256 != doc.source_sha256:
            words = self.loc.tr("The package {name} was replaced in the library since it was compared: compare again")
            self.notify(words.format(name=name), severity="warning", timeout=10)
            return
        self.dismiss(CompareOpen(package, doc, clause))

    def action_export(self) -> None:
        from .dialogs import ExportScreen

        if self.shown is not None:
            self.app.push_screen(ExportScreen(self.export_sources()))

    def export_sources(self) -> dict[str, ExportSource]:
        """The rows listed now (under the filter), first; and the comparison whole: every
        row, unchanged ones too. Each writes itself (:func:`.core.compare.comparison_export`):
        JSON as ``compare --json`` prints it, CSV under the reader's headings, Markdown and
        HTML with the marks' legend; a filtered one says which kinds it holds."""
        from ..core.compare import comparison_export
        from .dialogs import ExportSource

        assert self.shown is not None
        shown, loc = self.shown, self.loc
        stem = f"compare-{shown.old}-{shown.new}"  # the kind is said inside the file, not in its name

        def writer(kinds: list[str] | None, moved: bool) -> Callable[[str], str]:
            return lambda fmt: comparison_export(shown.cmp, fmt, loc, shown.old, shown.new, kinds, moved)

        sources: dict[str, ExportSource] = {}
        if self.filter != ALL_ROWS:
            listed = list(self.rows)
            label = loc.tr("Comparison, the rows listed ({kind}: {n})").format(
                kind=self.kind_name(self.filter), n=len(listed)
            )
            every_change = self.filter == ALL_CHANGES  # every kind but unchanged, and the moves
            kinds: list[str] = [k for k in KINDS if k != "same"] if every_change else [self.filter]
            sources["listed"] = ExportSource(label, None, stem, render=writer(kinds, every_change))
        label = loc.tr("Comparison {old} -> {new}, every row ({n})").format(
            old=shown.old, new=shown.new, n=len(shown.cmp.rows)
        )
        sources["comparison"] = ExportSource(label, None, stem, render=writer(None, False))
        return sources

    def action_toggle_script(self) -> None:
        self.hz.toggle_script()


def default_pair(packages: Sequence[Package], open_name: str) -> tuple[str, str]:
    """The packages a comparison starts with: the newest (by its period) as new, and the one
    open in the explorer as old, or the newest before it when the open one is the newest."""
    usable = [p for p in packages if p.problem is None] or list(packages)
    if not usable:
        return open_name, open_name
    by_age = sorted(usable, key=lambda p: (p.valid_from or "", p.valid_to or "", p.name))
    new = by_age[-1].name
    if open_name != new and any(p.name == open_name for p in usable):
        return open_name, new
    old = by_age[-2].name if len(by_age) > 1 else new
    return old, new


__all__ = ["CompareOpen", "CompareScreen", "DiffSide", "default_pair", "side_pieces"]
