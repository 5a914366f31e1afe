"""The explorer: the tree of domains and clauses, search, and the clause in full."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from ..core.script import MAX_QUERY_CHARS, say, typeset
from ..messages import ClauseChosen
from ..widgets.bounded_input import BoundedInput
from ..widgets.clause_tree import ClauseTree
from ..widgets.clause_view import ClauseView
from ..widgets.labels import fit, fit_around, fit_text

if TYPE_CHECKING:
    from pathlib import Path

    from ..app import HzPolicyApp
    from ..core.models import Script
    from ..core.search import Results
    from .dialogs import ExportSource

HIGHLIGHT = "bold reverse"


class MainScreen(Screen[None]):
    AUTO_FOCUS = "#tree"  # focus the tree once, not the search box first and then the tree
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", "Search", id="search", tooltip="Search all clauses (Traditional or Simplified)"),
        Binding(
            "ctrl+f", "search", "Search", show=False, id="search-ctrl", tooltip="Search (works with an input method on)"
        ),
        Binding("escape", "back", "Back", show=False, id="back", tooltip="Leave the search and return to the tree"),
        Binding("n", "next_match", "Next match", show=False, id="next-match", tooltip="Next match in the open clause"),
        Binding(
            "N", "prev_match", "Prev match", show=False, id="prev-match", tooltip="Previous match in the open clause"
        ),
        Binding(
            "f3", "next_match", "Next match", show=False, id="next-match-f3", tooltip="Next match in the open clause"
        ),
        Binding("shift+f3", "prev_match", "Prev match", show=False, id="prev-match-f3", tooltip="Previous match"),
        Binding("f4", "toggle_script", "繁/简", id="script", tooltip="Switch between Traditional and Simplified"),
        Binding(
            "s",
            "toggle_script",
            "繁/简",
            show=False,
            id="script-s",
            tooltip="Switch between Traditional and Simplified",
        ),
        Binding("f5", "copy", "Copy", id="copy", tooltip="Copy the open clause (number, title, text) to the clipboard"),
        Binding("c", "copy", "Copy", show=False, id="copy-c", tooltip="Copy the open clause to the clipboard"),
        Binding("f6", "toggle_tree", "Tree", show=False, id="tree", tooltip="Hide or show the tree"),
        Binding("b", "toggle_tree", "Tree", show=False, id="tree-b", tooltip="Hide or show the tree"),
        Binding("f7", "bookmark", "Bookmark", show=False, id="bookmark", tooltip="Star or unstar the open clause"),
        Binding("m", "bookmark", "Bookmark", show=False, id="bookmark-m", tooltip="Star or unstar the open clause"),
        Binding("f9", "note", "Note", show=False, id="note", tooltip="Write a note on the open clause"),
        Binding("e", "note", "Note", show=False, id="note-e", tooltip="Write a note on the open clause"),
        Binding(
            "ctrl+e",
            "export",
            "Export",
            show=False,
            id="export",
            tooltip="Export the open clause, the search results or the bookmarks (md, csv, json)",
        ),
        Binding("x", "export", "Export", show=False, id="export-x", tooltip="Export to a file"),
        Binding(
            "ctrl+r",
            "reload",
            "Reload",
            show=False,
            id="reload",
            tooltip="Show bookmarks and notes as saved now (another window may have changed them)",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.results: Results | None = None

    @property
    def hz(self) -> HzPolicyApp:
        """The app, with its own attributes typed (``self.app`` is typed as any App)."""
        return cast("HzPolicyApp", self.app)

    # -- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        app = self.hz
        yield Static(id="titlebar")
        yield Static(id="too-small")
        with Horizontal(id="panes"):
            with Vertical(id="sidebar"):
                yield BoundedInput(id="search", placeholder=self._placeholder(), max_length=MAX_QUERY_CHARS)
                yield Static(id="count")
                yield OptionList(id="results")
                yield ClauseTree(app.doc, app.script, bookmarks=app.bookmarks, noted=set(app.notes), id="tree")
            with VerticalScroll(id="detail-scroll"):
                yield ClauseView(app.doc, app.today, id="detail", clause=app.doc.clauses[0].number)
        yield Footer()

    def _placeholder(self) -> str:
        return say("搜尋 (/ 或 Ctrl+F)", self.hz.script)

    def on_mount(self) -> None:
        self._mark_detail(self.detail.clause)
        # #results and #count start hidden (app.tcss); the title bar is drawn on the first resize.

    def refresh_chrome(self) -> None:
        app = self.hz
        doc = app.doc
        title = doc.title_in(app.script)
        status = doc.validity_status(app.today)
        badge = {"expired": "已失效", "in_force": "有效", "not_yet": "尚未生效"}.get(status, "")
        text = Text(f" {title}", style="bold")
        if badge:
            text.append(
                f"  [{say(badge, app.script)} {doc.valid_from}~{doc.valid_to}]",
                style="bold red" if status != "in_force" else "bold green",
            )
        self.query_one("#titlebar", Static).update(fit_text(text, max(self.size.width, 10)))
        self.query_one("#search", Input).placeholder = self._placeholder()

    NARROW = 60  # below this many columns, the tree and the clause take turns
    MINIMUM = (40, 12)

    def on_resize(self) -> None:
        width, height = self.size
        self.set_class(width < self.NARROW, "-narrow")
        small = width < self.MINIMUM[0] or height < self.MINIMUM[1]
        notice = self.query_one("#too-small", Static)
        notice.update(
            Text(
                say(f"終端太小 ({width}x{height}): 請放大到至少 {self.MINIMUM[0]}x{self.MINIMUM[1]}", self.hz.script),
                style="bold",
            )
        )
        notice.display = small
        self.refresh_chrome()
        if self.results is not None:
            self._show_results(self.results)

    # -- showing a clause --------------------------------------------------------------------

    @property
    def detail(self) -> ClauseView:
        return self.query_one(ClauseView)

    def show_clause(self, number: int, focus_detail: bool = False) -> None:
        detail = self.detail
        self._mark_detail(number)
        terms = self.results.terms if self.results else ()
        detail.clause = number
        detail.matches = tuple(self.hz.index.match_spans(number, terms, self.hz.script)) if terms else ()
        detail.current_match = 0 if detail.matches else -1
        scroll = self.query_one("#detail-scroll", VerticalScroll)
        if detail.matches:
            self.call_after_refresh(self._scroll_to_match)
        else:
            scroll.scroll_home(animate=False)
        if focus_detail:
            self._focus_detail()

    def _mark_detail(self, number: int) -> None:
        self.detail.bookmarked = number in self.hz.bookmarks
        self.detail.note = self.hz.notes.get(number, "")

    @on(ClauseChosen)
    def _chosen(self, event: ClauseChosen) -> None:
        if event.number != self.detail.clause:
            self.show_clause(event.number, event.focus_detail)
        elif event.focus_detail:
            self._focus_detail()

    def _focus_detail(self) -> None:
        """Move to the clause; in a narrow terminal it takes the place of the tree."""
        if self.has_class("-narrow"):
            self.add_class("-no-sidebar")
        self.query_one("#detail-scroll").focus()

    def _scroll_to_match(self) -> None:
        line = self.detail.line_of_match(self.detail.current_match)
        if line is not None:
            scroll = self.query_one("#detail-scroll", VerticalScroll)
            scroll.scroll_to(y=max(0, line - 2), animate=False)

    # -- search ------------------------------------------------------------------------------

    def action_search(self) -> None:
        if self.has_class("-no-sidebar"):
            self.remove_class("-no-sidebar")
        self.query_one("#search", Input).focus()

    @on(Input.Changed, "#search")
    def _query_changed(self, event: Input.Changed) -> None:
        query = event.value
        if not query.strip():
            self._end_search(keep_focus=True)
            return
        self.results = self.hz.index.search(query, script=self.hz.script, limit=200)
        self._show_results(self.results)

    def _show_results(self, results: Results) -> None:
        option_list = self.query_one("#results", OptionList)
        count = self.query_one("#count", Static)
        tree = self.query_one(ClauseTree)
        script = self.hz.script
        # The list may still be hidden (zero size): measure the sidebar it fills instead.
        width = max(self.query_one("#sidebar").content_region.width - 3, 10)
        option_list.clear_options()
        options = []
        for hit in results.hits:
            head = Text(fit(f"({self.hz.doc.require(hit.clause).numeral}) {hit.title}", width), style="bold")
            snippet = Text(typeset(hit.snippet), style="dim")
            for s, e in hit.highlights:
                snippet.stylize(HIGHLIGHT, s, e)
            snippet = fit_around(snippet, hit.highlights[0][0] if hit.highlights else 0, width)
            options.append(Option(Text("\n").join([head, snippet]), id=f"c{hit.clause}"))
        option_list.add_options(options)
        if results.total == 0:
            count.update(Text(say("沒有符合的條文", script) + f": {fit(results.query, 20)!r}", style="bold red"))
        elif results.relaxed:  # nothing as typed: say so, and which pieces matched
            count.update(
                Text.assemble(
                    (say("沒有", script) + f"「{fit(results.query, 16)}」\n", "dim"),
                    (f"{results.total} " + say("條同時含 ", script) + " + ".join(results.relaxed), "bold"),
                )
            )
        else:
            count.update(Text(f"{results.total} " + say("條符合", script), style="bold"))
        option_list.display = bool(results.hits)
        count.display = True
        tree.display = False
        if results.hits:
            option_list.highlighted = 0

    def open_clause(self, number: int, quote: str | None = None, text_span: tuple[int, int] | None = None) -> None:
        """Leave any search and show a clause, with the tree on it (the palette's jump); a
        quote (from the calculator) or a span of the clause's text (a figure from the money
        table) is marked and scrolled to."""
        self.query_one("#search", Input).value = ""
        self._end_search(keep_focus=True)
        tree = self.query_one(ClauseTree)
        if tree.only is not None and number not in tree.only:
            self.clear_filter()
        self.show_clause(number)
        tree.select_clause(number)
        if quote:
            span = self.hz.index.quote_span(number, quote, self.hz.script)
        elif text_span:
            span = self.hz.index.text_span(number, *text_span, self.hz.script)
        else:
            tree.focus()
            return
        if span:
            self.detail.matches = (span,)
            self.detail.current_match = 0
            self.call_after_refresh(self._scroll_to_match)
        self._focus_detail()

    def _end_search(self, keep_focus: bool = False) -> None:
        self.results = None
        self.query_one("#results", OptionList).display = False
        self.query_one("#count").display = False
        tree = self.query_one(ClauseTree)
        tree.display = True
        self.detail.matches = ()
        self.detail.current_match = -1
        if not keep_focus:
            tree.focus()
            if self.detail.clause:
                tree.select_clause(self.detail.clause)

    @on(Input.Submitted, "#search")
    def _submitted(self) -> None:
        option_list = self.query_one("#results", OptionList)
        if self.results and self.results.hits:
            index = option_list.highlighted or 0
            self._open_hit(self.results.hits[index].clause)

    @on(OptionList.OptionSelected, "#results")
    def _result_selected(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id  # each result's option is "c" and its clause number
        if option_id is not None:
            self._open_hit(int(option_id[1:]))

    def _open_hit(self, number: int) -> None:
        self.show_clause(number, focus_detail=True)

    def on_key(self, event: events.Key) -> None:
        # Down from the search box moves into the results.
        if event.key == "down" and self.focused is self.query_one("#search"):
            option_list = self.query_one("#results", OptionList)
            if option_list.display:
                option_list.focus()
                event.stop()

    def action_back(self) -> None:
        if self.query_one(ClauseTree).only is not None and not self.query_one("#search", Input).value:
            self.clear_filter()
        if self.has_class("-narrow"):
            self.remove_class("-no-sidebar")  # back from the clause to the tree
        search = self.query_one("#search", Input)
        if search.value:
            search.value = ""  # Changed -> _end_search
        self._end_search()

    def action_next_match(self) -> None:
        self._step(+1)

    def action_prev_match(self) -> None:
        self._step(-1)

    def _step(self, delta: int) -> None:
        detail = self.detail
        if not detail.matches:
            self.notify(say("這一條沒有搜尋結果可跳", self.hz.script), severity="warning", timeout=2)
            return
        detail.current_match = (detail.current_match + delta) % len(detail.matches)
        self.call_after_refresh(self._scroll_to_match)

    # -- other actions -----------------------------------------------------------------------

    def action_toggle_script(self) -> None:
        self.hz.toggle_script()

    def apply_script(self, script: Script) -> None:
        self.query_one(ClauseTree).set_script(script)
        detail = self.detail
        detail.script = script
        terms = self.results.terms if self.results else ()
        if terms and detail.clause:
            detail.matches = tuple(self.hz.index.match_spans(detail.clause, terms, script))
        if self.results is not None:
            self.results = self.hz.index.search(self.results.query, script=script, limit=200)
            self._show_results(self.results)
        self.refresh_chrome()

    def action_copy(self) -> None:
        text = self.detail.plain_text()
        if not text:
            self.notify(say("沒有打開的條文", self.hz.script), severity="warning")
            return
        self.hz.copy_to_clipboard(text)
        c = self.hz.doc.require(self.detail.clause)
        self.notify(say(f"已複製 ({c.numeral}) 到剪貼簿", self.hz.script), title="Copy")

    # -- bookmarks, notes, export, agency filter ----------------------------------------------

    def _marks(self) -> None:
        self.query_one(ClauseTree).set_marks(self.hz.bookmarks, set(self.hz.notes))

    def action_bookmark(self) -> None:
        number = self.detail.clause
        if not number:
            return
        on = not self.detail.bookmarked  # what the reader sees is what the key changes
        problem = self.hz.user.set_bookmark(number, on)
        if problem:
            self.notify(problem, severity="error")
            return
        (self.hz.bookmarks.add if on else self.hz.bookmarks.discard)(number)
        self.detail.bookmarked = on
        self._marks()
        c = self.hz.doc.require(number)
        self.notify(say(f"({c.numeral}) " + ("已加入書籤" if on else "已移出書籤"), self.hz.script), timeout=2)

    def action_note(self) -> None:

        number = self.detail.clause
        if not number:
            return
        c = self.hz.doc.require(number)
        heading = say(f"({c.numeral}) 的筆記", self.hz.script)
        opened = self.hz.user.note(number)  # read fresh, with the version the save is checked against
        self._edit_note(number, opened.text, opened.version, heading)

    def _edit_note(self, number: int, text: str, based_on: int, heading: str | None = None) -> None:
        from .dialogs import NoteScreen

        if heading is None:
            heading = say(f"({self.hz.doc.require(number).numeral}) 的筆記", self.hz.script)

        def done(edited: str | None) -> None:
            if edited is None:
                self.reload_user_data()  # left without saving: show the note as saved now
            else:
                self._save_note(number, edited, based_on)

        self.hz.push_screen(NoteScreen(heading, text, self.hz.script), done)

    def _save_note(self, number: int, text: str, based_on: int) -> None:
        """Save a note unless another instance changed it since it was opened; then ask."""
        from ..core.userdata import NoteConflict
        from .dialogs import NoteConflictScreen

        try:
            problem = self.hz.user.set_note(number, text, based_on=based_on)
        except NoteConflict as conflict:
            current = conflict.current

            def chosen(keep_mine: bool | None) -> None:
                if keep_mine:
                    self._save_note(number, text, current.version)
                elif keep_mine is None:  # Esc: back to my text, to merge by hand, saved against theirs
                    self._edit_note(number, text, current.version)
                else:
                    self.reload_user_data()  # theirs stays, and is what the pane now shows
                    self.notify(say("保留了另一個視窗的筆記", self.hz.script), timeout=3)

            self.hz.push_screen(NoteConflictScreen(text, current.text, self.hz.script), chosen)
            return
        if problem:
            self.notify(problem, severity="error")
            return
        self.reload_user_data()
        self.notify(say("筆記已儲存" if text.strip() else "筆記已刪除", self.hz.script), timeout=2)

    def action_reload(self) -> None:
        self.reload_user_data()
        self.notify(say("已重新讀取書籤與筆記", self.hz.script), timeout=2)

    def reload_user_data(self) -> None:
        """Show the bookmarks and notes as they are now, whichever instance changed them."""
        self.hz.bookmarks = set(self.hz.user.bookmarks())
        self.hz.notes = self.hz.user.notes()
        self._marks()
        number = self.detail.clause
        self.detail.bookmarked = number in self.hz.bookmarks
        self.detail.note = self.hz.notes.get(number, "")

    def action_export(self) -> None:
        from ..core import export
        from .dialogs import ExportScreen

        app = self.hz
        doc = app.doc
        script = app.script
        sources: dict[str, ExportSource] = {}
        if self.detail.clause:
            n = self.detail.clause
            sources[f"clause-{n}"] = (
                say(f"這一條 ({doc.require(n).numeral})", script),
                lambda: (
                    export.clause_records(doc, [n], notes=app.notes, bookmarks=app.bookmarks, script=script),
                    doc.title,
                    {},
                ),
            )
        if self.results is not None:
            results = app.index.search(self.results.query, script=script, limit=None)
            sources["search"] = (
                say(f"搜尋結果 ({results.total})", script),
                lambda: (export.search_records(results), f"search: {results.query}", export.search_meta(results)),
            )
        marked = sorted(app.bookmarks | set(app.notes))
        sources["bookmarks"] = (
            say(f"書籤與筆記 ({len(marked)})", script),
            lambda: (
                export.clause_records(doc, marked, notes=app.notes, bookmarks=app.bookmarks, script=script),
                f"{doc.title}: bookmarks",
                {},
            ),
        )

        def done(path: Path | None) -> None:
            if path is not None:
                self.notify(say("已匯出到 ", script) + str(path), title="Export", timeout=6)

        app.push_screen(ExportScreen(sources, script), done)

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
        count.update(
            Text(
                say(f"篩選: {name} ({len(agency.clauses)} 條, 牽頭領域 {len(agency.leads)}); Esc 清除", self.hz.script),
                style="bold",
            )
        )
        count.display = True
        tree.focus()
        first = min(numbers)
        self.call_after_refresh(tree.select_clause, first)

    def clear_filter(self) -> None:
        tree = self.query_one(ClauseTree)
        tree.set_filter(None)
        self.query_one("#count").display = False
        if self.detail.clause:
            self.call_after_refresh(tree.select_clause, self.detail.clause)

    def action_toggle_tree(self) -> None:
        self.toggle_class("-no-sidebar")
        if self.has_class("-no-sidebar"):
            self.query_one("#detail-scroll").focus()
        else:
            self.query_one(ClauseTree).focus()
