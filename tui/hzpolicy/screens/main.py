"""The explorer: the tree (the document, its domains, their clauses), search, and the page
of what is chosen."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ..core import clipboard
from ..core.i18n import N_
from ..core.models import Script, Target
from ..core.present import validity
from ..core.script import MAX_QUERY_CHARS, typeset
from ..messages import TargetChosen
from ..widgets.bounded_input import SearchBox
from ..widgets.clause_tree import ClauseTree
from ..widgets.clause_view import ClauseView
from ..widgets.footer import LocalFooter
from ..widgets.labels import fit, fit_around, fit_middle, fit_text
from ..widgets.too_small import TooSmall
from .base import OfTheApp

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..core.library import Package
    from ..core.models import Document
    from ..core.search import Hit, Results, SearchIndex
    from ..core.searchall import Found
    from .dialogs import ExportSource

HIGHLIGHT = "bold reverse"
# A package's name in the title bar keeps at least this many cells before it is cut (the
# title gives way first): hangzhou-2025 and hangzhou-2025-simplified must read apart.
PACKAGE_NAME_CELLS = 24


class MainScreen(OfTheApp, Screen[None]):
    AUTO_FOCUS = "#tree"  # focus the tree once, not the search box first and then the tree
    # Shown in the footer (show=True): what a reader needs, with keys that work while a
    # Chinese input method is on (F-keys, Ctrl). Letter twins are for the keyboard-minded.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "slash", "search", N_("Search"), id="search", tooltip=N_("Search everything (Traditional or Simplified)")
        ),
        Binding(
            "ctrl+f",
            "search",
            N_("Search"),
            show=False,
            id="search-ctrl",
            tooltip=N_("Search (works with an input method on)"),
        ),
        Binding(
            "escape",
            "back",
            N_("Back"),
            show=False,
            id="back",
            tooltip=N_("Back: from a result to the list, from the search to the tree"),
        ),
        Binding(
            "n",
            "next_match",
            N_("Next match"),
            show=False,
            id="next-match",
            tooltip=N_("Next match in the open clause"),
        ),
        Binding(
            "N",
            "prev_match",
            N_("Previous match"),
            show=False,
            id="prev-match",
            tooltip=N_("Previous match in the open clause"),
        ),
        Binding(
            "f3",
            "next_match",
            N_("Next match"),
            show=False,
            id="next-match-f3",
            tooltip=N_("Next match in the open clause"),
        ),
        Binding(
            "shift+f3",
            "prev_match",
            N_("Previous match"),
            show=False,
            id="prev-match-f3",
            tooltip=N_("Previous match in the open clause"),
        ),
        Binding(
            "f4", "toggle_script", N_("Script"), id="script", tooltip=N_("Switch between Traditional and Simplified")
        ),
        Binding(
            "s",
            "toggle_script",
            N_("Script"),
            show=False,
            id="script-s",
            tooltip=N_("Switch between Traditional and Simplified"),
        ),
        Binding("f7", "bookmark", N_("Bookmark"), id="bookmark", tooltip=N_("Star or unstar the open clause")),
        Binding(
            "m", "bookmark", N_("Bookmark"), show=False, id="bookmark-m", tooltip=N_("Star or unstar the open clause")
        ),
        Binding("f9", "note", N_("Note"), id="note", tooltip=N_("Write a note on the open clause")),
        Binding("e", "note", N_("Note"), show=False, id="note-e", tooltip=N_("Write a note on the open clause")),
        Binding(
            "ctrl+e",
            "export",
            N_("Export"),
            id="export",
            tooltip=N_("Export the open page, the search results or the bookmarks (md, csv, json, html)"),
        ),
        Binding("x", "export", N_("Export"), show=False, id="export-x", tooltip=N_("Export to a file")),
        Binding(
            "f5",
            "copy",
            N_("Copy"),
            show=False,
            id="copy",
            tooltip=N_("Copy the open page (a clause: number, title, text) to the clipboard"),
        ),
        Binding("c", "copy", N_("Copy"), show=False, id="copy-c", tooltip=N_("Copy the open page to the clipboard")),
        Binding("f6", "toggle_tree", N_("Tree"), show=False, id="tree", tooltip=N_("Hide or show the tree")),
        Binding("b", "toggle_tree", N_("Tree"), show=False, id="tree-b", tooltip=N_("Hide or show the tree")),
        Binding(
            "ctrl+o",
            "packages",
            N_("Package"),
            show=False,
            id="packages",
            tooltip=N_("Open another policy package of the library (kept for next time)"),
        ),
        Binding(
            "p",
            "packages",
            N_("Package"),
            show=False,
            id="packages-p",
            tooltip=N_("Open another policy package of the library"),
        ),
        Binding(
            "ctrl+t",
            "search_scope",
            N_("Search all packages"),
            show=False,
            id="search-scope",
            tooltip=N_("Search the open package only, or every package of the library"),
        ),
        Binding(
            "ctrl+r",
            "reload",
            N_("Reload"),
            show=False,
            id="reload",
            tooltip=N_("Show bookmarks and notes as saved now (another window may have changed them)"),
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.results: Results | None = None  # the open package's results
        self.others: list[tuple[Package, Results]] = []  # the other packages', in a search of all
        self.unsearched: list[str] = []  # packages a search of all could not read
        self.rows: list[Found] = []  # what the list of results shows, in its order
        self._other_notes: dict[str, dict[int, str]] = {}  # the other packages' notes, read once a search
        self.last_query = ""  # what `/` brings back after the search was left
        self._listed = ""  # the query whose results the list shows
        self._previewed: tuple[str, str, int] | None = None  # (query, place, number) the pane last previewed
        # The package whose page the pane previews, when a result of another package is
        # highlighted in a search of all packages (None: the open package's), and the page
        # the pane showed before, given back when the preview ends.
        self.previewing: str | None = None
        self._own_target: Target | None = None
        # How Copy reaches a clipboard (tests put their own here; see core/clipboard.py).
        self.copier: Callable[[str], clipboard.Copied] = clipboard.copy_text

    # -- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        app = self.hz
        yield Static(id="titlebar")
        yield TooSmall(id="too-small")
        with Horizontal(id="panes"):
            with Vertical(id="sidebar"):
                yield SearchBox(id="search", placeholder=self._placeholder(), max_length=MAX_QUERY_CHARS)
                yield Static(id="count")
                yield OptionList(id="results")
                yield ClauseTree(app.doc, app.script, bookmarks=app.bookmarks, noted=set(app.notes), id="tree")
            with VerticalScroll(id="detail-scroll"):
                yield Static(id="preview-label")
                yield ClauseView(app.doc, app.today, app.locale, id="detail")
        # The palette's key is in help and the README: at 80 columns the footer's room goes to
        # the eight keys a reader needs, in Chinese or English.
        yield LocalFooter(compact=True, show_command_palette=False)

    def _placeholder(self) -> str:
        if self.hz.search_all:
            return self.hz.locale.tr("Search all packages (/ or Ctrl+F)")
        return self.hz.locale.tr("Search (/ or Ctrl+F)")

    def on_mount(self) -> None:
        self._mark_detail()
        self.refresh_chrome()  # the title bar in the first frame (a resize redraws it)
        # #results and #count start hidden (app.tcss).

    async def show_package(self, then: Callable[[MainScreen], object] | None = None) -> None:
        """The app opened another package: the tree, the page and the search start afresh
        on it; ``then`` is called once they are up (to open a place there)."""
        self.results = None
        self.others = []
        self.rows = []
        self.unsearched = []
        self.last_query = ""
        self._listed = ""
        self._previewed = None
        self._other_notes = {}
        self.previewing = None
        self._own_target = None
        self.remove_class("-no-sidebar")
        await self.recompose()
        self._mark_detail()
        self.on_resize()
        self.query_one(ClauseTree).focus()
        if then is not None:
            self.call_after_refresh(then, self)  # once laid out: the results are fitted to the sidebar

    def refresh_chrome(self) -> None:
        """The title bar: which package is open, its title, and whether it is in force today
        (the title is cut, never the package's name or its status)."""
        app = self.hz
        loc = app.locale
        width = max(self.size.width, 10)
        valid = validity(app.doc, app.today)
        status = f"[{valid.word(loc)}]"
        if app.package_removed:
            removed = loc.tr("removed from the library")
            status = f"[{removed}]"
        # The name whole where it fits with the status; cut in its middle (never below
        # PACKAGE_NAME_CELLS) only where the terminal is too narrow for both.
        name_room = min(max(PACKAGE_NAME_CELLS, width - cell_len(status) - 14), width - cell_len(status) - 5)
        head = Text(f" {fit_middle(app.package_label, max(name_room, 6))}", style="bold")
        if app.doc.source_script == "simplified" and width >= 60:
            original = loc.tr("Simplified original")
            head.append(f" [{original}]")
        head.append(" |")
        title = app.doc.title_in(app.script)
        badge = Text(f"  {(not app.package_removed and valid.badge(loc)) or status}")
        if width - head.cell_len - badge.cell_len - 1 < cell_len(title):  # the dates give way first
            badge = Text(f"  {status}")
        good = valid.in_force and not app.package_removed
        badge.stylize("bold green" if good else "bold red" if valid.status != "unknown" else "bold")
        room = width - head.cell_len - badge.cell_len - 1
        text = head.copy()
        if room >= 8:
            text.append(" " + fit(title, room), style="bold")
        text.append_text(badge)
        self.query_one("#titlebar", Static).update(fit_text(text, width))
        self.query_one("#search", Input).placeholder = self._placeholder()

    NARROW = 60  # below this many columns, the tree and the page take turns
    MINIMUM = (40, 12)

    def on_resize(self) -> None:
        width = self.size.width
        self.set_class(width < self.NARROW, "-narrow")
        self.query_one(TooSmall).check(self.size, self.MINIMUM, self.hz.locale)
        self.refresh_chrome()
        if self.results is not None:
            self._show_results(self.results)

    # -- showing a page ----------------------------------------------------------------------

    @property
    def detail(self) -> ClauseView:
        return self.query_one(ClauseView)

    def show_target(self, target: Target, focus_detail: bool = False) -> None:
        """Show the page of the document, a domain or a clause; on a clause, the search's
        matches are marked and the first is scrolled to."""
        detail = self.detail
        detail.target = target
        self._mark_detail()
        kind, number = target
        marks = self._shown_marks()
        spans = self._shown_index().match_spans(number, marks, self.hz.script) if marks and kind == "clause" else []
        detail.match_block = ""
        detail.matches = tuple(spans)
        detail.current_match = 0 if detail.matches else -1
        scroll = self.query_one("#detail-scroll", VerticalScroll)
        if detail.matches:
            self.call_after_refresh(self._scroll_to_match)
        else:
            scroll.scroll_home(animate=False)
        if focus_detail:
            self._focus_detail()

    def show_clause(self, number: int, focus_detail: bool = False) -> None:
        self.show_target(("clause", number), focus_detail)

    def show_hit(self, hit: Hit) -> None:
        """Show a search result's page, its matches marked."""
        self.show_target(hit.target)
        if self._mark_outside_text(hit):
            self.call_after_refresh(self._scroll_to_match)

    def _mark_outside_text(self, hit: Hit, current: int = 0, marks: tuple[str, ...] | None = None) -> bool:
        """A match outside a clause's own text (a domain's introduction, the preamble, a
        closing paragraph, the reader's note) is marked in its paragraph or line."""
        if marks is None:
            marks = self._shown_marks()
        if hit.place == "clause" or not marks:
            return False
        from ..core.search import text_spans  # loaded with the index, on the first search

        app = self.hz
        notes = self._shown_notes()
        text = notes.get(hit.number, "") if hit.place == "note" else self._shown_index().place_text(hit, app.script)
        for line in text.splitlines():
            spans = text_spans(line, marks)
            if spans:
                detail = self.detail
                detail.match_block = typeset(line) if hit.place != "note" else line
                detail.matches = tuple(spans)
                detail.current_match = min(max(current, 0), len(spans) - 1)
                return True
        return False

    def _mark_detail(self) -> None:
        number = self.detail.clause
        bookmarks = self.hz.bookmarks if self.previewing is None else set()
        self.detail.bookmarked = bool(number) and number in bookmarks
        self.detail.note = self._shown_notes().get(number, "") if number else ""

    def _shown_index(self) -> SearchIndex:
        """The search index of the document the pane shows (the open package's, or the one
        previewed)."""
        if self.previewing is None:
            return self.hz.index
        return self.hz.index_of(self.previewing, self.detail.doc)

    def _shown_marks(self) -> tuple[str, ...]:
        """What the search marks in the page shown (each package's results have their own)."""
        if self.previewing is not None:
            found = next((r for p, r in self.others if p.name == self.previewing), None)
            if found is not None:
                return found.marks
        return self.results.marks if self.results is not None else ()

    def _shown_notes(self) -> dict[int, str]:
        if self.previewing is None:
            return self.hz.notes
        return self._other_notes.get(self.previewing, {})

    def _preview_doc(self, package: str | None, doc: Document) -> None:
        """Show ``doc`` in the pane: another package's (``package``), labelled, for a result
        of a search of all packages; or the open package's again (``package`` None), on the
        page it showed before the preview."""
        detail = self.detail
        label = self.query_one("#preview-label", Static)
        if package is None:
            if self.previewing is None:
                return
            self.previewing = None
            detail.doc = doc
            label.display = False
            if self._own_target is not None:
                detail.target = self._own_target
            self._own_target = None
            detail.match_block = ""
            detail.matches = ()
            detail.current_match = -1
            detail.refresh(layout=True)
            self._mark_detail()
            return
        if self.previewing is None:
            self._own_target = detail.target
        self.previewing = package
        detail.doc = doc
        detail.refresh(layout=True)
        loc = self.hz.locale
        words = loc.tr("Preview of {name}: {title} (Enter opens it)").format(
            name=package, title=doc.title_in(self.hz.script)
        )
        label.update(Text(fit(" " + words, max(label.size.width, self.size.width // 2)), style="bold"))
        label.display = True

    @on(ClauseView.Resized)
    def _pane_resized(self) -> None:
        """The marked match is found again at the pane's new width (in a narrow terminal the
        pane was hidden, at no width, while the result was previewed)."""
        if self.detail.matches and self.detail.current_match >= 0:
            self.call_after_refresh(self._scroll_to_match)

    @on(ClauseView.LinkClicked)
    def _link(self, event: ClauseView.LinkClicked) -> None:
        """A line of a page that leads somewhere (a clause on a domain's page): open it there
        and in the tree."""
        self.open_target(event.target)

    @on(TargetChosen)
    def _chosen(self, event: TargetChosen) -> None:
        # The tree is not moved here: it posts these itself, and moving it in reply to its own
        # (queued) messages would chase keys typed ahead, back and forth without end.
        if event.target != self.detail.target:
            self.show_target(event.target, event.focus_detail)
        elif event.focus_detail:
            self._focus_detail()

    def _focus_detail(self) -> None:
        """Move to the page; in a narrow terminal it takes the place of the tree."""
        if self.has_class("-narrow"):
            self.add_class("-no-sidebar")
        self.query_one("#detail-scroll").focus()

    def _scroll_to_match(self) -> None:
        line = self.detail.line_of_match(self.detail.current_match)
        if line is not None:
            scroll = self.query_one("#detail-scroll", VerticalScroll)
            # A match on the first screen keeps the page's heading in view.
            top = 0 if line < scroll.scrollable_content_region.height - 1 else line - 2
            scroll.scroll_to(y=top, animate=False)

    # -- search ------------------------------------------------------------------------------

    def action_search(self) -> None:
        """Go to the search box; with it empty, bring back the last query and its results.
        The notes are read again first: another window may have added one to search."""
        self.reload_user_data()
        self._other_notes = {}
        if self.hz.search_all:
            self.hz.refresh_library()  # another window may have added or removed one
        if self.has_class("-no-sidebar"):
            self.remove_class("-no-sidebar")
        search = self.query_one("#search", Input)
        if not search.value and self.last_query:
            search.value = self.last_query
            search.cursor_position = len(search.value)
        search.focus()

    @on(Input.Changed, "#search")
    def _query_changed(self, event: Input.Changed) -> None:
        query = event.value
        if not query.strip():
            self._end_search(keep_focus=True)
            return
        self.last_query = query
        self._run_search(query)

    def _run_search(self, query: str) -> None:
        """Search the open package (and, in a search of all packages, every other one) and
        show what is found."""
        self.results = self._search(query)
        self.others = self._search_others(query) if self.hz.search_all else []
        self._show_results(self.results)

    def _search_others(self, query: str) -> list[tuple[Package, Results]]:
        """The other packages' results, each package's document and index read on first
        need and kept; a package whose store cannot be read is named, not searched."""
        from ..core.library import LibraryError, data_key
        from ..core.store import StoreError

        app = self.hz
        found = []
        self.unsearched = []
        for package in app.packages():
            if package.name == app.package_name:
                continue
            try:
                doc = app.document_of(package)
            except (StoreError, LibraryError):
                self.unsearched.append(package.name)
                continue
            notes = self._other_notes.get(package.name)
            if notes is None:
                notes = self._other_notes[package.name] = app.user.notes(package=data_key(package))
            index = app.index_of(package.name, doc)
            found.append((package, index.search(query, script=app.script, limit=200, notes=notes)))
        return found

    def _search(self, query: str, script: Script | None = None, limit: int | None = 200) -> Results:
        app = self.hz
        return app.index.search(query, script=script or app.script, limit=limit, notes=app.notes)

    def _count_text(self, results: Results, width: int) -> Text:
        """How many places match, how many have every word, and what the search made of the
        query (words the document has nowhere, question words left out)."""
        from ..core.found import summary
        from ..core.wrap import break_lines

        loc = self.hz.locale
        head, notes = summary(results, loc, hint=loc.tr("(Enter opens, Esc leaves)"))
        if self.hz.search_all:
            total = results.total + sum(r.total for _, r in self.others)
            packages = int(results.total > 0) + sum(r.total > 0 for _, r in self.others)
            if total:
                head = loc.trn("{n} place matches", "{n} places match", total).format(n=total)
                head += " " + loc.trn("({k} package)", "({k} packages)", packages).format(k=packages)
                notes = [loc.tr("(Enter opens, Esc leaves)")]
            if self.unsearched:
                notes.append(loc.tr("Could not read: {names}").format(names=loc.listed(self.unsearched)))
        scope = self._scope_line()
        # each note is read whole: on two lines where one is too narrow, the rest cut there
        lines = []
        for note in notes:
            spans = break_lines(note, width)
            lines += [note] if len(spans) < 2 else [note[: spans[0][1]], fit(note[spans[1][0] :], width)]
        problem = self.hz.library_problem
        if self.hz.search_all and problem is not None:
            # the other packages are not searched: said whole (its path and the repair)
            words = loc.tr("Only this package was searched: {problem}").format(problem=loc.say(problem))
            damage = [Text(words[s:e], "bold red") for s, e in break_lines(words, width)]
        else:
            damage = []
        found = results.total or any(r.total for _, r in self.others)
        text = Text(fit(head, width), "bold" if found else "bold red")
        scoped = [Text(fit(scope, width), "italic")] if scope else []
        return Text("\n").join([*scoped, *damage, text, *(Text(line, "dim") for line in lines)])

    def _scope_line(self) -> str:
        """What a search covers, and the key that changes it: only while the library holds
        more than one package."""
        app = self.hz
        n = len(app.packages())
        if n < 2:
            return ""
        if app.search_all:
            return app.locale.tr("All {n} packages [Ctrl+T]").format(n=n)
        return app.locale.tr("This package only [Ctrl+T]")

    def _show_results(self, results: Results) -> None:
        option_list = self.query_one("#results", OptionList)
        count = self.query_one("#count", Static)
        tree = self.query_one(ClauseTree)
        # The list may still be hidden (zero size): measure the sidebar it fills instead, less
        # the list's own scrollbar and padding, so a title never wraps out of its two lines.
        room = self.query_one("#sidebar").content_region.width - option_list.styles.scrollbar_size_vertical
        width = max(room - 3, 10)
        # The same query drawn again (a resize, the other script): the reader stays on the
        # result they were on.
        keep = option_list.highlighted if self._listed == results.query else None
        self._listed = results.query
        option_list.clear_options()
        from ..core.found import hit_heading, hit_why

        options = []
        loc = self.hz.locale
        app = self.hz
        from ..core.searchall import merge

        searched = [(app.package_name, results), *((p.name, r) for p, r in self.others)]
        rows = merge(searched, limit=max(len(results.hits), 200))
        docs = {app.package_name: app.doc, **{p.name: app.document_of(p) for p, _ in self.others}}
        self.rows = rows
        for n, row in enumerate(rows):
            hit = row.hit
            head = Text(fit(hit_heading(docs[row.package], hit, loc), width), style="bold")
            snippet = Text(hit.snippet if hit.place == "note" else typeset(hit.snippet))
            for s, e in hit.highlights:
                snippet.stylize(HIGHLIGHT, s, e)
            snippet = fit_around(snippet, hit.highlights[0][0] if hit.highlights else 0, width)
            said = hit_why(hit, loc, short=True)
            name = fit_middle(row.package, max(width - 10, 8))
            if app.search_all:  # each result names its package (whole where it fits), first on its last line
                said = f"{name} | {said}"
            why = Text(fit(said, width), style="dim italic" if hit.partial else "dim")
            if app.search_all:
                why.stylize("not dim bold", 0, len(name))
            options.append(Option(Text("\n").join([head, snippet, why]), id=f"h{n}"))
        option_list.add_options(options)
        count.update(self._count_text(results, max(width + 2, 10)))
        option_list.display = bool(rows)
        count.display = True
        tree.display = False
        if rows:
            option_list.highlighted = keep if keep is not None and keep < len(rows) else 0
        else:  # the page previewed for an earlier query stays, with nothing marked as found
            self.detail.matches = ()
            self.detail.current_match = -1
            self._previewed = None

    @on(OptionList.OptionHighlighted, "#results")
    def _result_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """The pane previews the highlighted result, its matches marked; one in another
        package is previewed from that package's document, labelled with its name (the
        explorer switches to it only when it is opened)."""
        row = self._row_of(event.option.id)
        if row is None or self.results is None:
            return
        if row.package != self.hz.package_name:
            self._preview_elsewhere(row)
            return
        if self.previewing is not None:
            self._preview_doc(None, self.hz.doc)
            self._previewed = None
        hit = row.hit
        # Shown again for a new query (its matches differ), not for the same one redrawn.
        previewed = (self.results.query, hit.place, hit.number)
        if previewed != self._previewed or self.detail.target != hit.target:
            self._previewed = previewed
            self.show_hit(hit)

    def _preview_elsewhere(self, row: Found) -> None:
        """Preview a result of another package (its document was read for the search)."""
        from ..core.library import LibraryError
        from ..core.store import StoreError

        package = next((p for p, _ in self.others if p.name == row.package), None)
        if package is None or self.results is None:
            return
        try:
            doc = self.hz.document_of(package)
        except (StoreError, LibraryError):
            return  # it could not be searched either: never listed
        previewed = (self.results.query, row.hit.place, row.hit.number)
        if self.previewing == row.package and self._previewed == previewed and self.detail.target == row.hit.target:
            return
        self._preview_doc(row.package, doc)
        self._previewed = previewed
        self.show_hit(row.hit)
        self._mark_detail()

    def _row_of(self, option_id: str | None) -> Found | None:
        """The result an option of the list shows (its id is "h" and its rank)."""
        if option_id is None or self.results is None:
            return None
        n = int(option_id[1:])
        return self.rows[n] if n < len(self.rows) else None

    def _open_row(self, row: Found) -> None:
        if row.package == self.hz.package_name:
            self._open_hit(row.hit)
        else:
            self._open_elsewhere(row)

    def _open_elsewhere(self, row: Found) -> None:
        """A result in another package: switch the explorer to it, and open the place there
        with the same search, so Esc goes back to the list of every package's results. A
        package removed meanwhile (or that cannot be read) is said to be so, not opened."""
        from ..core.library import LibraryError
        from ..core.store import StoreError

        app = self.hz
        package = app.package_now(row.package)
        if package is None:
            return
        try:
            doc = app.document_of(package)
        except (StoreError, LibraryError) as exc:
            self.notify(app.locale.say(exc.notice), severity="error", timeout=10)
            return
        query = self.results.query if self.results is not None else self.last_query
        app.open_package(package, doc, then=lambda main: main.reopen_search(query, row))

    def reopen_search(self, query: str, row: Found) -> None:
        """Show ``query``'s results and open ``row`` (a result found before the explorer
        switched to its package)."""
        search = self.query_one("#search", Input)
        with search.prevent(Input.Changed):
            search.value = query
            search.cursor_position = len(query)
        self.last_query = query
        self._run_search(query)
        same = (row.package, row.hit.place, row.hit.number)
        at = next((i for i, r in enumerate(self.rows) if (r.package, r.hit.place, r.hit.number) == same), None)
        if at is None:
            return
        self.query_one("#results", OptionList).highlighted = at
        self._open_hit(self.rows[at].hit)

    def open_target(self, target: Target) -> None:
        """Leave any search and show a page with the tree on it (the overview's and the
        palette's jumps)."""
        self.query_one("#search", Input).value = ""
        self._end_search(keep_focus=True)
        tree = self.query_one(ClauseTree)
        if tree.only is not None and target[0] == "clause" and target[1] not in tree.only:
            self.clear_filter()
        self.show_target(target)
        tree.select(target)
        tree.focus()

    def open_clause(self, number: int, quote: str | None = None, text_span: tuple[int, int] | None = None) -> None:
        """Show a clause, with the tree on it; a quote (from the calculator) or a span of the
        clause's text (a figure from the money table) is marked and scrolled to."""
        self.open_target(("clause", number))
        if quote:
            span = self.hz.index.quote_span(number, quote, self.hz.script)
        elif text_span:
            span = self.hz.index.text_span(number, *text_span, self.hz.script)
        else:
            return
        if span:
            self.detail.matches = (span,)
            self.detail.current_match = 0
            self.call_after_refresh(self._scroll_to_match)
        self._focus_detail()

    def open_found(self, hit: Hit, marks: tuple[str, ...]) -> None:
        """Show a result found elsewhere (the palette) with the tree on it, its matches marked
        and the first scrolled to."""
        self.open_target(hit.target)
        detail = self.detail
        if hit.place == "clause":
            detail.matches = tuple(self.hz.index.match_spans(hit.number, marks, self.hz.script))
            detail.current_match = 0 if detail.matches else -1
        elif not self._mark_outside_text(hit, marks=marks):
            return
        if detail.matches:
            self.call_after_refresh(self._scroll_to_match)
            self._focus_detail()

    def _end_search(self, keep_focus: bool = False) -> None:
        self._preview_doc(None, self.hz.doc)
        self.results = None
        self.others = []
        self.rows = []
        self.query_one("#results", OptionList).display = False
        self.query_one("#count").display = False
        tree = self.query_one(ClauseTree)
        tree.display = True
        self.detail.matches = ()
        self.detail.current_match = -1
        if not keep_focus:
            tree.focus()
            tree.select(self.detail.target)

    @on(Input.Submitted, "#search")
    def _submitted(self) -> None:
        option_list = self.query_one("#results", OptionList)
        if self.results is not None and self.rows:
            index = option_list.highlighted or 0
            self._open_row(self.rows[min(index, len(self.rows) - 1)])

    @on(OptionList.OptionSelected, "#results")
    def _result_selected(self, event: OptionList.OptionSelected) -> None:
        row = self._row_of(event.option.id)
        if row is not None:
            self._open_row(row)

    def _open_hit(self, hit: Hit) -> None:
        shown = (self.results.query if self.results else "", hit.place, hit.number)
        if self.detail.target != hit.target or self._previewed != shown:
            self._previewed = shown
            self.show_hit(hit)
        self._focus_detail()

    def on_key(self, event: events.Key) -> None:
        # Down from the search box moves into the results.
        if event.key == "down" and self.focused is self.query_one("#search"):
            option_list = self.query_one("#results", OptionList)
            if option_list.display:
                option_list.focus()
                event.stop()

    def action_back(self) -> None:
        """Esc, one step back: from a clause opened from the results to the list (query
        kept); from the search to the tree; then clear an agency filter."""
        search = self.query_one("#search", Input)
        detail_focused = self.focused is self.query_one("#detail-scroll")
        if self.results is not None and (detail_focused or self.has_class("-no-sidebar")):
            self.remove_class("-no-sidebar")
            option_list = self.query_one("#results", OptionList)
            option_list.focus() if option_list.display else search.focus()
            return
        if self.query_one(ClauseTree).only is not None and not search.value:
            self.clear_filter()
        if self.has_class("-narrow"):
            self.remove_class("-no-sidebar")  # back from the page to the tree
        if search.value:
            search.value = ""  # Changed -> _end_search; `/` brings it back
        self._end_search()

    def action_next_match(self) -> None:
        self._step(+1)

    def action_prev_match(self) -> None:
        self._step(-1)

    def _step(self, delta: int) -> None:
        detail = self.detail
        if not detail.matches:
            self.notify(self.hz.locale.tr("No search match to jump to here"), severity="warning", timeout=2)
            return
        detail.current_match = (detail.current_match + delta) % len(detail.matches)
        self.call_after_refresh(self._scroll_to_match)

    # -- other actions -----------------------------------------------------------------------

    def action_toggle_script(self) -> None:
        self.hz.toggle_script()

    def apply_locale(self) -> None:
        """The script or the language changed: every word on this screen follows."""
        app = self.hz
        self.query_one(ClauseTree).set_script(app.script)
        detail = self.detail
        detail.locale = app.locale
        marks = self._shown_marks()
        if marks and detail.clause and not detail.match_block:
            detail.matches = tuple(self._shown_index().match_spans(detail.clause, marks, app.script))
        if self.results is not None:
            self._run_search(self.results.query)
        if detail.match_block:  # a paragraph's marks, found again in the new script's characters
            shown = (
                next((h for h in self.results.hits if self._previewed == (self.results.query, h.place, h.number)), None)
                if self.results
                else None
            )
            if shown is None or not self._mark_outside_text(shown, detail.current_match):
                detail.match_block = ""
                detail.matches = ()
                detail.current_match = -1
        self.refresh_chrome()
        self.on_resize()

    def action_copy(self) -> None:
        """Copy the open page, then say where it really went: the system clipboard, tmux's
        paste buffer, or only sent to the terminal (OSC 52), which nothing can confirm."""
        text = self.detail.plain_text()
        # The app's own clipboard (what pasting inside the app gives), and OSC 52 on the way.
        self.hz.copy_to_clipboard(text)
        self._copy(text, self.detail.page().heading)

    @work(thread=True, exclusive=True, group="copy", exit_on_error=False)
    def _copy(self, text: str, heading: str) -> None:
        """The clipboard programs run in a thread (each within a time limit): never in the
        way of the keys."""
        copied = self.copier(text)
        self.app.call_from_thread(self._copied, copied, heading)

    def _copied(self, copied: clipboard.Copied, heading: str) -> None:
        loc = self.hz.locale
        if copied.outcome is clipboard.CopyOutcome.SYSTEM:
            self.notify(loc.tr("Copied {page} to the clipboard").format(page=heading), timeout=3)
        elif copied.outcome is clipboard.CopyOutcome.TMUX:
            words = loc.tr("Copied {page} to tmux's paste buffer (prefix + ] pastes it)")
            self.notify(words.format(page=heading), timeout=5)
        else:
            words = loc.tr(
                "Sent {page} to the terminal's clipboard (OSC 52): only a terminal that allows it takes it, "
                "and nothing here can confirm it. Ctrl+E saves it to a file."
            )
            self.notify(words.format(page=heading), severity="warning", timeout=10)

    # -- bookmarks, notes, export, agency filter ----------------------------------------------

    def _marks(self) -> None:
        self.query_one(ClauseTree).set_marks(self.hz.bookmarks, set(self.hz.notes))

    def _open_clause_number(self) -> int:
        """The open clause's number; 0, with a word to the reader, on a document or domain
        page, on another package's page previewed, or when the open package was removed."""
        if self.previewing is not None:
            words = self.hz.locale.tr("This is a preview of {name}: Enter opens it there first")
            self.notify(words.format(name=self.previewing), severity="warning")
            return 0
        if self.hz.package_gone():
            return 0
        number = self.detail.clause
        if not number:
            self.notify(self.hz.locale.tr("Open a clause first (this is not a clause's page)"), severity="warning")
        return number

    def action_bookmark(self) -> None:
        number = self._open_clause_number()
        if not number:
            return
        on = not self.detail.bookmarked  # what the reader sees is what the key changes
        problem = self.hz.user.set_bookmark(number, on, package=self.hz.data_key)
        if problem:
            self.notify(self.hz.locale.say(problem), severity="error")
            return
        (self.hz.bookmarks.add if on else self.hz.bookmarks.discard)(number)
        self.detail.bookmarked = on
        self._marks()
        loc = self.hz.locale
        words = loc.tr("({numeral}) bookmarked") if on else loc.tr("({numeral}) no longer bookmarked")
        self.notify(words.format(numeral=self.hz.doc.require(number).numeral), timeout=2)

    def _note_heading(self, number: int) -> str:
        c = self.hz.doc.require(number)
        return self.hz.locale.tr("Note on ({numeral}) {title}").format(
            numeral=c.numeral, title=c.title_in(self.hz.script)
        )

    def action_note(self) -> None:
        number = self._open_clause_number()
        if not number:
            return
        # read fresh, with the version the save is checked against
        opened = self.hz.user.note(number, package=self.hz.data_key)
        self._edit_note(number, opened.text, opened.version)

    def _edit_note(self, number: int, text: str, based_on: int) -> None:
        from .dialogs import NoteScreen

        def done(edited: str | None) -> None:
            if edited is None:
                self.reload_user_data()  # left without saving: show the note as saved now
            else:
                self._save_note(number, edited, based_on)

        self.hz.push_screen(NoteScreen(self._note_heading(number), text), done)

    def _save_note(self, number: int, text: str, based_on: int) -> None:
        """Save a note unless another instance changed it since it was opened; then ask."""
        from ..core.userdata import NoteConflict
        from .dialogs import NoteConflictScreen

        loc = self.hz.locale
        if self.hz.package_gone():  # removed while the note was written: not saved under its name
            return
        try:
            problem = self.hz.user.set_note(number, text, based_on=based_on, package=self.hz.data_key)
        except NoteConflict as conflict:
            current = conflict.current

            def chosen(keep_mine: bool | None) -> None:
                if keep_mine:
                    self._save_note(number, text, current.version)
                elif keep_mine is None:  # Esc: back to my text, to merge by hand, saved against theirs
                    self._edit_note(number, text, current.version)
                else:
                    self.reload_user_data()  # theirs stays, and is what the pane now shows
                    self.notify(loc.tr("Kept the other window's note"), timeout=3)

            self.hz.push_screen(NoteConflictScreen(text, current.text), chosen)
            return
        if problem:
            self.notify(self.hz.locale.say(problem), severity="error")
            return
        self.reload_user_data()
        self.notify(loc.tr("Note saved") if text.strip() else loc.tr("Note deleted"), timeout=2)

    def action_reload(self) -> None:
        self.reload_user_data()
        self.notify(self.hz.locale.tr("Bookmarks and notes read again"), timeout=2)

    def reload_user_data(self) -> None:
        """Show the bookmarks and notes as they are now, whichever instance changed them."""
        self.hz.bookmarks = set(self.hz.user.bookmarks(package=self.hz.data_key))
        self.hz.notes = self.hz.user.notes(package=self.hz.data_key)
        self._marks()
        self._mark_detail()

    def action_export(self) -> None:
        from .dialogs import ExportScreen

        self.hz.push_screen(ExportScreen(self.export_sources()))  # it says where it wrote

    def export_sources(self) -> dict[str, ExportSource]:
        """What the export dialog offers here, the open page first (the search results first
        while the reader is in the search box or the list): the document's overview with its
        budget chart, a domain, a clause; the search results; the bookmarks."""
        from ..core import export
        from .dialogs import ExportSource

        app = self.hz
        doc = app.doc
        loc = app.locale
        script = app.script
        sources: dict[str, ExportSource] = {}
        # another package's page previewed is not this document's to export
        kind, number = self.detail.target if self.previewing is None else ("", 0)
        if kind == "document":
            sources["overview"] = ExportSource(
                loc.tr("Document overview (budgets)"), lambda: export.overview_export(doc, loc, app.today), "overview"
            )
        elif kind == "domain":
            sources["domain"] = ExportSource(
                loc.tr("This domain ({numeral})").format(numeral=doc.domains[number - 1].numeral),
                lambda: (export.domain_records(doc, number, loc), doc.title_in(script), {}),
                f"domain-{number}",
            )
        elif kind == "clause":
            sources["clause"] = ExportSource(
                loc.tr("This clause ({numeral})").format(numeral=doc.require(number).numeral),
                lambda: (
                    export.clause_records(
                        doc, [number], notes=app.notes, bookmarks=app.bookmarks, loc=loc, today=app.today
                    ),
                    doc.title_in(script),
                    {},
                ),
                f"clause-{number}",
            )
        if self.results is not None:
            results = self._search(self.results.query, script=script, limit=None)
            sources["search"] = ExportSource(
                loc.tr("Search results ({n})").format(n=results.total),
                lambda: (
                    export.search_records(results, doc, loc),
                    loc.tr("Search: {query}").format(query=results.query),
                    export.search_meta(results),
                ),
                f"search-{results.query}",
            )
        marked = sorted(app.bookmarks | set(app.notes))
        sources["bookmarks"] = ExportSource(
            loc.tr("Bookmarks and notes ({n})").format(n=len(marked)),
            lambda: (
                export.clause_records(doc, marked, notes=app.notes, bookmarks=app.bookmarks, loc=loc, today=app.today),
                loc.tr("{title}: bookmarks and notes").format(title=doc.title_in(script)),
                {},
            ),
            "bookmarks",
        )
        if "search" in sources and self.focused is not self.query_one("#detail-scroll"):
            # in the search box or the list, the results are what is being read: offered first
            sources = {"search": sources.pop("search"), **sources}
        return sources

    def filter_agency(self, name: str) -> None:
        from ..core.insights import agency_index

        agency = next((a for a in agency_index(self.hz.doc, self.hz.doc.agency_aliases) if a.name == name), None)
        if agency is None:
            return
        numbers = set(agency.clauses)
        for d in agency.leads:
            numbers.update(self.hz.doc.domains[d - 1].clause_numbers)
        self.action_back()
        tree = self.query_one(ClauseTree)
        tree.set_filter(numbers)
        self.remove_class("-no-sidebar")
        count = self.query_one("#count", Static)
        words = self.hz.locale.tr("Filter: {name} ({clauses} clauses, leads {domains} domains); Esc clears")
        shown = self.hz.locale.doc(name)
        count.update(Text(words.format(name=shown, clauses=len(agency.clauses), domains=len(agency.leads)), "bold"))
        count.display = True
        tree.focus()
        first = min(numbers)
        self.call_after_refresh(tree.select_clause, first)

    def clear_filter(self) -> None:
        tree = self.query_one(ClauseTree)
        tree.set_filter(None)
        self.query_one("#count").display = False
        self.call_after_refresh(tree.select, self.detail.target)

    def action_packages(self) -> None:
        self.hz.choose_package()

    def action_search_scope(self) -> None:
        """Search the open package only, or every package of the library; what is searched
        shows above the results (and in the search box's placeholder)."""
        app = self.hz
        loc = app.locale
        if not app.search_all and len(app.refresh_library()) < 2:
            if app.library_problem is not None:
                self.notify(loc.say(app.library_problem), severity="error", timeout=10)
                return
            words = loc.tr("The library holds only this package: add another with hzpolicy-tui add FILE")
            self.notify(words, severity="warning", timeout=5)
            return
        app.search_all = not app.search_all
        self.query_one("#search", Input).placeholder = self._placeholder()
        if self.results is not None:
            self._run_search(self.results.query)
        else:
            words = loc.tr("Search: every package") if app.search_all else loc.tr("Search: this package only")
            self.notify(words, timeout=2)

    def action_toggle_tree(self) -> None:
        self.toggle_class("-no-sidebar")
        if self.has_class("-no-sidebar"):
            self.query_one("#detail-scroll").focus()
        else:
            self.query_one(ClauseTree).focus()
